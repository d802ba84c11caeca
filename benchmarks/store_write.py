"""The store's write path against the one of another git revision, in the same run.

    python benchmarks/store_write.py                      # this tree against main, 2,000 records
    python benchmarks/store_write.py --baseline HEAD~1 --records 5000 --rounds 3 --json out.json

The real articles of benchmarks/corpus.py are extracted once (by this tree's extractor); the
records are repeated as distinct articles (new id, a marker after the text, so offsets stay
valid and the copies' events merge as reports of one event) and written, in batches of 32 as
the engines write them, into a fresh in-memory store by each version in turn (alternating, so
that the machine's load falls on both alike). Reported: records per second of each version and
the ratio of this tree's to the baseline's; the stores' counts, which must be equal. Nothing is
asserted: this measures.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import real_articles  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BATCH = 32

WRITER = r"""
import json, sys, time
from entente.store import Store
records = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
with Store(":memory:") as store:
    started = time.perf_counter()
    for i in range(0, len(records), %d):
        store.write_records([(r, None, None, None) for r in records[i:i + %d]])
    seconds = time.perf_counter() - started
    counts = store.counts()
print(json.dumps({"seconds": seconds, "counts": {k: counts[k] for k in
                  ("articles", "entities", "mentions", "events", "event_sources", "named_events")}}))
""" % (BATCH, BATCH)


def records_file(path: Path, size: int) -> int:
    from entente.extract import extract_articles
    from entente.read.sources import Article

    base = [Article(id=a["id"], text=a["text"], date=a.get("date"), title=a.get("title"), url=a.get("url"),
                    publisher=a.get("publisher")) for a in real_articles()]
    extracted = list(extract_articles(base))
    written = 0
    with path.open("w", encoding="utf-8") as out:
        copy = 0
        while written < size:
            for record in extracted:
                if written >= size:
                    break
                if copy:
                    record = dict(record, id=f"{record['id']}-copy{copy}", text=record["text"] + f"\n\n[copy {copy}]")
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
            copy += 1
    return len(extracted)


def run(src: Path, records: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", WRITER, str(records)], capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"}, cwd=str(records.parent))
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", default="main", help="git revision to compare with (default: main)")
    ap.add_argument("--records", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        baseline = work / "baseline"
        baseline.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline, "src/entente"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(baseline)], input=archive, check=True)
        records = work / "records.jsonl"
        distinct = records_file(records, args.records)
        versions = {"baseline": baseline / "src", "this tree": ROOT / "src"}
        seconds: dict[str, list[float]] = {name: [] for name in versions}
        counts = {}
        for _ in range(args.rounds):
            for name, src in versions.items():
                result = run(src, records)
                seconds[name].append(result["seconds"])
                counts[name] = result["counts"]
    best = {name: min(values) for name, values in seconds.items()}
    figures = {"records": args.records, "distinct_texts": distinct, "batch": BATCH, "baseline": args.baseline,
               "records_per_second": {name: round(args.records / s, 1) for name, s in best.items()},
               "ratio_this_tree_to_baseline": round(best["baseline"] / best["this tree"], 3),
               "counts": counts, "counts_equal": counts["baseline"] == counts["this tree"]}
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
