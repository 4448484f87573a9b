"""Bad input and faults lose nothing: one clear line per problem, the rest still builds."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import cli
from briefing.annotate import annotate
from briefing.clean import Cleaner
from briefing.errors import Diagnostics
from briefing.knowledge import cleaning
from briefing.model import RawArticle
from briefing.project import Project
from briefing.read import MAX_ARTICLE_MB, read_article

from .conftest import REPO

GOOD = "Iranian President Hassan Rouhani said the two countries are close allies.\n"


def make_project(tmp_path, files: dict[str, bytes | str]):
    root = tmp_path / "proj"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "seeds").mkdir()
    for name, data in files.items():
        path = root / "seeds" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return root


def run(root, *args):
    return cli.main(["--root", str(root), "-q", *args])


def articles_built(root):
    return sorted(p.name for p in (root / "site" / "articles").glob("*.html"))


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "empty article"),
        ("blank.txt", b"  \n\t\n", "empty article"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("broken-utf16.txt", b"\xff\xfeT\x00\x00\xd8", "broken utf-16-le"),
    ],
)
def test_a_bad_file_is_one_line_and_the_rest_builds(tmp_path, capsys, name, data, message):
    root = make_project(tmp_path, {"good.txt": GOOD, name: data})
    assert run(root) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert (
        len(err) == 1 and message in err[0] and err[0].startswith(f"error: {root / 'seeds' / name}")
    )
    assert articles_built(root) == ["good.html"]


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "utf-16", "cp1252"],
)
def test_every_encoding_reads_the_same_text(tmp_path, encoding):
    text = "\u201cWe oppose any foreign interference,\u201d Rouhani said on Saturday.\n"
    root = make_project(tmp_path, {"a.txt": text.encode(encoding)})
    assert run(root) in (0, 1)  # cp1252 warns, the others are clean
    page = (root / "site" / "articles" / "a.html").read_text(encoding="utf-8")
    assert "We oppose any foreign interference" in page


def test_cp1252_is_a_warning_and_strict_makes_it_fail(tmp_path, capsys):
    root = make_project(tmp_path, {"a.txt": "\u201cYes,\u201d he said.".encode("cp1252")})
    assert run(root) == 0
    assert "Windows-1252" in capsys.readouterr().err
    shutil.rmtree(root / "site")
    assert run(root, "--strict") == 2  # nothing built
    assert not (root / "site").exists()


def test_a_warning_passes_a_build_and_fails_it_with_strict(tmp_path, capsys):
    """The only problem is a warning: exit 0 and a site; with --strict, no new site."""
    root = make_project(
        tmp_path, {"good.txt": GOOD, "a.txt": "\u201cYes,\u201d he said.".encode("cp1252")}
    )
    assert run(root) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"warning: {root / 'seeds' / 'a.txt'}:1: ")
    before = {p.name: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    (root / "seeds" / "new.txt").write_text(GOOD)
    assert run(root, "--strict") != 0
    err = capsys.readouterr().err
    assert "Windows-1252" in err and "--strict" in err
    after = {p.name: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before  # the previous site is kept


def test_annotate_exits_1_on_a_warning_only_with_strict(tmp_path, capsys):
    root = make_project(tmp_path, {"a.txt": "\u201cYes,\u201d he said.".encode("cp1252")})
    out = tmp_path / "out.json"
    args = ["annotate", str(root / "seeds"), "--json", str(out)]
    assert run(root, *args) == 0
    assert run(root, *args, "--strict") == 1
    assert "Windows-1252" in capsys.readouterr().err
    assert [a["id"] for a in json.loads(out.read_text())["articles"]] == ["a"]


def test_a_20_mb_article_is_refused_at_once_and_the_rest_builds(tmp_path, capsys):
    size = 20_000_000
    root = make_project(tmp_path, {"good.txt": GOOD, "huge.txt": (GOOD * (size // len(GOOD)))})
    started = time.perf_counter()
    assert run(root) == 1
    assert time.perf_counter() - started < 30
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"error: {root / 'seeds' / 'huge.txt'}: article is 20.0 MB, over the {MAX_ARTICLE_MB} MB"
        " limit — split it into separate articles"
    ]
    assert articles_built(root) == ["good.html"]


def test_a_1_mb_line_with_no_sentence_end_builds(tmp_path, capsys):
    phrase = "Rouhani said sanctions on Iran in July 2021 threatened security and trade, and "
    line = (phrase * (1_000_000 // len(phrase) + 1))[:1_000_000]
    assert "." not in line and "\n" not in line and len(line) == 1_000_000
    root = make_project(tmp_path, {"good.txt": GOOD, "one-line.txt": line})
    started = time.perf_counter()
    assert run(root) == 0
    assert time.perf_counter() - started < 60
    assert capsys.readouterr().err == ""
    assert articles_built(root) == ["good.html", "one-line.html"]
    page = (root / "site" / "articles" / "one-line.html").read_text(encoding="utf-8")
    assert "threatened security and trade" in page


@pytest.mark.parametrize(
    "files, where, message",
    [
        ({"a.txt": GOOD, "a.yaml": "title: ok\npublished: [2021\n"}, "a.yaml:2", "invalid YAML"),
        ({"a.md": "---\ntitle: ok\nslug: [x\n---\nBody.\n"}, "a.md:", "invalid YAML"),
        ({"a.txt": GOOD, "a.yaml": "title: ok\npublisher: x\n"}, "a.yaml:2", "unknown metadata"),
        ({"a.txt": GOOD, "a.yaml": "published: 2021-02-30\n"}, "a.yaml:1", "not a real date"),
        ({"a.md": "---\npublished: 2021-13-01\n---\nBody.\n"}, "a.md:2", "not a real date"),
    ],
    ids=["sidecar-yaml", "front-matter-yaml", "unknown-key", "impossible-date", "md-date"],
)
def test_bad_metadata_is_one_line_at_its_line_and_the_rest_builds(
    tmp_path, capsys, files, where, message
):
    root = make_project(tmp_path, {"good.txt": GOOD, **files})
    assert run(root) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {root / 'seeds' / where}"), err
    assert message in err[0] and " — " in err[0]
    assert articles_built(root) == ["good.html"]


def test_an_unknown_theme_id_is_a_warning_on_its_line(tmp_path, capsys):
    sidecar = "title: Allies\nthemes:\n  - security\n  - securty\n"
    root = make_project(tmp_path, {"a.txt": GOOD, "a.yaml": sidecar, "b.txt": GOOD})
    assert run(root) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith(
        f"warning: {root / 'seeds' / 'a.yaml'}:4: unknown theme id 'securty'"
        " — use one of the ids in content/themes.yaml (e.g. security"
    )
    assert articles_built(root) == ["a.html", "b.html"]
    page = (root / "site" / "articles" / "a.html").read_text(encoding="utf-8")
    assert "topics/security.html" in page and "securty" not in page
    shutil.rmtree(root / "site")
    assert run(root, "--strict") != 0
    assert not (root / "site").exists()


def test_an_unknown_theme_id_in_front_matter_names_the_markdown_line(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: Allies\nthemes: [yemen, Nuclear_Programme]\n---\n" + GOOD)
    diag = Diagnostics()
    article = annotate(_project.cleaner.clean(read_article(path, diag)), _project.knowledge, diag)
    assert [(h.id, h.score, h.evidence, h.source) for h in article.themes] == [
        ("yemen", 0.0, [], "editor")
    ]
    assert [w.format() for w in diag.warnings] == [
        f"{path}:3: unknown theme id 'Nuclear_Programme' — use one of the ids in"
        " content/themes.yaml (e.g. nuclear_program)"
    ]


SANCTIONS = (
    "Iranian President Hassan Rouhani said the US sanctions on Iran are illegal and must be"
    " lifted, and condemned the sanctions regime.\n"
)


def test_editor_themes_add_to_the_annotators_and_change_no_score(tmp_path):
    files = {
        "plain.txt": SANCTIONS,
        "edited.txt": SANCTIONS,
        "edited.yaml": "themes: [sanctions, yemen, sanctions]\n",
    }
    root = make_project(tmp_path, files)
    out = tmp_path / "out.json"
    assert run(root, "annotate", str(root / "seeds"), "--json", str(out)) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    schema = json.loads((REPO / "tests" / "fixtures" / "annotations.schema.json").read_text())
    jsonschema.validate(data, schema)
    themes = {a["id"]: a["themes"] for a in data["articles"]}
    assert [t["id"] for t in themes["plain"]] == ["sanctions"]
    assert themes["edited"][0] == themes["plain"][0]  # the annotator's hit, untouched
    assert themes["edited"][1:] == [{"id": "yemen", "score": 0.0, "evidence": []}]
    assert run(root) == 0  # the pages say who set the theme, not a score of 0
    page = (root / "site" / "articles" / "edited.html").read_text(encoding="utf-8")
    assert "set by the editor" in page and "score 0.00" not in page
    assert "set by the editor" in (root / "site" / "topics" / "yemen.html").read_text("utf-8")
    assert "set by the editor" not in (root / "site" / "articles" / "plain.html").read_text("utf-8")


def test_file_names_with_spaces_and_non_ascii_letters(tmp_path):
    root = make_project(tmp_path, {"Téhéran talks 2021.txt": GOOD, "بغداد.txt": GOOD})
    assert run(root) == 0
    pages = articles_built(root)
    assert "teheran-talks-2021.html" in pages and len(pages) == 2


def test_two_articles_with_the_same_slug(tmp_path, capsys):
    root = make_project(tmp_path, {"a b.txt": GOOD, "a-b.txt": GOOD})
    assert run(root) == 1
    err = capsys.readouterr().err
    assert "duplicate slug 'a-b'" in err
    assert len(articles_built(root)) == 1


def test_the_same_id_in_two_folders(tmp_path, capsys):
    root = make_project(tmp_path, {"x/a.txt": GOOD, "y/a.md": GOOD})
    assert run(root) == 1
    assert "duplicate article id 'a'" in capsys.readouterr().err


def test_a_slug_that_tries_to_leave_the_site_is_refused(tmp_path, capsys):
    root = make_project(tmp_path, {"a.txt": GOOD, "a.yaml": "slug: ../../outside\n"})
    assert run(root) == 1
    assert "bad slug" in capsys.readouterr().err
    assert not (tmp_path / "outside.html").exists()


def test_an_unreadable_file(tmp_path, capsys, monkeypatch):
    root = make_project(tmp_path, {"good.txt": GOOD, "locked.txt": GOOD})
    real = type(root).read_bytes

    def read_bytes(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(type(root), "read_bytes", read_bytes)
    assert run(root) == 1
    err = capsys.readouterr().err
    assert "locked.txt: cannot read (Permission denied)" in err
    assert articles_built(root) == ["good.html"]


@pytest.mark.parametrize(
    "name", ["leaders.yaml", "themes.yaml", "dates.yaml", "site.yaml", "cleaning.yaml"]
)
def test_malformed_knowledge_file_is_fatal_and_keeps_the_site(tmp_path, capsys, name):
    root = make_project(tmp_path, {"good.txt": GOOD})
    assert run(root) == 0
    before = (root / "site" / "index.html").read_bytes()
    path = root / "content" / name
    path.write_text(path.read_text(encoding="utf-8") + "\nbroken: [unclosed\n", encoding="utf-8")
    assert run(root) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {path}:"), err
    assert (root / "site" / "index.html").read_bytes() == before


def test_a_template_with_a_syntax_error_is_fatal_and_named(tmp_path, capsys):
    root = make_project(tmp_path, {"good.txt": GOOD})
    path = root / "templates" / "article.html"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(2, "{% if %}\n")
    path.write_text("".join(lines), encoding="utf-8")
    assert run(root) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {path}:3: template error: "), err
    assert not (root / "site").exists()


def test_a_missing_template_is_fatal_and_named(tmp_path, capsys):
    root = make_project(tmp_path, {"good.txt": GOOD})
    (root / "templates" / "article.html").unlink()
    assert run(root) == 2
    assert "article.html" in capsys.readouterr().err


def test_a_write_error_keeps_the_previous_site(tmp_path, capsys, monkeypatch):
    root = make_project(tmp_path, {"good.txt": GOOD})
    assert run(root) == 0
    before = {p.name: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    import builtins

    real_open = builtins.open

    def full_disk(file, mode="r", *args, **kwargs):
        if "w" in mode and ".site.tmp" in str(file) and str(file).endswith("index.html"):
            raise OSError(28, "No space left on device", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", full_disk)
    (root / "seeds" / "new.txt").write_text(GOOD)  # so the home page must be written again
    assert run(root) == 2
    assert "No space left on device" in capsys.readouterr().err
    monkeypatch.undo()
    after = {p.name: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before


class _Elements(HTMLParser):
    """Collects what a browser would execute: scripts, event handlers, javascript: links."""

    def __init__(self):
        super().__init__()
        self.dangers: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        self.in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.dangers.append(f"<{tag} {name}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.dangers.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if self.in_script and ("alert" in data or "49" in data):
            self.dangers.append(f"<script>{data[:40]}")


HOSTILE = [
    "<script>alert(1)</script> Rouhani said {{ 7*7 }} and {% raw %}.",
    'Click <a href="javascript:alert(1)">here</a> <img src=x onerror=alert(1)>.',
]


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_hostile_text_is_shown_never_executed(tmp_path, hostile, suffix):
    title = hostile.replace("'", "''")
    body = f"---\ntitle: '{title}'\n---\n{hostile}\n" if suffix == ".md" else hostile
    files = {f"h{suffix}": body}
    if suffix == ".txt":
        files["h.yaml"] = f"title: '{title}'\n"
    root = make_project(tmp_path, files)
    assert run(root) == 0
    for page in (root / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        parser = _Elements()
        parser.feed(html)
        assert parser.dangers == [], page
        assert ">49<" not in html and " 49 " not in html  # Jinja in text is never evaluated
    article = (root / "site" / "articles" / "h.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in article or "javascript:alert(1)" in article


def test_a_killed_build_leaves_the_previous_site_complete(tmp_path):
    root = make_project(tmp_path, {f"a{i}.txt": GOOD for i in range(30)})
    assert run(root) == 0
    snapshot = {
        p.relative_to(root / "site"): p.read_bytes()
        for p in (root / "site").rglob("*")
        if p.is_file()
    }
    for delay in (0.05, 0.2, 0.4, 0.8):
        proc = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "--root", str(root), "-q"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        site = root / "site"
        if not site.exists():  # killed between the two renames: the next build recovers it
            from briefing.write import recover

            recover(site)
        now = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
        assert now == snapshot


def test_two_builds_at_once_never_mix(tmp_path):
    root = make_project(tmp_path, {f"a{i}.txt": GOOD for i in range(10)})
    procs = [
        subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root), "-q"])
        for _ in range(2)
    ]
    assert [p.wait() for p in procs] == [0, 0]
    assert len(articles_built(root)) == 10
    assert not any(p.name.startswith(".site.tmp") for p in root.iterdir())


_cleaner = Cleaner(cleaning.load(REPO / "content" / "cleaning.yaml"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_cleaning_arbitrary_text_keeps_offsets_true(body):
    if not body.strip():
        return
    article = _cleaner.clean(RawArticle(id="x", path=REPO / "x.txt", body=body))
    for block in article.blocks:
        assert 0 <= block.start < block.end <= len(article.text)
    for s in article.sentences:
        assert article.text[s.start : s.end] == s.text and s.text.strip() == s.text


_project = Project(root=REPO)
WORDS = st.sampled_from(
    [
        "Rouhani",
        "said",
        "he",
        "the",
        "Iraqi",
        "premier",
        "\u201c",
        "\u201d",
        '"',
        ".",
        ",",
        "Saturday",
        "on",
        "2021",
        "July",
        "sanctions",
        "Al-Kazemi",
        "stressed",
        "that",
        "\n\n",
        "U.S.",
        "A.",
        "\u2019s",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, max_size=80).map(" ".join) | st.text(max_size=300))
def test_every_annotator_keeps_its_spans_inside_the_text(body):
    from briefing.annotate import annotate

    if not body.strip():
        return
    article = _project.cleaner.clean(RawArticle(id="x", path=REPO / "x.txt", body=body))
    annotate(article, _project.knowledge)
    spans = [m for sp in article.speakers for m in (*sp.mentions, *sp.quotes, *sp.statements)]
    spans += [m for p in article.people for m in p.mentions]
    spans += list(article.dates) + [e for t in article.themes for e in t.evidence]
    for span in spans:
        assert 0 <= span.start <= span.end <= len(article.text)
        assert article.text[span.start : span.end] == span.text


def test_the_environment_is_not_polluted():
    assert "BRIEFING_FAULT" not in os.environ
