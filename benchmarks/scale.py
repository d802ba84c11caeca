"""Scale benchmark: throughput of bare spaCy, the local engine and the Dask engine, peak
memory per worker, and how the Dask engine's time grows with the corpus (issue 6).

    python benchmarks/scale.py                      # 1,000 articles; curve at 1k, 5k, 20k
    python benchmarks/scale.py --quick              # 100 articles; curve at 100, 300, 1,000
    python benchmarks/scale.py --articles 500 --sizes 1000,5000,20000 --plot docs/scale.png

The corpus is the gold dev articles and the re3d documents of ../shared, repeated with
changed ids and a numbered last line, so that every text is new (no article is skipped as
unchanged or stored as a duplicate). Every measurement runs in a fresh subprocess and is
timed from the start of the call to its end: reading, starting the worker processes or the
LocalCluster, loading the pipeline in each, extracting, and (engines) writing the DuckDB
store. The parent samples the resident memory (RSS) of the subprocess and its children every
0.2 s: "worker" is the largest of the processes that extract (the subprocess itself for bare
spaCy and one local worker), "driver" the subprocess that reads and writes the store.

Prints a table, the issue's ratios (dask2/dask1 >= 1.5, dask2/local2 >= 0.8,
t(20k)/t(1k) <= 25), and writes the plot (default docs/scale.png).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODES = [("spacy", 1), ("local", 1), ("local", 2), ("dask", 1), ("dask", 2)]


# -- the corpus ---------------------------------------------------------------------------------


def base_articles() -> list[dict]:
    """The gold dev articles and the re3d documents, as JSONL articles (benchmarks/corpus.py)."""
    from corpus import real_articles

    return real_articles()


def write_corpus(path: Path, size: int, base: list[dict]) -> Path:
    """``size`` articles: the base ones over and over, each with a new id and a new text."""
    with path.open("w", encoding="utf-8") as fh:
        for i in range(size):
            article = base[i % len(base)]
            copy = dict(article, id=f"{article['id']}-{i}", text=f"{article['text']}\n\nReference {i}.")
            fh.write(json.dumps(copy, ensure_ascii=False) + "\n")
    return path


# -- one measurement (in a subprocess) ----------------------------------------------------------


def run_one(mode: str, workers: int, corpus: Path, store_path: Path) -> dict:
    """Time one configuration over ``corpus``; returns articles, seconds and what was stored.

    Two clocks: ``seconds`` from the start of the process (imports, loading spaCy, starting
    worker processes or a cluster) to the end; and ``steady_seconds``, the time once the
    engine is up: for bare spaCy after loading the pipeline, for an engine the time its
    ingest reports (the local engine's includes loading spaCy in the parent before forking
    its workers; the Dask engine's starts once the cluster is up and every worker has
    loaded the pipeline: a start-up paid once per run, shown by the difference)."""
    started = time.perf_counter()
    if mode == "spacy":
        import spacy

        from entente import settings

        nlp = spacy.load(settings.get("model"))
        loaded = time.perf_counter()
        texts = [json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines()]
        n = sum(1 for _ in nlp.pipe(texts, batch_size=settings.get("batch_size")))
        ended = time.perf_counter()
        return {"articles": n, "seconds": ended - started, "stored": None,
                "steady_articles": n, "steady_seconds": ended - loaded}
    from entente.store import Store

    with Store(store_path) as store:
        if mode == "local":
            from entente.engines.local import ingest
            summary = ingest([corpus], store, workers=workers)
        else:
            from entente.engines.dask import ingest
            summary = ingest([corpus], store, workers=workers, output=store_path.with_suffix(".parquet"))
        seconds = time.perf_counter() - started
        return {"articles": summary.read, "seconds": seconds, "stored": store.counts()["articles"],
                "events": summary.events, "failures": len(summary.failures),
                "steady_articles": summary.read, "steady_seconds": summary.seconds}


class MemorySampler(threading.Thread):
    """Peak RSS of a process (the driver) and of its descendants that extract (the workers)."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.driver = 0
        self.workers: dict[int, int] = {}
        self.halt = threading.Event()

    def run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self.halt.is_set():
            try:
                self.driver = max(self.driver, root.memory_info().rss)
                for child in root.children(recursive=True):
                    try:
                        if "resource_tracker" in " ".join(child.cmdline()):
                            continue
                        self.workers[child.pid] = max(self.workers.get(child.pid, 0), child.memory_info().rss)
                    except psutil.Error:
                        pass
            except psutil.Error:
                return
            self.halt.wait(self.interval)


