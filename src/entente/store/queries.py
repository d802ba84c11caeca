"""Questions to the record store, answered as plain rows (lists of dicts, JSON-ready).

The CLI, the API, the web pages and the exports all call these functions, so that a table
on the command line, a JSON answer and a page show the same thing; every SQL statement they
run is here (the faces run none of their own). Every function takes an open
:class:`~entente.store.store.Store` (or a reader of one) and never writes to it.
"""
from __future__ import annotations

import json
import re
import threading
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable

import duckdb

from ..dates import date_problem
from ..errors import StoreError
from ..record import QUAD
from . import merge, textindex
from .store import Store

AUX_VALUES = ("none", "future", "hypothetical", "negation", "historical")
#: What the ``quad`` filter takes: a PLOVER quad, or a polarity (both quads of it).
QUAD_VALUES = {"verbal cooperation": ["verbal cooperation"], "material cooperation": ["material cooperation"],
               "verbal conflict": ["verbal conflict"], "material conflict": ["material conflict"],
               "cooperation": ["verbal cooperation", "material cooperation"],
               "conflict": ["verbal conflict", "material conflict"]}
#: Orders of :func:`events`: by date (the default), newest first, most reported first.
ORDERS = {"oldest": "e.date_start NULLS LAST, e.id", "newest": "e.date_start DESC NULLS LAST, e.id DESC",
          "sources": "e.n_sources DESC, e.date_start NULLS LAST, e.id"}
#: A code as people write one: capitals and digits, no spaces (SRB, CSTO, ISIL, A001).
_CODE_SHAPE = re.compile(r"[A-Z][A-Z0-9_-]{1,11}")


def _split(values: str | Iterable[str] | None) -> list[str]:
    """``"AGREE,CONSULT"`` or ``["AGREE", "CONSULT"]`` -> ``["AGREE", "CONSULT"]``."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def jsonable(value: Any) -> Any:
    """A value from DuckDB made JSON-ready (timestamps as ISO strings, JSON columns parsed)."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


#: DuckDB column types whose Python values are JSON-ready as they come.
_PLAIN_TYPES = frozenset({"VARCHAR", "JSON", "BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
                          "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE"})


def _rows(cursor: duckdb.DuckDBPyConnection) -> list[dict]:
    """The rows of a query as dicts, made JSON-ready (only the columns whose type needs it)."""
    columns = [d[0] for d in cursor.description]
    convert = [str(d[1]) not in _PLAIN_TYPES for d in cursor.description]
    if not any(convert):
        return [dict(zip(columns, row)) for row in cursor.fetchall()]
    return [dict(zip(columns, [jsonable(v) if c else v for v, c in zip(row, convert)])) for row in cursor.fetchall()]


def _place(name: str | None, country: str | None, lat: float | None = None, lon: float | None = None) -> dict | None:
    if not (name or country):
        return None
    return {"name": name, "country": country, "lat": lat, "lon": lon}


def date_precision(value: str | None) -> str | None:
    """How precise a record date is: ``day``, ``month`` or ``year`` (a span ``a/b`` by its
    start); None when undated or not an ISO date."""
    if not value:
        return None
    start = value.split("/", 1)[0].strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(T.*)?", start):
        return "day"
    if re.fullmatch(r"\d{4}-\d{2}", start):
        return "month"
    if re.fullmatch(r"\d{4}", start):
        return "year"
    return None


# -- actors by name -----------------------------------------------------------------------


def _spaced(text: str) -> str:
    return " ".join(str(text).split())


def resolve_actor(store: Store, text: str | None) -> str | None:
    """The actor code a person means by ``text``: a code the store or the data files know (any
    case: ``srb`` -> SRB); else a name, alias or demonym of the data files (``actor_names``,
    written by every ingest) or a name the articles give it (``"United Kingdom"``, ``"UK"``,
    ``"British"`` -> GBR); else, if it is shaped like a code, that code in capitals (it may
    simply have no events). Anything else raises a StoreError that suggests the nearest names;
    a name of several actors raises one that lists them."""
    if text is None or not _spaced(text):
        return None
    text = _spaced(text)
    code = text.upper()
    known = store.execute(
        "SELECT EXISTS (SELECT 1 FROM actor_names WHERE code = ?) OR EXISTS (SELECT 1 FROM event_participants"
        " WHERE code = ?) OR EXISTS (SELECT 1 FROM entities WHERE code = ?) OR EXISTS (SELECT 1 FROM memberships"
        " WHERE org = ? OR member = ?)", [code] * 5).fetchone()[0]
    if known:
        return code
    named = store.execute(
        "SELECT code, min(name) FROM (SELECT code, name FROM actor_names WHERE folded = strip_accents(lower(?))"
        " UNION ALL SELECT code, name FROM entities WHERE code IS NOT NULL AND kind IN ('state', 'organization',"
        " 'group') AND strip_accents(lower(name)) = strip_accents(lower(?))) GROUP BY code ORDER BY code",
        [text, text]).fetchall()
    if len(named) == 1:
        return named[0][0]
    if len(named) > 1:
        listed = ", ".join(f"{c} ({n})" for c, n in named)
        raise StoreError(f"{text!r} names several actors: {listed}; give the code")
    if _CODE_SHAPE.fullmatch(text):
        return code
    near = find_actors(store, text, limit=5) or _rows(store.execute(
        "SELECT code, min(name) AS name, arg_max(alias, jaro_winkler_similarity(folded, strip_accents(lower(?))))"
        " AS matched FROM actor_names WHERE jaro_winkler_similarity(folded, strip_accents(lower(?))) >= 0.9"
        " GROUP BY code ORDER BY max(jaro_winkler_similarity(folded, strip_accents(lower(?)))) DESC, code LIMIT 5",
        [text, text, text]))
    hint = ("; did you mean " + ", ".join(f"{a['code']} ({a['name'] or a['matched']})" for a in near) + "?"
            if near else "")
    raise StoreError(f"no actor is called {text!r} in the store or the data files{hint} "
                     "(`entente actors` lists the codes; /api/actors?q= finds names)")


