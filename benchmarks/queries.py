"""Query faces against a baseline commit, in one run: ``entente events`` as a user runs it
(the CLI in a fresh process) and the server time of the network and map pages.

    python benchmarks/queries.py                       # baseline: the commit before the seams
    python benchmarks/queries.py --baseline main --runs 7 --json docs/queries.json

What it does:

1. takes the baseline's ``src/`` (``git archive <baseline> src``) into a temporary folder; the
   baseline runs with this interpreter and ``PYTHONPATH`` pointing there (same dependencies;
   each run checks which ``entente`` it imported);
2. builds a store of about ``--events`` merged events with the baseline's code (it has the
   older schema): the dev articles (``../shared/gold/dev``, else the Kazinform story) are
   extracted once and written again and again with new ids and texts and dates moved by a
   few days (``benchmarks/load.py``'s copies), and each copy's actor codes carry one of
   ``--actor-groups`` suffixes, so that the network has hundreds of actors as a real store
   does (the dev set alone names 19);
3. copies the store and opens the copy with this code (which migrates it and loads the
   reference tables, as ``entente ingest`` does);
4. runs ``entente events --db X`` (table, then ``--format jsonl``) with each code in turn,
   ``--runs`` times, output to a file, and compares the median wall times;
5. serves each store with its code (``entente serve`` in a subprocess) and times, after one
   warm-up request to ``/api/``: ``/network?top=300`` (for this code also
   ``/api/network?top=300``, which the page's script fetches) and ``/map`` (first request,
   then warm).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
#: The last commit before the faces asked only the store (issue 10): "today's code".
DEFAULT_BASELINE = "b1b5169"


def baseline_sources(ref: str, folder: Path) -> Path:
    """The ``src/`` folder of commit ``ref``, unpacked under ``folder``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src"], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder / "src"


def env_for(src: Path | None) -> dict:
    """The environment of a run of the baseline (``src`` first on the path) or of this code."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update({"ENTENTE_API_TOKEN": "", "ENTENTE_SQL_ENABLED": "false"})
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def check_code(src: Path | None) -> str:
    """Where ``entente`` is imported from in that environment (must be ``src`` when given)."""
    where = subprocess.run([sys.executable, "-c", "import entente, pathlib; print(pathlib.Path(entente.__file__).parent)"],
                           env=env_for(src), check=True, capture_output=True, text=True).stdout.strip()
    expected = (src / "entente") if src is not None else (ROOT / "src" / "entente")
    if Path(where).resolve() != expected.resolve():
        raise SystemExit(f"entente came from {where}, not {expected}")
    return where


# -- the store ---------------------------------------------------------------------------------


def build_store(db: Path, events: int, groups: int) -> None:
    """Write dev-record copies (codes suffixed by copy group) until the store holds ``events``
    merged events. Runs in the baseline's environment (see ``--build``)."""
    from load import DEV_ARTICLES, FIXTURE, _unique_entity_ids, copy_record

    from entente.extract import extract_articles
    from entente.read.sources import iter_articles
    from entente.store import Store

    source = DEV_ARTICLES if DEV_ARTICLES.exists() else FIXTURE
    good = [a for a in iter_articles([source]) if not isinstance(a, Exception)]
    templates = [_unique_entity_ids(r) for r in extract_articles(good)]
    started = time.perf_counter()
    with Store(db) as store:
        k = 0
        while store.counts()["events"] < events:
            batch = []
            for template in templates:
                copy = copy_record(template, k // len(templates))
                rename(copy, f"-{(k // len(templates)) % groups}")
                batch.append((copy, None, None, None))
                k += 1
            store.write_records(batch)
        counts = store.counts()
    print(f"wrote {counts['articles']} articles, {counts['events']} merged events ({counts['event_sources']} "
          f"reports) in {time.perf_counter() - started:.0f} s from {source}", file=sys.stderr)


def rename(record: dict, suffix: str) -> None:
    """Give every actor code of a record (entities, affiliations, event parties, named-event
    participants) ``suffix``: another group of actors doing the same things."""
    def code(c):
        return c + suffix if c else c

    for e in record.get("entities", []):
        for key in ("code", "affiliation", "organizer"):
            if e.get(key):
                e[key] = code(e[key])
        for key in ("participants", "observers"):
            if e.get(key):
                e[key] = [code(c) for c in e[key]]
    for ev in record.get("events", []):
        for p in ev.get("actor", []) + ev.get("recipient", []):
            p["code"] = code(p["code"])


def upgrade_store(db: Path) -> None:
    """Open the copy with this code (migrations) and load the reference tables, as ingest does."""
    subprocess.run([sys.executable, "-c",
                    "import sys\nfrom entente.store import Store\nfrom entente.dictionaries import load_dictionaries\n"
                    "d = load_dictionaries()\nwith Store(sys.argv[1]) as s:\n"
                    "    s.load_memberships(d.organizations)\n    s.load_countries(d.countries)\n", str(db)],
                   env=env_for(None), check=True)


# -- the CLI -----------------------------------------------------------------------------------


def time_cli(args: list[str], src: Path | None, out: Path) -> float:
    """Wall time of one ``entente ARGS`` in a fresh process, stdout to ``out``."""
    with out.open("w") as fh:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "from entente.cli import main; main()", *args], env=env_for(src),
                       stdout=fh, stderr=subprocess.DEVNULL, check=True)
        return time.perf_counter() - started


