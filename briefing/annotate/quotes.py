"""Quotations: the stretches of text between quotation marks, found in one linear pass.

The pass is a few regex searches per quotation: each state (outside, inside a double or
a single quotation) has a regex that finds the next mark that matters there and tells
its side from its neighbours, so a flood of marks costs little Python.

Wire copy mixes every kind of mark (“ ” " « » ‘ ’ '), sometimes in one quotation
("... Palestine.”), and uses ’ and ' as apostrophes too (Iran’s, Americans').
Curly and guillemet marks say which side they are on; a straight mark is an opener
after a space and a closer before one. Single marks open only after a non-letter and
close only a single quotation that is open, so apostrophes never count.

A paragraph that ends inside a quotation continues it into the next paragraph when that
one opens with a quotation mark (the classic convention) or closes a quotation before
opening one; otherwise the quotation ends with its paragraph (a missing closing mark).
A closing mark with nothing open (a stray mark) is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import recache

_DOUBLE_OPEN = "\u201c\u00ab\u201e"  # “ « „
_DOUBLE_CLOSE = "\u201d\u00bb"  # ” »
_SINGLE_OPEN = "\u2018"  # ‘
_SINGLE_CLOSE = "\u2019"  # ’
_MARKS = frozenset(_DOUBLE_OPEN + _DOUBLE_CLOSE + _SINGLE_OPEN + _SINGLE_CLOSE + "\"'")
_DOUBLE_RE = recache.compile("[" + re.escape(_DOUBLE_OPEN + _DOUBLE_CLOSE + '"') + "]")
_LEFT_OPEN = " \t\r\n\u00a0([{\u2014\u2013-/:"  # a straight mark after these opens
_RIGHT_CLOSE = " \t\r\n\u00a0.,;:!?)]}\u2014\u2013-"  # ... and before these closes


@dataclass(frozen=True)
class Quote:
    start: int  # first character inside the marks
    end: int  # end of the quoted words (exclusive), before the closing mark
    closed: bool  # False when the paragraph ended without a closing mark
    single: bool  # opened with a single mark


def _side(text: str, i: int, lo: int, hi: int, is_open: bool) -> str | None:
    """'open', 'close' or None for the straight or typographic mark at ``i``."""
    ch = text[i]
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    if ch in _DOUBLE_OPEN:
        return "open"
    if ch in _DOUBLE_CLOSE:
        return "close"
    if ch == _SINGLE_OPEN:
        return None if prev.isalnum() else "open"
    if ch == _SINGLE_CLOSE:
        return "close" if is_open and not nxt.isalnum() else None
    left, right = prev in _LEFT_OPEN, nxt in _RIGHT_CLOSE
    if ch == "'":  # mostly an apostrophe: open only before a letter, close only if open
        if left and nxt.isalpha():
            return "open"
        return "close" if is_open and not nxt.isalnum() and not prev.isspace() else None
    if left and not right:
        return "open"
    if right and not left:
        return "close"
    if not left and not right:  # word"word: flip the state
        return "close" if is_open else "open"
    return None


def _first_double(text: str, lo: int, hi: int) -> str | None:
    """The side of the first double quotation mark in text[lo:hi], if any."""
    m = _DOUBLE_RE.search(text, lo, hi)
    return _side(text, m.start(), lo, hi, False) if m else None


# The side of a mark from its neighbours, as lookarounds right after the mark (so that
# the regex scans for the mark itself, fast): a straight mark after a space opens and
# before a space closes (the edges of a block count as spaces); with words on both sides
# ("word"word) it flips the state; with spaces on both it is nothing. ‘ opens after a
# non-letter, ' before a letter after a space; ’ and ' close before a non-letter (' not
# after a space): an apostrophe inside a word is none of these.
_L, _R = re.escape(_LEFT_OPEN), re.escape(_RIGHT_CLOSE)
_D_OPEN = f'(?<=[{_DOUBLE_OPEN}])|(?<=")(?<![^{_L}]")(?=[^{_R}])'
_D_CLOSE = f'(?<=[{_DOUBLE_CLOSE}])|(?<=[^{_L}]")(?![^{_R}])'
_D_FLIP = f'(?<=[^{_L}]")(?=[^{_R}])'
_S_OPEN = f"(?<={_SINGLE_OPEN})(?<![^\\W_]{_SINGLE_OPEN})"
_APOSTROPHE = f"(?<=')(?<![^{_L}]')(?=[^\\W\\d_])"  # opens if a letter (not "²") follows
_S_CLOSE = f"(?<=\\S')(?![^\\W_])|(?<={_SINGLE_CLOSE})(?![^\\W_])"
_DOUBLES = re.escape(_DOUBLE_OPEN + _DOUBLE_CLOSE + '"')
_SINGLES = re.escape(_SINGLE_OPEN + _SINGLE_CLOSE + "'")


def _pattern(marks: str, **kinds: str) -> re.Pattern:
    """A mark among ``marks``, of a kind: the name of the group that matched."""
    return recache.compile(
        f"[{marks}](?:" + "|".join(f"(?P<{k}>{v})" for k, v in kinds.items()) + ")"
    )


# What matters in each state, so that the marks that do not are skipped by the regex:
# outside a quotation, openers; inside a double one, double marks (single marks inside
# it are nested quotations or apostrophes); inside a single one, single marks.
_OUTSIDE = _pattern(
    _DOUBLES + _SINGLES,
    double=f"{_D_OPEN}|{_D_FLIP}",
    single=_S_OPEN,
    apostrophe=_APOSTROPHE,
)
_IN_DOUBLE = _pattern(_DOUBLES, close=f"{_D_CLOSE}|{_D_FLIP}", open=_D_OPEN)
_IN_SINGLE = _pattern(_SINGLES, open=_S_OPEN, apostrophe=_APOSTROPHE, close=_S_CLOSE)


def find_quotes(text: str, blocks: list[tuple[int, int]]) -> list[Quote]:
    """Top-level quotations in ``text``, paragraph by paragraph (``blocks``: start, end)."""
    out: list[Quote] = []
    open_at: int | None = None  # start of the open top-level quotation
    single = False  # the open quotation uses single marks
    nested = 0  # single quotations open inside it
    for b, (lo, hi) in enumerate(blocks):
        i = lo
        if open_at is not None:  # continued from the previous paragraph
            while i < hi and text[i].isspace():
                i += 1
            if i < hi and text[i] in _MARKS and _side(text, i, lo, hi, False) == "open":
                i += 1  # the mark that re-opens the continued quotation
        block = text[lo:hi]  # a slice: the lookarounds see the block's edges as spaces
        i -= lo
        while True:
            if open_at is None:
                m = _OUTSIDE.search(block, i)
                if m is None:
                    break
                kind = m.lastgroup
                if kind != "apostrophe" or block[m.end()].isalpha():
                    open_at, single, nested = lo + m.end(), kind != "double", 0
            elif not single:
                m = _IN_DOUBLE.search(block, i)
                if m is None:
                    break
                if m.lastgroup == "close":
                    out.append(Quote(open_at, lo + m.start(), True, False))
                    open_at = None
                else:
                    open_at = lo + m.end()  # the previous one was never closed
            else:
                m = _IN_SINGLE.search(block, i)
                if m is None:
                    break
                kind = m.lastgroup
                if kind == "apostrophe":
                    nested += block[m.end()].isalpha()
                elif kind == "open":
                    nested += 1
                elif nested:
                    nested -= 1
                else:
                    out.append(Quote(open_at, lo + m.start(), True, True))
                    open_at = None
            i = m.end()
        if open_at is None:
            continue
        nxt = blocks[b + 1] if b + 1 < len(blocks) else None
        if not single and nxt is not None:
            first = _first_double(text, nxt[0], nxt[1])
            j = nxt[0]
            while j < nxt[1] and text[j].isspace():
                j += 1
            starts_with_mark = j < nxt[1] and text[j] in _MARKS and first == "open"
            if starts_with_mark or first == "close":
                nested = 0
                continue
        if not single:  # an unclosed single mark was an apostrophe after all
            end = hi
            while end > open_at and text[end - 1].isspace():
                end -= 1
            out.append(Quote(open_at, end, False, single))
        open_at = None
    return out
