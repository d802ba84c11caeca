"""Wire datelines: the place, date and publisher a story opens with, and the agencies it
came *via* ("BelTA has learned", "TASS reports", "according to Reuters").

A page rarely opens with its dateline. The finder reads the first lines of the article
(``head_max_lines`` lines, ``head_max_chars`` characters, from ``dateline_words.yaml``) one by
one: a line that opens with a dateline ends the search; a line that is page furniture is
skipped (a time stamp, whose date is kept; a byline; a photo credit; clutter such as "Share"
or "Home » World"), and so is a headline, a rubric or a standfirst; the first line of the story
proper ends the search without a dateline.

Shapes read (the place in capitals or, with an agency or a date to vouch for it, in mixed case):

- ``date 2017-09-27 MOSCOW. KAZINFORM Representatives of ...`` (a ``date`` prefix is a stamp)
- ``DUSHANBE. KAZINFORM – ...``  /  ``Baku. Anar Mammadov – APA. ...``
- ``MOSCOW, Sept 27 (Reuters) - ...``  /  ``BEIJING, Sept. 13 (Xinhua) -- ...``  /
  ``MINSK, 19 December (BelTA) -``  /  ``ABU DHABI, 5th March, 2021 (WAM) --``  /
  ``NEW DELHI, Jan 5 (PTI) India and ...`` (no dash)  /  ``MOSCOW. March 12 (Interfax) -``
- ``WASHINGTON (AP) --``  /  ``SEOUL, South Korea (AP) —``  /  ``Moscow (AFP) -``  /
  ``New York [US], February 13 (ANI/Xinhua):`` (publisher ANI, via Xinhua)  /
  ``Siram, Kazakhstan; 15 September 1997 (RFE/RL) --``  /  ``CARACAS,  (Reuters) –``
- ``BISHKEK (UrduPoint News / Sputnik - 09th March, 2021) ...`` (agency, via and date inside)
- ``MINSK, December 19. /TASS/. ...``  /  ``BISHKEK, March 3 /Kabar/. ...``
- ``YEREVAN, JULY 7, ARMENPRESS. ...``  /  ``DUSHANBE, October 5, Asia-Plus -- ...``  /
  ``Riyadh, Rajab 20, 1442, March 04, 2021, SPA --``  /  ``Tehran, IRNA --``
- ``BAKU, Azerbaijan, May 12. By Ramil Hasanov – Trend: ...``  /  ``BAKU, Azerbaijan, May 12. ...``
- ``24.kg news agency, BISHKEK – ...`` (the agency first)
- ``February 5, 2019 (KHARTOUM) – ...`` (the date first)
- ``MANILA – ...``  /  ``BUENOS AIRES, Argentina -- ...``  /  ``WASHINGTON • ...`` (no agency)
- with a gazetteer (``place_kind``): ``CAIRO, Arab and Western forces ...``, ``Srinagar: Pakistani
  troops ...``, and a line that is only a city ("Washington, DC") over a date line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from pydantic import BaseModel, ConfigDict

from ..dates import is_date
from ..resolve.time.calendar import date_without_year, parse_published

if TYPE_CHECKING:
    from ..resolve.time import TimeWords

#: the word file of datelines in a data folder
WORDS_FILE = "dateline_words.yaml"
_BUNDLED = Path(__file__).resolve().parent.parent / "data"

#: what a gazetteer says a name is: "city", "state" (a US state), "country", or None (unknown)
PlaceKind = Callable[[str], "str | None"]


class DatelineWords(BaseModel):
    """The words of dateline_words.yaml (see the file for what each list does)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stamp_words: tuple[str, ...]
    stamp_max_other_words: int
    byline_openers: tuple[str, ...]
    byline_titles: tuple[str, ...]
    byline_max_words: int
    byline_title_max_words: int
    credit_openers: tuple[str, ...]
    clutter_lines: tuple[str, ...]
    breadcrumb_separators: tuple[str, ...]
    agency_suffixes: tuple[str, ...]
    head_max_lines: int
    head_max_chars: int
    headline_max_words: int


def load_dateline_words(path: Path) -> DatelineWords:
    """Read and validate a dateline_words.yaml."""
    from ..dictionaries import load_yaml

    return load_yaml(path, DatelineWords)


