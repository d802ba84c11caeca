"""PETRARCH-2's CAMEO verb dictionary, compiled into Entente's pattern model.

    from cameo_lexicon import compile_lexicon
    patterns, report = compile_lexicon(CAMEO_TXT, CAMEO2PLOVER_TXT)

``CAMEO.2.0.txt`` (Open Event Data Alliance, MIT; its format in ``dictionaries.rst`` beside it)
holds synonym sets (``&MILITARY`` with ``+TROOPS`` ...), then verb blocks: a header
``--- ATTACK [190] ---``, the block's verbs (``ATTACK``, ``+OPEN_FIRE {+OPENED_FIRE ...}``,
``RAID [195]``: a verb may carry its own code), and phrase patterns
``- [subject words] * [object words] [(PREP words)] [CODE] # verb`` that refine the code by what
the verb is done to. This module reads it and writes one Entente pattern per verb and per
phrase pattern, in the JSON form of ``entente.events.patterns.Pattern``:

- a **verb** becomes ``{"trigger": "attack", "cameo": "190", ...}``: the verb alone, any use;
  a multi-word verb ``+ASK_FOR`` requires its preposition or particle (``phrase.particle``);
- a **phrase pattern** becomes the verb's trigger with ``phrase`` constraints over spaCy's
  dependency parse: ``object`` (the head of the verb's object and the words that must modify
  it: ``{ARMS SHIPMENT}`` is head ``shipment`` with ``arms``), ``subject`` (words before the
  ``*``: the head of the verb's subject), ``preps`` (``(TO BORDER)``: a ``to`` phrase on the
  verb or its object whose object head is ``border``; ``(WITH +)`` makes that phrase's object
  the recipient, ``(FROM $)`` the actor). Synonym sets expand to their words and phrases;
- a **code** becomes a PLOVER type, mode and context through PLOVER's
  ``CAMEO2PLOVER-2021.txt`` (the most specific line: ``0841``, else ``084``, else ``08``),
  except where SPEC.md settles it otherwise (``SPEC_TYPES``); a paired code ``[042:043]``
  takes its first half (source -> target); ``[:020]`` has none, so the event runs from the
  target to the source (``reverse``); ``[---]`` and codes with no PLOVER type (CAMEO 01,
  public statements) make the pattern a **null** pattern: when it matches, the CAMEO layer
  codes nothing for that use of the verb (``- * ELECTION [---] # FREE``: "free elections").

What is not compiled, and why (counted in the report): the transformations (``~ a (a b
ATTACK) SAY``: Entente reads reported speech and modality from the parse), patterns with a
pre-verb preposition or more than one object noun phrase (TABARI-era word sequences that no
dependency reading recovers), and patterns naming an undefined synonym set.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

#: Where SPEC.md settles a CAMEO category differently from the 2021 table.
SPEC_TYPES = {
    "163": "SANCTION",   # impose embargo, boycott or sanctions: "Sanctions, embargoes, cutting ties: SANCTION"
    "0841": "CONCEDE",   # release persons: "releasing prisoners or detainees is CONCEDE"
}
#: CAMEO 02 (appeal) has no line in the 2021 table; the PLOVER codebook and SPEC.md
#: ("Demands and appeals: REQUEST") make it REQUEST.
APPEAL_PREFIX = "02"

PREPOSITIONS = {"about", "above", "across", "after", "against", "along", "among", "around", "as", "at",
                "before", "behind", "below", "beside", "between", "beyond", "by", "despite", "during",
                "for", "from", "in", "inside", "into", "near", "of", "off", "on", "onto", "out", "outside",
                "over", "past", "per", "since", "through", "throughout", "to", "toward", "towards", "under",
                "until", "upon", "via", "with", "within", "without"}
PARTICLES = {"up", "down", "out", "off", "back", "away", "over", "in", "on", "aside", "forward", "around"}


@dataclass
class PloverType:
    event: str
    mode: list[str]
    context: list[str]


def read_plover_table(path: Path) -> dict[str, PloverType]:
    """``CODE: TYPE, mode, context # description`` lines of CAMEO2PLOVER-2021.txt."""
    table: dict[str, PloverType] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        m = re.match(r"^(\d{2,4}):\s*(.*)$", line)
        if not m:
            continue
        parts = [p.strip() for p in m.group(2).split(",")]
        event = parts[0]
        mode = [w for w in re.split(r"[;\s]+", parts[1]) if w] if len(parts) > 1 else []
        context = [w for w in re.split(r"[;\s]+", parts[2]) if w] if len(parts) > 2 else []
        table.setdefault(m.group(1), PloverType(event, mode, context))
    return table


