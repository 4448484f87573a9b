"""content/themes.yaml: the theme taxonomy, its lexicons and its scoring.

A theme lists *strong* and *weak* cues in a small term language (described at the top
of ``content/themes.yaml``). Every term is parsed and translated to a regular expression
on load, so that a bad term fails with ``file:line``; the expressions are compiled when
first used (compiling hundreds of them up front is what makes a load slow). Terms are
data; only the grammar of terms (inflection, separators, gaps) is code.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from .. import recache, yamlio

_TOP_KEYS = {"scoring", "themes"}
_THEME_KEYS = {
    "id",
    "label",
    "description",
    "iptc",
    "strong",
    "weak",
    "ignore",
    "excludes",
    "threshold",
}
_TERM_KEYS = {"term", "requires", "excludes"}
_IPTC_KEYS = {"code", "label"}
_SCORING_NUMBERS = (
    "strong",
    "weak",
    "statement",
    "heading",
    "caption",
    "threshold",
    "weak_beside_strong",
)
_SCORING_KEYS = {*_SCORING_NUMBERS, "list_items", "list_item_words", "list_joiners"}
_ID = recache.compile(r"[a-z][a-z0-9_]*")
_IPTC_CODE = recache.compile(r"medtop:\d{8}")
WEIGHTS = ("strong", "weak")


@dataclass(frozen=True)
class Terms:
    """Compiled terms: each as (regex without word boundaries, the lowercase starts its
    matches begin with, the longer leads they begin with), and all of them as one
    regex."""

    items: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]

    @cached_property
    def regex(self) -> re.Pattern:
        return recache.compile(
            _BOUNDED.format(longest_first(body for body, *_ in self.items)), re.I
        )


@dataclass(frozen=True)
class Cue:
    """One term of a theme's lexicon, compiled; ``requires``/``excludes`` look at its sentence."""

    term: str
    weight: str  # "strong" | "weak"
    terms: Terms
    requires: Terms | None = None
    excludes: Terms | None = None
    line: int | None = None

    @property
    def regex(self) -> re.Pattern:
        return self.terms.regex


@dataclass
class Theme:
    id: str
    label: str
    description: str = ""
    iptc: list[dict] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # every cue as written, strong first
    cues: list[Cue] = field(default_factory=list)
    # the cues without conditions, merged by weight; the others one by one
    plain: dict[str, Terms] = field(default_factory=dict)
    conditional: list[Cue] = field(default_factory=list)
    ignore: Terms | None = None  # phrases that contain a cue but are not the theme
    excludes: Terms | None = None  # a sentence holding one of these is not about the theme
    threshold: float | None = None


@dataclass
class Scoring:
    strong: float = 1.0
    weak: float = 0.5
    statement: float = 1.5
    heading: float = 0.5
    caption: float = 0.0
    threshold: float = 1.0
    list_items: int = 3
    list_item_words: int = 3
    list_joiners: frozenset[str] = frozenset({"and", "or"})
    weak_beside_strong: float = 1.0

    def weight(self, name: str) -> float:
        return self.strong if name == "strong" else self.weak


@dataclass
class Taxonomy:
    themes: dict[str, Theme] = field(default_factory=dict)
    scoring: Scoring = field(default_factory=Scoring)


# --- the term language -------------------------------------------------------------

_TOKEN = recache.compile(
    r"(?P<space>\s+)"
    r"|(?P<gap>\.\.\.(?P<n>\d+)?)"
    r"|(?P<open>\()"
    r"|(?P<close>\)(?P<opt>\?)?)"
    r"|(?P<bar>\|)"
    r"|(?P<word>(?P<exact>=)?(?P<body>[^\W_][\w'\u2019.&+/-]*)(?P<star>\*)?)"
)
# Character classes with their characters as such, and at most two runs of them besides
# \s (which holds the no-break space): the regex compiler makes a big table for others.
_SEP = "[\\s\\-\u2010-\u2013]+"  # words of a phrase: any spaces or a hyphen between
_HYPHEN = "[\\-\u2010-\u2013\\s]?"  # a hyphen inside a word is optional: cease-fire, ceasefire
_APOS = r"['\u2018\u2019\u02bc`]?"  # Arba'een, Arba’een, Arbaeen
_ISE = recache.compile(r"i[sz](e|es|ed|ing|ation|ations|er|ers)$")
_VOWELS = "aeiou"
MAX_GAP = 8


class TermError(ValueError):
    """A term that does not parse; the loader adds the file and line."""


