"""What a review is and what it does to the record: the rules of analyst review, as pure functions.

No database here (like merge.py): ``store.py`` applies these rules whenever it writes an
article or a review, ``reviews.py`` is the API the faces call.

Targets and their stable keys
-----------------------------
A review names its target by what does not change when patterns or data change: the article
and character offsets into its text, never an event or entity id (those change on every ingest).

=============  ==========================================  ==========================================
kind           what                                         key
=============  ==========================================  ==========================================
event          one event report (an event of a record)      ``ARTICLE:START-END:TSTART-TEND``: the
                                                            sentence span and the trigger span
                                                            (``text_info``); ``ARTICLE:START-END:-``
                                                            for a record without trigger offsets
person         a person entity                              ``ARTICLE:START-END``: its earliest mention
mention        one mention of a state, organisation or      ``ARTICLE:START-END``: the mention
               group (an *actor mention*)
named_event    a named exercise, summit, forum ...          ``ARTICLE:START-END``: its earliest mention
=============  ==========================================  ==========================================

Where an article has several targets of one kind on one span (one trigger coding two types,
"signed an agreement": SUPPORT and AGREE), the second and later take ``#2``, ``#3`` in record
order. An entity without mentions is keyed ``ARTICLE:id=ENTITY_ID`` (no span to keep).

Finding a target again (:func:`assign_keys`): when an article is written again (new text, new
patterns), a reviewed target is the item on its span; where several items share the span, the
one with the same extracted identity as when it was first reviewed (event: type and
participants), else the same type, else the next in record order. A target found on no item
is an **orphan**: its reviews stay and are listed, never dropped.

Actions
-------
``confirm`` (the extraction is right), ``reject`` with a reason (:data:`REJECT_REASONS`),
``edit`` with the fields it sets (:data:`EDIT_FIELDS`, validated by :func:`validate_fields`),
``undo`` of an earlier review of the same target. Reviews are appended, never changed.

The record as reviewed (:func:`target_state`)
---------------------------------------------
A target's *effective* reviews are those that are not undos and not undone. Its values are the
extracted values with, in order, the fields each effective review pins: an edit pins the
fields it sets, a confirm pins every editable field at the values it confirmed (a later review
of a field overrides an earlier one). So a re-extraction cannot change what an analyst
confirmed or corrected, while a field nobody reviewed follows the new extraction (a correction
of the recipient survives a re-extraction that now gets the date right). Its status is the
latest effective review's: ``rejected`` if that is a reject; otherwise ``corrected`` if its
values differ from the extracted ones (also when a re-extraction changed a confirmed value),
else ``confirmed``; ``None`` when it has no effective review (undo restores the extracted
values).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date as _date
from datetime import datetime
from typing import Any, Callable, Iterable

from ..errors import StoreError
from ..record import AUX, EVENT_TYPES

KINDS = ("event", "person", "mention", "named_event")
ACTIONS = ("confirm", "reject", "edit", "undo")
#: Entity kinds whose mentions are actor mentions (reviewed one by one: "this is CODE", "not an actor").
ACTOR_KINDS = ("state", "organization", "group")
#: Why a target is rejected, by kind.
REJECT_REASONS: dict[str, tuple[str, ...]] = {
    "event": ("not an event", "wrong sense", "duplicate", "other"),
    "person": ("not a person", "duplicate", "other"),
    "mention": ("not an actor", "other"),
    "named_event": ("not a named event", "duplicate", "other"),
}
#: The fields an edit may set, by kind (the values also carry read-only fields: see *_values).
EDIT_FIELDS: dict[str, tuple[str, ...]] = {
    "event": ("event", "actor", "recipient", "date", "place", "aux"),
    "person": ("office", "affiliation", "sector"),
    "mention": ("code", "kind"),
    "named_event": ("organizer", "place", "date", "participants", "observers"),
}
STATUSES = ("confirmed", "corrected", "rejected")

_CODE = re.compile(r"[A-Z][A-Z0-9_]{1,15}")
_SECTOR = re.compile(r"[A-Z]{3}")
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


# -- reviews as the store keeps them ------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    """One row of the ``reviews`` table."""

    id: int
    kind: str
    article: str
    target: str
    action: str
    reason: str | None = None
    fields: tuple[str, ...] = ()
    undoes: int | None = None
    before: dict | None = None
    after: dict | None = None
    reviewer: str = ""
    reviewed_at: datetime | None = None
    note: str | None = None

    #: the columns of the reviews table, in the order :meth:`from_row` takes them
    COLUMNS = ("id", "kind", "article", "target", "action", "reason", "fields", "undoes", "before", "after",
               "reviewer", "reviewed_at", "note")

    @classmethod
    def from_row(cls, row: Iterable[Any]) -> "Review":
        values = dict(zip(cls.COLUMNS, row))
        for name in ("before", "after"):
            if isinstance(values[name], str):
                values[name] = json.loads(values[name])
        values["fields"] = tuple(values["fields"] or ())
        return cls(**values)

    def as_dict(self) -> dict:
        """JSON-ready (what history() and the API show)."""
        return {"id": self.id, "kind": self.kind, "article": self.article, "target": self.target,
                "action": self.action, "reason": self.reason, "fields": list(self.fields), "undoes": self.undoes,
                "before": self.before, "after": self.after, "reviewer": self.reviewer,
                "reviewed_at": self.reviewed_at.isoformat() if self.reviewed_at else None, "note": self.note}


@dataclass(frozen=True)
class State:
    """A target as reviewed: its status, its values, and the review that decides them."""

    status: str | None                  # None | confirmed | corrected | rejected
    values: dict                        # the values as reviewed (= extracted when status is None)
    review: Review | None = None        # the latest effective review

    @property
    def reviewer(self) -> str | None:
        return self.review.reviewer if self.review else None

    @property
    def reviewed_at(self) -> datetime | None:
        return self.review.reviewed_at if self.review else None

    @property
    def reason(self) -> str | None:
        return self.review.reason if self.review and self.status == "rejected" else None


def effective(history: list[Review]) -> list[Review]:
    """The reviews of one target that count: not undos, not undone (in order)."""
    undone = {r.undoes for r in history if r.action == "undo"}
    return [r for r in history if r.action != "undo" and r.id not in undone]


def target_state(kind: str, extracted: dict, history: list[Review]) -> State:
    """The target's values and status as reviewed (see the module doc), from its extracted
    values and its reviews in order."""
    counted = effective(history)
    if not counted:
        return State(None, dict(extracted))
    values = dict(extracted)
    for r in counted:
        pinned = r.fields if r.action == "edit" else EDIT_FIELDS[kind] if r.action == "confirm" else ()
        for name in pinned:
            if r.after and name in r.after:
                values[name] = r.after[name]
    last = counted[-1]
    if last.action == "reject":
        status = "rejected"
    elif any(values.get(f) != extracted.get(f) for f in EDIT_FIELDS[kind]):
        status = "corrected"
    else:
        status = "confirmed"
    return State(status, values, last)


def by_target(reviews: Iterable[Review]) -> dict[tuple[str, str], list[Review]]:
    """Reviews grouped by (kind, target key), each list in review order."""
    out: dict[tuple[str, str], list[Review]] = {}
    for r in sorted(reviews, key=lambda r: r.id):
        out.setdefault((r.kind, r.target), []).append(r)
    return out


# -- stable keys -----------------------------------------------------------------------------------


def span_key(article: str, start: int, end: int) -> str:
    """``ARTICLE:START-END``: the key of a mention, or of an entity by its earliest mention."""
    return f"{article}:{start}-{end}"


def report_span(article: str, text_info: dict) -> str:
    """``ARTICLE:START-END:TSTART-TEND``: the span part of an event report's key."""
    ts, te = text_info.get("trigger_start"), text_info.get("trigger_end")
    trigger = f"{ts}-{te}" if ts is not None and te is not None else "-"
    return f"{article}:{text_info['start']}-{text_info['end']}:{trigger}"


