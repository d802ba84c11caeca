"""re3d benchmark: Person / Organisation / Location recognition, Entente against bare spaCy.

Reads the re3d corpus (Dstl, 2017: defence and security documents on the conflict in Syria
and Iraq; one folder per source, each with mongoexport ``documents.json`` and
``entities.json``), keeps the gold entities with confidence >= 0.5 of the three types, and
scores, in the same run and against the same gold:

  spacy    bare ``spacy.load(<model>)`` over the document text (PERSON -> Person,
           ORG -> Organisation, GPE / LOC / FAC -> Location, NORP: see below)
  entente  the mentions of the record entities from ``extract_articles`` (person -> Person,
           organization / group / agency -> Organisation, state / location -> Location,
           with the state mentions split as below)

Mapping decisions (checked against the gold; ``--mapping`` prints the check):

  * re3d labels a country named as a place Location ("in Syria") and a country acting
    Organisation ("Syria has accused Israel", "the UK will continue"): of the bare state
    names Entente finds, about 200 meet Location gold and 140 Organisation gold. spaCy's GPE
    has no such split, so GPE is Location. Entente's record says which mentions act: a bare
    state name, alias or capital is Organisation when it is the actor or recipient of one of
    the record's events (the participant's entity, mentioned in the event's sentence with
    the participant's text; 41 of 51 such spans meet Organisation gold) and Location
    otherwise.
  * re3d labels an adjectival demonym Nationality ("Syrian", "Iraqi"), which is not scored,
    but a plural demonym naming people Organisation ("Syrians": 11, "Iraqis": 4). So:
    spaCy NORP is Organisation when its last token is a plural noun (NNS / NNPS) and is not
    scored otherwise; an Entente state mention that is a demonym of the state is
    Organisation when plural (the demonym minus a final "s" is also a demonym: "Syrians")
    and not scored otherwise.
  * An Entente state mention longer than a name or demonym is a part of the state acting
    ("the Israeli government", "Iraqi security forces"): Organisation, as in re3d.
  * Entente mentions of one entity that touch (only spaces between them) are one span:
    the resolver records "President" and "Bashar al-Assad" as two mentions of one person,
    where the text, and re3d, have one name "President Bashar al-Assad".
  * Entente's other kinds (time, named_event) and spaCy's other labels are not scored.
  * Duplicate spans of one type count once; one span may carry two types (re3d has a few
    spans typed twice with confidence >= 0.5, and a system may too).

Matching:

  exact    a system span and a gold span of the same type with the same start and end
  relaxed  a system span and a gold span of the same type that overlap, each used once
           (pairs taken in order of overlap length)
  P = matched / system spans, R = matched / gold spans, F1 their harmonic mean; per type and
  micro-averaged over the three types.

  The "named" view keeps only gold spans containing a capitalised word that is not a pronoun
  or determiner (re3d also annotates "we", "he", "the city", "civilians", which neither
  system aims at); system spans overlapping a dropped gold span of the same type are then
  neither right nor wrong.

Usage:
  python benchmarks/ner_re3d.py                 # tables, mapping notes, top errors
  python benchmarks/ner_re3d.py --json          # the figures as JSON
  python benchmarks/ner_re3d.py --errors 20     # the 20 most frequent FP / FN texts per system,
                                                # and the gold spaCy found that Entente missed
  python benchmarks/ner_re3d.py --mapping       # what gold types each mapping class meets
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

DEFAULT_CORPUS = (Path(__file__).resolve().parents[1].parent / "shared" / "corpora/re3d")
TYPES = ("Person", "Organisation", "Location")
MIN_CONFIDENCE = 0.5

SPACY_LABELS = {"PERSON": "Person", "ORG": "Organisation", "GPE": "Location", "LOC": "Location",
                "FAC": "Location"}
ENTENTE_KINDS = {"person": "Person", "organization": "Organisation", "group": "Organisation",
                 "agency": "Organisation", "location": "Location"}   # state: per mention, below
UNNAMED_WORDS = {"i", "we", "he", "she", "they", "it", "you", "me", "us", "him", "her", "them",
                 "my", "our", "his", "its", "their", "your", "myself", "the", "a", "an", "this",
                 "that", "these", "those", "here", "there"}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    type: str
    text: str
    why: str = ""          # the mapping class that gave the type (for --mapping)


@dataclass
class Document:
    id: str
    source: str
    text: str
    gold: list[Span] = field(default_factory=list)


# ---------------------------------------------------------------- corpus

def read_jsonl(path: Path) -> list[dict]:
    """A mongoexport file: one JSON object a line (a BOM and blank lines tolerated)."""
    with path.open(encoding="utf-8-sig") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_corpus(root: Path) -> list[Document]:
    """All documents of the re3d folders under ``root`` with their P/O/L gold spans."""
    docs: dict[str, Document] = {}
    folders = sorted(p.parent for p in root.glob("*/documents.json"))
    if not folders:
        raise SystemExit(f"{root}: no */documents.json; is this the re3d corpus (github.com/dstl/re3d)?")
    for folder in folders:
        for d in read_jsonl(folder / "documents.json"):
            docs[d["_id"]] = Document(d["_id"], folder.name, d["text"])
        for e in read_jsonl(folder / "entities.json"):
            if e["type"] not in TYPES or e["confidence"] < MIN_CONFIDENCE:
                continue
            doc = docs[e["documentId"]]
            # offsets are authoritative: a handful of values differ from the text in quotes
            # or a line break ("Col. John 'J.D.' Dorrian" over Col. John “J.D.” Dorrian)
            doc.gold.append(Span(e["begin"], e["end"], e["type"], doc.text[e["begin"]:e["end"]]))
    for doc in docs.values():
        doc.gold = sorted(set(doc.gold), key=lambda s: (s.start, s.end, s.type))
    return list(docs.values())


def is_named(span: Span) -> bool:
    """True when the span holds a capitalised word that is not a pronoun or determiner."""
    return any(w[:1].isupper() and w.lower().strip(".,'’") not in UNNAMED_WORDS
               for w in span.text.split())


# ---------------------------------------------------------------- systems

def spacy_spans(nlp, docs: list[Document], batch_size: int) -> list[list[Span]]:
    """Bare spaCy entities, mapped to re3d types (NORP: Organisation when plural)."""
    out = []
    for sdoc in nlp.pipe((d.text for d in docs), batch_size=batch_size):
        spans = set()
        for ent in sdoc.ents:
            if ent.label_ in SPACY_LABELS:
                spans.add(Span(ent.start_char, ent.end_char, SPACY_LABELS[ent.label_], ent.text, ent.label_))
            elif ent.label_ == "NORP" and ent[-1].tag_ in ("NNS", "NNPS"):
                spans.add(Span(ent.start_char, ent.end_char, "Organisation", ent.text, "NORP plural"))
        out.append(sorted(spans, key=lambda s: (s.start, s.end)))
    return out


def merge_touching(mentions: list[dict], text: str) -> list[tuple[int, int]]:
    """Mentions of one entity as spans, those with only spaces between them joined."""
    spans: list[list[int]] = []
    for m in sorted(mentions, key=lambda m: (m["start"], m["end"])):
        if spans and m["start"] >= spans[-1][1] and not text[spans[-1][1]:m["start"]].strip(" "):
            spans[-1][1] = max(spans[-1][1], m["end"])
        elif spans and m["start"] < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], m["end"])
        else:
            spans.append([m["start"], m["end"]])
    return [(a, b) for a, b in spans]


def acting_mentions(record: dict) -> set[tuple[str, int, int]]:
    """(entity, start, end) of the mentions that are an actor or recipient of an event: the
    participant's entity mentioned inside the event's sentence with the participant's text
    (any mention of the entity there when no text matches)."""
    mentions = {e["id"]: e["mentions"] for e in record["entities"]}
    acting = set()
    for ev in record.get("events", []):
        lo, hi = ev["text_info"]["start"], ev["text_info"]["end"]
        for part in ev["actor"] + ev["recipient"]:
            inside = [m for m in mentions.get(part.get("entity"), []) if lo <= m["start"] and m["end"] <= hi]
            same = [m for m in inside if m["text"] == part.get("text")] or inside
            acting.update((part["entity"], m["start"], m["end"]) for m in same)
    return acting


def state_mention_type(text: str, d, acting: bool) -> tuple[str | None, str]:
    """re3d type of a state mention: a name or capital is a Location, or an Organisation
    when the record makes it an actor or recipient; a plural demonym an Organisation, an
    adjectival demonym not scored (Nationality), a longer phrase (the state's government,
    forces, media) an Organisation."""
    bare = text[4:] if text[:4].lower() == "the " else text
    if bare in d.names or bare in d.capitals or text in d.names:
        if acting:
            return "Organisation", "state name acting"
        return "Location", "state name"
    if bare in d.demonyms:
        if bare.endswith("s") and bare[:-1] in d.demonyms:
            return "Organisation", "state demonym plural"
        return None, "state demonym"
    return "Organisation", "state phrase"


def entente_spans(records: list[dict], docs: list[Document], d) -> list[list[Span]]:
    """Entente's record entity mentions, mapped to re3d types."""
    out = []
    for record, doc in zip(records, docs):
        spans = set()
        acting = acting_mentions(record)
        for ent in record["entities"]:
            kind = ent["kind"]
            if kind != "state" and kind not in ENTENTE_KINDS:
                continue
            for start, end in merge_touching(ent["mentions"], doc.text):
                text = doc.text[start:end]
                if kind == "state":
                    is_acting = any((ent["id"], m["start"], m["end"]) in acting for m in ent["mentions"]
                                    if start <= m["start"] and m["end"] <= end)
                    typ, why = state_mention_type(text, d, is_acting)
                else:
                    typ, why = ENTENTE_KINDS[kind], kind
                if typ:
                    spans.add(Span(start, end, typ, text, why))
        out.append(sorted(spans, key=lambda s: (s.start, s.end)))
    return out