def _tokens(term: str) -> list[re.Match]:
    out, pos = [], 0
    while pos < len(term):
        m = _TOKEN.match(term, pos)
        if not m:
            raise TermError(f"unexpected {term[pos]!r} at position {pos + 1}")
        out.append(m)
        pos = m.end()
    return out


def _parse(tokens: list[re.Match], i: int, depth: int):
    """Parse alternatives up to a closing bracket; returns (alternatives, index, optional)."""
    alts: list[list] = [[]]
    while i < len(tokens):
        t = tokens[i]
        if t.group("space"):
            if alts[-1] and alts[-1][-1][0] != "sp":
                alts[-1].append(("sp",))
        elif t.group("gap"):
            n = int(t.group("n") or 3)
            if not 1 <= n <= MAX_GAP:
                raise TermError(f"a gap '...{n}' must allow 1 to {MAX_GAP} words")
            alts[-1].append(("gap", n))
        elif t.group("open"):
            inner, i, optional = _parse(tokens, i + 1, depth + 1)
            alts[-1].append(("group", inner, optional))
            continue
        elif t.group("close"):
            if depth == 0:
                raise TermError("')' without '('")
            return _finish(alts), i + 1, bool(t.group("opt"))
        elif t.group("bar"):
            alts.append([])
        else:
            alts[-1].append(
                ("word", t.group("body"), bool(t.group("exact")), bool(t.group("star")))
            )
        i += 1
    if depth:
        raise TermError("'(' without ')'")
    return _finish(alts), i, False


def _finish(alts: list[list]) -> list[list]:
    out = []
    for alt in alts:
        while alt and alt[-1][0] == "sp":
            alt.pop()
        while alt and alt[0][0] == "sp":
            alt.pop(0)
        if not alt:
            raise TermError("an empty alternative: write words between '(', '|' and ')'")
        if alt[0][0] == "gap" or alt[-1][0] == "gap":
            raise TermError("'...' must stand between two words")
        out.append(alt)
    return out


def inflections(word: str) -> set[str]:
    """Regular inflections of a lowercase word: sanction -> sanctions, sanctioned, sanctioning.

    Words already inflected (``talks``, ``armed``) and words shorter than four letters
    are kept as they are; a hyphenated word inflects its last part.
    """
    head, _, w = word.rpartition("-")
    prefix = head + "-" if head else ""
    if len(w) < 4 or not w.isalpha():
        return {word}
    forms = {w}
    if w.endswith("ing"):
        forms.add(w + "s")
    elif w.endswith("ed") or (w.endswith("s") and not w.endswith(("ss", "us", "is"))):
        pass
    elif w.endswith("is"):  # crisis -> crises
        forms.add(w[:-2] + "es")
    elif w.endswith(("s", "x", "z", "ch", "sh")):
        forms |= {w + "es", w + "ed", w + "ing"}
    elif w.endswith("y") and w[-2] not in _VOWELS:
        forms |= {w[:-1] + "ies", w[:-1] + "ied", w + "ing"}
    elif w.endswith("ie"):
        forms |= {w + "s", w + "d", w[:-2] + "ying"}
    elif w.endswith("ee"):
        forms |= {w + "s", w + "d", w + "ing"}
    elif w.endswith("e"):
        forms |= {w + "s", w + "d", w[:-1] + "ing"}
    else:
        forms |= {w + "s", w + "ed", w + "ing"}
        if w[-1] in "bdgklmnprt" and w[-2] in _VOWELS and w[-3] not in _VOWELS:
            forms |= {w + w[-1] + "ed", w + w[-1] + "ing"}  # plan -> planned
    return {prefix + f for f in forms}


# re.escape's table, with hyphens and apostrophes made optional: one translate per word
_LITERAL = str.maketrans(
    {chr(c): "\\" + chr(c) for c in b"()[]{}?*+-|^$\\.&~# \t\n\r\v\f"}
    | {c: _HYPHEN for c in "-\u2010\u2011\u2013"}
    | {c: _APOS for c in "'\u2019"}
)


def _literal(text: str) -> str:
    return text.translate(_LITERAL)


def _form_regex(form: str, skip: int = 0) -> str:
    """The regex of ``form[skip:]``; British and American spellings: emphasise/emphasize."""
    m = _ISE.search(form)
    if m and m.start() >= max(3, skip):
        return _literal(form[skip : m.start()]) + "i[sz]" + _literal(form[m.start() + 2 :])
    return _literal(form[skip:])


