"""The speakers annotator: who said what, across spellings, pronouns and titles.

Fills ``Article.speakers`` (people whose words the article reports, with their mentions,
quotations and statements) and ``Article.people`` (named people who do not speak).

1. Words, quotations and mentions of every sentence (:mod:`.quotes`, :mod:`.mentions`).
   The knowledge base improves names but is no whitelist: an unknown person is named as
   the text names them when a title, an honorific, a given name, an apposition or a
   reporting construction marks them, keeps a stable id (the slug of the name), and
   their surname links to them later; so does a known person's surname once the
   article has given the full name ("Masrour Barzani" ... "Barzani").
2. A date window: the publication date, else the terms of office of the people the
   text names with a title ("Iraqi Prime Minister Mustafa al-Kadhimi"); ambiguous
   spellings resolve to the person named in full, else the one in office then.
3. Sentence by sentence, in order: role nouns resolve to the holder of the office among
   the people named in the article (by apposition first, then by office, country and
   date; the knowledge base at the window when no one named fits), pronouns to the most
   salient person (the subject of the last statement, or of the last clause-initial
   mention; "For his part, he" to the other party), and the subject of the sentence's
   reporting verb (:mod:`.speakers_attribution`) to a person: the sentence's speaker.
4. Quotations — one per pair of marks, even a word ("welcomes"), but no quoted name
   ("the so-called “Development Road”") — go to the speaker of the sentence that
   carries their reporting clause, or, without one, to the speaker just before (a quote
   continued over sentences or paragraphs); the sentences they cover are that
   speaker's direct statements.
5. Roles: the knowledge base office held in the window the speakers' terms allow
   together (the one the text's titles name first), else the title as written.
"""

from __future__ import annotations

import bisect
import gc
from dataclasses import dataclass, field
from itertools import compress, count
from operator import attrgetter, not_

from ..knowledge import Knowledge, derived
from ..knowledge.leaders import Leader, Office, fold
from ..model import Article, Mention, Person, Sentence, Span, Speaker, Statement
from .mentions import Lexicon, MentionFinder, SentenceWords, read_sentences
from .mentions import Mention as Found
from .quotes import Quote, find_quotes
from .speakers_attribution import NO_ONE, Attribution, Attributor

_START = attrgetter("start")
_MENTIONS = attrgetter("mentions")


def lexicon(kb: Knowledge) -> Lexicon:
    """The compiled lexicon of ``kb``, built once and kept with it (so cached knowledge
    comes with its lexicon, see :func:`briefing.annotate.prepare`)."""
    return derived(kb, "_lexicon", Lexicon.build)


@dataclass
class _Entity:
    id: str
    name: str
    leader: Leader | None = None
    gender: str | None = None
    first: int = 0  # char offset of the first mention
    office: str | None = None  # from a title in the text (unknown people)
    country: str | None = None
    title: str | None = None
    title_text: str | None = None
    mentions: list[Found] = field(default_factory=list)
    named: bool = False  # has a name mention (not only roles and pronouns)
    last: int = -1  # char offset of the latest mention met so far in the walk
    # (office, country, title) the text gives them: "Iran's ambassador, X," "envoy X"
    # (a dict as an ordered set: a person named a thousand times has a few titles)
    text_roles: dict[tuple[str | None, str | None, str | None], None] = field(default_factory=dict)


def annotate(article: Article, kb: Knowledge) -> None:
    """Fill ``article.speakers`` and ``article.people``."""
    # Hundreds of thousands of small acyclic objects per MB: the cyclic collector would
    # rescan them again and again (a third of the time on long texts) and find nothing.
    paused = gc.isenabled()
    gc.disable()
    try:
        _Annotation(article, kb).run()
    finally:
        if paused:
            gc.enable()


