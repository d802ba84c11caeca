"""The rules of time expressions: one regular expression and one handler per construction
("on 25 September", "last Tuesday", "two days ago", ...), built over the word tables of
``time_words.yaml`` (:class:`TimeWords`).

Order matters: at one position the first rule that matches wins, so longer constructions
come before the shorter ones they contain. A handler gets (match, context) and returns
(start, end, type, value, anchored) or None to reject the match.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from .calendar import (SEASON_OF_MONTH, SEASON_ORDER, add_months, date_without_year, easter, iso_week, safe_date,
                       season_year, thanksgiving, weekday_date, weekend, year_for_month)


def _alt(words, escape=True) -> str:
    """An alternation of words, longest first so that the longest wins."""
    items = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w) if escape else w for w in items)




# --------------------------------------------------------------------------------------
# Building blocks of the patterns
# --------------------------------------------------------------------------------------

YEAR = r"(?:19|20)\d\d"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
UNIT_CALENDAR = r"(?i:week|weekend|month|year|quarter|decade|century)\b"


class TimeWords:
    """The word tables of ``time_words.yaml`` and the pattern pieces built from them."""

    def __init__(self, words: dict):
        self.months_by_prefix = {name[:3].lower(): num for name, (num, _abbr) in words["months"].items()}
        self.weekday_number = {name: i for i, name in enumerate(words["weekdays"])}
        self.day_parts: dict[str, str] = words["day_parts"]
        self.seasons: dict[str, str] = words["seasons"]
        self.numbers: dict[str, object] = {str(k): v for k, v in words["numbers"].items()}
        self.ordinals: dict[str, int] = {str(k): v for k, v in words["ordinals"].items()}
        self.units: dict[str, dict] = {}
        for name, u in words["units"].items():
            self.units[name] = u
            self.units[u["plural"]] = u
        self.holidays: dict[str, list[int]] = words["holidays"]
        self.weekday_name_prefixes = frozenset(words["weekday_name_prefixes"])
        self.year_block_before = frozenset(str(w) for w in words["year_blocking_before"])
        self.year_block_after = frozenset(str(w) for w in words["year_blocking_after"])
        self.year_event_plurals = frozenset(words["year_event_plurals"])
        self.month_introducers = frozenset(words["month_introducers"])
        self.tense_future_markers: list[str] = list(words["tense_future_markers"])
        self.tense_past_markers: list[str] = list(words["tense_past_markers"])
        self.tense_not_past: list[str] = list(words["tense_not_past"])
        # month names and abbreviations as written in a dateline ("Sept", "March") -> number
        self.month_names = {n.lower(): num for name, (num, abbrs) in words["months"].items() for n in (name, *abbrs)}

        month_full = _alt(words["months"])
        month_abbr = _alt(a for _n, (_num, abbrs) in words["months"].items() for a in abbrs)
        # Full name; an abbreviation with its dot ("Aug."), or without one before a day ("Sept 27").
        self.month = rf"(?:(?:{month_full})\b|(?:{month_abbr})\.|(?:{month_abbr})\b(?=\s+\d))"
        self.month_named = rf"(?:(?:{month_full})\b|(?:{month_abbr})\.)"  # without a day after it
        self.weekday = rf"(?:{_alt(words['weekdays'])})\b"
        self.day_part = rf"(?i:{_alt(self.day_parts)})\b"
        self.season = rf"(?i:{_alt(self.seasons)})\b"
        self.number = (rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|(?i:(?:{_TENS})[\s-](?:{_ONES})|{_alt(self.numbers)}))")
        self.unit = rf"(?i:{_alt(self.units)})\b"
        self.unit_plural = rf"(?i:{_alt(u['plural'] for u in self.units.values())})\b"
        self.holiday = rf"(?:{_alt(list(self.holidays) + ['Easter Sunday', 'Easter', 'Thanksgiving Day', 'Thanksgiving'])})\b"

    def month_number(self, name: str) -> int:
        """The number of a month the rules matched ("Sept." -> 9)."""
        return self.months_by_prefix[name.rstrip(".")[:3].lower()]

    def month_of(self, word: str) -> int | None:
        """The number of a month name or abbreviation, any case, a final dot ignored ("SEPT." -> 9);
        None for any other word."""
        return self.month_names.get(word.rstrip(".").lower())


RANGE_TO = r"\s*(?:-|–|—|(?i:to|through|until|till|and))\s*"


def _ci(words: str) -> str:
    return f"(?i:{words})"


# --------------------------------------------------------------------------------------
# The rules. Order matters: at one position the first alternative that matches wins,
# so longer constructions come before the shorter ones they contain.
# Each handler gets (match, context) and returns (start, end, type, value, anchored) or
# None to reject the match.
# --------------------------------------------------------------------------------------


@dataclass
class RuleContext:
    """What a handler reads besides its match: the text, the publication date, the word
    tables, and the tense of the clause around a span (past, future or None)."""

    text: str
    ref: date | None
    w: TimeWords
    tense: Callable[[int, int], "str | None"]


#: (name, pattern built from the word tables, handler), in order
RULES: list[tuple[str, Callable[[TimeWords], str], Callable]] = []


def _rule(name: str, pattern: Callable[[TimeWords], str]):
    def register(handler):
        RULES.append((name, pattern, handler))
        return handler
    return register


def _out(m, typ, value, anchored, start=None, end=None):
    return (m.start() if start is None else start, m.end() if end is None else end, typ, value, anchored)


def _day(s: str) -> int:
    return int(re.match(r"\d+", s).group())


# ISO date: "2017-09-25"
@_rule("iso_date", lambda w: rf"\b(?P<y>{YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b")
def _iso_date(m, c):
    return _out(m, "DATE", f"{m['y']}-{m['m']}-{m['d']}", False)


# numeric day first: "25/09/2017", "25.09.2017" (European order, as in the wires we read)
@_rule("numeric_date", lambda w: rf"(?<![\d/.])(?P<d>0?[1-9]|[12]\d|3[01])(?P<s1>[./])(?P<m>0?[1-9]|1[0-2])(?P<s2>[./])(?P<y>{YEAR})\b")
def _numeric_date(m, c):
    if m["s1"] != m["s2"]:
        return None
    d = safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    return _out(m, "DATE", d.isoformat(), False) if d else None


# month first, with an optional day range and year: "Aug. 7", "July 21, 2016",
# "October 18-21", "Friday, March 22, 2013"
@_rule("month_day", lambda w: rf"(?:(?P<wd>{w.weekday}),?\s+)?(?P<mon>{w.month})\s+(?P<d1>{DAY})(?!\d|:|\.\d)"
                    rf"(?:{RANGE_TO}(?P<d2>{DAY})(?![\d:]))?(?:,?\s+(?P<y>{YEAR})\b)?")
def _month_day(m, c):
    return _day_month_value(m, c)


# day first: "25 September", "13 November 2015", "18-21 October", "from 3 to 5 May",
# "between 3 and 5 May", "the 3rd of May"
@_rule("day_month", lambda w: rf"(?<![\d,.$])(?:(?P<wd>{w.weekday}),?\s+)?(?:(?P<pre>(?i:from|between))\s+)?(?:the\s+)?"
                    rf"(?P<d1>{DAY})(?:{RANGE_TO}(?P<d2>{DAY}))?\s+(?:of\s+)?(?P<mon>{w.month})"
                    rf"(?:,?\s+(?P<y>{YEAR})\b)?")
def _day_month(m, c):
    return _day_month_value(m, c)


def _day_month_value(m, c):
    month = c.w.month_number(m["mon"])
    d1 = _day(m["d1"])
    d2 = _day(m["d2"]) if m["d2"] else None
    start = m.start()
    if "pre" in m.re.groupindex and m["pre"]:
        start = m.start("d1") if not m["wd"] else start
        if d2 is None:
            return None
    if d2 is not None and d2 <= d1:
        return None
    if m["y"]:
        first = safe_date(int(m["y"]), month, d1)
        anchored = False
    elif c.ref is None:
        return _out(m, "DATE", None, True, start=start)
    else:
        first = date_without_year(month, d1, c.ref, c.tense(m.start(), m.end()))
        anchored = True
    if first is None:
        return None
    if d2 is None:
        return _out(m, "DATE", first.isoformat(), anchored, start=start)
    last = safe_date(first.year, month, d2)
    if last is None:
        return None
    return _out(m, "DATE", f"{first.isoformat()}/{last.isoformat()}", anchored, start=start)


# ISO year-month: "2017-09"
@_rule("iso_month", lambda w: rf"\b(?P<y>{YEAR})-(?P<m>0[1-9]|1[0-2])\b(?![-/]\d)")
def _iso_month(m, c):
    return _out(m, "DATE", f"{m['y']}-{m['m']}", False)


# month and year: "May 2010", "October of 2017"
@_rule("month_year", lambda w: rf"(?P<mon>{w.month_named})(?:\s+of)?,?\s+(?P<y>{YEAR})\b")
def _month_year(m, c):
    return _out(m, "DATE", f"{m['y']}-{c.w.month_number(m['mon']):02d}", False)


# a span of years: "2017-2018", "1990-91", "from 2009 to 2012", "between 2009 and 2012"
@_rule("year_range", lambda w: rf"(?:(?P<pre>(?i:from|between))\s+)?(?<![\w$€£#/.,-])(?P<y1>{YEAR})"
                     rf"(?:\s*[-–/]\s*|\s+(?i:to|and|through|until)\s+)(?P<y2>{YEAR}|\d\d)(?![\w%-]|[.,]\d)")
def _year_range(m, c):
    y1, y2 = int(m["y1"]), m["y2"]
    y2 = int(y2) if len(y2) == 4 else (y1 // 100) * 100 + int(y2)
    joiner = m.group()[m.end("y1") - m.start():m.start("y2") - m.start()].strip().lower()
    if y2 <= y1 or y2 - y1 > 50:
        return None
    if joiner == "and" and not m["pre"]:
        return None
    start = m.start("y1")
    return _out(m, "DATE", f"{y1}/{y2}", False, start=start)


# decades: "the 1990s", "the '90s", "the early 2000s"
@_rule("decade", lambda w: rf"(?:(?i:the)\s+)?(?:(?P<y3>(?:1[89]|20)\d)0['’]?s|['’](?P<yy>\d)0s)\b|(?i:the)\s+(?P<yy2>[2-9])0s\b")
def _decade(m, c):
    yy = m["yy"] or m["yy2"]
    value = m["y3"] if m["y3"] else ("20" if yy in "01" else "19") + yy
    return _out(m, "DATE", value, False)


# centuries: "the 20th century"
@_rule("century", lambda w: rf"(?:(?i:the)\s+)?(?P<n>\d{{1,2}})(?:st|nd|rd|th)[\s-]+(?i:century)\b")
def _century(m, c):
    return _out(m, "DATE", f"{int(m['n']) - 1:02d}", False)


# quarters: "the third quarter", "third-quarter", "the first quarter of 2017", "Q3 2017"
@_rule("quarter", lambda w: rf"(?:(?i:the)\s+)?(?:(?P<y0>{YEAR})\s+)?(?P<ord>(?i:first|second|third|fourth|1st|2nd|3rd|4th))"
                  rf"[\s-]+(?i:quarter)\b(?:\s+(?:of\s+)?(?P<y>{YEAR})\b)?|\bQ(?P<q>[1-4])(?:\s+(?P<y2>{YEAR})\b)?")
def _quarter(m, c):
    q = int(m["q"]) if m["q"] else c.w.ordinals[m["ord"].lower()]
    y = m["y0"] or m["y"] or m["y2"]
    if y:
        return _out(m, "DATE", f"{y}-Q{q}", False)
    if c.ref is None:
        return _out(m, "DATE", None, True)
    year = c.ref.year
    if (q - 1) * 3 + 1 > c.ref.month and c.tense(m.start(), m.end()) == "past":
        year -= 1
    return _out(m, "DATE", f"{year}-Q{q}", True)


# halves: "the first half of 2017", "the second half of this year"
@_rule("half", lambda w: rf"(?:(?i:the)\s+)?(?P<ord>(?i:first|second))\s+(?i:half)\s+of\s+(?:(?P<y>{YEAR})\b|(?P<rel>(?i:this|last|next))\s+(?i:year)\b|(?i:the\s+year)\b)")
def _half(m, c):
    h = 1 if m["ord"].lower() == "first" else 2
    if m["y"]:
        return _out(m, "DATE", f"{m['y']}-H{h}", False)
    if c.ref is None:
        return _out(m, "DATE", None, True)
    shift = {"last": -1, "next": 1}.get((m["rel"] or "").lower(), 0)
    return _out(m, "DATE", f"{c.ref.year + shift}-H{h}", True)


# fiscal years: "fiscal 1989", "fiscal year 2017" (TimeBank writes the plain year)
@_rule("fiscal_year", lambda w: rf"(?i:fiscal)(?:\s+(?i:year))?\s+(?P<y>{YEAR})\b")
def _fiscal_year(m, c):
    return _out(m, "DATE", m["y"], False)


# clock times: "3 p.m.", "10:30 am", "15:00 GMT", "1900 GMT", "noon"
@_rule("clock", lambda w: rf"(?<![\d:.])(?:(?P<h>1[0-2]|0?[1-9])(?::(?P<mi>[0-5]\d))?\s*(?P<ap>[ap]\.m\.|[ap]m\b|[AP]\.M\.|[AP]M\b)"
                rf"|(?P<h24>[01]?\d|2[0-3]):(?P<mi24>[0-5]\d)(?!:\d)(?:\s*(?P<zone>GMT|UTC|(?i:local\s+time|hours|hrs)))?"
                rf"|(?P<hm>[01]\d|2[0-3])(?P<mm>[0-5]\d)\s*(?P<zone2>GMT|UTC|(?i:hours|hrs|local\s+time)))"
                rf"(?:\s+(?P<zone3>GMT|UTC|(?i:local\s+time)))?")
def _clock(m, c):
    if m["h"]:
        h = int(m["h"]) % 12 + (12 if m["ap"][0].lower() == "p" else 0)
        mi = int(m["mi"] or 0)
    elif m["h24"]:
        h, mi = int(m["h24"]), int(m["mi24"])
        # a bare "3:07" is as often a score or a race time as a clock: keep it only with a zone
        if not (m["zone"] or m["zone3"]) and not re.search(r"(?i)\bat\s*$", c.text[max(0, m.start() - 4):m.start()]):
            return None
    else:
        h, mi = int(m["hm"]), int(m["mm"])
    clock = f"T{h:02d}:{mi:02d}"
    if c.ref is None:
        return _out(m, "TIME", None, True)
    return _out(m, "TIME", c.ref.isoformat() + clock, True)


@_rule("noon", lambda w: r"\b(?i:noon|midnight)\b")
def _noon(m, c):
    clock = "T12:00" if m.group().lower() == "noon" else "T24:00"
    if c.ref is None:
        return _out(m, "TIME", None, True)
    return _out(m, "TIME", c.ref.isoformat() + clock, True)


# the day itself: "today", "yesterday morning", "tonight", "tomorrow"
@_rule("deictic_day", lambda w: rf"\b(?P<rel>(?i:today|tonight|yesterday|tomorrow))\b(?:\s+(?P<part>{w.day_part}))?")
def _deictic_day(m, c):
    rel = m["rel"].lower()
    if c.ref is None:
        return _out(m, "TIME" if (m["part"] or rel == "tonight") else "DATE", None, True)
    d = c.ref + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(rel, 0))
    if rel == "tonight":
        return _out(m, "TIME", d.isoformat() + "TNI", True)
    if m["part"]:
        return _out(m, "TIME", d.isoformat() + "T" + c.w.day_parts[m["part"].lower()], True)
    return _out(m, "DATE", d.isoformat(), True)


# a part of this day: "this morning", "last night"
@_rule("day_part", lambda w: rf"\b(?P<rel>(?i:this|last))\s+(?P<part>{w.day_part})")
def _day_part(m, c):
    if c.ref is None:
        return _out(m, "TIME", None, True)
    part = c.w.day_parts[m["part"].lower()]
    d = c.ref - timedelta(days=1) if (m["rel"].lower() == "last" and part in ("NI", "EV")) else c.ref
    return _out(m, "TIME", f"{d.isoformat()}T{part}", True)


# a duration measured back or forward from now: "two days ago", "a year earlier", "three weeks from now"
@_rule("ago", lambda w: rf"\b(?P<num>{w.number})[\s-]+(?P<unit>{w.unit})\s+(?P<dir>(?i:ago|earlier|from\s+now|hence))\b")
def _ago(m, c):
    n = _number(m["num"], c.w)
    u = c.w.units[m["unit"].lower()]
    sign = 1 if m["dir"].lower() in ("from now", "hence") or m["dir"].lower().startswith("from") else -1
    if c.ref is None:
        return _out(m, "DATE", None, True)
    if n == "X" or n != int(n):
        return _out(m, "DATE", "FUTURE_REF" if sign > 0 else "PAST_REF", False)
    k = int(n) * u.get("times", 1) * sign
    ref = c.ref
    letter = u["unit"]
    if u.get("time"):
        return _out(m, "DATE", ref.isoformat(), True)
    if letter == "D":
        return _out(m, "DATE", (ref + timedelta(days=k)).isoformat(), True)
    if letter == "W":
        return _out(m, "DATE", iso_week(ref + timedelta(weeks=k)), True)
    if letter == "M":
        y, mo = add_months(ref.year, ref.month, k)
        return _out(m, "DATE", f"{y}-{mo:02d}", True)
    if u.get("times", 1) >= 10:  # "two decades ago": the year, rounded to nothing finer
        return _out(m, "DATE", str(ref.year + k), True)
    return _out(m, "DATE", str(ref.year + k), True)


# deictic calendar units and named days or months: "last week", "next month", "this year",
# "last Tuesday", "next July", "last summer", and durations counted back or forward:
# "the past decade", "the past two years", "the next few months", "recent weeks"
@_rule("deictic", lambda w: rf"\b(?P<the>(?i:the)\s+)?(?P<det>(?i:this|last|next|coming|past|previous|current|following|(?:most\s+)?recent))\s+"
                  rf"(?:(?P<num>{w.number})[\s-]+)?(?P<what>{w.unit}|{UNIT_CALENDAR}|{w.weekday}|{w.month_named}|{w.season})(?!-)")
def _deictic(m, c):
    det = m["det"].lower().split()[-1]
    what = m["what"]
    wl = what.lower()
    ref = c.ref
    # a number or a plural unit makes it a duration: "the past two years", "recent weeks"
    if m["num"] or (wl in c.w.units and c.w.units[wl]["plural"] == wl and wl not in ("seconds",)) \
            or (m["the"] and det in ("past", "last", "next", "coming") and wl in ("day", "hour", "minute", "decade", "century", "fortnight")):
        if wl not in c.w.units:
            return None
        return _out(m, "DURATION", _duration_value(m["num"] or ("X" if wl == c.w.units[wl]["plural"] else "1"), wl, c.w), False)
    if det == "recent":
        return None
    direction = {"last": "last", "past": "last", "previous": "last", "next": "next", "coming": "next",
                 "following": "next"}.get(det, "this")
    if what in c.w.weekday_number:
        if ref is None:
            return _out(m, "DATE", None, True)
        if direction == "this":
            direction = c.tense(m.start(), m.end())
        return _out(m, "DATE", weekday_date(c.w.weekday_number[what], ref, direction).isoformat(), True)
    if wl in c.w.seasons:
        if ref is None:
            return _out(m, "DATE", None, True)
        s = c.w.seasons[wl]
        return _out(m, "DATE", f"{season_year(s, ref, direction)}-{s}", True)
    if wl in c.w.units or wl in ("weekend", "quarter"):
        if ref is None:
            return _out(m, "DATE", None, True)
        k = {"last": -1, "next": 1, "this": 0}[direction]
        if wl == "week":
            return _out(m, "DATE", iso_week(ref + timedelta(weeks=k)), True)
        if wl == "weekend":
            return _out(m, "DATE", weekend(ref, direction if direction != "this" else c.tense(m.start(), m.end())), True)
        if wl == "month":
            y, mo = add_months(ref.year, ref.month, k)
            return _out(m, "DATE", f"{y}-{mo:02d}", True)
        if wl == "quarter":
            q = (ref.month - 1) // 3 + k
            y = ref.year + q // 4
            return _out(m, "DATE", f"{y}-Q{q % 4 + 1}", True)
        if wl == "year":
            return _out(m, "DATE", str(ref.year + k), True)
        if wl == "decade":
            return _out(m, "DATE", str(ref.year // 10 + k), True)
        if wl == "century":
            return _out(m, "DATE", f"{ref.year // 100 + k:02d}", True)
        return None  # "last day", "next hour": left to the duration rule
    # a month: "last July", "next March", "this May"
    month = c.w.month_number(what)
    if ref is None:
        return _out(m, "DATE", None, True)
    if direction == "last":
        y = ref.year if month < ref.month else ref.year - 1
    elif direction == "next":
        y = ref.year if month > ref.month else ref.year + 1
    else:
        y = ref.year
    return _out(m, "DATE", f"{y}-{month:02d}", True)


# the end or start of a calendar unit: "the end of the year", "the beginning of the month"
@_rule("unit_part", lambda w: r"\b(?:(?i:the)\s+)?(?P<part>(?i:end|beginning|start|middle|turn|rest|remainder|close))\s+(?i:of)\s+(?:(?i:the|this)\s+)?(?P<unit>(?i:year|month|week|decade|century))\b")
def _unit_part(m, c):
    if c.ref is None:
        return _out(m, "DATE", None, True)
    unit = m["unit"].lower()
    ref = c.ref
    # "by the end of the year" in a past sentence of a March story is last year's end
    if unit == "year" and m["part"].lower() in ("end", "close", "turn") and ref.month < 7 \
            and c.tense(m.start(), m.end()) == "past":
        ref = date(ref.year - 1, 12, 31)
    value = {"year": str(ref.year), "month": f"{ref.year}-{ref.month:02d}", "week": iso_week(ref),
             "decade": str(ref.year // 10), "century": f"{ref.year // 100:02d}"}[unit]
    return _out(m, "DATE", value, True)


# seasons: "the summer", "the summer of 2012", "spring 2017" ("fall" alone is a verb)
@_rule("season", lambda w: rf"\b(?:(?P<the>(?i:the))\s+(?:(?i:early|late)\s+)?)?(?P<s>{w.season})(?:\s+(?:of\s+)?(?P<y>{YEAR})\b)?")
def _season(m, c):
    s = c.w.seasons[m["s"].lower()]
    if m["y"]:
        return _out(m, "DATE", f"{m['y']}-{s}", False)
    if not m["the"] or m["s"].lower() == "fall":
        return None
    if c.ref is None:
        return _out(m, "DATE", None, True)
    hint = c.tense(m.start(), m.end())
    cur = SEASON_OF_MONTH[c.ref.month]
    if hint == "past" and SEASON_ORDER[s] > SEASON_ORDER[cur]:
        return _out(m, "DATE", f"{c.ref.year - 1}-{s}", True)
    return _out(m, "DATE", f"{c.ref.year}-{s}", True)


# the weekend: "the weekend", "over the weekend"
@_rule("weekend", lambda w: r"\b(?i:the)\s+(?i:weekend)\b")
def _the_weekend(m, c):
    if c.ref is None:
        return _out(m, "DATE", None, True)
    return _out(m, "DATE", weekend(c.ref, c.tense(m.start(), m.end())), True)


# repeated times (TimeML SET): "every day", "each year", "every Monday", "twice a week", "daily"
@_rule("set", lambda w: rf"\b(?:(?P<q>(?i:every|each))\s+(?:(?i:other)\s+)?(?P<what>{w.weekday}|{w.day_part}|{w.season}|(?i:day|week|weekend|month|year|quarter|decade|season)\b)"
              rf"|(?P<adv>(?i:daily|weekly|monthly|annually|yearly|nightly|hourly))\b"
              rf"|(?P<times>(?i:once|twice|thrice|(?:{w.number})\s+times))\s+(?i:a|per|each|every)\s+(?P<per>(?i:day|week|month|year|decade)\b))")
def _set(m, c):
    if m["adv"]:
        value = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y",
                 "yearly": "P1Y", "quarterly": "P3M", "hourly": "PT1H"}[m["adv"].lower()]
        return _out(m, "SET", value, False)
    what = m["what"] or m["per"]
    wl = what.lower()
    if what in c.w.weekday_number:
        return _out(m, "SET", f"XXXX-WXX-{c.w.weekday_number[what] + 1}", False)
    if wl in c.w.day_parts:
        return _out(m, "SET", f"XXXX-XX-XXT{c.w.day_parts[wl]}", False)
    if wl in c.w.seasons:
        return _out(m, "SET", f"XXXX-{c.w.seasons[wl]}", False)
    value = {"day": "P1D", "week": "P1W", "weekend": "P1W", "month": "P1M", "year": "P1Y", "quarter": "P3M",
             "decade": "P10Y", "season": "P1Y"}[wl]
    return _out(m, "SET", value, False)


# a length of time: "three years", "90 days", "a four-week course", "half an hour", "24 hours"
@_rule("duration", lambda w: rf"(?<![\d,.])(?P<num>{w.number})(?:\s+|-)(?P<unit>{w.unit})(?:-(?i:long))?(?!-\w)")
def _duration(m, c):
    return _out(m, "DURATION", _duration_value(m["num"], m["unit"].lower(), c.w), False)


def _number(s: str, w: TimeWords):
    s = s.lower().replace(",", "")
    if s in w.numbers:
        return w.numbers[s]
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        f = float(s)
        return int(f) if f == int(f) else f
    tens, _, ones = re.split(r"([\s-])", s, maxsplit=1)
    return int(w.numbers[tens]) + int(w.numbers[ones])


def _duration_value(num: str, unit: str, w: TimeWords) -> str:
    u = w.units[unit]
    n = _number(num, w) if num != "X" else "X"
    letter = u["unit"]
    if n != "X":
        n = n * u.get("times", 1)
        if n != int(n):  # "half a day" -> PT12H, "half a year" -> P6M
            if letter in ("Y", "M", "D", "H") and n * {"Y": 12, "M": 30, "D": 24, "H": 60}[letter] == \
                    int(n * {"Y": 12, "M": 30, "D": 24, "H": 60}[letter]):
                letter, n, time_unit = {"Y": ("M", n * 12, False), "M": ("D", n * 30, False),
                                        "D": ("H", n * 24, True), "H": ("M", n * 60, True)}[letter]
                return f"P{'T' if time_unit else ''}{int(n)}{letter}"
        n = int(n)
    elif u.get("times", 1) == 10:
        letter = "DE"
    elif u.get("times", 1) == 100:
        letter = "CE"
    return f"P{'T' if u.get('time') else ''}{n}{letter}"


# durations of unknown length: "for years", "within days", "over decades"
@_rule("vague_duration", lambda w: rf"\b(?P<prep>(?i:for|within|over|in))\s+(?P<unit>{w.unit_plural})(?!-)")
def _vague_duration(m, c):
    if m["prep"].lower() == "in" and m["unit"].lower() not in ("days", "weeks", "years", "decades"):
        return None
    return _out(m, "DURATION", _duration_value("X", m["unit"].lower(), c.w), False, start=m.start("unit"))


# holidays: "Christmas", "Victory Day", "Easter"
@_rule("holiday", lambda w: rf"(?<![\w'])(?P<name>{w.holiday})(?:\s+(?P<y>{YEAR})\b)?")
def _holiday(m, c):
    name = m["name"]
    if m["y"]:
        year, anchored = int(m["y"]), False
    elif c.ref is None:
        return _out(m, "DATE", None, True)
    else:
        year, anchored = c.ref.year, True
    if name.startswith("Easter"):
        d = easter(year)
    elif name.startswith("Thanksgiving"):
        d = thanksgiving(year)
    else:
        mo, dd = c.w.holidays[name]
        d = date(year, mo, dd)
    if anchored:
        hint = c.tense(m.start(), m.end())
        if hint == "past" and d > c.ref:
            return _holiday_again(m, c, year - 1)
        if hint == "future" and d < c.ref:
            return _holiday_again(m, c, year + 1)
    return _out(m, "DATE", d.isoformat(), anchored)


def _holiday_again(m, c, year):
    name = m["name"]
    if name.startswith("Easter"):
        d = easter(year)
    elif name.startswith("Thanksgiving"):
        d = thanksgiving(year)
    else:
        d = date(year, *c.w.holidays[name])
    return _out(m, "DATE", d.isoformat(), True)


# a weekday named alone: "Friday", "Sunday night"
@_rule("weekday", lambda w: rf"(?P<wd>{w.weekday})(?:\s+(?P<part>{w.day_part}))?")
def _weekday(m, c):
    before = c.text[max(0, m.start() - 20):m.start()]
    after = c.text[m.end("wd"):m.end("wd") + 20]
    # a name, not a day: "Bloody Sunday", "the Sunday Times"
    prev = re.search(r"(\S+)\s+$", before)
    if prev and prev.group(1) in c.w.weekday_name_prefixes:
        return None
    if re.search(r"(?i:\bthe)\s+$", before) and re.match(r"\s+[A-Z]", after) and not re.match(rf"\s+{c.w.month}", after):
        return None
    if c.ref is None:
        return _out(m, "TIME" if m["part"] else "DATE", None, True)
    d = weekday_date(c.w.weekday_number[m["wd"]], c.ref, c.tense(m.start(), m.end()))
    if m["part"]:
        return _out(m, "TIME", f"{d.isoformat()}T{c.w.day_parts[m['part'].lower()]}", True)
    return _out(m, "DATE", d.isoformat(), True)


# a month named alone: "in October", "last May" is the deictic rule
@_rule("month", lambda w: rf"(?P<mon>{w.month_named})(?!\s*\d)")
def _month(m, c):
    word = m["mon"]
    prev = re.search(r"(\S+)\s+$", c.text[max(0, m.start() - 25):m.start()])
    prev_word = prev.group(1) if prev else ""
    if word == "May" or (word in ("March", "August") and not prev_word.islower()):
        # "May" is also a modal verb and a surname, "March" a verb and "August" an adjective:
        # take them as months only after a word that introduces a date ("in May", "early March")
        if prev_word.lower().strip("(,") not in c.w.month_introducers:
            return None
    elif prev_word[:1].isupper() and prev_word.lower() not in c.w.month_introducers \
            and not re.search(r"[.!?:\"“]\s*\S+\s+$", c.text[max(0, m.start() - 30):m.start()]) and prev:
        return None  # inside a name: "Operation October", "Lenin's October"
    if c.ref is None:
        return _out(m, "DATE", None, True)
    month = c.w.month_number(word)
    y = year_for_month(month, c.ref, c.tense(m.start(), m.end()))
    return _out(m, "DATE", f"{y}-{month:02d}", True)


# a year: "in 2018", "the 1949 treaty", but not "Resolution 2249" or "2000 troops"
@_rule("year", lambda w: rf"(?:(?<=\b(?:mid|pre)-)|(?<=\bpost-)|(?<![\w$€£¥#/.,:'-]))(?P<y>{YEAR})(?![\w%/:-]|[.,]\d)")
def _year(m, c):
    before = c.text[max(0, m.start() - 20):m.start()]
    after = c.text[m.end():m.end() + 25]
    prev = re.search(r"(\S+)\s*$", before)
    if prev and (prev.group(1) in c.w.year_block_before or prev.group(1)[-1] in "$€£¥#"):
        return None
    nxt = re.match(r"\s*([^\s,;:()\"]+)", after)
    if nxt:
        w = nxt.group(1).rstrip(".")
        if w.lower() in c.w.year_block_after or w in c.w.year_block_after:
            return None
        if w[:1].isupper() and w.endswith("s") and not w.endswith("'s") and w not in c.w.year_event_plurals:
            return None  # "2000 Syrians"
    return _out(m, "DATE", m["y"], False)


# references to the present, past and future: "now", "currently", "recently", "the past"
@_rule("reference", lambda w: r"\b(?P<w>(?i:now|currently|nowadays|presently|recently|lately|the\s+past|the\s+future|in\s+future|these\s+days|at\s+present|at\s+the\s+time))\b(?!-)")
def _reference(m, c):
    w = " ".join(m["w"].lower().split())
    start = m.start()
    if w in ("at present", "in future"):
        start = m.start() + 3
    value = {"now": "PRESENT_REF", "currently": "PRESENT_REF", "nowadays": "PRESENT_REF", "presently": "PRESENT_REF",
             "these days": "PRESENT_REF", "at present": "PRESENT_REF", "the moment": "PRESENT_REF",
             "at the time": "PAST_REF", "in future": "FUTURE_REF",
             "recently": "PAST_REF", "lately": "PAST_REF", "the past": "PAST_REF", "the future": "FUTURE_REF"}[w]
    return _out(m, "DATE", value, False, start=start)


#: rule name -> handler
HANDLERS = {name: h for name, _p, h in RULES}