def plover_type(code: str, table: dict[str, PloverType]) -> PloverType | None:
    """The PLOVER type of a CAMEO code: SPEC's where it settles one, else the most specific line."""
    if code in SPEC_TYPES:
        base = _lookup(code, table)
        return PloverType(SPEC_TYPES[code], base.mode if base else [], base.context if base else [])
    if code.startswith(APPEAL_PREFIX):
        return PloverType("REQUEST", [], [])
    return _lookup(code, table)


def _lookup(code: str, table: dict[str, PloverType]) -> PloverType | None:
    for length in (4, 3, 2):
        if len(code) >= length and code[:length] in table:
            return table[code[:length]]
    return None


# ---------------------------------------------------------------------------------------------
# reading the dictionary


@dataclass
class NounPhrase:
    """A head word (alternatives) and the words that must modify it (each an alternative set)."""

    heads: list[str]
    mods: list[list[str]] = field(default_factory=list)

    def as_json(self) -> dict:
        out: dict = {"head": sorted(set(self.heads))}
        if self.mods:
            out["mods"] = [sorted(set(m)) for m in self.mods]
        return out


@dataclass
class Verb:
    lemma: str
    particle: str | None
    code: str | None        # its own code, else None (the block's applies)
    line: int
    block: str
    form: str               # as written in the dictionary


@dataclass
class Phrase:
    line: int
    block: str
    text: str
    pre: str
    post: str
    code: str
    comment: str


@dataclass
class Block:
    name: str
    code: str | None
    line: int
    verbs: list[Verb] = field(default_factory=list)
    phrases: list[Phrase] = field(default_factory=list)


_CODE = re.compile(r"\[([^\]]*)\]")


def _words(phrase: str) -> list[str]:
    return [w for w in phrase.replace("_", " ").lower().split() if w]


def read_dictionary(path: Path) -> tuple[dict[str, list[list[str]]], list[Block]]:
    """Synonym sets (name -> list of word sequences) and verb blocks, in file order."""
    synsets: dict[str, list[list[str]]] = {}
    blocks: list[Block] = []
    current_set: str | None = None
    block: Block | None = None
    in_transformations = False
    for number, raw in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if raw.startswith("######## TRANSFORMATIONS"):
            in_transformations = True
        if in_transformations:
            continue
        body, _, comment = raw.partition("#")
        line = body.rstrip()
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("&"):
            current_set = stripped.split()[0].rstrip("_").upper()
            synsets[current_set] = []
            block = None
            continue
        if stripped.startswith("---"):
            m = re.match(r"---\s+(\S+)\s+\[([^\]]*)\]\s+---", stripped)
            if m:
                current_set = None
                code = m.group(2).strip()
                block = Block(m.group(1), None if code in ("---", "") else code, number)
                blocks.append(block)
            continue
        if current_set is not None and block is None and stripped.startswith("+"):
            for entry in stripped.split():
                if entry.startswith("+"):
                    words = _words(entry[1:].rstrip("_"))
                    if words:
                        synsets[current_set].append(words)
            continue
        if block is None:
            continue
        if stripped.startswith("-"):
            m = _CODE.search(stripped)
            if not m:
                continue
            pattern = stripped[1:m.start()].strip()
            pre, star, post = pattern.partition("*")
            if not star:
                continue
            block.phrases.append(Phrase(number, block.name, stripped, pre.strip(), post.strip(),
                                        m.group(1).strip(), comment.strip()))
            continue
        # a verb line: VERB {FORMS} [CODE]   or   +MULTI_WORD {...} [CODE]   or   WIRE_+TAP
        form = re.sub(r"\{[^}]*\}", " ", line)
        code_m = _CODE.search(form)
        code = code_m.group(1).strip() if code_m else None
        form = _CODE.sub(" ", form).split()
        if not form:
            continue
        written = form[0]
        parts = written.split("_")
        if len(parts) == 1:
            lemma, particle = parts[0].lstrip("+").lower(), None
        else:
            marked = [i for i, p in enumerate(parts) if p.startswith("+")]
            verb_at = marked[0] if marked else 0
            if verb_at != 0 or len(parts) != 2:
                continue   # "WIRE_+TAP", three-word verbs: a verb with words before it is read as a noun by parsers
            lemma, particle = parts[0].lstrip("+").lower(), parts[1].lower()
        if not lemma.isalpha():
            continue
        block.verbs.append(Verb(lemma, particle, code if code not in (None, "") else None, number,
                                block.name, written))
    return synsets, blocks