def entity_span(article: str, entity: dict) -> str:
    """The span part of a person's or named event's key: its earliest mention."""
    mentions = entity.get("mentions") or []
    if not mentions:
        return f"{article}:id={entity['id']}"
    first = min(mentions, key=lambda m: (m["start"], m["end"]))
    return span_key(article, first["start"], first["end"])


_EVENT_KEY = re.compile(r"(?P<article>.+):\d+-\d+:(?:\d+-\d+|-)(?:#\d+)?")
_ENTITY_KEY = re.compile(r"(?P<article>.+):(?:\d+-\d+|id=[^:]+)(?:#\d+)?")


def article_of(kind: str, key: str) -> str:
    """The article id a target key names (``kazinform-1:512-690:516-524`` -> ``kazinform-1``)."""
    if kind not in KINDS:
        raise StoreError(f"target kind {kind!r} is not one of {', '.join(KINDS)}")
    m = (_EVENT_KEY if kind == "event" else _ENTITY_KEY).fullmatch(key or "")
    if m is None:
        shape = "ARTICLE:START-END:TSTART-TEND" if kind == "event" else "ARTICLE:START-END"
        raise StoreError(f"{key!r} is not the key of a {_label(kind)} (keys look like {shape}; "
                         "reviews.article_targets lists an article's targets with their keys)")
    return m.group("article")


