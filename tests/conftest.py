"""Shared fixtures: an in-memory record store and a factory of SPEC-shaped records, so that
store, query and export tests write records directly and do not depend on the extractor."""
from __future__ import annotations

from types import SimpleNamespace

import pytest


def make_event(event: str, actors=(), recipients=(), *, date: str | None = None, place=None,
               aux: str | None = None, id: str = "ev1", sector: str | None = None, mode=(), context=(),
               sentence: int = 1, text: str = "met with", confidence: float = 0.9,
               span: tuple[int, int] = (0, 10), trigger: tuple[int, int] | None = None) -> dict:
    """An event of a record (SPEC.md). ``place`` is a name, a (name, country) pair or None;
    ``span`` the sentence's offsets, ``trigger`` the trigger's (text_info)."""
    if isinstance(place, str):
        place = (place, None)
    text_info = {"sequence": sentence, "start": span[0], "end": span[1]}
    if trigger is not None:
        text_info.update(trigger_start=trigger[0], trigger_end=trigger[1])
    return {
        "id": id, "event": event, "mode": list(mode), "context": list(context), "aux": aux,
        "actor": [{"code": c, "sector": sector, "text": c} for c in actors],
        "recipient": [{"code": c, "text": c} for c in recipients],
        "date": date, "enddate": None,
        "event_loc": {"name": place[0], "country": place[1]} if place else None,
        "event_text": text, "text_info": text_info,
        "confidence": confidence,
    }


def make_record(id: str, events=(), entities=(), *, text: str | None = None, date: str | None = "2017-09-27",
                publisher: str | None = "Kazinform", title: str | None = None) -> dict:
    """A record (SPEC.md); its text defaults to one unique to its id."""
    events = [dict(e, id=f"ev{i}") for i, e in enumerate(events, 1)]
    return {"id": id, "dateline": {"date": date, "place": "Moscow", "publisher": publisher, "via": []},
            "title": title, "url": f"https://example.org/{id}", "text": text if text is not None else f"Text of {id}.",
            "entities": list(entities), "events": events}


def make_entity(id: str, kind: str, name: str, **fields) -> dict:
    """An entity of a record, with one mention."""
    return {"id": id, "kind": kind, "name": name, "mentions": [{"start": 0, "end": len(name), "text": name}],
            **fields}


@pytest.fixture
def records():
    """The record factory: ``records.record(...)``, ``records.event(...)``, ``records.entity(...)``."""
    return SimpleNamespace(record=make_record, event=make_event, entity=make_entity)


@pytest.fixture
def store():
    """A throwaway in-memory store."""
    from entente.store import Store

    s = Store(":memory:")
    yield s
    s.close()


def old_store(path, version: int, records, monkeypatch) -> None:
    """Write ``records`` to a new store at ``path`` of schema ``version`` (the first ``version``
    migrations), as that version's write path left it: the rows today's write path makes,
    copied into the tables that schema has (the columns it has), its sequences moved past the
    ids copied. A migration test then opens ``path`` with every migration."""
    from entente.store import Store, schema

    with Store(":memory:") as fresh:
        for record in records:
            fresh.write_record(record)
        monkeypatch.setattr("entente.store.store.MIGRATIONS", schema.MIGRATIONS[:version])
        try:
            with Store(path) as old:
                tables = [t for (t,) in old.execute("SELECT table_name FROM information_schema.tables WHERE"
                                                    " table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'"
                                                    ).fetchall()]
                for table in tables:
                    columns = ", ".join(f'"{c}"' for (c,) in old.execute(
                        "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
                        " ORDER BY ordinal_position", [table]).fetchall())
                    rows = fresh.execute(f"SELECT {columns} FROM {table}").fetchall()
                    if rows:
                        old.connection.executemany(
                            f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(rows[0]))})", rows)
                for sequence, table in (("event_ids", "events"), ("event_source_ids", "event_sources"),
                                        ("named_event_ids", "named_events"),
                                        ("named_event_source_ids", "named_event_sources")):
                    top = old.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
                    old.execute(f"SELECT nextval('{sequence}') FROM range({top})")
                assert old.version == version
        finally:
            monkeypatch.setattr("entente.store.store.MIGRATIONS", schema.MIGRATIONS)
