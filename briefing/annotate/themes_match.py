"""Every term of a taxonomy found in one pass over a text.

Scanning the text once per theme costs a regex pass per cue list (about eighty), each
paying a look-behind at every character. Instead, every term knows how its matches
start (its prefixes: "sanc" for sanction, "us" and "u.s" for U.S.). One regex built as a
trie of all prefixes finds, in C, the word starts that can open some term; there, one
regex for that prefix tries every term filed under it or under a shorter prefix of it,
each set of terms behind its own look-ahead, so overlapping terms of different themes
are all found. The work is linear in the length of the text.

The word starts are found in the lower-cased text, by the longer *leads* of the terms
("the security" rather than "the"), and only after a non-word character (a character
class the engine scans for quickly): most words then cost nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from .. import recache
from ..knowledge import derived
from ..knowledge.themes import (
    _APOS,
    _HYPHEN,
    _SEP,
    LEAD_APOSTROPHE,
    LEAD_HYPHEN,
    Taxonomy,
    Terms,
    longest_first,
)
from .folding import NON_WORD, ci_first, lowered
from .title import labelled_themes


@dataclass(frozen=True)
class Channel:
    """What a match stands for: a cue list, a conditional cue or one of their contexts."""

    kind: str  # "cue" | "cond" | "requires" | "excludes" | "ignore" | "theme_excludes"
    theme: str
    key: str | int | None = None  # the weight of a cue list, the index of a conditional cue


def _sets(taxonomy: Taxonomy) -> list[tuple[Channel, Terms]]:
    """Every list of terms of the taxonomy, with what its matches stand for."""
    sets: list[tuple[Channel, Terms]] = []
    for theme in taxonomy.themes.values():
        for weight, terms in theme.plain.items():
            sets.append((Channel("cue", theme.id, weight), terms))
        for k, cue in enumerate(theme.conditional):
            sets.append((Channel("cond", theme.id, k), cue.terms))
            if cue.requires is not None:
                sets.append((Channel("requires", theme.id, k), cue.requires))
            if cue.excludes is not None:
                sets.append((Channel("excludes", theme.id, k), cue.excludes))
        if theme.ignore is not None:
            sets.append((Channel("ignore", theme.id), theme.ignore))
        if theme.excludes is not None:
            sets.append((Channel("theme_excludes", theme.id), theme.excludes))
    return sets


class Matcher:
    """All the terms of a taxonomy, filed by prefix."""

    def __init__(self, taxonomy: Taxonomy):
        sets = _sets(taxonomy)
        self._sets = sets
        # start -> (set, item, body) of each term filed under it
        self._by_start: dict[str, list[tuple[int, int, str]]] = {}
        for k, (_, terms) in enumerate(sets):
            for item, (body, starts, _) in enumerate(terms.items):
                for start in starts:
                    self._by_start.setdefault(start, []).append((k, item, body))
        prefixes = {p for _, terms in sets for _, starts, _ in terms.items for p in starts}
        # where a term can start: its leads (the prefixes when it has none)
        leads = {
            lead
            for _, terms in sets
            for _, starts, leads in terms.items
            for lead in leads or starts
        }
        self._trigger = None
        if prefixes:
            # the prefix at a word start (the key of its regex), as a plain scan would find it
            self._prefix = recache.compile(_trie(prefixes, ci=True), re.I)
            # (the text is scanned with a space before it, for a lead that opens it)
            self._trigger = recache.compile(rf"{NON_WORD}(?={_trie(leads, marks=True)})")
            # lower case and the leads agree only on ASCII (but for the letters below)
            self._ascii = all(lead.isascii() for lead in leads)
        # the regex of a prefix is compiled the first time a word starts with it
        self._dispatch: dict[str, tuple[re.Pattern, tuple[Channel, ...]]] = {}

    def scan(self, text: str) -> list[tuple[int, int, Channel]]:
        """Every match in ``text`` as (start, end, channel), in text order."""
        out: list[tuple[int, int, Channel]] = []
        if self._trigger is None:
            return out
        dispatch = self._dispatch
        end = 0  # a scan for prefixes goes on after the one it found
        for pos in self._starts(text):
            if pos < end:
                continue
            found = self._prefix.match(text, pos)
            if found is None:
                continue
            end = found.end()
            prefix = found.group(0).lower()
            compiled = dispatch.get(prefix) or self._build(prefix)
            regex, channels = compiled
            m = regex.match(text, pos)
            if m.lastindex is None:
                continue
            for channel, (start, stop) in zip(channels, m.regs[1:], strict=True):
                if start >= 0:
                    out.append((start, stop, channel))
        return out

    def _starts(self, text: str) -> list[int]:
        """The word starts where a lead begins, in order."""
        low = lowered(text)
        if not self._ascii or len(low) != len(text):  # never with the shipped data
            return [m.start() for m in re.finditer(r"\b\w", text)]
        return [m.start() for m in self._trigger.finditer(" " + low)]

    def _build(self, prefix: str):
        # the terms filed under the prefix or a shorter prefix of it, by set, in order
        chosen: dict[int, list[tuple[int, str]]] = {}
        for i in range(1, len(prefix) + 1):
            for k, item, body in self._by_start.get(prefix[:i], ()):
                chosen.setdefault(k, []).append((item, body))
        parts, channels = [], []
        for k, (channel, _) in enumerate(self._sets):
            bodies = [body for _, body in sorted(set(chosen.get(k, ())))]
            if bodies:
                # each set behind its own look-ahead: a match of one never hides another's
                parts.append(r"(?:(?=((?:" + longest_first(bodies) + r")(?!\w)))|)")
                channels.append(channel)
        compiled = self._dispatch[prefix] = (recache.compile("".join(parts), re.I), tuple(channels))
        return compiled


# what a space, ~ and ` of a lead stand for, as in the terms
_LEAD_MARKS = {" ": _SEP, LEAD_HYPHEN: _HYPHEN, LEAD_APOSTROPHE: _APOS}


def _trie(words: set[str], marks: bool = False, ci: bool = False) -> str:
    """A regex matching the longest of ``words`` that starts at a position, as a trie:
    one branch per letter, so the engine never tries the words one by one. With
    ``marks``, those of a lead (see :func:`briefing.knowledge.themes._leads`) stand for
    their patterns; with ``ci``, for a case-insensitive regex, letters open their
    branches as classes (see :func:`.ci_first`)."""
    table = _LEAD_MARKS if marks else {}
    escape = ci_first if ci else re.escape
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        branches = [
            (table.get(ch) or escape(ch)) + walk(child) for ch, child in sorted(node.items()) if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return walk(tree)


class LexiconEdit:
    """What an edit of the terms of a taxonomy's lexicon can change: the texts that hold
    (the start of) a term added or removed, and the articles whose derived titles show
    a label changed. Made by :func:`lexicon_edit`."""

    def __init__(self, leads: set[str], starts: set[str], relabelled: frozenset[str] = frozenset()):
        self.relabelled = relabelled
        # a match of a term begins with one of its leads in the lower-cased text (the
        # matcher finds it there, see Matcher._starts), and with a prefix of the prefix
        # table in the text (case aside); a prefix added or removed moves where the scan
        # of the words goes on (Matcher.scan), where the text holds it
        self._leads = recache.compile(_trie(leads, marks=True)) if leads else None
        self._starts = recache.compile(_trie(starts, ci=True), re.I) if starts else None

    def touches(self, text: str, article=None) -> bool:
        """Whether the annotations of ``text`` may differ after the edit (if not, they do
        not): its themes, or the title of ``article`` (``text`` annotated as it was, full
        or slim; without it, any text may have a title with a label changed)."""
        if self.relabelled and (
            article is None or self.relabelled.intersection(labelled_themes(article))
        ):
            return True
        if self._leads is None and self._starts is None:
            return False
        low = lowered(text)
        if len(low) != len(text):  # the matcher looks at every word start of such a text
            return True
        if self._leads is not None and self._leads.search(low):
            return True
        return self._starts is not None and self._starts.search(text) is not None


def lexicon_edit(old: Taxonomy, new: Taxonomy) -> LexiconEdit | None:
    """How ``new`` differs from ``old`` for the annotators, when only terms were added to
    or removed from lists that both have, and labels, descriptions or IPTC codes were
    edited; None when anything else differs (a theme, its threshold, a list, a weight,
    the scoring, the order of terms): then every article's themes may change.

    An article annotated with ``old`` that the edit does not :meth:`touch
    <LexiconEdit.touches>` has the same annotations with ``new``: the themes annotator
    reads the taxonomy only through the matches of its terms (:class:`Matcher`), its
    themes' ids, order and thresholds, and the scoring; the editor's themes read the
    ids; a title the labels of the themes :func:`~.title.labelled_themes` names; no
    annotator reads a description or an IPTC code (pages show them).
    """
    if old.scoring != new.scoring or list(old.themes) != list(new.themes):
        return None
    relabelled = frozenset(t for t, a in old.themes.items() if a.label != new.themes[t].label)
    for tid, a in old.themes.items():
        b = new.themes[tid]
        if a.threshold != b.threshold:
            return None
        weights = [c.weight for c in a.conditional], [c.weight for c in b.conditional]
        if weights[0] != weights[1]:
            return None
    before, after = _sets(old), _sets(new)
    if [ch for ch, _ in before] != [ch for ch, _ in after]:
        return None
    leads: set[str] = set()
    for (_, x), (_, y) in zip(before, after, strict=True):
        xs, ys = _items(x), _items(y)
        in_x, in_y = set(xs), set(ys)
        if [i for i in xs if i in in_y] != [i for i in ys if i in in_x]:
            return None  # terms in another order: a match may take another term
        for _, starts, item_leads in in_x ^ in_y:
            leads.update(item_leads or starts)
    prefixes = []
    for sets in (before, after):
        items = [item for _, terms in sets for item in terms.items]
        if not all(lead.isascii() for _, starts, ls in items for lead in ls or starts):
            return None  # the matcher reads every word start of every text
        prefixes.append({p for _, starts, _ in items for p in starts})
    return LexiconEdit(leads, prefixes[0] ^ prefixes[1], relabelled)


def without_terms(taxonomy: Taxonomy) -> str:
    """``taxonomy`` but its terms, as a string: the same for two taxonomies
    :func:`lexicon_edit` finds differ in terms alone (what it compares, this holds).
    Pages show a theme's id, label, description and IPTC codes, never its terms."""
    themes = [
        (t.id, t.label, t.description, t.iptc, t.threshold, [c.weight for c in t.conditional])
        for t in taxonomy.themes.values()
    ]
    scoring = []  # its fields (not what is cached on it), sets sorted: their order varies
    for f in fields(taxonomy.scoring):
        v = getattr(taxonomy.scoring, f.name)
        scoring.append((f.name, sorted(v) if isinstance(v, (set, frozenset)) else v))
    return repr((scoring, themes, [ch for ch, _ in _sets(taxonomy)]))


def _items(terms: Terms) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """The terms' items with their starts and leads sorted: the matcher files them in
    sets, and a set's order differs from one process to the next."""
    return [(body, tuple(sorted(s)), tuple(sorted(ls))) for body, s, ls in terms.items]


def matcher(taxonomy: Taxonomy) -> Matcher:
    """The taxonomy's matcher, built once and kept with it."""
    return derived(taxonomy, "_matcher", Matcher)
