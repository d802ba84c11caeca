"""PLOVER JSON Lines: one merged event a line, in the record's PLOVER field names (event,
mode, context, actor, recipient, date, event_loc, event_text, text_info) plus what the store
adds: ``quad``, ``date_start`` / ``date_end`` (the days covered, YYYY-MM-DD),
``date_precision``, ``n_sources``, every source (article, its URL, title, publisher and
publication date, the sentence, offsets) and ``review`` (how analysts reviewed it: status,
reviewers, when; null if nobody did); ``text_info`` names the first source's article, URL
and publisher, and ``sentence`` is its sentence. The events are the record as reviewed
(``reviewed="all"``: rejected ones too)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from ..store import queries

PAGE = 1000


def iter_events(store, **filters) -> Iterator[dict]:
    """Every event of :func:`entente.store.queries.events` (same filters), page by page."""
    offset = 0
    while True:
        page = queries.events(store, limit=PAGE, offset=offset, **filters)
        yield from page
        if len(page) < PAGE:
            return
        offset += PAGE


def plover_event(event: dict) -> dict:
    """One store event in PLOVER's shape."""
    first = event["sources"][0] if event["sources"] else {}
    return {
        "id": f"entente-{event['id']}",
        "event": event["event"],
        "quad": event["quad"],
        "mode": event["mode"],
        "context": event["context"],
        "aux": event["aux"],
        "actor": event["actor"],
        "recipient": event["recipient"],
        "date": event["date"],
        "enddate": event["enddate"],
        "date_start": event.get("date_start"),
        "date_end": event.get("date_end"),
        "date_precision": event.get("date_precision"),
        "event_loc": event["event_loc"],
        "event_text": first.get("event_text"),
        "sentence": first.get("sentence"),
        "text_info": {"article": first.get("article"), "url": first.get("url"), "publisher": first.get("publisher"),
                      "published": first.get("published"), "sequence": first.get("sequence"),
                      "start": first.get("start"), "end": first.get("end")} if first else None,
        "confidence": event["confidence"],
        "n_sources": event["n_sources"],
        "sources": event["sources"],
        "review": event.get("review"),
    }


def write_plover(store, path: str | Path, **filters) -> int:
    """Write the events as PLOVER JSON Lines; returns how many."""
    count = 0
    with Path(path).open("w", encoding="utf-8") as out:
        for event in iter_events(store, **filters):
            out.write(json.dumps(plover_event(event), ensure_ascii=False) + "\n")
            count += 1
    return count
