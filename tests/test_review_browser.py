"""Analyst review in a real headless Chromium (Debian's ``chromium`` through Playwright): the
acceptance of issue 14 on the Kazinform story, ingested for real.

A reviewer signs in with a token, corrects an event's recipient and type on the article page,
rejects another and edits a person's affiliation; the events list, the API and the PLOVER
export show the reviewed values; ``entente ingest --reextract`` on the same store keeps all
three; the gold exported from the reviews is read by the referee, which scores the extractor
below 1.0 exactly where the reviews corrected it; undo restores the extracted values. Without
signing in no review control is shown, and forged writes (no CSRF token, a wrong one, no
token, a wrong token, another origin) change nothing in the store. The review queue works
from the keyboard."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

pytestmark = pytest.mark.browser
import playwright.sync_api as playwright_api  # the [test] extra installs it: missing is an error

from entente.store import Store, queries, reviews  # noqa: E402
from entente.web.app import create_app  # noqa: E402
from entente.web.server import BackgroundServer  # noqa: E402
from test_web_api import KAZINFORM, KAZINFORM_ID, build_store  # noqa: E402
from test_web_browser import browser  # noqa: E402,F401  (the fixture: Debian's Chromium)

expect = playwright_api.expect
SCORE = Path(__file__).resolve().parents[1].parent / "shared" / "score.py"
SETTINGS = {"api_token": "", "sql_enabled": False}


def entente(*args: str) -> subprocess.CompletedProcess:
    """Run the ``entente`` command line as a user would (a fresh interpreter)."""
    return subprocess.run([sys.executable, "-c", "from entente.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=600)


def earlier_extraction(db: Path) -> None:
    """Store the Kazinform record as an earlier extraction would have given it (other
    confidences, as other patterns would), so that ``--reextract`` really replaces it."""
    with Store(db) as store:
        record = queries.article_record(store, KAZINFORM_ID)
        for ev in record["events"]:
            ev["confidence"] = round(ev["confidence"] - 0.05, 3)
        result = store.write_record(record, reextract=True)
        assert result.status == "replaced"


@pytest.fixture(scope="module")
def review_db(tmp_path_factory) -> tuple[Path, str]:
    """The store (Kazinform story and the markup article) and a reviewer's token."""
    db = build_store(tmp_path_factory.mktemp("review"))
    earlier_extraction(db)
    with Store(db) as store:
        token = reviews.add_reviewer(store, "ana")
    return db, token


def counts(db: Path) -> tuple[int, list]:
    """(reviews written, the events as reviewed) read from the store file itself."""
    with Store(db, read_only=True) as store:
        n = store.execute("SELECT count(*) FROM reviews").fetchone()[0]
        shown = sorted((e["event"], [p["code"] for p in e["actor"]], [p["code"] for p in e["recipient"]], e["aux"])
                       for e in queries.events(store))
    return n, shown


def sign_in(page, url: str, token: str) -> None:
    page.goto(url + "/review/sign-in?next=/review")
    page.fill("#token", token)
    page.click('form#sign-in button[type="submit"]')
    page.wait_for_url(lambda address: urlsplit(address).path == "/review")   # (not the sign-in page's ?next=/review)
    expect(page.locator("header .who")).to_contain_text("reviewing as ana")


def event_item(page, event_type: str, recipient: str | None = None):
    """The article page's list item of an event of this type (and recipient)."""
    items = page.locator("ol.event-list > li").filter(has=page.locator(f'.event-button[data-type="{event_type}"]'))
    return items.filter(has_text=f"→ {recipient}") if recipient else items


# -- without signing in -------------------------------------------------------------------------


