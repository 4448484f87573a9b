"""The client-side search index: a script that sets ``window.BRIEFING_SEARCH``.

The search page loads it with a ``<script src>`` tag rather than fetching JSON, because
browsers refuse ``fetch`` on ``file://`` pages: this way search works from a site opened
from disk as well as from a server. Documents are articles (title, outlet, speakers,
themes) and statements (text, speaker, themes); leaders and topics are listed once and
referred to by position, which keeps the file small. Links are site-relative; the
search page sits at the site root, so they work as they are.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass

from .index import Archive, ArticleEntry, date_label

GLOBAL = "BRIEFING_SEARCH"
BATCH = 200  # documents encoded at once: one call each would cost more than the encoding
PATH = "static/search-index.js"


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Facets:
    """The filter choices of the search form, rendered into the page at build time."""

    leaders: list[Option]
    topics: list[Option]
    years: list[str]


def years_of(entry: ArticleEntry) -> list[str]:
    """The years an article's event may fall in: one, or every year of its window."""
    w = entry.when
    if w.value:
        return [w.value[:4]]
    if w.window:
        first, last = int(w.window[0][:4]), int(w.window[1][:4])
        return [str(y) for y in range(first, last + 1)]
    return []


def _when_text(entry: ArticleEntry) -> str:
    w = entry.when
    if w.kind == "event":
        return date_label(w.value)
    return w.label if w.kind != "none" else ""


def facets(archive: Archive) -> Facets:
    leaders = [Option(x.slug, x.name) for x in archive.leaders]
    topics = [Option(t.slug, t.label) for t in archive.topics if t.articles or t.statements]
    years = sorted({y for e in archive.articles for y in years_of(e)}, reverse=True)
    return Facets(leaders, topics, years)


def data(archive: Archive) -> dict:
    """The index as plain data (see the module docstring for its shape)."""
    parts = _parts(archive)
    return {
        "leaders": parts["leaders"],
        "topics": parts["topics"],
        "articles": list(parts["articles"]),
        "statements": list(parts["statements"]),
    }


def _parts(archive: Archive) -> dict:
    """The four lists of :func:`data`; articles and statements as generators."""
    leaders = {x.id: i for i, x in enumerate(archive.leaders)}
    shown = [t for t in archive.topics if t.articles or t.statements]
    topics = {t.id: i for i, t in enumerate(shown)}

    def articles():
        for e in archive.articles:
            yield {
                "u": e.path,
                "t": e.title,
                "o": e.outlet or "",
                "d": _when_text(e),
                "y": years_of(e),
                "l": [leaders[s.id] for s in e.speakers if s.id in leaders],
                "k": [topics[t.id] for t in e.themes if t.id in topics],
            }

    def statements():
        # newest article first, then in reading order: the order results keep on equal
        # scores (a stable sort: a leader's statements in one sentence keep their order)
        for a, e in enumerate(archive.articles):
            for ref in sorted(e.said, key=lambda r: (r.sentence, leaders[r.leader])):
                yield {
                    "a": a,
                    "s": ref.sentence,
                    "u": ref.href,
                    "l": leaders[ref.leader],
                    "x": ref.text,
                    "q": ref.kind,
                    "k": [topics[t] for t in ref.themes if t in topics],
                }

    return {
        "leaders": [[x.slug, x.name] for x in archive.leaders],
        "topics": [[t.slug, t.label] for t in shown],
        "articles": articles(),
        "statements": statements(),
    }


def script(archive: Archive) -> str:
    """``static/search-index.js``: ASCII-only JSON, so that no charset can garble it."""
    return "".join(script_chunks(archive))


def script_chunks(archive: Archive):
    """:func:`script` in pieces, ``BATCH`` documents at a time: never whole in memory.

    The same bytes as ``json.dumps(data(archive), ensure_ascii=True,
    separators=(",", ":"), sort_keys=True)`` in the script around it: a batch is
    encoded as a list, whose brackets are left off.
    """
    encode = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), sort_keys=True).encode
    parts = _parts(archive)
    yield f"window.{GLOBAL} = {{"
    for n, key in enumerate(sorted(parts)):
        yield ("," if n else "") + encode(key) + ":["
        items = iter(parts[key])
        sep = ""
        while batch := list(itertools.islice(items, BATCH)):
            yield sep + encode(batch)[1:-1]
            sep = ","
        yield "]"
    yield "};\n"
