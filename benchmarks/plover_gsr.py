"""Event typing and actor coding on the PLOVER gold-standard records.

Runs the extractor over every sentence of ``PLOVER_GSR_CAMEO.txt`` (the ontology's own
examples, edited from the CAMEO manual) in one ``nlp.pipe`` stream and compares, per gold
record:

- **type**: is the gold type among the types coded for the sentence (found); is it the type
  of the first event coded (first); and, the other way round, how many of the types coded
  for a sentence are gold (precision);
- **codes**, for gold records whose type was found: does an event of that type have the gold
  actor code set, the gold recipient code set, and both at once.

Usage::

    python benchmarks/plover_gsr.py [--limit N] [--json] [--misses] [--corpus PATH]

The figures are diagnostics, not the project's score (that is ``../shared/score.py``).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pycountry

from entente.extract import extract_articles
from entente.read.sources import Article

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "plover" / "PLOVER_GSR_CAMEO.txt"

EVENT_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
               "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
#: Type names of the 2016 records that PLOVER has since renamed or merged.
OLD_TYPE_NAMES = {"FIGHT": "ASSAULT", "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE"}
#: Codes in the records that are not ISO 3166-1 alpha-3: typos for the ISO code.
CODE_FIXES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
#: The records' generic classes for actors that are not states (international organisations,
#: NGOs, international militarised groups, Muslim groups): they name no organisation, so any
#: code that is not a state's matches them.
NON_STATE_CLASSES = {"IGO", "NGO", "IMG", "ISM"}
NON_STATE = "(non-state)"
STATE_CODES = {country.alpha_3 for country in pycountry.countries} | {"KOS"}


def canonical_code(code: str | None) -> str | None:
    """The code as compared: ISO alpha-3 for a state, one class for everything else.

    The records code every organisation and group as IGO, NGO or IMG, so a predicted
    ``UN`` or ``ISIL`` and a gold ``IGO`` both become the non-state class.
    """
    if not code:
        return None
    code = CODE_FIXES.get(code.upper(), code.upper())
    return code if code in STATE_CODES else NON_STATE


@dataclass
class GoldEvent:
    """One coded event of a gold sentence; actor and recipient are sets of canonical codes."""

    id: str
    type: str
    actor: frozenset
    recipient: frozenset


@dataclass
class Sentence:
    """A gold sentence with every gold event coded from it."""

    id: str
    text: str
    date: str | None
    gold: list[GoldEvent] = field(default_factory=list)


def gold_codes(parties) -> frozenset:
    """Canonical codes of a record's ``source`` or ``target`` (a list, or "" / null for none)."""
    if not isinstance(parties, list):
        return frozenset()
    return frozenset(c for c in (canonical_code(p.get("code")) for p in parties) if c)


def load_gsr(path: Path) -> list[Sentence]:
    """The gold sentences, in file order; records sharing a text become one sentence."""
    records = json.loads(path.read_text(encoding="utf-8"))
    sentences: dict[str, Sentence] = {}
    for record in records:
        text = record.get("text")
        if record.get("event") == "DOCUMENT" or not text:
            continue
        event_type = OLD_TYPE_NAMES.get(record["event"], record["event"])
        sentence = sentences.setdefault(text, Sentence(id=record["id"], text=text, date=record.get("date")))
        sentence.gold.append(GoldEvent(id=record["id"], type=event_type,
                                       actor=gold_codes(record.get("source")),
                                       recipient=gold_codes(record.get("target"))))
    return list(sentences.values())


def run_extractor(sentences: list[Sentence]) -> tuple[list[list[dict]], float]:
    """The events coded for each sentence, through one ``nlp.pipe`` stream, and the seconds taken."""
    articles = (Article(id=s.id, text=s.text, date=s.date) for s in sentences)
    start = time.perf_counter()
    coded = [record["events"] for record in extract_articles(articles)]
    return coded, time.perf_counter() - start


def coded_codes(parties, canonical: Callable[[str | None], str | None]) -> frozenset:
    """Canonical codes of a coded event's ``actor`` or ``recipient`` list."""
    return frozenset(c for c in (canonical(p.get("code")) for p in parties or []) if c)


def percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


class Tally:
    """Counts for one row of the table (a type, or all types)."""

    def __init__(self):
        self.counts = Counter()

    def add(self, **flags: bool):
        for name, value in flags.items():
            self.counts[name] += int(value)

    def row(self) -> dict:
        c = self.counts
        return {"gold": c["gold"], "found": percent(c["found"], c["gold"]),
                "first": percent(c["first"], c["gold"]),
                "predicted": c["predicted"], "precision": percent(c["correct"], c["predicted"]),
                "actor": percent(c["actor"], c["found"]), "recipient": percent(c["recipient"], c["found"]),
                "both": percent(c["both"], c["found"])}


