"""Compiled patterns kept between runs: the same patterns, never a wrong one."""

import marshal
import re

import pytest

from briefing import recache

PATTERNS = [
    (r"(?P<who>[A-Z]\w+) (?:said|told) (?P<whom>\w+)?", 0),
    (r"\bon (?P<wd>Monday|Saturday)\b", re.IGNORECASE),
    (r"(?<![\w])al-Ka[dz]+h?imi(?=\W)", 0),
    (r"^\s*#+ .*$", re.MULTILINE),
]
TEXT = "Rouhani told Kadhimi on saturday that al-Kadhimi, as al-Kazemi said, ...\n## End"


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """A process that has compiled nothing yet, keeping its patterns in ``tmp_path``."""

    def start(path=tmp_path / "patterns.marshal"):
        monkeypatch.setattr(recache, "_compiled", {})
        monkeypatch.setattr(recache, "_made", {})
        monkeypatch.setattr(recache, "_known", None)
        monkeypatch.setattr(recache, "_seen", None)
        monkeypatch.setattr(recache, "_file", None)
        monkeypatch.setattr(recache, "_saved", float("-inf"))
        recache.use(path)
        return path

    return start


def _same(a: re.Pattern, b: re.Pattern) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (
        b.pattern,
        b.flags,
        b.groups,
        b.groupindex,
    )
    assert [m.groupdict() | {"span": m.span()} for m in a.finditer(TEXT)] == [
        m.groupdict() | {"span": m.span()} for m in b.finditer(TEXT)
    ]


def test_a_pattern_compiles_as_re_compile_does(fresh):
    fresh()
    for pattern, flags in PATTERNS:
        _same(recache.compile(pattern, flags), re.compile(pattern, flags))


def test_a_pattern_read_back_from_the_file_is_the_same_pattern(fresh):
    path = fresh()
    for pattern, flags in PATTERNS:
        recache.compile(pattern, flags)
    assert recache.save()
    fresh(path)  # the next run
    for pattern, flags in PATTERNS:
        _same(recache.compile(pattern, flags), re.compile(pattern, flags))
    assert recache._made == {}, "every pattern came from the file"


def test_a_file_written_by_another_interpreter_is_not_used(fresh):
    path = fresh()
    recache.compile(*PATTERNS[0])
    recache.save()
    stamp, known = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps((("cpython", "2.7.18", 0), known)))
    fresh(path)
    _same(recache.compile(*PATTERNS[0]), re.compile(*PATTERNS[0]))
    assert list(recache._made) == [PATTERNS[0]], "compiled, not read"


@pytest.mark.parametrize("junk", [b"", b"not marshal", marshal.dumps([1, 2, 3])])
def test_a_damaged_file_is_ignored_and_replaced(fresh, junk):
    path = fresh()
    path.write_bytes(junk)
    _same(recache.compile(*PATTERNS[1]), re.compile(*PATTERNS[1]))
    assert recache.save()
    fresh(path)
    recache.compile(*PATTERNS[1])
    assert recache._made == {}


def test_a_file_entry_the_engine_refuses_is_compiled_instead(fresh):
    path = fresh()
    recache.compile(*PATTERNS[2])
    recache.save()
    stamp, known = marshal.loads(path.read_bytes())
    known[PATTERNS[2]] = (0, b"\xff" * 16, 0, {}, (None,))  # not an opcode list
    path.write_bytes(marshal.dumps((stamp, known)))
    fresh(path)
    _same(recache.compile(*PATTERNS[2]), re.compile(*PATTERNS[2]))


def test_a_bad_pattern_raises_as_re_does(fresh):
    fresh()
    with pytest.raises(re.error):
        recache.compile("(unclosed")


def test_saving_at_most_every_so_often(fresh):
    fresh()
    recache.compile(*PATTERNS[0])
    assert recache.save(every=60)
    recache.compile(*PATTERNS[1])
    assert not recache.save(every=60), "saved a moment ago"
    assert recache.save(), "unless told to save now"
    assert not recache.save(), "nothing new"


def test_a_pattern_compiled_before_the_file_was_chosen_is_not_written_again(fresh):
    path = fresh()
    recache.compile(*PATTERNS[0])
    assert recache.save()
    written = path.stat().st_mtime_ns, path.stat().st_ino
    fresh(None)  # the next run: a library compiles it before the build names the file
    recache.compile(*PATTERNS[0])
    recache.use(path)
    assert not recache.save(), "the file has it already"
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == written
    recache.compile(*PATTERNS[1])
    assert recache.save(), "a new pattern is written"


def test_patterns_long_unused_are_dropped_from_the_file(fresh):
    path = fresh()
    for n in range(300):  # a knowledge base of long ago
        recache.compile(f"old{n}")
    recache.save()
    fresh(path)
    recache.compile(*PATTERNS[0])
    recache.save()
    stamp, known = marshal.loads(path.read_bytes())
    assert list(known) == [PATTERNS[0]]


def test_processes_saving_to_one_file_keep_each_other_s_patterns(fresh):
    # a cold build: the workers add what they compiled, then the parent what it did
    import subprocess
    import sys

    path = fresh()
    recache.compile(*PATTERNS[0])
    assert recache.save()  # this process has read the file: it holds PATTERNS[0]
    other = f"from briefing import recache; recache.use({str(path)!r}); "
    other += f"recache.compile({PATTERNS[1][0]!r}, {int(PATTERNS[1][1])}); recache.save()"
    subprocess.run([sys.executable, "-c", other], check=True)
    recache.compile(*PATTERNS[2])
    assert recache.save()
    stamp, known = marshal.loads(path.read_bytes())
    assert set(known) == {(p, int(f)) for p, f in PATTERNS[:3]}


