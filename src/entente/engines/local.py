"""Ingest on one machine: extraction in worker processes, one writer (this process).

    summary = ingest(["news.jsonl", "folder/"], store, workers=2)
    summary = ingest_articles([article, ...], store)     # articles already read (POST /api/articles)

Articles are read lazily and those already stored unchanged are skipped before any
extraction (unless ``reextract``: new patterns or data, the same texts extracted again; the
store replaces a record that differs and re-applies its reviews). The rest go, in chunks, to
a pool of worker processes (forked; each loads spaCy once) that return records; the parent
writes them in input order, the records that have arrived together in one transaction
(``Store.write_articles``: a few milliseconds for a batch rather than for each article), so a
run killed at any moment leaves whole articles and a re-run finishes the rest. With ``workers=1`` extraction runs in-process.

Unreadable articles (``ArticleError`` from the readers) and articles whose extraction
raises are written to the ``failures`` table and listed in the summary; the run goes on.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import time
import traceback
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from .. import settings
from ..errors import ArticleError, DictionaryError, EntenteError, SettingError, safe_text
from ..read.sources import Article, iter_articles
from ..store.store import DUPLICATE, FAILED, NEW, REPLACED, UNCHANGED, Store, WriteResult

#: Errors that stop the run (a missing model, a bad data file) rather than fail one article.
FATAL = (SettingError, DictionaryError)
#: Articles sent to a worker at a time, and chunks in flight per worker.
CHUNK_SIZE = 8
IN_FLIGHT_PER_WORKER = 4


@dataclass
class Failure:
    source: str
    line: int | None
    reason: str
    article: str | None = None

    def __str__(self) -> str:
        where = f"{self.source} line {self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"


@dataclass
class IngestSummary:
    """What one ingest run did."""

    read: int = 0            # articles read (good ones)
    new: int = 0
    replaced: int = 0
    unchanged: int = 0
    duplicates: int = 0
    events: int = 0          # event reports written by this run
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 1

    @property
    def written(self) -> int:
        return self.new + self.replaced

    @property
    def rate(self) -> float:
        """Articles read per second over the whole run."""
        return self.read / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {"read": self.read, "new": self.new, "replaced": self.replaced, "unchanged": self.unchanged,
                "duplicates": self.duplicates, "events": self.events, "failures": len(self.failures),
                "seconds": round(self.seconds, 3), "articles_per_second": round(self.rate, 2),
                "workers": self.workers}


Progress = Callable[[IngestSummary], None]


def resolve_workers(workers: int | None) -> int:
    """The number of worker processes: ``workers``, or the setting; 0 means one per core."""
    workers = settings.get("workers") if workers is None else workers
    return workers if workers and workers > 0 else (os.cpu_count() or 1)


def ingest(paths: Iterable[str | os.PathLike], store: Store, *, workers: int | None = None,
           on_progress: Progress | None = None, load_memberships: bool = True,
           extract: "Extractor | None" = None, reextract: bool = False) -> IngestSummary:
    """Read, extract and store every article under ``paths``; see the module doc and
    :func:`ingest_articles`, which this calls with the articles read from ``paths``."""
    return ingest_articles(iter_articles(paths), store, workers=workers, on_progress=on_progress,
                           load_memberships=load_memberships, extract=extract, reextract=reextract)


def ingest_articles(items: Iterable["Article | ArticleError"], store: Store, *, workers: int | None = None,
                    on_progress: Progress | None = None, load_memberships: bool = True,
                    extract: "Extractor | None" = None, on_written: "Written | None" = None,
                    reextract: bool = False) -> IngestSummary:
    """Extract and store articles (an :class:`ArticleError` among them is a failure); the one
    ingest path of the engines and of ``POST /api/articles``.

    ``load_memberships`` first writes the reference tables of the data files to the store
    (organisations' members, countries with their capitals' points, the actors' names and
    aliases for lookup by name).
    ``reextract``: extract stored texts again too (after a change of patterns or data files);
    a record that comes out different replaces the stored one, the article's reviews re-applied.
    ``extract`` replaces the extraction step (worker processes here): it takes the articles to
    extract and the number of workers and yields batches (lists) of (article, record, error)
    in input order; each batch is written in one transaction. The Dask engine passes its own;
    reading, skipping, failures and the one write path stay here. ``on_written(article,
    record, result)`` is told what became of each article stored or skipped as unchanged
    (``record`` is None for one skipped before extraction).
    """
    workers = resolve_workers(workers)
    summary = IngestSummary(workers=workers)
    started = time.perf_counter()
    if load_memberships:
        from ..resources import default_resources
        dictionaries = default_resources().dictionaries
        store.load_memberships(dictionaries.organizations)
        store.load_countries(dictionaries.countries)
        store.load_actor_names(dictionaries.countries, dictionaries.organizations, dictionaries.groups)
    _extractor()  # fail early, and let forked workers inherit the imported modules
    known = store.known_articles()
    progress = on_progress or (lambda s: None)

    def report(summary: IngestSummary) -> None:
        summary.seconds = time.perf_counter() - started
        progress(summary)

    def fail(source: str, line: int | None, reason: str, article: str | None = None) -> None:
        store.record_failure(source, line, reason, article)
        summary.failures.append(Failure(source, line, reason, article))
        report(summary)

    written = on_written or (lambda article, record, result: None)

    def to_extract() -> Iterator[Article]:
        for item in items:
            if isinstance(item, ArticleError):
                fail(item.source, item.line, item.problem, item.article)
                continue
            summary.read += 1
            if not reextract and known.get(item.id) == item.checksum:
                summary.unchanged += 1
                written(item, None, WriteResult(item.id, UNCHANGED))
                report(summary)
                continue
            yield item

    if extract is not None:
        extracted = extract(to_extract(), workers)
    elif workers == 1:
        extracted = _extract_in_process(to_extract())
    else:
        extracted = _extract_in_pool(to_extract(), workers)
    for batch in extracted:
        good = []
        for article, record, error in batch:
            if error is not None:
                fail(article.source or article.id, article.line, error, article.id)
            else:
                good.append((article, record))
        # one transaction per batch: whole articles only, and far fewer statements than one each
        for (article, record), result in zip(good, store.write_articles(good, reextract=reextract)):
            if result.status == FAILED:
                fail(article.source or article.id, article.line, f"not stored: {result.error}", article.id)
                continue
            written(article, record, result)
            known[article.id] = article.checksum
            if result.status == NEW:
                summary.new += 1
            elif result.status == REPLACED:
                summary.replaced += 1
            elif result.status == UNCHANGED:
                summary.unchanged += 1
            elif result.status == DUPLICATE:
                summary.duplicates += 1
            summary.events += result.events
        report(summary)
    summary.seconds = time.perf_counter() - started
    return summary


# -- extraction: each yields (article, record or None, error message or None), in order ----

Extracted = tuple[Article, "dict | None", "str | None"]
#: The ``extract`` step of :func:`ingest_articles`: (articles, workers) -> batches of Extracted.
Extractor = Callable[[Iterator[Article], int], Iterable[list[Extracted]]]
#: ``on_written(article, record or None, WriteResult)``.
Written = Callable[[Article, "dict | None", WriteResult], None]


def extracted_beforehand(results: dict[str, tuple["dict | None", "str | None"]]) -> Extractor:
    """An ``extract`` step for :func:`ingest_articles` whose (record, error) of each article id
    were made beforehand (the web server extracts a posted article before it takes the store
    for writing, so that reads go on meanwhile)."""
    def extract(articles: Iterator[Article], workers: int) -> Iterator[list[Extracted]]:
        yield [(article, *results[article.id]) for article in articles]
    return extract


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def extract_chunk(chunk: list[Article], *, explain: bool = False) -> list[tuple[dict | None, str | None]]:
    """(record, None) or (None, error) for each article of a chunk, in order. One bad
    article does not cost the others: on an error the chunk is redone one by one, and an
    article whose extraction raises, whatever it raises, is that article's failure."""
    extract_articles = _extractor()
    try:
        records = list(extract_articles(chunk, explain=explain))
        if len(records) == len(chunk):
            return [(r, None) for r in records]
    except FATAL as err:
        raise EntenteError(str(err)) from None  # plain, so it pickles back from a worker
    except Exception:
        pass
    out: list[tuple[dict | None, str | None]] = []
    for article in chunk:
        try:
            out.append((next(extract_articles([article], explain=explain)), None))
        except FATAL as err:
            raise EntenteError(str(err)) from None
        except Exception as err:
            out.append((None, extraction_problem(err)))
    return out


