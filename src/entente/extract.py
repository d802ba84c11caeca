"""Article -> record: the extractor, composing read, nlp, resolve and events.

``extract_articles`` is the one path every caller takes (the ``extract`` API, the CLI, the
ingest engines): it runs spaCy over a batch with ``nlp.pipe`` and turns each Doc into its
record. It is a pure function of the articles and a :class:`~entente.resources.Resources`
(the data folder and the spaCy model; by default those of the current settings).
"""
from __future__ import annotations

from typing import Iterable, Iterator

from .nlp.pieces import pipe as pipe_pieces
from .read.dateline import parse_dateline
from .read.sources import Article
from .record import Dateline, Record
from . import settings
from .events.coder import code_events
from .resolve.document import resolve_document
from .resources import Resources, default_resources


_NLP_VIEW = str.maketrans({"[": "(", "]": ")"})


def extract(text: str, *, published: str | None = None, id: str | None = None,
            publisher: str | None = None, title: str | None = None, url: str | None = None,
            resources: Resources | None = None) -> dict:
    """The record (SPEC.md) of one article, as a JSON-ready dict (``resources``: the data to
    read; default: :func:`~entente.resources.default_resources`)."""
    article = Article(id=id or "article", text=text, date=published, publisher=publisher, title=title, url=url)
    return extract_article(article, resources=resources)


def extract_article(article: Article, *, resources: Resources | None = None) -> dict:
    """The record of one :class:`Article`."""
    return next(extract_articles([article], resources=resources))


def extract_articles(articles: Iterable[Article], *, batch_size: int | None = None,
                     explain: bool = False, resources: Resources | None = None) -> Iterator[dict]:
    """Records of many articles, in order, through one ``nlp.pipe`` stream."""
    res = resources or default_resources()
    d = res.dictionaries
    nlp = res.nlp
    via = res.via
    time_words = res.time_finder.words
    batch_size = batch_size or settings.get("batch_size")

    def prepared():
        for article in articles:
            dl = parse_dateline(article.text, article.date, d.agency_names, url=article.url, via=via,
                                time_words=time_words)
            if article.publisher:
                dl.publisher = article.publisher
            # The dateline is blanked (offsets kept) so the NLP does not read it as body text;
            # square brackets, which the parser has rarely seen, read as parentheses.
            masked = (" " * dl.body_start + article.text[dl.body_start:]).translate(_NLP_VIEW)
            yield masked, (article, dl)

    # nlp.pipe, except that a text over nlp.max_length is parsed in sentence-bounded pieces
    for doc, (article, dl) in pipe_pieces(nlp, prepared(), batch_size=batch_size):
        yield build_record(doc, article, dl, res, explain=explain)


def build_record(doc, article: Article, dl, resources: Resources, *, explain: bool = False) -> dict:
    """The record of one parsed article."""
    resolved, entities = resolve_document(doc, dl, resources)
    events = code_events(resolved, resources.patterns, resources.grammar, explain=explain)
    # the NLP read a lightly normalised copy (brackets): quote the article as given
    text = article.text
    for entity in entities:
        for m in entity.mentions:
            m.text = text[m.start:m.end]
    for ev in events:
        ev.event_text = text[ev.text_info.trigger_start:ev.text_info.trigger_end]
    record = Record(
        id=article.id,
        dateline=Dateline(**dl.as_record()),
        title=article.title, url=article.url, text=article.text,
        entities=entities, events=events)
    return record.to_json()
