"""``entente extract``: the record of every article, on stdout or in a file."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .common import PATHS_HELP, errors_reported


def extract(
    paths: List[Path] = typer.Argument(..., help=PATHS_HELP),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="write JSON Lines here (default: stdout)"),
    explain: bool = typer.Option(False, "--explain", help="show, for each event, the pattern and words that coded it"),
    pretty: bool = typer.Option(False, "--pretty", help="indented JSON instead of one line per record"),
    with_text: bool = typer.Option(True, "--text/--no-text", help="include the article text in each record"),
    compact: bool = typer.Option(False, "--compact", help="leave out null and empty fields; one line per entity and "
                                 "event (still JSON)"),
    summary: bool = typer.Option(False, "--summary", help="print a readable summary of each record (dateline, people, "
                                 "named events, events) before it"),
) -> None:
    """Extract the record (SPEC.md) of every article; bad articles are reported, the rest go on
    (exit code 1 if any article could not be read or extracted)."""
    from ..engines.local import extract_each
    from ..errors import ArticleError
    from ..read.sources import iter_articles

    failures = 0

    def report(message: str) -> None:
        nonlocal failures
        failures += 1
        typer.secho(f"entente: {message}", fg="red", err=True)

    def good_articles():
        for item in iter_articles(paths):
            if isinstance(item, ArticleError):
                report(str(item))
            else:
                yield item

    count = 0
    with errors_reported():
        out = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            for article, record, error in extract_each(good_articles(), explain=explain):
                if error is not None:
                    report(str(ArticleError(article.source or article.id, error, line=article.line)))
                    continue
                if not with_text:
                    record.pop("text", None)
                if explain:
                    _print_explanation(record)
                if summary:
                    out.write(record_summary(record) + "\n")
                if compact:
                    out.write(compact_json(record) + "\n")
                else:
                    out.write(json.dumps(record, ensure_ascii=False, indent=2 if pretty else None) + "\n")
                count += 1
        finally:
            if output:
                out.close()
    typer.secho(f"entente: {count} records written, {failures} failed", err=True,
                fg="yellow" if failures else "green")
    if failures:
        raise typer.Exit(1)


def without_empty(value):
    """A record with its null fields, empty lists, empty objects and empty strings left out."""
    if isinstance(value, dict):
        return {k: without_empty(v) for k, v in value.items() if v not in (None, [], {}, "")}
    if isinstance(value, list):
        return [without_empty(v) for v in value]
    return value


def compact_json(record: dict) -> str:
    """The record as JSON without its empty fields (:func:`without_empty`), a line per top-level
    field and one per entity and event: a record a person can read in a terminal."""
    record = without_empty(record)
    lines = []
    for key, value in record.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            items = ",\n".join("    " + json.dumps(v, ensure_ascii=False) for v in value)
            lines.append(f"  {json.dumps(key)}: [\n{items}\n  ]")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}"


def _codes(participants: list[dict]) -> str:
    return ",".join(p["code"] for p in participants) or "-"


def record_summary(record: dict) -> str:
    """A few readable lines on one record: its dateline, people with their offices, named events
    and events (type, who -> whom, date, place, aux and the trigger words)."""
    dl = record.get("dateline") or {}
    head = ", ".join(x for x in (dl.get("date") or "undated", dl.get("place"), dl.get("publisher")) if x)
    if dl.get("via"):
        head += " via " + ", ".join(dl["via"])
    if dl.get("date_source") == "url":
        head += " (date from the URL)"
    lines = [f"# {record.get('id')}: {head}"]
    entities = record.get("entities") or []
    people = [e for e in entities if e.get("kind") == "person"]
    if people:
        lines.append("# people: " + "; ".join(
            e["name"] + "".join(f", {x}" for x in (e.get("office"),) if x)
            + (f" ({', '.join(x for x in (e.get('affiliation'), e.get('sector')) if x)})"
               if e.get("affiliation") or e.get("sector") else "") for e in people))
    for e in entities:
        if e.get("kind") == "named_event":
            place = (e.get("place") or {}).get("name")
            facts = [x for x in (e.get("type"), e.get("organizer") and f"organiser {e['organizer']}", place,
                                 e.get("date")) if x]
            if e.get("observers"):
                facts.append("observers " + ",".join(e["observers"]))
            lines.append(f"# named event: {e['name']} ({'; '.join(facts)})")
    for ev in record.get("events") or []:
        place = (ev.get("event_loc") or {}).get("name")
        extra = " ".join(x for x in (ev.get("date") or "undated", place, ev.get("aux")) if x)
        lines.append(f"# event: {ev['event']} {_codes(ev.get('actor') or [])} -> {_codes(ev.get('recipient') or [])}"
                     f" {extra} \"{ev.get('event_text') or ''}\"")
    return "\n".join(lines)


def _print_explanation(record: dict) -> None:
    for ev in record.get("events", []):
        actors = ",".join(p["code"] for p in ev["actor"]) or "-"
        recips = ",".join(p["code"] for p in ev["recipient"]) or "-"
        typer.secho(f"[{record['id']}] {ev['event']} {actors} -> {recips} {ev.get('date') or ''} "
                    f"aux={ev.get('aux')}: pattern {ev.get('pattern')!r} on {ev.get('event_text')!r}", err=True)
        for line in ev.get("explanation", []):
            typer.secho(f"    {line}", err=True)


def register(app: typer.Typer) -> None:
    app.command()(extract)
