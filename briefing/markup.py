"""Article text to HTML: annotation layers from character offsets, properly nested.

Annotations may nest or overlap (a date inside a statement, a mention crossing a
quote boundary). :func:`render` splits the text at every boundary and, walking the
pieces left to right, keeps a stack of open elements: an element that does not
cover the next piece, or sits inside one that must close, is closed and reopened
later as a continuation. Ids and prefixes go on the first fragment only, suffixes
on the last, so anchors stay unique. Every piece of text is escaped here; the
result is :class:`markupsafe.Markup` built only from escaped pieces.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from markupsafe import Markup

from . import urls
from .index import ArticleEntry, Evidence, StatementRef, TopicArticle, Who, date_label
from .model import Article

_DATETIME = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class Ann(NamedTuple):
    """One element to wrap around ``text[start:end]``; smaller ``rank`` sits outside.

    A named tuple, not a frozen dataclass: an article makes a hundred of them per page,
    and a tuple is made several times faster.
    """

    start: int
    end: int
    rank: int
    tag: str
    attrs: tuple[tuple[str, str], ...] = ()
    first_attrs: tuple[tuple[str, str], ...] = ()  # only on the first fragment (ids)
    prefix: str = Markup("")  # inside the first fragment, before the text (HTML)
    suffix: str = Markup("")  # inside the last fragment, after the text (HTML)


def _escape(text: str) -> str:
    """markupsafe's entities, without a Markup object per piece: a page has thousands
    (``str.replace`` is several times faster than ``str.translate`` with a table)."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


_ATTRS: dict[tuple, str] = {}  # attributes as HTML, by value: few kinds, used again and again
_ATTRS_MAX = 4096


def _attrs(attrs: tuple[tuple[str, str], ...]) -> str:
    html = _ATTRS.get(attrs)
    if html is None:
        if len(_ATTRS) >= _ATTRS_MAX:
            _ATTRS.clear()
        html = _ATTRS[attrs] = "".join(f' {k}="{_escape(v)}"' for k, v in attrs)
    return html


def _open(ann: Ann, first: bool) -> str:
    if first:
        return f"<{ann.tag}{_attrs(ann.attrs)}{_attrs(ann.first_attrs)}>{ann.prefix}"
    return f"<{ann.tag}{_attrs(ann.attrs)}>"


def render(text: str, start: int, end: int, anns: list[Ann]) -> Markup:
    """HTML for ``text[start:end]`` with ``anns`` (clipped to the range) as elements."""
    clipped = []
    for a in anns:
        s = a.start if a.start > start else start
        e = a.end if a.end < end else end
        if s < e:
            clipped.append((s, e, a))
    whole = text[start:end]
    escaped = _escape(whole)
    if not clipped:
        return Markup(escaped)
    raw = len(escaped) == len(whole)  # most paragraphs: their pieces need no escaping
    clipped.sort(key=_outer_first)
    # rank in nesting order, end (clipped) and the element itself, by start; ranks are
    # distinct, so sorting these tuples compares ranks only
    starts: dict[int, list] = {}
    ends = set()
    for rank, (s, e, a) in enumerate(clipped):
        opening = starts.get(s)
        if opening is None:
            starts[s] = [(rank, e, a)]
        else:
            opening.append((rank, e, a))
        ends.add(e)
    bounds = sorted(starts.keys() | ends | {start, end})
    out: list[str] = []
    active: list[tuple[int, int, Ann]] = []  # the open elements, outermost first
    pos = bounds[0]
    for nxt in bounds[1:]:
        opening = starts.get(pos)
        if active:
            # the elements above the first one that ends here, or that one opening here
            # must sit in, are closed; those that go on are opened again with the new ones
            cut = len(active)
            if pos in ends:
                for i, item in enumerate(active):
                    if item[1] == pos:
                        cut = i
                        break
            if opening:
                rank = opening[0][0]
                for i in range(cut):
                    if active[i][0] > rank:
                        cut = i
                        break
            if cut < len(active):
                again = []
                for item in reversed(active[cut:]):
                    a = item[2]
                    if pos >= a.end:
                        out.append(a.suffix)
                    out.append(_CLOSE.get(a.tag) or f"</{a.tag}>")
                    if item[1] > pos:
                        again.append(item)
                del active[cut:]
                if again:
                    again.reverse()
                    opening = sorted(again + opening) if opening else again
        if opening:
            for item in opening:
                a = item[2]
                out.append(_open(a, pos == a.start))
            active += opening
        out.append(text[pos:nxt] if raw else _escape(text[pos:nxt]))
        pos = nxt
    for item in reversed(active):
        a = item[2]
        if end >= a.end:
            out.append(a.suffix)
        out.append(_CLOSE.get(a.tag) or f"</{a.tag}>")
    return Markup("".join(out))


