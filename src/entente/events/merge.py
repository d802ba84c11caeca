"""The article-level merging of coded mentions into the record's events.

Each trigger the coder accepts is a :class:`Coded` mention. An article tells one event many
times ("Russia struck Aleppo ... the strikes ... the attack"); here the mentions are dated,
folded into one event per (type, actors, recipients, date, aux), and written as the
record's :class:`~entente.record.Event` with its evidence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as _date
from typing import TYPE_CHECKING

from ..record import Event, Participant, Place, TextInfo
from ..resolve.context import ActorMention, ResolvedDoc
from .grammar import Grammar
from .patterns import Pattern, PatternSet
from .slots import clause

if TYPE_CHECKING:
    from spacy.tokens import Token


@dataclass(eq=False)
class Coded:
    """One trigger coded as an event, before merging."""

    type: str
    aux: str | None
    trigger: Token = field(repr=False)
    pattern: Pattern = field(repr=False)
    actors: list[ActorMention]
    recipients: list[ActorMention]
    place: Place | None
    mode: list[str]
    context: list[str]
    slots: tuple[str | None, str | None]   # the slots the actors and recipients came from
    date: str | None = None                # set when dated: the date in the mention's own words
    own_date: bool = False
    controls: list[int] = field(default_factory=list)   # a control verb's embedded verbs (CAMEO layer)


def merge(coded: list[Coded], res: ResolvedDoc, patterns: PatternSet, grammar: Grammar, *,
          explain: bool = False) -> list[Event]:
    """The events of an article from its coded mentions, in text order, one per event."""
    for ev in coded:
        ev.date, ev.own_date = event_date(ev.trigger, ev.aux, res)
    dated = list(coded)
    anchor = story_anchor(dated, res)
    events: list[Event] = []
    index: dict[tuple, Event] = {}
    # a mention without a date of its own is the same event as a dated mention of it
    dated_keys = {_key(ev) for ev in dated if ev.own_date}
    dated = [ev for ev in dated if ev.own_date or _key(ev) not in dated_keys]
    # an attack mentioned without its perpetrator is the same attack as the one with it;
    # a statement mentioned without its addressee is the same as the one with it
    dated = [ev for ev in dated if not _covered(ev, dated)]
    dated = join_halves(dated, res, patterns)
    published = res.published
    for ev in dated:
        date = ev.date or anchor
        aux = ev.aux
        # an act dated more than a year before the story is background: historical
        if aux is None and ev.own_date and published and date and date[:4].isdigit() \
                and int(date[:4]) < int(published[:4]) - 1:
            aux = "historical"
        trigger, pattern = ev.trigger, ev.pattern
        actors = [participant(a) for a in ev.actors]
        recipients = [participant(r) for r in ev.recipients]
        key = (ev.type, frozenset(p.code for p in actors), frozenset(p.code for p in recipients), date, aux)
        if key in index:
            # the same event told again: a later mention may say where it happened
            if index[key].event_loc is None and ev.place is not None:
                index[key].event_loc = ev.place
            continue
        sent = trigger.sent
        # the trigger's words: "met with", "called for", "impose sanctions", "pull out"
        words = [trigger] + [c for c in trigger.children if c.dep_ in ("prt", "prep", "dobj") and c.i == trigger.i + 1
                             and (c.lower_ in pattern.words or c.lemma_ in pattern.words or c.dep_ == "prt"
                                  or c.lower_ in grammar.trigger_particles)]
        start = min(w.idx for w in words)
        end = max(w.idx + len(w) for w in words)
        confidence = 0.5 + (0.2 if ev.slots[0] not in (None, "speaker") else 0) + \
            (0.15 if ev.slots[1] not in (None, "place") else 0) + (0.1 if pattern.words else 0)
        event = Event(
            id=f"ev{len(events) + 1}", event=ev.type, mode=ev.mode, context=ev.context, aux=aux,
            actor=actors, recipient=recipients, date=date, enddate=None,
            event_loc=ev.place, event_text=res.doc.text[start:end],
            text_info=TextInfo(sequence=res.sentence_of(trigger.i) + 1, start=_first_word(sent).idx, end=sent.end_char,
                               trigger_start=start, trigger_end=end),
            confidence=round(min(confidence, 0.95), 2), pattern=pattern.name)
        if "/" in (date or ""):
            event.date, event.enddate = date.split("/", 1)
        if explain:
            event.explanation = [
                f"pattern {pattern.name}: trigger {pattern.trigger!r} on {trigger.text!r} ({trigger.dep_}, {trigger.pos_})",
                f"CAMEO-derived: CAMEO {pattern.cameo}, {pattern.source}" if pattern.origin == "cameo"
                else f"hand-written: {pattern.source}",
                f"actor from slot {ev.slots[0]}: {[a.text or a.code for a in ev.actors]}",
                f"recipient from slot {ev.slots[1]}: {[r.text or r.code for r in ev.recipients]}",
                f"aux {aux}; date {date} ({'in the clause' if ev.own_date else 'story anchor'}); "
                f"place {ev.place.name if ev.place else None}",
            ]
        index[key] = event
        events.append(event)
    return events


def _key(ev: Coded) -> tuple:
    return ev.type, frozenset(a.code for a in ev.actors), frozenset(r.code for r in ev.recipients), ev.aux


def _covered(ev: Coded, dated: list[Coded]) -> bool:
    """# the same act told with fewer parties: "the attack" after "ISIL's attack on Kabul"
    (no actor, recipients among the other's), "the statement" (no addressee, same speakers)"""
    def codes(parties):
        return {p.code for p in parties}

    for other in dated:
        if other is ev or other.type != ev.type:
            continue
        if not ev.actors and other.actors and codes(ev.recipients) <= codes(other.recipients):
            return True
        if not ev.recipients and other.recipients and codes(ev.actors) == codes(other.actors):
            return True
    return False


def join_halves(dated: list[Coded], res: ResolvedDoc, patterns: PatternSet) -> list[Coded]:
    """# one attack told in two halves: "condemns the attacks ... claimed by Da'esh" (no victims)
    and "60 civilians were killed" (no perpetrator) in the same or the next sentence (types
    with victims: the pattern header ``victims: true``)"""
    out = list(dated)
    for a in dated:
        if not patterns.rules(a.type).victims or not a.actors or a.recipients or a not in out:
            continue
        n = res.sentence_of(a.trigger.i)
        for b in dated:
            if b is a or b.type != a.type or b.actors or not b.recipients or b not in out:
                continue
            if not _told_without_doer(b):
                continue   # "airstrikes against Serbs ... Pakistani troops fired": two acts, not halves
            if abs(res.sentence_of(b.trigger.i) - n) <= 1:
                b.actors = a.actors
                b.place = b.place or a.place
                out.remove(a)
                break
    return out


def _told_without_doer(ev: Coded) -> bool:
    """The second half of a split attack: its victims told by an agentless passive ("60
    civilians were killed") or found where they were hit; a noun with its own target ("the
    airstrikes against Serbs") is an act of its own."""
    t = ev.trigger
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in t.children) or t.tag_ == "VBN" and t.dep_ == "acl"
    return t.pos_ in ("VERB", "AUX") and passive or ev.slots[1] == "place"


