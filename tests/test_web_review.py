"""Analyst review over HTTP and on the command line (web/review.py, web/sessions.py,
cli/review.py): who may write (a session cookie with its CSRF token, or a Bearer reviewer
token; every other way answers 401/403 in the one error shape and writes nothing), the review
writes and undos, the record as reviewed in the API, the pages and every export, the figures,
and the ``entente reviewer`` / ``entente review`` commands.

The store is written directly with records of tests/test_reviews.py's story (no extractor)."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from entente.cli import app as cli_app
from entente.store import Store, queries, reviews
from entente.web.app import create_app
from test_reviews import TEXT, story

SETTINGS = {"api_token": "", "sql_enabled": False}


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.write_record(story())
        store.write_record(story("b", text="Another story. " + TEXT))
    return path


@pytest.fixture
def token(db) -> str:
    with Store(db) as store:
        return reviews.add_reviewer(store, "ana")


@pytest.fixture
def client(db, token):
    app = create_app(db, settings=SETTINGS)
    with TestClient(app) as c:
        yield c
    app.state.web.shared.close()


def signed_in(client, token) -> str:
    """Sign the client in; returns the session's CSRF token."""
    answer = client.post("/api/session", json={"token": token})
    assert answer.status_code == 200, answer.text
    return answer.json()["csrf"]


def target_key(client, record_event: str = "ev2", article: str = "a", kind: str = "event") -> str:
    listed = client.get(f"/api/articles/{article}/targets").json()[kind]
    return next(t["key"] for t in listed if kind != "event" or t["record_event"] == record_event)


def written(client) -> int:
    with client.app.state.web.shared.reading() as r:
        return r.execute("SELECT count(*) FROM reviews").fetchone()[0]


def error_of(answer, status: int) -> dict:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "message", "detail"}
    assert body["error"]["status"] == status
    return body["error"]


# -- who may write ------------------------------------------------------------------------------

FORGED = [
    # (how, status, words of the message)
    ("nothing", 401, "sign in"),
    ("wrong bearer", 401, "wrong or revoked reviewer token"),
    ("not bearer", 401, "Bearer"),
    ("session without csrf", 403, "CSRF"),
    ("session with a wrong csrf", 403, "CSRF"),
    ("session from another origin", 403, "may not change"),
    ("session signed out", 401, "sign in"),
    ("session of a revoked reviewer", 401, "sign in"),
    ("session of an old token", 401, "sign in"),
    ("revoked bearer", 401, "wrong or revoked"),
]


@pytest.mark.parametrize("how, status, words", FORGED, ids=[f[0] for f in FORGED])
def test_web_review_forged_writes_change_nothing(client, token, db, how, status, words):
    key = target_key(client)
    body = {"kind": "event", "key": key, "action": "reject", "reason": "not an event"}
    headers: dict = {}
    if how == "wrong bearer":
        headers["Authorization"] = "Bearer ent_0123456789ab_" + "x" * 43
    elif how == "not bearer":
        headers["Authorization"] = f"Basic {token}"
    elif how == "revoked bearer":
        headers["Authorization"] = f"Bearer {token}"
    elif how.startswith("session"):
        csrf = signed_in(client, token)
        if how == "session with a wrong csrf":
            headers["X-CSRF-Token"] = csrf[:-2] + "xx"
        elif how == "session from another origin":
            headers.update({"X-CSRF-Token": csrf, "Origin": "https://attacker.example"})
        elif how == "session signed out":       # the cookie kept from before signing out opens nothing
            kept = client.cookies.get("entente_session")
            assert client.request("DELETE", "/api/session", headers={"X-CSRF-Token": csrf}).status_code == 200
            assert client.cookies.get("entente_session") is None
            client.cookies.set("entente_session", kept)
            headers["X-CSRF-Token"] = csrf
        elif how in ("session of a revoked reviewer", "session of an old token"):
            headers["X-CSRF-Token"] = csrf
    if how in ("session of a revoked reviewer", "revoked bearer", "session of an old token"):
        with client.app.state.web.shared.writing() as store:
            if how == "session of an old token":
                reviews.new_token(store, "ana")
            else:
                reviews.revoke_reviewer(store, "ana")
    before = written(client)
    for url, payload in (("/api/reviews", body), ("/api/events/1/reviews", {"action": "confirm"}),
                         ("/api/reviews/1/undo", {}), ("/api/events/1/undo", {})):
        error = error_of(client.post(url, json=payload, headers=headers), status)
        assert words in error["message"], error
    assert written(client) == before == 0
    with client.app.state.web.shared.reading() as r:
        assert reviews.article_targets(r, "a")["event"][1]["status"] is None


