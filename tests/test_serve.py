"""The preview server: it serves the site and nothing else, and survives broken files."""

from __future__ import annotations

import asyncio
import gc
import http.client
import io
import shutil
import threading
from pathlib import Path

import pytest

from briefing import serve
from briefing.project import Project

from .conftest import REPO, free_port, relabel

SECRET = "top secret, outside the site"


@pytest.fixture(autouse=True)
def _unfrozen():
    """A preview freezes what each rebuild keeps (see Preview.rebuild): let the objects
    of one test go when it ends, not at the end of the test run."""
    yield
    gc.unfreeze()


@pytest.fixture()
def site(tmp_path):
    """A small site with a secret beside it and symlinks in and out of it."""
    root = tmp_path / "site"
    (root / "leaders").mkdir(parents=True)
    (root / "index.html").write_text("<html><head></head><body>home</body></html>")
    (root / "leaders" / "index.html").write_text("<html><body>leaders</body></html>")
    (root / "style.css").write_text("body{}")
    (root / ".hidden").write_text(SECRET)
    (tmp_path / "secret.txt").write_text(SECRET)
    (root / "out.txt").symlink_to(tmp_path / "secret.txt")
    (root / "outdir").symlink_to(tmp_path)
    (root / "in.css").symlink_to(root / "style.css")
    (root / "linked").mkdir()
    (root / "linked" / "index.html").symlink_to(tmp_path / "secret.txt")
    return root


def _get(app, path: str, method: str = "GET") -> tuple[str, dict, bytes]:
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app({"REQUEST_METHOD": method, "PATH_INFO": path}, start_response))
    return seen["status"], seen["headers"], body


TRAVERSALS = [
    "/../secret.txt",
    "/leaders/../../secret.txt",
    "/./../secret.txt",
    "/%2e%2e/secret.txt",  # a server that did not decode: still refused
    "/%2E%2E/secret.txt",
    "/..%2fsecret.txt",
    "/..\\secret.txt",
    "/.hidden",
    "/out.txt",
    "/outdir/secret.txt",
    "/linked/",
    "/linked/index.html",
    "//etc/passwd",
    "/etc/passwd",
    "/C:/Windows/win.ini",
    "/index.html\x00.txt",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_nothing_outside_the_site_is_served(site, path):
    status, _, body = _get(serve.SiteApp(site), path)
    assert status.startswith("404") and SECRET.encode() not in body


def test_pages_of_the_site_are_served(site):
    app = serve.SiteApp(site)
    status, headers, body = _get(app, "/")
    assert status == "200 OK" and b"home" in body
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    assert _get(app, "/leaders/")[2] == b"<html><body>leaders</body></html>"
    assert _get(app, "/in.css")[0] == "200 OK"  # a symlink inside the site is fine
    assert _get(app, "/style.css")[1]["Content-Type"].startswith("text/css")


def test_a_folder_without_its_slash_is_redirected(site):
    status, headers, _ = _get(serve.SiteApp(site), "/leaders")
    assert status.startswith("301") and headers["Location"] == "/leaders/"


def test_only_reading_is_allowed(site):
    app = serve.SiteApp(site)
    assert _get(app, "/", "POST")[0].startswith("405")
    assert _get(app, "/", "HEAD")[2] == b""


def test_resolve_never_leaves_the_root(site):
    assert serve.resolve(site, "/index.html") == (site / "index.html").resolve()
    base = site.resolve()
    for path in TRAVERSALS:
        got = serve.resolve(site, path)
        assert got is None or got == base or base in got.parents, path


# -- over a real socket ------------------------------------------------------------------
@pytest.fixture()
def live(site):
    """The livereload server on 127.0.0.1 and an ephemeral port, stopped after the test."""
    from livereload import Server

    port = free_port()
    server = Server(app=serve.SiteApp(site), watcher=None)
    ready, box = threading.Event(), {}

    def run():
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        box["loop"] = loop
        server.application(port, "127.0.0.1", debug=False)
        loop.call_soon(ready.set)
        loop.run_forever()
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10)
    yield port
    box["loop"].call_soon_threadsafe(box["loop"].stop)
    thread.join(10)


