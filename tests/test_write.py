"""Writing the site: all or nothing, never outside the output folder."""

from __future__ import annotations

import os
import sys

import pytest

from briefing import write
from briefing.errors import BriefingError
from briefing.write import build_lock, recover, safe_relpath, write_site


def test_writes_every_file(tmp_path):
    out = tmp_path / "site"
    assert write_site({"index.html": "<p>hi</p>", "a/b.html": b"x"}, out) == 2
    assert (out / "index.html").read_text() == "<p>hi</p>" and (
        out / "a" / "b.html"
    ).read_bytes() == b"x"


def test_new_site_replaces_the_old_one_whole(tmp_path):
    out = tmp_path / "site"
    write_site({"old.html": "old", "keep.html": "1"}, out)
    write_site({"keep.html": "2"}, out)
    assert sorted(os.listdir(out)) == ["keep.html"]
    assert (out / "keep.html").read_text() == "2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize(
    "bad", ["../evil.html", "/etc/passwd", "a/../../x", "a//b", "a\\..\\b", ""]
)
def test_paths_outside_the_site_are_refused(tmp_path, bad):
    with pytest.raises(BriefingError, match="outside the site folder"):
        safe_relpath(bad)
    out = tmp_path / "site"
    write_site({"index.html": "good"}, out)
    with pytest.raises(BriefingError):
        write_site({"index.html": "bad", bad: "x"}, out)
    assert (out / "index.html").read_text() == "good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_write_error_keeps_the_previous_site(tmp_path):
    out = tmp_path / "site"
    write_site({"index.html": "good"}, out)
    # a directory where a file must go makes the write fail half way
    with pytest.raises(BriefingError, match="previous site is kept"):
        write_site({"a.html": "1", "a.html/b.html": "2"}, out)
    assert (out / "index.html").read_text() == "good"


def test_recover_finishes_a_swap_a_killed_build_left_half_done(tmp_path):
    out = tmp_path / "site"
    old = tmp_path / ".site.old"
    old.mkdir()
    (old / "index.html").write_text("previous")
    (tmp_path / ".site.tmp").mkdir()
    recover(out)
    assert (out / "index.html").read_text() == "previous"
    assert not old.exists() and not (tmp_path / ".site.tmp").exists()


def test_a_second_build_that_will_not_wait_is_refused(tmp_path):
    out = tmp_path / "site"
    with (
        build_lock(out),
        pytest.raises(BriefingError, match="another build"),
        build_lock(out, wait=False),
    ):
        pass


def _big(tmp_path, name: str, fill: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(fill * write.BIG)
    return str(path)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_a_big_file_takes_the_old_one_s_name_by_exchange_not_by_replace(tmp_path, monkeypatch):
    target = _big(tmp_path, "annotations.json", b"o")
    os.link(target, tmp_path / "kept-by-an-older-build")
    tmp = _big(tmp_path, ".annotations.json.tmp", b"n")
    new_inode = os.stat(tmp).st_ino

    def no_replace(*args):  # ext4 writes a file renamed over another out at once: slow
        raise AssertionError("os.replace used for a big file")

    monkeypatch.setattr(write.os, "replace", no_replace)
    write.rename_over(tmp, target)
    assert os.stat(target).st_ino == new_inode
    assert (tmp_path / "annotations.json").read_bytes()[:3] == b"nnn"
    assert (tmp_path / "kept-by-an-older-build").read_bytes()[:3] == b"ooo"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "annotations.json",
        "kept-by-an-older-build",
    ]


@pytest.mark.parametrize("exchange", [True, False])
def test_renaming_over_a_missing_file_or_without_exchange_still_renames(
    tmp_path, monkeypatch, exchange
):
    if not exchange:
        monkeypatch.setattr(write, "_renameat2", False)  # another system
    tmp = _big(tmp_path, "new.tmp", b"n")
    write.rename_over(tmp, str(tmp_path / "absent"))
    assert (tmp_path / "absent").read_bytes() == b"n" * write.BIG
    old = _big(tmp_path, "old", b"o")
    write.rename_over(_big(tmp_path, "new.tmp", b"m"), old)
    assert (tmp_path / "old").read_bytes() == b"m" * write.BIG
    small = tmp_path / "small.tmp"
    small.write_bytes(b"s")
    write.rename_over(str(small), old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["absent", "old"]
    assert (tmp_path / "old").read_bytes() == b"s"
