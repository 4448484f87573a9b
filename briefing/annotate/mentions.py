"""Words and person mentions of one sentence, from the knowledge in leaders.yaml and speech.yaml.

A sentence becomes a list of :class:`Word` (with what separates each word from the
previous one: a name may run across a space or a hyphen, a clause break is a comma,
colon, bracket, dash or quotation mark). On that list, left to right:

- ``title + name`` ("Iraqi Foreign Minister Fuad Hussein", "President Raisi"),
- role nouns ("the Iraqi premier", "Iran's first vice president", "The Prime Minister
  of Iraq"), which the speakers annotator resolves later by office and date,
- names: any spelling of the knowledge base, the longest first, or a run of capitalised
  words that a title, an honorific or a known given name marks as a person,
- subject pronouns (he, she).

Everything is a dictionary lookup at each word over phrases of bounded length, so the
cost is linear in the text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from ..knowledge import Knowledge
from ..knowledge.leaders import fold
from ..knowledge.speech import Phrase

_WORD = re.compile(r"([^\W_]+(?:['\u2019\u02bc](?![sS]\b)[^\W_]+)*)(['\u2019][sS]\b)?")
_JOIN = frozenset(" \n.-\u00a0\u2010\u2011")  # what may separate the words of one name
# Brackets are no break: "(KRG)", "(L)", "(AS)" sit inside a clause.
_BREAK = frozenset(',;:{}\u2014\u2013"\u201c\u201d\u00ab\u00bb\u2018!?/|')
MAX_RUN = 6  # longer runs of capitals are headlines or noise, not names


@functools.lru_cache(maxsize=4096)
def _gap(gap: str) -> tuple[bool, bool]:
    """(may join two words of a name, is a clause break) for the text between two words."""
    join = len(gap) <= 2 and all(c in _JOIN for c in gap)
    return join, any(c in _BREAK for c in gap) or " - " in gap or "--" in gap


@functools.lru_cache(maxsize=1 << 16)
def _fold_word(word: str) -> str:
    return word.lower() if word.isascii() and word.isalnum() else fold(word)


@dataclass(slots=True)
class Word:
    start: int
    end: int
    text: str
    f: str  # folded
    cap: bool  # starts with a capital
    poss: bool  # followed by 's
    join: bool  # only a space or hyphen since the previous word
    brk: bool  # a clause break (comma, colon, dash, bracket, quote) since the previous word
    inq: bool = False  # inside a quotation


def read_sentence(sw: SentenceWords, text: str, quoted, watch: set[str]) -> None:
    """Fill ``sw.words`` and ``sw.marks`` from text[sw.start:sw.end].

    ``quoted(pos)`` says whether pos is inside a quotation (None: no quotation here);
    ``marks`` are the words worth a look — capitalised or in ``watch`` (the first words
    of cues, titles, names, pronouns) — so later passes skip the rest cheaply.
    """
    words: list[Word] = []
    marks: list[int] = []
    append, gaps, folds, make = words.append, _gap, _fold_word, Word  # hot loop: local names
    prev_end = sw.start
    prev_poss = first = True
    for i, m in enumerate(_WORD.finditer(text, sw.start, sw.end)):
        w, p = m.groups()
        s = m.start()
        join, brk = gaps(text[prev_end:s])
        poss = p is not None
        f = folds(w)
        cap = w[0].isupper()
        append(
            make(
                s,
                s + len(w),
                w,
                f,
                cap,
                poss,
                join and not prev_poss,
                brk or first,
                quoted(s) if quoted else False,
            )
        )
        if cap or f in watch:
            marks.append(i)
        prev_end, prev_poss, first = m.end(), poss, False
    sw.words, sw.marks = words, marks


class PhraseTable:
    """Phrases (tuples of folded words) -> value, matched longest first at a word."""

    def __init__(self):
        self._by_first: dict[str, list[tuple[Phrase, object]]] = {}

    def add(self, phrase: Phrase, value) -> None:
        if not phrase:
            return
        bucket = self._by_first.setdefault(phrase[0], [])
        if any(p == phrase for p, _ in bucket):
            return  # the first value wins
        bucket.append((phrase, value))
        bucket.sort(key=lambda pv: -len(pv[0]))

    def firsts(self) -> set[str]:
        return set(self._by_first)

    def match(self, words: list[Word], i: int) -> tuple[int, object] | None:
        """(number of words, value) of the longest phrase at words[i], or None."""
        if i >= len(words):
            return None
        for phrase, value in self._by_first.get(words[i].f, ()):
            n = len(phrase)
            if i + n > len(words):
                continue
            ok = True
            for k in range(1, n):
                w = words[i + k]
                if w.f != phrase[k] or not w.join:
                    ok = False
                    break
            if ok:
                return n, value
        return None


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
    not_name: set[str] = field(default_factory=set)
    given_names: set[str] = field(default_factory=set)
    particles: set[str] = field(default_factory=set)
    former: set[str] = field(default_factory=set)
    title_starters: set[str] = field(default_factory=set)  # first words of a title or role noun
    title_firsts: set[str] = field(default_factory=set)  # ... of an office or title
    name_starters: set[str] = field(default_factory=set)  # ... of a KB name or honorific
    squashed: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "alkadhimi" -> ids
    watch: set[str] = field(default_factory=set)  # words worth a look besides capitalised ones

    @classmethod
    def build(cls, kb: Knowledge) -> Lexicon:
        lex = cls(kb)
        sp = kb.speech
        leaders = kb.leaders
        for pid, person in leaders.people.items():
            for surface in [person.name, *person.aliases]:
                ph = tuple(fold(surface).split())
                ids = tuple(leaders.alias_index.get(" ".join(ph), [pid]))
                lex.aliases.add(ph, ids)
                if len(ph) > 1:  # spaces and hyphens vary: "Al-e Sadegh", "Ale-Sadegh"
                    key = "".join(ph)
                    lex.squashed[key] = tuple(dict.fromkeys(lex.squashed.get(key, ()) + ids))
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
        lex.name_starters = lex.aliases.firsts() | lex.honorifics.firsts()
        lex.watch = (
            lex.title_starters
            | lex.name_starters
            | lex.particles
            | set(sp.pronouns)
            | set(sp.finite)
            | set(sp.participles)
            | lex.sources.firsts()
            | lex.joint_markers.firsts()
        )
        return lex

    def name_like(self, w: Word) -> bool:
        """A capitalised word that may belong to a person's name."""
        return w.cap and not w.text.isupper() and w.f not in self.not_name and w.f.isalpha()