@dataclass
class ParsedDateline:
    date: str | None = None
    place: str | None = None
    publisher: str | None = None
    via: list[str] = field(default_factory=list)
    start: int = 0          # where the dateline begins in the text
    body_start: int = 0     # where the story proper begins
    url_date: str | None = None   # the URL's date, when neither the article nor its dateline gives one
    # character spans the NLP must not read although they are part of the story's text (a
    # stamp under a headline the NLP keeps), and spans before body_start it must read (the
    # names of a byline: its author is a person of the story)
    furniture: tuple[tuple[int, int], ...] = ()
    kept: tuple[tuple[int, int], ...] = ()
    # headlines the NLP reads (no dateline under them): their words name no event
    headlines: tuple[tuple[int, int], ...] = ()

    def as_record(self) -> dict:
        """The record's ``dateline``: the date given (or the dateline's), else the URL's, at
        the precision the URL gives (2016-05), marked ``date_source: "url"``. ``date`` is
        what the resolver reads: a URL's date only when it names a day."""
        out = {"date": self.date or self.url_date, "place": self.place, "publisher": self.publisher,
               "via": self.via}
        if self.url_date and out["date"] == self.url_date:
            out["date_source"] = "url"
        return out

    def masked(self, text: str) -> str:
        """``text`` as the NLP should read it: the dateline, everything before it but the names
        of a byline, and the page furniture blanked (each character but a line break a space:
        offsets and lines are kept)."""
        blank = [0] * (len(text) + 1)      # +1 opens a blank span, -1 closes it
        spans = [(0, self.body_start)] if self.body_start else []
        for ks, ke in sorted(self.kept):
            if spans and spans[-1][0] <= ks < spans[-1][1]:
                start, end = spans.pop()
                spans += [(start, ks), (ke, end)]
        for s, e in [*spans, *self.furniture]:
            if s < e:
                blank[s] += 1
                blank[e] -= 1
        out, depth = [], 0
        for i, c in enumerate(text):
            depth += blank[i]
            out.append(" " if depth > 0 and c != "\n" else c)
        return "".join(out)


_BLANK = re.compile(r"[^\n]")


# --- the shapes ---------------------------------------------------------------------------

