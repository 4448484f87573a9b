"""Charts drawn at build time as inline SVG: no script, no remote library.

Colours come from CSS classes (``bar``, ``range``, ``axis``...) so the charts follow
the page's light/dark scheme and print stylesheet. Coordinates are formatted with
one decimal so that the same data always gives byte-identical output.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from .index import MONTHS, MonthCount


def _n(x: float) -> str:
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg(
    ident: str, width: int, height: int, title: str, desc: str, body: list[str], cls: str = ""
) -> Markup:
    # a chart with links is a group: "img" would hide its links from assistive technology
    role = "group" if any(part.startswith("<a ") for part in body) else "img"
    head = (
        f'<svg class="chart{cls}" id="{escape(ident)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="{role}" '
        f'aria-labelledby="{escape(ident)}-t {escape(ident)}-d" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(ident)}-t">{escape(title)}</title>'
        f'<desc id="{escape(ident)}-d">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def month_bars(
    ident: str,
    counts: list[MonthCount],
    title: str,
    href: Callable[[str], str] | None = None,
    width: int = 720,
    height: int = 180,
) -> Markup:
    """A bar per month (zeros included), year labels under each January and the first bar."""
    if not counts:
        return Markup("")
    top = max(c.count for c in counts) or 1
    left, right, base, head = 28, 8, height - 36, 16
    step = min(56.0, (width - left - right) / len(counts))  # few months: no giant bars
    width = round(left + right + step * len(counts)) + 40  # room for the last year label
    bar_w = max(1.0, step * 0.7)
    body = [
        f'<line class="axis" x1="{left}" y1="{base}" x2="{width - right - 40}" y2="{base}"/>',
        f'<text class="tick" x="{left - 4}" y="{head + 4}" text-anchor="end">{top}</text>',
        f'<text class="tick" x="{left - 4}" y="{base}" text-anchor="end">0</text>',
    ]
    for i, c in enumerate(counts):
        x = left + i * step + (step - bar_w) / 2
        h = (base - head) * c.count / top
        cx = x + bar_w / 2
        noun = "article" if c.count == 1 else "articles"
        rect = (
            f'<rect class="bar" x="{_n(x)}" y="{_n(base - h)}" width="{_n(bar_w)}" '
            f'height="{_n(h)}"><title>{escape(c.label)}: {c.count} {noun}</title></rect>'
        )
        if c.count and href is not None:
            name = f"{c.label}: {c.count} {noun}"
            rect = f'<a href="{escape(href(c.key))}" aria-label="{escape(name)}">{rect}</a>'
        body.append(rect)
        if c.count:
            body.append(
                f'<text class="value" x="{_n(cx)}" y="{_n(base - h - 3)}" '
                f'text-anchor="middle">{c.count}</text>'
            )
        month = int(c.key[5:7])
        if i == 0 or month == 1:
            body.append(
                f'<text class="tick" x="{_n(x)}" y="{base + 28}">{escape(c.key[:4])}</text>'
            )
        if len(counts) <= 24 or month in (1, 4, 7, 10):
            body.append(
                f'<text class="tick" x="{_n(cx)}" y="{base + 13}" '
                f'text-anchor="middle">{escape(MONTHS[month - 1][:3])}</text>'
            )
    total = sum(c.count for c in counts)
    desc = f"{total} dated articles from {counts[0].label} to {counts[-1].label}."
    return _svg(ident, width, height, title, desc, body)


def sparkline(ident: str, counts: list[MonthCount], title: str) -> Markup:
    """A small bar chart without axes, for topic pages."""
    if not counts:
        return Markup("")
    width, height = 240, 40
    top = max(c.count for c in counts) or 1
    step = min(20.0, width / len(counts))
    width = round(step * len(counts))
    body = [f'<line class="axis" x1="0" y1="{height - 1}" x2="{width}" y2="{height - 1}"/>']
    for i, c in enumerate(counts):
        h = (height - 4) * c.count / top
        body.append(
            f'<rect class="bar" x="{_n(i * step + step * 0.15)}" y="{_n(height - 1 - h)}" '
            f'width="{_n(max(1.0, step * 0.7))}" height="{_n(h)}">'
            f"<title>{escape(c.label)}: {c.count}</title></rect>"
        )
    desc = f"Articles per month from {counts[0].label} to {counts[-1].label}."
    return _svg(ident, width, height, title, desc, body)


@dataclass(frozen=True)
class Range:
    """One row of the range chart: a day (start == end) or a window."""

    label: str
    start: str  # YYYY-MM-DD (or YYYY-MM, YYYY)
    end: str
    href: str | None = None


def _day(value: str, last: bool = False) -> int:
    parts = value[:10].split("-")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else (12 if last else 1)
    if len(parts) > 2:
        return date(year, month, int(parts[2])).toordinal()
    if not last:
        return date(year, month, 1).toordinal()
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return nxt.toordinal() - 1


def _valid(r: Range) -> bool:
    try:
        return _day(r.start) <= _day(r.end, last=True)
    except (ValueError, IndexError):
        return False


def ranges(
    ident: str, items: list[Range], title: str, width: int = 720, narrow: bool = False
) -> Markup:
    """Days as dots and windows as bars on one time axis, one row per item.

    ``narrow`` puts each label above its row instead of beside it, for phones: there the
    wide chart would have to scroll sideways to show any date at all.
    """
    items = [r for r in items if _valid(r)]
    if not items:
        return Markup("")
    if narrow:
        width = min(width, 360)
        row, label_w, pad, axis_h, chars = 36, 0, 6, 28, 52
    else:
        row, label_w, pad, axis_h, chars = 22, 230, 10, 28, 34
    lo = min(_day(r.start) for r in items)
    hi = max(_day(r.end, last=True) for r in items)
    first_year, last_year = date.fromordinal(lo).year, date.fromordinal(hi).year
    lo = min(lo, date(first_year, 1, 1).toordinal())
    hi = max(hi, date(last_year + 1, 1, 1).toordinal())
    plot = width - label_w - pad - (4 if narrow else 0)

    def x(day: int) -> float:
        return label_w + (4 if narrow else 0) + plot * (day - lo) / (hi - lo)

    height = axis_h + row * len(items) + 4
    body = []
    for year in range(first_year, last_year + 2):
        tx = x(date(year, 1, 1).toordinal())
        body.append(
            f'<line class="grid" x1="{_n(tx)}" y1="{axis_h - 6}" x2="{_n(tx)}" y2="{height}"/>'
        )
        if year <= last_year:
            body.append(f'<text class="tick" x="{_n(tx + 3)}" y="{axis_h - 10}">{year}</text>')
    for i, r in enumerate(items):
        top = axis_h + i * row
        y = top + (25 if narrow else row / 2)
        label_y = top + 13 if narrow else y + 4
        a, b = _day(r.start), _day(r.end, last=True)
        short = r.label if len(r.label) <= chars else r.label[: chars - 1] + "\u2026"
        label = f'<text class="label" x="0" y="{_n(label_y)}">{escape(short)}</text>'
        if r.start == r.end and len(r.start) >= 10:
            mark = f'<circle class="dot" cx="{_n(x(a))}" cy="{_n(y)}" r="5">'
        else:
            w = max(3.0, x(b + 1) - x(a))
            mark = (
                f'<rect class="range" x="{_n(x(a))}" y="{_n(y - 5)}" width="{_n(w)}" '
                f'height="10" rx="3">'
            )
        tip = r.start if r.start == r.end else f"{r.start} to {r.end}"
        mark += f"<title>{escape(r.label)}: {escape(tip)}</title>"
        mark += "</circle>" if mark.startswith("<circle") else "</rect>"
        group = label + mark
        if r.href:
            name = f"{r.label}: {tip}"
            group = f'<a href="{escape(r.href)}" aria-label="{escape(name)}">{group}</a>'
        body.append(group)
    desc = f"{len(items)} articles on a time axis from {first_year} to {last_year}."
    # kept at full size (the wide one scrolls on phones): shrunk, its labels would be unreadable
    return _svg(ident, width, height, title, desc, body, " fixed")
