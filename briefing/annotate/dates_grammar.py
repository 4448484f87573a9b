"""The date grammar: patterns built from ``content/dates.yaml``, matched over a text.

:func:`grammar` compiles the vocabulary once per :class:`DateResources`; its
:meth:`Grammar.find` returns the date expressions of a text as :class:`Cand` objects
(span, kind and parsed parts, no value yet: values need the article's context, see
:mod:`briefing.annotate.dates`). Every pattern is a flat alternation of words with
gaps of at most ``GAP`` spaces, so matching stays linear in the length of the text;
where patterns overlap, the longest expression wins ("Saturday, September 12" over
"Saturday").

Running each pattern over every position of a text is what made the grammar slow:
most of an article holds no date. Every expression holds a *core*: a digit, a
capitalised month, weekday or occasion name, or a word such as "year", "day" or
"ago" (found with ``str.find`` in the lower-cased text). An expression starts at most
a bounded number of characters before its core, at a word that can open it ("in",
"the", "last"...). So :meth:`Grammar.find` looks for the cores, collects the words
near them that can open some pattern, and tries each pattern only there, in text
order, exactly as a scan of the whole text would find them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .. import recache
from ..knowledge import derived
from ..knowledge.dateres import DateResources, Occasion, Period
from .folding import DIGIT, NON_WORD, ci_first, lowered
from .folding import FOLD_TABLE as _FOLD_TABLE
from .folding import FOLDS as _FOLDS

_APOSTROPHES = "'\u2019\u2018\u02bc`"
_DASH_CHARS = "-\u2010\u2011\u2012\u2013\u2014"
_DASHES = "\\-\u2010-\u2014"  # the same, as the body of a character class
GAP = 8  # the widest spacing (or run of hyphens) between two words of an expression
_S = rf"\s{{1,{GAP}}}"  # a gap between words
_S0 = rf"\s{{0,{GAP}}}"  # an optional gap


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
    """A non-capturing alternation of ``words``, longest first; a space matches a gap.

    With ``flags`` "i" (case-insensitive), each word opens with a case-sensitive class of
    the characters re.I takes for its first letter ("[tT]he", see :func:`.ci_first`).
    """
    parts = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        split = word.split()
        pieces = [re.escape(piece) for piece in split]
        if "i" in flags and pieces:
            pieces[0] = ci_first(split[0][0]) + re.escape(split[0][1:])
        parts.append(_S.join(pieces))
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
            out.append(f"[\\s{_DASHES}]{{1,{GAP}}}")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _loose_key(name: str) -> str:
    """What :func:`_loose` ignores taken out: "Arba’een  Day" -> "arbaeen day"."""
    name = "".join(ch for ch in name if ch not in _APOSTROPHES)
    return " ".join(re.split(f"[\\s{_DASHES}]+", name.lower()))


# -- where expressions can be: cores and opening words --------------------------------
# The patterns that can start at a word are filed under its *key*: its first three
# characters in lower case (the whole word when shorter), "#" when it opens with a digit,
# or an apostrophe (as in "the '90s").
_RUN = recache.compile(r"\w+")
_DIGIT = "#"  # the key of every word that starts with a digit


def _width(words) -> int:
    """The most characters one of ``words`` spans, its spaces and hyphens at their widest."""
    return max(
        (len(w) + GAP * sum(w.count(c) for c in " " + _DASH_CHARS) for w in words), default=0
    )


def _keys(words) -> set[str]:
    """The keys of the words ``words`` start with; an apostrophe inside a name is
    optional, so "Ba'ath" is filed under "ba" and "baa"."""
    out = set()
    for word in words:
        first = word.split()[0] if word.split() else word
        for form in {first, "".join(ch for ch in first if ch not in _APOSTROPHES)}:
            run = _RUN.match(form)
            if run is None:  # opens with punctuation: no key can find it
                raise ValueError(word)
            out.add(_DIGIT if run.group()[0].isdecimal() else run.group()[:3].lower())
    return out


def _runs(phrase: str) -> list[str]:
    return [r.lower() for r in _RUN.findall("".join(c for c in phrase if c not in _APOSTROPHES))]


def _cover(phrases) -> list[str]:
    """Few lower-case words such that each phrase holds one of them inside a word of its
    own ("day" for "today", "the next day" and "Black Friday"); a phrase with a number
    needs none, since digits are cores of their own."""
    todo = [runs for runs in map(_runs, phrases) if not any(r[0].isdecimal() for r in runs)]
    cores: list[str] = []
    while todo:
        candidates = sorted({r for runs in todo for r in runs})
        best = max(
            candidates,
            key=lambda c: (sum(any(c in r for r in runs) for runs in todo), len(c)),
        )
        cores.append(best)
        todo = [runs for runs in todo if not any(best in r for r in runs)]
    return cores


_B = r"(?<![\w])"  # word start
_E = r"(?![\w])"  # word end
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_YEAR_END = r"(?![\w]|[,.:]\d)"
_LISTED = recache.compile(r"(?<![\w,.])(\d{1,5})(?:\s*[,/&]\s*|\s+(?:and|or)\s+)$")
_WORD_BEFORE = recache.compile(r"([\w.#§'\u2019-]+)[\s,]*$")
_IS_YEAR = recache.compile(_YEAR)
_DASH_NUMBER = recache.compile(r"[-\u2010-\u2014](\d+)(?!\d)")
_NUMBER = recache.compile(r"\d+")


def _first_char(rests: dict[str, set[str]]) -> str:
    """A pattern for words given by their first character and the patterns of the rest.

    An alternation whose branches each open with their character: the engine passes over
    a branch at a glance when its character is not the one at hand (where a look-behind
    per branch cost it a sub-match each), and when the alternation opens a pattern, it
    skips through the text to the next of those characters.
    """
    branches = []
    for c, options in sorted(rests.items()):
        body = "|".join(sorted(options, key=lambda r: (-len(r), r)))
        branches.append(f"{re.escape(c)}(?:{body})")
    return "|".join(branches)


# "\d+" with a class first (not a repeat, which the engine tries at every character) that
# it tests with a bit table (see folding.DIGIT)
_DIGITS = recache.compile(rf"{DIGIT}\d*")


class Grammar:
    """The compiled patterns of one :class:`DateResources`."""

    def __init__(self, res: DateResources):
        self.res = res
        G = GAP
        full = [forms[0] for forms in res.months.values()]
        abbr = [a for forms in res.months.values() for a in forms[1:]]
        month_full = _alt(_name_forms(full))
        month_any = f"(?:{month_full}|{_alt(_name_forms(abbr))}\\.?)"
        wd_names = list(res.weekdays) + [a for abbrs in res.weekdays.values() for a in abbrs]
        wd_full = _alt(_name_forms(res.weekdays))
        wd_abbr = _alt(_name_forms(a for abbrs in res.weekdays.values() for a in abbrs))
        wd_any = f"(?:{wd_full}|{wd_abbr}\\.?)"
        ords = _alt(res.ordinal_suffixes)
        day = rf"(?:3[01]|[12]\d|0?[1-9]){ords}?(?![\w]|[,.:]\d)"
        year = _YEAR + _YEAR_END
        preps = _alt(res.span_prepositions, "i")
        periods = _alt(res.periods, "i")
        standalone = [p for p, v in res.periods.items() if v.base != "context"]
        wd_pre_words = list(res.weekday_prefixes) + res.span_prepositions
        wd_pre = _alt(wd_pre_words, "i")
        year_periods = _alt(
            (p for p, v in res.periods.items() if v.unit == "year" and v.base != "context"), "i"
        )
        occasion_names = [n for o in res.occasions for n in o.names]
        # fixed words, case-insensitive
        the, in_, of, ago = (_alt([w], "i") for w in ("the", "in", "of", "ago"))
        rel, early = _alt(["last", "next", "this"], "i"), _alt(["early", "mid", "late"], "i")
        of_in = _alt(["of", "in"], "i")

        # Each pattern: its source, the keys of the words it can start with, and the cores
        # it can hold: (kind, how far before the core it can start with
        # gaps at their widest, and for "words" the phrases that hold the core).
        wd_w = _width(wd_names) + 1  # "Sun."
        preps_w = _width(res.span_prepositions)
        mods_w, of_w = _width(res.part_modifiers), _width(res.part_of_phrases)
        per_w = _width(res.periods)
        mod_lead = preps_w + G + 3 + G + mods_w + 2 * G + 1 + 2 + G
        of_lead = preps_w + G + 3 + G + of_w + G + 2 + G
        occ_lead = max(_width(res.occasion_year_words) + G + 6 + G, 4 + G)
        months_k = _keys(_name_forms(full + abbr))
        month_full_k = _keys(full)
        wd_k = _keys(wd_names)
        the_k, preps_k = _keys(["the"]), _keys(res.span_prepositions)
        digit = {_DIGIT}
        periods_list = list(res.periods)
        # what "early", "the end of" and the like apply to: a year, a month, a period
        of_what = (
            rf"(?:(?P<y>{year})|(?P<m>{month_full})(?:,?{_S}(?P<my>{year}))?{_E}|"
            rf"(?P<per>{periods}){_E})"
        )
        specs = {
            # 2021-09-12, 2021/09/12
            "iso": (
                rf"(?<![\w{_DASHES}/.])(?P<y>{_YEAR})(?P<sep>[-/.])(?P<m>0?[1-9]|1[0-2])"
                rf"(?P=sep)(?P<d>3[01]|[12]\d|0?[1-9])(?![\w{_DASHES}/]|\.\d)",
                digit,
                [("digit", 0)],
            ),
            # 12/09/2021, 12.09.2021
            "numeric": (
                rf"(?<![\w{_DASHES}/.])(?P<a>\d{{1,2}})(?P<sep>[-/.])(?P<b>\d{{1,2}})"
                rf"(?P=sep)(?P<y>{_YEAR})(?![\w{_DASHES}/]|\.\d)",
                digit,
                [("digit", 0)],
            ),
            # (Sunday,) September 12(-14)(, 2021)
            "md": (
                rf"{_B}(?:(?P<wd>{wd_any}),?{_S})?(?P<m>{month_any}){_S}(?P<d>{day})"
                rf"(?:{_S0}[{_DASHES}]{_S0}(?P<d2>{day}))?"
                rf"(?:(?:,{_S0}|{_S})(?:of{_S})?(?P<y>{year}))?",
                wd_k | months_k,
                [("month", wd_w + 1 + G)],
            ),
            # (Sunday,) (the) 12(th) (of) September(, 2021)
            "dm": (
                rf"(?<![\w,.])(?:(?P<wd>{wd_any}),?{_S})?(?:{the}{_S})?(?P<d>{day})"
                rf"(?:{_S0}[{_DASHES}]{_S0}(?P<d2>{day}))?{_S}(?:of{_S})?(?P<m>{month_any}){_E}"
                rf"(?:,?{_S}(?P<y>{year}))?",
                wd_k | the_k | digit,
                [("digit", wd_w + 1 + G + 3 + G)],
            ),
            # July 2021, Sept. 2021, July of 2021
            "my": (
                rf"{_B}(?P<m>{month_any})(?:,?{_S}|{_S}of{_S})(?P<y>{year})",
                months_k,
                [("month", 0)],
            ),
            # In July, last July
            "month_alone": (
                rf"{_B}(?:(?P<pre>{preps}){_S}|(?P<rel>{rel}){_S})?"
                rf"(?P<m>{month_full}){_E}(?!\.?\s*\d)",
                preps_k | _keys(["last", "next", "this"]) | month_full_k,
                [("month", max(preps_w, 4) + G)],
            ),
            # March last year, in June of the same year
            "month_period": (
                rf"{_B}(?:(?P<pre>{preps}){_S})?(?P<m>{month_full})(?:{_S}of)?{_S}"
                rf"(?P<per>{year_periods}){_E}",
                preps_k | month_full_k,
                [("month", preps_w + G)],
            ),
            # 2017
            "year": (
                rf"(?<![\w$€£#/:+@\u2010-\u2014])(?P<y>{_YEAR})(?![\w]|[,.:]\d)",
                digit,
                [("digit", 0)],
            ),
            # the 1990s, the '90s, the early 2000s
            "decade": (
                rf"{_B}(?P<the>{the}{_S})?(?P<mod>{early}[-\s]{{1,{G}}})?"
                rf"(?:(?P<dec>1[89]\d0|20\d0)(?P<apo>['\u2019])?s|['\u2019\u2018](?P<dec2>\d0)s){_E}",
                the_k | _keys(["early", "mid", "late"]) | digit | {"'", "\u2019", "\u2018"},
                [("digit", 3 + G + 5 + G + 1)],
            ),
            # early 2020, mid-July, late last year
            "part_mod": (
                rf"{_B}(?:(?P<pre>{preps}){_S})?(?:{the}{_S})?"
                rf"(?P<mod>{_alt(res.part_modifiers, 'i')})(?:{_S0}-{_S0}|{_S})(?:{in_}{_S})?"
                + of_what,
                preps_k | the_k | _keys(res.part_modifiers),
                [
                    ("digit", mod_lead),
                    ("month", mod_lead),
                    ("words", mod_lead + per_w, periods_list),
                ],
            ),
            # earlier this year
            "part_cmp": (
                rf"{_B}(?P<mod>{_alt(res.part_comparatives, 'i')}){_S}(?:{in_}{_S})?"
                rf"(?P<per>{periods}){_E}",
                _keys(res.part_comparatives),
                [("words", _width(res.part_comparatives) + G + 2 + G + per_w, periods_list)],
            ),
            # by the end of the year, the first half of 2021
            "part_of": (
                rf"{_B}(?:(?P<pre>{preps}){_S})?(?:{the}{_S})?"
                rf"(?P<of>{_alt(res.part_of_phrases, 'i')}){_S}{of}{_S}" + of_what,
                preps_k | the_k | _keys(res.part_of_phrases),
                [
                    ("digit", of_lead),
                    ("month", of_lead),
                    ("words", of_lead + per_w, periods_list),
                ],
            ),
            # last year, this month, that year
            "period": (
                rf"{_B}(?P<per>{_alt(standalone, 'i')}){_E}",
                _keys(standalone),
                [("words", _width(standalone), standalone)],
            ),
            # yesterday, today
            "relday": (
                rf"{_B}(?P<rel>{_alt(res.relative_days, 'i')}){_E}",
                _keys(res.relative_days),
                [("words", _width(res.relative_days), list(res.relative_days))],
            ),
            # the next day
            "anaday": (
                rf"{_B}(?P<rel>{_alt(res.anaphoric_days, 'i')}){_E}",
                _keys(res.anaphoric_days),
                [("words", _width(res.anaphoric_days), list(res.anaphoric_days))],
            ),
            # two days ago
            "ago": (
                rf"{_B}(?:(?P<num>{_alt(res.numbers, 'i')}|\d{{1,3}}){_S})?"
                rf"(?P<unit>{_alt(res.ago_units, 'i')}){_S}{ago}{_E}",
                _keys(res.numbers) | digit | _keys(res.ago_units),
                [("words", max(_width(res.numbers), 3) + G + _width(res.ago_units) + G, ["ago"])],
            ),
            # on Saturday afternoon
            "weekday": (
                rf"{_B}(?:(?P<pre>{wd_pre}){_S})?(?P<wd>{wd_full})"
                rf"(?:{_S}(?P<pod>{_alt(res.parts_of_day, 'i')}))?{_E}",
                _keys(wd_pre_words) | _keys(res.weekdays),
                [("weekday", _width(wd_pre_words) + G)],
            ),
            # Eid al-Fitr, Nowruz 2021, this year's Arbaeen; a name in lower case is none
            "occasion": (
                rf"{_B}(?:(?P<rel>{_alt(res.occasion_year_words, 'i')}){_S}year['\u2019]s{_S}"
                rf"|(?P<y0>{year}){_S})?(?![a-z])(?P<occ>{self._occasion_names()}){_E}"
                rf"(?:(?P<sep>,{_S0}|{_S}{of_in}{_S}|{_S})(?P<y>{year}))?",
                _keys(res.occasion_year_words) | digit | _keys(occasion_names),
                # a name is found by a word in it (below), its capital, or its number
                [
                    ("words", occ_lead + _width(occasion_names), occasion_names),
                    ("name", occ_lead),
                    ("digit", occ_lead + _width(occasion_names)),
                ],
            ),
        }
        if res.not_dates:  # phrases that look like dates and are not: they block them
            width = _width(res.not_dates)
            specs["not_dates"] = (
                _B + _alt(res.not_dates, "i") + _E,
                _keys(res.not_dates),
                [("words", width, list(res.not_dates)), ("digit", width)],
            )
        self.patterns = [(name, recache.compile(spec[0])) for name, spec in specs.items()]
        self._handlers = [getattr(self, "_" + name, None) for name in specs]
        self._cores(specs, full + abbr, wd_names, occasion_names)
        self._count_after = recache.compile(rf"\s*{_alt(res.count_nouns, 'i')}(?![\w])|\s*%|\s+\d")
        self._count_before = recache.compile(r"(?:" + _alt(res.count_cues, "i") + r")\s+$")

    def _cores(self, specs, months, weekdays, occasion_names) -> None:
        """How :meth:`_starts` finds the cores of the patterns, and what it tries near them.

        Words of relative expressions ("year", "day", "ago") are found with str.find in
        the lower-cased text: few words cover every phrase. Digits, month and weekday
        names and the occasions that hold none of those words are found by one
        case-sensitive pattern: a capital or a digit opens each alternative, so the
        engine only stops at those.
        """
        phrases = [p for spec in specs.values() for c in spec[2] if c[0] == "words" for p in c[2]]
        words = _cover(p for p in phrases if p not in occasion_names)
        names = []
        for name in occasion_names:
            runs = _runs(name)
            if not any(w in r for w in words for r in runs) and not runs[0][0].isdecimal():
                names.append(name)
        # label -> {pattern index: how far before the core it can start}
        labels: dict[str, dict[int, int]] = {}
        for index, (_, _, cores) in enumerate(specs.values()):
            for kind, reach, *covered in cores:
                if kind != "words":
                    found = [kind]
                else:
                    runs = [_runs(p) for p in covered[0]]
                    found = ["w:" + w for w in words if any(w in r for rs in runs for r in rs)]
                for label in found:
                    table = labels.setdefault(label, {})
                    table[index] = max(table.get(index, 0), reach)
        self._words = [w for w in words if "w:" + w in labels]
        # one entry per label: its reach and, for each key, the patterns it opens, each
        # with how far before the core it can start
        self._labels: dict[str, tuple[int, dict]] = {}
        for label, table in labels.items():
            heads: dict[str, tuple[tuple[int, int], ...]] = {}
            for index, reach in table.items():
                for key in list(specs.values())[index][1]:
                    heads[key] = heads.get(key, ()) + ((index, reach),)
            self._labels[label] = (max(table.values()), heads)
        # The words that open some pattern, one pattern for all labels (each keeps its
        # own keys): a key of three characters opens longer words too, a shorter one is
        # a word. A word start follows a non-word character, a class quick to scan for
        # (the text gets a space before it, for a word that opens it).
        rests: dict[str, set[str]] = {}
        keys = {key for spec in specs.values() for key in spec[1]}
        for key in keys - {_DIGIT}:
            whole = len(key) < 3 and _RUN.match(key)
            rests.setdefault(key[0], set()).add(re.escape(key[1:]) + (r"(?!\w)" if whole else ""))
        digits = r"|\d+" if _DIGIT in keys else ""
        self._heads = recache.compile(rf"{NON_WORD}(?=({_first_char(rests)}{digits}))")
        # The case-sensitive trigger: branches that open with one of the capitals, so
        # that the engine skips to them (digits are found apart, by _DIGITS). What it
        # matched, in lower case, names the labels (alternatives that can match at one
        # position share them).
        alts: list[tuple[str, str, str, str]] = []  # literal, first characters, rest, label
        for label, forms in (("month", months), ("weekday", weekdays)):
            alts += [(f[:3].lower(), f[0], re.escape(f[1:3]), label) for f in _name_forms(forms)]
        for name in names:
            first = _RUN.match(name).group()
            upper = first[0].upper() + "".join(
                c for c, f in _FOLDS.items() if c.isupper() and f == first[0].lower()
            )
            alts.append((first.lower(), upper, f"(?i:{re.escape(first[1:])})", "name"))
        self._trigger_labels: dict[str, tuple[str, ...]] = {}
        rests: dict[str, set[str]] = {}
        by_first: dict[str, list[tuple[str, str]]] = {}
        for literal, _, _, label in alts:
            by_first.setdefault(literal[0], []).append((literal, label))
        for literal, firsts, rest, _ in alts:
            self._trigger_labels[literal] = tuple(
                sorted(
                    {
                        label
                        for other, label in by_first[literal[0]]
                        if other.startswith(literal) or literal.startswith(other)
                    }
                )
            )
            for c in firsts:
                rests.setdefault(c, set()).add(rest)
        self._trigger = recache.compile(_first_char(rests))

    def _occasion_names(self) -> str:
        # the occasion of a name found: looked up by its loose form, not tried by regex
        self._occasion_by_key: dict[str, Occasion] = {}
        self._occasion_ambiguous = False
        self._occasion_of: list[tuple[str, Occasion]] = []
        names = []
        for occasion in self.res.occasions:
            for name in occasion.names:
                pattern = _loose(name)
                names.append(pattern)
                self._occasion_of.append((pattern, occasion))
                key = _loose_key(name)
                if self._occasion_by_key.setdefault(key, occasion) is not occasion:
                    self._occasion_ambiguous = True
        names.sort(key=len, reverse=True)
        return "(?i:" + "|".join(names) + ")"

    # -- finding ----------------------------------------------------------------------
    def find(self, text: str) -> list[Cand]:
        """The date expressions of ``text``, non-overlapping, in text order."""
        starts = self._starts(text)
        found: list[list[re.Match]] = []
        for index, (_, pattern) in enumerate(self.patterns):
            if starts is None:
                found.append(list(pattern.finditer(text)))
                continue
            # where the pattern can start, in order: the matches of a scan of the text
            matches, end = [], 0
            for pos in sorted(starts[index]):
                if pos >= end and (m := pattern.match(text, pos)):
                    matches.append(m)
                    end = m.end()
            found.append(matches)
        blocked = found[-1] if self.patterns[-1][0] == "not_dates" else []
        block_starts = [m.start() for m in blocked]
        cands: list[Cand] = []
        for handler, matches in zip(self._handlers, found, strict=False):
            if handler is None:
                continue
            for m in matches:
                cand = handler(text, m)
                if cand is None:
                    continue
                # not-dates are disjoint and sorted: only the one starting last before
                # the candidate's end can overlap it
                i = bisect.bisect_left(block_starts, cand.end) - 1
                if i >= 0 and blocked[i].end() > cand.start:
                    continue
                cands.append(cand)
        return _longest(cands)

    def _starts(self, text: str) -> list[set[int]] | None:
        """For each pattern, the positions near its cores where it can start."""
        low = lowered(text)
        if len(low) != len(text):  # never, but positions must agree
            return None
        hits: dict[str, list[int]] = {}
        trigger_labels = self._trigger_labels
        for m in self._trigger.finditer(text):
            found = m.group()
            labels = (
                trigger_labels.get(found.lower())
                or trigger_labels[found.translate(_FOLD_TABLE).lower()]
            )
            for label in labels:
                hits.setdefault(label, []).append(m.start())
        digits = [m.start() for m in _DIGITS.finditer(text)]
        if digits:
            hits["digit"] = digits
        for word in self._words:
            i = low.find(word)
            if i >= 0:
                positions = hits["w:" + word] = []
                while i >= 0:
                    positions.append(i)
                    i = low.find(word, i + 1)
        starts: list[set[int]] = [set() for _ in self.patterns]
        spaced = " " + low  # a word start of text is at the same index in spaced
        for label, positions in hits.items():
            reach, heads = self._labels[label]
            i, n = 0, len(positions)
            while i < n:  # windows [core - reach, core], merged
                j = i + 1
                while j < n and positions[j] - reach <= positions[j - 1]:
                    j += 1
                cores = positions[i:j]
                lo, hi = max(0, cores[0] - reach), cores[-1]
                i = j
                # a key needs four characters past the window's last start
                for m in self._heads.finditer(spaced, lo, hi + 4):
                    s = m.start()
                    if s > hi:
                        break
                    key = m.group(1)
                    found = heads.get(_DIGIT if key[0].isdecimal() else key)
                    if found:
                        # how far the nearest core after it is
                        near = cores[bisect.bisect_left(cores, s)] - s
                        for index, most in found:
                            if near <= most:
                                starts[index].add(s)
        return starts

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
            and not _IS_YEAR.fullmatch(text, max(0, start - 5), start - 1)
        ):
            return False
        if end < len(text) and text[end] in _DASH_CHARS:
            m = _DASH_NUMBER.match(text[end : end + 8])
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
            if not _IS_YEAR.fullmatch(first):
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
        day = int(_NUMBER.match(m["d"]).group())
        end = m.end()
        year = None
        if m["y"]:
            if self._year_ok(text, m.start("y"), m.end("y"), alone=False):
                year = int(m["y"])
            else:  # "September 12, 2000 troops": the date without the count
                end = m.end("m") if month_last else m.end("d2") if m["d2"] else m.end("d")
        cand = Cand(m.start(), end, "date", year, self._month(m["m"]), day)
        if m["d2"]:
            cand.range_end = int(_NUMBER.match(m["d2"]).group())
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
        occasion = self._occasion_by_key.get(_loose_key(name))
        if occasion is None or self._occasion_ambiguous:  # a name only the pattern tells
            occasion = next(o for p, o in self._occasion_of if re.match(p + "$", name, re.I))
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


def grammar(res: DateResources) -> Grammar:
    """The compiled grammar of ``res``, built once and kept with it (so cached knowledge
    comes with its grammar, see :func:`briefing.annotate.prepare`)."""
    return derived(res, "_grammar", Grammar)
