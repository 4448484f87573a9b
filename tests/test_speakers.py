"""Speakers: who said what, across spellings, pronouns and titles.

Each test is a few sentences of wire copy and what the annotator must make of them.
The knowledge base is the small fixture tests/fixtures/leaders_small.yaml; the speech
lexicon is the project's own content/speech.yaml.
"""

from __future__ import annotations

import dataclasses

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import segment
from briefing.annotate import speakers
from briefing.errors import BriefingError
from briefing.knowledge import Knowledge, dateres, leaders, speech, themes
from briefing.model import Article, Block, Sentence

from .conftest import FIXTURES, REPO


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return Knowledge(
        leaders=leaders.load(FIXTURES / "leaders_small.yaml"),
        themes=themes.Taxonomy(),
        dates=dateres.DateResources(),
        speech=speech.load(REPO / "content" / "speech.yaml"),
    )


def make(text: str, published: str | None = None, headings=(), captions=()) -> Article:
    """An article whose paragraphs are separated by blank lines."""
    art = Article(id="t", source="t.txt", title="t", text=text, slug="t", published=published)
    pos = 0
    for part in text.split("\n\n"):
        start = text.index(part, pos)
        end = start + len(part)
        pos = end
        kind = "heading" if part in headings else "caption" if part in captions else "paragraph"
        art.blocks.append(Block(kind, start, end))
        for s, e in segment.split(text, start, end):
            art.sentences.append(Sentence(s, e, text[s:e], len(art.blocks) - 1, kind))
    return art


def run(kb, text: str, **kw) -> Article:
    art = make(text, **kw)
    speakers.annotate(art, kb)
    check_offsets(art)
    return art


def check_offsets(art: Article) -> None:
    for sp in art.speakers:
        for x in [*sp.mentions, *sp.quotes, *sp.statements]:
            assert art.text[x.start : x.end] == x.text
    for p in art.people:
        for x in p.mentions:
            assert art.text[x.start : x.end] == x.text


def said(art: Article) -> dict[str, int]:
    """Speaker name -> number of statements."""
    return {sp.name: len(sp.statements) for sp in art.speakers}


def quotes(art: Article) -> dict[str, list[str]]:
    return {sp.name: [q.text for q in sp.quotes] for sp in art.speakers}


def speaker(art: Article, name: str):
    return next(sp for sp in art.speakers if sp.name == name)


# -- names, spellings, titles -------------------------------------------------------------


def test_a_surname_and_a_spelling_variant_are_the_same_known_person(kb):
    art = run(kb, "Mustafa al-Kazemi said Iraq is ready. Al-Kadhimi added that talks will go on.")
    assert said(art) == {"Mustafa al-Kadhimi": 2}
    sp = art.speakers[0]
    assert sp.known and sp.id == "mustafa-al-kadhimi"
    assert {m.text for m in sp.mentions} == {"Mustafa al-Kazemi", "Al-Kadhimi"}


@pytest.mark.parametrize("dash", ["\u2010", "\u2011", "\u2013"])
def test_an_alias_written_with_a_unicode_dash_reads_like_one_with_a_hyphen(kb, tmp_path, dash):
    # Copied from a web page, "al‐Kazemi" may carry U+2010 or U+2011; the name it spells
    # is the one in the text written with an ASCII hyphen, and the other way round.
    path = tmp_path / "leaders.yaml"
    small = (FIXTURES / "leaders_small.yaml").read_text(encoding="utf-8")
    path.write_text(small.replace("al-Kazemi, Kazemi,", f"al{dash}Kazemi,"), encoding="utf-8")
    edited = dataclasses.replace(kb, leaders=leaders.load(path))
    art = run(edited, f"Al-Kazemi said Iraq is ready. Al{dash}Kazemi added that talks go on.")
    assert said(art) == {"Mustafa al-Kadhimi": 2}


def test_title_and_name_give_the_role_at_the_date(kb):
    art = run(kb, "President Raisi praised Iraq's efforts to host the talks.")
    sp = speaker(art, "Ebrahim Raisi")
    assert (sp.role, sp.country) == ("President of Iran", "Iran")
    assert sp.statements[0].cue == "praised"
    assert sp.mentions[0].text == "President Raisi"


def test_an_abbreviated_title_fits_a_longer_office(kb):
    art = run(kb, "VP Jahangiri said the region has become more insecure.")
    assert speaker(art, "Eshaq Jahangiri").role == "First Vice President of Iran"


