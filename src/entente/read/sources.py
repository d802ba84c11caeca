"""Articles from files: plain text, JSON Lines, HTML, and folders of them.

``iter_articles(paths)`` yields an :class:`Article` for every readable article and an
:class:`~entente.errors.ArticleError` (never raised) for every unreadable one, so that one
bad line or file costs nothing else in a batch.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .. import settings
from ..errors import ArticleError
from .html import html_to_text

SUFFIXES = {".txt": "text", ".text": "text", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
            ".tml": "timeml",
            ".html": "html", ".htm": "html"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Article:
    """One article as read: text plus what is known about it."""

    id: str
    text: str
    date: str | None = None
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    source: str | None = None
    line: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def checksum(self) -> str:
        """Hash of the text, to tell a re-ingested article from a new version of it."""
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()


def iter_articles(paths: Iterable[str | Path]) -> Iterator[Article | ArticleError]:
    """Every article in ``paths`` (files or folders, walked in name order)."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not files:
                yield ArticleError(str(path), "folder holds no .txt, .jsonl or .html file")
            for file in files:
                yield from read_file(file)
        elif path.exists():
            yield from read_file(path)
        else:
            yield ArticleError(str(path), "no such file or folder")


def read_file(path: Path) -> Iterator[Article | ArticleError]:
    """The articles of one file, by its suffix."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        yield ArticleError(str(path), f"unsupported file type {path.suffix!r}; use .txt, .jsonl or .html")
        return
    if kind == "jsonl":
        yield from _read_jsonl(path)
        return
    if kind == "json":
        yield from _read_json(path)
        return
    try:
        data = _read_bytes(path)
        text = _decode(data, path)
    except ArticleError as err:
        yield err
        return
    if kind == "timeml":
        try:
            yield _article_from_timeml(text, path)
        except ArticleError as err:
            yield err
        return
    if kind == "html":
        title, text = html_to_text(text)
        if not text.strip():
            yield ArticleError(str(path), "HTML page has no main text")
            return
        yield Article(id=path.stem, text=text, title=title, source=str(path))
    else:
        yield Article(id=path.stem, text=text, source=str(path))


def _read_bytes(path: Path) -> bytes:
    limit = settings.get("max_article_bytes")
    size = path.stat().st_size
    if size == 0:
        raise ArticleError(str(path), "file is empty")
    if size > limit:
        raise ArticleError(str(path), f"file is {size:,} bytes, over the {limit:,}-byte limit for one article "
                           "(setting max_article_bytes); split it or raise the limit")
    data = path.read_bytes()
    if not data.strip():
        raise ArticleError(str(path), "file holds only white space")
    return data


def _decode(data: bytes, path: Path, line: int | None = None) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        bad_line = data[: err.start].count(b"\n") + 1 if line is None else line
        raise ArticleError(str(path), f"bytes are not UTF-8 (byte {err.start}: {data[err.start:err.start + 1]!r}); "
                           "re-encode the file as UTF-8", line=bad_line) from None


def _read_jsonl(path: Path) -> Iterator[Article | ArticleError]:
    limit = settings.get("max_article_bytes")
    if path.stat().st_size == 0:
        yield ArticleError(str(path), "file is empty")
        return
    seen = 0
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            seen += 1
            if len(raw) > limit:
                yield ArticleError(str(path), f"line is {len(raw):,} bytes, over the {limit:,}-byte limit "
                                   "for one article (setting max_article_bytes)", line=number)
                continue
            try:
                line = _decode(raw, path, line=number)
                yield _article_from_json(line, path, number)
            except ArticleError as err:
                yield err
    if seen == 0:
        yield ArticleError(str(path), "file holds no article (only blank lines)")


def _article_from_json(line: str, path: Path, number: int) -> Article:
    def fail(problem: str) -> ArticleError:
        return ArticleError(str(path), problem, line=number)

    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise fail(f"not JSON ({err.msg} at column {err.colno})") from None
    if not isinstance(obj, dict):
        raise fail(f"expected a JSON object with \"text\", got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise fail('"text" is missing or empty; every line needs the article text')
    date = obj.get("date")
    if date is not None and not (isinstance(date, str) and _ISO_DATE.match(date[:10] or "")):
        raise fail(f'"date" is {date!r}; write it as YYYY-MM-DD')
    art_id = _first(obj, ID_KEYS)
    art_id = str(art_id) if art_id not in (None, "") else f"{path.stem}-{number}"
    known = {"text", "date", "title", *ID_KEYS, *URL_KEYS, *PUBLISHER_KEYS}
    return Article(id=art_id, text=text, date=date[:10] if date else None, title=obj.get("title"),
                   url=_first(obj, URL_KEYS), publisher=_first(obj, PUBLISHER_KEYS), source=str(path), line=number,
                   extra={k: v for k, v in obj.items() if k not in known})


# other corpora's names for the same fields (re3d: "_id", "sourceUrl", "sourceName")
ID_KEYS = ("id", "_id", "doc_id", "docid")
URL_KEYS = ("url", "sourceUrl", "source_url", "link")
PUBLISHER_KEYS = ("publisher", "sourceName", "source_name", "source")


def _first(obj: dict, keys: tuple[str, ...]):
    return next((obj[k] for k in keys if obj.get(k) not in (None, "")), None)


def _read_json(path: Path) -> Iterator[Article | ArticleError]:
    """A .json file: one article object, an array of them, or JSON Lines under a .json name
    (re3d's documents.json). A file with no object carrying "text" is one error, not one a line."""
    try:
        data = _decode(_read_bytes(path), path)
    except ArticleError as err:
        yield err
        return
    try:
        whole = json.loads(data)
    except json.JSONDecodeError:
        whole = None
    if isinstance(whole, dict):
        whole = [whole]
    if isinstance(whole, list):
        lines = [(n, json.dumps(obj)) for n, obj in enumerate(whole, 1)]
    else:
        lines = [(n, line) for n, line in enumerate(data.splitlines(), 1) if line.strip()]
    results = []
    for number, line in lines:
        try:
            results.append(_article_from_json(line, path, number))
        except ArticleError as err:
            results.append(err)
    if results and not any(isinstance(r, Article) for r in results) and all(
            isinstance(r, ArticleError) and '"text"' in r.problem for r in results):
        yield ArticleError(str(path), 'no object in this file has "text": not a file of articles')
        return
    yield from results


def _article_from_timeml(markup: str, path: Path) -> Article:
    """A TimeML document (TempEval, TimeBank): the text of <TEXT>, the creation time as date."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(markup)
    except ET.ParseError as err:
        raise ArticleError(str(path), f"not well-formed TimeML ({err})", line=err.position[0]) from None
    body = root.find("TEXT")
    if body is None:
        raise ArticleError(str(path), "TimeML file has no <TEXT> element")
    text = "".join(body.itertext()).strip()
    if not text:
        raise ArticleError(str(path), "TimeML <TEXT> is empty")
    dct = root.find("DCT/TIMEX3")
    value = dct.get("value", "") if dct is not None else ""
    docid = root.findtext("DOCID")
    title = root.findtext("TITLE")
    return Article(id=(docid or path.stem).strip(), text=text, date=value[:10] if _ISO_DATE.match(value[:10]) else None,
                   title=title.strip() if title else None, source=str(path))
