"""A link checker over the built site: every link leads somewhere, nothing leaves the disk.

The seeds are built twice: as read from disk (no ``base_url``) and as published (with
one). In both, every ``href``, ``src`` and form ``action`` must resolve to a file of the
site, fragments included (the id must exist in the target page). Absolute ``http(s)``
addresses are metadata only — canonical and alternate links, Open Graph, JSON-LD,
feeds and the sitemap, all pointing into the site itself — or links out to a source
for the reader to follow; never an asset the page would load.
"""

from __future__ import annotations

import json
import posixpath
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from briefing import config as site_config
from briefing.index import build_index
from briefing.pipeline import build
from briefing.project import Project
from briefing.render import render_site
from briefing.write import write_site

from .conftest import REPO

BASE = "https://example.org/briefing/"
LINKING = {"href", "src", "action", "srcset", "poster", "data", "formaction"}
METADATA_RELS = {"canonical", "alternate"}


def build_plain(tmp: Path) -> Path:
    """The seeds as the bundled settings build them (``base_url: null``)."""
    out = tmp / "plain"
    result = build(Project(root=REPO, output=out, cache_dir=tmp / "cache"))
    assert not result.diag.errors
    return out


def build_published(tmp: Path, articles, kb) -> Path:
    """The seeds with a ``base_url``: feeds, sitemap, canonical links and the rest."""
    cfg = site_config.load(REPO / "content" / "site.yaml")
    cfg.base_url, cfg.author = BASE, "The briefing team"
    files = render_site(build_index(articles, kb), cfg, REPO / "templates")
    out = tmp / "published"
    write_site(files, out)
    return out


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    return build_plain(tmp_path_factory.mktemp("links"))


@pytest.fixture(scope="module")
def published(tmp_path_factory, seed_articles, project) -> Path:
    articles = list(seed_articles.values())
    return build_published(tmp_path_factory.mktemp("links"), articles, project.knowledge)


