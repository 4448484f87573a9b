"""The build cache: what makes an annotation stale, and what does not."""

from __future__ import annotations

import os
import shutil
import time
import types
from pathlib import Path

import pytest

from briefing import cache
from briefing.pipeline import Builder
from briefing.project import Project

from .conftest import REPO, relabel, rendered_pages


def _old(path: Path) -> None:
    """Date a file back, as if written long before the build (not "racily clean")."""
    past = time.time() - 3600
    os.utime(path, (past, past))


# -- the file index ---------------------------------------------------------------------
def test_an_unchanged_file_is_not_read_again(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("one")
    _old(f)
    index = cache.FileIndex()
    first = index.hash(f)
    index.stamp, index.hashed = time.time_ns(), 0
    assert index.hash(f) == first and index.hashed == 0


def test_a_changed_file_is_hashed_again(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("one")
    _old(f)
    index = cache.FileIndex()
    first = index.hash(f)
    index.stamp = time.time_ns()
    f.write_text("two")
    assert index.hash(f) != first


def test_a_file_written_just_before_the_scan_is_checked_by_content(tmp_path):
    # same size and, on a coarse clock, the same mtime: only the bytes tell
    f = tmp_path / "a.txt"
    f.write_text("one")
    index = cache.FileIndex()
    index.hash(f)
    index.stamp = time.time_ns()
    st = f.stat()
    f.write_text("two")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert not index.scan([str(f)])[1]


def test_touching_a_file_without_changing_it_is_no_change(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("one")
    _old(f)
    index = cache.FileIndex()
    index.hash(f)
    index.stamp = time.time_ns()
    os.utime(f)
    assert index.scan([str(f)])[1]


def test_a_new_or_removed_file_is_a_change(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("one")
    b.write_text("two")
    index = cache.FileIndex()
    index.hash(a)
    index.stamp = time.time_ns()
    assert not index.scan([str(a), str(b)])[1]
    assert not index.scan([])[1]


# -- keys ---------------------------------------------------------------------------------
@pytest.fixture()
def article(tmp_path):
    path = tmp_path / "seeds" / "x.txt"
    path.parent.mkdir()
    path.write_text("TEHRAN — The president spoke.\n")
    return path


def test_the_key_follows_the_text_the_sidecar_and_the_version(article):
    key = cache.article_key(cache.FileIndex(), "v1", str(article))
    assert cache.article_key(cache.FileIndex(), "v1", str(article)) == key
    assert cache.article_key(cache.FileIndex(), "v2", str(article)) != key
    article.with_suffix(".yaml").write_text("title: X\n")
    with_sidecar = cache.article_key(cache.FileIndex(), "v1", str(article))
    assert with_sidecar != key
    article.write_text("TEHRAN — The president spoke again.\n")
    assert cache.article_key(cache.FileIndex(), "v1", str(article)) not in (key, with_sidecar)


def test_the_version_follows_the_knowledge_files_but_not_the_site_settings(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "leaders.yaml").write_text("people: []\n")
    (content / "site.yaml").write_text("title: A\n")
    v1 = cache.version(cache.FileIndex(), content)
    (content / "site.yaml").write_text("title: B\n")
    assert cache.version(cache.FileIndex(), content) == v1
    (content / "leaders.yaml").write_text("people: []  # edited\n")
    assert cache.version(cache.FileIndex(), content) != v1
    (content / "themes.yaml").write_text("themes: []\n")
    assert len({v1, cache.version(cache.FileIndex(), content)}) == 2


def test_the_version_follows_the_code(tmp_path, monkeypatch):
    content = tmp_path / "content"
    content.mkdir()
    v1 = cache.version(cache.FileIndex(), content)
    monkeypatch.setattr(cache, "_CODE", ["another build of the code"])
    assert cache.version(cache.FileIndex(), content) != v1


def test_the_code_hash_covers_every_module_of_the_package():
    names = {Path(p).relative_to(cache.PACKAGE).as_posix() for p in cache.code_files()}
    assert {"pipeline.py", "annotate/__init__.py", "knowledge/__init__.py"} <= names


# -- the store ------------------------------------------------------------------------------
def test_an_entry_comes_back_as_it_went_in(tmp_path):
    store = cache.ArticleCache(tmp_path, "v1")
    store.put("ab" * 16, {"any": "object"}, [("x.txt", 1, "a warning")])
    assert store.get("ab" * 16) == ({"any": "object"}, [("x.txt", 1, "a warning")])
    assert cache.ArticleCache(tmp_path, "v2").get("ab" * 16) is None


def test_a_damaged_entry_is_a_miss_not_an_error(tmp_path):
    store = cache.ArticleCache(tmp_path, "v1")
    store.put("cd" * 16, "x", [])
    Path(store._path("cd" * 16)).write_bytes(b"\x80\x05 truncated")
    assert store.get("cd" * 16) is None and store.misses == 1


def test_old_versions_are_pruned(tmp_path):
    for n in range(5):
        store = cache.ArticleCache(tmp_path, f"v{n}")
        store.put("ef" * 16, n, [])
        past = time.time() - 1000 + n
        os.utime(store.folder, (past, past))
    cache.ArticleCache(tmp_path, "v4").prune({"ef" * 16})
    left = sorted(p.name for p in tmp_path.iterdir())
    assert len(left) == cache.KEEP_VERSIONS and "v-v4" in left


# -- the build: hits and misses ---------------------------------------------------------
@pytest.fixture(scope="module")
def project_copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("cached") / "proj"
    for name in ("content", "templates", "seeds"):
        shutil.copytree(REPO / name, root / name)
    return root


def test_a_second_build_takes_every_article_from_the_cache(project_copy):
    project = Project(root=project_copy)
    first = Builder(project, jobs=1).build()
    assert first.annotated == first.count > 0
    shutil.rmtree(project.cache_dir / "state")  # not a no-op: every article is looked up
    again = Builder(Project(root=project_copy), jobs=1).build()
    assert (again.annotated, again.count) == (0, first.count)


def test_a_file_saved_just_before_a_build_is_read_by_the_next_no_op_alone(
    project_copy, monkeypatch
):
    # saved in the clock tick the build scanned it, a file may change again unseen by its
    # stat: the next build reads it. Once read by a build long after, it is known again.
    project = Project(root=project_copy)
    Builder(project, jobs=1).build()
    stamp = cache.BuildState.load(project.cache_dir, project.output).files.stamp
    seed = str(min(project_copy.glob("seeds/*.txt")))
    os.utime(seed, ns=(stamp, stamp))
    read: list[str] = []
    hash_of, now = cache.FileIndex.hash, time.time_ns

    def noted(index, path):
        before = index.hashed
        value = hash_of(index, path)
        if index.hashed > before:
            read.append(str(path))
        return value

    monkeypatch.setattr(cache.FileIndex, "hash", noted)
    monkeypatch.setattr(time, "time_ns", lambda: now() + 10 * 10**9)  # ten seconds later
    for first in (True, False, False):  # each a fresh process, as `python build.py` is
        read.clear()
        assert Builder(Project(root=project_copy), jobs=1).build().noop
        assert (seed in read) if first else read == []


def test_an_edited_knowledge_file_annotates_every_article_again(project_copy):
    project = Project(root=project_copy)
    builder = Builder(project, jobs=1)
    assert builder.build().annotated == 0
    with open(project.content / "dates.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n# a comment is an edit too\n")
    result = builder.build()
    assert result.annotated == result.count > 0
    # but where the build can tell what an edit changes (themes' terms, people's
    # aliases), a comment changes nothing
    with open(project.content / "leaders.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n# a comment\n")
    assert builder.build().annotated == 0


def test_another_version_of_the_code_annotates_every_article_again(project_copy, monkeypatch):
    project = Project(root=project_copy)
    shutil.rmtree(project.cache_dir / "state")  # a real edit of the code is a change of file
    monkeypatch.setattr(cache, "_CODE", ["the code after an edit"])
    result = Builder(project, jobs=1).build()
    assert result.annotated == result.count > 0


def test_without_the_cache_every_article_is_annotated(project_copy, tmp_path):
    project = Project(root=project_copy, output=tmp_path / "site")
    result = Builder(project, jobs=1, use_cache=False).build()
    assert result.annotated == result.count


def test_each_part_of_an_entry_reads_alone(tmp_path):
    store = cache.ArticleCache(tmp_path, "v1")
    store.put("ef" * 16, "slim", [], line='{"id": "caf\u00e9"}', full={"the": "article"})
    assert store.get("ef" * 16) == ("slim", [])
    assert store.line("ef" * 16) == '{"id": "caf\u00e9"}'
    assert store.full("ef" * 16) == {"the": "article"}
    path = Path(store._path("ef" * 16))
    path.write_bytes(path.read_bytes()[:40])  # cut short
    assert store.line("ef" * 16) is None and store.full("ef" * 16) is None
    assert store.entry_start("ef" * 16) is None


def test_the_start_of_an_entry_is_all_but_the_full_article(tmp_path):
    store = cache.ArticleCache(tmp_path, "v1")
    full = types.SimpleNamespace(text="Al-Kazemi said so.", more="x" * 5000)
    whole = store.put("ef" * 16, "slim", ["w"], line="{}", full=full)
    start = store.entry_start("ef" * 16)
    assert whole.startswith(start) and len(start) < len(whole) - 5000
    assert cache.unpack(start) == ("slim", ["w"])
    assert cache.text_of(start) == "Al-Kazemi said so."
    assert store.entry_start("00" * 16) is None  # none filed


def test_a_scan_gives_each_file_its_hash_none_for_a_missing_one(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("one")
    hashes, same = cache.FileIndex().scan([str(a), str(tmp_path / "gone.txt")])
    assert hashes == {str(a): cache.digest(b"one"), str(tmp_path / "gone.txt"): None}
    assert not same  # an empty index: every file is new


def test_the_files_a_build_watches_skip_hidden_ones_caches_and_links_to_folders(tmp_path):
    for name in ("a.txt", "sub/b.yaml", ".git/c.txt", "__pycache__/d.pyc", "sub/.e.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)
    found = [os.path.relpath(p, tmp_path) for p in cache.tree_files(tmp_path)]
    assert found == ["a.txt", "sub/b.yaml"]


# -- an edit of the themes' lexicon: the articles it cannot change are kept -------------------
def _site_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture()
def lexicon_project(tmp_path):
    root = tmp_path / "proj"
    for name in ("content", "templates", "seeds"):
        shutil.copytree(REPO / name, root / name)
    return root


def _add_term(root: Path, after: str, term: str) -> None:
    """Add ``term`` to the list of themes.yaml whose first term is ``after``."""
    path = root / "content" / "themes.yaml"
    text = path.read_text(encoding="utf-8")
    assert f"      - {after}\n" in text
    path.write_text(text.replace(f"      - {after}\n", f"      - {after}\n      - {term}\n", 1))


def test_a_term_added_to_a_theme_annotates_only_the_articles_that_hold_it(
    lexicon_project, tmp_path
):
    project = Project(root=lexicon_project)
    builder = Builder(project, jobs=1)
    first = builder.build()
    assert first.annotated == first.count == 5
    holding = [
        p for p in (lexicon_project / "seeds").glob("*.txt") if "atrocities" in p.read_text()
    ]
    assert len(holding) == 1
    _add_term(lexicon_project, "security", "atrocities")
    again = Builder(Project(root=lexicon_project), jobs=1).build()
    assert (again.annotated, again.count) == (1, 5)
    # the same site as a build that annotates every article with the edited lexicon
    fresh = Project(root=lexicon_project, output=tmp_path / "fresh")
    Builder(fresh, jobs=1, use_cache=False).build()
    assert _site_files(project.output) == _site_files(fresh.output)


def test_a_lexicon_edit_with_another_knowledge_edit_annotates_every_article(lexicon_project):
    project = Project(root=lexicon_project)
    Builder(project, jobs=1).build()
    _add_term(lexicon_project, "security", "atrocities")
    with open(project.content / "dates.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n# an edit of another file\n")
    result = Builder(Project(root=lexicon_project), jobs=1).build()
    assert result.annotated == result.count == 5


def test_a_label_edit_annotates_only_the_articles_whose_titles_show_it(lexicon_project, tmp_path):
    """Three seeds have no title of their own: one is made from their speakers and the
    labels of their first three themes (two show Foreign interference; none shows
    Sanctions). Pages show labels: all are made again, from the annotations kept."""
    project = Project(root=lexicon_project)
    Builder(project, jobs=1).build()
    titles = [p.read_text(encoding="utf-8") for p in (project.output / "articles").glob("*.html")]
    assert sum(": Security · Economy and trade · Foreign interference<" in t for t in titles)
    relabel(lexicon_project / "content", "Foreign interference", "Interference from abroad")
    assert Builder(Project(root=lexicon_project), jobs=1).build().annotated == 2
    fresh = Project(root=lexicon_project, output=tmp_path / "fresh")
    Builder(fresh, jobs=1, use_cache=False).build()
    assert _site_files(project.output) == _site_files(fresh.output)
    relabel(lexicon_project / "content", "Sanctions", "Embargoes")
    assert Builder(Project(root=lexicon_project), jobs=1).build().annotated == 0
    path = project.content / "themes.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            '{code: "medtop:20000642", label: economic sanction}',
            '{code: "medtop:20000642", label: embargo}',
        )
    )
    assert Builder(Project(root=lexicon_project), jobs=1).build().annotated == 0
    fresh = Project(root=lexicon_project, output=tmp_path / "fresh2")
    Builder(fresh, jobs=1, use_cache=False).build()
    assert _site_files(project.output) == _site_files(fresh.output)


def test_a_lexicon_edit_makes_again_only_the_pages_of_the_articles_it_touches(
    lexicon_project, monkeypatch
):
    project = Project(root=lexicon_project)
    Builder(project, jobs=1).build()
    articles = project.output / "articles"
    holding = [
        f"articles/{p.name}" for p in articles.glob("*.html") if "atrocities" in p.read_text()
    ]
    assert len(holding) == 1 and len(list(articles.glob("*.html"))) == 5
    original = (project.content / "themes.yaml").read_text(encoding="utf-8")
    rendered = rendered_pages(monkeypatch)

    def build() -> list[str]:
        rendered.clear()
        Builder(Project(root=lexicon_project), jobs=1).build()
        return [r for r in rendered if r.startswith("articles/")]

    _add_term(lexicon_project, "security", "atrocities")
    assert build() == holding
    assert any(r.startswith("topics/") for r in rendered)  # the topics it lists are
    # edited back, then again: both versions' entries are cached, and what their pages are
    (project.content / "themes.yaml").write_text(original, encoding="utf-8")
    assert build() == holding
    _add_term(lexicon_project, "security", "atrocities")
    assert build() == holding


# -- an edit of the people's aliases: likewise ---------------------------------------------
def _edit_aliases(root: Path, name: str, old: str, new: str) -> None:
    """Replace the aliases line ``old`` of the person ``name`` in leaders.yaml by ``new``."""
    path = root / "content" / "leaders.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index(f"name: {name}\n")
    line = text.index("aliases:", at)
    end = text.index("\n", line)
    assert old in text[line:end]
    path.write_text(text[:line] + text[line:end].replace(old, new, 1) + text[end:])


def test_an_alias_removed_annotates_and_renders_only_the_articles_that_hold_it(
    lexicon_project, tmp_path, monkeypatch
):
    project = Project(root=lexicon_project)
    Builder(project, jobs=1).build()
    seeds = sorted((lexicon_project / "seeds").glob("*.txt"))
    holding = [p for p in seeds if "kadhimi" in p.read_text(encoding="utf-8").lower()]
    assert 0 < len(holding) < len(seeds)
    original = (project.content / "leaders.yaml").read_text(encoding="utf-8")
    rendered = rendered_pages(monkeypatch)

    def build() -> tuple[int, int]:
        rendered.clear()
        result = Builder(Project(root=lexicon_project), jobs=1).build()
        pages = [r for r in rendered if r.startswith("articles/")]
        return result.annotated, len(pages)

    _edit_aliases(lexicon_project, "Mustafa al-Kadhimi", " Kadhimi,", "")
    assert build() == (len(holding), len(holding))
    # the same site as a build that annotates every article with the edited leaders
    fresh = Project(root=lexicon_project, output=tmp_path / "fresh")
    Builder(fresh, jobs=1, use_cache=False).build()
    assert _site_files(project.output) == _site_files(fresh.output)
    # edited back: the first build's entries and pages are there still
    (project.content / "leaders.yaml").write_text(original, encoding="utf-8")
    assert build() == (0, len(holding))


def test_an_alias_and_a_term_added_together_annotate_only_the_articles_they_touch(
    lexicon_project,
):
    project = Project(root=lexicon_project)
    Builder(project, jobs=1).build()
    _edit_aliases(lexicon_project, "Mustafa al-Kadhimi", "Kadhimi,", "Kadhimi, Kadhimy,")
    _add_term(lexicon_project, "security", "atrocities")  # in one seed; "Kadhimy" in none
    assert Builder(Project(root=lexicon_project), jobs=1).build().annotated == 1


def test_a_name_edited_annotates_every_article(lexicon_project):
    project = Project(root=lexicon_project)
    Builder(project, jobs=1).build()
    path = project.content / "leaders.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: Hassan Rouhani\n", "name: Hasan Rouhani\n"))
    result = Builder(Project(root=lexicon_project), jobs=1).build()
    assert result.annotated == result.count == 5


def test_an_edit_pages_show_makes_every_page_again(lexicon_project, monkeypatch):
    project = Project(root=lexicon_project)
    Builder(project, jobs=1).build()
    rendered = rendered_pages(monkeypatch)
    relabel(project.content, "Sanctions", "Embargoes")
    Builder(Project(root=lexicon_project), jobs=1).build()
    assert len([r for r in rendered if r.startswith("articles/")]) == 5


def test_annotation_workers_fork_with_the_loaded_articles_out_of_the_collector_s_sight(
    lexicon_project, monkeypatch
):
    """A worker's collector would walk every article the build loaded, copying the
    memory they are on into the worker (seconds at 10,000 articles)."""
    import gc

    from briefing import workers

    Builder(Project(root=lexicon_project), jobs=1).build()
    _add_term(lexicon_project, "security", "atrocities")
    frozen = []
    annotate = workers.annotate

    def watched(*args, **kw):
        frozen.append(gc.get_freeze_count())
        return annotate(*args, **kw)

    monkeypatch.setattr(workers, "annotate", watched)
    gc.unfreeze()
    try:
        result = Builder(Project(root=lexicon_project), jobs=2).build()
    finally:
        gc.freeze()
    assert (result.annotated, result.count) == (1, 5)  # four loaded, kept to the end
    assert frozen and frozen[0] > 0


def test_an_entry_is_filed_under_another_version_by_a_link_or_else_a_copy(tmp_path, monkeypatch):
    old, new = cache.ArticleCache(tmp_path, "v1"), cache.ArticleCache(tmp_path, "v2")
    whole = old.put("ab" * 16, "slim", [], line="{}", full=types.SimpleNamespace(text="t"))
    assert new.adopt(old, "ab" * 16, "cd" * 16)
    assert os.stat(new._path("cd" * 16)).st_ino == os.stat(old._path("ab" * 16)).st_ino
    assert not new.adopt(old, "ab" * 16, "cd" * 16)  # one is there already

    def no_links(src, dst):
        raise PermissionError(1, "Operation not permitted")  # as on a FAT or some FUSE disks

    monkeypatch.setattr(os, "link", no_links)
    assert new.adopt(old, "ab" * 16, "ef" * 16)
    assert new.entry("ef" * 16) == whole
    assert not new.adopt(old, "00" * 16, "12" * 16)  # nothing to file


def test_a_build_state_saves_and_loads_back_and_refuses_what_marshal_cannot_keep(tmp_path):
    state = cache.BuildState(params="p", keys=["k1", "k2"], fast={"views": [("a", "v")]})
    state.save(tmp_path / "cache", tmp_path / "site")
    back = cache.BuildState.load(tmp_path / "cache", tmp_path / "site")
    assert back is not None and (back.params, back.keys, back.fast) == (
        "p",
        ["k1", "k2"],
        {"views": [("a", "v")]},
    )
    # a value of ours that marshal cannot take is a bug: loud, not a state silently lost
    state.fast = {"views": object()}
    with pytest.raises(ValueError):
        state.save(tmp_path / "cache", tmp_path / "site")
