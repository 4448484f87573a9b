"""The plain text of a Markdown article: its paragraphs, as a ``.txt`` article has them.

Imported only when a Markdown article is read (the HTML parser and Markdown are not
needed for ``.txt`` articles, the common case and a one-article rebuild's).
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

import markdown


class _TextBlocks(HTMLParser):
    """Markdown rendered to HTML, back to plain paragraphs; headings keep a '#' mark."""

    _BLOCKS = {"p", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "pre"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.heading = False
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self._BLOCKS:
            self.flush()
            self.heading = tag.startswith("h") and len(tag) == 2
        elif tag == "br":
            self.current.append(" ")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.flush()
                self.blocks.append(f"[Photo: {alt}]")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self._BLOCKS:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.current.append(data)

    def flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(("## " if self.heading else "") + text)
        self.current = []
        self.heading = False


def markdown_to_text(body: str) -> str:
    """Plain text of a Markdown body: one block per paragraph, headings marked '## '."""
    parser = _TextBlocks()
    parser.feed(markdown.markdown(html.escape(body, quote=False)))
    parser.close()
    parser.flush()
    return "\n\n".join(parser.blocks)
