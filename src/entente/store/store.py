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
        con = self.connection
        row = con.execute("SELECT checksum FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is not None:
            return UNCHANGED if row[0] == checksum else REPLACED
        if con.execute("SELECT 1 FROM article_aliases WHERE id = ? AND checksum = ?",
                       [article_id, checksum]).fetchone():
            return DUPLICATE
        if con.execute("SELECT 1 FROM articles WHERE checksum = ? LIMIT 1", [checksum]).fetchone():
            return DUPLICATE
        return NEW

    def known_articles(self) -> dict[str, str]:
        """id -> checksum of every stored article and alias (to skip unchanged ones early)."""
        rows = self.connection.execute(
            "SELECT id, checksum FROM articles UNION ALL SELECT id, checksum FROM article_aliases").fetchall()
        return dict(rows)

    def counts(self) -> dict[str, int]:
        """Rows in every table, by table name."""
        return {t: self.connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}

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
                    "SELECT id FROM articles WHERE checksum = ? ORDER BY id LIMIT 1", [checksum]).fetchone()
                same_as = same_as[0] if same_as else None
                if same_as is not None:
                    self.connection.execute(
                        "INSERT OR REPLACE INTO article_aliases VALUES (?, ?, ?)", [rec.id, same_as, checksum])
                return WriteResult(rec.id, DUPLICATE, same_as=same_as)
            if status == REPLACED:
                self._delete_article(rec.id)
            self.connection.execute("DELETE FROM article_aliases WHERE id = ?", [rec.id])
            self._insert_article(rec, record, text, checksum, source, line)
            self._insert_entities(rec)
            reports = self._insert_events(rec)
            self._insert_named_events(rec)
            if source is not None:
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

    def load_memberships(self, organizations: Iterable[Any]) -> int:
        """Replace the memberships table with the members of ``organizations`` (the
        organisations of the data files, ``load_dictionaries().organizations``)."""
        rows = []
        for org in organizations:
            for m in org.members:
                rows.append([org.code, m.code, m.joined, m.left])
        with self._transaction():
            current = self.connection.execute(
                'SELECT org, member, joined, "left" FROM memberships ORDER BY ALL').fetchall()
            if sorted(map(tuple, rows), key=lambda r: tuple(str(x) for x in r)) == \
                    sorted(current, key=lambda r: tuple(str(x) for x in r)):
                return len(rows)
            self.connection.execute("DELETE FROM memberships")
            if rows:
                self.connection.executemany("INSERT INTO memberships VALUES (?, ?, ?, ?)", rows)
        return len(rows)

    # -- the parts of one article's write (inside its transaction) --------------------------

    def _delete_article(self, article_id: str) -> None:
        con = self.connection
        events = [e for (e,) in con.execute(
            "SELECT DISTINCT event FROM event_sources WHERE article = ?", [article_id]).fetchall()]
        named = [n for (n,) in con.execute(
            "SELECT DISTINCT named_event FROM named_event_sources WHERE article = ?", [article_id]).fetchall()]
        for table in ("mentions", "entities", "event_sources", "named_event_sources", "named_event_participants"):
            con.execute(f"DELETE FROM {table} WHERE article = ?", [article_id])
        con.execute("DELETE FROM articles WHERE id = ?", [article_id])
        self._refresh_events(events)
        self._refresh_named_events(named)

    def _insert_article(self, rec: Record, record: dict, text: str | None, checksum: str,
                        source: str | None, line: int | None) -> None:
        stored = {k: v for k, v in record.items() if k != "text"}
        dl = rec.dateline
        self.connection.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [rec.id, checksum, source, line, rec.title, rec.url, dl.date, dl.place, dl.publisher,
             list(dl.via), text, json.dumps(stored, ensure_ascii=False), len(rec.entities),
             len(rec.events), datetime.now()])

    def _insert_entities(self, rec: Record) -> None:
        entities, mentions = [], []
        for e in rec.entities:
            place = e.place
            entities.append([rec.id, e.id, e.kind, e.name, e.code, e.office, e.affiliation, e.sector, e.type,
                             e.organizer, place.name if place else None, place.country if place else None,
                             e.date, e.country, e.lat, e.lon, e.value])
            for m in e.mentions:
                mentions.append([rec.id, e.id, m.start, m.end, m.text, m.sentence])
        if entities:
            self.connection.executemany(
                "INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", entities)
        if mentions:
            self.connection.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?)", mentions)

    def _insert_events(self, rec: Record) -> int:
        con = self.connection
        touched: list[int] = []
        for ev in rec.events:
            actors = merge.codes(p.model_dump() for p in ev.actor)
            recipients = merge.codes(p.model_dump() for p in ev.recipient)
            key = merge.event_key(ev.event, actors, recipients, ev.date, ev.aux)
            loc = ev.event_loc
            place = (loc.name if loc else None, loc.country if loc else None)
            event_id = None
            for cand_id, cand_name, cand_country in con.execute(
                    "SELECT id, place_name, place_country FROM events WHERE key = ? ORDER BY id", [key]).fetchall():
                if merge.places_compatible(place, (cand_name, cand_country)):
                    event_id = cand_id
                    break
            if event_id is None:
                start, end = merge.date_bounds(ev.date, ev.enddate)
                event_id = con.execute(
                    "INSERT INTO events (key, type, quad, actors, recipients, date, enddate, date_start, date_end,"
                    " aux, mode, context, place_name, place_country, lat, lon, confidence, n_sources, first_seen)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?) RETURNING id",
                    [key, ev.event, QUAD.get(ev.event), ",".join(actors), ",".join(recipients), ev.date,
                     ev.enddate, start, end, ev.aux, list(ev.mode), list(ev.context), place[0], place[1],
                     loc.lat if loc else None, loc.lon if loc else None, ev.confidence, datetime.now()]
                ).fetchone()[0]
            ti = ev.text_info
            con.execute(
                "INSERT INTO event_sources (event, article, record_event, sequence, start, \"end\", event_text,"
                " publisher, confidence, actor, recipient, mode, context, place_name, place_country, lat, lon)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [event_id, rec.id, ev.id, ti.sequence, ti.start, ti.end, ev.event_text, rec.dateline.publisher,
                 ev.confidence, json.dumps([p.model_dump(exclude_none=True) for p in ev.actor], ensure_ascii=False),
                 json.dumps([p.model_dump(exclude_none=True) for p in ev.recipient], ensure_ascii=False),
                 list(ev.mode), list(ev.context), place[0], place[1],
                 loc.lat if loc else None, loc.lon if loc else None])
            touched.append(event_id)
        self._refresh_events(touched)
        return len(rec.events)

    def _refresh_events(self, event_ids: Iterable[int]) -> None:
        """Recompute events from their reports; delete those left with none."""
        con = self.connection
        for event_id in dict.fromkeys(event_ids):
            rows = con.execute(
                "SELECT article, confidence, mode, context, place_name, place_country, lat, lon, actor, recipient"
                " FROM event_sources WHERE event = ? ORDER BY id", [event_id]).fetchall()
            con.execute("DELETE FROM event_participants WHERE event = ?", [event_id])
            if not rows:
                con.execute("DELETE FROM events WHERE id = ?", [event_id])
                continue
            n_sources = len({r[0] for r in rows})
            confidence = max((r[1] for r in rows if r[1] is not None), default=None)
            mode = list(dict.fromkeys(m for r in rows for m in (r[2] or [])))
            context = list(dict.fromkeys(c for r in rows for c in (r[3] or [])))
            name, country, lat, lon = merge.summary_place([(r[4], r[5], r[6], r[7]) for r in rows])
            con.execute("UPDATE events SET n_sources = ?, confidence = ?, mode = ?, context = ?, place_name = ?,"
                        " place_country = ?, lat = ?, lon = ? WHERE id = ?",
                        [n_sources, confidence, mode, context, name, country, lat, lon, event_id])
            participants: dict[tuple[str, str], str | None] = {}
            for r in rows:
                for role, listed in (("actor", r[8]), ("recipient", r[9])):
                    for p in json.loads(listed or "[]"):
                        key = (role, p["code"])
                        if participants.get(key) is None:
                            participants[key] = p.get("sector")
            con.executemany("INSERT INTO event_participants VALUES (?, ?, ?, ?)",
                            [[event_id, role, code, sector] for (role, code), sector in participants.items()])

    def _insert_named_events(self, rec: Record) -> None:
        con = self.connection
        touched: list[int] = []
        for e in rec.entities:
            if e.kind != "named_event":
                continue
            key = merge.named_event_key(e.name, e.type)
            row = con.execute("SELECT id FROM named_events WHERE key = ? ORDER BY id LIMIT 1", [key]).fetchone()
            if row is None:
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
            people = list(dict.fromkeys(people))
            if people:
                con.executemany("INSERT INTO named_event_participants VALUES (?, ?, ?, ?)",
                                [[named_id, rec.id, role, code] for role, code in people])
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
