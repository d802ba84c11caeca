"""Events as flat rows with their evidence: one row per merged event (or per report), the
columns of ``entente events --format csv``, ``entente export --format csv`` and the events
page's CSV download (``/api/events.csv``), so that all three are the same table.

Dates come three ways: ``date`` as the record gives it (``2017``, ``2017-10``, ``2017-09-25``,
a span ``a/b``), ``date_start`` / ``date_end`` as the days it covers (YYYY-MM-DD, which every
CSV reader parses and sorts) and ``date_precision`` (day, month, year). The evidence is the
first report's: its article's id, URL, title, publisher and publication date, the sentence
the event was read from and the trigger words; ``articles`` lists every reporting article.
``review`` is how analysts reviewed the event (confirmed, corrected, rejected; empty if nobody
did), ``reviewers`` who and ``reviewed_at`` when (the latest review).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterable, Iterator

from .plover import iter_events

COLUMNS = ("id", "date", "date_start", "date_end", "date_precision", "event", "quad", "actor", "actor_sectors",
           "recipient", "recipient_sectors", "aux", "mode", "context", "place", "country", "lat", "lon",
           "confidence", "sources", "article", "url", "title", "publisher", "published", "sentence", "trigger",
           "articles", "review", "reviewers", "reviewed_at")


def _codes(participants: list[dict]) -> str:
    return ";".join(p["code"] for p in participants)


def _sectors(participants: list[dict]) -> str:
    return ";".join(p.get("sector") or "" for p in participants) if any(p.get("sector") for p in participants) else ""


def flat_event(event: dict) -> dict:
    """One event of :func:`entente.store.queries.events` as a flat row (see COLUMNS)."""
    first = event["sources"][0] if event["sources"] else {}
    place = event.get("event_loc") or {}
    review = event.get("review") or {}
    return {
        "id": event["id"], "date": event["date"], "date_start": event.get("date_start"),
        "date_end": event.get("date_end"), "date_precision": event.get("date_precision"), "event": event["event"],
        "quad": event.get("quad"), "actor": _codes(event["actor"]), "actor_sectors": _sectors(event["actor"]),
        "recipient": _codes(event["recipient"]), "recipient_sectors": _sectors(event["recipient"]),
        "aux": event.get("aux"), "mode": ";".join(event.get("mode") or []),
        "context": ";".join(event.get("context") or []), "place": place.get("name"), "country": place.get("country"),
        "lat": place.get("lat"), "lon": place.get("lon"), "confidence": event.get("confidence"),
        "sources": event.get("n_sources"), "article": first.get("article"), "url": first.get("url"),
        "title": first.get("title"), "publisher": first.get("publisher"), "published": first.get("published"),
        "sentence": first.get("sentence"), "trigger": first.get("event_text"),
        "articles": ";".join(dict.fromkeys(s["article"] for s in event["sources"])),
        "review": review.get("status"), "reviewers": ";".join(review.get("reviewers") or []),
        "reviewed_at": review.get("reviewed_at"),
    }


def _cell(value) -> str:
    return "" if value is None else str(value)


def csv_lines(events: Iterable[dict]) -> Iterator[str]:
    """The CSV text of events (a header, then one line per event), line by line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    yield line(COLUMNS)
    for event in events:
        row = flat_event(event)
        yield line([_cell(row[c]) for c in COLUMNS])


def write_csv(store, path: str | Path, **filters) -> int:
    """Write the events of :func:`entente.store.queries.events`' filters as CSV; returns how many."""
    with Path(path).open("w", encoding="utf-8", newline="") as out:
        lines = csv_lines(iter_events(store, **filters))
        out.write(next(lines))
        count = 0
        for count, line in enumerate(lines, 1):
            out.write(line)
    return count
