"""The JSON API under ``/api/``: thin routes over the context functions of :mod:`.data`
(the pages call the same ones). Read-only, except POST /api/articles with the token."""
from __future__ import annotations

import threading
from typing import Any, Iterator, Literal, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from ..export.flat import csv_lines
from ..export.plover import iter_events
from ..store import queries
from . import data
from .data import Filters
from .gate import token_problem


class ErrorInfo(BaseModel):
    status: int
    message: str
    detail: Any = None


class ErrorResponse(BaseModel):
    """The one error shape of the API."""

    error: ErrorInfo


class ArticleIn(BaseModel):
    """An article to ingest: the JSON Lines input format of SPEC.md."""

    id: Optional[str] = Field(None, min_length=1, max_length=300, description="record id (default: a hash of the text)")
    text: str = Field(..., min_length=1, description="the article text, optionally opening with a wire dateline")
    date: Optional[str] = Field(None, max_length=40, description="publication date, YYYY-MM-DD (a date that exists)")
    title: Optional[str] = None
    url: Optional[str] = None
    publisher: Optional[str] = None


ERRORS = {status: {"model": ErrorResponse} for status in (400, 404, 413, 422)}
REVIEWED_HELP = "the record as analysts reviewed it (rejected events left out), or `all` (rejected events too)"
#: Held while a posted article is extracted: the first one loads spaCy, the data files and
#: the place index (seconds, hundreds of MB); concurrent posts wait for that one build.
_EXTRACTING = threading.Lock()
router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)


def reader(request: Request) -> Iterator[data.Reader]:
    """The store's reader, held for the request (a write waits until the request is done)."""
    with request.app.state.web.shared.reading() as r:
        yield r


def filters(
    actor: Optional[str] = Query(None, max_length=64, description="a code or name taking part (actor or recipient): "
                                 "SRB, Serbia, United Kingdom, UK"),
    with_: Optional[str] = Query(None, alias="with", max_length=256,
                                 description="codes or names that must also take part, comma-separated"),
    type: Optional[str] = Query(None, max_length=256, description="PLOVER types, comma-separated (AGREE,CONSULT)"),
    since: Optional[str] = Query(None, max_length=32, description="ISO date at any precision (2017, 2017-09, 2017-09-25)"),
    until: Optional[str] = Query(None, max_length=32, description="ISO date at any precision"),
    place: Optional[str] = Query(None, max_length=128, description="a place name or a country code"),
    aux: Optional[str] = Query(None, max_length=64, description="none, future, hypothetical, negation, historical (comma-separated)"),
    role: Optional[Literal["any", "actor", "recipient"]] = Query(None, description="narrows `actor` to one role"),
    limit: int = Query(100, ge=1, le=1000, description="events per page"),
    offset: int = Query(0, ge=0, le=10_000_000, description="events to skip"),
    quad: Optional[str] = Query(None, max_length=128, description="PLOVER quads (verbal cooperation, material "
                                "conflict, ...) or cooperation / conflict, comma-separated"),
    # numbers and switches as text, so that a page's form may send them empty
    min_confidence: Optional[str] = Query(None, max_length=8, pattern=r"^(|0|1|0?\.\d{1,6}|1\.0{1,6})$",
                                          description="confidence at least this (0 to 1)"),
    min_sources: Optional[str] = Query(None, max_length=7, pattern=r"^(|[1-9]\d{0,6})$",
                                       description="reported by at least this many articles"),
    reports: Optional[str] = Query(None, pattern="^(|true|false|1|0)$",
                                   description="true: one row per report (an article's telling) instead of one per "
                                               "merged event"),
    order: Optional[Literal["", "oldest", "newest", "sources"]] = Query(
        None, description="oldest first (the default), newest first, most reported (sources) first"),
    reviewed: Literal["reviewed", "all"] = Query("reviewed", description=REVIEWED_HELP),
) -> Filters:
    """The filters of ``entente events``, as query parameters of every list, page and graph."""
    return Filters(actor=actor or None, with_=with_ or None, type=type or None, since=since or None,
                   until=until or None, place=place or None, aux=aux or None, role=role,
                   limit=limit, offset=offset, quad=quad or None,
                   min_confidence=float(min_confidence) if min_confidence else None,
                   min_sources=int(min_sources) if min_sources else None,
                   reports=reports in ("true", "1"), order=order or None, reviewed=reviewed)


def not_found(what: str) -> HTTPException:
    return HTTPException(404, f"{what} is not in the store")


@router.get("/", summary="What the store holds")
def api_summary(r: data.Reader = Depends(reader)) -> dict:
    """Rows per table of the store, and where to go next."""
    return {**data.summary_view(r), "links": {"events": "/api/events", "events_csv": "/api/events.csv",
                                              "timeseries": "/api/timeseries", "search": "/api/search?q=",
                                              "actors": "/api/actors",
                                              "articles": "/api/articles", "named_events": "/api/named-events",
                                              "network": "/api/network", "map": "/api/map",
                                              "openapi": "/api/openapi.json"}}


