"""Analyst review over HTTP: sign-in, the review writes, and the pages that read the reviews.

Thin routes over :mod:`entente.store.reviews` (the library) and the context functions of
:mod:`.data`. Reading stays open (targets, histories, the queue, the figures); writing needs
a reviewer (:mod:`.sessions`: the page's session cookie with its CSRF token, or ``Authorization:
Bearer <reviewer token>``) and goes through the server's one write path, ``shared.writing()``
(the store file opened read-write for the moment of the write, then a new snapshot taken before
the answer, as for ``POST /api/articles``: the next read shows the review).

    POST /api/session            {"token": "ent_..."}         sign in (sets the session cookie)
    DELETE /api/session                                       sign out
    POST /api/reviews            {"kind", "key", "action", "fields"?, "reason"?, "note"?}
    POST /api/events/{id}/reviews {"action", "fields"?, "reason"?, "note"?}   every report of it
    POST /api/reviews/{id}/undo  {"note"?}
    POST /api/events/{id}/undo   {"note"?}                    the event's reviews, as a whole
"""
from __future__ import annotations

import re
from typing import Any, Callable, Literal, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field

from ..store import reviews
from . import data, sessions
from .api import ErrorResponse, filters, not_found, reader
from .data import Filters

_LOCAL_PATH = re.compile(r"/(?![/\\])[!-~]*")
AUTH_ERRORS = {status: {"model": ErrorResponse} for status in (400, 401, 403, 404, 422)}
api = APIRouter(prefix="/api", tags=["review"], responses=AUTH_ERRORS)
pages = APIRouter(include_in_schema=False)


class SignIn(BaseModel):
    token: str = Field(..., min_length=1, max_length=200, description="the reviewer's token (`entente reviewer add`)")


class ReviewIn(BaseModel):
    """One review of one target (its kind and stable key, from /api/articles/{id}/targets)."""

    kind: Literal["event", "person", "mention", "named_event"]
    key: str = Field(..., min_length=1, max_length=1000)
    action: Literal["confirm", "reject", "edit"]
    fields: Optional[dict[str, Any]] = Field(None, description="edit: the fields it sets (reviews.EDIT_FIELDS)")
    reason: Optional[str] = Field(None, max_length=64, description="reject: one of reviews.REJECT_REASONS[kind]")
    note: Optional[str] = Field(None, max_length=2000)


class EventReviewIn(BaseModel):
    """One review of a merged event as a whole (the same review of each of its reports)."""

    action: Literal["confirm", "reject", "edit"]
    fields: Optional[dict[str, Any]] = None
    reason: Optional[str] = Field(None, max_length=64)
    note: Optional[str] = Field(None, max_length=2000)


class UndoIn(BaseModel):
    note: Optional[str] = Field(None, max_length=2000)


def _write(request: Request, change: Callable[[Any], dict]) -> dict:
    """Run one review write on the read-write store (readers wait for the moment it takes)."""
    with request.app.state.web.shared.writing() as store:
        return change(store)


# -- signing in ---------------------------------------------------------------------------------


@api.get("/session", summary="Who is signed in")
def api_session(request: Request) -> dict:
    """The reviewer of this request (the session cookie, or a Bearer token), or null."""
    name = sessions.bearer_reviewer(request)
    session = sessions.session_of(request)
    return {"reviewer": name or (session.reviewer if session else None),
            "csrf": session.csrf if session and not name else None}


