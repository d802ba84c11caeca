"""People, their offices and affiliations, construction by construction (resolve/people.py).

Every sentence is written for this table in the construction's general form. A case gives the
person's name (or surname), the office as SPEC.md writes it (as first stated in full, without
the nationality or organisation prefix, keeping the portfolio) and the affiliation; an office
or affiliation of ``...`` is not checked.
"""
from __future__ import annotations

import re

import pytest

from entente.extract import extract

ANY = ...


def office_words(text: str | None) -> list[str]:
    """An office as compared: case and punctuation aside, Defence = Defense."""
    words = re.sub(r"[^\w\s-]", " ", (text or "").casefold()).replace("defence", "defense").split()
    return words


def person(record: dict, name: str) -> dict | None:
    for e in record["entities"]:
        if e["kind"] == "person" and (e["name"] == name or e["name"].split()[-1:] == name.split()[-1:]):
            return e
    return None


CASES = [
    # --- title before the name ---
    ("Serbian Defence Minister Milan Petrovic arrived in Moscow on Monday.", None,
     "Milan Petrovic", "Defence Minister", "SRB"),
    ("Secretary of Defense Jane Whitfield met her counterparts in Brussels.", None,
     "Jane Whitfield", "Secretary of Defense", "USA"),
    ("Australian Minister for Defence Carla Nunes visited the base.", None,
     "Carla Nunes", "Minister for Defence", "AUS"),
    # title of COUNTRY, an honorific before the name
    ("The Minister of Foreign Affairs of Iraq, Dr Ahmed Karim, received the delegation.", None,
     "Ahmed Karim", "Minister of Foreign Affairs", "IRQ"),
    # -designate
    ("Lebanese Prime Minister-designate Karim Haddad met the speaker.", None,
     "Karim Haddad", "Prime Minister-designate", "LBN"),
    # a ministry by its acronym, an invisible character inside a title
    ("Uzbek MFA spokesperson Yusup Karimov said the talks went well.", None,
     "Yusup Karimov", "spokesperson", "UZB"),
    ("Hungarian Foreign Minis\u00adter Anna Kovacs said the border would stay open.", None,
     "Anna Kovacs", "Foreign Minister", "HUN"),
    # a rank next to an office is dropped; alone it is the office
    ("Kazakh Defence Minister Colonel-General Ruslan Bekov inspected the troops.", None,
     "Ruslan Bekov", "Defence Minister", "KAZ"),
    ("Colonel-General Anatoly Sidorenko said the exercise had begun.", None,
     "Anatoly Sidorenko", "Colonel-General", ANY),
    ("Thai Chief of Defence Forces Gen. Somchai Wongsa opened the drills.", None,
     "Somchai Wongsa", "Chief of Defence Forces", "THA"),
    ("Detective Sergeant Nick Harlow was taken to hospital.", None, "Nick Harlow", "Detective Sergeant", ANY),
    ("By Mass Communication Specialist 2nd Class John Tiller", None,
     "John Tiller", "Mass Communication Specialist 2nd Class", ANY),
    # title modifiers, a city in the title
    ("The government of interim President Luisa Mora restored the ties.", None, "Luisa Mora", "interim President", ANY),
    ("Turkish National Defence Minister Kemal Aydin met his counterpart.", None,
     "Kemal Aydin", "National Defence Minister", "TUR"),
    ("Kharkiv Regional Governor Ivan Petrenko said the shelling went on.", None,
     "Ivan Petrenko", "Kharkiv Regional Governor", "UKR"),
    # stacked titles, titles joined by "and", two offices of which the first is kept
    ("Secretary of Defense Spokesperson Cmdr. Jane Doyle gave the readout.", None,
     "Jane Doyle", "Secretary of Defense Spokesperson", "USA"),
    ("Deputy Prime Minister and Minister of Defence Tom Harlow will host the meeting.", None,
     "Tom Harlow", "Deputy Prime Minister and Minister of Defence", ANY),
    ("Deputy Minister for Home Affairs Chief of Police Force Lt-Gen Aung Min attended.", None,
     "Aung Min", "Deputy Minister for Home Affairs", ANY),
    # capitalised words after a title, then ", rank Name"
    ("The equipment was handed to Commander Eastern Naval Area, Rear Admiral Nimal Perera.", None,
     "Nimal Perera", "Commander Eastern Naval Area", ANY),
    ("Director General Military Operations (DGMO) Lt Gen Arjun Mehta said so.", None,
     "Arjun Mehta", "Director General Military Operations", ANY),
    # organisation prefixes dropped; the body an organisation's office heads kept
    ("Foreign Ministry spokesperson Maria Vasquez told reporters.", None, "Maria Vasquez", "spokesperson", ANY),
    ("The Belarusian Defence Ministry's spokesman Igor Kozlov said on Saturday.", None,
     "Igor Kozlov", "spokesman", "BLR"),
    ("AU Commission Chairperson Amina Diallo welcomed the accord.", None,
     "Amina Diallo", "Commission Chairperson", "AU"),
    # "for X" and "of X" kept; the state in them the affiliation; a trailing locative dropped
    ("The spokesman for the Congolese government, Paul Ilunga, made the announcement.", None,
     "Paul Ilunga", "spokesman for the government", "COD"),
    ("The commander of the U.S. Army Third Corps, Lt. Gen. Mark Dwyer, attended.", None,
     "Mark Dwyer", "commander of the Army Third Corps", "USA"),
    ("UN Special Envoy for Syria Lars Nyberg briefed the council.", None,
     "Lars Nyberg", "Special Envoy for Syria", "UN"),
    ("The Defence Attaché at the U.S. Embassy in Colombo, Colonel Anthony Reyes, handed over the boats.", None,
     "Anthony Reyes", "Defence Attaché", "USA"),
    ("The acting head of the British diplomatic mission in Chad, Paul Greer, said the aid would arrive.", None,
     "Paul Greer", "acting head of the diplomatic mission", "GBR"),
    ("The American Ambassador to Russia, Mark Hale, said the talks would resume.", None,
     "Mark Hale", "Ambassador to Russia", "USA"),
    # --- office stated after the name ---
    ("Milan Petrovic, Serbia's defence minister, said the exercise would go ahead.", None,
     "Milan Petrovic", "defence minister", "SRB"),
    ("The Rwandan envoy was told to leave: Mr Vincent Ndoli, the Rwandan Ambassador Plenipotentiary posted in Kinshasa.",
     None, "Vincent Ndoli", "Ambassador Plenipotentiary", "RWA"),
    ("Senior Col. Wu Qian, a spokesman for the Chinese military's Northern Theater Command, said the drills ended.",
     None, "Wu Qian", "spokesman for the Northern Theater Command", "CHN"),
    ("Pierre Lambert the United Nations Under-Secretary-General for Peace Operations spoke next.", None,
     "Pierre Lambert", "Under-Secretary-General for Peace Operations", "UN"),
    ("Peruvian Vice Adm. Carlos Ruiz, commanding general of Pacific Operations, spoke first.", None,
     "Carlos Ruiz", "commanding general of Pacific Operations", "PER"),
    # --- a title governing several names ---
    ("The accord was signed by the foreign ministers of Poland (Jan Nowak) and Hungary (Peter Szabo).", None,
     "Peter Szabo", "Foreign Minister", "HUN"),
    ("The ceasefire signed by Presidents Petrovic and Ivanescu obliges the troops to withdraw.", None,
     "Ivanescu", "President", ANY),
    # --- a title alone refers back to the person ---
    ("Anna Berg arrived in Kyiv on Monday. The Foreign Secretary met the president.", "UK Government",
     "Anna Berg", "Foreign Secretary", "GBR"),
]