def test_web_review_session_cookie_and_csrf(client, token):
    answer = client.post("/api/session", json={"token": token})
    cookie = answer.headers["set-cookie"]
    assert "entente_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert "Path=/" in cookie and "Secure" not in cookie          # plain http here; Secure over https
    csrf = answer.json()["csrf"]
    assert client.get("/api/session").json() == {"reviewer": "ana", "csrf": csrf}
    page = client.get("/").text
    assert f'<meta name="csrf-token" content="{csrf}">' in page and "/static/review.js" in page
    # the right CSRF token from this server's own origin writes
    key = target_key(client)
    done = client.post("/api/reviews", json={"kind": "event", "key": key, "action": "confirm"},
                       headers={"X-CSRF-Token": csrf, "Origin": "http://testserver"})
    assert done.status_code == 201, done.text
    assert done.json()["targets"][0]["status"] == "confirmed" and done.json()["reviews"][0]["reviewer"] == "ana"


@pytest.mark.parametrize("how, status", [
    ("form", 422),               # a cross-site form cannot send JSON: sign-in takes JSON only
    ("wrong token", 401),
    ("foreign origin", 403),
    ("empty", 422),
])
def test_web_review_sign_in_refusals(client, token, how, status):
    if how == "form":
        answer = client.post("/api/session", data={"token": token})
    elif how == "wrong token":
        answer = client.post("/api/session", json={"token": token[:-3] + "abc"})
    elif how == "foreign origin":
        answer = client.post("/api/session", json={"token": token}, headers={"Origin": "https://attacker.example"})
    else:
        answer = client.post("/api/session", json={"token": ""})
    error_of(answer, status)
    assert "set-cookie" not in answer.headers
    assert client.get("/api/session").json() == {"reviewer": None, "csrf": None}


@pytest.mark.parametrize("address", ["/", "/?reviewed=all", "/articles/a", "/events/1", "/review", "/review/stats",
                                     "/actors/SRB", "/review/sign-in"])
def test_web_review_controls_only_for_a_reviewer(client, token, address):
    page = client.get(address)
    assert page.status_code == 200, page.text
    assert "review-controls" not in page.text and "/static/review.js" not in page.text and "csrf-token" not in page.text
    signed_in(client, token)
    page = client.get(address)
    assert "/static/review.js" in page.text and "reviewing as <b>ana</b>" in page.text
    if address not in ("/review/sign-in", "/review/stats"):       # (pages with nothing to review)
        assert "review-controls" in page.text


def test_web_review_bearer_token_writes_as_the_api(client, token):
    key = target_key(client)
    auth = {"Authorization": f"Bearer {token}"}
    done = client.post("/api/reviews", json={"kind": "event", "key": key, "action": "edit",
                                             "fields": {"event": "THREATEN", "recipient": ["USA"]}}, headers=auth)
    assert done.status_code == 201, done.text
    [event_id] = done.json()["events"]
    shown = client.get(f"/api/events/{event_id}").json()
    assert (shown["event"], [p["code"] for p in shown["recipient"]], shown["review"]["status"]) == \
        ("THREATEN", ["USA"], "corrected")
    # a bad value is refused before anything is written, naming the field
    error = error_of(client.post("/api/reviews", json={"kind": "event", "key": key, "action": "edit",
                                                       "fields": {"date": "27/09/2017"}}, headers=auth), 400)
    assert "'date'" in error["message"] and "ISO" in error["message"]
    assert len(client.get("/api/reviews", params={"kind": "event", "key": key}).json()["reviews"]) == 1
    # undo restores the extracted values
    undone = client.post(f"/api/reviews/{done.json()['reviews'][0]['id']}/undo", json={"note": "my mistake"},
                         headers=auth)
    assert undone.status_code == 201
    assert undone.json()["targets"][0]["status"] is None and undone.json()["targets"][0]["values"]["event"] == "ACCUSE"
    history = client.get("/api/reviews", params={"kind": "event", "key": key}).json()["reviews"]
    assert [(h["action"], h["note"]) for h in history] == [("edit", None), ("undo", "my mistake")]


