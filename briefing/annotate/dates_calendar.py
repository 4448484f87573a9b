"""Calendar arithmetic for the dates annotator: Hijri and Persian occasions, weekdays.

Hijri (lunar) dates go through ``hijridate`` (the Umm al-Qura calendar, the one Iraq and
most news outlets follow; Iran's own sighting can differ by a day). Persian (Solar
Hijri) dates count from Nowruz, 1 Farvardin: the day of the March equinox at the Tehran
meridian, or the next day when the equinox comes after noon. The equinox instant comes
from Meeus, *Astronomical Algorithms*, ch. 27 (accurate to about a minute for
1000-3000), which reproduces Iran's official Nowruz dates (see the tests).
"""

from __future__ import annotations

import datetime as dt
import math

from hijridate import Gregorian, Hijri

# Meeus table 27.C: periodic terms (A, B degrees, C degrees per century).
_EQUINOX_TERMS = (
    (485, 324.96, 1934.136), (203, 337.23, 32964.467), (199, 342.08, 20.186),
    (182, 27.85, 445267.112), (156, 73.14, 45036.886), (136, 171.52, 22518.443),
    (77, 222.54, 65928.934), (74, 296.72, 3034.906), (70, 243.58, 9037.513),
    (58, 119.81, 33718.147), (52, 297.17, 150.678), (50, 21.02, 2281.226),
    (45, 247.54, 29929.562), (44, 325.15, 31555.956), (29, 60.93, 4443.417),
    (18, 155.12, 67555.328), (17, 288.79, 4562.452), (16, 198.04, 62894.029),
    (14, 199.76, 31436.921), (12, 95.39, 14577.848), (12, 287.11, 31931.756),
    (12, 320.81, 34777.259), (9, 227.73, 1222.114), (8, 15.45, 16859.074),
)  # fmt: skip
_J2000 = dt.datetime(2000, 1, 1, 12)  # JD 2451545.0
_TEHRAN = dt.timedelta(hours=3, minutes=30)  # the meridian of 52.5 degrees east
_DELTA_T = dt.timedelta(seconds=69)  # terrestrial minus universal time, about 2000-2030
# Solar Hijri month lengths: six of 31 days, five of 30, then Esfand.
_PERSIAN_MONTH_START = (0, 31, 62, 93, 124, 155, 186, 216, 246, 276, 306, 336)


def march_equinox_utc(year: int) -> dt.datetime:
    """The instant of the March equinox of ``year``, in UTC (Meeus ch. 27)."""
    y = (year - 2000) / 1000
    jde0 = 2451623.80984 + 365242.37404 * y + 0.05169 * y**2 - 0.00411 * y**3 - 0.00057 * y**4
    t = (jde0 - 2451545.0) / 36525
    w = math.radians(35999.373 * t - 2.47)
    dlambda = 1 + 0.0334 * math.cos(w) + 0.0007 * math.cos(2 * w)
    s = sum(a * math.cos(math.radians(b + c * t)) for a, b, c in _EQUINOX_TERMS)
    jde = jde0 + 0.00001 * s / dlambda
    return _J2000 + dt.timedelta(days=jde - 2451545.0) - _DELTA_T


def nowruz(year: int) -> dt.date:
    """1 Farvardin, the Persian New Year, in Gregorian ``year`` (March 20 or 21)."""
    tehran = march_equinox_utc(year) + _TEHRAN
    day = tehran.date()
    return day if tehran.hour < 12 else day + dt.timedelta(days=1)


def persian_occurrences(year: int, month: int, day: int) -> list[dt.date]:
    """The Gregorian days of Persian ``month``/``day`` that fall in Gregorian ``year``."""
    offset = _PERSIAN_MONTH_START[month - 1] + day - 1
    days = (nowruz(y) + dt.timedelta(days=offset) for y in (year - 1, year))
    return [d for d in days if d.year == year]


def hijri_occurrences(year: int, month: int, day: int | None = None, last: int | None = None):
    """Gregorian days of a Hijri ``month``/``day`` in Gregorian ``year`` (zero, one or two).

    With ``last`` (a weekday, 0 = Monday) instead of ``day``: the last such weekday of
    the Hijri month ("the last Friday of Ramadan"). Years outside the converter's range
    (about 1924-2077) have none.
    """
    try:
        first = Gregorian(year, 1, 1).to_hijri().year
    except (ValueError, OverflowError):
        return []
    out: list[dt.date] = []
    for hy in (first, first + 1):
        try:
            if last is None:
                found = Hijri(hy, month, day or 1).to_gregorian().datetuple()
                found = dt.date(*found)
            else:
                found = _last_weekday_of_hijri_month(hy, month, last)
        except (ValueError, OverflowError):
            continue
        if found.year == year:
            out.append(found)
    return out


def _last_weekday_of_hijri_month(hy: int, month: int, weekday: int) -> dt.date:
    start = Hijri(hy, month, 1)
    end = dt.date(*start.to_gregorian().datetuple()) + dt.timedelta(days=start.month_length() - 1)
    return end - dt.timedelta(days=(end.weekday() - weekday) % 7)


def occurrences(calendar: str, year: int, month: int, day: int | None, last: int | None = None):
    """The days of an occasion's rule in Gregorian ``year`` (see :class:`Occasion`)."""
    if calendar == "hijri":
        return hijri_occurrences(year, month, day, last)
    if calendar == "persian":
        return persian_occurrences(year, month, day or 1)
    if calendar == "gregorian":
        try:
            return [dt.date(year, month, day or 1)]
        except ValueError:
            return []
    raise ValueError(f"unknown calendar {calendar!r}")


def weekday_on_or_before(ref: dt.date, weekday: int) -> dt.date:
    return ref - dt.timedelta(days=(ref.weekday() - weekday) % 7)


def resolve_weekday(ref: dt.date, weekday: int, direction: str) -> dt.date:
    """The ``weekday`` (0 = Monday) meant relative to ``ref``.

    on_or_before: the latest on or before ``ref`` (the news convention for "on Saturday");
    on_or_after: the first on or after it ("talks will be held on Saturday");
    before / after: strictly before / after; nearest: the closest, the past on a tie.
    """
    if direction == "before":
        return weekday_on_or_before(ref - dt.timedelta(days=1), weekday)
    if direction == "after":
        return ref + dt.timedelta(days=(weekday - ref.weekday() - 1) % 7 + 1)
    if direction == "on_or_after":
        return ref + dt.timedelta(days=(weekday - ref.weekday()) % 7)
    past = weekday_on_or_before(ref, weekday)
    if direction == "nearest":
        future = ref + dt.timedelta(days=(weekday - ref.weekday()) % 7)
        return future if (future - ref) < (ref - past) else past
    return past


def add_months(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def closest_year(ref: dt.date, month: int, day: int | None = None) -> int | None:
    """The year that puts ``month`` (and ``day``) nearest to ``ref``: "In December",
    read on January 3, is last December; "on January 15", read on December 20, is next."""
    best: tuple[int, int] | None = None
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            when = dt.date(year, month, day or 15)
        except ValueError:
            continue
        distance = abs((when - ref).days)
        if best is None or distance < best[0]:
            best = (distance, year)
    return best[1] if best else None
