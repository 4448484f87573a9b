"""An edit of the people's aliases: which articles it may annotate otherwise.

The build keeps the annotations of every article an alias edit does not touch
(briefing/carryover.py); these tests hold the annotator to that promise on the seeds and
the held-out fixtures, with the project's own leaders.yaml.
"""

from __future__ import annotations

import copy
import dataclasses

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from briefing import annotate
from briefing.annotate.alias_edit import alias_edit, without_aliases
from briefing.knowledge import Knowledge
from briefing.knowledge.leaders import LeaderBase, Office
from briefing.read import read_article

from .conftest import FIXTURES, REPO, SEEDS, printed_under_hash_seeds


@pytest.fixture(scope="module")
def base(project) -> LeaderBase:
    return project.knowledge.leaders


@pytest.fixture(scope="module")
def cleaned(project) -> list:
    """The seeds and the held-out articles, cleaned, not annotated."""
    paths = sorted(SEEDS.glob("*.txt")) + sorted((FIXTURES / "heldout").glob("*.txt"))
    return [project.cleaner.clean(read_article(p)) for p in paths]


def edited(base: LeaderBase, pid: str, change) -> LeaderBase:
    """``base`` with ``change(aliases)`` done to the aliases of ``pid``, indexed again."""
    new = copy.deepcopy(base)
    change(new.people[pid].aliases)
    new.index()
    return new


def touched(edit, articles) -> list[str]:
    return [a.id for a in articles if edit.touches(a.text)]


def test_a_spelling_added_touches_only_the_texts_that_hold_it(base, cleaned):
    pid = next(p for p, x in base.people.items() if x.name == "Mustafa al-Kadhimi")
    edit = alias_edit(base, edited(base, pid, lambda a: a.append("Mustafa Al-Kazimy")))
    assert edit is not None
    assert touched(edit, cleaned) == []
    assert edit.touches("Prime Minister Mustafa Al-Kazimy said on Sunday.")
    assert edit.touches("MUSTAFA AL KAZIMY")  # any case, a space for the hyphen
    assert edit.touches("Mustafa AlKazimy")  # written as one word: the squashed spelling
    assert not edit.touches("Mustafa al-Kadhimi said on Sunday.")
    assert not edit.touches("Al-Kazimy said on Sunday.")  # not the whole spelling


def test_a_spelling_whose_first_word_started_no_name_touches_every_text_with_the_word(
    base, cleaned
):
    pid = next(p for p, x in base.people.items() if x.name == "Ebrahim Raisi")
    assert not any(s.lower().startswith("zzyzx") for x in base.people.values() for s in x.aliases)
    edit = alias_edit(base, edited(base, pid, lambda a: a.append("Zzyzx Raisi")))
    # "Zzyzx" now starts a name: any "Zzyzx" is read as a name may be
    assert edit.touches("Zzyzx said on Sunday.")
    assert not edit.touches("Raisi said on Sunday.")


def test_a_spelling_removed_touches_the_texts_that_hold_it(base, cleaned):
    pid = next(p for p, x in base.people.items() if x.name == "Mustafa al-Kadhimi")
    assert "Kadhimi" in base.people[pid].aliases
    edit = alias_edit(base, edited(base, pid, lambda a: a.remove("Kadhimi")))
    assert edit is not None
    holding = [a.id for a in cleaned if "kadhimi" in a.text.lower()]
    assert holding and touched(edit, cleaned) == holding


def test_a_spelling_shared_with_someone_else_touches_the_texts_that_hold_it(base, cleaned):
    """Its ids change: who "Sudani" may be is decided by context now."""
    pid = next(p for p, x in base.people.items() if x.name == "Ebrahim Raisi")
    edit = alias_edit(base, edited(base, pid, lambda a: a.append("Sudani")))
    assert edit is not None
    assert touched(edit, cleaned) == [a.id for a in cleaned if "sudani" in a.text.lower()]


