"""The ``entente`` command line: thin commands over the library.

The root app is made here; each module of this package registers its group of commands on
it (``register(app)``), and none imports this one, so there is no circle:

- :mod:`.extract`: ``extract`` (the only command that loads the NLP up front);
- :mod:`.store`: ``ingest`` and the query commands (``events``, ``actors``, ``actor``,
  ``named-events``, ``failures``, ``sql``, ``export``), which load only the store;
- :mod:`.web`: ``serve``;
- :mod:`.review`: ``reviewer add|token|list|revoke`` and ``review orphans|stats|suggest|export-gold``;
- :mod:`.settings`: ``settings``.

:mod:`.common` holds what they share: ``open_store``, the one error-to-message function and
the printing of rows.
"""
from __future__ import annotations

import typer

from . import extract as extract_commands
from . import review as review_commands
from . import settings as settings_commands
from . import store as store_commands
from . import web as web_commands

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Entente: a sourced, time-resolved record of who did what with whom in defence and diplomacy news.")

for _group in (extract_commands, store_commands, web_commands, settings_commands, review_commands):
    _group.register(app)


def main() -> None:
    """The ``entente`` console script. An error of Entente's own that a command does not
    report itself (a setting of the wrong kind, read by any command) is one line, not a
    traceback."""
    from .common import REPORTED, error_message

    try:
        app(standalone_mode=True)
    except REPORTED as err:
        typer.secho(f"entente: {error_message(err)}", fg="red", err=True)
        raise SystemExit(1) from None


__all__ = ["app", "main"]
