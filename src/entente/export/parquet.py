"""Parquet: one row per merged event, participants and sources as nested lists of structs,
written by DuckDB itself (no pyarrow needed; the query is
:func:`entente.store.queries.write_events_parquet`)."""
from __future__ import annotations

from pathlib import Path

from ..store import queries


def write_parquet(store, path: str | Path, **filters) -> int:
    """Write the events of :func:`entente.store.queries.events`' filters (as reviewed, unless
    ``reviewed="all"``) to a Parquet file (with each source's URL, publication date and
    sentence, ``date_start`` and ``date_precision``); returns how many."""
    filters.pop("order", None)
    filters.pop("reports", None)
    return queries.write_events_parquet(store, str(Path(path)), **filters)
