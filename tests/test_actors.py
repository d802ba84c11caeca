"""Actors by description: an organisation's or a state's bodies act for it, the IGOs and NGOs of
the generated international.jsonl, "anti-X" is not X, a document stands for its body.
Sentences written for this table in the construction's general form."""
from __future__ import annotations

import pytest

from entente.dictionaries import DATA_DIR, FILES, Body, load_dictionaries, load_jsonl
from entente.errors import DictionaryError
from entente.extract import extract


@pytest.fixture(scope="module")
def d():
    return load_dictionaries()


def actors(text: str) -> dict[str, list[str]]:
    """Actor code -> the texts of its mentions."""
    record = extract(text, published="2021-03-01")
    return {e["code"]: [m["text"] for m in e["mentions"]] for e in record["entities"]
            if e["kind"] in ("state", "organization", "group")}


@pytest.mark.parametrize("text, code, mention", [
    # a body next to its organisation's name
    ("The CSTO Joint Staff began planning the exercise.", "CSTO", "CSTO Joint Staff"),
    ("NATO's Military Committee met in Brussels.", "NATO", "NATO's Military Committee"),
    ("The Council of Defence Ministers of the CIS met in Minsk.", "CIS", "Council of Defence Ministers of the CIS"),
    ("The Secretariat of the CSTO issued a statement.", "CSTO", "Secretariat of the CSTO"),
    ("The Council of Foreign Ministers of the SCO will meet in June.", "SCO", "Council of Foreign Ministers of the SCO"),
    # a body named alone
    ("RATS held a meeting in Tashkent.", "SCO", "RATS"),
    ("MONUSCO condemned the attack on its base.", "UN", "MONUSCO"),
    ("MINUSMA said two peacekeepers were wounded.", "UN", "MINUSMA"),
    ("AMISOM troops secured the road.", "AU", "AMISOM troops"),
    ("The Kremlin said the talks would continue.", "RUS", "Kremlin"),
    ("The Pentagon said the deployment was temporary.", "USA", "Pentagon"),
    # organisations of the generated file (Phoenix's IGOs and NGOs) and the hand table's additions
    ("IGAD called for a ceasefire.", "IGAD", "IGAD"),
    ("The Southern African Development Community sent observers.", "SADC", "Southern African Development Community"),
    ("The East African Community summit opened on Monday.", "EAC", "East African Community"),
    ("Mercosur suspended the country's membership.", "MERCOSUR", "Mercosur"),
    ("Amnesty International condemned the arrests.", "AMNESTY", "Amnesty International"),
    ("Human Rights Watch documented the abuses.", "HRW", "Human Rights Watch"),
    ("Doctors Without Borders said its clinic was hit.", "MSF", "Doctors Without Borders"),
])
def test_bodies_and_organisations_act_for_their_actor(text, code, mention):
    found = actors(text)
    assert code in found, found
    assert mention in found[code]


@pytest.mark.parametrize("text, code", [
    ("Anti-NATO protesters gathered outside the embassy.", "NATO"),
    ("Thousands joined the anti-Russian rally.", "RUS"),
    ("Non-NATO states were invited as observers.", "NATO"),
])
def test_anti_x_is_not_x(text, code):
    assert code not in actors(text)


def subject_codes(text: str) -> list[list[str]]:
    """The actor codes of each event coded in ``text``."""
    return [sorted(a["code"] for a in e["actor"]) for e in extract(text, published="2021-03-01")["events"]]


@pytest.mark.parametrize("text, codes", [
    # a people with another state's adjective lives in that state
    ("Bosnian Croats blocked the road to the airport.", ["BIH"]),
    # a people named by where it lives: "of", or "in" after "ethnic" or a residence verb
    ("Ethnic Hungarians in northern Serbia protested against the new language law.", ["SRB"]),
    ("The Serbs of northern Kosovo protested against the new licence plates.", ["KOS"]),
    ("Greeks living in Turkey protested against the decision.", ["TUR"]),
    # a bare "in" is a stay, and a people alone is its own state
    ("Americans in Japan protested against the decision.", ["USA"]),
    ("Armenians protested outside the embassy.", ["ARM"]),
    # not a people: troops and adjectives keep their state
    ("Turkish troops in Syria shelled the village.", ["TUR"]),
])
def test_a_people_acts_for_the_state_it_lives_in(text, codes):
    assert codes in subject_codes(text)


@pytest.mark.parametrize("text, code, mention", [
    ("The UN Security Council resolution condemned the attack.", "UN", "UN Security Council resolution"),
    ("The CSTO statement said the drills were defensive.", "CSTO", "CSTO statement"),
])
def test_a_document_stands_for_the_body_that_adopted_it(text, code, mention):
    assert mention in actors(text).get(code, [])


def test_a_resolution_acts_for_its_body():
    record = extract("The UN Security Council resolution condemned the attack.", published="2021-03-01")
    assert any(ev["event"] == "ACCUSE" and [a["code"] for a in ev["actor"]] == ["UN"] for ev in record["events"])


# --- the data files -------------------------------------------------------------------------------

def test_every_body_acts_for_a_known_actor(d):
    unknown = [(b.body, c) for b in d.bodies for c in b.of if c not in d.by_code]
    assert not unknown


def test_bodies_file_reports_every_bad_line(tmp_path):
    path = tmp_path / FILES["bodies"][0]
    path.write_text("\n".join([
        '{"body": "Joint Staff", "of": ["CSTO"]}',                            # 1 good
        '{"body": "Joint Staff"}',                                             # 2 no code
        '{"body": "MONUSCO", "of": ["UN", "AU"], "alone": true}',              # 3 alone with two codes
        '{"body": "Secretariat", "of": ["SCO"], "colour": "blue"}',            # 4 unknown field
    ]) + "\n", encoding="utf-8")
    with pytest.raises(DictionaryError) as err:
        load_jsonl(path, Body)
    assert [p.split(" ")[0] for p in err.value.problems] == ["bodies.jsonl:2:", "bodies.jsonl:3:", "bodies.jsonl:4:"]


def test_the_hand_curated_organisations_win_over_the_generated_ones(d):
    hand = {n: o.code for o in d.organizations for n in (o.name, o.code, *o.aliases)}
    generated = {n: o.code for o in d.international for n in (o.name, *o.aliases)}
    assert generated, "international.jsonl is empty"
    for name in set(hand) & set(generated):
        assert d.names[name].code == hand[name], name
    # a code of both files is the hand file's organisation (members, kind)
    assert d.organization("UN").members and d.organization("IGAD").name == "Intergovernmental Authority on Development"


def test_the_generated_file_is_generated():
    first = (DATA_DIR / FILES["international"][0]).read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("// generated by scripts/build_data.py")
