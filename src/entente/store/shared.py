"""The store as a server shares it between request threads: read-only, always.

A web server answers many requests at once and, with a token, ingests an article now and
then. DuckDB lets one process hold a file either read-only or read-write, never both, and
a read-write connection would let any SQL that slips through a check write. So:

- every request reads through the one **read-only** connection (per-thread cursors, file
  access off, memory capped, configuration locked), under a shared lock;
- a write (``POST /api/articles``) takes the lock exclusively, waits for the reads in
  flight, closes the read-only connection, writes through a read-write :class:`Store`,
  closes it and opens the read-only one again. No read ever runs on the read-write one.

    shared = SharedStore("entente.duckdb", memory_limit="512MB")
    with shared.reading() as reader:        # many threads at once
        reader.execute("SELECT count(*) FROM events").fetchone()
    with shared.writing() as store:          # one at a time, no reader inside
        store.write_article(article, record)
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .store import Store


class _ReadersWriterLock:
    """Many readers or one writer; a waiting writer holds back new readers (no starvation)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            while self._writing or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class StoreReader:
    """Read access for many threads: each thread runs its queries on its own cursor of the
    current read-only connection. It has the methods :mod:`entente.store.queries` uses
    (``execute``) and :meth:`interrupt` for the thread's running query."""

    def __init__(self, shared: "SharedStore"):
        self._shared = shared
        self._local = threading.local()

    def _cursor(self):
        generation = self._shared._generation
        if getattr(self._local, "generation", None) != generation:
            self._local.cursor = self._shared._store.connection.cursor()
            self._local.generation = generation
        return self._local.cursor

    def execute(self, sql: str, params: list | None = None):
        return self._cursor().execute(sql, params or [])

    def cursor(self):
        """A new cursor of its own (for a query another thread may interrupt)."""
        return self._shared._store.connection.cursor()

    def counts(self) -> dict[str, int]:
        from .schema import TABLES

        return {t: self.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


class SharedStore:
    """A store file opened read-only for many reading threads, reopened read-write only for
    the moment of a write (see the module docstring)."""

    def __init__(self, path: str | Path, *, memory_limit: str | None = None, threads: int | None = None):
        self.path = str(path)
        self._limits = {k: v for k, v in (("memory_limit", memory_limit), ("threads", threads)) if v}
        self._lock = _ReadersWriterLock()
        self._generation = 0
        self._store = self._open_read_only()
        self.reader = StoreReader(self)

    def _open_read_only(self) -> Store:
        store = Store(self.path, read_only=True, config=self._limits)
        # nothing a query says can loosen these (SET memory_limit, SET enable_external_access)
        store.execute("SET lock_configuration = true")
        return store

    @contextmanager
    def reading(self) -> Iterator[StoreReader]:
        """Read access (shared with other readers; waits while a write is being made)."""
        with self._lock.shared():
            yield self.reader

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """A read-write store for one write; no reader runs until it is closed again."""
        with self._lock.exclusive():
            self._store.close()
            self._generation += 1
            try:
                with Store(self.path) as store:
                    yield store
            finally:
                self._store = self._open_read_only()

    def close(self) -> None:
        with self._lock.exclusive():
            self._store.close()
