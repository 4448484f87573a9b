"""Atom feeds (RFC 4287), ``sitemap.xml`` and ``robots.txt``: made only with a ``base_url``.

An Atom feed must give every entry a permanent absolute ``id`` and readers resolve
relative links inconsistently, and a sitemap must list absolute URLs: without the
published address there is nothing correct to write, so a site built for reading from
disk has none of these files (its pages do not link to them either). Dates are those of
the articles, never the build time, so rebuilding gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .index import Archive, ArticleEntry
from .urls import absolute

MAX_ENTRIES = 50  # per feed: readers want the latest, not the whole archive
EPOCH = "1970-01-01T00:00:00Z"  # "updated" of an article with no date at all
ARCHIVE_FEED = "feeds/archive.xml"


def leader_feed(slug: str) -> str:
    return f"feeds/leaders/{slug}.xml"


def topic_feed(slug: str) -> str:
    return f"feeds/topics/{slug}.xml"


def timestamp(value: str | None) -> str | None:
    """An ISO date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) as an RFC 3339 time at midnight UTC."""
    if not value:
        return None
    parts = value[:10].split("-")
    if not parts[0].isdigit() or len(parts[0]) != 4:
        return None
    year, month, day = parts[0], (parts + ["01", "01"])[1], (parts + ["01", "01"])[2]
    if not (month.isdigit() and day.isdigit()):
        return None
    return f"{year}-{month}-{day}T00:00:00Z"


def updated(entry: ArticleEntry) -> str:
    """When the article last changed, as far as we know: published, else the event."""
    w = entry.when
    start = w.window[0] if w.window else None
    return timestamp(entry.published) or timestamp(w.value) or timestamp(start) or EPOCH


def _summary(entry: ArticleEntry) -> str:
    parts = []
    if entry.outlet:
        parts.append(entry.outlet)
    if entry.when.kind != "none":
        parts.append(entry.when.label)
    if entry.speakers:
        parts.append("speakers: " + ", ".join(s.name for s in entry.speakers))
    if entry.themes:
        parts.append("themes: " + ", ".join(t.label for t in entry.themes))
    return "; ".join(parts) + "." if parts else entry.title


@dataclass(frozen=True)
class Feed:
    path: str  # site-relative
    title: str
    subtitle: str
    page: str  # site-relative page the feed mirrors
    entries: list[ArticleEntry]


def feeds(archive: Archive, site_title: str) -> list[Feed]:
    """The archive's feed, then one per leader and per topic that has articles."""
    out = [Feed(ARCHIVE_FEED, site_title, "The latest briefings", "index.html", archive.articles)]
    for x in archive.leaders:
        out.append(
            Feed(
                leader_feed(x.slug),
                f"{x.name} · {site_title}",
                f"Briefings in which {x.name} speaks",
                x.path,
                x.articles,
            )
        )
    for t in archive.topics:
        if t.articles:
            entries = [ta.entry for ta in t.articles]
            order = {id(e): i for i, e in enumerate(archive.articles)}
            entries.sort(key=lambda e: order[id(e)])  # newest first, as in the archive
            out.append(
                Feed(
                    topic_feed(t.slug),
                    f"{t.label} · {site_title}",
                    f"Briefings on {t.label}",
                    t.path,
                    entries,
                )
            )
    return out


def atom(feed: Feed, base_url: str, author: str, language: str) -> str:
    """The feed as an Atom document; ``base_url`` ends with ``/``."""
    from xml.sax.saxutils import escape, quoteattr  # it loads urllib: only for a feed

    entries = feed.entries[:MAX_ENTRIES]
    stamps = [updated(e) for e in entries]
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(language)}>',
        f"  <id>{escape(base_url + feed.path)}</id>",
        f"  <title>{escape(feed.title)}</title>",
        f"  <subtitle>{escape(feed.subtitle)}</subtitle>",
        f"  <updated>{max(stamps, default=EPOCH)}</updated>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(base_url + feed.path)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(absolute(base_url, feed.page))}/>',
        f"  <author><name>{escape(author)}</name></author>",
        "  <generator>briefing</generator>",
    ]
    for e, stamp in zip(entries, stamps, strict=True):
        url = base_url + e.path
        lines += [
            "  <entry>",
            f"    <id>{escape(url)}</id>",
            f"    <title>{escape(e.title)}</title>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
            f"    <updated>{stamp}</updated>",
        ]
        if published := timestamp(e.published):
            lines.append(f"    <published>{published}</published>")
        for t in e.themes:
            lines.append(
                f"    <category term={quoteattr(t.slug)} label={quoteattr(t.label)}"
                f" scheme={quoteattr(base_url + 'topics/')}/>"
            )
        lines += [f"    <summary>{escape(_summary(e))}</summary>", "  </entry>"]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def sitemap(base_url: str, pages: list[tuple[str, str | None]]) -> str:
    """``sitemap.xml`` for ``(site-relative path, lastmod or None)`` pairs."""
    from xml.sax.saxutils import escape

    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for path, lastmod in pages:
        when = f"<lastmod>{escape(lastmod[:10])}</lastmod>" if lastmod else ""
        lines.append(f"  <url><loc>{escape(absolute(base_url, path))}</loc>{when}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(base_url: str) -> str:
    """``robots.txt``: everything may be crawled; the sitemap is named.

    Crawlers read it only at the root of a host: under a project sub-path
    (``user.github.io/repo/``) it is harmless but unread, and the sitemap must then be
    submitted to the search engine by hand.
    """
    return f"User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n"