def test_web_review_merged_event_as_a_whole_and_its_undo(client, token):
    auth = {"Authorization": f"Bearer {token}"}
    consult = next(e for e in client.get("/api/events").json()["events"] if e["event"] == "CONSULT")
    assert consult["n_sources"] == 2
    done = client.post(f"/api/events/{consult['id']}/reviews", json={"action": "reject", "reason": "wrong sense"},
                       headers=auth)
    assert done.status_code == 201 and len(done.json()["reviews"]) == 2        # each of its reports
    assert not [e for e in client.get("/api/events").json()["events"] if e["event"] == "CONSULT"]
    error_of(client.get(f"/api/events/{done.json()['events'][0]}"), 404)
    rejected = client.get(f"/api/events/{done.json()['events'][0]}", params={"reviewed": "all"}).json()
    assert rejected["review"]["status"] == "rejected"
    page = client.get(f"/events/{rejected['id']}").text                        # the page shows it, to undo it
    assert "rejected" in page and "wrong sense" in page
    back = client.post(f"/api/events/{rejected['id']}/undo", json={}, headers=auth)
    assert back.status_code == 201 and len(back.json()["reviews"]) == 2
    again = [e for e in client.get("/api/events").json()["events"] if e["event"] == "CONSULT"]
    assert len(again) == 1 and again[0]["review"] is None and again[0]["n_sources"] == 2
    error_of(client.post(f"/api/events/{again[0]['id']}/undo", json={}, headers=auth), 400)   # nothing to undo


def test_web_review_the_analyst_faces_read_the_record_as_reviewed(client, token):
    """The time series, the CSV with its evidence and the rows per report (issue 15's faces)
    read the record as reviewed: a rejected event leaves the series and the CSV unless
    ``reviewed=all``, whose CSV row says it was rejected and by whom; a report's row carries
    its own review."""
    auth = {"Authorization": f"Bearer {token}"}
    consult = next(e for e in client.get("/api/events").json()["events"] if e["event"] == "CONSULT")
    before = client.get("/api/timeseries", params={"actor": "SRB"}).json()["total"]
    assert client.post(f"/api/events/{consult['id']}/reviews", json={"action": "reject", "reason": "duplicate"},
                       headers=auth).status_code == 201
    assert client.get("/api/timeseries", params={"actor": "SRB"}).json()["total"] == before - 1
    assert client.get("/api/timeseries", params={"actor": "SRB", "reviewed": "all"}).json()["total"] == before

    def csv_rows(**params) -> list[dict]:
        answer = client.get("/api/events.csv", params={"type": "CONSULT", **params})
        assert answer.status_code == 200, answer.text
        return list(csv.DictReader(answer.text.splitlines()))

    assert csv_rows() == []
    [row] = csv_rows(reviewed="all")
    assert (row["review"], row["reviewers"], row["sentence"]) == ("rejected", "ana", TEXT.split(". ")[0] + ".")
    reports = client.get("/api/events", params={"type": "CONSULT", "reviewed": "all", "reports": "true"}).json()
    assert [(r["review"]["status"], r["review"]["reviewers"]) for r in reports["events"]] == [("rejected", ["ana"])] * 2
    unreviewed = client.get("/api/events", params={"type": "ACCUSE", "reports": "true"}).json()["events"]
    assert [r["review"] for r in unreviewed] == [None, None]


