"""The archive index: articles cross-referenced by leader, topic and date."""

from __future__ import annotations

from briefing import segment
from briefing.index import build_index, date_label
from briefing.knowledge import Knowledge
from briefing.knowledge.dateres import DateResources
from briefing.knowledge.leaders import Leader, LeaderBase, Office
from briefing.knowledge.themes import Taxonomy, Theme
from briefing.model import Article, Block, Mention, Sentence, Span, Speaker, Statement, ThemeHit


def make_article(text: str, slug: str = "a", **fields) -> Article:
    """An Article with blocks split on blank lines and sentences from the segmenter."""
    blocks, sentences, pos = [], [], 0
    for chunk in text.split("\n\n"):
        start = text.index(chunk, pos)
        end = start + len(chunk)
        pos = end
        kind = "heading" if chunk.startswith("## ") else "paragraph"
        if kind == "heading":  # the marker stays in the text but out of the block
            start += 3
        blocks.append(Block(kind, start, end))
        for s, e in segment.split(text, start, end):
            sentences.append(Sentence(s, e, text[s:e], len(blocks) - 1, kind))
    return Article(
        id=slug,
        source=f"{slug}.txt",
        title=fields.pop("title", slug.upper()),
        text=text,
        slug=slug,
        blocks=blocks,
        sentences=sentences,
        **fields,
    )


def say(article: Article, sentence: int, themes=(), kind="indirect") -> Statement:
    """A statement covering a whole sentence of ``article``."""
    s = article.sentences[sentence]
    return Statement(s.start, s.end, s.text, sentence, kind, themes=list(themes))


