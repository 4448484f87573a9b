"""An article's text in lower case, as the annotators that scan it for words read it.

The dates grammar, the themes matcher and the date anchors each look for lower-case
words in the text; lowering a text of wide characters (curly quotes make most articles
UCS-2) costs a table look-up per character, so the last text lowered is kept.
"""

from __future__ import annotations

import re

# Case-insensitive matching equates these with ASCII letters, str.lower() does not.
FOLDS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
FOLD_TABLE = str.maketrans(FOLDS)
# what re.I matches a lower-case ASCII letter with (those letters and their capitals)
CASES = {c: c + c.upper() for c in "abcdefghijklmnopqrstuvwxyz"}
CASES.update(i="iI\u0130\u0131", s="sS\u017f", k="kK\u212a")

# A non-word character (\W) as a class that the regex engine tests with a bit table,
# then a look-behind that tells the rare non-ASCII letter apart: a class of a category
# costs a look-up in the Unicode database at every character of a scan.
NON_WORD = r"[^0-9A-Za-z_](?<=\W)"
# A digit (\d): every one besides 0-9 is at U+0660 or above.
DIGIT = r"[0-9\u0660-\U0010ffff](?<=\d)"

_last: tuple[str, str] = ("", "")


def lowered(text: str) -> str:
    """``text`` in lower case, the letters of :data:`FOLDS` folded first."""
    global _last
    if text is _last[0]:
        return _last[1]
    if any(ch in text for ch in FOLDS):
        low = text.translate(FOLD_TABLE).lower()
    else:
        low = text.lower()
    _last = (text, low)  # (the text is held, so no other can be at its address)
    return low


def ci_first(ch: str) -> str:
    """``ch``, the first character of a case-insensitive alternative, as a case-sensitive
    class of what re.I matches it with ("[tT]" for "t").

    The regex engine passes over an alternative that opens with a plain character or
    class at a glance when the text holds another there; a case-insensitive letter makes
    it enter the alternative to find out, one after the other.
    """
    if ch.isascii() and ch.isalpha():
        return f"(?-i:[{CASES[ch.lower()]}])"
    return re.escape(ch)