def _forms_regex(forms: set[str]) -> str:
    """The forms of a word as its common start and an alternation of endings, which keeps
    the compiled patterns small: sanction(?:ing|ed|s|)."""
    if len(forms) == 1:
        return _form_regex(next(iter(forms)))
    stem = os.path.commonprefix(sorted(forms))
    for form in forms:  # never cut through the -ise/-ize that is spelt both ways
        m = _ISE.search(form)
        if m and m.start() >= 3:
            stem = stem[: min(len(stem), m.start())]
    while stem and not stem[-1].isalnum():  # nor through a hyphen or an apostrophe
        stem = stem[:-1]
    ends = sorted({_form_regex(f, len(stem)) for f in forms}, key=lambda e: (-len(e), e))
    return _literal(stem) + "(?:" + "|".join(ends) + ")"


def _word_regex(body: str, exact: bool, star: bool, standalone: bool) -> str:
    letters = [c for c in body if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        # an acronym: capitals only (US is not "us"); dots optional: US, U.S., U.S
        bare = body.replace(".", "")
        if bare.isalpha() and len(bare) <= 4:
            core = r"\.?".join(re.escape(c) for c in bare) + r"\.?"
        else:
            core = _literal(body)
        return f"(?-i:{core})" + (r"\w*" if star else "")
    return _forms_regex(_forms(body, exact, star, standalone)) + (r"\w*" if star else "")


@lru_cache(maxsize=4096)
def _forms(body: str, exact: bool, star: bool, standalone: bool) -> frozenset[str]:
    """The forms a word (not an acronym) matches."""
    if star or exact or not standalone:
        return frozenset({body})
    if body[:1].isupper():  # a proper noun: Palestinian -> Palestinians
        return frozenset({body, body + "s"})
    if body.islower():
        return frozenset(inflections(body))
    return frozenset({body})


def _seq_regex(seq: list, left: bool, right: bool) -> str:
    """Compile one alternative; ``left``/``right`` say whether it touches a word boundary."""
    out: list[str] = []
    pending = False  # a separator is due before the next item
    skip_sep = False  # the separator after a gap or an optional group is already written
    for k, node in enumerate(seq):
        kind = node[0]
        if kind == "sp":
            if skip_sep:
                skip_sep = False
            else:
                pending = True
            continue
        skip_sep = False
        prev_sp = k == 0 and left or (k > 0 and seq[k - 1][0] in ("sp", "gap"))
        next_sp = (
            k == len(seq) - 1 and right or (k + 1 < len(seq) and seq[k + 1][0] in ("sp", "gap"))
        )
        if kind == "gap":
            # possessive runs: one way to split the skipped words, so no backtracking blow-up
            out.append(rf"[^\w]++(?:\w++[^\w]++){{0,{node[1]}}}?")
            pending, skip_sep = False, True
            continue
        if kind == "word":
            piece = _word_regex(node[1], node[2], node[3], prev_sp and next_sp)
            out.append((_SEP if pending else "") + piece)
            pending = False
            continue
        alts = "|".join(_seq_regex(a, prev_sp, next_sp) for a in node[1])
        if not node[2]:
            out.append((_SEP if pending else "") + "(?:" + alts + ")")
            pending = False
        elif pending and not next_sp:  # "the (re)?build": glued to the next word
            out.append(_SEP + "(?:" + alts + ")?")
            pending = False
        elif pending:  # "since (the)? pandemic": the space before goes inside
            out.append("(?:" + _SEP + "(?:" + alts + "))?")
            skip_sep = True
        elif k == 0 and k + 1 < len(seq) and seq[k + 1][0] == "sp":  # "(the)? pandemic"
            out.append("(?:(?:" + alts + ")" + _SEP + ")?")
            skip_sep = True
        else:  # glued to a word: withdraw(al)?
            out.append("(?:" + alts + ")?")
    return "".join(out)


def compile_term(term: str) -> str:
    """The regular expression (source) of one term; raises :class:`TermError`."""
    return _BOUNDED.format(longest_first(body for body, *_ in _compile(term)))


def _compile(term: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """A term's regexes without word boundaries, each with the letters it starts with.

    A term that opens with a choice becomes one regex per choice, so that the matcher
    files "(US|American) forces" under "us" and "am" without copying the whole term.
    """
    if not term.strip():
        raise TermError("an empty term")
    alts, _, _ = _parse(_tokens(term.strip()), 0, 0)
    if _can_be_empty(alts):
        raise TermError("matches empty text: a term needs at least one word that is not optional")
    # the grammar escapes every character, so the regex is valid by construction; it is
    # compiled only when used (compiling hundreds of patterns is what makes a load slow)
    return [(_seq_regex(a, True, True), _prefixes(a), _leads(a)) for a in _expand(alts)]


def _expand(alts: list[list]) -> list[list]:
    """The alternatives of a term with any opening choice spelt out."""
    out = []
    for alt in alts:
        head = alt[0]
        if head[0] != "group":
            out.append(alt)
            continue
        rest = alt[1:]
        out.extend(_expand([inner + rest for inner in head[1]]))
        if head[2]:  # optional: the term may also start after it
            while rest and rest[0][0] == "sp":
                rest = rest[1:]
            out.extend(_expand([rest]))
    return out


def _can_be_empty(alts: list[list]) -> bool:
    return any(
        all(n[0] == "sp" or (n[0] == "group" and (n[2] or _can_be_empty(n[1]))) for n in alt)
        for alt in alts
    )


def _prefixes(alt: list) -> tuple[str, ...]:
    """Lowercase starts (at most four characters) one of which every match of the
    alternative begins with.

    The matcher finds the word starts that open some term with one regex built from
    these prefixes, and tries there only the terms whose prefix fits.
    """
    node = alt[0]  # _expand leaves a word first
    body = node[1]
    letters = [c for c in body if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        bare = body.replace(".", "")
        if bare.isalpha() and len(bare) <= 4:  # ISIS, I.S.I.S.
            return (bare[:3].lower(), f"{bare[0]}.{bare[1]}".lower())
    run = re.match(r"[^\W_]+", body).group(0).lower()
    standalone = len(alt) == 1 or alt[1][0] in ("sp", "gap")
    if standalone and body.islower() and len(body) >= 4 and not (node[2] or node[3]):
        run = run[: len(body) - 1]  # an inflection may change the last letter: ally, allies
    return (run[:4],)


LEAD_HYPHEN, LEAD_APOSTROPHE = "~", "`"  # in a lead: an optional hyphen, apostrophe
_LEAD_MARKS = str.maketrans(
    {c: LEAD_HYPHEN for c in "-\u2010\u2011\u2013"} | {c: LEAD_APOSTROPHE for c in "'\u2019"}
)


@lru_cache(maxsize=4096)
def _lead_texts(body: str, exact: bool, star: bool, standalone: bool) -> frozenset[str] | None:
    """The texts of a word in a lead (see :func:`_leads`); None for an acronym."""
    letters = [c for c in body if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return None
    texts = set()
    for form in _forms(body, exact, star, standalone):
        m = _ISE.search(form)
        spellings = [form]
        if m and m.start() >= 3:  # emphasise, emphasize
            spellings = [form[: m.start() + 1] + c + form[m.start() + 2 :] for c in "sz"]
        texts.update(spelling.lower().translate(_LEAD_MARKS) for spelling in spellings)
    return frozenset(texts)


def _leads(
    alt: list, max_words: int = 3, max_leads: int = 16, max_chars: int = 10
) -> tuple[str, ...]:
    """Texts one of which every match of the alternative starts with: its first words in
    every form, in lower case, a space standing for a run of separators and ``~`` or
    ````` for an optional hyphen or apostrophe ("the securi", "re~elect", "sanctions").

    The matcher looks for leads, longer than the starts, so that it stops at fewer words;
    a lead of ``max_chars`` tells them apart well enough, and longer ones only make its
    pattern slow to compile. An acronym (dots optional) ends them; none when it opens.
    """
    leads = [""]
    words = 0
    for k, node in enumerate(alt):
        if node[0] == "sp":
            leads = [lead + " " for lead in leads]
            continue
        if node[0] != "word":
            break
        _, body, exact, star = node
        standalone = (k == 0 or alt[k - 1][0] in ("sp", "gap")) and (
            k + 1 == len(alt) or alt[k + 1][0] in ("sp", "gap")
        )
        texts = _lead_texts(body, exact, star, standalone)
        if texts is None:
            break  # an acronym: its dots are optional
        if len(leads) * len(texts) > max_leads:
            break
        leads = [lead + text for lead in leads for text in texts]
        words += 1
        if star or words == max_words or min(map(len, leads)) >= max_chars:
            break
    out = []
    for lead in leads:
        lead = lead[:max_chars]
        # the matcher reads leads in lower-cased text, which only ASCII keeps apart
        lead = lead[: next((i for i, c in enumerate(lead) if not c.isascii()), len(lead))]
        out.append(lead.rstrip(" " + LEAD_HYPHEN + LEAD_APOSTROPHE))
    return tuple(dict.fromkeys(lead for lead in out if lead))


_BOUNDED = r"(?<!\w)(?:{})(?!\w)"


def longest_first(bodies) -> str:
    """An alternation of regex bodies, longest first, so a phrase wins over its first word."""
    return "|".join(sorted(bodies, key=len, reverse=True))


def _union(terms: list[tuple[str, tuple[str, ...], tuple[str, ...]]]) -> Terms | None:
    if not terms:
        return None
    return Terms(tuple(terms))


def _normal(term: str) -> str:
    return " ".join(term.casefold().split())


# --- loading -------------------------------------------------------------------------


def load(path: str | Path) -> Taxonomy:
    """Load and validate ``themes.yaml``; a missing file is an empty taxonomy."""
    path = Path(path)
    if not path.exists():
        return Taxonomy()
    data = yamlio.load(path)
    check = yamlio.Checker(path)
    if data is None:
        return Taxonomy()
    check.mapping(data, data, None, "themes.yaml")
    check.known_keys(data, _TOP_KEYS, "themes.yaml")
    scoring = _scoring(data.get("scoring"), data, check)
    items = check.sequence(data.get("themes", []), data, "themes", "'themes'")
    themes: dict[str, Theme] = {}
    first_line: dict[str, int | None] = {}
    for i, item in enumerate(items):
        check.mapping(item, items, i, "a theme")
        theme = _theme(item, check)
        if theme.id in themes:
            check.fail(
                item,
                "id",
                f"duplicate theme id {theme.id!r} (first at line {first_line[theme.id]})"
                " — give each theme its own id",
            )
        themes[theme.id] = theme
        first_line[theme.id] = yamlio.line_of(item, "id")
    return Taxonomy(themes=themes, scoring=scoring)


def _number(check, mapping, key, what, minimum=0.0) -> float | None:
    if key not in mapping or mapping[key] is None:
        return None
    value = mapping[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        check.fail(
            mapping,
            key,
            f"{key!r} in {what} is below {minimum} or not a number — write a number >= {minimum}",
        )
    return float(value)


def _scoring(raw, data, check) -> Scoring:
    scoring = Scoring()
    if raw is None:
        return scoring
    check.mapping(raw, data, "scoring", "'scoring'")
    check.known_keys(raw, _SCORING_KEYS, "'scoring'")
    for key in _SCORING_NUMBERS:
        value = _number(check, raw, key, "'scoring'")
        if value is not None:
            setattr(scoring, key, value)
    if scoring.weak_beside_strong > 1:
        check.fail(
            raw,
            "weak_beside_strong",
            "'weak_beside_strong' is outside 0..1 — write a number from 0 to 1",
        )
    for key in ("list_items", "list_item_words"):
        value = _number(check, raw, key, "'scoring'")
        if value is not None:
            if value != int(value):
                check.fail(
                    raw, key, f"{key!r} in 'scoring' is not a whole number — write one, e.g. 2"
                )
            setattr(scoring, key, int(value))
    if "list_joiners" in raw:
        joiners = check.sequence(raw["list_joiners"], raw, "list_joiners", "'list_joiners'")
        scoring.list_joiners = frozenset(str(j).casefold() for j in joiners)
    return scoring


def _theme(item, check) -> Theme:
    check.known_keys(item, _THEME_KEYS, "a theme")
    tid = check.string(item, "id", "a theme", required=True)
    if not _ID.fullmatch(tid):
        check.fail(
            item,
            "id",
            f"theme id {tid!r} has other characters — use lowercase letters, digits and '_'",
        )
    what = f"theme {tid!r}"
    label = check.string(item, "label", what, required=True)
    description = check.string(item, "description", what, required=True)
    if not label.strip() or not description.strip():
        check.fail(
            item,
            "label" if not label.strip() else "description",
            f"{what} has no text — write a label and a description",
        )
    iptc = _iptc(item, check, what)
    theme = Theme(id=tid, label=label.strip(), description=" ".join(description.split()))
    theme.iptc = iptc
    theme.threshold = _number(check, item, "threshold", what)
    seen: dict[str, int | None] = {}
    plain: dict[str, list] = {w: [] for w in WEIGHTS}
    for weight in WEIGHTS:
        entries = item.get(weight) or []
        entries = check.sequence(entries, item, weight, f"{weight!r} in {what}")
        for j, entry in enumerate(entries):
            cue = _cue(entry, entries, j, weight, check, what)
            key = _normal(cue.term)
            if key in seen:
                check.fail(
                    entries,
                    j,
                    f"term {cue.term!r} is listed twice in {what} (first at line {seen[key]})"
                    " — keep one",
                )
            seen[key] = cue.line
            theme.cues.append(cue)
            theme.terms.append(cue.term)
            if cue.requires is None and cue.excludes is None:
                plain[weight].extend(cue.terms.items)
            else:
                theme.conditional.append(cue)
    if not theme.cues:
        check.fail(item, "id", f"{what} has an empty lexicon — list terms under 'strong' or 'weak'")
    theme.plain = {w: rx for w in WEIGHTS if (rx := _union(plain[w])) is not None}
    ignore = item.get("ignore") or []
    ignore = check.sequence(ignore, item, "ignore", f"'ignore' in {what}")
    theme.ignore = _patterns(ignore, check, what)
    excludes = item.get("excludes") or []
    excludes = check.sequence(excludes, item, "excludes", f"'excludes' in {what}")
    theme.excludes = _patterns(excludes, check, what)
    return theme


def _iptc(item, check, what) -> list[dict]:
    raw = item.get("iptc")
    if not raw:
        check.fail(
            item,
            "iptc" if "iptc" in item else "id",
            f"{what} has no 'iptc' — add iptc: [{{code: medtop:..., label: ...}}]",
        )
    raw = check.sequence(raw, item, "iptc", f"'iptc' in {what}")
    out = []
    for k, entry in enumerate(raw):
        check.mapping(entry, raw, k, f"an IPTC entry of {what}")
        check.known_keys(entry, _IPTC_KEYS, f"an IPTC entry of {what}")
        code = check.string(entry, "code", f"an IPTC entry of {what}", required=True)
        label = check.string(entry, "label", f"an IPTC entry of {what}", required=True)
        if not _IPTC_CODE.fullmatch(code):
            check.fail(
                entry,
                "code",
                f"bad IPTC code {code!r} in {what} — write medtop: and 8 digits, e.g. medtop:20000638",
            )
        out.append({"code": code, "label": label})
    return out


def _cue(entry, entries, j, weight, check, what) -> Cue:
    line = yamlio.line_of(entries, j)
    requires = excludes = None
    if isinstance(entry, dict):
        check.known_keys(entry, _TERM_KEYS, f"a term of {what}")
        term = check.string(entry, "term", f"a term of {what}", required=True)
        for key in ("requires", "excludes"):
            if key in entry:
                words = entry[key]
                if isinstance(words, str):
                    rx = _patterns([words], check, what, (entry, key))
                else:
                    words = check.sequence(words, entry, key, f"{key!r} of term {term!r}")
                    rx = _patterns(words, check, what)
                if rx is None:
                    check.fail(
                        entry,
                        key,
                        f"{key!r} of term {term!r} is empty — write it or remove the key",
                    )
                if key == "requires":
                    requires = rx
                else:
                    excludes = rx
    elif isinstance(entry, (str, int, float)) and not isinstance(entry, bool):
        term = str(entry)
    else:
        check.fail(
            entries,
            j,
            f"a term of {what} is neither text nor a mapping — write it as text or {{term: ...}}",
        )
    try:
        compiled = _union(_compile(term))
    except TermError as e:
        check.fail(
            entries,
            j,
            f"bad term {term!r} in {what}: {e} — fix the term (its syntax is at the top of themes.yaml)",
        )
    return Cue(term.strip(), weight, compiled, requires, excludes, line)


def _patterns(terms, check, what, where=None) -> Terms | None:
    """One regex for a list of terms (``ignore``, ``requires``, ``excludes``)."""
    sources = []
    for k, term in enumerate(terms):
        loc = where or (terms, k)
        if not isinstance(term, (str, int, float)) or isinstance(term, bool):
            check.fail(*loc, f"a term in {what} is not text — write the term as text")
        try:
            sources.extend(_compile(str(term)))
        except TermError as e:
            check.fail(
                *loc,
                f"bad term {term!r} in {what}: {e} — fix the term (its syntax is at the top of themes.yaml)",
            )
    return _union(sources)