def score(sentences: list[Sentence], coded: list[list[dict]]) -> dict:
    """Type and code accuracy, overall and per type (see the module docstring)."""
    overall, per_type = Tally(), defaultdict(Tally)
    sentence_counts = Counter()
    misses = []
    for sentence, events in zip(sentences, coded):
        gold_types = {g.type for g in sentence.gold}
        coded_types = [e.get("event") for e in events]
        first = coded_types[0] if coded_types else None
        sentence_counts["sentences"] += 1
        sentence_counts["silent"] += not events
        sentence_counts["first_is_gold"] += first in gold_types
        sentence_counts["any_is_gold"] += bool(gold_types & set(coded_types))
        for event_type in set(coded_types):  # precision: each type coded for a sentence counts once
            for tally in (overall, per_type[event_type]):
                tally.add(predicted=True, correct=event_type in gold_types)
        for gold in sentence.gold:
            same_type = [e for e in events if e.get("event") == gold.type]
            actor_ok = [coded_codes(e.get("actor"), canonical_code) == gold.actor for e in same_type]
            recipient_ok = [coded_codes(e.get("recipient"), canonical_code) == gold.recipient for e in same_type]
            flags = dict(gold=True, found=bool(same_type), first=first == gold.type, actor=any(actor_ok),
                         recipient=any(recipient_ok), both=any(a and r for a, r in zip(actor_ok, recipient_ok)))
            overall.add(**flags)
            per_type[gold.type].add(**flags)
            if not same_type:
                misses.append({"id": gold.id, "gold": gold.type, "coded": coded_types, "text": sentence.text})
    n = sentence_counts["sentences"]
    return {
        "sentences": n,
        "gold_events": overall.counts["gold"],
        "sentence_figures": {"first_type_is_gold": percent(sentence_counts["first_is_gold"], n),
                             "any_type_is_gold": percent(sentence_counts["any_is_gold"], n),
                             "no_event_coded": percent(sentence_counts["silent"], n)},
        "overall": overall.row(),
        "per_type": {t: per_type[t].row() for t in EVENT_TYPES if t in per_type},
        "misses": misses,
    }


COLUMNS = ("gold", "found", "first", "predicted", "precision", "actor", "recipient", "both")


def cell(value) -> str:
    """A percentage as printed ("-" when there was nothing to count)."""
    return "-" if value is None else f"{value:g}"


def format_table(result: dict, header: list[str], notes: list[str]) -> str:
    """The result as a plain-text table, one row per type and one for all, between the
    ``header`` and ``notes`` lines."""
    lines = header + ["", f"{'type':<10}" + "".join(f"{c:>11}" for c in COLUMNS)]
    for name, row in list(result["per_type"].items()) + [("ALL", result["overall"])]:
        lines.append(f"{name:<10}" + "".join(f"{cell(row[c]):>11}" for c in COLUMNS))
    return "\n".join(lines + [""] + notes)


def format_misses(misses: Iterable[dict]) -> str:
    return "\n".join(f"{m['id']}: gold {m['gold']}, coded {m['coded'] or 'nothing'}\n    {m['text']}"
                     for m in misses)


def parse_args(argv: list[str] | None, description: str, default_corpus: Path) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--corpus", type=Path, default=default_corpus, help="the gold file (default: %(default)s)")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N sentences")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--misses", action="store_true", help="also list gold events whose type was not coded")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv, "Event type and actor code accuracy on PLOVER's gold-standard records.",
                      DEFAULT_CORPUS)
    if not args.corpus.exists():
        print(f"{args.corpus}: no such file; pass the PLOVER_GSR_CAMEO.txt path with --corpus", file=sys.stderr)
        return 2
    sentences = load_gsr(args.corpus)[: args.limit]
    coded, seconds = run_extractor(sentences)
    result = score(sentences, coded)
    result["seconds"] = round(seconds, 2)
    result["corpus"] = str(args.corpus)
    if args.json:
        if not args.misses:
            result.pop("misses")
        print(json.dumps(result, indent=2))
    else:
        header = ["PLOVER gold-standard records (PLOVER_GSR_CAMEO.txt)",
                  f"{result['sentences']} sentences, {result['gold_events']} gold events, {seconds:.1f} s"]
        notes = ["found/first: % of gold events whose type is coded for the sentence / is the first coded;",
                 "predicted/precision: sentences coded with the type / % of them where it is gold;",
                 "actor/recipient/both: % of found events with an event of that type whose code sets equal gold.",
                 "sentences: " + ", ".join(f"{k.replace('_', ' ')} {cell(v)}%"
                                           for k, v in result["sentence_figures"].items())]
        print(format_table(result, header, notes))
        if args.misses:
            print("\nmissed types:\n" + format_misses(result["misses"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
