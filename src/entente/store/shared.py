"""The store as a server shares it between request threads: a read-only snapshot, so that
``entente ingest`` can write the store while ``entente serve`` shows it.

DuckDB lets a process hold a file read-only (other readers may join) or read-write (no other
process may hold it at all). A server that kept the store open, even read-only, would lock
every ingest out for as long as it runs; one that opened a connection per request would
pay about 50 ms a request and still collide with an ingest mid-way. So the server reads a
**snapshot**, a copy of the store file in a folder of its own:

- the copy is taken under a shared lock on the store file (the lock DuckDB's own readers
  take), so no writer is mid-write while it is made; the lock is held only for the copy;
- every request reads the snapshot through one **read-only** connection (per-thread cursors,
  file access off, memory capped, configuration locked), under a shared lock;
- a watcher thread looks at the store file every ``refresh_seconds``; when it has changed
  and no writer holds it (an ingest has finished), a new snapshot is taken and swapped in
  between requests (the swap waits for the requests in flight and closes the old one);
- a write (``POST /api/articles``) opens the store itself read-write for the moment of its
  write (:class:`StoreBusy` while an ingest holds it), closes it, and takes a new snapshot
  before it answers, so the next read sees the article. No read ever runs on the store
  file, let alone on a read-write connection.

While an ingest runs, the server shows the store as it was when the ingest began; the
articles it added appear within ``refresh_seconds`` of its end.

    shared = SharedStore("entente.duckdb", memory_limit="512MB")
    with shared.reading() as reader:        # many threads at once
        reader.execute("SELECT count(*) FROM events").fetchone()
    with shared.writing() as store:          # one at a time; the store file, read-write
        store.write_article(article, record)
"""
from __future__ import annotations

import errno
import fcntl
import logging
import os
import shutil
import tempfile
import threading
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import StoreError
from .store import Store

log = logging.getLogger(__name__)
#: Prefix of the folders snapshots are kept in (one per server process, under the temp folder).
SNAPSHOT_PREFIX = "entente-serve-"


