"""The SQL endpoint never writes: on a server with a token set (so that POST /api/articles
can write), every write form that DuckDB can hide in a SELECT, and every other statement,
is refused and leaves the store as it was (checked in the store file afterwards). It takes
POST only (a GET can be fired by any page on the web), and stops a query that runs too long."""
from __future__ import annotations

import pytest

import fastapi  # noqa: F401  (the [test] extra installs it: missing is an error, not a skip)
from fastapi.testclient import TestClient  # noqa: E402

from entente.store import Store  # noqa: E402
from entente.web.app import create_app  # noqa: E402

TOKEN = "s3cret"

WRITES = [
    "WITH x AS (UPDATE articles SET title = 'PWNED' RETURNING id) SELECT count(*) FROM x",
    "WITH x AS (DELETE FROM articles RETURNING id) SELECT count(*) FROM x",
    "WITH x AS (INSERT INTO failures VALUES ('evil', 1, 'x', NULL, now()) RETURNING source) SELECT count(*) FROM x",
    "SELECT nextval('event_ids')",
    "UPDATE articles SET title = 'PWNED'",
    "DELETE FROM articles",
    "INSERT INTO failures VALUES ('evil', 1, 'x', NULL, now())",
    "CREATE TABLE evil AS SELECT 1 AS x",
    "CREATE TEMP TABLE evil AS SELECT 1 AS x",
    "CREATE SEQUENCE evil",
    "DROP TABLE failures",
    "ALTER TABLE articles ADD COLUMN evil INTEGER",
    "COPY articles TO '/tmp/entente-evil.csv'",
    "SELECT * FROM read_csv('/etc/hostname')",
    "ATTACH '/tmp/entente-evil.duckdb' AS evil",
    "PRAGMA enable_profiling",
    "SET memory_limit = '100GB'",
    "SET enable_external_access = true",
    "CALL checkpoint()",
    "SELECT 1; UPDATE articles SET title = 'PWNED'",
    "CHECKPOINT",
    "VACUUM",
    "INSTALL httpfs",
    "LOAD httpfs",
    "EXPORT DATABASE '/tmp/entente-evil'",
]


def _snapshot(path) -> tuple:
    with Store(path, read_only=True) as store:
        titles = store.execute("SELECT id, title FROM articles ORDER BY id").fetchall()
        tables = store.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()
        columns = store.execute("SELECT count(*) FROM information_schema.columns").fetchone()
        failures = store.execute("SELECT count(*) FROM failures").fetchone()
        return titles, tables, columns, failures, store.counts()


@pytest.fixture(scope="module")
def server_db(tmp_path_factory, ):
    from test_web_api import build_store

    return build_store(tmp_path_factory.mktemp("sql"))


@pytest.fixture(scope="module")
def token_client(server_db):
    with TestClient(create_app(server_db, settings={"api_token": TOKEN, "sql_enabled": True,
                                                     "sql_timeout": 1})) as c:
        yield c
        c.app.state.web.shared.close()


@pytest.mark.parametrize("sql", WRITES)
@pytest.mark.parametrize("headers", [{}, {"Authorization": f"Bearer {TOKEN}"}], ids=["no token", "token"])
def test_web_sql_refuses_every_write(token_client, server_db, sql, headers):
    before = _snapshot_through(token_client)
    response = token_client.post("/api/sql", json={"q": sql}, headers=headers)
    assert response.status_code == 400, response.text
    assert set(response.json()) == {"error"}
    assert _snapshot_through(token_client) == before


def _snapshot_through(client) -> tuple:
    """The store as the server's own read-only connection sees it."""
    with client.app.state.web.shared.reading() as r:
        return (r.execute("SELECT id, title FROM articles ORDER BY id").fetchall(),
                r.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall(),
                r.execute("SELECT count(*) FROM information_schema.columns").fetchone(),
                r.counts())


def test_web_sql_store_file_unchanged_after_every_write_attempt(tmp_path):
    """The same forms on a server of its own; then the file itself, opened afresh, is as before."""
    from test_web_api import build_store

    db = build_store(tmp_path)
    before = _snapshot(db)
    with TestClient(create_app(db, settings={"api_token": TOKEN, "sql_enabled": True})) as c:
        for sql in WRITES:
            assert c.post("/api/sql", json={"q": sql}).status_code == 400, sql
        c.app.state.web.shared.close()
    assert _snapshot(db) == before


def test_web_sql_answers_a_select(token_client):
    response = token_client.post("/api/sql", json={"q": "SELECT count(*) AS n FROM articles", "limit": 5})
    assert response.status_code == 200, response.text
    assert response.json()["columns"] == ["n"] and response.json()["rows"][0][0] >= 1


PRIVATE_READS = [
    "SELECT * FROM reviewers",
    'SELECT token_hash, token_salt FROM main."Reviewers"',
    "SELECT * FROM (SELECT * FROM reviewers) r",
    "WITH r AS (SELECT * FROM reviewers) SELECT * FROM r",
    "SELECT name FROM events WHERE EXISTS (SELECT 1 FROM reviewers)",
    "SELECT * FROM articles UNION ALL SELECT * FROM reviewers",
    "FROM reviewers",
    "SELECT * FROM query_table('reviewers')",
    "SELECT * FROM query('SELECT * FROM reviewers')",
]


@pytest.mark.parametrize("sql", PRIVATE_READS)
def test_web_sql_does_not_show_the_reviewers_token_hashes(token_client, sql):
    response = token_client.post("/api/sql", json={"q": sql})
    assert response.status_code == 400, response.text
    assert set(response.json()) == {"error"} and "token" not in response.json().get("rows", "")


def test_web_sql_reads_the_reviews_and_the_schema(token_client):
    """The reviews themselves and the list of tables stay readable."""
    for sql in ("SELECT count(*) FROM reviews", "SELECT table_name FROM information_schema.tables"):
        response = token_client.post("/api/sql", json={"q": sql})
        assert response.status_code == 200, (sql, response.text)


def test_web_sql_takes_no_get(token_client):
    response = token_client.get("/api/sql", params={"q": "SELECT 1"})
    assert response.status_code == 405 and set(response.json()) == {"error"}


def test_web_sql_wants_json(token_client):
    response = token_client.post("/api/sql", content='{"q": "SELECT 1"}', headers={"Content-Type": "text/plain"})
    assert response.status_code in (415, 422) and set(response.json()) == {"error"}


def test_web_sql_stops_a_long_query(token_client):
    response = token_client.post("/api/sql", json={"q": "SELECT sum(a.i * b.i) FROM range(200000) a(i), range(200000) b(i)"})
    assert response.status_code == 400
    assert "sql_timeout" in response.json()["error"]["message"]


def test_web_post_article_still_writes_and_reads_go_on(tmp_path):
    """With a token, a posted article is written (the store reopened read-write for the
    moment of the write) and the next read sees it, while SQL stays read-only."""
    from test_web_api import MARKUP_ARTICLE

    db = tmp_path / "w.duckdb"
    Store(db).close()
    with TestClient(create_app(db, settings={"api_token": TOKEN, "sql_enabled": True})) as c:
        made = c.post("/api/articles", json={**MARKUP_ARTICLE, "id": "posted"},
                      headers={"Authorization": f"Bearer {TOKEN}"})
        assert made.status_code == 201, made.text
        assert c.post("/api/sql", json={"q": "SELECT count(*) FROM articles"}).json()["rows"] == [[1]]
        assert c.post("/api/sql", json={"q": WRITES[1]}).status_code == 400
        assert c.get("/api/articles/posted").status_code == 200
        c.app.state.web.shared.close()