@pytest.mark.parametrize("text, publisher, name, office, affiliation", CASES, ids=[c[2] + ":" + str(c[3]) for c in CASES])
def test_person_office_and_affiliation(text, publisher, name, office, affiliation):
    record = extract(text, published="2021-06-01", publisher=publisher)
    found = person(record, name)
    assert found is not None, [e["name"] for e in record["entities"] if e["kind"] == "person"]
    if office is not ANY:
        assert office_words(found.get("office")) == office_words(office)
    if affiliation is not ANY:
        assert found.get("affiliation") == affiliation


@pytest.mark.parametrize("text, not_people", [
    # a title and a rank are nobody
    ("Secretary of Defense Spokesperson Cmdr. Jane Doyle gave the readout.", ["Cmdr", "Spokesperson Cmdr"]),
    # capitalised words of a title are no name
    ("The boats went to Director Naval Special Forces, Captain Ruwan Silva.", ["Naval Special Forces"]),
    ("Mr Vincent Ndoli, the Rwandan Ambassador Plenipotentiary posted in Kinshasa, left.", ["Plenipotentiary"]),
    # a place the NER reads as a person is no person
    ("Oleh Bondar, a member of Ukraine's regional council for Kherson, said so.", ["Kherson"]),
])
def test_titles_and_places_are_no_people(text, not_people):
    names = [e["name"] for e in extract(text, published="2021-06-01")["entities"] if e["kind"] == "person"]
    assert not set(names) & set(not_people), names