# ---------------------------------------------------------------------------------------------
# phrase patterns -> constraints


class Unreadable(ValueError):
    """A phrase pattern that does not fit a dependency reading (counted, not compiled)."""


_TOKEN = re.compile(r"\([^)]*\)|\{[^}]*\}|&[A-Z_]+|[$+^%]|[^\s(){}]+")


def _noun_phrase(tokens: list[str], synsets: dict[str, list[list[str]]]) -> NounPhrase:
    """``AID``, ``{FINANCIAL AID}``, ``&WEAPON``, ``{&MILITARY OPERATION}``: the last word is the
    head; a synonym set gives alternatives (its phrases' last words as heads, or its one-word
    entries as modifiers)."""
    if not tokens:
        raise Unreadable("empty noun phrase")
    *mods, head = tokens
    heads = _alternatives(head, synsets, as_head=True)
    mod_sets = [_alternatives(m, synsets, as_head=False) for m in mods]
    return NounPhrase(heads, [m for m in mod_sets if m])


def _alternatives(token: str, synsets: dict[str, list[list[str]]], *, as_head: bool) -> list[str]:
    if token.startswith("&"):
        name = token.rstrip("_").upper()
        if name not in synsets:
            raise Unreadable(f"undefined synonym set {token}")
        return [name]   # "&WEAPON": expanded when the patterns load (see synset_words)
    word = token.lower().strip("'\"")
    if not re.fullmatch(r"[a-z][a-z'\-]*", word):
        raise Unreadable(f"not a word: {token}")
    return [word]


def _split_np(inner: str) -> list[str]:
    return inner.strip("{}").split()


def read_phrase(phrase: Phrase, synsets: dict[str, list[list[str]]]) -> dict:
    """The constraints of one phrase pattern: subject, object, preps (see the module docstring)."""
    out: dict = {}
    pre = _TOKEN.findall(phrase.pre)
    pre_nouns: list[NounPhrase] = []
    for tok in pre:
        if tok in ("$", "+", "^", "%"):
            continue
        if tok.startswith("("):
            raise Unreadable("preposition before the verb")
        pre_nouns.append(_noun_phrase(_split_np(tok) if tok.startswith("{") else [tok], synsets))
    if len(pre_nouns) > 1:
        # "ABRUPTLY * TALKS": adverbs and nouns in a row; the last is the subject's head
        pre_nouns = [NounPhrase(pre_nouns[-1].heads, [h for np in pre_nouns[:-1] for h in [np.heads]])]
    if pre_nouns:
        out["subject"] = pre_nouns[0].as_json()

    post = _TOKEN.findall(phrase.post)
    objects: list[NounPhrase] = []
    preps: list[dict] = []
    pending: list[str] = []      # bare words of one noun phrase ("{FIRST VISIT}" written loose)

    def flush() -> None:
        if pending:
            objects.append(_noun_phrase(list(pending), synsets))
            pending.clear()

    i = 0
    while i < len(post):
        tok = post[i]
        if tok == "^":
            i += 1
            continue
        if tok in ("$", "+", "%"):
            i += 1
            continue
        if tok.startswith("("):
            flush()
            preps.append(_prep(tok[1:-1], synsets))
        elif tok.startswith("{") or tok.startswith("&"):
            pending.extend(_split_np(tok) if tok.startswith("{") else [tok])
            flush()
        elif tok.lower() in PREPOSITIONS and i + 1 < len(post) and not post[i + 1].startswith("("):
            # a loose preposition: "TOWARD +", "TO ^ +", "OF +"
            flush()
            nxt = post[i + 1]
            if nxt in ("^",) and i + 2 < len(post):
                nxt = post[i + 2]
                i += 1
            role = "recipient" if nxt == "+" else "actor" if nxt == "$" else None
            target = None if nxt in ("+", "$", "^", "%") else \
                _noun_phrase(_split_np(nxt) if nxt.startswith("{") else [nxt], synsets)
            preps.append(_prep_dict(tok.lower(), target, role))
            i += 2
            continue
        else:
            pending.append(tok)
        i += 1
    flush()
    if len(objects) > 1:
        raise Unreadable("more than one object noun phrase")
    if objects:
        out["object"] = objects[0].as_json()
    if preps:
        out["preps"] = preps
    if not out:
        raise Unreadable("no constraint")
    return out


