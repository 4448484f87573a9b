"""Every term of a taxonomy found in one pass over a text.

Scanning the text once per theme costs a regex pass per cue list (about eighty), each
paying a look-behind at every character. Instead, every term knows how its matches
start (its prefixes: "sanc" for sanction, "us" and "u.s" for U.S.). One regex built as a
trie of all prefixes finds, in C, the word starts that can open some term; there, one
regex for that prefix tries every term filed under it or under a shorter prefix of it,
each set of terms behind its own look-ahead, so overlapping terms of different themes
are all found. The work is linear in the length of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..knowledge.themes import Taxonomy, Terms, longest_first


@dataclass(frozen=True)
class Channel:
    """What a match stands for: a cue list, a conditional cue or one of their contexts."""

    kind: str  # "cue" | "cond" | "requires" | "excludes" | "ignore" | "theme_excludes"
    theme: str
    key: str | int | None = None  # the weight of a cue list, the index of a conditional cue


class Matcher:
    """All the terms of a taxonomy, filed by prefix."""

    def __init__(self, taxonomy: Taxonomy):
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
        self._sets = sets
        prefixes = {p for _, terms in sets for _, starts in terms.items for p in starts}
        # \b, not a look-behind: it fails at once between two non-word characters
        self._trigger = re.compile(r"\b" + _trie(prefixes), re.I) if prefixes else None
        # the regex of a prefix is compiled the first time a word starts with it
        self._dispatch: dict[str, tuple[re.Pattern, tuple[Channel, ...]]] = {}

    def scan(self, text: str) -> list[tuple[int, int, Channel]]:
        """Every match in ``text`` as (start, end, channel), in text order."""
        out: list[tuple[int, int, Channel]] = []
        if self._trigger is None:
            return out
        dispatch = self._dispatch
        for hit in self._trigger.finditer(text):
            prefix = hit.group(0).lower()
            compiled = dispatch.get(prefix) or self._build(prefix)
            regex, channels = compiled
            m = regex.match(text, hit.start())
            if m.lastindex is None:
                continue
            for channel, (start, end) in zip(channels, m.regs[1:], strict=True):
                if start >= 0:
                    out.append((start, end, channel))
        return out

    def _build(self, prefix: str):
        parts, channels = [], []
        for channel, terms in self._sets:
            bodies = [b for b, starts in terms.items if any(map(prefix.startswith, starts))]
            if bodies:
                # each set behind its own look-ahead: a match of one never hides another's
                parts.append(r"(?:(?=((?:" + longest_first(bodies) + r")(?!\w)))|)")
                channels.append(channel)
        compiled = self._dispatch[prefix] = (re.compile("".join(parts), re.I), tuple(channels))
        return compiled


def _trie(words: set[str]) -> str:
    """A regex matching the longest of ``words`` that starts at a position, as a trie:
    one branch per letter, so the engine never tries the words one by one."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        branches = [re.escape(ch) + walk(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return walk(tree)


def matcher(taxonomy: Taxonomy) -> Matcher:
    """The taxonomy's matcher, built once."""
    cached = taxonomy.__dict__.get("_matcher")
    if cached is None:
        cached = taxonomy.__dict__["_matcher"] = Matcher(taxonomy)
    return cached
