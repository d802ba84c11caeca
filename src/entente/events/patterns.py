"""Event patterns: one YAML file per PLOVER type under data/patterns, validated on load,
and the field's lexicon compiled from PETRARCH-2's CAMEO verb dictionary
(data/patterns/generated/cameo.json, written by scripts/build_data.py).

See data/patterns/README.md for the format an analyst writes. Two layers: the hand-written
patterns encode SPEC.md's conventions and are tried first; the CAMEO layer (``origin:
cameo``) is tried on a word only when no hand-written pattern coded it, most specific
phrase pattern first.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError, field_validator

from ..errors import DictionaryError
from ..record import EVENT_TYPES

from .slots import PREPOSITIONS, SLOT_NAMES  # noqa: F401  (PREPOSITIONS: the slot prepositions)

PATTERN_DIR = Path(__file__).resolve().parent.parent / "data" / "patterns"
#: the slot names a pattern may use: the slot finders of events/slots.py
SLOTS = SLOT_NAMES


class NounPhrase(BaseModel):
    """A noun phrase a CAMEO pattern asks for: a head word (alternatives) and, for each of
    ``mods``, one word among the head's modifiers. ``&NAME`` stands for a synonym set of the
    lexicon; :meth:`expand` turns the words into the sets the coder matches."""

    model_config = ConfigDict(extra="forbid")

    head: tuple[str, ...]
    mods: tuple[tuple[str, ...], ...] = ()
    _heads: frozenset = PrivateAttr(default=frozenset())
    _mods: tuple = PrivateAttr(default=())

    def expand(self, synsets: dict[str, tuple[frozenset, frozenset]]) -> None:
        self._heads = _expand(self.head, synsets, 0)
        self._mods = tuple(_expand(m, synsets, 1) for m in self.mods)

    @property
    def heads(self) -> frozenset:
        return self._heads

    @property
    def modifiers(self) -> tuple:
        return self._mods


def _expand(words, synsets, which: int) -> frozenset:
    out: set[str] = set()
    for w in words:
        out |= synsets[w][which] if w.startswith("&") and w in synsets else {w}
    return frozenset(out)


class PrepPhrase(BaseModel):
    """A prepositional phrase on the verb or its object (``(TO BORDER)``): the preposition
    (alternatives), optionally its object's noun phrase, and whose slot it is (``role``)."""

    model_config = ConfigDict(extra="forbid")

    prep: tuple[str, ...]
    object: NounPhrase | None = None
    role: Literal["actor", "recipient"] | None = None


class Phrase(BaseModel):
    """The constraints of a CAMEO phrase pattern over the dependency parse."""

    model_config = ConfigDict(extra="forbid")

    subject: NounPhrase | None = None
    object: NounPhrase | None = None
    preps: tuple[PrepPhrase, ...] = ()

    @property
    def specificity(self) -> int:
        return (self.subject is not None) + (self.object is not None) + len(self.preps) \
            + sum(p.object is not None for p in self.preps)

    def expand(self, synsets) -> None:
        for np in (self.subject, self.object, *(p.object for p in self.preps)):
            if np is not None:
                np.expand(synsets)


class Pattern(BaseModel):
    model_config = ConfigDict(extra="forbid", ignored_types=(cached_property,))

    id: str
    trigger: str
    pos: Literal["VERB", "NOUN", "ADJ"] = "VERB"
    actor: list[str] = ["subject"]
    recipient: list[str] = []
    symmetric: bool = False
    host: bool = False
    copula: bool = False
    mode: list[str] = []
    context: list[str] = []
    requires: Literal["future", "actual"] | None = None
    requires_object: list[str] | None = None
    requires_subject: list[str] | None = None
    requires_object_kind: Literal["actor", "organization", "state"] | None = None
    requires_recipient: bool = False
    requires_word: list[str] | None = None
    requires_act: list[str] | None = None   # the object of one of these prepositions is a conflictual act or wrongdoing
    intransitive: bool = False   # only with no direct object ("students demonstrated", not "demonstrated resolve")
    requires_passive: bool = False   # only in the passive ("forces were driven from the city")
    has_place: bool = True   # false for statements: they happen where the speaker is, rarely said
    # the CAMEO layer (generated): where the pattern comes from and what it asks of the parse
    origin: Literal["hand", "cameo"] = "hand"
    cameo: str | None = None       # the CAMEO code ("0841")
    source: str | None = None      # the dictionary line it was compiled from
    phrase: Phrase | None = None
    null: bool = False             # a sense that is no event ("free elections"): codes nothing
    also: list[str] = []           # further trigger lemmas with the same words (the CAMEO verb block)
    # filled from the file
    event: str = ""
    future: str | None = None
    name: str = ""

    @field_validator("actor", "recipient", mode="before")
    @classmethod
    def _yaml_on(cls, v):
        # YAML 1.1 reads a bare `on` as true: the slot "on" is meant
        return ["on" if x is True else x for x in v] if isinstance(v, list) else v

    @field_validator("actor", "recipient")
    @classmethod
    def _slots(cls, v: list[str]) -> list[str]:
        bad = [s for s in v if s not in SLOTS]
        if bad:
            raise ValueError(f"unknown slot(s) {bad}; use one of {sorted(SLOTS)}")
        return v

    @property
    def lemma(self) -> str:
        return self.trigger.split()[0].lower()

    @cached_property
    def words(self) -> tuple[str, ...]:
        """Further words that must depend on the trigger ("send observers": observers)."""
        return tuple(w.lower() for w in self.trigger.split()[1:])


