"""Extraction speed: articles per second of Entente's extractor against bare spaCy.

Both run in one process over the same article texts with the same batch size:

  spacy    ``spacy.load(<model>)`` (the plain pipeline, no Entente components) and
           ``list(nlp.pipe(texts, batch_size=N))``
  entente  ``extract_articles(articles, batch_size=N)`` with every record serialised with
           ``json.dumps`` as ``entente extract`` writes it (the CLI's loop, minus the file)

Articles: the re3d documents (98) and the texts of ``gold/dev/articles.jsonl`` (14), the
list repeated until it holds about ``--articles`` (default 300). Both pipelines are loaded
and warmed up (one pass over the first batch) before timing; the two are then timed
alternately (spacy, entente, spacy, entente, ...) ``--repeats`` times (default 3) and the
best pass of each counts, so that a burst of load on the machine hits both alike.
ratio = entente rate / spacy rate; the bar (issue 2) is ratio >= 0.7.

``--profile`` then runs one extra Entente pass under cProfile and prints the 25 functions of
Entente's own code (src/entente) with the highest cumulative time and the 15 with the highest
own time, so that the cost Entente adds over spaCy can be traced.

Usage:
  python benchmarks/speed.py                   # rates and ratio
  python benchmarks/speed.py --json            # the same as JSON
  python benchmarks/speed.py --profile         # and where Entente's time goes
  python benchmarks/speed.py --articles 100 --repeats 1   # a quick look
"""
from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from itertools import cycle, islice
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

RE3D = (Path(__file__).resolve().parents[1].parent / "shared" / "corpora/re3d")
DEV_ARTICLES = (Path(__file__).resolve().parents[1].parent / "shared" / "gold/dev/articles.jsonl")
BAR = 0.7


def read_texts(re3d: Path, dev: Path) -> list[tuple[str, str]]:
    """(id, text) of the re3d documents and the dev articles."""
    texts = []
    for path in sorted(re3d.glob("*/documents.json")):
        with path.open(encoding="utf-8-sig") as fh:
            texts += [(d["_id"], d["text"]) for d in map(json.loads, filter(str.strip, fh))]
    with dev.open(encoding="utf-8") as fh:
        texts += [(d["id"], d["text"]) for d in map(json.loads, filter(str.strip, fh))]
    if not texts:
        raise SystemExit(f"no articles under {re3d} or in {dev}")
    return texts


def run_spacy(nlp, texts: list[str], batch_size: int) -> tuple[float, float]:
    """Wall and CPU seconds for bare ``nlp.pipe`` over the texts, all Docs consumed."""
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - t0, time.process_time() - c0


def run_entente(articles: list, batch_size: int) -> tuple[float, float]:
    """Wall and CPU seconds for ``extract_articles`` over the articles, every record
    serialised as the CLI does."""
    from entente.extract import extract_articles

    t0, c0 = time.perf_counter(), time.process_time()
    for record in extract_articles(articles, batch_size=batch_size):
        json.dumps(record, ensure_ascii=False)
    return time.perf_counter() - t0, time.process_time() - c0


def component_times(nlp, texts: list[str], batch_size: int) -> dict[str, float]:
    """CPU seconds of each pipeline component (and the tokenizer) over the texts."""
    times = {}
    c0 = time.process_time()
    docs = [nlp.make_doc(t) for t in texts]
    times["tokenizer"] = time.process_time() - c0
    for name, proc in nlp.pipeline:
        c0 = time.process_time()
        if hasattr(proc, "pipe"):
            docs = list(proc.pipe(docs, batch_size=batch_size))
        else:
            docs = [proc(d) for d in docs]
        times[name] = time.process_time() - c0
    return times


