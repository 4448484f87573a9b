"""Cleaning, specified on the seeds and on small texts of the same kind."""

from __future__ import annotations

import pytest

from briefing.clean import Cleaner, derive_title, slugify
from briefing.knowledge import cleaning
from briefing.model import RawArticle

from .conftest import REPO, SEEDS

# Every line of scraper noise in the seeds; none may reach an article body.
BOILERPLATE = [
    "All Content by Mehr News Agency is licensed under a Creative Commons Attribution 4.0 International License.",
    "News \u00a0 / \u00a0 Politics \u00a0 / \u00a0 Iraq",
    "Press TV's website can also be accessed at the following alternate addresses:",
    "www.presstv.co.uk",
    "SHARE THIS ARTICLE",
    "Press TV News Roku",
    "Read more:",
    "Iran ready to boost transportation cooperation with Iraq: Minister",
    "FM Zarif stresses Iran's commitment to stability in Iraq",
    "Iran PressIran News:",
]


@pytest.fixture(scope="module")
def cleaner():
    return Cleaner(cleaning.load(REPO / "content" / "cleaning.yaml"))


def clean_text(cleaner, body, **meta):
    return cleaner.clean(RawArticle(id="t", path=SEEDS / "t.txt", body=body, meta=meta))


@pytest.fixture(scope="module")
def seeds(cleaner):
    from briefing.read import read_article

    return {p.stem[:3]: cleaner.clean(read_article(p)) for p in sorted(SEEDS.glob("*.txt"))}


@pytest.mark.parametrize("line", BOILERPLATE)
def test_no_boilerplate_line_in_any_body(seeds, line):
    for article in seeds.values():
        assert " ".join(line.split()) not in " ".join(article.text.split())


def test_outlets_come_from_the_boilerplate(seeds):
    assert seeds["000"].outlet == "Mehr News Agency"
    assert seeds["002"].outlet == "Press TV"
    assert seeds["003"].outlet == "Iran Press"


def body_start(article):
    """The text after the dateline block, if there is one."""
    first = article.blocks[0]
    return article.text[article.blocks[1].start :] if first.kind == "dateline" else article.text


def test_datelines(seeds):
    assert seeds["000"].dateline == "TEHRAN" and body_start(seeds["000"]).startswith(
        "Iranian President"
    )
    assert seeds["000"].text.startswith("TEHRAN \u2014\n\n")
    assert seeds["001"].dateline == "TEHRAN"
    assert seeds["003"].dateline == "Tehran" and body_start(seeds["003"]).startswith("Emphasizing")
    assert seeds["004"].dateline is None and seeds["004"].blocks[0].kind == "paragraph"


def test_dateline_is_a_block_of_its_own_not_a_statement(seeds):
    a = seeds["003"]
    assert (
        a.blocks[0].kind == "dateline"
        and a.text[a.blocks[0].start : a.blocks[0].end] == "Tehran (IP) -"
    )
    assert a.sentences[0].kind == "dateline"


def test_typographic_apostrophes_inside_words_become_plain(seeds):
    text = seeds["002"].text
    assert "Arba'een" in text and "Iran's First Vice President" in text
    assert "\u201cRelations between" in text  # quotation marks stay


def test_seed_002_headline_is_its_title(seeds):
    a = seeds["002"]
    assert (
        a.title
        == "Vice president: Iran-Iraq relations play essential role in boosting regional security"
    )
    assert a.title_source == "headline"
    assert a.title not in a.text


def test_seed_002_caption_is_recognised(seeds):
    captions = [a for a in seeds["002"].blocks if a.kind == "caption"]
    assert len(captions) == 1
    assert "(Photo by Fars news agency)" in seeds["002"].text[captions[0].start : captions[0].end]


def test_seed_001_broken_paragraphs_are_whole(seeds):
    text = seeds["001"].text
    assert "stating that Iran and Iraq can cover each other" in text
    assert "the Zionist regime in Palestine including the killing" in text


