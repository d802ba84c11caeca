"""The web face of the record store: a JSON API under ``/api/`` and pages over it.

    app = create_app("entente.duckdb")                       # read-only
    app = create_app("entente.duckdb", settings={"api_token": "s3cret", "sql_enabled": True})

Every request reads a snapshot of the store through one read-only connection (file access
off, memory capped; :class:`~entente.store.shared.SharedStore`), so ``entente ingest`` can
write the store meanwhile; with a non-empty ``api_token`` setting, ``POST /api/articles``
opens the store file read-write for the moment of its write and takes a new snapshot before
it answers, and so does a review written by a signed-in reviewer (:mod:`.review`,
:mod:`.sessions`). Every error is
answered in one shape, ``{"error": {"status", "message", "detail"}}`` under ``/api/`` and
as an HTML page elsewhere. Pages send a Content-Security-Policy that allows scripts from
this server only, a second line of defence behind escaping article text.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import settings as entente_settings
from ..errors import EntenteError, StoreError
from ..store.shared import SharedStore, StoreBusy
from .gate import RequestGate

HERE = Path(__file__).parent
WEB_SETTINGS = ("api_token", "sql_enabled", "sql_timeout", "query_memory_limit", "max_article_bytes",
                "max_request_bytes")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


class WebState:
    """What the routes share: the store (read-only for every request; read-write only for
    the moment of a POST /api/articles write, see :class:`SharedStore`) and the settings."""

    def __init__(self, shared: SharedStore, settings: dict[str, Any]):
        self.shared = shared
        self.settings = settings


def error_body(status: int, message: str, detail: Any = None) -> dict:
    """The one error shape of the API."""
    return {"error": {"status": status, "message": message, "detail": jsonable_encoder(detail)}}


def _is_api(request: Request) -> bool:
    return request.url.path == "/api" or request.url.path.startswith("/api/")


def _validation_message(errors: list[dict]) -> str:
    parts = []
    for err in errors[:3]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {err.get('msg')}")
    return "invalid request: " + "; ".join(parts)


def create_app(db_path: str | Path, *, settings: dict[str, Any] | None = None) -> FastAPI:
    """The FastAPI app over the store at ``db_path``. ``settings`` overrides the settings
    ``api_token``, ``sql_enabled`` and ``max_article_bytes`` (default: entente.settings)."""
    values = {name: entente_settings.get(name) for name in WEB_SETTINGS}
    values.update({k: v for k, v in (settings or {}).items() if k in WEB_SETTINGS})
    # Read-only whatever the token: every query, the SQL endpoint's included, runs on a
    # read-only connection with file access off and a memory cap it cannot lift.
    shared = SharedStore(db_path, memory_limit=values["query_memory_limit"] or None)

    app = FastAPI(
        title="Entente",
        version="0.1.0",
        description="Who did what with whom in defence and diplomacy news: PLOVER events, actors, "
                    "officials, named exercises, each traced to its sentence. Read-only unless an "
                    "`api_token` is set; errors are `{\"error\": {\"status\", \"message\", \"detail\"}}`.",
        docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
    )
    # The store stays open for the life of the app (not closed at lifespan shutdown: test
    # clients start and stop an app many times); ``app.state.web.shared.close()`` closes it.
    app.state.web = WebState(shared, values)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        detail = None if isinstance(exc.detail, str) else exc.detail
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}; the API is listed at /api/docs"
        if exc.status_code == 405 and message == "Method Not Allowed":
            message = f"{request.method} is not allowed on {request.url.path}"
        return _error(request, exc.status_code, message, detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        return _error(request, 422, _validation_message(errors), errors)

    @app.exception_handler(StoreBusy)
    async def store_busy(request: Request, exc: StoreBusy):
        return _error(request, 503, str(exc), headers={"Retry-After": "30"})

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError):
        return _error(request, 400, str(exc))

    @app.exception_handler(EntenteError)
    async def entente_error(request: Request, exc: EntenteError):
        return _error(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        return _error(request, 500, f"internal error ({type(exc).__name__}); see the server log")

    # refuse a body by its size, and a route that needs the token without it, before the body
    # is read (added before the security headers, so they wrap its answers too)
    app.add_middleware(RequestGate, settings=values, respond=_error)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    from . import api, pages, review, sessions

    sessions.install(app)           # reviewers' sessions (analyst review, issue 14)
    # the review routes first: /api/articles/{id:path}/targets before /api/articles/{id:path}
    app.include_router(review.api)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(review.pages)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        """Swagger UI from the vendored assets (static/vendor/swagger-ui), no inline script."""
        return HTMLResponse(DOCS_PAGE)

    return app


DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Entente API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css"></head>
<body><div id="swagger-ui"><p>The API's documentation needs JavaScript; its schema is at
<a href="/api/openapi.json">/api/openapi.json</a>.</p></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body></html>
"""


def _error(request: Request, status: int, message: str, detail: Any = None, headers: dict | None = None):
    if _is_api(request):
        return JSONResponse(error_body(status, message, detail), status_code=status, headers=headers)
    from .pages import render_error

    return render_error(request, status, message, headers=headers)


__all__ = ["create_app", "error_body", "HTMLResponse"]
