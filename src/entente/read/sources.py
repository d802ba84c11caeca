"""Articles from files: plain text, JSON Lines, JSON, HTML, TimeML, and folders of them.

``iter_articles(paths)`` yields an :class:`Article` for every readable article and an
:class:`~entente.errors.ArticleError` (never raised) for every unreadable one: a file, a
line, a folder. One bad line or file costs nothing else in a batch, whatever is wrong with
it: bytes that are not UTF-8 (or are UTF-16), NUL characters, JSON that is broken, not an
object, nested too deep or carrying lone surrogates (``"\\ud800"``), a missing or empty
``text``, an impossible ``date`` (``2017-13-45``), a file or folder the process may not
read, a symbolic link that loops, a TimeML file that declares entities (billion laughs).

A folder is read for the files whose suffix a reader takes (:data:`SUFFIXES`), in name
order, following links to folders but never round a loop; files named README, PROVENANCE,
LICENSE (any suffix; :data:`SKIPPED_NAMES`) and hidden ones are not articles and are
skipped. A file named on its own is always read.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .. import settings
from ..dates import date_problem
from ..errors import ArticleError, safe_text
from .html import html_to_text

SUFFIXES = {".txt": "text", ".text": "text", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
            ".tml": "timeml",
            ".html": "html", ".htm": "html"}
#: What a folder ingest reads, for help texts: ``.txt .text .jsonl ...``.
SUFFIX_LIST = " ".join(SUFFIXES)
#: File names (without suffix, any case) that a folder holds beside its articles.
SKIPPED_NAMES = frozenset({"readme", "provenance", "license", "licence", "copying", "notice", "changelog",
                           "authors", "contributing"})
#: Longest article id taken (an id is a name, not a text).
MAX_ID_CHARS = 1000
#: Deepest nesting of lists and objects taken in one JSON article (an article is flat).
MAX_JSON_DEPTH = 32
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_UNSAFE_CHAR = re.compile("[\ud800-\udfff\x00]")


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
    """Every article in ``paths`` (files or folders, walked in name order; see the module doc)."""
    for path in paths:
        path = Path(path)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except OSError as err:  # e.g. a name too long for the file system
            yield ArticleError(str(path), f"cannot be opened ({err.strerror or err})")
            continue
        if is_dir:
            found = False
            for item in _walk(path):
                found = True
                if isinstance(item, ArticleError):
                    yield item
                    continue
                yield from _guarded(item, read_file(item))
            if not found:
                yield ArticleError(str(path), f"folder holds no file Entente reads ({SUFFIX_LIST})")
        elif exists:
            yield from _guarded(path, read_file(path))
        elif path.is_symlink():
            yield ArticleError(str(path), _link_problem(path))
        else:
            yield ArticleError(str(path), "no such file or folder")


def _guarded(path: Path, items: Iterator[Article | ArticleError]) -> Iterator[Article | ArticleError]:
    """The items of one file; an error the readers did not foresee costs only the rest of it."""
    try:
        yield from items
    except OSError as err:
        yield ArticleError(str(path), _os_problem(err))
    except Exception as err:  # a reader's bug must not cost the other files of the batch
        yield ArticleError(str(path), f"could not be read ({type(err).__name__}: {err}); the rest of the batch "
                           "went on")


def _os_problem(err: OSError) -> str:
    if err.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read: permission denied; give this user read access (chmod o+r) or leave it out"
    if err.errno == errno.ELOOP:
        return "is a symbolic link that loops (it leads back to itself); fix or remove the link"
    return f"cannot be read ({err.strerror or err})"


def _link_problem(path: Path) -> str:
    try:
        path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 says "Symlink loop from ..."
        return "is a symbolic link that loops (it leads back to itself); fix or remove the link"
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "is a symbolic link that loops (it leads back to itself); fix or remove the link"
        return f"is a symbolic link to {os.readlink(path)!r}, which does not exist; fix or remove the link"
    return "cannot be opened"


def _walk(folder: Path) -> Iterator[Path | ArticleError]:
    """The readable files under ``folder`` in name order, and an error for every folder that
    cannot be listed, every link that loops or leads nowhere (among names a reader takes)."""
    seen: set[str] = set()

    def visit(directory: Path, ancestors: tuple[str, ...]) -> Iterator[Path | ArticleError]:
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as err:
            problem = ("folder cannot be read: permission denied; its articles were not read (chmod o+rx it, "
                       "or leave it out)" if err.errno in (errno.EACCES, errno.EPERM)
                       else f"folder cannot be read ({err.strerror or err}); its articles were not read")
            yield ArticleError(str(directory), problem)
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()            # follows a link
                is_file = not is_dir and entry.is_file()
            except OSError:
                is_dir = is_file = False
            if is_dir:
                real = os.path.realpath(path)
                if real in ancestors:
                    yield ArticleError(str(path), f"is a symbolic link that loops (back to {real}); not followed")
                elif real not in seen:            # a folder reached twice is read once
                    seen.add(real)
                    yield from visit(path, ancestors + (real,))
                continue
            if path.suffix.lower() not in SUFFIXES or path.stem.lower() in SKIPPED_NAMES:
                continue
            if is_file:
                yield path
            elif entry.is_symlink():
                yield ArticleError(str(path), _link_problem(path))

    real = os.path.realpath(folder)
    seen.add(real)
    yield from visit(folder, (real,))


def read_file(path: Path) -> Iterator[Article | ArticleError]:
    """The articles of one file, by its suffix."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        yield ArticleError(str(path), f"unsupported file type {path.suffix!r}; Entente reads {SUFFIX_LIST}")
        return
    if kind == "jsonl":
        yield from _read_jsonl(path)
        return
    if kind == "json":
        yield from _read_json(path)
        return
    try:
        text = _decode(_read_bytes(path), path)
        _check_text(text, path)
        if kind == "timeml":
            yield _article_from_timeml(text, path)
            return
        if kind == "html":
            title, text = html_to_text(text)
            if not text.strip():
                raise ArticleError(str(path), "HTML page has no main text")
            yield Article(id=_file_id(path), text=text, title=title, source=safe_text(path))
            return
        yield Article(id=_file_id(path), text=text, source=safe_text(path))
    except ArticleError as err:
        yield err


