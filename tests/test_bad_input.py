"""Bad input costs nothing else (issue 11, finding 2): for every kind of bad file, line or
folder below, in a batch with good articles before and after it,

- ``entente ingest`` stores every good article and exits 1, with no traceback;
- ``entente failures`` lists the bad one with its file, its line and a message that says
  what is wrong;
- a second ingest of the same batch does not crash at the same place, stores nothing twice
  and notes the failure once;
- ``entente extract`` writes the record of every good article and exits 1.

Each batch: ``good.txt`` (one article), ``mixed.jsonl`` (an article, then, for the kinds
that are one bad line, that line, then another article) and the kind's own files. The
good texts are three short sentences, so each kind costs a few small extractions.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
from typer.testing import CliRunner

from entente.cli import app

GOOD = {
    "before": "Serbian Defence Minister Aleksandar Vulin met CSTO Secretary General Yuri Khachaturov in Moscow.",
    "after": "Russia and China condemned the missile test on Tuesday.",
    "good": "The United Kingdom welcomed the agreement between Baghdad and Erbil.",
}
LIMIT = 250_000  # max_article_bytes for these batches: "huge" is anything over it


def line(**fields) -> str:
    return json.dumps(fields, ensure_ascii=False)


@dataclass
class Kind:
    """One kind of bad input: a bad line of ``mixed.jsonl`` (``line``, raw text) or files of its
    own (``files``: name -> bytes, or ``setup(folder)``); the failure expected: file name, line
    number, a piece of the message."""

    name: str
    file: str
    at: int | None
    says: str
    line: str | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    setup: Callable[[Path], None] | None = None
    crlf: bool = False
    unprivileged: bool = False      # the bad thing is a permission: run as a user it binds


def _symlink_loop(folder: Path) -> None:
    os.symlink("loop.txt", folder / "loop.txt")


def _folder_loop(folder: Path) -> None:
    (folder / "sub").mkdir()
    (folder / "sub" / "inside.txt").write_text("Japan protested the missile launch.", encoding="utf-8")
    os.symlink("..", folder / "sub" / "up")


def _dangling(folder: Path) -> None:
    os.symlink("nowhere.txt", folder / "gone.txt")


def _unreadable_file(folder: Path) -> None:
    path = folder / "locked.txt"
    path.write_text("Turkey closed its border.", encoding="utf-8")
    path.chmod(0)


def _unreadable_folder(folder: Path) -> None:
    sub = folder / "locked"
    sub.mkdir()
    (sub / "inside.txt").write_text("Turkey closed its border.", encoding="utf-8")
    sub.chmod(0)


def _undecodable_name(folder: Path) -> None:
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as fh:
        fh.write(b"")


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE TimeML [<!ENTITY a "ha">'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
          + ']><TimeML><DOCID>laughs</DOCID><TEXT>&i;</TEXT></TimeML>')
TIMEML = ('<?xml version="1.0" ?><TimeML><DOCID>tml</DOCID><DCT><TIMEX3 tid="t0" type="DATE" value="{value}">'
          'x</TIMEX3></DCT><TEXT>The ministers met {body}.</TEXT></TimeML>')

KINDS = [
    # JSON Lines
    Kind("broken JSON", "mixed.jsonl", 2, "not JSON", line='{"id": "x", "text": "no closing quote}'),
    Kind("JSON array, not an object", "mixed.jsonl", 2, "expected a JSON object", line='["a", "b"]'),
    Kind("JSON number, not an object", "mixed.jsonl", 2, "expected a JSON object", line="42"),
    Kind("text missing", "mixed.jsonl", 2, '"text" is missing', line=line(id="x", title="no text")),
    Kind("text empty", "mixed.jsonl", 2, '"text" is missing or empty', line=line(id="x", text="")),
    Kind("text only white space", "mixed.jsonl", 2, '"text" is missing or empty', line=line(id="x", text=" \n\t")),
    Kind("text not a string", "mixed.jsonl", 2, '"text" is a list', line=line(id="x", text=["Serbia", "met"])),
    Kind("huge line", "mixed.jsonl", 2, "over the 250,000-byte limit", line=line(id="x", text="NATO met. " * 30_000)),
    Kind("NUL in the text", "mixed.jsonl", 2, "NUL character", line=line(id="x", text="Serbia\u0000met CSTO.")),
    Kind("invalid UTF-8 line", "mixed.jsonl", 2, "not UTF-8", line='{"id": "x", "text": "Caf\udce9 talks"}'),
    Kind("lone surrogate in the text", "mixed.jsonl", 2, '"text" holds a lone surrogate',
         line='{"id": "x", "text": "Serbia \\ud800 met CSTO."}'),
    Kind("lone surrogate in the id", "mixed.jsonl", 2, '"id" holds a lone surrogate',
         line='{"id": "\\ud800", "text": "Serbia met CSTO."}'),
    Kind("lone surrogate in the title", "mixed.jsonl", 2, '"title" holds a lone surrogate',
         line='{"id": "x", "title": "\\udfff", "text": "Serbia met CSTO."}'),
    Kind("JSON nested 100,000 deep", "mixed.jsonl", 2, "nested deeper",
         line='{"id": "x", "text": "Serbia met CSTO.", "z": ' + "[" * 100_000 + "]" * 100_000 + "}"),
    Kind("JSON nested 100 deep", "mixed.jsonl", 2, "nested 101 levels deep",
         line='{"id": "x", "text": "Serbia met CSTO.", "z": ' + "[" * 100 + "]" * 100 + "}"),
    Kind("a number of 5,000 digits", "mixed.jsonl", 2, "not JSON",
         line='{"id": "x", "text": "Serbia met CSTO.", "n": ' + "9" * 5000 + "}"),
    Kind("date 2017-13-45", "mixed.jsonl", 2, '"date" is "2017-13-45", not a date (there is no month 13); '
         "write YYYY-MM-DD", line=line(id="x", text="Serbia met CSTO.", date="2017-13-45")),
    Kind("date 2017-02-30", "mixed.jsonl", 2, "2017-02 has 28 days",
         line=line(id="x", text="Serbia met CSTO.", date="2017-02-30")),
    Kind("date 0000-00-00", "mixed.jsonl", 2, "no year 0000", line=line(id="x", text="Serbia met CSTO.", date="0000-00-00")),
    Kind("date in full-width digits", "mixed.jsonl", 2, "not ASCII digits",
         line=line(id="x", text="Serbia met CSTO.", date="２０１７-０９-２７")),
    Kind("date not a string", "mixed.jsonl", 2, '"date" is a number', line=line(id="x", text="Serbia met CSTO.", date=20170927)),
    Kind("date in another form", "mixed.jsonl", 2, "write YYYY-MM-DD", line=line(id="x", text="Serbia met CSTO.", date="27/09/2017")),
    Kind("id an object", "mixed.jsonl", 2, '"id" is an object', line=line(id={"a": 1}, text="Serbia met CSTO.")),
    Kind("id 2,000 characters long", "mixed.jsonl", 2, "2,000 characters", line=line(id="x" * 2000, text="Serbia met CSTO.")),
    Kind("id '..'", "mixed.jsonl", 2, "no address can name", line=line(id="..", text="Serbia met CSTO.")),
    Kind("title not a string", "mixed.jsonl", 2, '"title" is a number', line=line(id="x", title=7, text="Serbia met CSTO.")),
    Kind("CRLF lines, one broken", "mixed.jsonl", 2, "not JSON", line='{"id": "x", "text": "no closing quote}', crlf=True),
    Kind("UTF-16 JSON Lines", "utf16.jsonl", 1, "UTF-16",
         files={"utf16.jsonl": (line(id="x", text="Serbia met CSTO.") + "\n").encode("utf-16")}),
    # files
    Kind("empty file", "empty.txt", None, "file is empty", files={"empty.txt": b""}),
    Kind("only white space", "blank.txt", None, "only white space", files={"blank.txt": b" \n\n\t "}),
    Kind("huge file", "huge.txt", None, "over the 250,000-byte limit", files={"huge.txt": b"NATO met. " * 30_000}),
    Kind("NUL bytes in a text file", "nul.txt", 1, "NUL character", files={"nul.txt": b"Serbia met\x00 CSTO."}),
    Kind("invalid UTF-8 file", "latin1.txt", 1, "not UTF-8", files={"latin1.txt": "Café talks".encode("latin-1")}),
    Kind("UTF-16 text file", "utf16.txt", 1, "UTF-16", files={"utf16.txt": "Serbia met CSTO.".encode("utf-16")}),
    Kind("HTML without main text", "page.html", None, "no main text",
         files={"page.html": b"<html><head><script>x()</script></head><body><nav>Home</nav></body></html>"}),
    Kind("JSON file of no articles", "entities.json", None, "not a file of articles",
         files={"entities.json": b'{"_id": "E1", "type": "Person"}\n{"_id": "E2", "type": "Location"}\n'}),
    Kind("billion laughs TimeML", "laughs.tml", 1, "declares entities", files={"laughs.tml": LAUGHS.encode()}),
    Kind("TimeML not well-formed", "broken.tml", 1, "not well-formed",
         files={"broken.tml": b"<TimeML><DOCID>b</DOCID><TEXT>The ministers met.</TimeML>"}),
    Kind("TimeML creation time 2017-13-45", "dct.tml", None, "not a date (there is no month 13)",
         files={"dct.tml": TIMEML.format(value="2017-13-45", body="again").encode()}),
    Kind("symbolic link loop", "loop.txt", None, "loops", setup=_symlink_loop),
    Kind("folder link loop", "up", None, "loops", setup=_folder_loop),
    Kind("link to nothing", "gone.txt", None, "does not exist", setup=_dangling),
    Kind("empty file whose name is not UTF-8", "caf\\xe9.txt", None, "file is empty", setup=_undecodable_name),
    Kind("unreadable file", "locked.txt", None, "permission denied", setup=_unreadable_file, unprivileged=True),
    Kind("unreadable folder", "locked", None, "permission denied", setup=_unreadable_folder, unprivileged=True),
]
#: Articles stored besides the good ones, per kind (a file inside a folder that is read).
EXTRA_GOOD = {"folder link loop": {"inside"}}


@contextmanager
def unprivileged(enabled: bool):
    """Run the block as the user ``nobody`` when this process is root (root reads any file:
    a permission is bad input only for a user it binds); otherwise as it is."""
    if not enabled or os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def case_dir(request):
    # not pytest's tmp_path: its parents admit only their owner, and the permission kinds run
    # as another user
    folder = Path(tempfile.mkdtemp(prefix="entente-bad-input-"))
    folder.chmod(0o777)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o777)
    shutil.rmtree(folder, ignore_errors=True)


def write_batch(folder: Path, kind: Kind) -> Path:
    batch = folder / "batch"
    batch.mkdir()
    batch.chmod(0o755)
    (batch / "good.txt").write_text(GOOD["good"], encoding="utf-8")
    lines = [line(id="before", text=GOOD["before"], date="2017-09-27")]
    if kind.line is not None:
        lines.append(kind.line)
    lines.append(line(id="after", text=GOOD["after"], date="2017-09-27"))
    end = "\r\n" if kind.crlf else "\n"
    (batch / "mixed.jsonl").write_bytes(end.join(lines).encode("utf-8", "surrogateescape") + end.encode())
    for name, content in kind.files.items():
        (batch / name).write_bytes(content)
    if kind.setup:
        kind.setup(batch)
    return batch


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a crash, not a reported failure
    return result


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_bad_input_costs_nothing_else(kind, case_dir, monkeypatch):
    monkeypatch.setenv("ENTENTE_MAX_ARTICLE_BYTES", str(LIMIT))
    batch = write_batch(case_dir, kind)
    db = case_dir / "store.duckdb"
    expected_ids = set(GOOD) | EXTRA_GOOD.get(kind.name, set())

    with unprivileged(kind.unprivileged):
        first = run("ingest", str(batch), "--db", str(db), "--workers", "1", "--quiet")
        again = run("ingest", str(batch), "--db", str(db), "--workers", "1", "--quiet")
        out = case_dir / "records.jsonl"
        extracted = run("extract", str(batch), "-o", str(out))
        records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert first.exit_code == 1, first.output
    assert again.exit_code == 1, again.output
    assert extracted.exit_code == 1, extracted.output
    assert {r["id"] for r in records} == expected_ids

    listed = run("events", "--db", str(db), "--format", "jsonl")
    assert listed.exit_code == 0, listed.output
    failures = run("failures", "--db", str(db), "--format", "jsonl")
    rows = [json.loads(x) for x in failures.stdout.splitlines()]
    assert [(Path(r["source"]).name, r["line"]) for r in rows] == [(kind.file, kind.at)], rows
    assert kind.says in rows[0]["reason"], rows[0]["reason"]
    from entente.store import Store

    with Store(db, read_only=True) as store:
        stored = {i for (i,) in store.execute("SELECT id FROM articles").fetchall()}
    assert stored == expected_ids
    assert kind.says in first.output


def test_bad_input_suite_covers_the_kinds_the_issue_names():
    assert len(KINDS) >= 25
    names = " ".join(k.name for k in KINDS).lower()
    for needle in ("broken json", "not an object", "text missing", "text empty", "text not a string", "huge",
                   "nul", "invalid utf-8", "utf-16", "crlf", "link loop", "billion laughs", "lone surrogate",
                   "nested 100,000", "2017-13-45", "2017-02-30", "0000-00-00", "unreadable file",
                   "unreadable folder"):
        assert needle in names, needle


# -- extraction: long texts, and an exception in one article --------------------------------


@pytest.mark.parametrize("text, size, pieces", [
    ("One. Two. Three. Four.", 11, ["One. Two. ", "Three. ", "Four."]),          # at sentence ends
    ("One two three four five six", 10, ["One two ", "three ", "four five ", "six"]),  # no sentence end: spaces
    ("First line\nsecond line\nthird", 14, ["First line\n", "second line\n", "third"]),
    ("abcdefghijklmnopqrstuvwxyz", 10, ["abcdefghij", "klmnopqrst", "uvwxyz"]),     # one long word: cut
])
def test_long_text_pieces_end_at_sentences_and_join_back(text, size, pieces):
    from entente.nlp.pieces import split_pieces

    assert split_pieces(text, size) == pieces
    assert "".join(split_pieces(text, size)) == text


def test_text_over_the_model_limit_is_parsed_in_pieces_with_offsets_into_the_text(monkeypatch):
    """A text longer than nlp.max_length (lowered here to 2,000 characters; spaCy's default
    is 1,000,000) is extracted, not refused, and its offsets point into the whole text."""
    from entente.extract import extract_articles
    from entente.nlp.pipeline import load_pipeline
    from entente.read.sources import Article

    filler = "The talks continued for a second day in the capital. " * 60
    text = (GOOD["before"] + " " + filler + GOOD["after"] + " " + filler + GOOD["good"])
    monkeypatch.setattr(load_pipeline(), "max_length", 2000)
    assert len(text) > 3 * 2000
    [record] = list(extract_articles([Article(id="long", text=text, date="2017-09-27")]))
    assert record["text"] == text
    mentions = [m for e in record["entities"] for m in e["mentions"]]
    assert mentions and all(text[m["start"]:m["end"]] == m["text"] for m in mentions)
    late = [m for m in mentions if m["start"] > len(text) - len(GOOD["good"])]
    assert {m["text"] for m in late} >= {"Baghdad", "Erbil"}, late
    for ev in record["events"]:
        info = ev["text_info"]
        assert 0 <= info["start"] < info["end"] <= len(text)


def test_extract_an_exception_in_one_article_is_its_failure(tmp_path, monkeypatch):
    """`entente extract`: the extractor raising on one article (whatever it raises) costs
    only that article; the others are written and the exit code is 1."""
    import importlib

    module = importlib.import_module("entente.extract")
    real = module.extract_articles

    def choking(articles, **kw):
        for article in articles:
            if "China" in article.text:
                raise ValueError("month must be in 1..12")
            yield from real([article], **kw)

    monkeypatch.setattr(module, "extract_articles", choking)
    batch = write_batch(tmp_path, KINDS[0].__class__("none", "x", None, ""))
    out = tmp_path / "records.jsonl"
    result = run("extract", str(batch), "-o", str(out))
    assert result.exit_code == 1
    assert {json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()} == {"before", "good"}
    assert "mixed.jsonl line 2: extraction failed: ValueError: month must be in 1..12" in result.output


def test_folder_reads_only_the_suffixes_it_takes_and_skips_notes_about_the_data(tmp_path):
    """A corpus folder's README, PROVENANCE and LICENSE files (any suffix, any case) and
    hidden files are not news; files of other suffixes are not read; a file named on its
    own is read whatever its name."""
    from entente.read.sources import SUFFIX_LIST, iter_articles

    for name in ("README.txt", "PROVENANCE.txt", "LICENSE.txt", "licence.TXT", "Readme.html", ".hidden.txt",
                 "notes.md", "data.csv", "story.txt", "sub/README.txt", "sub/wire.TXT"):
        path = tmp_path / "corpus" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"NATO ministers met in Brussels ({name}).", encoding="utf-8")
    found = list(iter_articles([tmp_path / "corpus"]))
    assert sorted(a.id for a in found) == ["story", "wire"]
    [readme] = list(iter_articles([tmp_path / "corpus" / "README.txt"]))
    assert readme.id == "README"
    for suffix in (".txt", ".jsonl", ".json", ".html", ".htm", ".tml"):
        assert suffix in SUFFIX_LIST
    help_text = run("ingest", "--help").output + run("extract", "--help").output
    assert help_text.count(".jsonl") >= 2 and "README" in help_text
