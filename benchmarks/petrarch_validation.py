"""Event typing and actor coding on the PETRARCH-2 validation records.

Runs the extractor over every sentence of ``PETR2_GSR_validation.xml`` in one ``nlp.pipe``
stream and compares it with the expected CAMEO codings, turned into PLOVER:

- **event codes** through ``CAMEO2PLOVER-2021.txt`` (the most specific line for the code:
  ``0841`` uses its own line, a code without one falls back to its three-, then two-digit
  root). CAMEO's 02 "appeal" is REQUEST, as in the PLOVER codebook (the table starts at 03);
  CAMEO's 01 "public statement" has no PLOVER type, so those codings are counted as
  unmapped and left out of the figures. Where the table and SPEC.md disagree SPEC wins
  (``OVERRIDES``).
- **actor codes** by their CAMEO structure: the first three letters are the state (``USAGOV``
  -> USA, sector GOV; ``PSEGZACVL`` -> PSE, sector CVL), ``---`` is an unknown actor (not
  scored), and IGO / IMG codes become the organisation or group codes of SPEC.md
  (``IGOUNO`` -> UN, ``IMGMUSISI`` -> ISIL).

CAMEO codes dyads, one (source, target) pair per coding, while PLOVER keeps compound actors
in one event: a gold source is right when an event of the gold type has it among its actors,
a gold target when that event has it among its recipients (or, for an event without
recipients such as a meeting without a host, among its actors). A pair CAMEO codes in both
directions (its way of writing "A and B met") is matched by an event in either direction.

Usage::

    python benchmarks/petrarch_validation.py [--limit N] [--json] [--misses] [--corpus PATH]
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from plover_gsr import (EVENT_TYPES, Sentence, Tally, cell, format_misses, format_table, parse_args,
                        percent, run_extractor)

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
DEFAULT_CORPUS = CORPORA / "petrarch" / "PETR2_GSR_validation.xml"
CAMEO_TO_PLOVER = CORPORA / "plover" / "CAMEO2PLOVER-2021.txt"

#: CAMEO roots the conversion table leaves out: 02 (appeal) is REQUEST in the PLOVER codebook;
#: 01 (make public statement) has no PLOVER type (None: not scored).
ROOTS_OUTSIDE_TABLE = {"01": None, "02": "REQUEST"}
#: Where SPEC.md settles a type differently from the 2021 table: 163 "impose embargo, boycott
#: or sanctions" is COERCE in the table, SANCTION in SPEC ("Sanctions, embargoes ...: SANCTION").
OVERRIDES = {"163": "SANCTION"}

#: CAMEO organisation and group codes (as in the Phoenix dictionaries) and SPEC's codes for
#: them; the longest matching prefix wins, so IGOUNOIAE is IAEA and other IGOUNO... are UN.
ORGANISATION_CODES = {
    "IGOUNO": "UN", "IGOUNOIAE": "IAEA", "IGOEUREEC": "EU", "IGOWSTNAT": "NATO", "IGOMEAARL": "LAS",
    "IGOAFRAFU": "AU", "IGOSEAASN": "ASEAN", "IGOCAS": "SCO", "IGOCOPITP": "INTERPOL", "IGOJUDICC": "ICC",
    "IMGMUSISI": "ISIL",
}
#: CAMEO role codes that are PLOVER sectors (the first one after the state gives the sector).
SECTORS = {"GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "LEG", "ELI", "CVL", "BUS", "MED",
           "EDU", "LAB", "REF", "AGR", "HLH", "CRM", "UAF", "JRN", "ENV", "RAD", "MOD"}


def load_cameo_to_plover(path: Path) -> dict[str, str]:
    """CAMEO code -> PLOVER type, from lines like ``0841: RETREAT, release, legal # ...``."""
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\s*(\d{2,4}):\s*([A-Z]+)", line)
        if match:
            table.setdefault(match.group(1), match.group(2))  # 175 is listed twice, both ASSAULT
    return table


def plover_type(cameo: str, table: dict[str, str]) -> str | None:
    """The PLOVER type of a CAMEO event code, or None when PLOVER does not code it."""
    if cameo in OVERRIDES:
        return OVERRIDES[cameo]
    if cameo[:2] in ROOTS_OUTSIDE_TABLE:
        return ROOTS_OUTSIDE_TABLE[cameo[:2]]
    for length in (4, 3, 2):  # the most specific line: 0841, else 084, else 08
        if cameo[:length] in table:
            return table[cameo[:length]]
    return None


