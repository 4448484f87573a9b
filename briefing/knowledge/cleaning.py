"""content/cleaning.yaml: boilerplate, outlet, dateline and caption patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import recache, yamlio

_KEYS = {
    "boilerplate",
    "related_links",
    "breadcrumb_separators",
    "paragraph_prefixes",
    "agencies",
    "outlets",
    "captions",
    "open_words",
}
_PATTERN_LISTS = ("boilerplate", "related_links", "paragraph_prefixes", "captions")


# A pattern that cannot be joined with others: it counts groups by number, or sets
# flags for the whole pattern.
_UNJOINABLE = recache.compile(r"\\[1-9]|\\g<|\(\?\(|\(\?[aiLmsux]+\)")
_GROUP_NAME = recache.compile(r"\(\?P(?:<|=)(\w+)")


def join(patterns: list[re.Pattern]) -> re.Pattern | None:
    """One pattern that tries ``patterns`` in their order: the first that matches wins,
    as in a loop over them, at the cost of one call. Each named group ``g`` of pattern
    ``i`` becomes ``g__i``. None when they cannot be joined (see ``_UNJOINABLE``)."""
    if not patterns or any(
        _UNJOINABLE.search(p.pattern) or p.flags != patterns[0].flags for p in patterns
    ):
        return None
    parts = []
    for i, p in enumerate(patterns):
        source = _GROUP_NAME.sub(rf"\g<0>__{i}", p.pattern)
        parts.append(f"(?:{source})")
    try:
        return recache.compile("|".join(parts), patterns[0].flags)
    except re.error:
        return None


def group(m: re.Match, name: str) -> str | None:
    """Group ``name`` of a match of :func:`join`'s pattern (or of a plain one)."""
    for key, value in m.groupdict().items():
        if value is not None and (key == name or key.rpartition("__")[0] == name):
            return value
    return None


@dataclass
class CleaningRules:
    boilerplate: list[re.Pattern] = field(default_factory=list)
    related_links: list[re.Pattern] = field(default_factory=list)
    paragraph_prefixes: list[re.Pattern] = field(default_factory=list)
    captions: list[re.Pattern] = field(default_factory=list)
    breadcrumb_separators: tuple[str, ...] = ("/", ">", "»")
    agencies: dict[str, str] = field(default_factory=dict)
    outlets: dict[str, str] = field(default_factory=dict)
    open_words: frozenset[str] = frozenset()

    def joined(self, key: str) -> re.Pattern | None:
        """The patterns of list ``key`` as one (see :func:`join`), made on first use."""
        cache = self.__dict__.setdefault("_joined", {})
        if key not in cache:
            cache[key] = join(getattr(self, key))
        return cache[key]

    def outlet_name(self, raw: str) -> str:
        """The usual form of an outlet name found in boilerplate."""
        raw = " ".join(raw.split()).strip(" .,:;-")
        return self.outlets.get(raw.lower(), raw)


def load(path: str | Path) -> CleaningRules:
    path = Path(path)
    if not path.exists():
        return CleaningRules()
    data = yamlio.load(path)
    check = yamlio.Checker(path)
    if data is None:
        return CleaningRules()
    check.mapping(data, data, None, "cleaning.yaml")
    check.known_keys(data, _KEYS, "cleaning.yaml")
    rules = CleaningRules()
    for key in _PATTERN_LISTS:
        items = check.sequence(data.get(key, []), data, key, key)
        compiled = []
        for i, item in enumerate(items):
            if not isinstance(item, str):
                check.fail(
                    items,
                    i,
                    f"an entry of {key} is not text — quote the pattern, e.g. '^Share this'",
                )
            try:
                compiled.append(recache.compile(item, re.I))
            except re.error as e:
                check.fail(items, i, f"bad regular expression in {key}: {e} — fix the pattern")
        setattr(rules, key, compiled)
    seps = check.sequence(data.get("breadcrumb_separators", []), data, "breadcrumb_separators", "x")
    rules.breadcrumb_separators = tuple(str(s) for s in seps) or rules.breadcrumb_separators
    for key in ("agencies", "outlets"):
        mapping = check.mapping(data.get(key, {}), data, key, key)
        setattr(
            rules,
            key,
            {str(k) if key == "agencies" else str(k).lower(): str(v) for k, v in mapping.items()},
        )
    words = check.sequence(data.get("open_words", []), data, "open_words", "open_words")
    rules.open_words = frozenset(str(w).lower() for w in words)
    return rules
