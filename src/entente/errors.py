"""The project's named exceptions. Messages say what failed, where, and what to do."""
from __future__ import annotations

import os
import re

#: Characters no store, terminal or JSON encoder takes as they are: lone surrogates (from a
#: JSON escape like "\ud800", or a file name whose bytes are not UTF-8) and NUL.
_UNSAFE = re.compile("[\ud800-\udfff\x00]")


def safe_text(value: object, limit: int | None = None) -> str:
    """``value`` as text every writer takes: a lone surrogate becomes its escape (``\\ud800``;
    an undecodable byte of a file name, ``\\xe9``), NUL becomes ``\\x00``; cut to ``limit``
    characters (with an ellipsis) if given. Used for ids, file names and messages before they
    reach the store or a terminal."""
    text = value if isinstance(value, str) else str(value)
    if _UNSAFE.search(text):
        text = _UNSAFE.sub(_escape, text)
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return text


def _escape(m: re.Match) -> str:
    char = m.group(0)
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by the file system's decoding
        return f"\\x{os.fsencode(char)[0]:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class EntenteError(Exception):
    """Base of every error Entente raises on purpose."""


class ArticleError(EntenteError):
    """An article that cannot be read: names the file, the line (for JSONL) and the problem."""

    def __init__(self, source: str, problem: str, line: int | None = None, article: str | None = None):
        self.source = safe_text(source)
        self.line = line
        self.problem = safe_text(problem)
        self.article = safe_text(article, 1000) if article is not None else None
        where = f"{self.source} line {line}" if line is not None else self.source
        super().__init__(f"{where}: {self.problem}")

    def as_dict(self) -> dict:
        return {"source": self.source, "line": self.line, "reason": self.problem, "article": self.article}


class DictionaryError(EntenteError):
    """A data file (actors, offices, patterns, ...) with bad entries; lists every bad line."""

    def __init__(self, path: str, problems: list[str]):
        self.path = str(path)
        self.problems = problems
        listed = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{self.path}: {len(problems)} bad entries; fix them and reload:\n{listed}{more}")


class StoreError(EntenteError):
    """The record store cannot do what was asked (bad file, newer schema, read-only, ...)."""


class SettingError(EntenteError):
    """A setting names something that is not there (e.g. a spaCy pipeline not installed) or
    has a value of the wrong kind (``ENTENTE_LOCK_WAIT=soon``)."""
