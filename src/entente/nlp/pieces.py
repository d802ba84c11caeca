"""Texts longer than the pipeline takes at once, parsed in sentence-bounded pieces.

spaCy refuses a text longer than ``nlp.max_length`` (1,000,000 characters by default: error
E088), because its parser and entity recogniser need memory in proportion to the text. An
article under Entente's own limit (``max_article_bytes``) may still be longer; rather than
fail it, :func:`pipe` cuts such a text at sentence ends (else at a line break, else at a
space) into pieces of at most :data:`PIECE_CHARS` characters, parses the pieces and joins
their Docs into one (``Doc.from_docs``, no characters added), so every offset still points
into the original text and a sentence never spans two pieces.

    for doc, context in pipe(nlp, ((text, ctx) for ...), batch_size=32):
        ...                                     # as nlp.pipe(..., as_tuples=True)
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

#: Longest piece of a long text parsed at once (well under spaCy's limit: memory grows with it).
PIECE_CHARS = 100_000
#: Where a piece may end, best first: after a sentence's closing punctuation (and quotes or
#: brackets) before white space; at a line break; at a space.
_SENTENCE_END = re.compile(r"""[.!?…]["'”’)\]]*\s+""")
_LINE_BREAK = re.compile(r"\n\s*")
_SPACE = re.compile(r"\s+")


def pipe(nlp: Language, items: Iterable[tuple[str, Any]], *, batch_size: int) -> Iterator[tuple[Doc, Any]]:
    """``nlp.pipe(items, as_tuples=True, batch_size=...)``, in order, where a text longer
    than ``nlp.max_length`` is parsed in pieces (:func:`parse_long`) instead of refused."""
    limit = nlp.max_length
    waiting: list[tuple[str, Any]] = []
    for text, context in items:
        if len(text) <= limit:
            waiting.append((text, context))
            if len(waiting) >= batch_size:
                yield from nlp.pipe(waiting, as_tuples=True, batch_size=batch_size)
                waiting = []
            continue
        if waiting:
            yield from nlp.pipe(waiting, as_tuples=True, batch_size=batch_size)
            waiting = []
        yield parse_long(nlp, text, piece_chars=min(PIECE_CHARS, limit)), context
    if waiting:
        yield from nlp.pipe(waiting, as_tuples=True, batch_size=batch_size)


def split_pieces(text: str, piece_chars: int = PIECE_CHARS) -> list[str]:
    """``text`` cut into consecutive pieces of at most ``piece_chars`` characters that join
    back into it exactly, each ending at a sentence end where there is one (see the module doc)."""
    pieces: list[str] = []
    start, n = 0, len(text)
    while n - start > piece_chars:
        window = text[start:start + piece_chars]
        cut = 0
        for boundary in (_SENTENCE_END, _LINE_BREAK, _SPACE):
            ends = [m.end() for m in boundary.finditer(window)]
            if ends and ends[-1] > piece_chars // 4:   # not a sliver: else try a weaker boundary
                cut = ends[-1]
                break
        if not cut:  # one "word" longer than a piece: cut it (two tokens instead of one)
            cut = piece_chars
        pieces.append(text[start:start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def parse_long(nlp: Language, text: str, *, piece_chars: int = PIECE_CHARS) -> Doc:
    """One Doc of ``text``, parsed piece by piece (:func:`split_pieces`) and joined; its
    text is ``text`` exactly, and every piece opens a sentence."""
    pieces = split_pieces(text, piece_chars)
    docs = list(nlp.pipe(pieces, batch_size=4))
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    if doc.text != text:  # never expected: say so rather than give offsets into another text
        raise ValueError("the pieces of a long text did not join back into it")
    return doc
