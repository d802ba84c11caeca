"""What a review costs through the server, against reads measured in the same run.

    python benchmarks/review_write.py --runs 30 --json docs/review_write.json
    python benchmarks/review_write.py --db big.duckdb      # a copy of a store of your own instead

A store of the dev articles (``../shared/gold/dev``, else the Kazinform story) is ingested
here, a reviewer added, and ``entente serve`` started on it in a subprocess (reading a
snapshot, as always). Then, taking turns so that a busy moment of the machine hits every measure:

- **reads** (the baseline): ``GET /api/events`` (one page of 100) and an article page, as an
  anonymous reader and as a signed-in reviewer (whose every request checks the session
  against the store);
- **writes**: ``POST /api/reviews`` confirming an event report, signed in (session cookie and
  CSRF token) and with ``Authorization: Bearer`` (which hashes the token with scrypt on
  every write); each write opens the store file read-write, writes, closes it and copies
  the new snapshot the server reads before it answers (``SharedStore.writing``); each is
  undone after it is timed (``POST /api/reviews/{id}/undo``, timed too), so every write finds
  the same store.

Prints (and with ``--json`` writes) the medians and each measure's ratio to the anonymous
``GET /api/events``.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def build(db: Path, copy_of: Path | None = None) -> tuple[str, str, list[str]]:
    """Ingest the dev articles (or copy ``copy_of``); returns (reviewer token, an article id,
    its event report keys)."""
    from load import DEV_ARTICLES, FIXTURE

    from entente.engines.local import ingest
    from entente.store import Store, reviews

    source = DEV_ARTICLES if DEV_ARTICLES.exists() else FIXTURE
    if copy_of is not None:
        shutil.copy(copy_of, db)
    with Store(db) as store:
        if copy_of is None:
            summary = ingest([source], store, workers=1)
            print(f"{summary.new} articles, {summary.events} event reports from {source}", file=sys.stderr)
        token = reviews.add_reviewer(store, "bench")
        article = store.execute("SELECT id FROM articles ORDER BY n_events DESC, id LIMIT 1").fetchone()[0]
        keys = [t["key"] for t in reviews.article_targets(store, article)["event"]]
        counts = store.counts()
    print(f"the store: {counts['articles']} articles, {counts['events']} events", file=sys.stderr)
    return token, article, keys


def timed(call) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = call()
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed, response


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="review writes through the server against reads, in one run")
    parser.add_argument("--runs", type=int, default=30, help="timings of each measure")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--db", type=Path, help="time a copy of this store instead of the dev articles'")
    args = parser.parse_args(argv)
    from queries import serve

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "review.duckdb"
        token, article, keys = build(db, args.db)
        proc, base = serve(db, None)
        times: dict[str, list[float]] = {name: [] for name in (
            "read /api/events", "read article page", "read article page, signed in",
            "write, signed in", "write, Bearer token", "undo, signed in")}
        try:
            with httpx.Client(base_url=base, timeout=120) as anonymous, \
                    httpx.Client(base_url=base, timeout=120) as reviewer:
                csrf = reviewer.post("/api/session", json={"token": token}).json()["csrf"]
                session = {"X-CSRF-Token": csrf}
                bearer = {"Authorization": f"Bearer {token}"}
                page = f"/articles/{article}"
                for client in (anonymous, reviewer):          # warm up
                    client.get("/api/events").raise_for_status()
                    client.get(page).raise_for_status()
                for i in range(args.runs):
                    key = keys[i % len(keys)]
                    body = {"kind": "event", "key": key, "action": "confirm"}
                    times["read /api/events"].append(timed(lambda: anonymous.get("/api/events"))[0])
                    times["read article page"].append(timed(lambda: anonymous.get(page))[0])
                    times["read article page, signed in"].append(timed(lambda: reviewer.get(page))[0])
                    seconds, done = timed(lambda: reviewer.post("/api/reviews", json=body, headers=session))
                    times["write, signed in"].append(seconds)
                    review_id = done.json()["reviews"][0]["id"]
                    times["undo, signed in"].append(timed(lambda: reviewer.post(f"/api/reviews/{review_id}/undo",
                                                                                json={}, headers=session))[0])
                    seconds, done = timed(lambda: anonymous.post("/api/reviews", json=body, headers=bearer))
                    times["write, Bearer token"].append(seconds)
                    review_id = done.json()["reviews"][0]["id"]
                    anonymous.post(f"/api/reviews/{review_id}/undo", json={}, headers=bearer).raise_for_status()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    baseline = statistics.median(times["read /api/events"])
    result = {"cores": os.cpu_count(), "runs": args.runs, "store": str(args.db or "dev articles"),
              "event_reports_reviewed": len(keys),
              "measures": {name: {"median_ms": round(1000 * statistics.median(t), 1),
                                  "ratio": round(statistics.median(t) / baseline, 2)} for name, t in times.items()}}
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
