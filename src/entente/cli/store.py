"""Store commands: ``ingest``, and the query commands ``events``, ``timeseries``, ``search``,
``actors``, ``actor``, ``named-events``, ``failures``, ``sql`` and ``export``. Each parses its options and calls one
library function (the engine, :mod:`entente.store.queries`, :mod:`entente.export`).

The query commands open the store read-only and import nothing of the NLP: they answer
without loading spaCy.
"""
from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .. import settings
from .common import DB_HELP, PATHS_HELP, Format, db_path, fail, open_store, print_rows


REVIEWED_HELP = "reviewed (the record as analysts reviewed it, rejected events left out) or all (rejected too)"


class ExportFormat(str, Enum):
    csv = "csv"
    plover = "plover"
    icews = "icews"
    parquet = "parquet"
    gexf = "gexf"
    graphml = "graphml"


# -- ingest ----------------------------------------------------------------------------------


def ingest(
    paths: List[Path] = typer.Argument(..., help=PATHS_HELP),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
    workers: Optional[int] = typer.Option(None, "--workers", "-w",
                                          help="worker processes (default: the `workers` setting; 0: one per core)"),
    progress: bool = typer.Option(True, "--progress/--quiet", help="show a progress bar"),
    engine: str = typer.Option("local", "--engine", help="local (worker processes) or dask (a Dask cluster; "
                               "README: Running on a cluster)"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="with --engine dask: the scheduler address "
                                            "(tcp://host:8786); default: a LocalCluster on this machine"),
    parquet: Optional[str] = typer.Option(None, "--parquet", help="with --engine dask: folder (or s3:// URL) for "
                                          "the Parquet records; default: the --db file name with .parquet"),
    reextract: bool = typer.Option(False, "--reextract", help="extract stored texts again too (after a change of "
                                   "patterns or data files): a record that differs replaces the stored one, and "
                                   "the analysts' reviews are applied to it again"),
) -> None:
    """Extract every article and store its record (exit code 1 if any article failed).

    Unchanged articles are skipped (unless --reextract), changed ones replaced, bad ones listed
    as failures. Reviews survive: each is applied again to the target found on its span."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ..engines.local import IngestSummary, ingest as run_ingest, resolve_workers

    if engine not in ("local", "dask"):
        fail(f"--engine is {engine!r}; use local or dask")
    if engine == "dask":
        from functools import partial

        from ..engines.dask import ingest as dask_ingest
        run_ingest = partial(dask_ingest, scheduler=scheduler, output=parquet)
    console = Console(stderr=True)
    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                   TextColumn("{task.completed:,} articles"), TextColumn("{task.fields[rate]:.1f} articles/s"),
                   TextColumn("{task.fields[events]:,} events  {task.fields[failures]:,} failed"),
                   TimeElapsedColumn(), console=console, disable=not progress)
    task = bar.add_task(f"ingest ({resolve_workers(workers)} workers)", total=None, rate=0.0, events=0, failures=0)

    def on_progress(summary: IngestSummary) -> None:
        bar.update(task, completed=summary.read, rate=summary.rate, events=summary.events,
                   failures=len(summary.failures))

    with open_store(db, read_only=False) as store:
        with bar:
            summary = run_ingest(paths, store, workers=workers, on_progress=on_progress, reextract=reextract)
        counts = store.counts()
    for failure in summary.failures:
        typer.secho(f"entente: failed: {failure}", fg="red", err=True)
    typer.secho(
        f"entente: {summary.read:,} articles read in {summary.seconds:.1f} s ({summary.rate:.1f} articles/s, "
        f"{summary.workers} workers): {summary.new:,} new, {summary.replaced:,} replaced, "
        f"{summary.unchanged:,} unchanged, {summary.duplicates:,} duplicates; {summary.events:,} event reports; "
        f"{len(summary.failures):,} failed", err=True, fg="yellow" if summary.failures else "green")
    typer.secho(f"entente: the store {db_path(db)} holds {counts['articles']:,} articles, {counts['events']:,} "
                f"events ({counts['event_sources']:,} reports), {counts['named_events']:,} named events, "
                f"{counts['failures']:,} failures", err=True)
    if summary.failures:
        raise typer.Exit(1)


# -- queries ---------------------------------------------------------------------------------


class Order(str, Enum):
    oldest = "oldest"
    newest = "newest"
    sources = "sources"


# The filters of `entente events`, shared by `export` and `timeseries` (the same option objects).
ACTOR = typer.Option(None, "--actor", help="a code or name taking part (SRB, Serbia, \"United Kingdom\", UK)")
WITH = typer.Option(None, "--with", help="a code or name that must also take part (repeatable)")
TYPE = typer.Option(None, "--type", help="PLOVER types, comma-separated (AGREE,CONSULT)")
QUAD = typer.Option(None, "--quad", help="PLOVER quads (verbal cooperation, material conflict, ...) or "
                    "cooperation / conflict, comma-separated")
SINCE = typer.Option(None, "--since", help="from this date (YYYY, YYYY-MM or YYYY-MM-DD)")
UNTIL = typer.Option(None, "--until", help="up to this date (inclusive)")
PLACE = typer.Option(None, "--place", help="place name or country code")
AUX = typer.Option(None, "--aux", help="none|future|hypothetical|negation|historical")
ROLE = typer.Option(None, "--role", help="with --actor: actor or recipient only")
MIN_CONFIDENCE = typer.Option(None, "--min-confidence", min=0.0, max=1.0, help="confidence at least this (0-1)")
MIN_SOURCES = typer.Option(None, "--min-sources", min=1, help="reported by at least this many articles")
REPORTS = typer.Option(False, "--reports/--merged", help="one row per report (an article's telling) instead of "
                       "one per merged event")
ORDER = typer.Option(Order.oldest, "--order", help="oldest first, newest first, or most reported (sources) first")
REVIEWED = typer.Option("reviewed", "--reviewed", help=REVIEWED_HELP)


def event_filters(actor, with_, type_, quad, since, until, place, aux, role, min_confidence,
                  min_sources, reviewed="reviewed") -> dict:
    """The keyword arguments of :func:`entente.store.queries.events` of the shared options."""
    return {"actor": actor, "with_": with_, "types": type_, "quad": quad, "since": since, "until": until,
            "place": place, "aux": aux, "role": role, "min_confidence": min_confidence, "min_sources": min_sources,
            "reviewed": reviewed}


def events(
    actor: Optional[str] = ACTOR,
    with_: Optional[List[str]] = WITH,
    type_: Optional[str] = TYPE,
    quad: Optional[str] = QUAD,
    since: Optional[str] = SINCE,
    until: Optional[str] = UNTIL,
    place: Optional[str] = PLACE,
    aux: Optional[str] = AUX,
    role: Optional[str] = ROLE,
    min_confidence: Optional[float] = MIN_CONFIDENCE,
    min_sources: Optional[int] = MIN_SOURCES,
    reports: bool = REPORTS,
    order: Order = ORDER,
    limit: Optional[int] = typer.Option(None, "--limit", help="at most this many"),
    reviewed: str = REVIEWED,
    fmt: Format = typer.Option(Format.table, "--format", help="table, jsonl (with sources) or csv (with the "
                               "evidence: sentence, article, URL, publisher; sortable dates; the review)"),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Merged events with their dates and sources, earliest first, as analysts reviewed them."""
    from ..export.flat import COLUMNS, flat_event
    from ..store import queries

    with open_store(db) as store:
        rows = queries.events(store, **event_filters(actor, with_, type_, quad, since, until, place, aux, role,
                                                     min_confidence, min_sources, reviewed),
                              reports=reports, order=order.value, limit=limit)
    table = ["id", "date", "event", "actor", "recipient", "aux", "place", "sources", "article", "review"]
    print_rows(rows, fmt, columns=table if fmt is Format.table else list(COLUMNS), title=f"{len(rows)} events",
               flat=flat_event)


