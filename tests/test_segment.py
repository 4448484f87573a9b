"""Sentence segmentation: offsets, abbreviations, initials, quotations."""

from __future__ import annotations

import pytest

from briefing.segment import split


def sentences(text):
    return [text[s:e] for s, e in split(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Talks were held. Both sides agreed.", ["Talks were held.", "Both sides agreed."]),
        (
            "Iran hosted talks between Iran and S. Arabia in Baghdad. Raisi spoke.",
            ["Iran hosted talks between Iran and S. Arabia in Baghdad.", "Raisi spoke."],
        ),
        (
            "The U.S. forces will leave. Iraq agreed.",
            ["The U.S. forces will leave.", "Iraq agreed."],
        ),
        ("He met the U.S. The meeting ended.", ["He met the U.S.", "The meeting ended."]),
        (
            "Gen. Qassem Soleimani was killed on Jan. 3, 2020. Iran vowed revenge.",
            ["Gen. Qassem Soleimani was killed on Jan. 3, 2020.", "Iran vowed revenge."],
        ),
        (
            "J. Biden and Mr. Kadhimi met. They spoke.",
            ["J. Biden and Mr. Kadhimi met.", "They spoke."],
        ),
        (
            "\u201cWe are ready. We will help,\u201d he said. Then he left.",
            ["\u201cWe are ready.", "We will help,\u201d he said.", "Then he left."],
        ),
        ('"Is it true?" he asked. "Yes."', ['"Is it true?" he asked.', '"Yes."']),
        ("The price rose 3.5 percent. Trade grew.", ["The price rose 3.5 percent.", "Trade grew."]),
        ("No end here", ["No end here"]),
        ("", []),
    ],
)
def test_split(text, expected):
    assert sentences(text) == expected


def test_offsets_are_into_the_text():
    text = "  One. Two!  Three?"
    assert split(text) == [(2, 6), (7, 11), (13, 19)]


def _reference_split(text, start=0, end=None):
    """The first, character-by-character version of :func:`split`, kept as its specification."""
    from briefing.segment import _BOUNDARY, _OPENERS, _SENTENCE_STARTERS, ABBREVIATIONS

    def is_break(punct_start, after):
        j, n = after, len(text)
        while j < n and text[j] in " \t\r\n\u00a0":
            j += 1
        if j >= n:
            return True
        nxt = text[j]
        if nxt.islower() or not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
            return False
        if text[punct_start] != ".":
            return True
        k, floor = punct_start, max(0, punct_start - 40)
        while k > floor and text[k - 1].isascii() and (text[k - 1].isalpha() or text[k - 1] == "."):
            k -= 1
        while k < punct_start and not text[k].isalpha():
            k += 1
        if k == punct_start:
            return True
        bare = text[k:punct_start].rstrip(".")
        if "." in bare:
            k = j
            while k < n and text[k].isalpha():
                k += 1
            return text[j:k].lower() in _SENTENCE_STARTERS
        if len(bare) == 1 and bare.isupper():
            return False
        return bare.lower() not in ABBREVIATIONS

    end = len(text) if end is None else end
    spans, cur = [], start
    for m in _BOUNDARY.finditer(text, start, end):
        if m.end() < end and not text[m.end()].isspace():
            continue
        if is_break(m.start(), m.end()):
            spans.append((cur, m.end()))
            cur = m.end()
    spans.append((cur, end))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def test_split_as_the_reference_does():
    """Random texts of the pieces that matter (marks, spaces, abbreviations, initials)."""
    import random

    rng = random.Random(7)
    pieces = [
        "Talks", "were", "held", "U.S.", "Gen.", "Jan.", "S.", "e.g.", "the", "The", "3.5",
        "said", ".", "...", "!", "?", "\u2026", "\u201d", '"', ")", "\u201c", "(", " ", "  ",
        "\n", "\u00a0", "\u2003", "\t", "x", "It", "2020", "a.b.c.", "Mr", "no", "\u00e9t\u00e9",
    ]  # fmt: skip
    for _ in range(3000):
        text = "".join(
            rng.choice(pieces) + rng.choice(["", " ", ""]) for _ in range(rng.randint(0, 30))
        )
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        assert split(text) == _reference_split(text)
        assert split(text, start, end) == _reference_split(text, start, end), (text, start, end)
