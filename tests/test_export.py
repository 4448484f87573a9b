"""The annotation export is the contract: valid against the schema, offsets exact."""

from __future__ import annotations

import json

import jsonschema
import pytest

from briefing import cli, export

from .conftest import FIXTURES, SEEDS, joined


@pytest.fixture(scope="module")
def schema():
    return json.loads((FIXTURES / "annotations.schema.json").read_text())


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "annotations.json"
    assert cli.main(["annotate", str(SEEDS), "--json", str(out), "--quiet"]) == 0
    return json.loads(out.read_text())


def test_export_of_the_seeds_is_valid_against_the_schema(exported, schema):
    jsonschema.validate(exported, schema)
    assert [a["id"] for a in exported["articles"]] == sorted(p.stem for p in SEEDS.glob("*.txt"))


def test_every_span_matches_its_text(exported):
    def spans(article):
        for sp in article["speakers"]:
            yield from sp["mentions"]
            yield from sp["quotes"]
            yield from sp["statements"]
        for p in article.get("people", []):
            yield from p.get("mentions", [])
        yield from article["dates"]
        for t in article["themes"]:
            yield from t.get("evidence", [])

    for article in exported["articles"]:
        for span in spans(article):
            assert article["text"][span["start"] : span["end"]] == span["text"]


def test_export_comes_from_the_same_articles_as_the_pages(seed_articles):
    data = export.export(list(seed_articles.values()))
    assert data["schema"] == "briefing-annotations/1"
    assert {a["id"]: a["title"] for a in data["articles"]} == {
        k: a.title for k, a in seed_articles.items()
    }


def test_annotate_accepts_single_files(tmp_path, schema):
    out = tmp_path / "one.json"
    seed = sorted(SEEDS.glob("*.txt"))[2]
    assert cli.main(["annotate", str(seed), "--json", str(out), "-q"]) == 0
    data = json.loads(out.read_text())
    jsonschema.validate(data, schema)
    assert [a["id"] for a in data["articles"]] == [seed.stem]


def test_annotate_reports_a_bad_file_and_exports_the_rest(tmp_path, capsys):
    (tmp_path / "good.txt").write_text("Rouhani said the two countries are close.\n")
    (tmp_path / "bad.txt").write_text("Text.\n")
    (tmp_path / "bad.yaml").write_text("title: [unclosed\n")
    out = tmp_path / "x.json"
    assert cli.main(["annotate", str(tmp_path), "--json", str(out), "-q"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {tmp_path / 'bad.yaml'}:1:")
    assert [a["id"] for a in json.loads(out.read_text())["articles"]] == ["good"]


def test_untitled_seeds_are_titled_by_speakers_and_topics(seed_articles):
    a = seed_articles["000_c0864d09f7a77bb2"]
    assert a.title_source == "derived"
    assert a.title.startswith("Ebrahim Raisi and Mustafa al-Kadhimi: ")
    labels = a.title.split(": ", 1)[1].split(" · ")
    assert 1 <= len(labels) <= 3
    assert seed_articles["002_1896167c399c0b60"].title.startswith(
        "Vice president:"
    )  # a headline stays


def test_an_export_with_one_article_s_line_replaced_is_the_export_of_the_new_lines(tmp_path):
    from briefing import downloads

    lines = ['{"id":"a","text":"one"}', '{"id":"b","text":"two"}', '{"id":"c","text":"é"}']
    path = tmp_path / "annotations.json"
    path.write_text("".join(downloads.join_chunks(lines)), encoding="utf-8")
    for n in range(3):
        new = list(lines)
        new[n] = new[n].replace('"}', ' edited, and longer"}')
        spliced = joined(downloads.spliced_chunks(path, [(lines[n], new[n])]))
        assert spliced.decode("utf-8") == "".join(downloads.join_chunks(new))
    both = [(lines[0], '{"id":"a"}'), (lines[2], '{"id":"c"}')]
    spliced = joined(downloads.spliced_chunks(path, both))
    assert spliced.decode() == "".join(
        downloads.join_chunks(['{"id":"a"}', lines[1], '{"id":"c"}'])
    )


def test_splicing_a_line_the_export_does_not_hold_is_refused(tmp_path):
    from briefing import downloads

    path = tmp_path / "annotations.json"
    path.write_text("".join(downloads.join_chunks(['{"id":"a","x":1}'])), encoding="utf-8")
    for old in ['{"id":"b"}', '{"id":"a"', '"x":1}']:  # absent, or not a whole line
        with pytest.raises(LookupError):
            list(downloads.spliced_chunks(path, [(old, "{}")]))