def find_actors(store: Store, q: str, *, limit: int = 10) -> list[dict]:
    """Actors whose code, name, alias or demonym starts with (or else contains) ``q``, for an
    autocomplete: ``{code, name, kind, matched, n_events}``, exact matches first, then those
    that start with ``q``, then the most active."""
    q = _spaced(q or "")
    if not q:
        return []
    return _rows(store.execute(
        "WITH names AS ("
        "   SELECT code, kind, name, alias, folded FROM actor_names"
        "   UNION ALL SELECT DISTINCT code, kind, name, name, strip_accents(lower(name)) FROM entities"
        "   WHERE code IS NOT NULL AND kind IN ('state', 'organization', 'group')"
        "   UNION ALL SELECT DISTINCT code, NULL, NULL, code, lower(code) FROM event_participants),"
        " wanted AS (SELECT strip_accents(lower(?)) AS q),"
        " scored AS ("
        "   SELECT code, kind, name, alias, CASE WHEN folded = q THEN 0 WHEN starts_with(folded, q) THEN 1"
        "     WHEN contains(folded, q) THEN 2 END AS rank FROM names, wanted),"
        " best AS (SELECT code, min(rank) AS rank, arg_min(alias, rank * 1000 + length(alias)) AS matched,"
        "   max(kind) AS kind, max(name) AS name FROM scored WHERE rank IS NOT NULL GROUP BY code),"
        " took_part AS (SELECT code, count(DISTINCT event) AS n_events FROM event_participants GROUP BY code)"
        " SELECT b.code, b.name, b.kind, b.matched, coalesce(t.n_events, 0) AS n_events FROM best b"
        " LEFT JOIN took_part t USING (code) ORDER BY b.rank, n_events DESC, b.code LIMIT ?",
        [q, int(limit)]))


# -- events -------------------------------------------------------------------------------


def _event_filter(store: Store, *, actor: str | None = None, with_: str | Iterable[str] | None = None,
                  types: str | Iterable[str] | None = None, since: str | None = None, until: str | None = None,
                  place: str | None = None, aux: str | Iterable[str] | None = None, role: str | None = None,
                  ids: Iterable[int] | None = None, quad: str | Iterable[str] | None = None,
                  min_confidence: float | None = None, min_sources: int | None = None,
                  reports: bool = False, reviewed: str = "reviewed") -> tuple[str, list] | None:
    """The WHERE clause and parameters of :func:`events`' filters (None: nothing can match),
    over the events of ``reviewed`` (:func:`event_relations`, aliased ``e``). Actors are looked
    up by code or name (:func:`resolve_actor`). With ``reports`` the clause is over reports
    (``s``, event_sources, joined to ``e``): ``min_confidence`` is a report's."""
    where, params = ["TRUE"], []
    _, taking_part = event_relations(reviewed)
    actor = resolve_actor(store, actor)
    with_ = [resolve_actor(store, code) for code in _split(with_)]
    if actor:
        if role not in (None, "any", "actor", "recipient"):
            raise StoreError(f"role is {role!r}; use actor, recipient or any")
        clause = f"SELECT 1 FROM {taking_part} p WHERE p.event = e.id AND p.code = ?"
        params.append(actor.upper())
        if role in ("actor", "recipient"):
            clause += " AND p.role = ?"
            params.append(role)
        where.append(f"EXISTS ({clause})")
    for code in _split(with_):
        where.append(f"EXISTS (SELECT 1 FROM {taking_part} p WHERE p.event = e.id AND p.code = ?)")
        params.append(code.upper())
    type_list = [t.upper() for t in _split(types)]
    if type_list:
        where.append(f"e.type IN ({', '.join('?' * len(type_list))})")
        params += type_list
    for name, value in (("since", since), ("until", until)):
        problem = date_problem(value, partial=True) if value else None
        if problem is not None:
            raise StoreError(f"{name} is {value!r}, not a date ({problem}); write YYYY, YYYY-MM or YYYY-MM-DD")
    if since:
        where.append("e.date_end >= ?")
        params.append(merge.date_bounds(since.strip())[0])
    if until:
        where.append("e.date_start <= ?")
        params.append(merge.date_bounds(until.strip())[1])
    if place:
        where.append("(lower(e.place_name) = lower(?) OR e.place_country = upper(?))")
        params += [place, place]
    aux_list = [a.lower() for a in _split(aux)]
    if aux_list:
        bad = [a for a in aux_list if a not in AUX_VALUES]
        if bad:
            raise StoreError(f"--aux {bad[0]!r} is not one of {', '.join(AUX_VALUES)}")
        named = [a for a in aux_list if a != "none"]
        parts = (["e.aux IS NULL"] if "none" in aux_list else []) + \
                ([f"e.aux IN ({', '.join('?' * len(named))})"] if named else [])
        where.append("(" + " OR ".join(parts) + ")")
        params += named
    quads = [q.strip().lower().replace("-", " ") for q in _split(quad)]
    if quads:
        bad = [q for q in quads if q not in QUAD_VALUES]
        if bad:
            raise StoreError(f"quad {bad[0]!r} is not one of {', '.join(QUAD_VALUES)}")
        chosen = sorted({x for q in quads for x in QUAD_VALUES[q]})
        where.append(f"e.quad IN ({', '.join('?' * len(chosen))})")
        params += chosen
    if min_confidence is not None:
        where.append(f"{'s' if reports else 'e'}.confidence >= ?")
        params.append(float(min_confidence))
    if min_sources is not None:
        where.append("e.n_sources >= ?")
        params.append(int(min_sources))
    if ids is not None:
        id_list = [int(i) for i in ids]
        if not id_list:
            return None
        where.append(f"e.id IN ({', '.join('?' * len(id_list))})")
        params += id_list
    return " AND ".join(where), params


