"""A page maker set up in a forked process while this one annotates.

A one-article rebuild from the command line loads the knowledge and annotates (some
0.1 s), then imports Jinja and loads the templates (some 40 ms) before it can make the
edited article's page: one after the other, with a second core idle. A
:class:`ForkedMaker` forks first; the child sets the page maker up meanwhile, then
makes each page it is sent. Anything amiss (no fork, a child that died, a page the
child could not make) and the page is made here, as it would have been: the child can
make a build faster, never different.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import struct
from collections.abc import Callable
from typing import Any

_HEADER = struct.Struct("<Q")


class ForkedMaker:
    """``maker(entry)``: the page of ``entry``, made by the maker ``setup()`` returns,
    in the child if it can, else here. :meth:`close` when done."""

    def __init__(self, setup: Callable[[], Callable[[Any], str]]):
        self._setup = setup
        self._here: Callable[[Any], str] | None = None  # the maker of this process, if needed
        self._pid: int | None = None
        self._used = False  # a page asked of the child
        try:
            down, to_child = os.pipe()
        except OSError:
            return
        try:
            from_child, up = os.pipe()
        except OSError:
            _close(down, to_child)
            return
        try:
            pid = os.fork()
        except OSError:
            _close(down, to_child, from_child, up)
            return
        if pid == 0:
            _close(to_child, from_child)
            _child(setup, down, up)  # never returns
        _close(down, up)
        self._pid, self._to, self._from = pid, to_child, from_child

    def __call__(self, entry) -> str:
        return self.submit([entry])()[0]

    def submit(self, entries: list) -> Callable[[], list[str]]:
        """Send ``entries`` to the child at once; the function returned gives their pages
        when called (made in the child meanwhile, or here). Call those functions in the
        order of the submissions."""
        entries = list(entries)
        sent = False
        if self._pid is not None:
            self._used = True
            try:
                _send(self._to, pickle.dumps(entries, pickle.HIGHEST_PROTOCOL))
                sent = True
            except (OSError, pickle.PickleError, AttributeError, TypeError):
                self.close()

        def pages() -> list[str]:
            made: list = [(False, None)] * len(entries)
            if sent and self._pid is not None:
                try:
                    answer = _receive(self._from)
                    got = pickle.loads(answer) if answer is not None else None
                    if isinstance(got, list) and len(got) == len(entries):
                        made = got
                    else:
                        self.close()
                except (OSError, pickle.PickleError, EOFError, AttributeError, TypeError):
                    self.close()
            return [
                page if ok else self._make_here(e)
                for (ok, page), e in zip(made, entries, strict=True)
            ]

        return pages

    def _make_here(self, entry) -> str:
        if self._here is None:
            self._here = self._setup()
        return self._here(entry)

    def close(self) -> None:
        """End the child, and wait for it. Killed: it writes nothing the build needs, and
        may still be setting up (a rebuild that turned out to need more), or not see its
        pipe end (a process forked meanwhile holding a copy of it)."""
        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        _close(self._to, self._from)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)


def _child(setup, down: int, up: int) -> None:
    """The child's life: set the maker up, make pages until the parent closes the pipe."""
    try:
        try:
            make = setup()
        except BaseException:  # told as each page is asked for: the parent makes it
            make = None
        while (data := _receive(down)) is not None:
            try:
                entries = pickle.loads(data)
            except BaseException:
                entries = None
            # None: nothing made (no maker, a message it cannot read), the parent stops asking
            answer = None if make is None or entries is None else [_made(make, e) for e in entries]
            _send(up, pickle.dumps(answer, pickle.HIGHEST_PROTOCOL))
    finally:
        os._exit(0)  # not the parent's atexit handlers, nor its buffered output


def _made(make, entry) -> tuple[bool, str | None]:
    """``(True, page)``, or ``(False, None)`` for a page the parent is to make itself."""
    try:
        return True, make(entry)
    except BaseException:
        return False, None


def _send(fd: int, data: bytes) -> None:
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _receive(fd: int) -> bytes | None:
    """The next message, or None at the end of the pipe."""
    head = _read(fd, _HEADER.size)
    if head is None:
        return None
    data = _read(fd, _HEADER.unpack(head)[0])
    if data is None:
        raise EOFError("the pipe ended within a message")
    return data


def _read(fd: int, size: int) -> bytes | None:
    parts, left = [], size
    while left:
        part = os.read(fd, left)
        if not part:
            return None
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _close(*fds: int) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)
