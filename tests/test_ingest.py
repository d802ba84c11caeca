"""Ingest plumbing with real extraction: idempotency, failures, duplicates, new versions,
worker processes, and surviving SIGKILL. Assertions are about articles, failures and
counts staying equal, never about how many events the extractor finds."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from entente.engines.local import ingest
from entente.store import Store, queries

ROOT = Path(__file__).resolve().parents[1]
GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "dev" / "articles.jsonl"

SHORT = [
    ("talks-1", "Serbian Defence Minister Aleksandar Vulin met CSTO Secretary General Yuri Khachaturov "
                "in Moscow on Monday."),
    ("talks-2", "Russia and China condemned the missile test on Tuesday."),
    ("talks-3", "The United Kingdom welcomed the agreement between Baghdad and Erbil."),
]


def write_jsonl(path: Path, articles) -> Path:
    path.write_text("".join(json.dumps({"id": i, "text": t, "date": "2017-09-27"}) + "\n" for i, t in articles),
                    encoding="utf-8")
    return path


@pytest.fixture
def gold_corpus(tmp_path):
    assert GOLD.exists(), f"{GOLD} is missing: ../shared must lie beside the repository"
    lines = GOLD.read_text(encoding="utf-8").splitlines()[:6]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ingest_twice_changes_nothing(gold_corpus, tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        first = ingest([gold_corpus], store, workers=1)
        before = store.counts()
        second = ingest([gold_corpus], store, workers=1)
        assert store.counts() == before
    assert first.read == second.read == 6
    assert first.new + len(first.failures) == 6
    assert second.new == second.replaced == 0 and second.unchanged == first.new


def test_ingest_two_workers_store_what_one_does(gold_corpus, tmp_path):
    with Store(tmp_path / "one.duckdb") as one, Store(tmp_path / "two.duckdb") as two:
        ingest([gold_corpus], one, workers=1)
        summary = ingest([gold_corpus], two, workers=2)
        assert summary.workers == 2
        assert one.counts() == two.counts()
        key = "SELECT key, n_sources FROM events ORDER BY ALL"
        assert one.execute(key).fetchall() == two.execute(key).fetchall()


def test_cli_ingest_batch_with_a_broken_line_an_undecodable_file_and_an_empty_file(tmp_path):
    from entente.cli import app

    batch = tmp_path / "batch"
    batch.mkdir()
    good = write_jsonl(batch / "good.jsonl", SHORT)
    lines = good.read_text().splitlines()
    good.write_text("\n".join([lines[0], '{"id": "broken", "text": "no closing quote}', *lines[1:]]) + "\n")
    (batch / "latin1.txt").write_bytes("Caf\xe9 talks in Paris.".encode("latin-1"))
    (batch / "empty.txt").write_bytes(b"")
    db = tmp_path / "s.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(batch), "--db", str(db), "--workers", "1", "--quiet"])
    assert result.exit_code == 1, result.output
    assert result.output.count("failed: ") == 3
    with Store(db, read_only=True) as store:
        assert store.counts()["articles"] == 3
        failed = {(Path(f["source"]).name, f["line"]) for f in queries.failures(store)}
    assert failed == {("good.jsonl", 2), ("latin1.txt", 1), ("empty.txt", None)}
    again = CliRunner().invoke(app, ["ingest", str(batch), "--db", str(db), "--workers", "1", "--quiet"])
    assert again.exit_code == 1
    with Store(db, read_only=True) as store:
        assert (store.counts()["articles"], store.counts()["failures"]) == (3, 3)


def test_ingest_same_text_under_another_id_is_a_duplicate(tmp_path):
    corpus = write_jsonl(tmp_path / "a.jsonl", SHORT[:1] + [("copy-of-talks-1", SHORT[0][1])])
    with Store(tmp_path / "s.duckdb") as store:
        summary = ingest([corpus], store, workers=1)
        assert (summary.new, summary.duplicates) == (1, 1)
        assert store.counts()["articles"] == 1
        assert ingest([corpus], store, workers=1).unchanged == 2


def test_ingest_new_version_replaces_the_old(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        ingest([write_jsonl(tmp_path / "v1.jsonl", SHORT)], store, workers=1)
        edited = [(SHORT[0][0], SHORT[0][1] + " They discussed the exercise.")] + SHORT[1:]
        summary = ingest([write_jsonl(tmp_path / "v2.jsonl", edited)], store, workers=1)
        assert (summary.replaced, summary.unchanged) == (1, 2)
        assert store.counts()["articles"] == 3
        text = store.execute("SELECT text FROM articles WHERE id = 'talks-1'").fetchone()[0]
        assert text.endswith("exercise.")
        orphans = store.execute("SELECT count(*) FROM events e WHERE NOT EXISTS "
                                "(SELECT 1 FROM event_sources s WHERE s.event = e.id)").fetchone()[0]
        assert orphans == 0


def test_ingest_an_article_the_extractor_chokes_on_is_a_failure(tmp_path, monkeypatch):
    import importlib

    module = importlib.import_module("entente.extract")  # the package's ``extract`` is the function
    real = module.extract_articles

    def choking(articles, **kw):
        for article in articles:
            if "China" in article.text:
                raise ValueError("cannot parse this one")
            yield from real([article], **kw)

    monkeypatch.setattr(module, "extract_articles", choking)
    with Store(tmp_path / "s.duckdb") as store:
        summary = ingest([write_jsonl(tmp_path / "a.jsonl", SHORT)], store, workers=1)
        assert (summary.new, len(summary.failures)) == (2, 1)
        [failure] = queries.failures(store)
    assert failure["article"] == "talks-2" and failure["line"] == 2
    assert "ValueError: cannot parse this one" in failure["reason"]


@pytest.mark.slow
def test_ingest_survives_sigkill(tmp_path):
    """A small run of scripts/kill_ingest.py (the acceptance runs 20 kills on 500 articles);
    about 25 s on an idle machine (four ingest processes, each loading spaCy; 24 articles are
    three chunks, and a kill that found nothing stored draws the next one from the later half of
    a run, so a store is killed mid-write)."""
    assert GOLD.exists(), f"{GOLD} is missing: ../shared must lie beside the repository"
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "kill_ingest.py"), "--kills", "2",
                             "--articles", "24", "--workers", "2", "--seed", "7", "--dir", str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "same counts as an uninterrupted run" in result.stdout


@pytest.mark.parametrize("published", [None, ["2017-09-27", "2018-03-02"]], ids=["undated", "other days"])
def test_ingest_two_unrelated_attacks_are_not_one_event(tmp_path, published):
    """Issue 11's probe: two articles, each an attack in Iraq, no date in either text: two
    events of one source each, not one event "with 2 sources"."""
    texts = {"m1": "Gunmen killed 15 civilians in Iraq.", "m2": "A car bomb killed 40 people in Iraq."}
    corpus = tmp_path / "probe.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "text": t, **({"date": published[n]} if published else {})}) + "\n"
                              for n, (i, t) in enumerate(texts.items())), encoding="utf-8")
    with Store(tmp_path / "s.duckdb") as store:
        ingest([corpus], store, workers=1)
        events = queries.events(store)
    assert {s["article"] for e in events for s in e["sources"]} == set(texts)  # both coded ...
    assert [e["n_sources"] for e in events] == [1] * len(events)               # ... as separate events