def test_an_unknown_minister_is_named_as_in_the_text_and_his_surname_links(kb):
    art = run(
        kb,
        "Iraqi Foreign Minister Hamid Karimi said Baghdad wants calm. "
        "Karimi added that the talks would resume.",
    )
    sp = speaker(art, "Hamid Karimi")
    assert not sp.known and sp.id == "hamid-karimi"
    assert (sp.role, sp.country) == ("Foreign Minister of Iraq", "Iraq")
    assert len(sp.statements) == 2


def test_an_unknown_lawmaker_with_a_lower_case_title(kb):
    art = run(kb, "Kurdish lawmaker Sherwan Dubardani said the vote was delayed.")
    sp = speaker(art, "Sherwan Dubardani")
    assert sp.role == "Kurdish lawmaker" and sp.id == "sherwan-dubardani"


def test_an_unknown_person_in_apposition_before_the_verb(kb):
    art = run(kb, "Sherwan Dubardani, a Kurdish lawmaker, told reporters the vote was delayed.")
    assert said(art) == {"Sherwan Dubardani": 1}


def test_an_unknown_pair_of_names_as_subject_of_a_reporting_verb(kb):
    art = run(kb, "Rebwar Taha said the Kurdistan Region would not pay the bill.")
    assert said(art) == {"Rebwar Taha": 1}


def test_an_ambiguous_surname_goes_to_the_person_named_in_full(kb):
    art = run(
        kb,
        "Iraqi Foreign Minister Fuad Hussein met his counterpart on Monday. "
        "Hussein said the meeting was fruitful.",
    )
    assert said(art) == {"Fuad Hussein": 1}


def test_a_name_inside_a_longer_name_is_not_the_known_person(kb):
    art = run(kb, "Imam Hussein was martyred in Karbala, Raisi said.")
    assert said(art) == {"Ebrahim Raisi": 1}
    assert [p.name for p in art.people] == ["Imam Hussein"]


# -- role nouns ---------------------------------------------------------------------------


def test_a_role_noun_is_the_named_holder_of_that_office(kb):
    art = run(
        kb,
        "Iranian President Ebrahim Raisi and the Iraqi Prime Minister Mustafa al-Kadhimi "
        "talked on Saturday. The Iraqi premier said that Baghdad aspires to expand relations.",
    )
    assert said(art) == {"Mustafa al-Kadhimi": 1}
    assert speaker(art, "Mustafa al-Kadhimi").mentions[-1].kind == "role"


def test_a_role_noun_may_come_before_the_name(kb):
    art = run(
        kb,
        "Emphasizing that unity in Iraq is a priority for Iran, the Iranian President said "
        "that Iran opposes any foreign interference.\n\n"
        "Hassan Rouhani spoke by phone with Iraqi Prime Minister Mustafa al-Kazemi.",
    )
    assert said(art) == {"Hassan Rouhani": 1}


def test_the_office_of_country_form_and_an_apposition(kb):
    art = run(
        kb,
        "The Prime Minister of Iraq, Mustafa al-Kazemi, mentioned Iran as a good friend "
        "and neighbor of Iraq.",
    )
    assert said(art) == {"Mustafa al-Kadhimi": 1}
    assert speaker(art, "Mustafa al-Kadhimi").statements[0].cue == "mentioned"


def test_a_country_possessive_role_noun(kb):
    art = run(
        kb,
        "Iran's first vice president says relations with Iraq should be expanded.\n\n"
        "Mohammad Mokhber made the remarks in a meeting with Kadhimi.",
    )
    assert said(art) == {"Mohammad Mokhber": 1}
    assert speaker(art, "Mohammad Mokhber").statements[0].cue == "says"


def test_a_role_noun_without_a_name_resolves_by_the_publication_date(kb):
    art = run(
        kb, "The Iraqi prime minister said the elections would be held.", published="2021-06-01"
    )
    assert said(art) == {"Mustafa al-Kadhimi": 1}


def test_the_president_is_the_president_of_the_conversation(kb):
    art = run(
        kb,
        "In July, US President Joe Biden announced a new mission.\n\n"
        "President Raisi received the Iraqi premier Kadhimi on Sunday. "
        "The president said the US forces must leave.",
    )
    assert said(art)["Ebrahim Raisi"] == 1


def test_the_date_decides_which_president_a_role_noun_means(kb):
    art = run(kb, "The Iranian president said the talks will continue.", published="2020-03-01")
    assert said(art) == {"Hassan Rouhani": 1}


# -- pronouns -----------------------------------------------------------------------------


