"""The JSON API over a store holding the Kazinform story (tests/data) and an article full
of markup: filters, the one error shape, tokens, the SQL switch, and the article text
escaped and highlighted. Pages and their JSON come from the same context functions."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import fastapi  # noqa: F401  (the [test] extra installs it: missing is an error, not a skip)
from fastapi.testclient import TestClient  # noqa: E402

from entente.web.app import create_app  # noqa: E402
from entente.web.pages import article_html  # noqa: E402

DATA = Path(__file__).parent / "data"
KAZINFORM = DATA / "kazinform-2017-09-27-csto-serbia.jsonl"
KAZINFORM_ID = "kazinform-2017-09-27-csto-serbia"
MARKUP_ID = "markup-in-article"
#: An article whose text carries markup that must never run in a page.
MARKUP_ARTICLE = {
    "id": MARKUP_ID, "date": "2017-10-02", "publisher": "Test Wire",
    "title": "<b>Bold</b> title <script>window.__xss = 'title'</script>",
    "text": ("NATO Secretary General Jens Stoltenberg met Russian Foreign Minister Sergei Lavrov in Brussels "
             "on 29 September. <script>window.__xss = 'script'</script> "
             "<img src=x onerror=\"window.__xss = 'img'\"> The talks were held behind closed doors."),
}


def build_store(folder: Path) -> Path:
    """A store file with the Kazinform story and the markup article, ingested for real."""
    from entente.engines.local import ingest
    from entente.store import Store

    markup = folder / "markup.jsonl"
    markup.write_text(json.dumps(MARKUP_ARTICLE) + "\n", encoding="utf-8")
    db = folder / "web.duckdb"
    with Store(db) as store:
        summary = ingest([KAZINFORM, markup], store, workers=1)
    assert not summary.failures, f"ingest failed: {[str(f) for f in summary.failures]}"
    return db


@pytest.fixture(scope="module")
def web_db(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def client(web_db):
    with TestClient(create_app(web_db, settings={"api_token": "", "sql_enabled": False})) as c:
        yield c


def consult(events: list[dict]) -> dict:
    found = [e for e in events if e["event"] == "CONSULT" and {"SRB", "CSTO"} <=
             {p["code"] for p in e["actor"] + e["recipient"]}]
    assert found, f"no CONSULT SRB/CSTO among {[(e['event'], e['date']) for e in events]}"
    return found[0]


# -- reading ----------------------------------------------------------------------------------


def test_web_api_events_has_kazinform_consult(client):
    body = client.get("/api/events", params={"type": "CONSULT"}).json()
    event = consult(body["events"])
    assert event["date"] == "2017-09-25"
    assert event["quad"] == "verbal cooperation"
    assert event["sources"][0]["article"] == KAZINFORM_ID


@pytest.mark.parametrize("params, kept", [
    ({"actor": "SRB"}, True),
    ({"actor": "SRB", "with": "CSTO"}, True),
    ({"since": "2017-09", "until": "2017-09-30"}, True),
    ({"place": "Moscow"}, True),
    ({"aux": "none"}, True),
    ({"actor": "USA"}, False),
    ({"type": "ASSAULT"}, False),
    ({"since": "2018"}, False),
])
def test_web_api_events_filters(client, params, kept):
    events = client.get("/api/events", params={**params}).json()["events"]
    found = [e for e in events if e["event"] == "CONSULT" and e["date"] == "2017-09-25"]
    assert bool(found) == kept


def test_web_api_events_paging(client):
    first = client.get("/api/events", params={"limit": 1}).json()
    assert len(first["events"]) == 1 and first["next_offset"] == 1
    second = client.get("/api/events", params={"limit": 1, "offset": 1}).json()
    assert second["events"][0]["id"] != first["events"][0]["id"]
    everything = client.get("/api/events", params={"limit": 1000}).json()
    assert everything["next_offset"] is None
    assert first["total"] == second["total"] == everything["total"] == len(everything["events"]) > 1


def test_web_api_events_total_follows_the_filters(client):
    everything = client.get("/api/events", params={"limit": 1000}).json()
    consults = client.get("/api/events", params={"type": "CONSULT", "limit": 1}).json()
    assert consults["total"] == sum(e["event"] == "CONSULT" for e in everything["events"]) >= 1
    assert client.get("/api/events", params={"since": "2099"}).json()["total"] == 0


def test_web_page_events_says_which_of_how_many(client):
    page = client.get("/", params={"limit": 1}).text
    total = client.get("/api/events").json()["total"]
    assert f"1–1 of {total:,} events" in page


def test_web_api_network_has_srb_csto_edge(client):
    body = client.get("/api/network").json()
    pairs = {frozenset((e["source"], e["target"])): e for e in body["edges"]}
    edge = pairs[frozenset(("SRB", "CSTO"))]
    assert edge["weight"] >= 1 and edge["cooperation"] >= 1
    assert {"SRB", "CSTO"} <= {n["code"] for n in body["nodes"]}


def test_web_api_map_places_moscow(client):
    places = client.get("/api/map", params={"type": "CONSULT"}).json()["places"]
    assert any(p["name"] == "Moscow" and abs(p["lat"] - 55.75) < 0.5 for p in places)


def test_web_api_article_highlights_vulin(client):
    body = client.get(f"/api/articles/{KAZINFORM_ID}").json()
    text = body["text"]
    people = [text[s["start"]:s["end"]] for s in body["highlights"] if s["kind"] == "person"]
    assert "Aleksandar Vulin" in people
    event = next(e for e in body["events"] if e["event"] == "CONSULT")
    sentence = next(s for s in body["highlights"] if s["kind"] == "sentence" and event["id"] in s["events"])
    assert "met with" in text[sentence["start"]:sentence["end"]]


def test_web_api_actor_profile(client):
    body = client.get("/api/actors/SRB").json()
    assert body["actor"]["code"] == "SRB"
    assert any(p["name"] == "Aleksandar Vulin" for p in body["actor"]["people"])
    assert any(p["partner"] == "CSTO" for p in body["actor"]["events_by_partner"])


def test_web_api_named_events(client):
    listed = client.get("/api/named-events").json()["named_events"]
    vz = next(n for n in listed if n["name"].startswith("Vzaimodeistvoye"))
    body = client.get(f"/api/named-events/{vz['id']}").json()
    assert KAZINFORM_ID in [a["id"] for a in body["articles"]]


def test_web_api_page_and_json_agree(client):
    """The events page and /api/events are drawn from the same function."""
    events = client.get("/api/events").json()["events"]
    page = client.get("/").text
    for e in events:
        assert f'id="event-{e["id"]}"' in page


# -- what an analyst reaches for: names, series, search, the CSV -------------------------------


@pytest.mark.parametrize("params", [{"actor": "Serbia"}, {"actor": "serbia", "with": "Collective Security Treaty "
                                                                                     "Organization"},
                                    {"actor": "Serbian", "with": "CSTO"}])
def test_web_api_events_take_actor_names(client, params):
    by_code = client.get("/api/events", params={"actor": "SRB"}).json()
    by_name = client.get("/api/events", params=params).json()
    assert by_name["total"] == by_code["total"] >= 1
    assert [e["id"] for e in by_name["events"]] == [e["id"] for e in by_code["events"]]


def test_web_api_unknown_actor_name_says_so(client):
    answer = client.get("/api/events", params={"actor": "Serbiaa"})
    assert answer.status_code == 400
    assert "did you mean SRB" in answer.json()["error"]["message"]
    assert client.get("/api/events", params={"actor": "United Kingdom"}).json()["total"] == 0   # GBR: none here


def test_web_api_actors_autocomplete(client):
    matches = client.get("/api/actors", params={"q": "serb", "limit": 5}).json()["matches"]
    assert matches[0]["code"] == "SRB" and matches[0]["n_events"] >= 1
    uk = client.get("/api/actors", params={"q": "UK"}).json()["matches"]
    assert uk[0]["code"] == "GBR"                               # from the data files, not seen in the store
    assert client.get("/api/actors", params={"limit": 1}).json()["actors"][0]["n_events"] >= 1


def test_web_api_timeseries_of_a_dyad(client):
    body = client.get("/api/timeseries", params={"actor": "SRB", "with": "CSTO", "interval": "month"}).json()
    assert body["interval"] == "month" and body["total"] >= 4
    september = next(b for b in body["buckets"] if b["label"] == "2017-09")
    assert september["cooperation"] >= 4 and september["conflict"] == 0 and september["intensity"] > 0
    assert set(september["by_quad"]) == set(body["quads"])
    assert body["undated"]["total"] == 0 and body["intensity_of_types"]["ASSAULT"] < 0
    assert client.get("/api/timeseries", params={"interval": "fortnight"}).status_code == 422


def test_web_api_search_links_to_the_marked_sentence(client):
    body = client.get("/api/search", params={"q": "Vulin Moscow"}).json()
    assert body["total"] >= 1
    first = body["results"][0]
    assert "Vulin" in first["text"] and "Moscow" in first["text"] and first["article"] == KAZINFORM_ID
    page = client.get(first["link"].split("#")[0])
    assert page.status_code == 200
    marked = page.text.split('id="hit"', 1)[1].split("</span>", 1)[0]
    assert '<mark class="match"' in page.text and "Moscow" in marked


def test_web_api_events_csv_with_the_sentences(client):
    import csv as csv_module
    import io

    answer = client.get("/api/events.csv", params={"actor": "SRB", "type": "CONSULT,AGREE"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv_module.DictReader(io.StringIO(answer.text)))
    listed = client.get("/api/events", params={"actor": "SRB", "type": "CONSULT,AGREE"}).json()
    assert len(rows) == listed["total"] >= 2
    assert {r["event"] for r in rows} == {"CONSULT", "AGREE"}
    for row in rows:
        assert "SRB" in (row["actor"] + row["recipient"]) and row["article"] == KAZINFORM_ID
        assert row["trigger"] in row["sentence"] and row["date_start"] == "2017-09-25"
    page = client.get("/", params={"actor": "SRB", "type": "CONSULT,AGREE"}).text
    assert 'href="/api/events.csv?actor=SRB&amp;type=CONSULT%2CAGREE"' in page


@pytest.mark.parametrize("params, status", [
    ({"min_confidence": "", "min_sources": "", "reports": "", "order": ""}, 200),   # a form sends empty fields
    ({"min_confidence": "0.9"}, 200), ({"min_sources": "1"}, 200), ({"reports": "true", "order": "newest"}, 200),
    ({"min_confidence": "high"}, 422), ({"min_confidence": "1.5"}, 422), ({"min_sources": "0"}, 422),
    ({"order": "random"}, 422), ({"quad": "friendly"}, 400),
])
def test_web_api_new_filters_validate(client, params, status):
    assert client.get("/api/events", params=params).status_code == status
    assert client.get("/", params=params).status_code == status


def test_web_api_reports_and_order(client):
    merged = client.get("/api/events", params={"limit": 1000}).json()
    reports = client.get("/api/events", params={"limit": 1000, "reports": "true"}).json()
    assert reports["total"] == sum(e["n_sources"] for e in merged["events"])
    newest = client.get("/api/events", params={"limit": 1000, "order": "newest"}).json()["events"]
    dated = [e["date_start"] for e in newest if e["date_start"]]
    assert dated == sorted(dated, reverse=True)
    strict = client.get("/api/events", params={"min_confidence": "0.9"}).json()["events"]
    assert all(e["confidence"] >= 0.9 for e in strict)


# -- the one error shape ---------------------------------------------------------------------


@pytest.mark.parametrize("method, url, status", [
    ("get", "/api/no-such-thing", 404),
    ("get", "/api/articles/no-such-article", 404),
    ("get", "/api/actors/ZZZ", 404),
    ("get", "/api/events/999999", 404),
    ("get", "/api/named-events/999999", 404),
    ("get", "/api/events?limit=0", 422),
    ("get", "/api/events?role=boss", 422),
    ("get", "/api/events/not-a-number", 422),
    ("get", "/api/events?since=27/09/2017", 400),
    ("get", "/api/events?aux=maybe", 400),
    ("post", "/api/sql", 403),
    ("get", "/api/sql?q=SELECT%201", 405),
    ("post", "/api/articles", 403),
    ("delete", "/api/events", 405),
])
def test_web_api_error_shape(client, method, url, status):
    body = {"q": "SELECT 1"} if url == "/api/sql" else {"text": "x"}
    response = client.request(method, url, json=body if method == "post" else None)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "message", "detail"}
    assert body["error"]["status"] == status
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]


def test_web_pages_errors_are_html(client):
    response = client.get("/articles/no-such-article")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "no-such-article" in response.text


# -- markup in articles -----------------------------------------------------------------------


def test_web_article_page_escapes_markup(client):
    response = client.get(f"/articles/{MARKUP_ID}")
    assert response.status_code == 200
    html = response.text
    assert "<script>window.__xss" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;window.__xss" in html
    assert "&lt;img src=x onerror=" in html
    assert "script-src 'self'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("text, spans, expected", [
    ("a <b> c", [], "a &lt;b&gt; c"),
    ("Jens met Lavrov", [{"start": 0, "end": 4, "kind": "person", "entity": "e1", "label": "p"}],
     '<mark class="hl hl-person" data-entity="e1" title="p">Jens</mark> met Lavrov'),
    # a mention that crosses the end of a sentence is split so the markup nests
    ("ab cd", [{"start": 0, "end": 2, "kind": "sentence", "events": ["ev1"], "label": "s"},
               {"start": 1, "end": 4, "kind": "person", "entity": "e1", "label": "<p>"}],
     '<span class="sent" data-events="ev1" title="s">a<mark class="hl hl-person" data-entity="e1" '
     'title="&lt;p&gt;">b</mark></span><mark class="hl hl-person" data-entity="e1" title="&lt;p&gt;"> c</mark>d'),
])
def test_web_article_html_nests_and_escapes(text, spans, expected):
    assert str(article_html(text, spans)) == expected


# -- writing and SQL, when enabled -------------------------------------------------------------


@pytest.fixture
def writable_client(tmp_path):
    from entente.store import Store

    db = tmp_path / "w.duckdb"
    Store(db).close()
    with TestClient(create_app(db, settings={"api_token": "s3cret", "sql_enabled": True})) as c:
        yield c


def test_web_api_post_article_needs_token(writable_client):
    article = {"id": "posted", "text": MARKUP_ARTICLE["text"], "date": "2017-10-02"}
    assert writable_client.post("/api/articles", json=article).status_code == 401
    wrong = writable_client.post("/api/articles", json=article, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json()["error"]["status"] == 401
    made = writable_client.post("/api/articles", json=article, headers={"Authorization": "Bearer s3cret"})
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "new" and made.json()["record"]["id"] == "posted"
    assert writable_client.get("/api/articles/posted").json()["article"]["id"] == "posted"


@pytest.mark.parametrize("sql, status", [
    ("SELECT count(*) AS n FROM articles", 200),
    ("DELETE FROM articles", 400),
    ("SELECT 1; SELECT 2", 400),
    ("SELECT * FROM read_csv('/etc/hostname')", 400),
])
def test_web_api_sql_when_enabled(writable_client, sql, status):
    response = writable_client.post("/api/sql", json={"q": sql})
    assert response.status_code == status, response.text
    if status == 200:
        assert response.json()["columns"] == ["n"]
