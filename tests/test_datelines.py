"""The dateline finder against a table of article heads (tests/data/datelines.yaml).

A case passes when ``parse_dateline`` (called as the extractor calls it, with the dateline
finder of the default Resources: the agency table, the month names, the page words and the
gazetteer) returns every dateline field the case gives (date, place,
publisher, and via when given) and, where the case says where the story proper begins, a
``body_start`` at those words. A case the finder is known to get wrong carries ``xfail:``
in the table; it runs as a strict xfail, so a fix shows up as XPASS and the mark must go.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from entente.read.dateline import parse_dateline
from entente.resources import Resources

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


@pytest.fixture(scope="module")
def finder():
    return Resources().dateline_finder


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_dateline(case, finder):
    text = case["text"]
    parsed = parse_dateline(text, case.get("published"), finder=finder)
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


# What the NLP reads: the dateline and everything before it blanked but the names of a byline
# (its author is a person of the story); without a dateline, the page furniture (stamps, the
# rest of a byline, credits) blanked and a headline in ordinary case kept.

@pytest.mark.parametrize("text, read, blanked", [
    ("Security Council condemns attack in the capital\n\nSource: Xinhua | 2016-03-04 10:07:16\n\n"
     "The Security Council condemned the attack.",
     ["Security Council condemns attack", "The Security Council condemned"], ["Xinhua", "2016-03-04"]),
    ("Envoys meet on the border dispute\n\nJane Roe Published March 05, 2021 | 06:20 PM\n\nThe envoys met on Friday.",
     ["Envoys meet on the border", "Jane Roe", "The envoys met"], ["Published", "March 05", "06:20"]),
    ("By Jane Roe\n\nMOSCOW, March 3 (Reuters) - Russia said it would respond.",
     ["Jane Roe", "Russia said it would respond."], ["By", "MOSCOW", "Reuters"]),
    ("By Sgt. John Roe, Army Public Affairs ANKARA, Turkey -- Turkish troops trained.",
     ["Sgt. John Roe, Army Public Affairs", "Turkish troops trained."], ["By", "ANKARA", "Turkey"]),
    ("FORUM Staff\n\nThe coast guards held a drill.", ["The coast guards held a drill."], ["FORUM", "Staff"]),
    ("Photo: Press Service\n\nThe ministers met in Minsk.", ["The ministers met in Minsk."], ["Photo", "Press Service"]),
], ids=["stamp-under-a-kept-headline", "byline-stamp-under-a-kept-headline", "byline-before-dateline",
        "byline-runs-into-dateline", "byline-without-a-name", "credit-line"])
def test_dateline_masks_what_the_nlp_must_not_read(text, read, blanked, finder):
    masked = parse_dateline(text, finder=finder).masked(text)
    assert len(masked) == len(text) and [i for i, c in enumerate(text) if c == "\n"] == \
        [i for i, c in enumerate(masked) if c == "\n"], "offsets and lines are kept"
    assert [w for w in read if w not in masked] == [], masked
    assert [w for w in blanked if w in masked] == [], masked


def test_dateline_words_file_is_validated_with_every_problem(tmp_path):
    from entente.errors import DictionaryError
    from entente.read.dateline import load_dateline_words

    bad = tmp_path / "dateline_words.yaml"
    bad.write_text("stamp_words: [published]\nbyline_opener: [By]\nhead_max_lines: many\n", encoding="utf-8")
    with pytest.raises(DictionaryError) as err:
        load_dateline_words(bad)
    message = str(err.value)
    assert "dateline_words.yaml" in message
    for problem in ("'byline_openers' is required", "'byline_opener' is not a key", "'head_max_lines'"):
        assert problem in message


# Which lines are headlines the NLP reads (no dateline under them): their words name no
# event; a first sentence is no headline, even when it ends inside quotes.

@pytest.mark.parametrize("text, headlines", [
    ("Venezuelan Government Detains Opposition Figure\n\nPress Statement\nThe United States condemns the detention.",
     ["Venezuelan Government Detains Opposition Figure", "Press Statement"]),
    ('The ministry said the drills would be called "Northern Shield."\nThe exercise is the largest.', []),
    ("Russia warns U.S.\n\nRussia warned the United States on Monday.", ["Russia warns U.S."]),
    ("The Foreign Secretary said:\n\nWe condemn the attack.", []),
    ("NATO ALLIES AGREE NEW PLANS\n\nAllied ministers agreed new plans.", []),   # capitals: blanked, not read
], ids=["headline-and-rubric", "sentence-ending-in-quotes", "headline-ending-in-an-abbreviation",
        "line-introducing-a-quote", "capitals-headline-is-blanked"])
def test_dateline_headlines_the_nlp_reads(text, headlines, finder):
    parsed = parse_dateline(text, finder=finder)
    assert [text[s:e] for s, e in parsed.headlines] == headlines
