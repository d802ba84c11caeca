"""Parquet: one row per merged event, participants and sources as nested lists of structs,
written by DuckDB itself (no pyarrow needed)."""
from __future__ import annotations

from pathlib import Path

EVENTS_SQL = """
SELECT e.id, e.type AS event, e.quad, e.date, e.enddate, e.date_start, e.date_end, e.aux, e.mode, e.context,
       e.place_name, e.place_country, e.lat, e.lon, e.confidence, e.n_sources,
       (SELECT list({'code': p.code, 'sector': p.sector} ORDER BY p.code) FROM event_participants p
         WHERE p.event = e.id AND p.role = 'actor') AS actor,
       (SELECT list({'code': p.code, 'sector': p.sector} ORDER BY p.code) FROM event_participants p
         WHERE p.event = e.id AND p.role = 'recipient') AS recipient,
       (SELECT list({'article': s.article, 'publisher': s.publisher, 'sequence': s.sequence, 'start': s.start,
                     'end': s."end", 'event_text': s.event_text, 'confidence': s.confidence} ORDER BY s.id)
          FROM event_sources s WHERE s.event = e.id) AS sources
FROM events e ORDER BY e.date_start NULLS LAST, e.id
"""


def write_parquet(store, path: str | Path) -> int:
    """Write the events to a Parquet file; returns how many."""
    target = str(Path(path)).replace("'", "''")
    store.execute(f"COPY ({EVENTS_SQL}) TO '{target}' (FORMAT parquet)")
    return store.execute("SELECT count(*) FROM events").fetchone()[0]
