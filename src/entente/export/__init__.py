"""Exports of the record store in the formats the field uses: PLOVER JSON Lines, an
ICEWS-shaped CSV/TSV, Parquet, and the actor network as GEXF or GraphML for Gephi.

``export(store, format, path)`` picks the writer by format name; each returns the number
of rows (events, or edges for the networks) written.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import StoreError

FORMATS = ("plover", "icews", "parquet", "gexf", "graphml")


def export(store, format: str, path: str | Path, *, reviewed: str = "reviewed") -> int:
    """Write the store's events to ``path`` in ``format`` (one of FORMATS), as analysts
    reviewed them (``reviewed="all"``: the rejected events too)."""
    from .icews import write_icews
    from .network import write_gexf, write_graphml
    from .parquet import write_parquet
    from .plover import write_plover

    writers = {"plover": write_plover, "icews": write_icews, "parquet": write_parquet,
               "gexf": write_gexf, "graphml": write_graphml}
    if format not in writers:
        raise StoreError(f"export format {format!r} is not one of {', '.join(FORMATS)}")
    return writers[format](store, path, reviewed=reviewed)