def event_date(trigger, aux: str | None, res: ResolvedDoc) -> tuple[str | None, bool]:
    """# the date in the mention's own words: a noun trigger by its own words ("the attacks
    Aug. 7"), not by the verb reporting it ("condemned the bombing ... on Thursday"); a verb
    by its clause ("met in Moscow on 25 September"). (date, True) or (None, False)."""
    published = res.published
    tokens = list(trigger.subtree) if trigger.pos_ == "NOUN" else clause(trigger)
    for t in sorted(tokens, key=lambda t: t.i):
        if res.in_named_event(t.i):
            continue   # "Vzaimodeistvoye 2017" is a name, not a date
        te = res.time_at(t.i)
        if te is None or not te.value or te.type not in ("DATE", "TIME"):
            continue
        value = te.value
        if not value[:4].isdigit():
            continue
        if "T" in value:
            value = value.split("T")[0]
        if aux is None and published and value[:10] > published:
            continue   # a promise dated by what it promises: an AGREE is dated when made
        return value, True
    return None, False


def story_anchor(dated: list[Coded], res: ResolvedDoc) -> str | None:
    """# the story's date: a dated event of the lead within a month of publication; statements
    reported with it share it. Failing that, the publication date."""
    published = res.published
    sents = res.sentences
    lead_end = sents[min(2, len(sents) - 1)].end if sents else 0
    for ev in sorted(dated, key=lambda e: e.trigger.i):
        if ev.trigger.i >= lead_end or not ev.date or len(ev.date) != 10:
            continue
        if published and _days_apart(ev.date, published) <= 31:
            return ev.date
    return published


def participant(a: ActorMention) -> Participant:
    """An actor as the record writes it."""
    return Participant(code=a.code, sector=a.sector, entity=a.entity, text=a.text or None)


def _first_word(sent):
    return next((t for t in sent if not t.is_space), sent[0])


def _days_apart(a: str, b: str) -> int:
    try:
        return abs((_date.fromisoformat(a[:10]) - _date.fromisoformat(b[:10])).days)
    except ValueError:
        return 10 ** 6
