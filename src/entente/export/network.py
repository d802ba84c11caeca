"""The actor network for Gephi, as GEXF 1.3 or GraphML (standard-library XML only).

Nodes are actors (codes) that take part in at least one event, labelled with their usual
name, with their kind and event count. Edges join the parties of each merged event, one
edge per (source, target, PLOVER type), weighted by the number of events; they carry the
type, its PLOVER quad and its polarity (``cooperation`` or ``conflict``), and the number
of source articles behind them.

- An event with recipients gives a directed edge from each actor to each recipient.
- An event with actors only (a phone call, a meeting without a host) gives undirected
  edges between its actors.
- An event with no actor (an attack by nobody named) gives no edge.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from pathlib import Path

from ..record import QUAD
from ..store import queries

GEXF_NS = "http://gexf.net/1.3"
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def polarity(event_type: str) -> str:
    """``cooperation`` or ``conflict``, from the PLOVER quad of a type."""
    return "conflict" if QUAD.get(event_type, "").endswith("conflict") else "cooperation"


@dataclass
class Edge:
    source: str
    target: str
    directed: bool
    type: str
    weight: int = 0       # events
    sources: int = 0      # source articles, summed over the events

    @property
    def quad(self) -> str:
        return QUAD.get(self.type, "")

    @property
    def polarity(self) -> str:
        return polarity(self.type)


def actor_network(store) -> tuple[list[dict], list[Edge]]:
    """(nodes, edges) of the store's actor network; see the module doc."""
    edges: dict[tuple, Edge] = {}
    rows = store.execute(
        "SELECT e.type, e.n_sources,"
        " list(p.code ORDER BY p.code) FILTER (WHERE p.role = 'actor') AS actors,"
        " list(p.code ORDER BY p.code) FILTER (WHERE p.role = 'recipient') AS recipients"
        " FROM events e JOIN event_participants p ON p.event = e.id GROUP BY e.id, e.type, e.n_sources"
        " ORDER BY e.id").fetchall()
    for event_type, n_sources, actors, recipients in rows:
        actors, recipients = actors or [], recipients or []
        if recipients:
            pairs = [(a, r, True) for a in actors for r in recipients]
        else:
            pairs = [(a, b, False) for a, b in combinations(sorted(set(actors)), 2)]
        for source, target, directed in pairs:
            key = (source, target, directed, event_type)
            edge = edges.setdefault(key, Edge(source, target, directed, event_type))
            edge.weight += 1
            edge.sources += n_sources
    in_edges = {e.source for e in edges.values()} | {e.target for e in edges.values()}
    nodes = [a for a in queries.actors(store) if a["n_events"] > 0 or a["code"] in in_edges]
    known = {n["code"] for n in nodes}
    nodes += [{"code": c, "name": None, "kind": None, "n_events": 0} for c in sorted(in_edges - known)]
    return nodes, sorted(edges.values(), key=lambda e: (e.source, e.target, e.type, e.directed))


NODE_ATTRS = (("kind", "string"), ("events", "integer"))
EDGE_ATTRS = (("type", "string"), ("quad", "string"), ("polarity", "string"), ("sources", "integer"))


def _node_values(node: dict) -> dict:
    return {"kind": node.get("kind") or "", "events": node.get("n_events") or 0}


def _edge_values(edge: Edge) -> dict:
    return {"type": edge.type, "quad": edge.quad, "polarity": edge.polarity, "sources": edge.sources}


def _write(root: ET.Element, path: str | Path) -> None:
    tree = ET.ElementTree(root)
    ET.indent(tree)
    tree.write(str(path), encoding="utf-8", xml_declaration=True)