def test_subheadings_are_heading_blocks(seeds):
    def headings(a):
        return [a.text[b.start : b.end] for b in a.blocks if b.kind == "heading"]

    assert headings(seeds["001"]) == [
        "Rouhani wants Iraq to play active role to resolve Palestine issue"
    ]
    assert headings(seeds["002"]) == ["Relations should not be affected by any factor: Iraqi PM"]


def test_glued_subheading_is_split_out_of_its_paragraph(seeds):
    a = seeds["000"]
    heading = "President lauds Iraq for efforts to host talks between Iran and S. Arabia"
    kinds = {a.text[s.start : s.end]: s.kind for s in a.sentences}
    assert kinds[heading] == "heading"
    assert any(t.startswith("Raisi added that Iran") for t, k in kinds.items() if k == "paragraph")


def test_untitled_articles_get_a_title_from_the_text(seeds):
    for key in ("000", "001", "003", "004"):
        a = seeds[key]
        assert a.title_source == "derived"
        assert a.id not in a.title and len(a.title.split()) >= 5


def test_offsets_of_blocks_and_sentences(seeds):
    for a in seeds.values():
        for s in a.sentences:
            assert a.text[s.start : s.end] == s.text
            block = a.blocks[s.block]
            assert block.start <= s.start < s.end <= block.end


def test_related_links_list_is_removed_with_its_items(cleaner):
    a = clean_text(
        cleaner,
        "Rouhani said the ties are strong.\n\nRelated news:\n\nZarif visits Baghdad\n\nOil exports rise",
    )
    assert a.text == "Rouhani said the ties are strong."


def test_a_sentence_that_ends_without_a_period_at_the_end_is_not_lost(cleaner):
    a = clean_text(
        cleaner, "The talks went well.\n\nThe ministers will meet again in Baghdad next month and"
    )
    assert a.text.endswith("next month and")


def test_metadata_title_wins(cleaner):
    a = clean_text(cleaner, "Body sentence one. Body two.", title="Given title")
    assert a.title == "Given title" and a.title_source == "metadata"


def test_reuters_style_dateline(cleaner):
    a = clean_text(
        cleaner, "BAGHDAD, Sept 12 (Reuters) - Iraq's prime minister said on Sunday that ..."
    )
    assert a.dateline == "BAGHDAD" and a.outlet == "Reuters"
    assert body_start(a).startswith("Iraq's prime minister")
    assert a.text.startswith("BAGHDAD, Sept 12 (Reuters) -")


def test_derive_title_drops_a_leading_clause_and_shortens():
    from briefing.model import Sentence

    text = "During the phone conversation, Jahangiri said that the Islamic Republic of Iran has always emphasized its support for independence."
    title = derive_title(text, [Sentence(0, len(text), text, 0, "paragraph")])
    assert title.startswith("Jahangiri said that") and title.endswith("\u2026")


def test_slugify():
    assert slugify("000_c0864d09f7a77bb2") == "000-c0864d09f7a77bb2"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("Téhéran news") == "teheran-news"


@pytest.mark.parametrize(
    "body, dateline, outlet, start",
    [
        (
            "TEHRAN \u2013 Iran's foreign minister said on Monday ...",
            "TEHRAN",
            None,
            "Iran's foreign",
        ),
        ("Tehran, IRNA -- Iran's foreign minister said ...", "Tehran", "IRNA", "Iran's foreign"),
        (
            "ERBIL (Kurdistan24) \u2013 The Kurdistan Region's president met ...",
            "ERBIL",
            "Kurdistan24",
            "The Kurdistan",
        ),
        (
            "TEHRAN, Sep. 12 (MNA) \u2013 Iranian President said ...",
            "TEHRAN",
            "Mehr News Agency",
            "Iranian President",
        ),
        (
            "Shafaq News/ Iraqi Prime Minister Mohammed Shia al-Sudani said ...",
            None,
            "Shafaq News",
            "Iraqi Prime",
        ),
        (
            "Iran-Iraq ties - an analysis of relations that have grown.",
            None,
            None,
            "Iran-Iraq ties",
        ),
        (
            "Iranian officials \u2014 speaking on condition of anonymity \u2014 said ...",
            None,
            None,
            "Iranian officials",
        ),
    ],
)
def test_datelines_and_outlet_markers_of_other_outlets(cleaner, body, dateline, outlet, start):
    a = clean_text(cleaner, body + "\n\nSecond paragraph of the report.")
    assert (a.dateline, a.outlet) == (dateline, outlet)
    assert body_start(a).startswith(start)