def test_a_clock_time_is_no_title():
    # "4:28:00 PM" is not the Prime Minister
    record = extract("Release Date: 6/29/2004 4:28:00 PM\nBy Journalist 2nd Class Matt Tiller, Navy News\n"
                     "The exercise began on Monday.", published="2004-06-29")
    assert office_words(person(record, "Matt Tiller")["office"]) == office_words("Journalist 2nd Class")


def test_a_bare_title_does_not_stamp_the_publishers_state_over_a_nearer_one():
    record = extract("Kenya welcomed the plan, Peter Mwangi said. The minister added that talks would go on.",
                     published="2021-06-01", publisher="US State Department")
    assert person(record, "Peter Mwangi")["affiliation"] == "KEN"


@pytest.mark.parametrize("text", [
    "Peter Mwangi visited Germany on Monday.",
    "Peter Mwangi arrived in Germany on Monday.",
    "Peter Mwangi departs for Germany tomorrow.",
])
def test_a_visited_country_is_not_the_visitors_state(text):
    assert person(extract(text, published="2021-06-01"), "Peter Mwangi")["affiliation"] != "DEU"


@pytest.mark.parametrize("text, other", [
    ("President Mwangi threatened new measures against Germany.", "DEU"),
    ("Minister Mwangi accused Sweden of arming the rebels.", "SWE"),
    ("Minister Mwangi met his Norwegian counterpart in Oslo.", "NOR"),
])
def test_the_party_a_person_acts_on_is_not_the_persons_state(text, other):
    named = person(extract(text, published="2021-06-01"), "Mwangi")
    assert named["affiliation"] != other


def test_a_state_in_a_clause_of_its_own_may_be_the_speakers():
    record = extract("Foreign Minister Mwangi said Kenya would respond.", published="2021-06-01")
    assert person(record, "Mwangi")["affiliation"] == "KEN"


def test_a_birthplace_and_a_quotation_are_not_ones_state():
    record = extract('Two of the men, engineer Kim Sol Ho and former teacher Tony Park, both South Korea-born '
                     'American citizens, were freed.', published="2018-05-10")
    assert person(record, "Tony Park")["affiliation"] == "USA"
    record = extract('Chile "condemns the attack on Peru," Deputy Foreign Minister Rosa Vidal said.', published="2021-06-01")
    assert person(record, "Rosa Vidal")["affiliation"] == "CHL"


def test_a_known_surname_inside_a_fuller_name_is_not_the_known_person():
    # "Xi" alone is Xi Jinping; "Li Xi" is somebody else
    record = extract("Senior Capt. Li Xi, a spokesman for the navy, said the patrol was routine.", published="2024-10-14")
    names = [e["name"] for e in record["entities"] if e["kind"] == "person"]
    assert "Li Xi" in names and "Xi Jinping" not in names


def test_a_name_inside_a_leaders_government_is_a_person_and_the_government_acts():
    record = extract("Theresa May said Vladimir Putin's government was culpable for the attack.", published="2018-03-14")
    assert person(record, "Vladimir Putin")["affiliation"] == "RUS"
    assert person(record, "Theresa May")["affiliation"] == "GBR"


def test_a_government_publisher_speaks_for_its_state():
    record = extract("Minister of Defence Rawiri Tane departs for Australia tomorrow to meet his counterpart.",
                     published="2022-10-15", publisher="New Zealand Government")
    assert person(record, "Rawiri Tane")["affiliation"] == "NZL"
