"""Who speaks in a sentence: reporting verbs and their subjects, on the words of one sentence.

A sentence reports speech when a reporting verb (content/speech.yaml) has a person as
its subject. The subject is found from the shape of wire copy, not from a parser:

- right before the verb, at the start of its clause: "Raisi stressed", "the Iraqi
  premier also said", "..., he added", "Raisi in a phone call with Kadhimi said";
- before parenthetical segments when the verb follows a comma: "Mustafa al-Kazemi, for
  his part, said", "Hassan Rouhani in a call ..., referring to ..., added:";
- right after the verb when nothing precedes it in its clause: "“...,” said Raisi";
- after a source phrase: "according to Kadhimi".

A subject that is not a person ("the statement said", "Iranian officials have called")
makes the verb report no one; two people ("Biden and Kadhimi declared", "the two sides
stressed") or a joint statement make it a joint statement, given to no one. The work
per verb is bounded (a few segments back), so a sentence costs time linear in its words.
"""

from __future__ import annotations

from dataclasses import dataclass

from .mentions import Lexicon, Mention, MentionFinder, SentenceWords

_MAX_BACK = 6  # parenthetical segments between a subject and its verb


@dataclass
class Cue:
    w: int  # first word of the cue
    n: int  # number of words
    text: str  # as written: "stressed", "pointed to", "according to"
    kind: str  # "finite" | "participle" | "source"
    strict: bool = False  # an -s form ("says", "stresses"): only right after its subject