def _raw_get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", f"127.0.0.1:{port}")
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/leaders/%2e%2e/%2e%2e/secret.txt",
        "/%252e%252e/secret.txt",
        "//etc/passwd",
        "/out.txt",
        "/outdir/secret.txt",
        "/.hidden",
    ],
)
def test_the_live_server_refuses_traversal(live, path):
    status, body = _raw_get(live, path)
    assert status in (400, 404) and SECRET.encode() not in body


def test_the_live_server_serves_pages_with_the_reload_script(live):
    status, body = _raw_get(live, "/")
    assert status == 200 and b"home" in body and b"livereload.js" in body


# -- rebuilding after broken files -----------------------------------------------------------
@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    root = tmp_path_factory.mktemp("preview") / "proj"
    for name in ("content", "templates", "seeds"):
        shutil.copytree(REPO / name, root / name)
    out, err = io.StringIO(), io.StringIO()
    p = serve.Preview(Project(root=root), jobs=1, out=out, err=err)
    assert p.rebuild() and p.fatal is None
    return p


def _home(preview) -> bytes:
    return _get(serve.SiteApp(preview.project.output, preview), "/")[2]


def _broken_then_fixed(preview, path: Path, broken: str, expect: str):
    good = path.read_bytes()
    site_before = (preview.project.output / "index.html").read_bytes()
    path.write_text(broken, encoding="utf-8")
    try:
        assert preview.rebuild() is False
        assert expect in preview.fatal
        page = _home(preview)
        assert serve.BANNER_ID.encode() in page and expect.encode() in page
        assert (preview.project.output / "index.html").read_bytes() == site_before
        assert expect in preview.err.getvalue()
        # rebuilt again with nothing changed since (serve does, for a change the failed
        # build already saw): still the error, not the last good build as if all were well
        assert preview.rebuild() is False and expect in preview.fatal
        assert serve.BANNER_ID.encode() in _home(preview)
    finally:
        path.write_bytes(good)
    assert preview.rebuild() is True and preview.fatal is None
    assert serve.BANNER_ID.encode() not in _home(preview)


def test_a_broken_template_shows_on_the_page_until_it_is_fixed(preview):
    template = preview.project.templates / "article.html"
    _broken_then_fixed(preview, template, "{% block x %}\n{{ broken \n", "article.html:")


def test_a_broken_knowledge_file_shows_on_the_page_until_it_is_fixed(preview):
    leaders = preview.project.content / "leaders.yaml"
    text = leaders.read_text(encoding="utf-8")
    _broken_then_fixed(preview, leaders, text + "\n  - [unclosed\n", "leaders.yaml:")


def test_a_broken_site_file_shows_on_the_page_until_it_is_fixed(preview):
    site_yaml = preview.project.content / "site.yaml"
    _broken_then_fixed(preview, site_yaml, "title: [oops\n", "site.yaml:")


def test_a_broken_article_shows_on_the_page_and_the_rest_is_built(preview):
    bad = preview.project.root / "seeds" / "zz_bad.txt"
    bad.write_text("Text.\n")
    bad.with_suffix(".yaml").write_text("published: someday\n")
    try:
        assert preview.rebuild() is True and preview.fatal is None
        assert any("zz_bad.yaml:1" in line for line in preview.problems)
        page = _home(preview)
        assert serve.BANNER_ID.encode() in page and b"zz_bad.yaml:1" in page
    finally:
        bad.unlink()
        bad.with_suffix(".yaml").unlink()
    assert preview.rebuild() and not preview.problems
    assert serve.BANNER_ID.encode() not in _home(preview)