def _prep(inner: str, synsets: dict[str, list[list[str]]]) -> dict:
    """``(TO BORDER)``, ``(FOR {FINANCIAL AID})``, ``(WITH +)``, ``(BY/WITH PROTESTS)``, ``(AT)``."""
    toks = _TOKEN.findall(inner)
    if not toks:
        raise Unreadable("empty prepositional phrase")
    preps = [p.lower() for p in toks[0].split("/")]
    if not all(p in PREPOSITIONS for p in preps):
        raise Unreadable(f"not a preposition: {toks[0]}")
    rest = [t for t in toks[1:] if t != "^"]
    role = "recipient" if "+" in rest else "actor" if "$" in rest else None
    words = [t for t in rest if t not in ("+", "$", "%")]
    target = None
    if words:
        flat: list[str] = []
        for w in words:
            flat.extend(_split_np(w) if w.startswith("{") else [w])
        target = _noun_phrase(flat, synsets)
    return _prep_dict(preps, target, role)


def _prep_dict(prep, target: NounPhrase | None, role: str | None) -> dict:
    out: dict = {"prep": sorted(prep) if isinstance(prep, list) else [prep]}
    if target is not None:
        out["object"] = target.as_json()
    if role:
        out["role"] = role
    return out


# ---------------------------------------------------------------------------------------------
# the compiled patterns


@dataclass
class Report:
    blocks: int = 0
    verbs: int = 0
    phrases: int = 0
    compiled_verbs: int = 0
    compiled_phrases: int = 0
    null_phrases: int = 0
    nouns: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, why: str) -> None:
        key = re.sub(r":.*", "", why)
        self.skipped[key] = self.skipped.get(key, 0) + 1


def _event_fields(code: str | None, table: dict[str, PloverType]) -> dict:
    """The pattern's event: PLOVER type, mode and context, or a null pattern."""
    if code is None:
        return {"event": None}
    forward, _, backward = code.partition(":")
    forward, backward = forward.strip(), backward.strip()
    reverse = False
    if not forward or forward == "---":
        if backward and backward != "---" and not forward:
            forward, reverse = backward, True
        else:
            return {"event": None, "cameo": code}
    ptype = plover_type(forward, table)
    if ptype is None:
        return {"event": None, "cameo": code}
    out = {"event": ptype.event, "cameo": forward, "mode": ptype.mode, "context": ptype.context}
    if reverse:
        out["reverse"] = True
    return out


def synset_words(synsets: dict[str, list[list[str]]]) -> dict[str, dict[str, list[str]]]:
    """Each synonym set as the words it offers a pattern: ``head`` (the last word of each
    entry: "food aid" -> aid; the entry's other words are then not checked, a looser reading
    than PETRARCH's) and ``mod`` (its one-word entries, when the set modifies a head)."""
    return {name: {"head": sorted({e[-1] for e in entries}), "mod": sorted({e[0] for e in entries if len(e) == 1})}
            for name, entries in sorted(synsets.items()) if entries}


