"""Ingest on a Dask cluster: extraction as a Dask bag of article partitions, records as
Parquet partitions, then loaded into the store through its one write path.

    summary = ingest(["news.jsonl"], store)                          # a LocalCluster here
    summary = ingest(["news.jsonl"], store, scheduler="tcp://head:8786", output="/shared/run")

How a run goes:

1. The client (this process) reads the articles (``iter_articles``), records unreadable
   ones as failures and skips those already stored unchanged, as the local engine does.
2. The rest are cut into partitions of ``partition_size`` articles and sent, a wave of
   partitions at a time, as a Dask bag whose elements are partitions. Each worker loads the
   spaCy pipeline once (:class:`LoadPipeline`, a ``WorkerPlugin``; the pipeline is also
   cached per process), extracts its partition with the local engine's ``extract_chunk``
   (so one bad article costs nothing else) and writes three Parquet files, one row per
   record, per event and per entity::

       OUTPUT/records/part-00000.parquet    id, checksum, source, line, error, record (JSON), ...
       OUTPUT/events/part-00000.parquet     article, event, actors, recipients, date, place, ...
       OUTPUT/entities/part-00000.parquet   article, entity, kind, name, code, office, ...

3. The client reads each finished partition back and writes its records, in input order,
   with ``Store.write_articles`` (a partition per transaction): the path the local engine
   takes, so the store ends the same. The Parquet folder stays, to be queried where it lies::

       duckdb -c "SELECT type, actors, recipients, date FROM 'entente.parquet/events/*.parquet'"

Without a ``scheduler`` a ``LocalCluster`` is started with one single-threaded worker process
per core (or ``workers``). On a real cluster ``output`` must be a folder every worker and the
client can reach: a shared file system, or a URL fsspec can open (``s3://bucket/run``).
Each run replaces the Parquet files of the previous run in ``output``.
"""
from __future__ import annotations

import json
import logging
import os
import posixpath
import tempfile
from collections import deque
from pathlib import Path
from typing import Any, Iterable, Iterator

from .. import settings
from ..errors import EntenteError
from ..read.sources import Article
from ..store.store import Store
from . import local
from .local import Extracted, IngestSummary, Progress, _chunks, extract_chunk, resolve_workers

try:
    from distributed import WorkerPlugin
except ImportError:  # dask is optional (pip install 'entente[dask]'); _connect says so
    WorkerPlugin = object

#: Articles per partition (one Dask task, one Parquet file per dataset). A partition of 50
#: takes a few seconds on one core: long enough to dwarf Dask's per-task cost, short
#: enough that the last wave leaves no worker idle for long.
PARTITION_SIZE = 50
#: Partitions submitted at a time per worker; two waves are kept in flight, so workers never
#: wait for the client while the client holds only a few waves of articles in memory.
WAVE_PER_WORKER = 4
#: Settings the workers must share with the client for their records to be the same.
SHARED_SETTINGS = ("model", "data_dir", "batch_size", "max_article_bytes")
DATASETS = ("records", "events", "entities")


def ingest(paths: Iterable[str | os.PathLike], store: Store, *, scheduler: Any = None,
           workers: int | None = None, partition_size: int = PARTITION_SIZE,
           output: str | os.PathLike | None = None, on_progress: Progress | None = None,
           load_memberships: bool = True, reextract: bool = False) -> IngestSummary:
    """Read, extract (on Dask) and store every article under ``paths``; see the module doc.

    ``scheduler`` is a scheduler address (``tcp://host:8786``), a ``distributed.Client``
    to use as it is, or None for a LocalCluster of ``workers`` processes (default: the
    ``workers`` setting; 0: one per core). ``output`` is the Parquet folder (default: the
    store's file name with ``.parquet``, or a temporary folder for an in-memory store).
    ``reextract``: extract stored texts again too (see ``local.ingest``).
    """
    if partition_size < 1:
        raise EntenteError(f"partition_size is {partition_size}; give at least 1 article per partition")
    with _connect(scheduler, workers) as client:
        n_workers = len(client.scheduler_info(n_workers=-1)["workers"]) or resolve_workers(workers)
        _register_pipeline(client)
        root = _prepare_output(output, store)

        def on_dask(articles: Iterator[Article], _workers: int) -> Iterator[list[Extracted]]:
            return extract_on_dask(articles, client, root, partition_size=partition_size,
                                   wave=max(1, n_workers) * WAVE_PER_WORKER)

        # reading, skipping, failures and the one write path are the local engine's own
        return local.ingest(paths, store, workers=n_workers, on_progress=on_progress,
                            load_memberships=load_memberships, extract=on_dask, reextract=reextract)


