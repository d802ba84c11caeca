"""Settings are read as the type of their default; a value of the wrong kind is one line
that names the setting and where the value came from, from any command."""
from __future__ import annotations

import subprocess
import sys

import pytest

from entente import settings
from entente.errors import SettingError


def test_settings_seconds_take_a_fraction(monkeypatch):
    monkeypatch.setenv("ENTENTE_LOCK_WAIT", "0.5")
    assert settings.get("lock_wait") == 0.5


def test_settings_whole_numbers_stay_whole(monkeypatch):
    monkeypatch.setenv("ENTENTE_WORKERS", "3")
    assert settings.get("workers") == 3 and isinstance(settings.get("workers"), int)


@pytest.mark.parametrize("name, value, says", [
    ("lock_wait", "soon", "not a number"),
    ("workers", "1.5", "not a whole number"),
    ("sql_timeout", "-1", "cannot be negative"),
])
def test_settings_bad_value_names_the_setting_and_its_source(monkeypatch, name, value, says):
    monkeypatch.setenv(f"ENTENTE_{name.upper()}", value)
    with pytest.raises(SettingError) as err:
        settings.get(name)
    assert name in str(err.value) and f"ENTENTE_{name.upper()}" in str(err.value) and says in str(err.value)


def test_settings_bad_value_is_one_line_from_the_command_line(monkeypatch):
    monkeypatch.setenv("ENTENTE_LOCK_WAIT", "soon")
    done = subprocess.run([sys.executable, "-m", "entente.cli", "settings"], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.strip() == "entente: setting lock_wait: ENTENTE_LOCK_WAIT is 'soon', which is not a number (e.g. 2.5)"