# ---------------------------------------------------------------- scoring

def overlap(a: Span, b: Span) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def match(gold: list[Span], pred: list[Span], relaxed: bool) -> list[tuple[Span, Span]]:
    """One-to-one pairs of a gold and a system span of the same type."""
    if not relaxed:
        keys = {(g.start, g.end, g.type): g for g in gold}
        return [(keys[(p.start, p.end, p.type)], p) for p in pred if (p.start, p.end, p.type) in keys]
    candidates = sorted(((overlap(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(pred)
                         if g.type == p.type and overlap(g, p) > 0), reverse=True)
    used_g, used_p, pairs = set(), set(), []
    for _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((gold[i], pred[j]))
    return pairs


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"tp": tp, "pred": n_pred, "gold": n_gold, "p": p, "r": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0}


def score(docs: list[Document], preds: list[list[Span]], relaxed: bool, named_only: bool) -> dict:
    """P/R/F1 per type and micro over TYPES."""
    tp, n_pred, n_gold = Counter(), Counter(), Counter()
    for doc, pred in zip(docs, preds):
        gold = doc.gold
        if named_only:
            dropped = [g for g in gold if not is_named(g)]
            gold = [g for g in gold if is_named(g)]
            pred = [p for p in pred if not any(g.type == p.type and overlap(g, p) > 0 for g in dropped)
                    or any(g.type == p.type and overlap(g, p) > 0 for g in gold)]
        for g in gold:
            n_gold[g.type] += 1
        for p in pred:
            n_pred[p.type] += 1
        for g, _ in match(gold, pred, relaxed):
            tp[g.type] += 1
    table = {t: prf(tp[t], n_pred[t], n_gold[t]) for t in TYPES}
    table["micro"] = prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    return table


def errors(docs: list[Document], preds: list[list[Span]]) -> tuple[Counter, Counter]:
    """False positives and negatives under relaxed match, as "text [type]" counts; a false
    positive overlapping gold of another type says so ("Syria [Location; gold Organisation]")."""
    fp, fn = Counter(), Counter()
    for doc, pred in zip(docs, preds):
        pairs = match(doc.gold, pred, relaxed=True)
        hit_g = {id(g) for g, _ in pairs}
        hit_p = {id(p) for _, p in pairs}
        for p in pred:
            if id(p) not in hit_p:
                other = sorted({g.type for g in doc.gold if overlap(g, p) > 0 and g.type != p.type})
                note = f"; gold {'/'.join(other)}" if other else ""
                fp[f"{p.text!r} [{p.type}{note}]"] += 1
        for g in doc.gold:
            if id(g) not in hit_g:
                fn[f"{g.text!r} [{g.type}]"] += 1
    return fp, fn


def lost_to(docs: list[Document], ours: list[list[Span]], theirs: list[list[Span]], typ: str,
            records: list[dict]) -> Counter:
    """Gold spans of ``typ`` that ``theirs`` matched and ``ours`` missed (relaxed), with the
    Entente entities mentioned there, if any ("[state 'Turkey Minister']"; "[]": none)."""
    lost = Counter()
    for doc, mine, other, record in zip(docs, ours, theirs, records):
        got = {id(g) for g, _ in match(doc.gold, mine, relaxed=True)}
        for g, _ in match(doc.gold, other, relaxed=True):
            if g.type == typ and id(g) not in got:
                there = [f"{e['kind']} {m['text']!r}" for e in record["entities"] for m in e["mentions"]
                         if m["start"] < g.end and g.start < m["end"]]
                lost[f"{g.text!r} [{', '.join(there)}]"] += 1
    return lost


def mapping_check(docs: list[Document], preds: list[list[Span]]) -> dict[str, Counter]:
    """For each mapping class, which gold types its spans overlap (or none)."""
    seen: dict[str, Counter] = defaultdict(Counter)
    for doc, pred in zip(docs, preds):
        for p in pred:
            types = sorted({g.type for g in doc.gold if overlap(g, p) > 0}) or ["-"]
            seen[f"{p.why} -> {p.type}"]["/".join(types)] += 1
    return seen


def norp_check(nlp_docs, docs: list[Document], all_gold) -> Counter:
    """Which re3d types (any type, any confidence >= 0.5) spaCy's NORP spans coincide with."""
    seen = Counter()
    for sdoc, doc in zip(nlp_docs, docs):
        for ent in sdoc.ents:
            if ent.label_ == "NORP":
                types = sorted({t for (s, e, t) in all_gold[doc.id] if s < ent.end_char and ent.start_char < e})
                plural = "plural" if ent[-1].tag_ in ("NNS", "NNPS") else "adjective/singular"
                seen[f"NORP {plural} -> {'/'.join(types) or '-'}"] += 1
    return seen


# ---------------------------------------------------------------- report

def print_table(title: str, tables: dict[str, dict]) -> None:
    print(f"\n{title}")
    print(f"{'type':<13}{'system':<9}{'gold':>6}{'pred':>6}{'tp':>6}{'P':>8}{'R':>8}{'F1':>8}")
    for t in (*TYPES, "micro"):
        for system, table in tables.items():
            row = table[t]
            print(f"{t:<13}{system:<9}{row['gold']:>6}{row['pred']:>6}{row['tp']:>6}"
                  f"{row['p']:>8.3f}{row['r']:>8.3f}{row['f1']:>8.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--model", default=None, help="bare spaCy pipeline (default: the model setting)")
    ap.add_argument("--batch-size", type=int, default=None)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--errors", type=int, default=20, metavar="N",
                    help="the N most frequent false positives and negatives per system (0: none)")
    ap.add_argument("--mapping", action="store_true", help="print what gold types each mapping class meets")
    args = ap.parse_args(argv)

    import spacy
    from entente import settings
    from entente.dictionaries import load_dictionaries
    from entente.extract import extract_articles
    from entente.read.sources import Article

    model = args.model or settings.get("model")
    batch_size = args.batch_size or settings.get("batch_size")
    docs = read_corpus(args.corpus)

    t0 = time.perf_counter()
    nlp = spacy.load(model)
    spacy_pred = spacy_spans(nlp, docs, batch_size)
    t1 = time.perf_counter()
    records = list(extract_articles([Article(id=d.id, text=d.text) for d in docs], batch_size=batch_size))
    entente_pred = entente_spans(records, docs, load_dictionaries())
    t2 = time.perf_counter()

    systems = {"spacy": spacy_pred, "entente": entente_pred}
    figures = {view: {mode: {name: score(docs, pred, relaxed=(mode == "relaxed"), named_only=(view == "named"))
                             for name, pred in systems.items()}
                      for mode in ("exact", "relaxed")}
               for view in ("all", "named")}

    if args.json:
        print(json.dumps({"corpus": str(args.corpus), "documents": len(docs), "model": model,
                          "min_confidence": MIN_CONFIDENCE, "figures": figures,
                          "seconds": {"spacy": round(t1 - t0, 2), "entente": round(t2 - t1, 2)}}, indent=2))
        return 0

    n_gold = Counter(g.type for d in docs for g in d.gold)
    print(f"re3d: {len(docs)} documents from {args.corpus}; gold with confidence >= {MIN_CONFIDENCE}: "
          + ", ".join(f"{t} {n_gold[t]}" for t in TYPES))
    print(f"spaCy: bare {model} ({t1 - t0:.1f} s incl. load); "
          f"Entente: extract_articles ({t2 - t1:.1f} s incl. load); batch size {batch_size}")
    for view, label in (("all", "all gold"), ("named", "named gold only (pronouns and common nouns dropped)")):
        for mode in ("exact", "relaxed"):
            print_table(f"== {label}, {mode} span match", figures[view][mode])

    print("\nverdict (micro F1, all gold):")
    for mode in ("exact", "relaxed"):
        s, e = figures["all"][mode]["spacy"], figures["all"][mode]["entente"]
        losses = [t for t in TYPES if e[t]["f1"] < s[t]["f1"]]
        print(f"  {mode:<8} entente {e['micro']['f1']:.3f} vs spacy {s['micro']['f1']:.3f}: "
              f"{'entente ahead' if e['micro']['f1'] > s['micro']['f1'] else 'entente BEHIND'}"
              + (f"; behind on {', '.join(losses)}" if losses else ""))

    if args.mapping:
        all_gold = defaultdict(set)
        for e_file in args.corpus.glob("*/entities.json"):
            for e in read_jsonl(e_file):
                if e["confidence"] >= MIN_CONFIDENCE:
                    all_gold[e["documentId"]].add((e["begin"], e["end"], e["type"]))
        print("\nmapping check: spaCy NORP spans against re3d gold of any type")
        for k, n in sorted(norp_check(nlp.pipe(d.text for d in docs), docs, all_gold).items()):
            print(f"  {n:>4}  {k}")
        for name, pred in systems.items():
            print(f"\nmapping check ({name}): class -> type scored: gold types overlapped (P/O/L only)")
            for cls, seen in sorted(mapping_check(docs, pred).items()):
                print(f"  {cls:<40} " + ", ".join(f"{t} {n}" for t, n in seen.most_common()))

    if args.errors:
        for t in TYPES:
            lost = lost_to(docs, entente_pred, spacy_pred, t, records)
            print(f"\n{t}: {args.errors} most frequent gold spans spaCy found and Entente missed "
                  f"(relaxed), of {sum(lost.values())}; in brackets Entente's mentions there")
            for k, n in lost.most_common(args.errors):
                print(f"  {n:>4}  {k}")
        for name, pred in systems.items():
            fp, fn = errors(docs, pred)
            print(f"\n{name}: {args.errors} most frequent false positives (relaxed match), of {sum(fp.values())}")
            for k, n in fp.most_common(args.errors):
                print(f"  {n:>4}  {k}")
            print(f"{name}: {args.errors} most frequent false negatives (relaxed match), of {sum(fn.values())}")
            for k, n in fn.most_common(args.errors):
                print(f"  {n:>4}  {k}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