def extraction_problem(err: BaseException) -> str:
    """What a user reads when the extraction of one article raised ``err``."""
    if isinstance(err, MemoryError):
        return "extraction ran out of memory on this article; split it, or lower max_article_bytes"
    if isinstance(err, RecursionError):
        return ("extraction failed: the article's structure is nested too deeply to follow (RecursionError); "
                "split it into shorter sentences")
    frames = traceback.extract_tb(err.__traceback__)
    where = f" ({os.path.basename(frames[-1].filename)}:{frames[-1].lineno})" if frames else ""
    message = safe_text(str(err), 300)
    return (f"extraction failed: {type(err).__name__}: {message}{where}; this is a bug in Entente "
            "that this article brings out, not a fault of the article: the rest of the batch went on; "
            "please report it with the article")


def extract_each(articles: Iterable[Article], *, chunk_size: int = CHUNK_SIZE * 4,
                 explain: bool = False) -> Iterator[Extracted]:
    """(article, record, None) or (article, None, error) for every article, in order, in
    this process: :func:`extract_chunk` over chunks of ``chunk_size`` (``entente extract``)."""
    for chunk in _chunks(articles, chunk_size):
        for article, (record, error) in zip(chunk, extract_chunk(chunk, explain=explain)):
            yield article, record, error


