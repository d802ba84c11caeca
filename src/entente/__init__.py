"""Entente: a sourced, time-resolved record of who did what with whom in defence and
diplomacy news.

    >>> from entente import extract
    >>> record = extract("date 2017-09-27 MOSCOW. KAZINFORM Serbia will ...")

``extract(text, *, published=None, id=None, publisher=None, title=None, url=None)`` returns the
record of ../shared/SPEC.md as a dict; the spaCy pipeline loads on the first call.

``extract`` is imported on first use, not with the package: the store, the query commands and
the web pages import ``entente.*`` without loading spaCy.
"""
from __future__ import annotations

import sys
import types

__version__ = "0.1.0"
__all__ = ["extract", "__version__"]


class _Package(types.ModuleType):
    """The package's ``extract`` is the function, not its module of the same name: importing
    the module ``entente.extract`` (which sets it as this package's attribute) leaves the
    function there instead."""

    def __setattr__(self, name: str, value) -> None:
        if name == "extract" and isinstance(value, types.ModuleType) and hasattr(value, "extract"):
            value = value.extract
        super().__setattr__(name, value)


def __getattr__(name: str):
    if name == "extract":
        from .extract import extract  # sets the package attribute (see _Package) as it imports
        return extract
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


sys.modules[__name__].__class__ = _Package
