"""Questions to the record store, answered as plain rows (lists of dicts, JSON-ready).

The CLI, the API, the web pages and the exports all call these functions, so that a table
on the command line, a JSON answer and a page show the same thing; every SQL statement they
run is here (the faces run none of their own). Every function takes an open
:class:`~entente.store.store.Store` (or a reader of one) and never writes to it.
"""
from __future__ import annotations

import json
import threading
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable

import duckdb

from ..errors import StoreError
from . import merge
from .store import Store

AUX_VALUES = ("none", "future", "hypothetical", "negation", "historical")


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


# -- events -------------------------------------------------------------------------------


def _event_filter(*, actor: str | None = None, with_: str | Iterable[str] | None = None,
                  types: str | Iterable[str] | None = None, since: str | None = None, until: str | None = None,
                  place: str | None = None, aux: str | Iterable[str] | None = None, role: str | None = None,
                  ids: Iterable[int] | None = None, reviewed: str = "reviewed") -> tuple[str, list] | None:
    """The WHERE clause and parameters of :func:`events`' filters (None: nothing can match)."""
    where, params = ["TRUE"], []
    _, taking_part = event_relations(reviewed)
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
    if since:
        start, _ = merge.date_bounds(since)
        if start is None:
            raise StoreError(f"--since is {since!r}; write it as YYYY, YYYY-MM or YYYY-MM-DD")
        where.append("e.date_end >= ?")
        params.append(start)
    if until:
        _, end = merge.date_bounds(until)
        if end is None:
            raise StoreError(f"--until is {until!r}; write it as YYYY, YYYY-MM or YYYY-MM-DD")
        where.append("e.date_start <= ?")
        params.append(end)
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
           reviewed: str = "reviewed") -> list[dict]:
    """Merged events, earliest first, each with its participants and its sources, as reviewed.

    - ``actor``: a code taking part (as actor or recipient; ``role`` narrows it to one);
    - ``with_``: codes that must also take part (any role);
    - ``types``: PLOVER types (``"AGREE,CONSULT"``);
    - ``since`` / ``until``: ISO dates at any precision; an event is kept when the time it
      covers overlaps [since, until] (``--until 2017`` keeps all of 2017); undated events
      are left out when either is given;
    - ``place``: a place name (any case) or a country code;
    - ``aux``: ``none`` (it happened), ``future``, ``hypothetical``, ``negation``,
      ``historical``, or several comma-separated;
    - ``reviewed``: ``"reviewed"`` (the record as analysts reviewed it, rejected events left
      out) or ``"all"`` (rejected events too). Each event's ``review`` says whether it was
      reviewed: ``{"status", "n_reviewed", "reviewers", "reviewed_at"}`` or None.
    """
    found_filter = _event_filter(actor=actor, with_=with_, types=types, since=since, until=until, place=place,
                                 aux=aux, role=role, ids=ids, reviewed=reviewed)
    if found_filter is None:
        return []
    where_sql, params = found_filter
    relation, taking_part = event_relations(reviewed)
    sql = ("SELECT e.id, e.type, e.quad, e.date, e.enddate, e.aux, e.mode, e.context, e.place_name,"
           " e.place_country, e.lat, e.lon, e.confidence, e.n_sources, e.review, e.n_reviewed, e.reviewers,"
           f" e.reviewed_at FROM {relation} e WHERE {where_sql} ORDER BY e.date_start NULLS LAST, e.id")
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    found = store.execute(sql, params).fetchall()
    if not found:
        return []
    event_ids = [r[0] for r in found]
    # the ids as one list parameter: binding thousands of separate parameters is slow
    participants: dict[int, dict[str, list]] = {i: {"actor": [], "recipient": []} for i in event_ids}
    for event_id, role_, code, sector in store.execute(
            f"SELECT event, role, code, sector FROM {taking_part} WHERE event IN (SELECT unnest(?::BIGINT[]))"
            " ORDER BY event, role, code", [event_ids]).fetchall():
        participants[event_id][role_].append({"code": code, "sector": sector})
    sources: dict[int, list] = {i: [] for i in event_ids}
    for row in _rows(store.execute(
            "SELECT s.event, s.article, a.title, a.url, a.published, s.publisher, s.sequence, s.start, s.\"end\","
            " s.event_text, s.confidence FROM event_sources s JOIN articles a ON a.id = s.article"
            " WHERE s.event IN (SELECT unnest(?::BIGINT[])) ORDER BY s.event, s.id", [event_ids])):
        sources[row.pop("event")].append(row)
    out = []
    for (event_id, type_, quad, date_, enddate, aux_, mode, context, pname, pcountry, lat, lon,
         confidence, n_sources, review, n_reviewed, reviewers, reviewed_at) in found:
        out.append({
            "id": event_id, "event": type_, "quad": quad, "date": date_, "enddate": enddate, "aux": aux_,
            "actor": participants[event_id]["actor"], "recipient": participants[event_id]["recipient"],
            "mode": list(mode or []), "context": list(context or []),
            "event_loc": _place(pname, pcountry, lat, lon), "confidence": confidence,
            "n_sources": n_sources, "sources": sources[event_id],
            "review": None if review is None else {"status": review, "n_reviewed": n_reviewed,
                                                   "reviewers": list(reviewers or []),
                                                   "reviewed_at": jsonable(reviewed_at)},
        })
    return out