def read_nominalizations(path: Path | None, exclusions: Path | None) -> dict[str, list[str]]:
    """verb -> its event nouns (data/sources/wordnet_nominalizations.tsv), less the excluded nouns."""
    if path is None or not path.exists():
        return {}
    excluded = set()
    if exclusions is not None and exclusions.exists():
        for line in exclusions.read_text(encoding="utf-8").splitlines():
            word = line.split("#", 1)[0].strip()
            if word:
                excluded.add(word)
    out: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        verb, nouns = line.split("\t")
        kept = []
        for entry in nouns.split(","):
            noun, _, first = entry.partition(":")
            if noun in excluded:
                continue
            # a suffix nominalization ("withdrawal", "detention", "deployment") names the act;
            # a noun spelt like its verb ("attack", "visit", "force") only when its most
            # frequent sense is an act or an event ("forces" is first a body of troops)
            suffixed = noun != verb and noun.endswith(NOMINAL_SUFFIXES)
            if suffixed or (noun == verb and first in ("act", "event")):
                kept.append(noun)
        if kept:
            out[verb] = kept
    return out


NOMINAL_SUFFIXES = ("tion", "sion", "ment", "al", "ance", "ence", "age", "ure", "ing", "ade", "cy")


def compile_lexicon(dictionary: Path, plover_table: Path, nominalizations: dict[str, list[str]] | None = None
                    ) -> tuple[dict, Report]:
    """The compiled lexicon (JSON-ready: synonym sets and patterns, in dictionary order) and
    what was compiled."""
    synsets, blocks = read_dictionary(dictionary)
    table = read_plover_table(plover_table)
    report = Report(blocks=len(blocks))
    out: list[dict] = []
    seen_nouns: set[str] = set()   # a noun derived from two verbs takes the first (dictionary order)
    name = dictionary.name
    for block in blocks:
        report.verbs += len(block.verbs)
        report.phrases += len(block.phrases)
        lemmas = list(dict.fromkeys((v.lemma, v.particle) for v in block.verbs))
        for verb in block.verbs:
            fields = _event_fields(verb.code or block.code, table)
            trigger = f"{verb.lemma} {verb.particle}" if verb.particle else verb.lemma
            out.append({"id": f"c{verb.line}", "trigger": trigger, "line": verb.line, "block": block.name,
                        "source": f"{name}:{verb.line} ({verb.form})", **fields})
            # the verb's event nouns ("withdraw" -> "withdrawal"): the same event, read with a
            # noun's slots; only for a verb that codes an event alone and needs no particle
            if fields["event"] is not None and not verb.particle:
                for noun in (nominalizations or {}).get(verb.lemma, []):
                    if noun in seen_nouns:
                        continue
                    seen_nouns.add(noun)
                    out.append({"id": f"c{verb.line}-{noun}", "trigger": noun, "pos": "NOUN", "line": verb.line,
                                "block": block.name, "derived_from": verb.lemma,
                                "source": f"{name}:{verb.line} ({verb.form}; noun form {noun!r} from WordNet)",
                                **fields})
                    report.nouns += 1
            report.compiled_verbs += 1
        for phrase in block.phrases:
            try:
                constraints = read_phrase(phrase, synsets)
            except Unreadable as err:
                report.skip(str(err))
                continue
            fields = _event_fields(phrase.code, table)
            if fields["event"] is None:
                report.null_phrases += 1
            # a phrase pattern applies to every verb of its block (PETRARCH's synonym block)
            if not lemmas:
                report.skip("block without verbs")
                continue
            out.append({"id": f"c{phrase.line}", "line": phrase.line, "block": block.name,
                        "source": f"{name}:{phrase.line} ({phrase.text.split('[')[0].strip()} [{phrase.code}]"
                                  + (f" # {phrase.comment}" if phrase.comment else "") + ")",
                        "phrase": constraints, **fields})
            report.compiled_phrases += 1
    verbs = {b.name: list(dict.fromkeys(f"{v.lemma} {v.particle}" if v.particle else v.lemma for v in b.verbs))
             for b in blocks if b.verbs}
    return {"synsets": synset_words(synsets), "blocks": verbs, "patterns": out}, report
