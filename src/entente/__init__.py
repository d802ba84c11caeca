"""Entente: a sourced, time-resolved record of who did what with whom in defence and
diplomacy news.

    >>> from entente import extract
    >>> record = extract("date 2017-09-27 MOSCOW. KAZINFORM Serbia will ...")

``extract(text, *, published=None, id=None, publisher=None, title=None, url=None)`` returns the
record of ../shared/SPEC.md as a dict; the spaCy pipeline loads on the first call.
"""
from __future__ import annotations

from .extract import extract  # noqa: E402  (the function shadows its module's name on purpose)

__version__ = "0.1.0"
__all__ = ["extract", "__version__"]