def events(store: Store, *, actor: str | None = None, with_: str | Iterable[str] | None = None,
           types: str | Iterable[str] | None = None, since: str | None = None, until: str | None = None,
           place: str | None = None, aux: str | Iterable[str] | None = None, role: str | None = None,
           ids: Iterable[int] | None = None, limit: int | None = None, offset: int = 0,
           quad: str | Iterable[str] | None = None, min_confidence: float | None = None,
           min_sources: int | None = None, reports: bool = False, order: str = "oldest",
           reviewed: str = "reviewed") -> list[dict]:
    """Merged events, earliest first, each with its participants and its sources, as reviewed.

    - ``actor``: a code or a name taking part (as actor or recipient; ``role`` narrows it to
      one); names are looked up as :func:`resolve_actor` does (``"United Kingdom"`` -> GBR);
    - ``with_``: codes or names that must also take part (any role);
    - ``types``: PLOVER types (``"AGREE,CONSULT"``); ``quad``: PLOVER quads or ``cooperation``
      / ``conflict``;
    - ``since`` / ``until``: ISO dates at any precision; an event is kept when the time it
      covers overlaps [since, until] (``--until 2017`` keeps all of 2017); undated events
      are left out when either is given;
    - ``place``: a place name (any case) or a country code;
    - ``aux``: ``none`` (it happened), ``future``, ``hypothetical``, ``negation``,
      ``historical``, or several comma-separated;
    - ``min_confidence``: the event's (with ``reports``, the report's) confidence at least this;
      ``min_sources``: reported by at least this many articles;
    - ``reports``: one row per report (an article's telling of the event) instead of one per
      merged event: its ``sources`` holds that report only and ``report`` is its id;
    - ``order``: ``oldest`` (the default), ``newest`` first, or ``sources`` (most reported first);
    - ``reviewed``: ``"reviewed"`` (the record as analysts reviewed it, rejected events left
      out) or ``"all"`` (rejected events too).

    Each event carries ``date_start`` / ``date_end`` (the days it covers, YYYY-MM-DD, sortable)
    and ``date_precision`` (day, month, year); each source its article's title, URL,
    publication date, publisher and the ``sentence`` the event was read from. Each event's
    ``review`` says whether it was reviewed: ``{"status", "n_reviewed", "reviewers",
    "reviewed_at"}`` or None (with ``reports``, the report's own review).
    """
    found_filter = _event_filter(store, actor=actor, with_=with_, types=types, since=since, until=until,
                                 place=place, aux=aux, role=role, ids=ids, quad=quad,
                                 min_confidence=min_confidence, min_sources=min_sources, reports=reports,
                                 reviewed=reviewed)
    if found_filter is None:
        return []
    if order not in ORDERS:
        raise StoreError(f"order is {order!r}; use {', '.join(ORDERS)}")
    where_sql, params = found_filter
    relation, taking_part = event_relations(reviewed)
    # with reports, a row per report, with the report's own review
    report_sql = (", s.id, s.review, CASE WHEN s.review IS NULL THEN 0 ELSE 1 END,"
                  " CASE WHEN s.reviewer IS NULL THEN NULL ELSE [s.reviewer] END, s.reviewed_at" if reports else
                  ", NULL, e.review, e.n_reviewed, e.reviewers, e.reviewed_at")
    sql = ("SELECT e.id, e.type, e.quad, e.date, e.enddate, e.aux, e.mode, e.context, e.place_name,"
           " e.place_country, e.lat, e.lon, e.confidence, e.n_sources, e.date_start, e.date_end"
           f"{report_sql} FROM {relation} e{' JOIN event_sources s ON s.event = e.id' if reports else ''}"
           f" WHERE {where_sql} ORDER BY {ORDERS[order]}{', s.id' if reports else ''}")
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    found = store.execute(sql, params).fetchall()
    if not found:
        return []
    event_ids = list(dict.fromkeys(r[0] for r in found))
    # the ids as one list parameter: binding thousands of separate parameters is slow
    participants: dict[int, dict[str, list]] = {i: {"actor": [], "recipient": []} for i in event_ids}
    for event_id, role_, code, sector in store.execute(
            f"SELECT event, role, code, sector FROM {taking_part} WHERE event IN (SELECT unnest(?::BIGINT[]))"
            " ORDER BY event, role, code", [event_ids]).fetchall():
        participants[event_id][role_].append({"code": code, "sector": sector})
    sources: dict[int, list] = {i: [] for i in event_ids}
    for row in _rows(store.execute(
            "SELECT s.event, s.id AS report, s.article, a.title, a.url, a.published, s.publisher, s.sequence,"
            " s.start, s.\"end\", s.event_text, s.confidence,"
            " CASE WHEN s.start IS NOT NULL AND s.\"end\" > s.start THEN substr(a.text, s.start + 1, s.\"end\" - s.start)"
            " END AS sentence FROM event_sources s JOIN articles a ON a.id = s.article"
            " WHERE s.event IN (SELECT unnest(?::BIGINT[])) ORDER BY s.event, s.id", [event_ids])):
        sources[row.pop("event")].append(row)
    out = []
    for (event_id, type_, quad_, date_, enddate, aux_, mode, context, pname, pcountry, lat, lon,
         confidence, n_sources, date_start, date_end, report, review, n_reviewed, reviewers, reviewed_at) in found:
        row = {
            "id": event_id, "event": type_, "quad": quad_, "date": date_, "enddate": enddate,
            "date_start": date_start, "date_end": date_end, "date_precision": date_precision(date_),
            "aux": aux_, "actor": participants[event_id]["actor"], "recipient": participants[event_id]["recipient"],
            "mode": list(mode or []), "context": list(context or []),
            "event_loc": _place(pname, pcountry, lat, lon), "confidence": confidence,
            "n_sources": n_sources, "sources": sources[event_id],
            "review": None if review is None else {"status": review, "n_reviewed": n_reviewed,
                                                   "reviewers": list(reviewers or []),
                                                   "reviewed_at": jsonable(reviewed_at)},
        }
        if reports:
            row["report"] = report
            row["sources"] = [src for src in sources[event_id] if src["report"] == report]
            row["confidence"] = row["sources"][0]["confidence"] if row["sources"] else confidence
        out.append(row)
    return out


def count_events(store: Store, *, reports: bool = False, order: str | None = None, **filters) -> int:
    """How many merged events (with ``reports``: reports) :func:`events` finds with these
    filters, on all pages."""
    found_filter = _event_filter(store, reports=reports, **filters)
    if found_filter is None:
        return 0
    where_sql, params = found_filter
    relation, _ = event_relations(filters.get("reviewed", "reviewed"))
    join = " JOIN event_sources s ON s.event = e.id" if reports else ""
    return store.execute(f"SELECT count(*) FROM {relation} e{join} WHERE {where_sql}", params).fetchone()[0]


def event(store: Store, event_id: int, *, reviewed: str = "reviewed") -> dict | None:
    """One merged event by its id, as :func:`events` shows it; None if there is none (or,
    unless ``reviewed="all"``, if it was rejected)."""
    found = events(store, ids=[event_id], reviewed=reviewed)
    return found[0] if found else None