class _Annotation:
    def __init__(self, article: Article, kb: Knowledge):
        self.article = article
        self.kb = kb
        self.lex = lexicon(kb)
        self.leaders = kb.leaders
        self.finder = MentionFinder(self.lex, article.text)
        self.attributor = Attributor(self.lex, self.finder)
        self.entities: dict[str, _Entity] = {}
        self.window: tuple[str | None, str | None] = (None, None)
        self._cands: dict[tuple, list[_Entity]] = {}
        self.former: set[tuple[str, str]] = set()  # (person, office) the text calls "former"
        self._titles: dict[str, set] = {}  # person -> the titles of their mentions (_terms)
        self._verbs: dict[int, tuple] = {}  # sentence -> its cues and their offsets

    # -- 1. words, quotations, mentions -------------------------------------------------
    def _analyse(self) -> None:
        art = self.article
        text = art.text
        blocks = [(b.start, b.end) for b in art.blocks] or [(0, len(text))]
        fragments = [q for q in find_quotes(text, blocks) if q.end > q.start]
        # one pair of marks, one quotation: “We are ready,” he said, “to help.” is two
        self.quotes = fragments  # (those that are no name: see _is_quotation)
        bounds = [x for q in fragments for x in (q.start, q.end)]

        self.sws: list[SentenceWords] = []
        for first, run in _in_order(art.sentences):
            self.sws += read_sentences(text, run, first, bounds, self.lex)
        # sentence by sentence: an attribution may name someone ("Sherwan Dubardani said")
        # whose surname the next sentences use
        find, attribute = self.finder.find, self.attributor.attribute
        attrs: list[Attribution] = []
        self.attrs = attrs
        for sw in self.sws:
            if sw.marks:
                find(sw)
            attrs.append(attribute(sw) if sw.cues and sw.kind == "paragraph" else NO_ONE)

    # -- 2. people named, the date window -------------------------------------------------
    def _entity(self, pid: str, at: int) -> _Entity:
        ent = self.entities.get(pid)
        if ent is None:
            leader = self.leaders.get(pid)
            if leader is not None:
                ent = _Entity(pid, leader.name, leader, leader.gender, at)
            else:
                ent = _Entity(pid, self.finder.unknown.get(pid, pid), first=at)
            self.entities[pid] = ent
        return ent

    def _resolve_names(self) -> None:
        """Names to people: ambiguous spellings by the article's other names and the date."""
        single: set[str] = set()
        titled: dict[tuple, None] = {}  # (person, office, country) named with a title, in order
        sws = list(compress(self.sws, map(_MENTIONS, self.sws)))
        for sw in sws:
            for m in sw.mentions.values():
                if m.kind == "name" and len(m.cands) == 1:
                    single.add(m.cands[0])
                    if m.office and not m.former:
                        titled[m.cands[0], m.office, m.country] = None
        self.window = self._window(titled)
        for sw in sws:
            roles = False
            for m in sw.ordered():
                if m.kind != "name":
                    roles = roles or m.kind == "role"
                    continue
                if m.person is None and m.cands:
                    m.person = m.cands[0] if len(m.cands) == 1 else self._choose(m.cands, single)
                ent = self._entity(m.person, m.start)
                ent.named = True
                if m.run and ent.title is None and ent.office is None:
                    ent.office, ent.country = m.office, m.country
                    ent.title, ent.title_text = m.title, m.title_text
                if (m.office or m.title) and not m.former:
                    ent.text_roles[m.office, m.country, m.title] = None
                elif m.former and m.office:
                    self.former.add((m.person, m.office))
            if roles:
                self._appositions(sw)

    def _appositions(self, sw: SentenceWords) -> None:
        """ "Iran's ambassador to Iraq, X," and "X, the Iraqi premier," name the same person."""
        text = self.article.text
        ordered = sw.ordered()
        for i, r in enumerate(ordered):
            if r.kind != "role" or r.former:
                continue
            nxt = ordered[i + 1] if i + 1 < len(ordered) else None
            prev = ordered[i - 1] if i else None
            target = None
            if nxt is not None and nxt.kind == "name":
                gap = text[r.end : nxt.start].strip()
                if gap.endswith(",") and len(gap.split()) <= 3 and gap.count(",") == 1:
                    target = nxt  # the role, then the name
            if target is None and prev is not None and prev.kind == "name":
                after = text[r.end : r.end + 2].strip()[:1]
                if text[prev.end : r.start].strip() == "," and after in ("", ",", "."):
                    target = prev  # the name, then the role
            if target is not None and target.person:
                r.person = target.person
                ent = self._entity(target.person, target.start)
                ent.text_roles[r.office, r.country, r.title] = None
                if ent.leader is None and ent.title_text is None:
                    ent.office, ent.country = r.office, r.country
                    ent.title, ent.title_text = r.title, r.title_text

    def _choose(self, cands: list[str], single: set[str]) -> str:
        lo, hi = self.window
        for test in (
            lambda p: p in single,
            lambda p: any(t.overlaps(lo, hi) for t in self.leaders.people[p].offices),
        ):
            hits = [p for p in cands if test(p)]
            if len(hits) == 1:
                return hits[0]
        return cands[0]

    def _window(self, titled) -> tuple[str | None, str | None]:
        """The days the article can be about: published, else the named titled people's terms."""
        pub = self.article.published
        if pub:
            return _day_range(pub)
        lo, hi = None, None
        for pid, office, country in titled:
            leader = self.leaders.get(pid)
            if leader is None:
                continue
            terms = [t for t in leader.offices if self._fits(t, office, country, None)]
            lo, hi = _narrow(lo, hi, terms)  # (narrowing twice by the same terms: no change)
        return lo, hi

    def _fits(self, term: Office, office: str | None, country: str | None, title: str | None):
        """Whether a term of office answers to a title or role noun in the text."""
        if country and term.country != country:
            return False
        if office:
            if term.office == office:
                return True
            mine = self.leaders.offices.get(term.office)
            said = self.leaders.offices.get(office)
            # "VP Jahangiri" for a first vice president: the label ends the same way
            return bool(mine and said and mine.label.lower().endswith(said.label.lower()))
        if title:
            mine = self.leaders.offices.get(term.office)
            return bool(mine and mine.label.lower().endswith(title.lower()))
        return False

    # -- 3. roles, pronouns, statements, in text order ------------------------------------
    def _candidates(self, m: Found) -> list[_Entity]:
        """Named people whose office (KB term in the window, or title in the text) fits ``m``."""
        key = (m.office, m.country, m.title, m.former)
        got = self._cands.get(key)
        if got is not None:
            return got
        lo, hi = (None, None) if m.former else self.window
        got = []
        for ent in self.entities.values():
            if not ent.named or not m.former and (ent.id, m.office) in self.former:
                continue  # "former President Rouhani" is not "the president"
            if m.title in self.kb.speech.generic_roles:  # "the Iraqi leader": anyone's office
                ok = bool(m.country) and (
                    ent.leader is not None
                    and any(
                        t.country == m.country and t.overlaps(lo, hi) for t in ent.leader.offices
                    )
                    or any(country == m.country for _, country, _ in ent.text_roles)
                )
                if ok:
                    got.append(ent)
                continue
            ok = ent.leader is not None and any(
                self._fits(t, m.office, m.country, m.title) and t.overlaps(lo, hi)
                for t in ent.leader.offices
            )
            ok = ok or any(
                (
                    (m.office and office == m.office)
                    or (not m.office and m.title and title == m.title)
                )
                and (not m.country or not country or country == m.country)
                # a known person's title without a country adds nothing to the KB
                and (ent.leader is None or country)
                for office, country, title in ent.text_roles
            )
            if ok:
                got.append(ent)
                if len(got) >= 64:
                    break  # enough for any real article; bounds the work on junk
        self._cands[key] = got
        return got

    def _role_person(self, m: Found, recency: list[str]) -> str | None:
        cands = self._candidates(m)
        if len(cands) > 1:
            ids = {c.id for c in cands}
            for pid in recency:
                if pid in ids:
                    return pid
            seen = [c for c in cands if c.last >= 0]
            if seen:
                return max(seen, key=lambda c: c.last).id
            return min(cands, key=lambda c: c.first).id
        if cands:
            return cands[0].id
        lo, hi = self.window
        if m.office and m.country and (lo or hi) and not m.former:
            holders = [
                p
                for p in self.leaders.holders(m.office, m.country, lo, hi)
                if (p.id, m.office) not in self.former
            ]
            if len(holders) == 1:
                return holders[0].id
        return None

    def _pronoun_person(self, gender: str | None, recency: list[str], other: bool) -> str | None:
        found = None  # the first person the pronoun fits; "For his part, he": the second
        for p in recency:
            if gender is None or self.entities[p].gender in (None, gender):
                if not other or found is not None:
                    return p
                found = p
        return found

    def _walk(self) -> None:
        recency: list[str] = []  # people in subject position, most recent first
        self.speaker_of: list[str | None] = [None] * len(self.sws)
        self.cue_of: list[str | None] = [None] * len(self.sws)
        # the sentences that name someone: no one else speaks
        pairs = zip(self.sws, self.attrs, strict=True)
        for sw, attr in compress(pairs, map(_MENTIONS, self.sws)):
            subj = attr.subject
            subj_person = None
            # the subject first: its pronoun refers back, the sentence's later pronouns to it
            ordered = sw.ordered()
            if subj is not None:
                subj_person = self._resolve(subj, recency, attr.turn)
            for m in ordered:
                if m is subj:
                    continue
                if m.kind == "pronoun" and subj_person and m.w0 > subj.w1:
                    ent = self.entities.get(subj_person)
                    m.person = subj_person if ent and ent.gender in (None, m.gender) else None
                if m.person is None:
                    self._resolve(m, recency, False)
            for m in ordered:
                if m.person is not None:
                    ent = self._entity(m.person, m.start)
                    ent.mentions.append(m)
                    ent.last = m.start
            if sw.kind != "paragraph":
                continue
            if subj_person is not None:
                self.speaker_of[sw.index] = subj_person
                self.cue_of[sw.index] = attr.cue
                _promote(recency, subj_person)
            elif not attr.explicit:
                main = self.attributor.main_subject(sw)
                if main is not None and main.person is not None:
                    _promote(recency, main.person)

    def _resolve(self, m: Found, recency: list[str], turn: bool) -> str | None:
        if m.person is None:
            if m.kind == "role":
                m.person = self._role_person(m, recency)
                if m.person is not None:
                    self._entity(m.person, m.start)
            elif m.kind == "pronoun":
                m.person = self._pronoun_person(m.gender, recency, turn)
        return m.person

    # -- 4. quotations ---------------------------------------------------------------------
    def _quotes(self) -> dict[str, list[Quote]]:
        sents = self.article.sentences
        starts = [s.start for s in sents]
        owned: dict[str, list[Quote]] = {}
        for q in self.quotes:
            a = max(0, bisect.bisect_right(starts, q.start) - 1)
            b = max(0, bisect.bisect_right(starts, max(q.start, q.end - 1)) - 1)
            if not sents or sents[a].kind != "paragraph":
                continue
            owner = self._quote_owner(q, a, b)
            if owner is None or not self._is_quotation(q):
                continue
            owned.setdefault(owner, []).append(q)
            for k in range(a, b + 1):
                if sents[k].kind == "paragraph" and self.speaker_of[k] is None:
                    self.speaker_of[k] = owner
        return owned

    def _quote_owner(self, q: Quote, a: int, b: int) -> str | None:
        sents, attrs = self.article.sentences, self.attrs
        for k in (b, a, *range(a + 1, b)):
            if attrs[k].explicit:
                if a == b and (other := self._second_speaker(q, k)) is not None:
                    return other
                return self.speaker_of[k] if not attrs[k].joint else None
        if self._source_follows(q):
            return None  # “...,” the statement detailed: not a person's words
        # no reporting clause: the speaker just before goes on (same or previous paragraph)
        for k in range(a - 1, max(-1, a - 4), -1):
            if sents[k].kind != "paragraph":
                continue
            if self.speaker_of[k] is not None:
                if sents[a].block - sents[k].block <= 1:
                    return self.speaker_of[k]
                return None
            if attrs[k].explicit:
                return None
        return None

    def _second_speaker(self, q: Quote, k: int) -> str | None:
        """Another person whose verb comes right before the quotation in sentence k: "X
        said the talks were “constructive”, and Y described them as “a new chapter”"."""
        sw = self.sws[k]
        if len(sw.cues) < 2 or q.start < sw.ws[sw.cues[1]]:
            return None  # one verb before the quotation: the sentence's speaker's
        got = self._verbs.get(k)
        if got is None:  # once per sentence: a sentence may hold many quotations
            cues = self.attributor.cues(sw)
            got = self._verbs[k] = (cues, [sw.ws[c.w] for c in cues])
        cues, starts = got
        i = bisect.bisect_left(starts, q.start) - 1  # the last verb before the quotation
        if i < 0 or cues[i].w == sw.cues[0] or cues[i].kind == "participle":
            return None  # the sentence's own verb, or a participle of its subject
        subj = self.attributor.subject(sw, cues[i])
        if isinstance(subj, Found) and subj.person and subj.person != self.speaker_of[k]:
            return subj.person
        return None

    def _source_follows(self, q: Quote) -> bool:
        """Whether "the statement", "the report"... follows the quotation's closing mark."""
        after = self.article.text[q.end : q.end + 60].lstrip(" ,.;:\u201d\u2019\u00bb\"'")
        if after[:1].lower() not in ("t", "a", "i") and after[:1].isascii():
            return False  # "he said", "Raisi added": the common case, without folding
        words = fold(after).split()[:3]
        if len(words) < 2 or words[0] not in ("the", "a", "an", "its"):
            return False
        nouns = self.kb.speech.source_nouns
        return any(tuple(words[1 : 1 + n]) in nouns for n in (1, 2))

    def _is_quotation(self, q: Quote) -> bool:
        """Someone's words, even one ("welcomes"): not a Name In Capitals, not a so-called name."""
        text = self.article.text
        words = text[q.start : q.end].split()
        exclaimed = len(words) == 1 and words[0][-1:] in (",", ".", "!", "?")  # “Never!”
        if not exclaimed and all(w[:1].isupper() or not w[:1].isalpha() for w in words):
            return False  # "Development Road", "Hamas", "2231"
        # the words up to the mark, folded enough for "so-called", "known as"
        before = text[max(0, q.start - 40) : q.start - 1].lower().replace("-", " ").split()
        naming = self.kb.speech.naming_words
        return not any(tuple(before[-n:]) in naming for n in (1, 2, 3) if len(before) >= n)

    # -- assembly ------------------------------------------------------------------------
    def run(self) -> None:
        self._analyse()
        self._resolve_names()
        self._walk()
        owned = self._quotes()
        art = self.article
        statements: dict[str, list[Statement]] = {}
        starts = [s.start for s in art.sentences]
        self.covered = [False] * len(art.sentences)
        for qs in owned.values():
            for q in qs:
                k = max(0, bisect.bisect_right(starts, q.start) - 1)
                while k < len(starts) and starts[k] < q.end:
                    self.covered[k] = True
                    k += 1
        for k in compress(count(), self.speaker_of):
            pid = self.speaker_of[k]
            s = art.sentences[k]
            kind = self._kind(k)
            statements.setdefault(pid, []).append(
                Statement(s.start, s.end, s.text, k, kind, self.cue_of[k])
            )
        window = self._final_window(statements)
        speakers, people = [], []
        for ent in sorted(self.entities.values(), key=lambda e: e.first):
            role, country = self._role(ent, window)
            mentions = [
                Mention(m.start, m.end, art.text[m.start : m.end], ent.id, m.kind)
                for m in sorted(ent.mentions, key=_START)
            ]
            if ent.id in statements:
                quotes, seen = [], set()
                for q in owned.get(ent.id, []):
                    key = " ".join(art.text[q.start : q.end].lower().split()).rstrip(".,;:!?")
                    if key not in seen:
                        seen.add(key)
                        quotes.append(Span(q.start, q.end, art.text[q.start : q.end]))
                speakers.append(
                    Speaker(
                        ent.id,
                        ent.name,
                        role,
                        country,
                        ent.leader.wikidata if ent.leader else None,
                        ent.leader is not None,
                        mentions,
                        quotes,
                        statements[ent.id],
                    )
                )
            elif ent.named:
                people.append(Person(ent.id, ent.name, role, country, mentions))
        art.speakers = speakers
        art.people = people

    def _kind(self, k: int) -> str:
        """direct: quoted words and a bare reporting clause; mixed: quoted words and more."""
        sw = self.sws[k]
        if not self.covered[k]:
            return "indirect"
        outside = list(compress(sw.f[sw.a : sw.b], map(not_, sw.inq[sw.a : sw.b])))
        cues = sum(map(self.lex.verbs.__contains__, outside))
        # a few quoted words in a sentence of its own: praised the “brave fighters”
        quoted = sw.b - sw.a - len(outside)
        direct = cues <= 1 and "that" not in outside and quoted >= len(outside)
        return "direct" if direct else "mixed"

    def _final_window(self, statements) -> tuple[str | None, str | None]:
        """The window the speakers' terms allow together (the publication date if known)."""
        if self.article.published:
            return _day_range(self.article.published)
        lo, hi = self.window
        for pid in sorted(statements, key=lambda p: -len(statements[p])):
            ent = self.entities[pid]
            if ent.leader is None:
                continue
            lo, hi = _narrow(lo, hi, self._terms(ent, lo, hi))
        return lo, hi

    def _terms(self, ent: _Entity, lo, hi) -> list[Office]:
        """The person's terms in the window, those the text's titles name first."""
        terms = [t for t in ent.leader.offices if t.overlaps(lo, hi)]
        titles = self._titles.get(ent.id)
        if titles is None:  # each title once: a person may be named thousands of times
            titles = self._titles[ent.id] = {
                (m.office, m.country, m.title)
                for m in ent.mentions
                if (m.office or m.title) and not m.former
            }
        named = [t for t in terms if any(self._fits(t, *title) for title in titles)]
        return named or terms

    def _role(self, ent: _Entity, window) -> tuple[str | None, str | None]:
        if ent.leader is None:
            if ent.office and ent.country:
                return self.leaders.role_label(ent.office, ent.country), ent.country
            if ent.title_text:
                return ent.title_text[:1].upper() + ent.title_text[1:], ent.country
            return None, ent.country
        terms = self._terms(ent, *window) or [
            t  # out of the window, but the title the text gives them
            for t in ent.leader.offices
            if any(self._fits(t, o, c, ti) for o, c, ti in ent.text_roles)
        ]
        if not terms:
            return None, None
        best = max(terms, key=lambda t: t.start or "")
        return best.role, best.country