def _extract_in_process(articles: Iterable[Article]) -> Iterator[list[Extracted]]:
    for chunk in _chunks(articles, CHUNK_SIZE * 4):
        yield [(article, record, error) for article, (record, error) in zip(chunk, extract_chunk(chunk))]


def _extractor():
    """``extract_articles``, or an error saying the extractor itself cannot be loaded."""
    try:
        from ..extract import extract_articles
    except Exception as err:
        raise EntenteError(f"the extractor cannot be loaded ({type(err).__name__}: {err}); "
                           "nothing was extracted") from None
    return extract_articles


def _die_with_parent(parent_pid: int) -> None:
    """Make this worker exit when the ingest that started it dies, even by SIGKILL: the
    pool's queues never report a dead parent to workers, which hold the pipe's other end."""
    try:  # Linux: the kernel sends SIGKILL when the parent goes
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass

    def watch() -> None:  # elsewhere (and as a back-up): notice being re-parented
        while True:
            if os.getppid() != parent_pid:
                os._exit(1)
            time.sleep(0.5)

    if os.getppid() != parent_pid:
        os._exit(1)
    threading.Thread(target=watch, daemon=True, name="entente-parent-watch").start()


def _start_worker(parent_pid: int) -> None:
    """Tie the worker to its parent, then load the pipeline and data files once (best
    effort: a failure here shows up, with its message, on the first chunk)."""
    _die_with_parent(parent_pid)
    try:
        from ..resources import default_resources

        default_resources().load()
    except Exception:
        pass


def _extract_in_pool(articles: Iterable[Article], workers: int) -> Iterator[list[Extracted]]:
    context = multiprocessing.get_context("fork")
    pending: deque[tuple[list[Article], Future]] = deque()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                             initargs=(os.getpid(),)) as pool:
        chunks = _chunks(articles, CHUNK_SIZE)
        try:
            for chunk in chunks:
                pending.append((chunk, pool.submit(extract_chunk, chunk)))
                # Results are taken in input order (writes are deterministic); keep the pool fed.
                while len(pending) >= workers * IN_FLIGHT_PER_WORKER or (pending and pending[0][1].done()):
                    yield _collect(pending)
            while pending:
                yield _collect(pending)
        except BrokenProcessPool:
            raise EntenteError("a worker process died (out of memory?); what was written is whole: "
                               "re-run the same ingest to finish, perhaps with fewer --workers") from None
        finally:
            for _, future in pending:
                future.cancel()


def _collect(pending: deque[tuple[list[Article], Future]]) -> list[Extracted]:
    """The first chunk's results (waiting for them), and those of the chunks after it that are
    done already: one batch to write."""
    batch: list[Extracted] = []
    while pending and (not batch or pending[0][1].done()):
        chunk, future = pending.popleft()
        batch += [(article, record, error) for article, (record, error) in zip(chunk, future.result())]
    return batch
