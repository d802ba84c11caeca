"""How many merged events have more than one source, in a store of re3d and TimeBank, with
this code's merge rule and a baseline commit's, in one run (issue 11: merges must never
invent corroboration).

    python benchmarks/merges.py                          # baseline: the commit before the rule
    python benchmarks/merges.py --baseline main --records /tmp/re3d-timebank.jsonl --json out.json

1. The articles (re3d's ``documents.json`` files and TimeBank's ``.tml`` files under
   ``../shared/corpora``) are extracted once, with this code (``--records`` keeps the records
   and reuses them), so both rules merge the very same reports.
2. Each rule writes them, in the same order, into a fresh store through the store's one write
   path (``Store.write_records``), in a process of its own: the baseline's ``src/`` (``git
   archive``) first on ``PYTHONPATH``, then this code's.
3. For each store: merged events, those with more than one source, the most sources on one
   event, and the largest merges (type, parties, date, sources, and whether the sources'
   articles share a publication date).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
#: The last commit before reports not dated to the day stopped merging across articles.
DEFAULT_BASELINE = "e3d6ec2"

#: Written to a file and run by each code in its own process: write the records, report.
WRITER = r'''
import json, sys
from entente.store import Store
records, db = sys.argv[1], sys.argv[2]
batch = []
with Store(db) as store:
    with open(records, encoding="utf-8") as fh:
        for line in fh:
            batch.append((json.loads(line), None, None, None))
            if len(batch) == 50:
                store.write_records(batch)
                batch = []
    if batch:
        store.write_records(batch)
    multi = store.execute(
        "SELECT e.id, e.type, e.actors, e.recipients, e.date, e.n_sources,"
        " count(DISTINCT a.published) AS published_days, list(DISTINCT s.article ORDER BY s.article)"
        " FROM events e JOIN event_sources s ON s.event = e.id JOIN articles a ON a.id = s.article"
        " GROUP BY ALL HAVING e.n_sources > 1 ORDER BY e.n_sources DESC, e.id").fetchall()
    counts = store.counts()
print(json.dumps({
    "articles": counts["articles"], "events": counts["events"], "reports": counts["event_sources"],
    "multi_source_events": len(multi),
    "max_sources": max((m[5] for m in multi), default=1),
    "undated_multi_source": sum(1 for m in multi if not m[4]),
    "largest": [{"type": m[1], "actors": m[2], "recipients": m[3], "date": m[4], "sources": m[5],
                 "publication_days": m[6], "articles": m[7][:6]} for m in multi[:8]],
}))
'''


def corpus_paths() -> list[Path]:
    """re3d's documents (one documents.json per source) and TimeBank's TimeML files."""
    re3d = sorted((CORPORA / "re3d").glob("*/documents.json"))
    timebank = sorted((CORPORA / "tempeval3" / "TBAQ-cleaned" / "TimeBank").glob("*.tml"))
    if not re3d or not timebank:
        raise SystemExit(f"re3d or TimeBank not found under {CORPORA}: ../shared must lie beside the repository")
    return re3d + timebank


def extract_records(path: Path) -> None:
    """The records of every article of :func:`corpus_paths`, as JSON Lines in ``path``."""
    from entente.engines.local import extract_each
    from entente.errors import ArticleError
    from entente.read.sources import iter_articles

    started = time.perf_counter()
    good = [a for a in iter_articles(corpus_paths()) if not isinstance(a, ArticleError)]
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for article, record, error in extract_each(good):
            if record is not None:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
    print(f"extracted {written} of {len(good)} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def baseline_sources(ref: str, folder: Path) -> Path:
    """The ``src/`` folder of commit ``ref``, unpacked under ``folder``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src"], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder / "src"


def write_with(src: Path, records: Path, db: Path, script: Path) -> dict:
    """Write ``records`` into a new store ``db`` with the code under ``src``; its figures."""
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "PYTHONPATH": str(src)}
    check = subprocess.run([sys.executable, "-c", "import entente; print(entente.__file__)"], env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    if not Path(check).resolve().is_relative_to(src.resolve()):
        raise SystemExit(f"entente came from {check}, not {src}")
    done = subprocess.run([sys.executable, str(script), str(records), str(db)], env=env, capture_output=True,
                          text=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="commit whose merge rule is the baseline")
    parser.add_argument("--records", type=Path, help="JSON Lines of the records (made if missing, reused if there)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="entente-merges-") as tmp:
        tmp = Path(tmp)
        records = args.records or tmp / "records.jsonl"
        if not records.exists():
            extract_records(records)
        script = tmp / "writer.py"
        script.write_text(WRITER, encoding="utf-8")
        base = write_with(baseline_sources(args.baseline, tmp / "baseline"), records, tmp / "baseline.duckdb", script)
        this = write_with(ROOT / "src", records, tmp / "this.duckdb", script)
    result = {"baseline": args.baseline, "before": base, "after": this}
    print(f"{'':28} {'before (' + args.baseline + ')':>18} {'after':>10}")
    for key in ("articles", "reports", "events", "multi_source_events", "undated_multi_source", "max_sources"):
        print(f"{key:28} {base[key]:>18} {this[key]:>10}")
    for label, figures in (("before", base), ("after", this)):
        print(f"\nlargest merges {label}:")
        for m in figures["largest"]:
            print(f"  {m['sources']:>3} sources  {m['type']} {m['actors'] or '-'} -> {m['recipients'] or '-'} "
                  f"{m['date'] or 'undated'} ({m['publication_days']} publication dates) {', '.join(m['articles'])}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
