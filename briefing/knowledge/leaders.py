"""content/leaders.yaml: countries, offices, people, their aliases and their terms of office.

The file is edited by hand, so :func:`load` validates everything and names ``path:line``
for each problem. The loaded :class:`LeaderBase` keeps two indexes for the speakers
annotator: surface form -> people (an alias may belong to several people; the annotator
decides by context and date) and (office, country) -> terms, to ask who held an office
on a day or within a window.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .. import recache, yamlio

_TOP_KEYS = {"countries", "offices", "people"}
_COUNTRY_KEYS = {"adjectives", "names", "capital", "note"}
_OFFICE_DEF_KEYS = {"label", "nouns", "note"}
_PERSON_KEYS = {"id", "name", "aliases", "surname", "gender", "wikidata", "offices", "note"}
_TERM_KEYS = {"office", "country", "start", "end", "role", "note"}
_GENDERS = {"male", "female"}
_SLUG = recache.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WIKIDATA = recache.compile(r"^Q[1-9][0-9]*$")
# Earliest and latest plausible dates: a year typo (0202, 20201) should not pass silently.
_MIN_DAY, _MAX_DAY = "1800-01-01", "2100-12-31"


_QUOTES = recache.compile("[`\u2018\u2019\u02bc]")
_DASHES = recache.compile(r"[-.\u2010-\u2015]+")


def fold(text: str) -> str:
    """A surface form reduced for lookup: ASCII, lower case, one space, no hyphens/dots.

    "Al-Kazemi", "al Kazemi" and "AL-KAZEMI" fold alike; "Es’haq" folds like "Es'haq".
    """
    # Dashes become spaces before the ASCII step, which would drop the Unicode ones and
    # join "Al‐Kazemi" (U+2010) into one word.
    return " ".join(_ascii_lower(_DASHES.sub(" ", _decomposed(text))).split())


def fold_chars(text: str) -> str:
    """Each character of ``text`` as :func:`fold` makes it (ASCII, lower case, one
    apostrophe), but dashes, dots and spaces left as they are (Unicode dashes dropped)."""
    return _ascii_lower(_decomposed(text))


def _decomposed(text: str) -> str:
    return unicodedata.normalize("NFKD", _QUOTES.sub("'", text))


def _ascii_lower(text: str) -> str:
    return text.encode("ascii", "ignore").decode().lower()


@dataclass
class Country:
    key: str
    adjectives: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    capital: str | None = None


@dataclass
class OfficeDef:
    key: str
    label: str
    nouns: list[str] = field(default_factory=list)


@dataclass
class Office:
    office: str  # office id, e.g. "prime_minister"
    country: str
    role: str  # e.g. "Prime Minister of Iraq"
    start: str | None  # YYYY-MM-DD
    end: str | None  # YYYY-MM-DD, None while in office

    def overlaps(self, lo: str | None, hi: str | None) -> bool:
        """Whether the term meets the window [lo, hi] (None: open on that side)."""
        return (hi is None or (self.start or "0000") <= hi) and (
            lo is None or self.end is None or lo <= self.end
        )


@dataclass
class Leader:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    gender: str | None = None
    wikidata: str | None = None
    offices: list[Office] = field(default_factory=list)
    # the family name, where it is not the last word of ``name`` ("Wang" for Wang Yi): a
    # later bare mention of it means this person once the article has named them in full
    surname: str | None = None

    @property
    def family_name(self) -> str:
        return self.surname or self.name.split()[-1]

    def office_at(self, day: str | None) -> Office | None:
        """The office held on ``day`` (YYYY-MM-DD); the latest one if day is None."""
        if not self.offices:
            return None
        if day is None:
            return self.offices[-1]
        for office in self.offices:
            if (office.start or "0000") <= day and (office.end is None or day <= office.end):
                return office
        return None


@dataclass
class LeaderBase:
    people: dict[str, Leader] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    offices: dict[str, OfficeDef] = field(default_factory=dict)
    # fold(surface form) -> ids of the people who go by it, in file order
    alias_index: dict[str, list[str]] = field(default_factory=dict)
    # (office, country) -> [(term, person id)], in file order
    holder_index: dict[tuple[str, str], list[tuple[Office, str]]] = field(default_factory=dict)

    def get(self, person_id: str) -> Leader | None:
        return self.people.get(person_id)

    def by_alias(self, surface: str) -> list[Leader]:
        """Everyone who goes by ``surface`` (any spelling of the KB, case-insensitive)."""
        return [self.people[i] for i in self.alias_index.get(fold(surface), ())]

    def role_label(self, office: str, country: str) -> str:
        """How an office reads: "President of Iran", "President of the United States"."""
        the = f"the {country}"
        spec = self.countries.get(country)
        where = the if spec is not None and the in spec.names else country
        return f"{self.offices[office].label} of {where}"

    def holders(
        self, office: str, country: str, lo: str | None = None, hi: str | None = None
    ) -> list[Leader]:
        """Who held ``office`` in ``country`` at some time in [lo, hi] (a day: lo == hi)."""
        out: list[Leader] = []
        for term, pid in self.holder_index.get((office, country), ()):
            if term.overlaps(lo, hi) and self.people[pid] not in out:
                out.append(self.people[pid])
        return out

    def holders_at(self, office: str, country: str, day: str) -> list[Leader]:
        """Who held ``office`` in ``country`` on ``day`` (YYYY-MM-DD)."""
        return self.holders(office, country, day, day)

    def index(self) -> None:
        """(Re)build the lookup indexes from ``people``."""
        self.alias_index = {}
        self.holder_index = {}
        for person in self.people.values():
            for surface in [person.name, *person.aliases]:
                ids = self.alias_index.setdefault(fold(surface), [])
                if person.id not in ids:
                    ids.append(person.id)
            for term in person.offices:
                self.holder_index.setdefault((term.office, term.country), []).append(
                    (term, person.id)
                )


def load(path: str | Path) -> LeaderBase:
    """Read and validate content/leaders.yaml; a missing file gives an empty base."""
    path = Path(path)
    if not path.exists():
        return LeaderBase()
    data = yamlio.load(path)
    if data is None:
        return LeaderBase()
    return parse(data, path)


def _words(check: yamlio.Checker, mapping, key: str, what: str) -> list[str]:
    items = mapping.get(key)
    if items is None:
        return []
    check.sequence(items, mapping, key, f"{key!r} in {what}")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            check.fail(
                items,
                i,
                f"an entry of {key!r} in {what} is empty or not text — write it or remove it",
            )
        out.append(" ".join(item.split()))
    return out


def parse(data, path: str | Path = "<leaders>") -> LeaderBase:
    """Validate the parsed YAML document and build the :class:`LeaderBase`."""
    check = yamlio.Checker(path)
    check.mapping(data, data, None, "leaders.yaml")
    check.known_keys(data, _TOP_KEYS, "leaders.yaml")
    base = LeaderBase()

    countries = check.mapping(data.get("countries") or {}, data, "countries", "'countries'")
    for key, spec in countries.items():
        what = f"country {key!r}"
        spec = check.mapping(spec if spec is not None else {}, countries, key, what)
        check.known_keys(spec, _COUNTRY_KEYS, what)
        base.countries[str(key)] = Country(
            key=str(key),
            adjectives=_words(check, spec, "adjectives", what),
            names=_words(check, spec, "names", what),
            capital=check.string(spec, "capital", what),
        )

    offices = check.mapping(data.get("offices") or {}, data, "offices", "'offices'")
    for key, spec in offices.items():
        what = f"office {key!r}"
        spec = check.mapping(spec if spec is not None else {}, offices, key, what)
        check.known_keys(spec, _OFFICE_DEF_KEYS, what)
        base.offices[str(key)] = OfficeDef(
            key=str(key),
            label=check.string(spec, "label", what, required=True),
            nouns=_words(check, spec, "nouns", what),
        )

    people = check.sequence(data.get("people") or [], data, "people", "'people'")
    for i, spec in enumerate(people):
        person = _person(check, people, i, spec, base)
        if person.id in base.people:
            check.fail(spec, "id", f"duplicate person id {person.id!r} — ids must be unique")
        base.people[person.id] = person
    base.index()
    return base


def _person(check: yamlio.Checker, people, i: int, spec, base: LeaderBase) -> Leader:
    check.mapping(spec, people, i, f"person #{i + 1}")
    pid = check.string(spec, "id", f"person #{i + 1}", required=True)
    what = f"person {pid!r}"
    if not _SLUG.match(pid):
        check.fail(spec, "id", f"id {pid!r} is not a slug — use lowercase ascii words and hyphens")
    check.known_keys(spec, _PERSON_KEYS, what)
    name = check.string(spec, "name", what, required=True)
    gender = check.string(spec, "gender", what)
    if gender is not None and gender not in _GENDERS:
        check.fail(spec, "gender", f"gender of {pid!r} is {gender!r} — write male or female")
    wikidata = check.string(spec, "wikidata", what)
    surname = check.string(spec, "surname", what)
    if surname is not None and fold(surname) not in fold(name).split():
        check.fail(
            spec,
            "surname",
            f"surname {surname!r} of {pid!r} is not a word of {name!r} — write one of its words",
        )
    if wikidata is not None and not _WIKIDATA.match(wikidata):
        check.fail(
            spec,
            "wikidata",
            f"wikidata of {pid!r} is {wikidata!r} — write its Wikidata id, e.g. Q42",
        )
    terms = check.sequence(spec.get("offices") or [], spec, "offices", f"'offices' of {pid!r}")
    offices = [_term(check, terms, j, t, pid, base) for j, t in enumerate(terms)]
    for j, a in enumerate(offices):
        for b in offices[:j]:
            if a.office == b.office and a.overlaps(b.start, b.end) and b.overlaps(a.start, a.end):
                check.fail(
                    terms,
                    j,
                    f"terms of {pid!r} as {a.office!r} overlap ({b.start}..{b.end or 'now'} and "
                    f"{a.start}..{a.end or 'now'}) — merge them or fix the dates",
                )
    return Leader(
        id=pid,
        name=name,
        aliases=_words(check, spec, "aliases", what),
        gender=gender,
        wikidata=wikidata,
        offices=offices,
        surname=surname,
    )


def _term(check: yamlio.Checker, terms, j: int, spec, pid: str, base: LeaderBase) -> Office:
    what = f"office #{j + 1} of {pid!r}"
    check.mapping(spec, terms, j, what)
    check.known_keys(spec, _TERM_KEYS, what)
    office = check.string(spec, "office", what, required=True)
    if office not in base.offices:
        known = ", ".join(sorted(base.offices)) or "none defined"
        check.fail(
            spec, "office", f"unknown office {office!r} — define it under 'offices' ({known})"
        )
    country = check.string(spec, "country", what, required=True)
    if country not in base.countries:
        known = ", ".join(sorted(base.countries)) or "none defined"
        check.fail(
            spec, "country", f"unknown country {country!r} — define it under 'countries' ({known})"
        )
    start = check.date(spec, "start", what)
    end = check.date(spec, "end", what)
    for key, day in (("start", start), ("end", end)):
        if day is not None and not _MIN_DAY <= day <= _MAX_DAY:
            check.fail(spec, key, f"{key} {day} of {what} is implausible — check the year")
    if start and end and start > end:
        check.fail(
            spec, "end", f"{what} ends ({end}) before it starts ({start}) — swap or fix them"
        )
    role = check.string(spec, "role", what) or base.role_label(office, country)
    return Office(office=office, country=country, role=role, start=start, end=end)
