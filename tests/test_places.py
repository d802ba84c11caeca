"""Place names to a country and a point (entente.resolve.places), offline."""
from __future__ import annotations

import pytest

from entente.errors import DictionaryError
from entente.resolve.places import load_place_aliases, load_place_words, place_for_country, resolve_place
from entente.resources import BUNDLED_DATA, default_resources

GAZETTEER = default_resources().gazetteer


@pytest.mark.parametrize("name, context, country", [
    ("Moscow", (), "RUS"),
    ("Belgrade", (), "SRB"),
    ("Damascus", (), "SYR"),
    ("Baghdad", (), "IRQ"),
    ("Astana", (), "KAZ"),
    ("Nur-Sultan", (), "KAZ"),
    ("Kiev", (), "UKR"),
    ("Kyiv", (), "UKR"),
    ("Washington", (), "USA"),
    ("Washington, D.C.", (), "USA"),
    ("New York", (), "USA"),
    ("Pristina", (), "KOS"),
    ("Hama", (), "SYR"),                      # GeoNames spells it Ḩamāh: found by an alternate name
    ("Chișinău", (), "MDA"),                  # accents do not matter
    ("Tripoli", (), "LBY"),                   # the most populous namesake
    ("Tripoli", ("LBN",), "LBN"),             # unless the context names the other's country
    ("Moscow", ("USA",), "RUS"),              # ... and it is not a small town beside a capital
    ("Paris, Texas", (), "USA"),              # "City, Region"
    ("Karrada, Baghdad", (), "IRQ"),          # unknown district: the city after the comma
])
def test_places_resolve_country(name, context, country):
    place = resolve_place(name, context=context, gazetteer=GAZETTEER)
    assert place is not None and place.country == country


@pytest.mark.parametrize("name, context, country", [
    ("Georgia", (), "GEO"),
    ("Georgia", ("USA",), "GEO"),                   # "Kerry arrived in Georgia": the code alone is not enough
    ("Georgia", ("GEO", "Tbilisi"), "GEO"),
    ("Georgia", ("USA", "Atlanta"), "USA"),          # a US city nearby
    ("Georgia", ("governor",), "USA"),
    ("Georgia", ("state of Georgia",), "USA"),
    ("Georgia", ("USA", "U.S. state"), "USA"),
])
def test_places_country_or_us_state(name, context, country):
    assert resolve_place(name, context=context, gazetteer=GAZETTEER).country == country


@pytest.mark.parametrize("name, context", [
    ("Independence", {"USA"}),
    ("Independence, Missouri", ()),
    ("Independence", ("Missouri",)),
])
def test_places_independence_missouri(name, context):
    place = resolve_place(name, context=context, gazetteer=GAZETTEER)
    assert place.country == "USA"
    assert place.lat == pytest.approx(39.09, abs=0.05) and place.lon == pytest.approx(-94.42, abs=0.05)


@pytest.mark.parametrize("name, expected", [
    ("Russia", "Russia"), ("Russian Federation", "Russia"), ("U.S.", "United States"), ("Britain", "United Kingdom"),
    ("Czechia", "Czech Republic"), ("Burma", "Myanmar"), ("Syria", "Syria"), ("Armenia", "Armenia"),
])
def test_places_country_names_give_the_country(name, expected):
    place = resolve_place(name, gazetteer=GAZETTEER)
    assert place.name == expected
    assert place == place_for_country(place.country, GAZETTEER)


@pytest.mark.parametrize("name", ["Karrada", "us", "", "Narnia", "the"])
def test_places_unknown_is_none(name):
    assert resolve_place(name, gazetteer=GAZETTEER) is None


@pytest.mark.parametrize("code, name, lat, lon", [
    ("SRB", "Serbia", 44.80, 20.47), ("RUS", "Russia", 55.75, 37.62), ("USA", "United States", 38.90, -77.04),
    ("ARM", "Armenia", 40.18, 44.51),
])
def test_places_place_for_country(code, name, lat, lon):
    place = place_for_country(code, GAZETTEER)
    assert (place.name, place.country) == (name, code)
    assert (place.lat, place.lon) == (pytest.approx(lat, abs=0.05), pytest.approx(lon, abs=0.05))


