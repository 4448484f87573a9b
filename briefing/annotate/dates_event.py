"""Article-level dates: the publication date, the event's day, the event window.

- ``published`` from the text, when the metadata has none: a line at the top (or a
  line the cleaner took out) that holds nothing but a full date and a label
  ("Published: Monday, September 13, 2021 - 14:32"), or the date of the dateline
  ("BEIJING, Oct. 16 (Xinhua) --"). A dateline date that writes no year takes it from a
  day the text states (a caption's date), never from a guess. A date inside a sentence
  never counts.
- The event day is a full date, a weekday or "yesterday" in a sentence of the lead (the
  first sentences and photo captions) that speaks of the call or meeting ("meets",
  "phone call", "talks"...). The first such sentence that dates it wins, since the lead
  reports the event before its background ("the first round, held on April 12"); in it
  a full date wins over a weekday. A weekday needs the publication date. The dateline's
  date is the publication day, not the event's ("BAGHDAD, Sept 12 - ... on Monday"),
  unless the lead names no other day: then wire copy reports an event of that day.
  Nothing is guessed: no such sentence, no event day.
- The event window, when there is no event day: the days on which every speaker who is
  in the knowledge base held an office (one office each; where someone held several,
  the one that the text names, else every one that overlaps the others), narrowed by
  the dated facts the text names ("anchors" in ``content/dates.yaml``: "since the
  assassination of Soleimani" puts the event after 2020-01-03) and ended at the
  publication date. The start must be known; the end is None (open) when every
  speaker is still in office and there is no publication date.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from functools import lru_cache

from .. import recache
from ..knowledge.dateres import DateResources
from ..model import Article
from .folding import lowered

_TIME = recache.compile(
    r"\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*(?:GMT|UTC|IRST|AST|[A-Z]{3,4}))?",
    re.I,
)
_WORDS = recache.compile(r"[A-Za-z]+")
_LETTERS = recache.compile(r"[a-z]+")
# A full date is the event's day only if its year is written, in the sentence or the
# expression, or comes from the publication date: never from a guess.
_STATED = ("explicit", "range", "clause", "reference")
# Words that may sit beside a date on a publication line besides its label.
_LINE_WORDS = {"at", "on", "am", "pm", "a", "m", "p", "gmt", "utc", "irst", "local", "time"}


def published_from_text(article: Article, res: DateResources, g) -> str | None:
    """The publication date a line at the top of the text states, or None.

    A line at the top may hold the date alone ("Monday, September 13, 2021"); a line
    the cleaner removed needs its label ("Published: ..."), since removed lists of
    related links carry other articles' dates.
    """
    top = [article.text[b.start : b.end] for b in article.blocks[: res.published_blocks]]
    labels = {w for label in res.published_labels for w in label.split()}
    for line, bare_ok in [(t, True) for t in top] + [(t, False) for t in article.removed]:
        if len(line) > 120:
            continue
        for cand in g.find(line):
            if cand.kind != "date" or not cand.year or cand.day is None or cand.range_end:
                continue
            rest = _TIME.sub(" ", line[: cand.start] + " " + line[cand.end :])
            if re.search(r"\d", rest):
                continue
            words = {w.lower() for w in _WORDS.findall(rest)}
            if not words <= labels | _LINE_WORDS:
                continue
            if words & labels or (bare_ok and not words):
                try:
                    return dt.date(cand.year, cand.month, cand.day).isoformat()
                except ValueError:
                    continue
    return None


def _lead(article: Article, res: DateResources):
    """The first sentences of the body, captions included, headings left out."""
    kept = [s for s in article.sentences if s.kind != "heading"]
    return kept[: res.event_lead_sentences]


def _blocked(text: str, start: int, blockers: list[str]) -> bool:
    before = " ".join(text[max(0, start - 30) : start].lower().split())
    return any(before.endswith(" " + b) or before == b for b in blockers)


# A dateline: a place in capitals or Title Case and a comma before its date, an agency
# in brackets and a dash after it ("BAGHDAD, Sept 12 (Reuters) -").
_DATELINE_HEAD = recache.compile(r"[A-Z][A-Za-z .'/\u2019-]{1,40},\s*")
_DATELINE_TAIL = recache.compile(r"\s*(?:\([^()\n]{1,40}\))?\s*[-\u2013\u2014]")
_DATELINE_BLOCKS = 4  # a dateline opens one of the first blocks (after headings)


def dateline_date(article: Article, cands) -> object | None:
    """The date of the dateline ("BEIJING, Oct. 16 (Xinhua) --"), a Cand, or None.

    The cleaner keeps a dateline as a block of its own; a dateline it left at the head
    of the first paragraph counts too.
    """
    text = article.text
    starts = [c.start for c in cands]
    seen = 0
    for block in article.blocks:
        if block.kind == "heading":
            continue
        seen += 1
        if seen > _DATELINE_BLOCKS:
            break
        i = bisect.bisect_left(starts, block.start)
        cand = cands[i] if i < len(cands) and cands[i].start < block.end else None
        if cand is None or cand.kind != "date" or cand.day is None or cand.range_end:
            if block.kind == "dateline":
                return None
            continue
        head = _DATELINE_HEAD.fullmatch(text, block.start, cand.start)
        tail = _DATELINE_TAIL.match(text, cand.end, block.end)
        if block.kind == "dateline" or (head and tail):
            return cand
    return None


def event_day(article: Article, valued, res: DateResources, skip=None) -> dt.date | None:
    """The day of the call or meeting, when the lead states it (see the module doc).

    ``skip`` is an expression that is no event day (the dateline's date).
    """
    text = article.text
    for sentence in _lead(article, res):
        words = set(_LETTERS.findall(sentence.text.lower()))
        if not words & res.event_cues:
            continue
        if sentence.kind == "caption":
            block = article.blocks[sentence.block]
            caption = text[block.start : block.end].lower()
            if any(g in caption for g in res.caption_guards):
                continue
        weekday: dt.date | None = None
        for v in valued:
            c = v.cand
            if c is skip or not (sentence.start <= c.start < sentence.end) or v.day is None:
                continue
            if _blocked(text, c.start, res.event_date_blockers):
                continue
            if c.kind == "date" and v.source in _STATED:
                return v.day
            if weekday is None and c.kind in ("weekday", "relative") and v.source == "published":
                weekday = v.day
        if weekday is not None:
            return weekday
    return _dateline_event(article, valued, res, skip)


def _dateline_event(article: Article, valued, res: DateResources, line) -> dt.date | None:
    """With no other day in the lead, wire copy reports the day of its dateline: the
    dateline's date, when the sentence it opens (or the one after it) tells of the event."""
    if line is None:
        return None
    day = next((v.day for v in valued if v.cand is line), None)
    if day is None:
        return None
    after = [s for s in article.sentences if s.end > line.start and s.kind != "heading"][:2]
    for sentence in after:
        if sentence.kind == "dateline":
            continue
        words = set(_LETTERS.findall(sentence.text.lower()))
        return day if words & res.event_cues else None
    return None


# -- the event window --------------------------------------------------------------------
def _title(office) -> str:
    """How the text names an office: "President of Iran" -> "president"."""
    role = office.role or office.office.replace("_", " ")
    return role.split(" of ")[0].strip().lower()


def _terms(speaker, leader) -> list:
    """The speaker's offices that the text names, else all of them."""
    said = " ".join([speaker.role or ""] + [m.text for m in speaker.mentions]).lower()
    named = [o for o in leader.offices if re.search(r"\b" + re.escape(_title(o)) + r"\b", said)]
    if named:
        longest = max(len(_title(o)) for o in named)  # "first vice president" over "president"
        named = [o for o in named if len(_title(o)) == longest]
    return named


def _overlap(terms) -> tuple[str | None, str | None] | None:
    start = max((t.start or "0000-00-00") for t in terms)
    ends = [t.end for t in terms if t.end]
    end = min(ends) if ends else None
    if end is not None and start > end:
        return None
    return start, end


def speakers_window(article: Article, kb) -> tuple[str | None, str | None] | None:
    """The span in which every known speaker held an office, or None."""
    choices = []
    for speaker in article.speakers:
        leader = kb.leaders.get(speaker.id) if speaker.known else None
        if leader is None or not leader.offices:
            continue
        choices.append((_terms(speaker, leader), list(leader.offices)))
    if not choices:
        return None
    for pick in (0, 1):  # the offices the text names first, then any office
        options = [c[pick] or c[1] for c in choices]
        spans = [s for combo in itertools.product(*options) if (s := _overlap(combo))]
        if spans:
            start = min(s for s, _ in spans)
            ends = [e for _, e in spans]
            return start, (None if None in ends else max(ends))
    return None


@lru_cache(maxsize=8)
def _anchor_patterns(res: DateResources):
    """(anchor, pattern source, the lower-case words one of which a match starts with)."""
    out = []
    for anchor in res.anchors:
        for trigger in anchor.triggers:
            # up to an apostrophe, which the pattern lets be either
            words = tuple(
                w.lower().split("'")[0].split("\u2019")[0] for w in trigger.split()[0].split("|")
            )
            out.append((anchor, _trigger_pattern(trigger), words))
    return out


def _trigger_pattern(trigger: str) -> str:
    """A trigger phrase as a pattern: "a|b" alternatives, "*" up to eight words."""
    parts = []
    gap = False
    for token in trigger.split():
        if token == "*":
            gap = True
            continue
        words = "|".join(re.escape(w).replace("'", "['\u2019]") for w in token.split("|"))
        if parts:
            parts.append(r"\s+(?:\S+\s+){0,8}?" if gap else r"\s+")
        parts.append(f"(?:{words})")
        gap = False
    return r"(?<![\w])" + "".join(parts) + r"(?![\w])"


def _negated(text: str, start: int, negators: set[str]) -> bool:
    m = re.search(r"([\w]+)([\s-]*)$", text[max(0, start - 20) : start])
    if not m:
        return False
    word = m.group(1).lower()
    return word in negators or (m.group(2).strip() == "-" and word + "-" in negators)


def _scan(pattern: re.Pattern, text: str, starts: list[int] | None):
    """The matches of ``pattern.finditer(text)``, tried only at ``starts`` (all of the
    places where a match can begin) unless that is None."""
    if starts is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for pos in starts:
        if pos >= end and (m := pattern.match(text, pos)):
            end = m.end()
            yield m


def anchors_in(article: Article, res: DateResources) -> list:
    """The dated facts the article names (each anchor once)."""
    found = {}
    text = article.text
    low = lowered(text)
    for anchor, source, words in _anchor_patterns(res):
        if anchor.id in found:
            continue
        # a match starts where one of its first words does: the pattern is tried there
        # only (as a scan of the text would find its matches)
        starts = set()
        for word in words if "" not in words else ():
            i = low.find(word)
            while i >= 0:
                starts.add(i)
                i = low.find(word, i + 1)
        if not starts and "" not in words:
            continue
        pattern = recache.compile(source, re.I)  # compiled on first use, then kept by re
        for m in _scan(pattern, text, None if "" in words else sorted(starts)):
            if not _negated(text, m.start(), res.anchor_negators):
                found[anchor.id] = anchor
                break
    return list(found.values())


def event_window(article: Article, kb, published: dt.date | None) -> tuple[str, str | None] | None:
    """Where the event must lie when its day is unknown (see the module doc)."""
    start, end = speakers_window(article, kb) or (None, None)
    if published is not None:
        day = published.isoformat()
        end = day if end is None else min(end, day)
    for anchor in anchors_in(article, kb.dates):
        if anchor.after:
            # several occurrences ("a change of US government"): the latest before the end
            fitting = [d for d in anchor.after if end is None or d <= end]
            if end is None and len(anchor.after) > 1:
                fitting = []
            if fitting:
                start = fitting[-1] if start is None else max(start, fitting[-1])
        if anchor.before:
            fitting = [d for d in anchor.before if start is None or d >= start]
            if start is None and len(anchor.before) > 1:
                fitting = []
            if fitting:
                end = fitting[0] if end is None else min(end, fitting[0])
    if start is None or (end is not None and start > end):
        return None
    return start, end


def sort_key(article: Article) -> tuple[str, str]:
    """A key that orders articles on a timeline: the event day, else the publication
    date, else the end of the event window; undated articles sort first."""
    window_end = (
        (article.event_window[1] or article.event_window[0]) if article.event_window else None
    )
    return (article.event_date or article.published or window_end or "", article.id)
