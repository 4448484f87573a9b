"""The themes annotator: which themes each sentence touches and which the article discusses.

Runs last, so the speakers' statements are known. Each sentence gets a strength per
theme: the strongest cue it holds (strong or weak), where a cue inside an enumeration
of several themes ("in Syria, Yemen and Lebanon") counts as weak because a list names
topics without discussing them, and a weak cue beside another theme's strong one ("the
Israeli attacks") belongs to that theme's discussion and counts less or not at all. The
article's score for a theme is the sum of its sentences' strengths, weighted by where
they stand (statements weigh more, headings less, captions not at all). A theme is
asserted when the score reaches the threshold and at least one paragraph sentence, the
evidence, supports it.

All terms are found in one pass over the words of the text (:mod:`.themes_match`) and
assigned to sentences, so the cost is linear in the length of the article.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .. import recache
from ..knowledge import Knowledge
from ..knowledge.themes import Scoring, Taxonomy
from ..model import Article, ThemeHit
from .themes_match import matcher

# A clause ends at punctuation other than a comma; its tokens are words and commas.
# (The class names ASCII letters, digits and the space outright, though \w and \s hold
# them: the engine then finds them in its bit table, not in the Unicode database.)
_CLAUSE_END = recache.compile(r"[^ 0-9A-Za-z_\w\s'\u2019,-]")
_LIST_TOKEN = recache.compile(r"[\w'\u2019-]+|,")
_SEPARATOR = recache.compile(r"([,&])")


def annotate(article: Article, kb: Knowledge) -> None:
    """Fill ``article.themes``, ``article.sentence_themes`` and each statement's themes."""
    taxonomy: Taxonomy = kb.themes
    article.themes = []
    article.sentence_themes = {}
    if not taxonomy.themes or not article.sentences:
        _tag_statements(article)
        return
    strengths = sentence_strengths(article, taxonomy)
    scoring = taxonomy.scoring
    in_statement = {st.sentence for sp in article.speakers for st in sp.statements}
    # each theme's score and evidence, summed over its sentences in text order
    scores: dict[str, float] = {}
    evidence: dict[str, list] = {}
    for idx, per_theme in enumerate(strengths):
        if not per_theme:
            continue
        sentence = article.sentences[idx]
        factor = _factor(sentence.kind, idx in in_statement, scoring)
        span = None  # one Span for all the themes of the sentence (it is immutable)
        for tid, strength in per_theme.items():
            if not strength:
                continue
            scores[tid] = scores.get(tid, 0.0) + strength * factor
            if sentence.kind == "paragraph":
                if span is None:
                    span = article.span(sentence.start, sentence.end)
                evidence.setdefault(tid, []).append(span)
    hits: list[ThemeHit] = []
    for tid, spans in evidence.items():  # (a theme without evidence is never asserted)
        theme = taxonomy.themes[tid]
        score = scores[tid]
        threshold = theme.threshold if theme.threshold is not None else scoring.threshold
        if score >= threshold - 1e-9:
            hits.append(ThemeHit(tid, round(score, 3), spans))
    order = _order(taxonomy)
    hits.sort(key=lambda h: (-h.score, order[h.id]))
    article.themes = hits
    asserted = sorted((h.id for h in hits), key=order.__getitem__)  # in taxonomy order
    for idx, per_theme in enumerate(strengths):
        if per_theme:
            tags = [tid for tid in asserted if per_theme.get(tid)]
            if tags:
                article.sentence_themes[idx] = tags
    _tag_statements(article)


def _order(taxonomy: Taxonomy) -> dict[str, int]:
    """Theme id -> its place in the taxonomy (made once per taxonomy)."""
    cached = taxonomy.__dict__.get("_order")
    if cached is None:
        cached = taxonomy.__dict__["_order"] = {tid: k for k, tid in enumerate(taxonomy.themes)}
    return cached


def _tag_statements(article: Article) -> None:
    for speaker in article.speakers:
        for st in speaker.statements:
            st.themes = list(article.sentence_themes.get(st.sentence, []))


def _factor(kind: str, statement: bool, scoring: Scoring) -> float:
    if kind == "heading":
        return scoring.heading
    if kind == "caption":
        return scoring.caption
    return scoring.statement if statement else 1.0


