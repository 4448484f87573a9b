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

_LIST_TOKEN = recache.compile(r"(?P<word>[\w'\u2019-]+)|[^\w\s'\u2019-]")


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
        for tid, strength in per_theme.items():
            if not strength:
                continue
            scores[tid] = scores.get(tid, 0.0) + strength * factor
            if sentence.kind == "paragraph":
                evidence.setdefault(tid, []).append(article.span(sentence.start, sentence.end))
    hits: list[ThemeHit] = []
    for theme in taxonomy.themes.values():
        score, spans = scores.get(theme.id, 0.0), evidence.get(theme.id)
        threshold = theme.threshold if theme.threshold is not None else scoring.threshold
        if spans and score >= threshold - 1e-9:
            hits.append(ThemeHit(theme.id, round(score, 3), spans))
    order = {tid: k for k, tid in enumerate(taxonomy.themes)}
    hits.sort(key=lambda h: (-h.score, order[h.id]))
    article.themes = hits
    asserted = [tid for tid in taxonomy.themes if any(h.id == tid for h in hits)]
    for idx, per_theme in enumerate(strengths):
        if per_theme:
            tags = [tid for tid in asserted if per_theme.get(tid)]
            if tags:
                article.sentence_themes[idx] = tags
    _tag_statements(article)


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
    """Yield (start, end, item spans) of each enumeration in ``text[start:end]``, in one pass."""
    maxw = scoring.list_item_words
    items: list[list[tuple[int, int]]] = [[]]  # the words of each item
    seps: list[str] = []

    def flush():
        # every joiner closes a list that runs back over the comma-separated short items
        for j, sep in enumerate(seps):
            if sep != "and":
                continue
            k = j
            while k > 0 and seps[k - 1] == "," and 0 < len(items[k]) <= maxw:
                k -= 1
            if j + 1 - k + 1 < scoring.list_items or not items[k] or not items[j + 1]:
                continue
            if not 0 < len(items[j]) <= maxw:
                continue
            spans = [(items[i][0][0], items[i][-1][1]) for i in range(k + 1, j + 1)]
            first, last = items[k][-maxw:], items[j + 1][:maxw]
            spans = [(first[0][0], first[-1][1]), *spans, (last[0][0], last[-1][1])]
            yield spans[0][0], spans[-1][1], spans

    for m in _LIST_TOKEN.finditer(text, start, end):
        tok = m.group(0)
        if m.group("word"):
            if tok.casefold() in scoring.list_joiners:
                if not items[-1] and seps and seps[-1] == ",":
                    seps[-1] = "and"  # the serial comma: "A, B, and C"
                else:
                    seps.append("and")
                    items.append([])
            else:
                items[-1].append(m.span())
        elif tok == ",":
            seps.append(",")
            items.append([])
        else:  # any other punctuation ends the clause
            yield from flush()
            items, seps = [[]], []
    yield from flush()