@dataclass
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
        self.cue_words = set(sp.finite) | set(sp.participles) | lex.sources.firsts()
        self.joint_words = lex.joint_markers.firsts()
        self.opener_words = lex.openers.firsts() | lex.glue.firsts() | lex.turn.firsts()
        self.joint_subject_words = lex.joint_subjects.firsts()
        self.glue_words = sp.words("subject_glue")
        self.not_after = sp.words("not_after")

    # -- cues ----------------------------------------------------------------------------
    def cues(self, sw: SentenceWords) -> list[Cue]:
        words, lex = sw.words, self.lex
        out: list[Cue] = []
        cue_words = self.cue_words
        for i in sw.marks:
            w = words[i]
            if w.inq or w.f not in cue_words:
                continue
            src = lex.sources.match(words, i)
            if src:
                out.append(Cue(i, src[0], _text(words, i, src[0]), "source"))
                continue
            verb = self.finite.get(w.f)
            kind = "finite"
            if verb is None or w.cap:
                verb, kind = self.participles.get(w.f), "participle"
            if verb is None:
                continue
            n = 1
            if verb.followed_by:
                n = 0
                for ph in verb.followed_by:
                    k = len(ph)
                    nxt = words[i + 1 : i + 1 + k]
                    if len(nxt) == k and all(
                        x.f == p and not x.brk for x, p in zip(nxt, ph, strict=True)
                    ):
                        n = 1 + k
                        break
                if not n:
                    continue
            if verb.not_before_person and self._person_follows(sw, i + 1):
                continue  # "welcomed the visiting premier": protocol, not speech
            if kind == "finite" and i > 0 and words[i - 1].f in self.not_after:
                continue  # "was praised by", "to say"
            strict = kind == "finite" and w.f.endswith("s") and not w.f.endswith("ss")
            out.append(Cue(i, n, _text(words, i, n), kind, strict))
        return out

    @staticmethod
    def _person_follows(sw: SentenceWords, k: int) -> bool:
        """A person (not a possessive) within the next few words of the same clause."""
        for j in range(k, min(k + 4, len(sw.words))):
            if sw.words[j].brk:
                return False
            m = sw.mentions.get(j)
            if m is not None:
                return m.kind != "pronoun" and not m.poss
        return False

    # -- subjects ------------------------------------------------------------------------
    def _skip_openers(self, sw: SentenceWords, j: int, stop: int) -> int:
        """The first word after the openers at j ("and also", "for his part"), at most stop."""
        k = sw.skips.get(j)
        if k is None:  # remembered: several verbs may share one clause start
            lex, words, k = self.lex, sw.words, j
            while k < len(words) and words[k].f in self.opener_words:
                hit = lex.openers.match(words, k) or lex.glue.match(words, k)
                hit = hit or lex.turn.match(words, k)
                if not hit or sw.mentions.get(k):
                    break
                k += hit[0]
            sw.skips[j] = k
        return min(k, stop)

    def _subject_at(self, sw: SentenceWords, k: int, stop: int, strict: bool):
        """The subject starting at word k, in a clause running to word ``stop``."""
        words, lex = sw.words, self.lex
        if k >= stop:
            return None
        if words[k].f in self.joint_subject_words and lex.joint_subjects.match(words, k):
            return JOINT
        if words[k].f in ("which", "whom") and k + 1 < stop and sw.mentions.get(k + 1):
            k += 1  # "the deal, which Raisi described as “a turning point”"
        m = sw.mentions.get(k) or self.finder.claim_run(sw, k)
        if m is None and words[k].cap and k + 1 < stop and words[k + 1].join:
            m = sw.mentions.get(k + 1)  # a stray capitalised word: "Presdient Rouhani said"
        m = m or self._titled_after(sw, k, stop)
        if m is not None and m.poss:
            # "Kadhimi's spokesman Hassan Nazim said": the titled name after the possessive
            m = self._titled_after(sw, m.w1 - 1, stop)
        if m is None or m.poss or m.inq:
            return NOT_PERSON
        if self._joined(sw, m.w1, stop):
            return JOINT
        if strict:
            j = m.w1
            while j < stop:
                hit = lex.glue.match(words, j)
                if not hit:
                    return NOT_PERSON
                j += hit[0]
        return m

    def _titled_after(self, sw: SentenceWords, k: int, stop: int) -> Mention | None:
        """A titled person after a few lower-case words: "senior Iraqi lawmaker X said"."""
        words, lex = sw.words, self.lex
        for j in range(k + 1, min(k + 6, stop)):
            if words[j].brk:
                return None
            m = sw.mentions.get(j)
            if m is not None:
                return m if (m.title or m.office) and m.kind == "name" else None
            w = words[j - 1]
            if lex.name_like(w) or w.f in self.finite or w.f in self.participles:
                return None  # another name or a verb: not one noun phrase
        return None

    def _joined(self, sw: SentenceWords, after: int, stop: int) -> bool:
        """A second person joined to the subject: "X and Y", "X along with his counterpart"."""
        words = sw.words
        link = self.lex.joint_links.match(words, after) if after < stop else None
        if not link or words[after].brk:
            return False
        k = after + link[0]
        return k < stop and (
            k in sw.mentions or k in sw.runs or words[k].f in ("his", "her", "their")
        )

    def _parenthetical(self, sw: SentenceWords, k: int) -> bool:
        words, lex = sw.words, self.lex
        w = words[k]
        if w.f.endswith("ing") and len(w.f) > 4:
            return True
        if w.f in ("a", "an", "the") or w.f in lex.title_firsts:
            return True  # an appositive: "X, a Kurdish lawmaker, said", "X, head of Y, said"
        return bool(
            lex.parenthetical.match(words, k)
            or lex.glue.match(words, k)
            or lex.turn.match(words, k)
        )

    def _walk_back(self, sw: SentenceWords, c: int):
        """The subject before parenthetical segments when the verb opens its segment."""
        words = sw.words
        j = c
        for _ in range(_MAX_BACK):
            if j == 0:
                return None
            s0 = sw.seg[j - 1]
            if words[s0].inq:
                return None
            k = self._skip_openers(sw, s0, j)
            if k < j and (sw.mentions.get(k) or k in sw.runs):
                return self._subject_at(sw, k, j, False)
            if k < j and self.lex.joint_subjects.match(words, k):
                return JOINT
            if k < j and not self._parenthetical(sw, k):
                return None
            j = s0  # a parenthetical ("heading a delegation") or glue ("for his part")
        return None

    def subject(self, sw: SentenceWords, cue: Cue):
        """A Mention, JOINT, NOT_PERSON or None (no subject found) for a finite/source cue."""
        words = sw.words
        c = cue.w
        after = c + cue.n
        if cue.kind == "source":
            if after < len(words) and not words[after].inq:
                return self._subject_at(sw, after, len(words), False) or NOT_PERSON
            return NOT_PERSON
        j = sw.seg[c]
        if j == c:
            if after < len(words) and not words[after].brk:  # "“...,” said Raisi"
                m = sw.mentions.get(after) or self.finder.claim_run(sw, after)
                if m is not None and not m.poss:
                    return m
            return self._walk_back(sw, c)
        k = self._skip_openers(sw, j, c)
        if k >= c:
            return self._walk_back(sw, j)
        inner = self._inner_subject(sw, k, c)
        return inner or self._subject_at(sw, k, c, cue.strict)

    def _inner_subject(self, sw: SentenceWords, k: int, c: int) -> Mention | None:
        """A subordinate subject right before the verb: "the office said that X expressed"."""
        words = sw.words
        j = c
        while j > k and words[j - 1].f in self.glue_words:
            j -= 1
        m = _ending_at(sw, j)
        if m is None or m.w0 <= k or m.poss or m.inq:
            return None
        return m if words[m.w0 - 1].f in ("that", "whereas", "while") else None

    def main_subject(self, sw: SentenceWords) -> Mention | None:
        """The first clause-initial person mention of the sentence (for salience)."""
        words = sw.words
        if not sw.mentions:
            return None
        sw.segment()
        for j in sw.starts:
            if words[j].inq:
                continue
            k = self._skip_openers(sw, j, len(words))
            m = sw.mentions.get(k)
            if m is not None and not m.poss and not m.inq:
                return None if self._joined(sw, m.w1, len(words)) else m
            if k < len(words) and not self._parenthetical(sw, k):
                return None  # the main clause opens with something else: "KRG website said"
        return None

    # -- the sentence --------------------------------------------------------------------
    def attribute(self, sw: SentenceWords) -> Attribution:
        """Who speaks in ``sw`` (mentions unresolved; the annotator resolves them)."""
        words, lex = sw.words, self.lex
        folded = {words[i].f for i in sw.marks}
        if folded.isdisjoint(self.cue_words):
            return NO_ONE  # no reporting verb at all: the common case, kept cheap
        sw.segment()
        out = Attribution()
        out.turn = words[0].f in self.opener_words and bool(
            lex.turn.match(words, self._skip_openers_turn(sw))
        )
        cues = self.cues(sw)
        joint_marker = not folded.isdisjoint(self.joint_words) and any(
            not words[i].inq and lex.joint_markers.match(words, i) for i in sw.marks
        )
        participles = []
        blocked = False  # a finite verb whose subject is no one: its participles are its own
        for cue in cues:
            if cue.kind == "participle":
                participles.append(cue)
                continue
            subj = self.subject(sw, cue)
            if subj is None:
                continue
            out.explicit = True
            blocked = blocked or cue.kind == "finite"
            if joint_marker:
                out.joint, out.cue = True, cue.text
                return out  # "said in a joint statement": no one's alone
            if subj == JOINT:
                out.joint = True  # "the two sides stressed ..., and Raisi added ...": Raisi's
                continue
            if isinstance(subj, Mention):
                out.subject, out.cue, out.joint = subj, cue.text, False
                return out
        for cue in participles:
            c = cue.w
            before = _ending_at(sw, c - 1) if c > 1 and words[c - 1].f == "as" else None
            before = before or (_ending_at(sw, c) if not words[c].brk else None)
            if before is not None and not before.poss and before.kind != "pronoun":
                subj = before  # "IRNA quoted Raisi as saying", "with Barzani telling him that"
            elif blocked:
                continue
            else:
                subj = self.main_subject(sw)
            if subj is not None and not joint_marker:
                out.subject, out.cue, out.explicit = subj, cue.text, True
                return out
        return out

    def _skip_openers_turn(self, sw: SentenceWords) -> int:
        lex, words, j = self.lex, sw.words, 0
        while j < len(words) and lex.openers.match(words, j) and not lex.turn.match(words, j):
            j += lex.openers.match(words, j)[0]
        return j


def _ending_at(sw: SentenceWords, end: int) -> Mention | None:
    """The mention whose last word is just before word ``end``."""
    for j in range(end - 1, max(-1, end - 8), -1):
        m = sw.mentions.get(j)
        if m is not None:
            return m if m.w1 == end else None
    return None


def _text(words, i, n) -> str:
    return " ".join(w.text for w in words[i : i + n])