@pytest.mark.parametrize("code", ["XXX", "UN"])
def test_places_place_for_unknown_country_is_none(code):
    assert place_for_country(code, GAZETTEER) is None


def test_places_city_keeps_the_name_as_written():
    assert resolve_place("Kiev", gazetteer=GAZETTEER).name == "Kiev"
    assert resolve_place("Washington, D.C.", gazetteer=GAZETTEER).name == "Washington"


# --- US state abbreviations of news style (place_aliases.jsonl, kind "state") ---------------------

@pytest.mark.parametrize("name, state", [
    ("Ala.", "Alabama"), ("Fla.", "Florida"), ("Calif.", "California"), ("N.Y.", "New York"),
    ("Wash.", "Washington"), ("W.Va.", "West Virginia"), ("Mass.", "Massachusetts"), ("Okla.", "Oklahoma"),
    ("N.C.", "North Carolina"), ("Ga.", "Georgia"),
])
def test_places_state_abbreviation_is_the_us_state(name, state):
    place = resolve_place(name, gazetteer=GAZETTEER)
    assert (place.name, place.country) == (state, "USA")


# --- "City, Country" and "City, State": the city of the pair's country --------------------------

@pytest.mark.parametrize("city, region, country, lat", [
    ("Birmingham", "Ala.", "USA", 33.52),      # not Birmingham, England
    ("Birmingham", "England", "GBR", 52.48),
    ("Portland", "Ore.", "USA", 45.52),
    ("Portland", "Maine", "USA", 43.66),
    ("Springfield", "Ill.", "USA", 39.80),
    ("Springfield", "Mo.", "USA", 37.22),
    ("Athens", "Ga.", "USA", 33.96),           # not Athens, Greece
    ("Paris", "Tex.", "USA", 33.66),
    ("Tripoli", "Lebanon", "LBN", 34.43),      # not the bigger Tripoli in Libya
    ("Atlanta", "Georgia", "USA", 33.75),      # "Georgia" after a US city is the state
    ("Batumi", "Georgia", "GEO", 41.64),       # ... after a Georgian one the country
    ("Kiev", "Ukraine", "UKR", 50.45),         # an alias of the city
])
def test_places_city_pair_keeps_the_city(city, region, country, lat):
    for place in (GAZETTEER.resolve_pair(city, region), resolve_place(f"{city}, {region}", gazetteer=GAZETTEER)):
        assert (place.name, place.country) == (city, country)
        assert place.lat == pytest.approx(lat, abs=0.05)


@pytest.mark.parametrize("city, region, country", [
    ("Zarqovo", "Ukraine", "UKR"),     # a village the index does not hold: its name, the pair's country
    ("Qal'at Abbas", "Iraq", "IRQ"),
    ("Pinewood Flats", "Ala.", "USA"),
])
def test_places_unknown_city_of_a_pair_takes_its_country(city, region, country):
    place = resolve_place(f"{city}, {region}", gazetteer=GAZETTEER)
    assert (place.name, place.country, place.lat) == (city, country, None)


@pytest.mark.parametrize("city, region", [
    ("Karrada", "Baghdad"),    # a district of a city: not a country pair (the city answers, above)
    ("Russia", "China"),       # a list of countries
    ("Moscow", "Paris"),       # a list of cities
])
def test_places_pair_needs_a_city_and_a_country_or_state(city, region):
    assert GAZETTEER.resolve_pair(city, region) is None


# --- regions and military sites of place_aliases.jsonl -------------------------------------------

@pytest.mark.parametrize("name, place_name, country", [
    ("Donbas", "Donbas", "UKR"), ("the West Bank", "West Bank", "PSE"), ("North Kivu", "North Kivu", "COD"),
    ("Kapustin Yar", "Kapustin Yar", "RUS"), ("Incirlik", "Incirlik Air Base", "TUR"),
    ("Ramstein Air Base", "Ramstein Air Base", "DEU"), ("Camp Humphreys", "Camp Humphreys", "KOR"),
])
def test_places_region_and_site_aliases(name, place_name, country):
    place = resolve_place(name, gazetteer=GAZETTEER)
    assert (place.name, place.country) == (place_name, country)


# --- place_aliases.jsonl validated on load, every bad line named ----------------------------------

