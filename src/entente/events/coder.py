"""PLOVER event coding over the dependency parse."""
from __future__ import annotations


def code_events(doc, resolved, d, *, explain: bool = False) -> list:
    return []