# -- the client side ---------------------------------------------------------------------------

def extract_on_dask(articles: Iterable[Article], client, output: str, *, partition_size: int = PARTITION_SIZE,
                    wave: int = 8) -> Iterator[list[Extracted]]:
    """(article, record or None, error or None) for every article, in input order and a list
    per partition, extracted by the cluster of ``client`` as bags of ``wave`` partitions, each
    written to ``output``."""
    import dask.bag as db
    from distributed import KilledWorker

    pending: deque[tuple[int, list[Article], Any]] = deque()

    def submit(partitions: list[tuple[int, list[Article]]]) -> None:
        bag = db.from_sequence(partitions, npartitions=len(partitions)).map(extract_partition, output=output)
        # One computation per partition, earlier ones first: the client writes in input order,
        # and Dask's own order of a bag's partitions is not theirs (it may run the first last).
        for (index, chunk), part in zip(partitions, bag.to_delayed(optimize_graph=False)):
            pending.append((index, chunk, client.compute(part, priority=-index)))

    try:
        for partitions in _chunks(enumerate(_chunks(articles, partition_size)), wave):
            submit(partitions)
            while len(pending) >= 2 * wave or (pending and pending[0][2].done()):
                yield _collect(*pending.popleft(), output)
        while pending:
            yield _collect(*pending.popleft(), output)
    except KilledWorker as err:
        raise EntenteError(f"Dask workers died running a partition ({err}); out of memory? Give each worker "
                           "at least 2 GB, or give a smaller partition_size; what was written is whole: "
                           "re-run the same ingest to finish") from None
    finally:
        for _, _, future in pending:
            future.cancel()


def _collect(index: int, chunk: list[Article], future, output: str) -> list[Extracted]:
    """The records of one finished partition, read back from its Parquet file."""
    [written] = future.result()  # a bag partition holds one element: the partition's summary
    rows = read_records(output, index)
    if [r["id"] for r in rows] != [a.id for a in chunk]:
        raise EntenteError(f"{partition_path(output, 'records', index)} does not hold the partition's "
                           f"{len(chunk)} articles in order (it holds {written['records']}); is another run "
                           "writing to the same Parquet folder?")
    return [(article, json.loads(row["record"]) if row["record"] is not None else None, row["error"])
            for article, row in zip(chunk, rows)]


def _connect(scheduler: Any, workers: int | None):
    """A context manager giving a Client: the one passed, one to ``scheduler``, or one to a
    new LocalCluster (closed again at the end)."""
    from contextlib import contextmanager

    try:
        from distributed import Client, LocalCluster
    except ImportError as err:
        raise EntenteError(f"the Dask engine needs dask and distributed ({err}); "
                           "install them with: pip install 'entente[dask]'") from None

    @contextmanager
    def connected():
        if isinstance(scheduler, Client):
            yield scheduler
            return
        if scheduler:
            try:
                client = Client(scheduler, timeout="30s")
            except (OSError, TimeoutError) as err:
                raise EntenteError(f"cannot reach the Dask scheduler at {scheduler} ({err}); is it running, and "
                                   "is the address as `dask scheduler` printed it (tcp://host:8786)?") from None
            with client:
                yield client
            return
        n = resolve_workers(workers)
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
            yield client

    return connected()


