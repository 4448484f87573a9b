"""The dates annotator: every date expression of an article, valued; the event's day.

Three steps. The grammar (:mod:`.dates_grammar`, vocabulary from ``content/dates.yaml``)
finds the expressions. Each gets a value, ISO 8601 / TIMEX style (``2021-09-12``,
``2021-09``, ``2021``, ``199X``), or None when the text and the publication date do not
fix one. Then :mod:`.dates_event` finds the publication date in the text when the
metadata has none, the day of the call or meeting, and failing that the window the
event must lie in.

What an expression covers: the words that carry the date, plus a leading preposition
where it changes the meaning of a contextual expression ("on Saturday", "In July",
"by the end of the year"); explicit dates stand alone ("September 12, 2021", "2017").
Numeric dates count only when unambiguous: ISO "2021-09-12", dotted "12.09.2021"
(day first, the only convention that uses dots), or slashes where one number exceeds
12 ("25/12/2020"); "05/06/2021" is named with no value.

How an expression gets its value:

- A full date is its own value; "July 26" takes the year in context (below).
- The reference day is the publication date (from the metadata, a "Published:" line or
  the dateline), else the event's day when the text states it as a full date (a photo
  caption "... on September 12, 2021"); with neither, contextual expressions have no
  value: nothing is guessed from other years of the article.
- The year in context, for "In July", "July 26" or "by the end of the year": a year the
  text ties to it (the end of a range, "between September and December 2021"; a year
  earlier in its clause, "left the deal in 2018 and reimposed sanctions in November";
  a year that opens the sentence, "In 2019, ..."); else the reference day's side that
  the tense of its clause gives: "visited Tehran in June" is the latest June on or
  before the reference day, "the resolution expires in October" the next October
  (cue words in ``tense_cues``, ``content/dates.yaml``). With no cue, a month is past
  and a day the nearest one; after "by" (a deadline) both are the nearest.
- Weekdays ("on Saturday") resolve against the reference day: the latest such weekday
  on or before it, the first on or after it in the future tense ("will be held on
  Saturday"); "last" strictly before, "next" strictly after.
- "yesterday", "two days ago" count from the publication date only; "last year",
  "next month", "March last year" from the reference day. A week ("last week") is
  named by its month when its Monday and Sunday fall in one month, else no value.
- Occasions (Eid al-Fitr, Arba'een, Nowruz...) are valued only when the text ties them
  to one year ("Nowruz 2021", "this year's Arbaeen"): the day that year, from the
  Hijri or Persian calendar. A bare "Eid al-Fitr" names no particular year's feast.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .. import recache, segment
from ..knowledge import Knowledge
from ..knowledge.dateres import DateResources, Period
from ..model import Article, DateExpr
from . import dates_calendar as cal
from . import dates_event
from .dates_grammar import Cand, grammar


@dataclass
class Valued:
    """A found expression with its value and where the value came from."""

    cand: Cand
    value: str | None = None
    # explicit | range | clause | reference | published | previous: the text wrote it, a
    # year joined to it ("September and December 2021"), a year earlier in its clause,
    # the reference or publication day, the last day or year the text named before it
    source: str | None = None
    day: dt.date | None = None  # the value as a date, when it names a day


# What ends a clause for the tense and the year of a date: punctuation, quotes, dashes.
_CLAUSE_BREAK = recache.compile('[,;:()\\[\\]"\u201c\u201d\u2018\u2014\u2013]')
_LAST_BREAK = recache.compile(".*" + _CLAUSE_BREAK.pattern, re.S)  # greedy: up to the last one
_CLAUSE_REACH = 150  # characters: clauses are short; this keeps every look bounded
_TENSE_WORD = recache.compile(r"'ll|[A-Za-z]+(?:['\u2019][A-Za-z]+)*(?:-[A-Za-z]+)*")
_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'\u2019-")


@dataclass
class _Context:
    """What the values of one text depend on: its sentences, its years, its reference day."""

    text: str
    published: dt.date | None
    reference: dt.date | None
    sentence_starts: list[int]
    sentence_ends: list[int]
    sentence_blocks: list[int]
    markers: list[tuple[int, int]] = field(default_factory=list)  # (position, year) in order

    def sentence(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sentence_starts, pos) - 1)

    def block(self, pos: int) -> int:
        return self.sentence_blocks[self.sentence(pos)] if self.sentence_blocks else 0

    def sentence_span(self, pos: int) -> tuple[int, int]:
        if not self.sentence_starts:
            return 0, len(self.text)
        i = self.sentence(pos)
        return self.sentence_starts[i], self.sentence_ends[i]

    def clause_start(self, pos: int) -> int:
        start = max(self.sentence_span(pos)[0], pos - _CLAUSE_REACH)
        m = _LAST_BREAK.match(self.text, start, pos)
        return m.end() if m else start

    def clause_end(self, pos: int) -> int:
        high = min(self.sentence_span(max(0, pos - 1))[1], pos + _CLAUSE_REACH)
        m = _CLAUSE_BREAK.search(self.text, pos, high)
        return m.start() if m else high


def to_date(value) -> dt.date | None:
    """A YYYY-MM-DD string (or a datetime's first ten characters) as a date, else None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _month_year(ref: dt.date, month: int, rule: str) -> int:
    """The year of ``month`` on the side of ``ref`` that ``rule`` names ("last July": before)."""
    if rule == "before":
        return ref.year if month < ref.month else ref.year - 1
    if rule == "on_or_before":
        return ref.year if month <= ref.month else ref.year - 1
    if rule == "after":
        return ref.year if month > ref.month else ref.year + 1
    if rule == "on_or_after":
        return ref.year if month >= ref.month else ref.year + 1
    return ref.year


def _day_year(ref: dt.date, month: int, day: int, side: str | None) -> int | None:
    """The year of ``month``/``day`` on the ``side`` of ``ref``; no side: the nearest."""
    if side not in ("past", "future"):
        return cal.closest_year(ref, month, day)
    years = (ref.year - 1, ref.year) if side == "past" else (ref.year, ref.year + 1)
    for year in years if side == "future" else reversed(years):
        try:
            when = dt.date(year, month, day)
        except ValueError:  # February 29
            continue
        if (when >= ref) if side == "future" else (when <= ref):
            return year
    return None


def _phrases(phrases) -> str:
    """An alternation of phrases, any spacing between their words; never matches if empty."""
    parts = [r"\s+".join(map(re.escape, p.split())) for p in sorted(phrases, key=len, reverse=True)]
    return "|".join(parts) or r"(?!x)x"


def _iso_month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def tense_of(words: list[str], i: int, cues) -> str | None:
    """What ``words[i]`` says of the time around it: "future", "past" or None."""
    return _side(words[i], words[i - 1].lower() if i > 0 else "", cues)


def _side(raw: str, prev: str, cues) -> str | None:
    """:func:`tense_of` for the word ``raw`` after the lower-cased word ``prev``."""
    word = raw.lower().replace("\u2019", "'")
    if word in cues.future or f"{prev} {word}" in cues.future:
        return "future"
    if word in cues.past:
        past = True
    else:  # "signed", not "Mohammed", "need" or "armed"
        past = (
            raw[0].islower()
            and len(word) > 4
            and word.endswith(cues.past_suffixes)
            and word not in cues.not_past
        )
    if past and prev not in cues.shields:
        return "past"
    return None


@lru_cache(maxsize=8)
def _cue_words(cues) -> tuple[dict[str, str], frozenset[str]]:
    """A cache of what each word tells alone ("future", "" for nothing, "maybe" when
    the word before decides: a shield before a past form, "is" before "to")."""
    return {}, frozenset(p.split()[1] for p in cues.future if len(p.split()) == 2)


class Resolver:
    """Values the expressions of one text, in text order."""

    def __init__(self, res: DateResources, cands: list[Cand], ctx: _Context):
        self.res = res
        self.cands = cands
        self.ctx = ctx
        ctx.markers = [(c.start, c.year) for c in cands if c.explicit_year]
        self._marker_pos = [pos for pos, _ in ctx.markers]
        self._next = {id(a): b for a, b in zip(cands, cands[1:], strict=False)}
        self._frame = self._frames()
        self._cues: tuple[list[int], list[str]] | None = None  # computed on first use
        deadline = _phrases(res.tense.deadline)
        self._deadline_own = recache.compile(rf"(?i:{deadline})\s")
        self._deadline_before = recache.compile(rf"(?<![\w])(?i:{deadline})\s*$")
        self._last_day: dt.date | None = None

    def run(self) -> list[Valued]:
        out = []
        self._last_day = None
        for cand in self.cands:
            valued = self.value(cand)
            if valued.day is not None:
                self._last_day = valued.day
            out.append(valued)
        return out

    # -- the context of an expression that writes no year -----------------------------
    def tense(self, cand: Cand) -> str | None:
        """The side of the reference day that the clause puts ``cand`` on: "future",
        "past", "deadline" ("by Sept 19": no side) or None (``tense_cues`` in dates.yaml)."""
        ctx = self.ctx
        if self._deadline_own.match(ctx.text, cand.start, cand.end) or self._deadline_before.search(
            ctx.text, max(0, cand.start - 30), cand.start
        ):
            return "deadline"
        low = ctx.clause_start(cand.start)
        # none before it ("In July, the US left"): the first after it, to the end of the
        # next clause
        end = ctx.clause_end(cand.end)
        end = ctx.clause_end(end + 1) if end < len(ctx.text) else end
        starts, sides = self._cues_in(low, max(end, cand.end))
        # the nearest cue before it in its clause
        i = bisect.bisect_left(starts, cand.start) - 1
        if i >= 0:
            return sides[i]
        j = bisect.bisect_left(starts, cand.end)
        if j < len(starts) and starts[j] < end:
            return sides[j]
        return None

    def _cues_in(self, lo: int, hi: int) -> tuple[list[int], list[str]]:
        """The words that tell a tense and start in [lo, hi): (starts, sides), in order.

        Words are read as a pass over the whole text reads them (a word's side can
        depend on the one before it), from a point before ``lo`` where no word goes on.
        """
        text, cues = self.ctx.text, self.res.tense
        start = lo
        while True:
            start = max(0, start - 40)
            while start > 0 and text[start - 1] in _WORD_CHARS:
                start -= 1
            if lo - start > 1000:  # no word for long: the pass over all of it
                if self._cues is None:
                    self._cues = self._tense_cues()
                starts, sides = self._cues
                i, j = bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi)
                return starts[i:j], sides[i:j]
            words = _TENSE_WORD.finditer(text, start)
            first = next(words, None)
            if first is None or start == 0 or first.start() < lo:
                break  # the word before the first one at lo is known
        starts, sides = [], []
        table, seconds = _cue_words(cues)
        prev = ""
        for m in itertools.chain([first] if first else [], words):
            pos = m.start()
            if pos >= hi:
                break
            raw = m.group()
            if pos >= lo:
                side = table.get(raw)
                if side is None:
                    if raw.lower().replace("\u2019", "'") in seconds:
                        side = "maybe"
                    else:
                        side = {"future": "future", "past": "maybe"}.get(_side(raw, "", cues), "")
                    if len(table) < 100_000:  # the words of the news are few; bounded anyway
                        table[raw] = side
                if side == "maybe":
                    side = _side(raw, prev, cues)
                if side:
                    starts.append(pos)
                    sides.append(side)
            prev = raw.lower()
        return starts, sides

    def _tense_cues(self) -> tuple[list[int], list[str]]:
        """Every word of the text that tells a tense: (its start, its side), in order.

        One pass over the text, so that each expression only looks its cues up.
        """
        words = [(m.start(), m.group()) for m in _TENSE_WORD.finditer(self.ctx.text)]
        texts = [w for _, w in words]
        starts, sides = [], []
        for i, (start, _) in enumerate(words):
            if side := tense_of(texts, i, self.res.tense):
                starts.append(start)
                sides.append(side)
        return starts, sides

    def written_year(self, cand: Cand) -> tuple[int | None, str | None]:
        """A year the text ties to ``cand``: the end of a range it opens ("between
        September and December 2021"), else a year earlier in its clause ("left the deal
        in 2018 and reimposed sanctions in November")."""
        nxt = self._next.get(id(cand))
        if nxt is not None and nxt.explicit_year and nxt.kind in ("date", "month"):
            gap = self.ctx.text[cand.end : nxt.start].strip().lower()
            if gap in self.res.range_connectors:
                return nxt.year, "range"
        low = self.ctx.clause_start(cand.start)
        i = bisect.bisect_left(self._marker_pos, cand.start) - 1
        if i >= 0 and self._marker_pos[i] >= low:
            return self.ctx.markers[i][1], "clause"
        # a year that opens the sentence frames all of it: "In 2019, ... in October"
        first = self._frame.get(self.ctx.sentence(cand.start))
        if first is not None and first.start < cand.start:
            return first.year, "clause"
        return None, None

    def _frames(self) -> dict[int, Cand]:
        """Sentence -> the expression with a year that opens it, set off by a comma."""
        ctx, out = self.ctx, {}
        preps = set(self.res.span_prepositions)
        for cand in self.cands:
            sentence = ctx.sentence(cand.start)
            if sentence in out or not cand.explicit_year:
                continue
            start = ctx.sentence_span(cand.start)[0]
            if cand.start - start > 20:  # "In 2019," or "During 2019,": a word at most
                continue
            lead = ctx.text[start : cand.start].strip().lower()
            if (not lead or lead in preps) and ctx.text[cand.end : cand.end + 1] == ",":
                out[sentence] = cand
        return out

    def _previous_year(self, cand: Cand) -> int | None:
        i = bisect.bisect_left(self._marker_pos, cand.start) - 1
        return self.ctx.markers[i][1] if i >= 0 else None

    # -- values -----------------------------------------------------------------------
    def value(self, c: Cand) -> Valued:
        handler = getattr(self, "_" + c.kind)
        return handler(c)

    def _date(self, c: Cand) -> Valued:
        if c.ambiguous or c.month is None:
            return Valued(c)
        year, source = (c.year, "explicit") if c.year else self.written_year(c)
        if year is None and self.ctx.reference is not None:
            side = self.tense(c) if not c.range_end else None
            year, source = _day_year(self.ctx.reference, c.month, c.day, side), "reference"
        if year is None:
            return Valued(c)
        if c.range_end:  # "September 12-14": the month holds both ends
            return Valued(c, _iso_month(year, c.month), source)
        try:
            day = dt.date(year, c.month, c.day)
        except ValueError:  # "February 30"
            return Valued(c)
        return Valued(c, day.isoformat(), source, day)

    def _month(self, c: Cand) -> Valued:
        if c.year:
            return Valued(c, _iso_month(c.year, c.month), "explicit")
        if c.period is not None:  # "March last year"
            year = self._period(c, c.period)
            if year.value is None:
                return Valued(c)
            return Valued(c, _iso_month(int(year.value[:4]), c.month), year.source)
        ref = self.ctx.reference
        if c.month_rule is not None:
            if ref is None:
                return Valued(c)
            return Valued(
                c, _iso_month(_month_year(ref, c.month, c.month_rule), c.month), "reference"
            )
        year, source = self.written_year(c)
        if year is not None:
            return Valued(c, _iso_month(year, c.month), source)
        if ref is None:
            return Valued(c)
        side = self.tense(c)
        if side == "deadline":  # "by October": the nearest October
            year = cal.closest_year(ref, c.month)
        else:
            year = _month_year(ref, c.month, "on_or_after" if side == "future" else "on_or_before")
        return Valued(c, _iso_month(year, c.month), "reference")

    def _year(self, c: Cand) -> Valued:
        return Valued(c, f"{c.year:04d}", "explicit")

    def _decade(self, c: Cand) -> Valued:
        return Valued(c, c.decade, "explicit")

    def _part(self, c: Cand) -> Valued:
        if c.period is not None:
            return self._period(c, c.period)
        if c.month is None:
            return Valued(c, f"{c.year:04d}", "explicit")
        return self._month(c)

    def _period(self, c: Cand, period: Period) -> Valued:
        ref = self.ctx.reference
        if period.unit == "week":
            return self._week(c, period.offset)
        if period.base == "reference":
            if ref is None:
                return Valued(c)
            if period.unit == "year":
                return Valued(c, f"{ref.year + period.offset:04d}", "reference")
            month = cal.add_months(ref.year, ref.month, period.offset)
            return Valued(c, _iso_month(*month), "reference")
        if period.base == "previous":
            year = self._previous_year(c)
            if year is None or period.unit != "year":
                return Valued(c)
            return Valued(c, f"{year + period.offset:04d}", "previous")
        # context: "by the end of the year" is the year written in its clause, else the
        # reference day's
        year, source = self.written_year(c)
        if period.unit == "year":
            if year is None and ref is not None:
                year, source = ref.year, "reference"
            return Valued(c, f"{year + period.offset:04d}", source) if year else Valued(c)
        if ref is None:  # "the end of the month": the reference day's month
            return Valued(c)
        month = cal.add_months(ref.year, ref.month, period.offset)
        return Valued(c, _iso_month(*month), "reference")

    def _week(self, c: Cand, offset: int) -> Valued:
        """A week is named by its month when its Monday and Sunday fall in one month."""
        ref = self.ctx.reference
        if ref is None:
            return Valued(c)
        monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=offset)
        sunday = monday + dt.timedelta(days=6)
        if (monday.year, monday.month) != (sunday.year, sunday.month):
            return Valued(c)
        return Valued(c, _iso_month(monday.year, monday.month), "reference")

    def _weekday(self, c: Cand) -> Valued:
        ref = self.ctx.reference
        if ref is None:
            return Valued(c)
        direction = c.direction
        if direction == "on_or_before" and self.tense(c) == "future":
            direction = "on_or_after"  # "talks will be held on Saturday"
        day = cal.resolve_weekday(ref, c.weekday, direction)
        source = "published" if ref == self.ctx.published else "reference"
        return Valued(c, day.isoformat(), source, day)

    def _relative(self, c: Cand) -> Valued:
        published, ref = self.ctx.published, self.ctx.reference
        if c.period is not None:
            return self._period(c, c.period)
        if c.days_from_published is not None:
            if published is None:
                return Valued(c)
            day = published + dt.timedelta(days=c.days_from_published)
            return Valued(c, day.isoformat(), "published", day)
        if c.days_from_previous is not None:
            if self._last_day is None:
                return Valued(c)
            day = self._last_day + dt.timedelta(days=c.days_from_previous)
            return Valued(c, day.isoformat(), "previous", day)
        count, unit = c.ago
        if count is None:
            return Valued(c)
        if unit == "week":
            return self._week(c, -count)
        if unit == "day":
            if published is None:
                return Valued(c)
            day = published - dt.timedelta(days=count)
            return Valued(c, day.isoformat(), "published", day)
        if ref is None:
            return Valued(c)
        if unit == "month":
            return Valued(c, _iso_month(*cal.add_months(ref.year, ref.month, -count)), "reference")
        return Valued(c, f"{ref.year - count:04d}", "reference")

    def _occasion(self, c: Cand) -> Valued:
        occasion, ref = c.occasion, self.ctx.reference
        year = c.year
        if year is None and c.occasion_offset is not None and ref is not None:
            year = ref.year + c.occasion_offset
        if year is None or occasion.calendar is None:
            return Valued(c)
        days = cal.occurrences(
            occasion.calendar, year, occasion.month, occasion.day, occasion.last_weekday
        )
        if not days:
            return Valued(c)
        # a Hijri feast can fall twice in one Gregorian year: the one nearer the reference
        day = min(days, key=lambda d: abs((d - ref).days)) if ref and len(days) > 1 else days[0]
        return Valued(c, day.isoformat(), "explicit", day)


