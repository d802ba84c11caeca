"""The project's named exceptions. Messages say what failed, where, and what to do."""
from __future__ import annotations


class EntenteError(Exception):
    """Base of every error Entente raises on purpose."""


class ArticleError(EntenteError):
    """An article that cannot be read: names the file, the line (for JSONL) and the problem."""

    def __init__(self, source: str, problem: str, line: int | None = None):
        self.source = str(source)
        self.line = line
        self.problem = problem
        where = f"{self.source} line {line}" if line is not None else self.source
        super().__init__(f"{where}: {problem}")

    def as_dict(self) -> dict:
        return {"source": self.source, "line": self.line, "reason": self.problem}


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
    """A setting names something that is not there (e.g. a spaCy pipeline not installed)."""
