"""Files to download from the site: the annotation export and a table of statements.

``annotations.json`` is byte for byte what ``build.py annotate PATH... --json FILE``
writes for the same articles when run in the project's folder (see
:mod:`briefing.export`): in the order of the files, with ``source`` relative to the
project, so that no path of the machine that built the site is published.
``statements.csv`` has one row per statement, for a spreadsheet. Its ``link`` column is
the absolute address of the sentence when the site has a ``base_url``, else the path
from the site's root (``articles/x.html#s-3``), since a CSV file has no base to be
relative to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import export
from .index import Archive

CHUNK = 1 << 18  # characters of CSV to gather before they are written
JSON_PATH = "downloads/annotations.json"
CSV_PATH = "downloads/statements.csv"
COLUMNS = (
    "article_id",
    "title",
    "date",
    "speaker_id",
    "speaker",
    "role",
    "kind",
    "cue",
    "themes",
    "statement",
    "sentence",
    "link",
)


@dataclass(frozen=True)
class Download:
    path: str
    label: str
    media_type: str
    holds: str  # what it holds, counted: "12 articles"
    description: str


def _relative_source(article, root: Path | None) -> str | None:
    """``source`` relative to the project: no builder's paths published."""
    if root is None or not article.source:
        return None
    try:
        return Path(article.source).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def export_line(article, root: Path | None) -> str:
    """The article's line of ``annotations.json``.

    Kept on the article, so that it travels with it into the build cache: annotation
    workers make it in parallel, and a rebuild after one edit makes one line, not all.
    """
    key = str(root)
    kept = article.__dict__.get("_export_line")
    if kept is not None and kept[0] == key:
        return kept[1]
    line = export.article_line(article, _relative_source(article, root))
    article.__dict__["_export_line"] = (key, line)
    return line


def annotations_json(archive: Archive, root: Path | None = None, line=export_line) -> str:
    """As ``build.py annotate`` run in ``root`` gives it: in file order, sources relative.

    ``line(article, root)`` makes an article's line (a build reads it from its cache).
    """
    return "".join(annotations_chunks(archive, root, line))


def annotations_chunks(archive: Archive, root: Path | None = None, line=export_line):
    """:func:`annotations_json` in pieces, one article at a time: a big archive's export
    is written as it is made, never held in memory whole."""
    articles = sorted((e.article for e in archive.articles), key=lambda a: (a.source, a.id))
    return join_chunks(line(a, root) for a in articles)


def join_chunks(lines):
    """``annotations.json`` in pieces from the articles' lines, in the order given."""
    head, tail = export.join_lines(["\0"]).split("\0")
    yield head
    for n, text in enumerate(lines):
        yield (",\n" if n else "") + text
    yield tail


def spliced_chunks(path: str | Path, swaps: list[tuple[str, str]]):
    """The export written at ``path`` with each article's line ``old`` replaced by ``new``.

    A rebuild after a few edits copies the rest of the file instead of reading every
    article's line back: the pieces between the new lines are ranges of the old file
    (:class:`briefing.relink.FileRange`), which the writer copies unread; the file is
    mapped here to find the old lines. The order of the articles must be as it was.
    Raises LookupError when an old line is not in the file, on a line of its own (the
    file is not what the lines were joined into).
    """
    import mmap

    from .relink import spliced_pieces

    path = str(path)
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        cuts = []
        for old, new in swaps:
            needle = b"\n" + old.encode("utf-8", "surrogatepass")
            at = mm.find(needle)
            end = at + len(needle)
            # a line of JSON holds no newline: the old line is a whole line of the file; and
            # it holds its article's id, so it is the only one (not searched for again: at
            # 10,000 articles, 30 ms to read the rest of 170 MB)
            if at < 0 or mm[end : end + 2] not in (b",\n", b"\n]"):
                raise LookupError(f"{path}: an article's line is not where it was written")
            cuts.append((at + 1, end, new.encode("utf-8", "surrogatepass")))
        size = len(mm)
    yield from spliced_pieces(path, sorted(cuts), size)


def _date(entry) -> str:
    w = entry.when
    if w.window:
        return f"{w.window[0]}/{w.window[1]}"  # an ISO 8601 interval
    return w.value or ""


def statements_csv(archive: Archive, base_url: str | None = None) -> str:
    """Every statement, newest article first and in reading order within an article."""
    return "".join(statements_chunks(archive, base_url))


def statements_chunks(archive: Archive, base_url: str | None = None, spans=None):
    """:func:`statements_csv` in pieces, one article at a time. ``spans``: a
    :class:`briefing.blocks.Spans` to note the header and each article's rows in, by the
    article's position (a later build splices the file)."""
    head = csv_line(COLUMNS)
    out = [spans.add(-1, head) if spans is not None else head]  # -1: blocks.FIXED
    size = 0
    for i, e in enumerate(archive.articles):
        rows = article_rows(e, base_url)
        out.append(spans.add(i, rows) if spans is not None else rows)
        size += len(rows)
        if size > CHUNK:
            yield "".join(out)
            out, size = [], 0
    yield "".join(out)


def article_rows(e, base_url: str | None = None) -> str:
    """The rows of the statements of the article of entry ``e``, in reading order."""
    a = e.article
    sentences, sentence_themes = a.sentences, a.sentence_themes
    date = _date(e)
    rows = []
    for sp in a.speakers:
        role = sp.role or ""
        for st in sp.statements:
            n = st.sentence
            themes = sorted(set(st.themes).union(sentence_themes.get(n, ())))
            sentence = sentences[n].text if n < len(sentences) else ""
            link = f"{e.path}#s-{n}"
            row = (
                a.id,
                e.title,
                date,
                sp.id,
                sp.name,
                role,
                st.kind,
                st.cue or "",
                ";".join(themes),
                st.text,
                sentence,
                base_url + link if base_url else link,
            )
            rows.append((n, st.start, sp.id, row))
    rows.sort(key=_in_reading_order)
    return "".join([csv_line(row) for *_, row in rows])


def _in_reading_order(row: tuple) -> tuple:
    return row[:3]  # sentence, start, speaker


# a cell that starts so gets a quote first: a spreadsheet must not run it as a formula
_FORMULA = frozenset(("=", "+", "-", "@", "\t", "\r"))


def _cell(value: str) -> str:
    if value[:1] in _FORMULA:
        value = "'" + value
    if '"' in value:
        return '"' + value.replace('"', '""') + '"'
    if "," in value or "\n" in value or "\r" in value:
        return '"' + value + '"'
    return value


def csv_line(cells) -> str:
    """A row of strings as :mod:`csv` writes it with the ``excel`` dialect and CRLF line
    ends (RFC 4180: quoted only when needed, quotes doubled), each cell kept from being
    run as a formula; a third of the time of ``csv.writer``, which a big archive feels."""
    return ",".join([_cell(c) for c in cells]) + "\r\n"


def describe(archive: Archive) -> list[Download]:
    """What the downloads page says about each file."""
    statements = sum(len(x.statements) for x in archive.leaders)
    articles = len(archive.articles)
    return [
        Download(
            JSON_PATH,
            "Annotations (JSON)",
            "application/json",
            f"{articles} article{'' if articles == 1 else 's'}",
            "Every article with its text and annotation layers — speakers, their mentions, "
            "quotes and statements, other people, dates and themes — as character offsets "
            f"into the text, in the {export.SCHEMA_ID} format.",
        ),
        Download(
            CSV_PATH,
            "Statements (CSV)",
            "text/csv",
            f"{statements} statement{'' if statements == 1 else 's'}",
            "One row per statement: " + ", ".join(COLUMNS) + ".",
        ),
    ]