def profile_entente(articles: list, batch_size: int, top_cumulative: int = 25, top_own: int = 15) -> dict:
    """One Entente pass under cProfile: Entente's own functions by cumulative and by own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    run_entente(articles, batch_size)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    rows = []
    for (filename, line, func), (cc, nc, tt, ct, _) in stats.stats.items():
        if str(SRC / "entente") in filename:
            where = f"{Path(filename).relative_to(SRC)}:{line}({func})"
            rows.append({"function": where, "calls": nc, "own_s": tt, "cumulative_s": ct})
    by_cum = sorted(rows, key=lambda r: -r["cumulative_s"])[:top_cumulative]
    by_own = sorted(rows, key=lambda r: -r["own_s"])[:top_own]
    own_total = sum(r["own_s"] for r in rows)
    return {"total_s": total, "entente_own_s": own_total, "by_cumulative": by_cum, "by_own": by_own}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=300, help="about this many articles (the texts repeated)")
    ap.add_argument("--repeats", type=int, default=3, help="timed passes of each system (best counts)")
    ap.add_argument("--batch-size", type=int, default=None, help="default: the batch_size setting")
    ap.add_argument("--model", default=None, help="bare spaCy pipeline (default: the model setting)")
    ap.add_argument("--profile", action="store_true", help="also profile one Entente pass")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)

    import spacy
    from entente import settings
    from entente.resources import default_resources
    from entente.read.sources import Article

    model = args.model or settings.get("model")
    batch_size = args.batch_size or settings.get("batch_size")
    base = read_texts(RE3D, DEV_ARTICLES)
    n = max(args.articles, 1)
    chosen = list(islice(cycle(base), n))
    texts = [t for _, t in chosen]
    articles = [Article(id=f"{i}-{aid}", text=t) for i, (aid, t) in enumerate(chosen)]
    chars = sum(map(len, texts))

    nlp = spacy.load(model)
    default_resources().load()           # Entente's pipeline and data files, loaded once
    run_spacy(nlp, texts[:batch_size], batch_size)          # warm-up
    run_entente(articles[:batch_size], batch_size)

    passes = {"spacy": [], "entente": []}
    for _ in range(max(args.repeats, 1)):
        passes["spacy"].append(run_spacy(nlp, texts, batch_size))
        passes["entente"].append(run_entente(articles, batch_size))
    result = {"articles": n, "distinct_texts": len(base), "characters": chars, "batch_size": batch_size,
              "model": model, "repeats": len(passes["spacy"])}
    for name, runs in passes.items():
        wall, cpu = [w for w, _ in runs], [c for _, c in runs]
        result[name] = {"seconds": wall, "cpu_seconds": cpu, "best_s": min(wall), "best_cpu_s": min(cpu),
                        "articles_per_s": n / min(wall), "articles_per_cpu_s": n / min(cpu)}
    ratio = result["entente"]["articles_per_s"] / result["spacy"]["articles_per_s"]
    cpu_ratio = result["entente"]["articles_per_cpu_s"] / result["spacy"]["articles_per_cpu_s"]
    result.update({"ratio": ratio, "cpu_ratio": cpu_ratio, "bar": BAR, "meets_bar": ratio >= BAR})
    if args.profile:
        result["components"] = {"spacy": component_times(nlp, texts, batch_size),
                                "entente": component_times(default_resources().nlp, texts, batch_size)}
        result["profile"] = profile_entente(articles, batch_size)

    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{n} articles ({len(base)} distinct texts: re3d + dev, repeated; {chars:,} characters), "
          f"batch size {batch_size}, model {model}")
    print(f"best of {result['repeats']} interleaved passes after a warm-up\n")
    print(f"{'system':<10}{'wall passes (s)':<22}{'best':>7}{'articles/s':>12}   "
          f"{'CPU passes (s)':<22}{'best':>7}{'articles/CPU s':>15}")
    for name in ("spacy", "entente"):
        r = result[name]
        wall = " ".join(f"{s:.2f}" for s in r["seconds"])
        cpu = " ".join(f"{s:.2f}" for s in r["cpu_seconds"])
        print(f"{name:<10}{wall:<22}{r['best_s']:>7.2f}{r['articles_per_s']:>12.1f}   "
              f"{cpu:<22}{r['best_cpu_s']:>7.2f}{r['articles_per_cpu_s']:>15.1f}")
    print(f"\nratio entente / spacy = {ratio:.3f} wall (bar {BAR}: {'met' if ratio >= BAR else 'NOT met'}), "
          f"{cpu_ratio:.3f} CPU")

    if args.profile:
        comps = result["components"]
        print("\nCPU seconds per pipeline component, one pass each (Entente's pipeline is the model "
              "plus its components)")
        names = list(dict.fromkeys([*comps["entente"], *comps["spacy"]]))
        print(f"{'component':<22}{'spacy':>8}{'entente':>9}")
        for c in names:
            sp, en = comps["spacy"].get(c), comps["entente"].get(c)
            print(f"{c:<22}{'' if sp is None else f'{sp:.2f}':>8}{'' if en is None else f'{en:.2f}':>9}")
        print(f"{'total':<22}{sum(comps['spacy'].values()):>8.2f}{sum(comps['entente'].values()):>9.2f}")
        prof = result["profile"]
        print(f"\nprofile of one Entente pass: {prof['total_s']:.2f} s under cProfile, of which "
              f"{prof['entente_own_s']:.2f} s own time in src/entente")
        print(f"\ntop {len(prof['by_cumulative'])} Entente functions by cumulative time")
        print(f"{'cumulative s':>12}{'own s':>8}{'calls':>9}  function")
        for r in prof["by_cumulative"]:
            print(f"{r['cumulative_s']:>12.3f}{r['own_s']:>8.3f}{r['calls']:>9}  {r['function']}")
        print(f"\ntop {len(prof['by_own'])} Entente functions by own time")
        print(f"{'own s':>8}{'cumulative s':>13}{'calls':>9}  function")
        for r in prof["by_own"]:
            print(f"{r['own_s']:>8.3f}{r['cumulative_s']:>13.3f}{r['calls']:>9}  {r['function']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