def test_a_spelling_now_in_lower_case_touches_the_texts_with_its_first_word(base):
    """A lower-case first word ("al-Kadhimi") is worth a look when a capital follows."""
    pid = next(p for p, x in base.people.items() if x.name == "Ebrahim Raisi")
    edit = alias_edit(base, edited(base, pid, lambda a: a.append("ebrahim Raisi")))
    assert edit is not None
    assert edit.touches("and ebrahim said")


def test_aliases_reordered_or_unchanged_touch_no_text(base, cleaned):
    pid = next(p for p, x in base.people.items() if len(x.aliases) > 2)
    for change in (lambda a: None, lambda a: a.reverse()):
        edit = alias_edit(base, edited(base, pid, change))
        assert edit is not None and touched(edit, cleaned) == []


# what the annotator reads of a text: letters of many scripts, the apostrophes, hyphens,
# dots and spaces that fold to something else, characters that fold to several
_CHARS = list(
    "aAbZz09_ '\u2019`\u02bc-.\u2010\u2011\u2014\u00a0\n\u00e9\u00c9\u00df\u0130\ufb01\u33c2\u02bf\u0639,"
)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from([*_CHARS, "'s", "Al-", "Kazemi"]), max_size=40).map("".join))
def test_every_word_the_annotator_reads_is_a_piece_of_the_texts_image(project, text):
    """The touch test looks for spellings in :func:`image` of the text, not in its words:
    sound only if each word (and each run of joined words, squashed) is a piece of it."""
    from briefing.annotate.alias_edit import image
    from briefing.annotate.mentions import read_sentences
    from briefing.annotate.speakers import lexicon
    from briefing.model import Sentence

    seen = image(text)
    squashed = "".join(seen.split()).replace("-", "").replace(".", "")
    lex = lexicon(project.knowledge)
    for sw in read_sentences(text, [Sentence(0, len(text), text, 0, "paragraph")], 0, [], lex):
        run: list[str] = []
        for i in range(sw.a, sw.b):
            f = sw.f[i]
            if not sw.join[i] or i == sw.a or any(c in f for c in " -."):
                run = []
            if any(c in f for c in " -."):
                continue  # (no spelling has such a word)
            run.append(f)
            assert f in seen
            assert "".join(run) in squashed


def _person(base: LeaderBase, change) -> LeaderBase:
    new = copy.deepcopy(base)
    pid = next(p for p, x in new.people.items() if x.name == "Ebrahim Raisi")
    new.people[pid] = change(new.people[pid])
    new.index()
    return new


def _people_reordered(base: LeaderBase) -> LeaderBase:
    new = copy.deepcopy(base)
    new.people = dict(reversed(new.people.items()))
    new.index()
    return new


def _longer(base: LeaderBase) -> LeaderBase:
    longest = max(len(s.split()) for x in base.people.values() for s in [x.name, *x.aliases])
    pid = next(iter(base.people))
    return edited(base, pid, lambda a: a.append(" ".join(["Word"] * (longest + 1))))


def _country(base: LeaderBase) -> LeaderBase:
    new = copy.deepcopy(base)
    next(iter(new.countries.values())).adjectives.append("Newish")
    return new


OTHER_EDITS = [
    pytest.param(
        lambda b: _person(b, lambda x: dataclasses.replace(x, name="E. Raisi")), id="name"
    ),
    pytest.param(
        lambda b: _person(b, lambda x: dataclasses.replace(x, surname="Ebrahim")), id="surname"
    ),
    pytest.param(
        lambda b: _person(b, lambda x: dataclasses.replace(x, gender="female")), id="gender"
    ),
    pytest.param(
        lambda b: _person(
            b,
            lambda x: dataclasses.replace(
                x, offices=[dataclasses.replace(o, end="2099-01-01") for o in x.offices]
            ),
        ),
        id="term",
    ),
    pytest.param(
        lambda b: _person(
            b,
            lambda x: dataclasses.replace(
                x, offices=[*x.offices, Office("x", "Iran", "X", None, None)]
            ),
        ),
        id="office",
    ),
    pytest.param(_people_reordered, id="order of people"),
    pytest.param(_country, id="country"),
]


