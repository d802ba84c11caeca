"""The JSON API under ``/api/``: thin routes over the context functions of :mod:`.data`
(the pages call the same ones). Read-only, except POST /api/articles with the token."""
from __future__ import annotations

import hmac
from typing import Any, Iterator, Literal, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field

from ..store import queries
from . import data
from .data import Filters


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
    date: Optional[str] = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="publication date, YYYY-MM-DD")
    title: Optional[str] = None
    url: Optional[str] = None
    publisher: Optional[str] = None


ERRORS = {status: {"model": ErrorResponse} for status in (400, 404, 422)}
REVIEWED_HELP = "the record as analysts reviewed it (rejected events left out), or `all` (rejected events too)"
router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)


def reader(request: Request) -> Iterator[data.Reader]:
    """The store's reader, held for the request (a write waits until the request is done)."""
    with request.app.state.web.shared.reading() as r:
        yield r


def filters(
    actor: Optional[str] = Query(None, max_length=64, description="a code taking part (actor or recipient)"),
    with_: Optional[str] = Query(None, alias="with", max_length=256, description="codes that must also take part, comma-separated"),
    type: Optional[str] = Query(None, max_length=256, description="PLOVER types, comma-separated (AGREE,CONSULT)"),
    since: Optional[str] = Query(None, max_length=32, description="ISO date at any precision (2017, 2017-09, 2017-09-25)"),
    until: Optional[str] = Query(None, max_length=32, description="ISO date at any precision"),
    place: Optional[str] = Query(None, max_length=128, description="a place name or a country code"),
    aux: Optional[str] = Query(None, max_length=64, description="none, future, hypothetical, negation, historical (comma-separated)"),
    role: Optional[Literal["any", "actor", "recipient"]] = Query(None, description="narrows `actor` to one role"),
    limit: int = Query(100, ge=1, le=1000, description="events per page"),
    offset: int = Query(0, ge=0, le=10_000_000, description="events to skip"),
    reviewed: Literal["reviewed", "all"] = Query("reviewed", description=REVIEWED_HELP),
) -> Filters:
    """The filters of ``entente events``, as query parameters of every list, page and graph."""
    return Filters(actor=actor or None, with_=with_ or None, type=type or None, since=since or None,
                   until=until or None, place=place or None, aux=aux or None, role=role,
                   limit=limit, offset=offset, reviewed=reviewed)


def not_found(what: str) -> HTTPException:
    return HTTPException(404, f"{what} is not in the store")


@router.get("/", summary="What the store holds")
def api_summary(r: data.Reader = Depends(reader)) -> dict:
    """Rows per table of the store, and where to go next."""
    return {**data.summary_view(r), "links": {"events": "/api/events", "actors": "/api/actors",
                                              "articles": "/api/articles", "named_events": "/api/named-events",
                                              "network": "/api/network", "map": "/api/map",
                                              "openapi": "/api/openapi.json"}}


@router.get("/events", summary="Merged events, filtered and paged")
def api_events(f: Filters = Depends(filters), r: data.Reader = Depends(reader)) -> dict:
    """Merged events (earliest first) with participants and source articles; ``total`` is how
    many the filters find on all pages, ``next_offset`` the offset of the next page, or null on
    the last."""
    return data.events_view(r, f)


@router.get("/events/{event_id}", summary="One merged event")
def api_event(event_id: int, r: data.Reader = Depends(reader),
              reviewed: Literal["reviewed", "all"] = Query("reviewed", description=REVIEWED_HELP)) -> dict:
    found = data.event_view(r, event_id, reviewed) if -2**62 < event_id < 2**62 else None
    if found is None:
        raise not_found(f"event {event_id}")
    return found


@router.get("/actors", summary="Every actor the store has seen")
def api_actors(kind: Optional[str] = Query(None, max_length=32, description="state, organization or group"),
               r: data.Reader = Depends(reader)) -> dict:
    return data.actors_view(r, kind)


@router.get("/actors/{code}", summary="An actor's profile and its events")
def api_actor(code: str, f: Filters = Depends(filters), r: data.Reader = Depends(reader)) -> dict:
    found = data.actor_view(r, code, f)
    if found is None:
        raise not_found(f"actor {code!r}")
    return found


@router.get("/articles", summary="Stored articles, newest first (without text)")
def api_articles(limit: int = Query(100, ge=1, le=10_000), r: data.Reader = Depends(reader)) -> dict:
    return data.articles_view(r, limit)


@router.get("/articles/{article_id}", summary="One article: its record, text and highlights")
def api_article(article_id: str, r: data.Reader = Depends(reader),
                reviewed: Literal["reviewed", "all"] = Query("reviewed", description=REVIEWED_HELP)) -> dict:
    found = data.article_view(r, article_id, reviewed)
    if found is None:
        raise not_found(f"article {article_id!r}")
    return found


@router.post("/articles", status_code=201, summary="Ingest one article (needs the API token)",
             responses={401: {"model": ErrorResponse}, 403: {"model": ErrorResponse},
                        413: {"model": ErrorResponse}})
def api_post_article(article: ArticleIn, request: Request) -> dict:
    """Extract the article's record and write it to the store. Needs ``Authorization:
    Bearer <api_token>``; with no token set the API is read-only and this answers 403."""
    state = request.app.state.web
    token = state.settings.get("api_token") or ""
    if not token:
        raise HTTPException(403, "the API is read-only; set the api_token setting (ENTENTE_API_TOKEN) "
                                 "to enable ingesting over HTTP")
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
        raise HTTPException(401, "missing or wrong token: send `Authorization: Bearer <api_token>`",
                            headers={"WWW-Authenticate": "Bearer"})
    limit = state.settings.get("max_article_bytes") or 0
    if limit and len(article.text.encode("utf-8")) > limit:
        raise HTTPException(413, f"the article is longer than max_article_bytes ({limit} bytes)")
    return ingest_article(state, article)


def ingest_article(state, article: ArticleIn) -> dict:
    """Extract one posted article and store it through the engines' ingest path
    (:func:`entente.engines.local.ingest_articles`: the same skipping, failures and write).
    The extraction runs before the store is taken for writing, so reads go on meanwhile."""
    from ..engines.local import extract_chunk, extracted_beforehand, ingest_articles
    from ..read.sources import Article
    from ..store.store import text_checksum

    art = Article(id=article.id or f"post-{text_checksum(article.text)[:12]}", text=article.text,
                  date=article.date, title=article.title, url=article.url, publisher=article.publisher,
                  source="POST /api/articles")
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
