"""The annotation export: the contract of ``build.py annotate PATH... --json FILE``.

Valid against ``annotations.schema.json`` (``briefing-annotations/1``). The site's
pages and this export come from the same :class:`Article` objects.
"""

from __future__ import annotations

import json
from pathlib import Path

from .model import Article, Span

SCHEMA_ID = "briefing-annotations/1"


def _span(span) -> dict:
    return {"start": span.start, "end": span.end, "text": span.text}


def article_dict(article: Article) -> dict:
    """One article as the schema's ``article`` object."""
    return {
        "id": article.id,
        "source": article.source,
        "title": article.title,
        "outlet": article.outlet,
        "dateline": article.dateline,
        "published": article.published,
        "event_date": article.event_date,
        "event_window": list(article.event_window) if article.event_window else None,
        "text": article.text,
        "speakers": [
            {
                "id": sp.id,
                "name": sp.name,
                "role": sp.role,
                "country": sp.country,
                "mentions": [_span(m) | {"kind": m.kind} for m in sp.mentions],
                "quotes": [_span(q) for q in sp.quotes],
                "statements": [
                    _span(st) | {"kind": st.kind, "cue": st.cue, "themes": list(st.themes)}
                    for st in sp.statements
                ],
            }
            for sp in article.speakers
        ],
        "people": [
            {
                "id": p.id,
                "name": p.name,
                "role": p.role,
                "country": p.country,
                "mentions": [_span(m) for m in p.mentions],
            }
            for p in article.people
        ],
        "dates": [_span(d) | {"value": d.value, "kind": d.kind} for d in article.dates],
        "themes": [
            {"id": t.id, "score": round(t.score, 3), "evidence": [_span(e) for e in t.evidence]}
            for t in article.themes
        ],
    }


def export(articles: list[Article]) -> dict:
    return {"schema": SCHEMA_ID, "articles": [article_dict(a) for a in articles]}


def article_line(article: Article, source: str | None = None) -> str:
    """One article as a compact JSON line; ``source`` replaces its source path."""
    record = article_dict(article)
    if source is not None:
        record["source"] = source
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def join_lines(lines: list[str]) -> str:
    """The export of articles given as :func:`article_line` lines: one article per line.

    Compact lines keep json's C encoder (``indent`` would switch to the pure-Python
    one, ten times slower on a large archive) and still diff article by article.
    """
    head = json.dumps(SCHEMA_ID, ensure_ascii=False)
    return f'{{"schema": {head}, "articles": [\n' + ",\n".join(lines) + "\n]}\n"


def dumps(articles: list[Article]) -> str:
    return join_lines([article_line(a) for a in articles])


def write(articles: list[Article], path: str | Path) -> None:
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(dumps(articles), encoding="utf-8")
    tmp.replace(path)


__all__ = ["Span", "article_dict", "article_line", "dumps", "export", "join_lines", "write"]
