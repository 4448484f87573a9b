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
