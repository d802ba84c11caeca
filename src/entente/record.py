"""The record of one article, as ../shared/SPEC.md defines it (a superset, never fewer fields).

These models document and validate the contract between the extractor and everything that
reads it (store, API, pages, exports). The extractor builds them; ``Record.to_json()`` gives
the JSON object written as one line of JSON Lines.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
#: PLOVER's quad classes, used to colour timelines and networks.
QUAD = {
    "AGREE": "verbal cooperation", "CONSULT": "verbal cooperation", "SUPPORT": "verbal cooperation",
    "CONCEDE": "material cooperation", "COOPERATE": "material cooperation", "AID": "material cooperation",
    "RETREAT": "material cooperation",
    "REQUEST": "verbal conflict", "ACCUSE": "verbal conflict", "REJECT": "verbal conflict",
    "THREATEN": "verbal conflict", "PROTEST": "verbal conflict",
    "SANCTION": "material conflict", "MOBILIZE": "material conflict", "COERCE": "material conflict",
    "ASSAULT": "material conflict",
}
AUX = (None, "future", "hypothetical", "negation", "historical")
EntityKind = Literal["state", "organization", "person", "named_event", "location", "group", "agency", "time"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class Mention(_Model):
    start: int
    end: int
    text: str
    sentence: int | None = None


class Place(_Model):
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


class Dateline(_Model):
    """Date, place and publisher of the story. A date read from the article's URL (none given,
    no dated dateline) is marked ``date_source: "url"`` (an extra field, present only then)."""

    date: str | None = None
    place: str | None = None
    publisher: str | None = None
    via: list[str] = Field(default_factory=list)


class Entity(_Model):
    id: str
    kind: EntityKind
    name: str
    code: str | None = None
    mentions: list[Mention] = Field(default_factory=list)
    # person
    office: str | None = None
    affiliation: str | None = None
    sector: str | None = None
    # named event
    type: str | None = None
    organizer: str | None = None
    place: Place | None = None
    date: str | None = None
    participants: list[str] | None = None
    observers: list[str] | None = None
    aliases: list[str] | None = None
    # location / time
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    value: str | None = None


class Participant(_Model):
    code: str
    sector: str | None = None
    entity: str | None = None
    text: str | None = None


class TextInfo(_Model):
    sequence: int
    start: int
    end: int
    trigger_start: int | None = None
    trigger_end: int | None = None


class Event(_Model):
    id: str
    event: str
    mode: list[str] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list)
    aux: str | None = None
    actor: list[Participant] = Field(default_factory=list)
    recipient: list[Participant] = Field(default_factory=list)
    date: str | None = None
    enddate: str | None = None
    event_loc: Place | None = None
    event_text: str = ""
    text_info: TextInfo
    confidence: float = 0.5
    pattern: str | None = None


class Record(_Model):
    id: str
    dateline: Dateline = Field(default_factory=Dateline)
    title: str | None = None
    url: str | None = None
    text: str | None = None
    entities: list[Entity] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)

    def to_json(self) -> dict:
        return self.model_dump(mode="json", exclude_none=False)
