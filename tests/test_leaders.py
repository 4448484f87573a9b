"""content/leaders.yaml: validation with path:line errors, and the lookup indexes."""

from __future__ import annotations

import textwrap

import pytest

from briefing.errors import BriefingError
from briefing.knowledge import leaders

from .conftest import FIXTURES, REPO

HEAD = """\
countries:
  Iran: {adjectives: [Iranian], names: [Iran], capital: Tehran}
  Iraq: {adjectives: [Iraqi], names: [Iraq]}
offices:
  president: {label: President, nouns: [president]}
  prime_minister: {label: Prime Minister, nouns: [prime minister, premier]}
people:
"""


def load_text(tmp_path, people: str, head: str = HEAD) -> leaders.LeaderBase:
    path = tmp_path / "leaders.yaml"
    path.write_text(head + textwrap.dedent(people), encoding="utf-8")
    return leaders.load(path)


def error(tmp_path, people: str, head: str = HEAD) -> BriefingError:
    with pytest.raises(BriefingError) as e:
        load_text(tmp_path, people, head)
    return e.value


def test_the_small_fixture_and_the_real_file_load():
    small = leaders.load(FIXTURES / "leaders_small.yaml")
    assert small.get("ebrahim-raisi").office_at("2022-01-01").role == "President of Iran"
    real = leaders.load(REPO / "content" / "leaders.yaml")
    assert "mustafa-al-kadhimi" in real.people


def test_a_missing_file_is_an_empty_base(tmp_path):
    assert leaders.load(tmp_path / "none.yaml").people == {}


def test_role_defaults_to_label_of_country(tmp_path):
    base = load_text(
        tmp_path,
        """\
        - id: hassan-rouhani
          name: Hassan Rouhani
          offices:
            - {office: president, country: Iran, start: 2013-08-03, end: 2021-08-03}
        """,
    )
    assert base.get("hassan-rouhani").offices[0].role == "President of Iran"


def test_the_united_states_reads_with_its_article(tmp_path):
    head = HEAD.replace(
        "  Iraq:", "  United States: {names: [United States, the United States]}\n  Iraq:"
    )
    base = load_text(
        tmp_path,
        """\
        - id: joe-biden
          name: Joe Biden
          offices: [{office: president, country: United States, start: 2021-01-20}]
        """,
        head,
    )
    assert base.get("joe-biden").offices[0].role == "President of the United States"


@pytest.mark.parametrize(
    ("people", "line", "words"),
    [
        ("- {id: a-b, name: A B, nickname: x}\n", 8, "unknown key 'nickname'"),
        (
            "- id: a-b\n  name: A B\n  offices: [{office: king, country: Iran}]\n",
            10,
            "unknown office 'king'",
        ),
        (
            "- id: a-b\n  name: A B\n  offices: [{office: president, country: Syria}]\n",
            10,
            "unknown country 'Syria'",
        ),
        (
            "- id: a-b\n  name: A B\n  offices: [{office: president, country: Iran, start: 2021-02-30}]\n",
            10,
            "not a date",
        ),
        (
            "- id: a-b\n  name: A B\n  offices: [{office: president, country: Iran, start: 20210-01-01}]\n",
            10,
            "not a date",
        ),
        (
            "- id: a-b\n  name: A B\n  offices: [{office: president, country: Iran, start: 1021-01-01}]\n",
            10,
            "implausible",
        ),
        (
            "- id: a-b\n  name: A B\n  offices: [{office: president, country: Iran, start: 2021-01-01, end: 2020-01-01}]\n",
            10,
            "before it starts",
        ),
        ("- {id: A B, name: A B}\n", 8, "not a slug"),
        ("- {id: a-b}\n", 8, "has no 'name'"),
        ("- {id: a-b, name: A B, gender: x}\n", 8, "male or female"),
        ("- {id: a-b, name: A B, wikidata: 42}\n", 8, "Q42"),
        ("- {id: a-b, name: A B, aliases: Ab}\n", 8, "is not a list"),
        ("- {id: a-b, name: A B}\n- {id: a-b, name: A C}\n", 9, "duplicate person id"),
        ("- {id: a-b, name: A B, surname: C}\n", 8, "is not a word of"),
    ],
)
def test_errors_name_the_line_and_the_fix(tmp_path, people, line, words):
    e = error(tmp_path, people)
    assert e.line == line and words in e.message
    assert e.format().startswith(f"{tmp_path / 'leaders.yaml'}:{line}: ")


