"""What a page tells machines about itself: description, Open Graph, schema.org JSON-LD.

Open Graph and JSON-LD need absolute addresses, so they are made only when the site
has a ``base_url``; the description is always there. JSON-LD goes into a
``<script type="application/ld+json">`` data block, which no browser runs; ``<``, ``>``
and ``&`` are written as JSON escapes so that no article text can close the element.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from markupsafe import Markup

from .index import ArticleEntry
from .urls import absolute

HEADLINE_MAX = 110  # schema.org/Google advice for NewsArticle.headline


@dataclass(frozen=True)
class Meta:
    description: str
    og_type: str = "website"
    og: list[tuple[str, str]] = field(default_factory=list)  # extra (property, content)
    jsonld: Markup | None = None
    feed: str | None = None  # site-relative path of the page's Atom feed
    feed_title: str | None = None


def article_summary(entry: ArticleEntry) -> str:
    """One line on an article: outlet, date, speakers and main themes."""
    parts = []
    head = " · ".join(x for x in (entry.outlet, entry.when.label) if x and x != "undated")
    if head:
        parts.append(head)
    if entry.speakers:
        parts.append("Speakers: " + ", ".join(s.name for s in entry.speakers))
    if entry.themes:
        parts.append("Themes: " + ", ".join(t.label for t in entry.themes[:5]))
    return ". ".join(parts) + "." if parts else entry.title


def script_json(data) -> Markup:
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text)


def news_article(entry: ArticleEntry, base_url: str, language: str, site_title: str) -> Markup:
    """schema.org ``NewsArticle`` for an article page."""
    a = entry.article
    url = absolute(base_url, entry.path)
    title = entry.title
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title if len(title) <= HEADLINE_MAX else title[: HEADLINE_MAX - 1] + "\u2026",
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": language,
        "description": article_summary(entry),
    }
    if entry.published:
        data["datePublished"] = entry.published
    if a.dateline:
        data["dateline"] = a.dateline
    if entry.outlet:
        data["publisher"] = {"@type": "Organization", "name": entry.outlet}
    if a.url and a.url.startswith(("https://", "http://")):
        data["isBasedOn"] = a.url
    if entry.themes:
        data["about"] = [
            {"@type": "Thing", "name": t.label, "url": absolute(base_url, t.path)}
            for t in entry.themes
        ]
    if entry.speakers:
        people = []
        for s in entry.speakers:
            person = {"@type": "Person", "name": s.name, "url": absolute(base_url, s.path)}
            if s.role:
                person["jobTitle"] = s.role
            people.append(person)
        data["mentions"] = people
    data["isPartOf"] = {"@type": "WebSite", "name": site_title, "url": base_url}
    return script_json(data)


def article_og(entry: ArticleEntry) -> list[tuple[str, str]]:
    """Open Graph ``article:*`` properties."""
    out = []
    if entry.published:
        out.append(("article:published_time", entry.published))
    for t in entry.themes[:6]:
        out.append(("article:tag", t.label))
    return out