class StoreBusy(StoreError):
    """The store file is held by a writer (an ``entente ingest``) right now: try again later."""


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
    current snapshot's read-only connection. It has the methods :mod:`entente.store.queries`
    uses (``execute``, ``cursor``) and ``counts``."""

    def __init__(self, shared: "SharedStore"):
        self._shared = shared
        self._local = threading.local()

    def _cursor(self):
        generation = self._shared._generation
        if getattr(self._local, "generation", None) != generation:
            self._local.cursor = self._shared._new_cursor(track=True)
            self._local.generation = generation
        return self._local.cursor

    def execute(self, sql: str, params: list | None = None):
        return self._cursor().execute(sql, params or [])

    def cursor(self):
        """A new cursor of its own (for a query another thread may interrupt); the caller
        closes it, within its ``reading()`` block."""
        return self._shared._new_cursor(track=False)

    def counts(self) -> dict[str, int]:
        from .schema import TABLES

        return {t: self.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def _file_stamp(path: str) -> tuple | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def _copy_file(source_fd: int, target: Path) -> None:
    """The whole file behind ``source_fd`` into ``target`` (the descriptor stays open: closing
    any descriptor of a file drops this process's locks on it)."""
    size = os.fstat(source_fd).st_size
    with open(target, "wb") as out:
        offset = 0
        while offset < size:
            sent = os.sendfile(out.fileno(), source_fd, offset, size - offset)
            if sent == 0:
                break
            offset += sent


def _remove_stale_folders() -> None:
    """Snapshot folders of server processes that are gone (killed before they cleaned up)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{SNAPSHOT_PREFIX}*"):
        try:
            pid = int(folder.name[len(SNAPSHOT_PREFIX):].split("-", 1)[0])
        except ValueError:
            continue
        if pid != os.getpid() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(folder, ignore_errors=True)


class SharedStore:
    """A store file shown to many reading threads through snapshots, written read-write only
    for the moment of a write (see the module docstring)."""

    def __init__(self, path: str | Path, *, memory_limit: str | None = None, threads: int | None = None,
                 refresh_seconds: float = 1.0):
        self.path = str(path)
        if self.path == ":memory:" or not Path(self.path).is_file():
            raise StoreError(f"{self.path}: no such store; create it with `entente ingest ... --db {self.path}`")
        self.refresh_seconds = refresh_seconds
        self._limits = {k: v for k, v in (("memory_limit", memory_limit), ("threads", threads)) if v}
        self._lock = _ReadersWriterLock()     # requests (shared) against a swap (exclusive)
        self._update = threading.Lock()       # one snapshot or write at a time
        self._cursors_lock = threading.Lock()
        self._cursors: list = []
        self._generation = 0
        self._serial = 0
        self._closed = threading.Event()
        _remove_stale_folders()
        self._folder = Path(tempfile.mkdtemp(prefix=f"{SNAPSHOT_PREFIX}{os.getpid()}-"))
        weakref.finalize(self, shutil.rmtree, self._folder, True)  # at exit, if never closed
        self._store: Store | None = None
        self._snapshot: Path | None = None
        self._stamp: tuple | None = None
        self._refused: tuple | None = None    # a stamp whose snapshot could not be opened
        try:
            if not self._refresh(wait=True):
                raise StoreBusy(f"{self.path}: another process is writing the store (an `entente ingest`); "
                                "start the server when it is done")
        except BaseException:
            shutil.rmtree(self._folder, ignore_errors=True)
            raise
        self.reader = StoreReader(self)
        self._watcher = threading.Thread(target=self._watch, name="entente-store-watch", daemon=True)
        self._watcher.start()

    # -- snapshots -------------------------------------------------------------------------

    def _stamp_now(self) -> tuple:
        return _file_stamp(self.path), _file_stamp(self.path + ".wal")

    def _copy(self) -> tuple[Path, tuple] | None:
        """A new snapshot of the store file (and its WAL), copied under a shared lock; None
        while a writer holds the file. (POSIX locks belong to a process: this must never run
        while this process holds the file read-write, which ``_update`` ensures.)"""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError as err:
            raise StoreError(f"{self.path}: cannot open the store ({err.strerror})") from None
        try:
            try:
                fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError as err:
                if err.errno in (errno.EACCES, errno.EAGAIN):
                    return None
                raise
            stamp = self._stamp_now()
            self._serial += 1
            target = self._folder / f"store-{self._serial}.duckdb"
            _copy_file(fd, target)
            wal = self.path + ".wal"
            if os.path.exists(wal):  # left by a writer that was killed: DuckDB replays it
                wal_fd = os.open(wal, os.O_RDONLY)
                try:
                    _copy_file(wal_fd, Path(f"{target}.wal"))
                finally:
                    os.close(wal_fd)
            return target, stamp
        finally:
            os.close(fd)  # drops the shared lock

    def _open(self, snapshot: Path) -> Store:
        store = Store(snapshot, read_only=True, config=self._limits)
        try:
            # nothing a query says can loosen these (SET memory_limit, SET enable_external_access)
            store.execute("SET lock_configuration = true")
        except BaseException:
            store.close()
            raise
        return store

    def _refresh(self, *, wait: bool = False) -> bool:
        """Take a new snapshot if the store file changed since the last one; whether the
        snapshot shown is now current. With ``wait``, try for a few seconds while a writer
        holds the file (only at start)."""
        import time

        deadline = time.monotonic() + (5.0 if wait else 0.0)
        while True:
            stamp = self._stamp_now()
            if stamp == self._stamp:
                return True
            if stamp == self._refused:
                return False
            copied = self._copy()
            if copied is not None:
                break
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)
        target, stamp = copied
        try:
            store = self._open(target)
        except Exception:
            _remove_snapshot(target)
            if self._store is None:
                raise
            self._refused = stamp
            log.exception("%s: a new snapshot could not be opened; showing the previous one", self.path)
            return False
        with self._lock.exclusive():
            old, old_path = self._store, self._snapshot
            self._store, self._snapshot, self._stamp = store, target, stamp
            self._generation += 1
            with self._cursors_lock:
                cursors, self._cursors = self._cursors, []
            for cursor in cursors:
                cursor.close()
            if old is not None:
                old.close()
        if old_path is not None:
            _remove_snapshot(old_path)
        return True

    def refresh(self) -> bool:
        """Take a new snapshot now if the store file has changed (the watcher does this every
        ``refresh_seconds``); whether the snapshot shown is current."""
        with self._update:
            return self._refresh()

    def _watch(self) -> None:
        while not self._closed.wait(self.refresh_seconds):
            try:
                self.refresh()
            except Exception:  # keep watching: the next change may open
                log.exception("%s: refreshing the snapshot failed", self.path)

    def _new_cursor(self, *, track: bool):
        """A cursor of the current snapshot's connection; a thread's own (``track``) is closed
        when the snapshot is swapped (no request runs then)."""
        with self._cursors_lock:
            cursor = self._store.connection.cursor()
            if track:
                self._cursors.append(cursor)
            return cursor

    # -- access ----------------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[StoreReader]:
        """Read access to the current snapshot (shared with other readers; waits while a new
        snapshot is swapped in)."""
        with self._lock.shared():
            yield self.reader

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """The store file, read-write, for one write; then a new snapshot before the block is
        left. Raises :class:`StoreBusy` while another process (an ingest) holds the file."""
        with self._update:
            try:
                store = Store(self.path)
            except StoreError as err:
                raise StoreBusy(f"{self.path}: another process is writing the store (an `entente ingest`), so "
                                f"the article was not stored; post it again when that is done ({err})") from None
            try:
                yield store
            finally:
                store.close()
                self._refresh(wait=True)

    def close(self) -> None:
        """Stop watching, close the snapshot and remove its folder."""
        self._closed.set()
        with self._update, self._lock.exclusive():
            with self._cursors_lock:
                for cursor in self._cursors:
                    cursor.close()
                self._cursors = []
            if self._store is not None:
                self._store.close()
                self._store = None
        shutil.rmtree(self._folder, ignore_errors=True)


def _remove_snapshot(path: Path) -> None:
    for leftover in (path, Path(f"{path}.wal")):
        try:
            leftover.unlink()
        except FileNotFoundError:
            pass
