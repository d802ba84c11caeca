"""Kill `entente ingest` with SIGKILL at random moments and check the store each time.

    python scripts/kill_ingest.py                      # the acceptance: 20 kills, >= 500 articles
    python scripts/kill_ingest.py --kills 3 --articles 60   # the quick version the tests run

The corpus is real text: the gold dev articles and the re3d documents, repeated with
changed ids (and a copy marker appended, so copies are distinct articles) up to
``--articles``, plus one broken JSONL line that must end up as exactly one failure.

1. An uninterrupted ingest into a reference store gives the counts to reach.
2. Then, until ``--kills`` kills have landed mid-run: start an ingest on the test store,
   SIGKILL it after a random delay (up to the length of a whole run), and check that the store opens, that every stored article is whole (its entities,
   mentions, event reports and named-event reports are all there, and equal to the
   reference's), that no event lacks a source and no row points at nothing, and that the
   worker processes went away. The next run resumes the same store; when a run finishes
   before its kill, its counts are compared with the reference and the store starts over.
3. A last run without a kill must end with the reference's counts.

Every run uses a copy of the package taken at the start (the extractor is being edited
while this runs; a reference made by other code would prove nothing).

Exit code 0 when every check held.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from corpus import copies, real_articles  # noqa: E402  (benchmarks/corpus.py)


def build_corpus(path: Path, size: int) -> int:
    """Write ``size`` articles (plus one broken line) to ``path``; return the count."""
    lines = [json.dumps(article, ensure_ascii=False) for article in copies(real_articles(), size)]
    lines.insert(len(lines) // 2, '{"id": "broken-line", "text": "unterminated}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return size


#: Environment of the ingest runs: the snapshot of the package (see ``snapshot_package``).
ENV = dict(os.environ)


def snapshot_package(work: Path) -> Path:
    """Copy the entente package (code and data files) into ``work`` and run every ingest
    from that copy, so that all runs, reference included, use the same extractor even while
    someone edits the working tree."""
    import importlib.util

    spec = importlib.util.find_spec("entente")
    source = Path(next(iter(spec.submodule_search_locations)))
    target = work / "src" / "entente"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
    # A regular package wins over namespace portions wherever they are on the path: make
    # the copy one, or the working tree (if it has an __init__.py) would be imported instead.
    (target / "__init__.py").touch()
    ENV["PYTHONPATH"] = str(work / "src")
    sys.path.insert(0, str(work / "src"))
    found = subprocess.run([sys.executable, "-c", "import entente; print(list(entente.__path__)[0])"],
                           capture_output=True, text=True, env=ENV).stdout.strip()
    if Path(found) != target:
        raise SystemExit(f"the runs would import entente from {found}, not from the copy {target}")
    return target


def ingest_command(corpus: Path, db: Path, workers: int) -> list[str]:
    return [sys.executable, "-c", "from entente.cli import main; main()", "ingest", str(corpus),
            "--db", str(db), "--workers", str(workers), "--quiet"]


def run_to_end(corpus: Path, db: Path, workers: int) -> float:
    started = time.perf_counter()
    done = subprocess.run(ingest_command(corpus, db, workers), capture_output=True, text=True, env=ENV)
    if done.returncode not in (0, 1):
        raise SystemExit(f"ingest crashed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def snapshot(db: Path) -> dict:
    """Counts of every table, the merged events, and each article's shape, from a store."""
    from entente.store import Store

    with Store(db, read_only=True) as store:
        counts = store.counts()
        events = store.execute("SELECT key, place_country, n_sources FROM events ORDER BY ALL").fetchall()
        articles = {row[0]: row[1:] for row in store.execute(
            "SELECT id, checksum, n_entities, n_events, record FROM articles").fetchall()}
    return {"counts": counts, "events": events, "articles": articles}


