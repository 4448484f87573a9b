"""A page maker set up in a forked process: faster when it can be, never different."""

from __future__ import annotations

import os
import time

import pytest

from briefing.forked import ForkedMaker

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
PARENT = os.getpid()


def _maker():
    return lambda entry: f"{entry} made by {os.getpid()}"


def _gone(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_pages_are_made_in_the_child_it_forked_and_the_child_is_reaped():
    maker = ForkedMaker(_maker)
    pid = maker._pid
    pages = [maker(n) for n in range(3)]
    assert pages == [f"{n} made by {pid}" for n in range(3)] and pid != PARENT
    maker.close()
    assert _gone(pid)


def _until(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_pages_submitted_together_are_made_in_the_child_while_this_process_works_on(
    tmp_path,
):
    go, made = tmp_path / "go", tmp_path / "made"

    def setup():
        def make(entry):
            if entry == "first":  # made only once this process has moved on
                _until(go.exists)
            made.write_text(entry)
            return f"{entry} made by {os.getpid()}"

        return make

    maker = ForkedMaker(setup)
    pid = maker._pid
    pages = maker.submit(["first", "second"])
    assert not made.exists(), "submitting does not wait for the pages"
    go.touch()
    assert _until(lambda: made.exists() and made.read_text() == "second")  # none asked yet
    assert pages() == [f"first made by {pid}", f"second made by {pid}"]
    maker.close()


def test_a_child_that_cannot_set_the_maker_up_leaves_the_pages_to_this_process():
    def setup():
        if os.getpid() != PARENT:
            raise RuntimeError("no templates in the child")
        return _maker()

    maker = ForkedMaker(setup)
    pid = maker._pid
    assert maker("a") == f"a made by {PARENT}"
    assert maker("b") == f"b made by {PARENT}"
    assert maker._pid is None and _gone(pid)


def test_a_page_the_child_cannot_make_is_made_here_or_fails_here():
    def setup():
        def make(entry):
            if entry == "bad" and os.getpid() != PARENT:
                raise ValueError("only in the child")
            if entry == "worse":
                raise KeyError("anywhere")
            return f"{entry} made by {os.getpid()}"

        return make

    maker = ForkedMaker(setup)
    child = maker._pid
    assert maker.submit(["good", "bad"])() == [f"good made by {child}", f"bad made by {PARENT}"]
    assert maker("good") == f"good made by {child}"
    assert maker("bad") == f"bad made by {PARENT}"
    with pytest.raises(KeyError):
        maker("worse")  # as it fails here, whoever tried first
    maker.close()


def test_an_unused_child_still_setting_up_is_ended_at_once():
    def setup():
        time.sleep(60)
        return _maker()

    maker = ForkedMaker(setup)
    pid = maker._pid
    started = time.monotonic()
    maker.close()
    assert time.monotonic() - started < 10 and _gone(pid)


def test_without_fork_the_pages_are_made_here(monkeypatch):
    def no_fork():
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", no_fork)
    maker = ForkedMaker(_maker)
    assert maker._pid is None and maker("a") == f"a made by {PARENT}"
    maker.close()


def test_closing_does_not_wait_on_a_process_forked_meanwhile_that_holds_the_pipe():
    maker = ForkedMaker(_maker)
    pid = maker._pid
    assert maker("a") == f"a made by {pid}"
    holder = os.fork()  # as an annotation worker forked after the maker would be
    if holder == 0:
        time.sleep(30)
        os._exit(0)
    try:
        started = time.monotonic()
        maker.close()
        assert time.monotonic() - started < 10 and _gone(pid)
    finally:
        os.kill(holder, 9)
        os.waitpid(holder, 0)
