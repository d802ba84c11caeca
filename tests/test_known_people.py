"""Known people named without a state: the state of the role held on the article's date.

office_holders.jsonl (2014-2025 and the 1990s leaders), leaders.jsonl and people.jsonl (frozen
in 2014) are read together by entente.resolve.known_people; the resolver gives a person named
without a stated state the state of the role held that day, never overrides a fuller name the
story gives with a known surname, and gives nobody for a name two people could bear.
"""
from __future__ import annotations

import pytest

from entente.dictionaries import HolderRole, KnownPerson, Leader, OfficeHolder, Role, load_dictionaries
from entente.extract import extract
from entente.resolve.known_people import KnownPeople


def _person(record: dict, name: str) -> dict:
    found = [e for e in record["entities"] if e["kind"] == "person" and (e["name"] == name or e["name"].endswith(" " + name))]
    assert found, f"no person {name!r} in {[e['name'] for e in record['entities'] if e['kind'] == 'person']}"
    return found[0]


# --- the whole pipeline: a person named without a state, in both eras ---------------------------

@pytest.mark.parametrize("text, published, name, code", [
    # the 1990s: the leaders the 2014 file lacks, from office_holders.jsonl
    ("Grachev said the troops would stay until the spring.", "1994-12-11", "Grachev", "RUS"),
    ("Kinkel told reporters that the talks had failed.", "1995-06-01", "Kinkel", "DEU"),
    # after 2014: the role held on the day, which changes with the date
    ("Shoigu said the drills would continue.", "2020-06-01", "Shoigu", "RUS"),
    ("Stoltenberg said the allies would answer together.", "2018-07-11", "Stoltenberg", "NATO"),
    ("Stoltenberg said the budget would be balanced.", "2025-06-01", "Stoltenberg", "NOR"),
    ("Tasmagambetov inspected the new brigade.", "2015-05-01", "Tasmagambetov", "KAZ"),
    ("Tasmagambetov opened the session of the council.", "2024-09-01", "Tasmagambetov", "CSTO"),
    ("Rutte said the coalition would hold.", "2019-01-01", "Rutte", "NLD"),
    ("Rutte said the allies would spend more.", "2025-06-24", "Rutte", "NATO"),
    # a former office holder is still of the state he served
    ("Evo Morales criticised the decision in a message to supporters.", "2023-11-01", "Evo Morales", "BOL"),
])
def test_person_named_without_a_state_acts_for_the_role_held_that_day(text, published, name, code):
    person = _person(extract(text, published=published), name)
    assert person["affiliation"] == code


def test_the_text_wins_over_the_known_role():
    # the text states a state; the known role of that day (NATO) does not override it
    record = extract("Norway's envoy Jens Stoltenberg met the delegation.", published="2018-07-11")
    assert _person(record, "Stoltenberg")["affiliation"] == "NOR"


def test_a_known_surname_does_not_override_a_different_full_name():
    # "Fournier" alone is a known Costa Rican (people.jsonl); this Fournier is somebody else
    record = extract("Chairman Marc Fournier opened the hearing. Mr. Fournier said the vote would wait.",
                     published="1992-03-01")
    assert _person(record, "Fournier")["affiliation"] != "CRI"


def test_a_known_surname_with_a_fitting_given_name_is_the_known_person():
    record = extract("Jim Mattis met the delegation on Friday.", published="2017-02-17")
    assert _person(record, "Mattis")["affiliation"] == "USA"


@pytest.mark.parametrize("text, published, code", [
    ("The Obama administration rejected the proposal.", "2014-06-01", "USA"),
    ("The Netanyahu government approved the plan.", "2016-03-01", "ISR"),
])
def test_a_known_office_holders_government(text, published, code):
    record = extract(text, published=published)
    states = [e for e in record["entities"] if e["kind"] == "state"]
    assert [s["code"] for s in states] == [code]


# --- the lookup itself, over data written for the test -------------------------------------------

def _known(holders=(), people=(), leaders=()) -> KnownPeople:
    d = load_dictionaries()
    d.office_holders, d.people, d.leaders = list(holders), list(people), list(leaders)
    return KnownPeople(d)


def _holder(name, aliases, *roles):
    return OfficeHolder(name=name, aliases=list(aliases), source="test",
                        roles=[HolderRole(code=c, sector="GOV", office=o, start=s, end=e) for c, o, s, e in roles])


def test_an_ambiguous_surname_names_nobody():
    known = _known(holders=[
        _holder("Anna Example", ["Example"], ("SRB", "Foreign Minister", "2016-01-01", None)),
        _holder("Boris Example", ["Example"], ("HRV", "Prime Minister", "2015-06-01", None)),
    ])
    assert known.role_on("Example", "2017-05-01") is None
    # on a day only one of them held office, the name is that one's
    assert known.role_on("Example", "2015-08-01").code == "HRV"
    assert known.role_of_person("Anna Example", "2017-05-01").code == "SRB"


def test_a_role_left_open_past_the_old_files_freeze_yields_to_a_dated_one():
    # people.jsonl's open role (frozen in 2014) and a curated role of a namesake that day
    old = KnownPerson(name="Carl Namesake", aliases=["Namesake"], roles=[Role(code="AUS", sector="GOV", start="2013-09-18")])
    new = _holder("Dora Namesake", ["Namesake"], ("GBR", "Prime Minister", "2022-09-06", "2022-10-25"))
    known = _known(holders=[new], people=[old])
    assert known.role_on("Namesake", "2022-10-01").code == "GBR"
    assert known.role_on("Namesake", "2013-12-01").code == "AUS"


@pytest.mark.parametrize("date, code", [
    ("2025-03-01", "SRB"),     # within the year the role ends in
    ("2025", "SRB"),           # a year overlapping the role
    ("2026-01-02", "SRB"),     # after it: a former holder, still of that state
    ("2010-01-01", None),      # before any role
])
def test_partial_end_dates_are_the_whole_period(date, code):
    known = _known(holders=[_holder("Ema Partial", ["Partial"], ("SRB", "Defense Minister", "2020-05", "2025"))])
    role = known.role_on("Partial", date)
    assert (role.code if role else None) == code


def test_given_name_must_fit_the_known_person():
    known = _known(leaders=[Leader(name="Rafael Example", aliases=["Example"], code="CRI", start="1990-05-08")])
    assert known.role_of_person("Marc Example", "1992-01-01") is None
    assert known.role_of_person("R. Example", "1992-01-01").code == "CRI"
    assert known.role_of_person("Example", "1992-01-01").code == "CRI"