def _first_events_sql(where_sql: str, limit: int | None, relation: str = "events") -> str:
    """The ids (with type, quad and date order) of the first events of a filter, by date."""
    sql = (f"SELECT e.id, e.type, e.quad, e.n_sources, e.date_start, e.date_end, e.place_name, e.place_country,"
           f" e.lat, e.lon FROM {relation} e WHERE {where_sql} ORDER BY e.date_start NULLS LAST, e.id")
    return sql + (f" LIMIT {int(limit)}" if limit is not None else "")


def network_events(store: Store, *, limit: int | None = None, **filters) -> list[dict]:
    """The events of :func:`events`' filters (the first ``limit`` by date) as a network needs
    them: ``{id, event, quad, n_sources, date_start, date_end, actors, recipients}``, the codes
    sorted; one query."""
    found_filter = _event_filter(store, **filters)
    if found_filter is None:
        return []
    where_sql, params = found_filter
    relation, taking_part = event_relations(filters.get("reviewed", "reviewed"))
    rows = store.execute(
        f"WITH chosen AS ({_first_events_sql(where_sql, limit, relation)})"
        " SELECT c.id, c.type, c.quad, c.n_sources, c.date_start, c.date_end,"
        " list(DISTINCT p.code ORDER BY p.code) FILTER (WHERE p.role = 'actor'),"
        " list(DISTINCT p.code ORDER BY p.code) FILTER (WHERE p.role = 'recipient')"
        f" FROM chosen c LEFT JOIN {taking_part} p ON p.event = c.id"
        " GROUP BY c.id, c.type, c.quad, c.n_sources, c.date_start, c.date_end"
        " ORDER BY c.date_start NULLS LAST, c.id", params).fetchall()
    return [{"id": i, "event": t, "quad": q, "n_sources": n, "date_start": ds, "date_end": de, "actors": a or [],
             "recipients": r or []} for i, t, q, n, ds, de, a, r in rows]


def event_places(store: Store, *, limit: int | None = None, **filters) -> list[dict]:
    """Where the events of :func:`events`' filters happened (the first ``limit`` by date), for
    a map: ``{id, event, quad, name, country, lat, lon, country_level}``; an event placed only
    in a country (no place name, or a place that is the country: "Serbia", whose point the
    extractor gives as its capital's) has ``country_level`` true; a place without a point has
    its country's capital's (the ``countries`` table); one with no place at all has None."""
    found_filter = _event_filter(store, **filters)
    if found_filter is None:
        return []
    where_sql, params = found_filter
    relation, _ = event_relations(filters.get("reviewed", "reviewed"))
    rows = store.execute(
        f"WITH chosen AS ({_first_events_sql(where_sql, limit, relation)})"
        " SELECT c.id, c.type, c.quad, c.place_name, c.place_country,"
        " CASE WHEN c.lat IS NULL OR c.lon IS NULL THEN k.lat ELSE c.lat END,"
        " CASE WHEN c.lat IS NULL OR c.lon IS NULL THEN k.lon ELSE c.lon END,"
        # placed only in the country: no place name, or the place named is the country
        " c.place_country IS NOT NULL AND (c.place_name IS NULL"
        "   OR lower(c.place_name) = lower(k.name) OR EXISTS (SELECT 1 FROM actor_names n WHERE n.code ="
        "   c.place_country AND n.kind = 'state' AND n.folded = strip_accents(lower(c.place_name))))"
        " FROM chosen c LEFT JOIN countries k ON k.code = c.place_country"
        " ORDER BY c.date_start NULLS LAST, c.id", params).fetchall()
    return [{"id": i, "event": t, "quad": q, "name": name, "country": country, "lat": lat, "lon": lon,
             "country_level": bool(at_capital)} for i, t, q, name, country, lat, lon, at_capital in rows]


# -- time series ---------------------------------------------------------------------------

INTERVALS = ("day", "week", "month", "year")
#: Most buckets one series may have (a day series over decades is refused: choose a coarser one).
MAX_BUCKETS = 5000
_PRECISION_RANK = {"day": 0, "week": 0, "month": 1, "year": 2}


def auto_interval(first: str | None, last: str | None) -> str:
    """The interval that gives a readable series between two days: day up to three months,
    week up to two years, month up to thirty years, else year."""
    if not first or not last:
        return "month"
    days = (date.fromisoformat(last) - date.fromisoformat(first)).days
    return "day" if days <= 92 else "week" if days <= 731 else "month" if days <= 30 * 366 else "year"


def _bucket_start(day: date, interval: str) -> date:
    if interval == "week":
        return day.fromordinal(day.toordinal() - day.weekday())
    if interval == "month":
        return day.replace(day=1)
    if interval == "year":
        return day.replace(month=1, day=1)
    return day


def _next_bucket(start: date, interval: str) -> date:
    if interval == "day":
        return start.fromordinal(start.toordinal() + 1)
    if interval == "week":
        return start.fromordinal(start.toordinal() + 7)
    if interval == "month":
        return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    return start.replace(year=start.year + 1)


def _bucket_label(start: date, interval: str) -> str:
    if interval == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.isoformat()[:{"day": 10, "month": 7, "year": 4}[interval]]