@dataclass(slots=True)
class Mention:
    """A person mention found in a sentence, before and after resolution."""

    w0: int  # first word (index into the sentence's words)
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


@dataclass(slots=True)
class SentenceWords:
    """One sentence's words and the mentions and name runs on them."""

    index: int
    kind: str
    block: int
    start: int
    end: int
    words: list[Word]
    mentions: dict[int, Mention] = field(default_factory=dict)  # by first word
    runs: dict[int, int] = field(default_factory=dict)  # unclaimed capitalised runs: w0 -> w1
    seg: list[int] = field(default_factory=list)  # first word of each word's segment
    starts: list[int] = field(default_factory=list)  # first words of the segments
    marks: list[int] = field(default_factory=list)  # words worth a look (see read_sentence)
    skips: dict[int, int] = field(default_factory=dict)  # clause start -> after its openers
    _ordered: list[Mention] | None = None

    def segment(self) -> None:
        """Fill ``seg`` and ``starts`` (clauses), once, for the sentences that need them."""
        if self.seg or not self.words:
            return
        seg = 0
        for i, w in enumerate(self.words):
            if w.brk:
                seg = i
                self.starts.append(i)
            self.seg.append(seg)

    def add(self, m: Mention) -> Mention:
        self.mentions[m.w0] = m
        self._ordered = None
        return m

    def ordered(self) -> list[Mention]:
        if self._ordered is None:
            self._ordered = [self.mentions[k] for k in sorted(self.mentions)]
        return self._ordered


