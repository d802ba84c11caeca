"""A CSV (or TSV, by the file's suffix) in the shape of ICEWS event data: one row per
merged event, ICEWS's column names, with PLOVER's type and quad where ICEWS has CAMEO's
code, and a Goldstein-style ``Intensity`` of the type (``data/intensity.jsonl``). Compound
actors are joined with ``;``. ``Event Date`` is, as in ICEWS, a day (YYYY-MM-DD: the first
day the event covers, so every row parses and sorts); ``Date As Reported`` keeps the record's
date at its precision (``2017-10``), ``Date Precision`` says which (day, month, year) and
``End Date`` is the last day covered. The story columns name the earliest source, with its
URL, title, publication date and the sentence the event was read from; ``Sources`` counts
the distinct articles reporting the event. ``Review`` is how analysts reviewed it
(confirmed, corrected, rejected; empty if nobody did) and ``Reviewers`` who."""
from __future__ import annotations

import csv
from pathlib import Path

from ..intensity import intensity
from .plover import iter_events

COLUMNS = ("Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
           "PLOVER Type", "Quad Class", "Intensity", "Aux", "Mode", "Context", "Target Name", "Target Sectors",
           "Target Country", "Story ID", "Sentence Number", "Publisher", "City", "Country", "Latitude",
           "Longitude", "Sources", "Source Articles", "Date As Reported", "Date Precision", "End Date",
           "Event Sentence", "Story URL", "Story Title", "Story Published", "Review", "Reviewers")


def _codes(participants: list[dict]) -> str:
    return ";".join(p["code"] for p in participants)


def _sectors(participants: list[dict]) -> str:
    return ";".join(p.get("sector") or "" for p in participants) if any(p.get("sector") for p in participants) else ""


def icews_row(event: dict) -> list:
    """One store event as an ICEWS-shaped row (see COLUMNS)."""
    first = event["sources"][0] if event["sources"] else {}
    loc = event["event_loc"] or {}
    score = intensity().get(event["event"])
    return [event["id"], event.get("date_start") or "", _codes(event["actor"]), _sectors(event["actor"]),
            _codes(event["actor"]), first.get("event_text") or "", event["event"], event["quad"] or "",
            "" if score is None else score, event["aux"] or "", ";".join(event["mode"]), ";".join(event["context"]),
            _codes(event["recipient"]), _sectors(event["recipient"]), _codes(event["recipient"]),
            first.get("article") or "", first.get("sequence") if first.get("sequence") is not None else "",
            first.get("publisher") or "", loc.get("name") or "", loc.get("country") or "",
            loc.get("lat") if loc.get("lat") is not None else "", loc.get("lon") if loc.get("lon") is not None else "",
            event["n_sources"], ";".join(dict.fromkeys(s["article"] for s in event["sources"])),
            event["date"] or "", event.get("date_precision") or "", event.get("date_end") or "",
            first.get("sentence") or "", first.get("url") or "", first.get("title") or "", first.get("published") or "",
            (event.get("review") or {}).get("status") or "", ";".join((event.get("review") or {}).get("reviewers") or [])]


def write_icews(store, path: str | Path, *, delimiter: str | None = None, **filters) -> int:
    """Write the events as ICEWS-shaped CSV (TSV when ``path`` ends in .tsv or .tab)."""
    path = Path(path)
    if delimiter is None:
        delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(COLUMNS)
        for event in iter_events(store, **filters):
            writer.writerow(icews_row(event))
            count += 1
    return count