def actor_code(cameo: str) -> tuple[str | None, str | None]:
    """(code, sector) of a CAMEO actor code: ``USAGOV`` -> (USA, GOV); ``---REB`` -> (None, REB)."""
    cameo = (cameo or "").strip().upper()
    prefix = max((p for p in ORGANISATION_CODES if cameo.startswith(p)), key=len, default=None)
    if prefix:
        code, rest = ORGANISATION_CODES[prefix], cameo[len(prefix):]
    elif cameo[:3] in ("---", "IGO", "IMG", "NGO", "MNC", ""):
        code, rest = None, cameo[3:]  # unknown state, or an organisation we have no code for
    else:
        code, rest = cameo[:3], cameo[3:]
    sector = next((rest[i:i + 3] for i in range(0, len(rest), 3) if rest[i:i + 3] in SECTORS), None)
    return code, sector


@dataclass
class Dyad:
    """One expected CAMEO coding, in PLOVER terms."""

    cameo: str
    type: str | None
    source: str | None
    source_sector: str | None
    target: str | None
    target_sector: str | None


@dataclass
class ValidationSentence(Sentence):
    dyads: list[Dyad] = field(default_factory=list)
    no_events: bool = False


def load_validation(path: Path, table: dict[str, str]) -> list[ValidationSentence]:
    """The sentences with their expected codings. The file is not well-formed XML (it holds
    ``#`` comment blocks and self-closed <Sentence/> tags), so it is read by pattern."""
    raw = path.read_text(encoding="utf-8")
    sentences = []
    for block in re.split(r"(?=<Sentence\s)", raw)[1:]:
        attributes = dict(re.findall(r'(\w+)="([^"]*)"', re.match(r"<Sentence\s([^>]*)>", block).group(1)))
        text_match = re.search(r"<Text>(.*?)</Text>", block, re.S)
        text = " ".join(text_match.group(1).split()) if text_match else ""
        if not text or attributes.get("evaluate", "true").lower() != "true":
            continue
        day = attributes.get("date", "")
        date = f"{day[:4]}-{day[4:6]}-{day[6:8]}" if re.fullmatch(r"(19|20)\d{6}", day) else None
        sentence = ValidationSentence(id=attributes.get("id", f"sentence-{len(sentences) + 1}"), text=text, date=date)
        for coding in re.findall(r"<EventCoding\s([^>]*?)/?>", block):
            fields = dict(re.findall(r'(\w+)="([^"]*)"', coding))
            if fields.get("noevents", "").lower() == "true":
                sentence.no_events = True
                continue
            source, source_sector = actor_code(fields.get("sourcecode", ""))
            target, target_sector = actor_code(fields.get("targetcode", ""))
            cameo = fields.get("eventcode", "")
            sentence.dyads.append(Dyad(cameo, plover_type(cameo, table), source, source_sector, target, target_sector))
        sentences.append(sentence)
    return sentences


def parties(event: dict, side: str) -> list[dict]:
    """The actors, or the recipients of ``event``; an event without recipients (a meeting
    without a host, a phone call) has every party among its actors, so CAMEO's target of
    such an event is looked for there. Side ``any`` is all parties."""
    if side == "any":
        return (event.get("actor") or []) + (event.get("recipient") or [])
    if side == "recipient" and event.get("recipient"):
        return event["recipient"]
    return event.get("actor") or []


def has_code(event: dict, side: str, code: str, sector: str | None = None) -> bool:
    """Whether the side of ``event`` holds ``code`` (with ``sector``, when one is given)."""
    return any(p.get("code") == code and (sector is None or p.get("sector") == sector)
               for p in parties(event, side))


