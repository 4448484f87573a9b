"""The website: annotated HTML from offsets, relative links, deterministic pages."""

from __future__ import annotations

import posixpath
import random
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from briefing import markup, render, svg, urls
from briefing.index import MonthCount, build_index
from briefing.model import DateExpr, Mention, Person, Speaker
from briefing.render import render_site

from .test_index import make_article, make_kb, mention, say, two_speaker_article

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
VOID = {"meta", "link", "br", "img", "input", "hr", "circle", "rect", "line", "path"}


@dataclass
class Config:  # the fields of briefing.config.SiteConfig that rendering reads
    title: str = "Briefing archive"
    description: str = "Annotated press reports"
    base_url: str | None = None
    language: str = "en"


def site(articles=None, config=None) -> dict[str, str | bytes]:
    if articles is None:
        articles = [
            annotated(),
            two_speaker_article("win", event_window=("2020-05-07", "2021-08-03"), title="Window"),
        ]
    return render_site(build_index(articles, make_kb()), config or Config(), TEMPLATES)


def annotated():
    a = two_speaker_article(event_date="2021-09-12", outlet="Mehr", dateline="TEHRAN")
    i = a.text.index("on Sunday")
    a.dates = [DateExpr(i, i + 9, "on Sunday", "2021-09-12", "weekday")]
    return a


