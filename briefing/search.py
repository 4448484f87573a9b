"""The client-side search index: a script that sets ``window.BRIEFING_SEARCH``.

The search page loads it with a ``<script src>`` tag rather than fetching JSON, because
browsers refuse ``fetch`` on ``file://`` pages: this way search works from a site opened
from disk as well as from a server. Documents are articles (title, outlet, speakers,
themes) and statements (text, speaker, themes); leaders and topics are listed once and
referred to by position, which keeps the file small. Links are site-relative; the
search page sits at the site root, so they work as they are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .index import Archive, ArticleEntry, date_label

GLOBAL = "BRIEFING_SEARCH"
BATCH = 200  # articles gathered into one piece: a piece each would cost more than its writing
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
    t = _Tables(archive)
    return {
        "leaders": t.leaders,
        "topics": t.topics,
        "articles": [_article_doc(e, t) for e in archive.articles],
        "statements": [d for a, e in enumerate(archive.articles) for d in _said(a, e, t)],
    }


class _Tables:
    """The leaders and the topics (those with articles or statements) the index lists
    once, and their positions, by which documents name them."""

    def __init__(self, archive: Archive):
        shown = [t for t in archive.topics if t.articles or t.statements]
        self.leaders = [[x.slug, x.name] for x in archive.leaders]
        self.topics = [[t.slug, t.label] for t in shown]
        self.leader = {x.id: i for i, x in enumerate(archive.leaders)}
        self.topic = {t.id: i for i, t in enumerate(shown)}


def tables(archive: Archive) -> tuple[list, list]:
    """The leaders and topics the index lists: its documents name them by position."""
    t = _Tables(archive)
    return t.leaders, t.topics


def _article_doc(e: ArticleEntry, t: _Tables) -> dict:
    leaders, topics = t.leader, t.topic
    return {
        "u": e.path,
        "t": e.title,
        "o": e.outlet or "",
        "d": _when_text(e),
        "y": years_of(e),
        "l": [leaders[s.id] for s in e.speakers if s.id in leaders],
        "k": [topics[t.id] for t in e.themes if t.id in topics],
    }


def _said(a: int, e: ArticleEntry, t: _Tables) -> list[dict]:
    """The statements of the article at position ``a``, in reading order: the order
    results keep on equal scores (a stable sort: a leader's statements in one sentence
    keep their order)."""
    leaders, topics = t.leader, t.topic
    return [
        {
            "a": a,
            "s": ref.sentence,
            "u": ref.href,
            "l": leaders[ref.leader],
            "x": ref.text,
            "q": ref.kind,
            "k": [topics[t] for t in ref.themes if t in topics],
        }
        for ref in sorted(e.said, key=lambda r: (r.sentence, leaders[r.leader]))
    ]


def _encoder():
    return json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), sort_keys=True).encode


def script(archive: Archive) -> str:
    """``static/search-index.js``: ASCII-only JSON, so that no charset can garble it."""
    return "".join(script_chunks(archive))


def script_chunks(archive: Archive, spans=None):
    """:func:`script` in pieces, ``BATCH`` articles at a time: never whole in memory.

    The same bytes as ``json.dumps(data(archive), ensure_ascii=True,
    separators=(",", ":"), sort_keys=True)`` in the script around it. Articles are
    newest first, their statements in the same order. ``spans``: a
    :class:`briefing.blocks.Spans` to note each article's block in (its document at
    its position ``a``, its statements at ``n + a`` of ``n`` articles), for a later
    build to splice the file (see :func:`changed_blocks`).
    """
    encode = _encoder()
    t = _Tables(archive)
    note = spans.add if spans is not None else _as_is
    n = len(archive.articles)
    # -1 (blocks.FIXED): the text between the articles' blocks
    yield note(-1, f'window.{GLOBAL} = {{"articles":[')
    out = []
    for a, e in enumerate(archive.articles):
        out.append(note(a, ("," if a else "") + encode(_article_doc(e, t))))
        if len(out) >= BATCH:
            yield "".join(out)
            out = []
    between = encode(t.leaders)
    out.append(note(-1, '],"leaders":' + between + ',"statements":['))
    lead = ""
    for a, e in enumerate(archive.articles):
        docs = _said(a, e, t)
        text = lead + encode(docs)[1:-1] if docs else ""
        lead = lead or ("," if docs else "")
        out.append(note(n + a, text))
        if len(out) >= BATCH:
            yield "".join(out)
            out = []
    out.append(note(-1, '],"topics":' + encode(t.topics) + "};\n"))
    yield "".join(out)


def _as_is(who: int, text: str) -> str:
    return text


def changed_blocks(archive: Archive, positions: list[int], spans) -> dict[int, str] | None:
    """The blocks of :func:`script_chunks` of the articles at ``positions``, by ``who``,
    for a file whose blocks ``spans`` recorded (the same articles, leaders and topics);
    None when an edit moves the first article that has statements, whose block alone
    has no comma before it: then other blocks change too."""
    encode = _encoder()
    t = _Tables(archive)
    n = len(archive.articles)
    new, said = {}, {}
    for a in positions:
        e = archive.articles[a]
        new[a] = ("," if a else "") + encode(_article_doc(e, t))
        docs = _said(a, e, t)
        said[n + a] = encode(docs)[1:-1] if docs else ""
    sizes = {who: size for who, size in spans.pairs() if who >= n}
    first = min((who for who, size in sizes.items() if size), default=None)
    sizes.update((who, len(text)) for who, text in said.items())
    if first != min((who for who, size in sizes.items() if size), default=None):
        return None
    new.update((who, "," + text if text and who != first else text) for who, text in said.items())
    return new
