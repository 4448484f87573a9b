"""The date grammar: patterns built from ``content/dates.yaml``, matched over a text.

:func:`grammar` compiles the vocabulary once per :class:`DateResources`; its
:meth:`Grammar.find` returns the date expressions of a text as :class:`Cand` objects
(span, kind and parsed parts, no value yet: values need the article's context, see
:mod:`briefing.annotate.dates`). Every pattern is a flat alternation of words with
bounded gaps, so matching stays linear in the length of the text; where patterns
overlap, the longest expression wins ("Saturday, September 12" over "Saturday").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from ..knowledge.dateres import DateResources, Occasion, Period

_APOSTROPHES = "'\u2019\u2018\u02bc`"
_DASH_CHARS = "-\u2010\u2011\u2012\u2013\u2014"
_DASHES = "\\-\u2010-\u2014"  # the same, as the body of a character class


@dataclass
class Cand:
    """A date expression found in the text, parsed but not yet valued."""

    start: int
    end: int
    kind: str  # date | month | year | decade | part | weekday | relative | occasion
    year: int | None = None  # a year written in the expression
    month: int | None = None
    day: int | None = None
    range_end: int | None = None  # "September 12-14": 14
    weekday: int | None = None  # 0 = Monday
    direction: str = "on_or_before"  # how a weekday is found from the reference day
    period: Period | None = None  # "last year", "the year"
    month_rule: str | None = None  # "last July": before the reference month; see Resolver
    days_from_published: int | None = None  # "yesterday" -1
    days_from_previous: int | None = None  # "the next day" +1
    ago: tuple[int | None, str] | None = None  # "two days ago" (2, "day")
    decade: str | None = None  # "199X"
    occasion: Occasion | None = None
    occasion_offset: int | None = None  # "this year's Arbaeen" 0
    ambiguous: bool = False  # "05/06/2021": no value

    @property
    def explicit_year(self) -> bool:
        return self.year is not None and self.kind != "decade"


def _alt(words, flags: str = "") -> str:
    """A non-capturing alternation of ``words``, longest first; spaces match any spacing."""
    parts = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        parts.append(r"\s+".join(re.escape(piece) for piece in word.split()))
    body = "|".join(parts) or r"(?!x)x"
    return f"(?{flags}:{body})" if flags else f"(?:{body})"


def _name_forms(names) -> list[str]:
    """A capitalised name and its ALL-CAPS form ("September", "SEPTEMBER")."""
    out = []
    for name in names:
        out += [name, name.upper()]
    return out


def _loose(name: str) -> str:
    """An occasion name as a pattern: apostrophes optional, spaces and hyphens interchangeable."""
    out = []
    for ch in name:
        if ch in _APOSTROPHES:
            out.append(f"[{_APOSTROPHES}]?")
        elif ch == " " or ch in _DASH_CHARS:
            out.append(f"[\\s{_DASHES}]+")
        else:
            out.append(re.escape(ch))
    return "".join(out)


_B = r"(?<![\w])"  # word start
_E = r"(?![\w])"  # word end
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_YEAR_END = r"(?![\w]|[,.:]\d)"
_LISTED = re.compile(r"(?<![\w,.])(\d{1,5})(?:\s*[,/&]\s*|\s+(?:and|or)\s+)$")
_WORD_BEFORE = re.compile(r"([\w.#§'\u2019-]+)[\s,]*$")


class Grammar:
    """The compiled patterns of one :class:`DateResources`."""

    def __init__(self, res: DateResources):
        self.res = res
        full = [forms[0] for forms in res.months.values()]
        abbr = [a for forms in res.months.values() for a in forms[1:]]
        month_full = _alt(_name_forms(full))
        month_any = f"(?:{month_full}|{_alt(_name_forms(abbr))}\\.?)"
        wd_full = _alt(_name_forms(res.weekdays))
        wd_abbr = _alt(_name_forms(a for abbrs in res.weekdays.values() for a in abbrs))
        wd_any = f"(?:{wd_full}|{wd_abbr}\\.?)"
        ords = _alt(res.ordinal_suffixes)
        day = rf"(?:3[01]|[12]\d|0?[1-9]){ords}?(?![\w]|[,.:]\d)"
        year = _YEAR + _YEAR_END
        preps = _alt(res.span_prepositions, "i")
        periods = _alt(res.periods, "i")
        standalone = _alt((p for p, v in res.periods.items() if v.base != "context"), "i")
        wd_pre = _alt(list(res.weekday_prefixes) + res.span_prepositions, "i")
        year_periods = _alt(
            (p for p, v in res.periods.items() if v.unit == "year" and v.base != "context"), "i"
        )

        patterns = {
            # 2021-09-12, 2021/09/12
            "iso": rf"(?<![\w{_DASHES}/.])(?P<y>{_YEAR})(?P<sep>[-/.])(?P<m>0?[1-9]|1[0-2])"
            rf"(?P=sep)(?P<d>3[01]|[12]\d|0?[1-9])(?![\w{_DASHES}/]|\.\d)",
            # 12/09/2021, 12.09.2021
            "numeric": rf"(?<![\w{_DASHES}/.])(?P<a>\d{{1,2}})(?P<sep>[-/.])(?P<b>\d{{1,2}})"
            rf"(?P=sep)(?P<y>{_YEAR})(?![\w{_DASHES}/]|\.\d)",
            # (Sunday,) September 12(-14)(, 2021)
            "md": rf"{_B}(?:(?P<wd>{wd_any}),?\s+)?(?P<m>{month_any})\s+(?P<d>{day})"
            rf"(?:\s*[{_DASHES}]\s*(?P<d2>{day}))?(?:(?:,\s*|\s+)(?:of\s+)?(?P<y>{year}))?",
            # (Sunday,) (the) 12(th) (of) September(, 2021)
            "dm": rf"(?<![\w,.])(?:(?P<wd>{wd_any}),?\s+)?(?:(?i:the)\s+)?(?P<d>{day})"
            rf"(?:\s*[{_DASHES}]\s*(?P<d2>{day}))?\s+(?:of\s+)?(?P<m>{month_any}){_E}"
            rf"(?:,?\s+(?P<y>{year}))?",
            # July 2021, Sept. 2021, July of 2021
            "my": rf"{_B}(?P<m>{month_any})(?:,?\s+|\s+of\s+)(?P<y>{year})",
            # In July, last July
            "month_alone": rf"{_B}(?:(?P<pre>{preps})\s+|(?P<rel>(?i:last|next|this))\s+)?"
            rf"(?P<m>{month_full}){_E}(?!\.?\s*\d)",
            # March last year, in June of the same year
            "month_period": rf"{_B}(?:(?P<pre>{preps})\s+)?(?P<m>{month_full})(?:\s+of)?\s+"
            rf"(?P<per>{year_periods}){_E}",
            # 2017
            "year": rf"(?<![\w$€£#/:+@\u2010-\u2014])(?P<y>{_YEAR})(?![\w]|[,.:]\d)",
            # the 1990s, the '90s, the early 2000s
            "decade": rf"{_B}(?P<the>(?i:the)\s+)?(?P<mod>(?i:early|mid|late)[-\s]+)?"
            rf"(?:(?P<dec>1[89]\d0|20\d0)(?P<apo>['\u2019])?s|['\u2019\u2018](?P<dec2>\d0)s){_E}",
            # early 2020, mid-July, late last year
            "part_mod": rf"{_B}(?:(?P<pre>{preps})\s+)?(?:(?i:the)\s+)?"
            rf"(?P<mod>{_alt(res.part_modifiers, 'i')})(?:\s*-\s*|\s+)(?:(?i:in)\s+)?"
            rf"(?:(?P<y>{year})|(?P<m>{month_full})(?:,?\s+(?P<my>{year}))?{_E}|"
            rf"(?P<per>{periods}){_E})",
            # earlier this year
            "part_cmp": rf"{_B}(?P<mod>{_alt(res.part_comparatives, 'i')})\s+(?:(?i:in)\s+)?"
            rf"(?P<per>{periods}){_E}",
            # by the end of the year, the first half of 2021
            "part_of": rf"{_B}(?:(?P<pre>{preps})\s+)?(?:(?i:the)\s+)?"
            rf"(?P<of>{_alt(res.part_of_phrases, 'i')})\s+(?i:of)\s+"
            rf"(?:(?P<y>{year})|(?P<m>{month_full})(?:,?\s+(?P<my>{year}))?{_E}|"
            rf"(?P<per>{periods}){_E})",
            # last year, this month, that year
            "period": rf"{_B}(?P<per>{standalone}){_E}",
            # yesterday, today
            "relday": rf"{_B}(?P<rel>{_alt(res.relative_days, 'i')}){_E}",
            # the next day
            "anaday": rf"{_B}(?P<rel>{_alt(res.anaphoric_days, 'i')}){_E}",
            # two days ago
            "ago": rf"{_B}(?:(?P<num>{_alt(res.numbers, 'i')}|\d{{1,3}})\s+)?"
            rf"(?P<unit>{_alt(res.ago_units, 'i')})\s+(?i:ago){_E}",
            # on Saturday afternoon
            "weekday": rf"{_B}(?:(?P<pre>{wd_pre})\s+)?(?P<wd>{wd_full})"
            rf"(?:\s+(?P<pod>{_alt(res.parts_of_day, 'i')}))?{_E}",
            # Eid al-Fitr, Nowruz 2021, this year's Arbaeen
            "occasion": rf"{_B}(?:(?P<rel>{_alt(res.occasion_year_words, 'i')})\s+year['\u2019]s\s+"
            rf"|(?P<y0>{year})\s+)?(?P<occ>{self._occasion_names()}){_E}"
            rf"(?:(?P<sep>,\s*|\s+(?i:of|in)\s+|\s+)(?P<y>{year}))?",
        }
        self.patterns = [(name, re.compile(p)) for name, p in patterns.items()]
        self.not_dates = re.compile(_B + _alt(res.not_dates, "i") + _E) if res.not_dates else None
        self._count_after = re.compile(rf"\s*{_alt(res.count_nouns, 'i')}(?![\w])|\s*%|\s+\d")
        self._count_before = re.compile(r"(?:" + _alt(res.count_cues, "i") + r")\s+$")

    def _occasion_names(self) -> str:
        self._occasion_of: list[tuple[re.Pattern, Occasion]] = []
        names = []
        for occasion in self.res.occasions:
            for name in occasion.names:
                pattern = _loose(name)
                names.append(pattern)
                self._occasion_of.append((re.compile(pattern + "$", re.I), occasion))
        names.sort(key=len, reverse=True)
        return "(?i:" + "|".join(names) + ")"

    # -- finding ----------------------------------------------------------------------
    def find(self, text: str) -> list[Cand]:
        """The date expressions of ``text``, non-overlapping, in text order."""
        blocked = list(self.not_dates.finditer(text)) if self.not_dates else []
        starts = [m.start() for m in blocked]
        cands: list[Cand] = []
        for name, pattern in self.patterns:
            handler = getattr(self, "_" + name)
            for m in pattern.finditer(text):
                cand = handler(text, m)
                if cand is None:
                    continue
                # not-dates are disjoint and sorted: only the one starting last before
                # the candidate's end can overlap it
                i = bisect.bisect_left(starts, cand.end) - 1
                if i >= 0 and blocked[i].end() > cand.start:
                    continue
                cands.append(cand)
        return _longest(cands)

    # -- helpers ----------------------------------------------------------------------
    def _word_before(self, text: str, pos: int) -> str:
        m = _WORD_BEFORE.search(text, max(0, pos - 40), pos)
        return m.group(1).lower() if m else ""

    def _year_ok(self, text: str, start: int, end: int, alone: bool, depth: int = 0) -> bool:
        """A four-digit number that is a year, not a count, a label or part of a code."""
        if self._count_after.match(text, end):
            return False
        if not alone:
            return True
        # "2020-2021" is two years; "021-2021" is a phone number
        if (
            start
            and text[start - 1] in _DASH_CHARS
            and not re.fullmatch(_YEAR, text[max(0, start - 5) : start - 1])
        ):
            return False
        if end < len(text) and text[end] in _DASH_CHARS:
            m = re.match(r"[-\u2010-\u2014](\d+)(?!\d)", text[end : end + 8])
            if m and len(m.group(1)) not in (2, 4):
                return False
        if self._word_before(text, start) in self.res.number_labels:
            return False
        if self._count_before.search(text, max(0, start - 30), start):
            return False
        # a number in a list goes with the first one: "Resolutions 2231 and 2254" are
        # labels, "in 1991 and 2003" years
        m = _LISTED.search(text, max(0, start - 16), start)
        if m and depth < 4:
            first = m.group(1)
            if not re.fullmatch(_YEAR, first):
                return False
            return self._year_ok(text, m.start(1), m.end(1), alone=True, depth=depth + 1)
        return True

    def _month(self, name: str) -> int:
        return self.res.month_number(name)

    # -- handlers: one per pattern, each returns a Cand or None -----------------------
    def _iso(self, text, m):
        return Cand(m.start(), m.end(), "date", int(m["y"]), int(m["m"]), int(m["d"]))

    def _numeric(self, text, m):
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        if m["sep"] == "." or a > 12 >= b:  # dotted dates are day.month.year everywhere
            day, month = a, b
        elif b > 12 >= a:
            day, month = b, a
        elif a == b:
            day = month = a
        else:  # 05/06/2021: May 6 in the US, 5 June elsewhere: name it, no value
            return Cand(m.start(), m.end(), "date", y, ambiguous=True)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        return Cand(m.start(), m.end(), "date", y, month, day)

    def _md(self, text, m):
        return self._day_month(text, m, month_last=False)

    def _dm(self, text, m):
        return self._day_month(text, m, month_last=True)

    def _day_month(self, text, m, month_last: bool) -> Cand | None:
        day = int(re.match(r"\d+", m["d"]).group())
        end = m.end()
        year = None
        if m["y"]:
            if self._year_ok(text, m.start("y"), m.end("y"), alone=False):
                year = int(m["y"])
            else:  # "September 12, 2000 troops": the date without the count
                end = m.end("m") if month_last else m.end("d2") if m["d2"] else m.end("d")
        cand = Cand(m.start(), end, "date", year, self._month(m["m"]), day)
        if m["d2"]:
            cand.range_end = int(re.match(r"\d+", m["d2"]).group())
        if m["wd"]:
            cand.weekday = self.res.weekday_number(m["wd"].rstrip("."))
        return cand

    def _my(self, text, m):
        if not self._year_ok(text, m.start("y"), m.end("y"), alone=False):
            return None
        return Cand(m.start(), m.end(), "month", int(m["y"]), self._month(m["m"]))

    def _month_alone(self, text, m):
        name = m["m"]
        cue = (m["pre"] or m["rel"] or self._word_before(text, m.start("m"))).lower()
        if name.title() in self.res.guarded_months and cue not in self.res.month_cues:
            return None
        start = m.start() if (m["pre"] or m["rel"]) else m.start("m")
        cand = Cand(start, m.end(), "month", month=self._month(name))
        if m["rel"]:
            cand.month_rule = {"last": "before", "next": "after", "this": "same"}[m["rel"].lower()]
        elif m["pre"]:
            side = self.res.month_directions.get(m["pre"].lower())
            cand.month_rule = {"past": "on_or_before", "future": "on_or_after"}.get(side)
        return cand

    def _month_period(self, text, m):
        cand = Cand(m.start(), m.end(), "month", month=self._month(m["m"]))
        cand.period = self._period_of(m["per"])
        return cand

    def _year(self, text, m):
        if not self._year_ok(text, m.start(), m.end(), alone=True):
            return None
        return Cand(m.start(), m.end(), "year", int(m["y"]))

    def _decade(self, text, m):
        if m["apo"] and not (m["the"] or m["mod"]):  # "2020's elections" is a possessive
            return None
        if m["dec"]:
            decade = m["dec"][:3] + "X"
        else:  # '90s is the 1990s, '10s the 2010s
            two = int(m["dec2"])
            decade = ("19" if two >= 30 else "20") + m["dec2"][0] + "X"
        return Cand(m.start(), m.end(), "decade", decade=decade)

    def _part(self, text, m):
        cand = Cand(m.start(), m.end(), "part")
        if m["y"]:
            if not self._year_ok(text, m.start("y"), m.end("y"), alone=False):
                return None
            cand.year = int(m["y"])
        elif m["m"]:
            cand.month = self._month(m["m"])
            if m["my"]:
                cand.year = int(m["my"])
        else:
            cand.period = self.res.periods[" ".join(m["per"].lower().split())]
        return cand

    _part_mod = _part_of = _part

    def _part_cmp(self, text, m):
        return Cand(m.start(), m.end(), "part", period=self._period_of(m["per"]))

    def _period_of(self, phrase: str) -> Period:
        return self.res.periods[" ".join(phrase.lower().split())]

    def _period(self, text, m):
        return Cand(m.start(), m.end(), "relative", period=self._period_of(m["per"]))

    def _relday(self, text, m):
        offset = self.res.relative_days[" ".join(m["rel"].lower().split())]
        return Cand(m.start(), m.end(), "relative", days_from_published=offset)

    def _anaday(self, text, m):
        offset = self.res.anaphoric_days[" ".join(m["rel"].lower().split())]
        return Cand(m.start(), m.end(), "relative", days_from_previous=offset)

    def _ago(self, text, m):
        unit = self.res.ago_units[m["unit"].lower()]
        if m["num"] is None:  # "years ago": how many is not said
            count = None
        elif m["num"].isdigit():
            count = int(m["num"])
        else:
            count = self.res.numbers[" ".join(m["num"].lower().split())]
        return Cand(m.start(), m.end(), "relative", ago=(count, unit))

    def _weekday(self, text, m):
        cand = Cand(m.start(), m.end(), "weekday", weekday=self.res.weekday_number(m["wd"]))
        if m["pre"]:
            pre = " ".join(m["pre"].lower().split())
            cand.direction = self.res.weekday_prefixes.get(pre, "on_or_before")
        return cand

    def _occasion(self, text, m):
        name = m["occ"]
        if not (name[0].isupper() or name[0].isdigit()):
            return None
        occasion = next(o for p, o in self._occasion_of if p.match(name))
        if (
            occasion.guarded
            and not (m["rel"] or m["y0"])
            and self._word_before(text, m.start("occ")) not in self.res.month_cues
        ):
            return None
        cand = Cand(m.start(), m.end(), "occasion", occasion=occasion)
        if m["rel"]:
            cand.occasion_offset = self.res.occasion_year_words[m["rel"].lower()]
        year = m["y"] if m["y"] else m["y0"]
        ystart, yend = (m.start("y"), m.end("y")) if m["y"] else (m.start("y0"), m.end("y0"))
        if year and not self._year_ok(text, ystart, yend, alone=False):
            year = None
        if m["y"] and (year is None or m["sep"].strip().lower() == "in"):
            cand.end = m.end("occ")  # "Eid al-Fitr in 2021": the year is its own expression
        if m["y0"] and year is None:
            cand.start = m.start("occ")
        if year:
            cand.year = int(year)
        return cand


def _longest(cands: list[Cand]) -> list[Cand]:
    """Keep the longest of overlapping expressions; ties go to the earlier one."""
    starts: list[int] = []  # the kept spans, disjoint, sorted by start
    kept: list[Cand] = []
    for cand in sorted(cands, key=lambda c: (c.start - c.end, c.start)):
        i = bisect.bisect_left(starts, cand.start)
        if i < len(kept) and kept[i].start < cand.end:
            continue
        if i > 0 and kept[i - 1].end > cand.start:
            continue
        starts.insert(i, cand.start)
        kept.insert(i, cand)
    return kept


@lru_cache(maxsize=8)
def grammar(res: DateResources) -> Grammar:
    """The compiled grammar of ``res`` (cached: compiling takes a few milliseconds)."""
    return Grammar(res)