def resolve(
    res: DateResources,
    text: str,
    cands: list[Cand],
    published: dt.date | None,
    reference: dt.date | None,
    sentences: list[tuple[int, int, int]] | None = None,
) -> list[Valued]:
    """Values for ``cands``; ``sentences`` are (start, end, block) triples in text order."""
    sentences = sentences or [(0, len(text), 0)]
    ctx = _Context(
        text=text,
        published=published,
        reference=reference,
        sentence_starts=[s for s, _, _ in sentences],
        sentence_ends=[e for _, e, _ in sentences],
        sentence_blocks=[b for _, _, b in sentences],
    )
    return Resolver(res, cands, ctx).run()


def find(
    text: str,
    res: DateResources,
    published: str | dt.date | None = None,
    reference: str | dt.date | None = None,
) -> list[DateExpr]:
    """The date expressions of a bare text, valued against ``published``.

    ``reference`` stands in for an event day when there is no publication date. The
    whole text counts as one paragraph; :func:`annotate` uses the article's blocks.
    """
    published, reference = to_date(published), to_date(reference)
    cands = grammar(res).find(text)
    sentences = [(start, end, 0) for start, end in segment.split(text)]
    valued = resolve(res, text, cands, published, published or reference, sentences)
    return [_expr(text, v) for v in valued]


