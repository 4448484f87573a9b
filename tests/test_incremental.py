"""Incremental builds: a rebuild redoes what an edit affects, and nothing else."""

from __future__ import annotations

import errno
import io
import os
import re
import shutil
import sys
import types
from pathlib import Path

import pytest

from briefing import cache, cli, forked, incremental, pagepool, progress, relink, workers
from briefing.errors import BriefingError
from briefing.pipeline import Builder
from briefing.project import Project

from .conftest import REPO, joined, rendered_pages


def _copy_project(root: Path) -> Path:
    for name in ("content", "templates", "seeds"):
        shutil.copytree(REPO / name, root / name)
    return root


def _files(site: Path) -> dict[str, tuple[int, int, bytes]]:
    """relpath -> (inode, mtime, bytes) of every file of the site."""
    out = {}
    for p in sorted(site.rglob("*")):
        if p.is_file():
            st = p.stat()
            out[p.relative_to(site).as_posix()] = (st.st_ino, st.st_mtime_ns, p.read_bytes())
    return out


def _bytes(site: Path) -> dict[str, bytes]:
    return {rel: data for rel, (_, _, data) in _files(site).items()}


def _scratch(root: Path, output: Path) -> dict[str, bytes]:
    """The bytes of every file of a build of ``root`` from scratch into ``output``."""
    Builder(Project(root=root, output=output), jobs=1, use_cache=False).build()
    return _bytes(output)


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return _copy_project(tmp_path_factory.mktemp("incremental") / "proj")


@pytest.fixture(scope="module")
def builder(root):
    builder = Builder(Project(root=root), jobs=1)
    first = builder.build()
    assert first.count == len(list((root / "seeds").glob("*.txt"))) and not first.diag.errors
    return builder


def _article_page(root: Path, stem: str) -> Path:
    return root / "site" / "articles" / (stem.replace("_", "-") + ".html")


def test_a_no_op_rebuild_writes_no_file(root, builder):
    before = _files(root / "site")
    result = builder.build()
    assert result.noop and result.annotated == 0 and result.written == 0
    assert _files(root / "site") == before  # same inodes, same mtimes, same bytes