def count_events(store: Store, **filters) -> int:
    """How many merged events :func:`events` finds with these filters (all pages)."""
    found_filter = _event_filter(**filters)
    if found_filter is None:
        return 0
    where_sql, params = found_filter
    relation, _ = event_relations(filters.get("reviewed", "reviewed"))
    return store.execute(f"SELECT count(*) FROM {relation} e WHERE {where_sql}", params).fetchone()[0]


def event(store: Store, event_id: int, *, reviewed: str = "reviewed") -> dict | None:
    """One merged event by its id, as :func:`events` shows it; None if there is none (or,
    unless ``reviewed="all"``, if it was rejected)."""
    found = events(store, ids=[event_id], reviewed=reviewed)
    return found[0] if found else None


def _first_events_sql(where_sql: str, limit: int | None, relation: str = "events") -> str:
    """The ids (with type, quad and date order) of the first events of a filter, by date."""
    sql = (f"SELECT e.id, e.type, e.quad, e.n_sources, e.date_start, e.place_name, e.place_country, e.lat, e.lon"
           f" FROM {relation} e WHERE {where_sql} ORDER BY e.date_start NULLS LAST, e.id")
    return sql + (f" LIMIT {int(limit)}" if limit is not None else "")


def network_events(store: Store, *, limit: int | None = None, **filters) -> list[dict]:
    """The events of :func:`events`' filters (the first ``limit`` by date) as a network needs
    them: ``{id, event, quad, n_sources, actors, recipients}``, the codes sorted; one query."""
    found_filter = _event_filter(**filters)
    if found_filter is None:
        return []
    where_sql, params = found_filter
    relation, taking_part = event_relations(filters.get("reviewed", "reviewed"))
    rows = store.execute(
        f"WITH chosen AS ({_first_events_sql(where_sql, limit, relation)})"
        " SELECT c.id, c.type, c.quad, c.n_sources,"
        " list(DISTINCT p.code ORDER BY p.code) FILTER (WHERE p.role = 'actor'),"
        " list(DISTINCT p.code ORDER BY p.code) FILTER (WHERE p.role = 'recipient')"
        f" FROM chosen c LEFT JOIN {taking_part} p ON p.event = c.id"
        " GROUP BY c.id, c.type, c.quad, c.n_sources, c.date_start ORDER BY c.date_start NULLS LAST, c.id",
        params).fetchall()
    return [{"id": i, "event": t, "quad": q, "n_sources": n, "actors": a or [], "recipients": r or []}
            for i, t, q, n, a, r in rows]