_DASH = r"[ \t]*(?:-{1,2}|–|—|―|_|•)[ \t]*"
# a place in capitals ("MOSCOW", "ST. PETERSBURG", "NUR-SULTAN", "UNITED NATIONS")
_CAPS = r"[A-Z][A-Z'’\-]*(?:[A-Z]|\.)(?:[ ][A-Z][A-Z.'’\-]*(?:[A-Z]|\.)){0,3}"
# a place in mixed case ("Moscow", "New Delhi", "St. Petersburg", "Abu Dhabi", "Nur-Sultan")
_MIXED = r"(?:St\.|[A-Z][a-z]+(?:-[A-Z]?[a-z]+)*)(?:[ ](?:[A-Z][a-z]+(?:-[A-Z]?[a-z]+)*|al-[A-Z][a-z]+)){0,2}"
_REGION_WORD = r"[A-Z][A-Za-z]*\.?(?:[A-Z]\.)*"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|20)\d\d"
_OPEN_QUOTE = "\"“‘'«"


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _phrase(words) -> str:
    """Phrases as one alternation whose spaces match any space."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class _Found:
    place: str | None
    publisher: str | None
    date_text: str | None
    via: tuple[str, ...]
    start: int
    end: int
    capitals: bool      # the place was written in capitals


class DatelineFinder:
    """The dateline shapes compiled over one set of words: agency names (surface form ->
    canonical name), the month names of the time words, the page words of
    dateline_words.yaml; ``place_kind`` (optional) says what a gazetteer knows a name as."""

    def __init__(self, agencies: dict[str, str], time_words: TimeWords, words: DatelineWords, *,
                 place_kind: PlaceKind | None = None, via: re.Pattern | None = None):
        self.agencies = dict(agencies)
        self.time_words = time_words
        self.words = words
        self.place_kind = place_kind
        self.via = via if via is not None or not agencies else via_pattern(agencies)
        months = _alt(time_words.month_names)
        weekdays = _alt(time_words.weekday_number)
        month = rf"(?i:{months})\b\.?"
        date_text = rf"(?:{month}[ \t]+{_DAY}\b|{_DAY}[ \t]+{month})(?:[ \t]*,?[ \t]*{_YEAR}\b)?"
        self._month_or_weekday = re.compile(rf"(?:(?i:{months})|{weekdays})\b")
        agency = _alt(self.agencies) if self.agencies else r"(?!x)x"
        suffix = _phrase(words.agency_suffixes)
        byline = _phrase(words.byline_openers)
        place = rf"(?P<place>{_CAPS}|{_MIXED})"
        region = (rf"(?:,[ \t]*(?P<region>(?!(?i:{months})\b){_REGION_WORD}(?:[ ]{_REGION_WORD}){{0,2}})"
                  rf"|[ \t]*\[(?P<bracket>[^\]\n]{{2,30}})\])?")
        date = rf"(?P<date>{date_text})"
        self._date = re.compile(date_text)
        # another calendar's date before the Gregorian one ("Rajab 20, 1442, ")
        other_date = r"(?:[A-Z][\w'’]+[ \t]+\d{1,2},[ \t]*\d{3,4},[ \t]*)?"
        self.shapes: list[tuple[str, re.Pattern]] = [
            # PLACE[, Region][,] [date] (Agency) -   MOSCOW, Sept 27 (Reuters) -   Moscow (AFP) -
            # New York [US], February 13 (ANI/Xinhua):   ISLAMABAD (UrduPoint News / Sputnik - 14th June, 2022)
            ("paren", re.compile(
                place + region + rf"[ \t]*[,.;]?[ \t]*(?:{date}[ \t]*,?[ \t]*)?\((?P<pub>[^()\n]{{2,60}})\)"
                rf"(?:{_DASH}|[ \t]*:[ \t]*|(?=[ \t]+[A-Z0-9{_OPEN_QUOTE}]))")),
            # PLACE, date. /TASS/.   BISHKEK, March 3 /Kabar/.
            ("slashes", re.compile(
                place + region + rf",[ \t]*{date}\.?[ \t]*/(?P<pub>[A-Za-z][\w\- ]{{1,30}})/\.?[ \t]*")),
            # PLACE, date, AGENCY.   YEREVAN, JULY 7, ARMENPRESS.   DUSHANBE, April 22, Asia-Plus --
            ("agency-after-date", re.compile(
                place + region + rf",[ \t]*{other_date}{date}[ \t]*,[ \t]*(?P<pub>{agency})"
                rf"(?:[ \t]*\.[ \t]*|{_DASH}|[ \t]*:[ \t]*)")),
            # PLACE, AGENCY --   Tehran, IRNA --
            ("agency-after-place", re.compile(place + rf",[ \t]*(?P<pub>{agency}){_DASH}")),
            # PLACE[, Region], date. [By NAME – Agency:]   BAKU, Azerbaijan, May 12. By R. H. – Trend:
            # New Delhi [India], July 4 :
            ("date-no-agency", re.compile(
                place + region + rf"[ \t]*[,.][ \t]*{date}"
                rf"(?:\.[ \t]*(?:(?:{byline})[ \t]+[^\n–—:]{{3,40}}?{_DASH}(?P<pub>{agency})[ \t]*:[ \t]*)?"
                rf"|{_DASH}|[ \t]*:[ \t]*)")),
            # PLACE. AGENCY -   ASTANA. KAZINFORM -   date 2017-09-27 MOSCOW. KAZINFORM Representatives
            ("kazinform", re.compile(
                rf"(?P<place>{_CAPS})\.[ \t]+(?P<pub>[A-Z][A-Za-z]*[A-Z])(?:{_DASH}|(?P<nodash>[ \t]+))")),
            # Place. Reporter – AGENCY.   Baku. Anar Mammadov – APA.
            ("reporter", re.compile(
                place + rf"\.[ \t]+[A-Z][\w'’\-]+(?:[ ][A-Z][\w'’\-]+){{0,3}}{_DASH}(?P<pub>{agency})\.[ \t]*")),
            # AGENCY [news agency], PLACE –   24.kg news agency, BISHKEK –
            ("agency-first", re.compile(
                rf"(?P<pub>{agency})(?:[ \t]+(?:{suffix}))?,[ \t]*(?P<place>{_CAPS}){_DASH}")),
            # date (PLACE) –   February 5, 2019 (KHARTOUM) –
            ("date-first", re.compile(rf"{date}[ \t]*\((?P<place>{_CAPS})\){_DASH}")),
            # PLACE[, Region] –   MANILA –   BUENOS AIRES, Argentina --   WASHINGTON •   GAZA CITY, Gaza Strip:
            ("dash", re.compile(rf"(?P<place>{_CAPS})" + region + rf"(?:{_DASH}|[ \t]*:[ \t]*)(?=[A-Z0-9{_OPEN_QUOTE}])")),
            # a known city, then a comma or colon: CAIRO, Arab and Western ...   Srinagar: Pakistani ...
            ("city-comma", re.compile(rf"(?P<place>{_CAPS}),[ \t]+(?=[A-Z])")),
            ("city-colon", re.compile(rf"(?P<place>{_CAPS}|{_MIXED}):[ \t]+(?=[A-Z0-9{_OPEN_QUOTE}])")),
        ]
        # what follows "By" on a byline that runs into the dateline on one line
        self._byline_open = re.compile(rf"(?:{byline})[ \t]+(?=[A-Z])")
        self._date_prefix = re.compile(r"date\s+(?P<iso>\d{4}-\d{2}-\d{2})\s+")
        self._only_place = re.compile(rf"(?P<place>{_CAPS}|{_MIXED})(?:,[ \t]*[A-Z][A-Za-z.]*(?:[ ][A-Z][A-Za-z.]*)?)?[ \t]*")
        self._paren_date = re.compile(rf"(?P<names>.+?)[ \t]*(?:-{{1,2}}|–|—|,)[ \t]*(?P<date>{date_text})[ \t]*$")

        # --- page furniture
        stamp_words = _phrase(words.stamp_words)
        self._stamp_word = re.compile(rf"(?i)(?<![\w])(?:{stamp_words})(?![\w])")
        self._numeric_date = re.compile(
            r"(?P<iso>\b\d{4}-\d{1,2}-\d{1,2})|(?P<dots>\b\d{1,2}\.\d{1,2}\.\d{4})|(?P<slash>\b\d{1,2}/\d{1,2}/\d{4})")
        self._stamp_date = re.compile(rf"(?:{month}[ \t]+{_DAY}\b[ \t]*,?[ \t]*{_YEAR}\b|{_DAY}[ \t]+{month}[ \t]*,?[ \t]*{_YEAR}\b)")
        self._clock = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*(?i:am|pm|a\.m\.|p\.m\.))?|\bUTC[+-]\d{1,2}\b|\bGMT[+-]\d{1,2}\b")
        self._weekday = re.compile(rf"\b(?:{weekdays})\b")
        self._byline = re.compile(rf"(?:{byline})[ \t]+\S")
        self._byline_title = re.compile(rf"(?:^|[ \t,])(?:{_phrase(words.byline_titles)})[ \t]*$")
        self._credit = re.compile(rf"(?i:{_phrase(words.credit_openers)})(?:[ \t]*[:|/\-–—][ \t]*|[ \t]+by[ \t]+)")
        self._clutter = {" ".join(w.casefold().split()) for w in words.clutter_lines}
        self._breadcrumb = re.compile(rf"[ \t]*(?:{_alt(words.breadcrumb_separators)})[ \t]*")

    # --- the public call ----------------------------------------------------------------------
    def parse(self, text: str, published: str | None = None, url: str | None = None) -> ParsedDateline:
        """The dateline of ``text`` (see :func:`parse_dateline`)."""
        parsed = self._parse(text, published)
        if parsed.date is None and url:
            from .urldate import date_from_url

            parsed.url_date = date_from_url(url)
            if parsed.url_date and len(parsed.url_date) == 10:   # a day: the resolver dates against it
                parsed.date = parsed.url_date
        return parsed

    def _parse(self, text: str, published: str | None) -> ParsedDateline:
        lead = len(text) - len(text.lstrip())
        stamp_date: str | None = None
        lines = self._head_lines(text, lead)
        # the head lines up to the dateline or the story: (start, end, blanked without a dateline?)
        head: list[tuple[int, int, bool]] = []
        furniture: list[tuple[int, int]] = []     # blanked, inside the head lines
        kept: list[tuple[int, int]] = []          # read, inside the head lines: a byline's names
        body_at: int | None = None
        listed_place: str | None = None
        for n, (s, e) in enumerate(lines):
            # "date 2017-09-27 ..." before the first line: a stamp of the article itself
            m = self._date_prefix.match(text, s, e)
            if m:
                # "date 2017-13-45" names no day: the stamp gives no date
                stamp_date = stamp_date or (m.group("iso") if is_date(m.group("iso")) else None)
                furniture.append((s, m.end()))
                s = m.end()
                if s >= e:
                    continue
            found = self._dateline_at(text, s, e)
            opener = self._byline_open.match(text, s, e)
            if found is None and opener:
                found = self._dateline_after_byline(text, s, e)
                if found is not None:
                    kept += self._byline_names(text, opener.end(), found.start)[0]
            if found is not None:
                return self._result(text, found, published, stamp_date, kept, furniture)
            line = text[s:e]
            nxt = text[lines[n + 1][0]:lines[n + 1][1]] if n + 1 < len(lines) else None
            kind = self._furniture(line)
            if kind == "stamp":
                stamp_date = stamp_date or self._date_of_stamp(line)
            if kind in ("stamp", "byline"):
                # the author of a byline ("By Jane Doe", "Jane Doe Published 14 June") is read
                names, pieces = self._byline_names(text, opener.end() if opener else s, e, stamp=kind == "stamp")
                kept += names
                furniture += [(s, opener.end())] if opener else []
                furniture += pieces
                head.append((s, e, True))
                continue
            if kind is not None:
                head.append((s, e, True))
                furniture.append((s, e))
                continue
            if listed_place is None and nxt is not None and self._furniture(nxt) == "stamp":
                listed_place = self._place_only(line)
                if listed_place:
                    head.append((s, e, True))
                    furniture.append((s, e))
                    continue
            if self._is_headline(text, s, e, nxt):
                # a headline in capitals is blanked; one in ordinary case is read (it may give an
                # office or a full name the story shortens)
                capitals = line.upper() == line
                head.append((s, e, capitals))
                if capitals:
                    furniture.append((s, e))
                continue
            body_at = s
            break
        parsed = ParsedDateline(date=published or stamp_date, place=listed_place, start=lead, body_start=lead,
                                via=find_via(text, self.agencies, pattern=self.via))
        if body_at is None:
            return parsed
        # no dateline: the story starts at its first line; the page furniture before it is blanked
        if all(blank for _s, _e, blank in head):
            parsed.body_start = body_at
            parsed.kept = tuple(kept)
        else:
            parsed.furniture = tuple(_without(furniture, kept))
            parsed.headlines = tuple((s, e) for s, e, blank in head if not blank)
        return parsed

    def _byline_names(self, text: str, s: int, e: int, *, stamp: bool = False
                      ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """# the names of a byline are read, its stamp is not: "By Journalist 2nd Class Jane Doe,
        Navy Public Affairs" (the rest of the line), "Jane Doe Published June 14, 2022 | 07:40 PM"
        (a stamp line: the names only). Returns the spans to read and the spans to blank; a line
        with no name of two words ("FORUM Staff", "By KH2") is blanked whole."""
        line = text[s:e]
        pieces = [(s + a, s + b) for a, b in self._stamp_pieces(line)]
        m = self._byline_title.search(line)
        if m:
            pieces.append((s + m.start(), e))      # "FORUM Staff", "Jane Doe, Correspondent"
        readable = list(line)
        for a, b in pieces:
            readable[a - s:b - s] = " " * (b - a)
        names = [(s + m.start(), s + m.end()) for m in _NAME_RUN.finditer("".join(readable))]
        if not names:
            return [], [(s, e)]
        if stamp:
            return names, [(s, e)]
        return [(s, e)], pieces

    def _stamp_pieces(self, line: str) -> list[tuple[int, int]]:
        """Where a line's dates, clock times and stamp words are."""
        out = []
        for rx in (self._numeric_date, self._clock, self._date, self._stamp_word, self._weekday):
            out += [m.span() for m in rx.finditer(line)]
        return out

    # --- the lines at the head of the text -----------------------------------------------------
    def _head_lines(self, text: str, lead: int) -> list[tuple[int, int]]:
        """(start, end) of the first non-empty lines, stripped of their outer spaces."""
        out = []
        limit = min(len(text), lead + self.words.head_max_chars)
        for m in re.finditer(r"[^\n]+", text[:limit]):
            s, e = m.start(), m.end()
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                out.append((s, e))
            if len(out) >= self.words.head_max_lines:
                break
        # a line cut by the character limit ends at the line's true end
        if out and out[-1][1] == limit and limit < len(text):
            s, _ = out[-1]
            nl = text.find("\n", s)
            out[-1] = (s, len(text) if nl < 0 else nl)
        return out

    def _dateline_at(self, text: str, s: int, e: int) -> _Found | None:
        for name, shape in self.shapes:
            m = shape.match(text, s, e)
            if m is None:
                continue
            found = self._accept(name, m)
            if found is not None:
                return found
        return None

    def _dateline_after_byline(self, text: str, s: int, e: int) -> _Found | None:
        """# a byline that runs into the dateline: "By Jane Doe Press Service BUENOS AIRES, Argentina -- ..." """
        for m in re.finditer(r"(?<=\s)(?=[A-Z])", text[s:min(e, s + 160)]):
            found = self._dateline_at(text, s + m.start(), e)
            if found is not None and found.capitals:
                return found
        return None

    def _accept(self, name: str, m: re.Match) -> _Found | None:
        """The dateline a shape matched, or None when what it matched is not one."""
        groups = m.groupdict()
        raw_place = groups.get("place")
        if raw_place is not None:
            words = raw_place.split()
            if raw_place.endswith(".") and len(words[-1].strip(".")) > 3 and "." not in words[-1][:-1]:
                raw_place = raw_place[:-1]   # "MOSCOW." of "MOSCOW. March 12 (Interfax)"
            if sum(c.isalpha() for c in raw_place) < 3 or self._month_or_weekday.fullmatch(raw_place):
                return None
        capitals = raw_place is not None and raw_place == raw_place.upper()
        region = groups.get("region") or groups.get("bracket")
        date_text = groups.get("date")
        pub_raw = (groups.get("pub") or "").strip()
        publisher, via, known = None, [], False
        if pub_raw:
            inner = self._paren_date.match(pub_raw) if name == "paren" else None
            if inner and self._date.fullmatch(inner.group("date")):
                pub_raw, date_text = inner.group("names"), date_text or inner.group("date")
            # "ANI/Xinhua": the publisher, then the agencies it came via; "RFE/RL" is one name
            names = [pub_raw] if self._agency(pub_raw) or "/" not in pub_raw else \
                [x.strip() for x in pub_raw.split("/") if x.strip()]
            if not names:
                return None
            known = self._agency(names[0]) is not None
            publisher = self._agency(names[0]) or _title_agency(names[0])
            via = [self._agency(x) or x for x in names[1:]]
        place = _title_place(raw_place) if raw_place else None
        kind = self.place_kind(place) if self.place_kind and place else None
        line_end = m.string.find("\n", m.end())
        rest_of_line = m.string[m.end():line_end if line_end >= 0 else len(m.string)]
        if name == "paren":
            # "He (Putin) said", "NATO (North Atlantic Treaty Organization) —": an agency, a date,
            # a region or a known place vouches for the dateline
            if not (known or date_text or region or kind) and (not capitals or self.place_kind is not None):
                return None
        elif name == "kazinform" and groups.get("nodash") is not None and not known:
            return None   # "MOSCOW. KAZINFORM Representatives ...": only a known agency without a dash
        elif name == "date-no-agency":
            if not capitals and not (region or kind in ("city", "state")):
                return None
        elif name == "dash":
            if self.place_kind is not None and kind not in ("city", "state"):
                return None   # "NATO – the alliance ...": a city only, when a gazetteer is given
            if not any(c.islower() for c in rest_of_line):
                return None   # "RUSSIA – CHINA TALKS": a headline in capitals
        elif name in ("city-comma", "city-colon"):
            if kind not in ("city", "state"):
                return None
        return _Found(place, publisher, date_text, tuple(via), m.start(), m.end(), capitals)

    def _agency(self, raw: str) -> str | None:
        return self.agencies.get(raw) or self.agencies.get(raw.title()) or self.agencies.get(raw.upper())

    def _result(self, text: str, found: _Found, published: str | None, stamp_date: str | None,
                kept: list[tuple[int, int]], furniture: list[tuple[int, int]]) -> ParsedDateline:
        when = None
        if found.date_text:
            when = self._date_value(found.date_text, published or stamp_date)
        via = list(dict.fromkeys(found.via))
        for name in find_via(text, self.agencies, exclude={found.publisher, *via}, pattern=self.via):
            via.append(name)
        return ParsedDateline(date=published or when or stamp_date, place=found.place, publisher=found.publisher,
                              via=via, start=found.start, body_start=found.end, kept=tuple(kept),
                              furniture=tuple(furniture))

    # --- dates ----------------------------------------------------------------------------------
    def _date_value(self, raw: str, reference: str | None) -> str | None:
        """ "Sept. 13", "19 December", "5th March, 2021", "JULY 7" -> an ISO day: with its year,
        that day; without one, the day nearest the reference (the time rules' day without a year)."""
        words = re.findall(r"[A-Za-z]+\.?|\d+", raw)
        month = next((self.time_words.month_of(w) for w in words if self.time_words.month_of(w)), None)
        numbers = [int(w) for w in re.findall(r"\d+", raw)]
        if month is None or not numbers:
            return None
        day = numbers[0]
        year = numbers[1] if len(numbers) > 1 else None
        if year:
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return None
        ref = parse_published(reference) if reference and is_date(reference[:10]) else None
        if ref is None:
            return None
        found = date_without_year(month, day, ref, None)
        return found.isoformat() if found else None

    def _date_of_stamp(self, line: str) -> str | None:
        """The day a time stamp gives ("15 September 2021, 17:20", "12.03.2019 14:05",
        "Release Date: 6/29/2004", "Source: Xinhua | 2023-11-12 09:30:15"), when it gives a year."""
        m = self._numeric_date.search(line)
        try:
            if m and m.group("iso"):
                y, mo, d = (int(x) for x in m.group("iso").split("-"))
                return date(y, mo, d).isoformat()
            if m and m.group("dots"):          # day.month.year, as Europe writes it
                d, mo, y = (int(x) for x in m.group("dots").split("."))
                return date(y, mo, d).isoformat()
            if m and m.group("slash"):         # month/day/year, unless the first cannot be a month
                a, b, y = (int(x) for x in m.group("slash").split("/"))
                mo, d = (a, b) if a <= 12 else (b, a)
                return date(y, mo, d).isoformat()
        except ValueError:
            return None
        m = self._stamp_date.search(line)
        return self._date_value(m.group(0), None) if m else None

    # --- page furniture ------------------------------------------------------------------------
    def _furniture(self, line: str) -> str | None:
        """What kind of page furniture a line is: "stamp", "byline", "credit", "clutter", or None."""
        if self._credit.match(line):
            return "credit"
        folded = " ".join(line.casefold().split())
        if folded in self._clutter:
            return "clutter"
        parts = [p for p in self._breadcrumb.split(line) if p.strip()]
        if len(parts) > 1 and all(len(p.split()) <= 3 for p in parts) and not self._has_date(line) \
                and any(" ".join(p.casefold().split()) in self._clutter for p in parts):
            return "clutter"   # Home » Society » Defence
        if self._is_stamp(line):
            return "stamp"
        words = line.split()
        if len(words) <= self.words.byline_max_words and not line.endswith((".", ":")):
            if self._byline.match(line):
                return "byline"      # By Jane Doe
            if len(words) <= self.words.byline_title_max_words and self._byline_title.search(line):
                return "byline"      # FORUM Staff; Jane Doe, Correspondent
        return None

    def _has_date(self, line: str) -> bool:
        return bool(self._numeric_date.search(line) or self._stamp_date.search(line) or self._clock.search(line))

    def _is_stamp(self, line: str) -> bool:
        """# a time stamp: a date or clock time with a few other words ("Jane Doe Published
        June 14, 2022 | 07:40 PM", "September 16, 22:08 UTC+3 MINSK")"""
        dated = bool(self._numeric_date.search(line) or self._clock.search(line))
        rest = self._numeric_date.sub(" ", line)
        rest = self._clock.sub(" ", rest)
        m = self._date.search(rest)
        if m:
            dated = True
            rest = self._date.sub(" ", rest)
        if not dated:
            return False
        rest = self._stamp_word.sub(" ", rest)
        rest = self._weekday.sub(" ", rest)
        others = [w for w in re.split(r"[\s|•·,;:()\[\]/\-–—]+", rest) if re.search(r"\w", w)]
        return len(others) <= self.words.stamp_max_other_words

    def _is_headline(self, text: str, s: int, e: int, nxt: str | None) -> bool:
        """# a headline, rubric or standfirst: a short line with no full stop at its end, with
        more text under it that starts a new line ("NATO to boost Baltic air policing")"""
        if nxt is None:
            return False
        line = text[s:e]
        if len(line.split()) > self.words.headline_max_words:
            return False
        bare = line.rstrip("\"'”’»)]")     # 'would be called "Peace Mission 2005."' ends a sentence
        last = bare.split()[-1] if bare.split() else ""
        if bare.endswith(":"):
            return False   # "The Foreign Secretary said:" introduces the story
        if bare.endswith(".") and not re.fullmatch(r"(?:[A-Za-z]\.){2,}", last):
            return False   # a sentence; "Russia warns U.S." is still a headline
        gap = text[e:text.find(nxt, e)]
        return gap.count("\n") > 1 or nxt[:1].isupper() or nxt[:1].isdigit() or nxt[:1] in _OPEN_QUOTE + "("

    def _place_only(self, line: str) -> str | None:
        """# a line that is only a city, over a date line: "Washington, DC" / "February 20, 2015" """
        m = self._only_place.fullmatch(line)
        if m is None or self.place_kind is None:
            return None
        place = _title_place(m.group("place"))
        return place if self.place_kind(place) in ("city", "state") else None


