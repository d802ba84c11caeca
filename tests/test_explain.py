"""`entente extract --explain`: every event says which pattern coded it, hand-written (its
file) or derived from PETRARCH-2's CAMEO dictionary (the CAMEO code and the dictionary line).
Sentences written for this test."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from entente.extract import extract_articles
from entente.read.sources import Article


def explained(text: str) -> list[tuple[str, list[str]]]:
    record = next(extract_articles([Article(id="x", text=text, date="2018-03-14")], explain=True))
    return [(e["pattern"], e["explanation"]) for e in record["events"]]


@pytest.mark.parametrize("text, prefix, origin", [
    # a hand-written pattern names its file
    ("Egypt condemned Israel.", "accuse.", r"^hand-written: patterns/accuse\.yaml$"),
    ("Turkey completed the withdrawal of its troops from northern Iraq.", "retreat.",
     r"^hand-written: patterns/retreat\.yaml$"),
    # a CAMEO-derived one names its code and the dictionary line it was compiled from
    ("Iran blasted the United States.", "cameo.", r"^CAMEO-derived: CAMEO \d{2,4}, CAMEO\.2\.0\.txt:(\d+) "),
])
def test_explain_names_the_pattern_and_where_it_comes_from(text, prefix, origin):
    found = [(name, lines) for name, lines in explained(text) if name.startswith(prefix)]
    assert found, explained(text)
    name, lines = found[0]
    assert lines[0].startswith(f"pattern {name}:")
    m = re.search(origin, lines[1])
    assert m, lines
    if m.groups():   # the line named is the one the pattern's id gives: cameo.c8734 is line 8734
        assert name.split(".c")[1].split("-")[0] == m.group(1)


def test_cli_extract_explain_prints_the_origin(tmp_path):
    corpus = tmp_path / "one.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": "Iran blasted the United States.",
                                  "date": "2018-03-14"}) + "\n", encoding="utf-8")
    done = subprocess.run([str(Path(sys.executable).with_name("entente")), "extract", str(corpus), "--explain",
                           "-o", str(tmp_path / "out.jsonl")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert re.search(r"CAMEO-derived: CAMEO \d{2,4}, CAMEO\.2\.0\.txt:\d+ ", done.stderr), done.stderr