def span_of(key: str) -> str:
    """A key without its ``#n`` ordinal."""
    base, sep, n = key.rpartition("#")
    return base if sep and n.isdigit() else key


def _ordinal(key: str) -> int:
    base, sep, n = key.rpartition("#")
    return int(n) if sep and n.isdigit() else 1


def assign_keys(spans: list[str], values: list[dict], origins: dict[str, dict],
                likeness: Callable[[dict, dict], int]) -> list[str]:
    """The key of each item (in record order) given its span, its extracted values and the
    reviewed targets of its article (key -> the target's values when first reviewed).

    A target takes an item on its span: first one as alike as ``likeness`` says is most (2:
    same identity), then 1 (same type), then any, in record order. The other items take their
    span, or ``span#n`` with the lowest n no target or other item holds."""
    keys: list[str | None] = [None] * len(spans)
    items: dict[str, list[int]] = {}
    for i, span in enumerate(spans):
        items.setdefault(span, []).append(i)
    targets: dict[str, list[str]] = {}
    for key in sorted(origins, key=lambda k: (span_of(k), _ordinal(k))):
        targets.setdefault(span_of(key), []).append(key)
    for span, keys_here in targets.items():
        free = list(items.get(span, []))
        claimed: set[str] = set()
        for level in (2, 1, 0):
            for key in keys_here:
                if key in claimed:
                    continue
                pick = next((i for i in free if likeness(origins[key], values[i]) >= level), None)
                if pick is not None:
                    keys[pick] = key
                    free.remove(pick)
                    claimed.add(key)
    taken = set(origins) | {k for k in keys if k}
    for span, indexes in items.items():
        n = 1
        for i in indexes:
            if keys[i] is not None:
                continue
            while (key := span if n == 1 else f"{span}#{n}") in taken:
                n += 1
            keys[i] = key
            taken.add(key)
    return keys  # type: ignore[return-value]


def _event_likeness(origin: dict, values: dict) -> int:
    if origin.get("event") != values.get("event"):
        return 0
    same = origin.get("actor") == values.get("actor") and origin.get("recipient") == values.get("recipient")
    return 2 if same else 1


def _name_likeness(origin: dict, values: dict) -> int:
    return 2 if (origin.get("name") or "").casefold() == (values.get("name") or "").casefold() else 0


def _code_likeness(origin: dict, values: dict) -> int:
    return 2 if origin.get("code") == values.get("code") else 0


# -- values: what a review sees and sets, per kind ---------------------------------------------


def _codes(participants: Iterable[Any]) -> list[str]:
    return sorted({(p.get("code") if isinstance(p, dict) else p) for p in participants or []} - {None, ""})


def _place(loc: dict | None) -> dict | None:
    if not loc or not (loc.get("name") or loc.get("country")):
        return None
    return {"name": loc.get("name"), "country": loc.get("country")}


def event_values(event: dict) -> dict:
    """A record event's reviewable values (``event, actor, recipient, date, place, aux``: actor
    and recipient as sorted codes, a span date as ``a/b``), plus read-only ``text`` (its trigger
    words) and ``pattern``."""
    date = event.get("date")
    if date and event.get("enddate") and "/" not in date:
        date = f"{date}/{event['enddate']}"
    return {"event": event.get("event"), "actor": _codes(event.get("actor")),
            "recipient": _codes(event.get("recipient")), "date": date, "place": _place(event.get("event_loc")),
            "aux": event.get("aux"), "text": event.get("event_text"), "pattern": event.get("pattern")}