def test_web_review_targets_of_an_id_with_a_slash(tmp_path, token):
    """Ids of any characters (issue 11): an article whose id holds a slash has its targets at
    /api/articles/{quoted id}/targets, and its own address still answers."""
    from urllib.parse import quote

    path = tmp_path / "slash.duckdb"
    with Store(path) as store:
        store.write_record(story("wire/2017/09/a"))
    app = create_app(path, settings=SETTINGS)
    with TestClient(app) as client:
        quoted = quote("wire/2017/09/a", safe="")
        targets = client.get(f"/api/articles/{quoted}/targets")
        assert targets.status_code == 200 and len(targets.json()["event"]) == 4
        assert client.get(f"/api/articles/{quoted}").json()["article"]["id"] == "wire/2017/09/a"
    app.state.web.shared.close()


def test_web_review_person_mention_and_named_event(client, token):
    auth = {"Authorization": f"Bearer {token}"}
    person = target_key(client, kind="person")
    assert client.post("/api/reviews", json={"kind": "person", "key": person, "action": "edit",
                                             "fields": {"affiliation": "SRB"}}, headers=auth).status_code == 201
    assert "Vulin" in [p["name"] for p in client.get("/api/actors/SRB").json()["actor"]["people"]]
    mentions = client.get("/api/articles/a/targets").json()["mention"]
    georgia = next(m for m in mentions if m["extracted"]["text"] == "Georgia")
    assert client.post("/api/reviews", json={"kind": "mention", "key": georgia["key"], "action": "reject",
                                             "reason": "not an actor"}, headers=auth).status_code == 201
    named = target_key(client, kind="named_event")
    assert client.post("/api/reviews", json={"kind": "named_event", "key": named, "action": "edit",
                                             "fields": {"organizer": "SRB", "observers": ["GEO"]}},
                       headers=auth).status_code == 201
    article = client.get("/api/articles/a").json()
    by_id = {e["id"]: e for e in article["entities"]}
    assert by_id["e4"]["affiliation"] == "SRB" and by_id["e4"]["review"]["status"] == "corrected"
    assert by_id["e6"]["organizer"] == "SRB" and by_id["e6"]["observers"] == ["GEO"]
    assert by_id["e4"]["extracted"]["affiliation"] == "RUS"


def test_web_review_reads_are_open(client):
    assert client.get("/api/articles/a/targets").status_code == 200
    assert client.get("/api/reviews/queue").json()["events"]
    assert client.get("/api/reviews/stats").json()["reports"]["total"] == 8
    assert client.get("/api/reviews/orphans").json() == {"orphans": []}
    assert client.get("/api/reviews/suggestions").json() == {"suggestions": []}
    assert [a["code"] for a in client.get("/api/reviews/actors", params={"q": "russ"}).json()["actors"]] == ["RUS"]
    assert client.get("/api/reviews/actors", params={"q": "cs"}).json()["actors"][0]["code"] == "CSTO"
    error_of(client.get("/api/articles/nope/targets"), 404)
    error_of(client.get("/api/events", params={"reviewed": "some"}), 422)


def test_web_review_figures(client, token):
    auth = {"Authorization": f"Bearer {token}"}
    for record_event, action, extra in (("ev1", "confirm", {}), ("ev2", "edit", {"fields": {"recipient": ["USA"]}}),
                                        ("ev3", "reject", {"reason": "wrong sense"})):
        assert client.post("/api/reviews", json={"kind": "event", "key": target_key(client, record_event),
                                                 "action": action, **extra}, headers=auth).status_code == 201
    summary = client.get("/api/").json()["reviews"]
    assert summary["reports"] == {"reviewed": 3, "confirmed": 1, "corrected": 1, "rejected": 1, "total": 8}
    assert summary["events"]["rejected"] == 1
    by_russia = client.get("/api/actors/RUS").json()["reviews"]
    assert by_russia["events"]["corrected"] == 1 and by_russia["actor"] == "RUS"
    assert "1 corrected" in client.get("/actors/RUS").text
    stats = client.get("/review/stats")
    assert stats.status_code == 200
    assert '<tr data-type="CONSULT"><td>CONSULT</td><td>1</td><td>1</td><td>0</td><td>0</td><td>1.000</td>' in stats.text
    assert '<tr data-type="SUPPORT"><td>SUPPORT</td><td>1</td><td>0</td><td>0</td><td>1</td><td>0.000</td>' in stats.text


