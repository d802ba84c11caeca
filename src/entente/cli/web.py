"""``entente serve``: the API and pages over a record store (needs the ``web`` extra)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .. import settings
from .common import db_path, errors_reported, fail


def serve(
    db: Optional[Path] = typer.Option(None, "--db", help="DuckDB file of the record store (default: the `db` setting)"),
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on (0.0.0.0 to share on the network)"),
    port: int = typer.Option(8000, "--port", help="port to listen on"),
) -> None:
    """Serve the JSON API (/api/, schema at /api/docs) and the pages (events, actors, articles,
    named events, network, map). Read-only unless the api_token setting is set; the SQL
    endpoint only with sql_enabled."""
    try:
        import uvicorn

        from ..web.app import create_app
    except ImportError as err:
        fail(f"the web extra is not installed ({err.name}); install it with `pip install 'entente[web]'`")
    path = db_path(db)
    with errors_reported():
        web_app = create_app(path)
    mode = "ingest over HTTP enabled (api_token set)" if settings.get("api_token") else "read-only"
    mode += "; reviewers (`entente reviewer add`) sign in at /review/sign-in to correct the record"
    typer.secho(f"entente: serving {path} on http://{host}:{port}/ ({mode})", fg="green", err=True)
    uvicorn.run(web_app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command()(serve)
