"""The coder's rules as data: the grammar word file, the per-type headers of the pattern
files, and the table of slot finders."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from entente.errors import DictionaryError
from entente.events.grammar import GRAMMAR_FILE, Grammar, load_grammar
from entente.events.patterns import PATTERN_DIR, SLOTS, TypeRules, load_patterns
from entente.events.slots import PREPOSITIONS, SLOT_FINDERS
from entente.extract import extract
from entente.resources import BUNDLED_DATA, Resources

GRAMMAR = BUNDLED_DATA / GRAMMAR_FILE


def test_grammar_bundled_file_loads_every_key():
    grammar = load_grammar(GRAMMAR)
    assert set(yaml.safe_load(GRAMMAR.read_text(encoding="utf-8"))) == set(Grammar.model_fields)
    assert "say" in grammar.speech_verbs and grammar.place_prepositions == ("to", "in")


def test_grammar_every_list_says_its_construction_with_an_example():
    lines = GRAMMAR.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines):
        key = re.match(r"^([a-z_]+):", line)
        if not key:
            continue
        comment = []
        for above in reversed(lines[:n]):
            if not above.startswith("#"):
                break
            comment.insert(0, above)
        text = " ".join(comment)
        assert comment, f"grammar.yaml: {key.group(1)!r} has no comment above it"
        assert re.search(r"\b(word|lemma)\b", text), f"grammar.yaml: {key.group(1)!r} does not say lemma or word"
        assert re.search(r'"[^"]+"', text), f"grammar.yaml: {key.group(1)!r} has no example sentence"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / GRAMMAR_FILE
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("change,message", [
    (lambda s: re.sub(r"(?m)^speech_verbs:.*\n(?:  .*\n)*", "", s), "'speech_verbs' is required"),
    (lambda s: s + "speach_verbs: [say]\n", "'speach_verbs' is not a key of this file"),
    (lambda s: s.replace("topic_prepositions: ['on',", "topic_prepositions: [on,"), "'topic_prepositions"),
    (lambda s: s + "threat_verbs: [threaten\n", "not YAML"),
])
def test_grammar_bad_file_is_an_error_naming_the_file_and_key(tmp_path, change, message):
    path = _write(tmp_path, change(GRAMMAR.read_text(encoding="utf-8")))
    with pytest.raises(DictionaryError) as err:
        load_grammar(path)
    assert GRAMMAR_FILE in str(err.value) and message in str(err.value)


def test_grammar_of_the_data_folder_is_the_one_the_coder_reads(tmp_path):
    """A request's content has not happened ("urged Turkey to withdraw"); with "urge" taken out
    of the folder's request verbs, the withdrawal is coded as done."""
    data = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA, data)
    text = (data / GRAMMAR_FILE).read_text(encoding="utf-8")
    assert "request_verbs: [call, urge, press," in text
    (data / GRAMMAR_FILE).write_text(text.replace("request_verbs: [call, urge, press,", "request_verbs: [call, press,"),
                                     encoding="utf-8")
    sentence = "Russia urged Turkey to withdraw its troops from northern Syria."
    bundled = {e["event"] for e in extract(sentence)["events"]}
    edited = {e["event"] for e in extract(sentence, resources=Resources(data))["events"]}
    assert "REQUEST" in bundled and "RETREAT" not in bundled
    assert "RETREAT" in edited


# ---------------------------------------------------------------- pattern file headers

def test_pattern_headers_give_each_type_its_rules():
    patterns = load_patterns(PATTERN_DIR)
    assert patterns.rules("ACCUSE").speech and not patterns.rules("ACCUSE").victims
    assert patterns.rules("ASSAULT").conditional == "THREATEN"
    assert patterns.rules("COOPERATE").one_party == "drop"
    assert not patterns.rules("AGREE").future_acts_have_place
    assert patterns.rules("NOT-A-TYPE") == TypeRules()


def _pattern_folder(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


PATTERN = "patterns:\n  - {id: x, trigger: strike, actor: [subject], recipient: [object]}\n"


@pytest.mark.parametrize("files,message", [
    ({"a.yaml": "event: ASSAULT\nvictims: true\n" + PATTERN,
      "b.yaml": "event: ASSAULT\nvictims: false\n" + PATTERN.replace("id: x", "id: y")},
     "b.yaml: victims: False here but True in a.yaml; the files of ASSAULT must agree"),
    ({"a.yaml": "event: ASSAULT\nconditional: THREATS\n" + PATTERN}, "'THREATS' is not a PLOVER event type"),
    ({"a.yaml": "event: ASSAULT\none_party: never\n" + PATTERN}, "one_party"),
    ({"a.yaml": "event: ASSAULT\nvictim: true\n" + PATTERN}, "a.yaml: victim"),
])
def test_pattern_headers_bad_or_conflicting_is_an_error(tmp_path, files, message):
    with pytest.raises(DictionaryError) as err:
        load_patterns(_pattern_folder(tmp_path, files))
    assert message in str(err.value)


def test_pattern_headers_may_be_said_once_for_a_type_of_several_files(tmp_path):
    folder = _pattern_folder(tmp_path, {"a.yaml": "event: ASSAULT\nvictims: true\n" + PATTERN,
                                        "b.yaml": "event: ASSAULT\n" + PATTERN.replace("id: x", "id: y")})
    patterns = load_patterns(folder)
    assert patterns.rules("ASSAULT").victims and len(patterns) == 2


# ---------------------------------------------------------------- slot finders

def test_slots_one_table_of_finders_is_what_patterns_may_name():
    assert set(SLOT_FINDERS) == set(SLOTS)
    assert PREPOSITIONS <= set(SLOT_FINDERS)


@pytest.mark.parametrize("name", sorted(SLOT_FINDERS))
def test_slots_every_finder_names_its_construction_with_an_example(name):
    doc = SLOT_FINDERS[name].__doc__ or ""
    assert doc.lstrip().startswith("#") and re.search(r'"[^"]+"', doc), f"slot {name!r}: no construction or example"


def test_slots_readme_lists_every_slot():
    readme = (PATTERN_DIR / "README.md").read_text(encoding="utf-8")
    missing = [name for name in SLOT_FINDERS if name not in PREPOSITIONS and f"`{name}`" not in readme]
    assert not missing, f"data/patterns/README.md does not describe the slots {missing}"
