"""The site beyond the archive pages: Markdown pages, search, downloads, metadata.

Markdown pages (``content/pages/*.md``) are sanitised; search is a script index plus a
small script that works from ``file://``; downloads are the annotation export and a
statements table; a published site (``base_url``) carries canonical links, Open Graph
and schema.org JSON-LD. Everything is deterministic.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefing import downloads, export, pages, search
from briefing.index import build_index
from briefing.render import render_site

from .conftest import REPO
from .test_index import make_kb, two_speaker_article
from .test_render import TEMPLATES, Config, annotated, parse

BASE = "https://example.org/briefing/"


def render(articles=None, config=None, content_dir=None) -> dict:
    if articles is None:
        articles = [
            annotated(),
            two_speaker_article("win", event_window=("2020-05-07", "2021-08-03"), title="Window"),
        ]
    return render_site(
        build_index(articles, make_kb()), config or Config(), TEMPLATES, content_dir=content_dir
    )


def content_with(tmp_path: Path, **md: str) -> Path:
    folder = tmp_path / "content" / "pages"
    folder.mkdir(parents=True)
    for name, text in md.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return tmp_path / "content"


# --- Markdown pages -----------------------------------------------------------------


def test_a_markdown_page_becomes_a_page_linked_from_every_footer(tmp_path):
    content = content_with(
        tmp_path, about="# About us\n\nWe *annotate*.\n\n## Method\n\nRules.", sources="Outlets."
    )
    files = render(content_dir=content)
    about = files["about.html"]
    assert "<title>About us · Briefing archive</title>" in about
    assert "<h1>About us</h1>" in about and "<p>We <em>annotate</em>.</p>" in about
    assert '<h2 id="method">Method</h2>' in about  # under the page's own h1
    assert "<h1>Sources</h1>" in files["sources.html"]  # no heading: named after the file
    for page in ("index.html", "articles/call.html", "leaders/raisi.html"):
        prefix = "../" if "/" in page else ""
        assert f'<a href="{prefix}about.html">About us</a>' in files[page]
        assert f'<a href="{prefix}sources.html">Sources</a>' in files[page]
    assert '<a href="about.html" aria-current="page">About us</a>' in about


@dataclass
class ConfigAt(Config):
    path: str = str(REPO / "content" / "site.yaml")  # as SiteConfig has it once loaded


def test_the_bundled_about_page_is_found_beside_site_yaml():
    files = render(config=ConfigAt())
    assert "<h1>About this archive</h1>" in files["about.html"]


HOSTILE = """# Hello <script>alert(1)</script>

