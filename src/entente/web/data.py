"""What every page and its JSON show: one context function per page.

Each function takes a reader of the store (:class:`Reader`) and the page's filters and
returns a JSON-ready dict. The API route returns it as it is; the page renders the same
dict with its template (datasette's rule: a page and its JSON come from the same function).

Built on :mod:`entente.store.queries` (every question to the store is asked there; nothing
here runs SQL) and on the one network builder of :mod:`entente.export.network`.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from ..export.network import load_network, polarity
from ..record import EVENT_TYPES, QUAD
from ..store import merge, queries, reviews
from ..store.review_rules import apply_entity_values, apply_event_values
from ..store.shared import StoreReader

QUADS = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
#: Most events a network or a map is drawn from (the first ones of the filter, by date).
GRAPH_EVENT_CAP = 5000
#: Kinds of highlighted spans in an article, outermost first when two cover the same text.
SPAN_RANK = {"hit": -1, "sentence": 0, "named_event": 1, "person": 2, "organization": 3, "state": 3, "group": 3,
             "agency": 3, "location": 4, "time": 5, "trigger": 6, "match": 7}


#: Read access for many threads (per-thread cursors of the server's read-only connection).
Reader = StoreReader


@dataclass
class Filters:
    """The filters every page takes as query parameters (those of ``entente events``)."""

    actor: str | None = None
    with_: str | None = None
    type: str | None = None
    since: str | None = None
    until: str | None = None
    place: str | None = None
    aux: str | None = None
    role: str | None = None
    limit: int = 100
    offset: int = 0
    quad: str | None = None
    min_confidence: float | None = None
    min_sources: int | None = None
    reports: bool = False
    order: str | None = None
    reviewed: str = "reviewed"     # the record as reviewed; "all": rejected events too

    def query_args(self) -> dict[str, Any]:
        """Keyword arguments of :func:`entente.store.queries.events` that choose events (the
        same for a list, a network, a map or a series; without paging, order or reports)."""
        return {"actor": self.actor, "with_": self.with_, "types": self.type, "since": self.since,
                "until": self.until, "place": self.place, "aux": self.aux,
                "role": None if self.role in (None, "any") else self.role, "quad": self.quad,
                "min_confidence": self.min_confidence, "min_sources": self.min_sources, "reviewed": self.reviewed}

    def listing_args(self) -> dict[str, Any]:
        """:meth:`query_args` with what a list adds: reports or merged events, the order."""
        return {**self.query_args(), "reports": self.reports, "order": self.order or "oldest"}

    def as_dict(self) -> dict[str, Any]:
        """The filters as query parameters (``with_`` is ``with``), only those set."""
        out = {("with" if k == "with_" else k): v for k, v in asdict(self).items()
               if v not in (None, "", False) and k not in ("limit", "offset") and (k, v) != ("reviewed", "reviewed")}
        if out.get("reports") is True:
            out["reports"] = "true"
        return out


def _decorate(event: dict) -> dict:
    """An event of :func:`queries.events` with what the pages need: its quad's CSS class,
    polarity and the first day it covers."""
    event["quad"] = event.get("quad") or QUAD.get(event["event"])
    event["polarity"] = polarity(event["event"])
    event["date_start"] = merge.date_bounds(event.get("date"), event.get("enddate"))[0]
    return event


# -- events ---------------------------------------------------------------------------------


def events_view(reader: Reader, filters: Filters) -> dict:
    """The events page: one page of merged events (earliest first, or as ``order`` says; one
    row per report with ``reports``) for the filters, with paging (``total``: how many the
    filters find on all pages)."""
    found = queries.events(reader, **filters.listing_args(), limit=filters.limit + 1, offset=filters.offset)
    more = len(found) > filters.limit
    found = [_decorate(e) for e in found[:filters.limit]]
    return {"filters": filters.as_dict(), "limit": filters.limit, "offset": filters.offset,
            "total": queries.count_events(reader, **filters.listing_args()),
            "next_offset": filters.offset + filters.limit if more else None,
            "events": found, "quads": list(QUADS), "types": list(EVENT_TYPES)}


#: The timeline of a page: at most this many columns (non-empty buckets) ...
TIMELINE_COLUMNS = 60
#: ... and one dot per event while the filter finds at most this many (else counts per cell).
TIMELINE_DOTS = 300
_COARSER = {"day": "week", "week": "month", "month": "year"}


def timeline_view(reader: Reader, filters: Filters) -> dict:
    """The timeline of every event of the filters (not one page of them): a column per
    non-empty bucket of the time series (day, week, month or year, the finest that gives at
    most :data:`TIMELINE_COLUMNS` columns; ``gap_before`` marks empty stretches left out), a
    lane per PLOVER quad, and the undated events apart. With at most :data:`TIMELINE_DOTS`
    events, each event is given (``events``: id, type, quad, date_start, actors, recipients)
    so that the page draws a dot per event; else the page draws counts."""
    args = filters.query_args()
    series = queries.timeseries(reader, **args)
    columns = [b for b in series["buckets"] if b["total"]]
    while series["interval"] in _COARSER and len(columns) > TIMELINE_COLUMNS:
        series = queries.timeseries(reader, interval=_COARSER[series["interval"]], **args)
        columns = [b for b in series["buckets"] if b["total"]]
    for previous, column in zip([None] + columns, columns):
        column["gap_before"] = previous is not None and \
            date.fromisoformat(previous["end"]).toordinal() + 1 != date.fromisoformat(column["start"]).toordinal()
    events = None
    if series["total"] <= TIMELINE_DOTS:
        events = [{"id": e["id"], "event": e["event"], "quad": e["quad"] or QUAD.get(e["event"]),
                   "date_start": e["date_start"], "actors": e["actors"], "recipients": e["recipients"]}
                  for e in queries.network_events(reader, limit=TIMELINE_DOTS, **args)]
    return {"filters": filters.as_dict(), "interval": series["interval"], "total": series["total"],
            "columns": columns, "undated": series["undated"], "events": events, "quads": list(QUADS)}


def timeseries_view(reader: Reader, filters: Filters, interval: str = "auto") -> dict:
    """The time-series page and ``/api/timeseries``: :func:`entente.store.queries.timeseries`
    of the filters, with the intensity of every PLOVER type it uses."""
    from ..intensity import intensity

    series = queries.timeseries(reader, interval=interval, **filters.query_args())
    return {"filters": filters.as_dict(), **series, "intensity_of_types": intensity(),
            "intensity_source": "data/intensity.jsonl: the mean Goldstein (1992) score of the CAMEO codes "
                                "PLOVER's CAMEO2PLOVER table maps to each type"}


def event_view(reader: Reader, event_id: int, reviewed: str = "reviewed") -> dict | None:
    found = queries.event(reader, event_id, reviewed=reviewed)
    return _decorate(found) if found else None


# -- actors ---------------------------------------------------------------------------------


def actors_view(reader: Reader, kind: str | None = None, q: str | None = None, limit: int | None = None) -> dict:
    """Actors seen in the store, most active first; with ``q``, those whose code, name or
    alias matches it, and ``matches``: the actors of the data files and the store that match
    (for an autocomplete, whether or not the store has seen them)."""
    out = {"kind": kind, "q": q, "actors": queries.actors(reader, kind=kind, q=q or None, limit=limit)}
    if q:
        out["matches"] = queries.find_actors(reader, q, limit=limit or 10)
    return out


def actor_view(reader: Reader, code: str, filters: Filters) -> dict | None:
    """An actor's profile (people, offices, memberships, partners, named events) and its
    events under the filters (for its timeline)."""
    profile = queries.actor_profile(reader, code)
    if profile is None:
        return None
    args = filters.listing_args()
    args["actor"] = profile["code"]
    found = queries.events(reader, **args, limit=filters.limit + 1, offset=filters.offset)
    more = len(found) > filters.limit
    return {"actor": profile, "filters": filters.as_dict(), "limit": filters.limit, "offset": filters.offset,
            "total": queries.count_events(reader, **args), "reviews": reviews.counts(reader, actor=code),
            "next_offset": filters.offset + filters.limit if more else None,
            "events": [_decorate(e) for e in found[:filters.limit]], "quads": list(QUADS)}


# -- articles -------------------------------------------------------------------------------


def articles_view(reader: Reader, limit: int = 100) -> dict:
    return {"limit": limit, "articles": queries.articles(reader, limit=limit)}


def article_view(reader: Reader, article_id: str, reviewed: str = "reviewed", *, q: str | None = None,
                 hit: str | None = None) -> dict | None:
    """One article: its record (with text) as reviewed, the stored events it reports (by record
    event id), and the spans to highlight in its text (see :func:`highlights`); with a search's
    ``q``, its words are marked, and ``hit`` (``START-END``, the offsets of a search result)
    marks that sentence. Each event, person and named event has ``review`` (its key, status,
    reviewer, time; see :func:`with_reviews`); rejected ones are left out unless
    ``reviewed="all"``."""
    record = queries.article_record(reader, article_id)
    if record is None:
        return None
    article = queries.article_meta(reader, article_id)
    stored = queries.article_event_ids(reader, article_id)
    events = []
    for ev in record.get("events", []):
        events.append({**ev, "quad": QUAD.get(ev.get("event")), "polarity": polarity(ev.get("event")),
                       "stored_event": stored.get(ev.get("id"))})
    named = queries.article_named_event_ids(reader, article_id)
    entities = [{**e, "named_event_id": named.get(e["id"])} if e.get("kind") == "named_event" else e
                for e in record.get("entities", [])]
    targets = reviews.article_targets(reader, article_id)
    events, entities = with_reviews(targets, events, entities, reviewed)
    spans = highlights(record) + search_spans(record.get("text") or "", q, hit)
    spans.sort(key=lambda sp: (sp["start"], -sp["end"], SPAN_RANK.get(sp["kind"], 9)))
    return {"article": article, "text": record.get("text") or "", "entities": entities, "events": events,
            "dateline": record.get("dateline"), "highlights": spans, "q": q,
            "hit": next((sp for sp in spans if sp["kind"] == "hit"), None),
            "mentions": targets["mention"], "orphans": targets["orphans"], "reviewed": reviewed}


def search_spans(text: str, q: str | None, hit: str | None) -> list[dict]:
    """The spans a search result marks in an article: the sentence ``hit`` (``START-END``)
    and, in it (or in the whole text when no sentence is given), the words of ``q``."""
    from ..store.textindex import fold

    spans: list[dict] = []
    lo, hi = 0, len(text)
    found = re.fullmatch(r"(\d+)-(\d+)", hit or "")
    if found and 0 <= int(found[1]) < int(found[2]) <= len(text):
        lo, hi = int(found[1]), int(found[2])
        spans.append({"start": lo, "end": hi, "kind": "hit", "label": "search result"})
    words = set(queries.query_words(q or "")[0])
    if words and len(fold(text)) == len(text):   # folding kept the offsets: words can be found in place
        folded = fold(text)
        for m in re.finditer(r"[^\W_]+", folded[lo:hi]):
            if m.group(0) in words:
                spans.append({"start": lo + m.start(), "end": lo + m.end(), "kind": "match",
                              "label": f"matches {m.group(0)!r}"})
    return spans


def search_view(reader: Reader, q: str | None, limit: int = 20, offset: int = 0) -> dict:
    """Full-text search over the articles' sentences and titles
    (:func:`entente.store.queries.search`), each result with the address of its article with
    the sentence and words marked."""
    found = queries.search(reader, q or "", limit=limit, offset=offset)
    for result in found["results"]:
        params = {"q": q}
        if result["start"] is not None:
            params["hit"] = f"{result['start']}-{result['end']}"
        result["link"] = (f"/articles/{quote(result['article'], safe='')}?{urlencode(params)}"
                          + ("#hit" if result["start"] is not None else ""))
    more = offset + len(found["results"]) < found["total"]
    return {**found, "limit": limit, "offset": offset, "next_offset": offset + limit if more else None}


def highlights(record: dict) -> list[dict]:
    """Spans of the article text to highlight, each ``{start, end, kind, label, entity?,
    events?}``: entity mentions (kind: person, organization, state, location, time, ...),
    the sentence of every event (kind ``sentence``, with the ids of the events it carries)
    and event triggers (kind ``trigger``). Offsets outside the text are dropped."""
    text = record.get("text") or ""
    n = len(text)
    spans: list[dict] = []

    def ok(start: Any, end: Any) -> bool:
        return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= n

    for e in record.get("entities", []):
        label = e.get("name") or ""
        if e.get("code"):
            label += f" ({e['code']})"
        if e.get("office"):
            label += f", {e['office']}"
        if e.get("affiliation"):
            label += f" ({e['affiliation']})"
        for m in e.get("mentions", []):
            if ok(m.get("start"), m.get("end")):
                spans.append({"start": m["start"], "end": m["end"], "kind": e.get("kind"),
                              "label": f"{e.get('kind')}: {label}", "entity": e.get("id")})
    sentences: dict[tuple[int, int], list[str]] = defaultdict(list)
    for ev in record.get("events", []):
        ti = ev.get("text_info") or {}
        start, end = ti.get("start"), ti.get("end")
        if ok(start, end):
            sentences[(start, end)].append(ev["id"])
        t_start, t_end = ti.get("trigger_start"), ti.get("trigger_end")
        if not ok(t_start, t_end) and ok(start, end) and ev.get("event_text"):
            found = text.find(ev["event_text"], start, end)
            if found >= 0:
                t_start, t_end = found, found + len(ev["event_text"])
        if ok(t_start, t_end):
            spans.append({"start": t_start, "end": t_end, "kind": "trigger", "events": [ev["id"]],
                          "label": f"{ev.get('event')} trigger: {text[t_start:t_end]}"})
    for (start, end), ids in sentences.items():
        spans.append({"start": start, "end": end, "kind": "sentence", "events": ids,
                      "label": "events: " + ", ".join(ids)})
    spans.sort(key=lambda s: (s["start"], -s["end"], SPAN_RANK.get(s["kind"], 9)))
    return spans


# -- named events ---------------------------------------------------------------------------


def named_events_view(reader: Reader, type: str | None = None, participant: str | None = None) -> dict:
    return {"type": type, "participant": participant,
            "named_events": queries.named_events(reader, type=type, participant=participant)}


def named_event_view(reader: Reader, named_id: int) -> dict | None:
    """One named exercise, summit or forum: organiser, place, date, participants, observers,
    and the articles that name it (with title and date)."""
    named = queries.named_event(reader, named_id)
    if named is None:
        return None
    return {"named_event": named, "articles": queries.article_titles(reader, named["articles"]),
            "reports": queries.named_event_reports(reader, named_id)}


# -- network and map ------------------------------------------------------------------------


def network_view(reader: Reader, filters: Filters, top: int | None = None) -> dict:
    """Actors as nodes and edges between the parties of the filter's events (at most
    :data:`GRAPH_EVENT_CAP`, the first by date), one edge per pair of actors, weighted by
    events and split into cooperation and conflict (PLOVER quad); built by
    :func:`entente.export.network.build_network`, as the exports are.

    An event with recipients joins each actor to each recipient; one with actors only (a
    phone call, a meeting without a host) joins its actors to each other. With ``top``, only
    the ``top`` most active actors and the edges between them. No positions: the page lays
    the network out in the browser."""
    network = load_network(reader, limit=GRAPH_EVENT_CAP, **filters.query_args())
    nodes, edges = network.nodes, network.pairs
    if top is not None:
        nodes = nodes[:top]
        kept = {n["code"] for n in nodes}
        edges = [e for e in edges if e["source"] in kept and e["target"] in kept]
    return {"filters": filters.as_dict(), "events": network.events, "truncated": network.truncated,
            "nodes": nodes, "edges": edges}


def map_view(reader: Reader, filters: Filters) -> dict:
    """Event places of the filter, one point per place with its events by quad. An event
    placed only in a country is drawn at that country's capital (the store keeps the
    capitals' points), as a point of its own marked ``country_level`` (the events of the
    country, not of its capital)."""
    found = queries.event_places(reader, limit=GRAPH_EVENT_CAP + 1, **filters.query_args())
    truncated = len(found) > GRAPH_EVENT_CAP
    found = found[:GRAPH_EVENT_CAP]
    places: dict[tuple, dict] = {}
    unplaced = 0
    for ev in found:
        lat, lon = ev["lat"], ev["lon"]
        if not (ev["name"] or ev["country"]) or lat is None or lon is None:
            unplaced += 1
            continue
        name = ev["name"] or ev["country"]
        country_level = ev["country_level"]
        key = (name, ev["country"], round(lat, 2), round(lon, 2), country_level)
        place = places.setdefault(key, {"name": name, "country": ev["country"], "lat": lat, "lon": lon,
                                        "country_level": country_level, "events": 0,
                                        "by_quad": {q: 0 for q in QUADS}})
        place["events"] += 1
        quad = ev["quad"] or QUAD.get(ev["event"])
        if quad in place["by_quad"]:
            place["by_quad"][quad] += 1
    out = sorted(places.values(), key=lambda p: (-p["events"], p["name"] or ""))
    for p in out:
        p["quad"] = max(QUADS, key=lambda q: p["by_quad"][q])
        if math.isnan(p["lat"]) or math.isnan(p["lon"]):
            p["lat"] = p["lon"] = 0.0
    return {"filters": filters.as_dict(), "events": len(found), "truncated": truncated,
            "unplaced": unplaced, "places": out, "quads": list(QUADS)}


def summary_view(reader: Reader) -> dict:
    return {"counts": reader.counts(), "reviews": reviews.counts(reader)}


# -- the record as reviewed (issue 14) -----------------------------------------------------------


def _review_meta(target: dict) -> dict:
    return {k: target[k] for k in ("key", "status", "reason", "reviewer", "reviewed_at", "review_id")}


def with_reviews(targets: dict, events: list[dict], entities: list[dict],
                 reviewed: str = "reviewed") -> tuple[list[dict], list[dict]]:
    """An article's events and entities as reviewed (``reviews.article_targets`` gives the
    targets): each event and each person or named event takes its reviewed values and a
    ``review`` (key, status, reason, reviewer, reviewed_at, and review_id: the standing review an
    undo takes back; status None if not reviewed), and
    the extracted values as ``extracted`` where they differ; rejected ones are left out unless
    ``reviewed="all"``. (Actor mentions are reviewed one by one: ``targets["mention"]``.)"""
    by_event = {t["record_event"]: t for t in targets.get("event", [])}
    by_entity = {t["entity"]: t for kind in ("person", "named_event") for t in targets.get(kind, [])}
    out_events = []
    for ev in events:
        target = by_event.get(ev.get("id"))
        if target is None:
            out_events.append(ev)
            continue
        if target["status"] == "rejected" and reviewed != "all":
            continue
        shown = apply_event_values(ev, target["values"]) if target["status"] else dict(ev)
        shown.update(review=_review_meta(target), quad=QUAD.get(shown.get("event")),
                     polarity=polarity(shown.get("event")))
        if target["status"] == "corrected":
            shown["extracted"] = target["extracted"]
        out_events.append(shown)
    out_entities = []
    for e in entities:
        target = by_entity.get(e.get("id"))
        if target is None:
            out_entities.append(e)
            continue
        if target["status"] == "rejected" and reviewed != "all":
            continue
        shown = apply_entity_values(target["kind"], e, target["values"]) if target["status"] else dict(e)
        shown["review"] = _review_meta(target)
        if target["status"] == "corrected":
            shown["extracted"] = target["extracted"]
        out_entities.append(shown)
    return out_events, out_entities


def event_page_view(reader: Reader, event_id: int) -> dict | None:
    """An event's page: the merged event as reviewed (shown even when rejected, so that the
    rejection can be seen and undone) and its reports, each with its sentence, its key, how it
    was reviewed and its history (``reviews.event_reports``)."""
    found = queries.event(reader, event_id, reviewed="all")
    if found is None:
        return None
    return {"event": _decorate(found), "reports": reviews.event_reports(reader, event_id) or [],
            "types": list(EVENT_TYPES)}


def review_queue_view(reader: Reader, filters: Filters, order: str = "confidence") -> dict:
    """The review queue: one page of unreviewed merged events under the filters, lowest
    confidence (``order="confidence"``) or most sources (``"sources"``) first, each with its
    reports' sentences; and how much is reviewed already."""
    args = {k: v for k, v in filters.query_args().items() if k != "reviewed"}
    found = [_decorate(e) for e in reviews.queue(reader, order=order, limit=filters.limit, offset=filters.offset,
                                                 **args)]
    reports = reviews.reports_of(reader, [e["id"] for e in found])
    for e in found:
        e["reports"] = reports.get(e["id"], [])
    return {"filters": filters.as_dict(), "order": order, "limit": filters.limit, "offset": filters.offset,
            "events": found, "counts": reviews.counts(reader), "types": list(EVENT_TYPES)}


def review_stats_view(reader: Reader, actor: str | None = None) -> dict:
    """The review figures: reports and merged events reviewed, confirmed, corrected and
    rejected, the rejections' reasons, the extractor's precision on reviewed reports by the type
    it extracted (``reviews.stats``), the orphaned reviews and the suggestions for the data files."""
    return {"actor": actor.upper() if actor else None, "stats": reviews.stats(reader, actor=actor),
            "orphans": reviews.orphans(reader), "suggestions": reviews.suggest(reader)}
