"""Quotations: the stretches of text between quotation marks, found in one linear pass.

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

_DOUBLE_OPEN = "\u201c\u00ab\u201e"  # “ « „
_DOUBLE_CLOSE = "\u201d\u00bb"  # ” »
_SINGLE_OPEN = "\u2018"  # ‘
_SINGLE_CLOSE = "\u2019"  # ’
_MARKS = frozenset(_DOUBLE_OPEN + _DOUBLE_CLOSE + _SINGLE_OPEN + _SINGLE_CLOSE + "\"'")
# An apostrophe inside a word ("Iran's", "Arba'een") is never a mark: the pattern skips it.
_MARK_RE = re.compile(
    "[" + re.escape(_DOUBLE_OPEN + _DOUBLE_CLOSE + '"') + "]"
    r"|(?<![^\W_])['\u2018\u2019]|['\u2018\u2019](?![^\W_])"
)
_DOUBLE_RE = re.compile("[" + re.escape(_DOUBLE_OPEN + _DOUBLE_CLOSE + '"') + "]")
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
        for m in _MARK_RE.finditer(text, i, hi):
            i, ch = m.start(), m.group()
            is_double = ch == '"' or ch in _DOUBLE_OPEN or ch in _DOUBLE_CLOSE
            if open_at is None:
                if ch in _DOUBLE_OPEN or (
                    ch not in _DOUBLE_CLOSE and _side(text, i, lo, hi, False) == "open"
                ):
                    open_at, single, nested = i + 1, not is_double, 0
                continue
            if single and is_double:
                continue  # a double mark inside a single quotation: a nested title
            if is_double or single:
                if ch in _DOUBLE_CLOSE:  # typographic marks say their side: no context needed
                    side = "close"
                elif ch in _DOUBLE_OPEN:
                    side = "open"
                else:
                    side = _side(text, i, lo, hi, True)
                if side == "close" and (is_double or nested == 0):
                    out.append(Quote(open_at, i, True, single))
                    open_at = None
                elif side == "open" and is_double:
                    open_at, nested = i + 1, 0  # the previous one was never closed
                elif side == "close":
                    nested -= 1
                elif side == "open":
                    nested += 1
            else:  # a single mark inside a double quotation
                side = _side(text, i, lo, hi, nested > 0)
                if side == "open":
                    nested += 1
                elif side == "close" and nested:
                    nested -= 1
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