<script>alert("x")</script>
<img src="https://tracker.example.com/p.gif" onerror="alert(2)">
[click](javascript:alert(3)) [data](data:text/html,<script>alert(4)</script>)
<a href="JAVASCRIPT:alert(5)" onclick="alert(6)">x</a>
<iframe src="https://evil.example.com"></iframe>
<p style="background:url(https://x.example.com/a.png)">styled</p>
<form action="https://evil.example.com"><input name="q"></form>
[fine](https://example.com/) [local](leaders/index.html) [mail](mailto:a@example.com)
"""


def test_markdown_pages_are_sanitised(tmp_path):
    html = render(content_dir=content_with(tmp_path, about=HOSTILE))["about.html"]
    body = html[html.index('<main id="main"') :]
    lowered = body.lower()
    for bad in ("<script", "javascript:", "onerror", "onclick", "<iframe", "<img", "<form"):
        assert bad not in lowered, bad
    assert "data:text/html" not in body and "style=" not in body
    assert "tracker.example.com" not in body and "evil.example.com" not in body
    assert '<a href="https://example.com/" rel="noopener noreferrer">fine</a>' in body
    assert '<a href="leaders/index.html" rel="noopener noreferrer">local</a>' in body
    assert 'href="mailto:a@example.com"' in body
    assert not parse(html).errors


def test_a_page_never_takes_the_name_of_a_site_page(tmp_path):
    files = render(content_dir=content_with(tmp_path, search="# Mine", index="# Home"))
    assert "<h1>Mine</h1>" in files["page-search.html"]
    assert "<h1>Home</h1>" in files["page-index.html"]
    assert "<h1>Search</h1>" in files["search.html"]


def test_pages_load_nothing_when_there_is_no_folder(tmp_path):
    assert pages.load(None) == [] and pages.load(tmp_path / "none") == []


# --- search -------------------------------------------------------------------------


def index_data(files: dict) -> dict:
    text = files[search.PATH]
    assert text.startswith("window.BRIEFING_SEARCH = ") and text.endswith(";\n")
    assert text.isascii()  # whatever charset the browser assumes
    return json.loads(text[len("window.BRIEFING_SEARCH = ") : -2])


def test_the_search_index_covers_titles_statements_speakers_and_themes():
    data = index_data(render())
    assert data["leaders"] == [["raisi", "Ebrahim Raisi"], ["kadhimi", "Mustafa al-Kadhimi"]]
    assert data["topics"] == [["security", "Security"], ["yemen", "Yemen"]]
    call, window = data["articles"]
    assert call == {
        "u": "articles/call.html",
        "t": "CALL",
        "o": "Mehr",
        "d": "12 September 2021",
        "y": ["2021"],
        "l": [0, 1],
        "k": [0, 1],  # security (0.9) before yemen (0.5)
    }
    assert window["y"] == ["2020", "2021"]  # a window counts for every year it spans
    # three statements per article, newest article first and in reading order
    assert len(data["statements"]) == 6
    first = data["statements"][0]
    assert first == {
        "a": 0,
        "s": 1,
        "u": "articles/call.html#s-1",
        "l": 0,
        "x": "Raisi said security matters.",
        "q": "indirect",
        "k": [0],
    }


def test_the_search_page_works_without_script_by_saying_so():
    html = render()["search.html"]
    assert '<p id="search-off" class="notice">Search needs JavaScript' in html
    assert '<form id="search-form"' in html and "hidden>" in html
    # filters are filled at build time: leaders, topics, years
    assert '<option value="raisi">Ebrahim Raisi</option>' in html
    assert '<option value="yemen">Yemen</option>' in html
    assert [y for y in re.findall(r'<option value="(\d{4})">', html)] == ["2021", "2020"]
    # the index is a script, not fetched: it works from file://
    assert '<script src="static/search-index.js"></script>' in html
    assert '<script src="static/search.js"></script>' in html


def test_the_search_script_builds_results_without_html_strings():
    js = (TEMPLATES / "static" / "search.js").read_text(encoding="utf-8")
    assert "innerHTML" not in js and "eval(" not in js and "fetch(" not in js
    assert "textContent" in js


# --- downloads ----------------------------------------------------------------------


def test_the_json_download_is_the_annotation_export_in_file_order():
    articles = [annotated(), two_speaker_article("b", event_date="2020-01-02", title="B")]
    files = render(articles)
    assert files[downloads.JSON_PATH] == export.dumps(articles[::-1])  # b.txt, call.txt
    assert json.loads(files[downloads.JSON_PATH])["schema"] == export.SCHEMA_ID


def test_the_seeds_json_download_is_what_build_py_annotate_writes(tmp_path, seed_archive, project):
    import subprocess
    import sys

    out = tmp_path / "annotations.json"
    subprocess.run(
        [sys.executable, "build.py", "annotate", "seeds", "--json", str(out), "--quiet"],
        cwd=REPO,
        check=True,
    )
    files = render_site(seed_archive, project.config, REPO / "templates")
    assert files[downloads.JSON_PATH] == out.read_text(encoding="utf-8")
    assert str(REPO) not in files[downloads.JSON_PATH]  # no path of the building machine


def test_the_csv_download_has_one_row_per_statement():
    a = annotated()
    a.speakers[0].statements[0].cue = "said"
    a.speakers[1].statements[0].text = "=HYPERLINK(evil)"  # a formula must stay text
    rows = list(csv.reader(io.StringIO(render([a])[downloads.CSV_PATH], newline="")))
    assert tuple(rows[0]) == downloads.COLUMNS
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert [(r["speaker"], r["sentence"]) for r in body] == [
        ("Ebrahim Raisi", "Raisi said security matters."),
        ("Mustafa al-Kadhimi", "Al-Kadhimi said Iraq wants peace."),
        ("Ebrahim Raisi", "Raisi also spoke about Yemen."),
    ]
    first = body[0]
    assert first["article_id"] == "call" and first["date"] == "2021-09-12"
    assert first["role"] == "President of Iran" and first["cue"] == "said"
    assert first["themes"] == "security" and first["link"] == "articles/call.html#s-1"
    assert body[1]["statement"] == "'=HYPERLINK(evil)"
    window = two_speaker_article("w", event_window=("2020-05-07", "2021-08-03"))
    rows = list(csv.reader(io.StringIO(render([window])[downloads.CSV_PATH])))
    assert rows[1][2] == "2020-05-07/2021-08-03"  # an ISO 8601 interval


def test_csv_lines_are_what_the_csv_module_writes():
    cells = ["", "plain", 'say "yes"', "a,b", "two\nlines", "cr\rhere", "'quoted'", " spaced "]
    cells += ["=1+1", "+x", "-y", "@z", "\tt", "\rr", "é, “curly”", '"', ",", "\r\n"]
    for row in ([c, "x"] for c in cells):
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerow(
            ["'" + c if c[:1] in ("=", "+", "-", "@", "\t", "\r") else c for c in row]
        )
        assert downloads.csv_line(row) == out.getvalue(), row


def test_with_a_base_url_the_csv_links_are_absolute():
    files = render(config=Config(base_url=BASE))
    assert f",{BASE}articles/call.html#s-1\r\n" in files[downloads.CSV_PATH]


def test_the_downloads_page_links_both_files_with_what_they_hold():
    files = render()
    html = files["downloads.html"]
    rows = files[downloads.CSV_PATH].count("\r\n") - 1  # less the header
    articles = len(json.loads(files[downloads.JSON_PATH])["articles"])
    assert '<a href="downloads/annotations.json" type="application/json">' in html
    assert '<a href="downloads/statements.csv" type="text/csv">' in html
    assert f"annotations.json, {articles} articles" in html
    assert f"statements.csv, {rows} statements" in html
    assert '<a href="downloads.html">Downloads</a>' in files["index.html"]


# --- GitHub Pages, metadata ---------------------------------------------------------


def test_nojekyll_is_in_the_site():
    assert render()[".nojekyll"] == ""


def test_a_published_article_has_open_graph_and_news_article_json_ld():
    a = annotated()
    a.title = "Talks </script><script>alert(1)</script> & more"
    a.published, a.url = "2021-09-13", "https://www.mehrnews.com/news/1"
    html = render([a], Config(base_url=BASE))["articles/call.html"]
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="{BASE}articles/call.html">' in html
    assert '<meta property="article:published_time" content="2021-09-13">' in html
    block = html[html.index('<script type="application/ld+json">') :]
    block = block[block.index(">") + 1 : block.index("</script>")]
    assert "<" not in block  # nothing in the data can end the script element
    data = json.loads(block)
    assert data["@type"] == "NewsArticle" and data["headline"] == a.title
    assert data["url"] == data["mainEntityOfPage"] == f"{BASE}articles/call.html"
    assert data["datePublished"] == "2021-09-13" and data["isBasedOn"] == a.url
    assert data["publisher"] == {"@type": "Organization", "name": "Mehr"}
    assert data["dateline"] == "TEHRAN"
    assert [p["name"] for p in data["mentions"]] == ["Ebrahim Raisi", "Mustafa al-Kadhimi"]
    assert data["mentions"][0]["url"] == f"{BASE}leaders/raisi.html"
    assert [t["name"] for t in data["about"]] == ["Security", "Yemen"]
    assert html.count("<script") == 1


def test_canonical_links_name_folders_not_index_files():
    files = render(config=Config(base_url=BASE))
    assert f'<link rel="canonical" href="{BASE}">' in files["index.html"]
    assert f'<link rel="canonical" href="{BASE}leaders/">' in files["leaders/index.html"]
    assert "canonical" not in files["404.html"]  # the 404 page is no address of its own
    assert f'<a href="{BASE}search.html">Search the archive</a>' in files["404.html"]


def test_a_long_headline_is_cut_for_json_ld():
    a = annotated()
    a.title = "word " * 40
    html = render([a], Config(base_url=BASE))["articles/call.html"]
    block = html[html.index("application/ld+json") :]
    data = json.loads(block[block.index(">") + 1 : block.index("</script>")])
    assert len(data["headline"]) == 110 and data["headline"].endswith("\u2026")


# --- the seeds, built twice ------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_archive(seed_articles, project):
    return build_index(list(seed_articles.values()), project.knowledge)


def test_rendering_the_seeds_twice_gives_the_same_bytes(seed_archive, project):
    config = project.config
    one = render_site(seed_archive, config, REPO / "templates")
    two = render_site(seed_archive, config, REPO / "templates")
    assert one == two
    assert {"about.html", "search.html", "downloads.html", ".nojekyll", search.PATH} <= set(one)


def test_the_seed_search_index_has_every_statement(seed_archive, project):
    files = render_site(seed_archive, project.config, REPO / "templates")
    data = index_data(files)
    statements = sum(len(sp.statements) for e in seed_archive.articles for sp in e.article.speakers)
    assert len(data["statements"]) == statements > 0
    assert len(data["articles"]) == len(seed_archive.articles)


def test_the_search_index_is_written_in_pieces_as_one_json_document(seed_archive, monkeypatch):
    from briefing import search

    whole = json.dumps(
        search.data(seed_archive), ensure_ascii=True, separators=(",", ":"), sort_keys=True
    )
    assert search.script(seed_archive) == f"window.{search.GLOBAL} = {whole};\n"
    monkeypatch.setattr(search, "BATCH", 1)  # a piece an article, in each list
    assert len(list(search.script_chunks(seed_archive))) > 2 * len(seed_archive.articles)


# --- incremental builds with the site's plan ----------------------------------------------


def _site_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_incremental_builds_with_the_plan_equal_builds_from_scratch(tmp_path, monkeypatch):
    """Whatever the edit, pages kept from the last build are the pages a cold build makes."""
    import shutil

    from briefing import render as render_module
    from briefing.pipeline import Builder
    from briefing.project import Project

    root = tmp_path / "proj"
    for name in ("content", "templates", "seeds"):
        shutil.copytree(REPO / name, root / name)
    builder = Builder(Project(root=root), jobs=1)
    assert not builder.build().diag.errors
    rendered: list[str] = []
    real = render_module.PlannedPage.render

    def counting(page):
        rendered.append(page.path)
        return real(page)

    monkeypatch.setattr(render_module.PlannedPage, "render", counting)
    seeds = sorted((root / "seeds").glob("*.txt"))

    def edit_statement():  # one more statement: its article, leader and topic pages
        text = seeds[0].read_text(encoding="utf-8")
        seeds[0].write_text(
            text + "\n\nRaisi said regional security needs cooperation.\n", encoding="utf-8"
        )

    def edit_statement_theme():  # a statement on a topic the article was not about
        text = seeds[0].read_text(encoding="utf-8")
        seeds[0].write_text(
            text + "\n\nRaisi said the coronavirus pandemic must be defeated.\n", encoding="utf-8"
        )

    def add_article():  # the same speakers again: their pages, the archive's pages
        (root / "seeds" / "zzz_new.txt").write_text(
            seeds[1].read_text(encoding="utf-8") + "\n\nThe talks went on.\n", encoding="utf-8"
        )

    def edit_page():
        about = root / "content" / "pages" / "about.md"
        about.write_text("# About\n\nRewritten.\n", encoding="utf-8")

    def remove_article():
        seeds[2].unlink()

    def publish():
        site_yaml = root / "content" / "site.yaml"
        text = site_yaml.read_text(encoding="utf-8")
        site_yaml.write_text(
            text.replace("base_url: null", "base_url: https://example.org/x/"), encoding="utf-8"
        )

    for step, edit in enumerate(
        [edit_statement, edit_statement_theme, add_article, edit_page, remove_article, publish]
    ):
        rendered.clear()
        edit()
        result = builder.build()
        assert not result.diag.errors, edit.__name__
        again = set(rendered)
        cold = tmp_path / f"cold{step}"
        Builder(Project(root=root, output=cold), jobs=1, use_cache=False).build()
        assert _site_bytes(root / "site") == _site_bytes(cold), edit.__name__
        if edit in (edit_statement, edit_statement_theme, add_article):
            # only what the edit touches is rendered again
            assert 0 < len(again) < result.files / 2, (edit.__name__, sorted(again))
