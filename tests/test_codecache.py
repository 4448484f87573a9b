"""The methods dataclasses write, compiled once and kept between runs (briefing.codecache)."""

from __future__ import annotations

import dataclasses
import marshal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from briefing import codecache

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def cache_file(tmp_path, monkeypatch):
    path = tmp_path / "methods.marshal"
    monkeypatch.setattr(codecache, "_FILE", str(path))
    monkeypatch.setattr(codecache, "_known", None)
    monkeypatch.setattr(codecache, "_made", {})
    monkeypatch.setattr(codecache, "_used", set())
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(dataclasses, "exec", codecache._exec, raising=False)
    return path


def _point():
    @dataclasses.dataclass(frozen=True)
    class Point:
        x: int
        y: int = 2

    return Point


def test_a_dataclass_made_through_the_cache_behaves_as_one_made_without(cache_file):
    Point = _point()
    p = Point(1)
    assert (p.x, p.y, p) == (1, 2, Point(1, 2)) and repr(p).endswith("Point(x=1, y=2)")
    assert hash(p) == hash(Point(1, 2))
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.x = 3


def test_the_code_is_saved_and_read_back_instead_of_compiled(cache_file, monkeypatch):
    _point()
    made = dict(codecache._made)
    assert made and codecache.save() and cache_file.exists()
    monkeypatch.setattr(codecache, "_known", None)
    compiled = []
    real_compile = compile
    monkeypatch.setattr(
        "builtins.compile", lambda *a, **k: compiled.append(a[0]) or real_compile(*a, **k)
    )
    Point = _point()
    assert Point(1) == Point(1, 2) and compiled == [], "every method came from the file"
    assert set(made) <= set(codecache._known)


def test_a_file_of_another_interpreter_or_a_broken_one_is_compiled_anew(cache_file):
    cache_file.write_bytes(marshal.dumps(((1, "other-tag", 0), {"x": 1})))
    assert codecache._load() == {}
    cache_file.write_bytes(b"not marshal")
    assert codecache._load() == {}
    assert _point()(1).y == 2


def test_nothing_is_written_where_python_writes_no_bytecode(cache_file, monkeypatch):
    _point()
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert not codecache.save() and not cache_file.exists()


def test_build_py_makes_the_package_s_dataclasses_through_the_cache():
    script = textwrap.dedent(
        """
        import runpy, sys, dataclasses
        sys.argv = ["build.py", "--help"]
        try:
            runpy.run_path("build.py")
        except SystemExit:
            pass
        from briefing import codecache, model
        assert dataclasses.exec is codecache._exec
        assert any("__init__" in source for source in codecache._used)
        print("ok")
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().endswith("ok")
