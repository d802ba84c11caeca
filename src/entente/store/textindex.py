"""The words of the stored articles, for full-text search without a DuckDB extension (the
``fts`` extension is not bundled with DuckDB's Python package, and no package of it matches the
pinned DuckDB): the store writes, with every article, its sentences and the words of each
(tables ``article_sentences`` and ``text_terms``, schema migration 3), and
:func:`entente.store.queries.search` looks the words of a query up there.

Sentences are cut with a plain rule, not the NLP (the store knows nothing of it): after ``.``,
``!`` or ``?`` (and any closing quote or bracket) followed by white space and a capital letter,
a digit or an opening quote; and at blank lines. A full stop after a single capital letter
(an initial, "U.S.") does not end a sentence. A word is a run of letters and digits, folded
to lower case without accents ("Señor" -> "senor"), as :func:`fold` does.
"""
from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")
# a sentence ends at . ! ? (+ closing quotes/brackets) before white space and a capital, digit
# or opening quote ("He left. The talks ..."), or at a blank line
_END = re.compile(r"""(?<=[.!?])["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])|\n\s*\n""")
# "U.S. officials", "J. Smith": a full stop after a lone capital letter is not an end
_INITIAL = re.compile(r"(?:^|[\s.(])[A-Z]\.$")


def fold(text: str) -> str:
    """Lower case without accents: what search compares ("Señor" -> "senor")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def terms(text: str) -> list[str]:
    """The distinct words of ``text``, folded, in order of first appearance."""
    return list(dict.fromkeys(_WORD.findall(fold(text))))


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the sentences of ``text``, white space trimmed."""
    spans, start = [], 0
    for m in _END.finditer(text):
        end = m.end() if m.group(0).strip() else m.start()
        if _INITIAL.search(text[max(0, end - 3):end]) and "\n" not in m.group(0):
            continue
        spans.append((start, end))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out
