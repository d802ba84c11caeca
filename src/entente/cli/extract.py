"""``entente extract``: the record of every article, on stdout or in a file."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .common import errors_reported


def extract(
    paths: List[Path] = typer.Argument(..., help=".txt, .jsonl or .html files, or folders of them"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="write JSON Lines here (default: stdout)"),
    explain: bool = typer.Option(False, "--explain", help="show, for each event, the pattern and words that coded it"),
    pretty: bool = typer.Option(False, "--pretty", help="indented JSON instead of one line per record"),
    with_text: bool = typer.Option(True, "--text/--no-text", help="include the article text in each record"),
) -> None:
    """Extract the record (SPEC.md) of every article; bad articles are reported, the rest go on."""
    from ..errors import ArticleError
    from ..extract import extract_articles
    from ..read.sources import iter_articles

    failures: list[ArticleError] = []

    def good_articles():
        for item in iter_articles(paths):
            if isinstance(item, ArticleError):
                failures.append(item)
                typer.secho(f"entente: {item}", fg="red", err=True)
            else:
                yield item

    count = 0
    with errors_reported():
        out = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            for record in extract_articles(good_articles(), explain=explain):
                if not with_text:
                    record.pop("text", None)
                if explain:
                    _print_explanation(record)
                out.write(json.dumps(record, ensure_ascii=False, indent=2 if pretty else None) + "\n")
                count += 1
        finally:
            if output:
                out.close()
    typer.secho(f"entente: {count} records written, {len(failures)} failed", err=True,
                fg="yellow" if failures else "green")
    if failures:
        raise typer.Exit(1)


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