# -- the record as reviewed in every export -------------------------------------------------------


@pytest.fixture
def reviewed_db(db, token) -> Path:
    with Store(db) as store:
        keys = {t["record_event"]: t["key"] for t in reviews.article_targets(store, "a")["event"]}
        reviews.review(store, "event", keys["ev2"], "edit", reviewer="ana", fields={"event": "THREATEN"})
        reviews.review(store, "event", keys["ev3"], "reject", reviewer="ana", reason="duplicate")
    return db


@pytest.mark.parametrize("reviewed, rejected", [("reviewed", 0), ("all", 1)])
def test_web_review_exports_read_the_record_as_reviewed(reviewed_db, tmp_path, reviewed, rejected):
    from entente.export import export

    with Store(reviewed_db, read_only=True, config={"enable_external_access": True}) as store:
        n = len(queries.events(store, reviewed=reviewed))
        assert queries.count_events(store, reviewed=reviewed) == n
        assert export(store, "plover", tmp_path / "e.jsonl", reviewed=reviewed) == n
        assert export(store, "icews", tmp_path / "e.csv", reviewed=reviewed) == n
        assert export(store, "parquet", tmp_path / "e.parquet", reviewed=reviewed) == n
        assert export(store, "gexf", tmp_path / "n.gexf", reviewed=reviewed) > 0
        parquet = store.execute(f"SELECT event, review FROM read_parquet('{tmp_path / 'e.parquet'}')").fetchall()
    lines = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text().splitlines()]
    assert sum(1 for e in lines if e["review"] and e["review"]["status"] == "rejected") == rejected
    assert [(e["event"], e["review"]["status"]) for e in lines if e["review"] and e["review"]["status"] != "rejected"] \
        == [("THREATEN", "corrected")]
    rows = list(csv.DictReader((tmp_path / "e.csv").open(encoding="utf-8")))
    assert sorted(r["Review"] for r in rows if r["Review"]) == sorted(["corrected"] + ["rejected"] * rejected)
    assert {r["Reviewers"] for r in rows if r["Review"]} == {"ana"}
    assert sorted(r for _, r in parquet if r) == sorted(["corrected"] + ["rejected"] * rejected)
    assert ("SUPPORT", "rejected") in parquet or not rejected


# -- the command line -------------------------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(cli_app, list(args))


def test_web_review_cli_reviewers(tmp_path):
    db = str(tmp_path / "s.duckdb")
    added = run("reviewer", "add", "ana", "--db", db)
    assert added.exit_code == 0, added.output
    token = added.stdout.strip().splitlines()[0]
    assert token.startswith("ent_")
    with Store(db, read_only=True) as store:
        assert reviews.verify_reviewer(store, token) == "ana"
        assert token not in json.dumps([list(map(str, r)) for r in store.execute("SELECT * FROM reviewers").fetchall()])
    again = run("reviewer", "add", "ana", "--db", db)
    assert again.exit_code == 1 and "already a reviewer" in again.output
    listed = run("reviewer", "list", "--format", "jsonl", "--db", db)
    assert [json.loads(line)["name"] for line in listed.stdout.splitlines()] == ["ana"]
    assert run("reviewer", "revoke", "ana", "--db", db).exit_code == 0
    with Store(db, read_only=True) as store:
        assert reviews.verify_reviewer(store, token) is None
    fresh = run("reviewer", "token", "ana", "--db", db)
    assert fresh.exit_code == 0
    with Store(db, read_only=True) as store:
        assert reviews.verify_reviewer(store, fresh.stdout.strip().splitlines()[0]) == "ana"
        assert reviews.verify_reviewer(store, token) is None
    bad = run("reviewer", "revoke", "bob", "--db", db)
    assert bad.exit_code == 1 and "not an active reviewer" in bad.output