def _expr(text: str, v: Valued) -> DateExpr:
    c = v.cand
    return DateExpr(c.start, c.end, text[c.start : c.end], v.value, c.kind)


def annotate(article: Article, kb: Knowledge) -> None:
    """Fill ``article.dates``, ``published`` (from the text, if the metadata has none),
    ``event_date`` and ``event_window``."""
    res = kb.dates
    g = grammar(res)
    text = article.text
    published = to_date(article.published)
    if published is None:
        published = to_date(dates_event.published_from_text(article, res, g))

    cands = g.find(text)
    line = dates_event.dateline_date(article, cands)
    if published is None and line is not None and line.year:
        published = _day(line.year, line.month, line.day)
    sentences = [(s.start, s.end, s.block) for s in article.sentences]
    valued = resolve(res, text, cands, published, published, sentences)
    event = dates_event.event_day(article, valued, res, skip=line)
    if published is None and line is not None and event is not None:
        # a dateline's "Oct. 16" takes its year from the day the text states
        year = cal.closest_year(event, line.month, line.day)
        published = _day(year, line.month, line.day) if year else None
        if published is not None:
            valued = resolve(res, text, cands, published, published, sentences)
            event = dates_event.event_day(article, valued, res, skip=line)
    if event is not None and published is None:
        # the stated event day is the reference for weekdays, "In July", "the year"
        valued = resolve(res, text, cands, None, event, sentences)
    article.published = published.isoformat() if published else None
    article.dates = [_expr(text, v) for v in valued]
    article.event_date = event.isoformat() if event else None
    article.event_window = None if event else dates_event.event_window(article, kb, published)


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


sort_key = dates_event.sort_key
