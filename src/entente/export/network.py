"""The actor network, built once for every face (the network page, ``/api/network``, the
GEXF and GraphML exports for Gephi), and its writers (standard-library XML only).

Nodes are actors (codes) that take part in at least one event, labelled with their usual
name, with their kind and event count. The edges of one event (:func:`event_edges`, the one
rule):

- an event with recipients gives a directed edge from each actor to each recipient;
- an event with actors only (a phone call, a meeting without a host) gives undirected
  edges between its actors;
- an event with no actor (an attack by nobody named) gives no edge, and neither does an
  actor that is its own recipient.

:class:`Network` holds them twice over: ``edges``, one per (source, target, direction,
PLOVER type), weighted by events, with the type's quad and polarity, the number of source
articles behind them and the days they span (``start``, ``end``: what Gephi gets); and
``pairs``, one per pair of actors whatever the direction, with its events split into
cooperation and conflict (what the page draws).

The GEXF and GraphML files are directed graphs that ``networkx.read_gexf`` /
``read_graphml`` load: an undirected edge (a meeting without a host) is written as two
directed edges marked ``symmetric``. The GEXF is dynamic (``timeformat="date"``): every
edge with a dated event has ``start`` and ``end``, the first and last day of its events,
for Gephi's timeline.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Iterable

from ..record import QUAD
from ..store import queries

GEXF_NS = "http://gexf.net/1.3"
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def polarity(event_type: str | None) -> str:
    """``cooperation`` or ``conflict``, from the PLOVER quad of a type."""
    return "conflict" if QUAD.get(event_type or "", "").endswith("conflict") else "cooperation"


@dataclass
class Edge:
    source: str
    target: str
    directed: bool
    type: str
    weight: int = 0       # events
    sources: int = 0      # source articles, summed over the events
    start: str | None = None   # first day of its dated events (YYYY-MM-DD)
    end: str | None = None     # last day of its dated events

    @property
    def quad(self) -> str:
        return QUAD.get(self.type, "")

    @property
    def polarity(self) -> str:
        return polarity(self.type)


@dataclass
class Network:
    """Nodes (``{code, name, kind, events}``, most active first), typed edges and pairs (see
    the module doc), how many events they were built from and whether the events were cut
    at a limit."""

    nodes: list[dict] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    pairs: list[dict] = field(default_factory=list)
    events: int = 0
    truncated: bool = False


def event_edges(actors: Iterable[str], recipients: Iterable[str]) -> list[tuple[str, str, bool]]:
    """The (source, target, directed) edges of one event (the rule in the module doc)."""
    actors, recipients = sorted(set(actors)), sorted(set(recipients))
    if recipients:
        return [(a, r, True) for a in actors for r in recipients if a != r]
    return [(a, b, False) for a, b in combinations(actors, 2)]


def build_network(events: Iterable[dict], labels: dict[str, dict] | None = None) -> Network:
    """The network of events given as ``{event, n_sources, actors, recipients}`` (as
    :func:`entente.store.queries.network_events` gives them); ``labels`` names the nodes
    (``{code: {"name", "kind"}}``)."""
    edges: dict[tuple, Edge] = {}
    pairs: dict[tuple[str, str], dict] = {}
    degree: Counter[str] = Counter()
    count = 0
    for ev in events:
        count += 1
        event_type, n_sources = ev["event"], ev.get("n_sources") or 0
        first_day, last_day = ev.get("date_start"), ev.get("date_end") or ev.get("date_start")
        found = event_edges(ev["actors"], ev["recipients"])
        for source, target, directed in found:
            edge = edges.setdefault((source, target, directed, event_type), Edge(source, target, directed, event_type))
            edge.weight += 1
            edge.sources += n_sources
            if first_day:
                edge.start = min(edge.start or first_day, first_day)
                edge.end = max(edge.end or last_day, last_day)
        for a, b in {tuple(sorted((s, t))) for s, t, _ in found}:   # a pair counts an event once
            pair = pairs.setdefault((a, b), {"source": a, "target": b, "weight": 0, "cooperation": 0,
                                             "conflict": 0, "types": Counter()})
            pair["weight"] += 1
            pair[polarity(event_type)] += 1
            pair["types"][event_type] += 1
        for code in set(ev["actors"]) | set(ev["recipients"]):
            degree[code] += 1
    labels = labels or {}
    nodes = [{"code": code, "name": (labels.get(code) or {}).get("name"), "kind": (labels.get(code) or {}).get("kind"),
              "events": n} for code, n in sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))]
    out_pairs = []
    for pair in sorted(pairs.values(), key=lambda p: (-p["weight"], p["source"], p["target"])):
        pair["types"] = dict(sorted(pair["types"].items()))
        pair["polarity"] = "conflict" if pair["conflict"] > pair["cooperation"] else "cooperation"
        out_pairs.append(pair)
    return Network(nodes=nodes, edges=sorted(edges.values(), key=lambda e: (e.source, e.target, e.type, e.directed)),
                   pairs=out_pairs, events=count)


def load_network(store, *, limit: int | None = None, **filters) -> Network:
    """The network of the store's events under :func:`entente.store.queries.events`' filters
    (the first ``limit`` by date; ``truncated`` says whether there were more), nodes named."""
    found = queries.network_events(store, limit=None if limit is None else limit + 1, **filters)
    truncated = limit is not None and len(found) > limit
    found = found[:limit] if limit is not None else found
    codes = {c for ev in found for c in (*ev["actors"], *ev["recipients"])}
    network = build_network(found, queries.actor_labels(store, codes))
    network.truncated = truncated
    return network


def actor_network(store, **filters) -> tuple[list[dict], list[Edge]]:
    """(nodes, typed edges) of the actor network of the store's events under
    :func:`entente.store.queries.events`' filters (all of them by default, as reviewed:
    ``reviewed="all"`` with the rejected ones too; the exports')."""
    filters.pop("order", None)
    filters.pop("reports", None)
    network = load_network(store, **filters)
    return network.nodes, network.edges


