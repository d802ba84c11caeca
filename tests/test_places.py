"""Place names to a country and a point (entente.resolve.places), offline."""
from __future__ import annotations

import pytest

from entente.resolve.places import place_for_country, resolve_place
from entente.resources import default_resources

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
