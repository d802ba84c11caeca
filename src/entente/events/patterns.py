"""Event patterns: one YAML file per PLOVER type under data/patterns, validated on load.

See data/patterns/README.md for the format an analyst writes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from ..errors import DictionaryError
from ..record import EVENT_TYPES

from .slots import PREPOSITIONS, SLOT_NAMES  # noqa: F401  (PREPOSITIONS: the slot prepositions)

PATTERN_DIR = Path(__file__).resolve().parent.parent / "data" / "patterns"
#: the slot names a pattern may use: the slot finders of events/slots.py
SLOTS = SLOT_NAMES


class Pattern(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    trigger: str
    pos: Literal["VERB", "NOUN"] = "VERB"
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
    intransitive: bool = False   # only with no direct object ("students demonstrated", not "demonstrated resolve")
    has_place: bool = True   # false for statements: they happen where the speaker is, rarely said
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

    @property
    def words(self) -> list[str]:
        """Further words that must depend on the trigger ("send observers": observers)."""
        return [w.lower() for w in self.trigger.split()[1:]]


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

    def candidates(self, lemma: str, pos: str) -> list[Pattern]:
        return self.by_lemma.get((lemma, pos), [])

    def rules(self, event_type: str) -> TypeRules:
        """The rules of an event type (the defaults when no file of that type says any)."""
        return self.types.get(event_type) or _NO_RULES

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_lemma.values())


_NO_RULES = TypeRules()


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
        for p in pf.patterns:
            p.event, p.future = pf.event, pf.future
            p.name = f"{pf.event.lower()}.{p.id}"
            if p.name in seen:
                problems.append(f"{path.name}: pattern id {p.id!r} is used twice")
            seen.add(p.name)
            out.by_lemma.setdefault((p.lemma, p.pos), []).append(p)
    if problems:
        raise DictionaryError(directory, problems)
    out.types = {event: TypeRules(**{k: v for k, (v, _file) in rules.items()}) for event, rules in said.items()}
    for plist in out.by_lemma.values():
        plist.sort(key=lambda p: -len(p.words))
    return out
