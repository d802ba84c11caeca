"""The Goldstein-style intensity per PLOVER type (data/intensity.jsonl): up to date with its
sources, on the scale, every type once, every bad line reported."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from entente.errors import DictionaryError
from entente.intensity import intensity, load_intensity
from entente.record import EVENT_TYPES, QUAD

ROOT = Path(__file__).resolve().parents[1]


def test_intensity_file_is_what_its_sources_give():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_intensity.py"), "--check"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_intensity_every_type_and_the_sign_of_its_quad():
    scores = intensity()
    assert set(scores) == set(EVENT_TYPES)
    for event_type, score in scores.items():
        assert (score < 0) == QUAD[event_type].endswith("conflict"), event_type


@pytest.mark.parametrize("lines, problem", [
    ('{"type": "AGREE"}', "'intensity' is required"),
    ('{"type": "HUG", "intensity": 3}', "'HUG' is not a PLOVER type"),
    ('{"type": "AGREE", "intensity": 12}', "off the Goldstein scale"),
    ('{"type": "AGREE", "intensity": 1}\n{"type": "AGREE", "intensity": 2}', "AGREE is given twice"),
    ("not json", "not JSON"),
    ('{"type": "AGREE", "intensity": 1}', "no intensity for CONSULT"),
])
def test_intensity_bad_lines_are_reported(tmp_path, lines, problem):
    path = tmp_path / "intensity.jsonl"
    path.write_text(lines + "\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=problem):
        load_intensity(path)