def test_review_browser_without_signing_in_no_control_and_forged_writes_change_nothing(review_db, browser):
    db, token = review_db
    before = counts(db)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    with BackgroundServer(create_app(db, settings=SETTINGS)) as server:
        with server_reader(server) as r:
            event_id = queries.events(r)[0]["id"]
            key = reviews.article_targets(r, KAZINFORM_ID)["event"][0]["key"]
        for address in ("/", f"/articles/{KAZINFORM_ID}", f"/events/{event_id}", "/review", "/actors/SRB"):
            pg.goto(server.url + address)
            assert pg.locator(".review-controls, button.rv").count() == 0, address
            assert pg.locator('script[src="/static/review.js"], meta[name="csrf-token"]').count() == 0, address
            expect(pg.locator("header .who")).to_contain_text("sign in to review")

        body = {"kind": "event", "key": key, "action": "reject", "reason": "not an event"}
        with httpx.Client(base_url=server.url) as anonymous:
            forged = [anonymous.post("/api/reviews", json=body),                                           # no token
                      anonymous.post("/api/reviews", json=body, headers={"Authorization": "Bearer ent_0123456789ab_"
                                                                         + "x" * 43}),                    # wrong token
                      anonymous.post("/api/reviews", json=body, headers={"Authorization": token}),        # not Bearer
                      anonymous.post(f"/api/events/{event_id}/reviews", json={"action": "confirm"})]
        with httpx.Client(base_url=server.url) as signed_in:
            session = signed_in.post("/api/session", json={"token": token})
            assert session.status_code == 200
            csrf = session.json()["csrf"]
            forged += [signed_in.post("/api/reviews", json=body),                                          # no CSRF token
                       signed_in.post("/api/reviews", json=body, headers={"X-CSRF-Token": "wrong"}),      # wrong one
                       signed_in.post("/api/reviews", json=body, headers={"X-CSRF-Token": csrf,           # other site
                                                                          "Origin": "https://evil.example"}),
                       signed_in.post(f"/api/events/{event_id}/undo", json={})]                           # no CSRF
        assert [r.status_code for r in forged] == [401, 401, 401, 401, 403, 403, 403, 403]
        for r in forged:
            error = r.json()["error"]
            assert set(error) == {"status", "message", "detail"} and error["status"] == r.status_code
        assert "sign in" in forged[0].json()["error"]["message"]
        assert "CSRF" in forged[4].json()["error"]["message"]
        app_of(server).state.web.shared.close()
    context.close()
    assert counts(db) == before                  # checked in the store: nothing written


def server_reader(server):
    return app_of(server).state.web.shared.reading()


def app_of(server):
    return server.server.config.app


# -- the acceptance flow ----------------------------------------------------------------------------


