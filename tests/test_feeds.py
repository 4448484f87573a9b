"""Atom feeds, sitemap and robots.txt: only for a published site (a ``base_url``).

Feeds need absolute addresses (an entry's ``id`` is a permanent IRI and readers resolve
relative links each their own way), so a site without ``base_url`` has none and does
not link to any.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from briefing import feeds

from .test_index import two_speaker_article
from .test_render import Config, annotated, site

BASE = "https://example.org/briefing/"
A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def published(articles=None) -> dict:
    return site(articles, Config(base_url="https://example.org/briefing"))


def parse(text: str) -> ET.Element:
    return ET.fromstring(text.encode("utf-8"))


def assert_valid_atom(feed: ET.Element) -> None:
    """The RFC 4287 rules a reader relies on."""
    assert feed.tag == f"{A}feed"
    for child in ("id", "title", "updated"):
        assert len(feed.findall(f"{A}{child}")) == 1, child
    assert RFC3339.match(feed.findtext(f"{A}updated"))
    assert feed.find(f"{A}author/{A}name").text
    (self_link,) = [x for x in feed.findall(f"{A}link") if x.get("rel") == "self"]
    assert self_link.get("href") == feed.findtext(f"{A}id")
    ids = []
    for entry in feed.findall(f"{A}entry"):
        ids.append(entry.findtext(f"{A}id"))
        assert entry.findtext(f"{A}title")
        assert RFC3339.match(entry.findtext(f"{A}updated"))
        (alt,) = entry.findall(f"{A}link")
        assert alt.get("rel") == "alternate" and alt.get("href").startswith(BASE)
        assert entry.findtext(f"{A}updated") <= feed.findtext(f"{A}updated")
    assert len(ids) == len(set(ids))
    assert all(i.startswith(BASE) for i in ids)


def test_no_base_url_no_feeds_sitemap_or_robots_and_no_link_to_them():
    files = site()
    assert not [p for p in files if p.startswith("feeds/") or p in ("sitemap.xml", "robots.txt")]
    for page, html in files.items():
        if page.endswith(".html"):
            assert "application/atom+xml" not in html, page
            assert "og:" not in html and "ld+json" not in html, page


def test_archive_leader_and_topic_feeds_are_valid_atom():
    files = published()
    names = sorted(p for p in files if p.startswith("feeds/"))
    assert names == [
        "feeds/archive.xml",
        "feeds/leaders/kadhimi.xml",
        "feeds/leaders/raisi.xml",
        "feeds/topics/security.xml",
        "feeds/topics/yemen.xml",
    ]
    for name in names:
        assert_valid_atom(parse(files[name]))
    archive = parse(files["feeds/archive.xml"])
    assert archive.findtext(f"{A}id") == BASE + "feeds/archive.xml"
    entries = archive.findall(f"{A}entry")
    # newest first; the dated call before the article known only within a window
    assert [e.findtext(f"{A}title") for e in entries] == ["CALL", "Window"]
    call = entries[0]
    assert call.findtext(f"{A}id") == BASE + "articles/call.html"
    assert call.findtext(f"{A}updated") == "2021-09-12T00:00:00Z"
    assert [c.get("term") for c in call.findall(f"{A}category")] == ["security", "yemen"]
    assert "Ebrahim Raisi, Mustafa al-Kadhimi" in call.findtext(f"{A}summary")
    # the window article is dated by the start of its window
    assert entries[1].findtext(f"{A}updated") == "2020-05-07T00:00:00Z"


def test_pages_name_their_feeds_with_relative_links():
    files = published()
    leader = files["leaders/raisi.html"]
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Ebrahim Raisi · '
        'Briefing archive" href="../feeds/leaders/raisi.xml">'
    ) in leader
    assert 'href="../feeds/archive.xml"' in leader
    assert 'href="../feeds/topics/security.xml"' in files["topics/security.html"]
    atom_link = '<a href="feeds/archive.xml" type="application/atom+xml">Atom feed</a>'
    assert atom_link in files["index.html"]
    # the downloads page lists every feed
    for name in ("feeds/leaders/kadhimi.xml", "feeds/topics/yemen.xml"):
        assert f'href="{name}"' in files["downloads.html"]


def test_feed_text_is_escaped_and_entries_are_capped():
    articles = [
        two_speaker_article(f"a{i:03d}", event_date=f"2021-01-{1 + i % 28:02d}", title="A & <B>")
        for i in range(feeds.MAX_ENTRIES + 5)
    ]
    files = published(articles)
    feed = parse(files["feeds/archive.xml"])  # parses: the & and < are escaped
    entries = feed.findall(f"{A}entry")
    assert len(entries) == feeds.MAX_ENTRIES
    assert entries[0].findtext(f"{A}title") == "A & <B>"
    assert "A &amp; &lt;B&gt;" in files["feeds/archive.xml"]


def test_published_dates_win_and_undated_articles_still_have_an_updated_time():
    a = annotated()
    a.published = "2021-09-14"
    undated = two_speaker_article("undated", title="Undated")
    feed = parse(published([a, undated])["feeds/archive.xml"])
    by_title = {e.findtext(f"{A}title"): e for e in feed.findall(f"{A}entry")}
    assert by_title["CALL"].findtext(f"{A}updated") == "2021-09-14T00:00:00Z"
    assert by_title["CALL"].findtext(f"{A}published") == "2021-09-14T00:00:00Z"
    assert by_title["Undated"].findtext(f"{A}updated") == feeds.EPOCH
    assert feed.findtext(f"{A}updated") == "2021-09-14T00:00:00Z"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-09-12", "2021-09-12T00:00:00Z"),
        ("2021-09", "2021-09-01T00:00:00Z"),
        ("2021", "2021-01-01T00:00:00Z"),
        ("199X", None),
        ("", None),
        (None, None),
    ],
)
def test_timestamps(value, expected):
    assert feeds.timestamp(value) == expected


def test_sitemap_lists_every_page_but_the_404_and_robots_names_it():
    files = published()
    sitemap = parse(files["sitemap.xml"])
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [u.findtext(f"{ns}loc") for u in sitemap.findall(f"{ns}url")]
    pages = sorted(p for p in files if p.endswith(".html") and p != "404.html")
    assert len(locs) == len(pages)
    assert BASE in locs and BASE + "leaders/" in locs  # folders, not .../index.html
    assert BASE + "articles/call.html" in locs and BASE + "404.html" not in locs
    assert files["robots.txt"] == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"