_CLOSE = {tag: f"</{tag}>" for tag in ("span", "mark", "time")}


def _outer_first(item) -> tuple:
    a = item[2]
    return (a.rank, a.start, -a.end, a.tag, a.attrs)


@dataclass(frozen=True)
class HtmlBlock:
    kind: str  # "paragraph" | "heading" | "caption"
    html: Markup


def date_ann(start: int, end: int, value: str | None) -> Ann:
    """A date expression: ``<time>`` when the value is a valid HTML date, shown after it."""
    if value is None:
        return Ann(start, end, 4, "span", (("class", "date unresolved"),))
    shown = Markup(f'<span class="date-value"> ({_escape(value)})</span>')
    if _DATETIME.match(value):
        return Ann(start, end, 4, "time", (("class", "date"), ("datetime", value)), suffix=shown)
    return Ann(start, end, 4, "span", (("class", "date"), ("data-value", value)), suffix=shown)


def article_anns(article: Article, people: dict[str, Who]) -> list[Ann]:
    """Every annotation layer of ``article``: sentences, statements, quotes, mentions, dates."""
    anns = [
        Ann(s.start, s.end, 0, "span", _SENTENCE, (("id", urls.sentence_anchor(i)),))
        for i, s in enumerate(article.sentences)
    ]
    for i, sp in enumerate(article.speakers):
        who = people.get(sp.id) or Who(sp.name, sp.role, sp.country, i % 8)
        cls = f"spk-{who.colour if who.colour is not None else i % 8}"
        label = (
            Markup(
                '<span class="spk-tag"><span class="visually-hidden">Statement by </span>'
                '%s<span class="visually-hidden">:</span></span> '
            )
            % who.name
        )
        kinds: dict[str, tuple] = {}  # the attributes of each kind of statement
        for st in sp.statements:
            attrs = kinds.get(st.kind)
            if attrs is None:
                attrs = kinds[st.kind] = (
                    ("class", f"stmt {cls}"),
                    ("title", f"{who.name} ({st.kind})"),
                )
            anns.append(Ann(st.start, st.end, 1, "mark", attrs, (), label))
        if sp.quotes:
            attrs = (("class", f"quote {cls}"),)
            anns.extend(Ann(q.start, q.end, 2, "span", attrs) for q in sp.quotes)
    mentions = [m for sp in article.speakers for m in sp.mentions]
    mentions += [m for p in article.people for m in p.mentions]
    named: dict[str, tuple] = {}  # a mentioned person's attributes and hidden name, by id
    for m in mentions:
        who = people.get(m.person) if m.person else None
        if who is None:
            continue
        made = named.get(m.person)
        if made is None:
            cls = f"mention spk-{who.colour}" if who.colour is not None else "mention person"
            hidden = Markup(f'<span class="visually-hidden"> ({_escape(who.name)})</span>')
            made = named[m.person] = ((("class", cls), ("title", who.title)), hidden)
        attrs, hidden = made
        suffix = hidden if m.text.strip() != who.name else _NOTHING
        anns.append(Ann(m.start, m.end, 3, "span", attrs, (), _NOTHING, suffix))
    anns.extend(date_ann(d.start, d.end, d.value) for d in article.dates)
    return anns


_SENTENCE = (("class", "s"),)
_NOTHING = Markup("")