def test_the_watcher_rebuilds_when_a_source_changes(preview):
    watcher = serve.make_watcher(preview)
    assert watcher.poll() is None  # nothing changed
    seed = sorted((preview.project.root / "seeds").glob("*.txt"))[0]
    text = seed.read_text(encoding="utf-8")
    builds = preview.builds
    seed.write_text(text + "\nA new closing line.\n", encoding="utf-8")
    try:
        assert watcher.poll() == "*" and preview.builds == builds + 1
        page = preview.project.output / "articles" / (seed.stem.replace("_", "-") + ".html")
        assert "A new closing line." in page.read_text(encoding="utf-8")
    finally:
        seed.write_text(text, encoding="utf-8")
    assert watcher.poll() == "*"
    css = preview.project.templates / "static" / "style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* edit */\n", encoding="utf-8")
    assert watcher.poll().endswith("style.css")  # a stylesheet reloads without a page load


def test_file_events_wake_the_watcher_at_once_for_sources_not_for_swap_files(tmp_path):
    """A poll stats every source (0.12 s at 10,000 articles), so the timer's polls are
    spaced out on a big archive; an edit must not wait for the next one."""
    pytest.importorskip("watchdog")
    seeds, content = tmp_path / "seeds", tmp_path / "content"
    for folder in (seeds, content):
        folder.mkdir()
    woken = threading.Event()
    events = serve.Events(woken.set)
    try:
        assert events.watch([seeds])
        (seeds / ".a.txt.swp").write_text("an editor's swap file", encoding="utf-8")
        (seeds / "notes.txt~").write_text("a backup", encoding="utf-8")
        assert not woken.wait(0.5)
        (seeds / "a.txt").write_text("An article.", encoding="utf-8")
        assert woken.wait(10)
        woken.clear()
        assert events.watch([seeds, content])  # site.yaml named another folder
        (content / "leaders.yaml").write_text("leaders: []\n", encoding="utf-8")
        assert woken.wait(10)
    finally:
        events.stop()


def test_without_file_events_the_watcher_polls_alone(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "watchdog.observers", None)  # not installed
    assert not serve.Events(lambda: None).watch([tmp_path])