def test_review_browser_correct_reject_edit_survive_reextraction_gold_and_undo(review_db, browser, tmp_path):
    db, token = review_db
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    errors: list[str] = []
    pg.on("pageerror", lambda err: errors.append(str(err)))
    article = f"/articles/{KAZINFORM_ID}"
    with BackgroundServer(create_app(db, settings=SETTINGS)) as server:
        sign_in(pg, server.url, token)
        cookie = next(c for c in context.cookies() if c["name"] == "entente_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

        # 1. correct the CONSULT's recipient (found by name) and type, on the article page
        pg.goto(server.url + article)
        consult = event_item(pg, "CONSULT", "CSTO")
        expect(consult).to_have_count(1)
        consult.locator('button.rv[data-action="edit"]').click()
        form = pg.locator("form.review-edit")
        form.locator('select[name="event"]').select_option("AGREE")
        recipient = form.locator('input[name="recipient"]')
        recipient.fill("")
        recipient.press_sequentially("Russ")
        pg.locator('ul.lookup li[data-code="RUS"]').click()          # lookup by name from the store's actors
        assert recipient.input_value() == "RUS"
        with pg.expect_navigation():
            form.locator("button.save").click()
        corrected = event_item(pg, "AGREE", "RUS")
        expect(corrected).to_have_count(1)
        expect(corrected.locator(".review-badge")).to_contain_text("corrected")
        expect(corrected.locator(".extracted")).to_contain_text("was CONSULT")

        # 2. reject another
        praise = event_item(pg, "SUPPORT", "SRB")      # the CSTO's praise of Serbia
        praise.locator('button.rv[data-action="reject"]').click()
        with pg.expect_navigation():
            pg.locator('.review-panel-form button.reason[data-reason="wrong sense"]').click()
        expect(event_item(pg, "SUPPORT", "SRB").locator(".review-badge")).to_contain_text("rejected: wrong sense")

        # 3. edit a person's affiliation
        person = pg.locator('ul.entities li[data-kind="person"]', has_text="Yuri Khachaturov")
        person.locator('button.rv[data-action="edit"]').click()
        affiliation = pg.locator('form.review-edit input[name="affiliation"]')
        affiliation.fill("")
        affiliation.press_sequentially("Armen")
        pg.locator('ul.lookup li[data-code="ARM"]').click()
        with pg.expect_navigation():
            pg.locator("form.review-edit button.save").click()
        person = pg.locator('ul.entities li[data-kind="person"]', has_text="Yuri Khachaturov")
        expect(person.locator("a.code")).to_have_text("ARM")
        expect(person.locator(".review-badge")).to_contain_text("corrected")

        # the events list shows the reviewed values (the rejected event only when asked for)
        pg.goto(server.url + "/")
        row = pg.locator('table.events tr[data-type="AGREE"]', has_text="RUS")
        expect(row).to_have_count(1)
        expect(row).to_have_attribute("data-review", "corrected")
        expect(row.locator(".review-badge")).to_contain_text("ana")
        assert pg.locator('table.events tr[data-type="SUPPORT"]', has_text="CSTO → SRB").count() == 0
        pg.goto(server.url + "/?reviewed=all")
        expect(pg.locator('table.events tr[data-type="SUPPORT"][data-review="rejected"]', has_text="CSTO → SRB")) \
            .to_have_count(1)

        # ... and so does the API
        api = [e for e in httpx.get(server.url + "/api/events").json()["events"] if kazinform(e)]
        agree = [e for e in api if e["event"] == "AGREE" and [p["code"] for p in e["recipient"]] == ["RUS"]]
        assert len(agree) == 1 and agree[0]["review"]["status"] == "corrected" and agree[0]["review"]["reviewers"] == ["ana"]
        assert not [e for e in api if e["event"] == "SUPPORT" and [p["code"] for p in e["recipient"]] == ["SRB"]]
        assert not [e for e in api if e["event"] == "CONSULT"]
        armenia = httpx.get(server.url + "/api/actors/ARM").json()
        assert "Yuri Khachaturov" in [p["name"] for p in armenia["actor"]["people"]]
        assert httpx.get(server.url + "/api/").json()["reviews"]["events"]["corrected"] == 1

        # ... and the PLOVER export (read-only, while the server reads the store)
        plover = tmp_path / "events.jsonl"
        done = entente("export", "--format", "plover", "-o", str(plover), "--db", str(db))
        assert done.returncode == 0, done.stderr
        exported = [e for e in map(json.loads, plover.read_text().splitlines()) if kazinform(e)]
        assert [(e["event"], [p["code"] for p in e["recipient"]], e["review"]["status"]) for e in exported
                if e["review"]] == [("AGREE", ["RUS"], "corrected")]
        assert not [e for e in exported if e["event"] == "CONSULT"
                    or e["event"] == "SUPPORT" and [p["code"] for p in e["recipient"]] == ["SRB"]]
        app_of(server).state.web.shared.close()

    # re-extraction keeps all three
    with Store(db, read_only=True) as store:
        n_reviews = store.execute("SELECT count(*) FROM reviews").fetchone()[0]
    done = entente("ingest", str(KAZINFORM), "--reextract", "--db", str(db), "--workers", "1", "--quiet")
    assert done.returncode == 0, done.stderr
    assert "1 replaced" in done.stderr                        # extracted again, the record rewritten
    assert_reviewed(db)
    with Store(db, read_only=True) as store:
        assert store.execute("SELECT count(*) FROM reviews").fetchone()[0] == n_reviews
        assert reviews.orphans(store) == []

    # the gold from the reviews, read by the referee: below 1.0 exactly where reviews corrected it
    gold = tmp_path / "gold"
    done = entente("review", "export-gold", str(gold), "--db", str(db))
    assert done.returncode == 0, done.stderr
    pred = tmp_path / "pred.jsonl"
    done = entente("extract", str(KAZINFORM), "-o", str(pred))
    assert done.returncode == 0, done.stderr
    scored = subprocess.run([sys.executable, str(SCORE), str(gold), str(pred), "--json"], capture_output=True,
                            text=True, timeout=120)
    assert scored.returncode == 0, scored.stderr
    result = json.loads(scored.stdout)
    by_type = {t: (s["tp"], s["fp"], s["fn"]) for t, s in result["events_by_type"].items() if s["tp"] + s["fp"] + s["fn"]}
    assert by_type == {"CONSULT": (0, 1, 0),      # corrected: the extractor's CONSULT is a false alarm ...
                       "AGREE": (0, 0, 1),        # ... and the analyst's AGREE SRB->RUS a miss
                       "SUPPORT": (0, 1, 0)}      # rejected: a false alarm; unreviewed events are optional
    assert result["events"]["precision"] < 1.0
    assert result["person_affiliation_accuracy"] < 1.0    # Khachaturov: CSTO extracted, ARM reviewed

    # undo restores the extracted values (a restarted server has signed everyone out)
    with BackgroundServer(create_app(db, settings=SETTINGS)) as server:
        pg.goto(server.url + article)
        assert pg.locator(".review-controls").count() == 0
        sign_in(pg, server.url, token)
        pg.goto(server.url + article)
        for item in (lambda: event_item(pg, "AGREE", "RUS"), lambda: event_item(pg, "SUPPORT", "SRB"),
                     lambda: pg.locator('ul.entities li[data-kind="person"]', has_text="Yuri Khachaturov")):
            with pg.expect_navigation():
                item().locator('button.rv[data-action="undo"]').click()
        expect(event_item(pg, "CONSULT", "CSTO")).to_have_count(1)
        expect(event_item(pg, "CONSULT", "CSTO").locator(".review-badge")).to_have_count(0)
        expect(pg.locator('ul.entities li[data-kind="person"]', has_text="Yuri Khachaturov").locator("a.code")) \
            .to_have_text("CSTO")
        app_of(server).state.web.shared.close()
    with Store(db, read_only=True) as store:
        shown = sorted((e["event"], [p["code"] for p in e["actor"]], [p["code"] for p in e["recipient"]], e["aux"])
                       for e in queries.events(store) if kazinform(e))
        assert ("CONSULT", ["SRB"], ["CSTO"], None) in shown and ("SUPPORT", ["CSTO"], ["SRB"], None) in shown
        assert not [s for s in shown if s[0] == "AGREE" and s[2] == ["RUS"]]
        assert all(e["review"] is None for e in queries.events(store))
        assert store.execute("SELECT affiliation FROM entities WHERE name = 'Yuri Khachaturov'").fetchone()[0] == "CSTO"
        assert [r["action"] for r in reviews.history(store, "event", event_key(store, "ev1"))] == ["edit", "undo"]
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def kazinform(event: dict) -> bool:
    """Whether an event (of the API, the store or the PLOVER export) is the Kazinform story's."""
    return any(s["article"] == KAZINFORM_ID for s in event["sources"])


def event_key(store, record_event: str) -> str:
    return next(t["key"] for t in reviews.article_targets(store, KAZINFORM_ID)["event"] if t["record_event"] == record_event)


def assert_reviewed(db: Path) -> None:
    """The three reviews hold in the store: AGREE SRB->RUS, SUPPORT CSTO->SRB rejected, Khachaturov ARM."""
    with Store(db, read_only=True) as store:
        shown = {(e["event"], ",".join(p["code"] for p in e["recipient"])): e for e in queries.events(store)
                 if kazinform(e)}
        assert shown[("AGREE", "RUS")]["review"]["status"] == "corrected"
        assert ("CONSULT", "CSTO") not in shown and ("SUPPORT", "SRB") not in shown
        assert [e["review"]["status"] for e in queries.events(store, reviewed="all", types="SUPPORT")
                if [p["code"] for p in e["recipient"]] == ["SRB"]] == ["rejected"]
        assert store.execute("SELECT affiliation, review FROM entities WHERE name = 'Yuri Khachaturov'").fetchone() == \
            ("ARM", "corrected")


# -- the review queue, from the keyboard -----------------------------------------------------------


def test_review_browser_queue_keyboard(tmp_path, browser):
    from conftest import make_event, make_record

    db = tmp_path / "queue.duckdb"
    text = "One. Two. Three."
    with Store(db) as store:
        store.write_record(make_record("q", [
            make_event("CONSULT", ["SRB"], ["CSTO"], date="2017-09-25", confidence=0.4, span=(0, 4), trigger=(0, 3)),
            make_event("ACCUSE", ["RUS"], ["UKR"], date="2017-09-26", confidence=0.5, span=(5, 9), trigger=(5, 8)),
            make_event("AGREE", ["GEO"], ["CSTO"], date="2017-09-27", confidence=0.6, span=(10, 16),
                       trigger=(10, 15))], text=text))
        token = reviews.add_reviewer(store, "ana")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda err: errors.append(str(err)))
    with BackgroundServer(create_app(db, settings=SETTINGS)) as server:
        sign_in(pg, server.url, token)
        items = pg.locator("ol.queue li.queue-item")
        expect(items).to_have_count(3)
        assert [items.nth(i).get_attribute("data-type") for i in range(3)] == ["CONSULT", "ACCUSE", "AGREE"]  # lowest confidence first
        expect(pg.locator("li.queue-item.current")).to_have_attribute("data-type", "CONSULT")
        pg.keyboard.press("c")                                     # confirm the CONSULT
        expect(items).to_have_count(2)
        expect(pg.locator("li.queue-item.current")).to_have_attribute("data-type", "ACCUSE")
        pg.keyboard.press("j")                                     # next: the AGREE
        expect(pg.locator("li.queue-item.current")).to_have_attribute("data-type", "AGREE")
        pg.keyboard.press("r")                                     # reject it ...
        expect(pg.locator(".review-panel-form button.reason")).to_have_count(4)
        pg.keyboard.press("3")                                     # ... as a duplicate
        expect(items).to_have_count(1)
        pg.reload()
        expect(items).to_have_count(1)
        expect(items.first).to_have_attribute("data-type", "ACCUSE")
        app_of(server).state.web.shared.close()
    with Store(db, read_only=True) as store:
        done = {t["values"]["event"]: (t["status"], t["reason"]) for t in reviews.article_targets(store, "q")["event"]}
    assert done == {"CONSULT": ("confirmed", None), "ACCUSE": (None, None), "AGREE": ("rejected", "duplicate")}
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