def test_he_is_the_subject_of_the_previous_statement(kb):
    art = run(
        kb,
        "Rouhani stressed the need for cooperation. Kadhimi's visit was his first. "
        "He also said that sanctions must end.",
    )
    assert said(art) == {"Hassan Rouhani": 2}


def test_for_his_part_he_is_the_other_party(kb):
    art = run(
        kb,
        "Raisi said Iran backs Iraq's stability. Kadhimi was in Tehran.\n\n"
        "Raisi added that trade must grow.\n\n"
        "For his part, he said Iraq will pay its gas debts.",
    )
    assert said(art) == {"Ebrahim Raisi": 2, "Mustafa al-Kadhimi": 1}


def test_a_pronoun_after_a_named_subject_in_his_own_sentence(kb):
    art = run(kb, "Kadhimi said he would visit Tehran soon.")
    sp = speaker(art, "Mustafa al-Kadhimi")
    assert [m.kind for m in sp.mentions] == ["name", "pronoun"]


def test_a_clause_initial_subject_is_salient_even_without_speech(kb):
    art = run(
        kb, "Raisi said the region is calm.\n\nKadhimi landed in Tehran.\n\nHe said ties are deep."
    )
    assert said(art) == {"Ebrahim Raisi": 1, "Mustafa al-Kadhimi": 1}


# -- direct speech ------------------------------------------------------------------------


def test_a_quote_after_said_and_a_colon(kb):
    art = run(kb, 'Rouhani added: "Improving economic relations is very important for us."')
    assert quotes(art) == {
        "Hassan Rouhani": ["Improving economic relations is very important for us."]
    }
    assert speaker(art, "Hassan Rouhani").statements[0].kind == "direct"


def test_a_quote_before_its_reporting_clause(kb):
    art = run(
        kb,
        "Raisi spoke on Saturday.\n\n"
        "\u201cThe problems in the region are the result of the Americans' extravagance,\u201d he asserted.",
    )
    sp = speaker(art, "Ebrahim Raisi")
    assert len(sp.quotes) == 1 and sp.statements[0].cue == "asserted"
    assert sp.quotes[0].text.startswith("The problems")


def test_an_inverted_reporting_clause(kb):
    art = run(kb, "\u201cWe will never accept foreign troops on our soil,\u201d said Kadhimi.")
    assert said(art) == {"Mustafa al-Kadhimi": 1}


def test_a_quote_inside_an_indirect_statement_is_mixed(kb):
    art = run(
        kb,
        "Raisi praised the Iraqi government's efforts to host talks and noted, "
        "\u201cThe Islamic Republic of Iran is ready to continue these talks.\u201d",
    )
    st = speaker(art, "Ebrahim Raisi").statements[0]
    assert (st.kind, st.cue) == ("mixed", "praised")


def test_a_quote_that_runs_over_sentences_belongs_to_one_speaker(kb):
    art = run(
        kb,
        "\u201cWe oppose any interference. The region must solve its own problems. "
        "Foreign forces bring only insecurity,\u201d Rouhani said.",
    )
    assert said(art) == {"Hassan Rouhani": 3}
    assert len(quotes(art)["Hassan Rouhani"]) == 1


def test_a_quote_continued_in_the_next_paragraph(kb):
    art = run(
        kb,
        "Mokhber said: \u201cRelations between the two countries are essential for security.\n\n"
        "\u201cBilateral cooperation must expand at all levels.\u201d\n\n"
        "The meeting ended at noon.",
    )
    assert said(art) == {"Mohammad Mokhber": 2}
    assert len(quotes(art)["Mohammad Mokhber"]) == 1


def test_an_unattributed_quote_continues_the_current_speaker(kb):
    art = run(
        kb,
        "\u201cIraq will not be a launch pad for attacks on its neighbours,\u201d Kadhimi said. "
        "\u201cWe want good relations with everyone in the region.\u201d",
    )
    assert said(art) == {"Mustafa al-Kadhimi": 2}
    assert len(quotes(art)["Mustafa al-Kadhimi"]) == 2


def test_an_interrupted_quote_is_two_quotations(kb):
    # one pair of marks, one quotation (the gold convention), in one statement
    art = run(
        kb,
        "\u201cWe are ready,\u201d Raisi said, \u201cto continue these talks with our neighbours.\u201d",
    )
    assert quotes(art) == {
        "Ebrahim Raisi": ["We are ready,", "to continue these talks with our neighbours."]
    }
    assert said(art) == {"Ebrahim Raisi": 1}


