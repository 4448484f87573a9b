"""A table kept in a file between runs, for this very interpreter: what
:mod:`briefing.recache` (compiled patterns) and :mod:`briefing.codecache` (compiled
dataclass methods) keep. A missing, broken or foreign file reads as empty; a write that
fails leaves the file as it was. Either way a run is slower, never wrong.
"""

from __future__ import annotations

import marshal


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


def update(path: str, stamp: tuple, known: dict, made: dict, used, floor: int) -> dict | None:
    """Write ``known`` with ``made`` added; the table written, or None if it could not be.

    When the table has grown past four times what this process ``used`` (and ``floor``),
    only that is kept: the rest is of knowledge or code long since changed.
    """
    from .write import atomic_write  # not at import: this module loads before dataclasses do

    table = {**known, **made}
    if len(table) > 4 * max(len(used), floor):
        table = {key: value for key, value in table.items() if key in used}
    try:
        atomic_write(path, marshal.dumps((stamp, table)))
    except (OSError, ValueError):
        return None
    return table