def apply_event_values(event: dict, values: dict) -> dict:
    """The record event with reviewed values: participants kept (sector, entity, text) where
    their code stays, bare codes for new ones; a changed place loses its coordinates."""
    out = dict(event)
    out["event"] = values["event"]
    for role in ("actor", "recipient"):
        known = {p.get("code"): p for p in event.get(role) or []}
        out[role] = [known.get(code) or {"code": code} for code in values[role]]
    date = values.get("date")
    out["date"], out["enddate"] = (date.split("/", 1) if date and "/" in date else (date, None))
    place, loc = values.get("place"), event.get("event_loc")
    if place is None:
        out["event_loc"] = None
    elif _place(loc) == place:
        out["event_loc"] = loc
    else:
        out["event_loc"] = {"name": place.get("name"), "country": place.get("country"), "lat": None, "lon": None}
    out["aux"] = values.get("aux")
    return out


def entity_values(kind: str, entity: dict, mention: dict | None = None) -> dict:
    """A person's, named event's or actor mention's reviewable values (plus read-only ``name``
    or ``text``)."""
    if kind == "person":
        return {"name": entity.get("name"), "office": entity.get("office"),
                "affiliation": entity.get("affiliation"), "sector": entity.get("sector")}
    if kind == "named_event":
        date = entity.get("date")
        return {"name": entity.get("name"), "type": entity.get("type"), "organizer": entity.get("organizer"),
                "place": _place(entity.get("place")), "date": date,
                "participants": sorted(entity.get("participants") or []),
                "observers": sorted(entity.get("observers") or [])}
    if kind == "mention":
        return {"text": (mention or {}).get("text"), "code": entity.get("code"), "kind": entity.get("kind")}
    raise StoreError(f"target kind {kind!r} has no entity values")


def apply_entity_values(kind: str, entity: dict, values: dict) -> dict:
    """The entity with a person's or named event's reviewed values."""
    out = dict(entity)
    if kind == "person":
        out.update(office=values["office"], affiliation=values["affiliation"], sector=values["sector"])
    elif kind == "named_event":
        place, old = values.get("place"), entity.get("place")
        out.update(organizer=values["organizer"], date=values["date"], participants=list(values["participants"]),
                   observers=list(values["observers"]),
                   place=None if place is None else (old if _place(old) == place else dict(place)))
    return out


# -- validation ----------------------------------------------------------------------------------


def validate_fields(kind: str, fields: dict) -> dict:
    """The fields of an edit, checked and normalised (codes upper case and sorted, ``none``
    aux as None, a place name as ``{"name": ...}``). A bad one is a StoreError naming it."""
    if kind not in KINDS:
        raise StoreError(f"target kind {kind!r} is not one of {', '.join(KINDS)}")
    if not fields:
        raise StoreError(f"an edit of a {_label(kind)} sets at least one of {', '.join(EDIT_FIELDS[kind])}")
    out = {}
    for name, value in fields.items():
        if name not in EDIT_FIELDS[kind]:
            raise StoreError(f"field {name!r} cannot be edited on a {_label(kind)}; "
                             f"editable: {', '.join(EDIT_FIELDS[kind])}")
        out[name] = _VALIDATORS[name](name, value)
    return out


def validate_action(kind: str, action: str, *, fields: dict | None, reason: str | None) -> None:
    """Check that an action, its reason and its fields go together (undo is checked by the store)."""
    if kind not in KINDS:
        raise StoreError(f"target kind {kind!r} is not one of {', '.join(KINDS)}")
    if action not in ACTIONS:
        raise StoreError(f"action {action!r} is not one of {', '.join(ACTIONS)}")
    if action == "reject":
        if reason not in REJECT_REASONS[kind]:
            raise StoreError(f"reason {reason!r}: a {_label(kind)} is rejected as one of "
                             f"{', '.join(repr(r) for r in REJECT_REASONS[kind])}")
    elif reason is not None:
        raise StoreError(f"only a reject takes a reason (got {reason!r} with {action})")
    if action != "edit" and fields:
        raise StoreError(f"only an edit sets fields (got {', '.join(fields)} with {action})")


def _label(kind: str) -> str:
    return {"event": "event report", "mention": "actor mention", "named_event": "named event"}.get(kind, kind)


def _code(name: str, value: Any) -> str:
    if not isinstance(value, str) or not _CODE.fullmatch(value.strip().upper()):
        raise StoreError(f"field {name!r}: {value!r} is not an actor code (capitals and digits, 2-16 "
                         "characters: SRB, CSTO, ISIL)")
    return value.strip().upper()


