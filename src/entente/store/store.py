"""The record store: one class owns the DuckDB connection and the only write path.

    store = Store("entente.duckdb")          # creates or migrates it
    store.write_record(record, source="a.jsonl", line=3)   # one article, one transaction
    store.write_records([(record, "a.jsonl", 3, None), ...])  # several, one transaction
    store.record_failure("a.jsonl", 4, "not JSON ...")
    store.counts()

Writing an article is all-or-nothing (``BEGIN ... COMMIT``): a process killed at any moment
leaves only whole articles, and a re-run writes the rest. A batch of articles is written in
one transaction and ends the store exactly as writing them one by one would. What happens to an article:

- same id, same text checksum: **unchanged**, nothing is written;
- a new id whose text is already stored under another id: **duplicate**, skipped (the id
  is remembered in ``article_aliases``), because the same wire story republished under a
  second URL is one report, not two;
- same id, different checksum: **replaced**: its entities, mentions and reports are deleted
  and written anew; events and named events left without any report are deleted;
- same id, same checksum, written with ``reextract=True`` (the text extracted again with new
  patterns or data): **replaced** if the record differs from the stored one, else unchanged;
- otherwise **new**.

Every write applies the article's reviews (``review_rules.py``): the rows hold the record as
reviewed, a review whose target is found again is re-applied, one whose target is gone stays
in ``reviews`` (an orphan, ``reviews.orphans``). ``add_reviews`` appends reviews and brings
the article's rows to the record as reviewed in the same transaction: an event report whose
reviewed values change leaves its merged event and joins the one its new values merge with
(``merge.py``), or a new one.

Read-only stores (``Store(path, read_only=True)``) refuse every write and run with external
file access disabled, for the ``sql`` command and the API.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

import duckdb

from .. import settings
from ..errors import EntenteError, StoreError, safe_text
from ..record import QUAD, Record
from . import merge, textindex
from .review_rules import Review, ledger, reviewed_entities
from .schema import MIGRATIONS, SCHEMA_MIGRATIONS, TABLES

NEW, REPLACED, UNCHANGED, DUPLICATE, FAILED = "new", "replaced", "unchanged", "duplicate", "failed"


@dataclass(frozen=True)
class WriteResult:
    """What writing one article did: its status and how many event reports it added."""

    article: str
    status: str            # new | replaced | unchanged | duplicate | failed
    events: int = 0        # event reports written (0 unless new or replaced)
    same_as: str | None = None  # for a duplicate: the stored article with the same text
    error: str | None = None    # for a failed one (write_records): why the store could not take it


def text_checksum(text: str) -> str:
    """The checksum stored with an article (sha1 of its UTF-8 text), as Article.checksum."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class Store:
    """The DuckDB record store. ``path=":memory:"`` makes a throwaway one (tests)."""

    def __init__(self, path: str | Path = ":memory:", *, read_only: bool = False, config: dict | None = None):
        self.path = str(path)
        self.read_only = read_only
        self._failed: set[str] | None = None
        memory = self.path == ":memory:"
        if read_only and not memory and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such store; create it with `entente ingest ... --db {self.path}`")
        config = {**({"enable_external_access": False} if read_only else {}), **(config or {})}
        deadline = time.monotonic() + float(settings.get("lock_wait"))
        while True:
            try:
                self.connection = duckdb.connect(self.path, read_only=read_only and not memory, config=config)
                break
            except duckdb.IOException as err:
                pid, command = _lock_holder(str(err))
                kind = _holder_kind(command)
                # a server holds the file only while it copies it (its snapshot): wait that out
                if not read_only and pid is not None and kind != "ingest" and time.monotonic() < deadline:
                    time.sleep(0.1)
                    continue
                raise StoreError(_locked_message(self.path, read_only, pid, command, kind)) from None
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
                if migration.sql.strip():
                    con.execute(migration.sql)
                if migration.run:
                    getattr(self, migration.run)()
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

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of its own on the store's connection (one query another thread may interrupt)."""
        return self.connection.cursor()

    # -- the write path --------------------------------------------------------------------

    def write_record(self, record: dict, *, source: str | None = None, line: int | None = None,
                     checksum: str | None = None, reextract: bool = False) -> WriteResult:
        """Write one article's record (SPEC.md) in one transaction; see the module doc.
        ``reextract``: the record is a new extraction of a stored text; it replaces the stored
        record if it differs. Raises (StoreError, or pydantic's ValidationError) for a record
        the store cannot take."""
        entry = self._prepare(record, source, line, checksum)
        with self._transaction():
            return self._write_batch([entry], reextract)[0]

    def write_records(self, items: Iterable[tuple[dict, str | None, int | None, str | None]], *,
                      reextract: bool = False) -> list[WriteResult]:
        """Write several articles' records, each ``(record, source, line, checksum)``, in one
        transaction; the result of each, in order. The store ends exactly as if they had been
        written one by one with :meth:`write_record`, for a fraction of the cost (a DuckDB
        statement costs about a millisecond; a batch takes about as many as one article).
        A record the store cannot take gets status ``failed`` and its ``error``, and costs the
        others nothing: if the batch fails as a whole, it is written again one by one."""
        items = list(items)
        results: list[WriteResult | None] = [None] * len(items)
        prepared: list[tuple[int, _Entry]] = []
        for i, (record, source, line, checksum) in enumerate(items):
            try:
                prepared.append((i, self._prepare(record, source, line, checksum)))
            except Exception as err:
                results[i] = _failed(record, err)
        if prepared:
            try:
                with self._transaction():
                    written = self._write_batch([entry for _, entry in prepared], reextract)
                for (i, _), result in zip(prepared, written):
                    results[i] = result
            except Exception:
                for i, entry in prepared:
                    try:
                        with self._transaction():
                            results[i] = self._write_batch([entry], reextract)[0]
                    except Exception as err:
                        results[i] = _failed(entry.record, err)
        return results  # type: ignore[return-value]

    def write_article(self, article: Any, record: dict, *, reextract: bool = False) -> WriteResult:
        """Write the record of an :class:`~entente.read.sources.Article` (keeps its file and line)."""
        return self.write_record(record, source=article.source, line=article.line, checksum=article.checksum,
                                 reextract=reextract)

    def write_articles(self, pairs: Iterable[tuple[Any, dict]], *, reextract: bool = False) -> list[WriteResult]:
        """:meth:`write_records` for (:class:`~entente.read.sources.Article`, record) pairs."""
        return self.write_records(((record, article.source, article.line, article.checksum)
                                   for article, record in pairs), reextract=reextract)

    def _prepare(self, record: dict, source: str | None, line: int | None, checksum: str | None) -> "_Entry":
        """Validate a record (outside any transaction) and work out its checksum."""
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
        return _Entry(rec, record, text, checksum, source, line)

    def _write_batch(self, entries: list["_Entry"], reextract: bool = False) -> list[WriteResult]:
        """Write validated entries inside the caller's transaction, as one by one would."""
        con = self.connection
        ids = [e.rec.id for e in entries]
        sums = [e.checksum for e in entries]
        stored = dict(con.execute("SELECT id, checksum FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                                  [ids]).fetchall())
        if reextract:  # the same text extracted again: a different record replaces the stored one
            records = dict(con.execute("SELECT id, record FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                                       [ids]).fetchall())
            for e in entries:
                if stored.get(e.rec.id) == e.checksum and json.loads(records[e.rec.id]) != e.stored_record():
                    stored[e.rec.id] = None  # replaced, not unchanged
        if len(entries) > 1 and (any(e.rec.id in stored and stored[e.rec.id] != e.checksum for e in entries)
                                 or len(set(ids)) < len(ids)):
            # a replaced article deletes rows the others may merge with (and an id given twice in
            # one batch may replace itself): one at a time
            return [result for entry in entries for result in self._write_batch([entry], reextract)]
        aliases = {i: (article, checksum) for i, article, checksum in con.execute(
            "SELECT id, article, checksum FROM article_aliases WHERE id IN (SELECT unnest(?::VARCHAR[]))",
            [ids]).fetchall()}
        by_text = dict(con.execute("SELECT checksum, min(id) FROM articles WHERE checksum IN"
                                   " (SELECT unnest(?::VARCHAR[])) GROUP BY checksum", [sums]).fetchall())
        results: list[WriteResult] = []
        written: list[_Entry] = []
        alias_ids: set[str] = set()  # ids whose alias row changes: rewritten at the end
        for entry in entries:
            rec, checksum = entry.rec, entry.checksum
            if rec.id in stored:
                if stored[rec.id] == checksum:
                    results.append(WriteResult(rec.id, UNCHANGED))
                    continue
                status = REPLACED
                self._delete_article(rec.id)  # (alone in its batch: see above)
            elif aliases.get(rec.id, (None, None))[1] == checksum or checksum in by_text:
                same_as = by_text.get(checksum) or aliases[rec.id][0]
                aliases[rec.id] = (same_as, checksum)
                alias_ids.add(rec.id)
                results.append(WriteResult(rec.id, DUPLICATE, same_as=same_as))
                continue
            else:
                status = NEW
                if aliases.pop(rec.id, None) is not None:
                    alias_ids.add(rec.id)
            stored[rec.id] = checksum
            by_text.setdefault(checksum, rec.id)
            written.append(entry)
            results.append(WriteResult(rec.id, status))
        if alias_ids:
            changed = sorted(alias_ids)
            con.execute("DELETE FROM article_aliases WHERE id IN (SELECT unnest(?::VARCHAR[]))", [changed])
            self._insert_rows("article_aliases", [[i, *aliases[i]] for i in changed if i in aliases],
                              ("VARCHAR", "VARCHAR", "VARCHAR"))
        if not written:
            return results
        reviews = self._reviews_of([e.rec.id for e in written])
        for entry in written:
            entry.reviews = reviews.get(entry.rec.id, [])
        self._insert_articles(written)
        self._index_texts([(e.rec.id, e.rec.title, e.text) for e in written])
        self._insert_entities(written)
        reports = self._insert_events(written)
        self._insert_named_events(written)
        failed = self._failed_sources()
        for entry in written:
            if entry.source is not None and entry.source in failed:
                con.execute("DELETE FROM failures WHERE source = ? AND line IS NOT DISTINCT FROM ?",
                            [entry.source, entry.line])
        return [WriteResult(r.article, r.status, events=reports.get(r.article, 0)) if r.status in (NEW, REPLACED)
                else r for r in results]

    def record_failure(self, source: str, line: int | None, reason: str, article: str | None = None) -> None:
        """Note that an article could not be read or extracted (replacing an earlier note on
        the same file and line, so re-running a batch does not pile them up). The file name,
        reason and id are made safe first (a lone surrogate or an undecodable byte escaped,
        lengths capped): what failed must never make the note of its failure fail."""
        source = safe_text(source, 4000)
        reason = safe_text(reason, 4000)
        article = safe_text(article, 1000) if article is not None else None
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

    def load_countries(self, countries: Iterable[Any]) -> int:
        """Replace the countries table with the countries of the data files
        (``load_dictionaries().countries``: code, name, capital and its point), which the map
        uses for events placed only in a country."""
        rows = sorted({(c.code, c.name, c.capital, c.lat, c.lon) for c in countries}, key=lambda r: r[0])
        current = sorted(self.connection.execute("SELECT code, name, capital, lat, lon FROM countries").fetchall(),
                         key=lambda r: r[0])
        if rows == current:
            return len(rows)
        with self._transaction():
            self.connection.execute("DELETE FROM countries")
            self._insert_rows("countries", rows, ("VARCHAR", "VARCHAR", "VARCHAR", "DOUBLE", "DOUBLE"))
        return len(rows)

    def load_actor_names(self, countries: Iterable[Any], organizations: Iterable[Any], groups: Iterable[Any]) -> int:
        """Replace the actor_names table with the names, aliases, demonyms and codes of the data
        files' states, organisations and groups (``load_dictionaries()``), so that the query
        faces find an actor by name ("United Kingdom", "UK", "British" -> GBR) without loading
        the data files themselves."""
        rows: dict[tuple, None] = {}
        for kind, entries in (("state", countries), ("organization", organizations), ("group", groups)):
            for e in entries:
                for alias in (e.code, e.name, *e.aliases, *getattr(e, "demonyms", [])):
                    alias = " ".join(alias.split())
                    if alias:
                        rows[(e.code, kind, e.name, alias)] = None
        wanted = sorted(rows)
        current = sorted(self.connection.execute("SELECT code, kind, name, alias FROM actor_names").fetchall())
        if wanted == current:
            return len(wanted)
        with self._transaction():
            self.connection.execute("DELETE FROM actor_names")
            if wanted:
                self.connection.execute(
                    "INSERT INTO actor_names SELECT c, k, n, a, strip_accents(lower(a)) FROM (SELECT unnest(?::VARCHAR[])"
                    " AS c, unnest(?::VARCHAR[]) AS k, unnest(?::VARCHAR[]) AS n, unnest(?::VARCHAR[]) AS a)",
                    [list(column) for column in zip(*wanted)])
        return len(wanted)

    # -- the parts of one article's write (inside its transaction) --------------------------

    def _index_texts(self, articles: list[tuple[str, str | None, str | None]]) -> None:
        """Write the sentences and their words of (id, title, text) articles (see textindex.py):
        the title as sentence 0, the text's sentences from 1."""
        sentences, words = [], []
        for article, title, text in articles:
            if title:
                sentences.append([article, 0, None, None])
                words += [[term, article, 0] for term in textindex.terms(title)]
            for n, (start, end) in enumerate(textindex.sentences(text or ""), 1):
                sentences.append([article, n, start, end])
                words += [[term, article, n] for term in textindex.terms(text[start:end])]
        self._insert_rows("article_sentences", sentences, ("VARCHAR", "INTEGER", "INTEGER", "INTEGER"))
        self._insert_rows("text_terms", words, ("VARCHAR", "VARCHAR", "INTEGER"))

    def _index_stored_texts(self) -> None:
        """Index every stored article (when the text index is added to an older store)."""
        self.connection.execute("DELETE FROM article_sentences")
        self.connection.execute("DELETE FROM text_terms")
        self._index_texts(self.connection.execute("SELECT id, title, text FROM articles ORDER BY id").fetchall())

    def _insert_rows(self, table: str, rows: list, types: tuple[str, ...], columns: str | None = None) -> None:
        """Insert ``rows`` (of columns typed ``types``) in one statement that unnests one list
        per column: a DuckDB statement costs about a millisecond, executemany is one per row,
        and multi-row VALUES spend their time binding parameters."""
        if not rows:
            return
        values = [list(column) for column in zip(*rows)]
        select = ", ".join(f"unnest(?::{t}[])" for t in types)
        into = f"{table} ({columns})" if columns else table
        self.connection.execute(f"INSERT INTO {into} SELECT {select}", values)

    def _delete_article(self, article_id: str) -> None:
        con = self.connection
        events, named = con.execute(
            "SELECT (SELECT list(DISTINCT event) FROM event_sources WHERE article = ?),"
            " (SELECT list(DISTINCT named_event) FROM named_event_sources WHERE article = ?)",
            [article_id, article_id]).fetchone()
        for table in ("mentions", "entities", "event_sources", "named_event_sources", "named_event_participants",
                      "article_sentences", "text_terms"):
            con.execute(f"DELETE FROM {table} WHERE article = ?", [article_id])
        con.execute("DELETE FROM articles WHERE id = ?", [article_id])
        self._refresh_events(events or [])
        self._refresh_named_events(named or [])

    _ARTICLE_CASTS = ("VARCHAR", "VARCHAR", "VARCHAR", "INTEGER", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR",
                      "VARCHAR", "VARCHAR[]", "VARCHAR", "JSON", "INTEGER", "INTEGER", "TIMESTAMP")

    def _insert_articles(self, entries: list["_Entry"]) -> None:
        now = datetime.now()
        rows = []
        for e in entries:
            rec, dl = e.rec, e.rec.dateline
            rows.append([rec.id, e.checksum, e.source, e.line, rec.title, rec.url, dl.date, dl.place, dl.publisher,
                         list(dl.via), e.text, json.dumps(e.stored_record(), ensure_ascii=False), len(rec.entities),
                         len(rec.events), now])
        self._insert_rows("articles", rows, self._ARTICLE_CASTS,
                          columns="id, checksum, source, line, title, url, published, place, publisher, via, text,"
                                  " record, n_entities, n_events, ingested_at")

    # -- reviews: what the rows of an article become once its reviews are applied ----------------

    def _reviews_of(self, article_ids: list[str]) -> dict[str, list[Review]]:
        """The reviews of these articles, by article, in review order."""
        out: dict[str, list[Review]] = {}
        if not article_ids:
            return out
        for row in self.connection.execute(
                f"SELECT {', '.join(Review.COLUMNS)} FROM reviews WHERE article IN (SELECT unnest(?::VARCHAR[]))"
                " ORDER BY id", [list(dict.fromkeys(article_ids))]).fetchall():
            review = Review.from_row(row)
            out.setdefault(review.article, []).append(review)
        return out

    def add_reviews(self, rows: list[dict]) -> list[int]:
        """Append reviews (each a dict of the ``reviews`` columns but ``id``: reviews.py builds and
        checks them) and bring their articles' rows to the record as reviewed, in one
        transaction; returns the new reviews' ids. Reviews are only ever appended."""
        if not rows:
            return []
        con = self.connection
        columns = [c for c in Review.COLUMNS if c != "id"]
        with self._transaction():
            ids = [i for (i,) in con.execute(f"SELECT nextval('review_ids') FROM range({len(rows)})").fetchall()]
            values = [[i] + [row.get(c) for c in columns] for i, row in zip(ids, rows)]
            for v in values:
                v[Review.COLUMNS.index("before")] = _json(v[Review.COLUMNS.index("before")])
                v[Review.COLUMNS.index("after")] = _json(v[Review.COLUMNS.index("after")])
            self._insert_rows("reviews", values,
                              ("BIGINT", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR[]", "BIGINT",
                               "JSON", "JSON", "VARCHAR", "TIMESTAMP", "VARCHAR"), columns=", ".join(Review.COLUMNS))
            kinds: dict[str, set[str]] = {}
            for row in rows:
                kinds.setdefault(row["article"], set()).add(row["kind"])
            for article, changed in kinds.items():
                self._apply_reviews(article, changed)
        return ids

    def _apply_reviews(self, article: str, kinds: set[str]) -> None:
        """Bring a stored article's rows of these target kinds to its record as reviewed."""
        found = self.connection.execute("SELECT record, publisher FROM articles WHERE id = ?",
                                        [article]).fetchone()
        if found is None:
            return  # an orphan's article is gone: nothing to apply to
        record = json.loads(found[0])
        reviews = self._reviews_of([article]).get(article, [])
        if "event" in kinds:
            self._apply_event_reviews(article, record, found[1], reviews)
        if kinds & {"person", "mention", "named_event"}:
            self._apply_entity_reviews(article, record, reviews)

    def _apply_event_reviews(self, article: str, record: dict, publisher: str | None,
                             reviews: list[Review]) -> None:
        """Update an article's event reports to their reviewed state: a report whose values
        are unchanged keeps its event (its review columns updated); one whose values change is
        taken out of its event and merged again (``_place_reports``), keeping its report id."""
        con = self.connection
        reports = _reports(article, record, publisher, reviews)
        rows = con.execute(
            "SELECT id, event, record_event, key, type, actor, recipient, date, enddate, aux, place_name,"
            " place_country, lat, lon, review, reviewer, reviewed_at FROM event_sources WHERE article = ?"
            " ORDER BY id", [article]).fetchall()
        # the rows are the record's reports in record order (a moved report keeps its id)
        if [r[2] for r in rows] != [r.record_event for r in reports]:
            raise StoreError(f"article {article!r}: its stored reports do not match its record; write the article "
                             "again (`entente ingest --reextract`) to rebuild them")
        moved: list[_Report] = []
        left: list[int] = []
        updates = []
        for report, (source_id, event_id, record_event, key, type_, actor, recipient, date_, enddate, aux, pname,
                     pcountry, lat, lon, review, reviewer, reviewed_at) in zip(reports, rows):
            report.id = source_id
            stored = (type_, json.loads(actor or "[]"), json.loads(recipient or "[]"), date_, enddate, aux,
                      (pname, pcountry, lat, lon), review == "rejected")
            if stored != report.values():
                moved.append(report)
                left.append(event_id)
            elif (key, review, reviewer, reviewed_at) != (report.key, report.review, report.reviewer,
                                                          report.reviewed_at):
                updates.append([source_id, report.key, report.review, report.reviewer, report.reviewed_at])
                left.append(event_id)
        if updates:
            con.execute("UPDATE event_sources SET key = v.k, review = v.r, reviewer = v.w, reviewed_at = v.t FROM ("
                        "SELECT unnest(?::BIGINT[]) AS id, unnest(?::VARCHAR[]) AS k, unnest(?::VARCHAR[]) AS r,"
                        " unnest(?::VARCHAR[]) AS w, unnest(?::TIMESTAMP[]) AS t) AS v WHERE event_sources.id = v.id",
                        [list(c) for c in zip(*updates)])
        if moved:
            con.execute("DELETE FROM event_sources WHERE id IN (SELECT unnest(?::BIGINT[]))", [[r.id for r in moved]])
        self._refresh_events(left)  # (an event left without reports is deleted before the moved ones merge)
        if moved:
            self._place_reports(moved)

    def _apply_entity_reviews(self, article: str, record: dict, reviews: list[Review]) -> None:
        """Write an article's entities, mentions and named-event reports again, as reviewed.
        A named event keeps its id (its row is found by key before the emptied ones are swept)."""
        con = self.connection
        (named,) = con.execute("SELECT list(DISTINCT named_event) FROM named_event_sources WHERE article = ?",
                               [article]).fetchone()
        for table in ("mentions", "entities", "named_event_sources", "named_event_participants"):
            con.execute(f"DELETE FROM {table} WHERE article = ?", [article])
        entities = _reviewed_entities(article, record, reviews)
        self._insert_entity_rows([(article, entities)])
        self._insert_named_event_rows([(article, entities)], also_refresh=named or [])

    def set_reviewer(self, name: str, token_id: str, salt: bytes, token_hash: bytes) -> None:
        """Add a reviewer, or give one a new token (and sign them in again if revoked)."""
        with self._transaction():
            con = self.connection
            if con.execute("SELECT count(*) FROM reviewers WHERE name = ?", [name]).fetchone()[0]:
                con.execute("UPDATE reviewers SET token_id = ?, token_salt = ?, token_hash = ?, revoked_at = NULL"
                            " WHERE name = ?", [token_id, salt, token_hash, name])
            else:
                con.execute("INSERT INTO reviewers VALUES (?, ?, ?, ?, ?, NULL)",
                            [name, token_id, salt, token_hash, datetime.now()])

    def revoke_reviewer(self, name: str) -> None:
        """A reviewer signs in no more (their reviews stay, under their name)."""
        with self._transaction():
            self.connection.execute("UPDATE reviewers SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                                    [datetime.now(), name])

    # -- the parts of one article's write (inside its transaction), as reviewed -------------------

    _ENTITY_COLUMNS = ("article, id, kind, name, code, office, affiliation, sector, type, organizer, place_name,"
                       " place_country, date, country, lat, lon, value, key, review, reviewer, reviewed_at")
    _ENTITY_CASTS = ("VARCHAR",) * 14 + ("DOUBLE", "DOUBLE", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "TIMESTAMP")
    _MENTION_COLUMNS = 'article, entity, start, "end", text, sentence, key, review, reviewer, reviewed_at'
    _MENTION_CASTS = ("VARCHAR", "VARCHAR", "INTEGER", "INTEGER", "VARCHAR", "INTEGER", "VARCHAR", "VARCHAR",
                      "VARCHAR", "TIMESTAMP")

    def _insert_entities(self, entries: list["_Entry"]) -> None:
        for entry in entries:
            entry.entities = _reviewed_entities(entry.rec.id, entry.record, entry.reviews)
        self._insert_entity_rows([(entry.rec.id, entry.entities) for entry in entries])

    def _insert_entity_rows(self, articles: list[tuple[str, list[dict]]]) -> None:
        entities, mentions = [], []
        for article, listed in articles:
            for e in listed:
                place, meta = e.get("place") or {}, e.get("_review") or {}
                entities.append([article, e["id"], e["kind"], e["name"], e.get("code"), e.get("office"),
                                 e.get("affiliation"), e.get("sector"), e.get("type"), e.get("organizer"),
                                 place.get("name"), place.get("country"), e.get("date"), e.get("country"),
                                 e.get("lat"), e.get("lon"), e.get("value"), meta.get("key"), meta.get("status"),
                                 meta.get("reviewer"), meta.get("reviewed_at")])
                for m in e.get("mentions") or []:
                    mm = m.get("_review") or {}
                    mentions.append([article, e["id"], m["start"], m["end"], m.get("text"), m.get("sentence"),
                                     mm.get("key"), mm.get("status"), mm.get("reviewer"), mm.get("reviewed_at")])
        self._insert_rows("entities", entities, self._ENTITY_CASTS, columns=self._ENTITY_COLUMNS)
        self._insert_rows("mentions", mentions, self._MENTION_CASTS, columns=self._MENTION_COLUMNS)

    _EVENT_COLUMNS = ("id, key, type, quad, actors, recipients, date, enddate, date_start, date_end, aux, mode,"
                      " context, place_name, place_country, lat, lon, confidence, n_sources, first_seen")
    _EVENT_CASTS = ("BIGINT", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR",
                    "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR[]", "VARCHAR[]", "VARCHAR", "VARCHAR", "DOUBLE",
                    "DOUBLE", "DOUBLE", "INTEGER", "TIMESTAMP")
    _SOURCE_COLUMNS = ('id, event, article, record_event, sequence, start, "end", event_text, publisher, confidence,'
                       " actor, recipient, mode, context, place_name, place_country, lat, lon, trigger_start,"
                       " trigger_end, key, type, date, enddate, aux, review, reviewer, reviewed_at")
    _SOURCE_CASTS = ("BIGINT", "BIGINT", "VARCHAR", "VARCHAR", "INTEGER", "INTEGER", "INTEGER", "VARCHAR",
                     "VARCHAR", "DOUBLE", "JSON", "JSON", "VARCHAR[]", "VARCHAR[]", "VARCHAR", "VARCHAR",
                     "DOUBLE", "DOUBLE", "INTEGER", "INTEGER", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR",
                     "VARCHAR", "VARCHAR", "VARCHAR", "TIMESTAMP")

    def _insert_events(self, entries: list["_Entry"]) -> dict[str, int]:
        """Attach each event report, as reviewed, to a compatible stored event (see merge.py) or
        a new one, article after article as if each were written alone; returns reports per article."""
        reports = [r for entry in entries
                   for r in _reports(entry.rec.id, entry.record, entry.rec.dateline.publisher,
                                     entry.reviews)]
        self._place_reports(reports)
        counts: dict[str, int] = {}
        for r in reports:
            counts[r.article] = counts.get(r.article, 0) + 1
        return counts

    def _place_reports(self, reports: list["_Report"]) -> None:
        """Merge reports into events and insert them (a report with an ``id`` keeps it), article
        after article in the order given, as if each article were written alone."""
        con = self.connection
        if not reports:
            return
        per_article: list[list[_Report]] = []
        for r in reports:
            if not per_article or per_article[-1][0].article != r.article:
                per_article.append([])
            per_article[-1].append(r)
        keys = sorted({r.merge_key for r in reports})
        # The stored events of these keys, with the places of their reports: an event's place
        # (what the next report must be compatible with) is the summary of its reports' places.
        candidates: dict[str, list[_Slot]] = {k: [] for k in keys}
        slots: dict[int, _Slot] = {}
        for event_id, key, name, country in con.execute(
                "SELECT id, key, place_name, place_country FROM all_events WHERE key IN"
                " (SELECT unnest(?::VARCHAR[])) ORDER BY id", [keys]).fetchall():
            slots[event_id] = _Slot(event_id, (name, country))
            candidates[key].append(slots[event_id])
        if slots:
            for event_id, *place in con.execute(
                    "SELECT event, place_name, place_country, lat, lon FROM event_sources"
                    " WHERE event IN (SELECT unnest(?::BIGINT[])) ORDER BY event, id", [list(slots)]).fetchall():
                slots[event_id].places.append(tuple(place))
        fresh: list[tuple[_Slot, _Report]] = []   # events to create, in the order they are made
        chosen: list[tuple[_Report, _Slot]] = []  # (report, event) for every report
        for group in per_article:
            touched: list[_Slot] = []
            for report in group:
                place = report.place[:2]
                slot = next((c for c in candidates[report.merge_key] if merge.places_compatible(place, c.place)), None)
                if slot is None:
                    slot = _Slot(None, place)
                    candidates[report.merge_key].append(slot)
                    fresh.append((slot, report))
                else:  # what the event's place becomes with this report, for the next one
                    slot.place = merge.summary_place([(*slot.place, None, None), (*place, None, None)])[:2]
                chosen.append((report, slot))
                touched.append(slot)
            for slot, report in zip(touched, group):
                slot.places.append(report.place)
            for slot in {id(s): s for s in touched}.values():  # as the stored event would be next
                slot.place = merge.summary_place(slot.places)[:2]
        if fresh:
            ids = con.execute(f"SELECT nextval('event_ids') FROM range({len(fresh)})").fetchall()
            now = datetime.now()
            rows = []
            for (slot, r), (event_id,) in zip(fresh, ids):
                slot.id = event_id
                start, end = merge.date_bounds(r.date, r.enddate)
                rows.append([event_id, r.merge_key, r.type, QUAD.get(r.type), ",".join(r.actors),
                             ",".join(r.recipients), r.date, r.enddate, start, end, r.aux, r.mode, r.context,
                             *r.place, r.confidence, 0, now])
            self._insert_rows("all_events", rows, self._EVENT_CASTS, columns=self._EVENT_COLUMNS)
        new_ids = [r for r, _ in chosen if r.id is None]
        if new_ids:
            for r, (source_id,) in zip(new_ids, con.execute(
                    f"SELECT nextval('event_source_ids') FROM range({len(new_ids)})").fetchall()):
                r.id = source_id
        rows = [[r.id, slot.id, r.article, r.record_event, r.sequence, r.start, r.end, r.event_text, r.publisher,
                 r.confidence, json.dumps(r.actor, ensure_ascii=False), json.dumps(r.recipient, ensure_ascii=False),
                 r.mode, r.context, *r.place, r.trigger_start, r.trigger_end, r.key, r.type, r.date, r.enddate, r.aux,
                 r.review, r.reviewer, r.reviewed_at] for r, slot in chosen]
        self._insert_rows("event_sources", rows, self._SOURCE_CASTS, columns=self._SOURCE_COLUMNS)
        self._refresh_events([slot.id for _, slot in chosen])

    def _refresh_events(self, event_ids: Iterable[int], *, reviewed_schema: bool = True) -> None:
        """Recompute events from their reports (count of articles, confidence, mode, context,
        place, participants' sectors, reviews); delete those left with none.
        ``reviewed_schema=False``: on the tables as they were before analyst review (schema
        migration 5: ``events`` and ``event_participants`` tables, no review columns), for the
        migration steps that run before it (:meth:`_rekey_events`)."""
        con = self.connection
        ids = list(dict.fromkeys(event_ids))
        if not ids:
            return
        events, participants_table = ("all_events", "all_event_participants") if reviewed_schema else \
            ("events", "event_participants")
        review_columns = "review, reviewer, reviewed_at" if reviewed_schema else "NULL, NULL, NULL"
        in_ids = f"({', '.join('?' * len(ids))})"
        by_event: dict[int, list] = {i: [] for i in ids}
        for row in con.execute(
                "SELECT event, article, confidence, mode, context, place_name, place_country, lat, lon, actor,"
                f" recipient, {review_columns} FROM event_sources WHERE event IN {in_ids}"
                " ORDER BY event, id", ids).fetchall():
            by_event[row[0]].append(row[1:])
        con.execute(f"DELETE FROM {participants_table} WHERE event IN {in_ids}", ids)
        gone = [i for i, rows in by_event.items() if not rows]
        if gone:
            con.execute(f"DELETE FROM {events} WHERE id IN ({', '.join('?' * len(gone))})", gone)
        updates, participants = [], []
        for event_id, rows in by_event.items():
            if not rows:
                continue
            confidence = max((r[1] for r in rows if r[1] is not None), default=None)
            mode = list(dict.fromkeys(m for r in rows for m in (r[2] or [])))
            context = list(dict.fromkeys(c for r in rows for c in (r[3] or [])))
            name, country, lat, lon = merge.summary_place([(r[4], r[5], r[6], r[7]) for r in rows])
            statuses = {r[10] for r in rows}
            rejected = statuses == {"rejected"}  # (the merge key keeps rejected reports apart)
            review = next((s for s in ("rejected", "corrected", "confirmed") if s in statuses), None)
            reviewed = [r for r in rows if r[10] is not None]
            reviewers = sorted({r[11] for r in reviewed if r[11]}) or None
            reviewed_at = max((r[12] for r in reviewed if r[12] is not None), default=None)
            updates.append([event_id, len({r[0] for r in rows}), confidence, mode, context, name, country, lat, lon,
                            rejected, review, len(reviewed), reviewers, reviewed_at])
            sectors: dict[tuple[str, str], str | None] = {}
            for r in rows:
                for role, listed in (("actor", r[8]), ("recipient", r[9])):
                    for p in json.loads(listed or "[]"):
                        if sectors.get((role, p["code"])) is None:
                            sectors[(role, p["code"])] = p.get("sector")
            participants += [[event_id, role, code, sector, rejected] for (role, code), sector in sectors.items()]
        if not reviewed_schema:  # (no review columns yet: the first nine, the participants' first four)
            updates = [u[:9] for u in updates]
            participants = [p[:4] for p in participants]
        if updates:
            types = ("BIGINT", "INTEGER", "DOUBLE", "VARCHAR[]", "VARCHAR[]", "VARCHAR", "VARCHAR", "DOUBLE", "DOUBLE",
                     "BOOLEAN", "VARCHAR", "INTEGER", "VARCHAR[]", "TIMESTAMP")
            names = ("id", "n", "c", "m", "x", "pn", "pc", "la", "lo", "rj", "rv", "nr", "rs", "ra")
            select = ", ".join(f"unnest(?::{t}[]) AS {n}" for t, n in zip(types, names) if n in names[:len(updates[0])])
            reviews = (", rejected = v.rj, review = v.rv, n_reviewed = v.nr, reviewers = v.rs, reviewed_at = v.ra"
                       if reviewed_schema else "")
            con.execute(
                f"UPDATE {events} SET n_sources = v.n, confidence = v.c, mode = v.m, context = v.x,"
                f" place_name = v.pn, place_country = v.pc, lat = v.la, lon = v.lo{reviews} FROM (SELECT {select}) AS v"
                f" WHERE {events}.id = v.id", [list(column) for column in zip(*updates)])
        self._insert_rows(participants_table, participants,
                          ("BIGINT", "VARCHAR", "VARCHAR", "VARCHAR", "BOOLEAN")[:5 if reviewed_schema else 4])

    def _rekey_events(self) -> None:
        """Migration 4: every event's key by today's rule (:func:`merge.event_key`: a report not
        dated to the day merges only within its article). An event whose reports now have
        several keys (reports of different articles merged under the old rule) is split, one
        event per key, each recomputed from its reports. It runs on the tables as they were
        before analyst review (migration 5), which copies the events it leaves."""
        con = self.connection
        groups: dict[int, dict[str, list[int]]] = {}
        keys: dict[int, str] = {}
        for source_id, event_id, article, type_, actors, recipients, date_, aux, key in con.execute(
                "SELECT s.id, s.event, s.article, e.type, e.actors, e.recipients, e.date, e.aux, e.key"
                " FROM event_sources s JOIN events e ON e.id = s.event ORDER BY s.event, s.id").fetchall():
            new = merge.event_key(type_, [c for c in actors.split(",") if c], [c for c in recipients.split(",") if c],
                                  date_, aux, article)
            groups.setdefault(event_id, {}).setdefault(new, []).append(source_id)
            keys[event_id] = key
        rekeyed, split_from, split_key, moved, moved_to = [], [], [], [], []
        for event_id, by_key in groups.items():
            first, *others = by_key
            if first != keys[event_id]:
                rekeyed.append((event_id, first))
            for key in others:
                split_from.append(event_id)
                split_key.append(key)
                moved.append(by_key[key])
        if rekeyed:
            con.execute("UPDATE events SET key = v.k FROM (SELECT unnest(?::BIGINT[]) AS id, unnest(?::VARCHAR[]) AS k)"
                        " AS v WHERE events.id = v.id", [[i for i, _ in rekeyed], [k for _, k in rekeyed]])
        if not split_from:
            return
        new_ids = [i for (i,) in con.execute(f"SELECT nextval('event_ids') FROM range({len(split_from)})").fetchall()]
        con.execute(
            "INSERT INTO events SELECT m.new_id, m.k, e.type, e.quad, e.actors, e.recipients, e.date, e.enddate,"
            " e.date_start, e.date_end, e.aux, e.mode, e.context, e.place_name, e.place_country, e.lat, e.lon,"
            " e.confidence, e.n_sources, e.first_seen FROM events e JOIN (SELECT unnest(?::BIGINT[]) AS new_id,"
            " unnest(?::BIGINT[]) AS old_id, unnest(?::VARCHAR[]) AS k) AS m ON e.id = m.old_id",
            [new_ids, split_from, split_key])
        for new_id, sources in zip(new_ids, moved):
            moved_to += [new_id] * len(sources)
        con.execute("UPDATE event_sources SET event = v.e FROM (SELECT unnest(?::BIGINT[]) AS id,"
                    " unnest(?::BIGINT[]) AS e) AS v WHERE event_sources.id = v.id",
                    [[s for sources in moved for s in sources], moved_to])
        self._refresh_events(list(dict.fromkeys(split_from)) + new_ids, reviewed_schema=False)

    def _fill_review_keys(self) -> None:
        """Migration 5: the stable keys and trigger spans of what is stored (review_rules.py)."""
        from .schema import fill_review_keys

        fill_review_keys(self.connection)

    def _insert_named_events(self, entries: list["_Entry"]) -> None:
        self._insert_named_event_rows([(entry.rec.id, entry.entities) for entry in entries])

    def _insert_named_event_rows(self, articles: list[tuple[str, list[dict]]], also_refresh: Iterable[int] = ()
                                 ) -> None:
        """Report the named events of these articles' (reviewed) entities; refresh their named
        events and ``also_refresh`` (ones the articles reported before)."""
        con = self.connection
        named = [(article, e, merge.named_event_key(e["name"], e.get("type")))
                 for article, listed in articles for e in listed if e["kind"] == "named_event"]
        if not named:
            self._refresh_named_events(also_refresh)
            return
        keys = sorted({key for _, _, key in named})
        known = dict(con.execute("SELECT key, min(id) FROM named_events WHERE key IN (SELECT unnest(?::VARCHAR[]))"
                                 " GROUP BY key", [keys]).fetchall())
        new = list(dict.fromkeys(key for _, _, key in named if key not in known))
        if new:
            ids = con.execute(f"SELECT nextval('named_event_ids') FROM range({len(new)})").fetchall()
            first = {}
            for _, e, key in named:
                first.setdefault(key, e)
            self._insert_rows("named_events", [[i, key, first[key]["name"], first[key].get("type"), 0]
                                               for key, (i,) in zip(new, ids)],
                              ("BIGINT", "VARCHAR", "VARCHAR", "VARCHAR", "INTEGER"),
                              columns="id, key, name, type, n_sources")
            known.update((key, i) for key, (i,) in zip(new, ids))
        source_ids = con.execute(f"SELECT nextval('named_event_source_ids') FROM range({len(named)})").fetchall()
        sources, participants = [], []
        for (article, e, key), (source_id,) in zip(named, source_ids):
            place = e.get("place") or {}
            sources.append([source_id, known[key], article, e["id"], e["name"], e.get("organizer"),
                            place.get("name"), place.get("country"), e.get("date")])
            people = [("participant", c) for c in (e.get("participants") or [])]
            people += [("observer", c) for c in (e.get("observers") or [])]
            if e.get("organizer"):
                people.append(("organizer", e["organizer"]))
            participants += [[known[key], article, role, code] for role, code in dict.fromkeys(people)]
        self._insert_rows("named_event_sources", sources, ("BIGINT", "BIGINT") + ("VARCHAR",) * 7)
        self._insert_rows("named_event_participants", participants, ("BIGINT", "VARCHAR", "VARCHAR", "VARCHAR"))
        self._refresh_named_events([*(known[key] for _, _, key in named), *also_refresh])

    def _refresh_named_events(self, named_ids: Iterable[int]) -> None:
        """Recompute named events from their reports; delete those left with none."""
        con = self.connection
        ids = list(dict.fromkeys(named_ids))
        if not ids:
            return
        by_event: dict[int, list] = {i: [] for i in ids}
        for row in con.execute("SELECT named_event, article, name, organizer, place_name, place_country, date"
                               " FROM named_event_sources WHERE named_event IN (SELECT unnest(?::BIGINT[]))"
                               " ORDER BY named_event, id", [ids]).fetchall():
            by_event[row[0]].append(row[1:])
        gone = [i for i, rows in by_event.items() if not rows]
        if gone:
            con.execute("DELETE FROM named_event_participants WHERE named_event IN (SELECT unnest(?::BIGINT[]))",
                        [gone])
            con.execute("DELETE FROM named_events WHERE id IN (SELECT unnest(?::BIGINT[]))", [gone])
        updates = []
        for named_id, rows in by_event.items():
            if not rows:
                continue

            def first(i: int, rows=rows):
                return next((r[i] for r in rows if r[i]), None)

            updates.append([named_id, rows[0][1], first(2), first(3), first(4), first(5), len({r[0] for r in rows})])
        if updates:
            types = ("BIGINT", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "INTEGER")
            names = ("id", "nm", "org", "pn", "pc", "dt", "n")
            select = ", ".join(f"unnest(?::{t}[]) AS {n}" for t, n in zip(types, names))
            con.execute(f"UPDATE named_events SET name = v.nm, organizer = v.org, place_name = v.pn,"
                        f" place_country = v.pc, date = v.dt, n_sources = v.n FROM (SELECT {select}) AS v"
                        " WHERE named_events.id = v.id", [list(column) for column in zip(*updates)])


@dataclass
class _Entry:
    """A validated record on its way into the store."""

    rec: Record
    record: dict
    text: str | None
    checksum: str
    source: str | None
    line: int | None
    reviews: list[Review] = field(default_factory=list)   # the article's reviews (set by _write_batch)
    entities: list[dict] = field(default_factory=list)    # its entities as reviewed (set by _insert_entities)

    def stored_record(self) -> dict:
        """The record as ``articles.record`` keeps it: all of it but the text."""
        return {k: v for k, v in self.record.items() if k != "text"}


@dataclass
class _Report:
    """One event report on its way into ``event_sources``, with its values as reviewed."""

    article: str
    record_event: str
    key: str                     # stable key (review_rules.py)
    type: str
    actor: list[dict]            # participants (code, sector, entity, text), None values left out
    recipient: list[dict]
    date: str | None
    enddate: str | None
    aux: str | None
    mode: list[str]
    context: list[str]
    place: tuple                 # (name, country, lat, lon)
    sequence: int | None
    start: int | None
    end: int | None
    trigger_start: int | None
    trigger_end: int | None
    event_text: str | None
    confidence: float | None
    publisher: str | None
    review: str | None = None    # confirmed | corrected | rejected
    reviewer: str | None = None
    reviewed_at: datetime | None = None
    id: int | None = None        # event_sources.id, once known

    @property
    def actors(self) -> list[str]:
        return merge.codes(self.actor)

    @property
    def recipients(self) -> list[str]:
        return merge.codes(self.recipient)

    @property
    def merge_key(self) -> str:
        """What merges it with other reports: :func:`merge.event_key` of its values as reviewed,
        the rule every report is merged by (a report not dated to the day merges only within its
        article); a rejected report merges only with rejected ones, so an event is rejected as a
        whole or not at all."""
        key = merge.event_key(self.type, self.actors, self.recipients, self.date, self.aux, self.article)
        return f"{key}|rejected" if self.review == "rejected" else key

    def values(self) -> tuple:
        """What its event depends on, as the event_sources row holds it (to tell whether a review
        changed it): its values and whether it is rejected."""
        return (self.type, self.actor, self.recipient, self.date, self.enddate, self.aux, self.place,
                self.review == "rejected")


def _participants(listed: list[dict] | None) -> list[dict]:
    return [{k: v for k, v in p.items() if v is not None} for p in listed or []]


def _reports(article: str, record: dict, publisher: str | None,
             reviews: list[Review]) -> list[_Report]:
    """An article's event reports (record order) with their reviews applied."""
    from .review_rules import apply_event_values

    events = record.get("events") or []
    if not events:
        return []
    book = ledger(article, record, reviews, kinds=("event",))
    out = []
    for ev, target in zip(events, book.of("event")):
        state = target.state
        if state.status is not None:
            ev = apply_event_values(ev, state.values)
        info, loc = ev["text_info"], ev.get("event_loc") or {}
        place = (loc.get("name"), loc.get("country"), loc.get("lat"), loc.get("lon"))
        out.append(_Report(
            article=article, record_event=ev["id"], key=target.key, type=ev["event"],
            actor=_participants(ev.get("actor")), recipient=_participants(ev.get("recipient")),
            date=ev.get("date"), enddate=ev.get("enddate"), aux=ev.get("aux"), mode=list(ev.get("mode") or []),
            context=list(ev.get("context") or []), place=place, sequence=info.get("sequence"),
            start=info.get("start"), end=info.get("end"), trigger_start=info.get("trigger_start"),
            trigger_end=info.get("trigger_end"), event_text=ev.get("event_text"),
            confidence=ev.get("confidence", 0.5), publisher=publisher,
            review=state.status, reviewer=state.reviewer, reviewed_at=state.reviewed_at))
    return out


def _reviewed_entities(article: str, record: dict, reviews: list[Review]) -> list[dict]:
    """An article's entities as reviewed, with the keys and review state of the reviewable ones."""
    book = ledger(article, record, reviews, kinds=("person", "mention", "named_event"))
    return reviewed_entities(record.get("entities") or [], book)


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


@dataclass
class _Slot:
    """A stored or new event that reports of a batch may join: its id (None until created),
    its place as the next report sees it, and its reports' places so far."""

    id: int | None
    place: tuple[str | None, str | None]
    places: list[tuple] = field(default_factory=list)


def _lock_holder(message: str) -> tuple[int | None, str]:
    """The process DuckDB names as holding a store's lock (its PID and command line)."""
    m = re.search(r"\(PID (\d+)\)", message)
    if m is None:
        return None, ""
    pid = int(m.group(1))
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return pid, ""
    return pid, " ".join(a.decode("utf-8", "replace") for a in argv if a)


def _holder_kind(command: str) -> str:
    words = command.split()[1:]
    return "ingest" if "ingest" in words else "serve" if "serve" in words else "other"


def _locked_message(path: str, read_only: bool, pid: int | None, command: str, kind: str) -> str:
    """What to say when another process holds the store: who it is and what to do."""
    who = f"process {pid}" + (f" ({safe_text(command, 200)})" if command else "") if pid else "another process"
    if read_only:
        return (f"{path}: cannot open the store: {who} is writing to it (an `entente ingest`): wait for it to "
                "finish; `entente serve` shows a store while it is written")
    if kind == "ingest":
        return f"{path}: cannot open the store for writing: {who} is ingesting into it; wait for it to finish"
    if kind == "serve":
        return (f"{path}: cannot open the store for writing: {who}, a server, has held it for over "
                f"{settings.get('lock_wait')} s (this Entente's server holds it only while copying a snapshot; "
                "an older one keeps it open): try again, stop that server while you ingest, or post the articles "
                "to it (POST /api/articles with `Authorization: Bearer <ENTENTE_API_TOKEN>`)")
    return (f"{path}: cannot open the store for writing: {who} has it open; close it there (DuckDB lets one "
            "process write a store, and none read it meanwhile) and try again")


def _failed(record: Any, err: Exception) -> WriteResult:
    article = record.get("id") if isinstance(record, dict) else None
    reason = str(err) if isinstance(err, EntenteError) else f"{type(err).__name__}: {err}"
    return WriteResult(str(article), FAILED, error=reason)