def actors(
    kind: Optional[str] = typer.Option(None, "--kind", help="state, organization or group"),
    q: Optional[str] = typer.Option(None, "--find", help="those whose code, name or alias starts with or holds this"),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="at most this many"),
    fmt: Format = typer.Option(Format.table, "--format", help="table, jsonl or csv"),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Actors seen in the store, most active first."""
    from ..store import queries

    with open_store(db) as store:
        rows = queries.actors(store, kind=kind, q=q, limit=limit)
    print_rows(rows, fmt, title=f"{len(rows)} actors")


def actor(
    code: str = typer.Argument(..., help="actor code or name (SRB, CSTO, ISIL, \"United Kingdom\", ...)"),
    fmt: str = typer.Option("table", "--format", help="table or json"),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """One actor's profile: people, offices, memberships, events by type and partner."""
    from ..store import queries

    with open_store(db) as store:
        profile = queries.actor_profile(store, code)
    if profile is None:
        fail(f"{code} appears nowhere in the store; `entente actors` lists the codes it knows")
    if fmt == "json":
        typer.echo(json.dumps(profile, ensure_ascii=False, indent=2))
        return
    from rich.console import Console

    console = Console()
    console.print(f"[bold]{profile['code']}[/bold] {profile.get('name') or ''} ({profile.get('kind') or 'unknown kind'})")
    console.print(f"seen in {profile['n_articles']} articles, {profile['first_seen'] or '?'} to "
                  f"{profile['last_seen'] or '?'}; {profile['n_events']} events, "
                  f"{profile['first_event'] or '?'} to {profile['last_event'] or '?'}")
    for key, title in (("member_of", "member of"), ("members", "members"), ("people", "people"),
                       ("offices", "offices"), ("events_by_type", "events by type"),
                       ("events_by_partner", "events by partner"), ("named_events", "named events")):
        if profile[key]:
            print_rows(profile[key], Format.table, title=title)