def timeseries(store: Store, *, interval: str = "auto", **filters) -> dict:
    """Counts of the events of :func:`events`' filters per day, week, month or year (``auto``:
    :func:`auto_interval` of the filtered span), every bucket from the first to the last
    (empty ones as zeros), each with its events by PLOVER quad, cooperation against conflict
    and the mean (and sum) of the Goldstein-style ``intensity`` of its events' types
    (:mod:`entente.intensity`). An event counts in the bucket of the first day it covers;
    ``coarser`` counts the events of a bucket dated less precisely than the interval (a month
    at a day interval, placed on its first day). Undated events are counted apart
    (``undated``), never dropped."""
    from ..intensity import intensity as type_intensity

    if interval not in INTERVALS + ("auto",):
        raise StoreError(f"interval is {interval!r}; use {', '.join(INTERVALS)} or auto")
    found_filter = _event_filter(store, **filters)
    quads = list(QUAD_VALUES)[:4]
    empty = {"interval": None if interval == "auto" else interval, "buckets": [], "total": 0,
             "undated": {"total": 0, "by_quad": {q: 0 for q in quads}}, "quads": quads}
    if found_filter is None:
        return empty
    where_sql, params = found_filter
    relation, _ = event_relations(filters.get("reviewed", "reviewed"))
    rows = store.execute(
        "SELECT e.date_start, e.type, CASE length(split_part(e.date, '/', 1)) WHEN 4 THEN 'year' WHEN 7 THEN 'month'"
        f" ELSE 'day' END, count(*) FROM {relation} e WHERE {where_sql} GROUP BY ALL", params).fetchall()
    scores = type_intensity()
    dated = [(date.fromisoformat(d), t, p, n) for d, t, p, n in rows if d]
    undated = empty["undated"]
    for d, t, p, n in rows:
        if not d:
            undated["total"] += n
            undated["by_quad"][QUAD.get(t, quads[0])] += n
    total = sum(n for *_, n in rows)
    if not dated:
        return {**empty, "total": total, "undated": undated}
    first, last = min(d for d, *_ in dated), max(d for d, *_ in dated)
    if interval == "auto":
        interval = auto_interval(first.isoformat(), last.isoformat())
    buckets: dict[date, dict] = {}
    start = _bucket_start(first, interval)
    while start <= last:
        if len(buckets) >= MAX_BUCKETS:
            raise StoreError(f"a series per {interval} from {first} to {last} has more than {MAX_BUCKETS:,} buckets;"
                             " choose a coarser interval (week, month, year) or a shorter span (since, until)")
        end = _next_bucket(start, interval)
        buckets[start] = {"start": start.isoformat(), "end": end.fromordinal(end.toordinal() - 1).isoformat(),
                          "label": _bucket_label(start, interval), "total": 0, "cooperation": 0, "conflict": 0,
                          "by_quad": {q: 0 for q in quads}, "coarser": 0, "intensity_sum": 0.0}
        start = end
    for day, event_type, precision, n in dated:
        bucket = buckets[_bucket_start(day, interval)]
        quad_ = QUAD.get(event_type, quads[0])
        bucket["total"] += n
        bucket["by_quad"][quad_] += n
        bucket["conflict" if quad_.endswith("conflict") else "cooperation"] += n
        bucket["intensity_sum"] += scores.get(event_type, 0.0) * n
        if _PRECISION_RANK[precision] > _PRECISION_RANK[interval]:
            bucket["coarser"] += n
    out = list(buckets.values())
    for bucket in out:
        bucket["intensity_sum"] = round(bucket["intensity_sum"], 2)
        bucket["intensity"] = round(bucket["intensity_sum"] / bucket["total"], 2) if bucket["total"] else None
    return {"interval": interval, "buckets": out, "total": total, "undated": undated, "quads": quads}


# -- full-text search ------------------------------------------------------------------------


def query_words(q: str) -> tuple[list[str], list[str]]:
    """(words, phrases) of a search query: every word folded; quoted parts as phrases."""
    phrases = [" ".join(textindex.terms(p)) for p in re.findall(r'"([^"]+)"', q)]
    return textindex.terms(q), [p for p in phrases if " " in p]


def search(store: Store, q: str, *, limit: int = 20, offset: int = 0) -> dict:
    """Sentences (and titles) of the stored articles that hold every word of ``q`` (case and
    accents aside; a quoted ``"..."`` part must appear as written, word for word), rarer
    words counting more (a sum of inverse sentence frequencies), then newest first:
    ``{q, total, results: [{article, title, published, publisher, url, sentence, start, end,
    text}]}``; ``sentence`` 0 is the title, whose ``start`` and ``end`` are None."""
    words, phrases = query_words(q or "")
    if not words:
        return {"q": q, "words": [], "total": 0, "results": []}
    phrase_sql = "".join(" AND regexp_replace(strip_accents(lower(h.text)), '[^a-z0-9]+', ' ', 'g')"
                         " LIKE '%' || ? || '%'" for _ in phrases)
    common = (
        "WITH wanted AS (SELECT unnest(?::VARCHAR[]) AS term),"
        " df AS (SELECT t.term, count(*) AS n FROM text_terms t JOIN wanted USING (term) GROUP BY t.term),"
        " total AS (SELECT count(*) AS n FROM article_sentences),"
        " matched AS (SELECT t.article, t.sentence, count(*) AS words, sum(ln((total.n + 1.0) / df.n)) AS score"
        "   FROM text_terms t JOIN df USING (term), total GROUP BY t.article, t.sentence HAVING count(*) = ?),"
        " hits AS (SELECT m.article, m.sentence, m.score, s.start, s.\"end\", a.title, a.published, a.publisher, a.url,"
        "   CASE WHEN m.sentence = 0 THEN a.title ELSE substr(a.text, s.start + 1, s.\"end\" - s.start) END AS text"
        "   FROM matched m JOIN article_sentences s ON s.article = m.article AND s.sentence = m.sentence"
        "   JOIN articles a ON a.id = m.article)")
    params = [words, len(words), *phrases]
    total = store.execute(f"{common} SELECT count(*) FROM hits h WHERE TRUE{phrase_sql}", params).fetchone()[0]
    results = _rows(store.execute(
        f"{common} SELECT h.article, h.title, h.published, h.publisher, h.url, h.sentence, h.start, h.\"end\", h.text,"
        f" round(h.score, 3) AS score FROM hits h WHERE TRUE{phrase_sql}"
        " ORDER BY h.score DESC, h.published DESC NULLS LAST, h.article, h.sentence"
        f" LIMIT {int(limit)} OFFSET {int(offset)}", params))
    return {"q": q, "words": words, "total": total, "results": results}


# -- actors -------------------------------------------------------------------------------