def test_a_parallel_build_leaves_every_pattern_its_workers_compiled(fresh, tmp_path, monkeypatch):
    """The first edit after a cold build compiles nothing anew (as it did, 40 ms, when a
    worker's patterns compiled after its last save were lost)."""
    import shutil
    from pathlib import Path

    from briefing import pipeline, project, workers
    from briefing.errors import Diagnostics

    repo = Path(__file__).resolve().parent.parent
    root = tmp_path / "project"
    for name in ("content", "templates", "seeds"):
        shutil.copytree(repo / name, root / name)
    monkeypatch.setattr(workers, "MIN_PARALLEL", 2)  # five seeds are enough for a pool
    monkeypatch.setattr(workers, "PATTERNS_EVERY", 3600.0)  # a worker saves once, then at exit
    fresh(None)
    pipeline.Builder(project.Project(root=root), jobs=2).build()
    path = root / ".briefing-cache" / workers.PATTERNS
    recache.save()  # as the parent does as it exits
    fresh(path)  # the next process
    proj = project.Project(root=root)
    for seed in sorted((root / "seeds").glob("*.txt")):
        assert project.process_file(seed, proj, Diagnostics()) is not None
    assert not recache._made, "compiled again: " + ", ".join(p[:40] for p, _ in recache._made)


def test_without_a_file_nothing_is_written(fresh, tmp_path):
    fresh(None)
    recache.compile(*PATTERNS[3])
    assert not recache.save()
    assert list(tmp_path.iterdir()) == []


def test_seeds_annotated_with_patterns_from_the_file_as_with_compiled_ones(tmp_path):
    """Two fresh processes: one compiles and saves, the next reads every pattern back."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    root = tmp_path / "project"
    for name in ("content", "templates", "seeds"):
        shutil.copytree(repo / name, root / name)
    exports = []
    for _ in range(2):
        subprocess.run(
            [sys.executable, str(repo / "build.py"), "--root", str(root), "-q", "--jobs", "1"],
            cwd=root,
            check=True,
        )
        assert (root / ".briefing-cache" / "patterns.marshal").is_file()
        exports.append((root / "site" / "downloads" / "annotations.json").read_bytes())
        for entry in root.glob(".briefing-cache/*"):  # annotate again, next time
            if entry.name != "patterns.marshal":
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        shutil.rmtree(root / "site")
    assert exports[0] == exports[1]


def test_patterns_pickled_by_dumps_come_back_through_the_cache(fresh):
    import pickle

    fresh()
    holder = {"p": re.compile(*PATTERNS[1]), "q": [re.compile(*PATTERNS[0])]}
    recache._compiled.clear()
    back = pickle.loads(recache.dumps(holder))
    _same(back["p"], holder["p"])
    _same(back["q"][0], holder["q"][0])
    assert back["p"] is recache.compile(*PATTERNS[1])  # compiled by the cache, not by re
    assert back["p"].search(TEXT).group("wd") == "saturday"


def test_knowledge_cached_with_the_annotators_tables_annotates_as_fresh_knowledge(
    project, seed_articles
):
    """The lexicon, date grammar and theme matcher travel with pickled knowledge."""
    import pickle

    from briefing.annotate import prepare
    from briefing.downloads import export_line
    from briefing.project import Project, load_article

    kb = pickle.loads(recache.dumps(prepare(project.knowledge)))
    assert "_lexicon" in kb.__dict__ and "_grammar" in kb.dates.__dict__
    assert "_matcher" in kb.themes.__dict__
    cached = Project(root=project.root)
    cached.__dict__["knowledge"] = kb
    for article in seed_articles.values():
        again = load_article(article.source, cached)
        assert export_line(again, project.root) == export_line(article, project.root)


@pytest.fixture
def installed(fresh, monkeypatch):
    """:func:`recache.install` for one test: ``re`` as it was after it."""
    # as before install(), whether a test of the command line has installed it or not
    monkeypatch.setattr(
        recache._compiler, "compile", recache._re_compile or recache._compiler.compile
    )
    monkeypatch.setattr(recache, "_re_compile", None)
    re.purge()
    yield fresh
    re.purge()


def test_once_installed_re_compiles_through_the_file_and_gives_the_same_patterns(installed):
    path = installed()
    recache.install()
    plain = [recache._re_compile(p, f) for p, f in PATTERNS]
    for (pattern, flags), expected in zip(PATTERNS, plain, strict=True):
        _same(re.compile(pattern, flags), expected)
    assert {(p, int(f)) for p, f in PATTERNS} <= set(recache._made)
    assert recache.save()
    installed(path)  # the next run: from the file
    re.purge()
    for (pattern, flags), expected in zip(PATTERNS, plain, strict=True):
        _same(re.compile(pattern, flags), expected)
    assert not recache._made


def test_once_installed_bytes_and_bad_patterns_are_re_s_own(installed):
    installed()
    recache.install()
    assert re.compile(rb"\d+").match(b"42").group() == b"42"
    with pytest.raises(re.error):
        re.compile(r"(unclosed")
    assert re.sub(r"(?P<n>\d)", r"<\g<n>>", "a1") == "a<1>"

    class Text(str):
        pass

    assert re.compile(Text(r"\d+")).match("42")
    assert all(type(p) is str for p, _ in recache._made)
    assert recache.save()  # nothing in the table that marshal cannot keep
