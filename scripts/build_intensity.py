"""Write src/entente/data/intensity.jsonl: a Goldstein-style intensity (-10 conflict .. +10
cooperation) for every PLOVER event type.

    python scripts/build_intensity.py [--mapping CAMEO2PLOVER-2021.txt] [--check]

The field's habit is the Goldstein (1992) scale, which scores CAMEO event codes (GDELT's lookup
of it is ``data/sources/goldstein_cameo.jsonl``). PLOVER types are not CAMEO codes, so each type
gets the mean Goldstein score of the CAMEO codes that PLOVER's own conversion table
(``CAMEO2PLOVER-2021.txt``, openeventdata/PLOVER, CC BY-SA 4.0; a copy is in
``shared/corpora/plover``) maps to it. Only the detailed codes (three and four digits) count:
the two-digit lines of that table head a group, and two groups (08, 09/11) are split between
types. ``--check`` exits 1 when the file on disk differs from what this would write.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "entente" / "data"
DEFAULT_MAPPING = ROOT.parent / "shared" / "corpora" / "plover" / "CAMEO2PLOVER-2021.txt"
#: ``0311: AGREE,  , economic # Express intent ...``: a CAMEO code and the PLOVER type it becomes.
MAPPING_LINE = re.compile(r"^(?P<code>\d{3,4}):\s*(?P<type>[A-Z]+)\b")


def build(mapping: Path) -> list[dict]:
    goldstein = {row["cameo"]: row["goldstein"] for row in
                 map(json.loads, (DATA / "sources" / "goldstein_cameo.jsonl").read_text().splitlines())}
    codes: dict[str, list[str]] = {}
    for line in mapping.read_text(encoding="utf-8").splitlines():
        found = MAPPING_LINE.match(line.strip())
        if found:
            codes.setdefault(found["type"], []).append(found["code"])
    rows = []
    for plover_type, cameo in codes.items():
        scored = [c for c in dict.fromkeys(cameo) if c in goldstein]
        if not scored:
            continue
        mean = sum(goldstein[c] for c in scored) / len(scored)
        rows.append({"type": plover_type, "intensity": round(mean, 1), "cameo": sorted(scored)})
    return sorted(rows, key=lambda r: -r["intensity"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mapping", type=Path, default=DEFAULT_MAPPING)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in build(args.mapping))
    target = DATA / "intensity.jsonl"
    if args.check:
        same = target.exists() and target.read_text(encoding="utf-8") == text
        print(f"{target.relative_to(ROOT)}: {'up to date' if same else 'differs; rerun without --check'}")
        return 0 if same else 1
    target.write_text(text, encoding="utf-8")
    print(f"{target.relative_to(ROOT)}: {text.count(chr(10))} types")
    return 0


if __name__ == "__main__":
    sys.exit(main())