def write_gexf(store, path: str | Path) -> int:
    """Write the actor network as GEXF 1.3; returns the number of edges."""
    nodes, edges = actor_network(store)
    ET.register_namespace("", GEXF_NS)
    q = lambda tag: f"{{{GEXF_NS}}}{tag}"  # noqa: E731
    root = ET.Element(q("gexf"), {"version": "1.3"})
    meta = ET.SubElement(root, q("meta"), {"lastmodifieddate": date.today().isoformat()})
    ET.SubElement(meta, q("creator")).text = "Entente"
    ET.SubElement(meta, q("description")).text = \
        "Actor network: edges typed by PLOVER event type, weighted by event counts"
    graph = ET.SubElement(root, q("graph"), {"mode": "static", "defaultedgetype": "directed"})
    for cls, attrs in (("node", NODE_ATTRS), ("edge", EDGE_ATTRS)):
        block = ET.SubElement(graph, q("attributes"), {"class": cls, "mode": "static"})
        for i, (title, kind) in enumerate(attrs):
            ET.SubElement(block, q("attribute"), {"id": str(i), "title": title, "type": kind})
    xml_nodes = ET.SubElement(graph, q("nodes"))
    for node in nodes:
        el = ET.SubElement(xml_nodes, q("node"), {"id": node["code"], "label": node.get("name") or node["code"]})
        values = ET.SubElement(el, q("attvalues"))
        for i, (title, _) in enumerate(NODE_ATTRS):
            ET.SubElement(values, q("attvalue"), {"for": str(i), "value": str(_node_values(node)[title])})
    xml_edges = ET.SubElement(graph, q("edges"))
    for n, edge in enumerate(edges):
        el = ET.SubElement(xml_edges, q("edge"), {
            "id": str(n), "source": edge.source, "target": edge.target, "kind": edge.type,
            "type": "directed" if edge.directed else "undirected", "weight": str(edge.weight),
            "label": edge.type})
        values = ET.SubElement(el, q("attvalues"))
        for i, (title, _) in enumerate(EDGE_ATTRS):
            ET.SubElement(values, q("attvalue"), {"for": str(i), "value": str(_edge_values(edge)[title])})
    _write(root, path)
    return len(edges)


def write_graphml(store, path: str | Path) -> int:
    """Write the actor network as GraphML; returns the number of edges."""
    nodes, edges = actor_network(store)
    ET.register_namespace("", GRAPHML_NS)
    q = lambda tag: f"{{{GRAPHML_NS}}}{tag}"  # noqa: E731
    types = {"string": "string", "integer": "int"}
    root = ET.Element(q("graphml"))
    ET.SubElement(root, q("key"), {"id": "label", "for": "node", "attr.name": "label", "attr.type": "string"})
    for title, kind in NODE_ATTRS:
        ET.SubElement(root, q("key"), {"id": f"n_{title}", "for": "node", "attr.name": title,
                                       "attr.type": types[kind]})
    ET.SubElement(root, q("key"), {"id": "weight", "for": "edge", "attr.name": "weight", "attr.type": "double"})
    for title, kind in EDGE_ATTRS:
        ET.SubElement(root, q("key"), {"id": f"e_{title}", "for": "edge", "attr.name": title,
                                       "attr.type": types[kind]})
    graph = ET.SubElement(root, q("graph"), {"id": "entente", "edgedefault": "directed"})
    for node in nodes:
        el = ET.SubElement(graph, q("node"), {"id": node["code"]})
        ET.SubElement(el, q("data"), {"key": "label"}).text = node.get("name") or node["code"]
        for title, value in _node_values(node).items():
            ET.SubElement(el, q("data"), {"key": f"n_{title}"}).text = str(value)
    for n, edge in enumerate(edges):
        attrs = {"id": f"e{n}", "source": edge.source, "target": edge.target}
        if not edge.directed:
            attrs["directed"] = "false"
        el = ET.SubElement(graph, q("edge"), attrs)
        ET.SubElement(el, q("data"), {"key": "weight"}).text = str(edge.weight)
        for title, value in _edge_values(edge).items():
            ET.SubElement(el, q("data"), {"key": f"e_{title}"}).text = str(value)
    _write(root, path)
    return len(edges)
