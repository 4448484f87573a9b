"""YAML loading that remembers line numbers, so errors can name ``file:line``.

Knowledge files are data edited by hand; every validation error must point at the
line to fix. :func:`load` returns plain dicts and lists, except that mappings are
:class:`LineDict` (a ``dict`` that knows the line of each key) and lists are
:class:`LineList` (a ``list`` that knows the line of each item).
"""

from __future__ import annotations

import datetime as _dt
import functools
from pathlib import Path

from .errors import BriefingError


class LineDict(dict):
    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


@functools.cache
def _loader():
    """The loader class; PyYAML imported on first use (some 15 ms), as a rebuild that
    finds the knowledge and settings cached parses no YAML at all."""
    import yaml

    # libyaml's parser when present (five times faster on the thousands of sidecars of a
    # large archive); it gives nodes the same marks, so lines stay known
    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    return Loader


def _construct_mapping(loader, node):
    from yaml.constructor import ConstructorError

    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from None
        if key in out:
            raise ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader, node):
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


def _construct_timestamp(loader, node):
    from yaml import SafeLoader

    # an impossible date (2021-02-30) stays text, so validation can name its line
    try:
        return SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


def loads(text: str, path: str | Path = "<string>", line_offset: int = 0):
    """Parse YAML text; a syntax error becomes a one-line :class:`BriefingError`."""
    import yaml

    try:
        return yaml.load(text, Loader=_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        at_end = mark is not None and mark.index >= len(text.rstrip())
        if e.context_mark and (at_end or "end" in (e.problem or "")):
            mark = e.context_mark  # an unclosed opening: its line is the one to fix
        line = (mark.line + 1 + line_offset) if mark else None
        problem = e.problem or e.context or "invalid YAML"
        raise BriefingError(path, line, f"invalid YAML: {problem} — fix the syntax") from None
    except yaml.YAMLError as e:
        raise BriefingError(path, None, f"invalid YAML: {e} — fix the syntax") from None


def load(path: str | Path):
    """Read and parse a YAML file (UTF-8)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise BriefingError(path, None, f"not UTF-8 ({e.reason}) — save it as UTF-8") from None
    except OSError as e:
        raise BriefingError(
            path, None, f"cannot read ({e.strerror}) — check that the file exists and is readable"
        ) from None
    return loads(text, path)


def line_of(container, key) -> int | None:
    """The line of ``key`` (a dict key or list index) in ``container``, if known."""
    if isinstance(container, (LineDict, LineList)):
        return container.line_of(key)
    return None


def as_date(value) -> str | None:
    """Normalise a YAML date (``2021-09-12`` parses as a date) to ISO text."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


class Checker:
    """Validates one YAML document and raises errors that name ``file:line``."""

    def __init__(self, path: str | Path):
        self.path = str(path)

    def fail(self, container, key, message: str):
        raise BriefingError(self.path, line_of(container, key), message)

    def mapping(self, value, container, key, what: str) -> LineDict:
        if not isinstance(value, dict):
            self.fail(container, key, f"{what} is not a mapping — write 'key: value' lines")
        return value

    def sequence(self, value, container, key, what: str) -> list:
        if not isinstance(value, list):
            self.fail(
                container, key, f"{what} is not a list — write one item per line starting with '- '"
            )
        return value

    def known_keys(self, mapping, allowed, what: str) -> None:
        for key in mapping:
            if key not in allowed:
                choices = ", ".join(sorted(allowed))
                self.fail(mapping, key, f"unknown key {key!r} in {what} — use one of: {choices}")

    def required(self, mapping, key, what: str):
        if key not in mapping or mapping[key] in (None, ""):
            self.fail(mapping, key, f"{what} has no {key!r} — add it")
        return mapping[key]

    def flag(self, mapping, key, what: str, default: bool = False) -> bool:
        """A true/false setting; absent means ``default``."""
        value = mapping.get(key, default)
        if not isinstance(value, bool):
            self.fail(mapping, key, f"{what} is not true or false — write true or false")
        return value

    def string(self, mapping, key, what: str, required: bool = False) -> str | None:
        if key not in mapping or mapping[key] is None:
            if required:
                self.fail(mapping, key, f"{what} has no {key!r} — add it")
            return None
        value = mapping[key]
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.fail(
                mapping,
                key,
                f"{key!r} in {what} is not text — write a word or phrase (quote yes, no, on, off)",
            )
        return str(value)

    def date(self, mapping, key, what: str) -> str | None:
        """A full date YYYY-MM-DD that exists in the calendar, or None."""
        if key not in mapping or mapping[key] is None:
            return None
        value = mapping[key]
        if isinstance(value, _dt.date):
            return as_date(value)
        try:
            return _dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            self.fail(
                mapping, key, f"{key!r} in {what} is not a date: {value!r} — write YYYY-MM-DD"
            )
