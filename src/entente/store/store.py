"""The record store: one class owns the DuckDB connection and the only write path.

    store = Store("entente.duckdb")          # creates or migrates it
    store.write_record(record, source="a.jsonl", line=3)   # one article, one transaction
    store.record_failure("a.jsonl", 4, "not JSON ...")
    store.counts()

Writing an article is all-or-nothing (``BEGIN ... COMMIT``): a process killed at any moment
leaves only whole articles, and a re-run writes the rest. What happens to an article:

- same id, same text checksum: **unchanged**, nothing is written;
- a new id whose text is already stored under another id: **duplicate**, skipped (the id
  is remembered in ``article_aliases``), because the same wire story republished under a
  second URL is one report, not two;
- same id, different checksum: **replaced**: its entities, mentions and reports are deleted
  and written anew; events and named events left without any report are deleted;
- otherwise **new**.

Read-only stores (``Store(path, read_only=True)``) refuse every write and run with external
file access disabled, for the ``sql`` command and the API.
"""
from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

import duckdb

from ..errors import StoreError
from ..record import QUAD, Record
from . import merge
from .schema import MIGRATIONS, SCHEMA_MIGRATIONS, TABLES

NEW, REPLACED, UNCHANGED, DUPLICATE = "new", "replaced", "unchanged", "duplicate"


@dataclass(frozen=True)
class WriteResult:
    """What writing one article did: its status and how many event reports it added."""

    article: str
    status: str            # new | replaced | unchanged | duplicate
    events: int = 0        # event reports written (0 unless new or replaced)
    same_as: str | None = None  # for a duplicate: the stored article with the same text