def named_events(
    type_: Optional[str] = typer.Option(None, "--type", help="exercise, summit, forum, meeting, ..."),
    participant: Optional[str] = typer.Option(None, "--actor", help="a code taking part, observing or organising"),
    fmt: Format = typer.Option(Format.table, "--format", help="table, jsonl or csv"),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Named exercises, summits and forums: organiser, place, date, participants, observers."""
    from ..store import queries

    with open_store(db) as store:
        rows = queries.named_events(store, type=type_, participant=participant)

    def flat(row: dict) -> dict:
        place = row["place"] or {}
        return {"id": row["id"], "name": row["name"], "type": row["type"], "organizer": row["organizer"],
                "place": place.get("name") or place.get("country"), "date": row["date"],
                "participants": row["participants"], "observers": row["observers"],
                "sources": row["n_sources"], "articles": ";".join(row["articles"])}

    print_rows(rows, fmt, title=f"{len(rows)} named events", flat=flat)


def failures(
    fmt: Format = typer.Option(Format.table, "--format", help="table, jsonl or csv"),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Articles that could not be read or extracted: file, line and reason."""
    from ..store import queries

    with open_store(db) as store:
        rows = queries.failures(store)
    print_rows(rows, fmt, title=f"{len(rows)} failures")


def sql(
    query: str = typer.Argument(..., help='one SELECT statement, e.g. "SELECT type, count(*) FROM events GROUP BY ALL"'),
    fmt: Format = typer.Option(Format.table, "--format", help="table, jsonl or csv"),
    limit: Optional[int] = typer.Option(None, "--limit", help="at most this many rows"),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Run a read-only SELECT on the store (opened read-only; other statements are refused)."""
    from ..store import queries

    with open_store(db) as store:
        columns, rows = queries.run_sql(store, query, limit=limit, timeout=settings.get("sql_timeout") or None)
    print_rows([dict(zip(columns, row)) for row in rows], fmt, columns=columns, title=f"{len(rows)} rows")


def export(
    fmt: ExportFormat = typer.Option(..., "--format", help="csv (the table of `events --format csv`), plover "
                                     "(JSONL), icews (CSV; TSV if -o ends in .tsv), parquet, gexf or graphml "
                                     "(actor network)"),
    output: Path = typer.Option(..., "-o", "--output", help="file to write"),
    actor: Optional[str] = ACTOR,
    with_: Optional[List[str]] = WITH,
    type_: Optional[str] = TYPE,
    quad: Optional[str] = QUAD,
    since: Optional[str] = SINCE,
    until: Optional[str] = UNTIL,
    place: Optional[str] = PLACE,
    aux: Optional[str] = AUX,
    role: Optional[str] = ROLE,
    min_confidence: Optional[float] = MIN_CONFIDENCE,
    min_sources: Optional[int] = MIN_SOURCES,
    reports: bool = REPORTS,
    order: Order = ORDER,
    reviewed: str = REVIEWED,
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Export the store's events (or its actor network) in a format the field uses, with the
    filters of `entente events`, as analysts reviewed them (each event says whether it was
    reviewed, by whom and when).

    The store is opened read-only, so this works while `entente serve` shows it."""
    from ..export import export as run_export

    filters = event_filters(actor, with_, type_, quad, since, until, place, aux, role, min_confidence, min_sources,
                            reviewed)
    if fmt in (ExportFormat.csv, ExportFormat.plover, ExportFormat.icews):
        filters.update(reports=reports, order=order.value)
    # read-only, with file access on: DuckDB itself writes the Parquet file
    with open_store(db, config={"enable_external_access": True}) as store:
        count = run_export(store, fmt.value, output, **filters)
    what = "edges" if fmt in (ExportFormat.gexf, ExportFormat.graphml) else "events"
    typer.secho(f"entente: {count:,} {what} written to {output}", err=True, fg="green")


class Interval(str, Enum):
    auto = "auto"
    day = "day"
    week = "week"
    month = "month"
    year = "year"


def timeseries(
    interval: Interval = typer.Option(Interval.auto, "--interval", help="day, week, month, year, or auto (by the "
                                      "span of the events)"),
    actor: Optional[str] = ACTOR,
    with_: Optional[List[str]] = WITH,
    type_: Optional[str] = TYPE,
    quad: Optional[str] = QUAD,
    since: Optional[str] = SINCE,
    until: Optional[str] = UNTIL,
    place: Optional[str] = PLACE,
    aux: Optional[str] = AUX,
    role: Optional[str] = ROLE,
    min_confidence: Optional[float] = MIN_CONFIDENCE,
    min_sources: Optional[int] = MIN_SOURCES,
    reviewed: str = REVIEWED,
    empty: bool = typer.Option(False, "--empty/--no-empty", help="show the buckets without events too"),
    fmt: Format = typer.Option(Format.table, "--format", help="table, jsonl or csv"),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Events per day, week, month or year for the filters of `entente events`: by PLOVER quad,
    cooperation against conflict, and the mean Goldstein-style intensity; undated events apart."""
    from ..store import queries

    with open_store(db) as store:
        series = queries.timeseries(store, interval=interval.value, **event_filters(
            actor, with_, type_, quad, since, until, place, aux, role, min_confidence, min_sources, reviewed))
    rows = [{"bucket": b["label"], "start": b["start"], "events": b["total"], "cooperation": b["cooperation"],
             "conflict": b["conflict"], **{q: b["by_quad"][q] for q in series["quads"]},
             "intensity": b["intensity"], "coarser": b["coarser"]}
            for b in series["buckets"] if empty or b["total"]]
    undated = series["undated"]
    if undated["total"]:
        rows.append({"bucket": "undated", "start": None, "events": undated["total"],
                     "cooperation": undated["by_quad"]["verbal cooperation"] + undated["by_quad"]["material cooperation"],
                     "conflict": undated["by_quad"]["verbal conflict"] + undated["by_quad"]["material conflict"],
                     **undated["by_quad"], "intensity": None, "coarser": None})
    print_rows(rows, fmt, title=f"{series['total']} events per {series['interval'] or interval.value}"
               f" ({undated['total']} undated)")


def search(
    words: str = typer.Argument(..., help='words every result holds (any case, accents aside); "a phrase" in quotes'),
    limit: int = typer.Option(20, "--limit", min=1, help="at most this many sentences"),
    fmt: Format = typer.Option(Format.table, "--format", help="table, jsonl or csv"),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Full-text search over the stored articles' sentences and titles: the best first."""
    from ..store import queries

    with open_store(db) as store:
        found = queries.search(store, words, limit=limit)
    rows = [{"article": r["article"], "published": r["published"], "sentence": r["sentence"], "text": r["text"]}
            for r in found["results"]] if fmt is Format.table else found["results"]
    print_rows(rows, fmt, title=f"{found['total']} sentences hold {' '.join(found['words']) or 'no word'}")


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command()(events)
    app.command()(timeseries)
    app.command()(search)
    app.command()(actors)
    app.command()(actor)
    app.command("named-events")(named_events)
    app.command()(failures)
    app.command()(sql)
    app.command()(export)