@router.get("/events", summary="Merged events, filtered and paged")
def api_events(f: Filters = Depends(filters), r: data.Reader = Depends(reader)) -> dict:
    """Merged events (earliest first) with participants and source articles; ``total`` is how
    many the filters find on all pages, ``next_offset`` the offset of the next page, or null on
    the last."""
    return data.events_view(r, f)


@router.get("/events.csv", summary="The filtered events as CSV, with their sentences",
            response_class=StreamingResponse, responses={200: {"content": {"text/csv": {}}}})
def api_events_csv(f: Filters = Depends(filters), r: data.Reader = Depends(reader)) -> StreamingResponse:
    """Every event of the filters (all pages; ``limit`` and ``offset`` are ignored) as the CSV
    of ``entente events --format csv``: sortable dates with their precision, the sentence, the
    article's id, URL, title and publisher."""
    lines = list(csv_lines(iter_events(r, **f.listing_args())))   # read while the store is held
    name = "entente-events.csv"
    return StreamingResponse(iter(lines), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/timeseries", summary="Events per day, week, month or year")
def api_timeseries(f: Filters = Depends(filters), r: data.Reader = Depends(reader),
                   interval: Literal["auto", "day", "week", "month", "year"] = Query(
                       "auto", description="bucket size (auto: by the span of the events)")) -> dict:
    """Every bucket from the first to the last event of the filters, with its events by PLOVER
    quad, cooperation against conflict and the mean Goldstein-style intensity of their types
    (``intensity_of_types``); undated events are counted apart (``undated``)."""
    return data.timeseries_view(r, f, interval)


@router.get("/search", summary="Full-text search over the articles' sentences")
def api_search(q: str = Query(..., min_length=1, max_length=500, description='words (any case, accents aside); '
                              '"a phrase" in quotes'),
               limit: int = Query(20, ge=1, le=500), offset: int = Query(0, ge=0, le=1_000_000),
               r: data.Reader = Depends(reader)) -> dict:
    """Sentences (and titles) holding every word of ``q``, rarer words first, each with the
    ``link`` of its article with the sentence marked."""
    return data.search_view(r, q, limit, offset)


@router.get("/events/{event_id}", summary="One merged event")
def api_event(event_id: int, r: data.Reader = Depends(reader),
              reviewed: Literal["reviewed", "all"] = Query("reviewed", description=REVIEWED_HELP)) -> dict:
    found = data.event_view(r, event_id, reviewed) if -2**62 < event_id < 2**62 else None
    if found is None:
        raise not_found(f"event {event_id}")
    return found


@router.get("/actors", summary="Every actor the store has seen; with q, actors by name")
def api_actors(kind: Optional[str] = Query(None, max_length=32, description="state, organization or group"),
               q: Optional[str] = Query(None, max_length=100, description="a code, name or alias, or its start: "
                                        "`matches` lists the actors of the store and the data files it fits"),
               limit: Optional[int] = Query(None, ge=1, le=10_000, description="at most this many"),
               r: data.Reader = Depends(reader)) -> dict:
    """Actors seen in the store, most active first; with ``q``, those that match it, and
    ``matches`` (what the pages' autocomplete offers): the actors of the store and the data
    files whose code, name or alias is or starts with (then holds) ``q``."""
    return data.actors_view(r, kind, q or None, limit)


@router.get("/actors/{code:path}", summary="An actor's profile and its events")
def api_actor(code: str, f: Filters = Depends(filters), r: data.Reader = Depends(reader)) -> dict:
    found = data.actor_view(r, code, f)
    if found is None:
        raise not_found(f"actor {code!r}")
    return found


@router.get("/articles", summary="Stored articles, newest first (without text)")
def api_articles(limit: int = Query(100, ge=1, le=10_000), r: data.Reader = Depends(reader)) -> dict:
    return data.articles_view(r, limit)


@router.get("/articles/{article_id:path}", summary="One article: its record, text and highlights")
def api_article(article_id: str, r: data.Reader = Depends(reader),
                reviewed: Literal["reviewed", "all"] = Query("reviewed", description=REVIEWED_HELP)) -> dict:
    found = data.article_view(r, article_id, reviewed=reviewed)
    if found is None:
        raise not_found(f"article {article_id!r}")
    return found


@router.post("/articles", status_code=201, summary="Ingest one article (needs the API token)",
             responses={401: {"model": ErrorResponse}, 403: {"model": ErrorResponse},
                        413: {"model": ErrorResponse}, 503: {"model": ErrorResponse}})
def api_post_article(article: ArticleIn, request: Request) -> dict:
    """Extract the article's record and write it to the store. Needs ``Authorization:
    Bearer <api_token>``; with no token set the API is read-only and this answers 403."""
    state = request.app.state.web
    # (the request gate has checked the token before reading the body; this keeps the route
    # safe on its own)
    problem = token_problem(state.settings.get("api_token") or "", request.headers.get("authorization", ""))
    if problem is not None:
        raise HTTPException(problem[0], problem[1], headers=problem[2] if len(problem) > 2 else None)
    limit = state.settings.get("max_article_bytes") or 0
    if limit and len(article.text.encode("utf-8")) > limit:
        raise HTTPException(413, f"the article is longer than max_article_bytes ({limit} bytes)")
    return ingest_article(state, article)


def ingest_article(state, article: ArticleIn) -> dict:
    """Extract one posted article and store it through the engines' ingest path
    (:func:`entente.engines.local.ingest_articles`: the same skipping, failures and write).
    The extraction runs before the store is taken for writing, so reads go on meanwhile."""
    from ..engines.local import extract_chunk, extracted_beforehand, ingest_articles
    from ..errors import ArticleError
    from ..read.sources import article_from_object
    from ..store.store import text_checksum

    try:  # the readers' checks: dates that exist, no lone surrogates or NUL, ids an address can name
        art = article_from_object(article.model_dump(exclude_none=True), "POST /api/articles")
    except ArticleError as err:
        raise HTTPException(400, err.problem) from None
    if not article.id:
        art.id = f"post-{text_checksum(art.text)[:12]}"
    with _EXTRACTING:  # one extraction at a time: the pipeline and its indexes load once, under this lock
        [(record, error)] = extract_chunk([art])
    outcome: list = []
    with state.shared.writing() as store:
        summary = ingest_articles([art], store, workers=1, extract=extracted_beforehand({art.id: (record, error)}),
                                  on_written=lambda a, rec, result: outcome.append(result))
    if summary.failures:
        raise HTTPException(400, summary.failures[0].reason)
    [result] = outcome
    return {"id": result.article, "status": result.status, "events": result.events,
            "same_as": result.same_as, "record": record}


@router.get("/named-events", summary="Named exercises, summits, forums")
def api_named_events(type: Optional[str] = Query(None, max_length=64, description="exercise, summit, forum ..."),
                     participant: Optional[str] = Query(None, max_length=64,
                                                        description="a code taking part, observing or organising"),
                     r: data.Reader = Depends(reader)) -> dict:
    return data.named_events_view(r, type, participant)


@router.get("/named-events/{named_id}", summary="One named event and the articles that name it")
def api_named_event(named_id: int, r: data.Reader = Depends(reader)) -> dict:
    found = data.named_event_view(r, named_id) if -2**62 < named_id < 2**62 else None
    if found is None:
        raise not_found(f"named event {named_id}")
    return found


@router.get("/network", summary="Actors as nodes, edges weighted by events")
def api_network(f: Filters = Depends(filters), r: data.Reader = Depends(reader),
                top: Optional[int] = Query(None, ge=1, le=10_000,
                                           description="only the most active actors (and the edges between them)")
                ) -> dict:
    """Nodes (actors, with event counts, most active first) and one edge per pair of actors,
    with its events split into cooperation and conflict; drawn from at most 5,000 events of
    the filter. The network page lays it out in the browser."""
    return data.network_view(r, f, top=top)


@router.get("/map", summary="Event places")
def api_map(f: Filters = Depends(filters), r: data.Reader = Depends(reader)) -> dict:
    """One point per event place with its events by PLOVER quad."""
    return data.map_view(r, f)


class SqlIn(BaseModel):
    """One read-only SELECT for the SQL endpoint."""

    q: str = Field(..., min_length=1, max_length=20_000, description="one SELECT statement")
    limit: int = Field(1000, ge=1, le=100_000, description="most rows returned")


@router.post("/sql", summary="Run one read-only SELECT (off unless sql_enabled)",
             responses={403: {"model": ErrorResponse}, 415: {"model": ErrorResponse}})
def api_sql(body: SqlIn, request: Request, r: data.Reader = Depends(reader)) -> dict:
    """Columns and rows of one SELECT, as JSON in a POST body (``{"q": "SELECT ...", "limit":
    1000}``). It runs on the server's read-only connection, with file access off, a memory
    cap (``query_memory_limit``) and a time limit (``sql_timeout`` seconds). Off unless the
    ``sql_enabled`` setting is true."""
    settings = request.app.state.web.settings
    if not settings.get("sql_enabled"):
        raise HTTPException(403, "the SQL endpoint is off; set the sql_enabled setting "
                                 "(ENTENTE_SQL_ENABLED=true) to enable it")
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise HTTPException(415, "send the query as JSON (Content-Type: application/json)")
    columns, rows = queries.run_sql(r, body.q, limit=body.limit, timeout=settings.get("sql_timeout") or None)
    return {"columns": columns, "rows": rows, "limit": body.limit}
