"""Who speaks in a sentence: reporting verbs and their subjects, on the words of one sentence.

A sentence reports speech when a reporting verb (content/speech.yaml) has a person as
its subject. The subject is found from the shape of wire copy, not from a parser:

- right before the verb, at the start of its clause: "Raisi stressed", "the Iraqi
  premier also said", "..., he added", "Raisi in a phone call with Kadhimi said";
- before parenthetical segments when the verb follows a comma: "Mustafa al-Kazemi, for
  his part, said", "Hassan Rouhani in a call ..., referring to ..., added:";
- right after the verb when nothing precedes it in its clause: "“...,” said Raisi";
- the person named before a relative "who": "Fidan met Nechirvan Barzani, who said";
- the main clause's subject for a verb joined by "and": "Araghchi briefed Lavrov on
  the talks, held in Muscat, and said";
- after a source phrase: "according to Kadhimi", "according to a statement by Kadhimi"
  (or "from his office": the person the pronoun means).

A subject that is not a person ("the statement said", "Iranian officials have called")
makes the verb report no one; two people ("Biden and Kadhimi declared", "the two sides
stressed") or a joint statement make it a joint statement, given to no one. The work
per verb is bounded (a few segments back; what several verbs of a sentence ask again is
remembered), so a sentence costs time linear in its words.
"""

from __future__ import annotations

from dataclasses import dataclass

from .mentions import UNSET, Lexicon, Mention, MentionFinder, SentenceWords

_MAX_BACK = 6  # parenthetical segments between a subject and its verb


@dataclass(slots=True)
class Cue:
    w: int  # first word of the cue
    n: int  # number of words
    text: str  # as written: "stressed", "pointed to", "according to"
    kind: str  # "finite" | "participle" | "source"
    strict: bool = False  # an -s form ("says", "stresses"): only right after its subject


@dataclass(slots=True)
class Attribution:
    """The outcome for one sentence."""

    subject: Mention | None = None  # the person who speaks (unresolved mention)
    cue: str | None = None
    explicit: bool = False  # a reporting construction with some subject (person or not)
    joint: bool = False
    turn: bool = False  # opened by "For his part": a pronoun means the other party


NO_ONE = Attribution()  # shared; never modified
JOINT = "joint"
NOT_PERSON = "not-person"


