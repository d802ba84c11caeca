"""The data files under entente/data: loading, validation, and the facts the extractor relies on."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pycountry
import pytest

from entente.dictionaries import DATA_DIR, FILES, Country, load_dictionaries, load_jsonl
from entente.errors import DictionaryError
from entente.resources import default_resources

ROOT = Path(__file__).resolve().parent.parent
PHOENIX = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "phoenix" / "Phoenix.agents.txt"


@pytest.fixture(scope="module")
def d():
    return load_dictionaries()


# --- the loader -------------------------------------------------------------------------------


def test_dictionaries_loader_lists_every_bad_line(tmp_path):
    path = tmp_path / "countries.jsonl"
    path.write_text("\n".join([
        '{"code": "SRB", "name": "Serbia"}',          # 1 good
        '{"name": "Nowhere"}',                        # 2 no code
        '{"code": "SRB", "name": "Serbia",',          # 3 not JSON
        '{"code": "srb", "name": "Serbia"}',          # 4 code not alpha-3 capitals
        '{"code": "FRA", "name": "France", "flag": "tricolour"}',   # 5 unknown field
    ]) + "\n", encoding="utf-8")
    with pytest.raises(DictionaryError) as err:
        load_jsonl(path, Country)
    where = [p.split(" ")[0] for p in err.value.problems]
    assert where == ["countries.jsonl:2:", "countries.jsonl:3:", "countries.jsonl:4:", "countries.jsonl:5:"]
    assert "'code' is required" in err.value.problems[0]
    assert "countries.jsonl:3: not JSON" in str(err.value)


@pytest.mark.parametrize("attr", ["countries", "organizations", "groups", "offices", "sector_words", "agencies"])
def test_dictionaries_data_file_loads(attr):
    name, model = FILES[attr]
    assert load_jsonl(DATA_DIR / name, model), f"{name} is empty"


# --- countries --------------------------------------------------------------------------------


def test_dictionaries_every_iso_country_plus_kosovo_and_palestine(d):
    codes = [c.code for c in d.countries]
    assert len(codes) == len(set(codes)), "country codes must be unique"
    expected = {c.alpha_3 for c in pycountry.countries} | {"KOS", "PSE"}
    assert set(codes) == expected


@pytest.mark.parametrize("code, name, capital", [
    ("RUS", "Russia", "Moscow"), ("IRN", "Iran", "Tehran"), ("SYR", "Syria", "Damascus"),
    ("KOR", "South Korea", "Seoul"), ("PRK", "North Korea", "Pyongyang"), ("USA", "United States", "Washington"),
    ("GBR", "United Kingdom", "London"), ("CZE", "Czech Republic", "Prague"), ("VNM", "Vietnam", "Hanoi"),
    ("BOL", "Bolivia", "Sucre"), ("TZA", "Tanzania", "Dodoma"), ("VEN", "Venezuela", "Caracas"),
    ("MDA", "Moldova", "Chisinau"), ("LAO", "Laos", "Vientiane"), ("TWN", "Taiwan", "Taipei"),
    ("KAZ", "Kazakhstan", "Astana"), ("SRB", "Serbia", "Belgrade"), ("KOS", "Kosovo", "Pristina"),
    ("PSE", "Palestine", "Ramallah"), ("TUR", "Turkey", "Ankara"),
])
def test_dictionaries_country_short_name_and_capital(d, code, name, capital):
    c = d.country(code)
    assert (c.name, c.capital) == (name, capital)
    assert c.lat is not None and c.lon is not None


@pytest.mark.parametrize("alias, code", [
    ("Russian Federation", "RUS"), ("U.S.", "USA"), ("US", "USA"), ("USA", "USA"), ("America", "USA"),
    ("United States of America", "USA"), ("Britain", "GBR"), ("Great Britain", "GBR"), ("UK", "GBR"),
    ("U.K.", "GBR"), ("Czechia", "CZE"), ("Burma", "MMR"), ("Ivory Coast", "CIV"), ("Côte d'Ivoire", "CIV"),
    ("Republic of Korea", "KOR"), ("DPRK", "PRK"), ("Islamic Republic of Iran", "IRN"), ("Türkiye", "TUR"),
    ("Macedonia", "MKD"), ("North Macedonia", "MKD"), ("Holy See", "VAT"), ("Congo-Brazzaville", "COG"),
])
def test_dictionaries_country_alias(d, alias, code):
    assert d.names[alias].code == code


@pytest.mark.parametrize("surface", ["us", "IS", "IN", "the", "Kurdish", "Kurdistan", "Arab", "Korean"])
def test_dictionaries_no_clashing_country_names(d, surface):
    assert d.names.get(surface) is None or d.names[surface].kind != "state"
    assert surface not in d.demonyms


@pytest.mark.parametrize("demonym, code", [
    ("Serbian", "SRB"), ("Serbians", "SRB"), ("Serb", "SRB"), ("Serbs", "SRB"), ("American", "USA"), ("Americans", "USA"),
    ("British", "GBR"), ("Briton", "GBR"), ("Britons", "GBR"), ("Russian", "RUS"), ("Russians", "RUS"), ("Chinese", "CHN"),
    ("Czech", "CZE"), ("Hungarian", "HUN"), ("Polish", "POL"), ("Pole", "POL"), ("Poles", "POL"), ("Iraqi", "IRQ"),
    ("Iraqis", "IRQ"), ("Syrian", "SYR"), ("Syrians", "SYR"), ("Kazakh", "KAZ"), ("Kazakhstani", "KAZ"),
    ("Armenian", "ARM"), ("Georgian", "GEO"), ("Dutch", "NLD"), ("Emirati", "ARE"), ("Saudi", "SAU"),
    ("Palestinian", "PSE"), ("Kosovar", "KOS"), ("Cypriots", "CYP"), ("Congolese", "COD"),
])
def test_dictionaries_demonym(d, demonym, code):
    assert d.demonyms[demonym].code == code


# Territories without people and Dominica, whose demonym ("Dominican") belongs to the Dominican Republic.
NO_DEMONYM = {"ATF", "BVT", "DMA", "HMD", "SJM", "UMI", "VAT"}


def test_dictionaries_every_inhabited_country_has_a_demonym(d):
    missing = sorted(c.code for c in d.countries if not c.demonyms and c.code not in NO_DEMONYM)
    assert missing == []


# --- organisations and their members ----------------------------------------------------------


def test_dictionaries_member_codes_are_countries(d):
    countries = {c.code for c in d.countries}
    unknown = [(o.code, m.code) for o in d.organizations for m in o.members if m.code not in countries]
    assert unknown == []


def test_dictionaries_organization_codes_unique(d):
    codes = [o.code for o in d.organizations] + [g.code for g in d.groups]
    assert len(codes) == len(set(codes))
    assert not set(codes) & {c.code for c in d.countries}


@pytest.mark.parametrize("org, date, included, excluded", [
    ("NATO", "2022-06-01", {"USA", "POL", "HUN", "CZE", "MNE", "MKD"}, {"FIN", "SWE"}),
    ("NATO", "2024-06-01", {"FIN", "SWE"}, {"UKR", "GEO"}),
    ("NATO", "1999-03-11", {"USA"}, {"POL", "HUN", "CZE"}),
    ("NATO", "1999-03-12", {"POL", "HUN", "CZE"}, set()),
    ("NATO", "2017-06-05", {"MNE"}, {"MKD"}),
    ("EU", "2019-12-31", {"GBR", "HRV"}, set()),
    ("EU", "2020-02-01", {"FRA"}, {"GBR"}),
    ("LAS", "2015-01-01", {"EGY", "PSE"}, {"SYR"}),
    ("LAS", "2023-05-07", {"SYR"}, set()),
    ("SCO", "2017-06-01", {"RUS", "CHN"}, {"IND", "PAK"}),
    ("SCO", "2024-07-05", {"IND", "PAK", "IRN", "BLR"}, set()),
    ("CIS", "2010-01-01", {"UKR", "RUS"}, {"GEO"}),
    ("COE", "2022-03-17", {"UKR"}, {"RUS"}),
])
def test_dictionaries_members_on(d, org, date, included, excluded):
    members = set(d.members_on(org, date))
    assert included <= members
    assert not excluded & members


@pytest.mark.parametrize("date, members", [
    ("2017-09-25", {"ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"}),
    ("2008-01-01", {"ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "UZB"}),
    ("1995-01-01", {"ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "RUS", "TJK", "UZB"}),
])
def test_dictionaries_csto_members_exactly(d, date, members):
    assert set(d.members_on("CSTO", date)) == members


@pytest.mark.parametrize("org, count", [("UN", 193), ("EU", 27), ("NATO", 32), ("OSCE", 57), ("AU", 55), ("OIC", 57),
                                        ("COE", 46), ("ASEAN", 11), ("GCC", 6), ("LAS", 22), ("OAS", 32)])
def test_dictionaries_current_member_count(d, org, count):
    assert len(set(d.members_on(org))) == count


@pytest.mark.parametrize("surface, code", [
    ("United Nations", "UN"), ("U.N.", "UN"), ("Security Council", "UN"), ("UN Security Council", "UN"),
    ("UNSC", "UN"), ("General Assembly", "UN"), ("UNGA", "UN"), ("UNHCR", "UN"), ("UNICEF", "UN"), ("WFP", "UN"),
    ("OCHA", "UN"), ("WHO", "UN"), ("Collective Security Treaty Organization", "CSTO"), ("Arab League", "LAS"),
    ("Global Coalition", "COALITION"), ("Global Coalition to Counter ISIL", "COALITION"), ("Counter ISIL Coalition", "COALITION"),
    ("International Syria Support Group", "ISSG"), ("Council of Europe", "COE"), ("Interpol", "INTERPOL"),
    ("ISIS", "ISIL"), ("ISIL", "ISIL"), ("Daesh", "ISIL"), ("Da'esh", "ISIL"), ("Da’esh", "ISIL"), ("DAESH", "ISIL"),
    ("Islamic State", "ISIL"), ("Islamic State of Iraq and the Levant", "ISIL"), ("Jabhat al-Nusra", "NUSRA"),
    ("Jabhat Fateh al-Sham", "NUSRA"), ("Hayat Tahrir al-Sham", "HTS"), ("Hezbollah", "HEZBOLLAH"), ("Ansar Allah", "HOUTHI"),
    ("Free Syrian Army", "FSA"), ("Wagner Group", "WAGNER"), ("Lashkar-e-Taiba", "LET"), ("al-Qaeda", "AQ"),
])
def test_dictionaries_organization_and_group_names(d, surface, code):
    assert d.names[surface].code == code


@pytest.mark.parametrize("surface", ["IS", "ADF", "Coalition"])
def test_dictionaries_not_actor_names(d, surface):
    assert surface not in d.names


# --- offices and sector words -----------------------------------------------------------------


def _office(d, form: str):
    hits = [o for o in d.offices if form == o.title or form in o.aliases]
    assert len(hits) == 1, f"{form!r} is in {len(hits)} offices"
    return hits[0]


@pytest.mark.parametrize("form, title, sector", [
    ("President", "President", "GOV"), ("Prime Minister", "Prime Minister", "GOV"),
    ("Minister of Foreign Affairs", "Foreign Minister", "GOV"), ("foreign minister", "Foreign Minister", "GOV"),
    ("Foreign Secretary", "Foreign Secretary", "GOV"), ("Defence Minister", "Defense Minister", "MIL"),
    ("Minister of Defence", "Defense Minister", "MIL"), ("Minister of Defense", "Defense Minister", "MIL"),
    ("defence minister", "Defense Minister", "MIL"), ("defense minister", "Defense Minister", "MIL"),
    ("Secretary of Defense", "Secretary of Defense", "MIL"), ("Defence Secretary", "Defence Secretary", "MIL"),
    ("Secretary-General", "Secretary General", "GOV"), ("Deputy Ambassador", "Deputy Ambassador", "GOV"),
    ("Special Presidential Envoy", "Special Presidential Envoy", "GOV"), ("Minister for the Middle East", "Minister for the Middle East", "GOV"),
    ("Foreign Office Minister", "Foreign Office Minister", "GOV"), ("Chief of the General Staff", "Chief of the General Staff", "MIL"),
    ("Speaker", "Speaker", "LEG"), ("Senator", "Senator", "LEG"), ("Emir", "Emir", "GOV"), ("Defence Attaché", "Defence Attaché", "MIL"),
    ("Minister of Internal Affairs", "Interior Minister", "GOV"), ("Justice Minister", "Justice Minister", "GOV"),
])
def test_dictionaries_office(d, form, title, sector):
    office = _office(d, form)
    assert (office.title, office.sector) == (title, sector)


def test_dictionaries_offices_broad_and_unique(d):
    titles = [o.title for o in d.offices]
    assert len(titles) >= 100
    assert len(titles) == len(set(titles))


@pytest.mark.parametrize("word, sector", [
    ("army", "MIL"), ("armed forces", "MIL"), ("troops", "MIL"), ("navy", "MIL"), ("air force", "MIL"),
    ("defence ministry", "MIL"), ("ministry of defense", "MIL"), ("police", "COP"), ("intelligence", "SPY"),
    ("security service", "SPY"), ("parliament", "LEG"), ("lawmakers", "LEG"), ("senate", "LEG"), ("court", "JUD"),
    ("government", "GOV"), ("foreign ministry", "GOV"), ("embassy", "GOV"), ("regime", "GOV"), ("authorities", "GOV"),
    ("rebels", "REB"), ("insurgents", "REB"), ("militants", "REB"), ("opposition", "OPP"),
])
def test_dictionaries_sector_word(d, word, sector):
    table = {w.word: w.sector for w in d.sector_words}
    assert table[word] == sector


# --- the generated files are what scripts/build_data.py makes ----------------------------------


def test_dictionaries_generated_files_up_to_date():
    assert PHOENIX.exists(), f"{PHOENIX} is missing: ../shared must lie beside the repository"
    spec = importlib.util.spec_from_file_location("build_data", ROOT / "scripts" / "build_data.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.main(["--check", "--phoenix", str(PHOENIX.parent)]) == 0


@pytest.mark.parametrize("name,date,code,sector", [
    ("Sergey Lavrov", "2017-04-12", "RUS", "GOV"),
    ("Lavrov", "2017-04", "RUS", "GOV"),
    ("vladimir  putin", "1995", "RUS", "ELI"),      # before office: one of the elite
    ("Putin", "2004-06-01", "RUS", "GOV"),
    ("Hosni Mubarak", "2015-01-01", "EGY", "ELI"),   # after office: the undated role
    ("Putin", None, "RUS", "GOV"),                  # no date: the latest role
])
def test_known_people_take_the_role_of_the_day(name, date, code, sector):
    role = default_resources().dictionaries.person_role(name, date)
    assert (role.code, role.sector) == (code, sector)


def test_known_people_names_that_name_two_states_name_nobody():
    d = default_resources().dictionaries
    assert d.person_role("Kim", "2010-01-01") is None
    assert d.person_role("Nobody Inparticular", "2010-01-01") is None
