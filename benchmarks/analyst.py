"""What the analyst's faces cost (issue 15): writing the text index with every article, and
answering a search, a time series and an actor's name.

    python benchmarks/analyst.py [--articles 2000] [--runs 20] [--json out.json]

The records are real: the dev articles (../shared/gold/dev/articles.jsonl, else the Kazinform
story in tests/data) are extracted once, then written again and again with new ids, changed
texts and shifted dates (``benchmarks/load.py``'s copies), in batches of 50 through the store's
one write path. Two stores are written in the same run, batch for batch in turn: one as the
store writes (the text index with every article) and one whose text index writing is switched
off (the baseline), so the ratio is of the index alone. Then, on the full store, the median
time of ``queries.search`` (two words), ``queries.timeseries`` (a dyad by month, and every event
by auto interval), ``queries.resolve_actor`` (a name) and ``queries.events`` with a name.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from load import DEV_ARTICLES, FIXTURE, copy_record  # noqa: E402


def records() -> list[dict]:
    from entente.extract import extract_articles
    from entente.read.sources import iter_articles

    source = DEV_ARTICLES if DEV_ARTICLES.exists() else FIXTURE
    return list(extract_articles(a for a in iter_articles([source]) if not isinstance(a, Exception)))


def timed(call, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    from entente.dictionaries import load_dictionaries
    from entente.store import Store, queries

    base = records()
    d = load_dictionaries()
    with tempfile.TemporaryDirectory() as tmp:
        indexed, plain = Store(Path(tmp) / "indexed.duckdb"), Store(Path(tmp) / "plain.duckdb")
        plain._index_texts = lambda articles: None       # the baseline: no text index written
        for store in (indexed, plain):
            store.load_actor_names(d.countries, d.organizations, d.groups)
        spent = {"indexed": 0.0, "plain": 0.0}
        k = 0
        while k < args.articles:
            batch = [(copy_record(base[(k + i) % len(base)], k + i), None, None, None)
                     for i in range(min(50, args.articles - k))]
            for name, store in (("indexed", indexed), ("plain", plain)) if (k // 50) % 2 == 0 else \
                    (("plain", plain), ("indexed", indexed)):
                started = time.perf_counter()
                store.write_records(batch)
                spent[name] += time.perf_counter() - started
            k += len(batch)
        counts = indexed.counts()
        out = {
            "articles": counts["articles"], "events": counts["events"], "sentences": counts["article_sentences"],
            "terms": counts["text_terms"],
            "write_ms_per_article": {n: round(1000 * v / args.articles, 3) for n, v in spent.items()},
            "write_ratio_indexed_to_plain": round(spent["indexed"] / spent["plain"], 3),
            "median_ms": {
                "search two words": 1000 * timed(lambda: queries.search(indexed, "defence minister"), args.runs),
                "search a phrase": 1000 * timed(lambda: queries.search(indexed, '"foreign minister"'), args.runs),
                "timeseries dyad by month": 1000 * timed(
                    lambda: queries.timeseries(indexed, interval="month", actor="SRB", with_="CSTO"), args.runs),
                "timeseries all, auto": 1000 * timed(lambda: queries.timeseries(indexed), args.runs),
                "resolve_actor 'United Kingdom'": 1000 * timed(
                    lambda: queries.resolve_actor(indexed, "United Kingdom"), args.runs),
                "events actor='United Kingdom' limit 100": 1000 * timed(
                    lambda: queries.events(indexed, actor="United Kingdom", limit=100), args.runs),
                "events actor='GBR' limit 100": 1000 * timed(
                    lambda: queries.events(indexed, actor="GBR", limit=100), args.runs),
            },
        }
        out["median_ms"] = {k: round(v, 2) for k, v in out["median_ms"].items()}
        indexed.close()
        plain.close()
    print(json.dumps(out, indent=2))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