class Attributor:
    def __init__(self, lex: Lexicon, finder: MentionFinder):
        self.lex = lex
        self.finder = finder
        sp = lex.kb.speech
        self.finite = sp.finite
        self.participles = sp.participles
        self.joint_words = lex.joint_words
        self.opener_words = lex.opener_words
        self.joint_subject_words = lex.joint_subjects_words
        self.glue_words = lex.glue_words
        self.not_after = lex.not_after
        self.relatives = lex.kb.speech.words("relative_pronouns")
        self.possessives = lex.kb.speech.possessives

    # -- cues ----------------------------------------------------------------------------
    def cues(self, sw: SentenceWords) -> list[Cue]:
        lex, f = self.lex, sw.f
        out: list[Cue] = []
        for i in sw.cues:
            fi = f[i]
            if sw.inq[i]:
                continue
            src = lex.sources.match(sw, i) if fi in lex.sources.heads else None
            if src:
                out.append(Cue(i, src[0], sw.phrase(i, src[0]), "source"))
                continue
            verb = self.finite.get(fi)
            kind = "finite"
            if verb is None or sw.cap[i]:
                verb, kind = self.participles.get(fi), "participle"
            if verb is None:
                continue
            n = 1
            if verb.followed_by:
                n = 0
                for ph in verb.followed_by:
                    k = len(ph)
                    nxt = slice(i + 1, i + 1 + k)
                    if i + k < sw.b and tuple(f[nxt]) == ph and not any(sw.brk[nxt]):
                        n = 1 + k
                        break
                if not n:
                    continue
            if verb.not_before_person and self._person_follows(sw, i + 1):
                continue  # "welcomed the visiting premier": protocol, not speech
            if kind == "finite" and i > sw.a and f[i - 1] in self.not_after:
                continue  # "was praised by", "to say"
            strict = kind == "finite" and fi.endswith("s") and not fi.endswith("ss")
            out.append(Cue(i, n, sw.text[i] if n == 1 else sw.phrase(i, n), kind, strict))
        return out

    @staticmethod
    def _person_follows(sw: SentenceWords, k: int) -> bool:
        """A person (not a possessive) within the next few words of the same clause."""
        for j in range(k, min(k + 4, sw.b)):
            if sw.brk[j]:
                return False
            m = sw.mentions.get(j)
            if m is not None:
                return m.kind != "pronoun" and not m.poss
        return False

    # -- subjects ------------------------------------------------------------------------
    def _skip_openers(self, sw: SentenceWords, j: int, stop: int) -> int:
        """The first word after the openers at j ("and also", "for his part"), at most stop."""
        if sw.skips is None:
            sw.skips = {}
        k = sw.skips.get(j)
        if k is None:  # remembered: several verbs may share one clause start
            lex, k, f = self.lex, j, sw.f
            while k < sw.b and f[k] in self.opener_words:
                hit = lex.openers.match(sw, k) or lex.glue.match(sw, k) or lex.turn.match(sw, k)
                if not hit or sw.mentions.get(k):
                    break
                k += hit[0]
            sw.skips[j] = k
        return min(k, stop)

    def _subject_at(self, sw: SentenceWords, k: int, stop: int, strict: bool):
        """The subject starting at word k, in a clause running to word ``stop``."""
        lex, f = self.lex, sw.f
        if k >= stop:
            return None
        if f[k] in self.joint_subject_words and lex.joint_subjects.match(sw, k):
            return JOINT
        if f[k] in ("which", "whom") and k + 1 < stop and sw.mentions.get(k + 1):
            k += 1  # "the deal, which Raisi described as “a turning point”"
        elif f[k] in self.relatives and self._only_glue(sw, k + 1, stop):
            m = _ending_at(sw, k)  # "Fidan met Nechirvan Barzani, who said"
            ok = m is not None and m.kind != "pronoun" and not m.poss and not m.inq
            return m if ok else NOT_PERSON
        m = sw.mentions.get(k) or self.finder.claim_run(sw, k)
        if m is None and sw.cap[k] and k + 1 < stop and sw.join[k + 1]:
            m = sw.mentions.get(k + 1)  # a stray capitalised word: "Presdient Rouhani said"
        m = m or self._titled_after(sw, k, stop)
        if m is not None and m.poss:
            # "Kadhimi's spokesman Hassan Nazim said": the titled name after the possessive
            m = self._titled_after(sw, m.w1 - 1, stop)
        if m is None or m.poss or m.inq:
            return NOT_PERSON
        if self._joined(sw, m.w1, stop):
            return JOINT
        if strict and not self._only_glue(sw, m.w1, stop):
            return NOT_PERSON
        return m

    def _only_glue(self, sw: SentenceWords, j: int, stop: int) -> bool:
        """Whether words j..stop are glue only ("also", "for his part"), or none."""
        if j >= stop:
            return True
        if sw.glue is None:
            sw.glue = {}
        end = sw.glue.get(j)
        if end is None:  # remembered: every verb after a long run of glue asks again
            end = j
            while end < sw.b and (hit := self.lex.glue.match(sw, end)):
                end += hit[0]
            sw.glue[j] = end
        return end >= stop

    def _titled_after(self, sw: SentenceWords, k: int, stop: int) -> Mention | None:
        """A titled person after a few lower-case words: "senior Iraqi lawmaker X said"."""
        for j in range(k + 1, min(k + 6, stop)):
            if sw.brk[j]:
                return None
            m = sw.mentions.get(j)
            if m is not None:
                return m if (m.title or m.office) and m.kind == "name" else None
            f = sw.f[j - 1]
            if self.lex.name_like(sw, j - 1) or f in self.finite or f in self.participles:
                return None  # another name or a verb: not one noun phrase
        return None

    def _joined(self, sw: SentenceWords, after: int, stop: int) -> bool:
        """A second person joined to the subject: "X and Y", "X along with his counterpart"."""
        link = self.lex.joint_links.match(sw, after) if after < stop else None
        if not link or sw.brk[after]:
            return False
        k = after + link[0]
        return k < stop and (k in sw.mentions or k in sw.runs or sw.f[k] in ("his", "her", "their"))

    def _parenthetical(self, sw: SentenceWords, k: int) -> bool:
        lex, f = self.lex, sw.f[k]
        if f.endswith("ing") and len(f) > 4:
            return True
        if f in ("a", "an", "the") or f in lex.title_firsts:
            return True  # an appositive: "X, a Kurdish lawmaker, said", "X, head of Y, said"
        return bool(
            lex.parenthetical.match(sw, k) or lex.glue.match(sw, k) or lex.turn.match(sw, k)
        )

    def _walk_back(self, sw: SentenceWords, c: int):
        """The subject before parenthetical segments when the verb opens its segment."""
        j = c
        for _ in range(_MAX_BACK):
            if j == sw.a:
                return None
            s0 = sw.seg(j - 1)
            if sw.inq[s0]:
                return None
            k = self._skip_openers(sw, s0, j)
            if k < j and (sw.mentions.get(k) or k in sw.runs):
                return self._subject_at(sw, k, j, False)
            if k < j and self.lex.joint_subjects.match(sw, k):
                return JOINT
            if k < j and not self._parenthetical(sw, k):
                return None
            j = s0  # a parenthetical ("heading a delegation") or glue ("for his part")
        return None

    def subject(self, sw: SentenceWords, cue: Cue):
        """A Mention, JOINT, NOT_PERSON or None (no subject found) for a finite/source cue."""
        c = cue.w
        after = c + cue.n
        if cue.kind == "source":
            if after < sw.b and not sw.inq[after]:
                subj = self._issuer(sw, after)
                return subj or self._subject_at(sw, after, sw.b, False) or NOT_PERSON
            return NOT_PERSON
        j = sw.seg(c)
        if j == c:
            # "Erdogan, for his part, congratulated the Iranian president": the subject
            # before the parentheticals, else inverted after the verb: "“...,” said Raisi"
            subj = self._walk_back(sw, c)
            if subj is None and after < sw.b and not sw.brk[after]:
                m = sw.mentions.get(after) or self.finder.claim_run(sw, after)
                if m is not None and not m.poss:
                    return m
            return subj
        k = self._skip_openers(sw, j, c)
        if k >= c:
            subj = self._walk_back(sw, j)
            if subj is None and self._coordinated(sw, j):
                subj = self.main_subject(sw)  # "Araghchi briefed Lavrov ..., and said"
            return subj
        m = sw.mentions.get(k)
        if (
            m is not None
            and m.w1 == c
            and not (m.poss or m.inq)
            and sw.f[k] not in self.joint_subject_words
            and sw.f[k] not in self.relatives
        ):
            return m  # "Raisi said", "the Iraqi premier stressed": the common case, at once
        inner = self._inner_subject(sw, k, c)
        return inner or self._subject_at(sw, k, c, cue.strict)

    def _issuer(self, sw: SentenceWords, k: int):
        """Who issued the source at word k: "[according to] a statement by Kadhimi", "...
        from his office", "... from the premier's office"; None if k opens no source noun."""
        lex, f = self.lex, sw.f
        if f[k] in ("a", "an", "the"):
            k += 1
        noun = lex.source_nouns.match(sw, k) if k < sw.b else None
        if noun is None:
            return None
        k += noun[0]
        link = lex.source_links.match(sw, k)
        if link is None or sw.brk[k]:
            return NOT_PERSON  # "according to a statement, ..."
        k += link[0]
        if k >= sw.b:
            return NOT_PERSON
        gender = self.possessives.get(f[k])
        if gender is not None and lex.source_nouns.match(sw, k + 1):
            return _pronoun(sw, k, gender)  # "from his office": his words (not added yet)
        m = sw.mentions.get(k)
        if m is None or m.kind == "pronoun" or m.inq:
            return NOT_PERSON
        if m.poss and not lex.source_nouns.match(sw, m.w1):
            return NOT_PERSON  # "by Raisi's ally": someone else
        return m  # "by Kadhimi", "from Kadhimi's office"

    def _coordinated(self, sw: SentenceWords, j: int) -> bool:
        """Whether the clause at word j opens with "and", "but": its verb shares a subject."""
        hit = self.lex.coordinators.match(sw, j) if sw.f[j] in self.lex.coordinators.heads else None
        return hit is not None

    def _inner_subject(self, sw: SentenceWords, k: int, c: int) -> Mention | None:
        """A subordinate subject right before the verb: "the office said that X expressed"."""
        j = c
        while j > k and sw.f[j - 1] in self.glue_words:
            j -= 1
        m = _ending_at(sw, j)
        if m is None or m.w0 <= k or m.poss or m.inq:
            return None
        return m if sw.f[m.w0 - 1] in ("that", "whereas", "while") else None

    def main_subject(self, sw: SentenceWords) -> Mention | None:
        """The first clause-initial person mention of the sentence (for salience)."""
        if sw.main is UNSET:  # remembered: every verb of a long sentence may ask
            sw.main = self._main_subject(sw)
        return sw.main

    def _main_subject(self, sw: SentenceWords) -> Mention | None:
        if not sw.mentions:
            return None
        for j in sw.segment():
            if sw.inq[j]:
                continue
            k = self._skip_openers(sw, j, sw.b)
            m = sw.mentions.get(k)
            if m is not None and not m.poss and not m.inq:
                return None if self._joined(sw, m.w1, sw.b) else m
            if k < sw.b and not self._parenthetical(sw, k):
                return None  # the main clause opens with something else: "KRG website said"
        return None

    # -- the sentence --------------------------------------------------------------------
    def attribute(self, sw: SentenceWords) -> Attribution:
        """Who speaks in ``sw`` (mentions unresolved; the annotator resolves them)."""
        if not sw.cues:
            return NO_ONE  # no reporting verb at all: the common case, kept cheap
        lex, f = self.lex, sw.f
        out = Attribution()
        out.turn = f[sw.a] in self.opener_words and bool(
            lex.turn.match(sw, self._skip_openers_turn(sw))
        )
        cues = self.cues(sw)
        joint_marker = None  # "said in a joint statement": looked for once a subject is found
        participles = []
        # a finite verb before a participle, whose subject is no one, owns the participle:
        # "the statement said ..., adding"; one after it is inside its clause: "saying
        # that Iraq had called for"
        blocked = False
        fallback = None
        for cue in cues:
            if cue.kind == "participle":
                participles.append((cue, blocked))
                continue
            subj = self.subject(sw, cue)
            if subj is None:
                continue
            out.explicit = True
            blocked = blocked or cue.kind == "finite"
            if joint_marker is None:
                joint_marker = self._joint_marker(sw)
            if joint_marker:
                out.joint, out.cue = True, cue.text
                return out  # "said in a joint statement": no one's alone
            if subj == JOINT:
                out.joint = True  # "the two sides stressed ..., and Raisi added ...": Raisi's
                continue
            if isinstance(subj, Mention):
                if subj.w0 not in sw.mentions:  # "according to ... his office": weaker than
                    fallback = fallback or (subj, cue)  # a named subject in the sentence
                    continue
                out.subject, out.cue, out.joint = subj, cue.text, False
                return out
        for cue, blocked in participles:
            c = cue.w
            before = _ending_at(sw, c - 1) if c > sw.a + 1 and f[c - 1] == "as" else None
            before = before or (_ending_at(sw, c) if not sw.brk[c] else None)
            if before is not None and not before.poss and before.kind != "pronoun":
                subj = before  # "IRNA quoted Raisi as saying", "with Barzani telling him that"
            elif blocked:
                continue
            else:
                subj = self.main_subject(sw)
            if subj is not None and joint_marker is None:
                joint_marker = self._joint_marker(sw)
            if subj is not None and not joint_marker:
                out.subject, out.cue, out.explicit = subj, cue.text, True
                return out
        if fallback is not None and not out.joint:
            out.subject, out.cue = sw.add(fallback[0]), fallback[1].text
        return out

    def _joint_marker(self, sw: SentenceWords) -> bool:
        lex, f, joint_words = self.lex, sw.f, self.joint_words
        if joint_words.isdisjoint(f[sw.a : sw.b]):
            return False  # the common case, in one C call
        return any(
            f[i] in joint_words and not sw.inq[i] and lex.joint_markers.match(sw, i)
            for i in sw.marks
        )

    def _skip_openers_turn(self, sw: SentenceWords) -> int:
        lex, j = self.lex, sw.a
        while j < sw.b and lex.openers.match(sw, j) and not lex.turn.match(sw, j):
            j += lex.openers.match(sw, j)[0]
        return j


def _pronoun(sw: SentenceWords, k: int, gender: str) -> Mention:
    return Mention(k, k + 1, sw.ws[k], sw.we[k], "pronoun", gender=gender, inq=sw.inq[k])


def _ending_at(sw: SentenceWords, end: int) -> Mention | None:
    """The mention whose last word is just before word ``end``."""
    for j in range(end - 1, max(sw.a - 1, end - 8), -1):
        m = sw.mentions.get(j)
        if m is not None:
            return m if m.w1 == end else None
    return None