@pytest.mark.parametrize("line, problem", [
    ('{"alias": "Zz.", "state": "ZZ"}', "'state' 'ZZ' is no US state's postal code"),
    ('{"alias": "Zzland", "country": "XXX"}', "'country' 'XXX' is no code of countries.jsonl"),
    ('{"alias": "Zzplace"}', "give either 'state'"),
    ('{"alias": "Zzplace", "state": "AL", "country": "USA"}', "give either 'state'"),
    ('{"alias": "Zz base", "country": "RUS", "kind": "site"}', "a 'site' needs its 'source'"),
    ('{"alias": "Zzplace", "country": "RUS", "kind": "town"}', "'kind' must be one of"),
    ('{"alias": "Zzplace", "country": "RUS", "population": 3}', "'population' Extra inputs are not permitted"),
    ('{"alias": "Kiev", "city": "Kyiv", "country": "UKR"}', "alias 'Kiev' is already on line 1"),
    ('{"alias": "Zzplace", ', "not JSON"),
])
def test_places_bad_alias_line_is_reported(tmp_path, line, problem):
    path = tmp_path / "place_aliases.jsonl"
    path.write_text('{"alias": "Kiev", "city": "Kyiv", "country": "UKR"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(DictionaryError) as err:
        load_place_aliases(path, countries={"UKR", "RUS", "USA"}, states={"AL"})
    assert f"place_aliases.jsonl:2: " in str(err.value) and problem in str(err.value)


def test_places_bundled_aliases_are_valid_and_sites_cite_sources():
    rows = load_place_aliases(BUNDLED_DATA / "place_aliases.jsonl", countries=GAZETTEER.index.codes,
                              states=GAZETTEER.index.state_by_code)
    sites = [r for r in rows if r.kind == "site"]
    assert sites and all(r.source for r in sites)
    assert sum(r.kind == "state" for r in rows) >= 40


# --- regions and sites by the place they are named after (place_words.yaml) ----------------------

@pytest.mark.parametrize("name, place_name, country", [
    ("the Kherson region", "Kherson region", "UKR"),
    ("Orenburg region", "Orenburg region", "RUS"),
    ("the province of Idlib", "province of Idlib", "SYR"),
    ("Phitsanulok province", "Phitsanulok province", "THA"),
    ("the Kandahar provinces", "Kandahar provinces", "AFG"),
    ("Kiev oblast", "Kiev oblast", "UKR"),                      # an alias inside
    ("the district of Peshawar", "district of Peshawar", "PAK"),
    ("Incirlik air base", "Incirlik air base", "TUR"),
    ("the Latakia air force base", "Latakia air force base", "SYR"),
    ("the Orenburg training ground", "Orenburg training ground", "RUS"),
])
def test_places_region_or_site_takes_the_country_of_its_name(name, place_name, country):
    place = resolve_place(name, gazetteer=GAZETTEER)
    assert (place.name, place.country) == (place_name, country)


@pytest.mark.parametrize("name", [
    "Islamic State",             # "state" is no region word
    "the Narnia region",         # a region of no known place
    "region",                    # the word alone
    "the training ground",
])
def test_places_region_or_site_of_no_known_place_is_none(name):
    assert resolve_place(name, gazetteer=GAZETTEER) is None


EXTRACTED = {}


def _extracted(text: str) -> dict:
    if text not in EXTRACTED:
        from entente.extract import extract
        EXTRACTED[text] = extract(text, published="2021-05-04")
    return EXTRACTED[text]


def _locations(text: str) -> dict[str, str | None]:
    return {e["name"]: e.get("country") for e in _extracted(text)["entities"] if e["kind"] == "location"}


@pytest.mark.parametrize("text, name, country", [
    # "City, State" and "City, Country" as two entities: the city of the pair
    ("Protesters marched through Birmingham, Ala., on Tuesday.", "Birmingham", "USA"),
    ("The senator spoke to farmers in Athens, Ga., on Monday.", "Athens", "USA"),
    ("Israeli aircraft struck a depot near Tyre, Lebanon, on Friday.", "Tyre", "LBN"),
    ("Officials met in Tripoli, Lebanon, to discuss the border.", "Tripoli", "LBN"),
    # a region word the NER leaves out of the name
    ("Artillery shelled villages in the Zaporizhzhia region overnight.", "Zaporizhzhia region", "UKR"),
    ("Government troops advanced in the province of Hama.", "province of Hama", "SYR"),
    # a training ground the gazetteer does not know, placed by the text
    ("Paratroopers drilled at the Kzyltau training ground in the Orenburg region.", "Kzyltau training ground", "RUS"),
    ("Tank crews trained at the Brezhno range near Minsk.", "Minsk", "BLR"),   # "range" is no site word
])
def test_places_in_sentences(text, name, country):
    assert _locations(text).get(name, "missing") == country


@pytest.mark.parametrize("text, place_name, country", [
    ("Russian forces shelled villages in the Kherson region on Monday.", "Kherson region", "UKR"),
    ("Syrian troops attacked rebels in the province of Idlib.", "province of Idlib", "SYR"),
    ("Police detained dozens of protesters in Tampa, Fla., on Sunday.", "Tampa", "USA"),
])
def test_places_event_place_of_a_region_or_pair(text, place_name, country):
    places = [(e["event_loc"] or {}) for e in _extracted(text)["events"]]
    assert any((p.get("name"), p.get("country")) == (place_name, country) for p in places), places


@pytest.mark.parametrize("content, problem", [
    ("region_words: [region]\nfacility_words: [base]\nsite_prepositions: [in]\n", "'us_state_cues' is required"),
    ("region_words: [Region]\nfacility_words: [base]\nsite_prepositions: [in]\nus_state_cues: [governor]\n",
     "lower-case words"),
    ("region_words: [region]\nfacility_words: [base]\nsite_prepositions: [in]\nus_state_cues: [governor]\n"
     "town_words: [town]\n", "'town_words' is not a key of this file"),
    ("region_words: [region\n", "not YAML"),
])
def test_places_bad_word_file_is_reported(tmp_path, content, problem):
    path = tmp_path / "place_words.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DictionaryError) as err:
        load_place_words(path)
    assert "place_words.yaml" in str(err.value) and problem in str(err.value)


def test_places_words_come_from_the_data_folder(tmp_path):
    """A data folder's own place_words.yaml is the one its gazetteer reads."""
    from entente.resources import Resources
    import shutil

    shutil.copy(BUNDLED_DATA / "countries.jsonl", tmp_path / "countries.jsonl")
    (tmp_path / "place_words.yaml").write_text(
        "region_words: [zone]\nfacility_words: [base]\nsite_prepositions: [in]\nus_state_cues: [governor]\n",
        encoding="utf-8")
    mine = Resources(tmp_path).gazetteer
    assert mine.resolve("the Kherson zone").country == "UKR"
    assert mine.resolve("the Kherson region") is None


# --- surname guards: a name the text uses for a person is no place and no state -------------------

def _actor_codes(text: str) -> set[str]:
    record = _extracted(text)
    return {e.get("code") for e in record["entities"] if e["kind"] == "state"}


@pytest.mark.parametrize("text, not_a_place, not_an_actor", [
    ("Mr. Jordan met the French president in Paris on Monday.", "Jordan", "JOR"),
    ("Ms. Chad told reporters that the ceasefire would hold.", "Chad", "TCD"),
    ("Georgia Smith, the US envoy, visited Kabul on Tuesday.", "Georgia", "GEO"),
    ("Israel Hernandez, a deputy minister, criticised the plan.", "Israel", "ISR"),
    ("Dr. Kenya Wallace said the vaccine shipments had arrived.", "Kenya", "KEN"),
    ("President Mahmoud Abbas met envoys in Ramallah. Abbas said talks would resume.", "Abbas", None),
])
def test_places_surname_guard(text, not_a_place, not_an_actor):
    assert not_a_place not in _locations(text)
    if not_an_actor:
        assert not_an_actor not in _actor_codes(text)


@pytest.mark.parametrize("text, code", [
    ("Troops crossed into Jordan from Syria on Monday.", "JOR"),        # the state, no person near
    ("King Abdullah of Jordan met Mr. Smith in Amman.", "JOR"),        # the honorific names Smith only
    ("The Georgia government protested to Moscow.", "GEO"),             # no surname after it
    ("Soldiers patrolled the Jordan Valley and met Ms. Valley's aides.", "JOR"),   # "the" before it
])
def test_places_no_guard_without_a_person(text, code):
    assert code in _actor_codes(text)
