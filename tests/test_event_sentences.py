"""The event coder against a table of news sentences (tests/data/event_sentences.yaml).

A case passes when every expected event is coded: same type, same set of actor codes, same
set of recipient codes, same aux, and the same date where the case gives one. An expected
event must not also be coded with another aux (a negated sanction reported as having
happened). A case with ``events: []`` must yield nothing beyond its ``also_allowed`` events,
and no case may yield a type listed in its ``must_not`` (the known traps).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from entente.extract import extract
from entente.record import AUX, EVENT_TYPES

TABLE = Path(__file__).parent / "data" / "event_sentences.yaml"
CASES = yaml.safe_load(TABLE.read_text(encoding="utf-8"))


def codes(parties) -> frozenset[str]:
    """The set of codes of an actor or recipient list (predicted dicts or expected strings)."""
    return frozenset(p if isinstance(p, str) else p.get("code") for p in parties or []) - {None}


def matches(wanted: dict, event: dict, *, partial: bool = False) -> bool:
    """Whether a coded ``event`` is the ``wanted`` one.

    Expected events compare type, actor codes, recipient codes and aux (an omitted list is
    empty, an omitted aux is null) and the date when given. With ``partial`` (also_allowed),
    only the fields the table gives are compared.
    """
    if event.get("event") != wanted["event"]:
        return False
    for side in ("actor", "recipient"):
        if (side in wanted or not partial) and codes(event.get(side)) != codes(wanted.get(side)):
            return False
    if ("aux" in wanted or not partial) and event.get("aux") != wanted.get("aux"):
        return False
    return "date" not in wanted or event.get("date") == wanted["date"]


def show(event: dict) -> str:
    """One line for a failure message: ``ASSAULT RUS -> SYR (aux None, date 2016-09-18)``."""
    actors = ",".join(sorted(codes(event.get("actor")))) or "-"
    recipients = ",".join(sorted(codes(event.get("recipient")))) or "-"
    return f"{event.get('event')} {actors} -> {recipients} (aux {event.get('aux')}, date {event.get('date')})"


def _param(case):
    """A case the coder is known to miss carries ``xfail: reason`` in the table (strict: a
    fix shows up as XPASS and the mark must then go)."""
    marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_event_sentences(case):
    record = extract(case["text"], published=case.get("published"))
    coded = record["events"]
    report = "\n  coded: " + ("; ".join(show(e) for e in coded) or "nothing")

    missing = [w for w in case["events"] if not any(matches(w, e) for e in coded)]
    assert not missing, "missed: " + "; ".join(show(w) for w in missing) + report

    contradicted = [e for w in case["events"] for e in coded
                    if e.get("aux") != w.get("aux") and matches({**w, "aux": e.get("aux")}, e)]
    assert not contradicted, "also coded with another aux: " + "; ".join(show(e) for e in contradicted) + report

    if not case["events"]:
        allowed = case.get("also_allowed", [])
        false_alarms = [e for e in coded if not any(matches(a, e, partial=True) for a in allowed)]
        assert not false_alarms, "should yield no event:" + report

    traps = [e for e in coded if e.get("event") in case.get("must_not", [])]
    assert not traps, "coded a trap type: " + "; ".join(show(e) for e in traps) + report


# The table itself: well formed, and covering what the issue asks for.

KNOWN_FIELDS = {"id", "text", "published", "events", "also_allowed", "must_not", "tags", "xfail"}


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_event_sentences_case_is_well_formed(case):
    assert set(case) <= KNOWN_FIELDS, f"unknown fields {set(case) - KNOWN_FIELDS}"
    assert isinstance(case["text"], str) and case["text"].strip()
    assert isinstance(case["events"], list)
    for event in case["events"] + case.get("also_allowed", []):
        assert event["event"] in EVENT_TYPES, event
        assert event.get("aux") in AUX, event
        for side in ("actor", "recipient"):
            assert all(isinstance(code, str) for code in event.get(side, [])), event
        if "date" in event:
            assert isinstance(event["date"], str) and "published" in case, "a dated case needs `published`"
    assert set(case.get("must_not", [])) <= set(EVENT_TYPES)


def test_event_sentences_table_covers_every_type():
    ids = Counter(case["id"] for case in CASES)
    assert not [i for i, n in ids.items() if n > 1], "duplicate ids"
    assert len(CASES) >= 80
    per_type = Counter(e["event"] for case in CASES for e in case["events"])
    assert {t: per_type[t] for t in EVENT_TYPES if per_type[t] < 3} == {}
    assert sum(1 for case in CASES if not case["events"]) >= 5
