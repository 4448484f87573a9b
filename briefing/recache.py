"""Compiled regular expressions kept between runs.

The annotators' patterns are made from the knowledge files: long alternations of
names, terms and date words. Python's ``re`` parses and compiles them anew in every
process, about a quarter of a second, which a one-article rebuild or an annotation
worker would spend before reading a word. :func:`compile` keeps what the compiler
made (its opcode list, a list of ints) in a file of the annotation cache, by pattern,
and hands it back to ``_sre`` next time.

That list is CPython's private format, so a file is used only by the very
interpreter that wrote it (version and ``_sre.MAGIC`` recorded in it), and any
failure falls back to ``re.compile``: the cache can make a run slower, never wrong.
"""

from __future__ import annotations

import atexit
import copyreg
import io
import os
import pickle
import re
import sys
import time
from array import array

from . import marshalled

try:  # CPython's regular expression engine and compiler, private but stable in 3.11–3.13
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another interpreter: plain re.compile
    _sre = None

_STAMP = (2, sys.implementation.name, sys.version, getattr(_sre, "MAGIC", None))

_file: str | None = None  # where compiled patterns are read from and saved to
_known: dict | None = None  # (pattern, flags) -> what _sre.compile takes, from the file
_seen: set | None = None  # the keys of the file when this process first read it
_made: dict = {}  # the same, compiled by this process and not yet saved
_compiled: dict = {}  # (pattern, flags) -> Pattern
_saved = float("-inf")  # time.monotonic() of the last save
_re_compile = None  # re's own compiler, once install() has put ours in its place


def install() -> None:
    """Have ``re`` compile every pattern through :func:`compile`, the libraries' too.

    PyYAML, Jinja and the standard library compile some forty patterns as they are
    imported, PyYAML's reader alone 9 ms of a one-article rebuild; from the file they
    take 1. Bytes, str subclasses, compiled and debugging patterns go to ``re``'s own
    compiler.
    """
    global _re_compile
    if _sre is None or _compiler.compile is _through_cache:
        return
    _re_compile = _compiler.compile
    _compiler.compile = _through_cache
    atexit.register(save)  # Jinja compiles its patterns as the pages render, after the last save


def _through_cache(pattern, flags=0):
    # exactly str: marshal keeps no subclass, and one such key would spoil every save
    if type(pattern) is str and not flags & re.DEBUG:
        return compile(pattern, flags)
    return _re_compile(pattern, flags)


def _plain(pattern: str, flags: int) -> re.Pattern:
    # re's compiler itself: re.compile would come back here once install() has run
    return (_re_compile or re.compile)(pattern, flags)


def use(path: str | os.PathLike | None) -> None:
    """Read and save compiled patterns at ``path`` (None: keep nothing on disk)."""
    global _file, _known, _seen
    path = os.fspath(path) if path is not None else None
    if path != _file:
        _file, _known, _seen = path, None, None


def compile(pattern: str, flags: int = 0) -> re.Pattern:  # noqa: A001 - as re.compile
    """``re.compile(pattern, flags)``, from the file of compiled patterns when it has it."""
    flags = int(flags)
    key = (pattern, flags)
    found = _compiled.get(key)
    if found is not None:
        return found
    found = _from_file(key) or _compile(key)
    _compiled[key] = found
    return found


def save(every: float = 0.0) -> bool:
    """Add the patterns this process compiled to the file; True if it was written.

    With ``every``, not when the last save was less than that many seconds ago: a
    worker calls it after each article, and the first compiles most of what it needs.
    """
    global _known, _saved
    if not _made or _file is None or _sre is None:
        return False
    if every and time.monotonic() - _saved < every:
        return False
    _saved = time.monotonic()
    seen = _seen if _seen is not None else set(_load())
    # added to the file as it is now, not as this process first read it: the workers and
    # the parent of a cold build each add to it; not written when it has them all (as
    # the patterns PyYAML compiles before use() chose the file: 1.4 MB every run)
    got = marshalled.update(_file, _STAMP, _made, _compiled, 64, seen)
    if got is None:
        return False
    _known, written = got
    _made.clear()
    return written


def dumps(obj) -> bytes:
    """``pickle.dumps(obj)``, its compiled patterns compiled back through :func:`compile`.

    Pickle stores a pattern as its source and compiles it again with ``re`` when loading:
    objects that hold the annotators' long alternations would spend that time anew in
    every process that loads them.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, re.Pattern: _reduce}
    pickler.dump(obj)
    return buffer.getvalue()


def _reduce(pattern: re.Pattern):
    # re adds UNICODE to the flags of a str pattern: the key it was compiled under lacks it
    flags = pattern.flags & ~re.UNICODE if isinstance(pattern.pattern, str) else pattern.flags
    return compile, (pattern.pattern, flags)


def _load() -> dict:
    global _known, _seen
    if _known is None:
        _known = marshalled.read(_file, _STAMP) if _file is not None else {}
        if _seen is None:
            _seen = set(_known)
    return _known


def _from_file(key) -> re.Pattern | None:
    if _sre is None or _file is None:
        return None
    parts = _load().get(key)
    if parts is None:
        return None
    try:
        flags, code, groups, groupindex, indexgroup = parts
        return _sre.compile(
            key[0], flags, array("Q", code).tolist(), groups, groupindex, indexgroup
        )
    except Exception:  # not what this engine takes after all: compile it
        return None


def _compile(key) -> re.Pattern:
    pattern, flags = key
    if _sre is None or not isinstance(pattern, str) or flags & re.DEBUG:
        return _plain(pattern, flags)
    try:  # as re._compiler.compile does, keeping what it hands to _sre
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        flags_all, groups = int(flags | parsed.state.flags), parsed.state.groups - 1
        parts = (flags_all, code, groups, groupindex, tuple(indexgroup))
        compiled = _sre.compile(pattern, *parts)
        # kept as bytes: marshal reads a list of 30,000 ints far slower than their bytes
        _made[key] = (parts[0], array("Q", code).tobytes(), *parts[2:])
    except re.error:
        raise
    except Exception:  # the private compiler is not as expected: the public one
        return _plain(pattern, flags)
    return compiled