OnePartyRule = Literal["keep", "drop", "organization"]


@dataclass(frozen=True)
class TypeRules:
    """How the coder treats events of one PLOVER type (the headers of its pattern files;
    data/patterns/README.md). The defaults are those of a type whose files say nothing."""

    speech: bool = False                    # a statement: the speaker is the actor when no slot names one
    victims: bool = False                   # done to victims: victims take the state of the place; halves join
    place_as_target: bool = False           # a place done to stands for its state
    within_state: bool = False              # one state on both sides, as distinct parts of it
    at_target_state: bool = False           # against a state's people, with no place: happens in that state
    conditional: str | None = None          # the type it becomes when made conditional by "unless"
    future_acts_have_place: bool = True     # false: a future act coded as this type takes no place
    one_party: OnePartyRule = "keep"        # a symmetric event with one party: keep, drop, or keep an organisation
    embedded_recipient: bool = False        # its recipient may be the one of the act it names ("promised aid to X")
    refusable: bool = False                 # refused ("will not provide aid"), it is a REJECT
    conflict: bool = False                  # a conflictual act: who is condemned for it is its doer
    domestic_actor: bool = False            # done by a state's own people: with none named, the place's state
    foreign_place_target: bool = False      # done in another state's place: aimed at that state
    departure: bool = False                 # done from a place: the place's state is the recipient ("withdrew from")
    one_sided: bool = False                 # a CAMEO pattern of this type needs no recipient
    condition_target: bool = False          # made on a condition: aimed at who the condition names
    embedded_place_target: bool = False     # the place of the act it names stands for its target state
    noun_of: Literal["actor", "recipient"] = "recipient"   # whose the of-phrase of its noun is


#: the header keys that are per-type rules (every file of a type must agree on them)
TYPE_RULE_KEYS = tuple(TypeRules.__dataclass_fields__)


class PatternFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event: str
    future: str | None = None
    defaults: dict = {}   # fields every pattern of the file takes unless it says otherwise
    # per-type rules (TypeRules); None: this file does not say
    speech: bool | None = None
    victims: bool | None = None
    place_as_target: bool | None = None
    within_state: bool | None = None
    at_target_state: bool | None = None
    conditional: str | None = None
    future_acts_have_place: bool | None = None
    one_party: OnePartyRule | None = None
    embedded_recipient: bool | None = None
    refusable: bool | None = None
    condition_target: bool | None = None
    embedded_place_target: bool | None = None
    conflict: bool | None = None
    domestic_actor: bool | None = None
    foreign_place_target: bool | None = None
    departure: bool | None = None
    one_sided: bool | None = None
    noun_of: Literal["actor", "recipient"] | None = None
    patterns: list[Pattern]

    @field_validator("patterns", mode="before")
    @classmethod
    def _apply_defaults(cls, v, info):
        defaults = info.data.get("defaults") or {}
        return [{**defaults, **p} if isinstance(p, dict) else p for p in v] if isinstance(v, list) else v

    @field_validator("event", "future", "conditional")
    @classmethod
    def _type(cls, v: str | None) -> str | None:
        if v is not None and v not in EVENT_TYPES:
            raise ValueError(f"{v!r} is not a PLOVER event type ({', '.join(EVENT_TYPES)})")
        return v


