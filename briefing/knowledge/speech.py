"""content/speech.yaml: how wire copy reports speech — cue verbs, pronouns, titles, names.

Every phrase is stored folded (:func:`briefing.knowledge.leaders.fold`) and split into a
tuple of words, the form the speakers annotator matches on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import yamlio
from .leaders import fold

Phrase = tuple[str, ...]

_LISTS = (
    "source_phrases",
    "subject_glue",
    "clause_openers",
    "parenthetical_openers",
    "turn_phrases",
    "joint_subjects",
    "joint_markers",
    "joint_links",
    "honorifics",
    "name_titles",
    "female_honorifics",
    "name_particles",
    "given_names",
    "not_name_words",
    "former_words",
    "not_after",
    "source_nouns",
    "naming_words",
    "coordinators",
    "relative_pronouns",
    "source_links",
)
_KEYS = {"reporting_verbs", "pronouns", "possessive_pronouns", "titles", *_LISTS}
_VERB_KEYS = {"forms", "participles", "followed_by", "not_before_person", "note"}
_TITLE_KEYS = {"words", "role", "any_office", "note"}
_GENDERS = ("male", "female")


def phrase(text: str) -> Phrase:
    """The word tuple a phrase is matched as."""
    return tuple(fold(text).split())


@dataclass(frozen=True)
class Verb:
    """One reporting verb and the conditions under which it reports speech."""

    forms: tuple[str, ...]
    participles: tuple[str, ...] = ()
    followed_by: tuple[Phrase, ...] = ()
    not_before_person: bool = False


@dataclass
class SpeechLexicon:
    finite: dict[str, Verb] = field(default_factory=dict)  # "stressed" -> its verb
    participles: dict[str, Verb] = field(default_factory=dict)  # "stressing" -> its verb
    source_phrases: set[Phrase] = field(default_factory=set)
    subject_glue: set[Phrase] = field(default_factory=set)
    clause_openers: set[Phrase] = field(default_factory=set)
    parenthetical_openers: set[Phrase] = field(default_factory=set)
    turn_phrases: set[Phrase] = field(default_factory=set)
    pronouns: dict[str, str] = field(default_factory=dict)  # "he" -> "male"
    joint_subjects: set[Phrase] = field(default_factory=set)
    joint_markers: set[Phrase] = field(default_factory=set)
    joint_links: set[Phrase] = field(default_factory=set)
    titles: dict[Phrase, str] = field(default_factory=dict)  # ("lawmaker",) -> "Lawmaker"
    generic_roles: set[str] = field(default_factory=set)  # roles that stand for any office
    honorifics: set[Phrase] = field(default_factory=set)
    name_titles: set[Phrase] = field(default_factory=set)
    female_honorifics: set[Phrase] = field(default_factory=set)
    name_particles: set[Phrase] = field(default_factory=set)
    given_names: set[Phrase] = field(default_factory=set)
    not_name_words: set[Phrase] = field(default_factory=set)
    former_words: set[Phrase] = field(default_factory=set)
    not_after: set[Phrase] = field(default_factory=set)
    source_nouns: set[Phrase] = field(default_factory=set)
    naming_words: set[Phrase] = field(default_factory=set)
    coordinators: set[Phrase] = field(default_factory=set)
    relative_pronouns: set[Phrase] = field(default_factory=set)
    source_links: set[Phrase] = field(default_factory=set)
    possessives: dict[str, str] = field(default_factory=dict)  # "his" -> "male"

    def words(self, name: str) -> set[str]:
        """A one-word list (e.g. ``name_particles``) as a set of folded words."""
        return {p[0] for p in getattr(self, name) if len(p) == 1}


def load(path: str | Path) -> SpeechLexicon:
    """Read and validate content/speech.yaml; a missing file gives an empty lexicon."""
    path = Path(path)
    if not path.exists():
        return SpeechLexicon()
    data = yamlio.load(path)
    if data is None:
        return SpeechLexicon()
    return parse(data, path)


def _texts(check: yamlio.Checker, container, key, what: str) -> list[str]:
    items = container.get(key) if isinstance(container, dict) else container
    if items is None:
        return []
    check.sequence(items, container, key, what)
    for i, item in enumerate(items):
        if isinstance(item, bool):  # YAML reads a bare on/off/yes/no as true/false
            check.fail(items, i, f"{what}: {item!r} is not text — quote words like 'on' or 'no'")
        if not isinstance(item, str) or not fold(item):
            check.fail(items, i, f"an entry of {what} is empty or not text — write it or remove it")
    return list(items)


def parse(data, path: str | Path = "<speech>") -> SpeechLexicon:
    """Validate the parsed YAML document and build the :class:`SpeechLexicon`."""
    check = yamlio.Checker(path)
    check.mapping(data, data, None, "speech.yaml")
    check.known_keys(data, _KEYS, "speech.yaml")
    lex = SpeechLexicon()
    verbs = check.sequence(data.get("reporting_verbs") or [], data, "reporting_verbs", "x")
    for i, spec in enumerate(verbs):
        what = f"reporting verb #{i + 1}"
        check.mapping(spec, verbs, i, what)
        check.known_keys(spec, _VERB_KEYS, what)
        flag = check.flag(spec, "not_before_person", f"not_before_person in {what}")
        verb = Verb(
            forms=tuple(fold(f) for f in _texts(check, spec, "forms", f"'forms' of {what}")),
            participles=tuple(fold(f) for f in _texts(check, spec, "participles", what)),
            followed_by=tuple(phrase(f) for f in _texts(check, spec, "followed_by", what)),
            not_before_person=flag,
        )
        if not verb.forms:
            check.fail(spec, "forms", f"{what} has no 'forms' — add them, e.g. forms: [said, says]")
        for key, table, words in (
            ("forms", lex.finite, verb.forms),
            ("participles", lex.participles, verb.participles),
        ):
            for word in words:
                if " " in word:
                    check.fail(spec, key, f"{key} of {what} has {word!r} — write single words")
                if word in table:
                    check.fail(
                        spec,
                        key,
                        f"{word!r} is listed under two reporting verbs — keep it under one",
                    )
                table[word] = verb
    for key in _LISTS:
        setattr(lex, key, {phrase(t) for t in _texts(check, data, key, f"'{key}'")})
    for key, table in (("pronouns", lex.pronouns), ("possessive_pronouns", lex.possessives)):
        pronouns = check.mapping(data.get(key) or {}, data, key, f"'{key}'")
        check.known_keys(pronouns, set(_GENDERS), f"'{key}'")
        for gender in _GENDERS:
            for word in _texts(check, pronouns, gender, f"'{key}: {gender}'"):
                table[fold(word)] = gender
    titles = check.sequence(data.get("titles") or [], data, "titles", "'titles'")
    for i, spec in enumerate(titles):
        what = f"title #{i + 1}"
        check.mapping(spec, titles, i, what)
        check.known_keys(spec, _TITLE_KEYS, what)
        role = check.string(spec, "role", what, required=True)
        if check.flag(spec, "any_office", f"any_office in {what}"):
            lex.generic_roles.add(role)
        for word in _texts(check, spec, "words", f"'words' of {what}"):
            lex.titles.setdefault(phrase(word), role)
    return lex