class Tags(HTMLParser):
    """Collects links, ids and checks that elements are properly nested."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.links, self.ids, self.errors, self.srcs = [], [], set(), [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            if attrs["id"] in self.ids:
                self.errors.append(f"duplicate id {attrs['id']}")
            self.ids.add(attrs["id"])
        if "href" in attrs:
            self.links.append(attrs["href"])
        if "src" in attrs:
            self.srcs.append(attrs["src"])
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()


def parse(html: str) -> Tags:
    t = Tags()
    t.feed(html)
    t.close()
    return t


# --- offsets to HTML ---------------------------------------------------------------


def test_overlapping_annotations_nest_and_split_without_duplicating_ids():
    text = "Raisi said on Sunday: peace."
    anns = [
        markup.Ann(0, 28, 0, "span", (("class", "s"),), (("id", "s-0"),)),
        markup.Ann(6, 28, 1, "mark", prefix=markup.Markup("<b>R</b>")),
        markup.Ann(0, 5, 3, "span", (("class", "mention"),), suffix=markup.Markup("<i>!</i>")),
        # crosses the statement's start: split in two, suffix on the last piece only
        markup.Ann(3, 13, 4, "time", (("datetime", "2021"),), suffix=markup.Markup("<i>d</i>")),
    ]
    html = markup.render(text, 0, len(text), anns)
    assert html == (
        '<span class="s" id="s-0"><span class="mention">Rai<time datetime="2021">si</time>'
        '<i>!</i></span><time datetime="2021"> </time><mark><b>R</b><time datetime="2021">'
        "said on<i>d</i></time> Sunday: peace.</mark></span>"
    )
    assert not parse(html).errors


def test_every_piece_of_text_is_escaped():
    text = 'He said <script>alert("x")</script> & left.'
    html = markup.render(text, 0, len(text), [markup.Ann(3, 7, 1, "mark", (("title", '"<>'),))])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "&amp; left." in html
    assert 'title="&#34;&lt;&gt;"' in html


spans = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 4)), max_size=12)


@settings(max_examples=200, deadline=None)
@given(spans)
def test_any_set_of_spans_gives_balanced_html_that_keeps_the_text(raw):
    text = "abc <d> & e\u00e9 fgh ijk lmn opq rst"[:30]
    anns = [
        markup.Ann(min(a, b), max(a, b), rank, "span", first_attrs=(("id", f"x{i}"),))
        for i, (a, b, rank) in enumerate(raw)
    ]
    html = markup.render(text, 0, len(text), anns)
    tags = parse(html)
    assert not tags.errors and not tags.stack
    assert re.sub(r"<[^>]+>", "", html) == str(escape(text))


def test_block_render_is_per_block_and_marks_headings():
    a = make_article("## Talks in Tehran\n\nRaisi said yes.", "h")
    blocks = markup.article_blocks(a, {})
    assert [b.kind for b in blocks] == ["heading", "paragraph"]
    assert blocks[1].html == '<span class="s" id="s-1">Raisi said yes.</span>'


# --- the article page ---------------------------------------------------------------


def test_article_page_marks_statements_mentions_dates_and_anchors():
    html = site()["articles/call.html"]
    # statements in the speaker's colour, and named in text, not only by colour
    assert (
        '<span class="s" id="s-1"><mark class="stmt spk-0" title="Ebrahim Raisi (indirect)">'
        '<span class="spk-tag"><span class="visually-hidden">Statement by </span>Ebrahim Raisi'
        '<span class="visually-hidden">:</span></span> Raisi said security matters.</mark></span>'
    ) in html
    assert '<mark class="stmt spk-1"' in html
    # each mention says whom it resolves to, for the mouse and for screen readers
    assert (
        '<span class="mention spk-1" title="Mustafa al-Kadhimi, Prime Minister of Iraq">'
        'the Iraqi premier<span class="visually-hidden"> (Mustafa al-Kadhimi)</span></span>'
    ) in html
    assert (
        '<time class="date" datetime="2021-09-12">on Sunday'
        '<span class="date-value"> (2021-09-12)</span></time>'
    ) in html
    # the legend: name, role, statement and quote counts
    assert re.search(
        r'<li class="spk-0">.*?>Ebrahim Raisi</a>, President of Iran\s*'
        r'<span class="count">— 2 statements, 1 direct quote</span>',
        html,
        re.S,
    )
    # themes with score and links to their evidence sentences
    assert re.search(r'>Security</a> <span class="score">score 0.90</span>', html)
    assert '<a href="#s-1">Sentence 2</a>: Raisi said security matters.' in html
    assert '<dt>Event date</dt><dd><time datetime="2021-09-12">12 September 2021</time>' in html


def test_window_article_shows_its_window():
    html = site()["articles/win.html"]
    assert (
        'between <time datetime="2020-05-07">7 May 2020</time> and '
        '<time datetime="2021-08-03">3 August 2021</time>'
    ) in html


def test_non_speaking_person_mentions_are_resolved_too():
    a = make_article("Raisi recalled Soleimani.", "p")
    p = Person("soleimani", "Qassem Soleimani", "commander")
    p.mentions = [mention(a, "Soleimani", "soleimani")]
    a.people = [p]
    html = site([a])["articles/p.html"]
    assert (
        '<span class="mention person" title="Qassem Soleimani, commander">Soleimani'
        '<span class="visually-hidden"> (Qassem Soleimani)</span></span>'
    ) in html
    assert "Also mentioned" in html


def test_kb_names_a_mention_of_someone_the_article_does_not_list():
    a = make_article("He met Raisi.", "kb", event_date="2022-01-01")
    s = Speaker("x", "Somebody")
    s.mentions = [Mention(7, 12, "Raisi", "raisi")]
    a.speakers = [s]
    html = site([a])["articles/kb.html"]
    assert 'title="Ebrahim Raisi, President of Iran">Raisi' in html


def test_article_text_and_titles_are_escaped():
    a = make_article("Zarif said <b>no</b> & left.", "x", title="<i>Talks</i>")
    s_html = site([a])
    assert "&lt;b&gt;no&lt;/b&gt; &amp; left." in s_html["articles/x.html"]
    assert "<i>Talks</i>" not in s_html["index.html"]
    assert "&lt;i&gt;Talks&lt;/i&gt;" in s_html["index.html"]


def test_statements_and_evidence_from_articles_are_escaped_on_every_page():
    a = two_speaker_article("x", title='<i>"Talks"</i> & more', outlet="<b>Wire</b>")
    a.speakers[0].statements[0].text = "<script>alert('x')</script> & co"
    a.sentences[1].text = '<b onclick="x">said</b>'  # what the evidence of a theme shows
    files = site([a])
    shown = ("<script>", "<i>", '<b onclick="x">', '"Talks"', "<b>Wire")
    for page in ("leaders/raisi.html", "topics/security.html", "articles/x.html"):
        assert not any(raw in files[page] for raw in shown), page
    leader = files["leaders/raisi.html"]
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co" in leader
    assert "&lt;i&gt;&#34;Talks&#34;&lt;/i&gt; &amp; more, sentence 2</a>" in leader
    topic = files["topics/security.html"]
    assert ": &lt;b onclick=&#34;x&#34;&gt;said&lt;/b&gt;</li>" in topic
    assert '<span class="meta">&lt;b&gt;Wire&lt;/b&gt; · ' in topic
    assert ": &lt;b onclick=&#34;x&#34;&gt;said&lt;/b&gt;</li>" in files["articles/x.html"]


def test_dates_of_every_kind_are_marked_up_alike_everywhere():
    events = [
        make_article("A.", "e", event_date="2021-09-12"),
        make_article("B.", "p", published="2021-10"),
        make_article("C.", "w", event_window=("2020-05-07", "2021-08-03")),
        make_article("D.", "n"),
    ]
    html = site(events)["timeline.html"]
    assert '<time datetime="2021-09-12">12 September 2021</time>: <a' in html
    assert 'published <time datetime="2021-10">October 2021</time>: <a' in html
    assert (
        '<span class="window">between <time datetime="2020-05-07">7 May 2020</time> and '
        '<time datetime="2021-08-03">3 August 2021</time></span>: <a'
    ) in html


# --- the other pages ----------------------------------------------------------------


def test_leader_page_links_back_to_sentences_and_partners():
    html = site()["leaders/raisi.html"]
    assert '<a href="../articles/call.html#s-1">CALL, sentence 2</a>' in html
    assert '<a href="../leaders/kadhimi.html">Mustafa al-Kadhimi</a>' in html or (
        '<a href="kadhimi.html">Mustafa al-Kadhimi</a>' in html
    )
    assert "President of Iran: <time" in html
    assert '<h3 id="theme-security"><a href="../topics/security.html">Security</a>' in html
    assert "Between 7 May 2020 and 3 August 2021" in html


def test_a_leader_page_shows_a_few_statements_per_theme_and_links_to_the_rest():
    articles = [
        two_speaker_article(f"c{i}", event_date=f"2021-09-{10 + i}", title=f"C{i}")
        for i in range(4)
    ]
    html = site(articles)["leaders/raisi.html"]
    security = html[html.index('<h3 id="theme-security">') :]
    security = security[: security.index("</section>")]
    assert security.count('<li class="statement">') == 4 and "All 4" not in security
    articles += [two_speaker_article(f"d{i}", event_date="2021-10-01", title="D") for i in range(3)]
    html = site(articles)["leaders/raisi.html"]
    security = html[html.index('<h3 id="theme-security">') :]
    security = security[: security.index("</section>")]
    assert security.count('<li class="statement">') == 5
    assert (
        '<a href="../topics/security.html#leader-raisi">All 7 statements of Ebrahim Raisi '
        "on Security</a>"
    ) in security
    # the list by date has them all: 7 on security, 7 on Yemen
    assert html.count('<li class="statement">') == 5 + 5 + 14


def test_topic_page_has_iptc_articles_statements_and_sparkline():
    html = site()["topics/security.html"]
    assert "<code>medtop:20000628</code> national security" in html
    assert '<h3 id="leader-raisi"><a href="../leaders/raisi.html">Ebrahim Raisi</a>' in html
    assert '<a href="../articles/call.html#s-1">Sentence 2</a>' in html
    assert '<svg class="chart" id="spark-security"' in html


def test_a_big_topic_sums_up_on_its_page_and_lists_in_full_per_year(monkeypatch):
    from briefing import index

    monkeypatch.setattr(index, "TOPIC_PAGE", 10)
    monkeypatch.setattr(render, "TOPIC_TOP", 5)
    dates = ["2021-09-12", "2020-01-05"]
    files = site([two_speaker_article(f"a{i:02d}", event_date=dates[i % 2]) for i in range(12)])
    page = files["topics/security.html"]
    assert 'href="security/2021.html"' in page and 'href="security/2020.html"' in page
    assert page.count('<span class="score">') == 5  # the best articles only
    # the matrix and the leader pages link to the leader on the topic's page: still there
    assert 'id="leader-raisi"' in page and 'href="security/2021.html#leader-raisi"' in page
    year = files["topics/security/2021.html"]
    tags = parse(year)
    assert not tags.errors and "leader-raisi" in tags.ids
    assert year.count('class="statement"') == 6 and year.count('<span class="score">') == 6
    assert '<a href="2020.html" rel="next">2020</a>' in year
    assert '<a href="../security.html">Security</a>' in year
    older = files["topics/security/2020.html"]
    assert '<a href="2021.html" rel="prev">2021</a>' in older and 'rel="next"' not in older


def test_a_big_leader_lists_years_on_its_page_and_statements_by_date_on_theirs(monkeypatch):
    from briefing import index

    monkeypatch.setattr(index, "LEADER_PAGE", 10)
    dates = ["2021-09-12", "2020-01-05"]
    files = site([two_speaker_article(f"a{i:02d}", event_date=dates[i % 2]) for i in range(6)])
    page = files["leaders/raisi.html"]
    assert '<a href="raisi/2021.html">2021</a> <span class="count">6 statements</span>' in page
    assert 'href="raisi/2020.html"' in page and 'class="statements"' in page  # by theme
    assert 'id="date-1"' not in page, "the statements by date are on the years' pages"
    year = files["leaders/raisi/2021.html"]
    tags = parse(year)
    assert not tags.errors and "date-1" in tags.ids
    assert year.count('class="statement"') == 6
    assert '<a href="../raisi.html">Ebrahim Raisi</a>' in year
    assert '<a href="2020.html" rel="next">2020</a>' in year and 'rel="prev"' not in year
    assert "../../articles/a00.html#s-1" in year
    small = site()["leaders/raisi.html"]
    assert 'id="date-1"' in small and "raisi/" not in small


def test_matrix_cells_link_to_the_topic_section_with_counts_as_text():
    html = site()["matrix.html"]
    assert re.search(
        r'<td class="heat-5"><a href="topics/security.html#leader-raisi" '
        r'aria-label="Ebrahim Raisi on Security: 2 statements">2</a></td>',
        html,
    )


def test_timeline_lists_windows_and_draws_them():
    html = site()["timeline.html"]
    assert '<h3 id="m-2021-09">September 2021' in html
    assert "Known only within a window" in html
    assert '<rect class="range"' in html and '<circle class="dot"' in html


def test_home_lists_latest_leaders_topics_and_a_chart_of_their_dates():
    html = site()["index.html"]
    assert html.index("CALL") < html.index("Window")  # dated first, newest first
    assert '<a class="chip spk-0" href="leaders/raisi.html">Ebrahim Raisi</a>' in html
    assert '<svg class="chart fixed" id="latest-chart"' in html
    assert '<circle class="dot"' in html and '<rect class="range"' in html
    # one month of dated articles makes a poor bar chart: the home page leaves it out
    assert 'id="months-chart"' not in html


def test_home_draws_articles_per_month_once_the_dates_span_some_months():
    articles = [
        annotated(),
        two_speaker_article("nov", event_date="2021-11-02", title="Nov"),
        two_speaker_article("win", event_window=("2020-05-07", "2021-08-03"), title="Window"),
    ]
    html = site(articles)["index.html"]
    assert '<svg class="chart" id="months-chart"' in html
    assert "1 article is known only within a window" in html


def test_empty_archive_still_renders_every_index_page():
    files = site([])
    assert {"index.html", "leaders/index.html", "topics/index.html", "timeline.html"} <= set(files)
    assert "No articles yet." in files["index.html"]


# --- the site as a whole ------------------------------------------------------------


def test_every_internal_link_resolves_to_a_page_and_anchor():
    files = site()
    pages = {p: parse(c) for p, c in files.items() if p.endswith(".html")}
    for page, tags in pages.items():
        assert not tags.errors, (page, tags.errors)
        assert not tags.stack, (page, tags.stack)
        for href in tags.links:
            if href.startswith(("https://", "http://", "data:")):
                continue
            path, _, frag = href.partition("#")
            path = path.partition("?")[0]  # search.html?leader=x
            target = (
                posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
            )
            assert target in files, (page, href)
            if frag:
                assert frag in pages[target].ids, (page, href)


def test_no_remote_resources_and_relative_assets():
    files = site()
    for page, html in files.items():
        if not page.endswith(".html"):
            continue
        tags = parse(html)
        if page == "search.html":  # the one page with script: local files, no inline code
            assert tags.srcs == ["static/search-index.js", "static/search.js"]
            assert html.count("<script") == 2
        else:
            assert "<script" not in html and not tags.srcs
        assert "@import" not in html and "fonts.googleapis" not in html
        # the browser itself refuses requests to other sites
        assert "Content-Security-Policy\" content=\"default-src 'self' file:;" in html
    assert '<link rel="stylesheet" href="../static/style.css">' in files["articles/call.html"]
    assert '<link rel="stylesheet" href="static/style.css">' in files["index.html"]
    css = files["static/style.css"]
    assert "url(" not in css and "@import" not in css
    assert "prefers-color-scheme: dark" in css and "@media print" in css


def test_accessibility_landmarks_skip_link_and_headings_in_order():
    for page, html in site().items():
        if not page.endswith(".html"):
            continue
        assert '<a class="skip-link" href="#main">' in html
        for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
            assert landmark in html, (page, landmark)
        levels = [int(n) for n in re.findall(r"<h([1-6])\b", html)]
        assert levels[0] == 1 and levels.count(1) == 1, page
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (page, levels)


def test_render_is_deterministic_whatever_the_input_order():
    def articles():
        return [annotated(), two_speaker_article("b", event_date="2021-09-12", title="B")]

    one = site(articles())
    shuffled = articles()
    random.Random(7).shuffle(shuffled)
    shuffled.reverse()
    assert site(shuffled) == one
    assert list(one) == sorted(one)


def test_base_url_gives_canonical_links_and_an_absolute_404():
    files = site(config=Config(base_url="https://example.org/briefing"))
    assert (
        '<link rel="canonical" href="https://example.org/briefing/articles/call.html">'
        in (files["articles/call.html"])
    )
    assert 'href="https://example.org/briefing/static/style.css"' in files["404.html"]
    assert 'href="../static/style.css"' in files["articles/call.html"]  # still relative


@pytest.mark.parametrize(
    ("page", "target", "expected"),
    [
        ("index.html", "articles/a.html#s-1", "articles/a.html#s-1"),
        ("articles/a.html", "leaders/x.html", "../leaders/x.html"),
        ("articles/a.html", "articles/a.html#s-2", "a.html#s-2"),
        ("leaders/index.html", "index.html", "../index.html"),
        ("topics/t.html", "#leader-x", "#leader-x"),
    ],
)
def test_relative_urls(page, target, expected):
    assert urls.url(page, target) == expected


def test_a_page_linker_links_as_url_does():
    pages = ["index.html", "404.html", "articles/a.html", "leaders/index.html", "topics/t.html"]
    pages += ["topics/t/2021.html", "topics/u/undated.html", "a/b/c/d.html"]
    targets = ["", "#x", "index.html", "articles/a.html", "articles/b.html#s-3", "topics/t.html"]
    targets += ["topics/t/2021.html#leader-x", "topics/u/2020.html", "leaders/", "./x.html"]
    targets += ["../up.html", "static/style.css", "a/b/c/e.html", "a/x.html#y", "topics/#z"]
    targets += ["a/b/c/d.html", "a/b/c/", "a/b/c/d/e.html#f", "topics/t/", "topics/t.html#x"]
    for page in pages:
        link = urls.linker(page)
        for target in targets:
            assert link(target) == urls.url(page, target), (page, target)


def test_month_bars_are_deterministic_and_accessible():
    counts = [MonthCount("2021-12", "December 2021", 2), MonthCount("2022-01", "January 2022", 0)]
    chart = svg.month_bars("c", counts, "Per month")
    assert chart == svg.month_bars("c", counts, "Per month")
    assert 'role="img" aria-labelledby="c-t c-d"' in chart
    assert "<title>December 2021: 2 articles</title>" in chart
    assert ">2022</text>" in chart


def test_range_chart_has_a_narrow_form_with_labels_above_the_rows():
    items = [svg.Range("A talk with a rather long title indeed, for phones", "2021-03", "2021-05")]
    wide = svg.ranges("r", items, "Ranges")
    narrow = svg.ranges("r-n", items, "Ranges", narrow=True)
    assert 'viewBox="0 0 720 ' in wide and 'viewBox="0 0 360 ' in narrow
    assert ">A talk with a rather long title indeed, for phones</text>" in narrow
    assert ">A talk with a rather long title i…</text>" in wide
    html = site()["timeline.html"]
    assert '<div class="only-narrow"><svg class="chart fixed" id="ranges-chart-narrow"' in html
    assert 'id="latest-chart-narrow"' in site()["index.html"]


def test_a_chart_with_links_is_a_group_whose_links_are_named():
    counts = [MonthCount("2021-12", "December 2021", 2)]
    chart = svg.month_bars("c", counts, "Per month", href=lambda key: f"timeline.html#m-{key}")
    assert 'role="group"' in chart and 'role="img"' not in chart
    assert '<a href="timeline.html#m-2021-12" aria-label="December 2021: 2 articles">' in chart


def test_range_chart_skips_impossible_dates():
    items = [svg.Range("bad", "2021-02-30", "2021-03-01"), svg.Range("ok", "2021-03", "2021-03")]
    chart = svg.ranges("r", items, "Ranges")
    assert ">ok</text>" in chart and ">bad</text>" not in chart
    assert svg.ranges("r", items[:1], "Ranges") == ""


def test_statement_in_heading_never_breaks_structure():
    a = make_article("## Raisi: talks\n\nRaisi said yes.", "hd")
    sp = Speaker("raisi", "Ebrahim Raisi")
    sp.statements = [say(a, 1)]
    a.speakers = [sp]
    html = site([a])["articles/hd.html"]
    assert '<h3><span class="s" id="s-0">Raisi: talks</span></h3>' in html
    assert not parse(html).errors


def test_a_page_made_from_a_full_article_does_not_keep_it():
    import copy
    import gc
    import weakref

    from briefing import render as render_module

    made = []

    class Source(render_module.Source):
        def full(self, article):  # as a build reads it back from its cache
            got = copy.deepcopy(article)
            made.append(weakref.ref(got))
            return got

    archive = build_index([annotated()], make_kb())
    _, planned = render_module.plan(archive, Config(), TEMPLATES, source=Source())
    (page,) = [p for p in planned if p.path.startswith("articles/")]
    assert "on Sunday" in page.render()
    gc.collect()
    assert made and all(ref() is None for ref in made)  # the page lives on, not the article


def test_a_plan_finds_each_page_s_articles_only_when_asked(monkeypatch):
    """``serve`` plans every page to make the few open ones first: at 10,000 articles,
    finding the ids of every leader's, topic's and year's articles took 0.3 s of 1 s."""
    from briefing import index

    monkeypatch.setattr(index, "TOPIC_PAGE", 10)  # year pages too
    asked = []
    ids = render._ids
    monkeypatch.setattr(render, "_ids", lambda entries: asked.append(1) or ids(entries))
    dates = ["2021-09-12", "2020-01-05"]
    articles = [two_speaker_article(f"a{i:02d}", event_date=dates[i % 2]) for i in range(12)]
    _, planned = render.plan(build_index(articles, make_kb()), Config(), TEMPLATES)
    assert not asked
    pages = {p.path: p for p in planned}
    assert sorted(pages["topics/security.html"].articles) == sorted(a.id for a in articles)
    assert sorted(pages["topics/security/2020.html"].articles) == sorted(
        a.id for a in articles[1::2]
    )
    assert sorted(pages["leaders/raisi.html"].articles) == sorted(a.id for a in articles)
    assert len(asked) == 3
    assert pages["leaders/raisi.html"].articles and len(asked) == 3  # found once
    assert pages["index.html"].articles is None  # the whole archive


def test_a_plan_restricted_to_some_paths_plans_those_pages_as_the_whole_plan_does():
    """``serve`` makes the pages open in a browser first after a template edit: planning
    every file of 10,000 articles for them took a quarter of a second."""
    articles = [two_speaker_article(f"a{i:02d}") for i in range(3)]
    archive = build_index(articles, make_kb())
    config = Config(base_url="https://example.org/briefing/")
    shared, whole = render.plan(archive, config, TEMPLATES)
    every = {p.path: p for p in whole}
    an_article = min(path for path in every if path.startswith("articles/"))
    open_pages = {"index.html", "leaders/raisi.html", an_article, "no/such/page.html"}
    some_shared, some = render.plan(archive, config, TEMPLATES, only=open_pages)
    assert sorted(p.path for p in some) == sorted(open_pages - {"no/such/page.html"})
    for page in some:
        assert page.render() == every[page.path].render()
        assert page.articles == every[page.path].articles
    assert some_shared == "" and shared
    # the sitemap lists every page: asked for, everything is planned
    _, with_map = render.plan(archive, config, TEMPLATES, only={"sitemap.xml"})
    assert {p.path for p in with_map} == every.keys()
