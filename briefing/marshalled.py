"""A table kept in a file between runs, for this very interpreter: what
:mod:`briefing.recache` (compiled patterns) and :mod:`briefing.codecache` (compiled
dataclass methods) keep. A missing, broken or foreign file reads as empty; a write that
fails leaves the file as it was. Either way a run is slower, never wrong.
"""

from __future__ import annotations

import contextlib
import marshal
import os


def read(path: str, stamp: tuple) -> dict:
    """The table at ``path`` if it was written under ``stamp``, else ``{}``."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        # loads, not load: load reads a file object a few bytes at a time (22 ms, not 3.4,
        # for the 400 KB of dataclass methods)
        found, table = marshal.loads(data)
        if found == stamp and isinstance(table, dict):
            return table
    except (OSError, EOFError, ValueError, TypeError):
        pass
    return {}


def update(
    path: str, stamp: tuple, made: dict, used, floor: int, seen=frozenset()
) -> tuple[dict, bool] | None:
    """Add ``made`` to the table at ``path``: ``(the table, whether it was written)``, or
    None if it could not be. A table that has all of ``made`` already is not written.

    The table is read again under a lock, so that processes adding to one file (the
    workers of a build, then its parent) keep each other's entries. When it has grown
    past four times what this process ``used`` (and ``floor``), only that is kept, and
    what others added since this process read it (keys not in ``seen``): the rest is of
    knowledge or code long since changed.
    """
    from .write import atomic_write  # not at import: this module loads before dataclasses do

    with _locked(path + ".lock"):
        table = read(path, stamp)
        if all(table.get(key) == value for key, value in made.items()):
            return table, False  # e.g. made before the caller knew the file (1 MB not rewritten)
        table.update(made)
        if len(table) > 4 * max(len(used), floor):
            table = {k: v for k, v in table.items() if k in used or k not in seen}
        try:
            atomic_write(path, marshal.dumps((stamp, table)))
        except (OSError, ValueError):
            return None
    return table, True


@contextlib.contextmanager
def _locked(path: str):
    """An exclusive lock on ``path`` while the block runs; none where it cannot be had."""
    try:
        import fcntl

        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except (ImportError, OSError):
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            pass
        yield
    finally:
        os.close(fd)  # releases the lock