@api.post("/session", summary="Sign in with a reviewer token")
def api_sign_in(body: SignIn, request: Request) -> JSONResponse:
    """Checks the token and opens a session: an HttpOnly, SameSite=Strict cookie, and the CSRF
    token every state-changing request of the session must send as ``X-CSRF-Token``. The body
    is JSON (anything else is refused with 422: a cross-site form cannot sign anyone in, and a
    cross-site script cannot send JSON without a CORS preflight, which this server never
    grants); a foreign ``Origin`` is refused (403)."""
    sessions.check_origin(request)
    with request.app.state.web.shared.reading() as r:
        name = reviews.verify_reviewer(r, body.token.strip())
    if name is None:
        raise HTTPException(401, "wrong or revoked reviewer token (`entente reviewer add NAME` prints a new one)",
                            headers={"WWW-Authenticate": 'Bearer realm="entente reviews"'})
    web = request.app.state.web
    old = sessions.session_of(request)
    if old is not None:
        web.sessions.close(old.id)
    session = web.sessions.open(name, sessions.token_id_of(body.token.strip()))
    response = JSONResponse({"reviewer": name, "csrf": session.csrf})
    response.set_cookie(sessions.COOKIE, session.id, max_age=int(web.sessions.lifetime), path="/", httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")
    return response


@api.delete("/session", summary="Sign out")
def api_sign_out(request: Request, reviewer: str = Depends(sessions.require_reviewer)) -> JSONResponse:
    session = sessions.session_of(request)
    if session is not None:
        request.app.state.web.sessions.close(session.id)
    response = JSONResponse({"reviewer": None})
    response.delete_cookie(sessions.COOKIE, path="/", httponly=True, samesite="strict")
    return response


# -- reading the reviews (open) ---------------------------------------------------------------


@api.get("/articles/{article_id:path}/targets", summary="An article's reviewable items")
def api_article_targets(article_id: str, r: data.Reader = Depends(reader)) -> dict:
    """Every event report, person, actor mention and named event of the article, with its
    stable key, its values as extracted and as reviewed, its status and who reviewed it when;
    and the reviews of this article whose target is gone (``orphans``)."""
    found = reviews.article_targets(r, article_id)
    if found is None:
        raise not_found(f"article {article_id!r}")
    return found


@api.get("/reviews", summary="The history of one target")
def api_history(kind: Literal["event", "person", "mention", "named_event"],
                key: str = Query(..., min_length=1, max_length=1000), r: data.Reader = Depends(reader)) -> dict:
    """Every review of one target, oldest first (undos and undone ones included)."""
    return {"kind": kind, "key": key, "reviews": reviews.history(r, kind, key)}


@api.get("/reviews/queue", summary="What to review next")
def api_queue(f: Filters = Depends(filters), r: data.Reader = Depends(reader),
              order: Literal["confidence", "sources"] = Query("confidence")) -> dict:
    """Unreviewed merged events, lowest confidence (or most sources) first, with the usual filters."""
    return data.review_queue_view(r, f, order)


@api.get("/reviews/stats", summary="How much is reviewed, and the extractor's precision")
def api_review_stats(actor: Optional[str] = Query(None, max_length=64), r: data.Reader = Depends(reader)) -> dict:
    """Event reports reviewed, confirmed, corrected, rejected; the rejections' reasons; the
    extractor's precision on reviewed reports (confirmed / reviewed) by the type it extracted."""
    return reviews.stats(r, actor=actor)


@api.get("/reviews/orphans", summary="Reviews whose target is gone")
def api_orphans(r: data.Reader = Depends(reader)) -> dict:
    return {"orphans": reviews.orphans(r)}


@api.get("/reviews/suggestions", summary="Corrections as proposed data-file lines")
def api_suggestions(r: data.Reader = Depends(reader)) -> dict:
    return {"suggestions": reviews.suggest(r)}


@api.get("/reviews/actors", summary="Actor codes by code or name (a review form's lookup)")
def api_actor_lookup(q: str = Query(..., min_length=1, max_length=64), r: data.Reader = Depends(reader)) -> dict:
    return {"q": q, "actors": reviews.actor_lookup(r, q)}


# -- writing reviews (a reviewer) -------------------------------------------------------------


@api.post("/reviews", status_code=201, summary="Review one target (needs a reviewer)")
def api_review(body: ReviewIn, request: Request, reviewer: str = Depends(sessions.require_reviewer)) -> dict:
    """Confirm, reject (with a reason) or edit one event report, person, actor mention or named
    event, by its stable key. Returns the review, the target as reviewed now and, for an event
    report, the merged event it belongs to now."""

    def change(store) -> dict:
        done = reviews.review(store, body.kind, body.key, body.action, reviewer=reviewer, fields=body.fields,
                              reason=body.reason, note=body.note)
        return _outcome(store, [done])
    return _write(request, change)


@api.post("/events/{event_id}/reviews", status_code=201, summary="Review a merged event as a whole (needs a reviewer)")
def api_review_event(event_id: int, body: EventReviewIn, request: Request,
                     reviewer: str = Depends(sessions.require_reviewer)) -> dict:
    """The same review of each report of the merged event, in one transaction."""
    if not -2**62 < event_id < 2**62:
        raise not_found(f"event {event_id}")

    def change(store) -> dict:
        done = reviews.review_event(store, event_id, body.action, reviewer=reviewer, fields=body.fields,
                                    reason=body.reason, note=body.note)
        return _outcome(store, done)
    return _write(request, change)


@api.post("/events/{event_id}/undo", status_code=201, summary="Undo a merged event's review (needs a reviewer)")
def api_undo_event(event_id: int, request: Request, body: Optional[UndoIn] = None,
                   reviewer: str = Depends(sessions.require_reviewer)) -> dict:
    """Undo the latest standing review of each of the event's reports (what a review of the
    event as a whole wrote)."""
    if not -2**62 < event_id < 2**62:
        raise not_found(f"event {event_id}")

    def change(store) -> dict:
        return _outcome(store, reviews.undo_event(store, event_id, reviewer=reviewer, note=body.note if body else None))
    return _write(request, change)


@api.post("/reviews/{review_id}/undo", status_code=201, summary="Undo a review (needs a reviewer)")
def api_undo(review_id: int, request: Request, body: Optional[UndoIn] = None,
             reviewer: str = Depends(sessions.require_reviewer)) -> dict:
    """Appends an undo of the review (nothing is deleted); the target goes back to what its
    other reviews make it, the extracted values if there are none."""
    if not 0 < review_id < 2**62:
        raise not_found(f"review {review_id}")

    def change(store) -> dict:
        done = reviews.undo(store, review_id, reviewer=reviewer, note=body.note if body else None)
        return _outcome(store, [done])
    return _write(request, change)


def _outcome(store, done: list[dict]) -> dict:
    """What a write answers: the reviews written, each target's state now, and the merged
    events their event reports belong to now."""
    keys = {(r["kind"], r["target"]) for r in done}
    targets = []
    for article in sorted({r["article"] for r in done}):
        found = reviews.article_targets(store, article) or {}
        targets += [t for kind in reviews.KINDS for t in found.get(kind, []) if (kind, t["key"]) in keys]
    return {"reviews": done, "targets": targets,
            "events": reviews.report_events(store, [key for kind, key in keys if kind == "event"])}


# -- pages ----------------------------------------------------------------------------------------


@pages.get("/review", response_class=HTMLResponse)
def queue_page(request: Request, f: Filters = Depends(filters), r: data.Reader = Depends(reader),
               order: Literal["confidence", "sources"] = Query("confidence")):
    from .pages import render

    return render(request, "review_queue.html", data.review_queue_view(r, f, order), title="Review queue")


@pages.get("/review/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, next: str = Query("/review", max_length=2000)):
    from .pages import render

    # only a path of this server: no //host, no backslash, nothing a browser strips (tabs,
    # newlines) to make one of them; no open redirect
    target = next if _LOCAL_PATH.fullmatch(next) else "/review"
    return render(request, "review_sign_in.html", {"next": target}, title="Sign in to review")


@pages.get("/review/stats", response_class=HTMLResponse)
def stats_page(request: Request, actor: Optional[str] = Query(None, max_length=64), r: data.Reader = Depends(reader)):
    from .pages import render

    return render(request, "review_stats.html", data.review_stats_view(r, actor), title="Review figures")
