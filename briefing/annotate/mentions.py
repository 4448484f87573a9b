"""Words and person mentions of one sentence, from the knowledge in leaders.yaml and speech.yaml.

An article is read once (:func:`read_sentences`) into parallel lists, one entry per word
(its folded form, whether it is capitalised, what separates it from the previous word: a
name may run across a space or a hyphen, a clause break is a comma, colon, dash or
quotation mark), cut into :class:`SentenceWords`. On those lists, left to right:

- ``title + name`` ("Iraqi Foreign Minister Fuad Hussein", "President Raisi"),
- role nouns ("the Iraqi premier", "Iran's first vice president", "The Prime Minister
  of Iraq", "the top US diplomat"), which the speakers annotator resolves later by
  office and date,
- names: any spelling of the knowledge base, the longest first, or a run of capitalised
  words that a title, an honorific or a known given name marks as a person,
- subject pronouns (he, she).

Everything is a dictionary lookup at each word over phrases of bounded length, so the
cost is linear in the text. Reading runs as a few bulk passes (one regex split, ``map``
over memoised lookups, slices), with no Python code per word, and a few steps per
sentence: most words are never looked at again.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate, compress, count

from .. import recache
from ..knowledge import Knowledge
from ..knowledge.leaders import fold
from ..knowledge.speech import Phrase

# Words are runs of letters and digits; an apostrophe between two of them joins them
# ("Arba'een"), except a possessive 's, which joins the gap after the word ("Iran's" is
# "Iran" and 's): :func:`_apostrophes` mends the few places the plain split cuts.
_WORD = recache.compile(r"([0-9A-Za-z_\w]+)")  # (\w+: ASCII first, from a bit table)
_APOSTROPHES = frozenset("'\u2019")  # (ʼ, U+02BC, is a letter: inside words anyway)
_JOIN = frozenset(" \n.-\u00a0\u2010\u2011")  # what may separate the words of one name
# Brackets are no break: "(KRG)", "(L)", "(AS)" sit inside a clause.
_BREAK = frozenset(',;:{}\u2014\u2013"\u201c\u201d\u00ab\u00bb\u2018!?/|')
MAX_RUN = 6  # longer runs of capitals are headlines or noise, not names


class _Memo(dict):
    """A pure function of a string, remembered; forgotten at once when junk text floods it."""

    def __init__(self, fn, limit: int = 1 << 16):
        super().__init__()
        self.fn, self.limit = fn, limit

    def __missing__(self, key: str):
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.fn(key)
        return value


# The text between two words: those that may join two words of a name (a space, a
# hyphen: up to two of them; not a possessive), whether it is a clause break.
_JOINS = frozenset(["", *_JOIN, *(a + b for a in _JOIN for b in _JOIN)])
_BREAKS = _Memo(lambda gap: any(c in _BREAK for c in gap) or " - " in gap or "--" in gap)


_NO_WORDS = ([],) * 9
UNSET = object()  # a cached value not computed yet
_NO_INDEXES: list[int] = []  # shared, never written to


class SentenceWords:
    """One sentence: its words ``a`` to ``b`` in the article's word lists, and its mentions.

    The word lists are shared by all the sentences of an article (one entry per word):
    ``text``, ``f`` (folded), ``cap`` (starts with a capital), ``poss`` (followed by
    's), ``join`` (only a space or hyphen since the previous word), ``brk`` (a clause
    break — comma, colon, dash, quote — since the previous word; what precedes a
    sentence's first word is no concern of the sentence: ask ``a``), ``inq`` (inside a
    quotation), ``ws`` and ``we`` (start and end offsets). Word indexes (``marks``,
    mentions' ``w0`` and ``w1``) index these lists.
    """

    __slots__ = ("index", "kind", "a", "b", "text", "f", "cap")
    __slots__ += ("poss", "join", "brk", "inq", "ws", "we", "marks", "mentions", "runs")
    __slots__ += ("cues", "starts", "skips", "glue", "main", "_ordered")

    def __init__(self, index: int, kind: str, a=0, b=0, words=_NO_WORDS, marks=_NO_INDEXES):
        self.index, self.kind, self.a, self.b = index, kind, a, b
        self.text, self.f, self.cap, self.poss, self.join, self.brk, self.inq, self.ws, self.we = (
            words
        )
        self.marks: list[int] = marks  # words worth a look (see read_sentences)
        self.cues: list[int] = _NO_INDEXES  # words that may report speech
        self.mentions: dict[int, Mention] = _NONE  # by first word
        self.runs: dict[int, int] = _NONE  # unclaimed capitalised runs: w0 -> w1 (see run)
        self.starts: list[int] | None = None  # first words of the clauses (see segment)
        self.skips: dict[int, int] | None = None  # clause start -> after its openers
        self.glue: dict[int, int] | None = None  # word -> after the glue words from it
        self.main: object = UNSET  # the main clause's subject (see Attributor.main_subject)
        self._ordered: list[Mention] | None = None

    def segment(self) -> list[int]:
        """The first word of each clause, computed once, for the sentences that need it."""
        if self.starts is None:
            a, b = self.a, self.b  # the first word opens a clause, whatever precedes it
            self.starts = [a, *compress(range(a + 1, b), self.brk[a + 1 : b])] if a < b else []
        return self.starts

    def seg(self, i: int) -> int:
        """The first word of word i's clause."""
        starts = self.segment()
        return starts[bisect_right(starts, i) - 1]

    def phrase(self, i: int, n: int) -> str:
        """Words i..i+n as written, one space apart."""
        return " ".join(self.text[i : i + n])

    def run(self, w0: int, w1: int) -> None:
        if self.runs is _NONE:
            self.runs = {}
        self.runs[w0] = w1

    def add(self, m: Mention) -> Mention:
        if self.mentions is _NONE:
            self.mentions = {}
        self.mentions[m.w0] = m
        self._ordered = None
        self.main = UNSET
        return m

    def ordered(self) -> list[Mention]:
        if self._ordered is None:
            ms = self.mentions
            self._ordered = [ms[k] for k in sorted(ms)] if len(ms) > 1 else list(ms.values())
        return self._ordered


_NONE: dict = {}  # the mentions of a sentence that has none yet (never written to)
BLANK = SentenceWords(-1, "blank")  # the sentences read as no words
_SPACE = recache.compile(r"\s")


def _word(w: str, watch: set[str], cues: set[str]) -> tuple[str, bool, bool, bool]:
    f = w.lower() if w.isascii() and w.isalnum() else fold(w)
    cap = w[0].isupper()
    return f, cap, cap or f in watch, f in cues


def _empty(index: int, s) -> SentenceWords:
    return SentenceWords(index, s.kind)


def _apostrophes(parts: list[str], at: list[int]) -> tuple[list[str], list[int]]:
    """``parts`` (gap, word, ..., gap) mended at the gaps ``at`` that are one apostrophe,
    and the words followed by a possessive 's."""
    out: list[str] = []
    possessive: list[int] = []
    done = 0  # parts before this one are in ``out``
    for k in at:
        if k < done or k < 2 or k + 2 >= len(parts):
            continue  # no word on one side
        nxt = parts[k + 1]
        if nxt in ("s", "S"):
            out += parts[done:k]  # a possessive: 's opens the next gap
            possessive.append(len(out) // 2 - 1)
            out.append(parts[k] + nxt + parts[k + 2])
            done = k + 3
        elif k - 1 < done:
            out[-1] += parts[k] + nxt  # rock'n + 'roll: the word before is mended already
            done = k + 2
        else:
            out += parts[done : k - 1]
            out.append(parts[k - 1] + parts[k] + nxt)  # "Arba'een"
            done = k + 2
    out += parts[done:]
    return out, possessive


def read_sentences(
    text: str, sents: list, first: int, bounds: list[int], lex: Lexicon
) -> list[SentenceWords]:
    """The words of sentences in text order (the first has index ``first``), read at once.

    ``bounds`` are the quotations' start and end offsets, flattened and sorted. A
    sentence's ``marks`` are its words worth a look (capitalised, or the first word of a
    cue, title, name or pronoun: :attr:`Lexicon.words`) and ``cues`` those that may
    report speech, so later passes skip the rest cheaply. A sentence without a space
    ("Xy.", "U.S.") names and says nothing: it reads as :data:`BLANK`.
    """
    lo, hi = sents[0].start, sents[-1].end
    parts = _WORD.split(text[lo:hi])  # gap, word, gap, word, ..., gap
    mend = list(compress(count(0, 2), map(_APOSTROPHES.__contains__, parts[::2])))
    parts, possessive = _apostrophes(parts, mend) if mend else (parts, ())
    words, gaps = parts[1::2], parts[:-1:2]
    at = list(accumulate(map(len, parts), initial=lo))
    starts = at[1:-1:2]
    joins = list(map(_JOINS.__contains__, gaps))
    brks = list(map(_BREAKS.__getitem__, gaps))
    inq = [False] * len(words)
    k = bisect_right(bounds, lo) & ~1  # the first quotation that ends after lo
    while k < len(bounds) and bounds[k] < hi:
        a, b = bisect_left(starts, bounds[k]), bisect_left(starts, bounds[k + 1])
        inq[a:b] = [True] * (b - a)
        k += 2
    if not words:
        return [
            BLANK if _SPACE.search(text, s.start, s.end) is None else _empty(i, s)
            for i, s in enumerate(sents, first)
        ]
    folded, caps, marked, cued = zip(*map(lex.words.__getitem__, words), strict=True)
    poss = [False] * len(words)
    for i in possessive:
        poss[i] = True
    shared = (
        words,
        folded,
        caps,
        poss,
        joins,
        brks,
        inq,
        starts,
        at[2::2],
    )
    marks, cues = list(compress(count(), marked)), list(compress(count(), cued))
    out = []
    # each sentence's words, marks and cues: bisections in windows no wider than the
    # sentence, from where the previous one ended (so linear, however many sentences)
    n, nm, nc = len(starts), len(marks), len(cues)
    j = m = c = mj = 0  # m, c: the first mark and cue at or after word mj
    prev = sents[0].start
    for index, s in enumerate(sents, first):
        lo, hi = s.start, s.end
        a = j if j >= n or starts[j] >= lo else bisect_left(starts, lo, j, min(n, j + lo - prev))
        j = bisect_left(starts, hi, a, min(n, a + hi - lo))
        prev = hi
        if _SPACE.search(text, lo, hi) is None:
            out.append(BLANK)
            continue
        if a > mj:
            m = bisect_left(marks, a, m, min(nm, m + a - mj))
            c = bisect_left(cues, a, c, min(nc, c + a - mj))
        m1 = bisect_left(marks, j, m, min(nm, m + j - a))
        sw = SentenceWords(index, s.kind, a, j, shared, marks[m:m1])
        out.append(sw)
        m, mj = m1, j
        if c < nc and cues[c] < j:
            c1 = bisect_left(cues, j, c, min(nc, c + j - a))
            sw.cues, c = cues[c:c1], c1
    return out


class PhraseTable:
    """Phrases (tuples of folded words) -> value, matched longest first at a word."""

    def __init__(self):
        # first word -> [(length, {phrase: value})], longest first; a word not in ``heads``
        # starts no phrase (a cheap test before a call to :meth:`match`)
        self.heads: dict[str, list[tuple[int, dict[tuple[str, ...], object]]]] = {}

    def add(self, phrase: Phrase, value) -> None:
        if not phrase:
            return
        bucket = self.heads.setdefault(phrase[0], [])
        for n, table in bucket:
            if n == len(phrase):
                table.setdefault(tuple(phrase), value)  # the first value wins
                return
        bucket.append((len(phrase), {tuple(phrase): value}))
        bucket.sort(key=lambda nt: -nt[0])

    def firsts(self) -> set[str]:
        return set(self.heads)

    def phrases(self) -> dict[tuple[str, ...], object]:
        """Every phrase and its value."""
        return {
            ph: v
            for bucket in self.heads.values()
            for _, table in bucket
            for ph, v in table.items()
        }

    @property
    def longest(self) -> int:
        return max((b[0][0] for b in self.heads.values()), default=0)

    def match(self, sw: SentenceWords, i: int) -> tuple[int, object] | None:
        """(number of words, value) of the longest phrase at word i, or None.

        The words must be the phrase's, folded, with nothing but a space or a hyphen
        between them."""
        if i >= sw.b:
            return None
        bucket = self.heads.get(sw.f[i])
        if bucket is None:
            return None
        for n, table in bucket:
            if n == 1:
                return 1, table[(sw.f[i],)]
            if i + n <= sw.b:
                value = table.get(tuple(sw.f[i : i + n]), _MISSING)
                if value is not _MISSING and all(sw.join[i + 1 : i + n]):
                    return n, value
        return None


_MISSING = object()


def name_tables(leaders) -> tuple[PhraseTable, dict[str, tuple[str, ...]], set[str]]:
    """What the annotator reads of the people's names and aliases (a
    :class:`~briefing.knowledge.leaders.LeaderBase`): the phrase table of their folded
    spellings (-> the ids of everyone who goes by one), the spellings of more than one
    word squashed into one ("alkadhimi" -> ids), and the first words of those written in
    lower case ("al" of "al-Kadhimi"). An edit of aliases changes nothing else
    (:mod:`briefing.annotate.alias_edit` relies on it)."""
    aliases: PhraseTable = PhraseTable()
    squashed: dict[str, tuple[str, ...]] = {}
    lower: set[str] = set()
    for pid, person in leaders.people.items():
        for surface in [person.name, *person.aliases]:
            ph = tuple(fold(surface).split())
            ids = tuple(leaders.alias_index.get(" ".join(ph), [pid]))
            aliases.add(ph, ids)
            if len(ph) > 1:  # spaces and hyphens vary: "Al-e Sadegh", "Ale-Sadegh"
                key = "".join(ph)
                squashed[key] = tuple(dict.fromkeys(squashed.get(key, ()) + ids))
            if surface[:1].islower() and ph:
                lower.add(ph[0])
    return aliases, squashed, lower


@dataclass
class Lexicon:
    """The knowledge of leaders.yaml and speech.yaml, compiled for matching."""

    kb: Knowledge
    aliases: PhraseTable = field(default_factory=PhraseTable)  # -> [person id]
    offices: PhraseTable = field(default_factory=PhraseTable)  # -> office key
    titles: PhraseTable = field(default_factory=PhraseTable)  # -> role label
    countries: PhraseTable = field(default_factory=PhraseTable)  # -> (kind, country)
    honorifics: PhraseTable = field(default_factory=PhraseTable)  # -> "female" | "" | "name"
    glue: PhraseTable = field(default_factory=PhraseTable)
    openers: PhraseTable = field(default_factory=PhraseTable)
    parenthetical: PhraseTable = field(default_factory=PhraseTable)
    turn: PhraseTable = field(default_factory=PhraseTable)
    joint_subjects: PhraseTable = field(default_factory=PhraseTable)
    joint_markers: PhraseTable = field(default_factory=PhraseTable)
    joint_links: PhraseTable = field(default_factory=PhraseTable)
    sources: PhraseTable = field(default_factory=PhraseTable)
    coordinators: PhraseTable = field(default_factory=PhraseTable)
    source_nouns: PhraseTable = field(default_factory=PhraseTable)  # "statement", "office"
    source_links: PhraseTable = field(default_factory=PhraseTable)  # "by", "issued by"
    not_name: set[str] = field(default_factory=set)
    given_names: set[str] = field(default_factory=set)
    particles: set[str] = field(default_factory=set)
    former: set[str] = field(default_factory=set)
    title_starters: set[str] = field(default_factory=set)  # first words of a title or role noun
    title_firsts: set[str] = field(default_factory=set)  # ... of an office or title
    name_starters: set[str] = field(default_factory=set)  # ... of a KB name or honorific
    # ... of those a lower-case word may start: honorifics, "al-Kadhimi", "bin Salman"
    lower_starters: set[str] = field(default_factory=set)
    name_reach: int = 1  # words a KB name may take, after honorifics
    after_the: set[str] = field(default_factory=set)  # words that may follow "the" in a role
    squashed: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "alkadhimi" -> ids
    watch: set[str] = field(default_factory=set)  # words worth a look besides capitalised ones
    cue_words: set[str] = field(default_factory=set)  # words that may report speech
    verbs: set[str] = field(default_factory=set)  # reporting verbs, finite or participles
    # first words of the phrases the attribution looks for
    joint_words: set[str] = field(default_factory=set)  # "joint" statement
    opener_words: set[str] = field(default_factory=set)  # "for his part", "also"
    joint_subjects_words: set[str] = field(default_factory=set)  # "the two sides"
    glue_words: set[str] = field(default_factory=set)  # one-word glue: "also"
    not_after: set[str] = field(default_factory=set)  # "was" praised, "to" say
    surnames: dict[str, str] = field(default_factory=dict)  # KB id -> folded last name
    # a word as written -> (folded, capitalised, worth a look: capitalised or in ``watch``,
    # may report speech: in ``cue_words``)
    words: _Memo | None = None

    @classmethod
    def build(cls, kb: Knowledge) -> Lexicon:
        lex = cls(kb)
        sp = kb.speech
        leaders = kb.leaders
        lex.aliases, lex.squashed, lower_names = name_tables(leaders)
        for key, office in leaders.offices.items():
            for noun in [office.label, *office.nouns]:
                lex.offices.add(tuple(fold(noun).split()), key)
                lex.not_name.update(fold(noun).split())
        for ph, role in sp.titles.items():
            lex.titles.add(ph, role)
            lex.not_name.update(ph)
        for key, country in leaders.countries.items():
            for adj in country.adjectives:
                lex.countries.add(tuple(fold(adj).split()), ("adj", key))
            for name in country.names:
                ph = tuple(fold(name).split())
                lex.countries.add(ph, ("name", key))
                if ph[0] == "the" and len(ph) > 1:
                    lex.countries.add(ph[1:], ("name", key))
            if country.capital:
                lex.countries.add(tuple(fold(country.capital).split()), ("capital", key))
            for text in [*country.adjectives, *country.names, country.capital or ""]:
                lex.not_name.update(w for w in fold(text).split() if w != "the")
        for ph in sp.female_honorifics:
            lex.honorifics.add(ph, "female")  # "Mrs. X" is "she"
        for ph in sp.name_titles:
            lex.honorifics.add(ph, "name")  # "Imam Hussein": part of the name
        for ph in sp.honorifics:
            lex.honorifics.add(ph, "")
        for table, phrases in (
            (lex.glue, sp.subject_glue),
            (lex.openers, sp.clause_openers),
            (lex.parenthetical, sp.parenthetical_openers),
            (lex.turn, sp.turn_phrases),
            (lex.joint_subjects, sp.joint_subjects),
            (lex.joint_markers, sp.joint_markers),
            (lex.joint_links, sp.joint_links),
            (lex.sources, sp.source_phrases),
            (lex.coordinators, sp.coordinators),
            (lex.source_nouns, sp.source_nouns),
            (lex.source_links, sp.source_links),
        ):
            for ph in phrases:
                table.add(ph, True)
        lex.not_name |= sp.words("not_name_words") | sp.words("honorifics")
        lex.not_name |= sp.words("name_titles") | sp.words("female_honorifics")
        lex.given_names = sp.words("given_names")
        lex.particles = sp.words("name_particles")
        lex.former = sp.words("former_words")
        lex.not_name |= lex.former
        lex.not_name -= lex.given_names
        lex.title_firsts = lex.offices.firsts() | lex.titles.firsts()
        lex.title_starters = lex.title_firsts | lex.countries.firsts() | {"the"}
        lex.after_the = lex.title_firsts | lex.countries.firsts() | lex.former
        lex.name_starters = lex.aliases.firsts() | lex.honorifics.firsts()
        lex.lower_starters = lex.honorifics.firsts() | lower_names
        lex.name_reach = lex.aliases.longest + 2 * lex.honorifics.longest
        lex.verbs = set(sp.finite) | set(sp.participles)
        lex.cue_words = lex.verbs | lex.sources.firsts()
        lex.joint_words = lex.joint_markers.firsts()
        lex.opener_words = lex.openers.firsts() | lex.glue.firsts() | lex.turn.firsts()
        lex.joint_subjects_words = lex.joint_subjects.firsts()
        lex.glue_words = sp.words("subject_glue")
        lex.not_after = sp.words("not_after")
        lex.surnames = {pid: fold(p.family_name) for pid, p in leaders.people.items()}
        # cues are found on their own (read_sentences): marks need not include them
        lex.watch = (
            lex.title_starters
            | lex.lower_starters  # (capitalised words are looked at anyway)
            | lex.particles
            | set(sp.pronouns)
            | lex.joint_words
        )
        watch = lex.watch
        lex.words = _Memo(partial(_word, watch=watch, cues=lex.cue_words))  # picklable
        return lex

    def name_like(self, sw: SentenceWords, i: int) -> bool:
        """Whether word i is capitalised and may belong to a person's name."""
        f = sw.f[i]
        return sw.cap[i] and not sw.text[i].isupper() and f not in self.not_name and f.isalpha()


@dataclass(slots=True)
class Mention:
    """A person mention found in a sentence, before and after resolution."""

    w0: int  # first word (index into the article's words)
    w1: int  # after the last word
    start: int
    end: int
    kind: str  # "name" | "role" | "pronoun"
    cands: tuple[str, ...] = ()  # KB ids the name may be
    person: str | None = None
    office: str | None = None  # office key of a KB office noun in the title / role
    country: str | None = None
    title: str | None = None  # role label of a speech.yaml title
    title_text: str | None = None  # the title words as written ("Kurdish lawmaker")
    gender: str | None = None
    run: bool = False  # an unknown name (capitalised run), not a KB spelling
    former: bool = False  # "former President X": the title is not held at the time
    poss: bool = False
    inq: bool = False


class MentionFinder:
    """Finds the mentions of one sentence; keeps the article's unknown names across sentences."""

    def __init__(self, lex: Lexicon, text: str = ""):
        self.lex = lex
        self.text = text
        self.local: dict[str, str] = {}  # folded name or surname given in full here -> id
        self.unknown: dict[str, str] = {}  # unknown person id -> name as written
        self.apposed = -1  # word right after "ROLE, ": a name there is a person's
        self.pronouns = lex.kb.speech.pronouns

    def find(self, sw: SentenceWords) -> None:
        """Fill ``sw.mentions`` and ``sw.runs``."""
        lex, f, cap = self.lex, sw.f, sw.cap
        pronouns = self.pronouns
        n = sw.b
        nxt = 0  # words before this one belong to a mention or run already found
        self.apposed = -1
        for i in sw.marks:
            if i < nxt:
                continue
            fi = f[i]
            if fi in pronouns and not sw.inq[i]:
                m = sw.add(_mention(sw, i, i + 1, "pronoun"))
                m.gender = pronouns[fi]
                continue
            # "Kurdish lawmaker", "Greek Prime Minister": a qualifier the KB does not list
            if (
                fi in lex.title_starters
                and (fi != "the" or i + 1 < n and (cap[i + 1] or f[i + 1] in lex.after_the))
            ) or (cap[i] and i + 1 < n and f[i + 1] in lex.title_firsts):
                got = self._titled(sw, i)
                if got:
                    nxt = got
                    continue
            if (
                cap[i]
                and (fi not in lex.not_name or fi in lex.name_starters)
                or fi in lex.particles
                # a lower-case honorific or KB spelling ("al-Kadhimi"): a capital follows
                or fi in lex.lower_starters
                and any(cap[i : min(i + lex.name_reach, n)])
            ):
                got = self._name(sw, i, i, strong=i == self.apposed)
                if got:
                    nxt = got

    # -- titles and role nouns -----------------------------------------------------------
    def _titled(self, sw: SentenceWords, i: int) -> int | None:
        """[the] [country] office-or-title [of Country] [name] at word i; the next index."""
        lex, f, n = self.lex, sw.f, sw.b
        j, det, country, qual = i, False, None, None
        if f[j] == "the":
            det, j = True, j + 1
        if det and j < n and f[j] in lex.former:
            j += 1
        hit = lex.countries.match(sw, j) if j < n and f[j] in lex.countries.heads else None
        if hit:
            k, (kind, key) = hit
            nxt = j + k
            if nxt >= n or f[nxt] not in lex.title_firsts:
                return None  # "Iraqi officials", "Iran's stance": no office follows
            attributive = sw.join[nxt]  # "US President Joe Biden"
            if kind == "adj" or sw.poss[nxt - 1] or attributive:
                country, qual, j = key, j, nxt
        elif (
            j + 1 < n
            and sw.cap[j]
            and f[j] not in lex.title_firsts
            and sw.join[j + 1]
            and f[j + 1] in lex.title_firsts
        ):
            qual, j = j, j + 1  # a qualifier outside the KB: "Kurdish lawmaker", "Greek PM"
        if j >= n or f[j] not in lex.title_firsts:
            return None
        office = title = None
        hit = lex.offices.match(sw, j) if f[j] in lex.offices.heads else None
        if hit:
            office = hit[1]
        elif (
            country is None
            and j + 1 < n
            and f[j + 1] in lex.countries.heads
            and (split := self._split_office(sw, j))
        ):
            country, hit = split  # "the top US diplomat": the US "top diplomat"
            office = hit[1]
        else:
            hit = lex.titles.match(sw, j)
            title = hit[1] if hit else None
        if not hit or (j > i and sw.brk[j]):
            return None
        t0, j = j, j + hit[0]
        if office and j + 1 < n and f[j] == "of" and sw.join[j]:
            c = lex.countries.match(sw, j + 1)
            if c and c[1][0] == "name" and sw.join[j + 1]:
                country, j = c[1][1], j + 1 + c[0]
        m0 = qual if qual is not None else t0
        title_text = sw.phrase(m0, j - m0)
        former = i > sw.a and f[i - 1] in lex.former or det and f[i + 1] in lex.former
        if j < n and sw.join[j] and not sw.poss[j - 1]:
            got = self._name(sw, j, m0, strong=True)
            if got and m0 in sw.mentions:
                m = sw.mentions[m0]
                m.office, m.country, m.title, m.title_text = office, country, title, title_text
                m.former = former
                return got
        if not (det or country):
            return None  # a bare "president" or "minister": no one in particular
        if j < n and self.text[sw.we[j - 1] : sw.ws[j]].strip() == ",":
            self.apposed = j  # "the Greek Prime Minister, Kyriakos Mitsotakis,": a name
        m = sw.add(_mention(sw, i, j, "role"))
        m.office, m.country, m.title, m.title_text = office, country, title, title_text
        m.former = former
        return j

    def _split_office(self, sw: SentenceWords, j: int):
        """(country, (words, office)) for an office noun with a country inside it at word j."""
        lex, f = self.lex, sw.f
        if j + 2 >= sw.b or f[j + 1] not in lex.countries.heads or sw.brk[j + 1]:
            return None
        c = lex.countries.match(sw, j + 1)
        if not c:
            return None
        rest = j + 1 + c[0]  # the words after the country finish the noun
        for n, table in lex.offices.heads.get(f[j], ()):
            office = table.get((f[j], *f[rest : rest + n - 1])) if rest + n - 1 <= sw.b else None
            if office is not None and n > 1 and all(sw.join[j + 1 : rest + n - 1]):
                return c[1][1], (rest + n - 1 - j, office)
        return None

    # -- names ---------------------------------------------------------------------------
    def _run_end(self, sw: SentenceWords, k: int) -> int:
        """End of the capitalised run at k (particles inside allowed); k if there is none."""
        lex, n, j = self.lex, sw.b, k
        join, poss, particles, name_like = sw.join, sw.poss, lex.particles, lex.name_like
        cap = sw.cap
        while j < n:
            if j > k and (not join[j] or poss[j - 1]):
                break
            # a particle inside a name, or opening one: "Abu Mahdi al-Muhandis", "al-Hakim said"
            if not (cap[j] and name_like(sw, j)):
                particle = sw.f[j] in particles and j + 1 < n and join[j + 1]
                if not (particle and name_like(sw, j + 1)):
                    break
            j += 1
        return j

    def _kb_name(self, sw: SentenceWords, k: int) -> tuple[int, tuple[str, ...]] | None:
        if sw.f[k] not in self.lex.aliases.heads:
            return None
        hit = self.lex.aliases.match(sw, k)
        if not hit:
            return None
        n = hit[0]
        if not any(sw.cap[k : k + n]):
            return None  # a name in lower case is a common word
        return n, hit[1]

    def _name(self, sw: SentenceWords, k: int, m0: int, strong: bool = False) -> int | None:
        """A name at word k, its mention starting at word m0; ``strong``: a title precedes."""
        lex, f, n = self.lex, sw.f, sw.b
        if not strong and f[k] not in lex.name_starters and sw.cap[k]:
            alone = k + 1 >= n or not sw.join[k + 1] or sw.poss[k]
            if alone:  # one capitalised word, no KB spelling starts with it: the common case
                if not lex.name_like(sw, k):
                    return k + 1
                pid = self.local.get(f[k])
                if pid is None:
                    sw.run(k, k + 1)
                    return k + 1
                sw.add(_mention(sw, m0, k + 1, person=pid, run=True))
                return k + 1
        kb = self._kb_name(sw, k)
        hon = None
        while not kb and k < n and f[k] in lex.honorifics.heads and lex.honorifics.match(sw, k):
            h, hon = lex.honorifics.match(sw, k)
            if k + h >= n or not sw.join[k + h]:
                return None
            k, strong = k + h, True
            # "Imam Hussein" is not a KB "Hussein": a name title makes another name
            kb = None if hon == "name" else self._kb_name(sw, k)
        end = self._run_end(sw, k)
        if kb and kb[0] == 1 and end <= k + 1 and f[k] in self.local:
            kb = None  # a surname this article gave in full to someone: theirs
        if kb and kb[0] == 1 and k + 1 < n and sw.join[k + 1] and sw.cap[k + 1]:
            kb = None  # "Sadr City", "Raisi Street": a place or a body named after someone
        if kb and (kb[0] > 1 or end <= k + 1):  # "Saddam Hussein" is not the KB's "Hussein"
            self._remember(sw, k, k + kb[0], kb[1])
            sw.add(_mention(sw, m0, k + kb[0], cands=kb[1]))
            return k + kb[0]
        if end == k:
            return None
        if end - k > MAX_RUN:
            return end  # capitals too long to be a name (a headline, noise): skip them
        if (k == sw.a or sw.brk[k]) and end - k > 1 and f[k] not in lex.given_names:
            kb = self._kb_name(sw, k + 1)  # "Later Raisi said": an opener, then a name
            if kb and k + 1 + kb[0] == end:
                self._remember(sw, k + 1, end, kb[1])
                sw.add(_mention(sw, k + 1, end, cands=kb[1]))
                return end
        squashed = lex.squashed.get("".join(f[k:end]))
        if squashed:  # "Mohammad-Kazem Ale-Sadegh" is the KB's "Mohammad Kazem Al-e Sadegh"
            self._remember(sw, k, end, squashed)
            sw.add(_mention(sw, m0, end, cands=squashed))
            return end
        pid = self._local(sw, k, end)
        if pid is None and (
            strong
            or (end - k > 1 and f[k] in lex.given_names)
            or (end - k > 1 and self._role_follows(sw, end))
        ):
            prefix = sw.text[k - 1] if hon == "name" else None
            pid = self.new_unknown(sw, k, end, prefix)
        if pid is None:
            sw.run(k, end)
            return end
        m = sw.add(_mention(sw, m0, end, person=pid, run=True))
        if hon == "female":
            m.gender = "female"
        return end

    def _role_follows(self, sw: SentenceWords, end: int) -> bool:
        """ ", the Greek prime minister," or ", a Kurdish lawmaker," after a name."""
        if end + 1 >= sw.b or sw.f[end] not in ("the", "a", "an"):
            return False
        if self.text[sw.we[end - 1] : sw.ws[end]].strip() != ",":
            return False
        for j in range(end + 1, min(end + 5, sw.b)):
            if sw.brk[j]:
                return False
            if sw.f[j] in self.lex.title_firsts:
                return True
        return False

    def _local(self, sw: SentenceWords, k: int, end: int) -> str | None:
        """A person this article named in full, met again: "Al-Sahaf" after "Ahmed al-Sahaf"."""
        f = sw.f
        pid = self.local.get(" ".join(f[k:end]))
        while pid is None and end - k > 1 and f[k] in self.lex.particles:
            k += 1
            pid = self.local.get(" ".join(f[k:end]))
        if pid is None and end - k == 2 and self.text[sw.we[k] : sw.ws[k + 1]] == "-":
            pid = self.local.get(f[k + 1])  # "Ale-Sadegh" after "Mohammad-Kazem Ale-Sadegh"
        return pid

    def _remember(self, sw: SentenceWords, k: int, end: int, ids: tuple[str, ...]) -> None:
        """A known person named in full: their bare surname now means them in this article."""
        if len(ids) != 1 or end - k < 2:
            return
        for last in {sw.f[end - 1], self.lex.surnames.get(ids[0], "")}:
            if len(last) > 1:  # "Yi", "Li": short surnames too
                self.local[last] = ids[0]  # the latest full name wins: "Masoud ... Masrour"

    def new_unknown(self, sw: SentenceWords, k: int, end: int, prefix: str | None = None) -> str:
        """Register the unknown person named by words k..end; their surname links later."""
        name = self.text[sw.ws[k] : sw.we[end - 1]] or sw.phrase(k, end - k)
        name = " ".join(name.split())
        if prefix:  # "Imam Hussein": the title is part of the name
            name = f"{prefix} {name}"
        pid = slug(name)
        if pid not in self.unknown:
            self.unknown[pid] = name
            self.local.setdefault(" ".join(sw.f[k:end]), pid)
            last = sw.f[end - 1]
            if end - k > 1 and len(last) > 1:
                self.local.setdefault(last, pid)
        return pid

    def claim_run(self, sw: SentenceWords, k: int) -> Mention | None:
        """Make the unclaimed run at word k an unknown person: it is a speaker's subject."""
        end = sw.runs.get(k)
        if end is None or end - k < 2:
            return None  # one capitalised word ("Tehran said") is too weak alone
        del sw.runs[k]
        return sw.add(_mention(sw, k, end, person=self.new_unknown(sw, k, end)))


def _mention(sw: SentenceWords, w0, w1, kind="name", cands=None, person=None, run=False):
    cands = cands or ((person,) if person else ())
    run = run or person is not None
    # positional: a mention is made for most names, and keywords cost twice as much
    return Mention(
        w0, w1, sw.ws[w0], sw.we[w1 - 1], kind, cands, person, None, None, None, None, None,
        run, False, sw.poss[w1 - 1], sw.inq[w0],
    )  # fmt: skip


def slug(name: str) -> str:
    """A stable id for a name: "Sherwan Dubardani" -> "sherwan-dubardani"."""
    return "-".join(re.findall(r"[a-z0-9]+", fold(name))) or "person"
