"""The referee on every gold set at once: one table of events, types, people, named events,
dates and places for gold/dev, news, plover-gsr and petr2-gsr, plus the extraction speed.

For each set, ``entente extract ../shared/gold/<set>/articles.jsonl -o <out>/<set>.jsonl``
runs (the CLI, as a user runs it, in a subprocess), then ``../shared/score.py <gold> <pred>
--json`` scores it. The speed ratio comes from ``benchmarks/speed.py`` (Entente's extractor
against bare spaCy in the same process, same texts and batch size).

Usage::

    python benchmarks/suites.py                       # the table
    python benchmarks/suites.py --json                # the same figures as JSON
    python benchmarks/suites.py --sets dev news       # some sets only
    python benchmarks/suites.py --speed               # and the speed ratio (about a minute more)
    python benchmarks/suites.py --out /tmp/suites     # keep the predictions there (default: a temp dir)
    python benchmarks/suites.py --compare before.json # a column of differences against an earlier --json

Every change to extraction is judged on all sets together: a change that lifts one set and
drops another is not progress until it is explained.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold"
SCORE = SHARED / "score.py"
SETS = ("dev", "news", "plover-gsr", "petr2-gsr")

#: (label, path into score.py's JSON); a path of two keys reads a nested figure.
COLUMNS = (
    ("events P", ("events", "precision")),
    ("events R", ("events", "recall")),
    ("events F1", ("events", "f1")),
    ("types F1", ("event_types", "f1")),
    ("date", ("event_date_accuracy",)),
    ("place", ("event_place_accuracy",)),
    ("direction", ("event_direction_accuracy",)),
    ("people F1", ("people", "f1")),
    ("office", ("person_office_accuracy",)),
    ("affil.", ("person_affiliation_accuracy",)),
    ("named F1", ("named_events", "f1")),
    ("ne org.", ("named_event_organizer_accuracy",)),
    ("ne place", ("named_event_place_accuracy",)),
    ("ne date", ("named_event_date_accuracy",)),
    ("dl place", ("dateline_place_accuracy",)),
    ("dl publ.", ("dateline_publisher_accuracy",)),
)
#: Columns that mean nothing on a set (the sentence suites have no people, named events or datelines).
NOT_SCORED = {
    "plover-gsr": {"people F1", "office", "affil.", "named F1", "ne org.", "ne place", "ne date", "dl place",
                   "dl publ.", "place"},
    "petr2-gsr": {"people F1", "office", "affil.", "named F1", "ne org.", "ne place", "ne date", "dl place",
                  "dl publ.", "place"},
}


def entente_command() -> list[str]:
    """The CLI of this checkout's environment (the venv beside it), else ``python -m``."""
    venv = ROOT / ".venv" / "bin" / "entente"
    return [str(venv)] if venv.exists() else [sys.executable, "-m", "entente.cli"]


def run_set(name: str, out: Path) -> dict:
    """Extract one gold set with the CLI and score it; the referee's JSON."""
    gold = GOLD / name
    if not (gold / "articles.jsonl").exists():
        raise SystemExit(f"no gold set at {gold}: put ../shared beside the repository")
    pred = out / f"{name}.jsonl"
    done = subprocess.run([*entente_command(), "extract", str(gold / "articles.jsonl"), "-o", str(pred)],
                          capture_output=True, text=True)
    if done.returncode not in (0, 1) or not pred.exists():
        raise SystemExit(f"entente extract failed on {name} (exit {done.returncode}):\n{done.stderr[-2000:]}")
    scored = subprocess.run([sys.executable, str(SCORE), str(gold), str(pred), "--json"],
                            capture_output=True, text=True, check=True)
    return json.loads(scored.stdout)


def figure(scores: dict, path: tuple[str, ...]) -> float | None:
    value = scores
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value if isinstance(value, (int, float)) else None


def speed_ratio() -> dict:
    """benchmarks/speed.py's figures (its JSON)."""
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "speed.py"), "--json"],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def table(results: dict[str, dict], before: dict[str, dict] | None = None) -> str:
    labels = [label for label, _ in COLUMNS]
    rows = [["set", *labels]]
    for name, scores in results.items():
        cells = [name]
        for label, path in COLUMNS:
            value = figure(scores, path)
            if label in NOT_SCORED.get(name, set()) or value is None:
                cells.append("-")
                continue
            cell = f"{value:.3f}"
            old = figure((before or {}).get(name, {}), path) if before else None
            if old is not None and round(old, 3) != round(value, 3):
                cell += f" ({value - old:+.3f})"
            cells.append(cell)
        rows.append(cells)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--speed", action="store_true", help="also measure the extraction speed ratio")
    parser.add_argument("--out", type=Path, help="folder to keep the predictions in")
    parser.add_argument("--compare", type=Path, help="an earlier --json output to show differences against")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        results = {name: run_set(name, out) for name in args.sets}
    report = {"sets": {name: {label: figure(s, path) for label, path in COLUMNS} | {"raw": s}
                       for name, s in results.items()}}
    if args.speed:
        report["speed"] = speed_ratio()
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    before = None
    if args.compare:
        before = {name: entry["raw"] for name, entry in json.loads(args.compare.read_text())["sets"].items()}
    print(table(results, before))
    if args.speed:
        s = report["speed"]
        print(f"\nextraction speed: {s['entente']['articles_per_s']:.1f} articles/s against bare spaCy "
              f"{s['spacy']['articles_per_s']:.1f} (best of {s['repeats']}, {s['articles']} articles): "
              f"ratio {s['ratio']:.2f} (CPU {s['cpu_ratio']:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
