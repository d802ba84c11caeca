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
from pathlib import Path
from datetime import date
from typing import TYPE_CHECKING

from ..dates import is_date
from ..resolve.time.calendar import date_without_year, parse_published

if TYPE_CHECKING:
    from ..resolve.time import TimeWords

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


def _resolve_month_day(month: str, day: str, year: str | None, published: str | None,
                       words: TimeWords) -> str | None:
    """ "Sept 27" (with the month table of the time words): with its year, that day; without
    one, the day of the time rules for a day named without a year (the nearest across the
    year end: "Dec 31" in a story published on 2 January is last year's)."""
    m = words.month_of(month)
    if m is None:
        return None
    d = int(day)
    if year:
        try:
            return date(int(year), m, d).isoformat()
        except ValueError:
            return None
    ref = parse_published(published) if published and is_date(published[:10]) else None
    if ref is None:
        return None
    found = date_without_year(m, d, ref, None)
    return found.isoformat() if found else None


def parse_dateline(text: str, published: str | None = None, agencies: dict[str, str] | None = None,
                   url: str | None = None, *, via: re.Pattern | None = None,
                   time_words: TimeWords | None = None) -> ParsedDateline:
    """The dateline at the head of ``text`` (nothing found: an empty ParsedDateline).

    ``published`` (a date given with the article) outranks the dateline's date, which
    outranks the date in the article's ``url`` (:func:`entente.read.urldate.date_from_url`).
    ``agencies`` maps surface forms to canonical agency names ("KAZINFORM" -> "Kazinform");
    ``via``: :func:`via_pattern` of those names, when the caller has it compiled already;
    ``time_words``: the month names (default: the bundled ones, read for the call).
    """
    parsed = _parse_dateline(text, published, agencies, via=via, time_words=time_words)
    if parsed.date is None and url:
        from .urldate import date_from_url

        parsed.url_date = date_from_url(url)
        if parsed.url_date and len(parsed.url_date) == 10:   # a day: the resolver dates against it
            parsed.date = parsed.url_date
    return parsed


def _parse_dateline(text: str, published: str | None, agencies: dict[str, str] | None, *,
                    via: re.Pattern | None, time_words: TimeWords | None) -> ParsedDateline:
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
            when = _resolve_month_day(groups["month"], groups["day"], groups.get("year"), published,
                                      time_words or _default_time_words())
        else:
            when = None
        parsed = ParsedDateline(date=published or when, place=_title_place(groups["place"]),
                                publisher=pub, start=lead, body_start=lead + m.end())
        parsed.via = find_via(text, agencies, exclude={pub}, pattern=via)
        return parsed
    return ParsedDateline(date=published, via=find_via(text, agencies, pattern=via), start=lead, body_start=lead)


def _default_time_words() -> TimeWords:
    """The bundled time words, read for this call (extraction passes its Resources' own)."""
    from ..resolve.time import TimeWords, load_time_words

    return TimeWords(load_time_words(Path(__file__).resolve().parent.parent / "data" / "time_words.yaml"))


_VIA_AFTER = r"(?:has|have)\s+learned|learned|learnt|reports|reported|informs|writes|cited|quoted"


def via_pattern(agencies: dict[str, str]) -> re.Pattern:
    """The expression that finds the agencies a story came through, over these names."""
    names = tuple(sorted(agencies, key=len, reverse=True))
    alt = "|".join(re.escape(n) for n in names)
    return re.compile(
        rf"\b(?P<a>{alt})\s+(?:{_VIA_AFTER})\b|\baccording\s+to\s+(?:the\s+)?(?P<b>{alt})\b|"
        rf"\b(?:told|citing|cited\s+by|quoted\s+by|reported\s+by)\s+(?:the\s+)?(?P<c>{alt})\b")


def find_via(text: str, agencies: dict[str, str], exclude: set[str] | None = None, *,
             pattern: re.Pattern | None = None) -> list[str]:
    """Agencies the story came through: "BelTA has learned", "TASS reports", "according to Reuters"
    (``pattern``: :func:`via_pattern` of ``agencies``, compiled here when not given)."""
    if not agencies:
        return []
    pattern = pattern or via_pattern(agencies)
    out: list[str] = []
    for m in pattern.finditer(text):
        name = agencies[m.group("a") or m.group("b") or m.group("c")]
        if name not in out and name not in (exclude or set()):
            out.append(name)
    return out