def test_mixed_quotation_marks_and_a_stray_closing_mark(kb):
    art = run(
        kb,
        'Rouhani stressed, "We expect Iraq to be active on the issue of Palestine.\u201d\n\n'
        '"We oppose any foreign interference in Iraq," he said, emphasizing that security '
        'is a priority for Iran."',
    )
    assert said(art) == {"Hassan Rouhani": 2}
    assert len(quotes(art)["Hassan Rouhani"]) == 2


def test_apostrophes_are_not_quotation_marks(kb):
    art = run(
        kb,
        "Raisi said Iran\u2019s stance on the Americans' presence and the Saudis\u2019 role "
        "has not changed at all since last year.",
    )
    assert quotes(art) == {"Ebrahim Raisi": []}


def test_short_partial_quotes_are_quotations(kb):
    art = run(kb, 'Kadhimi praised the "resistance" and the \u201cbrave fighters\u201d of Iraq.')
    sp = speaker(art, "Mustafa al-Kadhimi")
    assert [q.text for q in sp.quotes] == ["resistance", "brave fighters"]
    assert sp.statements[0].kind == "mixed"  # a few quoted words in a sentence of its own


@pytest.mark.parametrize(
    "text",
    [
        'Kadhimi said the so-called "axis of resistance" was weakened.',
        'Kadhimi said the "Development Road" project would link the Gulf to Europe.',
        "Kadhimi said the railway, dubbed \u201cthe new silk road\u201d, would open soon.",
    ],
)
def test_quotation_marks_around_a_name_are_no_quotation(kb, text):
    art = run(kb, text)
    assert quotes(art) == {"Mustafa al-Kadhimi": []}


def test_a_quotation_goes_to_the_person_whose_verb_precedes_it(kb):
    art = run(
        kb,
        "Kadhimi said Iraq is ready. On Monday, Raisi said the talks had been "
        "\u201cconstructive\u201d, and Kadhimi described them as \u201ca new chapter\u201d.",
    )
    # the sentence is Raisi's statement; each quotation is its own verb's subject's
    assert quotes(art) == {
        "Mustafa al-Kadhimi": ["a new chapter"],
        "Ebrahim Raisi": ["constructive"],
    }
    art = run(
        kb, "Raisi said \u201cwe are ready\u201d, adding that Iraq was \u201ca brother\u201d."
    )
    assert quotes(art) == {"Ebrahim Raisi": ["we are ready", "a brother"]}


def test_one_capitalised_word_with_its_punctuation_is_a_quotation(kb):
    art = run(kb, "\u201cUnacceptable,\u201d Kadhimi said of the strikes.")
    assert quotes(art) == {"Mustafa al-Kadhimi": ["Unacceptable,"]}


def test_quotes_in_guillemets_and_single_marks(kb):
    art = run(
        kb,
        "Raisi said: \u00abIran is ready to continue these talks until a result.\u00bb\n\n"
        "Kadhimi said: \u2018Iraq will host the next round of talks in Baghdad.\u2019",
    )
    assert {k: len(v) for k, v in quotes(art).items()} == {
        "Ebrahim Raisi": 1,
        "Mustafa al-Kadhimi": 1,
    }


