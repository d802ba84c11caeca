"""``entente settings``: the settings table, with current values."""
from __future__ import annotations

import typer

from .. import settings


def show_settings() -> None:
    """Print every setting: name, current value, and what it does."""
    for name, value, help_ in settings.table():
        typer.echo(f"{name:20s} {value!s:28s} {help_}  (env ENTENTE_{name.upper()})")


def register(app: typer.Typer) -> None:
    app.command("settings")(show_settings)
