"""Who is reviewing: the pages' reviewer sessions and the API's reviewer token.

Reading stays open; writing a review needs a reviewer (``entente reviewer add NAME`` prints
their token once; the store keeps its scrypt hash, :mod:`entente.store.reviews`). Two ways
to say who you are:

- **The pages** sign in with the token once (``POST /api/session``, JSON only) and then carry
  a session cookie (``entente_session``: HttpOnly, SameSite=Strict, Path=/, Secure over
  HTTPS). Every state-changing request made with the cookie must also carry the session's
  CSRF token in the ``X-CSRF-Token`` header (the pages put it in ``<meta name="csrf-token">``)
  and, when the browser sends an ``Origin``, come from this server's own origin.
- **The API** takes the reviewer's token itself on each write, ``Authorization: Bearer
  <token>``; no cookie, so no CSRF token either.

A wrong or missing token or session answers 401, a missing or wrong CSRF token (or a foreign
origin) 403, in the API's one error shape; nothing is written.

Why sessions live in the server's memory (a server-side session table, not a signed cookie
and not a table of the store): the server reads a read-only snapshot of the store and opens
the store file for writing only for the moment of a write, then copies a new snapshot
(:class:`~entente.store.shared.SharedStore`), so a session row written at every sign-in would
cost a write and a snapshot, and wait on any running ``entente ingest``; a signed cookie could
not be taken back at sign-out. In memory, signing out ends the session at once, and a session
is checked against the store on every request, so revoking a reviewer or giving them a new
token (``entente reviewer revoke`` / ``token``) signs them out everywhere. The price: a
restarted server has signed everyone out, and one server process holds the sessions (Entente
runs one).
"""
from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from ..store import reviews

COOKIE = "entente_session"
CSRF_HEADER = "X-CSRF-Token"
#: A session ends after this long without a request, and this long after sign-in whatever happens.
IDLE_SECONDS = 8 * 3600
LIFETIME_SECONDS = 24 * 3600


@dataclass
class Session:
    """One signed-in reviewer in one browser."""

    id: str
    reviewer: str
    token_id: str               # the public id of the token it signed in with (a new token ends it)
    csrf: str
    created: float = field(default_factory=time.time)
    seen: float = field(default_factory=time.time)


class Sessions:
    """The server's session table (see the module doc); safe across request threads."""

    def __init__(self, idle: float = IDLE_SECONDS, lifetime: float = LIFETIME_SECONDS):
        self.idle, self.lifetime = idle, lifetime
        self._by_id: dict[str, Session] = {}
        self._lock = threading.Lock()

    def open(self, reviewer: str, token_id: str) -> Session:
        session = Session(secrets.token_urlsafe(32), reviewer, token_id, secrets.token_urlsafe(32))
        with self._lock:
            self._sweep(session.created)
            self._by_id[session.id] = session
        return session

    def get(self, session_id: str | None) -> Session | None:
        """The live session of this id (its idle clock restarted), or None."""
        if not session_id:
            return None
        now = time.time()
        with self._lock:
            session = self._by_id.get(session_id)
            if session is None:
                return None
            if now - session.seen > self.idle or now - session.created > self.lifetime:
                del self._by_id[session_id]
                return None
            session.seen = now
            return session

    def close(self, session_id: str | None) -> None:
        with self._lock:
            self._by_id.pop(session_id or "", None)

    def _sweep(self, now: float) -> None:
        for sid in [s.id for s in self._by_id.values()
                    if now - s.seen > self.idle or now - s.created > self.lifetime]:
            del self._by_id[sid]

    def __len__(self) -> int:
        return len(self._by_id)


def install(app) -> None:
    """Give the app its session table and the middleware that finds each request's session
    (``request.state.session``: a live :class:`Session` whose reviewer still holds that token,
    or None). Static files are served without looking."""
    app.state.web.sessions = Sessions()

    @app.middleware("http")
    async def find_session(request: Request, call_next):
        request.state.session = None
        sid = request.cookies.get(COOKIE)
        if sid and not request.url.path.startswith("/static/"):
            request.state.session = await run_in_threadpool(_live_session, request.app.state.web, sid)
        return await call_next(request)


def _live_session(web, sid: str) -> Session | None:
    session = web.sessions.get(sid)
    if session is None:
        return None
    with web.shared.reading() as reader:
        current = reviews.active_token_id(reader, session.reviewer)
    if current != session.token_id:     # revoked, or given a new token since
        web.sessions.close(sid)
        return None
    return session


def session_of(request: Request) -> Optional[Session]:
    """The request's signed-in session, or None."""
    return getattr(request.state, "session", None)


def token_id_of(token: str) -> str:
    """The public part of a reviewer token (``ent_<id>_<secret>``)."""
    return token.split("_")[1] if token.count("_") >= 2 else ""


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(401, message, headers={"WWW-Authenticate": 'Bearer realm="entente reviews"'})


def check_origin(request: Request) -> None:
    """A browser's request that names an origin must name this server's (403 otherwise)."""
    origin = request.headers.get("origin")
    if origin is None:
        return
    host = request.headers.get("host", "")
    if origin == "null" or urlsplit(origin).netloc.lower() != host.lower():
        raise HTTPException(403, f"a request from {origin} may not change this server's store; review from its "
                                 "own pages, or send the reviewer token as `Authorization: Bearer <token>`")


def bearer_reviewer(request: Request) -> str | None:
    """The reviewer named by an ``Authorization: Bearer`` token (401 for a wrong one), or None
    when the request sends no Authorization header."""
    given = request.headers.get("authorization")
    if given is None:
        return None
    scheme, _, token = given.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("send the reviewer token as `Authorization: Bearer <token>`")
    with request.app.state.web.shared.reading() as reader:
        name = reviews.verify_reviewer(reader, token.strip())
    if name is None:
        raise _unauthorized("wrong or revoked reviewer token (`entente reviewer list` shows the reviewers; "
                            "`entente reviewer token NAME` gives one a new token)")
    return name


def require_reviewer(request: Request) -> str:
    """FastAPI dependency of every review write: the reviewer's name, from the Bearer token,
    or from the session cookie with its CSRF token (see the module doc). Raises 401 / 403."""
    name = bearer_reviewer(request)
    if name is not None:
        return name
    session = session_of(request)
    if session is None:
        raise _unauthorized("reviewing needs a reviewer: sign in at /review/sign-in, or send the reviewer "
                            "token as `Authorization: Bearer <token>`")
    check_origin(request)
    given = request.headers.get(CSRF_HEADER, "")
    if not given or not hmac.compare_digest(given.encode(), session.csrf.encode()):
        raise HTTPException(403, f"missing or wrong CSRF token: a signed-in page sends it in the {CSRF_HEADER} "
                                 "header (the page's <meta name=\"csrf-token\">); reload the page and try again")
    return session.reviewer
