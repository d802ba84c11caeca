"""Review commands: ``entente reviewer add|token|list|revoke`` (who may review) and ``entente
review orphans|stats|suggest|export-gold`` (what the reviews say). Each parses its options and
calls one function of :mod:`entente.store.reviews` or :mod:`entente.export.gold`.

Reviews themselves are written in the pages or through the API (``POST /api/reviews``, with
``Authorization: Bearer <token>``); re-extraction that keeps them is ``entente ingest
--reextract``.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from .common import DB_HELP, Format, db_path, open_store, print_rows

reviewer_app = typer.Typer(no_args_is_help=True, help="Who may review: reviewers and their tokens.")
review_app = typer.Typer(no_args_is_help=True, help="What the analysts' reviews say: orphans, figures, "
                                                    "suggestions for the data files, gold for the referee.")


# -- reviewers -------------------------------------------------------------------------------


@reviewer_app.command("add")
def reviewer_add(name: str = typer.Argument(..., help="the reviewer's name, as reviews will show it"),
                 db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Add a reviewer and print their token, once (only its hash is stored)."""
    from ..store import reviews

    with open_store(db, read_only=False) as store:
        token = reviews.add_reviewer(store, name)
    _print_token(name, token, db)


@reviewer_app.command("token")
def reviewer_token(name: str = typer.Argument(..., help="a reviewer's name"),
                   db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Give a reviewer a new token (the old one stops working).

    Their sessions end; a revoked reviewer is back."""
    from ..store import reviews

    with open_store(db, read_only=False) as store:
        token = reviews.new_token(store, name)
    _print_token(name, token, db)


def _print_token(name: str, token: str, db: Optional[Path]) -> None:
    typer.echo(token)
    typer.secho(f"entente: the token of reviewer {name!r} for {db_path(db)}; it is shown only this once. They sign "
                "in with it on the pages (/review/sign-in) or send it as `Authorization: Bearer <token>`.",
                err=True, fg="green")


@reviewer_app.command("list")
def reviewer_list(fmt: Format = typer.Option(Format.table, "--format", help="table, jsonl or csv"),
                  db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Every reviewer: when added, when revoked, how many reviews."""
    from ..store import reviews

    with open_store(db) as store:
        rows = reviews.reviewers(store)
    print_rows(rows, fmt, title=f"{len(rows)} reviewers")


@reviewer_app.command("revoke")
def reviewer_revoke(name: str = typer.Argument(..., help="a reviewer's name"),
                    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """The reviewer's token stops working (their reviews stay, under their name)."""
    from ..store import reviews

    with open_store(db, read_only=False) as store:
        reviews.revoke_reviewer(store, name)
    typer.secho(f"entente: {name!r} reviews no more; `entente reviewer token {name}` would bring them back",
                err=True, fg="green")


# -- what the reviews say -------------------------------------------------------------------------


@review_app.command("orphans")
def review_orphans(fmt: Format = typer.Option(Format.table, "--format", help="table, jsonl or csv"),
                   undone: bool = typer.Option(False, "--undone", help="also targets whose reviews are all undone"),
                   db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Reviews whose target is gone from its article's record.

    The text changed, or re-extraction no longer finds the item: the reviews are kept and
    listed, never dropped; a target found again takes them back."""
    from ..store import reviews

    with open_store(db) as store:
        rows = reviews.orphans(store, include_undone=undone)

    def flat(row: dict) -> dict:
        last = row["last"]
        return {"kind": row["kind"], "key": row["key"], "status": row["status"], "reviews": row["reviews"],
                "last": f"{last['action']} by {last['reviewer']} {(last['reviewed_at'] or '')[:16]}",
                "article stored": "yes" if row["article_stored"] else "no"}

    print_rows(rows, fmt, title=f"{len(rows)} orphaned targets", flat=flat)


@review_app.command("stats")
def review_stats(actor: Optional[str] = typer.Option(None, "--actor", help="only events this code takes part in"),
                 fmt: str = typer.Option("table", "--format", help="table or json"),
                 db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """How much is reviewed, and the extractor's precision on what is.

    Event reports reviewed, confirmed, corrected, rejected; precision = confirmed / reviewed,
    overall and by the type the extractor gave."""
    from ..store import reviews

    with open_store(db) as store:
        found = reviews.stats(store, actor=actor)
    if fmt == "json":
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    r = found["reports"]
    precision = "-" if r["precision"] is None else f"{r['precision']:.3f}"
    typer.echo(f"event reports{' of ' + found['actor'] if found['actor'] else ''}: {r['total']:,}, reviewed "
               f"{r['reviewed']:,} ({r['confirmed']:,} confirmed, {r['corrected']:,} corrected, {r['rejected']:,} "
               f"rejected), unreviewed {r['unreviewed']:,}; the extractor's precision on reviewed reports {precision}")
    typer.echo(f"merged events: {found['events']['reviewed']:,} reviewed and kept, {found['events']['rejected']:,} "
               "rejected")
    if found["reasons"]:
        typer.echo("rejected as: " + ", ".join(f"{k} {v}" for k, v in sorted(found["reasons"].items())))
    if found["by_type"]:
        print_rows(found["by_type"], Format.table, title="precision by extracted type",
                   columns=["type", "reviewed", "confirmed", "corrected", "rejected", "precision"])
    others = [{"what": label, **{k: v for k, v in found[key].items()}}
              for key, label in (("people", "people"), ("mentions", "actor mentions"), ("named_events", "named events"))]
    print_rows(others, Format.table, title="people, actor mentions, named events",
               columns=["what", "reviewed", "confirmed", "corrected", "rejected"])


@review_app.command("suggest")
def review_suggest(fmt: str = typer.Option("text", "--format", help="text or json"),
                   db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Corrections turned into proposed data-file lines.

    A person's role for people.jsonl, an alias of an actor, a pattern's misfire; none is
    applied: read them, then edit the files."""
    from ..store import reviews

    with open_store(db) as store:
        found = reviews.suggest(store)
    if fmt == "json":
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
    else:
        typer.echo(reviews.suggestions_text(found), nl=False)


@review_app.command("export-gold")
def review_export_gold(folder: Path = typer.Argument(..., help="folder to write (new, empty, or an earlier gold export)"),
                       db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Write the reviewed articles as gold the referee reads.

    A <id>.gold.json (SPEC.md's gold format) for every article with reviewed events, and their
    articles.jsonl: `python3 ../shared/score.py FOLDER PRED.jsonl` scores an extractor on them."""
    from ..export.gold import export_gold

    with open_store(db) as store:
        count = export_gold(store, folder)
    typer.secho(f"entente: gold of {count:,} reviewed articles written to {folder} (score an extractor with "
                f"`python3 score.py {folder} PRED.jsonl`)", err=True, fg="green")


def register(app: typer.Typer) -> None:
    app.add_typer(reviewer_app, name="reviewer")
    app.add_typer(review_app, name="review")
