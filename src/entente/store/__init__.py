"""The record store (DuckDB): schema and migrations, the one write path, merge rules, queries.

Faces (CLI, API, pages) read through :mod:`entente.store.queries`; only
:class:`~entente.store.store.Store` writes.
"""
from .store import Store, WriteResult

__all__ = ["Store", "WriteResult"]