def test_overlapping_terms_of_one_office(tmp_path):
    e = error(
        tmp_path,
        """\
        - id: a-b
          name: A B
          offices:
            - {office: president, country: Iran, start: 2013-08-03, end: 2017-08-03}
            - {office: president, country: Iran, start: 2017-08-01, end: 2021-08-03}
        """,
    )
    assert e.line == 12 and "overlap" in e.message


def test_successive_terms_and_different_offices_may_meet(tmp_path):
    base = load_text(
        tmp_path,
        """\
        - id: a-b
          name: A B
          offices:
            - {office: president, country: Iran, start: 2013-08-03, end: 2017-08-03}
            - {office: president, country: Iran, start: 2017-08-04, end: 2021-08-03}
            - {office: prime_minister, country: Iraq, start: 2015-01-01, end: 2016-01-01}
        """,
    )
    assert len(base.get("a-b").offices) == 3


def test_unknown_top_level_and_country_keys(tmp_path):
    empty = HEAD.replace("people:\n", "people: []\n")
    assert "unknown key 'leaders'" in error(tmp_path, "leaders: []\n", empty).message
    e = error(tmp_path, "", empty.replace("capital: Tehran}", "capital: Tehran, flag: green}"))
    assert e.line == 2 and "unknown key 'flag'" in e.message


def test_an_alias_two_people_share_is_allowed_and_indexed_for_both(tmp_path):
    base = load_text(
        tmp_path,
        """\
        - {id: fuad-hussein, name: Fuad Hussein, aliases: [Hussein]}
        - {id: saddam-hussein, name: Saddam Hussein, aliases: [Hussein]}
        """,
    )
    assert [p.id for p in base.by_alias("hussein")] == ["fuad-hussein", "saddam-hussein"]
    assert [p.id for p in base.by_alias("Saddam  HUSSEIN")] == ["saddam-hussein"]


def test_spelling_variants_fold_alike():
    base = leaders.load(FIXTURES / "leaders_small.yaml")
    assert [p.id for p in base.by_alias("Al-Kazemi")] == ["mustafa-al-kadhimi"]
    assert [p.id for p in base.by_alias("al kazemi")] == ["mustafa-al-kadhimi"]
    assert leaders.fold("Es\u2019haq  Jahangiri") == "es'haq jahangiri"
    # Unicode hyphens and dashes split words as the ASCII hyphen does, before the ASCII step
    assert leaders.fold("Al\u2011Kazemi") == leaders.fold("al\u2013kazemi") == "al kazemi"


def test_holders_of_an_office_at_a_date_and_in_a_window():
    base = leaders.load(FIXTURES / "leaders_small.yaml")
    assert [p.id for p in base.holders_at("president", "Iran", "2020-01-01")] == ["hassan-rouhani"]
    assert [p.id for p in base.holders_at("president", "Iran", "2022-01-01")] == ["ebrahim-raisi"]
    both = base.holders("president", "Iran", "2021-01-01", "2021-12-31")
    assert {p.id for p in both} == {"ebrahim-raisi", "hassan-rouhani"}
    assert [p.id for p in base.holders_at("prime_minister", "Iraq", "2019-01-01")] == []
    # open-ended terms: still in office
    assert [p.id for p in base.holders_at("foreign_minister", "Iraq", "2030-01-01")] == [
        "fuad-hussein"
    ]


def test_the_family_name_is_the_last_word_unless_given(tmp_path):
    base = load_text(
        tmp_path,
        """\
        - {id: wang-yi, name: Wang Yi, surname: Wang}
        - {id: ebrahim-raisi, name: Ebrahim Raisi}
        """,
    )
    assert base.get("wang-yi").family_name == "Wang"
    assert base.get("ebrahim-raisi").family_name == "Raisi"
