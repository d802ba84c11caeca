"""The server against careless and hostile requests (issue 11, findings 4 and 5): bodies
refused by size and by token before they are read, one extraction at a time on posted
articles, the API docs from vendored assets, URLs other than http(s) never made links, ids
of any characters reachable, impossible dates refused with one message everywhere, and
`entente ingest` writing a store while a server shows it."""
from __future__ import annotations

import asyncio
import json
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import fastapi  # noqa: F401  (the [test] extra installs it: missing is an error, not a skip)
from fastapi.testclient import TestClient  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from conftest import make_event, make_record  # noqa: E402
from entente.store import Store  # noqa: E402
from entente.web.app import create_app  # noqa: E402
from entente.web.server import BackgroundServer  # noqa: E402

TOKEN = "s3cret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
#: Ids an article may have: every one must be reachable on the API and the pages.
ODD_IDS = ["a/b", "a/../b", "x?y#z", "100%", "sp ace", "back\\slash", "trailing/", "é-ü", "semi;colon", "a%2Fb"]


@pytest.fixture(scope="module")
def store_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("hygiene") / "h.duckdb"
    with Store(db) as store:
        for i, article_id in enumerate(ODD_IDS):
            store.write_record(make_record(article_id, [make_event("CONSULT", ["SRB"], ["CSTO"], date="2017-09-25")],
                                           title=f"odd id {i}"))
        evil = make_record("evil-url", [make_event("ACCUSE", ["RUS"], ["USA"], date="2017-09-26")], title="evil")
        evil["url"] = "javascript:alert(document.cookie)"
        store.write_record(evil)
        data = make_record("data-url", title="data")
        data["url"] = " DATA:text/html,<script>alert(1)</script>"
        store.write_record(data)
        store.write_record(make_record("good-url", title="good"))  # url https://example.org/good-url
    return db


@pytest.fixture(scope="module")
def client(store_db):
    with TestClient(create_app(store_db, settings={"api_token": TOKEN, "sql_enabled": False})) as c:
        yield c
        c.app.state.web.shared.close()


# -- bodies refused before they are read (finding 4) ------------------------------------------


def _call_asgi(app, method: str, path: str, headers: dict, body_chunks: list[bytes]) -> tuple[int, int, dict]:
    """Call the ASGI app directly; (status, body messages the app pulled, response headers)."""
    pulled = 0
    chunks = list(body_chunks)

    async def receive():
        nonlocal pulled
        pulled += 1
        chunk = chunks.pop(0) if chunks else b""
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "path": path,
             "raw_path": path.encode(), "query_string": b"", "scheme": "http", "server": ("testserver", 80),
             "client": ("127.0.0.1", 1), "root_path": "",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], pulled, {k.decode(): v.decode() for k, v in start["headers"]}


@pytest.mark.parametrize("headers, status", [
    ({"Content-Type": "application/json", "Content-Length": "200000000"}, 401),            # no token
    ({"Content-Type": "application/json", "Content-Length": "200000000",
      "Authorization": "Bearer wrong"}, 401),
    ({"Content-Type": "application/json", "Content-Length": "200000000", **AUTH}, 413),    # token, too long
], ids=["no token", "wrong token", "token but over max_request_bytes"])
def test_web_a_200_mb_post_is_refused_before_its_body_is_read(client, headers, status):
    code, pulled, _ = _call_asgi(client.app, "POST", "/api/articles", headers, [b"x" * 1000] * 5)
    assert code == status
    assert pulled == 0, f"the app read {pulled} body chunks before refusing"


def test_web_a_read_only_server_refuses_a_post_before_reading_it(store_db):
    app = create_app(store_db, settings={"api_token": "", "sql_enabled": False})
    try:
        code, pulled, _ = _call_asgi(app, "POST", "/api/articles",
                                     {"Content-Type": "application/json", "Content-Length": "200000000"}, [b"x"])
        assert (code, pulled) == (403, 0)
    finally:
        app.state.web.shared.close()


def test_web_a_chunked_body_is_cut_off_at_the_limit(store_db):
    app = create_app(store_db, settings={"api_token": TOKEN, "max_request_bytes": 10_000})
    try:
        code, pulled, headers = _call_asgi(app, "POST", "/api/articles",
                                           {"Content-Type": "application/json", **AUTH}, [b"x" * 4000] * 50)
        assert code == 413 and pulled == 3 and headers.get("connection") == "close"
    finally:
        app.state.web.shared.close()


