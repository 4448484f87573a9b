"""The plain dataclasses that flow through the pipeline.

read -> clean -> annotate -> index -> render -> write. A :class:`RawArticle` comes out
of :mod:`briefing.read`; :mod:`briefing.clean` turns it into an :class:`Article` whose
``text`` is the cleaned body, cut into :class:`Block` and :class:`Sentence` spans;
each annotator then adds its own layer (speakers, dates, themes) to the article.

All offsets are character offsets into ``Article.text``, end exclusive, like spaCy
spans, so every annotation can be traced back to the words it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the article text: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str

    def __reduce__(self):
        # pickled as a call: the frozen dataclass's own __setstate__ looks up its fields
        # for every span, the slowest part of reading an article back from the cache
        return Span, (self.start, self.end, self.text)


class MetaList(list):
    """A list from an article's metadata that remembers where it was written.

    ``path`` is the metadata file (the sidecar, or the Markdown file for front matter)
    and ``lines[i]`` the line of item ``i`` in it, so that a later stage that finds an
    item wrong (an unknown theme id) can name ``path:line``.
    """

    path: str | None = None
    lines: tuple[int | None, ...] = ()


@dataclass
class RawArticle:
    """A source file as read, before any cleaning."""

    id: str
    path: Path
    body: str
    meta: dict = field(default_factory=dict)
    format: str = "text"  # "text" (.txt + sidecar) or "markdown" (.md + front matter)
    body_line: int = 1  # line of the source file where ``body`` starts


@dataclass(slots=True)
class Block:
    """A paragraph-level unit of the cleaned text."""

    kind: str  # "paragraph" | "heading" | "caption" | "dateline"
    start: int
    end: int


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    text: str
    block: int  # index into Article.blocks
    kind: str  # the kind of its block; headings and captions hold no statements


@dataclass(slots=True)
class Mention:
    """A surface form that refers to a person: a name, a role noun or a pronoun."""

    start: int
    end: int
    text: str
    person: str | None  # id of the person it resolves to
    kind: str = "name"  # "name" | "role" | "pronoun"


@dataclass(slots=True)
class Statement:
    """A sentence that reports a person's words."""

    start: int
    end: int
    text: str
    sentence: int  # index into Article.sentences
    kind: str = "indirect"  # "direct" | "indirect" | "mixed"
    cue: str | None = None
    themes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Speaker:
    id: str
    name: str
    role: str | None = None
    country: str | None = None
    wikidata: str | None = None
    known: bool = False  # True when the person is in the knowledge base
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Span] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)


@dataclass(slots=True)
class Person:
    """A named person the article mentions who does not speak."""

    id: str
    name: str
    role: str | None = None
    country: str | None = None
    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class DateExpr:
    start: int
    end: int
    text: str
    value: str | None  # ISO 8601 / TIMEX-style: YYYY, YYYY-MM, YYYY-MM-DD, 199X
    kind: str = "date"  # date | month | year | decade | part | weekday | relative | occasion


@dataclass(slots=True)
class ThemeHit:
    id: str
    score: float
    evidence: list[Span] = field(default_factory=list)
    # "text": the themes annotator found it; "editor": only the article's metadata
    # (``themes: [...]``) names it, so it has no evidence and score 0
    source: str = "text"


@dataclass
class Article:
    """One article through the pipeline; annotators fill the layers below ``sentences``."""

    id: str
    source: str
    title: str
    text: str
    slug: str
    title_source: str = "metadata"  # "metadata" | "headline" | "derived"
    outlet: str | None = None
    dateline: str | None = None
    url: str | None = None
    published: str | None = None
    meta: dict = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # boilerplate lines taken out of the body
    # layers added by the annotators
    speakers: list[Speaker] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    dates: list[DateExpr] = field(default_factory=list)
    event_date: str | None = None
    event_window: tuple[str, str | None] | None = None  # end None: open (still in office)
    themes: list[ThemeHit] = field(default_factory=list)
    sentence_themes: dict[int, list[str]] = field(default_factory=dict)

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])