# two or more capitalised words or initials: a person's name in a byline ("Jane Doe", "Douglas J. Gillert")
_NAME_RUN = re.compile(r"(?<![\w.])(?:[A-Z][\w'’\-]+|[A-Z]\.)(?:[ ](?:[A-Z][\w'’\-]+|[A-Z]\.|de|da|van|von|bin|al|el))*"
                       r"[ ][A-Z][\w'’\-]+")


def _without(spans: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` less the parts ``holes`` cover."""
    out = []
    for s, e in spans:
        pieces = [(s, e)]
        for hs, he in holes:
            pieces = [p for a, b in pieces for p in ((a, min(b, hs)), (max(a, he), b)) if p[0] < p[1]]
        out += pieces
    return out


def _title_place(raw: str) -> str:
    """MOSCOW -> Moscow, NUR-SULTAN -> Nur-Sultan, ST. PETERSBURG -> St. Petersburg,
    WASHINGTON D.C. -> Washington D.C.; a place in mixed case is kept as written."""
    if raw != raw.upper():
        return raw
    words = []
    for w in raw.split():
        if re.fullmatch(r"(?:[A-Z]\.){2,}", w):
            words.append(w)       # D.C.
        else:
            words.append("-".join(p.capitalize() for p in w.split("-")))
    return " ".join(words)


def _title_agency(raw: str) -> str:
    """An agency the table does not know, as written (a long name in capitals capitalised)."""
    return raw if not raw.isupper() or len(raw) <= 4 else raw.capitalize()


@lru_cache(maxsize=8)
def _default_finder(agencies: tuple[tuple[str, str], ...]) -> DatelineFinder:
    from ..resolve.time import TimeWords, load_time_words

    time_words = TimeWords(load_time_words(_BUNDLED / "time_words.yaml"))
    return DatelineFinder(dict(agencies), time_words, load_dateline_words(_BUNDLED / WORDS_FILE))


def parse_dateline(text: str, published: str | None = None, agencies: dict[str, str] | None = None,
                   url: str | None = None, *, via: re.Pattern | None = None,
                   time_words: TimeWords | None = None, finder: DatelineFinder | None = None) -> ParsedDateline:
    """The dateline at the head of ``text`` (nothing found: an empty ParsedDateline whose
    ``body_start`` is the story's first line when only page furniture comes before it).

    ``published`` (a date given with the article) outranks the dateline's date, which
    outranks a time stamp's date ("Published: 12 March 2019") and the date in the article's
    ``url`` (:func:`entente.read.urldate.date_from_url`); a dateline day without a year is
    placed by the published date, else by the stamp's.
    ``agencies`` maps surface forms to canonical agency names ("KAZINFORM" -> "Kazinform");
    ``finder``: a :class:`DatelineFinder` compiled already (extraction passes its Resources'
    own, with the gazetteer); without one, the bundled words are read (``via`` and
    ``time_words`` then replace the finder's own).
    """
    if finder is None:
        finder = _default_finder(tuple(sorted((agencies or {}).items())))
        if time_words is not None or via is not None:
            finder = DatelineFinder(finder.agencies, time_words or finder.time_words, finder.words,
                                    via=via or finder.via)
    return finder.parse(text, published, url)


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