@dataclass
class PatternSet:
    """Patterns indexed by trigger lemma, the most specific (most words) first, and the
    rules of each event type."""

    by_lemma: dict[tuple[str, str], list[Pattern]] = field(default_factory=dict)
    types: dict[str, TypeRules] = field(default_factory=dict)
    cameo_by_lemma: dict[tuple[str, str], list[Pattern]] = field(default_factory=dict)
    _conflict: dict[str, frozenset] = field(default_factory=dict)
    _cameo_index: dict[tuple[str, str], tuple[dict, list]] = field(default_factory=dict)

    def candidates(self, lemma: str, pos: str) -> list[Pattern]:
        return self.by_lemma.get((lemma, pos), [])

    def cameo_candidates(self, lemma: str, pos: str) -> list[Pattern]:
        """The CAMEO layer's patterns of a word, phrase patterns (most specific first) before the verb alone."""
        return self.cameo_by_lemma.get((lemma, pos), [])

    def cameo_for(self, lemma: str, pos: str, object_words: set[str]) -> list[Pattern]:
        """The CAMEO patterns of a word that can match given the words of its object: those
        that ask for one of these object heads, and those that ask for no object, in the order
        of :meth:`cameo_candidates` (an index by lemma and object head: most of a verb's phrase
        patterns name an object)."""
        index = self._cameo_index.get((lemma, pos))
        if index is None:
            index = self._cameo_index[(lemma, pos)] = _object_index(self.cameo_candidates(lemma, pos))
        by_object, other = index
        found = list(other)
        for w in object_words:
            found += by_object.get(w, ())
        found.sort()
        return [p for _, p in found]

    def names_conflict(self, lemma: str, pos: str) -> bool:
        """Whether a word triggers a conflictual act in either layer ("attack", "detention")."""
        lemmas = self._conflict.get(pos)
        if lemmas is None:
            lemmas = self._conflict[pos] = frozenset(
                lem for table in (self.by_lemma, self.cameo_by_lemma) for (lem, p), pats in table.items()
                if p == pos and any(not x.null and x.phrase is None and self.rules(x.event).conflict for x in pats))
        return lemma in lemmas

    def rules(self, event_type: str) -> TypeRules:
        """The rules of an event type (the defaults when no file of that type says any)."""
        return self.types.get(event_type) or _NO_RULES

    def __len__(self) -> int:
        cameo = {id(p) for v in self.cameo_by_lemma.values() for p in v}
        return sum(len(v) for v in self.by_lemma.values()) + len(cameo)


_NO_RULES = TypeRules()


def _object_index(patterns: list[Pattern]) -> tuple[dict[str, list], list]:
    """Patterns (numbered in order) by the object heads they ask for; the others apart."""
    by_object: dict[str, list] = {}
    other: list = []
    for n, p in enumerate(patterns):
        heads = p.phrase.object.heads if p.phrase is not None and p.phrase.object is not None else None
        if heads:
            for w in heads:
                by_object.setdefault(w, []).append((n, p))
        else:
            other.append((n, p))
    return by_object, other


def pattern_dir(data_dir: Path | str | None) -> Path:
    """The patterns folder of a data folder; the bundled one when it has none."""
    if data_dir:
        candidate = Path(data_dir) / "patterns"
        if candidate.is_dir():
            return candidate
    return PATTERN_DIR


def load_patterns(directory: Path | str | None = None) -> PatternSet:
    """Load and validate every pattern file of ``directory`` (default: the patterns of the
    ``data_dir`` setting, else the bundled ones); one DictionaryError lists every bad entry.
    Reads the files on every call: extraction gets its patterns, loaded once, from
    :class:`entente.resources.Resources`."""
    from .. import settings

    if directory is None:
        directory = pattern_dir(settings.get("data_dir"))
    out = PatternSet()
    problems: list[str] = []
    seen: set[str] = set()
    said: dict[str, dict[str, tuple[object, str]]] = {}   # type -> rule -> (value, file that says it)
    files: dict[str, PatternFile] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            pf = PatternFile.model_validate(raw)
        except yaml.YAMLError as err:
            problems.append(f"{path.name}: not YAML ({err})")
            continue
        except ValidationError as err:
            for e in err.errors():
                loc = ".".join(str(p) for p in e["loc"])
                problems.append(f"{path.name}: {loc}: {e['msg']}")
            continue
        for key in TYPE_RULE_KEYS:
            value = getattr(pf, key)
            if value is None:
                continue
            earlier = said.setdefault(pf.event, {}).get(key)
            if earlier is not None and earlier[0] != value:
                problems.append(f"{path.name}: {key}: {value!r} here but {earlier[0]!r} in {earlier[1]}; "
                                f"the files of {pf.event} must agree")
            said[pf.event].setdefault(key, (value, path.name))
        files.setdefault(pf.event, pf)
        for p in pf.patterns:
            p.event, p.future = pf.event, pf.future
            p.name = f"{pf.event.lower()}.{p.id}"
            p.source = p.source or f"patterns/{path.name}"
            if p.name in seen:
                problems.append(f"{path.name}: pattern id {p.id!r} is used twice")
            seen.add(p.name)
            out.by_lemma.setdefault((p.lemma, p.pos), []).append(p)
    if problems:
        raise DictionaryError(directory, problems)
    out.types = {event: TypeRules(**{k: v for k, (v, _file) in rules.items()}) for event, rules in said.items()}
    for plist in out.by_lemma.values():
        # the pattern that asks more of the parse first: more trigger words, then a required object
        plist.sort(key=lambda p: (-len(p.words), p.requires_object is None))
    generated = Path(directory) / "generated" / "cameo.json"   # a patterns folder's own lexicon, if it has one
    if generated.exists():
        _load_cameo(generated, out, files)
    return out


