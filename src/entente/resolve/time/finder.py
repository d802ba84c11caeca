"""The finder: one pass of the rules' combined expression over a text, then the context
steps that widen or join what the rules found (modifiers, ranges, a clock time and its day).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pydantic import BaseModel, ConfigDict

from ...dictionaries import read_yaml, validate_yaml
from .calendar import parse_published
from .rules import HANDLERS, RULES, RuleContext, TimeWords

@dataclass(frozen=True)
class TimeExpression:
    """One time expression: its place in the text, its TIMEX3 type and its value."""

    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION or SET
    value: str | None
    anchored: bool  # True when the value needed the publication date


TenseHint = str | Callable[[int, int], "str | None"] | None




class TimeWordsFile(BaseModel):
    """The keys of time_words.yaml (every one required, no other allowed; see the file)."""

    model_config = ConfigDict(extra="forbid")

    months: dict[str, tuple[int, list[str]]]
    weekdays: list[str]
    weekday_name_prefixes: list[str]
    day_parts: dict[str, str]
    seasons: dict[str, str]
    numbers: dict[str, int | float | str]
    ordinals: dict[str, int]
    units: dict[str, dict[str, str | int | bool]]
    holidays: dict[str, tuple[int, int]]
    year_blocking_before: list[str]
    year_blocking_after: list[str]
    year_event_plurals: list[str]
    month_introducers: list[str]
    tense_future_markers: list[str]
    tense_past_markers: list[str]
    tense_not_past: list[str]


def load_time_words(path: Path) -> dict:
    """The word lists of a ``time_words.yaml``, validated (a DictionaryError names the file
    and every bad or missing key)."""
    raw = read_yaml(path)
    validate_yaml(path, raw, TimeWordsFile)
    return raw


class TimeFinder:
    """The rules compiled over one set of word tables: finds and normalises time expressions."""

    def __init__(self, words: TimeWords):
        self.words = words
        patterns = {name: p(words) for name, p, _h in RULES}
        self.rule_res = {name: re.compile(p) for name, p in patterns.items()}
        # all rules as one alternation; the outer group names the rule that matched
        parts = [f"(?P<{name}>{re.sub(r'[(][?]P<[a-z0-9_]+>', '(?:', p)})" for name, p in patterns.items()]
        # every rule starts at a word boundary (or the apostrophe of "'90s"): checking that first
        # lets the search skip the inside of words cheaply
        self.finder = re.compile(r"(?:\b|(?='))(?:" + "|".join(parts) + ")")
        self.tense_re = tense_expression(words)

    @classmethod
    def from_file(cls, path: Path) -> "TimeFinder":
        return cls(TimeWords(load_time_words(path)))

    def find(self, text: str, published: str | None, *, tense_hint: TenseHint = None) -> list[TimeExpression]:
        """The time expressions of ``text`` (see :func:`find_time_expressions`)."""
        ref = parse_published(published)
        ctx = RuleContext(text, ref, self.words, _tense_function(text, tense_hint, self.tense_re))
        found: list[tuple] = []
        pos = 0
        search = self.finder.search
        rule_res = self.rule_res
        while True:
            m = search(text, pos)
            if m is None:
                break
            name = m.lastgroup
            rm = rule_res[name].match(text, m.start())
            result = HANDLERS[name](rm, ctx) if rm is not None else None
            if result is None:
                pos = m.start() + 1
                continue
            found.append(result)
            pos = max(result[1], m.start() + 1)
        found = _widen_and_join(found, text, ctx)
        return [TimeExpression(s, e, text[s:e], typ, val, anch) for s, e, typ, val, anch in found]


# --------------------------------------------------------------------------------------
# Tense near an expression: decides "Friday" and "in October" when no year or direction is
# given. The nearest tense marker in the same sentence wins.
# --------------------------------------------------------------------------------------

def _phrase(phrase: str) -> str:
    """A marker phrase of time_words.yaml as a regular expression (a space: any space; "*": a word)."""
    return r"\s+".join("[a-z]+" if w == "*" else re.escape(w) for w in phrase.split())


def tense_expression(words: TimeWords) -> re.Pattern:
    """The markers of tense of time_words.yaml as one expression, future or past."""
    future = "|".join(_phrase(p) for p in words.tense_future_markers)
    past = "|".join(_phrase(p) for p in words.tense_past_markers)
    not_past = "|".join(re.escape(w) for w in words.tense_not_past)
    return re.compile(rf"(?P<future>\b(?:{future})\b)|(?P<past>\b(?:{past})\b|\b(?!(?:{not_past})\b)[a-z]{{2,}}ed\b)")


_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z\"“])|\n")


def _tense_near(text: str, start: int, end: int, tense_re: re.Pattern) -> str | None:
    lo = max(0, start - 200)
    hi = min(len(text), end + 200)
    left = text[lo:start]
    ends = list(_SENTENCE_END.finditer(left))
    if ends:
        lo += ends[-1].end()
    right = _SENTENCE_END.search(text, end, hi)
    if right:
        hi = right.start() + 1
    # the clause's own marker first: "will hold the exercise in September, the ministry said"
    # is the coming September (the reporting clause after the comma has its own tense)
    clause_lo = max([lo] + [m.end() for m in _CLAUSE_BREAK.finditer(text, lo, start)])
    clause_break = _CLAUSE_BREAK.search(text, end, hi)
    clause_hi = clause_break.start() if clause_break else hi
    return _nearest_marker(text, start, end, clause_lo, clause_hi, tense_re) or \
        _nearest_marker(text, start, end, lo, hi, tense_re)


_CLAUSE_BREAK = re.compile(r"[,;:(){}]|\s[-–—]+\s")


def _nearest_marker(text: str, start: int, end: int, lo: int, hi: int, tense_re: re.Pattern) -> str | None:
    best, best_dist = None, None
    for mk in tense_re.finditer(text, lo, hi):
        if mk.start() >= start and mk.end() <= end:
            continue
        dist = start - mk.end() if mk.end() <= start else mk.start() - end
        if dist < 0:
            continue
        if best_dist is None or dist < best_dist:
            best, best_dist = mk.lastgroup, dist
    return best


def _tense_function(text: str, hint: TenseHint, tense_re: re.Pattern) -> Callable[[int, int], str | None]:
    """The tense of the clause around a span: the hint's, or the nearest marker's."""
    if callable(hint):
        return hint
    if hint is not None:
        fixed = hint if hint in ("past", "future") else None
        return lambda start, end: fixed
    return lambda start, end: _tense_near(text, start, end, tense_re)


# --------------------------------------------------------------------------------------
# Context steps: modifiers, ranges, a clock time and its day
# --------------------------------------------------------------------------------------

# "early December", "late last July", "earlier today", "the end of 2017", "mid-October"
_MODIFIER_BEFORE = re.compile(r"(?:\b(?i:(?:the\s+)?(?:very\s+)?(?:early|late|earlier|later|(?:end|beginning|start|middle|turn|close)\s+of(?:\s+the)?"
                              r"|(?:first|second)\s+half\s+of))\s+|\b(?i:mid)-?\s*)$")
_POINT_TYPES = ("DATE", "TIME")
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|(?i:to|through|until|till|and))\s*")


def _widen_and_join(found: list[tuple], text: str, ctx: RuleContext) -> list[tuple]:
    out: list[list] = []
    for s, e, typ, val, anch in found:
        if typ in _POINT_TYPES and val not in ("PRESENT_REF", "PAST_REF", "FUTURE_REF"):
            mod = _MODIFIER_BEFORE.search(text, max(0, s - 40), s)
            if mod and (not out or out[-1][1] <= mod.start()):
                s = mod.start()
        out.append([s, e, typ, val, anch])
    joined: list[list] = []
    for cur in out:
        if joined:
            prev = joined[-1]
            gap = text[prev[1]:cur[0]]
            # a range of two dates: "18 October - 2 November", "from May to July"
            if prev[2] == "DATE" and cur[2] == "DATE" and prev[3] and cur[3] and "/" not in prev[3] + cur[3] \
                    and _RANGE_JOIN.fullmatch(gap) and _is_range(text, prev, gap) \
                    and _comparable(prev[3], cur[3]):
                v1, v2 = prev[3], cur[3]
                if v2[:4].isdigit() and v1[:4].isdigit() and v1 > v2 and len(v1) == len(v2) and prev[4]:
                    v1 = str(int(v1[:4]) - 1) + v1[4:]  # "December - February 2018"
                if v1 < v2:
                    prev[1], prev[3], prev[4] = cur[1], f"{v1}/{v2}", prev[4] or cur[4]
                    continue
            # a clock time glued to its day: "15:00 GMT Saturday", "Friday 3 pm"
            if {prev[2], cur[2]} == {"TIME", "DATE"} and re.fullmatch(r"\s*,?\s*", gap):
                day, clock = (prev, cur) if prev[2] == "DATE" else (cur, prev)
                if day[3] and clock[3] and len(day[3]) == 10 and "T" in clock[3]:
                    prev[1], prev[2], prev[3] = cur[1], "TIME", day[3] + clock[3][10:]
                    prev[4] = day[4] or clock[4]
                    continue
        joined.append(cur)
    return [tuple(x) for x in joined]


def _is_range(text: str, prev, gap: str) -> bool:
    word = gap.strip().lower()
    if word in ("-", "–", "—", "through", "until", "till"):
        return True
    intro = text[max(0, prev[0] - 9):prev[0]].lower()
    if word == "and":
        return bool(re.search(r"between\s+$", intro))
    return bool(re.search(r"(?:from|between)\s+$", intro)) or len(prev[3]) == 10  # "March 12 to March 15"


def _comparable(v1: str, v2: str) -> bool:
    pat = re.compile(r"\d{4}(?:-\d\d(?:-\d\d)?)?")
    return bool(pat.fullmatch(v1) and pat.fullmatch(v2) and len(v1) == len(v2))


# --------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------


def find_time_expressions(text: str, published: str | None, *, finder: TimeFinder,
                          tense_hint: TenseHint = None) -> list[TimeExpression]:
    """Find the time expressions of a text and normalise them against the publication date.

    ``published`` is the article's date, "YYYY-MM-DD" (a time part after it is ignored), or
    None: then expressions that need it ("Friday", "last year", "on 25 September") keep
    their span with value None, while absolute ones ("July 21, 2016", "1949") resolve.

    ``tense_hint`` decides dates named without a year or direction ("Friday", "in
    October"): None looks at the nearest verb in the sentence ("will meet on Friday" is the
    next Friday, "met on Friday" the last one); "past" or "future" applies to every
    expression; a callable ``(start, end) -> "past" | "future" | None`` decides per
    expression.

    ``finder``: the compiled rules to use (a Resources has them: ``resources.time_finder``).

    >>> finder = Resources().time_finder
    >>> [e.value for e in find_time_expressions("They met on 25 September.", "2017-09-27", finder=finder)]
    ['2017-09-25']
    """
    return finder.find(text, published, tense_hint=tense_hint)


def resolve_date(expression: str, published: str | None, *, finder: TimeFinder) -> str | None:
    """The TIMEX3 value of one time expression, e.g. ("on 25 September", "2017-09-27") -> "2017-09-25".

    None when the expression is not a time expression, or needs the publication date and
    ``published`` is None.
    """
    found = find_time_expressions(expression, published, finder=finder)
    if not found:
        return None
    return max(found, key=lambda e: e.end - e.start).value
