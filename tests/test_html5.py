"""Every page of the site parses as HTML5 without a single parse error (html5lib, strict).

Checked on the seeds built as read from disk and as published, and on pages made from
hostile content (markup in titles and text, a Markdown page full of script).
"""

from __future__ import annotations

import html5lib
import pytest

from .test_links import build_plain, build_published
from .test_render import site
from .test_site import HOSTILE, content_with, render


def errors_of(html: str | bytes) -> list[str]:
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    parser.parse(html)
    return [f"line {line}:{col} {code} {data}" for (line, col), code, data in parser.errors]


def assert_html5(files: dict) -> None:
    pages = {p: c for p, c in files.items() if p.endswith(".html")}
    assert pages
    problems = {p: errors_of(c) for p, c in pages.items()}
    assert {p: e for p, e in problems.items() if e} == {}
    for content in pages.values():  # strict mode raises at the first error: none either
        html5lib.HTMLParser(strict=True).parse(content)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory, seed_articles, project):
    tmp = tmp_path_factory.mktemp("html5")
    plain = build_plain(tmp)
    published = build_published(tmp, list(seed_articles.values()), project.knowledge)
    return plain, published


def _read(folder) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.html")}


def test_every_seed_page_is_valid_html5(seeds):
    plain, published = seeds
    assert_html5(_read(plain))
    assert_html5(_read(published))


def test_pages_of_hostile_content_are_valid_html5(tmp_path):
    from .test_index import make_article

    a = make_article('Zarif said <b>"no"</b> & </p></main> left.\n\n## <h1>x', "x", title="<i>")
    assert_html5(site([a]))
    assert_html5(render(content_dir=content_with(tmp_path, about=HOSTILE)))


def test_the_checker_sees_errors():
    assert errors_of("<!doctype html><title>x</title><p><div></p>")
    assert not errors_of("<!doctype html><html lang=en><title>x</title><p>ok</p></html>")
