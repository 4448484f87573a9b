"""Reading: files and folders in, raw articles with metadata out; bad input is reported."""

from __future__ import annotations

import pytest

from briefing.errors import BriefingError, Diagnostics
from briefing.read import MAX_ARTICLE_MB, decode, discover, read_article


def test_text_article_with_sidecar(tmp_path):
    (tmp_path / "a.txt").write_text("Body text.\n", encoding="utf-8")
    (tmp_path / "a.yaml").write_text(
        "title: A title\npublished: 2021-09-13\noutlet: Press TV\nslug: a-title\n", encoding="utf-8"
    )
    raw = read_article(tmp_path / "a.txt")
    assert raw.id == "a"
    assert raw.meta == {
        "title": "A title",
        "published": "2021-09-13",
        "outlet": "Press TV",
        "slug": "a-title",
    }


def test_markdown_front_matter(tmp_path):
    path = tmp_path / "b.md"
    path.write_text(
        "---\ntitle: Hello\npublished: 2021-05-17\n---\n# Heading\n\nSome *text* here.\n"
    )
    raw = read_article(path)
    assert raw.meta["title"] == "Hello" and raw.meta["published"] == "2021-05-17"
    assert raw.body == "## Heading\n\nSome text here."


def test_markdown_html_is_text_not_markup(tmp_path):
    path = tmp_path / "c.md"
    path.write_text("Say <script>alert(1)</script> &amp; go.\n")
    assert read_article(path).body == "Say <script>alert(1)</script> &amp; go."


def test_bom_and_utf16_are_decoded():
    assert decode("\ufeffTehran".encode("utf-8"), "x") == "Tehran"
    assert decode("Tehran \u2014 Baghdad".encode("utf-16"), "x") == "Tehran \u2014 Baghdad"


def test_cp1252_is_read_with_a_warning():
    diag = Diagnostics()
    text = decode("\u201cWe oppose\u201d".encode("cp1252"), "x.txt", diag)
    assert text == "\u201cWe oppose\u201d"
    assert "Windows-1252" in diag.warnings[0].format()


def test_binary_file_is_an_error():
    with pytest.raises(BriefingError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "x.txt")


def test_malformed_sidecar_names_file_and_line(tmp_path):
    (tmp_path / "a.txt").write_text("Body.\n")
    (tmp_path / "a.yaml").write_text("title: ok\npublished: [2021\n")
    with pytest.raises(BriefingError) as err:
        read_article(tmp_path / "a.txt")
    assert err.value.format().startswith(f"{tmp_path / 'a.yaml'}:")
    assert err.value.line is not None


def test_unknown_sidecar_key_names_its_line(tmp_path):
    (tmp_path / "a.txt").write_text("Body.\n")
    (tmp_path / "a.yaml").write_text("title: ok\npublisher: x\n")
    with pytest.raises(BriefingError, match="unknown metadata key 'publisher'") as err:
        read_article(tmp_path / "a.txt")
    assert err.value.line == 2


def test_impossible_published_date(tmp_path):
    (tmp_path / "a.txt").write_text("Body.\n")
    (tmp_path / "a.yaml").write_text("published: 2021-02-30\n")
    with pytest.raises(BriefingError, match="not a real date") as err:
        read_article(tmp_path / "a.txt")
    assert err.value.line == 1


def test_malformed_front_matter_line_is_the_file_line(tmp_path):
    path = tmp_path / "d.md"
    path.write_text("---\ntitle: fine\nslug: [unclosed\n---\nBody.\n")
    with pytest.raises(BriefingError) as err:
        read_article(path)
    assert err.value.path == str(path) and err.value.line in (3, 4)


def test_unclosed_front_matter(tmp_path):
    path = tmp_path / "e.md"
    path.write_text("---\ntitle: x\nBody.\n")
    with pytest.raises(BriefingError, match="not closed"):
        read_article(path)


def test_empty_article_is_an_error(tmp_path):
    (tmp_path / "e.txt").write_text("  \n\n")
    with pytest.raises(BriefingError, match="empty"):
        read_article(tmp_path / "e.txt")


def test_discover_walks_folders_in_order_and_skips_sidecars(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("b.txt", "a.md", "a.yaml", "sub/c.txt", ".hidden.txt"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in discover([tmp_path])] == ["a.md", "b.txt", "c.txt"]


def test_discover_skips_folders_named_with_an_underscore_or_a_dot(tmp_path):
    for name in ("_drafts/x.txt", ".git/y.txt", "2021/z.md"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [str(p.relative_to(tmp_path)) for p in discover([tmp_path])] == ["2021/z.md"]


def test_discover_lists_a_file_given_by_name_once(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    found = discover([tmp_path / "a.txt", f"{tmp_path}/./a.txt", tmp_path])
    assert found == [tmp_path / "a.txt"]


def test_discover_survives_a_symlink_loop(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "loop").symlink_to(tmp_path)
    assert [p.name for p in discover([tmp_path])] == ["a.txt"]


def test_sidecar_themes_remember_their_file_and_lines(tmp_path):
    (tmp_path / "a.txt").write_text("Body.\n")
    (tmp_path / "a.yaml").write_text("title: ok\nthemes:\n  - security\n  - yemen\n")
    themes = read_article(tmp_path / "a.txt").meta["themes"]
    assert themes == ["security", "yemen"]
    assert themes.path == str(tmp_path / "a.yaml") and themes.lines == (3, 4)


def test_front_matter_themes_lines_are_lines_of_the_markdown_file(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: ok\nthemes: [security, sanctions]\n---\nBody.\n")
    themes = read_article(path).meta["themes"]
    assert themes == ["security", "sanctions"]
    assert themes.path == str(path) and themes.lines == (3, 3)


def test_a_single_theme_may_be_written_without_a_list(tmp_path):
    (tmp_path / "a.txt").write_text("Body.\n")
    (tmp_path / "a.yaml").write_text("themes: yemen\n")
    themes = read_article(tmp_path / "a.txt").meta["themes"]
    assert themes == ["yemen"] and themes.lines == (1,)


@pytest.mark.parametrize("value", ["{security: 1}", "[[security]]", "[yes]", "''"])
def test_themes_that_are_not_ids_name_their_line(tmp_path, value):
    (tmp_path / "a.txt").write_text("Body.\n")
    (tmp_path / "a.yaml").write_text(f"title: ok\nthemes: {value}\n")
    with pytest.raises(BriefingError, match="not a list of theme ids — write themes:") as err:
        read_article(tmp_path / "a.txt")
    assert err.value.path == str(tmp_path / "a.yaml") and err.value.line == 2


def test_an_article_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 600_000)  # 3 MB
    monkeypatch.setattr(type(path), "read_bytes", lambda self: pytest.fail("read"))
    with pytest.raises(BriefingError) as err:
        read_article(path)
    assert err.value.format() == (
        f"{path}: article is 3.0 MB, over the {MAX_ARTICLE_MB} MB limit"
        " — split it into separate articles"
    )


def test_every_metadata_error_says_what_to_do(tmp_path):
    (tmp_path / "a.txt").write_text("Body.\n")
    for sidecar in ("- a list\n", "tags: {a: 1}\n", "title: [a, b]\n", "slug: A B\n"):
        (tmp_path / "a.yaml").write_text(sidecar)
        with pytest.raises(BriefingError) as err:
            read_article(tmp_path / "a.txt")
        assert " — " in err.value.message and err.value.line == 1, err.value.format()
