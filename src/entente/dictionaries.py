"""The data files under ``entente/data``: actors, organisations and their members, armed
groups, news agencies, offices and sector words. Validated on load; every bad line is
reported at once (``countries.jsonl:17: 'code' is required``).

Formats (one JSON object per line; see data/SOURCES.md for where each comes from):

- countries.jsonl     {"code": "SRB", "name": "Serbia", "aliases": [...], "demonyms": [...],
                       "capital": "Belgrade", "iso2": "RS", "lat": 44.0, "lon": 21.0}
- organizations.jsonl {"code": "CSTO", "name": "...", "aliases": [...], "kind": "alliance",
                       "parent": null, "members": [{"code": "RUS", "joined": "1992-05-15", "left": null}]}
- groups.jsonl        {"code": "ISIL", "name": "...", "aliases": [...], "sector": "REB", "country": null}
- agencies.jsonl      {"name": "Kazinform", "aliases": ["KAZINFORM"], "country": "KAZ"}
- publishers.jsonl    {"name": "UK Government", "aliases": [...], "code": "GBR", "sector": "GOV"}
- offices.jsonl       {"title": "Defense Minister", "aliases": ["Minister of Defence", ...], "sector": "MIL"}
- leaders.jsonl       {"name": "Bashar al-Assad", "aliases": ["Assad"], "code": "SYR", "sector": "GOV", "office": "President"}
- people.jsonl        {"name": "Sergey Lavrov", "aliases": ["Lavrov"], "roles": [{"code": "RUS", "sector": "GOV", "start": "2004-03-09"}]}
- office_holders.jsonl {"name": "Sergei Shoigu", "aliases": ["Shoigu"], "roles": [{"code": "RUS", "sector": "MIL",
                       "office": "Defense Minister", "start": "2012-11-06", "end": "2024-05-12"}], "source": "Wikipedia: ..."}
- sectors.jsonl       {"word": "army", "sector": "MIL"}   (agent words: "Serbian army" -> SRB/MIL)
- international.jsonl (generated from Phoenix.International.actors.txt) organizations.jsonl's format: IGOs
                       and NGOs with their SPEC codes; the hand file wins over it
- bodies.jsonl        {"body": "Joint Staff", "aliases": [...], "of": ["CSTO"], "sector": "MIL", "alone": false}
"""
from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from .errors import DictionaryError

DATA_DIR = Path(__file__).parent / "data"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Member(_Entry):
    code: str
    joined: str | None = None
    left: str | None = None


class Country(_Entry):
    code: str
    name: str
    aliases: list[str] = []
    demonyms: list[str] = []
    capital: str | None = None
    iso2: str | None = None
    lat: float | None = None
    lon: float | None = None

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        if len(v) != 3 or not v.isupper():
            raise ValueError(f"code {v!r} must be three capital letters (ISO 3166-1 alpha-3)")
        return v


class Organization(_Entry):
    code: str
    name: str
    aliases: list[str] = []
    kind: str = "organization"
    parent: str | None = None
    seat: str | None = None   # the city of its headquarters: a meeting there is hosted by it
    members: list[Member] = []


class Body(_Entry):
    """A body or institution that acts for a state or organisation: next to its name ("the CSTO
    Joint Staff", "the Council of Defence Ministers of the CIS"), or, with ``alone``, by its own
    name ("MONUSCO" is UN, "the Kremlin" is RUS)."""

    body: str
    aliases: list[str] = []
    of: list[str]
    sector: str | None = None
    alone: bool = False

    @model_validator(mode="after")
    def _one_code_alone(self) -> "Body":
        if not self.of:
            raise ValueError(f"body {self.body!r} needs the code of what it acts for in 'of'")
        if self.alone and len(self.of) != 1:
            raise ValueError(f"body {self.body!r} is named alone, so it acts for one code, not {self.of}")
        return self


class Group(_Entry):
    code: str
    name: str
    aliases: list[str] = []
    sector: str = "REB"
    country: str | None = None


class Agency(_Entry):
    name: str
    aliases: list[str] = []
    country: str | None = None