class Page(HTMLParser):
    """Elements with their attributes, ids, and the JSON-LD blocks of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self.jsonld: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        self.elements.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "name" in attrs:
            self.ids.add(attrs["name"])
        self._in_jsonld = tag == "script" and attrs.get("type") == "application/ld+json"
        if self._in_jsonld:
            self.jsonld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld[-1] += data


def pages_of(site: Path) -> dict[str, Page]:
    out = {}
    for path in sorted(site.rglob("*.html")):
        p = Page()
        p.feed(path.read_text(encoding="utf-8"))
        p.close()
        out[path.relative_to(site).as_posix()] = p
    return out


class Checker:
    def __init__(self, site: Path, base: str | None):
        self.site, self.base = site, base
        self.pages = pages_of(site)
        self.problems: list[str] = []

    def target(self, where: str, page: str, link: str) -> None:
        """``link`` (relative to ``page``, or absolute under the base) must exist."""
        if self.base and link.startswith(self.base):
            rel = link[len(self.base) :]
            page = "index.html"  # resolve from the root
        else:
            rel = link
        parts = urlsplit(rel)
        if parts.scheme or parts.netloc or rel.startswith("/"):
            self.problems.append(f"{where}: {link} is not relative to the site")
            return
        path = unquote(parts.path)
        if path:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
            if path == "." or path.endswith("/") or (self.site / path).is_dir():
                path = posixpath.join("" if path == "." else path, "index.html")
        else:
            path = page
        if path.startswith("../"):
            self.problems.append(f"{where}: {link} leads out of the site")
            return
        if not (self.site / path).is_file():
            self.problems.append(f"{where}: {link} -> missing {path}")
            return
        if parts.fragment:
            target = self.pages.get(path)
            if target is None or unquote(parts.fragment) not in target.ids:
                self.problems.append(f"{where}: {link} -> no id {parts.fragment!r} in {path}")

    def absolute(self, where: str, page: str, link: str) -> None:
        """Absolute metadata must point into the published site, at a file that exists."""
        if not self.base or not link.startswith(self.base):
            self.problems.append(f"{where}: absolute {link} outside the site")
        else:
            self.target(where, page, link)

    def html(self) -> None:
        for name, page in self.pages.items():
            for tag, attrs in page.elements:
                where = f"{name} <{tag}>"
                for attr in LINKING & set(attrs):
                    value = attrs[attr].strip()
                    scheme = urlsplit(value).scheme.lower()
                    if attr == "srcset":
                        self.problems.append(f"{where}: srcset is not expected")
                    elif scheme in ("data", "mailto") and not (attr == "src" and tag == "script"):
                        continue
                    elif scheme in ("http", "https"):
                        self.remote(where, name, tag, attr, attrs, value)
                    elif scheme:
                        self.problems.append(f"{where}: {attr}={value!r} has scheme {scheme}")
                    else:
                        self.target(where, name, value)
                if tag == "meta" and attrs.get("content", "").startswith(("http:", "https:")):
                    if attrs.get("property", "").startswith("og:"):
                        self.absolute(where, name, attrs["content"])
                    else:
                        self.problems.append(f"{where}: absolute address in a <meta>")
                if "url(" in attrs.get("style", ""):
                    self.problems.append(f"{where}: url() in a style attribute")
            for block in page.jsonld:
                for url in _urls(json.loads(block)):
                    self.absolute(f"{name} JSON-LD", name, url)

    def remote(self, where, page, tag, attr, attrs, value) -> None:
        rels = set(attrs.get("rel", "").split())
        if page == "404.html" and self.base and value.startswith(self.base):
            # the host serves the 404 page at any depth: only absolute links work there,
            # and they lead to the site's own files
            self.target(where, page, value)
        elif tag == "link" and rels & METADATA_RELS:
            self.absolute(where, page, value)
        elif tag == "a" and attr == "href":
            if self.base and value.startswith(self.base):
                self.problems.append(f"{where}: internal link {value} must be relative")
            # else: a link out (an article's source), followed only if the reader clicks
        else:
            self.problems.append(f"{where}: {attr}={value} would load a remote resource")


def _urls(data) -> list[str]:
    if isinstance(data, dict):
        return [u for v in data.values() for u in _urls(v)]
    if isinstance(data, list):
        return [u for v in data for u in _urls(v)]
    if isinstance(data, str) and data.startswith(("http://", "https://")):
        return [data] if "schema.org" not in data else []
    return []


def check(site: Path, base: str | None) -> list[str]:
    c = Checker(site, base)
    c.html()
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        if "@import" in text or re.search(r"url\(\s*['\"]?(?!data:)", text):
            c.problems.append(f"{css.name}: loads something (url() or @import)")
    for script in (site / "static").glob("*.js"):
        if script.name == "search-index.js":
            continue  # data: article text may quote addresses, never loaded
        text = script.read_text(encoding="utf-8")
        for bad in ("http:", "https:", "fetch(", "XMLHttpRequest", "import(", "WebSocket"):
            if bad in text:
                c.problems.append(f"{script.name}: {bad}")
    return c.problems


def test_every_link_of_the_site_read_from_disk_resolves(plain):
    assert check(plain, None) == []
    # read from disk, nothing absolute at all: no feed, no sitemap, no canonical link
    for name in ("sitemap.xml", "robots.txt", "feeds"):
        assert not (plain / name).exists()
    for page in plain.rglob("*.html"):
        assert BASE not in page.read_text(encoding="utf-8")


def test_every_link_of_the_published_site_resolves(published):
    assert check(published, BASE) == []


def test_feeds_sitemap_and_robots_point_at_files_that_exist(published):
    c = Checker(published, BASE)
    atom = "{http://www.w3.org/2005/Atom}"
    feeds = sorted((published / "feeds").rglob("*.xml"))
    assert feeds
    for feed in feeds:
        root = ET.parse(feed).getroot()
        for link in root.iter(f"{atom}link"):
            c.absolute(feed.name, "index.html", link.get("href"))
        for ident in root.iter(f"{atom}id"):
            c.absolute(feed.name, "index.html", ident.text)
    sitemap = ET.parse(published / "sitemap.xml").getroot()
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    for loc in locs:
        c.absolute("sitemap.xml", "index.html", loc)
    robots = (published / "robots.txt").read_text(encoding="utf-8")
    (line,) = [x for x in robots.splitlines() if x.startswith("Sitemap:")]
    c.absolute("robots.txt", "index.html", line.split(" ", 1)[1])
    assert c.problems == []
    # every page but the 404 is in the sitemap, once
    pages = sorted(p for p in c.pages if p != "404.html")
    assert len(locs) == len(set(locs)) == len(pages)


def test_the_checker_catches_what_it_should(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/b.html#x">ok</a><a href="a/b.html#nope">bad fragment</a>'
        '<a href="missing.html">missing</a><a href="/abs.html">root-relative</a>'
        '<img src="https://cdn.example.com/x.png"><a href="javascript:alert(1)">js</a>'
        '<link rel="stylesheet" href="https://fonts.example.com/f.css">'
        '<a href="https://www.wikidata.org/wiki/Q1">a link out is fine</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "b.html").write_text('<p id="x">x</p><a href="../index.html">up</a>')
    problems = check(tmp_path, None)
    assert len(problems) == 6, problems
    for bit in ("#nope", "missing.html", "/abs.html", "cdn.example.com", "javascript", "fonts"):
        assert any(bit in p for p in problems), bit
