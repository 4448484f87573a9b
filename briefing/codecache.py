"""The methods that ``dataclasses`` writes, compiled once and kept between runs.

``@dataclass`` writes the source of ``__init__``, ``__repr__``, ``__eq__`` (and more for
frozen classes) and compiles it with ``exec`` each time a module defining one is
imported: for the package's 80-odd dataclasses, about 45 ms of a one-article rebuild
that takes 350 (reading the kept code back takes 12). :func:`install` gives the ``dataclasses`` module an ``exec`` of its
own that takes the code of a source it has compiled before from a file beside the
package's bytecode (``__pycache__``), as Python keeps the bytecode of modules.

The code is looked up by its very source, so it is the code ``exec`` would compile; a
missing, unreadable or foreign file (another interpreter) is compiled anew, and the file
is written, when anything was, at exit and only where Python writes its own bytecode.
"""

from __future__ import annotations

import atexit
import builtins
import marshal
import os
import sys

from . import marshalled

_STAMP = (1, sys.version, marshal.version)  # code objects: for this very interpreter
_FILE = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "__pycache__",
    f"dataclass-methods.{sys.implementation.cache_tag}.marshal",
)

_known: dict[str, object] | None = None  # source -> code, from the file
_made: dict[str, object] = {}  # compiled by this process, not yet saved
_used: set[str] = set()


def install() -> None:
    """Have ``dataclasses`` compile the methods it writes through this cache."""
    import dataclasses

    if sys.implementation.cache_tag is None or getattr(dataclasses, "exec", None) is _exec:
        return
    # a module global of that name is what its functions find before the builtin
    dataclasses.exec = _exec
    atexit.register(save)


def _exec(source, globals=None, locals=None, /):  # noqa: A002 - as builtins.exec
    if not isinstance(source, str):
        return builtins.exec(source, globals, locals)
    code = _code(source)
    return builtins.exec(code, globals, locals)


def _code(source: str):
    global _known
    if _known is None:
        _known = _load()
    _used.add(source)
    code = _known.get(source) or _made.get(source)
    if code is None:
        code = _made[source] = compile(source, "<string>", "exec")
    return code


def _load() -> dict:
    return marshalled.read(_FILE, _STAMP)


def save() -> bool:
    """Write what this process compiled to the file; True if it was written."""
    global _known
    if not _made or sys.dont_write_bytecode:
        return False
    got = marshalled.update(_FILE, _STAMP, _made, _used, 256, set(_known or ()))
    if got is None:
        return False
    _known, written = got
    _made.clear()
    return written