class MentionFinder:
    """Finds the mentions of one sentence; keeps the article's unknown names across sentences."""

    def __init__(self, lex: Lexicon, text: str = ""):
        self.lex = lex
        self.text = text
        self.local: dict[str, str] = {}  # folded name or surname given in full here -> id
        self.unknown: dict[str, str] = {}  # unknown person id -> name as written
        self.apposed = -1  # word right after "ROLE, ": a name there is a person's

    def find(self, sw: SentenceWords) -> None:
        """Fill ``sw.mentions`` and ``sw.runs`` (after :func:`read_sentence`)."""
        words, lex = sw.words, self.lex
        pronouns = lex.kb.speech.pronouns
        title_starters, name_starters = lex.title_starters, lex.name_starters
        n = len(words)
        nxt = 0  # words before this one belong to a mention or run already found
        self.apposed = -1
        for i in sw.marks:
            if i < nxt:
                continue
            w = words[i]
            f = w.f
            if f in pronouns and not w.inq:
                m = sw.add(_mention(words, i, i + 1, "pronoun"))
                m.gender = pronouns[f]
                continue
            # "Kurdish lawmaker", "Greek Prime Minister": a qualifier the KB does not list
            if f in title_starters or (w.cap and i + 1 < n and words[i + 1].f in lex.title_firsts):
                got = self._titled(sw, i)
                if got:
                    nxt = got
                    continue
            if f in name_starters or (w.cap and f not in lex.not_name) or f in lex.particles:
                got = self._name(sw, i, i, strong=i == self.apposed)
                if got:
                    nxt = got

    # -- titles and role nouns -----------------------------------------------------------
    def _titled(self, sw: SentenceWords, i: int) -> int | None:
        """[the] [country] office-or-title [of Country] [name] at word i; the next index."""
        words, lex = sw.words, self.lex
        j, det, country, qual = i, False, None, None
        if words[j].f == "the":
            det, j = True, j + 1
        if det and j < len(words) and words[j].f in lex.former:
            j += 1
        hit = lex.countries.match(words, j)
        if hit:
            n, (kind, key) = hit
            nxt = j + n
            if nxt >= len(words) or words[nxt].f not in lex.title_firsts:
                return None  # "Iraqi officials", "Iran's stance": no office follows
            attributive = words[nxt].join  # "US President Joe Biden"
            if kind == "adj" or words[nxt - 1].poss or attributive:
                country, qual, j = key, j, nxt
        elif (
            j + 1 < len(words)
            and words[j].cap
            and words[j].f not in lex.title_firsts
            and words[j + 1].join
            and words[j + 1].f in lex.title_firsts
        ):
            qual, j = j, j + 1  # a qualifier outside the KB: "Kurdish lawmaker", "Greek PM"
        if j >= len(words) or words[j].f not in lex.title_firsts:
            return None
        office = title = None
        hit = lex.offices.match(words, j)
        if hit:
            office = hit[1]
        else:
            hit = lex.titles.match(words, j)
            title = hit[1] if hit else None
        if not hit or (j > i and words[j].brk):
            return None
        t0, j = j, j + hit[0]
        if office and j + 1 < len(words) and words[j].f == "of" and words[j].join:
            c = lex.countries.match(words, j + 1)
            if c and c[1][0] == "name" and words[j + 1].join:
                country, j = c[1][1], j + 1 + c[0]
        m0 = qual if qual is not None else t0
        title_text = " ".join(w.text for w in words[m0:j])
        former = i > 0 and words[i - 1].f in lex.former or det and words[i + 1].f in lex.former
        if j < len(words) and words[j].join and not words[j - 1].poss:
            got = self._name(sw, j, m0, strong=True)
            if got and m0 in sw.mentions:
                m = sw.mentions[m0]
                m.office, m.country, m.title, m.title_text = office, country, title, title_text
                m.former = former
                return got
        if not (det or country):
            return None  # a bare "president" or "minister": no one in particular
        if j < len(words) and self.text[words[j - 1].end : words[j].start].strip() == ",":
            self.apposed = j  # "the Greek Prime Minister, Kyriakos Mitsotakis,": a name
        m = sw.add(_mention(words, i, j, "role"))
        m.office, m.country, m.title, m.title_text = office, country, title, title_text
        m.former = former
        return j

    # -- names ---------------------------------------------------------------------------
    def _run_end(self, words: list[Word], k: int) -> int:
        """End of the capitalised run at k (particles inside allowed); k if there is none."""
        lex, n, j = self.lex, len(words), k
        while j < n:
            w = words[j]
            if j > k and (not w.join or words[j - 1].poss):
                break
            # a particle inside a name, or opening one: "Abu Mahdi al-Muhandis", "al-Hakim said"
            particle = w.f in lex.particles and j + 1 < n and words[j + 1].join
            if not (lex.name_like(w) or particle and lex.name_like(words[j + 1])):
                break
            j += 1
        return j

    def _kb_name(self, words: list[Word], k: int) -> tuple[int, tuple[str, ...]] | None:
        hit = self.lex.aliases.match(words, k)
        if not hit:
            return None
        n = hit[0]
        if not (words[k].cap or any(w.cap for w in words[k + 1 : k + n])):
            return None  # a name in lower case is a common word
        return n, hit[1]

    def _name(self, sw: SentenceWords, k: int, m0: int, strong: bool = False) -> int | None:
        """A name at word k, its mention starting at word m0; ``strong``: a title precedes."""
        words, lex = sw.words, self.lex
        w = words[k]
        if not strong and w.f not in lex.name_starters and w.cap:
            alone = k + 1 >= len(words) or not words[k + 1].join or words[k].poss
            if alone:  # one capitalised word, no KB spelling starts with it: the common case
                pid = self.local.get(w.f) if lex.name_like(w) else None
                if pid is None:
                    if lex.name_like(w):
                        sw.runs[k] = k + 1
                    return k + 1
                sw.add(_mention(words, m0, k + 1, person=pid, run=True))
                return k + 1
        kb = self._kb_name(words, k)
        hon = None
        while not kb and k < len(words) and lex.honorifics.match(words, k):
            n, hon = lex.honorifics.match(words, k)
            if k + n >= len(words) or not words[k + n].join:
                return None
            k, strong = k + n, True
            # "Imam Hussein" is not a KB "Hussein": a name title makes another name
            kb = None if hon == "name" else self._kb_name(words, k)
        end = self._run_end(words, k)
        if kb and kb[0] == 1 and end <= k + 1 and words[k].f in self.local:
            kb = None  # a surname this article gave in full to someone: theirs
        if kb and kb[0] == 1 and k + 1 < len(words) and words[k + 1].join and words[k + 1].cap:
            kb = None  # "Sadr City", "Raisi Street": a place or a body named after someone
        if kb and (kb[0] > 1 or end <= k + 1):  # "Saddam Hussein" is not the KB's "Hussein"
            self._remember(words, k, k + kb[0], kb[1])
            sw.add(_mention(words, m0, k + kb[0], cands=kb[1]))
            return k + kb[0]
        if end == k:
            return None
        if end - k > MAX_RUN:
            return end  # capitals too long to be a name (a headline, noise): skip them
        if words[k].brk and end - k > 1 and words[k].f not in lex.given_names:
            kb = self._kb_name(words, k + 1)  # "Later Raisi said": an opener, then a name
            if kb and k + 1 + kb[0] == end:
                self._remember(words, k + 1, end, kb[1])
                sw.add(_mention(words, k + 1, end, cands=kb[1]))
                return end
        squashed = lex.squashed.get("".join(w.f for w in words[k:end]))
        if squashed:  # "Mohammad-Kazem Ale-Sadegh" is the KB's "Mohammad Kazem Al-e Sadegh"
            self._remember(words, k, end, squashed)
            sw.add(_mention(words, m0, end, cands=squashed))
            return end
        pid = self._local(words, k, end)
        if pid is None and (
            strong
            or (end - k > 1 and words[k].f in lex.given_names)
            or (end - k > 1 and self._role_follows(words, end))
        ):
            prefix = words[k - 1].text if hon == "name" else None
            pid = self.new_unknown(words, k, end, prefix)
        if pid is None:
            sw.runs[k] = end
            return end
        m = sw.add(_mention(words, m0, end, person=pid, run=True))
        if hon == "female":
            m.gender = "female"
        return end

    def _role_follows(self, words: list[Word], end: int) -> bool:
        """ ", the Greek prime minister," or ", a Kurdish lawmaker," after a name."""
        if end + 1 >= len(words) or words[end].f not in ("the", "a", "an"):
            return False
        if self.text[words[end - 1].end : words[end].start].strip() != ",":
            return False
        for j in range(end + 1, min(end + 5, len(words))):
            if words[j].brk:
                return False
            if words[j].f in self.lex.title_firsts:
                return True
        return False

    def _local(self, words: list[Word], k: int, end: int) -> str | None:
        """A person this article named in full, met again: "Al-Sahaf" after "Ahmed al-Sahaf"."""
        pid = self.local.get(" ".join(w.f for w in words[k:end]))
        while pid is None and end - k > 1 and words[k].f in self.lex.particles:
            k += 1
            pid = self.local.get(" ".join(w.f for w in words[k:end]))
        if pid is None and end - k == 2 and self.text[words[k].end : words[k + 1].start] == "-":
            pid = self.local.get(words[k + 1].f)  # "Ale-Sadegh" after "Mohammad-Kazem Ale-Sadegh"
        return pid

    def _remember(self, words: list[Word], k: int, end: int, ids: tuple[str, ...]) -> None:
        """A known person named in full: their bare surname now means them in this article."""
        if len(ids) != 1 or end - k < 2:
            return
        person = self.lex.kb.leaders.get(ids[0])
        for last in {words[end - 1].f, fold(person.name).split()[-1] if person else ""}:
            if len(last) > 1:  # "Yi", "Li": short surnames too
                self.local[last] = ids[0]  # the latest full name wins: "Masoud ... Masrour"

    def new_unknown(self, words: list[Word], k: int, end: int, prefix: str | None = None) -> str:
        """Register the unknown person named words[k:end]; their surname links later."""
        name = self.text[words[k].start : words[end - 1].end] or " ".join(
            w.text for w in words[k:end]
        )
        name = " ".join(name.split())
        if prefix:  # "Imam Hussein": the title is part of the name
            name = f"{prefix} {name}"
        pid = slug(name)
        if pid not in self.unknown:
            self.unknown[pid] = name
            self.local.setdefault(" ".join(w.f for w in words[k:end]), pid)
            last = words[end - 1].f
            if end - k > 1 and len(last) > 1:
                self.local.setdefault(last, pid)
        return pid

    def claim_run(self, sw: SentenceWords, k: int) -> Mention | None:
        """Make the unclaimed run at word k an unknown person: it is a speaker's subject."""
        end = sw.runs.get(k)
        if end is None or end - k < 2:
            return None  # one capitalised word ("Tehran said") is too weak alone
        del sw.runs[k]
        return sw.add(_mention(sw.words, k, end, person=self.new_unknown(sw.words, k, end)))


def _mention(words, w0, w1, kind="name", cands=None, person=None, run=False) -> Mention:
    return Mention(
        w0,
        w1,
        words[w0].start,
        words[w1 - 1].end,
        kind,
        cands=cands or ((person,) if person else ()),
        person=person,
        run=run or person is not None,
        poss=words[w1 - 1].poss,
        inq=words[w0].inq,
    )


def slug(name: str) -> str:
    """A stable id for a name: "Sherwan Dubardani" -> "sherwan-dubardani"."""
    return "-".join(re.findall(r"[a-z0-9]+", fold(name))) or "person"