@pytest.mark.parametrize("change", OTHER_EDITS)
def test_any_other_edit_of_the_leaders_may_change_every_article(base, change):
    new = change(base)
    assert alias_edit(base, new) is None
    assert without_aliases(new) != without_aliases(base)  # and pages show it


def test_a_spelling_longer_than_any_may_change_every_article(base):
    """The annotator looks as many words ahead as the longest spelling has."""
    new = _longer(base)
    assert alias_edit(base, new) is None
    assert without_aliases(new) == without_aliases(base)  # pages do not show it


def test_the_leaders_without_aliases_are_the_same_in_every_process():
    script = (
        "from pathlib import Path; from briefing.knowledge import leaders; "
        "from briefing.annotate.alias_edit import without_aliases; "
        f"print(without_aliases(leaders.load(Path({str(REPO / 'content' / 'leaders.yaml')!r}))))"
    )
    assert len(printed_under_hash_seeds(script, (1, 2))) == 1


# -- the promise the build relies on -------------------------------------------------------
def _annotated(article, kb: Knowledge):
    article = copy.deepcopy(article)
    annotate.annotate(article, kb)
    return article


def _spellings(cleaned) -> list[str]:
    """Capitalised words of the texts, alone and two in a row: spellings an editor might add."""
    out = set()
    for a in cleaned:
        words = [w.strip(".,;:()'\"") for w in a.text.split()]
        capital = [w[:1].isupper() and w.isalpha() for w in words]
        out.update(w for w, c in zip(words, capital, strict=True) if c)
        out.update(
            f"{words[i]} {words[i + 1]}"
            for i in range(len(words) - 1)
            if capital[i] and capital[i + 1]
        )
    return sorted(out)


@pytest.fixture(scope="module")
def before(project, cleaned):
    """The knowledge, the articles annotated with it, the known speakers, the spellings."""
    kb = project.knowledge
    annotated = {a.id: _annotated(a, kb) for a in cleaned}
    speakers = sorted({sp.id for a in annotated.values() for sp in a.speakers if sp.known})
    return kb, annotated, speakers, _spellings(cleaned)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_an_article_an_alias_edit_does_not_touch_keeps_its_annotations(base, cleaned, before, data):
    """Annotated with the edited leaders, an article the edit does not touch has every
    annotation it had: speakers, statements, dates, themes."""
    kb, annotated, speakers, spellings = before
    pid = data.draw(st.sampled_from(speakers), label="person")
    what = data.draw(st.sampled_from(["add", "remove", "lower", "move"]), label="edit")
    aliases = base.people[pid].aliases

    def change(a: list[str]) -> None:
        if what == "add":
            a.append(data.draw(st.sampled_from(spellings)))
        elif what == "remove":
            assume(a)
            a.remove(data.draw(st.sampled_from(a)))
        elif what == "lower":
            assume(a)
            i = data.draw(st.integers(0, len(a) - 1))
            a[i] = a[i][:1].swapcase() + a[i][1:]
        else:  # another's spelling given to this person too
            other = data.draw(st.sampled_from(sorted(set(speakers) - {pid})))
            a.append(
                data.draw(st.sampled_from([base.people[other].name, *base.people[other].aliases]))
            )

    assume(aliases or what in ("add", "move"))
    new = edited(base, pid, change)
    edit = alias_edit(base, new)
    assume(edit is not None)
    assert without_aliases(new) == without_aliases(base)
    kb_new = dataclasses.replace(kb, leaders=new)  # (fields only: not kb's lexicon)
    for article in cleaned:
        if not edit.touches(article.text):
            assert _annotated(article, kb_new) == annotated[article.id], article.id
