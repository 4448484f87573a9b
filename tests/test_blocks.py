"""Downloads made of a block per article: recorded as written, spliced after a few edits."""

import copy

import pytest

from briefing import blocks, downloads, search
from briefing.index import build_index

from .conftest import joined


def _written(tmp_path, parts: list[tuple[int, str]]):
    spans = blocks.Spans()
    text = "".join(spans.add(who, part) for who, part in parts)
    path = tmp_path / "file"
    path.write_bytes(text.encode("utf-8"))
    return str(path), spans


def test_a_splice_is_the_file_with_the_new_blocks_and_records_their_sizes(tmp_path):
    path, spans = _written(tmp_path, [(-1, "head|"), (0, "één|"), (1, ""), (2, "two|")])
    pieces, after = blocks.spliced(path, spans, {1: "one, at last|", 2: "2|"})
    assert joined(pieces()) == "head|één|one, at last|2|".encode()
    assert list(after.pairs()) == [(-1, 5), (0, 6), (1, 13), (2, 2)]  # bytes, not characters
    assert blocks.Spans.load(after.dump()).flat == after.flat


def test_a_splice_of_a_block_never_recorded_or_of_a_file_changed_since_is_refused(tmp_path):
    path, spans = _written(tmp_path, [(-1, "head|"), (0, "zero|")])
    assert blocks.spliced(path, spans, {7: "seven"}) is None
    with open(path, "a") as f:
        f.write("a hand edit")
    pieces, _ = blocks.spliced(path, spans, {0: "0|"})
    with pytest.raises(LookupError):
        next(pieces())


@pytest.fixture(scope="module")
def archive(seed_articles, project):
    return build_index(list(seed_articles.values()), project.knowledge)


def _noted(chunks) -> tuple[str, blocks.Spans]:
    spans = blocks.Spans()
    return "".join(chunks(spans)), spans


@pytest.mark.parametrize("made", ["table", "index"])
def test_an_article_s_blocks_made_again_are_its_part_of_the_file_made_anew(archive, made):
    if made == "table":
        text, spans = _noted(lambda s: downloads.statements_chunks(archive, None, s))
        new = {2: downloads.article_rows(archive.articles[2])}
    else:
        text, spans = _noted(lambda s: search.script_chunks(archive, s))
        new = search.changed_blocks(archive, [2], spans)
        assert set(new) == {2, len(archive.articles) + 2}
    assert spans.size() == len(text.encode("utf-8"))
    at = 0
    for who, size in spans.pairs():
        if who in new:
            assert text.encode("utf-8")[at : at + size] == new[who].encode("utf-8")
        at += size


def test_the_index_is_made_anew_when_the_first_article_with_statements_loses_them(archive):
    text, spans = _noted(lambda s: search.script_chunks(archive, s))
    n = len(archive.articles)
    first = min(who - n for who, size in spans.pairs() if who >= n and size)
    quiet = copy.copy(archive)
    quiet.articles = list(archive.articles)
    quiet.articles[first] = copy.copy(archive.articles[first])
    quiet.articles[first].said = []
    assert search.changed_blocks(quiet, [first], spans) is None
    later = max(who - n for who, size in spans.pairs() if who >= n and size)
    assert later != first
    quiet.articles[later] = copy.copy(archive.articles[later])
    quiet.articles[later].said = []
    quiet.articles[first] = archive.articles[first]
    assert search.changed_blocks(quiet, [later], spans) == {
        later: "," + search._encoder()(search._article_doc(archive.articles[later], _t(quiet))),
        n + later: "",
    }


def _t(archive):
    return search._Tables(archive)
