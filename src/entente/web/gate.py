"""The door of every request: a body refused by its size, and a route that needs the API
token refused without it, before the body is read (a 200 MB POST without the token costs
the server nothing; without this, FastAPI reads and parses a body before any check runs)."""
from __future__ import annotations

import hmac
from typing import Any, Callable

from starlette.requests import Request

#: Requests that need the API token: (method, path). The token is checked before the body is read.
TOKEN_ROUTES = {("POST", "/api/articles")}


class RequestGate:
    """ASGI middleware that answers a request before its body is read when the body is too
    long (``Content-Length`` over the ``max_request_bytes`` setting, or a chunked body that
    grows past it: 413) or when the route needs the API token and it is not there or wrong
    (403, 401): a 200 MB POST without the token costs the server nothing."""

    def __init__(self, app, settings: dict[str, Any], respond: Callable[..., Any]):
        self.app = app
        self.settings = settings
        self.respond = respond

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        limit = int(self.settings.get("max_request_bytes") or 0)
        refusal = None
        if (scope["method"], scope["path"].rstrip("/") or "/") in TOKEN_ROUTES:
            refusal = token_problem(self.settings.get("api_token") or "", headers.get("authorization", ""))
        length = headers.get("content-length")
        if refusal is None and length is not None:
            if not length.strip().isdigit():
                refusal = (400, f"Content-Length is {length!r}, not a number of bytes")
            elif limit and int(length) > limit:
                refusal = (413, f"the request body is {int(length):,} bytes, over the {limit:,}-byte limit "
                                "(setting max_request_bytes)")
        if refusal is None and length is None and limit and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            receive, refusal = await _buffered(receive, limit)
        if refusal is not None:
            status, message, *extra = refusal
            request = Request(scope)
            response = self.respond(request, status, message, headers=extra[0] if extra else None)
            response.headers["Connection"] = "close"  # the body left unread is not waited for
            return await response(scope, receive, send)
        return await self.app(scope, receive, send)


async def _buffered(receive, limit: int):
    """A body sent without Content-Length, read up to ``limit`` bytes: (a receive that replays
    it, None), or (receive, the refusal) once it grows past the limit."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            chunks.append(message)
            break
        size += len(message.get("body", b""))
        if size > limit:
            return receive, (413, f"the request body is over the {limit:,}-byte limit (setting max_request_bytes)")
        chunks.append(message)
        if not message.get("more_body", False):
            break

    async def replay():
        if chunks:
            return chunks.pop(0)
        return await receive()

    return replay, None


def token_problem(token: str, authorization: str) -> tuple | None:
    """Why a request may not use a route that needs the API token: (status, message[,
    headers]), or None when ``authorization`` carries the right token."""
    if not token:
        return (403, "the API is read-only; set the api_token setting (ENTENTE_API_TOKEN) to enable ingesting "
                     "over HTTP")
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
        return (401, "missing or wrong token: send `Authorization: Bearer <api_token>`",
                {"WWW-Authenticate": "Bearer"})
    return None