_ACTORS_SQL = """
WITH named AS (          -- states, organisations and groups as the articles name them
    SELECT code, mode(kind) AS kind, mode(name) AS name
    FROM entities WHERE code IS NOT NULL AND kind IN ('state', 'organization', 'group')
    GROUP BY code
),
sightings AS (           -- (code, article): named, a person affiliated with it, or a party to an event
    SELECT code, article FROM entities WHERE code IS NOT NULL AND kind IN ('state', 'organization', 'group')
    UNION SELECT affiliation, article FROM entities WHERE kind = 'person' AND affiliation IS NOT NULL
    UNION SELECT p.code, s.article FROM event_participants p JOIN event_sources s ON s.event = p.event
),
seen AS (
    SELECT s.code, count(DISTINCT s.article) AS n_articles, min(a.published) AS first_seen,
           max(a.published) AS last_seen
    FROM sightings s JOIN articles a ON a.id = s.article GROUP BY s.code
),
took_part AS (
    SELECT code, count(DISTINCT event) AS n_events FROM event_participants GROUP BY code
),
people AS (
    SELECT affiliation AS code, count(DISTINCT name) AS n_people
    FROM entities WHERE kind = 'person' AND affiliation IS NOT NULL GROUP BY affiliation
)
SELECT seen.code, coalesce(named.kind, CASE WHEN seen.code IN (SELECT org FROM memberships)
                                            THEN 'organization' END) AS kind,
       named.name, seen.n_articles, coalesce(took_part.n_events, 0) AS n_events,
       coalesce(people.n_people, 0) AS n_people, seen.first_seen, seen.last_seen
FROM seen
LEFT JOIN named USING (code) LEFT JOIN took_part USING (code) LEFT JOIN people USING (code)
"""


def actors(store: Store, *, kind: str | None = None, code: str | None = None, limit: int | None = None,
           q: str | None = None) -> list[dict]:
    """Every actor code the store has seen (named in an article, as a person's affiliation,
    or in an event), with its kind, usual name, articles, events, people, first and last
    publication date it was seen on; most active first. ``kind`` filters (state,
    organization, group), ``q`` keeps those whose code, name or alias starts with or contains
    it (:func:`find_actors`), ``limit`` the first so many."""
    where, params = [], []
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if code:
        where.append("code = ?")
        params.append(code.upper())
    if q is not None:
        matched = [a["code"] for a in find_actors(store, q, limit=1000)]
        where.append("code IN (SELECT unnest(?::VARCHAR[]))")
        params.append(matched)
    sql = f"SELECT * FROM ({_ACTORS_SQL})" + (f" WHERE {' AND '.join(where)}" if where else "")
    sql += " ORDER BY n_events DESC, n_articles DESC, code"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return _rows(store.execute(sql, params))


def actor_labels(store: Store, codes: Iterable[str]) -> dict[str, dict]:
    """The usual name and kind of each code (as :func:`actors` gives them): ``{code: {"name",
    "kind"}}``, None where no article names it."""
    code_list = sorted(set(codes))
    if not code_list:
        return {}
    rows = store.execute(
        "WITH wanted AS (SELECT unnest(?::VARCHAR[]) AS code),"
        " named AS (SELECT code, mode(kind) AS kind, mode(name) AS name FROM entities"
        "   WHERE code IN (SELECT code FROM wanted) AND kind IN ('state', 'organization', 'group') GROUP BY code)"
        " SELECT w.code, named.name, coalesce(named.kind, CASE WHEN w.code IN (SELECT org FROM memberships)"
        "   THEN 'organization' END) FROM wanted w LEFT JOIN named USING (code)", [code_list]).fetchall()
    return {code: {"name": name, "kind": kind} for code, name, kind in rows}


def actor_profile(store: Store, code: str) -> dict | None:
    """Everything the store knows of one actor: people and offices seen with its
    affiliation, memberships, named events, event counts by type and by partner, first and
    last seen. None when the code appears nowhere. ``code`` may be a name (:func:`resolve_actor`)."""
    code = resolve_actor(store, code) or ""
    found = actors(store, code=code)
    member_of = _rows(store.execute(
        'SELECT org, joined, "left" FROM memberships WHERE member = ? ORDER BY org', [code]))
    members = _rows(store.execute(
        'SELECT member, joined, "left" FROM memberships WHERE org = ? ORDER BY member', [code]))
    if not found and not member_of and not members:
        return None
    profile = found[0] if found else {"code": code, "kind": "organization" if members else None, "name": None,
                                      "n_articles": 0, "n_events": 0, "n_people": 0,
                                      "first_seen": None, "last_seen": None}
    profile["people"] = _rows(store.execute(
        "SELECT e.name, e.office, e.sector, count(DISTINCT e.article) AS n_articles,"
        " min(a.published) AS first_seen, max(a.published) AS last_seen"
        " FROM entities e JOIN articles a ON a.id = e.article"
        " WHERE e.kind = 'person' AND e.affiliation = ?"
        " GROUP BY e.name, e.office, e.sector ORDER BY n_articles DESC, e.name", [code]))
    profile["offices"] = _rows(store.execute(
        "SELECT office, list(DISTINCT name ORDER BY name) AS people, count(DISTINCT article) AS n_articles"
        " FROM entities WHERE kind = 'person' AND affiliation = ? AND office IS NOT NULL"
        " GROUP BY office ORDER BY n_articles DESC, office", [code]))
    profile["member_of"] = member_of
    profile["members"] = members
    profile["events_by_type"] = _rows(store.execute(
        "SELECT e.type, e.quad, count(DISTINCT e.id) FILTER (WHERE p.role = 'actor') AS as_actor,"
        " count(DISTINCT e.id) FILTER (WHERE p.role = 'recipient') AS as_recipient,"
        " count(DISTINCT e.id) AS events, sum(e.n_sources) AS sources"
        " FROM events e JOIN event_participants p ON p.event = e.id WHERE p.code = ?"
        " GROUP BY e.type, e.quad ORDER BY events DESC, e.type", [code]))
    profile["events_by_partner"] = _rows(store.execute(
        "SELECT o.code AS partner, count(DISTINCT e.id) AS events,"
        " count(DISTINCT e.id) FILTER (WHERE e.quad LIKE '%cooperation') AS cooperation,"
        " count(DISTINCT e.id) FILTER (WHERE e.quad LIKE '%conflict') AS conflict,"
        " list(DISTINCT e.type ORDER BY e.type) AS types"
        " FROM events e JOIN event_participants p ON p.event = e.id"
        " JOIN event_participants o ON o.event = e.id AND o.code <> p.code"
        " WHERE p.code = ? GROUP BY o.code ORDER BY events DESC, partner", [code]))
    profile["named_events"] = _rows(store.execute(
        "SELECT DISTINCT n.id, n.name, n.type, n.date, p.role FROM named_event_participants p"
        " JOIN named_events n ON n.id = p.named_event WHERE p.code = ? ORDER BY n.date NULLS LAST, n.id, p.role",
        [code]))
    span = store.execute(
        "SELECT min(e.date_start), max(e.date_end) FROM events e JOIN event_participants p ON p.event = e.id"
        " WHERE p.code = ?", [code]).fetchone()
    profile["first_event"], profile["last_event"] = span
    return profile


