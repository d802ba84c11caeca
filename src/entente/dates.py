"""ISO dates as people type them: what is a date, and why a string is not one.

One rule for every door a date comes in by (an article's ``date``, a TimeML creation time,
``POST /api/articles``, the ``since``/``until`` filters of the CLI, the API and the pages),
so that ``2017-13-45``, ``2017-02-30``, ``0000-00-00`` and full-width digits are refused
everywhere with the same reason, never passed on to fail later.

    date_problem("2017-02-30")                   -> "2017-02 has 28 days"
    date_problem("2017-09", partial=True)        -> None
    date_problem("２０１７-０９-２７")             -> "its digits are not ASCII digits (0-9)"
"""
from __future__ import annotations

import calendar
import re

#: YYYY-MM-DD, optionally followed by a time (2017-09-27T10:00:00Z, 2017-09-27 10:00).
_FULL = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ][0-9:.,+\-Z ]*)?", re.ASCII)
#: YYYY, YYYY-MM or YYYY-MM-DD (the filters' precisions).
_PARTIAL = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", re.ASCII)


def date_problem(value: object, *, partial: bool = False) -> str | None:
    """Why ``value`` is not an ISO date (``YYYY-MM-DD``, a time after it allowed; with
    ``partial``, ``YYYY`` or ``YYYY-MM`` too), or None when it is one."""
    if not isinstance(value, str):
        return f"it is a {type(value).__name__}, not a string"
    text = value.strip()
    m = (_PARTIAL if partial else _FULL).fullmatch(text)
    if m is None:
        if any(ch.isdigit() and not ("0" <= ch <= "9") for ch in text):
            return "its digits are not ASCII digits (0-9)"
        return "it is not in the form YYYY-MM-DD" if not partial else "it is not in the form YYYY, YYYY-MM or YYYY-MM-DD"
    year, month, day = m.group(1), m.group(2), m.group(3)
    if int(year) == 0:
        return "there is no year 0000"
    if month is not None and not 1 <= int(month) <= 12:
        return f"there is no month {month}"
    if day is not None:
        days = calendar.monthrange(int(year), int(month))[1]
        if not 1 <= int(day) <= days:
            return f"{year}-{month} has {days} days"
    return None


def is_date(value: object, *, partial: bool = False) -> bool:
    """Whether ``value`` is an ISO date (see :func:`date_problem`)."""
    return date_problem(value, partial=partial) is None