def _optional_code(name: str, value: Any) -> str | None:
    return None if value in (None, "") else _code(name, value)


def _codes_field(name: str, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, (list, tuple)):
        raise StoreError(f"field {name!r}: {value!r} is not a list of actor codes")
    return sorted({_code(name, v) for v in value})


def _event_type(name: str, value: Any) -> str:
    if not isinstance(value, str) or value.strip().upper() not in EVENT_TYPES:
        raise StoreError(f"field {name!r}: {value!r} is not a PLOVER event type; use one of {', '.join(EVENT_TYPES)}")
    return value.strip().upper()


def _aux(name: str, value: Any) -> str | None:
    if value in (None, "", "none"):
        return None
    if value not in AUX:
        raise StoreError(f"field {name!r}: {value!r} is not one of none, {', '.join(a for a in AUX if a)}")
    return value


def _iso(value: str) -> _date | None:
    m = _ISO.fullmatch(value)
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        return _date(year, month, day)
    except ValueError:
        return None


def _date_field(name: str, value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        parts = value.strip().split("/")
        days = [_iso(p) for p in parts]
        if len(parts) in (1, 2) and all(days) and (len(days) == 1 or days[0] <= days[1]):
            return "/".join(parts)
    raise StoreError(f"field {name!r}: {value!r} is not an ISO date; write YYYY, YYYY-MM, YYYY-MM-DD or a "
                     "span START/END")


def _place_field(name: str, value: Any) -> dict | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        value = {"name": value}
    if isinstance(value, dict) and set(value) <= {"name", "country"}:
        place_name = value.get("name")
        if place_name is not None and (not isinstance(place_name, str) or not place_name.strip()):
            raise StoreError(f"field {name!r}: the place name {place_name!r} is not a name")
        country = value.get("country")
        if country not in (None, ""):
            if not isinstance(country, str) or not re.fullmatch(r"[A-Z]{3}", country.strip().upper()):
                raise StoreError(f"field {name!r}: the country {country!r} is not a state's code (ISO 3166-1 "
                                 "alpha-3: SRB, RUS)")
            country = country.strip().upper()
        else:
            country = None
        if place_name or country:
            return {"name": place_name.strip() if place_name else None, "country": country}
    raise StoreError(f"field {name!r}: {value!r} is not a place; give a name or "
                     '{"name": ..., "country": CODE}')


def _text(name: str, value: Any) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value.strip()) > 200 or not value.strip():
        raise StoreError(f"field {name!r}: {value!r} is not a short text (at most 200 characters)")
    return " ".join(value.split())


def _sector(name: str, value: Any) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _SECTOR.fullmatch(value.strip().upper()):
        raise StoreError(f"field {name!r}: {value!r} is not a sector code (three capitals: GOV, MIL, OPP)")
    return value.strip().upper()


def _actor_kind(name: str, value: Any) -> str:
    if value not in ACTOR_KINDS:
        raise StoreError(f"field {name!r}: {value!r} is not one of {', '.join(ACTOR_KINDS)}")
    return value


_VALIDATORS: dict[str, Callable[[str, Any], Any]] = {
    "event": _event_type, "actor": _codes_field, "recipient": _codes_field, "date": _date_field,
    "place": _place_field, "aux": _aux, "office": _text, "affiliation": _optional_code, "sector": _sector,
    "code": _code, "kind": _actor_kind, "organizer": _optional_code, "participants": _codes_field,
    "observers": _codes_field,
}


# -- one article's targets, found and as reviewed ----------------------------------------------


@dataclass
class Target:
    """One reviewable item of an article's current record."""

    kind: str
    key: str
    ref: tuple                 # event: (record event id,); person / named_event: (entity id,);
                               # mention: (entity id, index of the mention)
    extracted: dict
    state: State

    @property
    def status(self) -> str | None:
        return self.state.status


@dataclass
class Ledger:
    """An article's targets of the kinds asked for, and the keys of reviewed targets not found
    in its record (orphans), by kind."""

    targets: dict[str, list[Target]] = field(default_factory=dict)
    orphans: list[tuple[str, str]] = field(default_factory=list)

    def of(self, kind: str) -> list[Target]:
        return self.targets.get(kind, [])