# -- an event's page, and actor mentions -------------------------------------------------------------


def test_review_browser_event_page_history_and_actor_mentions(tmp_path, browser):
    """On an event's page the merged event is reviewed as a whole: a corrected recipient moves
    it to the event it now is (the page follows), its history lists the review, and undo takes
    it back. On the article page an actor mention is read as another code, another rejected."""
    from test_reviews import story

    db = tmp_path / "story.duckdb"
    with Store(db) as store:
        store.write_record(story())
        token = reviews.add_reviewer(store, "ana")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda err: errors.append(str(err)))
    with BackgroundServer(create_app(db, settings=SETTINGS)) as server:
        sign_in(pg, server.url, token)
        pg.goto(server.url + "/")
        pg.locator('table.events tr[data-type="ACCUSE"] a.badge').click()
        pg.wait_for_url("**/events/*")
        first = pg.url
        pg.locator('#event-review button.rv[data-action="edit"]').click()
        recipient = pg.locator('form.review-edit input[name="recipient"]')
        expect(recipient).to_have_value("UKR")
        recipient.fill("USA")
        with pg.expect_navigation():
            pg.locator("form.review-edit button.save").click()
        assert pg.url != first                                    # the report moved to ACCUSE RUS->USA
        expect(pg.locator("h1")).to_contain_text("USA")
        expect(pg.locator("#event-review .review-badge")).to_contain_text("corrected")
        expect(pg.locator("ol.history li")).to_contain_text('recipient ["UKR"] → ["USA"]')
        with pg.expect_navigation():
            pg.locator('ol.history button.rv[data-action="undo"]').click()
        expect(pg.locator("h1")).to_contain_text("UKR")
        expect(pg.locator("#event-review")).to_contain_text("not reviewed")

        pg.goto(server.url + "/articles/a")
        csto = pg.locator("ul.mentions li", has_text="CSTO").last          # "the CSTO would talk again"
        csto.locator('button.rv[data-action="edit"]').click()
        pg.locator('form.review-edit input[name="code"]').fill("RUS")
        pg.locator('form.review-edit select[name="kind"]').select_option("state")
        with pg.expect_navigation():
            pg.locator("form.review-edit button.save").click()
        expect(pg.locator("ul.mentions li.corrected")).to_contain_text("was CSTO")
        with pg.expect_navigation():
            pg.locator("ul.mentions li", has_text="Russia").locator('button.rv[data-reason="not an actor"]').click()
        expect(pg.locator("ul.mentions li.rejected")).to_contain_text("Russia")
        app_of(server).state.web.shared.close()
    with Store(db, read_only=True) as store:
        found = reviews.article_targets(store, "a")
        mentions = {(t["extracted"]["text"], t["status"]) for t in found["mention"] if t["status"]}
        assert mentions == {("CSTO", "corrected"), ("Russia", "rejected")}
        accuse = next(t for t in found["event"] if t["record_event"] == "ev2")
        assert accuse["status"] is None and accuse["values"]["recipient"] == ["UKR"]
        assert [r["action"] for r in reviews.history(store, "event", accuse["key"])] == ["edit", "undo"]
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