# -- reported speech ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Raisi stressed that the relations are distinguished.", "stressed"),
        ("Raisi noted that Iraq has allocated a quota of pilgrims.", "noted"),
        ("Raisi lamented the recent attacks on diplomatic facilities.", "lamented"),
        ("Raisi urged Iraq to expel American forces.", "urged"),
        ("Raisi called for the release of Iran's frozen funds.", "called for"),
        ("Raisi welcomed Baghdad's positive role as a mediator.", "welcomed"),
        ("Raisi condemned the attack on the embassy.", "condemned"),
        ("At the same time, Raisi commended Iraq's stances.", "commended"),
        ("Raisi reiterated his condemnation of any action against Iraq.", "reiterated"),
        ("Raisi pointed to the successful experience of the two countries.", "pointed to"),
        ("Raisi expressed hope that the talks would succeed.", "expressed"),
        ("Raisi emphasised the need for dialogue.", "emphasised"),
        ("Raisi emphasized the need for dialogue.", "emphasized"),
        ("Raisi warned against foreign interference.", "warned"),
        ("Raisi underlined the role of the two nations.", "underlined"),
        ("Raisi voiced Iran's readiness to help.", "voiced"),
        ("Raisi thanked the Iraqi government for hosting the conference.", "thanked"),
        ("Raisi congratulated the Iraqi people on Eid al-Fitr.", "congratulated"),
        ("Raisi appreciated the cooperation of Iraq.", "appreciated"),
        ("Raisi described the sanctions as illegal and oppressive.", "described"),
        ("Raisi told reporters that the talks went well.", "told"),
        ("Raisi announced that Iran will open a consulate in Basra.", "announced"),
        ("Raisi affirmed Iran's support for Iraq.", "affirmed"),
        ("Raisi remarked that the meeting was useful.", "remarked"),
        ("According to Raisi, Iran opposes the sanctions against Iraq.", "According to"),
        ("Referring to the pandemic, Raisi said that Iraq did well.", "said"),
        ("Stating that Iraq matters, Raisi said the two should cooperate.", "said"),
        ("Raisi, for his part, said that the two countries should cooperate.", "said"),
        ("Raisi was quoted as saying that Iran is ready.", "saying"),
        ("The statement quoted Raisi as saying that Iran is ready.", "saying"),
        ("Raisi, quoted by IRNA, said the US must leave the region.", "said"),
        ("In a tweet, Raisi wrote that the talks are progressing.", "wrote"),
        ("Iranian President Raisi on Sunday called for closer ties with Iraq.", "called for"),
        (
            "Raisi in a phone call with Kadhimi on Saturday, referring to trade, added: more.",
            "added",
        ),
        # the source after "according to" and a statement, with or without a comma
        ("According to a statement by Raisi the two countries will expand trade.", "According to"),
        ("According to a statement from Raisi's office, Iran will expand trade.", "According to"),
        # a second verb joined to the subject of the main clause
        (
            "Raisi briefed Kadhimi on the talks, held in Muscat on April 12, and said Iran "
            "acted in good faith.",
            "said",
        ),
        # a participle is not owned by a finite verb inside its own clause
        ("Raisi briefed Kadhimi on the summit, saying that Iraq had called for calm.", "saying"),
        ("Raisi offered condolences over the victims of the attack.", "offered condolences"),
        ("Raisi extended his congratulations on the new year.", "extended his congratulations"),
    ],
)
def test_reporting_constructions(kb, text, cue):
    art = run(kb, text)
    sp = speaker(art, "Ebrahim Raisi")
    assert [(s.kind, s.cue) for s in sp.statements] == [("indirect", cue)]


def test_a_name_in_apposition_to_a_role_is_a_person(kb):
    art = run(
        kb,
        "In the same context, the Greek Prime Minister, Kyriakos Mitsotakis, offered "
        "condolences.\n\nA readout issued by Kadhimi's office said that Mitsotakis expressed "
        '"Greece\'s solidarity with Iraq in its war on the remnants of terrorism."',
    )
    sp = speaker(art, "Kyriakos Mitsotakis")
    assert len(sp.statements) == 2 and len(sp.quotes) == 1  # offered condolences; expressed
    assert sp.role == "Greek Prime Minister"


def test_a_name_followed_by_a_role_in_apposition_is_a_person(kb):
    art = run(kb, "Renad Mansour, a senior research fellow at Chatham House, was not surprised.")
    assert [p.name for p in art.people] == ["Renad Mansour"]


def test_a_misspelt_title_before_a_known_name(kb):
    art = run(kb, "In a call with Kadhimi, Presdient Rouhani congratulated him on Eid.")
    assert said(art) == {"Hassan Rouhani": 1}


def test_a_place_named_after_someone_is_not_them(kb):
    art = run(kb, "Raisi condemned the blast in Saddam City on Monday.")
    assert said(art) == {"Ebrahim Raisi": 1} and art.people == []


def test_a_generic_title_with_a_country_is_that_country_s_leader(kb):
    art = run(
        kb,
        "President Raisi met Iraqi Prime Minister Mustafa al-Kadhimi in Tehran.\n\n"
        "The Iraqi leader called for efforts to remove the obstacles to trade. "
        "The Iranian chief executive also said Iran is ready.",
    )
    assert said(art) == {"Ebrahim Raisi": 1, "Mustafa al-Kadhimi": 1}


def test_a_quotation_the_statement_carries_is_no_one_s(kb):
    art = run(
        kb,
        "Raisi, in turn, spoke of the need to develop relations.\n\n"
        "\u201cThe Islamic Republic of Iran assisted the Kurdistan Region at difficult times,"
        "\u201d the statement detailed.",
    )
    assert said(art) == {"Ebrahim Raisi": 1} and quotes(art) == {"Ebrahim Raisi": []}