class Publisher(_Entry):
    """A publisher that speaks for an actor: a government's press office, a ministry."""

    name: str
    aliases: list[str] = []
    code: str
    sector: str = "GOV"


class Office(_Entry):
    """A title a person is introduced by. ``rank``: a military or police rank ("Lt. Gen."),
    dropped next to an office and the office when the text gives no other; ``needs_portfolio``:
    a word that is an office only with its portfolio ("Head of the mission", "Member of the
    council", "Chief of Defence Forces")."""

    title: str
    aliases: list[str] = []
    sector: str = "GOV"
    country: str | None = None  # a title only one state uses ("Secretary of State": USA)
    rank: bool = False
    needs_portfolio: bool = False


class Leader(_Entry):
    """A well-known office holder: named alone ("Assad", "Putin") they still act for their
    state, and "the Assad regime" is that state's government."""

    name: str
    aliases: list[str] = []
    code: str
    sector: str = "GOV"
    office: str | None = None
    start: str | None = None
    end: str | None = None


class Role(_Entry):
    code: str
    sector: str | None = None
    start: str | None = None
    end: str | None = None


class KnownPerson(_Entry):
    """A person with the roles they held (Phoenix's CountryInfo): named without a title
    ("Bouteflika said") they still act for their state, in the role they held that day."""

    name: str
    aliases: list[str] = []
    roles: list[Role]


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _check_partial_date(value: str) -> str:
    """A date as far as it is known: YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date."""
    m = _PARTIAL_DATE.match(value)
    if not m:
        raise ValueError(f"date {value!r} must be YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    try:
        date(year, month, day)
    except ValueError:
        raise ValueError(f"date {value!r} is not a calendar date") from None
    return value


def partial_date_bounds(value: str) -> tuple[str, str]:
    """The first and last day a partial date can mean: "2024-05" -> ("2024-05-01", "2024-05-31")."""
    parts = value.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    month = int(parts[1])
    if len(parts) == 2:
        last = calendar.monthrange(year, month)[1]
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    return value, value


class HolderRole(_Entry):
    """One office held by an office holder: the state or organisation it is held for (``code``),
    the office as SPEC.md writes it, and the dates (``end`` None: still held as far as known)."""

    code: str
    sector: str
    office: str
    start: str
    end: str | None = None

    @field_validator("start", "end")
    @classmethod
    def _date(cls, v: str | None) -> str | None:
        return v if v is None else _check_partial_date(v)

    @model_validator(mode="after")
    def _ends_after_start(self) -> "HolderRole":
        if self.end is not None and partial_date_bounds(self.end)[1] < partial_date_bounds(self.start)[0]:
            raise ValueError(f"role {self.office!r} ends ({self.end}) before it starts ({self.start})")
        return self


class OfficeHolder(_Entry):
    """A current or recent office holder with dated offices (hand-curated, every line sourced):
    named without a state ("Shoigu said") they act for the state or organisation of the office
    held on the article's date."""

    name: str
    aliases: list[str] = []
    roles: list[HolderRole]
    source: str

    @field_validator("roles")
    @classmethod
    def _has_roles(cls, v: list[HolderRole]) -> list[HolderRole]:
        if not v:
            raise ValueError("an office holder needs at least one role")
        return v

    @field_validator("source")
    @classmethod
    def _has_source(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("every line must say its source")
        return v


class SectorWord(_Entry):
    word: str
    sector: str


M = TypeVar("M", bound=_Entry)
BM = TypeVar("BM", bound=BaseModel)


def jsonl_entries(path: Path, model: type[M], problems: list[str]) -> Iterator[tuple[int, M]]:
    """Each valid line of ``path`` as (line number, entry of ``model``); every bad line is
    added to ``problems`` (``file:line: 'field' is required``), blank and ``//`` lines skipped."""
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                entry = model.model_validate(json.loads(line))
            except json.JSONDecodeError as err:
                problems.append(f"{path.name}:{number}: not JSON ({err.msg})")
                continue
            except ValidationError as err:
                for e in err.errors():
                    loc = ".".join(str(p) for p in e["loc"]) or "entry"
                    msg = "is required" if e["type"] == "missing" else e["msg"].removeprefix("Value error, ")
                    problems.append(f"{path.name}:{number}: {loc!r} {msg}")
                continue
            yield number, entry


def load_jsonl(path: Path, model: type[M]) -> list[M]:
    """Validate every line of ``path`` against ``model``; raise one error listing all bad lines."""
    problems: list[str] = []
    entries = [entry for _number, entry in jsonl_entries(path, model, problems)]
    if problems:
        raise DictionaryError(str(path), problems)
    return entries


def load_yaml(path: Path, model: type[BM]) -> BM:
    """Validate a YAML word file against ``model``; raise one error naming the file and every
    bad or missing key (``grammar.yaml: 'speech_verbs' is required``)."""
    return validate_yaml(path, read_yaml(path), model)


def read_yaml(path: Path):
    """The content of a YAML file; bad YAML is a DictionaryError naming the file."""
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise DictionaryError(str(path), [f"{path.name}: not YAML ({err})"]) from None


def validate_yaml(path: Path, raw, model: type[BM]) -> BM:
    """``raw`` (read from ``path``) validated against ``model``; every problem in one error."""
    try:
        return model.model_validate(raw if raw is not None else {})
    except ValidationError as err:
        problems = []
        for e in err.errors():
            loc = ".".join(str(p) for p in e["loc"]) or "file"
            msg = ("is required" if e["type"] == "missing" else
                   "is not a key of this file (a typo, or a list this version does not read)"
                   if e["type"] == "extra_forbidden" else e["msg"])
            problems.append(f"{path.name}: {loc!r} {msg}")
        raise DictionaryError(str(path), problems) from None


# a publisher that is a state's government: "New Zealand Government", "Government of India"
_GOVERNMENT_OF = re.compile(r"^(?:the\s+)?(?:(?P<a>.+?)\s+Government|Government\s+of\s+(?:the\s+)?(?P<b>.+))$", re.I)


@dataclass(frozen=True)
class ActorRef:
    """What a name refers to: a state, organisation, group or agency, with its code."""

    code: str
    kind: str  # state | organization | group | agency
    name: str
    sector: str | None = None


@dataclass(eq=False)
class Dictionaries:
    """All data files, loaded and indexed (hashable by identity: one per data folder)."""

    countries: list[Country]
    organizations: list[Organization]
    groups: list[Group]
    agencies: list[Agency]
    publishers: list[Publisher]
    offices: list[Office]
    sector_words: list[SectorWord]
    leaders: list[Leader] = field(default_factory=list)
    people: list[KnownPerson] = field(default_factory=list)
    office_holders: list[OfficeHolder] = field(default_factory=list)
    international: list[Organization] = field(default_factory=list)   # generated: Phoenix's IGOs and NGOs
    bodies: list[Body] = field(default_factory=list)
    by_code: dict[str, ActorRef] = field(default_factory=dict)
    names: dict[str, ActorRef] = field(default_factory=dict)      # exact surface -> actor
    demonyms: dict[str, ActorRef] = field(default_factory=dict)   # "Serbian" -> SRB
    capitals: dict[str, ActorRef] = field(default_factory=dict)   # "Belgrade" -> SRB
    agency_names: dict[str, str] = field(default_factory=dict)    # surface -> canonical agency name
    people_by_name: dict[str, KnownPerson] = field(default_factory=dict, init=False, repr=False)
    leaders_by_name: dict[str, Leader] = field(default_factory=dict, init=False, repr=False)
    sector_word_set: frozenset[str] = field(default=frozenset(), init=False, repr=False)  # one-word agent words
    #: an actor's code -> its bodies as lower-case word tuples ("joint staff" of CSTO)
    bodies_of: dict[str, dict[tuple[str, ...], Body]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for c in self.countries:
            ref = ActorRef(c.code, "state", c.name)
            self.by_code[c.code] = ref
            for n in (c.name, *c.aliases):
                self.names.setdefault(n, ref)
            for d in c.demonyms:
                self.demonyms.setdefault(d, ref)
            if c.capital:
                self.capitals.setdefault(c.capital, ref)
        for o in self.organizations:
            ref = ActorRef(o.code, "organization", o.name)
            self.by_code.setdefault(o.code, ref)
            for n in (o.name, o.code, *o.aliases):
                self.names.setdefault(n, ref)
        # the generated organisations (international.jsonl): names the hand file lacks
        for o in self.international:
            ref = self.by_code.get(o.code) or ActorRef(o.code, "organization", o.name)
            self.by_code.setdefault(o.code, ref)
            for n in (o.name, o.code, *o.aliases):
                self.names.setdefault(n, ref)
        for b in self.bodies:
            for form in (b.body, *b.aliases):
                words = tuple(re.findall(r"\w+|[^\w\s]", form.lower()))
                for code in b.of:
                    self.bodies_of.setdefault(code, {}).setdefault(words, b)
        for g in self.groups:
            ref = ActorRef(g.code, "group", g.name, g.sector)
            self.by_code.setdefault(g.code, ref)
            for n in (g.name, *g.aliases):
                self.names.setdefault(n, ref)
        for a in self.agencies:
            for n in (a.name, *a.aliases):
                self.agency_names.setdefault(n, a.name)
        # known people by every name and alias, case-folded (the first entry of a name wins)
        for p in self.people:
            for n in (p.name, *p.aliases):
                self.people_by_name.setdefault(n.casefold(), p)
        # leaders by name and alias (a later entry of a name wins, as the file is read)
        self.leaders_by_name.update({n: l for l in self.leaders for n in (l.name, *l.aliases)})
        self.sector_word_set = frozenset(w.word.lower() for w in self.sector_words if " " not in w.word)
        # a name with an apostrophe, written straight or curly ("People’s Republic of China")
        for table in (self.names, self.demonyms):
            for n, ref in list(table.items()):
                if "'" in n:
                    table.setdefault(n.replace("'", "’"), ref)

    def publisher(self, name: str | None) -> Publisher | None:
        """The actor a publisher speaks for ("UK Government" -> GBR), if it is one: a publisher
        of publishers.jsonl, or # a state's government by name ("New Zealand Government",
        "Government of India", "the Government of the Republic of Korea")."""
        if not name:
            return None
        key = name.strip().casefold()
        for p in self.publishers:
            if key in {p.name.casefold(), *(a.casefold() for a in p.aliases)}:
                return p
        m = _GOVERNMENT_OF.match(name.strip())
        if m:
            ref = self.names.get(m.group("a") or m.group("b"))
            if ref is not None and ref.kind == "state":
                return Publisher(name=name.strip(), code=ref.code, sector="GOV")
        return None

    def person_role(self, name: str, date: str | None = None) -> Role | None:
        """The role of a known person ("Bouteflika", "Sergey Lavrov") on ``date`` (YYYY[-MM[-DD]]):
        an office held that day before a standing as one of the elite; without a dated role
        that day, their undated one; without a date, the latest."""
        person = self.people_by_name.get(" ".join(name.split()).casefold())
        if person is None:
            return None
        if date:
            day = (date + "-01-01")[:10] if len(date) < 10 else date[:10]
            held = [r for r in person.roles if r.start and (r.start <= day) and (r.end is None or day <= r.end)]
            if held:
                return min(held, key=lambda r: (r.sector == "ELI", r.sector is None))
            undated = [r for r in person.roles if r.start is None and r.end is None]
            return undated[0] if undated else None
        return max(person.roles, key=lambda r: (r.start or ""))

    def leader(self, name: str) -> Leader | None:
        """The leader a name or alias refers to ("Assad" -> Bashar al-Assad)."""
        return self.leaders_by_name.get(name)

    def country(self, code: str) -> Country | None:
        return next((c for c in self.countries if c.code == code), None)

    def organization(self, code: str) -> Organization | None:
        """The organisation with that code: the hand-curated entry, else the generated one."""
        return next((o for o in (*self.organizations, *self.international) if o.code == code), None)

    def members_on(self, org_code: str, date: str | None = None) -> list[str]:
        """Codes of the members of an organisation on a date (ISO; None: today's members)."""
        org = self.organization(org_code)
        if org is None:
            return []
        out = []
        for m in org.members:
            if date and m.joined and m.joined[: len(date)] > date:
                continue
            if m.left and (date is None or m.left[: len(date)] <= date):
                continue
            out.append(m.code)
        return out


FILES = {
    "countries": ("countries.jsonl", Country),
    "organizations": ("organizations.jsonl", Organization),
    "groups": ("groups.jsonl", Group),
    "agencies": ("agencies.jsonl", Agency),
    "publishers": ("publishers.jsonl", Publisher),
    "offices": ("offices.jsonl", Office),
    "sector_words": ("sectors.jsonl", SectorWord),
    "leaders": ("leaders.jsonl", Leader),
    "people": ("people.jsonl", KnownPerson),
    "office_holders": ("office_holders.jsonl", OfficeHolder),
    "international": ("international.jsonl", Organization),
    "bodies": ("bodies.jsonl", Body),
}


def load_dictionaries(data_dir: Path | str | None = None) -> Dictionaries:
    """Load and validate every data file of ``data_dir`` (default: the ``data_dir`` setting,
    else the bundled folder); one DictionaryError lists all bad lines of a file. A file the
    folder does not hold is empty. Reads the files on every call: extraction gets its
    dictionaries, loaded once, from :class:`entente.resources.Resources`."""
    from . import settings

    base = Path(data_dir or settings.get("data_dir") or DATA_DIR)
    loaded = {}
    for attr, (name, model) in FILES.items():
        path = base / name
        loaded[attr] = load_jsonl(path, model) if path.exists() else []
    return Dictionaries(**loaded)


def iter_surface_forms(d: Dictionaries) -> Iterable[tuple[str, str, str]]:
    """(surface text, spaCy label, entity id) for the entity ruler: every name, alias,
    demonym and agency name in the data files, with a name's apostrophe written straight and
    curly ("People's Republic of China", "People’s Republic of China"). Entity ids read
    ``kind:CODE``."""
    for surface, label, ent_id in _surface_forms(d):
        yield surface, label, ent_id
        for a, b in (("'", "’"), ("’", "'")):
            if a in surface:
                yield surface.replace(a, b), label, ent_id


def _surface_forms(d: Dictionaries) -> Iterable[tuple[str, str, str]]:
    for c in d.countries:
        for n in {c.name, *c.aliases}:
            yield n, "GPE", f"state:{c.code}"
        for dem in c.demonyms:
            yield dem, "NORP", f"state:{c.code}"
    for o in d.organizations:
        for n in {o.name, o.code, *o.aliases}:
            yield n, "ORG", f"organization:{o.code}"
    for o in d.international:
        for n in sorted({o.name, o.code, *o.aliases}):
            if d.names.get(n) is not None and d.names[n].code == o.code:
                yield n, "ORG", f"organization:{o.code}"
    for g in d.groups:
        for n in {g.name, *g.aliases}:
            yield n, "ORG", f"group:{g.code}"
    # bodies named alone: "MONUSCO", "the Kremlin" (never over a name the files already give)
    for i, b in enumerate(d.bodies):
        if b.alone:
            for n in sorted({b.body, *b.aliases}):
                if n not in d.names:
                    yield n, "ORG", f"body:{i}"
    for a in d.agencies:
        for n in {a.name, *a.aliases}:
            yield n, "ORG", f"agency:{a.name}"
    for ldr in d.leaders:
        for n in {ldr.name, *ldr.aliases}:
            yield n, "PERSON", f"leader:{ldr.code}"


def iter_person_forms(d: Dictionaries) -> Iterable[str]:
    """The names and aliases of the curated office holders (office_holders.jsonl), for the
    entity ruler that marks the people the NER leaves out ("Tasmagambetov inspected ...")."""
    leader_forms = {n for ldr in d.leaders for n in (ldr.name, *ldr.aliases)}
    for h in d.office_holders:
        for n in sorted({h.name, *h.aliases}):
            if n not in leader_forms:
                yield n
