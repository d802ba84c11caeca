"""Property-based requests against the API's own OpenAPI schema (schemathesis): no
request the schema allows, or nearly allows, makes the server fail (no 5xx), and every
error has the one error shape. Bounded to a few examples per operation to stay fast.

Two servers: a read-only one, and one with the API token set whose requests carry the
token (so POST /api/articles extracts and stores what schemathesis makes up). Each store is
written directly with SPEC-shaped records (no extractor), with SQL enabled so that endpoint
is exercised too."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

import schemathesis  # the [test] extra installs it: missing is an error, not a skip
from hypothesis import HealthCheck, settings  # noqa: E402

from conftest import make_entity, make_event, make_record  # noqa: E402
from entente.store import Store  # noqa: E402
from entente.web.app import create_app  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402


def error_shape(ctx, response, case):
    """Every 4xx of the API answers ``{"error": {"status", "message", "detail"}}``."""
    if 400 <= response.status_code < 500:
        body = response.json()
        assert set(body) == {"error"}, body
        assert body["error"]["status"] == response.status_code, body
        assert isinstance(body["error"]["message"], str), body


TOKEN = "schemathesis-token"


def api_schema(token: str = ""):
    """The schema of an app over a small store written here (built when the module loads:
    schemathesis makes one test per API operation from it)."""
    db = Path(tempfile.mkdtemp(prefix="entente-schemathesis-")) / "s.duckdb"
    with Store(db) as store:
        for i, (kind, actors, recipients) in enumerate([("CONSULT", ["SRB"], ["CSTO"]),
                                                         ("ACCUSE", ["RUS", "CHN"], ["USA"]),
                                                         ("ASSAULT", [], ["SYR"])]):
            store.write_record(make_record(
                f"a{i}", [make_event(kind, actors, recipients, date=f"2017-09-2{i}", place=("Moscow", "RUS"))],
                [make_entity("e1", "person", "Aleksandar Vulin", affiliation="SRB", office="Defense Minister"),
                 make_entity("e2", "named_event", "Vzaimodeistvoye 2017", type="exercise", organizer="CSTO")]))
    app = create_app(db, settings={"api_token": token, "sql_enabled": True})
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


schema = api_schema()
token_schema = api_schema(TOKEN)


@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_web_schemathesis_no_server_error(case):
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error, error_shape])


@token_schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_web_schemathesis_token_server_no_server_error(case):
    """The server that writes: every operation with the token (posted articles are
    extracted and stored), none of them answering 5xx."""
    response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
    case.validate_response(response, checks=[not_a_server_error, error_shape])
