"""The whole pipeline: seeds in, a complete static site out, or the previous site kept."""

from __future__ import annotations

import re
import shutil
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest

from briefing import cli
from briefing.pipeline import build
from briefing.project import Project

from .conftest import REPO, SEEDS

_LINK = re.compile(r"""\b(?:href|src)="([^"]*)\"""")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "site"
    result = build(Project(root=REPO, output=out))
    assert not result.diag.errors
    return out, result


def test_every_page_the_site_promises_exists(built):
    out, result = built
    for page in ("index.html", "leaders/index.html", "topics/index.html", "404.html"):
        assert (out / page).is_file(), page
    for article in result.articles:
        assert (out / "articles" / f"{article.slug}.html").is_file()
    for speaker_id in {sp.id for a in result.articles for sp in a.speakers}:
        assert (out / "leaders" / f"{speaker_id}.html").is_file()
    for theme_id in {t.id for a in result.articles for t in a.themes}:
        assert (out / "topics" / f"{theme_id}.html").is_file()


def test_every_link_is_relative_and_resolves(built):
    out, _ = built
    for page in out.rglob("*.html"):
        for link in _LINK.findall(page.read_text(encoding="utf-8")):
            parts = urlsplit(link)
            if parts.scheme in ("mailto", "data") or link.startswith("#"):
                continue
            assert not parts.scheme and not parts.netloc and not link.startswith("/"), (
                f"{page}: {link}"
            )
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.relative_to(out)} links to missing {link}"
            assert out.resolve() in target.parents


def test_article_pages_show_their_title_and_text(built):
    out, result = built
    for article in result.articles:
        html = (out / "articles" / f"{article.slug}.html").read_text(encoding="utf-8")
        assert article.title.replace("'", "&#39;") in html or article.title in html


def test_build_of_the_same_input_is_byte_identical(built, tmp_path):
    out, _ = built
    again = tmp_path / "site"
    build(Project(root=REPO, output=again))
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def _copy_project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    for name in ("content", "templates", "seeds"):
        shutil.copytree(REPO / name, root / name)
    return root


def test_a_broken_template_keeps_the_previous_site(tmp_path, capsys):
    root = _copy_project(tmp_path)
    assert cli.main(["--root", str(root), "-q"]) == 0
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    (root / "templates" / "article.html").write_text("{% block x %}\n{{ broken \n")
    assert cli.main(["--root", str(root), "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and re.match(r"error: .*article\.html:\d+: ", err[0]), err
    after = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before


def test_a_bad_article_costs_only_itself(tmp_path, capsys):
    root = _copy_project(tmp_path)
    (root / "seeds" / "zz_bad.txt").write_text("Text.\n")
    (root / "seeds" / "zz_bad.yaml").write_text("published: yesterday-ish\n")
    assert cli.main(["--root", str(root), "-q"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"error: {root / 'seeds' / 'zz_bad.yaml'}:1: 'published' is not a real date: 'yesterday-ish' — write YYYY-MM-DD"
    ]
    assert len(list((root / "site" / "articles").glob("*.html"))) == len(list(SEEDS.glob("*.txt")))


def test_nothing_is_written_outside_the_output_folder(tmp_path):
    root = _copy_project(tmp_path)
    before = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert cli.main(["--root", str(root), "-q"]) == 0
    after = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    added = {PurePosixPath(p).parts[1] for p in set(after) - set(before)}
    assert added <= {"site", ".site.lock", ".briefing-cache"}  # the output, its lock, the cache


def test_run_is_main_with_the_leftovers_frozen_for_the_process_end(monkeypatch):
    import gc

    asked, frozen = [], []
    monkeypatch.setattr(cli, "main", lambda argv=None, root=None: asked.append(argv) or 3)
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(len(asked)))
    assert cli.run(["--root", "x"]) == 3
    assert asked == [["--root", "x"]] and frozen == [1], "frozen once main is done"


def test_the_knowledge_read_back_from_the_cache_needs_no_yaml_parser():
    import subprocess
    import sys

    code = "import sys, briefing.knowledge, briefing.yamlio; print('yaml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr
