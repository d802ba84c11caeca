"""Ingest throughput: 1 worker (in-process) against N worker processes, in the same run.

    python benchmarks/ingest.py                       # 5,000 articles, 1 and 2 workers
    python benchmarks/ingest.py --articles 500 --workers 1 2 --json results.json

The corpus is real text (the gold dev articles and the re3d documents) repeated with
changed ids and a copy marker appended, so that every article is extracted and stored (a
copy with the same text would be skipped as a duplicate). Each configuration ingests it
into a fresh store. Reported per configuration: articles/s over the whole run (worker start
and spaCy loading included), peak memory summed over the ingest process and its workers
(RSS, which counts pages shared after fork once per process, and PSS, which splits them),
and the store's counts, which must be equal for every configuration. The ratio is each
configuration's articles/s over the first one's. Nothing is asserted: this measures.

The package is copied to a temporary folder first and run from there, so the extractor
cannot change between the configurations while someone edits the working tree.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import copies, real_articles  # noqa: E402  (benchmarks/corpus.py)


def snapshot_package(work: Path) -> None:
    """Copy the entente package into ``work`` and import it from there from now on."""
    spec = importlib.util.find_spec("entente")
    source = Path(next(iter(spec.submodule_search_locations)))
    target = work / "src" / "entente"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
    (target / "__init__.py").touch()  # a regular package, so that it wins over the working tree
    sys.path.insert(0, str(work / "src"))
    import entente

    if Path(list(entente.__path__)[0]) != target:
        raise SystemExit(f"entente is imported from {list(entente.__path__)[0]}, not from the copy {target}")


def build_corpus(path: Path, size: int) -> dict:
    """Write ``size`` distinct articles to ``path``; return what they are made of."""
    base = real_articles()
    written, chars = 0, 0
    with path.open("w", encoding="utf-8") as out:
        for article in copies(base, size):
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
            written += 1
            chars += len(article["text"])
    return {"articles": written, "distinct_texts": len(base), "mean_chars": round(chars / written)}


class MemorySampler:
    """Peak memory of this process and its children (the workers), sampled in a thread."""

    def __init__(self, interval: float = 0.25):
        self.interval = interval
        self.peak_rss = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            rss = pss = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    info = proc.memory_full_info()
                    rss += info.rss
                    pss += getattr(info, "pss", info.rss)
                except psutil.Error:
                    pass
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self._stop.wait(self.interval)

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def run(corpus: Path, db: Path, workers: int) -> dict:
    from entente.engines.local import ingest
    from entente.store import Store

    with Store(db) as store, MemorySampler() as memory:
        started = time.perf_counter()
        summary = ingest([corpus], store, workers=workers)
        seconds = time.perf_counter() - started
        counts = store.counts()
    return {"workers": workers, "articles": summary.read, "stored": summary.written,
            "failures": len(summary.failures), "seconds": round(seconds, 2),
            "articles_per_second": round(summary.read / seconds, 2),
            "peak_rss_mb": round(memory.peak_rss / 2**20), "peak_pss_mb": round(memory.peak_pss / 2**20),
            "counts": counts}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="entente-bench-"))
    try:
        snapshot_package(work)
        corpus = work / "corpus.jsonl"
        made = build_corpus(corpus, args.articles)
        print(f"corpus: {made['articles']:,} articles ({made['distinct_texts']} distinct texts repeated with new ids, "
              f"{made['mean_chars']:,} characters on average); {os.cpu_count()} cores; load average "
              f"{os.getloadavg()[0]:.1f} at start")
        results = []
        for workers in args.workers:
            result = run(corpus, work / f"store-{workers}.duckdb", workers)
            results.append(result)
            print(f"workers={workers}: {result['articles']:,} articles in {result['seconds']:.1f} s = "
                  f"{result['articles_per_second']:.2f} articles/s; peak memory {result['peak_rss_mb']:,} MB RSS "
                  f"({result['peak_pss_mb']:,} MB PSS) over the process and its workers; "
                  f"{result['counts']['events']:,} events, {result['failures']} failures", flush=True)
        base = results[0]["articles_per_second"]
        for result in results[1:]:
            result["ratio"] = round(result["articles_per_second"] / base, 2) if base else None
            print(f"ratio workers={result['workers']} / workers={results[0]['workers']}: {result['ratio']:.2f}")
        same = all(r["counts"] == results[0]["counts"] for r in results)
        print("store counts equal across configurations" if same else
              "store counts DIFFER across configurations: " + json.dumps([r["counts"] for r in results]))
        print(f"load average {os.getloadavg()[0]:.1f} at the end (other processes on the machine skew the ratio)")
        if args.json:
            args.json.write_text(json.dumps({"corpus": made, "results": results, "counts_equal": same}, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
