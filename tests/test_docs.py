"""The README documents every setting and every command (a new one without docs fails here)."""
from __future__ import annotations

from pathlib import Path

import pytest

from entente import settings
from entente.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [s.name for s in settings.SETTINGS])
def test_docs_every_setting_is_in_the_readme(name):
    assert f"| {name} |" in README, f"setting {name!r} is missing from the README's settings table"


def _commands():
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)


@pytest.mark.parametrize("command", _commands())
def test_docs_every_command_is_in_the_readme(command):
    assert f"entente {command}" in README, f"command {command!r} is not shown in the README"


def test_docs_readme_opens_with_the_two_commands():
    head = README.split("\n## ")[0]
    assert "make demo" in head and "make test" in head
