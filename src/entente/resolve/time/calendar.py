"""Calendar arithmetic for time expressions: the publication date, ISO weeks, months added,
movable feasts, and the year or day a date named without one refers to."""
from __future__ import annotations

from datetime import date, timedelta

def parse_published(published: str | None) -> date | None:
    if published is None or published == "":
        return None
    try:
        return date.fromisoformat(str(published)[:10])
    except ValueError:
        raise ValueError(f'published is "{published}"; write it as YYYY-MM-DD (or pass None)') from None


def iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def add_months(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


def safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def easter(y: int) -> date:
    # Anonymous Gregorian algorithm (Meeus/Jones/Butcher)
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return date(y, month, day)


def thanksgiving(y: int) -> date:
    d = date(y, 11, 1)
    d += timedelta(days=(3 - d.weekday()) % 7)  # first Thursday
    return d + timedelta(weeks=3)


SEASON_ORDER = {"SP": 0, "SU": 1, "FA": 2, "WI": 3}
SEASON_OF_MONTH = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP",
                    6: "SU", 7: "SU", 8: "SU", 9: "FA", 10: "FA", 11: "FA"}


def year_for_month(month: int, ref: date, hint: str | None) -> int:
    """The year of a month named without one ("in October").

    past: the latest such month not after the reference; future: the first not before it;
    no hint: the same year, unless the month is within three months across the year end.
    """
    if hint == "past":
        return ref.year if month <= ref.month else ref.year - 1
    if hint == "future":
        return ref.year if month >= ref.month else ref.year + 1
    if ref.month - month > 9:
        return ref.year + 1  # "February" in a December story
    if month - ref.month > 9:
        return ref.year - 1  # "December" in a January story
    return ref.year


def date_without_year(month: int, day: int, ref: date, hint: str | None) -> date | None:
    """The date of a day named without a year ("on 25 September").

    The same year (or the nearest across the year end); a future verb moves a day already
    past to next year. A past verb moves nothing: news often writes "was set for Dec. 15"
    of a day still to come, and on TimeBank the past reading loses more than it gains.
    """
    y = year_for_month(month, ref, None)
    d = safe_date(y, month, day)
    if d is None:
        return None
    if hint == "future" and d < ref - timedelta(days=31):  # a few days back is a late report, not next year
        d = safe_date(y + 1, month, day) or d
    return d


def weekday_date(weekday: int, ref: date, direction: str | None) -> date:
    """The date of a weekday named without a date.

    "last"/"past": the latest before the reference; "next": the first after it; with a
    future verb the first on or after it; otherwise (news mostly means this) the latest
    on or before it.
    """
    delta = (ref.weekday() - weekday) % 7
    if direction == "last":
        return ref - timedelta(days=delta or 7)
    if direction == "next":
        return ref + timedelta(days=(weekday - ref.weekday()) % 7 or 7)
    if direction == "future":
        return ref + timedelta(days=(weekday - ref.weekday()) % 7)
    return ref - timedelta(days=delta)


def season_year(season: str, ref: date, direction: str) -> int:
    """The year of "last summer", "next winter", "this spring" (winter takes the year of its January)."""
    order = {"WI": 0, "SP": 1, "SU": 2, "FA": 3}
    month = ref.month
    cur = (ref.year + (1 if month == 12 else 0)) * 4 + order[SEASON_OF_MONTH[month]]
    want = order[season]
    if direction == "last":
        idx = cur - 1
        while idx % 4 != want:
            idx -= 1
    elif direction == "next":
        idx = cur + 1
        while idx % 4 != want:
            idx += 1
    else:
        return ref.year
    return idx // 4



def weekend(ref: date, direction: str | None) -> str:
    """The ISO week of the weekend meant: the one just past unless the verb is future; on a
    weekend, this one ("2017-W38-WE")."""
    if ref.weekday() >= 5:
        d = ref
    elif direction in ("next", "future"):
        d = ref + timedelta(days=5 - ref.weekday())
    else:
        d = ref - timedelta(days=ref.weekday() + 1)
    return iso_week(d) + "-WE"