# -- named events -------------------------------------------------------------------------


def named_events(store: Store, *, type: str | None = None, participant: str | None = None,
                 id: int | None = None) -> list[dict]:
    """Named exercises, summits, forums ..., each with organiser, place, date, participants,
    observers and the articles that name it; ``type`` filters (exercise, summit, ...),
    ``participant`` keeps those a code takes part in, observes or organises, ``id`` the one
    with that id."""
    where, params = ["TRUE"], []
    if id is not None:
        where.append("n.id = ?")
        params.append(int(id))
    if type:
        where.append("lower(n.type) = lower(?)")
        params.append(type)
    if participant:
        where.append("EXISTS (SELECT 1 FROM named_event_participants p WHERE p.named_event = n.id AND p.code = ?)")
        params.append(resolve_actor(store, participant))
    found = _rows(store.execute(
        "SELECT n.id, n.name, n.type, n.organizer, n.place_name, n.place_country, n.date, n.n_sources,"
        " (SELECT list(DISTINCT p.code ORDER BY p.code) FROM named_event_participants p"
        "   WHERE p.named_event = n.id AND p.role = 'participant') AS participants,"
        " (SELECT list(DISTINCT p.code ORDER BY p.code) FROM named_event_participants p"
        "   WHERE p.named_event = n.id AND p.role = 'observer') AS observers,"
        " (SELECT list(DISTINCT s.article ORDER BY s.article) FROM named_event_sources s"
        "   WHERE s.named_event = n.id) AS articles"
        f" FROM named_events n WHERE {' AND '.join(where)} ORDER BY n.date NULLS LAST, n.name", params))
    for row in found:
        row["place"] = _place(row.pop("place_name"), row.pop("place_country"))
        for key in ("participants", "observers", "articles"):
            row[key] = row[key] or []
    return found


def named_event(store: Store, named_id: int) -> dict | None:
    """One named event by its id, as :func:`named_events` shows it; None if there is none."""
    found = named_events(store, id=named_id)
    return found[0] if found else None


def named_event_reports(store: Store, named_id: int) -> list[dict]:
    """What each article said of one named event (name, organiser, place, date), in the
    order they were stored."""
    return _rows(store.execute(
        "SELECT article, name, organizer, place_name, place_country, date FROM named_event_sources"
        " WHERE named_event = ? ORDER BY id", [named_id]))


# -- the rest -------------------------------------------------------------------------------


def failures(store: Store) -> list[dict]:
    """Articles that could not be read or extracted: file, line, article id, reason, when."""
    return _rows(store.execute(
        "SELECT source, line, article, reason, failed_at FROM failures ORDER BY source, line NULLS FIRST"))


def articles(store: Store, *, limit: int | None = None) -> list[dict]:
    """Stored articles (without their text), newest publication first."""
    sql = ("SELECT id, title, url, published, place, publisher, via, source, line, n_entities, n_events,"
           " ingested_at FROM articles ORDER BY published DESC NULLS LAST, id")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return _rows(store.execute(sql))


def article_record(store: Store, article_id: str) -> dict | None:
    """The stored record (SPEC.md) of one article, with its text; None if not stored."""
    row = store.execute("SELECT record, text FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        return None
    record = json.loads(row[0])
    record["text"] = row[1]
    return record


def article_meta(store: Store, article_id: str) -> dict | None:
    """What the store says of one article besides its record: title, url, publication date,
    place, publisher and agencies (``via``); None if it is not stored."""
    found = _rows(store.execute("SELECT id, title, url, published, place, publisher, via FROM articles WHERE id = ?",
                                [article_id]))
    if not found:
        return None
    found[0]["via"] = list(found[0]["via"] or [])
    return found[0]


def article_event_ids(store: Store, article_id: str) -> dict[str, int]:
    """The stored (merged) event of each event of one article's record: record id -> event id."""
    return dict(store.execute("SELECT record_event, event FROM event_sources WHERE article = ?",
                              [article_id]).fetchall())


def article_named_event_ids(store: Store, article_id: str) -> dict[str, int]:
    """The stored named event of each named-event entity of one article: entity id -> id."""
    return dict(store.execute("SELECT entity, named_event FROM named_event_sources WHERE article = ?",
                              [article_id]).fetchall())


def article_titles(store: Store, article_ids: Iterable[str]) -> list[dict]:
    """Id, title, publication date and publisher of these articles, earliest first."""
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        return []
    return _rows(store.execute(
        "SELECT id, title, published, publisher FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))"
        " ORDER BY published NULLS LAST, id", [ids]))


def summary(store: Store) -> dict[str, int]:
    """How much the store holds: rows per table."""
    return store.counts()


_PARQUET_EVENTS_SQL = """
SELECT e.id, e.type AS event, e.quad, e.date, e.enddate, e.date_start, e.date_end,
       CASE length(split_part(e.date, '/', 1)) WHEN 4 THEN 'year' WHEN 7 THEN 'month' WHEN 10 THEN 'day' END
         AS date_precision,
       e.aux, e.mode, e.context, e.place_name, e.place_country, e.lat, e.lon, e.confidence, e.n_sources,
       e.review, e.n_reviewed, e.reviewers, e.reviewed_at,
       (SELECT list({'code': p.code, 'sector': p.sector} ORDER BY p.code) FROM @PARTICIPANTS@ p
         WHERE p.event = e.id AND p.role = 'actor') AS actor,
       (SELECT list({'code': p.code, 'sector': p.sector} ORDER BY p.code) FROM @PARTICIPANTS@ p
         WHERE p.event = e.id AND p.role = 'recipient') AS recipient,
       (SELECT list({'article': s.article, 'title': a.title, 'url': a.url, 'published': a.published,
                     'publisher': s.publisher, 'sequence': s.sequence, 'start': s.start, 'end': s."end",
                     'event_text': s.event_text, 'confidence': s.confidence,
                     'sentence': CASE WHEN s."end" > s.start THEN substr(a.text, s.start + 1, s."end" - s.start) END}
                    ORDER BY s.id)
          FROM event_sources s JOIN articles a ON a.id = s.article WHERE s.event = e.id) AS sources
FROM @EVENTS@ e WHERE @WHERE@ ORDER BY e.date_start NULLS LAST, e.id
"""


def write_events_parquet(store: Store, path: str, **filters) -> int:
    """Write the merged events of :func:`events`' filters (as reviewed; ``reviewed="all"``:
    rejected ones too) to a Parquet file, participants and sources (with their article's
    title, URL, publication date and the sentence) as nested lists of structs, with the review
    columns (``review``, ``n_reviewed``, ``reviewers``, ``reviewed_at``); DuckDB writes it: the
    store must allow file access. Returns how many."""
    found_filter = _event_filter(store, **filters)
    where_sql, params = found_filter if found_filter is not None else ("FALSE", [])
    relation, taking_part = event_relations(filters.get("reviewed", "reviewed"))
    target = str(path).replace("'", "''")
    select = (_PARQUET_EVENTS_SQL.replace("@WHERE@", where_sql).replace("@PARTICIPANTS@", taking_part)
              .replace("@EVENTS@", relation))
    store.execute(f"COPY ({select}) TO '{target}' (FORMAT parquet)", params)
    return store.execute(f"SELECT count(*) FROM {relation} e WHERE {where_sql}", params).fetchone()[0]


#: tables SQL may not read: the reviewers' token salts and hashes (``entente reviewer list``
#: shows who may review)
PRIVATE_TABLES = frozenset({"reviewers"})
#: table functions that run a query given as text, which a parse tree cannot look into
QUERY_FUNCTIONS = frozenset({"query", "query_table"})


def _refuse_private(store: Store, sql: str) -> None:
    """Refuse a query that reads a private table, by the tables and functions its parse tree
    names (however quoted or qualified: ``main."Reviewers"``, a subquery, a CTE)."""
    tree = store.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()[0]

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "BASE_TABLE" and str(node.get("table_name", "")).lower() in PRIVATE_TABLES:
                raise StoreError(f"the {node['table_name']} table holds the reviewers' token hashes and is not "
                                 "readable from SQL; `entente reviewer list` shows who may review")
            if str(node.get("function_name", "")).lower() in QUERY_FUNCTIONS:
                raise StoreError(f"{node['function_name']}() runs a query given as text; write the query itself")
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json.loads(tree))


