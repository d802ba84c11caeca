"""A Goldstein-style intensity for every PLOVER event type, from ``data/intensity.jsonl``
(made by ``scripts/build_intensity.py``: the mean Goldstein (1992) score of the CAMEO codes
PLOVER's conversion table maps to the type; see ``data/SOURCES.md``).

    intensity()["ASSAULT"]      # -9.6: the most conflictual
    intensity()["AID"]          # 7.6

Small and free of the NLP: the query faces (time series, exports) load it. Validated on
load: every bad line is reported at once (``intensity.jsonl:3: 'intensity' is required``).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from .errors import DictionaryError
from .record import EVENT_TYPES

PATH = Path(__file__).parent / "data" / "intensity.jsonl"


class TypeIntensity(BaseModel):
    """One line of intensity.jsonl."""

    model_config = ConfigDict(extra="forbid")
    type: str
    intensity: float
    cameo: list[str] = []

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in EVENT_TYPES:
            raise ValueError(f"{value!r} is not a PLOVER type ({', '.join(EVENT_TYPES)})")
        return value

    @field_validator("intensity")
    @classmethod
    def _on_the_scale(cls, value: float) -> float:
        if not -10 <= value <= 10:
            raise ValueError(f"{value} is off the Goldstein scale (-10 to 10)")
        return value


def load_intensity(path: Path | str = PATH) -> dict[str, float]:
    """``{type: intensity}`` from a file of :class:`TypeIntensity` lines; raises one
    DictionaryError listing every bad line."""
    path = Path(path)
    found, problems = {}, []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = TypeIntensity.model_validate(json.loads(line))
        except json.JSONDecodeError as err:
            problems.append(f"{path.name}:{number}: not JSON ({err.msg})")
            continue
        except ValidationError as err:
            for e in err.errors():
                where = ".".join(str(p) for p in e["loc"]) or "entry"
                problems.append(f"{path.name}:{number}: {where!r} {'is required' if e['type'] == 'missing' else e['msg']}")
            continue
        if entry.type in found:
            problems.append(f"{path.name}:{number}: {entry.type} is given twice")
        found[entry.type] = entry.intensity
    missing = [t for t in EVENT_TYPES if t not in found]
    if missing and not problems:
        problems.append(f"{path.name}: no intensity for {', '.join(missing)}")
    if problems:
        raise DictionaryError(str(path), problems)
    return found


@lru_cache(maxsize=1)
def intensity() -> dict[str, float]:
    """The bundled intensities (loaded once)."""
    return load_intensity()
