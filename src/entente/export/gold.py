"""Gold from the analysts' reviews: ``<id>.gold.json`` files in SPEC.md's gold format and their
``articles.jsonl``, so that ``python3 ../shared/score.py FOLDER PRED.jsonl`` scores an
extractor on the analysts' own corrections.

For every stored article with a reviewed event report:

- **events**: confirmed and corrected reports are required gold events with their reviewed
  values; rejected ones are absent (finding them again is a false alarm); unreviewed ones are
  ``optional`` (neither a miss nor a false alarm);
- **people** and **named events**: reviewed ones (confirmed, corrected) are required, unreviewed
  ones are in ``optional_people`` / ``optional_named_events``, rejected ones are absent;
- **dateline**: left empty (it is not reviewed, so it is not gold);
- ``articles.jsonl``: the article's id, text, publication date, title, url and publisher.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from ..errors import StoreError
from ..store.reviews import article_ledger, articles_with_reviewed_events

_UNSAFE = re.compile(r"[^\w.-]+")


def _file_name(article: str, taken: set[str]) -> str:
    """``<id>.gold.json`` with characters a file name cannot hold replaced (the referee reads
    the id from inside the file)."""
    name = _UNSAFE.sub("_", article).strip("._") or "article"
    if name != article or name in taken:
        name = f"{name}-{hashlib.sha1(article.encode('utf-8')).hexdigest()[:8]}"
    taken.add(name)
    return f"{name}.gold.json"


def _place(place: dict | None) -> str | None:
    if not place:
        return None
    return place.get("name") or place.get("country")


def _gold_event(values: dict, status: str | None, target) -> dict:
    date, _, enddate = (values.get("date") or "").partition("/")
    ev = {"event": values["event"], "actor": values["actor"], "recipient": values["recipient"]}
    if date:
        ev["date"] = date
    if enddate:
        ev["enddate"] = enddate
    if _place(values.get("place")):
        ev["place"] = _place(values["place"])
    if values.get("aux"):
        ev["aux"] = values["aux"]
    if status is None:
        ev["optional"] = True
        ev["note"] = "not reviewed"
    else:
        state = target.state
        changed = [f for f in ("event", "actor", "recipient", "date", "place", "aux")
                   if values.get(f) != target.extracted.get(f)]
        what = f"corrected ({', '.join(changed)})" if status == "corrected" else "confirmed"
        ev["note"] = f"{what} by {state.reviewer} on {state.reviewed_at:%Y-%m-%d}; key {target.key}"
    return ev


def gold_of(store, article: str) -> tuple[dict, dict] | None:
    """(gold annotation, articles.jsonl line) of one stored article as reviewed, or None if the
    article is not stored."""
    found = article_ledger(store, article)
    if found is None:
        return None
    book, record, text, columns = found
    events = [_gold_event(t.state.values, t.status, t) for t in book.of("event") if t.status != "rejected"]
    people = [{"name": t.state.values["name"], "office": t.state.values["office"],
               "affiliation": t.state.values["affiliation"]} for t in book.of("person")
              if t.status in ("confirmed", "corrected")]
    named = []
    for t in book.of("named_event"):
        if t.status not in ("confirmed", "corrected"):
            continue
        v = t.state.values
        item = {"name": v["name"], "kind": v.get("type"), "organizer": v.get("organizer"), "place": _place(v.get("place")),
                "date": v.get("date"), "participants": v.get("participants") or [], "observers": v.get("observers") or []}
        named.append({k: val for k, val in item.items() if val not in (None, "")})
    gold = {
        "id": article,
        "dateline": {},
        "events": events,
        "people": [{k: v for k, v in p.items() if v is not None} for p in people],
        "optional_people": [t.state.values["name"] for t in book.of("person") if t.status is None],
        "named_events": named,
        "optional_named_events": [t.state.values["name"] for t in book.of("named_event") if t.status is None],
        "note": "exported from Entente's analyst reviews: reviewed items are gold, unreviewed ones optional, "
                "rejected ones absent; the dateline is not reviewed",
    }
    line = {"id": article, "text": text, "date": columns["published"], "title": columns["title"],
            "url": columns["url"], "publisher": columns["publisher"]}
    return gold, {k: v for k, v in line.items() if v is not None}


def export_gold(store, folder: str | Path) -> int:
    """Write the gold of every article with a reviewed event report into ``folder`` (see the
    module doc); returns how many articles. The folder must be new, empty or an earlier gold
    export (only ``*.gold.json`` and ``articles.jsonl``), whose files are replaced."""
    folder = Path(folder)
    if folder.exists():
        if not folder.is_dir():
            raise StoreError(f"{folder} is a file; give a folder for the gold")
        others = [p.name for p in folder.iterdir() if not (p.name.endswith(".gold.json") or p.name == "articles.jsonl")]
        if others:
            raise StoreError(f"{folder} holds other files than a gold export ({', '.join(sorted(others)[:3])}); "
                             "give an empty or new folder")
    articles = articles_with_reviewed_events(store)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.gold.json"):
        old.unlink()
    taken: set[str] = set()
    with (folder / "articles.jsonl").open("w", encoding="utf-8") as lines:
        for article in articles:
            gold, line = gold_of(store, article)
            (folder / _file_name(article, taken)).write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n",
                                                           encoding="utf-8")
            lines.write(json.dumps(line, ensure_ascii=False) + "\n")
    return len(articles)
