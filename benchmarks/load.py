"""Load test of the API on a fresh server: 2,000 mixed requests from 20 concurrent clients
(events with the filters an analyst uses, actors and actor profiles, articles and one
article, the network, the map, named events) over a store of at least 5,000 articles;
reports latency (p50, p90, p99, max; p99 by endpoint), errors, timeouts and the server's
peak memory (VmHWM of its process).

    python benchmarks/load.py                      # builds the store in a temporary folder
    python benchmarks/load.py --db load.duckdb     # keeps (and reuses) the store there

The store is made of real records: the dev articles (../shared/gold/dev/articles.jsonl,
or the Kazinform story in tests/data) are extracted once, then written again and again
through the store's one write path (``Store.write_records``) with new ids, a changed text
(so they are not taken for duplicates) and their day-precise dates shifted by a few days
per copy (so their events do not all merge into the same few). The server is
``entente serve`` in a subprocess on a free port of 127.0.0.1, stopped at the end; the
clients start as soon as its port accepts connections (no warm-up request: the first
requests find every cache cold). Each client picks requests at random from the mix.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEV_ARTICLES = ROOT.parent / "shared" / "gold" / "dev" / "articles.jsonl"
FIXTURE = ROOT / "tests" / "data" / "kazinform-2017-09-27-csto-serbia.jsonl"
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _shift(value, days: int):
    """A date string with every YYYY-MM-DD in it moved by ``days`` (other precisions kept)."""
    if not isinstance(value, str):
        return value

    def move(m: re.Match) -> str:
        try:
            return (date.fromisoformat(m.group(0)) + timedelta(days=days)).isoformat()
        except ValueError:
            return m.group(0)
    return DAY.sub(move, value)


def _unique_entity_ids(record: dict) -> dict:
    seen: set[str] = set()
    for e in record.get("entities", []):
        while e["id"] in seen:
            e["id"] += "x"
        seen.add(e["id"])
    return record


def copy_record(record: dict, k: int) -> dict:
    """The k-th copy of a record: new id, changed text, day dates moved by k % 730 days."""
    rec = json.loads(json.dumps(record))
    days = k % 730
    rec["id"] = f"{record['id']}--copy{k}"
    rec["text"] = (rec.get("text") or "") + f"\n[load-test copy {k}]"
    rec["dateline"]["date"] = _shift(rec["dateline"].get("date"), days)
    for ev in rec.get("events", []):
        ev["date"], ev["enddate"] = _shift(ev.get("date"), days), _shift(ev.get("enddate"), days)
    for e in rec.get("entities", []):
        e["date"] = _shift(e.get("date"), days)
    return rec


def build_store(db: Path, articles: int) -> None:
    from entente.extract import extract_articles
    from entente.read.sources import iter_articles
    from entente.store import Store

    with Store(db) as store:
        have = store.counts()["articles"]
        if have >= articles:
            print(f"store {db}: {have} articles already", file=sys.stderr)
            return
        source = DEV_ARTICLES if DEV_ARTICLES.exists() else FIXTURE
        started = time.perf_counter()
        good = [a for a in iter_articles([source]) if not isinstance(a, Exception)]
        templates = [_unique_entity_ids(r) for r in extract_articles(good)]
        print(f"extracted {len(templates)} articles of {source} in {time.perf_counter() - started:.1f}s",
              file=sys.stderr)
        started = time.perf_counter()
        k = have
        while store.counts()["articles"] < articles:
            batch = []
            for template in templates:
                batch.append((copy_record(template, k // len(templates)), None, None, None))
                k += 1
            store.write_records(batch)
        counts = store.counts()
        print(f"wrote {counts['articles']} articles, {counts['events']} merged events "
              f"({counts['event_sources']} reports) in {time.perf_counter() - started:.1f}s", file=sys.stderr)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "ENTENTE_API_TOKEN": "", "ENTENTE_SQL_ENABLED": "false"}
    proc = subprocess.Popen([sys.executable, "-c", "from entente.cli import main; main()", "serve",
                             "--db", str(db), "--host", "127.0.0.1", "--port", str(port)], env=env)
    import socket

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:  # the port accepts connections: no request is made before the load
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("the server did not listen within 60 s")


def peak_memory_mb(pid: int) -> float | None:
    """The peak resident memory of a process so far (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def requests_for(codes: list[str], articles: list[str], named: list[int]) -> list[tuple[str, str, dict]]:
    """The mix: (endpoint name, path, query parameters), events weighted as the busiest."""
    from urllib.parse import quote

    codes = codes or ["USA"]
    events: list[dict] = [{}, {"limit": 50}, {"offset": 500}, {"offset": 5000, "limit": 20}]
    for t in ("CONSULT", "ACCUSE", "SUPPORT,AGREE", "ASSAULT"):
        events.append({"type": t})
    for c in codes[:6]:
        events.append({"actor": c})
        events.append({"actor": c, "since": "2017", "until": "2017-12"})
    for a, b in zip(codes, codes[1:4]):
        events.append({"actor": a, "with": b})
    events += [{"since": "2017-01", "until": "2017-06-30"}, {"place": "Moscow"}, {"aux": "none"}]
    mix: list[tuple[str, str, dict]] = [("events", "/api/events", p) for p in events]
    mix += [("actors", "/api/actors", {}), ("actors", "/api/actors", {"kind": "state"})]
    mix += [("actor", f"/api/actors/{quote(c, safe='')}", {}) for c in codes[:6]]
    mix += [("articles", "/api/articles", {"limit": 100})]
    mix += [("article", f"/api/articles/{quote(a, safe='')}", {}) for a in articles[:8]]
    mix += [("network", "/api/network", p) for p in ({}, {"top": 100}, {"type": "CONSULT"}, {"actor": codes[0]})]
    mix += [("map", "/api/map", p) for p in ({}, {"type": "ASSAULT"}, {"actor": codes[0]})]
    mix += [("named events", "/api/named-events", {})]
    mix += [("named event", f"/api/named-events/{n}", {}) for n in named[:4]]
    mix += [("page", path, {}) for path in ("/", "/network", "/map", "/actors", "/named-events")]
    return mix


def run_load(base: str, requests: int, clients: int, mix: list[tuple[str, str, dict]]) -> dict:
    latencies: list[float] = []
    by_endpoint: dict[str, list[float]] = {}
    errors: list[str] = []
    timeouts: list[str] = []
    lock = threading.Lock()
    per_client = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]

    def client(n: int, seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=base, timeout=60) as http:
            for _ in range(n):
                name, path, params = rng.choice(mix)
                t0 = time.perf_counter()
                problem = timed_out = None
                try:
                    r = http.get(path, params=params)
                    if r.status_code != 200:
                        problem = f"{r.status_code} for {path} {params}"
                except httpx.TimeoutException:
                    timed_out = f"timeout for {path} {params}"
                except httpx.HTTPError as err:
                    problem = f"{type(err).__name__} for {path} {params}"
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies.append(elapsed)
                    by_endpoint.setdefault(name, []).append(elapsed)
                    if problem:
                        errors.append(problem)
                    if timed_out:
                        timeouts.append(timed_out)

    threads = [threading.Thread(target=client, args=(n, i)) for i, n in enumerate(per_client)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)

    def p99(values: list[float]) -> float:
        return round(sorted(values)[max(0, int(len(values) * 0.99) - 1)] * 1000, 1)

    return {"requests": len(latencies), "clients": clients, "errors": len(errors), "timeouts": len(timeouts),
            "error_examples": (errors + timeouts)[:5],
            "seconds": round(wall, 2), "requests_per_second": round(len(latencies) / wall, 1),
            "p50_ms": round(q[49] * 1000, 1), "p90_ms": round(q[89] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
            "max_ms": round(latencies[-1] * 1000, 1),
            "p99_ms_by_endpoint": {k: p99(v) for k, v in sorted(by_endpoint.items())},
            "requests_by_endpoint": {k: len(v) for k, v in sorted(by_endpoint.items())}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="load test of the API on a fresh server")
    parser.add_argument("--db", type=Path, help="store to use or build (default: a temporary one)")
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "load.duckdb"
        build_store(db, args.articles)
        from entente.store import Store

        with Store(db, read_only=True) as store:
            articles = store.counts()["articles"]
            codes = [c for (c,) in store.execute(
                "SELECT code FROM event_participants GROUP BY code ORDER BY count(*) DESC LIMIT 8").fetchall()]
            ids = [i for (i,) in store.execute("SELECT id FROM articles ORDER BY id LIMIT 8").fetchall()]
            named = [i for (i,) in store.execute("SELECT id FROM named_events ORDER BY n_sources DESC LIMIT 4").fetchall()]
            events = store.counts()["events"]
        port = free_port()
        server = start_server(db, port)
        try:
            result = run_load(f"http://127.0.0.1:{port}", args.requests, args.clients, requests_for(codes, ids, named))
            result["server_peak_mb"] = round(peak_memory_mb(server.pid) or 0, 1)
        finally:
            server.terminate()
            server.wait(timeout=20)
    result.update({"articles": articles, "events": events})
    print(json.dumps(result, indent=2))
    return 1 if result["errors"] or result["timeouts"] else 0


if __name__ == "__main__":
    sys.exit(main())
