"""content/cleaning.yaml: boilerplate, outlet, dateline and caption patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import recache, yamlio

try:  # CPython's regular expression parser, private but stable in 3.11–3.13 (see Screen)
    from re import _parser
except ImportError:  # pragma: no cover - another interpreter: no screening
    _parser = None

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


# Case-insensitive matching equates these with ASCII letters, str.lower() does not.
_FOLDS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_FOLD_TABLE = str.maketrans(_FOLDS)
# what a lower-case ASCII letter of a pattern matches under re.I
_CASES = {c: c + c.upper() for c in "abcdefghijklmnopqrstuvwxyz"}
for _ch, _ascii in _FOLDS.items():
    _CASES[_ascii] += _ch
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")  # repeats, by opcode name


def _plain(code: int) -> str | None:
    """The character of a literal as the lower-cased text holds it wherever the pattern
    matches it: an ASCII character or one without case (©, ’); None for the others."""
    ch = chr(code)
    if code < 128:
        return ch.lower()
    return ch if ch.lower() == ch == ch.upper() else None


def _needs(items) -> list[frozenset[str]]:
    """What every match of the parsed ``items`` holds: for each set, one of its strings
    (lower case). Conservative: a construct it does not know requires nothing."""
    out: list[frozenset[str]] = []
    run: list[str] = []  # consecutive literal characters
    for op, av in items:
        ch = _plain(av) if op is _parser.LITERAL else None
        if ch is not None:
            run.append(ch)
            continue
        if run:
            out.append(frozenset(["".join(run)]))
            run = []
        if op is _parser.SUBPATTERN:
            out += _needs(av[-1])
        elif op is _parser.BRANCH:
            # one of the branches: each must require something, say its longest string
            options = [max(_needs(branch), key=_shortest, default=None) for branch in av[1]]
            if all(options):
                out.append(frozenset().union(*options))
        elif str(op) in _REPEATS and av[0] >= 1:
            out += _needs(av[2])
    if run:
        out.append(frozenset(["".join(run)]))
    return out


def _shortest(strings: frozenset[str]) -> int:
    return min(map(len, strings))


def _fewest(strings: frozenset[str]) -> tuple[str, ...]:
    """The strings without those that hold another ("share" tells all "share this" does)."""
    return tuple(sorted(s for s in strings if not any(t != s and t in s for t in strings)))


def _firsts(items) -> frozenset[str] | None:
    """The characters (as :func:`_plain` gives them) a match of the parsed ``items`` can
    open with; None if any, or unknown."""
    for op, av in items:
        if op is _parser.LITERAL:
            ch = _plain(av)
            return frozenset([ch]) if ch is not None else None
        if op is _parser.SUBPATTERN:
            return _firsts(av[-1])
        if op is _parser.BRANCH:
            options = [_firsts(branch) for branch in av[1]]
            return frozenset().union(*options) if all(options) else None
        if op is _parser.IN:
            chars = [_plain(code) for kind, code in av if kind is _parser.LITERAL]
            if len(chars) == len(av) and None not in chars:
                return frozenset(chars)
            return None
        if str(op) in _REPEATS and av[0] >= 1:
            return _firsts(av[2])
        if op not in (_parser.AT, _parser.ASSERT, _parser.ASSERT_NOT):
            return None  # (those match no character: the next item opens the match)
    return None


class Screen:
    """A cheap test that passes every line one of ``patterns`` can match, and few others.

    A match opens with one of the characters its pattern allows there, is as long as the
    pattern allows (for ``fullmatch``: the whole line) and holds the strings the pattern
    requires ("website can also be accessed", one of "http" and "www."). Most lines of
    an article are sentences that fail these tests for every pattern: they cost a dict
    look-up and a few comparisons where a regex would walk the line
    (``.{0,40}\\b(roku|...)`` or ``.+?'s website`` from each of its characters).
    """

    def __init__(self, patterns: list[re.Pattern], whole: bool):
        # per pattern: the first characters, the shortest and longest match, and what it
        # holds (the most telling first)
        tests = []
        for p in patterns:
            try:
                parsed = _parser.parse(p.pattern, p.flags)
                lo, hi = parsed.getwidth() if whole else (0, _ANY_LENGTH)
                firsts = _firsts(parsed.data) if whole and lo > 0 else None
                needs = sorted(_needs(parsed.data), key=_shortest, reverse=True)
            except Exception:  # the private parser is not as expected: pass every line
                firsts, lo, hi, needs = None, 0, _ANY_LENGTH, []
            groups = [_fewest(group) for group in needs]
            # strings without case are looked for in the line as written, before the
            # line is put in lower case (a cost on a long line of wide characters)
            caseless = [g for g in groups if all(s.lower() == s.upper() for s in g)]
            cased = [g for g in groups if g not in caseless]
            tests.append((firsts, (lo, hi, caseless, cased)))
        # the tests of the patterns a line can match, by its first character as written
        self._any = tuple(test for firsts, test in tests if firsts is None)
        self._by_first = {}
        for ch in {ch for firsts, _ in tests for ch in firsts or ()}:
            chosen = tuple(test for firsts, test in tests if firsts is None or ch in firsts)
            for form in _CASES.get(ch, ch):
                self._by_first[form] = chosen

    def may_match(self, line: str) -> bool:
        n = len(line)
        low = None
        for lo, hi, caseless, cased in self._by_first.get(line[:1], self._any):
            if not lo <= n <= hi:
                continue
            for group in caseless:  # one string of each group, in the line as written
                for s in group:
                    if s in line:
                        break
                else:
                    break
            else:
                if cased and low is None:
                    low = _lower(line)
                for group in cased:  # ... and in lower case
                    for s in group:
                        if s in low:
                            break
                    else:
                        break
                else:
                    return True
        return False


def _lower(text: str) -> str:
    """``text`` in lower case, with the letters ``re.I`` takes for ASCII ones folded.

    The last one is kept: the boilerplate and the related-links screens read the same
    paragraph one after the other, and a long line of wide characters is slow to lower.
    """
    global _lowered
    if text is _lowered[0]:
        return _lowered[1]
    if text.isascii():
        low = text.lower()
    else:
        for ch in _FOLDS:
            if ch in text:
                low = text.translate(_FOLD_TABLE).lower()
                break
        else:
            low = text.lower()
    _lowered = (text, low)
    return low


_lowered = ("", "")
_ANY_LENGTH = 1 << 64


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

    def screen(self, key: str, whole: bool) -> Screen:
        """The :class:`Screen` of list ``key``, for ``fullmatch`` (``whole``) or ``search``."""
        cache = self.__dict__.setdefault("_screens", {})
        if (key, whole) not in cache:
            cache[key, whole] = Screen(getattr(self, key), whole)
        return cache[key, whole]

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