def event_places(store: Store, *, limit: int | None = None, **filters) -> list[dict]:
    """Where the events of :func:`events`' filters happened (the first ``limit`` by date), for
    a map: ``{id, event, quad, name, country, lat, lon}``; an event placed only in a country
    has its capital's point (the ``countries`` table), one with no place at all has None."""
    found_filter = _event_filter(**filters)
    if found_filter is None:
        return []
    where_sql, params = found_filter
    relation, _ = event_relations(filters.get("reviewed", "reviewed"))
    rows = store.execute(
        f"WITH chosen AS ({_first_events_sql(where_sql, limit, relation)})"
        " SELECT c.id, c.type, c.quad, c.place_name, c.place_country,"
        " CASE WHEN c.lat IS NULL OR c.lon IS NULL THEN k.lat ELSE c.lat END,"
        " CASE WHEN c.lat IS NULL OR c.lon IS NULL THEN k.lon ELSE c.lon END"
        " FROM chosen c LEFT JOIN countries k ON k.code = c.place_country"
        " ORDER BY c.date_start NULLS LAST, c.id", params).fetchall()
    return [{"id": i, "event": t, "quad": q, "name": name, "country": country, "lat": lat, "lon": lon}
            for i, t, q, name, country, lat, lon in rows]


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


def actors(store: Store, *, kind: str | None = None, code: str | None = None) -> list[dict]:
    """Every actor code the store has seen (named in an article, as a person's affiliation,
    or in an event), with its kind, usual name, articles, events, people, first and last
    publication date it was seen on; most active first. ``kind`` filters (state,
    organization, group)."""
    where, params = [], []
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if code:
        where.append("code = ?")
        params.append(code.upper())
    sql = f"SELECT * FROM ({_ACTORS_SQL})" + (f" WHERE {' AND '.join(where)}" if where else "")
    return _rows(store.execute(sql + " ORDER BY n_events DESC, n_articles DESC, code", params))


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
    last seen. None when the code appears nowhere."""
    code = code.upper()
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
        params.append(participant.upper())
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
SELECT e.id, e.type AS event, e.quad, e.date, e.enddate, e.date_start, e.date_end, e.aux, e.mode, e.context,
       e.place_name, e.place_country, e.lat, e.lon, e.confidence, e.n_sources,
       e.review, e.n_reviewed, e.reviewers, e.reviewed_at,
       (SELECT list({'code': p.code, 'sector': p.sector} ORDER BY p.code) FROM {participants} p
         WHERE p.event = e.id AND p.role = 'actor') AS actor,
       (SELECT list({'code': p.code, 'sector': p.sector} ORDER BY p.code) FROM {participants} p
         WHERE p.event = e.id AND p.role = 'recipient') AS recipient,
       (SELECT list({'article': s.article, 'publisher': s.publisher, 'sequence': s.sequence, 'start': s.start,
                     'end': s."end", 'event_text': s.event_text, 'confidence': s.confidence} ORDER BY s.id)
          FROM event_sources s WHERE s.event = e.id) AS sources
FROM {events} e ORDER BY e.date_start NULLS LAST, e.id
"""


def write_events_parquet(store: Store, path: str, *, reviewed: str = "reviewed") -> int:
    """Write every merged event (as reviewed; ``reviewed="all"``: rejected ones too) to a
    Parquet file, participants and sources as nested lists of structs, with the review columns
    (``review``, ``n_reviewed``, ``reviewers``, ``reviewed_at``); DuckDB writes it: the store
    must allow file access. Returns how many."""
    relation, taking_part = event_relations(reviewed)
    target = str(path).replace("'", "''")
    sql = _PARQUET_EVENTS_SQL.replace("{participants}", taking_part).replace("{events}", relation)
    store.execute(f"COPY ({sql}) TO '{target}' (FORMAT parquet)")
    return store.execute(f"SELECT count(*) FROM {relation}").fetchone()[0]


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