def test_when_no_site_was_ever_built_every_page_shows_the_error(tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(REPO / "content", root / "content")
    (root / "content" / "site.yaml").write_text("articles: {not: a list}\n")
    p = serve.Preview(Project(root=root), jobs=1, out=io.StringIO(), err=io.StringIO())
    assert p.rebuild() is False
    status, headers, body = _get(serve.SiteApp(p.project.output, p), "/articles/x.html")
    assert status.startswith("404") and headers["Content-Type"].startswith("text/html")
    assert serve.BANNER_ID.encode() in body and b"site.yaml" in body
    assert b"</head>" in body  # where the live-reload script goes: the fix reloads the page


# -- the edited page first ---------------------------------------------------------------------
def _seed_and_page(preview) -> tuple[Path, Path]:
    seed = sorted((preview.project.root / "seeds").glob("*.txt"))[1]
    page = preview.project.output / "articles" / (seed.stem.replace("_", "-") + ".html")
    assert page.exists()
    return seed, page


def test_an_edited_article_page_is_written_before_the_rebuild(preview):
    seed, page = _seed_and_page(preview)
    text = seed.read_text(encoding="utf-8")
    builds = preview.builds
    seed.write_text(text + "\nA line written first.\n", encoding="utf-8")
    try:
        assert preview.quick({str(seed)}) == ["articles/" + page.name]
        assert "A line written first." in page.read_text(encoding="utf-8")
        assert preview.builds == builds  # no rebuild yet: the rest of the site is as it was
        assert preview.rebuild()
        assert "A line written first." in page.read_text(encoding="utf-8")
    finally:
        seed.write_text(text, encoding="utf-8")
    assert preview.rebuild()
    assert "A line written first." not in page.read_text(encoding="utf-8")


def test_only_edits_to_known_articles_are_written_first(preview):
    seed, _ = _seed_and_page(preview)
    content = preview.project.content / "leaders.yaml"
    assert preview.quick({str(content)}) == []  # knowledge: every page may change
    assert preview.quick({str(seed), str(content)}) == []
    assert preview.quick({str(seed.with_suffix(".yaml"))}) == []  # metadata: links may change
    new = seed.with_name("zz_new.txt")
    new.write_text("Baghdad — A new article.\n", encoding="utf-8")
    try:
        assert preview.quick({str(new)}) == []  # not in the last build: a whole build places it
    finally:
        new.unlink()


def _project_copy(tmp_path) -> Path:
    root = tmp_path / "proj"
    for name in ("content", "templates", "seeds"):
        shutil.copytree(REPO / name, root / name)
    return root


def _background_preview(tmp_path):
    """A built preview of a copy of the project that rebuilds in the background, as
    ``serve`` runs it, and its watcher."""
    p = serve.Preview(
        Project(root=_project_copy(tmp_path)),
        jobs=1,
        out=io.StringIO(),
        err=io.StringIO(),
        background=True,
    )
    assert p.rebuild()
    return p, serve.make_watcher(p)


def test_in_the_background_the_page_is_served_while_the_rest_rebuilds(tmp_path):
    p, watcher = _background_preview(tmp_path)
    woken = threading.Event()
    watcher.wake = woken.set  # as start() sets it: a poll at once
    seed, page = _seed_and_page(p)
    seed.write_text(seed.read_text(encoding="utf-8") + "\nServed early.\n", encoding="utf-8")
    builds = p.builds
    assert watcher.poll() == "*"  # reload now: the edited page is written
    assert "Served early." in page.read_text(encoding="utf-8")
    assert watcher.poll() is None or p.builds > builds  # no second build while one runs
    p.wait(120)
    assert not p.busy and p.builds == builds + 1 and p.fatal is None
    assert woken.is_set()  # its end starts a poll, not left to the timer (seconds apart)
    assert watcher.examine() == ("*", None)  # which reloads the pages again


def test_while_the_rest_rebuilds_other_pages_say_they_may_not_show_the_edit_yet(
    tmp_path, monkeypatch
):
    p, watcher = _background_preview(tmp_path)
    seed, page = _seed_and_page(p)
    app = serve.SiteApp(p.project.output, p)
    assert serve.STALE_ID.encode() not in _get(app, "/")[2]
    go_on = threading.Event()
    rebuild = p.rebuild
    monkeypatch.setattr(p, "rebuild", lambda: go_on.wait(60) and rebuild())
    seed.write_text(seed.read_text(encoding="utf-8") + "\nServed early.\n", encoding="utf-8")
    assert watcher.poll() == "*" and p.busy
    edited = _get(app, "/articles/" + page.name)[2]  # written first: it shows the edit
    assert b"Served early." in edited and serve.STALE_ID.encode() not in edited
    assert serve.STALE_ID.encode() in _get(app, "/")[2]  # not made again yet
    go_on.set()
    p.wait(120)
    assert not p.busy and serve.STALE_ID.encode() not in _get(app, "/")[2]


def test_a_preview_started_on_a_built_site_writes_edited_pages_first_too(tmp_path):
    from briefing.pipeline import Builder

    root = _project_copy(tmp_path)
    Builder(Project(root=root), jobs=1).build()  # `python build.py` before `serve`
    p = serve.Preview(Project(root=root), jobs=1, out=io.StringIO(), err=io.StringIO())
    assert p.rebuild() and "nothing changed" in p.out.getvalue()  # a no-op: no index made
    seed, page = _seed_and_page(p)
    seed.write_text(seed.read_text(encoding="utf-8") + "\nWritten first.\n", encoding="utf-8")
    assert p.quick({str(seed)}) == ["articles/" + page.name]
    assert "Written first." in page.read_text(encoding="utf-8")


# -- a knowledge edit: the open article pages first ----------------------------------------
def _built_copy(tmp_path):
    p = serve.Preview(
        Project(root=_project_copy(tmp_path)), jobs=1, out=io.StringIO(), err=io.StringIO()
    )
    assert p.rebuild()
    return p


def _pages(site: Path) -> dict[Path, bytes]:
    return {f: f.read_bytes() for f in site.rglob("*.html")}


def test_a_knowledge_edit_writes_the_open_article_pages_first_with_the_new_knowledge(tmp_path):
    p = _built_copy(tmp_path)
    site = p.project.output
    app = serve.SiteApp(site, p)
    seed, page = _seed_and_page(p)
    assert b"Security" in page.read_bytes()
    assert _get(app, "/articles/" + page.name)[0].startswith("200")
    _get(app, "/index.html")  # open too, but no article's page: left to the rebuild
    before = _pages(site)
    themes = relabel(p.project.content, "Security", "Security and defence")
    assert p.quick({str(themes)}) == ["articles/" + page.name]
    after = _pages(site)
    assert "Security and defence" in page.read_text(encoding="utf-8")
    assert [f for f in after if after[f] != before[f]] == [page]  # that page and no other
    quick = page.read_bytes()
    assert p.rebuild()  # the rebuild still sees the edit: every page made again, and the
    # three articles annotated again whose titles, made up, show the label
    assert "(3 annotated)" in p.out.getvalue().splitlines()[-1]
    assert page.read_bytes() == quick  # the page written first was the page, in full
    assert any(b"Security and defence" in data for f, data in _pages(site).items() if f != page)


def test_a_knowledge_edit_writes_nothing_first_when_no_article_page_is_open(tmp_path):
    p = _built_copy(tmp_path)
    serve.SiteApp(p.project.output, p)({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, print)
    themes = relabel(p.project.content, "Security", "Safety")
    assert p.open_pages() == ["index.html"]
    assert p.quick({str(themes)}) == []


@pytest.mark.parametrize(
    "folder, name, broken",
    [("content", "leaders.yaml", "\n  - {broken\n"), ("templates", "base.html", "{% if %}")],
)
def test_a_broken_edit_writes_nothing_first_and_the_rebuild_reports_it(
    tmp_path, folder, name, broken
):
    p = _built_copy(tmp_path)
    _, page = _seed_and_page(p)
    p.viewed("index.html")
    p.viewed("articles/" + page.name)
    before = _pages(p.project.output)
    path = p.project.root / folder / name
    path.write_text(path.read_text(encoding="utf-8") + broken, encoding="utf-8")
    assert p.quick({str(path)}) == []
    assert _pages(p.project.output) == before
    assert p.rebuild() is False and name in p.fatal


def test_a_knowledge_edit_during_a_background_rebuild_writes_nothing_first(tmp_path, monkeypatch):
    p = _built_copy(tmp_path)
    _, page = _seed_and_page(p)
    p.viewed("articles/" + page.name)
    themes = relabel(p.project.content, "Security", "Safety")
    monkeypatch.setattr(serve.Preview, "busy", property(lambda self: True))
    assert p.quick({str(themes)}) == []  # that rebuild's pages would overwrite them


# -- a template edit: the open pages first --------------------------------------------------
def _mark_base(p, marker: str) -> Path:
    base = p.project.templates / "base.html"
    text = base.read_text(encoding="utf-8")
    assert text.count("</main>") == 1
    base.write_text(text.replace("</main>", f"</main><!-- {marker} -->"), encoding="utf-8")
    return base


def test_a_template_edit_writes_the_open_pages_first_with_the_new_template(tmp_path):
    p = _built_copy(tmp_path)
    site = p.project.output
    app = serve.SiteApp(site, p)
    _, page = _seed_and_page(p)
    topic = sorted((site / "topics").glob("*.html"))[0]
    for opened in ("articles/" + page.name, "topics/" + topic.name, "index.html"):
        assert _get(app, "/" + opened)[0].startswith("200")
    before = _pages(site)
    base = _mark_base(p, "restyled")
    first = p.quick({str(base)})
    assert first == sorted(["articles/" + page.name, "topics/" + topic.name, "index.html"])
    after = _pages(site)
    written = {site / rel for rel in first}
    assert {f for f in after if after[f] != before[f]} == written  # those and no other
    assert all(b"<!-- restyled -->" in after[f] for f in written)
    assert p.rebuild()  # every page again: those written first as the rebuild makes them
    rebuilt = _pages(site)
    assert all(rebuilt[f] == after[f] for f in written)
    assert all(b"<!-- restyled -->" in data for data in rebuilt.values())


def test_a_preview_started_on_a_built_site_writes_its_open_pages_first_after_a_template_edit(
    tmp_path,
):
    from briefing.pipeline import Builder

    root = _project_copy(tmp_path)
    Builder(Project(root=root), jobs=1).build()
    p = serve.Preview(Project(root=root), jobs=1, out=io.StringIO(), err=io.StringIO())
    assert p.rebuild() and "nothing changed" in p.out.getvalue()  # no index made
    p.viewed("index.html")
    p.viewed("leaders/index.html")
    base = _mark_base(p, "restyled")
    written = p.quick({str(base)})
    assert written == ["index.html", "leaders/index.html"]  # the index made for them
    site = p.project.output
    first = {rel: (site / rel).read_bytes() for rel in written}
    assert all(b"<!-- restyled -->" in page for page in first.values())
    assert p.rebuild()
    assert {rel: (site / rel).read_bytes() for rel in written} == first  # as the rebuild makes them


def test_a_style_sheet_edit_is_no_template_edit(tmp_path):
    p = _built_copy(tmp_path)
    p.viewed("index.html")
    style = p.project.templates / "static" / "style.css"
    style.write_text(style.read_text(encoding="utf-8") + "\nmain { color: teal }\n", "utf-8")
    assert p.quick({str(style)}) == []  # no page shows it: the rebuild only copies it
    assert p.rebuild() and "teal" in (p.project.output / "static" / "style.css").read_text()


def test_what_a_rebuild_keeps_is_frozen_until_the_next_rebuild(tmp_path, monkeypatch):
    p = _built_copy(tmp_path)
    assert gc.get_freeze_count() > 0  # no full collection over it at the next edit
    build, during = p.builder.build, []

    def watched_build(**kw):
        during.append(gc.get_freeze_count())
        return build(**kw)

    monkeypatch.setattr(p.builder, "build", watched_build)
    assert p.rebuild()
    assert during == [0]  # the last build's objects are collectable again meanwhile
    assert gc.get_freeze_count() > 0


def test_the_preview_takes_the_pages_served_last_to_be_open(tmp_path):
    p = serve.Preview(Project(root=tmp_path), jobs=1, out=io.StringIO(), err=io.StringIO())
    for page in ["a.html", "b.html", "a.html", "c.html", "d.html", "e.html"]:
        p.viewed(page)
    assert p.open_pages() == ["e.html", "d.html", "c.html", "a.html"][: serve.OPEN_PAGES]


def test_warming_the_annotators_writes_nothing(preview):
    site = preview.project.output
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    preview.builder.warm()
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()} == before


def test_a_change_met_as_the_background_rebuild_ends_still_reloads_the_pages(tmp_path, monkeypatch):
    p, watcher = _background_preview(tmp_path)
    # the rebuild in the background is running when the change is seen, and has ended
    # by the time the change is handled
    looks = iter([True])
    monkeypatch.setattr(serve.Preview, "busy", property(lambda self: next(looks, False)))
    template = p.project.templates / "article.html"
    template.write_text("{% block x %}\n{{ broken \n", encoding="utf-8")
    now = watcher.poll()
    p.wait(120)
    assert p.fatal is not None and "article.html" in p.fatal
    # the pages hear of it: at once, or when the rebuild it started ends
    assert now == "*" or watcher.examine() == ("*", None)
