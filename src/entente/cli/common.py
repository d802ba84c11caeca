"""What every command shares: the store it opens, the one way an error becomes a message,
and the way rows are printed (a table, JSON Lines or CSV).

Nothing here imports the NLP: the query commands load only the store (see
``tests/test_layers.py``, which checks that ``entente events`` never imports spaCy).
"""
from __future__ import annotations

import csv
import json
import shutil
import sys
import textwrap
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, NoReturn, Optional

import typer

from .. import settings
from ..errors import EntenteError
from ..read.sources import SUFFIX_LIST


if TYPE_CHECKING:
    from ..store import Store

DB_HELP = "DuckDB file of the record store (default: the `db` setting)"
PATHS_HELP = (f"files or folders of articles; a folder is read for the files ending in {SUFFIX_LIST} (in name "
              "order, README, PROVENANCE and LICENSE files and hidden ones skipped)")
#: Errors a command reports as one line (anything else is a bug and keeps its traceback).
REPORTED = (EntenteError, OSError)


class Format(str, Enum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


def db_path(db: Optional[Path]) -> str:
    """The store file a command works on: ``--db``, else the ``db`` setting."""
    return str(db) if db else settings.get("db")


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``entente: message`` in red on stderr and end the command with ``code``."""
    typer.secho(f"entente: {message}", fg="red", err=True)
    raise typer.Exit(code)


def error_message(err: BaseException) -> str:
    """The one line a user reads for an error: Entente's own messages as they are (they say
    what failed, where and what to do), a file the system refused with its name and reason."""
    if isinstance(err, EntenteError):
        return str(err)
    if isinstance(err, OSError):
        where = err.filename if err.filename is not None else "a file"
        return f"{where}: {err.strerror or err}"
    return f"{type(err).__name__}: {err}"


@contextmanager
def errors_reported() -> Iterator[None]:
    """Turn the errors of :data:`REPORTED` raised inside into :func:`fail` (exit code 1)."""
    try:
        yield
    except REPORTED as err:
        fail(error_message(err))


@contextmanager
def open_store(db: Optional[Path], *, read_only: bool = True, config: dict | None = None) -> Iterator["Store"]:
    """The store of ``--db`` (or the setting), open for the ``with`` block and closed after it;
    read-only unless asked otherwise. A store that cannot be opened, and any error of
    :data:`REPORTED` inside the block, end the command with its message."""
    from ..store import Store

    try:
        store = Store(db_path(db), read_only=read_only, config=config)
    except EntenteError as err:
        fail(error_message(err))
    try:
        with errors_reported():
            yield store
    finally:
        store.close()


# -- printing rows ---------------------------------------------------------------------------


def cell(value: Any) -> str:
    """A value as a table or CSV cell: lists joined with commas, dicts as JSON, None empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


#: Columns that are never wrapped in a table (short codes, dates, counts).
SHORT_COLUMNS = frozenset({"id", "date", "event", "type", "aux", "sources", "n_sources", "n_events", "events",
                           "kind"})


def print_rows(rows: list[dict], fmt: Format, columns: list[str] | None = None, title: str | None = None,
               flat: Callable[[dict], dict] | None = None) -> None:
    """Rows as a table, JSON Lines (whole rows) or CSV (``flat`` rows if given)."""
    if fmt is Format.jsonl:
        write = sys.stdout.write
        for row in rows:
            write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    shown = [flat(r) for r in rows] if flat else rows
    columns = columns or (list(shown[0]) if shown else [])
    if fmt is Format.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        for row in shown:
            writer.writerow([cell(row.get(c)) for c in columns])
        return
    if not shown:
        typer.echo(title or "nothing found")
        return
    # piped or in a narrow window, the table would be squeezed to 80 columns: give it room
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else 200
    sys.stdout.write(render_table(columns, [[cell(row.get(c)) for c in columns] for row in shown],
                                  title=title, width=width))


def render_table(columns: list[str], cells: list[list[str]], *, title: str | None = None,
                 width: int = 200) -> str:
    """A boxed text table (a heavy rule under the header) of at most ``width`` characters:
    columns as wide as their longest cell; when they do not fit, the long columns (not the
    short ones of :data:`SHORT_COLUMNS`) are narrowed to one common cap and their cells wrap."""
    lines_of = [[c.splitlines() or [""] for c in row] for row in cells]
    natural = [max([len(name)] + [max(len(x) for x in row[i]) for row in lines_of]) for i, name in enumerate(columns)]
    room = max(width - (3 * len(columns) + 1), len(columns))
    widths = list(natural)
    narrow = [i for i, name in enumerate(columns) if name not in SHORT_COLUMNS]
    if sum(widths) > room and narrow:
        fixed = sum(w for i, w in enumerate(widths) if i not in narrow)
        lo, hi = 1, max(natural[i] for i in narrow)
        while lo < hi:   # the largest cap at which the narrowed columns still fit
            cap = (lo + hi + 1) // 2
            if fixed + sum(min(natural[i], cap) for i in narrow) <= room:
                lo = cap
            else:
                hi = cap - 1
        for i in narrow:
            widths[i] = min(natural[i], lo)

    def wrapped(lines: list[str], w: int) -> list[str]:
        pieces: list[str] = []
        for line in lines:
            pieces += (textwrap.wrap(line, w, break_long_words=True, break_on_hyphens=False) or [""]) \
                if len(line) > w else [line]
        return pieces

    def rule(left: str, fill: str, mid: str, right: str) -> str:
        return left + mid.join(fill * (w + 2) for w in widths) + right + "\n"

    out: list[str] = []
    total = sum(widths) + 3 * len(widths) + 1
    if title:
        out.append(title.center(total).rstrip() + "\n")
    out.append(rule("┏", "━", "┳", "┓"))

    def cells_of(row: list[list[str]], bar: str) -> None:
        parts = [wrapped(lines, w) for lines, w in zip(row, widths)]
        for k in range(max(len(p) for p in parts)):
            out.append(bar + bar.join(f" {(p[k] if k < len(p) else ''):<{w}} " for p, w in zip(parts, widths))
                       + bar + "\n")

    cells_of([[name] for name in columns], "┃")
    out.append(rule("┡", "━", "╇", "┩"))
    for row in lines_of:
        cells_of(row, "│")
    out.append(rule("└", "─", "┴", "┘"))
    return "".join(out)
