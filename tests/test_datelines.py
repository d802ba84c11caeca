"""The dateline finder against a table of article heads (tests/data/datelines.yaml).

A case passes when ``parse_dateline`` (called as the extractor calls it, with the agency
table of the dictionaries) returns every dateline field the case gives (date, place,
publisher, and via when given) and, where the case says where the story proper begins, a
``body_start`` at those words. A case the finder is known to get wrong carries ``xfail:``
in the table; it runs as a strict xfail, so a fix shows up as XPASS and the mark must go.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from entente.dictionaries import load_dictionaries
from entente.read.dateline import parse_dateline

TABLE = Path(__file__).parent / "data" / "datelines.yaml"
CASES = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
FIELDS = ("date", "place", "publisher", "via")


def _param(case):
    marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
    return pytest.param(case, id=case["id"], marks=marks)


def show(parsed, text: str) -> str:
    """The finder's answer on one line, with the first words of what it takes for the body."""
    body = text[parsed.body_start:].lstrip()[:40].replace("\n", "\\n")
    return (f"date {parsed.date!r}, place {parsed.place!r}, publisher {parsed.publisher!r}, "
            f"via {parsed.via!r}, body from {parsed.body_start}: {body!r}")


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_dateline(case):
    text = case["text"]
    parsed = parse_dateline(text, case.get("published"), load_dictionaries().agency_names)
    report = "\n  found: " + show(parsed, text)

    wanted = case["dateline"]
    wrong = [f"{f} {getattr(parsed, f)!r} (want {wanted[f]!r})" for f in FIELDS
             if f in wanted and getattr(parsed, f) != wanted[f]]
    assert not wrong, "wrong: " + "; ".join(wrong) + report

    if "body_starts_with" in case:
        at_body = text[parsed.body_start:].lstrip().startswith(case["body_starts_with"])
        assert at_body, f"the body should start with {case['body_starts_with']!r}" + report


# The table itself: well formed, and covering what the issue asks for.

KNOWN_FIELDS = {"id", "text", "published", "dateline", "body_starts_with", "tags", "xfail"}


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_dateline_case_is_well_formed(case):
    assert set(case) <= KNOWN_FIELDS, f"unknown fields {set(case) - KNOWN_FIELDS}"
    assert isinstance(case["text"], str) and case["text"].strip()
    assert set(case["dateline"]) <= set(FIELDS) and {"date", "place", "publisher"} <= set(case["dateline"])
    if case.get("published"):
        assert case["dateline"]["date"] == case["published"], "SPEC: a supplied date outranks the dateline's"
    if "body_starts_with" in case:
        assert case["body_starts_with"] in case["text"]
    assert isinstance(case.get("xfail", ""), str)


def test_dateline_table_covers_the_shapes():
    ids = Counter(case["id"] for case in CASES)
    assert not [i for i, n in ids.items() if n > 1], "duplicate ids"
    assert len(CASES) >= 40
    tags = Counter(t for case in CASES for t in case.get("tags", []))
    # something before the dateline, in each of the forms pages use
    assert {t: tags[t] for t in ("headline", "stamp", "byline", "photo-credit", "clutter", "capitals")
            if tags[t] < 1} == {}
    assert tags["trap"] >= 5
    assert len({case["dateline"]["publisher"] for case in CASES} - {None}) >= 30
