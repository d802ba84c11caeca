"""The extractor end to end: datelines, the Kazinform story, bad input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from entente import extract
from entente.cli import app
from entente.errors import ArticleError
from entente.read.dateline import parse_dateline
from entente.read.sources import iter_articles
from entente.resources import default_resources

EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "entente" / "examples" / "kazinform-2017-09-27-csto-serbia.txt"


@pytest.fixture(scope="module")
def kazinform():
    return extract(EXAMPLE.read_text(encoding="utf-8"), id="kazinform")


@pytest.mark.parametrize("text,published,expected", [
    ("date 2017-09-27 MOSCOW. KAZINFORM Representatives of Serbia will", None, ("2017-09-27", "Moscow", "Kazinform")),
    ("MOSCOW, Sept 27 (Reuters) - Russia said", "2017-09-28", ("2017-09-28", "Moscow", "Reuters")),
    ("MOSCOW, Sept 27 (Reuters) - Russia said", None, (None, "Moscow", "Reuters")),
    ("ASTANA. KAZINFORM - Kazakhstan will", None, (None, "Astana", "Kazinform")),
    ("WASHINGTON (AP) -- The United States", None, (None, "Washington", "AP")),
    ("BEIJING, March 13 (Xinhua) -- China said", None, (None, "Beijing", "Xinhua")),
    ("\n\nUNITED NATIONS (AP) _\n\nThe Security Council", "1998-08-13", ("1998-08-13", "United Nations", "AP")),
    ("The Foreign Secretary said today", None, (None, None, None)),
])
def test_dateline_shapes(text, published, expected):
    d = default_resources().dictionaries
    dl = parse_dateline(text, published, d.agency_names)
    assert (dl.date, dl.place, dl.publisher) == expected


def test_dateline_month_day_takes_the_year_of_the_publication_date():
    d = default_resources().dictionaries
    assert parse_dateline("BEIJING, March 13 (Xinhua) -- China", "1999-03-14", d.agency_names).date == "1999-03-14"
    # without a date given with the article, the dateline's own month and day need a year
    assert parse_dateline("BEIJING, Dec 31 (Xinhua) -- China", None, d.agency_names).date is None


def test_dateline_is_not_read_as_body_text(kazinform):
    names = {e["name"] for e in kazinform["entities"]}
    assert not any("KAZINFORM" in n for n in names)
    assert kazinform["dateline"] == {"date": "2017-09-27", "place": "Moscow", "publisher": "Kazinform", "via": ["BelTA"]}


def _people(record):
    return {e["name"]: e for e in record["entities"] if e["kind"] == "person"}


@pytest.mark.parametrize("name,office,affiliation,sector", [
    ("Yuri Khachaturov", "Secretary General", "CSTO", "GOV"),
    ("Aleksandar Vulin", "Defense Minister", "SRB", "MIL"),
])
def test_kazinform_people(kazinform, name, office, affiliation, sector):
    person = _people(kazinform)[name]
    assert (person["office"], person["affiliation"], person["sector"]) == (office, affiliation, sector)


def test_kazinform_title_and_pronoun_mentions_belong_to_vulin(kazinform):
    vulin = _people(kazinform)["Aleksandar Vulin"]
    texts = [m["text"] for m in vulin["mentions"]]
    assert "Serbian defense minister" in texts


@pytest.mark.parametrize("name,organizer,country,date,observers", [
    ("Vzaimodeistvoye 2017", "CSTO", "ARM", "2017-10", ["SRB"]),
    ("Nerushimoye Bratstvo 2017", "CSTO", "KAZ", "2017-10", ["SRB"]),
])
def test_kazinform_exercises(kazinform, name, organizer, country, date, observers):
    ex = next(e for e in kazinform["entities"] if e["kind"] == "named_event" and e["name"] == name)
    assert ex["type"] == "exercise"
    assert (ex["organizer"], ex["place"]["country"], ex["date"], ex["observers"]) == (organizer, country, date, observers)


def test_kazinform_exercise_keeps_its_english_name_as_alias(kazinform):
    ex = next(e for e in kazinform["entities"] if e["name"] == "Vzaimodeistvoye 2017")
    assert ex["aliases"] == ["Interaction"]


def test_kazinform_youth_forum(kazinform):
    forum = next(e for e in kazinform["entities"] if e["kind"] == "named_event" and "youth forum" in e["name"])
    assert (forum["organizer"], forum["place"]["name"], forum["date"]) == ("CSTO", "Belgrade", "2017-10-18/2017-10-21")


def _events(record):
    return {(e["event"], tuple(sorted(p["code"] for p in e["actor"])), tuple(sorted(p["code"] for p in e["recipient"])))
            : e for e in record["events"]}


def test_person_named_without_a_title_acts_for_the_state_of_the_role_held_that_day():
    record = extract("Sergey Lavrov met Rex Tillerson in Moscow on Tuesday.", published="2017-04-12")
    lavrov = next(e for e in record["entities"] if e["kind"] == "person" and e["name"] == "Sergey Lavrov")
    assert (lavrov["affiliation"], lavrov["sector"]) == ("RUS", "GOV")
    # Tillerson is known too (USA that day): the meeting in Moscow is his visit, Russia the host
    assert any(ev["event"] == "CONSULT" and [a["code"] for a in ev["actor"]] == ["USA"]
               and [r["code"] for r in ev["recipient"]] == ["RUS"] for ev in record["events"])


@pytest.mark.parametrize("text,names", [
    ("The ministers will meet in Vienna for a meeting on November 17 with members of the OSCE.", []),
    ("The last meeting of the Small Group took place in Rome on Monday.", ["meeting of the Small Group"]),
    ("He attended the Paris meeting on Syria last week.", ["Paris meeting on Syria"]),
])
def test_named_event_names_stop_at_dates(text, names):
    found = [e["name"] for e in extract(text, published="2016-11-10")["entities"] if e["kind"] == "named_event"]
    assert found == names


@pytest.mark.parametrize("key,date", [
    (("CONSULT", ("SRB",), ("CSTO",)), "2017-09-25"),
    (("AGREE", ("SRB",), ("CSTO",)), "2017-09-25"),
    (("SUPPORT", ("CSTO",), ("SRB",)), "2017-09-25"),
    (("SUPPORT", ("SRB",), ("CSTO",)), "2017-09-25"),
])
def test_kazinform_events(kazinform, key, date):
    events = _events(kazinform)
    assert key in events, f"coded: {sorted(events)}"
    assert events[key]["date"] == date


def test_kazinform_meeting_place_and_evidence(kazinform):
    consult = _events(kazinform)[("CONSULT", ("SRB",), ("CSTO",))]
    assert consult["event_loc"]["name"] == "Moscow" and consult["event_loc"]["country"] == "RUS"
    assert consult["mode"] == ["visit"]
    text = kazinform["text"]
    info = consult["text_info"]
    assert "met with Serbian Defense Minister" in text[info["start"]:info["end"]]
    assert text[info["trigger_start"]:info["trigger_end"]].startswith("met")


def test_record_ids_are_unique_and_mentions_point_into_the_text(kazinform):
    ids = [e["id"] for e in kazinform["entities"]]
    assert len(ids) == len(set(ids))
    for e in kazinform["entities"]:
        for m in e["mentions"]:
            assert kazinform["text"][m["start"]:m["end"]] == m["text"]


@pytest.mark.parametrize("text,via", [
    ("Minsk said on Monday, BelTA has learned.", ["BelTA"]),
    ("Russia will respond, TASS reports.", ["TASS"]),
    ("The talks failed, according to Reuters.", ["Reuters"]),
    ("The talks failed.", []),
])
def test_via_agencies(text, via):
    assert extract(text)["dateline"]["via"] == via


def test_publication_date_outranks_dateline(kazinform):
    record = extract(EXAMPLE.read_text(encoding="utf-8"), published="2017-09-28")
    assert record["dateline"]["date"] == "2017-09-28"


# --- bad input ---------------------------------------------------------------------------

@pytest.fixture
def batch(tmp_path):
    (tmp_path / "good.txt").write_text("Russia and China condemned the attack on Monday.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 talks in Paris".encode("latin-1"))
    (tmp_path / "many.jsonl").write_text(
        json.dumps({"id": "a1", "text": "Serbia welcomed the CSTO."}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "a3", "title": "no text"}) + "\n"
        + json.dumps({"id": "a4", "text": "NATO met.", "date": "27/09/2017"}) + "\n"
        + json.dumps({"id": "a5", "text": "Kazakhstan hosted the drills."}) + "\n", encoding="utf-8")
    return tmp_path


def test_bad_input_is_reported_with_file_and_line_and_the_rest_goes_on(batch):
    items = list(iter_articles([batch]))
    errors = [i for i in items if isinstance(i, ArticleError)]
    good = [i.id for i in items if not isinstance(i, ArticleError)]
    assert sorted(good) == ["a1", "a5", "good"]
    messages = sorted(str(e) for e in errors)
    assert any("empty.txt" in m and "empty" in m for m in messages)
    assert any("latin1.txt line 1" in m and "UTF-8" in m for m in messages)
    assert any("many.jsonl line 2" in m and "not JSON" in m for m in messages)
    assert any("many.jsonl line 3" in m and '"text"' in m for m in messages)
    assert any("many.jsonl line 4" in m and "YYYY-MM-DD" in m for m in messages)


def test_oversized_article_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("ENTENTE_MAX_ARTICLE_BYTES", "1000")
    (tmp_path / "big.txt").write_text("NATO met. " * 200, encoding="utf-8")
    (item,) = list(iter_articles([tmp_path / "big.txt"]))
    assert isinstance(item, ArticleError) and "limit" in str(item)


def test_cli_extract_writes_good_records_and_exits_non_zero_on_failures(batch, tmp_path):
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["extract", str(batch), "-o", str(out)])
    assert result.exit_code == 1
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] for r in records) == ["a1", "a5", "good"]


def test_html_main_text_drops_scripts_and_navigation(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>NATO summit</title><script>alert(1)</script></head><body>"
                    "<nav>Home | News</nav><p>NATO leaders met in Vilnius.</p><footer>(c)</footer></body></html>")
    (article,) = list(iter_articles([page]))
    assert article.title == "NATO summit"
    assert article.text == "NATO leaders met in Vilnius."


def test_unknown_model_setting_is_a_clear_error(monkeypatch):
    from entente.errors import SettingError
    from entente.nlp.pipeline import load_pipeline

    with pytest.raises(SettingError, match="not installed"):
        load_pipeline("en_core_web_does_not_exist")


@pytest.mark.parametrize("content", [
    # re3d's documents.json: JSON Lines under a .json name, with its own field names
    '{"_id": "D1", "sourceName": "BBC Online", "sourceUrl": "http://x/1", "text": "Syria accused Israel."}\n'
    '{"_id": "D2", "sourceName": "BBC Online", "text": "NATO met."}\n',
    # an array of articles
    '[{"id": "D1", "text": "Syria accused Israel.", "publisher": "BBC Online", "url": "http://x/1"},'
    ' {"id": "D2", "text": "NATO met.", "publisher": "BBC Online"}]',
])
def test_json_files_of_articles(tmp_path, content):
    path = tmp_path / "documents.json"
    path.write_text(content, encoding="utf-8")
    articles = list(iter_articles([path]))
    assert [(a.id, a.publisher) for a in articles] == [("D1", "BBC Online"), ("D2", "BBC Online")]
    assert articles[0].url == "http://x/1"


def test_json_file_without_articles_is_one_error(tmp_path):
    path = tmp_path / "entities.json"
    path.write_text('{"_id": "E1", "type": "Person"}\n{"_id": "E2", "type": "Location"}\n', encoding="utf-8")
    (item,) = list(iter_articles([path]))
    assert isinstance(item, ArticleError) and "not a file of articles" in str(item)


def test_timeml_document(tmp_path):
    path = tmp_path / "AP_1.tml"
    path.write_text('<?xml version="1.0" ?><TimeML><DOCID>AP_1</DOCID><DCT><TIMEX3 tid="t0" type="DATE" '
                    'value="2013-03-22" functionInDocument="CREATION_TIME">March 22, 2013</TIMEX3></DCT>'
                    '<TITLE>Flu</TITLE><TEXT>The flu season <EVENT eid="e1">started</EVENT> '
                    '<TIMEX3 tid="t1" type="DATE" value="2013-02">in February</TIMEX3>.</TEXT></TimeML>', encoding="utf-8")
    (article,) = list(iter_articles([path]))
    assert (article.id, article.date, article.title) == ("AP_1", "2013-03-22", "Flu")
    assert article.text == "The flu season started in February."