def mention(article: Article, text: str, person: str, kind="name", nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = article.text.index(text, start + 1)
    return Mention(start, start + len(text), text, person, kind)


def make_kb() -> Knowledge:
    leaders = LeaderBase(
        {
            "raisi": Leader(
                "raisi",
                "Ebrahim Raisi",
                offices=[
                    Office("president", "Iran", "President of Iran", "2021-08-03", "2024-05-19")
                ],
            ),
            "kadhimi": Leader(
                "kadhimi",
                "Mustafa al-Kadhimi",
                offices=[
                    Office(
                        "prime_minister",
                        "Iraq",
                        "Prime Minister of Iraq",
                        "2020-05-07",
                        "2022-10-27",
                    )
                ],
            ),
        }
    )
    themes = Taxonomy(
        {
            "security": Theme(
                "security",
                "Security",
                "Regional security and stability.",
                [{"code": "medtop:20000628", "label": "national security"}],
            ),
            "yemen": Theme("yemen", "Yemen", "The war in Yemen."),
            "covid19": Theme("covid19", "COVID-19", "The pandemic."),
        }
    )
    return Knowledge(leaders, themes, DateResources())


TEXT = (
    "President Raisi met the Iraqi premier on Sunday. Raisi said security matters. "
    "Al-Kadhimi said Iraq wants peace.\n\nRaisi also spoke about Yemen."
)


def two_speaker_article(slug="call", **fields) -> Article:
    a = make_article(TEXT, slug, **fields)
    raisi = Speaker("raisi", "Ebrahim Raisi", "President of Iran", "Iran", known=True)
    raisi.mentions = [mention(a, "President Raisi", "raisi")]
    raisi.statements = [say(a, 1, ["security"]), say(a, 3, ["yemen"], "direct")]
    raisi.quotes = [Span(0, 3, "Pre")]
    kadhimi = Speaker("kadhimi", "Mustafa al-Kadhimi", "Prime Minister of Iraq", "Iraq", known=True)
    kadhimi.mentions = [mention(a, "the Iraqi premier", "kadhimi")]
    kadhimi.statements = [say(a, 2)]
    a.speakers = [raisi, kadhimi]
    a.themes = [
        ThemeHit("yemen", 0.5, [a.span(a.sentences[3].start + 17, a.sentences[3].end - 1)]),
        ThemeHit("security", 0.9, [a.span(a.sentences[1].start, a.sentences[1].end)]),
    ]
    return a


def test_articles_are_sorted_newest_first_with_windows_after_dates():
    old = make_article("Old.", "old", event_date="2021-05-17")
    new = make_article("New.", "new", event_date="2021-09-12")
    pub = make_article("Pub.", "pub", published="2021-07-01T10:00:00Z")
    win = make_article("Win.", "win", event_window=("2020-05-07", "2021-08-03"))
    none = make_article("None.", "none")
    archive = build_index([none, win, old, pub, new], make_kb())
    assert [e.slug for e in archive.articles] == ["new", "pub", "old", "win", "none"]
    assert archive.articles[1].when.kind == "published"
    assert archive.articles[1].when.value == "2021-07-01"
    assert archive.articles[3].when.label == "between 7 May 2020 and 3 August 2021"


def test_dates_that_are_not_iso_are_not_trusted_for_sorting():
    odd = make_article("Odd.", "odd", event_date="last week", published="July 1, 2021")
    archive = build_index([odd], make_kb())
    assert archive.articles[0].when.kind == "none"
    assert archive.timeline.undated[0].slug == "odd"


def test_leader_collects_roles_statements_and_partners():
    archive = build_index([two_speaker_article(event_date="2021-09-12")], make_kb())
    by_id = {x.id: x for x in archive.leaders}
    raisi = by_id["raisi"]
    assert raisi.name == "Ebrahim Raisi"
    assert [(r.role, r.start, r.end, r.source) for r in raisi.roles] == [
        ("President of Iran", "2021-08-03", "2024-05-19", "kb")
    ]
    assert [s.href for s in raisi.statements] == [
        "articles/call.html#s-1",
        "articles/call.html#s-3",
    ]
    assert [(g.label, len(g.items)) for g in raisi.by_theme] == [("Security", 1), ("Yemen", 1)]
    assert [(g.label, len(g.items)) for g in raisi.by_date] == [("September 2021", 2)]
    assert [(p.name, p.articles) for p in raisi.partners] == [("Mustafa al-Kadhimi", 1)]
    assert raisi.quotes == 1
    assert raisi.role == "President of Iran"
    # untagged statements are grouped last, not lost
    assert [g.label for g in by_id["kadhimi"].by_theme] == ["No theme"]


def test_unknown_speaker_takes_role_from_the_article():
    a = make_article("Zebari said the talks went well.", "z")
    sp = Speaker("hoshyar-zebari", "Hoshyar Zebari", "former minister", "Iraq")
    sp.statements = [say(a, 0)]
    a.speakers = [sp]
    leader = build_index([a], make_kb()).leaders[0]
    assert not leader.known
    assert [(r.role, r.source) for r in leader.roles] == [("former minister", "article")]


def test_topics_carry_articles_evidence_statements_and_months():
    a = two_speaker_article(event_date="2021-09-12")
    b = two_speaker_article("later", event_date="2021-11-02")
    archive = build_index([a, b], make_kb())
    topics = {t.id: t for t in archive.topics}
    sec = topics["security"]
    assert sec.iptc == [("medtop:20000628", "national security")]
    assert [(ta.entry.slug, ta.score) for ta in sec.articles] == [("later", 0.9), ("call", 0.9)]
    assert [ev.anchor for ev in sec.articles[0].evidence] == ["s-1"]
    assert [(g.label, len(g.items), g.anchor) for g in sec.by_leader] == [
        ("Ebrahim Raisi", 2, "leader-raisi")
    ]
    assert [(m.key, m.count) for m in sec.months] == [
        ("2021-09", 1),
        ("2021-10", 0),
        ("2021-11", 1),
    ]
    # a theme of the taxonomy nobody discusses still has a (quiet) page
    assert topics["covid19"].articles == [] and topics["covid19"].months == []


def test_matrix_counts_statements_per_leader_and_topic():
    archive = build_index([two_speaker_article(event_date="2021-09-12")], make_kb())
    m = archive.matrix
    assert [t.id for t in m.topics] == ["security", "yemen"]
    rows = {leader.id: [(c.count, c.href) for c in cells] for leader, cells in m.rows}
    assert rows == {
        "raisi": [
            (1, "topics/security.html#leader-raisi"),
            (1, "topics/yemen.html#leader-raisi"),
        ],
        "kadhimi": [(0, None), (0, None)],  # speaks, but on no tagged topic
    }
    assert [leader.id for leader, _ in m.rows] == ["raisi", "kadhimi"]


def test_timeline_groups_by_year_and_month_and_keeps_windows():
    a = make_article("A.", "a", event_date="2021-09-12")
    b = make_article("B.", "b", event_date="2021-09-01")
    c = make_article("C.", "c", event_date="2020-01-05")
    y = make_article("Y.", "y", event_date="2019")
    w = make_article("W.", "w", event_window=("2020-05-07", "2021-08-03"))
    u = make_article("U.", "u")
    tl = build_index([a, b, c, y, w, u], make_kb()).timeline
    assert [y.year for y in tl.years] == ["2021", "2020", "2019"]
    assert [(m.key, [e.slug for e in m.articles]) for m in tl.years[0].months] == [
        ("2021-09", ["a", "b"])
    ]
    assert [e.slug for e in tl.years[2].no_month] == ["y"]
    assert [e.slug for e in tl.windows] == ["w"]
    assert [e.slug for e in tl.undated] == ["u"]
    assert tl.counts[0].key == "2020-01" and tl.counts[-1].key == "2021-09"
    assert len(tl.counts) == 21 and sum(c.count for c in tl.counts) == 3


def test_slugs_are_unique_and_file_safe():
    a = make_article("A said it.", "a")
    b = make_article("B said it.", "b")
    sa = Speaker("Abu Mahdi/al-Muhandis", "X")
    sa.statements = [say(a, 0)]
    sb = Speaker("abu mahdi al muhandis", "Y")
    sb.statements = [say(b, 0)]
    a.speakers, b.speakers = [sa], [sb]
    paths = sorted(x.path for x in build_index([a, b], make_kb()).leaders)
    assert paths == ["leaders/abu-mahdi-al-muhandis-2.html", "leaders/abu-mahdi-al-muhandis.html"]


def test_date_label():
    assert date_label("2021-09-12") == "12 September 2021"
    assert date_label("2021-09") == "September 2021"
    assert date_label("2021") == "2021"
    assert date_label("199X") == "199X"
    assert date_label(None) == "undated"


# -- big topics: a page per year ---------------------------------------------------------------
def _many(n: int, dates: list[str | None]) -> list[Article]:
    out = []
    for i in range(n):
        date = dates[i % len(dates)]
        fields = {"event_date": date} if date else {}
        out.append(two_speaker_article(f"a{i:03d}", **fields))
    return out


def test_a_leader_who_said_little_has_one_page():
    archive = build_index(_many(3, ["2021-09-12"]), make_kb())
    assert all(x.years == [] for x in archive.leaders)


def test_a_leader_who_said_much_has_a_page_per_year_of_statements_by_date(monkeypatch):
    from briefing import index

    monkeypatch.setattr(index, "LEADER_PAGE", 10)
    archive = build_index(_many(9, ["2021-09-12", "2020-01-05", None]), make_kb())
    raisi = next(x for x in archive.leaders if x.id == "raisi")  # two statements an article
    assert [(y.key, y.label, y.path, y.statements) for y in raisi.years] == [
        ("2021", "2021", "leaders/raisi/2021.html", 6),
        ("2020", "2020", "leaders/raisi/2020.html", 6),
        ("undated", "Undated", "leaders/raisi/undated.html", 6),
    ]
    # every statement is on exactly one year's page, in the order of the whole list
    by_year = [r for y in raisi.years for g in y.by_date for r in g.items]
    assert by_year == [r for g in raisi.by_date for r in g.items]
    assert all(
        index.year_of(r.entry) == y.key for y in raisi.years for g in y.by_date for r in g.items
    )


def test_a_small_topic_stays_on_one_page():
    archive = build_index(_many(3, ["2021-09-12"]), make_kb())
    security = next(t for t in archive.topics if t.id == "security")
    assert security.years == [] and security.leader_years == []


def test_a_big_topic_has_a_page_per_year_newest_first_and_undated_last(monkeypatch):
    from briefing import index

    monkeypatch.setattr(index, "TOPIC_PAGE", 10)
    archive = build_index(_many(12, ["2021-09-12", "2020-01-05", None]), make_kb())
    security = next(t for t in archive.topics if t.id == "security")
    assert [(y.key, y.path) for y in security.years] == [
        ("2021", "topics/security/2021.html"),
        ("2020", "topics/security/2020.html"),
        ("undated", "topics/security/undated.html"),
    ]
    # every article and statement of the topic is on exactly one year's page
    assert sorted(ta.entry.slug for y in security.years for ta in y.articles) == sorted(
        ta.entry.slug for ta in security.articles
    )
    said = [r for y in security.years for g in y.by_leader for r in g.items]
    assert len(said) == security.statements == 12  # Raisi on security, once per article
    assert all(
        index.year_of(r.entry) == y.key
        for y in security.years
        for g in y.by_leader
        for r in g.items
    )
    # who spoke on it, and in which years
    (raisi,) = security.leader_years
    assert raisi.group.key == "raisi"
    assert [(y.key, n) for y, n in raisi.years] == [("2021", 4), ("2020", 4), ("undated", 4)]


def test_a_statement_s_themes_are_its_own_and_its_sentence_s_one_list_per_set():
    from briefing.index import _statement_themes

    shared, unions = {}, {}
    talks, trade = ["talks"], ["trade"]  # lists shared by slim articles, as share() leaves them
    article = Article("a", "a.txt", "", "", "a", sentence_themes={0: trade, 1: ["talks"]})
    first = Statement(0, 1, "", 0, themes=talks)
    second = Statement(0, 1, "", 1, themes=talks)  # the same list, another sentence
    third = Statement(0, 1, "", 0, themes=["talks"])  # the same set, another list
    got = [_statement_themes(article, st, shared, unions) for st in (first, second, third)]
    assert got == [["talks", "trade"], ["talks"], ["talks", "trade"]]
    assert got[0] is got[2]  # one list for each set
    assert _statement_themes(article, Statement(0, 1, "", 5), shared, unions) == []
