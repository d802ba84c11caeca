"""When two reports are one event: the merge rules, as pure functions.

Several articles reporting the same meeting must make one event with several sources
(GDELT's duplicate counting is what users of event data complain about most); but an event
whose sources are unrelated incidents invents corroboration, and an analyst reads
"sources: 13" as thirteen reports of one act. Two reports are the same event when

- their **key** is equal: same PLOVER type, same set of actor codes, same set of recipient
  codes, same aux, and a **date known to the day** that is the same (``2017-09-25``, or a
  span that starts on a day, ``2017-10-18/2017-10-21``). An event dated by its story's
  publication date (the story's occasion) has that day, so two articles of the same day
  reporting it merge. A report dated only to a month or a year, or not dated at all, merges
  with no other article's report: "gunmen killed 15 civilians in Iraq" and "a car bomb killed
  40 people in Iraq" are both ASSAULT on IRQ, and nothing says they are one attack; a month
  holds several meetings, and merging on a prefix would make the result depend on the order
  articles arrive in. Within one article such reports still merge (the same act mentioned
  twice). aux is in the key because "will meet" and "met" (or "did not meet") are not one
  event; the SPEC dates an AGREE when the commitment is made, so a promise and its
  fulfilment already differ in date anyway.
- their **places are compatible**: one of them has no place, or both name a country and it
  is the same, or (countries unknown) they name the same place.

An event's place, mode and context are then summaries of its reports (see
:func:`summary_place`), recomputed whenever its reports change.
"""
from __future__ import annotations

import calendar
import re
from typing import Iterable

_NAME_TOKEN = re.compile(r"[^\W_]+")
#: A date known to the day: YYYY-MM-DD, alone or opening a span or a time.
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:$|[/T ])", re.ASCII)


def codes(participants: Iterable[dict]) -> list[str]:
    """Sorted, distinct codes of a list of participants (``{"code": ..., ...}``)."""
    return sorted({p["code"] for p in participants if p.get("code")})


def mergeable_date(date: str | None) -> bool:
    """Whether reports with this date may be one event across articles: a date known to the
    day (``2017-09-25``, ``2017-10-18/2017-10-21``), not a month, a year or no date."""
    return bool(date) and _DAY.match(date) is not None


def event_key(event_type: str, actors: list[str], recipients: list[str], date: str | None,
              aux: str | None, article: str) -> str:
    """The merge key of an event report of ``article``: ``TYPE|A,B|C|date|aux`` for a report
    dated to the day; ``TYPE|A,B|C|~date|aux|article`` for one that is not (undated, a month, a
    year), which only the same article's reports share (see the module doc)."""
    parts = (event_type, ",".join(actors), ",".join(recipients))
    if mergeable_date(date):
        return "|".join((*parts, date, aux or ""))
    return "|".join((*parts, f"~{date or ''}", aux or "", article))


def places_compatible(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    """Whether two (name, country) places can be where one event happened."""
    (name_a, country_a), (name_b, country_b) = a, b
    if not (name_a or country_a) or not (name_b or country_b):
        return True  # one report has no place
    if country_a and country_b:
        return country_a == country_b
    return bool(name_a and name_b and name_a.casefold() == name_b.casefold())


def summary_place(places: list[tuple[str | None, str | None, float | None, float | None]]
                  ) -> tuple[str | None, str | None, float | None, float | None]:
    """The place of an event from its reports' (name, country, lat, lon), earliest first:
    the place they all name; else their common country (SPEC: several places in one country
    -> that country); else none."""
    known = [p for p in places if p[0] or p[1]]
    if not known:
        return None, None, None, None
    names = {(p[0] or "").casefold() for p in known}
    countries = {p[1] for p in known if p[1]}
    if len(names) == 1 and len(countries) <= 1:
        first = next((p for p in known if p[1]), known[0])
        name = known[0][0]
        lat = next((p[2] for p in known if p[2] is not None), None)
        lon = next((p[3] for p in known if p[3] is not None), None)
        return name, first[1], lat, lon
    if len(countries) == 1:
        return None, next(iter(countries)), None, None
    return None, None, None, None


def date_bounds(date: str | None, enddate: str | None = None) -> tuple[str | None, str | None]:
    """First and last day a date covers, as YYYY-MM-DD: ``2017`` -> (2017-01-01, 2017-12-31),
    ``2017-10-18/2017-10-21`` -> (2017-10-18, 2017-10-21). Unparseable parts give None."""
    if not date:
        return None, None
    start, _, end = date.partition("/")
    end = end or enddate or start
    return _pad(start, low=True), _pad(end, low=False)


def _pad(value: str, *, low: bool) -> str | None:
    value = value.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T.*)?", value)
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    if day:
        return f"{year}-{month}-{day}"
    if month:
        if low:
            return f"{year}-{month}-01"
        last = calendar.monthrange(int(year), int(month))[1] if 1 <= int(month) <= 12 else 31
        return f"{year}-{month}-{last:02d}"
    return f"{year}-01-01" if low else f"{year}-12-31"


def named_event_key(name: str, kind: str | None) -> str:
    """The merge key of a named event: its type and its name's words in lower case
    ("Vzaimodeistvoye-2017" and "VZAIMODEISTVOYE 2017" are one exercise)."""
    words = " ".join(_NAME_TOKEN.findall(name.casefold()))
    return f"{kind or ''}|{words}"
