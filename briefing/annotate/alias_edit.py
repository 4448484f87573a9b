"""What an edit of the people's aliases in leaders.yaml can change, and what it cannot.

An editor who adds a spelling to a person ("Al-Kazemi" for Mustafa al-Kadhimi) or takes
one out changes the annotations of the articles that hold it, and of no other: the
speakers annotator reads aliases only through :func:`~.mentions.name_tables` (a phrase
table matched at a word, longest first; spellings squashed into one word; the first
words of spellings in lower case), and every other annotator reads people by id. The
build keeps the annotations of the articles an edit does not :meth:`touch
<AliasEdit.touches>` (see :mod:`briefing.carryover`); pages never show aliases, so it
keeps their pages too (:func:`without_aliases`).
"""

from __future__ import annotations

import dataclasses
import re

from ..knowledge.leaders import LeaderBase, fold_chars
from .mentions import name_tables


class AliasEdit:
    """The texts an edit of aliases may annotate otherwise: made by :func:`alias_edit`."""

    def __init__(self, words: set[str], squashed: set[str]):
        # looked for as substrings of the text's :func:`image`: a miss is sure
        self._words = _any_of(words)
        self._squashed = _any_of(squashed)

    def touches(self, text: str, article=None) -> bool:
        """Whether the annotations of ``text`` may differ after the edit (if not, they do
        not); ``article`` (``text`` annotated) is not needed."""
        if self._words is None and self._squashed is None:
            return False
        seen = image(text)
        if self._words is not None and self._words.search(seen):
            return True
        if self._squashed is None:
            return False
        return (
            self._squashed.search("".join(seen.split()).replace("-", "").replace(".", ""))
            is not None
        )


def image(text: str) -> str:
    """``text`` folded character by character (:func:`~briefing.knowledge.leaders.fold_chars`):
    every word the annotator reads (it has no hyphen, dot or space), folded, is a piece of
    it, and the words of a name, joined, a piece of it without spaces, hyphens and dots.
    An ASCII word folds to itself in lower case: so does an ASCII text."""
    return text.lower() if text.isascii() else fold_chars(text)


def _any_of(strings: set[str]):
    if not strings:
        return None
    return re.compile("|".join(re.escape(s) for s in sorted(strings)))


def alias_edit(old: LeaderBase, new: LeaderBase) -> AliasEdit | None:
    """How ``new`` differs from ``old`` for the annotators when only aliases were added,
    removed or reordered; None when anything else differs (a name, a surname, an office,
    a term, a country, the order of people), or when the longest spelling's length does
    (the annotator looks that far for a name at any capital): then every article may change.

    A spelling whose ids changed matters only where the text holds it, its words joined
    by spaces, hyphens or dots, or by nothing (its squashed form is in the text without
    them); but where its first word starts no spelling before or after the edit, any
    text with that word may be read otherwise (it starts a name now, or no longer), and
    so any with the first word of a spelling written in lower case now or no longer.
    """
    if without_aliases(old) != without_aliases(new):
        return None
    (a, a_squashed, a_lower), (b, b_squashed, b_lower) = name_tables(old), name_tables(new)
    if a.longest != b.longest:
        return None
    words: set[str] = set(a_lower ^ b_lower)
    squashed = {
        k for k in a_squashed.keys() | b_squashed.keys() if a_squashed.get(k) != b_squashed.get(k)
    }
    pa, pb = a.phrases(), b.phrases()
    for ph in pa.keys() | pb.keys():
        if pa.get(ph) == pb.get(ph):
            continue
        if (ph[0] in a.heads) != (ph[0] in b.heads):
            words.add(ph[0])
        else:
            squashed.add("".join(ph))
    return AliasEdit(words, squashed)


def without_aliases(leaders: LeaderBase) -> str:
    """``leaders`` but the people's aliases, as a string: the same for two bases that
    :func:`alias_edit` finds differ in aliases alone. Pages show people's names, roles and
    terms, never their aliases."""
    return repr(
        (
            list(leaders.countries.values()),
            list(leaders.offices.values()),
            [dataclasses.replace(p, aliases=[]) for p in leaders.people.values()],
        )
    )