#: Slots of a CAMEO pattern: the verb's subject does it to its object, or to the object of a
#: preposition (the one the pattern names first: "(WITH +)"), as PETRARCH codes a source
#: acting on a target.
CAMEO_ACTOR = ["subject"]
CAMEO_RECIPIENT = ["object", "with", "to", "against", "on", "upon", "at", "into", "toward", "towards", "over"]
#: A noun form's slots ("Russia's withdrawal of troops from Kherson", "the arrest of two
#: journalists by the police"); the of-phrase goes to the side the type's ``noun_of`` says.
NOUN_ACTOR = ["poss", "modifier", "by", "light_governor"]
NOUN_RECIPIENT = ["against", "on", "into", "to", "with", "for", "between", "upon", "toward", "towards"]


def _load_cameo(path: Path, out: PatternSet, files: dict[str, PatternFile]) -> None:
    """The compiled CAMEO lexicon: one Pattern per phrase pattern (indexed under every verb of
    its block) and per verb, each type taking the defaults and future type of its hand-written
    file and the rules of its type; synonym sets expanded once."""
    try:
        lexicon = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise DictionaryError(str(path), [f"{path.name}: not JSON ({err}); run python scripts/build_data.py"])
    synsets = {name: (frozenset(words["head"]), frozenset(words["mod"]))
               for name, words in lexicon["synsets"].items()}
    problems: list[str] = []
    for raw in lexicon["patterns"]:
        event = raw.get("event")
        pfile = files.get(event) if event else None
        rules = out.rules(event) if event else _NO_RULES
        # the verbs of the block, grouped by the words they need ("meet", "meet with")
        triggers = [raw["trigger"]] if "trigger" in raw else lexicon["blocks"].get(raw["block"], [])
        groups: dict[tuple[str, ...], list[str]] = {}
        for trigger in triggers:
            lemma, *words = trigger.split()
            groups.setdefault(tuple(words), []).append(lemma)
        if raw.get("pos") == "NOUN":
            actor, recipient = list(NOUN_ACTOR), list(NOUN_RECIPIENT)
            if rules.noun_of == "actor":
                actor.insert(3, "of")
            else:
                recipient.insert(0, "of")
        else:
            actor, recipient = list(CAMEO_ACTOR), list(CAMEO_RECIPIENT)
        for prep in (raw.get("phrase") or {}).get("preps", ()):
            if prep.get("role") == "recipient":
                recipient = sorted(prep["prep"]) + recipient
            elif prep.get("role") == "actor":
                actor = sorted(prep["prep"]) + actor
        if raw.get("reverse"):
            actor, recipient = recipient, actor
        for words, lemmas in groups.items():
            fields = {**(pfile.defaults if pfile else {}), "id": raw["id"] + "".join(f"-{w}" for w in words),
                      "trigger": " ".join((lemmas[0], *words)), "also": lemmas[1:], "actor": actor,
                      "recipient": recipient, "mode": raw.get("mode", []), "context": raw.get("context", []),
                      "origin": "cameo", "cameo": raw.get("cameo"), "source": raw.get("source"),
                      "pos": raw.get("pos", "VERB"), "phrase": raw.get("phrase"), "null": event is None}
            if event == "CONSULT":
                fields["host"] = True
            if not rules.one_sided:
                fields["requires_recipient"] = True    # a source acting on a target
            elif raw.get("phrase") is None and raw.get("pos", "VERB") == "VERB":
                fields["intransitive"] = True          # "protesters marched", not "demonstrated its resolve"
            try:
                pattern = Pattern.model_validate(fields)
            except ValidationError as err:
                problems.append(f"{path.name}: {raw.get('id')}: {err.errors()[0]['msg']}")
                continue
            if pattern.phrase is not None:
                pattern.phrase.expand(synsets)
            pattern.event = event or ""
            pattern.future = pfile.future if pfile else None
            pattern.name = f"cameo.{pattern.id}"
            for lemma in lemmas:
                out.cameo_by_lemma.setdefault((lemma, pattern.pos), []).append(pattern)
    if problems:
        raise DictionaryError(str(path), problems)
    for plist in out.cameo_by_lemma.values():
        # phrase patterns (most constraints first) before the bare verb; the dictionary's order within
        plist.sort(key=lambda p: (0, -p.phrase.specificity) if p.phrase else (1, 0))