def ledger(article: str, record: dict, reviews: Iterable[Review], kinds: Iterable[str] = KINDS) -> Ledger:
    """Find every target of ``kinds`` in an article's record (a ``Record.model_dump()``-shaped
    dict), key it (see :func:`assign_keys`) and work out its state from its reviews."""
    history = by_target(r for r in reviews if r.article == article)
    out = Ledger()
    for kind in kinds:
        spans, values, refs = _items(kind, article, record)
        origins = {key: (hist[0].before or {}) for (k, key), hist in history.items() if k == kind}
        keys = assign_keys(spans, values, origins, _LIKENESS[kind])
        out.targets[kind] = [Target(kind, key, ref, extracted, target_state(kind, extracted, history.get((kind, key), [])))
                             for key, ref, extracted in zip(keys, refs, values)]
        found = set(keys)
        out.orphans += [(kind, key) for key in origins if key not in found]
    return out


def _items(kind: str, article: str, record: dict) -> tuple[list[str], list[dict], list[tuple]]:
    spans: list[str] = []
    values: list[dict] = []
    refs: list[tuple] = []
    if kind == "event":
        for ev in record.get("events") or []:
            spans.append(report_span(article, ev["text_info"]))
            values.append(event_values(ev))
            refs.append((ev["id"],))
    elif kind in ("person", "named_event"):
        for entity in record.get("entities") or []:
            if entity.get("kind") == kind:
                spans.append(entity_span(article, entity))
                values.append(entity_values(kind, entity))
                refs.append((entity["id"],))
    elif kind == "mention":
        for entity in record.get("entities") or []:
            if entity.get("kind") in ACTOR_KINDS:
                for i, m in enumerate(entity.get("mentions") or []):
                    spans.append(span_key(article, m["start"], m["end"]))
                    values.append(entity_values("mention", entity, m))
                    refs.append((entity["id"], i))
    else:
        raise StoreError(f"target kind {kind!r} is not one of {', '.join(KINDS)}")
    return spans, values, refs


_LIKENESS = {"event": _event_likeness, "person": _name_likeness, "named_event": _name_likeness,
             "mention": _code_likeness}


def reviewed_entities(entities: list[dict], book: Ledger) -> list[dict]:
    """The article's entities as reviewed, each with ``_review`` (key, status, reviewer, time)
    and each mention with its ``_review`` where it is an actor mention:

    - a rejected person or named event is left out; an edited one takes its reviewed values;
    - an actor mention rejected ("not an actor") is left out; one reviewed as another code
      moves to an entity of its own in the article (id ``ENTITY~CODE``, the mention's text as
      name, the reviewed kind), one per (entity, code); an actor entity left with no mention
      is left out.
    """
    people = {t.ref[0]: t for kind in ("person", "named_event") for t in book.of(kind)}
    mentions = {t.ref: t for t in book.of("mention")}
    out: list[dict] = []
    derived: dict[tuple[str, str], dict] = {}
    for entity in entities:
        entity = dict(entity)
        target = people.get(entity["id"])
        if target is not None:
            if target.status == "rejected":
                continue
            entity = apply_entity_values(target.kind, entity, target.state.values)
            entity["_review"] = _meta(target)
        if entity.get("kind") in ACTOR_KINDS and entity.get("mentions"):
            kept = []
            for i, m in enumerate(entity["mentions"]):
                t = mentions.get((entity["id"], i))
                m = dict(m, _review=_meta(t)) if t is not None else dict(m)
                if t is None or t.status is None:
                    kept.append(m)
                    continue
                if t.status == "rejected":
                    continue
                code, kind = t.state.values["code"], t.state.values.get("kind") or entity["kind"]
                if code == entity.get("code") and kind == entity["kind"]:
                    kept.append(m)
                    continue
                other = derived.get((entity["id"], code))
                if other is None:
                    other = derived[(entity["id"], code)] = {
                        "id": f"{entity['id']}~{code}", "kind": kind, "name": m.get("text") or code, "code": code,
                        "mentions": []}
                    out.append(other)
                other["mentions"].append(m)
            if not kept:
                continue
            entity["mentions"] = kept
        out.append(entity)
    return out


def _meta(target: Target) -> dict:
    state = target.state
    return {"key": target.key, "status": state.status, "reviewer": state.reviewer, "reviewed_at": state.reviewed_at}
