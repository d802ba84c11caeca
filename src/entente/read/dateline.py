"""Wire datelines: the place, date and publisher a story opens with, and the agencies it
came *via* ("BelTA has learned", "TASS reports", "according to Reuters").

Shapes read (each may be preceded by blank lines):

- ``date 2017-09-27 MOSCOW. KAZINFORM Representatives of ...``
- ``MOSCOW, Sept 27 (Reuters) - ...``  /  ``BEIJING, March 13 (Xinhua) -- ...``
- ``ASTANA. KAZINFORM - ...``
- ``WASHINGTON (AP) -- ...``  /  ``UNITED NATIONS (AP) _ ...``
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from ..dates import is_date

_MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], 1) for m in names}

_PLACE = r"(?P<place>[A-Z][A-Z.'\-]+(?:[ ][A-Z][A-Z.'\-]+){0,3})"
_MONTH = r"(?P<month>[A-Z][a-z]{2,8}\.?)"
_DASH = r"\s*(?:-{1,2}|–|—|_)\s*"
_SHAPES = [
    # date 2017-09-27 MOSCOW. KAZINFORM Representatives of Serbia ...
    re.compile(r"date\s+(?P<iso>\d{4}-\d{2}-\d{2})\s+" + _PLACE + r"\.\s+(?P<pub>[A-Z][A-Za-z]*[A-Z])(?:" + _DASH + r"|\s+)"),
    # MOSCOW, Sept 27 (Reuters) -    BEIJING, March 13 (Xinhua) --
    re.compile(_PLACE + r",\s+" + _MONTH + r"\s+(?P<day>\d{1,2})(?:,\s*(?P<year>\d{4}))?\s*\((?P<pub>[^()\n]{2,40})\)" + _DASH),
    # WASHINGTON (AP) --    UNITED NATIONS (AP) _
    re.compile(_PLACE + r"(?:,\s+[A-Z][A-Za-z.]+)?\s*\((?P<pub>[^()\n]{2,40})\)" + _DASH),
    # ASTANA. KAZINFORM -
    re.compile(_PLACE + r"\.\s+(?P<pub>[A-Z][A-Za-z]*[A-Z])" + _DASH),
]


@dataclass
class ParsedDateline:
    date: str | None = None
    place: str | None = None
    publisher: str | None = None
    via: list[str] = field(default_factory=list)
    start: int = 0          # where the dateline begins in the text
    body_start: int = 0     # where the story proper begins
    url_date: str | None = None   # the URL's date, when neither the article nor its dateline gives one

    def as_record(self) -> dict:
        """The record's ``dateline``: the date given (or the dateline's), else the URL's, at
        the precision the URL gives (2016-05), marked ``date_source: "url"``. ``date`` is
        what the resolver reads: a URL's date only when it names a day."""
        out = {"date": self.date or self.url_date, "place": self.place, "publisher": self.publisher,
               "via": self.via}
        if self.url_date and out["date"] == self.url_date:
            out["date_source"] = "url"
        return out


def _title_place(raw: str) -> str:
    """MOSCOW -> Moscow, UNITED NATIONS -> United Nations, WASHINGTON D.C. -> Washington D.C."""
    words = []
    for w in raw.split():
        words.append(w if "." in w and len(w) <= 5 else w.capitalize())
    return " ".join(words)


def _resolve_month_day(month: str, day: str, year: str | None, published: str | None) -> str | None:
    m = _MONTHS.get(month.rstrip(".").lower())
    if m is None:
        return None
    d = int(day)
    if year:
        y = int(year)
    elif published and is_date(published[:10]):
        ref = date.fromisoformat(published[:10])
        y = ref.year
        # "Dec 31" in a story published on 2 January is last year's
        if m > ref.month + 6:
            y -= 1
    else:
        return None
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_dateline(text: str, published: str | None = None, agencies: dict[str, str] | None = None,
                   url: str | None = None) -> ParsedDateline:
    """The dateline at the head of ``text`` (nothing found: an empty ParsedDateline).

    ``published`` (a date given with the article) outranks the dateline's date, which
    outranks the date in the article's ``url`` (:func:`entente.read.urldate.date_from_url`).
    ``agencies`` maps surface forms to canonical agency names ("KAZINFORM" -> "Kazinform").
    """
    parsed = _parse_dateline(text, published, agencies)
    if parsed.date is None and url:
        from .urldate import date_from_url

        parsed.url_date = date_from_url(url)
        if parsed.url_date and len(parsed.url_date) == 10:   # a day: the resolver dates against it
            parsed.date = parsed.url_date
    return parsed


def _parse_dateline(text: str, published: str | None, agencies: dict[str, str] | None) -> ParsedDateline:
    agencies = agencies or {}
    lead = len(text) - len(text.lstrip())
    head = text[lead: lead + 300]
    for shape in _SHAPES:
        m = shape.match(head)
        if not m:
            continue
        groups = m.groupdict()
        pub_raw = groups["pub"].strip()
        pub = agencies.get(pub_raw) or agencies.get(pub_raw.title()) or (
            pub_raw if not pub_raw.isupper() or len(pub_raw) <= 4 else pub_raw.capitalize())
        if groups.get("iso"):
            # "date 2017-13-45 MOSCOW." names no day: the dateline has no date
            when = groups["iso"] if is_date(groups["iso"]) else None
        elif groups.get("month"):
            when = _resolve_month_day(groups["month"], groups["day"], groups.get("year"), published)
        else:
            when = None
        parsed = ParsedDateline(date=published or when, place=_title_place(groups["place"]),
                                publisher=pub, start=lead, body_start=lead + m.end())
        parsed.via = find_via(text, agencies, exclude={pub})
        return parsed
    return ParsedDateline(date=published, via=find_via(text, agencies), start=lead, body_start=lead)


_VIA_AFTER = r"(?:has|have)\s+learned|learned|learnt|reports|reported|informs|writes|cited|quoted"


@lru_cache(maxsize=8)
def _via_pattern(names: tuple[str, ...]) -> re.Pattern:
    alt = "|".join(re.escape(n) for n in names)
    return re.compile(
        rf"\b(?P<a>{alt})\s+(?:{_VIA_AFTER})\b|\baccording\s+to\s+(?:the\s+)?(?P<b>{alt})\b|"
        rf"\b(?:told|citing|cited\s+by|quoted\s+by|reported\s+by)\s+(?:the\s+)?(?P<c>{alt})\b")


def find_via(text: str, agencies: dict[str, str], exclude: set[str] | None = None) -> list[str]:
    """Agencies the story came through: "BelTA has learned", "TASS reports", "according to Reuters"."""
    if not agencies:
        return []
    pattern = _via_pattern(tuple(sorted(agencies, key=len, reverse=True)))
    out: list[str] = []
    for m in pattern.finditer(text):
        name = agencies[m.group("a") or m.group("b") or m.group("c")]
        if name not in out and name not in (exclude or set()):
            out.append(name)
    return out
