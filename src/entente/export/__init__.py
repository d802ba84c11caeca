"""Exports of the record store in the formats the field uses: the flat CSV of ``entente
events``, PLOVER JSON Lines, an ICEWS-shaped CSV/TSV, Parquet, and the actor network as GEXF
or GraphML for Gephi. Every event export carries the evidence (the sentence, the article's
id, URL and publisher) and sortable dates with their precision.

``export(store, format, path, **filters)`` picks the writer by format name and passes it the
filters of :func:`entente.store.queries.events`; each returns the number of rows (events, or
edges for the networks) written.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import StoreError

FORMATS = ("csv", "plover", "icews", "parquet", "gexf", "graphml")


def export(store, format: str, path: str | Path, **filters) -> int:
    """Write the store's events (those of ``filters``, as :func:`entente.store.queries.events`
    takes them, ``reviewed`` included: the record as analysts reviewed it by default,
    ``reviewed="all"`` with the rejected events too) to ``path`` in ``format`` (one of FORMATS)."""
    from .flat import write_csv
    from .icews import write_icews
    from .network import write_gexf, write_graphml
    from .parquet import write_parquet
    from .plover import write_plover

    writers = {"csv": write_csv, "plover": write_plover, "icews": write_icews, "parquet": write_parquet,
               "gexf": write_gexf, "graphml": write_graphml}
    if format not in writers:
        raise StoreError(f"export format {format!r} is not one of {', '.join(FORMATS)}")
    return writers[format](store, path, **filters)
