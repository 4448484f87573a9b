"""Quotations: which marks open and close, across paragraphs, apostrophes and nesting."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.annotate import quotes as q
from briefing.annotate.quotes import find_quotes


def blocks_of(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for part in text.split("\n\n"):
        start = text.index(part, pos)
        pos = start + len(part)
        out.append((start, pos))
    return out


def quoted(text: str) -> list[str]:
    return [text[x.start : x.end] for x in find_quotes(text, blocks_of(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u201cWe are ready,\u201d he said.", ["We are ready,"]),
        ('He said: "We are ready." Then he left.', ["We are ready."]),
        ("Raisi said \u00abIran is ready\u00bb on Monday.", ["Iran is ready"]),
        ("He said \u2018we are ready\u2019 on Monday.", ["we are ready"]),
        # apostrophes are no marks: inside a word, a possessive, a plural possessive
        ("Iran\u2019s stance and the Americans' role in Arba'een are clear.", []),
        # a single quotation inside a double one does not close it
        (
            'He said: "The \u2018resistance\u2019 is strong." Then he left.',
            ["The \u2018resistance\u2019 is strong."],
        ),
        # a closing mark with nothing open is a stray mark
        ("The talks ended.\u201d Then \u201cwe left\u201d.", ["we left"]),
        # word"word flips the state
        ('He called it a"new"era.', ["new"]),
        # ' before a number opens nothing
        ("The '90s and '\u00b2 were long.", []),
    ],
)
def test_quotations(text, expected):
    assert quoted(text) == expected


def test_a_quotation_continued_in_the_next_paragraph_is_one():
    text = "He said: \u201cWe are ready.\n\n\u201cWe will help.\u201d\n\nThe end."
    assert quoted(text) == ["We are ready.\n\n\u201cWe will help."]


def test_an_unclosed_quotation_ends_with_its_paragraph():
    text = "He said: \u201cWe are ready.\n\nThe talks ended."
    found = find_quotes(text, blocks_of(text))
    assert [text[x.start : x.end] for x in found] == ["We are ready."]
    assert found[0].closed is False


# -- the regex per state finds what a mark-by-mark reading finds ---------------------------

_MARK = re.compile(
    "[" + re.escape(q._DOUBLE_OPEN + q._DOUBLE_CLOSE + '"') + "]"
    r"|(?<![^\W_])['\u2018\u2019]|['\u2018\u2019](?![^\W_])"
)


def reference(text: str, blocks: list[tuple[int, int]]) -> list[tuple[int, int, bool, bool]]:
    """The rules of quotes.py applied one mark at a time (slow and plain)."""
    out, open_at, single, nested = [], None, False, 0
    for b, (lo, hi) in enumerate(blocks):
        i = lo
        if open_at is not None:
            while i < hi and text[i].isspace():
                i += 1
            if i < hi and text[i] in q._MARKS and q._side(text, i, lo, hi, False) == "open":
                i += 1
        for m in _MARK.finditer(text, i, hi):
            i, ch = m.start(), m.group()
            double = ch == '"' or ch in q._DOUBLE_OPEN or ch in q._DOUBLE_CLOSE
            if open_at is None:
                if ch in q._DOUBLE_OPEN or (
                    ch not in q._DOUBLE_CLOSE and q._side(text, i, lo, hi, False) == "open"
                ):
                    open_at, single, nested = i + 1, not double, 0
            elif single and double:
                continue
            elif double or single:
                side = q._side(text, i, lo, hi, True)
                if side == "close" and (double or nested == 0):
                    out.append((open_at, i, True, single))
                    open_at = None
                elif side == "open" and double:
                    open_at, nested = i + 1, 0
                elif side:
                    nested += 1 if side == "open" else -1
            else:
                side = q._side(text, i, lo, hi, nested > 0)
                nested += 1 if side == "open" else -1 if side == "close" and nested else 0
        if open_at is None:
            continue
        nxt = blocks[b + 1] if b + 1 < len(blocks) else None
        if not single and nxt is not None:
            first = q._first_double(text, *nxt)
            j = nxt[0]
            while j < nxt[1] and text[j].isspace():
                j += 1
            if (j < nxt[1] and text[j] in q._MARKS and first == "open") or first == "close":
                nested = 0
                continue
        if not single:
            end = hi
            while end > open_at and text[end - 1].isspace():
                end -= 1
            out.append((open_at, end, False, single))
        open_at = None
    return out


PIECES = ['"', "\u201c", "\u201d", "'", "\u2018", "\u2019", "\u00ab", "\u00bb", "\u201e"]
PIECES += [" ", "a", "s", "1", ".", ",", "(", "-", ":", "\u00b2", " word", "\n\n"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_the_regexes_agree_with_a_mark_by_mark_reading(pieces):
    text = "".join(pieces)
    blocks = blocks_of(text)
    found = [(x.start, x.end, x.closed, x.single) for x in find_quotes(text, blocks)]
    assert found == reference(text, blocks)