def test_a_participle_right_after_its_subject(kb):
    art = run(
        kb,
        "Masrour Barzani received the envoy on Sunday.\n\nThe two spoke about the issues with "
        "Barzani telling the envoy that Iran could play a positive role, according to a statement.",
    )
    assert said(art) == {"Masrour Barzani": 1}


def test_spacing_and_hyphens_in_a_known_name_vary(kb):
    art = run(kb, "Ambassador Mohammad-Kazem Ale-Sadegh said Iran will keep supplying gas.")
    assert said(art) == {"Mohammad Kazem Al-e Sadegh": 1}


def test_a_titled_name_after_a_possessive_is_the_speaker(kb):
    art = run(kb, "Kadhimi's spokesman Hassan Nazim said the visit was postponed.")
    assert said(art) == {"Hassan Nazim": 1}
    assert [p.name for p in art.people] == ["Mustafa al-Kadhimi"]


def test_a_sentence_counts_once_and_for_one_person(kb):
    art = run(
        kb,
        "Raisi said Iran is ready and added that talks must go on, stressing patience. "
        "Raisi said trade must grow, while Kadhimi stressed security.",
    )
    assert said(art) == {"Ebrahim Raisi": 2}


# -- what is not a statement ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The two officials emphasised the need to expand cooperation.",
        "During the call, the two sides discussed regional issues.",
        "Raisi and Kadhimi stressed the importance of the talks.",
        "In July, US President Joe Biden and Kadhimi declared that the mission will change.",
        "\u201cThe delegations decided that there will be no US forces with a combat role in "
        "Iraq,\u201d Baghdad and Washington said in a joint statement.",
        "Mohammad Mokhber made the remarks in a Sunday meeting with Kadhimi in Tehran.",
        "Iranian officials have repeatedly called on neighboring Iraq to expel all American forces.",
        "The Iraqi Foreign Ministry said in a statement that the talks were constructive.",
        "The Arab League said the summit will be held in Baghdad.",
        "The Islamic Republic has always stressed its support for Iraq.",
        "The Popular Mobilization Units said they would not lay down their arms.",
        "Raisi welcomed the visiting Iraqi prime minister at the airport.",
        "Raisi called Kadhimi on Sunday.",
        "Raisi's office said the visit was postponed.",
        "Press TV reported that Kadhimi arrived in Tehran.",
        "Iraq was praised by Raisi for hosting the talks.",
        "Kadhimi's visit to Tehran is his first since Raisi was sworn in as Iran's new president.",
        "Both Raisi and Kadhimi stressed the need for cooperation.",
        "Raisi along with Kadhimi stressed the need for cooperation.",
        "Raisi and his Iraqi counterpart stressed the need for cooperation.",
        "The two presidents, in a joint statement, stressed the need for cooperation.",
        "The Iraqi foreign minister's visit was welcomed by Raisi.",
        "\u201cNeither side can afford a cold relationship,\u201d said a former diplomat.",
        "Analysts in Tehran and Baghdad said the visit showed that both wanted calm.",
        "According to a statement from the Iraqi Foreign Ministry, the talks were constructive.",
        "According to a statement, the talks were constructive.",
        "The two sides discussed trade, and stressed the need for peace.",
        "Raisi offered a plan for the talks.",
        "Biden met the delegation, who said the talks went well.",
        "The top Iraqi officials said the talks went well.",
        "Wang said China backs the deal.",  # a bare surname, never given in full
    ],
)
def test_no_one_speaks_in(kb, text):
    assert said(run(kb, text)) == {}


def test_headlines_and_captions_are_not_statements(kb):
    text = (
        "Raisi says Iran is ready to help Iraq\n\n"
        "Raisi (R) meets Kadhimi in Tehran, saying ties are deep.\n\n"
        "Raisi said the region is calm."
    )
    art = run(
        kb,
        text,
        headings=("Raisi says Iran is ready to help Iraq",),
        captions=("Raisi (R) meets Kadhimi in Tehran, saying ties are deep.",),
    )
    assert said(art) == {"Ebrahim Raisi": 1}


def test_a_joint_statement_quote_goes_to_no_one(kb):
    art = run(
        kb,
        "Kadhimi added that most American forces will leave.\n\n"
        "\u201cThe delegations decided that there will be no US forces with a combat role,\u201d "
        "Baghdad and Washington said in a joint statement on July 26.",
    )
    assert said(art) == {"Mustafa al-Kadhimi": 1}
    assert quotes(art) == {"Mustafa al-Kadhimi": []}


