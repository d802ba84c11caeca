"""Parquet: one row per merged event, participants and sources as nested lists of structs,
written by DuckDB itself (no pyarrow needed; the query is
:func:`entente.store.queries.write_events_parquet`)."""
from __future__ import annotations

from pathlib import Path

from ..store import queries


def write_parquet(store, path: str | Path, *, reviewed: str = "reviewed") -> int:
    """Write the events (as reviewed) to a Parquet file; returns how many."""
    return queries.write_events_parquet(store, str(Path(path)), reviewed=reviewed)