def sentence_strengths(article: Article, taxonomy: Taxonomy) -> list[dict[str, float]]:
    """For each sentence, the strength of each theme it touches (theme id -> weight)."""
    text = article.text
    sentences = article.sentences
    starts = [s.start for s in sentences]
    scoring = taxonomy.scoring
    found: list[list] = [[] for _ in sentences]
    for start, end, channel in matcher(taxonomy).scan(text):
        idx = bisect_right(starts, start) - 1
        if idx >= 0 and end <= sentences[idx].end:
            found[idx].append((start, end, channel))
    out: list[dict[str, float]] = []
    for idx, matches in enumerate(found):
        if not matches:
            out.append({})
            continue
        cues = _cues(matches, taxonomy, scoring)
        per_theme: dict[str, float] = {}
        s = sentences[idx]
        for _, _, tid, weight in _demote_lists(cues, text, s.start, s.end, scoring):
            per_theme[tid] = max(per_theme.get(tid, 0.0), weight)
        out.append(_yield_weak(per_theme, scoring))
    return out


def _yield_weak(per_theme: dict[str, float], scoring: Scoring) -> dict[str, float]:
    """Weak cues beside another theme's strong cue belong to that theme's discussion.

    "the recent Israeli attacks", "terrorism as a common threat": the attack and the
    threat are the conflict the sentence is about, not security at large. A theme the
    sentence holds only weakly counts ``weak_beside_strong`` times as much when another
    theme holds it strongly.
    """
    factor = scoring.weak_beside_strong
    if factor == 1.0 or len(per_theme) < 2:
        return per_theme
    if max(per_theme.values()) < scoring.strong:
        return per_theme
    out = {}
    for tid, w in per_theme.items():
        if w < scoring.strong:  # then the strong cue is another theme's
            w *= factor
        if w > 0:
            out[tid] = w
    return out


def _cues(matches, taxonomy: Taxonomy, scoring: Scoring) -> list[tuple[int, int, str, float]]:
    """The cue matches of one sentence that count: (start, end, theme id, weight)."""
    if not matches:
        return []
    masks: dict[str, list[tuple[int, int]]] = {}  # merged, sorted spans per theme
    context: set[tuple[str, str, object]] = set()  # requires/excludes terms present
    excluded: set[str] = set()
    for start, end, ch in matches:
        if ch.kind == "ignore":
            spans = masks.setdefault(ch.theme, [])
            if spans and start <= spans[-1][1]:  # matches come in text order: merge
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((start, end))
        elif ch.kind == "theme_excludes":
            excluded.add(ch.theme)
        elif ch.kind in ("requires", "excludes"):
            context.add((ch.kind, ch.theme, ch.key))
    out = []
    for start, end, ch in matches:
        if ch.kind not in ("cue", "cond") or ch.theme in excluded:
            continue
        if _masked(masks.get(ch.theme), start, end):
            continue
        if ch.kind == "cue":
            weight = ch.key
        else:
            cue = taxonomy.themes[ch.theme].conditional[ch.key]
            if cue.requires is not None and ("requires", ch.theme, ch.key) not in context:
                continue
            if ("excludes", ch.theme, ch.key) in context:
                continue
            weight = cue.weight
        out.append((start, end, ch.theme, scoring.weight(weight)))
    return out