def test_web_review_cli_review_commands(reviewed_db, tmp_path):
    db = str(reviewed_db)
    stats = run("review", "stats", "--format", "json", "--db", db)
    assert stats.exit_code == 0, stats.output
    found = json.loads(stats.stdout)
    assert (found["reports"]["reviewed"], found["reports"]["corrected"], found["reports"]["rejected"]) == (2, 1, 1)
    table = run("review", "stats", "--db", db)
    assert "precision by extracted type" in table.stdout and "ACCUSE" in table.stdout
    suggested = run("review", "suggest", "--db", db)
    assert suggested.exit_code == 0 and "patterns/accuse.yaml" in suggested.stdout
    shown = run("events", "--reviewed", "all", "--format", "jsonl", "--db", db)
    assert sorted(json.loads(line)["review"]["status"] for line in shown.stdout.splitlines()
                  if json.loads(line)["review"]) == ["corrected", "rejected"]
    assert run("events", "--reviewed", "nope", "--db", db).exit_code == 1
    gold = tmp_path / "gold"
    exported = run("review", "export-gold", str(gold), "--db", db)
    assert exported.exit_code == 0, exported.output
    assert sorted(p.name for p in gold.iterdir()) == ["a.gold.json", "articles.jsonl"]
    # orphans: the article's text changes and the reviewed sentences are gone
    with Store(reviewed_db) as store:             # a sentence inserted at the top: every span moved
        assert store.write_record(story(text="Belgrade, Tuesday. " + TEXT)).status == "replaced"
    orphans = run("review", "orphans", "--format", "jsonl", "--db", db)
    assert orphans.exit_code == 0, orphans.output
    assert sorted(json.loads(line)["status"] for line in orphans.stdout.splitlines()) == ["corrected", "rejected"]


@pytest.mark.parametrize("given, kept", [
    ("/articles/a", "/articles/a"),
    ("/?actor=SRB&reviewed=all", "/?actor=SRB&amp;reviewed=all"),
    ("//attacker.example/", "/review"),                 # another host
    ("/\\attacker.example", "/review"),                 # a backslash browsers read as a slash
    ("/\t/attacker.example", "/review"),                # a tab browsers strip
    ("https://attacker.example", "/review"),
])
def test_web_review_sign_in_goes_back_only_to_this_server(client, given, kept):
    page = client.get("/review/sign-in", params={"next": given}).text
    assert f'data-next="{kept}"' in page


# -- reviews and the snapshot the server reads (another process writing the store) ---------------

HOLD = "import sys; from entente.store import Store; s = Store(sys.argv[1]); print('held', flush=True); sys.stdin.read()"


def test_web_review_while_another_process_writes_the_store(db, monkeypatch):
    """The server reads a snapshot of the store: a reviewer that `entente reviewer add` (another
    process) adds while it serves can sign in once the next snapshot is taken; a review sent
    while another process holds the store for writing answers 503 in the one error shape and
    writes nothing; sent again once it is free, it is written and the next read shows it."""
    monkeypatch.setenv("ENTENTE_LOCK_WAIT", "1")
    app = create_app(db, settings=SETTINGS)
    app.state.web.shared.refresh_seconds = 0.2
    with TestClient(app) as client:
        added = subprocess.run([sys.executable, "-c", "from entente.cli import main; main()", "reviewer", "add",
                                "bo", "--db", str(db)], capture_output=True, text=True, timeout=60)
        assert added.returncode == 0, added.stderr
        token = added.stdout.strip()
        deadline = time.monotonic() + 10
        while client.post("/api/session", json={"token": token}).status_code != 200:
            assert time.monotonic() < deadline, "the new reviewer never reached the server's snapshot"
            time.sleep(0.1)
        csrf = signed_in(client, token)
        review = {"kind": "event", "key": target_key(client), "action": "confirm"}
        headers = {"X-CSRF-Token": csrf, "Origin": "http://testserver"}
        holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout.readline().strip() == "held"
            busy = client.post("/api/reviews", json=review, headers=headers)
            assert "another process is writing the store" in error_of(busy, 503)["message"]
            assert busy.headers["Retry-After"]
            assert written(client) == 0
        finally:
            holder.communicate("", timeout=30)
        done = client.post("/api/reviews", json=review, headers=headers)
        assert done.status_code == 201, done.text
        assert written(client) == 1
        assert client.get(f"/api/events/{done.json()['events'][0]}").json()["review"]["status"] == "confirmed"
    app.state.web.shared.close()