def check_whole(db: Path, reference: dict) -> list[str]:
    """Problems with a store left by a killed ingest (empty list: all is well)."""
    from entente.store import Store

    problems = []
    with Store(db, read_only=True) as store:
        q = lambda sql: store.execute(sql).fetchall()  # noqa: E731
        for article, n_entities, found in q(
                "SELECT a.id, a.n_entities, (SELECT count(*) FROM entities e WHERE e.article = a.id)"
                " FROM articles a WHERE a.n_entities <> (SELECT count(*) FROM entities e WHERE e.article = a.id)"):
            problems.append(f"article {article}: {found} of its {n_entities} entities")
        for article, n_events, found in q(
                "SELECT a.id, a.n_events, (SELECT count(*) FROM event_sources s WHERE s.article = a.id)"
                " FROM articles a WHERE a.n_events <> (SELECT count(*) FROM event_sources s WHERE s.article = a.id)"):
            problems.append(f"article {article}: {found} of its {n_events} event reports")
        for article, record in q("SELECT id, record FROM articles"):
            rec = json.loads(record)
            mentions = sum(len(e.get("mentions", [])) for e in rec["entities"])
            named = sum(1 for e in rec["entities"] if e["kind"] == "named_event")
            got = store.execute("SELECT (SELECT count(*) FROM mentions WHERE article = ?),"
                                " (SELECT count(*) FROM named_event_sources WHERE article = ?)",
                                [article, article]).fetchone()
            if got != (mentions, named):
                problems.append(f"article {article}: mentions/named events {got}, record says {(mentions, named)}")
        checks = {
            "events without a source": "SELECT count(*) FROM events e WHERE NOT EXISTS"
                                       " (SELECT 1 FROM event_sources s WHERE s.event = e.id)",
            "events whose n_sources is wrong": "SELECT count(*) FROM events e WHERE n_sources <>"
                                               " (SELECT count(DISTINCT article) FROM event_sources s WHERE s.event = e.id)",
            "reports of no event": "SELECT count(*) FROM event_sources s WHERE NOT EXISTS"
                                   " (SELECT 1 FROM events e WHERE e.id = s.event)",
            "reports of no article": "SELECT count(*) FROM event_sources s WHERE NOT EXISTS"
                                     " (SELECT 1 FROM articles a WHERE a.id = s.article)",
            "participants of no event": "SELECT count(*) FROM event_participants p WHERE NOT EXISTS"
                                        " (SELECT 1 FROM events e WHERE e.id = p.event)",
            "entities of no article": "SELECT count(*) FROM entities e WHERE NOT EXISTS"
                                      " (SELECT 1 FROM articles a WHERE a.id = e.article)",
            "named events without a source": "SELECT count(*) FROM named_events n WHERE NOT EXISTS"
                                             " (SELECT 1 FROM named_event_sources s WHERE s.named_event = n.id)",
        }
        for what, sql in checks.items():
            n = store.execute(sql).fetchone()[0]
            if n:
                problems.append(f"{n} {what}")
        for article, checksum, n_entities, n_events in q("SELECT id, checksum, n_entities, n_events FROM articles"):
            ref = reference["articles"].get(article)
            if ref is None:
                problems.append(f"article {article} is not in the reference store")
            elif (checksum, n_entities, n_events) != ref[:3]:
                problems.append(f"article {article} differs from the reference: {(checksum, n_entities, n_events)} "
                                f"vs {ref[:3]}")
    return problems


def compare(got: dict, reference: dict) -> list[str]:
    problems = []
    if got["counts"] != reference["counts"]:
        diff = {t: (got["counts"][t], reference["counts"][t]) for t in got["counts"]
                if got["counts"][t] != reference["counts"][t]}
        problems.append(f"counts differ from the uninterrupted run (got, reference): {diff}")
    if got["events"] != reference["events"]:
        problems.append("the merged events differ from the uninterrupted run")
    return problems


