"""Reading words: one split per run of sentences, apostrophes mended, words cut per sentence."""

from __future__ import annotations

import pytest

from briefing import segment
from briefing.annotate import mentions, speakers
from briefing.model import Sentence

from .test_speakers import kb  # noqa: F401  (the fixture)


def read(kb, text: str, quotes=()):  # noqa: F811
    sents = [Sentence(s, e, text[s:e], 0, "paragraph") for s, e in segment.split(text)]
    bounds = [x for q in quotes for x in q]
    return mentions.read_sentences(text, sents, 0, bounds, speakers.lexicon(kb))


def words(sw) -> list[str]:
    return sw.text[sw.a : sw.b]


@pytest.mark.parametrize(
    ("text", "expected", "possessive"),
    [
        ("Iran's president spoke.", ["Iran", "president", "spoke"], ["Iran"]),
        ("Iran\u2019s president spoke.", ["Iran", "president", "spoke"], ["Iran"]),
        ("O'Brien's visit ended.", ["O'Brien", "visit", "ended"], ["O'Brien"]),
        ("The Arba'een walk began.", ["The", "Arba'een", "walk", "began"], []),
        ("They played rock'n'roll loudly.", ["They", "played", "rock'n'roll", "loudly"], []),
        ("The Americans' role grew.", ["The", "Americans", "role", "grew"], []),
        ("Iran\u02bcs delegates left.", ["Iran\u02bcs", "delegates", "left"], []),  # a letter
    ],
)
def test_words_and_possessives(kb, text, expected, possessive):  # noqa: F811
    (sw,) = read(kb, text)
    assert words(sw) == expected
    assert [sw.text[i] for i in range(sw.a, sw.b) if sw.poss[i]] == possessive


def test_a_possessive_breaks_a_name_and_offsets_are_exact(kb):  # noqa: F811
    text = "Iran's Raisi met Kadhimi."
    (sw,) = read(kb, text)
    raisi = sw.text.index("Raisi")
    assert not sw.join[raisi]  # "Iran's Raisi" is no name of two words
    for i in range(sw.a, sw.b):
        assert text[sw.ws[i] : sw.we[i]] == sw.text[i]


def test_each_sentence_gets_its_own_words_marks_and_cues(kb):  # noqa: F811
    text = "Raisi said Iran is ready. The talks went on. Xy. Kadhimi stressed unity."
    sws = read(kb, text)
    assert [words(sw) for sw in sws if sw is not mentions.BLANK] == [
        ["Raisi", "said", "Iran", "is", "ready"],
        ["The", "talks", "went", "on"],
        ["Kadhimi", "stressed", "unity"],
    ]
    assert sws[2] is mentions.BLANK  # one word: names and says nothing
    first, second, _, last = sws
    assert [first.text[i] for i in first.marks] == ["Raisi", "Iran"]
    assert [first.text[i] for i in first.cues] == ["said"]
    assert second.cues == [] and [last.text[i] for i in last.cues] == ["stressed"]
    # a sentence's first word opens a clause and joins nothing before it
    assert second.segment()[0] == second.a


def test_words_inside_a_quotation(kb):  # noqa: F811
    text = "Raisi said \u201cwe are ready\u201d today."
    start = text.index("we")
    (sw,) = read(kb, text, quotes=[(start, text.index("\u201d"))])
    assert [sw.text[i] for i in range(sw.a, sw.b) if sw.inq[i]] == ["we", "are", "ready"]


def test_lower_case_words_that_start_no_name_are_not_looked_at(kb):  # noqa: F811
    # a verb is found as a cue, not as a mark; "al-" may open a name in lower case
    (sw,) = read(kb, "Raisi said al-Kadhimi left.")
    assert [sw.text[i] for i in sw.marks] == ["Raisi", "al", "Kadhimi"]
