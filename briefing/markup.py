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
import re
from dataclasses import dataclass

from markupsafe import Markup

from . import urls
from .index import Who
from .model import Article

_DATETIME = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Ann:
    """One element to wrap around ``text[start:end]``; smaller ``rank`` sits outside."""

    start: int
    end: int
    rank: int
    tag: str
    attrs: tuple[tuple[str, str], ...] = ()
    first_attrs: tuple[tuple[str, str], ...] = ()  # only on the first fragment (ids)
    prefix: Markup = Markup("")  # inside the first fragment, before the text
    suffix: Markup = Markup("")  # inside the last fragment, after the text


# markupsafe's entities, without a Markup object per piece: a page has thousands
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


def _open(ann: Ann, first: bool) -> str:
    attrs = ann.attrs + (ann.first_attrs if first else ())
    parts = "".join(f' {k}="{_escape(v)}"' for k, v in attrs)
    return f"<{ann.tag}{parts}>" + (str(ann.prefix) if first else "")


def render(text: str, start: int, end: int, anns: list[Ann]) -> Markup:
    """HTML for ``text[start:end]`` with ``anns`` (clipped to the range) as elements."""
    clipped = []
    for a in anns:
        s, e = max(a.start, start), min(a.end, end)
        if s < e:
            clipped.append((s, e, a))
    clipped.sort(key=_outer_first)
    # rank in nesting order, end (clipped) and the element itself, by start
    starts: dict[int, list] = {}
    for rank, (s, e, a) in enumerate(clipped):
        starts.setdefault(s, []).append((rank, e, a))
    bounds = sorted({start, end} | starts.keys() | {e for _, e, _ in clipped})
    out: list[str] = []
    stack: list[Ann] = []
    active: list[tuple[int, int, Ann]] = []  # kept in nesting order
    for pos, nxt in zip(bounds, bounds[1:], strict=False):
        opening = starts.get(pos)
        if opening:
            active = sorted(active + opening, key=_first)
        if any(e <= pos for _, e, _ in active):
            active = [x for x in active if x[1] > pos]
        keep = 0
        while keep < len(stack) and keep < len(active) and stack[keep] is active[keep][2]:
            keep += 1
        _close(stack, keep, pos, out)
        for _, _, a in active[keep:]:
            out.append(_open(a, pos == a.start))
            stack.append(a)
        out.append(_escape(text[pos:nxt]))
    _close(stack, 0, end, out)
    return Markup("".join(out))


def _first(item) -> int:
    return item[0]


def _outer_first(item) -> tuple:
    s, e, a = item
    return (a.rank, a.start, -a.end, a.tag, a.attrs)


def _close(stack: list[Ann], keep: int, pos: int, out: list[str]) -> None:
    while len(stack) > keep:
        a = stack.pop()
        if pos >= a.end:
            out.append(str(a.suffix))
        out.append(f"</{a.tag}>")


@dataclass(frozen=True)
class HtmlBlock:
    kind: str  # "paragraph" | "heading" | "caption"
    html: Markup


def date_ann(start: int, end: int, value: str | None) -> Ann:
    """A date expression: ``<time>`` when the value is a valid HTML date, shown after it."""
    if value is None:
        return Ann(start, end, 4, "span", (("class", "date unresolved"),))
    shown = Markup('<span class="date-value"> (%s)</span>') % value
    if _DATETIME.match(value):
        return Ann(start, end, 4, "time", (("class", "date"), ("datetime", value)), suffix=shown)
    return Ann(start, end, 4, "span", (("class", "date"), ("data-value", value)), suffix=shown)


def article_anns(article: Article, people: dict[str, Who]) -> list[Ann]:
    """Every annotation layer of ``article``: sentences, statements, quotes, mentions, dates."""
    anns = [
        Ann(s.start, s.end, 0, "span", (("class", "s"),), (("id", urls.sentence_anchor(i)),))
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
        for st in sp.statements:
            attrs = (("class", f"stmt {cls}"), ("title", f"{who.name} ({st.kind})"))
            anns.append(Ann(st.start, st.end, 1, "mark", attrs, prefix=label))
        for q in sp.quotes:
            anns.append(Ann(q.start, q.end, 2, "span", (("class", f"quote {cls}"),)))
    mentions = [m for sp in article.speakers for m in sp.mentions]
    mentions += [m for p in article.people for m in p.mentions]
    for m in mentions:
        who = people.get(m.person) if m.person else None
        if who is None:
            continue
        cls = f"mention spk-{who.colour}" if who.colour is not None else "mention person"
        hidden = Markup("")
        if m.text.strip() != who.name:
            hidden = Markup('<span class="visually-hidden"> (%s)</span>') % who.name
        anns.append(
            Ann(m.start, m.end, 3, "span", (("class", cls), ("title", who.title)), suffix=hidden)
        )
    anns.extend(date_ann(d.start, d.end, d.value) for d in article.dates)
    return anns


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