def _masked(spans: list[tuple[int, int]] | None, start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted, disjoint ``spans``."""
    if not spans:
        return False
    i = bisect_left(spans, (end,)) - 1  # the last span that starts before ``end``
    return i >= 0 and spans[i][1] > start


def _demote_lists(matches, text: str, start: int, end: int, scoring: Scoring):
    """Cues inside a mixed enumeration ("in Syria, Yemen and Lebanon") count as weak.

    An enumeration is "A, B and C" (or "A, B, or C"): three or more items joined by commas
    and a final joiner, the inner items at most ``list_item_words`` words long. It is
    demoted only when its items hold cues of different themes: "Gaza, the West Bank and
    Jerusalem" is one topic, discussed; "In the talks, Raisi said security and stability"
    is no list at all.
    """
    if len({m[2] for m in matches}) < 2:
        return matches
    # no list without a joiner, nor (of three items or more) without a comma before one
    folded = text[start:end].casefold()
    comma = folded.find(",") if scoring.list_items >= 3 else -1
    if (scoring.list_items >= 3 and comma < 0) or not any(
        folded.rfind(j) > comma for j in scoring.list_joiners
    ):
        return matches
    out = sorted(matches)
    starts = [m[0] for m in out]
    for lo, hi, items in _enumerations(text, start, end, scoring):
        first, last = bisect_left(starts, lo), bisect_left(starts, hi)
        if last - first < 2:
            continue
        item_starts = [a for a, _ in items]
        labels: list[set[str]] = [set() for _ in items]
        for k in range(first, last):
            s, e, tid, _ = out[k]
            i = bisect_right(item_starts, s) - 1
            if i >= 0 and s < items[i][1]:
                labels[i].add(tid)
        if len({frozenset(lab) for lab in labels if lab}) < 2:
            continue
        for k in range(first, last):
            s, e, tid, w = out[k]
            out[k] = (s, e, tid, min(w, scoring.weak))
    return out


def _enumerations(text: str, start: int, end: int, scoring: Scoring):
    """Yield (start, end, item spans) of each enumeration in ``text[start:end]``, in one pass.

    The words of a list are separated by commas and a final joiner; punctuation other
    than a comma ends a clause, and no list runs over it. The sentence is read as a
    string of its own (most are ASCII, which the regex engine and the slicing of words
    read faster than the article's wider characters).
    """
    sentence = text[start:end]
    kinds = _kinds(scoring)
    lo = 0
    for m in _CLAUSE_END.finditer(sentence):
        if m.start() > lo:
            yield from _clause_enumerations(sentence, lo, m.start(), start, scoring, kinds)
        lo = m.end()
    if len(sentence) > lo:
        yield from _clause_enumerations(sentence, lo, len(sentence), start, scoring, kinds)


def _clause_enumerations(text: str, start: int, end: int, offset: int, scoring: Scoring, kinds):
    """:func:`_enumerations` of one clause of ``text`` (at ``offset`` in the article).

    The clause is read as a string of its tokens' kinds ("w" a word, "," a comma, "&" a
    joiner), made in C; Python then walks the separators only, and reads the words'
    offsets only for a list it found.
    """
    tokens = _LIST_TOKEN.findall(text, start, end)
    coded = "".join(map(kinds.__getitem__, tokens))
    if "&" not in coded:
        return  # only a joiner closes a list
    parts = _SEPARATOR.split(coded)  # words, separator, words, ...
    # items as (index of the first token, number of words); the separators between them
    items = [(0, len(parts[0]))]
    seps: list[str] = []
    at = len(parts[0])  # the token after the last part read
    for i in range(1, len(parts), 2):
        sep, words = parts[i], len(parts[i + 1])
        at += 1
        if sep == "&" and not items[-1][1] and seps and seps[-1] == ",":
            seps[-1] = "and"  # the serial comma: "A, B, and C"
            items[-1] = (at, words)
        else:
            seps.append("and" if sep == "&" else ",")
            items.append((at, words))
        at += words
    maxw = scoring.list_item_words
    spans_of: list[tuple[int, int]] | None = None
    # every joiner closes a list that runs back over the comma-separated short items
    for j, sep in enumerate(seps):
        if sep != "and":
            continue
        k = j
        while k > 0 and seps[k - 1] == "," and 0 < items[k][1] <= maxw:
            k -= 1
        if j + 1 - k + 1 < scoring.list_items or not items[k][1] or not items[j + 1][1]:
            continue
        if not 0 < items[j][1] <= maxw:
            continue
        if spans_of is None:
            spans_of = [
                (m.start() + offset, m.end() + offset)
                for m in _LIST_TOKEN.finditer(text, start, end)
            ]
        spans = []
        for i in range(k, j + 2):
            first, n = items[i]
            if i == k:  # the first item's last words, the last item's first words
                first, n = first + max(0, n - maxw), min(n, maxw)
            elif i == j + 1:
                n = min(n, maxw)
            spans.append((spans_of[first][0], spans_of[first + n - 1][1]))
        yield spans[0][0], spans[-1][1], spans


class _Kinds(dict):
    """A token of a clause -> its kind: "," a comma, "&" a joiner, "w" any other word."""

    def __init__(self, joiners: frozenset[str]):
        super().__init__()
        self.joiners = joiners

    def __missing__(self, token: str) -> str:
        if len(self) >= 1 << 16:  # junk text: start again rather than grow
            self.clear()
        kind = self[token] = (
            "," if token == "," else "&" if token.casefold() in self.joiners else "w"
        )
        return kind


def _kinds(scoring: Scoring) -> _Kinds:
    cached = scoring.__dict__.get("_kinds")
    if cached is None or cached.joiners != scoring.list_joiners:
        cached = scoring.__dict__["_kinds"] = _Kinds(scoring.list_joiners)
    return cached