def _file_id(path: Path) -> str:
    """The id of a one-article file: its name without suffix (undecodable bytes escaped)."""
    return safe_text(path.stem, MAX_ID_CHARS)


def _read_bytes(path: Path) -> bytes:
    limit = settings.get("max_article_bytes")
    try:
        size = path.stat().st_size
        if size == 0:
            raise ArticleError(str(path), "file is empty")
        if size > limit:
            raise ArticleError(str(path), f"file is {size:,} bytes, over the {limit:,}-byte limit for one article "
                               "(setting max_article_bytes); split it or raise the limit")
        data = path.read_bytes()
    except OSError as err:
        raise ArticleError(str(path), _os_problem(err)) from None
    if not data.strip():
        raise ArticleError(str(path), "file holds only white space")
    return data


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _decode(data: bytes, path: Path, line: int | None = None) -> str:
    if line is None and data.startswith(_UTF16_BOMS):
        raise ArticleError(str(path), "file is UTF-16 (it opens with a UTF-16 byte-order mark), not UTF-8; "
                           "re-encode it as UTF-8 (iconv -f UTF-16 -t UTF-8)", line=1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        bad_line = data[: err.start].count(b"\n") + 1 if line is None else line
        hint = ("; its NUL bytes say it is UTF-16 or binary" if b"\x00" in data[:4096] else "")
        raise ArticleError(str(path), f"bytes are not UTF-8 (byte {err.start}: {data[err.start:err.start + 1]!r}"
                           f"{hint}); re-encode the file as UTF-8", line=bad_line) from None


def _check_text(text: str, path: Path, line: int | None = None, field: str = "text") -> None:
    """Refuse text no reader of news holds: NUL characters (a binary file, or UTF-16 read as bytes)."""
    at = text.find("\x00")
    if at >= 0:
        raise ArticleError(str(path), f"the {field} holds a NUL character (character {at}): this is binary data "
                           "or UTF-16, not text", line=line if line is not None else text.count("\n", 0, at) + 1)


def _read_jsonl(path: Path) -> Iterator[Article | ArticleError]:
    limit = settings.get("max_article_bytes")
    try:
        if path.stat().st_size == 0:
            yield ArticleError(str(path), "file is empty")
            return
        handle = path.open("rb")
    except OSError as err:
        yield ArticleError(str(path), _os_problem(err))
        return
    seen = 0
    with handle as fh:
        head = fh.read(4)
        fh.seek(0)
        if head.startswith(_UTF16_BOMS):
            yield ArticleError(str(path), "file is UTF-16 (it opens with a UTF-16 byte-order mark), not UTF-8; "
                               "re-encode it as UTF-8 (iconv -f UTF-16 -t UTF-8)", line=1)
            return
        number = 0
        while True:
            try:
                raw = fh.readline(limit + 2)
            except OSError as err:
                yield ArticleError(str(path), _os_problem(err), line=number + 1)
                return
            if not raw:
                break
            number += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                size = len(raw)
                while raw and not raw.endswith(b"\n"):   # the rest of this line, without holding it
                    raw = fh.readline(1 << 20)
                    size += len(raw)
                yield ArticleError(str(path), f"line is {size:,} bytes or more, over the {limit:,}-byte limit "
                                   "for one article (setting max_article_bytes)", line=number)
                seen += 1
                continue
            if not raw.strip():
                continue
            seen += 1
            if len(raw) > limit:
                yield ArticleError(str(path), f"line is {len(raw):,} bytes, over the {limit:,}-byte limit "
                                   "for one article (setting max_article_bytes)", line=number)
                continue
            try:
                yield _article_from_json(_decode(raw, path, line=number), path, number)
            except ArticleError as err:
                yield err
            except Exception as err:  # one line's surprise costs only that line
                yield ArticleError(str(path), f"could not be read ({type(err).__name__}: {err})", line=number)
    if seen == 0:
        yield ArticleError(str(path), "file holds no article (only blank lines)")


def _article_from_json(line: str, path: Path, number: int) -> Article:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        what = err.msg[:-3] if err.msg.endswith(" at") else err.msg
        raise ArticleError(str(path), f"not JSON ({what} at column {err.colno})", line=number) from None
    except RecursionError:
        raise ArticleError(str(path), "not an article: its JSON is nested deeper than a parser follows; "
                           "an article is one flat object", line=number) from None
    except ValueError as err:  # an integer of more digits than Python converts
        problem = ("not JSON Entente can read: it holds a number of more than 4,300 digits; write it as a string "
                   "or leave it out") if "digits" in str(err) else f"not JSON Entente can read ({err})"
        raise ArticleError(str(path), problem, line=number) from None
    return _article_from_object(obj, path, number)


def article_from_object(obj: object, source: str, line: int | None = None) -> Article:
    """An :class:`Article` from a JSON object given by ``source`` (e.g. ``POST /api/articles``),
    with the checks of a JSON Lines line (text, dates that exist, ids, no lone surrogates);
    raises :class:`ArticleError` saying what is wrong."""
    return _article_from_object(obj, Path(source), line, source=source)


def _article_from_object(obj: object, path: Path, number: int | None, source: str | None = None) -> Article:
    def fail(problem: str) -> ArticleError:
        return ArticleError(source if source is not None else str(path), problem, line=number)

    if not isinstance(obj, dict):
        raise fail(f"expected a JSON object with \"text\", got {_json_kind(obj)}")
    depth, unsafe = _inspect(obj)
    if depth > MAX_JSON_DEPTH:
        raise fail(f"not an article: its JSON is nested {depth} levels deep (at most {MAX_JSON_DEPTH}); "
                   "an article is one flat object")
    if unsafe is not None:
        where, char, at = unsafe
        if char == "\x00":
            raise fail(f'"{where}" holds a NUL character (\\u0000) at character {at}, which no text holds; remove it')
        raise fail(f'"{where}" holds a lone surrogate (\\u{ord(char):04x}) at character {at}: half of a character '
                   "pair, no character itself; fix the escape in the JSON")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        if "text" in obj and text is not None and not isinstance(text, str):
            raise fail(f'"text" is {_json_kind(text)}, not a string; every line needs the article text')
        raise fail('"text" is missing or empty; every line needs the article text')
    date = obj.get("date")
    if date is not None and not isinstance(date, str):
        raise fail(f'"date" is {_json_kind(date)}, not a date; write it as a string, YYYY-MM-DD')
    if date:
        problem = date_problem(date)
        if problem is not None:
            raise fail(f'"date" is {json.dumps(date, ensure_ascii=False)}, not a date ({problem}); write YYYY-MM-DD')
    for name in ("title", "url", "publisher", *URL_KEYS, *PUBLISHER_KEYS):
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            raise fail(f'"{name}" is {_json_kind(value)}; write a string or leave it out')
    art_id = _first(obj, ID_KEYS)
    if art_id is None:
        art_id = f"{safe_text(path.stem)}-{number}"
    elif isinstance(art_id, bool) or not isinstance(art_id, (str, int)):
        raise fail(f'"id" is {_json_kind(art_id)}; write a string')
    else:
        art_id = str(art_id)
        if len(art_id) > MAX_ID_CHARS:
            raise fail(f'"id" is {len(art_id):,} characters long; an id is a name of at most {MAX_ID_CHARS:,}')
        if art_id.strip(".") == "":
            raise fail(f'"id" is {art_id!r}, which no address can name; choose another')
    known = {"text", "date", "title", *ID_KEYS, *URL_KEYS, *PUBLISHER_KEYS}
    return Article(id=art_id, text=text, date=date.strip()[:10] if date else None, title=obj.get("title"),
                   url=_first(obj, URL_KEYS), publisher=_first(obj, PUBLISHER_KEYS),
                   source=safe_text(source if source is not None else path),
                   line=number, extra={k: v for k, v in obj.items() if k not in known})


def _json_kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true or false", int: "a number",
             float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _inspect(obj: object) -> tuple[int, tuple[str, str, int] | None]:
    """The nesting depth of a parsed JSON value, and the first string (by field) holding a
    lone surrogate or NUL: (field, the character, where in the string)."""
    deepest, unsafe = 0, None
    stack: list[tuple[object, int, str]] = [(obj, 1, "")]
    while stack:
        value, depth, where = stack.pop()
        if isinstance(value, dict):
            deepest = max(deepest, depth)
            for k, v in value.items():
                name = f"{where}.{k}" if where else k
                if unsafe is None and (m := _UNSAFE_CHAR.search(k)):
                    unsafe = (safe_text(name), m.group(0), m.start())
                stack.append((v, depth + 1, name))
        elif isinstance(value, list):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1, f"{where}[{i}]") for i, v in enumerate(value))
        elif isinstance(value, str) and unsafe is None and (m := _UNSAFE_CHAR.search(value)):
            unsafe = (safe_text(where), m.group(0), m.start())
    return deepest, unsafe


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
    whole: object = None
    try:
        whole = json.loads(data)
    except RecursionError:
        yield ArticleError(str(path), "not a file of articles: its JSON is nested deeper than a parser follows")
        return
    except ValueError:
        whole = None
    items: list[tuple[int, object]] | None = None
    if isinstance(whole, dict):
        items = [(1, whole)]
    elif isinstance(whole, list):
        items = list(enumerate(whole, 1))
    results: list[Article | ArticleError] = []
    if items is not None:
        for number, obj in items:
            try:
                results.append(_article_from_object(obj, path, number))
            except ArticleError as err:
                results.append(err)
    else:
        for number, line in enumerate(data.splitlines(), 1):
            if not line.strip():
                continue
            try:
                results.append(_article_from_json(line, path, number))
            except ArticleError as err:
                results.append(err)
    if results and not any(isinstance(r, Article) for r in results) and all(
            isinstance(r, ArticleError) and '"text"' in r.problem for r in results):
        yield ArticleError(str(path), 'no object in this file has "text": not a file of articles')
        return
    yield from results


_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)


def _article_from_timeml(markup: str, path: Path) -> Article:
    """A TimeML document (TempEval, TimeBank): the text of <TEXT>, the creation time as date."""
    import xml.etree.ElementTree as ET

    declared = _ENTITY_DECLARATION.search(markup)
    if declared:
        raise ArticleError(str(path), "TimeML file declares entities (<!ENTITY> in a DOCTYPE), which can expand "
                           "a small file into gigabytes; Entente reads no DTD: remove the DOCTYPE",
                           line=markup.count("\n", 0, declared.start()) + 1)
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
    value = (dct.get("value", "") if dct is not None else "").strip()
    date = None
    if _ISO_DAY.match(value):
        problem = date_problem(value[:10])
        if problem is not None:
            raise ArticleError(str(path), f'the creation time (DCT) is "{value}", not a date ({problem}); '
                               "write YYYY-MM-DD")
        date = value[:10]
    docid = (root.findtext("DOCID") or "").strip()
    title = root.findtext("TITLE")
    return Article(id=safe_text(docid, MAX_ID_CHARS) if docid.strip(".") else _file_id(path), text=text,
                   date=date, title=title.strip() if title else None, source=safe_text(path))