def run_sql(store: Store, sql: str, *, limit: int | None = None,
            timeout: float | None = None) -> tuple[list[str], list[list]]:
    """Run one read-only ``SELECT`` (or ``WITH ... SELECT``); returns (columns, rows).

    Anything else (INSERT, UPDATE, DROP, COPY, PRAGMA, ATTACH, several statements) is refused
    before it runs. That check is not enough alone (DuckDB types ``WITH x AS (UPDATE ...)
    SELECT`` as a SELECT): run it on a read-only store (``Store(path, read_only=True)``,
    which also disables file access from SQL), as the CLI and the server do. With
    ``timeout`` (seconds) a query still running then is interrupted."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as err:
        raise StoreError(f"SQL does not parse: {err}") from None
    if len(statements) != 1:
        raise StoreError(f"give exactly one SELECT statement (got {len(statements)})")
    if statements[0].type != duckdb.StatementType.SELECT:
        kind = str(statements[0].type).rsplit(".", 1)[-1]
        raise StoreError(f"only SELECT queries are allowed here (got {kind}); the store is read-only")
    _refuse_private(store, sql)
    cursor = store.cursor()
    timer = threading.Timer(timeout, cursor.interrupt) if timeout else None
    try:
        if timer is not None:
            timer.start()
        cursor.execute(sql)
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchmany(limit) if limit is not None else cursor.fetchall()
    except duckdb.InterruptException:
        raise StoreError(f"the query ran longer than {timeout:g} s and was stopped (the sql_timeout setting)") from None
    except duckdb.Error as err:
        raise StoreError(f"query failed: {err}") from None
    finally:
        if timer is not None:
            timer.cancel()
        cursor.close()
    return columns, [[jsonable(v) for v in row] for row in rows]


# -- the record as reviewed (issue 14: rules in review_rules.py, the API in reviews.py) ------------
#
# The tables these functions read already hold the record as reviewed: ``events`` and
# ``event_participants`` are views without the rejected events, and every report, person and
# named event carries its reviewed values. Two hooks for what they cannot show by themselves:
# rejected events on request, and who reviewed an event when.

#: What a query of merged events may show: the record as reviewed (rejected events left out), or all.
REVIEWED = ("reviewed", "all")


def event_relations(reviewed: str = "reviewed") -> tuple[str, str]:
    """The (events, participants) relations a query of merged events reads: the record as
    reviewed, ``("events", "event_participants")``, or with ``reviewed="all"`` the tables with
    the rejected events too, ``("all_events", "all_event_participants")``. events() and
    count_events() take ``reviewed`` by reading these in their FROM clauses."""
    if reviewed not in REVIEWED:
        raise StoreError(f"reviewed is {reviewed!r}; use one of {', '.join(REVIEWED)}")
    return ("events", "event_participants") if reviewed == "reviewed" else ("all_events", "all_event_participants")


def event_reviews(store: Store, event_ids: Iterable[int]) -> dict[int, dict | None]:
    """How each merged event was reviewed, for the ``review`` field of events():
    ``{"status": confirmed | corrected | rejected, "n_reviewed": reports reviewed, "reviewers": [...],
    "reviewed_at": the latest}``, or None when none of its reports was reviewed."""
    ids = [int(i) for i in event_ids]
    out: dict[int, dict | None] = {i: None for i in ids}
    if not ids:
        return out
    for event_id, status, n, names, at in store.execute(
            "SELECT id, review, n_reviewed, reviewers, reviewed_at FROM all_events"
            " WHERE id IN (SELECT unnest(?::BIGINT[])) AND review IS NOT NULL", [ids]).fetchall():
        out[event_id] = {"status": status, "n_reviewed": n, "reviewers": list(names or []),
                         "reviewed_at": jsonable(at)}
    return out