class LoadPipeline(WorkerPlugin):
    """A Dask ``WorkerPlugin`` that gives every worker (also those that join later) the
    client's settings and loads the spaCy pipeline and data files once, when it starts."""

    name = "entente-pipeline"

    def __init__(self, environ: dict[str, str]):
        self.environ = environ

    def setup(self, worker=None) -> None:
        os.environ.update(self.environ)
        settings._config_file.cache_clear()
        from ..resources import default_resources

        default_resources().load()


def _register_pipeline(client) -> None:
    environ = {f"ENTENTE_{name.upper()}": str(settings.get(name)) for name in SHARED_SETTINGS}
    try:
        client.register_plugin(LoadPipeline(environ), name=LoadPipeline.name)
    except Exception as err:
        raise EntenteError(f"the Dask workers cannot load Entente's pipeline ({type(err).__name__}: {err}); "
                           "every worker needs the same entente, its spaCy model and data files installed "
                           "(README: Running on a cluster)") from None


def _prepare_output(output: str | os.PathLike | None, store: Store) -> str:
    """The Parquet folder as a path or URL the workers can use, emptied of an earlier run's
    partitions (only files this engine writes are removed)."""
    if output is None:
        if store.path == ":memory:":
            output = tempfile.mkdtemp(prefix="entente-parquet-")
        else:
            output = Path(store.path).with_suffix(".parquet")
    output = str(output)
    if "://" not in output:
        output = str(Path(output).resolve())
    fs, root = _filesystem(output)
    for dataset in DATASETS:
        folder = posixpath.join(root, dataset)
        fs.makedirs(folder, exist_ok=True)
        for old in fs.glob(posixpath.join(folder, "part-*.parquet")):
            fs.rm(old)
    return output


# -- the worker side ---------------------------------------------------------------------------


def extract_partition(partition: tuple[int, list[Article]], output: str) -> dict:
    """Extract one partition on a worker and write its three Parquet files; returns counts."""
    index, articles = partition
    results = extract_chunk(articles)  # the pipeline is loaded once per process and cached
    records = [record for record, _ in results if record is not None]
    written = {"records": len(results)}
    written["events"] = _write(output, "events", index, event_rows(records), EVENT_COLUMNS)
    written["entities"] = _write(output, "entities", index, entity_rows(records), ENTITY_COLUMNS)
    # records last: a partition whose records file exists is complete
    _write(output, "records", index, record_rows(articles, results), RECORD_COLUMNS)
    return written


def record_rows(articles: list[Article], results: list[tuple[dict | None, str | None]]) -> list[dict]:
    """One row per article: the record as JSON, or the error, and columns to filter on."""
    rows = []
    for article, (record, error) in zip(articles, results):
        record = record or {}
        dateline = record.get("dateline") or {}
        rows.append({
            "id": article.id, "checksum": article.checksum, "source": article.source, "line": article.line,
            "error": error, "published": dateline.get("date"), "place": dateline.get("place"),
            "publisher": dateline.get("publisher"), "title": record.get("title", article.title),
            "url": record.get("url", article.url),
            "n_entities": len(record.get("entities") or []) if record else None,
            "n_events": len(record.get("events") or []) if record else None,
            "record": json.dumps(record, ensure_ascii=False) if error is None else None,
        })
    return rows


def event_rows(records: list[dict]) -> list[dict]:
    """One row per event of the records (the event reports, before the store merges them)."""
    rows = []
    for record in records:
        for ev in record.get("events") or []:
            loc = ev.get("event_loc") or {}
            info = ev.get("text_info") or {}
            rows.append({
                "article": record["id"], "event": ev.get("id"), "type": ev.get("event"),
                "actors": [p.get("code") for p in ev.get("actor") or []],
                "recipients": [p.get("code") for p in ev.get("recipient") or []],
                "date": ev.get("date"), "enddate": ev.get("enddate"), "aux": ev.get("aux"),
                "mode": _strings(ev.get("mode")), "context": _strings(ev.get("context")),
                "place_name": loc.get("name"), "place_country": loc.get("country"),
                "lat": loc.get("lat"), "lon": loc.get("lon"), "event_text": ev.get("event_text"),
                "sentence": info.get("sequence"), "start": info.get("start"), "end": info.get("end"),
                "confidence": ev.get("confidence"),
            })
    return rows


