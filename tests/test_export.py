"""Exports: PLOVER JSONL, ICEWS-shaped CSV/TSV, Parquet, GEXF and GraphML (records written
directly through the store, so nothing here depends on the extractor)."""
from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

import duckdb
import pytest
from typer.testing import CliRunner

from entente.export import export
from entente.export.icews import COLUMNS
from entente.export.network import GEXF_NS, GRAPHML_NS, actor_network
from entente.store import Store

from conftest import make_event, make_record


def fill(store: Store) -> Store:
    meeting = dict(date="2017-09-25", place=("Moscow", "RUS"))
    store.write_record(make_record("a", [make_event("CONSULT", ["SRB"], ["CSTO"], sector="MIL", **meeting),
                                         make_event("ACCUSE", ["RUS", "CHN"], ["USA"], date="2017-09-26"),
                                         make_event("CONSULT", ["RUS", "USA"], [], date="2017-09-27")]))
    store.write_record(make_record("b", [make_event("CONSULT", ["SRB"], ["CSTO"], **meeting),
                                         make_event("ASSAULT", [], ["SYR"], date="2016-04-02")], publisher="TASS"))
    store.write_record(make_record("c", [make_event("CONSULT", ["SRB"], ["CSTO"], date="2017-11-02")]))
    return store


@pytest.fixture
def filled(store):
    return fill(store)


def test_export_plover_one_line_per_merged_event(filled, tmp_path):
    path = tmp_path / "events.jsonl"
    assert export(filled, "plover", path) == 5
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(lines) == 5
    meeting = next(e for e in lines if e["event"] == "CONSULT" and e["date"] == "2017-09-25")
    assert meeting["actor"] == [{"code": "SRB", "sector": "MIL"}]
    assert meeting["recipient"][0]["code"] == "CSTO"
    assert meeting["n_sources"] == 2 and [s["article"] for s in meeting["sources"]] == ["a", "b"]
    assert meeting["event_loc"]["name"] == "Moscow" and meeting["quad"] == "verbal cooperation"
    assert meeting["text_info"]["article"] == "a" and meeting["event_text"] == "met with"


@pytest.mark.parametrize("name,delimiter", [("events.csv", ","), ("events.tsv", "\t")])
def test_export_icews_one_row_per_event(filled, tmp_path, name, delimiter):
    path = tmp_path / name
    assert export(filled, "icews", path) == 5
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=delimiter))
    assert list(rows[0]) == list(COLUMNS)
    accuse = next(r for r in rows if r["PLOVER Type"] == "ACCUSE")
    assert (accuse["Source Name"], accuse["Target Name"], accuse["Event Date"]) == ("CHN;RUS", "USA", "2017-09-26")
    meeting = next(r for r in rows if r["Event Date"] == "2017-09-25")
    assert (meeting["Sources"], meeting["Source Articles"], meeting["City"]) == ("2", "a;b", "Moscow")


def test_export_parquet_nests_participants_and_sources(filled, tmp_path):
    path = tmp_path / "events.parquet"
    assert export(filled, "parquet", path) == 5
    rows = duckdb.sql(f"SELECT event, date, actor, recipient, sources, n_sources FROM '{path}' ORDER BY id").fetchall()
    assert len(rows) == 5
    first = rows[0]
    assert first[0] == "CONSULT" and first[2] == [{"code": "SRB", "sector": "MIL"}]
    assert [s["article"] for s in first[4]] == ["a", "b"] and first[5] == 2


def test_export_network_edges(filled):
    nodes, edges = actor_network(filled)
    assert {n["code"] for n in nodes} == {"SRB", "CSTO", "RUS", "CHN", "USA", "SYR"}
    by_key = {(e.source, e.target, e.type): e for e in edges}
    consult = by_key[("SRB", "CSTO", "CONSULT")]
    assert (consult.weight, consult.sources, consult.directed, consult.polarity) == (2, 3, True, "cooperation")
    assert by_key[("RUS", "USA", "CONSULT")].directed is False         # a meeting without a host
    assert by_key[("CHN", "USA", "ACCUSE")].polarity == "conflict"
    assert by_key[("RUS", "USA", "ACCUSE")].quad == "verbal conflict"
    assert not any(e.type == "ASSAULT" for e in edges)                  # nobody named attacked


