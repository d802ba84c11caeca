"""Real articles for the benchmarks and the kill script: the gold dev articles and the re3d
documents of ../shared (beside the repository), repeated as distinct articles up to a size.

Standard library only: the scripts that use it import Entente from a snapshot afterwards.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD = SHARED / "gold" / "dev" / "articles.jsonl"
RE3D = SHARED / "corpora" / "re3d"


def real_articles() -> list[dict]:
    """The gold dev articles and the re3d documents, as JSONL article objects."""
    base = []
    if GOLD.exists():
        for line in GOLD.read_text(encoding="utf-8").splitlines():
            if line.strip():
                obj = json.loads(line)
                base.append({k: obj[k] for k in ("id", "text", "date", "title", "url", "publisher") if obj.get(k)})
    for path in sorted(RE3D.glob("*/documents.json")):
        for line in path.read_text(encoding="utf-8-sig").splitlines():
            if line.strip():
                doc = json.loads(line)
                base.append({k: v for k, v in (("id", f"re3d-{doc['_id']}"), ("text", doc["text"]),
                                               ("title", doc.get("title")), ("url", doc.get("sourceUrl"))) if v})
    if not base:
        raise SystemExit(f"no articles found under {SHARED}: ../shared must lie beside the repository")
    return base


def copies(base: list[dict], size: int) -> Iterator[dict]:
    """``size`` articles: ``base`` once as it is, then again and again, each copy with a new id
    and a marker at the end of its text, so that every article is distinct."""
    written, copy = 0, 0
    while written < size:
        for article in base:
            if written >= size:
                return
            if copy:
                article = dict(article, id=f"{article['id']}-copy{copy}", text=article["text"] + f"\n\n[copy {copy}]")
            yield article
            written += 1
        copy += 1