def entity_rows(records: list[dict]) -> list[dict]:
    """One row per entity of the records (people with office and affiliation, named events...)."""
    rows = []
    for record in records:
        for e in record.get("entities") or []:
            place = e.get("place") or {}
            rows.append({
                "article": record["id"], "entity": e.get("id"), "kind": e.get("kind"), "name": e.get("name"),
                "code": e.get("code"), "office": e.get("office"), "affiliation": e.get("affiliation"),
                "sector": e.get("sector"), "type": e.get("type"), "organizer": e.get("organizer"),
                "place_name": place.get("name"), "place_country": place.get("country"), "date": e.get("date"),
                "country": e.get("country"), "mentions": len(e.get("mentions") or []),
            })
    return rows


def _strings(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _columns(*spec: str) -> list[tuple[str, str]]:
    return [tuple(s.split(":")) for s in spec]


RECORD_COLUMNS = _columns("id:string", "checksum:string", "source:string", "line:int32", "error:string",
                          "published:string", "place:string", "publisher:string", "title:string", "url:string",
                          "n_entities:int32", "n_events:int32", "record:string")
EVENT_COLUMNS = _columns("article:string", "event:string", "type:string", "actors:list", "recipients:list",
                         "date:string", "enddate:string", "aux:string", "mode:list", "context:list",
                         "place_name:string", "place_country:string", "lat:float64", "lon:float64",
                         "event_text:string", "sentence:int32", "start:int32", "end:int32", "confidence:float64")
ENTITY_COLUMNS = _columns("article:string", "entity:string", "kind:string", "name:string", "code:string",
                          "office:string", "affiliation:string", "sector:string", "type:string",
                          "organizer:string", "place_name:string", "place_country:string", "date:string",
                          "country:string", "mentions:int32")


def _schema(columns: list[tuple[str, str]]):
    import pyarrow as pa

    types = {"string": pa.string(), "int32": pa.int32(), "float64": pa.float64(), "list": pa.list_(pa.string())}
    return pa.schema([(name, types[kind]) for name, kind in columns])


def partition_path(output: str, dataset: str, index: int) -> str:
    """Where partition ``index`` of ``dataset`` (records, events, entities) is written."""
    return posixpath.join(_filesystem(output)[1], dataset, f"part-{index:05d}.parquet")


def _write(output: str, dataset: str, index: int, rows: list[dict], columns) -> int:
    """Write rows as one Parquet file, atomically (a temporary name, then a rename)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _schema(columns)
    table = pa.Table.from_pylist(rows, schema=schema) if rows else schema.empty_table()
    fs, _ = _filesystem(output)
    final = partition_path(output, dataset, index)
    partial = final + ".partial"
    with fs.open(partial, "wb") as fh:
        pq.write_table(table, fh, compression="zstd")
    fs.mv(partial, final)
    return len(rows)


def read_records(output: str, index: int) -> list[dict]:
    """The rows of records partition ``index`` (id, record JSON, error ...), in article order."""
    import pyarrow.parquet as pq

    fs, _ = _filesystem(output)
    path = partition_path(output, "records", index)
    try:
        with fs.open(path, "rb") as fh:
            table = pq.read_table(fh, columns=["id", "error", "record"])
    except FileNotFoundError:
        raise EntenteError(f"{path}: a worker wrote this partition but the client cannot read it; on a "
                           "cluster, give an output folder both can reach (a shared file system or s3://...)") from None
    return table.to_pylist()


def _filesystem(output: str):
    from fsspec.core import url_to_fs

    return url_to_fs(output)