def text_checksum(text: str) -> str:
    """The checksum stored with an article (sha1 of its UTF-8 text), as Article.checksum."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class Store:
    """The DuckDB record store. ``path=":memory:"`` makes a throwaway one (tests)."""

    def __init__(self, path: str | Path = ":memory:", *, read_only: bool = False):
        self.path = str(path)
        self.read_only = read_only
        self._failed: set[str] | None = None
        memory = self.path == ":memory:"
        if read_only and not memory and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such store; create it with `entente ingest ... --db {self.path}`")
        config = {"enable_external_access": False} if read_only else {}
        try:
            self.connection = duckdb.connect(self.path, read_only=read_only and not memory, config=config)
        except duckdb.IOException as err:
            raise StoreError(f"{self.path}: cannot open the store ({err}); is another `entente ingest` "
                             "writing to it? Wait for it to finish or use another --db") from None
        except duckdb.Error as err:
            raise StoreError(f"{self.path}: not a DuckDB store Entente can open ({err})") from None
        self._migrate()

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def version(self) -> int:
        """The schema version of the store (the last migration applied)."""
        row = self.connection.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return row[0] or 0

    def _migrate(self) -> None:
        con = self.connection
        has_table = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'").fetchone()[0]
        applied = set()
        if has_table:
            applied = {v for (v,) in con.execute("SELECT version FROM schema_migrations").fetchall()}
        known = {m.version for m in MIGRATIONS}
        if applied - known:
            raise StoreError(f"{self.path}: the store has schema version {max(applied)}, newer than this "
                             f"Entente knows ({max(known)}); upgrade Entente to open it")
        missing = [m for m in MIGRATIONS if m.version not in applied]
        if not missing:
            return
        if self.read_only:
            raise StoreError(f"{self.path}: the store needs migrations "
                             f"{', '.join(str(m.version) for m in missing)}; open it once for writing "
                             "(e.g. `entente ingest` of nothing new) to apply them")
        for migration in missing:
            with self._transaction():
                con.execute(SCHEMA_MIGRATIONS)
                con.execute(migration.sql)
                con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                            [migration.version, migration.name, datetime.now()])

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        if self.read_only:
            raise StoreError(f"{self.path}: the store is open read-only")
        con = self.connection
        con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    # -- reading what is there ---------------------------------------------------------------

    def status(self, article_id: str, checksum: str) -> str:
        """What writing an article with this id and text checksum would do (see module doc)."""
        stored, alias, same_text = self.connection.execute(
            "SELECT (SELECT checksum FROM articles WHERE id = ?),"
            " (SELECT article FROM article_aliases WHERE id = ? AND checksum = ?),"
            " (SELECT min(id) FROM articles WHERE checksum = ?)",
            [article_id, article_id, checksum, checksum]).fetchone()
        if stored is not None:
            return UNCHANGED if stored == checksum else REPLACED
        return DUPLICATE if alias is not None or same_text is not None else NEW

    def known_articles(self) -> dict[str, str]:
        """id -> checksum of every stored article and alias (to skip unchanged ones early)."""
        rows = self.connection.execute(
            "SELECT id, checksum FROM articles UNION ALL SELECT id, checksum FROM article_aliases").fetchall()
        return dict(rows)

    def counts(self) -> dict[str, int]:
        """Rows in every table, by table name."""
        sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in TABLES)
        return dict(zip(TABLES, self.connection.execute(sql).fetchone()))

    def execute(self, sql: str, params: list | None = None) -> duckdb.DuckDBPyConnection:
        """Run one statement on the store's connection (queries.py builds on this)."""
        return self.connection.execute(sql, params or [])

    # -- the write path --------------------------------------------------------------------

    def write_record(self, record: dict, *, source: str | None = None, line: int | None = None,
                     checksum: str | None = None) -> WriteResult:
        """Write one article's record (SPEC.md) in one transaction; see the module doc."""
        rec = Record.model_validate(record)
        seen: dict[str, str] = {}
        for e in rec.entities:
            if e.id in seen:
                raise StoreError(f"record {rec.id!r}: entity id {e.id!r} is used twice ({seen[e.id]} and "
                                 f"{e.kind} {e.name!r}); entity ids must be unique within a record")
            seen[e.id] = f"{e.kind} {e.name!r}"
        text = rec.text if rec.text is not None else record.get("text")
        if checksum is None:
            basis = text if text is not None else json.dumps(record, sort_keys=True, ensure_ascii=False)
            checksum = text_checksum(basis)
        with self._transaction():
            status = self.status(rec.id, checksum)
            if status == UNCHANGED:
                return WriteResult(rec.id, UNCHANGED)
            if status == DUPLICATE:
                same_as = self.connection.execute(
                    "SELECT coalesce((SELECT min(id) FROM articles WHERE checksum = ?),"
                    " (SELECT article FROM article_aliases WHERE id = ?))", [checksum, rec.id]).fetchone()[0]
                self.connection.execute(
                    "INSERT OR REPLACE INTO article_aliases VALUES (?, ?, ?)", [rec.id, same_as, checksum])
                return WriteResult(rec.id, DUPLICATE, same_as=same_as)
            if status == REPLACED:
                self._delete_article(rec.id)
            else:
                self.connection.execute("DELETE FROM article_aliases WHERE id = ?", [rec.id])
            self._insert_article(rec, record, text, checksum, source, line)
            self._insert_entities(rec)
            reports = self._insert_events(rec)
            self._insert_named_events(rec)
            if source is not None and source in self._failed_sources():
                self.connection.execute(
                    "DELETE FROM failures WHERE source = ? AND line IS NOT DISTINCT FROM ?", [source, line])
        return WriteResult(rec.id, status, events=reports)

    def write_article(self, article: Any, record: dict) -> WriteResult:
        """Write the record of an :class:`~entente.read.sources.Article` (keeps its file and line)."""
        return self.write_record(record, source=article.source, line=article.line, checksum=article.checksum)

    def record_failure(self, source: str, line: int | None, reason: str, article: str | None = None) -> None:
        """Note that an article could not be read or extracted (replacing an earlier note on
        the same file and line, so re-running a batch does not pile them up)."""
        with self._transaction():
            self.connection.execute("DELETE FROM failures WHERE source = ? AND line IS NOT DISTINCT FROM ?",
                                    [source, line])
            self.connection.execute("INSERT INTO failures VALUES (?, ?, ?, ?, ?)",
                                    [source, line, article, reason, datetime.now()])
        self._failed_sources().add(source)

    def _failed_sources(self) -> set[str]:
        # Files with a failure noted, so a successful write only clears failures where there
        # are some (this process is the store's only writer: DuckDB locks the file).
        if self._failed is None:
            self._failed = {s for (s,) in self.connection.execute("SELECT DISTINCT source FROM failures").fetchall()}
        return self._failed

    def load_memberships(self, organizations: Iterable[Any]) -> int:
        """Replace the memberships table with the members of ``organizations`` (the
        organisations of the data files, ``load_dictionaries().organizations``)."""
        rows = sorted({(org.code, m.code, m.joined, m.left) for org in organizations for m in org.members},
                      key=lambda r: tuple(str(x) for x in r))
        current = sorted(self.connection.execute('SELECT org, member, joined, "left" FROM memberships').fetchall(),
                         key=lambda r: tuple(str(x) for x in r))
        if rows == current:
            return len(rows)
        with self._transaction():
            self.connection.execute("DELETE FROM memberships")
            self._insert_rows("memberships", rows, ("VARCHAR",) * 4)
        return len(rows)

    # -- the parts of one article's write (inside its transaction) --------------------------

    def _insert_rows(self, table: str, rows: list, types: tuple[str, ...]) -> None:
        """Insert ``rows`` (of columns typed ``types``) in one statement that unnests one list
        per column: a DuckDB statement costs about a millisecond, executemany is one per row,
        and multi-row VALUES spend their time binding parameters."""
        if not rows:
            return
        columns = [list(column) for column in zip(*rows)]
        select = ", ".join(f"unnest(?::{t}[])" for t in types)
        self.connection.execute(f"INSERT INTO {table} SELECT {select}", columns)

    def _delete_article(self, article_id: str) -> None:
        con = self.connection
        events, named = con.execute(
            "SELECT (SELECT list(DISTINCT event) FROM event_sources WHERE article = ?),"
            " (SELECT list(DISTINCT named_event) FROM named_event_sources WHERE article = ?)",
            [article_id, article_id]).fetchone()
        for table in ("mentions", "entities", "event_sources", "named_event_sources", "named_event_participants"):
            con.execute(f"DELETE FROM {table} WHERE article = ?", [article_id])
        con.execute("DELETE FROM articles WHERE id = ?", [article_id])
        self._refresh_events(events or [])
        self._refresh_named_events(named or [])

    def _insert_article(self, rec: Record, record: dict, text: str | None, checksum: str,
                        source: str | None, line: int | None) -> None:
        stored = {k: v for k, v in record.items() if k != "text"}
        dl = rec.dateline
        self.connection.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::VARCHAR[], ?, ?, ?, ?, ?)",
            [rec.id, checksum, source, line, rec.title, rec.url, dl.date, dl.place, dl.publisher,
             list(dl.via), text, json.dumps(stored, ensure_ascii=False), len(rec.entities),
             len(rec.events), datetime.now()])

    _ENTITY_CASTS = ("VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR",
                     "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "DOUBLE", "DOUBLE", "VARCHAR")
    _MENTION_CASTS = ("VARCHAR", "VARCHAR", "INTEGER", "INTEGER", "VARCHAR", "INTEGER")

    def _insert_entities(self, rec: Record) -> None:
        entities, mentions = [], []
        for e in rec.entities:
            place = e.place
            entities.append([rec.id, e.id, e.kind, e.name, e.code, e.office, e.affiliation, e.sector, e.type,
                             e.organizer, place.name if place else None, place.country if place else None,
                             e.date, e.country, e.lat, e.lon, e.value])
            for m in e.mentions:
                mentions.append([rec.id, e.id, m.start, m.end, m.text, m.sentence])
        self._insert_rows("entities", entities, self._ENTITY_CASTS)
        self._insert_rows("mentions", mentions, self._MENTION_CASTS)

    _EVENT_CASTS = ("BIGINT", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR",
                    "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR[]", "VARCHAR[]", "VARCHAR", "VARCHAR", "DOUBLE",
                    "DOUBLE", "DOUBLE", "INTEGER", "TIMESTAMP")
    _SOURCE_CASTS = ("BIGINT", "BIGINT", "VARCHAR", "VARCHAR", "INTEGER", "INTEGER", "INTEGER", "VARCHAR",
                     "VARCHAR", "DOUBLE", "JSON", "JSON", "VARCHAR[]", "VARCHAR[]", "VARCHAR", "VARCHAR",
                     "DOUBLE", "DOUBLE")

    def _insert_events(self, rec: Record) -> int:
        """Attach each event report to a compatible stored event (see merge.py) or a new one."""
        if not rec.events:
            return 0
        con = self.connection
        reports = []
        for ev in rec.events:
            actors = merge.codes(p.model_dump() for p in ev.actor)
            recipients = merge.codes(p.model_dump() for p in ev.recipient)
            key = merge.event_key(ev.event, actors, recipients, ev.date, ev.aux, rec.dateline.date)
            loc = ev.event_loc
            reports.append((ev, key, actors, recipients, (loc.name if loc else None, loc.country if loc else None)))
        keys = sorted({r[1] for r in reports})
        candidates: dict[str, list[list]] = {k: [] for k in keys}
        for event_id, key, name, country in con.execute(
                f"SELECT id, key, place_name, place_country FROM events WHERE key IN ({', '.join('?' * len(keys))})"
                " ORDER BY id", keys).fetchall():
            candidates[key].append([event_id, (name, country)])
        fresh: list[tuple] = []   # (slot, report) of events to create
        chosen: list[list] = []   # the candidate slot each report goes to
        for report in reports:
            ev, key, _, _, place = report
            slot = next((c for c in candidates[key] if merge.places_compatible(place, c[1])), None)
            if slot is None:
                slot = [None, place]
                candidates[key].append(slot)
                fresh.append((slot, report))
            else:  # what the event's place becomes with this report, for the next one
                slot[1] = merge.summary_place([(*slot[1], None, None), (*place, None, None)])[:2]
            chosen.append(slot)
        if fresh:
            ids = con.execute(f"SELECT nextval('event_ids') FROM range({len(fresh)})").fetchall()
            now = datetime.now()
            rows = []
            for (slot, (ev, key, actors, recipients, place)), (event_id,) in zip(fresh, ids):
                slot[0] = event_id
                loc = ev.event_loc
                start, end = merge.date_bounds(ev.date, ev.enddate)
                rows.append([event_id, key, ev.event, QUAD.get(ev.event), ",".join(actors), ",".join(recipients),
                             ev.date, ev.enddate, start, end, ev.aux, list(ev.mode), list(ev.context), place[0],
                             place[1], loc.lat if loc else None, loc.lon if loc else None, ev.confidence, 0, now])
            self._insert_rows("events", rows, self._EVENT_CASTS)
        source_ids = con.execute(f"SELECT nextval('event_source_ids') FROM range({len(reports)})").fetchall()
        rows = []
        for (ev, _, _, _, place), slot, (source_id,) in zip(reports, chosen, source_ids):
            loc, ti = ev.event_loc, ev.text_info
            rows.append([source_id, slot[0], rec.id, ev.id, ti.sequence, ti.start, ti.end, ev.event_text,
                         rec.dateline.publisher, ev.confidence,
                         json.dumps([p.model_dump(exclude_none=True) for p in ev.actor], ensure_ascii=False),
                         json.dumps([p.model_dump(exclude_none=True) for p in ev.recipient], ensure_ascii=False),
                         list(ev.mode), list(ev.context), place[0], place[1],
                         loc.lat if loc else None, loc.lon if loc else None])
        self._insert_rows("event_sources", rows, self._SOURCE_CASTS)
        self._refresh_events([slot[0] for slot in chosen])
        return len(reports)

    def _refresh_events(self, event_ids: Iterable[int]) -> None:
        """Recompute events from their reports (count of articles, confidence, mode, context,
        place, participants' sectors); delete those left with none."""
        con = self.connection
        ids = list(dict.fromkeys(event_ids))
        if not ids:
            return
        in_ids = f"({', '.join('?' * len(ids))})"
        by_event: dict[int, list] = {i: [] for i in ids}
        for row in con.execute(
                "SELECT event, article, confidence, mode, context, place_name, place_country, lat, lon, actor,"
                f" recipient FROM event_sources WHERE event IN {in_ids} ORDER BY event, id", ids).fetchall():
            by_event[row[0]].append(row[1:])
        con.execute(f"DELETE FROM event_participants WHERE event IN {in_ids}", ids)
        gone = [i for i, rows in by_event.items() if not rows]
        if gone:
            con.execute(f"DELETE FROM events WHERE id IN ({', '.join('?' * len(gone))})", gone)
        updates, participants = [], []
        for event_id, rows in by_event.items():
            if not rows:
                continue
            confidence = max((r[1] for r in rows if r[1] is not None), default=None)
            mode = list(dict.fromkeys(m for r in rows for m in (r[2] or [])))
            context = list(dict.fromkeys(c for r in rows for c in (r[3] or [])))
            name, country, lat, lon = merge.summary_place([(r[4], r[5], r[6], r[7]) for r in rows])
            updates.append([event_id, len({r[0] for r in rows}), confidence, mode, context, name, country, lat, lon])
            sectors: dict[tuple[str, str], str | None] = {}
            for r in rows:
                for role, listed in (("actor", r[8]), ("recipient", r[9])):
                    for p in json.loads(listed or "[]"):
                        if sectors.get((role, p["code"])) is None:
                            sectors[(role, p["code"])] = p.get("sector")
            participants += [[event_id, role, code, sector] for (role, code), sector in sectors.items()]
        if updates:
            types = ("BIGINT", "INTEGER", "DOUBLE", "VARCHAR[]", "VARCHAR[]", "VARCHAR", "VARCHAR", "DOUBLE", "DOUBLE")
            names = ("id", "n", "c", "m", "x", "pn", "pc", "la", "lo")
            select = ", ".join(f"unnest(?::{t}[]) AS {n}" for t, n in zip(types, names))
            con.execute(
                "UPDATE events SET n_sources = v.n, confidence = v.c, mode = v.m, context = v.x, place_name = v.pn,"
                f" place_country = v.pc, lat = v.la, lon = v.lo FROM (SELECT {select}) AS v WHERE events.id = v.id",
                [list(column) for column in zip(*updates)])
        self._insert_rows("event_participants", participants, ("BIGINT", "VARCHAR", "VARCHAR", "VARCHAR"))

    def _insert_named_events(self, rec: Record) -> None:
        con = self.connection
        named = [e for e in rec.entities if e.kind == "named_event"]
        if not named:
            return
        touched: list[int] = []
        for e in named:
            key = merge.named_event_key(e.name, e.type)
            row = con.execute("SELECT min(id) FROM named_events WHERE key = ?", [key]).fetchone()
            if row[0] is None:
                row = con.execute("INSERT INTO named_events (key, name, type, n_sources) VALUES (?, ?, ?, 0)"
                                  " RETURNING id", [key, e.name, e.type]).fetchone()
            named_id = row[0]
            place = e.place
            con.execute("INSERT INTO named_event_sources (named_event, article, entity, name, organizer, place_name,"
                        " place_country, date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [named_id, rec.id, e.id, e.name, e.organizer, place.name if place else None,
                         place.country if place else None, e.date])
            people = [("participant", c) for c in (e.participants or [])]
            people += [("observer", c) for c in (e.observers or [])]
            if e.organizer:
                people.append(("organizer", e.organizer))
            self._insert_rows("named_event_participants",
                              [[named_id, rec.id, role, code] for role, code in dict.fromkeys(people)],
                              ("BIGINT", "VARCHAR", "VARCHAR", "VARCHAR"))
            touched.append(named_id)
        self._refresh_named_events(touched)

    def _refresh_named_events(self, named_ids: Iterable[int]) -> None:
        con = self.connection
        for named_id in dict.fromkeys(named_ids):
            rows = con.execute("SELECT article, name, organizer, place_name, place_country, date"
                               " FROM named_event_sources WHERE named_event = ? ORDER BY id", [named_id]).fetchall()
            if not rows:
                con.execute("DELETE FROM named_event_participants WHERE named_event = ?", [named_id])
                con.execute("DELETE FROM named_events WHERE id = ?", [named_id])
                continue

            def first(i: int):
                return next((r[i] for r in rows if r[i]), None)

            con.execute("UPDATE named_events SET name = ?, organizer = ?, place_name = ?, place_country = ?,"
                        " date = ?, n_sources = ? WHERE id = ?",
                        [rows[0][1], first(2), first(3), first(4), first(5), len({r[0] for r in rows}), named_id])
