"""content/dates.yaml: the date vocabulary, dated occasions and dated facts ("anchors").

The file is edited by hand, so :func:`load` checks every key, type and date and names
``path:line`` for each problem. The annotator (``briefing/annotate/dates*.py``) turns
these lists into its patterns; nothing it recognises is spelled in code.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from .. import yamlio
from ..errors import BriefingError

_TOP_KEYS = {
    "months",
    "guarded_months",
    "month_cues",
    "month_directions",
    "tense_cues",
    "range_connectors",
    "weekdays",
    "weekday_prefixes",
    "parts_of_day",
    "span_prepositions",
    "ordinal_suffixes",
    "parts",
    "periods",
    "relative_days",
    "anaphoric_days",
    "numbers",
    "ago_units",
    "number_labels",
    "count_cues",
    "count_nouns",
    "not_dates",
    "occasions",
    "occasion_year_words",
    "event_cues",
    "event_lead_sentences",
    "event_date_blockers",
    "caption_guards",
    "published_labels",
    "published_blocks",
    "anchor_negators",
    "anchors",
}
_PARTS_KEYS = {"modifiers", "comparatives", "of_phrases"}
_TENSE_KEYS = {"future", "past", "past_suffixes", "not_past", "shields", "deadline"}
_PERIOD_KEYS = {"unit", "base", "offset"}
_OCCASION_KEYS = {"id", "names", "hijri", "persian", "gregorian", "guarded", "note"}
_CALENDAR_KEYS = {"month", "day", "last"}
_ANCHOR_KEYS = {"id", "after", "before", "triggers", "note"}
_DIRECTIONS = {"on_or_before", "on_or_after", "before", "after", "nearest"}
_PERIOD_UNITS = {"year", "month", "week"}
_PERIOD_BASES = {"reference", "context", "previous"}
_AGO_UNITS = {"day", "week", "month", "year"}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_CALENDAR_DAYS = {"hijri": 30, "persian": 31, "gregorian": 31}


@dataclass(frozen=True)
class Period:
    """A period word: "last year" is ``Period("year", "reference", -1)``."""

    unit: str  # year | month | week
    base: str  # reference | context | previous
    offset: int = 0


@dataclass(frozen=True)
class Occasion:
    """A named, dated occasion; ``calendar`` None means it is named but never valued."""

    id: str
    names: tuple[str, ...]
    calendar: str | None = None  # hijri | persian | gregorian
    month: int | None = None
    day: int | None = None
    last_weekday: int | None = None  # 0 = Monday: "the last Friday of Ramadan"
    guarded: bool = False


@dataclass(frozen=True)
class Anchor:
    """A dated fact: an article that names it was written after (or before) its day."""

    id: str
    triggers: tuple[str, ...]
    after: tuple[str, ...] = ()
    before: tuple[str, ...] = ()


@dataclass(frozen=True)
class TenseCues:
    """Words that put a date with no year in the future or the past (see dates.yaml)."""

    future: frozenset[str] = frozenset()  # single words and two-word phrases
    past: frozenset[str] = frozenset()
    past_suffixes: tuple[str, ...] = ()
    not_past: frozenset[str] = frozenset()
    shields: frozenset[str] = frozenset()
    deadline: frozenset[str] = frozenset()  # "by Sept 19": no side, the nearest day


@dataclass(eq=False)  # compared by identity: the annotator keeps its grammar on the instance
class DateResources:
    months: dict[int, list[str]] = field(default_factory=dict)  # 1 -> [January, Jan]
    guarded_months: set[str] = field(default_factory=set)
    month_cues: set[str] = field(default_factory=set)
    month_directions: dict[str, str] = field(default_factory=dict)  # "since" -> "past"
    tense: TenseCues = field(default_factory=TenseCues)
    range_connectors: list[str] = field(default_factory=list)
    weekdays: dict[str, list[str]] = field(default_factory=dict)  # Monday -> [Mon]
    weekday_prefixes: dict[str, str] = field(default_factory=dict)  # "last" -> "before"
    parts_of_day: list[str] = field(default_factory=list)
    span_prepositions: list[str] = field(default_factory=list)
    ordinal_suffixes: list[str] = field(default_factory=list)
    part_modifiers: list[str] = field(default_factory=list)
    part_comparatives: list[str] = field(default_factory=list)
    part_of_phrases: list[str] = field(default_factory=list)
    periods: dict[str, Period] = field(default_factory=dict)
    relative_days: dict[str, int] = field(default_factory=dict)
    anaphoric_days: dict[str, int] = field(default_factory=dict)
    numbers: dict[str, int | None] = field(default_factory=dict)
    ago_units: dict[str, str] = field(default_factory=dict)
    number_labels: set[str] = field(default_factory=set)
    count_cues: list[str] = field(default_factory=list)
    count_nouns: list[str] = field(default_factory=list)
    not_dates: list[str] = field(default_factory=list)
    occasions: list[Occasion] = field(default_factory=list)
    occasion_year_words: dict[str, int] = field(default_factory=dict)
    event_cues: set[str] = field(default_factory=set)
    event_lead_sentences: int = 5
    event_date_blockers: list[str] = field(default_factory=list)
    caption_guards: list[str] = field(default_factory=list)
    published_labels: list[str] = field(default_factory=list)
    published_blocks: int = 3
    anchor_negators: set[str] = field(default_factory=set)
    anchors: list[Anchor] = field(default_factory=list)

    def weekday_number(self, name: str) -> int:
        """0 for Monday ... 6 for Sunday; ``name`` is a full name or an abbreviation."""
        key = name.rstrip(".").title()
        for number, (full, abbrevs) in enumerate(self.weekdays.items()):
            if key == full or key in abbrevs:
                return number
        raise KeyError(name)

    def month_number(self, name: str) -> int:
        """1 for January ... 12; ``name`` is a full name or an abbreviation, any case."""
        key = name.rstrip(".").title()
        for number, forms in self.months.items():
            if key in forms:
                return number
        raise KeyError(name)


class _Check(yamlio.Checker):
    """The Checker with the list and number shapes this file uses."""

    def words(self, mapping, key, what: str, required: bool = True) -> list[str]:
        if key not in mapping or mapping[key] is None:
            if required:
                self.fail(mapping, key, f"{what} has no {key!r} — add a list of words")
            return []
        items = self.sequence(mapping[key], mapping, key, f"{key!r} in {what}")
        out = []
        for i, item in enumerate(items):
            if (
                isinstance(item, bool)
                or not isinstance(item, (str, int))
                or str(item).strip() == ""
            ):
                self.fail(
                    items,
                    i,
                    f"item {i + 1} of {key!r} is not a word or phrase — write one"
                    " (quote on, off, yes, no: YAML reads them as true/false)",
                )
            out.append(str(item).strip())
        return out

    def integer(self, value, container, key, what: str, low=None, high=None, null=False):
        if value is None and null:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(container, key, f"{what} is {value!r} — write a whole number")
        if (low is not None and value < low) or (high is not None and value > high):
            self.fail(container, key, f"{what} is {value} — use a value from {low} to {high}")
        return value

    def choice(self, value, container, key, what: str, choices) -> str:
        if value not in choices:
            self.fail(
                container,
                key,
                f"{what} is {value!r} — use one of: {', '.join(sorted(choices))}",
            )
        return value

    def word_map(self, mapping, key, what: str, text_keys: bool = True) -> yamlio.LineDict:
        """A mapping whose keys are words (checked unless ``text_keys`` is False)."""
        value = mapping.get(key)
        if value is None:
            self.fail(mapping, key, f"{what} has no {key!r} — add it")
        value = self.mapping(value, mapping, key, f"{key!r}")
        for word in value if text_keys else ():
            if not isinstance(word, str) or not word.strip():
                self.fail(
                    value,
                    word,
                    f"key {word!r} in {key!r} is not a word — write one"
                    " (quote on, off, yes, no: YAML reads them as true/false)",
                )
        return value

    def dates(self, mapping, key, what: str) -> tuple[str, ...]:
        """One date or a list of dates, each YYYY-MM-DD; returned sorted."""
        value = mapping.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            return (self.day(value, mapping, key, what),)
        return tuple(sorted(self.day(v, value, i, what) for i, v in enumerate(value)))

    def day(self, value, container, key, what: str) -> str:
        if isinstance(value, _dt.date):
            return value.isoformat()
        try:
            return _dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            self.fail(container, key, f"{what}: {value!r} is not a date — write YYYY-MM-DD")


def load(path: str | Path) -> DateResources:
    """Read and validate ``content/dates.yaml``; raises :class:`BriefingError` at ``path:line``."""
    path = Path(path)
    data = yamlio.load(path)
    return parse(data, path)


def parse(data, path: str | Path = "<dates.yaml>") -> DateResources:
    """Validate an already parsed document (line-aware, from :mod:`briefing.yamlio`)."""
    c = _Check(path)
    if not isinstance(data, dict):
        raise BriefingError(path, 1, "dates.yaml must be a mapping of sections — see its header")
    c.known_keys(data, _TOP_KEYS, "dates.yaml")
    res = DateResources()

    months = c.word_map(data, "months", "dates.yaml", text_keys=False)
    for key in months:
        number = c.integer(key, months, key, "a month number", 1, 12)
        res.months[number] = c.words(months, key, f"month {number}")
    missing = sorted(set(range(1, 13)) - set(res.months))
    if missing:
        c.fail(data, "months", f"'months' lacks month {missing[0]} — list all twelve")
    full_names = {forms[0] for forms in res.months.values()}
    res.guarded_months = set(c.words(data, "guarded_months", "dates.yaml", required=False))
    for i, name in enumerate(data.get("guarded_months") or []):
        if str(name) not in full_names:
            c.fail(
                data["guarded_months"],
                i,
                f"guarded month {name!r} is not a full month name — write it in full, e.g. May",
            )
    res.month_cues = {w.lower() for w in c.words(data, "month_cues", "dates.yaml")}
    directions = data.get("month_directions") or {}
    c.mapping(directions, data, "month_directions", "'month_directions'")
    for word, side in directions.items():
        c.choice(side, directions, word, f"the side of {word!r}", {"past", "future"})
        res.month_directions[str(word).lower()] = side

    res.tense = _tense(c, data)
    res.range_connectors = [
        w.lower() for w in c.words(data, "range_connectors", "dates.yaml", required=False)
    ]

    weekdays = c.word_map(data, "weekdays", "dates.yaml")
    names = list(weekdays)
    if tuple(names) != _WEEKDAYS:
        c.fail(
            data,
            "weekdays",
            "'weekdays' is not Monday to Sunday — list the seven days in that order",
        )
    for name in names:
        res.weekdays[name] = (
            c.words(weekdays, name, f"weekday {name}") if weekdays[name] is not None else []
        )
    prefixes = c.word_map(data, "weekday_prefixes", "dates.yaml")
    for word, direction in prefixes.items():
        c.choice(direction, prefixes, word, f"the direction of {word!r}", _DIRECTIONS)
        res.weekday_prefixes[str(word).lower()] = direction
    res.parts_of_day = c.words(data, "parts_of_day", "dates.yaml")
    res.span_prepositions = [w.lower() for w in c.words(data, "span_prepositions", "dates.yaml")]
    res.ordinal_suffixes = c.words(data, "ordinal_suffixes", "dates.yaml")

    parts = c.word_map(data, "parts", "dates.yaml")
    c.known_keys(parts, _PARTS_KEYS, "'parts'")
    res.part_modifiers = c.words(parts, "modifiers", "'parts'")
    res.part_comparatives = c.words(parts, "comparatives", "'parts'")
    res.part_of_phrases = c.words(parts, "of_phrases", "'parts'")

    periods = c.word_map(data, "periods", "dates.yaml")
    for phrase, spec in periods.items():
        c.mapping(spec, periods, phrase, f"period {phrase!r}")
        c.known_keys(spec, _PERIOD_KEYS, f"period {phrase!r}")
        unit = c.choice(spec.get("unit"), spec, "unit", f"the unit of {phrase!r}", _PERIOD_UNITS)
        base = c.choice(spec.get("base"), spec, "base", f"the base of {phrase!r}", _PERIOD_BASES)
        offset = c.integer(spec.get("offset", 0), spec, "offset", f"the offset of {phrase!r}")
        res.periods[str(phrase).lower()] = Period(unit, base, offset)

    for key, target in (
        ("relative_days", res.relative_days),
        ("anaphoric_days", res.anaphoric_days),
    ):
        table = c.word_map(data, key, "dates.yaml")
        for phrase, offset in table.items():
            target[str(phrase).lower()] = c.integer(
                offset, table, phrase, f"the offset of {phrase!r}"
            )

    numbers = c.word_map(data, "numbers", "dates.yaml")
    for word, value in numbers.items():
        res.numbers[str(word).lower()] = c.integer(
            value, numbers, word, f"the number {word!r}", 1, 1000, null=True
        )
    units = c.word_map(data, "ago_units", "dates.yaml")
    for word, unit in units.items():
        res.ago_units[str(word).lower()] = c.choice(unit, units, word, f"unit {word!r}", _AGO_UNITS)

    res.number_labels = {w.lower() for w in c.words(data, "number_labels", "dates.yaml")}
    res.count_cues = [w.lower() for w in c.words(data, "count_cues", "dates.yaml")]
    res.count_nouns = c.words(data, "count_nouns", "dates.yaml")
    res.not_dates = c.words(data, "not_dates", "dates.yaml", required=False)

    res.occasions = _occasions(c, data, res)
    years = c.word_map(data, "occasion_year_words", "dates.yaml")
    for word, offset in years.items():
        res.occasion_year_words[str(word).lower()] = c.integer(offset, years, word, f"{word!r}")

    res.event_cues = {w.lower() for w in c.words(data, "event_cues", "dates.yaml")}
    res.event_lead_sentences = c.integer(
        data.get("event_lead_sentences", 5),
        data,
        "event_lead_sentences",
        "'event_lead_sentences'",
        1,
        50,
    )
    res.event_date_blockers = [
        w.lower() for w in c.words(data, "event_date_blockers", "dates.yaml")
    ]
    res.caption_guards = [w.lower() for w in c.words(data, "caption_guards", "dates.yaml", False)]
    res.published_labels = [w.lower() for w in c.words(data, "published_labels", "dates.yaml")]
    res.published_blocks = c.integer(
        data.get("published_blocks", 3), data, "published_blocks", "'published_blocks'", 0, 20
    )
    res.anchor_negators = {w.lower() for w in c.words(data, "anchor_negators", "dates.yaml", False)}
    res.anchors = _anchors(c, data)
    return res


def _tense(c: _Check, data) -> TenseCues:
    if data.get("tense_cues") is None:
        return TenseCues()
    spec = c.word_map(data, "tense_cues", "dates.yaml")
    c.known_keys(spec, _TENSE_KEYS, "'tense_cues'")

    def words(key: str) -> list[str]:
        out = [" ".join(w.lower().split()) for w in c.words(spec, key, "'tense_cues'", False)]
        for i, w in enumerate(out):
            # the tense scan reads one word and the one before it; deadlines are phrases
            if len(w.split()) > 2 and key != "deadline":
                c.fail(spec[key], i, f"tense cue {w!r} has more than two words — shorten it")
        return out

    return TenseCues(
        future=frozenset(words("future")),
        past=frozenset(words("past")),
        past_suffixes=tuple(words("past_suffixes")),
        not_past=frozenset(words("not_past")),
        shields=frozenset(words("shields")),
        deadline=frozenset(words("deadline")),
    )


def _occasions(c: _Check, data, res: DateResources) -> list[Occasion]:
    items = c.sequence(data.get("occasions"), data, "occasions", "'occasions'")
    out: list[Occasion] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        c.mapping(item, items, i, f"occasion {i + 1}")
        c.known_keys(item, _OCCASION_KEYS, f"occasion {i + 1}")
        oid = c.string(item, "id", f"occasion {i + 1}", required=True)
        if oid in seen:
            c.fail(item, "id", f"occasion id {oid!r} is used twice — ids must be unique")
        seen[oid] = i
        names = tuple(c.words(item, "names", f"occasion {oid!r}"))
        rules = [k for k in ("hijri", "persian", "gregorian") if item.get(k) is not None]
        if len(rules) > 1:
            c.fail(item, rules[1], f"occasion {oid!r} has two calendars — keep one of {rules}")
        guarded = c.flag(item, "guarded", f"'guarded' of occasion {oid!r}")
        if not rules:
            out.append(Occasion(oid, names, guarded=guarded))
            continue
        cal = rules[0]
        spec = c.mapping(item[cal], item, cal, f"the {cal} rule of {oid!r}")
        c.known_keys(spec, _CALENDAR_KEYS, f"the {cal} rule of {oid!r}")
        month = c.integer(spec.get("month"), spec, "month", f"the month of {oid!r}", 1, 12)
        day = last = None
        if "last" in spec:
            if cal != "hijri" or "day" in spec:
                c.fail(
                    spec,
                    "last",
                    f"'last' of {oid!r} needs a hijri rule without 'day' — remove 'day' or 'last'",
                )
            try:
                last = _WEEKDAYS.index(str(spec["last"]))
            except ValueError:
                c.fail(
                    spec,
                    "last",
                    f"'last' of {oid!r} is not a weekday — write a weekday name, e.g. Friday",
                )
        else:
            day = c.integer(
                spec.get("day"), spec, "day", f"the day of {oid!r}", 1, _CALENDAR_DAYS[cal]
            )
        out.append(Occasion(oid, names, cal, month, day, last, guarded))
    return out


def _anchors(c: _Check, data) -> list[Anchor]:
    items = c.sequence(data.get("anchors") or [], data, "anchors", "'anchors'")
    out: list[Anchor] = []
    for i, item in enumerate(items):
        c.mapping(item, items, i, f"anchor {i + 1}")
        c.known_keys(item, _ANCHOR_KEYS, f"anchor {i + 1}")
        aid = c.string(item, "id", f"anchor {i + 1}", required=True)
        triggers = tuple(c.words(item, "triggers", f"anchor {aid!r}"))
        for j, trigger in enumerate(triggers):
            words = trigger.split()
            if words[0] == "*" or words[-1] == "*":
                c.fail(
                    item["triggers"],
                    j,
                    f"trigger {trigger!r} starts or ends with '*' — remove the '*'",
                )
        after = c.dates(item, "after", f"anchor {aid!r}")
        before = c.dates(item, "before", f"anchor {aid!r}")
        if not after and not before:
            c.fail(item, "id", f"anchor {aid!r} has no 'after' or 'before' — add one (YYYY-MM-DD)")
        out.append(Anchor(aid, triggers, after, before))
    return out
