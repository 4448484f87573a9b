"""Reading: source files in, :class:`RawArticle` out.

Two kinds of article are read:

* plain text ``NAME.txt``, with optional metadata in ``NAME.yaml`` beside it;
* Markdown ``NAME.md``, with optional YAML front matter between ``---`` lines.

The article id is the file's stem. Text is decoded from UTF-8 (with or without BOM),
UTF-16/32 with a BOM, or, failing those, Windows-1252 with a warning: scraped files
come in every encoding and none of them may crash the build.

A file over :data:`MAX_ARTICLE_MB` is refused before it is read: no news article is that
long, so it is a dump of many articles or not an article at all, and annotating it would
hold the build for minutes.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from pathlib import Path

from . import recache, yamlio
from .cache import files_under
from .errors import BriefingError, Diagnostics
from .model import MetaList, RawArticle

ARTICLE_SUFFIXES = (".txt", ".md")
META_KEYS = {
    "title": "the headline",
    "published": "publication date, YYYY-MM-DD",
    "outlet": "the news outlet",
    "url": "the original address",
    "dateline": "the dateline place",
    "slug": "the page name",
    "author": "the byline",
    "tags": "free-form tags",
    "language": "the language code",
    "themes": "theme ids from content/themes.yaml, set by an editor",
}
MAX_ARTICLE_MB = 2  # a long news article is 50 KB; the annotators are fast up to here
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_SLUG_OK = recache.compile(r"^[a-z0-9][a-z0-9-]{0,120}$")


def discover(paths: list[str | Path], diag: Diagnostics | None = None) -> list[Path]:
    """Every article file under ``paths`` (files or folders), sorted, each once."""
    return [Path(path) for path in article_files(paths, diag)]


def article_files(paths: list[str | Path], diag: Diagnostics | None = None) -> list[str]:
    """:func:`discover`, as strings: what a rebuild of a large archive lists every time."""
    found: set[str] = set()
    for given in paths:
        given = str(Path(given))  # as the build's list of watched files writes it
        if os.path.isfile(given):
            if given.lower().endswith(ARTICLE_SUFFIXES):
                found.add(given)
            continue
        if not os.path.isdir(given):
            if diag is not None:
                diag.error(BriefingError(given, None, "no such file or folder — check the path"))
            continue
        found.update(_articles_under(given))
    return sorted(found)


def _articles_under(folder: str) -> list[str]:
    return files_under(
        folder,
        lambda name: not name.startswith("_"),  # _drafts and the like
        lambda name: name.lower().endswith(ARTICLE_SUFFIXES),
    )


def decode(data: bytes, path: str | Path, diag: Diagnostics | None = None) -> str:
    """Bytes to text; raises :class:`BriefingError` for binary files."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as e:
                raise BriefingError(
                    path, None, f"broken {encoding} text ({e.reason}) — re-save the file as UTF-8"
                ) from None
    if b"\x00" in data[:4096]:
        raise BriefingError(path, None, "binary file, not an article — remove it or save as text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        if diag is not None:
            diag.warn(path, line, "not UTF-8; read as Windows-1252 — re-save the file as UTF-8")
        return text


def _check_meta(meta, path: str | Path, line_offset: int = 0) -> dict:
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise BriefingError(
            path, 1 + line_offset, "metadata is not a mapping — write one 'key: value' per line"
        )
    out = {}
    for key, value in meta.items():
        line = (yamlio.line_of(meta, key) or 1) + line_offset
        if key not in META_KEYS:
            allowed = ", ".join(sorted(META_KEYS))
            raise BriefingError(path, line, f"unknown metadata key {key!r} — use one of: {allowed}")
        if value is None:
            continue
        if key == "published":
            out[key] = _check_date(value, path, line)
        elif key == "tags":
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list):
                raise BriefingError(
                    path, line, "'tags' is not a list — write tags: [word, other words]"
                )
            out[key] = [str(v) for v in value]
        elif key == "themes":
            out[key] = _check_themes(value, path, line, line_offset)
        elif key == "slug":
            slug = str(value)
            if not _SLUG_OK.match(slug):
                raise BriefingError(
                    path, line, f"bad slug {slug!r} — use lowercase letters, digits and hyphens"
                )
            out[key] = slug
        else:
            if isinstance(value, (dict, list)):
                raise BriefingError(
                    path, line, f"{key!r} holds a list or mapping — write a single value"
                )
            out[key] = str(value).strip()
    return out


def _check_themes(value, path, line: int, line_offset: int) -> MetaList:
    """``themes: [id, ...]``: theme ids an editor assigns; they are checked against the
    taxonomy when the article is annotated (:mod:`briefing.annotate.editor`), so each
    keeps the line it was written on."""
    items = value if isinstance(value, list) else [value]
    out = MetaList()
    lines = []
    for i, item in enumerate(items):
        at = yamlio.line_of(items, i) if items is value else None
        at = at + line_offset if at else line
        if isinstance(item, (dict, list, bool)) or not str(item).strip():
            raise BriefingError(
                path, at, "'themes' is not a list of theme ids — write themes: [security, yemen]"
            )
        out.append(str(item).strip())
        lines.append(at)
    out.path, out.lines = str(path), tuple(lines)
    return out


def _check_date(value, path, line) -> str:
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value).strip()
    for candidate in (text, text[:10]):
        try:
            return _dt.date.fromisoformat(candidate).isoformat()
        except ValueError:
            continue
    raise BriefingError(path, line, f"'published' is not a real date: {text!r} — write YYYY-MM-DD")


def _read_sidecar(path: Path) -> dict:
    sidecar = path.with_suffix(".yaml")
    if not sidecar.exists():
        sidecar = path.with_suffix(".yml")
        if not sidecar.exists():
            return {}
    meta = yamlio.load(sidecar)
    return _check_meta(meta, sidecar)


_FRONT = recache.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)


def split_front_matter(text: str, path: str | Path) -> tuple[dict, str, int]:
    """(metadata, body, line where the body starts) of a Markdown article."""
    if not text.startswith("---"):
        return {}, text, 1
    m = _FRONT.match(text)
    if not m:
        raise BriefingError(path, 1, "front matter is not closed — end it with a line '---'")
    meta = yamlio.loads(m.group(1), path, line_offset=1)
    body_line = text[: m.end()].count("\n") + 1
    return _check_meta(meta, path, line_offset=1), text[m.end() :], body_line


def markdown_to_text(body: str) -> str:
    """Plain text of a Markdown body: one block per paragraph, headings marked '## '."""
    from .mdtext import markdown_to_text as text_of  # only for Markdown articles

    return text_of(body)


def read_article(path: str | Path, diag: Diagnostics | None = None) -> RawArticle:
    """Read one article file with its metadata; raises :class:`BriefingError`."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_MB * 1_000_000:
            raise BriefingError(
                path,
                None,
                f"article is {size / 1_000_000:.1f} MB, over the {MAX_ARTICLE_MB} MB limit"
                " — split it into separate articles",
            )
        data = path.read_bytes()
    except OSError as e:
        raise BriefingError(path, None, f"cannot read ({e.strerror}) — check permissions") from None
    text = decode(data, path, diag)
    if path.suffix.lower() == ".md":
        meta, body, body_line = split_front_matter(text, path)
        body = markdown_to_text(body)
        fmt = "markdown"
    else:
        meta, body, body_line, fmt = _read_sidecar(path), text, 1, "text"
    if not body.strip():
        raise BriefingError(path, None, "empty article — add text or remove the file")
    return RawArticle(
        id=path.stem, path=path, body=body, meta=meta, format=fmt, body_line=body_line
    )