def test_a_no_op_rebuild_from_the_command_line_writes_no_file(root, builder, capsys):
    before = _files(root / "site")
    assert cli.main(["--root", str(root)]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert _files(root / "site") == before


def test_the_project_folder_spelt_relative_to_the_working_folder_finds_the_same_build(
    tmp_path, monkeypatch, capsys
):
    root = _copy_project(tmp_path / "proj")
    assert cli.main(["--root", str(root), "-j", "1"]) == 0
    monkeypatch.chdir(tmp_path)
    before = _files(root / "site")
    assert cli.main(["--root", root.name, "--output", "proj/site", "-j", "1"]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert _files(root / "site") == before
    seed = sorted((root / "seeds").glob("*.txt"))[0]
    seed.write_text(seed.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert cli.main(["--root", root.name, "-j", "1"]) == 0
    assert "(1 annotated)" in capsys.readouterr().out


def test_one_changed_article_is_the_only_one_annotated(root, builder):
    seed = sorted((root / "seeds").glob("*.txt"))[1]
    before = _files(root / "site")
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace(" the ", " the very ", 1), encoding="utf-8")
    result = builder.build()
    assert result.annotated == 1 and result.count == len(list(seed.parent.glob("*.txt")))
    after = _files(root / "site")
    page = _article_page(root, seed.stem).relative_to(root / "site").as_posix()
    assert after[page][2] != before[page][2]
    untouched = [rel for rel in before if rel.startswith("articles/") and rel != page]
    assert untouched and all(after[rel] == before[rel] for rel in untouched)
    assert 0 < result.written < result.files


def test_an_incremental_build_equals_a_build_from_scratch(root, builder, tmp_path):
    seed = sorted((root / "seeds").glob("*.txt"))[2]
    seed.write_text(seed.read_text(encoding="utf-8") + "\nThe talks ended on Monday.\n")
    builder.build()
    assert _bytes(root / "site") == _scratch(root, tmp_path / "site")


def test_a_markdown_page_edited_is_made_again_and_every_menu_with_its_new_title(
    root, builder, tmp_path
):
    about = root / "content" / "pages" / "about.md"
    text = about.read_text(encoding="utf-8")
    about.write_text(text + "\nA line added to the page.\n", encoding="utf-8")
    builder.build()
    assert "A line added to the page." in (root / "site" / "about.html").read_text()
    title = text.splitlines()[0]
    about.write_text(text.replace(title, "# Retitled page", 1), encoding="utf-8")
    builder.build()
    page = next((root / "site" / "articles").glob("*.html")).read_text(encoding="utf-8")
    assert "Retitled page" in page  # every page's menu names it
    about.write_text(text, encoding="utf-8")
    builder.build()
    assert _bytes(root / "site") == _scratch(root, tmp_path / "site")


def test_a_removed_article_loses_its_page(root, builder):
    seed = sorted((root / "seeds").glob("*.txt"))[-1]
    page = _article_page(root, seed.stem)
    assert page.is_file()
    moved = root / "removed.txt"
    seed.rename(moved)
    try:
        result = builder.build()
        assert not page.exists() and result.annotated == 0
    finally:
        moved.rename(seed)
    assert builder.build().annotated == 0 and page.is_file()  # back from the cache


def test_a_bad_article_is_reported_again_by_a_no_op_rebuild(root, builder, capsys):
    bad = root / "seeds" / "zz_bad.txt"
    bad.write_text("Text.\n")
    bad.with_suffix(".yaml").write_text("published: someday\n")
    try:
        assert cli.main(["--root", str(root), "-q"]) == 1
        first = capsys.readouterr().err
        assert cli.main(["--root", str(root)]) == 1
        captured = capsys.readouterr()
        assert "nothing changed" in captured.out and captured.err == first
        assert "'published' is not a real date" in first
    finally:
        bad.unlink()
        bad.with_suffix(".yaml").unlink()


def test_annotation_in_parallel_gives_the_same_site(root, builder, tmp_path, monkeypatch):
    monkeypatch.setattr(workers, "MIN_PARALLEL", 2)  # five seeds are enough for a pool
    out = tmp_path / "site"
    result = Builder(Project(root=root, output=out), jobs=2, use_cache=False).build()
    assert result.annotated == result.count
    builder.build()
    serial = {rel: data for rel, (_, _, data) in _files(root / "site").items()}
    assert {rel: data for rel, (_, _, data) in _files(out).items()} == serial


def test_pages_rendered_in_workers_are_the_pages_rendered_here(
    root, builder, tmp_path, monkeypatch
):
    monkeypatch.setattr(pagepool, "MIN_PAGES", 2)  # the seeds' few pages are enough
    out = tmp_path / "site"
    result = Builder(Project(root=root, output=out), jobs=2).build()
    assert "render+write" in result.timings  # the workers did render
    builder.build()
    serial = {rel: data for rel, (_, _, data) in _files(root / "site").items()}
    assert {rel: data for rel, (_, _, data) in _files(out).items()} == serial


def test_a_template_error_in_a_render_worker_is_the_error_of_the_build(root, tmp_path, monkeypatch):
    monkeypatch.setattr(pagepool, "MIN_PAGES", 2)
    proj = _copy_project(tmp_path / "proj")
    page = proj / "templates" / "topic.html"
    text = page.read_text().replace("{% endblock %}", "{{ no_such_thing.attribute }}{% endblock %}")
    page.write_text(text)
    builder = Builder(Project(root=proj), jobs=2, use_cache=False)
    with pytest.raises(Exception, match="no_such_thing"):
        builder.build()
    assert not (proj / "site").exists()  # nothing half written
    assert not (proj / ".site.tmp").exists()


def test_a_bad_article_in_a_parallel_build_costs_only_itself(root, tmp_path, monkeypatch):
    monkeypatch.setattr(workers, "MIN_PARALLEL", 2)
    bad = root / "seeds" / "zz_bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    try:
        result = Builder(Project(root=root, output=tmp_path / "site"), jobs=2).build()
    finally:
        bad.unlink()
    assert [e.path for e in result.diag.errors] == [str(bad)]
    assert result.count == len(list((root / "seeds").glob("*.txt")))


def test_an_edit_during_the_build_is_seen_by_the_next_one(root, builder, monkeypatch):
    """A file saved while it was being read is not taken for the version that was read."""
    seed = sorted((root / "seeds").glob("*.txt"))[0]
    original = seed.read_text(encoding="utf-8")
    from briefing import read

    real = read.read_article

    def read_then_edit(path, diag=None):
        raw = real(path, diag)
        if Path(path) == seed:
            seed.write_text(original.replace(" the ", " a ", 1), encoding="utf-8")
        return raw

    seed.write_text(original + "\nEdited once.\n", encoding="utf-8")
    monkeypatch.setattr(read, "read_article", read_then_edit)
    builder.build()
    monkeypatch.setattr(read, "read_article", real)
    result = builder.build()
    assert not result.noop and result.annotated == 1
    html = _article_page(root, seed.stem).read_text(encoding="utf-8")
    assert "Edited once" not in html


def test_a_quote_added_makes_the_export_from_the_last_one_with_its_line_swapped(
    tmp_path, monkeypatch
):
    from briefing import downloads

    root = _copy_project(tmp_path / "proj")
    builder = Builder(Project(root=root), jobs=1)
    builder.build()
    monkeypatch.setattr(relink, "FEW", 2)  # one article of five is "a few"
    seed = sorted((root / "seeds").glob("*.txt"))[0]
    quote = "\n\u201cWe will keep talking,\u201d Rouhani told reporters.\n"
    seed.write_text(seed.read_text(encoding="utf-8") + quote, encoding="utf-8")
    real = downloads.annotations_chunks
    monkeypatch.setattr(downloads, "annotations_chunks", lambda *a: pytest.fail("made anew"))
    result = builder.build()
    assert result.annotated == 1 and not result.fast  # other pages show the quote
    monkeypatch.setattr(downloads, "annotations_chunks", real)
    export = (root / "site" / downloads.JSON_PATH).read_bytes()
    assert b"We will keep talking" in export
    assert export == _from_scratch(root, tmp_path)[downloads.JSON_PATH]


def test_a_quote_added_makes_the_table_and_the_search_index_from_the_last_ones(
    tmp_path, monkeypatch
):
    from briefing import downloads, search

    root = _copy_project(tmp_path / "proj")
    builder = Builder(Project(root=root), jobs=1)
    builder.build()
    seed = sorted((root / "seeds").glob("*.txt"))[0]
    # first a sentence nobody says: a rebuild without index, which keeps the record
    seed.write_text(seed.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert builder.build().fast
    monkeypatch.setattr(relink, "FEW", 2)  # one article of five is "a few"
    quote = "\n\u201cWe will keep talking,\u201d Rouhani told reporters.\n"
    seed.write_text(seed.read_text(encoding="utf-8") + quote, encoding="utf-8")
    monkeypatch.setattr(downloads, "statements_chunks", lambda *a: pytest.fail("made anew"))
    monkeypatch.setattr(search, "script_chunks", lambda *a: pytest.fail("made anew"))
    assert not builder.build().fast
    monkeypatch.undo()
    site = root / "site"
    table, index = (site / downloads.CSV_PATH).read_bytes(), (site / search.PATH).read_bytes()
    assert b"We will keep talking" in table and b"We will keep talking" in index
    scratch = _from_scratch(root, tmp_path)
    assert table == scratch[downloads.CSV_PATH] and index == scratch[search.PATH]
    # and again, in a new builder (as a new process would, reading the state back), from
    # what the splice recorded: its blocks are where it wrote them
    seed.write_text(seed.read_text(encoding="utf-8").replace(quote, ""), encoding="utf-8")
    monkeypatch.setattr(relink, "FEW", 2)
    monkeypatch.setattr(downloads, "statements_chunks", lambda *a: pytest.fail("made anew"))
    monkeypatch.setattr(search, "script_chunks", lambda *a: pytest.fail("made anew"))
    Builder(Project(root=root), jobs=1).build()
    monkeypatch.undo()
    scratch = _from_scratch(root, tmp_path / "again")
    for path in (downloads.CSV_PATH, search.PATH):
        assert (site / path).read_bytes() == scratch[path]


# -- the write ------------------------------------------------------------------------------
def test_only_changed_files_are_written(tmp_path):
    site = tmp_path / "site"
    report = relink.write_changed({"a.html": "A", "d/b.html": "B"}, site)
    assert report.written == 2
    before = _files(site)
    report = relink.write_changed({"a.html": "A", "d/b.html": "B2"}, site, report.manifest)
    after = _files(site)
    assert report.written == 1 and after["a.html"] == before["a.html"]
    assert after["d/b.html"][2] == b"B2"


def test_nothing_at_all_is_done_when_no_byte_changed(tmp_path):
    site = tmp_path / "site"
    report = relink.write_changed({"a.html": "A"}, site)
    inode = site.stat().st_ino
    again = relink.write_changed({"a.html": "A"}, site, report.manifest)
    assert not again.swapped and site.stat().st_ino == inode


def _pages(n: int, changed: int = -1) -> dict:
    return {
        f"p/{i:03}.html": relink.Make(lambda i=i: f"page {i}{'!' * (i == changed)}")
        for i in range(n)
    }


def test_render_workers_place_the_pages_and_only_the_changed_ones_are_written(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(pagepool, "MIN_PAGES", 2)
    site = tmp_path / "site"
    files = {**_pages(40), "big.json": relink.Stream(lambda: iter(["[", "1", "]"]))}
    with pagepool.rendering(files, 2, site, None) as workers:
        assert workers is not None
        report = relink.write_changed(files, site, None, workers.begin)
    assert report.written == 41 and (site / "p" / "007.html").read_text() == "page 7"
    before = _files(site)
    files = {**_pages(40, changed=7), "big.json": relink.Stream(lambda: iter(["[1]"]))}
    with pagepool.rendering(files, 2, site, report.manifest) as workers:
        report = relink.write_changed(files, site, report.manifest, workers.begin)
    after = _files(site)
    assert report.written == 1 and after["p/007.html"][2] == b"page 7!"
    assert {k: v for k, v in after.items() if k != "p/007.html"} == {
        k: v for k, v in before.items() if k != "p/007.html"
    }  # the rest linked: same inodes, same mtimes


def test_no_render_worker_is_started_when_its_copy_of_the_archive_would_not_fit(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(pagepool, "MIN_PAGES", 2)
    monkeypatch.setattr(pagepool, "MEMORY", 1 << 20)  # less than this process already takes
    site = tmp_path / "site"
    files = _pages(40)
    with pagepool.rendering(files, 2, site, None) as workers:
        assert workers is None
        report = relink.write_changed(files, site, None)
    assert report.written == 40 and (site / "p" / "039.html").read_text() == "page 39"


def test_the_early_worker_s_jobs_are_made_only_when_it_makes_the_pages(tmp_path, monkeypatch):
    monkeypatch.setattr(pagepool, "MEMORY", 1 << 20)  # no render worker fits: the early one
    asked = []

    def jobs() -> dict:
        asked.append(1)
        return {}

    def submit(*args):
        raise AssertionError("no page to make: the worker has no job")

    early = types.SimpleNamespace(pool=types.SimpleNamespace(submit=submit))
    for pages, wanted in ((pagepool.MIN_PAGES - 1, []), (pagepool.MIN_PAGES, [1])):
        asked.clear()
        files = _pages(pages)
        with pagepool.rendering(files, 2, tmp_path / "site", None, early, jobs) as workers:
            relink.write_changed(files, tmp_path / "site", None, workers and workers.begin)
        assert asked == wanted


def test_a_page_failing_in_a_render_worker_leaves_no_half_written_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(pagepool, "MIN_PAGES", 2)
    site = tmp_path / "site"

    def broken():
        raise ValueError("no such page")

    files = {**_pages(40), "p/020.html": relink.Make(broken)}
    with (
        pytest.raises(ValueError, match="no such page"),
        pagepool.rendering(files, 2, site, None) as workers,
    ):
        relink.write_changed(files, site, None, workers.begin)
    assert not site.exists() and not (tmp_path / ".site.tmp").exists()


def test_a_file_no_longer_built_is_removed(tmp_path):
    site = tmp_path / "site"
    relink.write_changed({"a.html": "A", "b.html": "B"}, site)
    report = relink.write_changed({"a.html": "A"}, site)
    assert report.removed == 1 and sorted(p.name for p in site.iterdir()) == ["a.html"]


def test_a_failed_write_keeps_the_previous_site(tmp_path, monkeypatch):
    site = tmp_path / "site"
    relink.write_changed({"a.html": "A", "b.html": "B"}, site)
    before = _files(site)
    real_open = open

    def failing_open(path, mode="r", *args, **kwargs):
        if "w" in mode and str(path).endswith("c.html"):
            raise OSError(28, "No space left on device", str(path))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", failing_open)
    with pytest.raises(BriefingError, match="previous site is kept"):
        relink.write_changed({"a.html": "A2", "b.html": "B", "c.html": "C"}, site)
    monkeypatch.undo()
    assert _files(site) == before
    assert sorted(os.listdir(tmp_path)) == ["site"]


def test_a_file_made_in_pieces_is_written_whole_and_kept_when_unchanged(tmp_path):
    site = tmp_path / "site"
    pieces = lambda: (f"row {i}\n" for i in range(1000))  # noqa: E731
    report = relink.write_changed({"big.csv": relink.Stream(pieces), "a.html": "A"}, site)
    assert (site / "big.csv").read_text() == "".join(pieces()) and report.written == 2
    inode = (site / "big.csv").stat().st_ino
    again = relink.write_changed(
        {"big.csv": relink.Stream(pieces), "a.html": "A2"}, site, report.manifest
    )
    assert again.written == 1 and (site / "big.csv").stat().st_ino == inode


def test_a_file_made_in_pieces_is_compared_with_the_site_s_by_its_bytes_not_hashed(tmp_path):
    # a large archive's export is hundreds of megabytes: hashing it was most of a rebuild
    site = tmp_path / "site"
    first = relink.write_changed({"big.csv": relink.Stream(lambda: iter(["1\n"]))}, site)
    grown = relink.Stream(lambda: iter(["1\n", "22\n"]))
    report = relink.write_in_place({"big.csv": grown}, site, first.manifest)
    assert report.written == 1 and report.manifest["big.csv"][3] == ""  # hash unknown
    inode = (site / "big.csv").stat().st_ino
    again = relink.write_changed({"big.csv": grown}, site, report.manifest)
    assert again.written == 0 and (site / "big.csv").stat().st_ino == inode
    same_size = relink.Stream(lambda: iter(["1\n33\n"]))
    other = relink.write_in_place({"big.csv": same_size}, site, again.manifest)
    assert other.written == 1 and (site / "big.csv").read_text() == "1\n33\n"
    # a page of the same size is told from it by the hash of its bytes, taken then
    page = relink.write_changed({"big.csv": "1\n33\n"}, site, other.manifest)
    assert page.written == 0 and page.manifest["big.csv"][3] == cache.digest(b"1\n33\n")


def test_ranges_of_the_site_s_file_are_copied_and_only_the_other_pieces_compared(
    tmp_path, monkeypatch
):
    # a spliced download is mostly ranges of the site's own file: copied unread, and
    # known to be the same bytes where they stay at their place
    site = tmp_path / "site"
    first = relink.write_changed({"big.csv": "head|one|two|tail"}, site)
    path = str(site / "big.csv")
    compared = []
    same_ranges = relink._same_ranges
    monkeypatch.setattr(
        relink,
        "_same_ranges",
        lambda a, b, ranges: compared.append(ranges) or same_ranges(a, b, ranges),
    )

    def spliced(middle):
        return relink.Stream(
            lambda: iter([relink.FileRange(path, 0, 5), middle, relink.FileRange(path, 12, 17)])
        )

    report = relink.write_in_place({"big.csv": spliced("ONE|TWO")}, site, first.manifest)
    assert report.written == 1 and (site / "big.csv").read_text() == "head|ONE|TWO|tail"
    assert compared == [[(5, 12)]]  # the same size: the new piece alone is compared
    inode = (site / "big.csv").stat().st_ino
    compared.clear()
    again = relink.write_changed({"big.csv": spliced("ONE|TWO")}, site, report.manifest)
    assert again.written == 0 and (site / "big.csv").stat().st_ino == inode
    assert compared == [[(5, 12)]]
    # a range somewhere else than it was: every byte is compared
    other = tmp_path / "other.txt"
    other.write_text("head|")
    moved = relink.Stream(
        lambda: iter(
            [relink.FileRange(str(other), 0, 5), "ONE|TWO", relink.FileRange(path, 12, 17)]
        )
    )
    compared.clear()
    kept = relink.write_in_place({"big.csv": moved}, site, again.manifest)
    assert kept.written == 0 and compared == [[(0, 17)]]

    # where the kernel cannot copy, the bytes are read and written
    def cannot(*args):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(relink.os, "copy_file_range", cannot, raising=False)
    longer = relink.write_in_place({"big.csv": spliced("ONE|TWO|THREE")}, site, kept.manifest)
    assert longer.written == 1 and (site / "big.csv").read_text() == "head|ONE|TWO|THREE|tail"
    assert joined([relink.FileRange(path, 5, 8), "!"]) == b"ONE!"


def test_a_file_whose_pieces_fail_keeps_the_previous_site(tmp_path):
    site = tmp_path / "site"
    relink.write_changed({"big.csv": "old", "a.html": "A"}, site)

    def pieces():
        yield "new rows, then"
        raise OSError(5, "the cache is gone")

    with pytest.raises(OSError):
        relink.write_changed({"big.csv": relink.Stream(pieces), "a.html": "A2"}, site)
    assert (site / "big.csv").read_text() == "old" and (site / "a.html").read_text() == "A"
    assert not (tmp_path / ".site.tmp").exists()


def test_a_few_files_are_replaced_in_place_and_the_rest_left_alone(tmp_path):
    site = tmp_path / "site"
    first = relink.write_changed({"a.html": "A", "d/b.html": "B", "big.csv": "1\n2\n"}, site)
    before, folder = _files(site), site.stat().st_ino
    rows = relink.Stream(lambda: iter(["1\n", "3\n"]))
    report = relink.write_in_place({"d/b.html": "B2", "big.csv": rows}, site, first.manifest)
    after = _files(site)
    assert report.written == 2 and after["a.html"] == before["a.html"]
    assert after["d/b.html"][2] == b"B2" and after["big.csv"][2] == b"1\n3\n"
    assert site.stat().st_ino == folder, "the site folder is not swapped"
    assert sorted(os.listdir(site / "d")) == ["b.html"], "no temporary file left"
    again = relink.write_in_place({"d/b.html": "B2"}, site, report.manifest)
    assert again.written == 0 and _files(site) == after, "the same bytes: not rewritten"
    assert (
        relink.write_changed(
            {"a.html": "A", "d/b.html": "B2", "big.csv": "1\n3\n"}, site, again.manifest
        ).swapped
        is False
    ), "the manifest is the site's"


def test_in_place_pages_made_elsewhere_are_taken_last(tmp_path):
    # a page another process is making (Later) is waited for after the export is written
    site = tmp_path / "site"
    first = relink.write_changed({"a.html": "A", "b.html": "B", "big.csv": "1\n"}, site)
    order = []

    def made(name, data):
        def make():
            order.append(name)
            return data

        return make

    files = {
        "a.html": relink.Later(made("a.html", "A2")),
        "big.csv": relink.Stream(lambda: iter([order.append("big.csv") or "1\n2\n"])),
        "b.html": relink.Make(made("b.html", "B2")),
    }
    report = relink.write_in_place(files, site, first.manifest)
    assert order == ["b.html", "big.csv", "a.html"] and report.written == 3
    assert (site / "a.html").read_text() == "A2" and (site / "big.csv").read_text() == "1\n2\n"


def test_in_place_only_when_the_site_is_as_written(tmp_path):
    site = tmp_path / "site"
    first = relink.write_changed({"a.html": "A", "b.html": "B"}, site)
    (site / "a.html").write_text("edited by hand")
    before = _files(site)
    assert relink.write_in_place({"b.html": "B2"}, site, first.manifest) is None
    assert relink.write_in_place({"new.html": "N"}, site, first.manifest) is None
    assert _files(site) == before


def test_in_place_a_page_that_fails_leaves_every_file_as_it_was(tmp_path):
    site = tmp_path / "site"
    first = relink.write_changed({"a.html": "A", "big.csv": "old"}, site)
    before = _files(site)

    def pieces():
        yield "new rows, then"
        raise OSError(5, "the cache is gone")

    with pytest.raises(OSError):
        relink.write_in_place(
            {"a.html": "A2", "big.csv": relink.Stream(pieces)}, site, first.manifest
        )
    assert _files(site) == before and sorted(os.listdir(site)) == ["a.html", "big.csv"]


def _site_of(n: int) -> dict:
    return {f"p/{i:03}.html": f"page {i}" for i in range(n)}


def test_a_few_pages_made_again_are_replaced_in_place(tmp_path):
    site = tmp_path / "site"
    first = relink.write_changed(_site_of(40), site)
    before, folder = _files(site), site.stat().st_ino
    files = {rel: relink.Reuse(lambda: pytest.fail("a kept page rendered")) for rel in before}
    files["p/003.html"] = relink.Make(lambda: "page 3, a quote added")
    files["p/004.html"] = relink.Make(lambda: "page 4")  # made again, the same bytes
    report = relink.write_changed(files, site, first.manifest)
    after = _files(site)
    assert site.stat().st_ino == folder  # not a new folder swapped in
    assert report.written == 1 and report.files == 40 and after["p/003.html"][2].endswith(b"added")
    assert {rel: v for rel, v in after.items() if rel != "p/003.html"} == {
        rel: v for rel, v in before.items() if rel != "p/003.html"
    }
    assert report.manifest == relink.write_changed(files, site, report.manifest).manifest


def test_pages_made_again_go_to_a_new_folder_when_many_or_when_files_come_or_go(tmp_path):
    site = tmp_path / "site"
    first = relink.write_changed(_site_of(40), site)
    folder = site.stat().st_ino
    many = {rel: relink.Make(lambda rel=rel: rel) for rel in _site_of(40)}
    report = relink.write_changed(many, site, first.manifest)
    assert report.written == 40 and site.stat().st_ino != folder
    folder = site.stat().st_ino
    grown = dict(_site_of(40), **{"p/new.html": "new"})
    report = relink.write_changed(grown, site, report.manifest)
    assert (site / "p/new.html").read_text() == "new" and site.stat().st_ino != folder


def test_a_file_edited_by_hand_is_mended_when_a_few_pages_change(tmp_path):
    site = tmp_path / "site"
    first = relink.write_changed(_site_of(40), site)
    (site / "p/007.html").write_text("edited by hand")
    files = {rel: relink.Reuse(lambda rel=rel: _site_of(40)[rel]) for rel in _site_of(40)}
    files["p/003.html"] = relink.Make(lambda: "page 3, a quote added")
    relink.write_changed(files, site, first.manifest)
    assert (site / "p/007.html").read_text() == "page 7"
    assert (site / "p/003.html").read_text() == "page 3, a quote added"


def test_a_page_path_outside_the_site_is_refused_before_any_write(tmp_path):
    with pytest.raises(BriefingError, match="outside the site"):
        relink.write_changed({"../escape.html": "x"}, tmp_path / "site")
    assert not (tmp_path / "escape.html").exists() and not (tmp_path / "site").exists()


# -- the progress bar ---------------------------------------------------------------------
class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_progress_bar_is_drawn_on_a_terminal_and_cleared(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "EVERY", 0.0)
    screen = _Terminal()
    with progress.Progress(4, "annotating", stream=screen) as bar:
        for _ in range(4):
            bar.advance()
        bar.stage("rendering the pages")
    drawn = screen.getvalue()
    assert "annotating [" in drawn and "4/4" in drawn and "rendering the pages..." in drawn
    assert drawn.endswith("\r\033[K")  # the summary line starts on a clean line


def test_no_progress_bar_when_the_output_is_not_a_terminal(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0.0)
    plain = io.StringIO()
    with progress.Progress(4, "annotating", stream=plain) as bar:
        bar.advance(4)
        bar.stage("rendering the pages")
    assert plain.getvalue() == ""


def test_the_summary_names_articles_pages_and_seconds(root, builder):
    result = builder.build()
    line = result.summary(root / "site")
    assert re.fullmatch(
        r"built \d+ articles \((nothing changed|\d+ annotated)\), \d+ pages( \(\d+ written\))? "
        r"in \d+\.\d\d s -> .*",
        line,
    ), line


# -- rendering only the pages an edit affects (with a render.plan) -----------------------------
class _Page:
    def __init__(self, path, articles, make, log, full=False):
        self.path, self.articles, self._make, self._log = path, articles, make, log
        self.full, self.template = full, None

    def render(self):
        self._log.append(self.path)
        return self._make()


def _fake_plan(log):
    """A render.plan as the site layer would give it, over the real index."""

    def plan(archive, config, templates_dir, env, source=None, spans=None):
        pages = [
            _Page(
                "index.html",
                None,
                lambda: "\n".join(e.title for e in archive.articles),
                log,
            )
        ]
        for e in archive.articles:
            pages.append(
                _Page(
                    e.path,
                    [e.article.id],
                    lambda e=e: f"{e.title}\n{source.full(e.article).text}",  # the text: read back
                    log,
                    full=True,
                )
            )
        for x in archive.leaders:
            ids = [e.article.id for e in x.articles]
            pages.append(_Page(x.path, ids, lambda x=x: f"{x.name}: {len(x.statements)}", log))
        return str(len(archive.articles)), pages

    return plan


def test_with_a_plan_only_the_pages_of_the_edited_article_are_rendered(tmp_path, monkeypatch):
    from briefing import render

    log: list[str] = []
    monkeypatch.setattr(render, "plan", _fake_plan(log), raising=False)
    monkeypatch.setattr(incremental, "rebuild", lambda *a: False)  # the plan's way, every time
    root = _copy_project(tmp_path / "proj")
    builder = Builder(Project(root=root), jobs=1)
    first = builder.build()
    assert len(log) == first.files
    seed = sorted((root / "seeds").glob("*.txt"))[0]
    before = _files(root / "site")
    seed.write_text(seed.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    log.clear()
    result = builder.build()
    page = _article_page(root, seed.stem).relative_to(root / "site").as_posix()
    # a line that says nothing the index shows: only the article's page is made
    assert log == [page] and result.written == 1
    after = _files(root / "site")
    others = [rel for rel in before if rel not in log]
    assert others and all(after[rel] == before[rel] for rel in others)
    assert "One more line." in after[page][2].decode()

    # a new statement: the pages of the whole archive and of its speakers are made too
    (edited,) = [a for a in result.articles if a.source == str(seed)]
    speaker = edited.speakers[0]
    text = seed.read_text(encoding="utf-8")
    seed.write_text(f"{text}\n{speaker.name} said the talks would go on.\n", encoding="utf-8")
    log.clear()
    result = builder.build()
    (edited,) = [a for a in result.articles if a.source == str(seed)]
    speakers = {f"leaders/{sp.id}.html" for sp in edited.speakers}
    assert set(log) == {"index.html", page} | speakers
    scratch = _from_scratch(root, tmp_path)
    assert _bytes(root / "site") == scratch


# -- slim articles in memory, full ones from the cache --------------------------------------------
def _bytes(site: Path) -> dict[str, bytes]:
    return {rel: data for rel, (_, _, data) in _files(site).items()}


def _from_scratch(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """The site of ``root`` as a build without cache makes it, into ``tmp_path/"cold"``."""
    cold = tmp_path / "cold"
    Builder(Project(root=root, output=cold), jobs=1, use_cache=False).build()
    return _bytes(cold)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_site_made_from_slim_articles_is_the_site_made_from_full_ones(tmp_path, jobs):
    from briefing.slim import SlimArticle

    root = _copy_project(tmp_path / "proj")
    for p in (REPO / "tests" / "fixtures" / "heldout").glob("h*"):
        shutil.copy(p, root / "seeds" / p.name)  # enough articles for the workers (jobs=2)
    slim = Builder(Project(root=root), jobs=jobs).build()
    assert slim.annotated >= 8 and all(isinstance(a, SlimArticle) for a in slim.articles)
    full = Builder(Project(root=root, output=tmp_path / "full"), use_cache=False, jobs=1).build()
    assert not any(isinstance(a, SlimArticle) for a in full.articles)
    assert _bytes(root / "site") == _bytes(tmp_path / "full")


def test_a_slim_article_keeps_what_the_index_shows_and_drops_the_rest():
    from briefing.project import load_article
    from briefing.slim import slim

    full = load_article(REPO / "seeds" / sorted(p.name for p in (REPO / "seeds").glob("*.txt"))[0])
    lite = slim(full)
    assert lite.text == "" and lite.blocks == [] and lite.dates == []
    assert [s.start for s in lite.sentences] == [s.start for s in full.sentences]
    for sp, whole in zip(lite.speakers, full.speakers, strict=True):
        assert sp.statements == whole.statements  # with their words and sentence numbers
        assert len(sp.quotes) == len(whole.quotes)  # other pages show how many, not where
        for st in sp.statements:  # the sentence a statement is in keeps its words
            assert lite.sentences[st.sentence].text == full.sentences[st.sentence].text
    assert sum(len(s.text) for s in lite.sentences) < sum(len(s.text) for s in full.sentences)
    assert full.text  # the full article is untouched


# -- a rebuild without index ---------------------------------------------------------------------
def test_an_edit_no_other_page_shows_makes_only_its_page_and_the_export(tmp_path):
    root = _copy_project(tmp_path / "proj")
    builder = Builder(Project(root=root), jobs=1)
    builder.build()
    seed = sorted((root / "seeds").glob("*.txt"))[2]
    before = _files(root / "site")
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA closing line.\n", encoding="utf-8")
    result = Builder(Project(root=root), jobs=1).build()  # a new process, as on the command line
    assert result.fast and result.annotated == 1 and "index" not in result.timings
    after = _files(root / "site")
    changed = {rel for rel in after if after[rel] != before[rel]}
    page = _article_page(root, seed.stem).relative_to(root / "site").as_posix()
    assert changed == {page, "downloads/annotations.json"}
    assert "A closing line." in after[page][2].decode()
    scratch = _from_scratch(root, tmp_path)
    assert _bytes(root / "site") == scratch
    # and the next build knows what this one did
    again = Builder(Project(root=root), jobs=1).build()
    assert again.noop and _bytes(root / "site") == scratch


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_the_edited_page_is_made_by_a_process_forked_to_load_the_templates_meanwhile(
    tmp_path, monkeypatch
):
    import briefing

    root = _copy_project(tmp_path / "proj")
    Builder(Project(root=root), jobs=2).build()
    seed = sorted((root / "seeds").glob("*.txt"))[2]
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA closing line.\n", encoding="utf-8")
    # as in a new process, templates not yet loaded (the child loads them; this one must not)
    monkeypatch.setattr(briefing, "render", briefing.render)
    monkeypatch.delitem(sys.modules, "briefing.render")
    seen, forked_with = [], []
    close, init = forked.ForkedMaker.close, forked.ForkedMaker.__init__
    project = Project(root=root)

    def closing(self):
        seen.append((self._pid is not None, self._used, self._here is None))
        close(self)

    def forking(self, setup):
        forked_with.append("knowledge" in project.__dict__)
        init(self, setup)

    monkeypatch.setattr(forked.ForkedMaker, "close", closing)
    monkeypatch.setattr(forked.ForkedMaker, "__init__", forking)
    result = Builder(project, jobs=2).build()
    assert result.fast and seen == [(True, True, True)]  # made in the child, none here
    assert forked_with == [False], "forked before the knowledge is loaded, to set up meanwhile"
    assert "briefing.render" not in sys.modules
    scratch = _from_scratch(root, tmp_path)
    assert _bytes(root / "site") == scratch


def test_after_the_edited_page_is_written_first_the_rebuild_needs_no_index(tmp_path):
    # as `serve` does: the page at once, then the rebuild, which must not mistake that
    # page for a file changed by hand and make the whole site again
    root = _copy_project(tmp_path / "proj")
    builder = Builder(Project(root=root), jobs=1, keep_in_memory=True)
    builder.build()
    seed = sorted((root / "seeds").glob("*.txt"))[2]
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA closing line.\n", encoding="utf-8")
    page = _article_page(root, seed.stem).relative_to(root / "site").as_posix()
    assert builder.quick([str(seed)]) == [page]
    result = builder.build()
    assert result.fast and result.annotated == 1 and "index" not in result.timings
    assert result.written == 1  # annotations.json: the page was already as it should be
    scratch = _from_scratch(root, tmp_path)
    assert _bytes(root / "site") == scratch
    assert Builder(Project(root=root), jobs=1).build().noop  # and the next process knows


def test_an_edit_other_pages_show_is_indexed(tmp_path):
    root = _copy_project(tmp_path / "proj")
    Builder(Project(root=root), jobs=1).build()
    seed = sorted((root / "seeds").glob("*.txt"))[2]
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace(" the ", " the very ", 1), encoding="utf-8")  # offsets move
    result = Builder(Project(root=root), jobs=1).build()
    assert not result.fast and result.annotated == 1 and "index" in result.timings
    scratch = _from_scratch(root, tmp_path)
    assert _bytes(root / "site") == scratch


def test_a_site_file_changed_by_hand_sends_the_rebuild_the_whole_way(tmp_path):
    root = _copy_project(tmp_path / "proj")
    Builder(Project(root=root), jobs=1).build()
    good = _bytes(root / "site")
    (root / "site" / "timeline.html").write_text("edited by hand", encoding="utf-8")
    seed = sorted((root / "seeds").glob("*.txt"))[2]
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA closing line.\n", encoding="utf-8")
    result = Builder(Project(root=root), jobs=1).build()
    assert not result.fast
    assert _bytes(root / "site")["timeline.html"] == good["timeline.html"]


# -- the article pages of a big archive, in a worker forked before annotating ---------------------
@pytest.fixture
def big(monkeypatch):
    """As a big archive builds: render workers forked after indexing would not fit."""
    monkeypatch.setattr(pagepool, "EARLY_ARTICLES", 1)
    monkeypatch.setattr(pagepool, "MIN_PAGES", 2)
    monkeypatch.setattr(pagepool, "MEMORY", 1 << 20)  # less than this process already takes


def test_a_big_archive_s_article_pages_are_made_by_a_worker_forked_before_annotating(tmp_path, big):
    root = _copy_project(tmp_path / "proj")
    result = Builder(Project(root=root), jobs=2).build()
    assert "render+write" in result.timings  # made in a worker, not all here
    scratch = _from_scratch(root, tmp_path)
    assert _bytes(root / "site") == scratch


def test_article_pages_the_early_worker_cannot_link_are_made_here(tmp_path, big, monkeypatch):
    from briefing import index

    monkeypatch.setattr(index, "entries_linked", lambda *a: None)  # as a duplicate slug does
    root = _copy_project(tmp_path / "proj")
    Builder(Project(root=root), jobs=2).build()
    scratch = _from_scratch(root, tmp_path)
    assert _bytes(root / "site") == scratch


def test_the_settings_are_read_back_while_site_yaml_and_the_code_are_unchanged(
    tmp_path, monkeypatch
):
    from briefing import config

    root = _copy_project(tmp_path / "proj")
    Builder(Project(root=root), jobs=1).build()
    read = []
    real = config.load
    monkeypatch.setattr(config, "load", lambda path: read.append(path) or real(path))
    seed = sorted((root / "seeds").glob("*.txt"))[1]
    seed.write_text(seed.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert Builder(Project(root=root), jobs=1).build().fast and read == []
    site = root / "content" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("title:", "title: New —", 1))
    project = Project(root=root)
    Builder(project, jobs=1).build()
    assert read == [site] and project.config.title.startswith("New —")


# -- templates: a page is rendered again when the templates it is made with change ---------------
def _mark(template: Path, marker: str) -> None:
    """Put ``marker`` at the end of the template's last block: it shows on its pages."""
    text = template.read_text(encoding="utf-8")
    at = text.rindex("{% endblock %}")
    template.write_text(text[:at] + f"<!-- {marker} -->\n" + text[at:], encoding="utf-8")


def test_a_template_edit_renders_only_the_pages_made_with_it(tmp_path, monkeypatch):
    root = _copy_project(tmp_path / "proj")
    Builder(Project(root=root), jobs=1).build()
    before = _files(root / "site")
    _mark(root / "templates" / "topic.html", "topic edited")
    rendered = rendered_pages(monkeypatch)
    result = Builder(Project(root=root), jobs=1).build()
    after = _files(root / "site")
    changed = {rel for rel in after if after[rel] != before[rel]}
    topics = {rel for rel in after if re.fullmatch(r"topics/[^/]+\.html", rel)} - {
        "topics/index.html"
    }
    assert topics and set(rendered) == topics and changed == topics
    assert all(b"topic edited" in after[rel][2] for rel in topics)
    assert result.written == len(topics)
    scratch = _from_scratch(root, tmp_path)
    assert _bytes(root / "site") == scratch


def test_a_template_other_templates_import_renders_their_pages_again(tmp_path, monkeypatch):
    root = _copy_project(tmp_path / "proj")
    Builder(Project(root=root), jobs=1).build()
    macros = root / "templates" / "_macros.html"
    macros.write_text(macros.read_text(encoding="utf-8") + "\n{# edited #}\n", encoding="utf-8")
    rendered = rendered_pages(monkeypatch)
    Builder(Project(root=root), jobs=1).build()
    assert "index.html" in rendered and any(r.startswith("topics/") for r in rendered)
    assert not any(r.startswith("articles/") for r in rendered)  # article.html imports none
    _mark(root / "templates" / "base.html", "every page")
    rendered.clear()
    Builder(Project(root=root), jobs=1).build()
    assert len(rendered) == len(list((root / "site").rglob("*.html")))  # every page extends it


def test_a_template_that_names_another_only_as_it_runs_may_be_made_of_any(tmp_path):
    from briefing import render

    (tmp_path / "base.html").write_text("{% block body %}{% endblock %}")
    (tmp_path / "_parts.html").write_text("{% macro m() %}m{% endmacro %}")
    (tmp_path / "page.html").write_text(
        '{% extends "base.html" %}{% import "_parts.html" as p %}{% block body %}{% endblock %}'
    )
    (tmp_path / "any.html").write_text("{% include name %}")
    (tmp_path / "uses_any.html").write_text('{% extends "any.html" %}')
    (tmp_path / "broken.html").write_text("{% if %}")
    env = render.environment(tmp_path)
    uses = render.template_uses(env, ["page.html", "base.html", "uses_any.html", "broken.html"])
    assert uses["page.html"] == {"page.html", "base.html", "_parts.html"}
    assert uses["base.html"] == {"base.html"}
    assert uses["uses_any.html"] is None and uses["broken.html"] is None


def test_a_style_sheet_edit_copies_it_and_renders_no_page(tmp_path, monkeypatch):
    root = _copy_project(tmp_path / "proj")
    Builder(Project(root=root), jobs=1).build()
    before = _files(root / "site")
    style = root / "templates" / "static" / "style.css"
    style.write_text(style.read_text(encoding="utf-8") + "\nmain { color: teal }\n", "utf-8")
    rendered = rendered_pages(monkeypatch)
    result = Builder(Project(root=root), jobs=1).build()
    assert result.fast and "index" not in result.timings and rendered == []
    after = _files(root / "site")
    assert {rel for rel in after if after[rel] != before[rel]} == {"static/style.css"}
    assert after["static/style.css"][2] == style.read_bytes()
    again = Builder(Project(root=root), jobs=1).build()
    assert again.noop  # the next build knows what this one did
    # with an article edit too: both at once, still without the index
    seed = sorted((root / "seeds").glob("*.txt"))[2]
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA closing line.\n", encoding="utf-8")
    style.write_text(style.read_text(encoding="utf-8") + "\nh1 { color: navy }\n", "utf-8")
    both = Builder(Project(root=root), jobs=1).build()
    assert both.fast and both.annotated == 1
    assert (root / "site" / "static" / "style.css").read_bytes() == style.read_bytes()
    scratch = _from_scratch(root, tmp_path)
    assert _bytes(root / "site") == scratch


def test_a_static_file_added_or_removed_takes_the_whole_build(tmp_path):
    root = _copy_project(tmp_path / "proj")
    Builder(Project(root=root), jobs=1).build()
    extra = root / "templates" / "static" / "print.css"
    extra.write_text("body { color: black }\n", encoding="utf-8")
    added = Builder(Project(root=root), jobs=1).build()
    assert not added.fast and (root / "site" / "static" / "print.css").exists()
    extra.unlink()
    removed = Builder(Project(root=root), jobs=1).build()
    assert not removed.fast and not (root / "site" / "static" / "print.css").exists()


def test_templates_are_parsed_for_what_they_use_only_when_they_changed(tmp_path, monkeypatch):
    from briefing import render

    root = _copy_project(tmp_path / "proj")
    parsed: list = []
    real = render.template_uses
    monkeypatch.setattr(
        render,
        "template_uses",
        lambda env, names, known=None: parsed.append(names) or real(env, names, known),
    )
    Builder(Project(root=root), jobs=1).build()
    assert parsed
    parsed.clear()
    seed = sorted((root / "seeds").glob("*.txt"))[2]
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace(" the ", " the very ", 1), encoding="utf-8")  # indexed
    assert not Builder(Project(root=root), jobs=1).build().fast
    assert parsed == []  # the templates are the last build's: so is what they use
    _mark(root / "templates" / "leader.html", "leader edited")
    Builder(Project(root=root), jobs=1).build()
    assert parsed