def _in_order(sentences: list[Sentence]):
    """Runs of sentences in text order, with the index of the first: read a run at a time."""
    first, end = 0, -1
    for i, s in enumerate(sentences):
        if s.start < end:
            yield first, sentences[first:i]
            first = i
        end = s.end
    if sentences:
        yield first, sentences[first:]


def _promote(recency: list[str], pid: str) -> None:
    if pid in recency:
        recency.remove(pid)
    recency.insert(0, pid)
    del recency[8:]


def _narrow(lo: str | None, hi: str | None, terms: list[Office]) -> tuple[str | None, str | None]:
    """[lo, hi] cut down to the span of ``terms``; unchanged if they do not meet it."""
    if not terms:
        return lo, hi
    new_lo = max(lo or "", min(t.start or "" for t in terms))
    ends = [t.end for t in terms]
    new_hi = min(hi or "9999", "9999" if None in ends else max(ends))
    if new_lo > new_hi:
        return lo, hi
    return new_lo or None, None if new_hi == "9999" else new_hi


def _day_range(value: str) -> tuple[str, str]:
    """ "2021-09-12" -> (same, same); "2021-09" -> the month; "2021" -> the year."""
    value = str(value)
    if len(value) >= 10:
        return value[:10], value[:10]
    if len(value) == 7:
        return f"{value}-01", f"{value}-31"
    return f"{value[:4]}-01-01", f"{value[:4]}-12-31"