def measure(mode: str, workers: int, corpus: Path, tmp: Path) -> dict:
    """Run one configuration in a fresh Python, sampling its memory; returns its figures."""
    out = tmp / f"{mode}{workers}-{corpus.stem}.json"
    store = tmp / f"{mode}{workers}-{corpus.stem}.duckdb"
    cmd = [sys.executable, __file__, "--run", mode, "--workers", str(workers), "--corpus", str(corpus),
           "--store", str(store), "--out", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sampler = MemorySampler(proc.pid)
    sampler.start()
    _, err = proc.communicate()
    sampler.halt.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{mode} with {workers} workers failed:\n{err[-3000:]}")
    result = json.loads(out.read_text())
    in_process = mode == "spacy" or (mode == "local" and workers == 1)
    worker_peaks = [sampler.driver] if in_process else sorted(sampler.workers.values(), reverse=True)[:workers]
    result.update(mode=mode, workers=workers, rate=result["articles"] / result["seconds"],
                  steady_rate=result["steady_articles"] / result["steady_seconds"] if result["steady_seconds"] else 0.0,
                  worker_mb=max(worker_peaks, default=0) / 2**20, driver_mb=sampler.driver / 2**20)
    return result


# -- the report ---------------------------------------------------------------------------------


def label(r: dict) -> str:
    return "bare spaCy nlp.pipe" if r["mode"] == "spacy" else f"{r['mode']} engine, {r['workers']} worker(s)"


def print_table(rows: list[dict], curve: list[dict]) -> None:
    print(f"\n{'configuration':<28} {'articles':>8} {'seconds':>9} {'articles/s':>11} {'steady /s':>10} "
          f"{'peak MB/worker':>15} {'driver MB':>10}")
    for r in rows:
        print(f"{label(r):<28} {r['articles']:>8,} {r['seconds']:>9.1f} {r['rate']:>11.2f} "
              f"{r.get('steady_rate', 0):>10.2f} {r['worker_mb']:>15.0f} {r['driver_mb']:>10.0f}")
    print("articles/s: from the start of the process (imports, spaCy, starting workers or the cluster)")
    print("to the end; steady /s: once the engine is up (a Dask cluster's start-up, paid once a run, excluded)")
    print(f"\nDask engine, 2 workers, by corpus size")
    print(f"{'articles':>8} {'seconds':>9} {'articles/s':>11} {'peak MB/worker':>15} {'driver MB':>10}")
    for r in curve:
        print(f"{r['articles']:>8,} {r['seconds']:>9.1f} {r['rate']:>11.2f} {r['worker_mb']:>15.0f} "
              f"{r['driver_mb']:>10.0f}")


def ratios(rows: list[dict], curve: list[dict]) -> dict:
    """The issue's ratios: throughput once the engine is up (a Dask cluster's start-up, about
    ten seconds, is paid once per run and shown apart), and, for reference, from the start of
    the process."""
    by = {(r["mode"], r["workers"]): r for r in rows}
    out = {}
    for key, rate in (("", "steady_rate"), (" incl. start-up", "rate")):
        if ("dask", 1) in by and ("dask", 2) in by:
            out["dask2/dask1" + key] = (by["dask", 2][rate] / by["dask", 1][rate], ">=", 1.5)
        if ("local", 2) in by and ("dask", 2) in by:
            out["dask2/local2" + key] = (by["dask", 2][rate] / by["local", 2][rate], ">=", 0.8)
    if len(curve) >= 2:
        small, large = curve[0], curve[-1]
        out[f"t({large['articles']:,})/t({small['articles']:,})"] = (
            large["seconds"] / small["seconds"], "<=", 25 * large["articles"] / small["articles"] / 20)
    return out


def plot(rows: list[dict], curve: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    names = [label(r).replace(" engine, ", "\n").replace(" worker(s)", " worker(s)") for r in rows]
    bars = left.bar(range(len(rows)), [r["rate"] for r in rows],
                    color=["#999999", "#4c72b0", "#4c72b0", "#dd8452", "#dd8452"][:len(rows)])
    for bar, r in zip(bars, rows):
        left.annotate(f"{r['rate']:.1f}/s\n{r['worker_mb']:.0f} MB", (bar.get_x() + bar.get_width() / 2,
                      bar.get_height()), ha="center", va="bottom", fontsize=8)
    left.set_xticks(range(len(rows)), names, fontsize=8)
    left.set_ylabel("articles per second")
    left.set_title(f"Throughput on {rows[0]['articles']:,} articles (peak RSS per worker)", fontsize=10)
    left.margins(y=0.2)
    if curve:
        sizes = [r["articles"] for r in curve]
        secs = [r["seconds"] for r in curve]
        right.plot(sizes, secs, "o-", color="#dd8452", label="Dask engine, 2 workers")
        linear = [secs[0] * s / sizes[0] for s in sizes]
        right.plot(sizes, linear, "--", color="#999999", label=f"linear from {sizes[0]:,}")
        for s, t in zip(sizes, secs):
            right.annotate(f"{t:.0f} s", (s, t), textcoords="offset points", xytext=(4, -12), fontsize=8)
        right.set_xscale("log")
        right.set_yscale("log")
        right.set_xlabel("articles")
        right.set_ylabel("seconds")
        right.set_title("Time by corpus size", fontsize=10)
        right.legend(fontsize=8)
    fig.suptitle(f"Entente ingest on {os.cpu_count()} cores", fontsize=11)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, help="articles for the throughput table (default 1000; quick: 100)")
    parser.add_argument("--sizes", help="corpus sizes of the curve, comma-separated (default 1000,5000,20000)")
    parser.add_argument("--quick", action="store_true", help="small sizes, to try the benchmark out")
    parser.add_argument("--plot", type=Path, default=ROOT / "docs" / "scale.png", help="PNG to write")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--replot", type=Path, help="print the table and plot from a --json file, measuring nothing")
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:  # a measurement subprocess
        args.out.write_text(json.dumps(run_one(args.run, args.workers, args.corpus, args.store)))
        return

    if args.replot:
        report(json.loads(args.replot.read_text()), args.plot)
        return
    n = args.articles or (100 if args.quick else 1000)
    sizes = [int(s) for s in (args.sizes or ("100,300,1000" if args.quick else "1000,5000,20000")).split(",")]
    base = base_articles()
    results: dict = {"cores": os.cpu_count(), "throughput": [], "curve": []}

    def save() -> None:
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))

    with tempfile.TemporaryDirectory(prefix="entente-scale-") as tmp:
        tmp = Path(tmp)
        corpus = write_corpus(tmp / f"articles-{n}.jsonl", n, base)
        for mode, workers in MODES:
            r = measure(mode, workers, corpus, tmp)
            print(f"{label(r)}: {r['articles']:,} articles in {r['seconds']:.1f} s = {r['rate']:.2f}/s "
                  f"(steady {r['steady_rate']:.2f}/s), peak {r['worker_mb']:.0f} MB per worker", flush=True)
            results["throughput"].append(r)
            save()
        for size in sizes:
            same = next((r for r in results["throughput"] if r["mode"] == "dask" and r["workers"] == 2
                         and r["articles"] == size), None)
            r = same or measure("dask", 2, write_corpus(tmp / f"articles-{size}.jsonl", size, base), tmp)
            print(f"Dask engine, 2 workers, {size:,} articles: {r['seconds']:.1f} s = {r['rate']:.2f}/s", flush=True)
            results["curve"].append(r)
            save()

    report(results, args.plot)


def report(results: dict, plot_path: Path) -> None:
    """Print the table and the issue's ratios, and write the plot."""
    print_table(results["throughput"], results["curve"])
    print()
    for name, (value, op, wanted) in ratios(results["throughput"], results["curve"]).items():
        ok = value >= wanted if op == ">=" else value <= wanted
        print(f"{name:<34} {value:6.2f}   (wanted {op} {wanted:g}: {'yes' if ok else 'NO'})")
    plot(results["throughput"], results["curve"], plot_path)
    print(f"\nplot written to {plot_path}")


if __name__ == "__main__":
    main()