def test_joined_patterns_find_what_the_list_finds():
    """The patterns of a list are tried as one (first that matches wins, as in a loop)."""
    import re

    joined = cleaning.join(
        [re.compile(r"(?P<outlet>a+)b", re.I), re.compile(r"(?P<outlet>a)", re.I)]
    )
    m = joined.fullmatch("AAb")
    assert m and cleaning.group(m, "outlet") == "AA"
    assert cleaning.group(joined.fullmatch("a"), "outlet") == "a"
    assert joined.fullmatch("b") is None
    # a backreference by number cannot be joined: the list is tried one by one
    assert cleaning.join([re.compile(r"(a)\1"), re.compile("b")]) is None


def test_cleaning_with_joined_patterns_is_cleaning_with_the_list(cleaner):
    from briefing.read import read_article

    plain = Cleaner(cleaning.load(REPO / "content" / "cleaning.yaml"))
    plain.rules.joined = lambda key: None  # the patterns one by one
    for path in sorted(SEEDS.glob("*.txt")):
        raw = read_article(path)
        a, b = cleaner.clean(raw), plain.clean(raw)
        assert (a.text, a.blocks, a.sentences, a.removed, a.outlet) == (
            b.text,
            b.blocks,
            b.sentences,
            b.removed,
            b.outlet,
        )


# -- the screen in front of the line patterns (knowledge.cleaning.Screen) -----------------
SCREEN_LINES = BOILERPLATE + [
    "Share on WhatsApp",
    "\u00a9 2021 Rudaw. All rights reserved.",
    "Copyright (c) Kurdistan24",
    "Download the IRNA app on Google Play",
    "Watch us on Roku and Apple TV",
    "Tags: Iran, Iraq, Kadhimi",
    "\u0130RNA\u2019s website can also be accessed at the following alternate address:",
    "TA\u212aS: Iran",  # a Kelvin sign, which re.I takes for k
    "This story has been updated.",
    "Click here to subscribe",
    "News Code: 12345",
    "https://www.irna.ir/news/1",
    "(Photo: IRNA)",
    "Raisi and Kadhimi (L) in Tehran",
    "Photo : Iran Press",
    "Related news: Iran and Iraq sign a deal",
]


@pytest.mark.parametrize("key,whole", [
    ("boilerplate", True), ("related_links", True), ("captions", False)
])  # fmt: skip
def test_screen_passes_every_line_a_pattern_matches(key, whole, seeds):
    """The screen is a shortcut only: a line it turns away matches none of the patterns."""
    rules = cleaning.load(REPO / "content" / "cleaning.yaml")
    screen = rules.screen(key, whole)
    lines = list(SCREEN_LINES)
    for article in seeds.values():
        lines += [s.text for s in article.sentences] + article.removed
    lines += [line.lower() for line in lines] + [line.upper() for line in lines] + [""]
    for line in lines:
        for pattern in getattr(rules, key):
            hit = pattern.fullmatch(line) if whole else pattern.search(line)
            if hit:
                assert screen.may_match(line), (pattern.pattern, line)
    # and it turns most sentences away: that is what it is for
    sentences = [s.text for a in seeds.values() for s in a.sentences]
    assert sum(map(screen.may_match, sentences)) < len(sentences) / 4


def test_screen_of_patterns_it_cannot_read():
    """What the analysis does not know requires nothing: such lines always pass."""
    import re

    screen = cleaning.Screen([re.compile(r"(?:x|)\w+(?=y)", re.I), re.compile(r"(a)?\1?b*")], True)
    assert screen.may_match("zzz") and screen.may_match("")