def directed_edges(edges: list[Edge]) -> list[tuple[Edge, str, str, bool]]:
    """(edge, source, target, symmetric) for a directed file: an undirected edge twice, once
    each way, marked symmetric."""
    out = []
    for edge in edges:
        if edge.directed:
            out.append((edge, edge.source, edge.target, False))
        else:
            out += [(edge, edge.source, edge.target, True), (edge, edge.target, edge.source, True)]
    return out


NODE_ATTRS = (("kind", "string"), ("events", "integer"))
EDGE_ATTRS = (("type", "string"), ("quad", "string"), ("polarity", "string"), ("sources", "integer"),
              ("symmetric", "boolean"))


def _node_values(node: dict) -> dict:
    return {"kind": node.get("kind") or "", "events": node.get("events") or 0}


def _edge_values(edge: Edge, symmetric: bool) -> dict:
    return {"type": edge.type, "quad": edge.quad, "polarity": edge.polarity, "sources": edge.sources,
            "symmetric": "true" if symmetric else "false"}


def _write(root: ET.Element, path: str | Path) -> None:
    tree = ET.ElementTree(root)
    ET.indent(tree)
    tree.write(str(path), encoding="utf-8", xml_declaration=True)


def write_gexf(store, path: str | Path, **filters) -> int:
    """Write the actor network (of the events of ``filters``, as reviewed) as dynamic GEXF 1.3;
    returns the number of edges written (an undirected one counts twice: see the module doc)."""
    nodes, edges = actor_network(store, **filters)
    ET.register_namespace("", GEXF_NS)
    q = lambda tag: f"{{{GEXF_NS}}}{tag}"  # noqa: E731
    root = ET.Element(q("gexf"), {"version": "1.3"})
    meta = ET.SubElement(root, q("meta"), {"lastmodifieddate": date.today().isoformat()})
    ET.SubElement(meta, q("creator")).text = "Entente"
    ET.SubElement(meta, q("description")).text = \
        "Actor network: edges typed by PLOVER event type, weighted by event counts"
    graph = ET.SubElement(root, q("graph"), {"mode": "dynamic", "defaultedgetype": "directed", "timeformat": "date"})
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
    written = directed_edges(edges)
    for n, (edge, source, target, symmetric) in enumerate(written):
        attrs = {"id": str(n), "source": source, "target": target, "kind": edge.type, "type": "directed",
                 "weight": str(edge.weight), "label": edge.type}
        if edge.start:
            attrs.update(start=edge.start, end=edge.end or edge.start)
        el = ET.SubElement(xml_edges, q("edge"), attrs)
        values = ET.SubElement(el, q("attvalues"))
        for i, (title, _) in enumerate(EDGE_ATTRS):
            ET.SubElement(values, q("attvalue"), {"for": str(i), "value": str(_edge_values(edge, symmetric)[title])})
    _write(root, path)
    return len(written)


def write_graphml(store, path: str | Path, **filters) -> int:
    """Write the actor network (of the events of ``filters``, as reviewed) as GraphML; returns
    the number of edges written (an undirected one counts twice: see the module doc)."""
    nodes, edges = actor_network(store, **filters)
    ET.register_namespace("", GRAPHML_NS)
    q = lambda tag: f"{{{GRAPHML_NS}}}{tag}"  # noqa: E731
    types = {"string": "string", "integer": "int", "boolean": "boolean"}
    root = ET.Element(q("graphml"))
    ET.SubElement(root, q("key"), {"id": "label", "for": "node", "attr.name": "label", "attr.type": "string"})
    for title, kind in NODE_ATTRS:
        ET.SubElement(root, q("key"), {"id": f"n_{title}", "for": "node", "attr.name": title,
                                       "attr.type": types[kind]})
    ET.SubElement(root, q("key"), {"id": "weight", "for": "edge", "attr.name": "weight", "attr.type": "double"})
    for title, kind in EDGE_ATTRS:
        ET.SubElement(root, q("key"), {"id": f"e_{title}", "for": "edge", "attr.name": title,
                                       "attr.type": types[kind]})
    for title in ("start", "end"):
        ET.SubElement(root, q("key"), {"id": f"e_{title}", "for": "edge", "attr.name": title, "attr.type": "string"})
    graph = ET.SubElement(root, q("graph"), {"id": "entente", "edgedefault": "directed"})
    for node in nodes:
        el = ET.SubElement(graph, q("node"), {"id": node["code"]})
        ET.SubElement(el, q("data"), {"key": "label"}).text = node.get("name") or node["code"]
        for title, value in _node_values(node).items():
            ET.SubElement(el, q("data"), {"key": f"n_{title}"}).text = str(value)
    written = directed_edges(edges)
    for n, (edge, source, target, symmetric) in enumerate(written):
        el = ET.SubElement(graph, q("edge"), {"id": f"e{n}", "source": source, "target": target})
        ET.SubElement(el, q("data"), {"key": "weight"}).text = str(edge.weight)
        for title, value in _edge_values(edge, symmetric).items():
            ET.SubElement(el, q("data"), {"key": f"e_{title}"}).text = str(value)
        if edge.start:
            ET.SubElement(el, q("data"), {"key": "e_start"}).text = edge.start
            ET.SubElement(el, q("data"), {"key": "e_end"}).text = edge.end or edge.start
    _write(root, path)
    return len(written)