# -- people who do not speak ----------------------------------------------------------------


def test_people_mentioned_but_silent(kb):
    art = run(
        kb,
        "Calls for the expulsion of US forces have soared since the assassination of Iran's "
        "top anti-terror commander Qassem Soleimani in early 2020.\n\n"
        "In July, US President Joe Biden and Kadhimi declared a new mission.\n\n"
        "Kadhimi noted that pilgrims will visit the shrine of Imam Hussein (AS).",
    )
    assert said(art) == {"Mustafa al-Kadhimi": 1}
    assert [p.name for p in art.people] == ["Qassem Soleimani", "Joe Biden", "Imam Hussein"]
    biden = next(p for p in art.people if p.name == "Joe Biden")
    assert biden.role == "President of the United States"


def test_role_from_the_overlap_of_the_speakers_terms(kb):
    art = run(
        kb,
        "Jahangiri said the region is insecure. Mustafa al-Kazemi, for his part, said "
        "the two countries should strengthen their cooperation.",
    )
    assert said(art) == {"Eshaq Jahangiri": 1, "Mustafa al-Kadhimi": 1}
    assert speaker(art, "Mustafa al-Kadhimi").role == "Prime Minister of Iraq"


def test_an_ambiguous_surname_goes_to_the_person_in_office_at_the_date(kb):
    art = run(kb, "Hussein said Iraq will host the talks.", published="2022-03-01")
    assert said(art) == {"Fuad Hussein": 1}


# -- content/speech.yaml ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml_text", "line", "words"),
    [
        ("cue_verbs: []\n", 1, "unknown key 'cue_verbs'"),
        ("reporting_verbs:\n  - {forms: [called], followed_by: [for, on]}\n", 2, "quote words"),
        ("reporting_verbs:\n  - {forms: [said]}\n  - {forms: [said]}\n", 3, "two reporting verbs"),
        ("reporting_verbs:\n  - {participles: [saying]}\n", 2, "has no 'forms'"),
        ("titles:\n  - {words: [lawmaker]}\n", 2, "has no 'role'"),
        ("pronouns: {neuter: [it]}\n", 1, "unknown key 'neuter'"),
    ],
)
def test_speech_yaml_errors_name_the_line(tmp_path, yaml_text, line, words):
    path = tmp_path / "speech.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(BriefingError) as e:
        speech.load(path)
    assert e.value.line == line and words in e.value.message


def test_the_project_speech_lexicon_loads():
    lex = speech.load(REPO / "content" / "speech.yaml")
    assert lex.finite["stressed"].participles == ("stressing",)
    assert lex.pronouns == {"he": "male", "she": "female"}


# -- names the knowledge base leaves ambiguous --------------------------------------------------


def test_a_shared_surname_is_the_barzani_named_in_full(kb):
    art = run(
        kb,
        "Kurdistan Region Prime Minister Masrour Barzani received the envoy on Tuesday. "
        "Barzani stressed the importance of dialogue with Baghdad.",
    )
    assert said(art) == {"Masrour Barzani": 1}
    assert speaker(art, "Masrour Barzani").role == "Prime Minister of Kurdistan Region"


def test_a_surname_with_a_lower_case_particle(kb):
    art = run(
        kb,
        "Ammar al-Hakim met the delegation in Baghdad. "
        "\u201cThe pandemic taught us that no country can stand alone,\u201d al-Hakim told reporters.",
    )
    assert said(art) == {"Ammar al-Hakim": 1}


def test_a_two_letter_surname_links_to_the_full_name(kb):
    art = run(
        kb, "Chinese Foreign Minister Wang Yi arrived in Tehran. Yi said China backs the deal."
    )
    assert said(art) == {"Wang Yi": 1}


def test_a_role_in_apposition_names_the_person_it_stands_beside(kb):
    art = run(
        kb,
        "Iraqi President Barham Salih received the new Iranian ambassador, Mohammad Kazem Al-e "
        "Sadeq, on Monday.\n\nThe envoy said that Iran will keep supplying gas to Iraq.",
        published="2022-06-01",
    )
    sp = speaker(art, "Mohammad Kazem Al-e Sadegh")
    assert len(sp.statements) == 1 and sp.role == "Iranian Ambassador to Iraq"


def test_an_appositive_after_the_name_and_before_the_verb(kb):
    art = run(
        kb,
        "Muqtada al-Sadr, the influential Shiite cleric, said on Twitter that the government "
        "must resign.\n\nHadi al-Amiri, head of the Fatah Alliance, warned that the troops "
        "must leave.",
    )
    assert said(art) == {"Muqtada al-Sadr": 1, "Hadi al-Amiri": 1}


