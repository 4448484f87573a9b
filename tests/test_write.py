"""Writing the site: all or nothing, never outside the output folder."""

from __future__ import annotations

import os

import pytest

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
