"""Named events against a table of news sentences (tests/data/named_event_sentences.yaml).

The extractor's entities of kind ``named_event`` are matched to the expected ones by name as
the referee (../shared/score.py) matches them: normalised (case, accents and punctuation
ignored), token overlap at least a half, stop words aside, best match first. A case passes
when every expected named event is found with every field the case gives (kind, organizer,
place, date, participants, observers), and nothing else is found beyond its
``also_allowed`` names. ``named_events: []`` (a trap) must yield no named event at all.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

from entente.extract import extract

TABLE = Path(__file__).parent / "data" / "named_event_sentences.yaml"
CASES = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
FIELDS = ("kind", "organizer", "place", "date", "participants", "observers")
NAME_STOP = {"the", "of", "a", "an", "on", "in", "for", "and", "to"}


def norm(text: str | None) -> str:
    """Case-, accent- and punctuation-insensitive form of a name (as score.py has it)."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def name_overlap(a: str, b: str) -> float:
    """Token Jaccard of two names, stop words aside (score.py's rule)."""
    ta, tb = set(norm(a).split()) - NAME_STOP, set(norm(b).split()) - NAME_STOP
    return len(ta & tb) / len(ta | tb) if ta | tb else 0.0


def place_matches(wanted: str | None, place) -> bool:
    """score.py: the wanted place (a name or a country code) equals the found place's name or
    country; a wanted null place means none was found."""
    if not wanted:
        return place in (None, "", {})
    names = {norm(place.get("name")), norm(place.get("country"))} if isinstance(place, dict) else {norm(place)}
    return norm(wanted) in names


def field_value(found: dict, name: str):
    """The found entity's value of a table field (the record calls the kind ``type``)."""
    if name == "kind":
        return found.get("type")
    if name in ("participants", "observers"):
        return sorted(found.get(name) or [])
    return found.get(name)


def field_ok(wanted: dict, found: dict, name: str) -> bool:
    value = field_value(found, name)
    if name == "place":
        return place_matches(wanted["place"], found.get("place"))
    if name in ("participants", "observers"):
        return value == sorted(wanted[name])
    return value == wanted[name]


def show(found: dict) -> str:
    """One named event on one line, for a failure message."""
    place = found.get("place")
    if isinstance(place, dict):
        place = "/".join(str(place.get(k)) for k in ("name", "country") if place.get(k))
    return (f"{found.get('name')!r} ({found.get('type')}, organizer {found.get('organizer')}, place {place}, "
            f"date {found.get('date')}, participants {found.get('participants') or []}, "
            f"observers {found.get('observers') or []})")


def _param(case):
    """A case the finder is known to get wrong carries ``xfail: reason`` in the table (strict: a
    fix shows up as XPASS and the mark must then go)."""
    marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_named_event_sentence(case):
    record = extract(case["text"], published=case.get("published"))
    found = [e for e in record["entities"] if e.get("kind") == "named_event" and e.get("name")]
    report = "\n  found: " + ("; ".join(show(f) for f in found) or "nothing")

    used: set[int] = set()
    problems = []
    for wanted in case["named_events"]:
        scored = [(name_overlap(wanted["name"], f["name"]), i) for i, f in enumerate(found) if i not in used]
        best, i = max(scored, default=(0.0, None))
        if best < 0.5:
            problems.append(f"missed {wanted['name']!r}")
            continue
        used.add(i)
        wrong = [f"{name} {field_value(found[i], name)!r} (want {wanted[name]!r})"
                 for name in FIELDS if name in wanted and not field_ok(wanted, found[i], name)]
        if wrong:
            problems.append(f"{wanted['name']!r}: " + ", ".join(wrong))
    allowed = case.get("also_allowed", [])
    extra = [f["name"] for i, f in enumerate(found)
             if i not in used and not any(name_overlap(a, f["name"]) >= 0.5 for a in allowed)]
    if extra:
        problems.append("should not be named events: " + ", ".join(repr(x) for x in extra))
    assert not problems, "; ".join(problems) + report


# The table itself: well formed, and covering what the issue asks for.

KNOWN_FIELDS = {"id", "text", "published", "named_events", "also_allowed", "tags", "xfail"}
KINDS = {"exercise", "summit", "forum", "conference", "meeting", "operation", "parade", "ceremony"}


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_named_event_case_is_well_formed(case):
    assert set(case) <= KNOWN_FIELDS, f"unknown fields {set(case) - KNOWN_FIELDS}"
    assert isinstance(case["text"], str) and case["text"].strip()
    assert isinstance(case["named_events"], list)
    for wanted in case["named_events"]:
        assert isinstance(wanted.get("name"), str) and wanted["name"].strip(), wanted
        assert set(wanted) <= {"name", *FIELDS}, wanted
        assert wanted.get("kind", "exercise") in KINDS, wanted
        for side in ("participants", "observers"):
            assert all(isinstance(c, str) for c in wanted.get(side, [])), wanted
        if wanted.get("date"):
            assert re.fullmatch(r"\d{4}(-\d\d){0,2}(/\d{4}(-\d\d){0,2})?", wanted["date"]), wanted
            assert "published" in case, "a dated case needs `published`"
    assert isinstance(case.get("xfail", ""), str)


def test_named_event_table_covers_the_constructions():
    ids = Counter(case["id"] for case in CASES)
    assert not [i for i, n in ids.items() if n > 1], "duplicate ids"
    assert len(CASES) >= 40
    tags = Counter(t for case in CASES for t in case.get("tags", []))
    wanted = ("hyphenated", "quoted", "guillemets", "other-language", "code-named", "numbered-sitting",
              "joint-meeting", "summit", "forum", "first-place-trap", "participants", "observers",
              "headline", "byline", "photo-credit", "sports", "business", "described", "person-after-head")
    assert {t: tags[t] for t in wanted if tags[t] < 1} == {}
    assert sum(1 for case in CASES if not case["named_events"]) >= 10
