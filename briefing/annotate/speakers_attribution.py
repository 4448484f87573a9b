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

_PASSIVE = frozenset("was were is are been be being".split())
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

    # -- cues ----------------------------------------------------------------------------
    def cues(self, sw: SentenceWords) -> list[Cue]:
        words, lex = sw.words, self.lex
        out: list[Cue] = []
        cue_words = self.cue_words
        for i, w in enumerate(words):
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
            if kind == "finite" and i > 0 and words[i - 1].f in _PASSIVE | {"to"}:
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
        lex, words = self.lex, sw.words
        while j < stop and words[j].f in self.opener_words:
            hit = lex.openers.match(words, j) or lex.glue.match(words, j)
            hit = hit or lex.turn.match(words, j)
            if not hit or sw.mentions.get(j):
                break
            j += hit[0]
        return j

    def _subject_at(self, sw: SentenceWords, k: int, stop: int, strict: bool):
        """The subject starting at word k, in a clause running to word ``stop``."""
        words, lex = sw.words, self.lex
        if k >= stop:
            return None
        if words[k].f in self.joint_subject_words and lex.joint_subjects.match(words, k):
            return JOINT
        if words[k].f in ("which", "whom") and k + 1 < stop and sw.mentions.get(k + 1):
            k += 1  # "the deal, which Raisi described as “a turning point”"
        m = sw.mentions.get(k) or self.finder.claim_run(sw, k) or self._titled_after(sw, k, stop)
        if m is None:
            return NOT_PERSON
        if m.poss or m.inq:
            return NOT_PERSON
        after = m.w1
        if after + 1 < stop and words[after].f in ("and", "&") and not words[after].brk:
            nxt = words[after + 1]
            if sw.mentions.get(after + 1) or nxt.f in ("his", "her") or after + 1 in sw.runs:
                return JOINT
        if strict:
            j = after
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
        return self._subject_at(sw, k, c, cue.strict)

    def main_subject(self, sw: SentenceWords) -> Mention | None:
        """The first clause-initial person mention of the sentence (for salience)."""
        words = sw.words
        if not sw.mentions:
            return None
        for j in range(len(words)):
            if sw.seg[j] != j or words[j].inq:
                continue
            k = self._skip_openers(sw, j, len(words))
            m = sw.mentions.get(k)
            if m is not None and not m.poss and not m.inq:
                after = m.w1
                if after < len(words) and words[after].f == "and" and sw.mentions.get(after + 1):
                    return None
                return m
        return None

    # -- the sentence --------------------------------------------------------------------
    def attribute(self, sw: SentenceWords) -> Attribution:
        """Who speaks in ``sw`` (mentions unresolved; the annotator resolves them)."""
        words, lex = sw.words, self.lex
        folded = {w.f for w in words}
        if folded.isdisjoint(self.cue_words):
            return NO_ONE  # no reporting verb at all: the common case, kept cheap
        out = Attribution()
        out.turn = words[0].f in self.opener_words and bool(
            lex.turn.match(words, self._skip_openers_turn(sw))
        )
        cues = self.cues(sw)
        joint_marker = not folded.isdisjoint(self.joint_words) and any(
            not words[i].inq and lex.joint_markers.match(words, i) for i in range(len(words))
        )
        participles = []
        for cue in cues:
            if cue.kind == "participle":
                participles.append(cue)
                continue
            subj = self.subject(sw, cue)
            if subj is None:
                continue
            out.explicit = True
            if joint_marker:
                out.joint, out.cue = True, cue.text
                return out  # "said in a joint statement": no one's alone
            if subj == JOINT:
                out.joint = True  # "the two sides stressed ..., and Raisi added ...": Raisi's
                continue
            if isinstance(subj, Mention):
                out.subject, out.cue, out.joint = subj, cue.text, False
                return out
        if participles and not out.explicit:
            subj = self.main_subject(sw)
            if subj is not None and not joint_marker:
                out.subject, out.cue, out.explicit = subj, participles[0].text, True
        return out

    def _skip_openers_turn(self, sw: SentenceWords) -> int:
        lex, words, j = self.lex, sw.words, 0
        while j < len(words) and lex.openers.match(words, j) and not lex.turn.match(words, j):
            j += lex.openers.match(words, j)[0]
        return j


def _text(words, i, n) -> str:
    return " ".join(w.text for w in words[i : i + n])