def score(sentences: list[ValidationSentence], coded: list[list[dict]]) -> dict:
    """Type accuracy per expected coding and source / target code accuracy where the type matched."""
    overall, per_type = Tally(), defaultdict(Tally)
    counts = Counter()
    misses = []
    for sentence, events in zip(sentences, coded):
        coded_types = [e.get("event") for e in events]
        first = coded_types[0] if coded_types else None
        if sentence.no_events:
            counts["no_event_sentences"] += 1
            counts["left_quiet"] += not events
        scored = [d for d in sentence.dyads if d.type]
        counts["unmapped_codings"] += len(sentence.dyads) - len(scored)
        gold_types = {d.type for d in scored}
        if gold_types:  # precision: each type coded for a sentence with mapped codings counts once
            for event_type in set(coded_types):
                for tally in (overall, per_type[event_type]):
                    tally.add(predicted=True, correct=event_type in gold_types)
        pairs = {(d.type, d.source, d.target) for d in scored}
        for dyad in scored:
            same_type = [e for e in events if e.get("event") == dyad.type]
            # A pair coded both ways is CAMEO's "A and B met": an event either way matches it.
            mirrored = (dyad.type, dyad.target, dyad.source) in pairs and dyad.source != dyad.target
            flags = dict(gold=True, found=bool(same_type), first=first == dyad.type)
            if not same_type:
                misses.append({"id": sentence.id, "gold": f"{dyad.type} ({dyad.cameo})", "coded": coded_types,
                               "text": sentence.text})
            # Codes are scored only where the type was found and the gold names a code (not "---").
            ends = [("actor", dyad.source, dyad.source_sector), ("recipient", dyad.target, dyad.target_sector)]
            right = {}
            for side, code, sector in ends:
                if same_type and code:
                    right[side] = [has_code(e, "any" if mirrored else side, code) for e in same_type]
                    flags.update({f"{side}_scored": True, side: any(right[side])})
                    if sector and any(right[side]):
                        counts["sectors_scored"] += 1
                        counts["sectors_right"] += any(has_code(e, "any" if mirrored else side, code, sector)
                                                       for e in same_type)
            if len(right) == 2:
                flags.update(both_scored=True, both=any(a and r for a, r in zip(right["actor"], right["recipient"])))
            overall.add(**flags)
            per_type[dyad.type].add(**flags)
    return {
        "sentences": len(sentences),
        "gold_events": overall.counts["gold"],
        "unmapped_codings": counts["unmapped_codings"],
        "sentence_figures": {
            "no_event_sentences": counts["no_event_sentences"],
            "no_event_sentences_left_quiet": percent(counts["left_quiet"], counts["no_event_sentences"]),
            "sector_right_where_code_right": percent(counts["sectors_right"], counts["sectors_scored"]),
        },
        "overall": row(overall),
        "per_type": {t: row(per_type[t]) for t in EVENT_TYPES if t in per_type},
        "misses": misses,
    }


def row(tally: Tally) -> dict:
    """A table row; code figures are over the found codings whose gold names that code."""
    values = tally.row()
    c = tally.counts
    values.update(actor=percent(c["actor"], c["actor_scored"]), recipient=percent(c["recipient"], c["recipient_scored"]),
                  both=percent(c["both"], c["both_scored"]))
    return values


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv, "Event type and actor code accuracy on the PETRARCH-2 validation records.",
                      DEFAULT_CORPUS)
    for path in (args.corpus, CAMEO_TO_PLOVER):
        if not path.exists():
            print(f"{path}: no such file; the corpora are in ../shared/corpora", file=sys.stderr)
            return 2
    sentences = load_validation(args.corpus, load_cameo_to_plover(CAMEO_TO_PLOVER))[: args.limit]
    coded, seconds = run_extractor(sentences)
    result = score(sentences, coded)
    result["seconds"] = round(seconds, 2)
    result["corpus"] = str(args.corpus)
    if args.json:
        if not args.misses:
            result.pop("misses")
        print(json.dumps(result, indent=2))
    else:
        figures = result["sentence_figures"]
        header = ["PETRARCH-2 validation records (PETR2_GSR_validation.xml), CAMEO mapped to PLOVER",
                  f"{result['sentences']} sentences, {result['gold_events']} expected codings with a PLOVER type "
                  f"({result['unmapped_codings']} CAMEO 01 codings left out), {seconds:.1f} s"]
        notes = ["found/first: % of expected codings whose type is coded for the sentence / is the first coded;",
                 "predicted/precision: sentences coded with the type / % of them where it is expected;",
                 "actor/recipient/both: % of found codings (with a known gold code) whose source is among the",
                 "  actors / target among the recipients (or actors, when there are none) of an event of that type.",
                 f"no-event sentences: {figures['no_event_sentences']}, left quiet "
                 f"{cell(figures['no_event_sentences_left_quiet'])}%; sector right where the code is right: "
                 f"{cell(figures['sector_right_where_code_right'])}%"]
        print(format_table(result, header, notes))
        if args.misses:
            print("\nmissed types:\n" + format_misses(result["misses"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