def article_blocks(article: Article, people: dict[str, Who]) -> list[HtmlBlock]:
    """The article body, block by block, with all annotation layers marked up."""
    anns = article_anns(article, people)
    blocks = article.blocks
    if not blocks:
        return [HtmlBlock("paragraph", render(article.text, 0, len(article.text), anns))]
    # hand each block only the annotations that touch it, so the work stays linear
    starts = [b.start for b in blocks]
    per_block: list[list[Ann]] = [[] for _ in blocks]
    for a in anns:
        i = max(0, bisect.bisect_right(starts, a.start) - 1)
        while i < len(blocks) and blocks[i].start < a.end:
            if blocks[i].end > a.start:
                per_block[i].append(a)
            i += 1
    return [
        HtmlBlock(b.kind, render(article.text, b.start, b.end, per_block[i]))
        for i, b in enumerate(blocks)
    ]


# -- small pieces that pages repeat by the thousand --------------------------------------
# They were macros of templates/_macros.html: a Jinja macro call costs several times the
# work of the piece itself, and a leader's page lists hundreds of statements. They are
# made here from escaped pieces, like the rest of this module, byte for byte as the
# macros made them. The templates call ``when(e)`` (a global of the environment), and
# ``statements(refs)``, ``topic_article(ta)`` and ``evidence(items)`` (a page's own,
# since they link).

_KINDS = {
    "direct": ' · <span class="kind">direct quote</span>',
    "mixed": ' · <span class="kind">partly quoted</span>',
}


@functools.lru_cache(maxsize=4096)
def _when(kind: str, value: str | None, window: tuple[str, str] | None) -> Markup:
    def time(value) -> str:
        return f'<time datetime="{_escape(str(value))}">{_escape(date_label(value))}</time>'

    if kind == "event":
        return Markup(time(value))
    if kind == "published":
        return Markup(f"published {time(value)}")
    if kind == "window":
        return Markup(
            f'<span class="window">between {time(window[0])} and {time(window[1])}</span>'
        )
    return Markup('<span class="undated">date unknown</span>')


def when(entry: ArticleEntry) -> Markup:
    """When the article's event happened, as far as it is known (a day, a window...)."""
    w = entry.when
    return _when(w.kind, w.value, w.window)


class PageFragments:
    """The pieces of one page that link: ``url`` makes its links (see :mod:`.urls`)."""

    def __init__(self, url: Callable[[str], str]):
        self.url = url

    def statement(
        self, ref: StatementRef, show_article: bool = True, show_date: bool = False
    ) -> Markup:
        """A statement as an item of a list, linked to its sentence in the article."""
        href = _escape(self.url(ref.href))
        source = _escape(ref.entry.title) if show_article else "In the article"
        date = f" · {when(ref.entry)}" if show_date else ""
        return Markup(
            f'<li class="statement">\n  <blockquote cite="{href}"><p>{_escape(ref.text)}</p>'
            f'</blockquote>\n  <p class="source"><a href="{href}">{source}, sentence '
            f"{ref.sentence + 1}</a>{date}{_KINDS.get(ref.kind, '')}</p>\n</li>"
        )

    def statements(
        self, refs: list[StatementRef], show_article: bool = True, show_date: bool = False
    ) -> Markup:
        """The items of a list of statements, a line each (a list is never empty)."""
        return Markup(
            "\n".join([f"      {self.statement(r, show_article, show_date)}" for r in refs])
        )

    def topic_article(self, ta: TopicArticle) -> Markup:
        """An article in the list of a topic's: its date, its score and its evidence."""
        e = ta.entry
        outlet = f"{_escape(e.outlet)} · " if e.outlet else ""
        score = "set by the editor" if ta.by_editor else f"score {ta.score:.2f}"
        return Markup(
            f'    <li><a href="{_escape(self.url(e.path))}">{_escape(e.title)}</a> '
            f'<span class="meta">{outlet}{when(e)}</span> <span class="score">{score}</span>\n'
            f"{self.evidence(ta.evidence, e.path)}\n    </li>"
        )

    def evidence(self, items: list[Evidence], page: str | None = None) -> Markup:
        """The sentences that gave a theme, linked; ``page``: the article's, when this is
        another page."""
        if not items:
            return _NOTHING
        parts = ['      <ul class="evidence">\n']
        for ev in items:
            href = self.url(f"{page}#{ev.anchor}") if page else f"#{ev.anchor}"
            parts.append(
                f'        <li><a href="{_escape(href)}">Sentence {ev.sentence + 1}</a>: '
                f"{_escape(ev.text)}</li>\n"
            )
        parts.append("      </ul>\n")
        return Markup("".join(parts))
