"""The Dask engine: records as Parquet partitions, and the same store as the local engine.

The slow test runs both engines over a corpus of 80 articles (the gold dev articles and the
re3d documents of ../shared, some twice under changed ids, plus exact copies and a bad line)
in four partitions on a LocalCluster of two worker processes, and compares them."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from entente.engines import dask as dask_engine
from entente.engines import local as local_engine
from entente.store import Store

from conftest import make_entity, make_event, make_record

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD_ARTICLES = SHARED / "gold" / "dev" / "articles.jsonl"
RE3D = SHARED / "corpora" / "re3d"


def base_articles() -> list[dict]:
    """The gold dev articles and the re3d documents (mongoexport JSON Lines) as JSONL articles."""
    articles = [json.loads(line) for line in GOLD_ARTICLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    for path in sorted(RE3D.glob("*/documents.json")):
        for line in path.read_text(encoding="utf-8-sig").splitlines():
            if line.strip():
                doc = json.loads(line)
                articles.append({"id": f"re3d-{doc['_id']}", "text": doc["text"], "title": doc.get("title")})
    return articles


def write_corpus(path: Path, size: int = 80) -> int:
    """``size`` articles: base articles, the first of them again under new ids with one added
    line (a new text), and at the end three exact copies under new ids (stored as
    duplicates); then a line that is not JSON. Returns the number of good articles."""
    base = base_articles()[:size // 2 + size // 4]
    copies = [dict(a, id=f"{a['id']}-copy", text=a["text"] + "\n\nReference copy.") for a in base]
    articles = (base + copies)[:size - 3] + [dict(a, id=f"{a['id']}-same") for a in base[:3]]
    lines = [json.dumps(a) for a in articles] + ["{not json"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(articles)


def sorted_records(rows) -> list[str]:
    """Records as JSON with sorted keys, sorted: the form in which the engines must agree."""
    return sorted(json.dumps(r if isinstance(r, dict) else json.loads(r), sort_keys=True, ensure_ascii=False)
                  for r in rows)


@pytest.mark.slow
def test_engine_dask_same_store_as_local(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    good = write_corpus(corpus)
    assert good == 80
    output = tmp_path / "parquet"
    # The LocalCluster that ``ingest(..., scheduler=None)`` starts, started first, so that its
    # workers and the local engine's load the extractor at the same moment (and agree even
    # while someone edits the data files).
    with Store(tmp_path / "local.duckdb") as local_store, Store(tmp_path / "dask.duckdb") as dask_store, \
            dask_engine._connect(None, workers=2) as client:
        dask_engine._register_pipeline(client)
        local = local_engine.ingest([corpus], local_store, workers=2)
        on_dask = dask_engine.ingest([corpus], dask_store, scheduler=client, output=output, partition_size=20)
        print(f"local engine {local.seconds:.1f} s, Dask engine {on_dask.seconds:.1f} s")

        assert on_dask.workers == 2
        assert on_dask.as_dict() | {"seconds": 0, "articles_per_second": 0} == \
            local.as_dict() | {"seconds": 0, "articles_per_second": 0}
        assert on_dask.read == good and on_dask.duplicates >= 3
        assert any(f.line == good + 1 and f.reason.startswith("not JSON") for f in on_dask.failures)
        assert dask_store.counts() == local_store.counts()
        query = "SELECT record FROM articles"
        assert sorted_records(r for (r,) in dask_store.execute(query).fetchall()) == \
            sorted_records(r for (r,) in local_store.execute(query).fetchall())
        merged = "SELECT * EXCLUDE (first_seen) FROM events ORDER BY id"
        assert dask_store.execute(merged).fetchall() == local_store.execute(merged).fetchall()

        # The Parquet records are the extractor's records (with their text), every article's.
        parquet = duckdb.connect()
        rows = parquet.execute(f"SELECT id, record FROM '{output}/records/*.parquet'").fetchall()
        assert len(rows) == good
        stored = {i: r for i, r in local_store.execute("SELECT id, record FROM articles").fetchall()}
        from_parquet = {i: json.loads(r) for i, r in rows}
        assert sorted_records({k: v for k, v in from_parquet[i].items() if k != "text"} for i in stored) == \
            sorted_records(stored.values())

        # ... queryable where they lie: the flat events are the records' events.
        n_events = parquet.execute(f"SELECT count(*) FROM '{output}/events/*.parquet'").fetchone()[0]
        assert n_events == sum(len(r["events"]) for r in from_parquet.values())
        reports = dask_store.execute(
            f"SELECT count(*) FROM '{output}/events/*.parquet' WHERE article IN (SELECT id FROM articles)").fetchone()[0]
        assert reports == local_store.counts()["event_sources"]


@pytest.mark.parametrize("event, row", [
    (make_event("CONSULT", ["SRB"], ["CSTO"], date="2017-09-25", place=("Moscow", "RUS"), mode=["visit"]),
     {"type": "CONSULT", "actors": ["SRB"], "recipients": ["CSTO"], "date": "2017-09-25", "mode": ["visit"],
      "place_name": "Moscow", "place_country": "RUS", "sentence": 1}),
    (make_event("ASSAULT", [], ["SYR", "IRQ"], aux="historical"),
     {"type": "ASSAULT", "actors": [], "recipients": ["SYR", "IRQ"], "date": None, "aux": "historical",
      "place_name": None}),
])
def test_engine_dask_event_rows(event, row):
    [flat] = dask_engine.event_rows([make_record("a1", [event])])
    assert flat["article"] == "a1" and flat["event"] == "ev1"
    assert {k: flat[k] for k in row} == row


def test_engine_dask_parquet_partition_roundtrip(tmp_path):
    from entente.read.sources import Article

    person = make_entity("e1", "person", "Aleksandar Vulin", office="Defense Minister", affiliation="SRB")
    record = make_record("a1", [make_event("CONSULT", ["SRB"], ["CSTO"])], [person])
    articles = [Article(id="a1", text=record["text"]), Article(id="a2", text="Unreadable.", line=2)]
    results = [(record, None), (None, "extraction failed: ValueError: bad")]
    out = str(tmp_path)
    for dataset in dask_engine.DATASETS:
        (tmp_path / dataset).mkdir()
    dask_engine._write(out, "records", 7, dask_engine.record_rows(articles, results), dask_engine.RECORD_COLUMNS)
    dask_engine._write(out, "entities", 7, dask_engine.entity_rows([record]), dask_engine.ENTITY_COLUMNS)
    dask_engine._write(out, "events", 7, [], dask_engine.EVENT_COLUMNS)  # an empty partition keeps its schema

    rows = dask_engine.read_records(out, 7)
    assert [(r["id"], r["error"]) for r in rows] == [("a1", None), ("a2", "extraction failed: ValueError: bad")]
    assert json.loads(rows[0]["record"]) == record and rows[1]["record"] is None
    people = duckdb.sql(f"SELECT name, office, affiliation FROM '{out}/entities/*.parquet' WHERE kind = 'person'")
    assert people.fetchall() == [("Aleksandar Vulin", "Defense Minister", "SRB")]
    assert duckdb.sql(f"SELECT count(*) FROM '{out}/events/*.parquet'").fetchall() == [(0,)]


def test_engine_dask_output_keeps_other_files(tmp_path):
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "part-00003.parquet").write_bytes(b"old run")
    (tmp_path / "records" / "notes.txt").write_text("mine")
    with Store(":memory:") as store:
        root = dask_engine._prepare_output(tmp_path, store)
    assert root == str(tmp_path.resolve())
    assert sorted(p.name for p in (tmp_path / "records").iterdir()) == ["notes.txt"]
    assert all((tmp_path / d).is_dir() for d in dask_engine.DATASETS)
