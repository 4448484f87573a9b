"""Sentence segmentation with character offsets, in one linear pass.

A period ends a sentence unless it closes an abbreviation ("Gen.", "Sept."), an
initial ("S. Arabia", "J. Biden") or a dotted acronym followed by a name
("U.S. forces", "the U.N. Security Council"). Closing quotes and brackets after the
final punctuation stay with their sentence; a quotation that runs over several
sentences is split like any other text, and the speakers annotator follows the
quote across the pieces.
"""

from __future__ import annotations

import re

from . import recache

# Words that end with a period but rarely end a sentence.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen lt col maj capt cmdr adm sgt rev st sr jr messrs hon gov sen rep
    pres amb brig lieut supt insp
    jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun
    no nos vol vols art para fig figs ch sec pp p
    inc ltd co corp bros dept univ assn est approx vs etc al cf ie eg viz
    """.split()
)

# After a dotted acronym ("U.S.") a sentence starts only with one of these words.
_SENTENCE_STARTERS = frozenset(
    """
    the a an he she it they we i you this that these those there his her its their our
    in on at but and or so yet however meanwhile also after before when while if as
    earlier later since during according
    """.split()
)

_CLOSERS = "\"'\u201d\u2019)]\u00bb"
_OPENERS = "\"'\u201c\u2018([\u00ab"
# No lookahead here: a run of dots must be matched once, not retried from every dot.
# A character class opens it (not a repeat: "X+" as "XX*"), so that the engine skips
# to the next mark instead of trying the pattern at every character.
_BOUNDARY = recache.compile(r"[.!?\u2026][.!?\u2026]*[" + re.escape(_CLOSERS) + r"]*")
_SPACES = recache.compile("[ \t\r\n\u00a0]*")
_LETTERS_DOT = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz."


def _is_break(text: str, punct_start: int, after: int) -> bool:
    """Decide whether the punctuation at ``punct_start`` ends a sentence."""
    # the next non-space character must open a sentence
    j = _SPACES.match(text, after).end()
    if j >= len(text):
        return True
    nxt = text[j]
    if nxt.islower():
        return False
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
        return False
    if text[punct_start] != ".":
        return True
    # the word the period closes: the ASCII letters and dots before it (at most 40
    # characters back), without the dots it opens with
    before = text[max(0, punct_start - 40) : punct_start]
    word = before[len(before.rstrip(_LETTERS_DOT)) :].lstrip(".")
    if not word:
        return True
    bare = word.rstrip(".")
    if "." in bare:  # dotted acronym: U.S, U.N, e.g
        k = j
        while k < len(text) and text[k].isalpha():
            k += 1
        return text[j:k].lower() in _SENTENCE_STARTERS
    if len(bare) == 1 and bare.isupper():  # an initial: "S. Arabia"
        return False
    # "Sept. 12" or "Gen. Soleimani" continue; "... in Jan. The ..." is rare
    return bare.lower() not in ABBREVIATIONS


def split(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentences; returns (start, end) offsets, trimmed."""
    end = len(text) if end is None else end
    cuts = [start]
    for m in _BOUNDARY.finditer(text, start, end):
        if m.end() < end and not text[m.end()].isspace():
            continue
        if _is_break(text, m.start(), m.end()):
            cuts.append(m.end())
    cuts.append(end)
    out = []
    for s, e in zip(cuts, cuts[1:], strict=False):
        piece = text[s:e]
        kept = piece.strip()  # (str.strip takes off what str.isspace calls a space)
        if kept:
            s += len(piece) - len(piece.lstrip())
            out.append((s, s + len(kept)))
    return out
