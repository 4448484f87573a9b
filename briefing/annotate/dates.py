"""The dates annotator: every date expression of an article, valued; the event's day.

Three steps. The grammar (:mod:`.dates_grammar`, vocabulary from ``content/dates.yaml``)
finds the expressions. Each gets a value, ISO 8601 / TIMEX style (``2021-09-12``,
``2021-09``, ``2021``, ``199X``), or None when the text and the publication date do not
fix one. Then :mod:`.dates_event` finds the publication date in the text when the
metadata has none, the day of the call or meeting, and failing that the window the
event must lie in.

What an expression covers: the words that carry the date, plus a leading preposition
where it changes the meaning of a contextual expression ("on Saturday", "In July",
"by the end of the year"); explicit dates stand alone ("September 12, 2021", "2017").
Numeric dates count only when unambiguous: ISO "2021-09-12", dotted "12.09.2021"
(day first, the only convention that uses dots), or slashes where one number exceeds
12 ("25/12/2020"); "05/06/2021" is named with no value.

How an expression gets its value:

- A full date is its own value; "July 26" takes the year in context (below).
- Weekdays ("on Saturday") resolve against the reference day: the latest such weekday
  on or before it ("last" strictly before, "next" strictly after). The reference day is
  the publication date, else the event's day when the text states it as a full date
  (a photo caption "... on September 12, 2021"); with neither, there is no value.
- "yesterday", "two days ago" count from the publication date only; "last year",
  "next month" from the reference day. Weeks have no value (the schema has no weeks).
- The year in context, for "In July", "July 26" or "by the end of the year": a year
  written in the same sentence; else the reference day's (the nearest July to it);
  else the last year written earlier in the paragraph; else the latest year the
  article writes. Decades never count as years.
- Occasions (Eid al-Fitr, Arba'een, Nowruz...) are valued only when the text ties them
  to one year ("Nowruz 2021", "this year's Arbaeen"): the day that year, from the
  Hijri or Persian calendar. A bare "Eid al-Fitr" names no particular year's feast.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from .. import segment
from ..knowledge import Knowledge
from ..knowledge.dateres import DateResources, Period
from ..model import Article, DateExpr
from . import dates_calendar as cal
from . import dates_event
from .dates_grammar import Cand, grammar


@dataclass
class Valued:
    """A found expression with its value and where the value came from."""

    cand: Cand
    value: str | None = None
    # explicit | sentence | reference | published | paragraph | latest: the text wrote
    # it, a year in the same sentence, the reference or publication day, an earlier
    # year of the paragraph, the latest year of the article (the last two are guesses)
    source: str | None = None
    day: dt.date | None = None  # the value as a date, when it names a day


@dataclass
class _Context:
    """What the values of one text depend on: its sentences, its years, its reference day."""

    published: dt.date | None
    reference: dt.date | None
    sentence_starts: list[int]
    sentence_blocks: list[int]
    markers: list[tuple[int, int]] = field(default_factory=list)  # (position, year) in order

    def sentence(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sentence_starts, pos) - 1)

    def block(self, pos: int) -> int:
        return self.sentence_blocks[self.sentence(pos)] if self.sentence_blocks else 0


def to_date(value) -> dt.date | None:
    """A YYYY-MM-DD string (or a datetime's first ten characters) as a date, else None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _month_year(ref: dt.date, month: int, rule: str) -> int:
    """The year of ``month`` on the side of ``ref`` that ``rule`` names ("last July": before)."""
    if rule == "before":
        return ref.year if month < ref.month else ref.year - 1
    if rule == "on_or_before":
        return ref.year if month <= ref.month else ref.year - 1
    if rule == "after":
        return ref.year if month > ref.month else ref.year + 1
    if rule == "on_or_after":
        return ref.year if month >= ref.month else ref.year + 1
    return ref.year


def _iso_month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


class Resolver:
    """Values the expressions of one text, in text order."""

    def __init__(self, res: DateResources, cands: list[Cand], ctx: _Context):
        self.res = res
        self.cands = cands
        self.ctx = ctx
        ctx.markers = [(c.start, c.year) for c in cands if c.explicit_year]
        self._last_day: dt.date | None = None

    def run(self) -> list[Valued]:
        out = []
        self._last_day = None
        for cand in self.cands:
            valued = self.value(cand)
            if valued.day is not None:
                self._last_day = valued.day
            out.append(valued)
        return out

    # -- the year in context ----------------------------------------------------------
    def context_year(self, cand: Cand, month: int | None = None, day: int | None = None):
        """(year, source) for an expression that writes no year, or (None, None)."""
        ctx = self.ctx
        sentence = ctx.sentence(cand.start)
        near = [
            (abs(pos - cand.start), year)
            for pos, year in ctx.markers
            if pos != cand.start and ctx.sentence(pos) == sentence
        ]
        if near:
            return min(near)[1], "sentence"
        if ctx.reference:
            if month:
                return cal.closest_year(ctx.reference, month, day), "reference"
            return ctx.reference.year, "reference"
        block = ctx.block(cand.start)
        earlier = [y for pos, y in ctx.markers if pos < cand.start and ctx.block(pos) == block]
        if earlier:
            return earlier[-1], "paragraph"
        if ctx.markers:
            return max(y for _, y in ctx.markers), "latest"
        return None, None

    def _previous_year(self, cand: Cand) -> int | None:
        earlier = [y for pos, y in self.ctx.markers if pos < cand.start]
        return earlier[-1] if earlier else None

    # -- values -----------------------------------------------------------------------
    def value(self, c: Cand) -> Valued:
        handler = getattr(self, "_" + c.kind)
        return handler(c)

    def _date(self, c: Cand) -> Valued:
        if c.ambiguous or c.month is None:
            return Valued(c)
        year, source = (c.year, "explicit") if c.year else self.context_year(c, c.month, c.day)
        if year is None:
            return Valued(c)
        if c.range_end:  # "September 12-14": the month holds both ends
            return Valued(c, _iso_month(year, c.month), source)
        try:
            day = dt.date(year, c.month, c.day)
        except ValueError:  # "February 30"
            return Valued(c)
        return Valued(c, day.isoformat(), source, day)

    def _month(self, c: Cand) -> Valued:
        if c.year:
            return Valued(c, _iso_month(c.year, c.month), "explicit")
        if c.month_rule is not None:
            ref = self.ctx.reference
            if ref is None:
                return Valued(c)
            return Valued(
                c, _iso_month(_month_year(ref, c.month, c.month_rule), c.month), "reference"
            )
        year, source = self.context_year(c, c.month)
        return Valued(c, _iso_month(year, c.month), source) if year else Valued(c)

    def _year(self, c: Cand) -> Valued:
        return Valued(c, f"{c.year:04d}", "explicit")

    def _decade(self, c: Cand) -> Valued:
        return Valued(c, c.decade, "explicit")

    def _part(self, c: Cand) -> Valued:
        if c.period is not None:
            return self._period(c, c.period)
        if c.month is None:
            return Valued(c, f"{c.year:04d}", "explicit")
        return self._month(c)

    def _period(self, c: Cand, period: Period) -> Valued:
        ref = self.ctx.reference
        if period.unit == "week":
            return Valued(c)
        if period.base == "reference":
            if ref is None:
                return Valued(c)
            if period.unit == "year":
                return Valued(c, f"{ref.year + period.offset:04d}", "reference")
            month = cal.add_months(ref.year, ref.month, period.offset)
            return Valued(c, _iso_month(*month), "reference")
        if period.base == "previous":
            year = self._previous_year(c)
            if year is None or period.unit != "year":
                return Valued(c)
            return Valued(c, f"{year + period.offset:04d}", "paragraph")
        # context
        if period.unit == "year":
            year, source = self.context_year(c)
            if year is None:
                return Valued(c)
            return Valued(c, f"{year + period.offset:04d}", source)
        if ref is None:  # "the end of the month": the reference day's month
            return Valued(c)
        month = cal.add_months(ref.year, ref.month, period.offset)
        return Valued(c, _iso_month(*month), "reference")

    def _weekday(self, c: Cand) -> Valued:
        ref = self.ctx.reference
        if ref is None:
            return Valued(c)
        day = cal.resolve_weekday(ref, c.weekday, c.direction)
        source = "published" if ref == self.ctx.published else "reference"
        return Valued(c, day.isoformat(), source, day)

    def _relative(self, c: Cand) -> Valued:
        published, ref = self.ctx.published, self.ctx.reference
        if c.period is not None:
            return self._period(c, c.period)
        if c.days_from_published is not None:
            if published is None:
                return Valued(c)
            day = published + dt.timedelta(days=c.days_from_published)
            return Valued(c, day.isoformat(), "published", day)
        if c.days_from_previous is not None:
            if self._last_day is None:
                return Valued(c)
            day = self._last_day + dt.timedelta(days=c.days_from_previous)
            return Valued(c, day.isoformat(), "paragraph", day)
        count, unit = c.ago
        if count is None or unit == "week":
            return Valued(c)
        if unit == "day":
            if published is None:
                return Valued(c)
            day = published - dt.timedelta(days=count)
            return Valued(c, day.isoformat(), "published", day)
        if ref is None:
            return Valued(c)
        if unit == "month":
            return Valued(c, _iso_month(*cal.add_months(ref.year, ref.month, -count)), "reference")
        return Valued(c, f"{ref.year - count:04d}", "reference")

    def _occasion(self, c: Cand) -> Valued:
        occasion, ref = c.occasion, self.ctx.reference
        year = c.year
        if year is None and c.occasion_offset is not None and ref is not None:
            year = ref.year + c.occasion_offset
        if year is None or occasion.calendar is None:
            return Valued(c)
        days = cal.occurrences(
            occasion.calendar, year, occasion.month, occasion.day, occasion.last_weekday
        )
        if not days:
            return Valued(c)
        # a Hijri feast can fall twice in one Gregorian year: the one nearer the reference
        day = min(days, key=lambda d: abs((d - ref).days)) if ref and len(days) > 1 else days[0]
        return Valued(c, day.isoformat(), "explicit", day)


def resolve(
    res: DateResources,
    cands: list[Cand],
    published: dt.date | None,
    reference: dt.date | None,
    sentences: list[tuple[int, int]] | None = None,
) -> list[Valued]:
    """Values for ``cands``; ``sentences`` are (start, block) pairs in text order."""
    sentences = sentences or [(0, 0)]
    ctx = _Context(
        published=published,
        reference=reference,
        sentence_starts=[s for s, _ in sentences],
        sentence_blocks=[b for _, b in sentences],
    )
    return Resolver(res, cands, ctx).run()


def find(
    text: str,
    res: DateResources,
    published: str | dt.date | None = None,
    reference: str | dt.date | None = None,
) -> list[DateExpr]:
    """The date expressions of a bare text, valued against ``published``.

    ``reference`` stands in for an event day when there is no publication date. The
    whole text counts as one paragraph; :func:`annotate` uses the article's blocks.
    """
    published, reference = to_date(published), to_date(reference)
    cands = grammar(res).find(text)
    sentences = [(start, 0) for start, _ in segment.split(text)]
    valued = resolve(res, cands, published, published or reference, sentences)
    return [_expr(text, v) for v in valued]


def _expr(text: str, v: Valued) -> DateExpr:
    c = v.cand
    return DateExpr(c.start, c.end, text[c.start : c.end], v.value, c.kind)


def annotate(article: Article, kb: Knowledge) -> None:
    """Fill ``article.dates``, ``published`` (from the text, if the metadata has none),
    ``event_date`` and ``event_window``."""
    res = kb.dates
    g = grammar(res)
    published = to_date(article.published)
    if published is None:
        published = to_date(dates_event.published_from_text(article, res, g))
    article.published = published.isoformat() if published else None

    cands = g.find(article.text)
    sentences = [(s.start, s.block) for s in article.sentences]
    valued = resolve(res, cands, published, published, sentences)
    event = dates_event.event_day(article, valued, res)
    if event is not None and published is None:
        # the stated event day is the reference for weekdays, "In July", "the year"
        valued = resolve(res, cands, None, event, sentences)
    article.dates = [_expr(article.text, v) for v in valued]
    article.event_date = event.isoformat() if event else None
    article.event_window = None if event else dates_event.event_window(article, kb, published)


sort_key = dates_event.sort_key
