"""TempEval-3 benchmark of entente.resolve.time: finding and normalising time expressions.

Reads TimeML (.tml) files, takes the document creation time (the TIMEX3 with
functionInDocument="CREATION_TIME" in <DCT>) as the publication date, runs
find_time_expressions on the plain text of <TEXT> and scores the result against the gold
TIMEX3 elements of <TEXT> as TempEval-3 (UzZaman et al., 2013) does:

  strict span   a system expression and a gold one with the same start and end
  relaxed span  a system expression and a gold one that overlap (each used once)
  P = matches / system expressions, R = matches / gold expressions, F1 their harmonic mean
  value F1      among relaxed matches, those with the same value: P = equal values / system
                expressions, R = equal values / gold expressions, F1 their harmonic mean
  type accuracy among relaxed matches, the share with the same type (DATE, TIME, ...)

Usage:
  python benchmarks/tempeval.py                       # te3-platinum
  python benchmarks/tempeval.py --corpus ../shared/corpora/tempeval3/TBAQ-cleaned
  python benchmarks/tempeval.py --json                # the figures as JSON
  python benchmarks/tempeval.py --errors 30           # show the first 30 disagreements
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from entente.resolve.time import find_time_expressions  # noqa: E402
from entente.resources import default_resources  # noqa: E402

FINDER = default_resources().time_finder

DEFAULT_CORPUS = (Path(__file__).resolve().parents[1].parent / "shared" / "corpora/tempeval3/te3-platinum")


@dataclass
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str | None


@dataclass
class Document:
    name: str
    dct: str
    text: str
    gold: list[Timex]


def read_tml(path: Path) -> Document:
    """One TimeML file: its creation date, the plain text of <TEXT> and the gold TIMEX3 spans in it."""
    root = ET.parse(path).getroot()
    dct_el = next((t for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"), None)
    if dct_el is None:
        raise SystemExit(f"{path}: no TIMEX3 with functionInDocument=\"CREATION_TIME\"; is it a TimeML file?")
    body = root.find("TEXT")
    if body is None:
        raise SystemExit(f"{path}: no <TEXT> element")
    parts: list[str] = []
    gold: list[Timex] = []
    length = 0

    def walk(el: ET.Element) -> None:
        nonlocal length
        start = length
        if el.text:
            parts.append(el.text)
            length += len(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                length += len(child.tail)
        if el.tag == "TIMEX3" and el is not body:
            text = "".join(parts)[start:length]
            gold.append(Timex(start, length, text, el.get("type", ""), el.get("value")))

    walk(body)
    return Document(path.stem, dct_el.get("value", "")[:10], "".join(parts), gold)


def read_corpus(path: Path) -> list[Document]:
    files = sorted(path.rglob("*.tml"))
    if not files:
        raise SystemExit(f"{path}: no .tml files found; give the folder of a TimeML corpus")
    return [read_tml(f) for f in files]


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(docs: list[Document], errors: list | None = None) -> dict:
    gold_n = sys_n = strict = relaxed = value_ok = type_ok = 0
    started = time.perf_counter()
    chars = 0
    for doc in docs:
        found = find_time_expressions(doc.text, doc.dct, finder=FINDER)
        chars += len(doc.text)
        gold_n += len(doc.gold)
        sys_n += len(found)
        used: set[int] = set()
        for s in found:
            # the gold expression with the same span, else the first overlapping one not yet used
            best = None
            for i, g in enumerate(doc.gold):
                if i in used or g.end <= s.start or s.end <= g.start:
                    continue
                if g.start == s.start and g.end == s.end:
                    best = i
                    break
                if best is None:
                    best = i
            if best is None:
                if errors is not None:
                    errors.append((doc.name, doc.dct, "spurious", s.text, s.type, s.value, "", "", ""))
                continue
            used.add(best)
            g = doc.gold[best]
            relaxed += 1
            strict += g.start == s.start and g.end == s.end
            value_ok += g.value == s.value
            type_ok += g.type == s.type
            if errors is not None and g.value != s.value:
                errors.append((doc.name, doc.dct, "value", s.text, s.type, s.value, g.text, g.type, g.value))
        if errors is not None:
            for i, g in enumerate(doc.gold):
                if i not in used:
                    ctx = doc.text[max(0, g.start - 40):g.end + 40].replace("\n", " ")
                    errors.append((doc.name, doc.dct, "missed", "", "", "", g.text, g.type, f"{g.value}   | {ctx}"))
    elapsed = time.perf_counter() - started

    def prf(k: int) -> dict:
        p = k / sys_n if sys_n else 0.0
        r = k / gold_n if gold_n else 0.0
        return {"P": round(p, 4), "R": round(r, 4), "F1": round(_f1(p, r), 4)}

    return {
        "documents": len(docs), "gold": gold_n, "system": sys_n,
        "strict": prf(strict), "relaxed": prf(relaxed), "value": prf(value_ok),
        "type_accuracy": round(type_ok / relaxed, 4) if relaxed else 0.0,
        "seconds": round(elapsed, 3), "chars_per_second": int(chars / elapsed) if elapsed else None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--corpus", action="append", type=Path, default=[],
                    help="another folder of .tml files to score (repeatable); te3-platinum is always scored")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="print the first N disagreements per corpus")
    args = ap.parse_args(argv)

    corpora = [DEFAULT_CORPUS] + [c for c in args.corpus if c.resolve() != DEFAULT_CORPUS.resolve()]
    results = {}
    error_lists = {}
    for corpus in corpora:
        errs: list | None = [] if args.errors else None
        results[corpus.name] = evaluate(read_corpus(corpus), errs)
        error_lists[corpus.name] = errs

    if args.json:
        print(json.dumps(results, indent=2))
        return 0

    head = (f"{'corpus':<14} {'docs':>4} {'gold':>5} {'sys':>5} | {'strict P':>8} {'R':>6} {'F1':>6} | "
            f"{'relaxed P':>9} {'R':>6} {'F1':>6} | {'value P':>7} {'R':>6} {'F1':>6} | {'type acc':>8}")
    print(head)
    print("-" * len(head))
    for name, r in results.items():
        s, x, v = r["strict"], r["relaxed"], r["value"]
        print(f"{name:<14} {r['documents']:>4} {r['gold']:>5} {r['system']:>5} | {s['P']:>8.3f} {s['R']:>6.3f} {s['F1']:>6.3f} | "
              f"{x['P']:>9.3f} {x['R']:>6.3f} {x['F1']:>6.3f} | {v['P']:>7.3f} {v['R']:>6.3f} {v['F1']:>6.3f} | "
              f"{r['type_accuracy']:>8.3f}")
    print()
    print("How: the DCT (TIMEX3 functionInDocument=CREATION_TIME) is the publication date; tags are stripped")
    print("from <TEXT> keeping character offsets. Strict: same start and end; relaxed: overlap, each gold")
    print("expression matched once. P = matches/system, R = matches/gold. Value P/R/F1: among relaxed")
    print("matches, the value is equal (TempEval-3 attribute F1). Type accuracy: equal type among relaxed")
    print("matches. Reference: HeidelTime, best at TempEval-3, value F1 0.776 on te3-platinum.")
    for name, r in results.items():
        print(f"Speed on {name}: {r['chars_per_second']:,} characters a second.")
    for name, errs in error_lists.items():
        if errs:
            print(f"\nDisagreements on {name} (first {args.errors}):")
            for e in errs[:args.errors]:
                print("  " + " | ".join(str(x) for x in e))
    return 0


if __name__ == "__main__":
    sys.exit(main())