def compare_cli(args: list[str], stores: dict, runs: int, folder: Path) -> dict:
    times: dict[str, list[float]] = {name: [] for name in stores}
    lines = {}
    for _ in range(runs):   # alternate, so that a busy moment of the machine hits both
        for name, (src, db) in stores.items():
            out = folder / f"{name}.out"
            times[name].append(time_cli([*args, "--db", str(db)], src, out))
            lines[name] = sum(1 for _ in out.open(encoding="utf-8"))
    result = {name: {"median_s": round(statistics.median(t), 3), "runs_s": [round(x, 3) for x in t],
                     "output_lines": lines[name]} for name, t in times.items()}
    result["ratio"] = round(result["this"]["median_s"] / result["baseline"]["median_s"], 3)
    return result


# -- the server --------------------------------------------------------------------------------


def serve(db: Path, src: Path | None) -> tuple[subprocess.Popen, str]:
    from load import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from entente.cli import main; main()", "serve", "--db", str(db),
                             "--host", "127.0.0.1", "--port", str(port)], env=env_for(src),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server for {db} exited with {proc.returncode}")
        try:
            if httpx.get(base + "/api/", timeout=5).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("the server did not answer within 120 s")


def timed_get(http: httpx.Client, address: str) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = http.get(address)
    return time.perf_counter() - started, response


def server_times(db: Path, src: Path | None, runs: int, network_runs: int, api_network: bool) -> dict:
    proc, base = serve(db, src)
    out: dict = {}
    try:
        with httpx.Client(base_url=base, timeout=600) as http:
            first_map, response = timed_get(http, "/map")
            response.raise_for_status()
            maps = [timed_get(http, "/map")[0] for _ in range(runs)]
            pages = []
            for _ in range(network_runs):
                seconds, response = timed_get(http, "/network?top=300")
                response.raise_for_status()
                pages.append(seconds)
            out = {"network_page_s": round(statistics.median(pages), 3), "network_page_runs_s": [round(p, 3) for p in pages],
                   "map_first_s": round(first_map, 3), "map_warm_s": round(statistics.median(maps), 3)}
            if api_network:
                apis = []
                for _ in range(runs):
                    seconds, response = timed_get(http, "/api/network?top=300")
                    response.raise_for_status()
                    apis.append(seconds)
                out["api_network_s"] = round(statistics.median(apis), 3)
                out["nodes"] = len(response.json()["nodes"])
                out["pairs"] = len(response.json()["edges"])
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="query faces: this code against a baseline commit, in one run")
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="commit to compare with (default: %(default)s)")
    parser.add_argument("--events", type=int, default=5000, help="merged events in the store (about)")
    parser.add_argument("--actor-groups", type=int, default=24, help="suffixes given to the copies' actor codes")
    parser.add_argument("--runs", type=int, default=5, help="runs of each CLI command and warm page")
    parser.add_argument("--baseline-network-runs", type=int, default=1,
                        help="runs of the baseline's /network?top=300 (each takes tens of seconds)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--build", nargs=3, metavar=("DB", "EVENTS", "GROUPS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build:
        build_store(Path(args.build[0]), int(args.build[1]), int(args.build[2]))
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", args.baseline], check=True,
                                capture_output=True, text=True).stdout.strip()
        base_src = baseline_sources(commit, folder / "baseline")
        check_code(base_src)
        check_code(None)
        base_db, this_db = folder / "baseline.duckdb", folder / "this.duckdb"
        subprocess.run([sys.executable, __file__, "--build", str(base_db), str(args.events), str(args.actor_groups)],
                       env=env_for(base_src), check=True)
        shutil.copy(base_db, this_db)
        upgrade_store(this_db)
        stores = {"baseline": (base_src, base_db), "this": (None, this_db)}
        result = {"baseline_commit": commit, "cores": os.cpu_count(),
                  "events_table": compare_cli(["events"], stores, args.runs, folder),
                  "events_jsonl": compare_cli(["events", "--format", "jsonl"], stores, args.runs, folder)}
        import duckdb

        with duckdb.connect(str(this_db), read_only=True) as con:
            result["store"] = dict(zip(("articles", "events", "actors"), con.execute(
                "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events),"
                " (SELECT count(DISTINCT code) FROM event_participants)").fetchone()))
        result["server"] = {
            "baseline": server_times(base_db, base_src, args.runs, args.baseline_network_runs, api_network=False),
            "this": server_times(this_db, None, args.runs, args.runs, api_network=True)}
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
