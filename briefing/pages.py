"""Free-standing pages written in Markdown: ``content/pages/NAME.md`` -> ``NAME.html``.

The Markdown is turned into HTML and then sanitised with nh3 (the Rust ``ammonia``
sanitiser): only a short list of tags and attributes survives, links keep only the
``http``, ``https`` and ``mailto`` schemes (or none: relative), so ``<script>``, event
handlers and ``javascript:`` links written in a page never reach the site. Images are
not allowed at all: a remote image would break the promise that no request leaves the
page, and the build copies no assets from ``content/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from . import urls

TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "td": {"align"},
    "th": {"align", "scope"},
}
SCHEMES = {"http", "https", "mailto"}
# names the site's own pages take; a Markdown page of that name gets a prefix
RESERVED = {"index", "404", "search", "timeline", "matrix", "downloads"}
EXTENSIONS = ["extra", "sane_lists", "toc"]

_H1 = re.compile(r"\A\s*#\s+(.+?)\s*#*\s*(?:\n|\Z)")
_HEADING = re.compile(r"<(/?)h([1-6])\b")


@dataclass(frozen=True)
class Page:
    """A Markdown page ready for the ``page.html`` template.

    Its HTML is made when first asked for: every page of the site lists the Markdown
    pages in its menu, by title, and a rebuild of one article needs nothing more.
    """

    slug: str
    path: str  # site-relative, e.g. "about.html"
    title: str
    text: str = field(repr=False)  # the Markdown, its title heading taken off
    source: str = ""

    @property
    def html(self) -> Markup:
        html = self.__dict__.get("_html")
        if html is None:
            html = Markup(_shift_headings(sanitise(_to_html(self.text))))
            object.__setattr__(self, "_html", html)
        return html


def sanitise(html: str) -> str:
    """Only harmless markup: allowed tags and attributes, links without active schemes."""
    import nh3  # only for a site with Markdown pages

    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template"},
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _shift_headings(html: str) -> str:
    """Make the page's top heading level ``h2``: the template's ``h1`` is the title."""
    levels = [int(m.group(2)) for m in _HEADING.finditer(html) if not m.group(1)]
    if not levels:
        return html
    shift = 2 - min(levels)
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}", html)


def render(text: str, fallback_title: str) -> tuple[str, Markup]:
    """``(title, body HTML)`` of a Markdown page; the first ``# heading`` is the title."""
    title, body = _split_title(text, fallback_title)
    return title, Markup(_shift_headings(sanitise(_to_html(body))))


def _split_title(text: str, fallback_title: str) -> tuple[str, str]:
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    if m := _H1.match(text):
        return re.sub(r"[*_`]", "", m.group(1)).strip() or fallback_title, text[m.end() :]
    return fallback_title, text


def _to_html(text: str) -> str:
    import markdown as _markdown  # not imported by a build that renders no Markdown page

    return _markdown.markdown(text, extensions=EXTENSIONS, output_format="html")


def load(folder: Path | None) -> list[Page]:
    """Every ``*.md`` of ``folder`` as a page, by file name; none when there is no folder."""
    if folder is None or not Path(folder).is_dir():
        return []
    pages = []
    taken: set[str] = set()
    for path in sorted(Path(folder).glob("*.md")):
        slug = urls.slugify(path.stem)
        if slug in RESERVED or slug in taken:
            slug = f"page-{slug}"
        taken.add(slug)
        fallback = path.stem.replace("-", " ").replace("_", " ").capitalize()
        title, text = _split_title(path.read_text(encoding="utf-8"), fallback)
        pages.append(Page(slug, f"{slug}.html", title, text, str(path)))
    return pages