def test_a_relative_clause_can_carry_a_quotation(kb):
    art = run(
        kb,
        "Iran and Iraq signed a memorandum on the railway, which Raisi described as "
        "\u201ca turning point in the relations of two brotherly nations\u201d.",
    )
    assert said(art) == {"Ebrahim Raisi": 1} and len(quotes(art)["Ebrahim Raisi"]) == 1


def test_a_former_title_says_nothing_of_the_date(kb):
    art = run(
        kb,
        "Former Iranian President Hassan Rouhani criticised the government. "
        "Iraqi Prime Minister Mustafa al-Kadhimi said the talks would go on. "
        "The Iranian president said Iran is ready.",
    )
    # the window comes from al-Kadhimi's term, not Rouhani's, so the president is Raisi
    assert said(art) == {"Hassan Rouhani": 1, "Mustafa al-Kadhimi": 1, "Ebrahim Raisi": 1}


def test_according_to_a_statement_from_his_office_is_his(kb):
    art = run(
        kb,
        "Kadhimi received the delegation on Monday. According to a statement from his office, "
        "Iraq will expand trade with Iran.\n\n"
        "According to a statement from his office, Raisi said the visit was a success.",
    )
    # "his office" names the last person before; a subject named later comes first
    assert said(art) == {"Mustafa al-Kadhimi": 1, "Ebrahim Raisi": 1}
    assert [m.text for m in speaker(art, "Mustafa al-Kadhimi").mentions] == ["Kadhimi", "his"]


def test_the_subject_before_a_parenthetical_is_no_inverted_subject(kb):
    art = run(
        kb,
        "Kadhimi, for his part, congratulated the Iranian president on his election.",
        published="2021-09-01",
    )
    assert said(art) == {"Mustafa al-Kadhimi": 1}


def test_who_after_a_name_makes_that_person_the_subject(kb):
    art = run(
        kb,
        "Biden met Kadhimi on Monday in Washington. Biden received Kadhimi, who said Iraq wants stability.",
    )
    assert said(art) == {"Mustafa al-Kadhimi": 1}
    art = run(kb, "Biden, who arrived on Monday, said the talks went well.")
    assert said(art) == {"Joe Biden": 1}


def test_a_country_inside_an_office_noun(kb):
    art = run(
        kb,
        "Iraqi Foreign Minister Fuad Hussein arrived in Tehran. "
        "The top Iraqi diplomat said the talks went well.",
        published="2021-09-01",
    )
    assert said(art) == {"Fuad Hussein": 1}
    assert [m.text for m in speaker(art, "Fuad Hussein").mentions][-1] == "The top Iraqi diplomat"


def test_a_family_name_that_comes_first_links_to_the_full_name(kb):
    extra = {
        "id": "li-qiang",
        "name": "Li Qiang",
        "surname": "Li",
        "gender": "male",
        "offices": [{"office": "prime_minister", "country": "Iraq", "start": "2023-03-11"}],
    }
    data = yaml.safe_load((FIXTURES / "leaders_small.yaml").read_text(encoding="utf-8"))
    data["people"].append(extra)
    kb2 = Knowledge(leaders.parse(data), kb.themes, kb.dates, kb.speech)
    art = run(kb2, "Premier Li Qiang met Kadhimi in Beijing. Li said the two countries are close.")
    assert said(art) == {"Li Qiang": 1}


def test_the_un_chief_is_the_secretary_general(project):
    art = run(
        project.knowledge,
        "UN Secretary-General Antonio Guterres met the Iraqi foreign minister in Baghdad. "
        "The UN chief said the country had turned a page.",
        published="2023-03-01",
    )
    assert said(art) == {"Ant\u00f3nio Guterres": 1}


# -- any text at all ------------------------------------------------------------------------

TOKENS = (
    "Raisi said he He the Iraqi premier , . \" \u201c \u201d ' \u2019 \u2018 according to and "
    "For his part Kadhimi 's \u2019s Al-Kadhimi President of Iraq ( ) \u2014 - which described "
    "as saying quoted Mr. Imam Hussein lawmaker Sherwan Dubardani told Former two sides joint "
    "statement : al called welcomed visiting U.S. Gen. says"
).split() + ["\n\n"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=60))
def test_any_token_soup_annotates_with_exact_offsets(kb, tokens):
    run(kb, " ".join(tokens))  # run() checks every span against the text