def test_web_a_real_socket_gets_its_answer_without_sending_the_body(store_db):
    """Over TCP: headers announcing 200 MB, then nothing; the answer comes at once (the old
    server waited for a body it would then read whole)."""
    app = create_app(store_db, settings={"api_token": TOKEN})
    with BackgroundServer(app) as server:
        with socket.create_connection((server.host, server.port), timeout=10) as sock:
            sock.sendall(b"POST /api/articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 200000000\r\n\r\n" + b"{" * 1000)
            answer = b""
            while b'"error"' not in answer and (chunk := sock.recv(4096)):
                answer += chunk
            answer = answer.decode("latin-1")
    app.state.web.shared.close()
    assert answer.startswith("HTTP/1.1 401"), answer[:200]
    assert '"error"' in answer


def test_web_posted_articles_are_extracted_one_at_a_time(tmp_path, monkeypatch):
    """Concurrent first posts wait for one build of the pipeline and its indexes: the
    extraction is never entered by two requests at once."""
    import entente.engines.local as local

    real = local.extract_chunk
    inside, most = 0, 0
    guard = threading.Lock()

    def counting(chunk, **kw):
        nonlocal inside, most
        with guard:
            inside += 1
            most = max(most, inside)
        try:
            time.sleep(0.2)
            return real(chunk, **kw)
        finally:
            with guard:
                inside -= 1

    monkeypatch.setattr(local, "extract_chunk", counting)
    db = tmp_path / "p.duckdb"
    Store(db).close()
    app = create_app(db, settings={"api_token": TOKEN})
    with BackgroundServer(app) as server:
        import httpx

        answers: list[int] = []

        def post(i: int) -> None:
            r = httpx.post(server.url + "/api/articles", headers=AUTH, timeout=120,
                           json={"id": f"p{i}", "text": f"Serbia and Hungary signed a trade agreement on day {i}."})
            answers.append(r.status_code)

        threads = [threading.Thread(target=post, args=(i,)) for i in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    app.state.web.shared.close()
    assert answers == [201] * 5
    assert most == 1


# -- the API docs, offline ----------------------------------------------------------------------


def test_web_api_docs_come_from_this_server(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets and all(a.startswith("/") for a in assets), assets
    assert "<script>" not in page.text.replace("<script src", "")  # no inline script: the CSP forbids it
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert "script-src 'self'" in page.headers["content-security-policy"]


# -- links and ids (finding 5) ------------------------------------------------------------------


@pytest.mark.parametrize("article_id, shown", [("evil-url", "javascript:"), ("data-url", "DATA:text/html")])
def test_web_urls_other_than_http_are_shown_not_linked(client, article_id, shown):
    page = client.get(f"/articles/{article_id}").text
    assert shown in page                                  # stored and shown ...
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert not [h for h in hrefs if not h.startswith(("/", "#", "http://", "https://"))], hrefs  # ... never a link
    assert client.get(f"/api/articles/{article_id}").json()["article"]["url"].strip().lower().startswith(
        ("javascript:", "data:"))


def test_web_an_http_url_is_a_link(client):
    assert 'href="https://example.org/good-url"' in client.get("/articles/good-url").text


@pytest.fixture(scope="module")
def http(client):
    """A real server over the same app (the test client decodes a path twice: ``%252F``
    would reach the app as ``/``)."""
    import httpx

    with BackgroundServer(client.app) as server, httpx.Client(base_url=server.url, timeout=30) as session:
        yield session


@pytest.mark.parametrize("article_id", ODD_IDS)
def test_web_ids_of_any_characters_are_reachable(http, article_id):
    from urllib.parse import quote

    path = quote(article_id, safe="")
    assert http.get(f"/api/articles/{path}").json()["article"]["id"] == article_id
    page = http.get(f"/articles/{path}")
    assert page.status_code == 200 and "odd id" in page.text


def test_web_every_link_of_the_pages_leads_somewhere(http):
    """Every link on /articles and / (events, with their sources), followed as a browser
    would (dot segments resolved), answers 200."""
    from urllib.parse import urljoin, urlsplit

    seen = set()
    for start in ("/articles", "/"):
        page = http.get(start).text
        for href in re.findall(r'href="([^"#]*)', page):
            href = href.replace("&amp;", "&")
            if not href or href.startswith("http") or href in seen:
                continue
            seen.add(href)
            target = urlsplit(urljoin("http://testserver" + start, href))
            url = target.path + (f"?{target.query}" if target.query else "")
            assert http.get(url).status_code == 200, (start, href, url)
    assert sum(1 for h in seen if h.startswith("/articles/")) >= len(ODD_IDS)


# -- impossible dates, everywhere ---------------------------------------------------------------

BAD_FILTERS = [({"since": "2017-13-45"}, "there is no month 13"), ({"until": "2017-13"}, "there is no month 13"),
               ({"since": "2017-02-30"}, "2017-02 has 28 days"), ({"since": "０２０１７"}, "not ASCII digits"),
               ({"until": "２０１７-０９"}, "not ASCII digits"), ({"since": "yesterday"}, "YYYY, YYYY-MM or YYYY-MM-DD")]


@pytest.mark.parametrize("params, says", BAD_FILTERS)
@pytest.mark.parametrize("path", ["/api/events", "/api/network", "/api/map", "/api/actors/SRB"])
def test_web_api_refuses_impossible_dates(client, path, params, says):
    r = client.get(path, params=params)
    assert r.status_code == 400, r.text
    body = r.json()
    assert set(body) == {"error"} and body["error"]["status"] == 400
    assert says in body["error"]["message"] and "write YYYY" in body["error"]["message"]


@pytest.mark.parametrize("params, says", BAD_FILTERS)
@pytest.mark.parametrize("path", ["/", "/network", "/map"])
def test_web_pages_refuse_impossible_dates(client, path, params, says):
    r = client.get(path, params=params)
    assert r.status_code == 400 and "text/html" in r.headers["content-type"]
    assert says in r.text


@pytest.mark.parametrize("params, says", BAD_FILTERS)
def test_cli_refuses_impossible_dates(store_db, params, says):
    from entente.cli import app

    (name, value), = params.items()
    result = CliRunner().invoke(app, ["events", f"--{name}", value, "--db", str(store_db)])
    assert result.exit_code == 1 and says in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("date, status, says", [
    ("2017-13-45", 400, "there is no month 13"), ("2017-02-30", 400, "2017-02 has 28 days"),
    ("0000-00-00", 400, "no year 0000"), ("２０１７-０９-２７", 400, "not ASCII digits"),
    ("2017-09-27", 201, None)])
def test_web_post_article_refuses_impossible_dates(client, date, status, says):
    r = client.post("/api/articles", headers=AUTH, json={"id": f"dated-{date}", "date": date,
                                                          "text": f"Serbia thanked Hungary for its support ({date})."})
    assert r.status_code == status, r.text
    if says:
        assert set(r.json()) == {"error"} and says in r.json()["error"]["message"]


def test_web_post_article_refuses_a_lone_surrogate_and_a_long_text(store_db):
    app = create_app(store_db, settings={"api_token": TOKEN, "max_article_bytes": 2000})
    with TestClient(app) as c:
        surrogate = c.post("/api/articles", headers={**AUTH, "Content-Type": "application/json"},
                           content=b'{"id": "s", "text": "Serbia \\ud800 met CSTO."}')
        long = c.post("/api/articles", headers=AUTH, json={"id": "long", "text": "NATO met. " * 500})
        listed = {a["id"] for a in c.get("/api/articles").json()["articles"]}
    app.state.web.shared.close()
    # pydantic refuses the string itself (422), before the readers' check would (400)
    assert surrogate.status_code in (400, 422) and set(surrogate.json()) == {"error"}
    assert "unicode" in surrogate.json()["error"]["message"] or "surrogate" in surrogate.json()["error"]["message"]
    assert long.status_code == 413 and set(long.json()) == {"error"}
    assert not {"s", "long"} & listed


# -- ingest while serving -----------------------------------------------------------------------


def test_ingest_adds_articles_while_the_server_shows_the_store(tmp_path):
    """`entente ingest` (another process) writes the store while a server shows it; the
    server answers throughout and shows the new article once the ingest is done."""
    import httpx

    db = tmp_path / "live.duckdb"
    with Store(db) as store:
        store.write_record(make_record("first", [make_event("CONSULT", ["SRB"], ["CSTO"], date="2017-09-25")]))
    news = tmp_path / "news.jsonl"
    news.write_text(json.dumps({"id": "second", "date": "2017-09-28",
                                "text": "Serbia and Hungary signed a trade agreement in Belgrade."}) + "\n")
    app = create_app(db, settings={"api_token": ""})
    app.state.web.shared.refresh_seconds = 0.2
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        assert [a["id"] for a in http.get("/api/articles").json()["articles"]] == ["first"]
        ingest = subprocess.Popen([sys.executable, "-c", "from entente.cli import main; main()", "ingest", str(news),
                                   "--db", str(db), "--workers", "1", "--quiet"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        statuses = []
        while ingest.poll() is None:      # the server keeps answering while the ingest runs
            statuses.append(http.get("/api/events").status_code)
            time.sleep(0.05)
        out, err = ingest.communicate()
        assert ingest.returncode == 0, err
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            ids = {a["id"] for a in http.get("/api/articles").json()["articles"]}
            if "second" in ids:
                break
            time.sleep(0.1)
    app.state.web.shared.close()
    assert ids == {"first", "second"}
    assert statuses and set(statuses) == {200}