def kill_once(corpus: Path, db: Path, workers: int, delay: float) -> tuple[bool, list[str]]:
    """Start an ingest, SIGKILL it after ``delay`` s. Returns (finished before the kill, problems
    with leftover processes)."""
    process = subprocess.Popen(ingest_command(corpus, db, workers), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, env=ENV)
    children: dict[int, psutil.Process] = {}
    deadline = time.perf_counter() + delay
    parent = psutil.Process(process.pid)
    while time.perf_counter() < deadline and process.poll() is None:
        try:
            children.update({c.pid: c for c in parent.children(recursive=True)})
        except psutil.Error:
            pass
        time.sleep(0.05)
    if process.poll() is not None:
        stderr = process.stderr.read()
        if process.returncode not in (0, 1):
            return True, [f"ingest crashed by itself (exit {process.returncode}): {stderr[-2000:]}"]
        return True, []
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stderr.close()
    problems = []
    gone, alive = psutil.wait_procs(list(children.values()), timeout=15)
    for child in alive:
        problems.append(f"worker {child.pid} outlived the killed ingest; killing it")
        try:
            child.kill()
        except psutil.Error:
            pass
    return False, problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--dir", type=Path, default=None, help="work here (default: a temporary folder)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = args.dir or Path(tempfile.mkdtemp(prefix="entente-kill-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus, reference_db, db = work / "corpus.jsonl", work / "reference.duckdb", work / "killed.duckdb"
    for stale in (reference_db, db):
        for path in (stale, Path(f"{stale}.wal")):
            path.unlink(missing_ok=True)
    snapshot_package(work)
    size = build_corpus(corpus, args.articles)
    seconds = run_to_end(corpus, reference_db, args.workers)
    reference = snapshot(reference_db)
    print(f"reference: {size} articles (+1 broken line) in {seconds:.1f} s -> {reference['counts']['articles']} "
          f"articles, {reference['counts']['events']} events, {reference['counts']['failures']} failures")

    failures, completed, killed, attempt = 0, 0, 0, 0
    longest = seconds  # kills are drawn over the length of a whole run, as last measured
    earliest = 0.3     # a kill that found nothing stored moves the next one later (past start-up)
    fresh = True       # whether the test store is empty at the start of this run
    while killed < args.kills and attempt < 3 * args.kills:
        attempt += 1
        delay = rng.uniform(earliest, longest)
        started = time.perf_counter()
        finished, problems = kill_once(corpus, db, args.workers, delay)
        if finished:
            if fresh:
                longest = time.perf_counter() - started
            problems += compare(snapshot(db), reference)
            completed += 1
            note = "finished before the kill: same counts as an uninterrupted run" if not problems else "finished"
            for path in (db, Path(f"{db}.wal")):
                path.unlink(missing_ok=True)  # start over, so that later kills land mid-run
            fresh = True
        else:
            killed += 1
            fresh = False
            if db.exists():
                try:
                    problems += check_whole(db, reference)
                    stored = snapshot(db)["counts"]["articles"]
                except Exception as err:  # the store must open
                    problems.append(f"the store does not open: {type(err).__name__}: {err}")
                    stored = "?"
            else:
                stored = 0
            note = f"kill {killed}: {stored} whole articles stored"
            # a kill during start-up tests little: the next one is drawn from the later half
            earliest = (delay + longest) / 2 if stored == 0 else 0.3
        status = "ok" if not problems else "FAILED"
        print(f"run {attempt:2d}, SIGKILL after {delay:5.2f} s: {note}; {status}", flush=True)
        for problem in problems:
            print(f"    {problem}")
        failures += bool(problems)

    run_to_end(corpus, db, args.workers)
    problems = compare(snapshot(db), reference) + check_whole(db, reference)
    if problems:
        failures += 1
        print("final re-run: FAILED")
        for problem in problems:
            print(f"    {problem}")
    else:
        print(f"final re-run: same counts as an uninterrupted run ({reference['counts']['articles']} articles, "
              f"{reference['counts']['events']} events)")
    print(f"{killed} kills mid-run ({completed} more runs finished before their kill), "
          f"{failures} with problems; work folder {work}")
    if killed < args.kills:
        failures += 1
        print(f"only {killed} of the {args.kills} kills landed mid-run")
    if args.dir is None and not failures:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