def test_export_gexf_for_gephi(filled, tmp_path):
    path = tmp_path / "net.gexf"
    assert export(filled, "gexf", path) == 4
    root = ET.parse(path).getroot()
    ns = {"g": GEXF_NS}
    assert root.tag == f"{{{GEXF_NS}}}gexf" and root.get("version") == "1.3"
    assert len(root.findall(".//g:node", ns)) == 6
    edges = root.findall(".//g:edge", ns)
    srb = next(e for e in edges if e.get("source") == "SRB")
    assert (srb.get("target"), srb.get("weight"), srb.get("type"), srb.get("kind")) == ("CSTO", "2", "directed", "CONSULT")
    titles = {a.get("id"): a.get("title") for a in root.findall(".//g:attributes[@class='edge']/g:attribute", ns)}
    values = {titles[v.get("for")]: v.get("value") for v in srb.findall(".//g:attvalue", ns)}
    assert values == {"type": "CONSULT", "quad": "verbal cooperation", "polarity": "cooperation", "sources": "3"}


def test_export_graphml_for_gephi(filled, tmp_path):
    path = tmp_path / "net.graphml"
    assert export(filled, "graphml", path) == 4
    root = ET.parse(path).getroot()
    ns = {"g": GRAPHML_NS}
    graph = root.find("g:graph", ns)
    assert graph.get("edgedefault") == "directed"
    edges = graph.findall("g:edge", ns)
    undirected = [e for e in edges if e.get("directed") == "false"]
    assert [(e.get("source"), e.get("target")) for e in undirected] == [("RUS", "USA")]
    srb = next(e for e in edges if e.get("source") == "SRB")
    data = {d.get("key"): d.text for d in srb.findall("g:data", ns)}
    assert data["weight"] == "2" and data["e_polarity"] == "cooperation"
    labels = {n.get("id"): n.find("g:data[@key='label']", ns).text for n in graph.findall("g:node", ns)}
    assert labels["SRB"] == "SRB"  # no entity named it: the code is the label


def test_export_empty_store(store, tmp_path):
    for fmt, name in (("plover", "e.jsonl"), ("icews", "e.csv"), ("parquet", "e.parquet"), ("gexf", "n.gexf"),
                      ("graphml", "n.graphml")):
        assert export(store, fmt, tmp_path / name) == 0
        assert (tmp_path / name).exists()


@pytest.mark.parametrize("fmt,name", [("plover", "e.jsonl"), ("icews", "e.tsv"), ("parquet", "e.parquet"),
                                      ("gexf", "n.gexf"), ("graphml", "n.graphml")])
def test_cli_export(tmp_path, fmt, name):
    from entente.cli import app

    db = tmp_path / "s.duckdb"
    with Store(db) as s:
        fill(s)
    result = CliRunner().invoke(app, ["export", "--format", fmt, "-o", str(tmp_path / name), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).stat().st_size > 0


def test_cli_export_needs_a_store(tmp_path):
    from entente.cli import app

    result = CliRunner().invoke(app, ["export", "--format", "plover", "-o", str(tmp_path / "x.jsonl"),
                                      "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "no such store" in result.output


def test_cli_export_while_the_server_reads_the_store(tmp_path):
    """`entente export` opens the store read-only: it works while `entente serve` (this
    process, through the server's read-only SharedStore) has the store open."""
    import subprocess
    import sys

    from entente.store.shared import SharedStore

    db = tmp_path / "s.duckdb"
    with Store(db) as s:
        fill(s)
    shared = SharedStore(db)
    try:
        for fmt, name in (("plover", "e.jsonl"), ("parquet", "e.parquet"), ("gexf", "n.gexf")):
            done = subprocess.run([sys.executable, "-c", "from entente.cli import main; main()", "export",
                                   "--format", fmt, "-o", str(tmp_path / name), "--db", str(db)],
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            assert (tmp_path / name).stat().st_size > 0
        with shared.reading() as reader:
            assert reader.execute("SELECT count(*) FROM events").fetchone()[0] == 5
    finally:
        shared.close()
