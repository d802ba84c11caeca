"""Who, when and where in one parsed article: the entities of the record, plus the token
maps the event coder reads (which actor a token names, which time and place a clause has)."""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count
from typing import TYPE_CHECKING

from ..record import Entity, Mention, Place
from .actors import ActorMention, find_actor_mentions
from .named_events import NamedEvent, find_named_events
from .people import Person, find_people
from .time import TimeExpression

if TYPE_CHECKING:
    from ..resources import Resources

PRONOUNS_PERSON = {"he", "she", "him", "her", "his"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
GUESSED_PLACE_LABELS = {"NORP", "ORG", "PERSON", "WORK_OF_ART", "PRODUCT", "EVENT"}


@dataclass
class PlaceMention:
    start: int
    end: int
    place: Place
    text: str


@dataclass
class Resolved:
    """Everything the resolver found in one Doc."""

    doc: object
    published: str | None
    publisher_code: str | None
    publisher_sector: str | None
    actors: list[ActorMention] = field(default_factory=list)       # states, orgs, groups, people
    people: list[Person] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    time_at: dict[int, TimeExpression] = field(default_factory=dict)   # token index -> time
    places: list[PlaceMention] = field(default_factory=list)
    place_at: dict[int, PlaceMention] = field(default_factory=dict)
    named_events: list[NamedEvent] = field(default_factory=list)
    actor_at: dict[int, ActorMention] = field(default_factory=dict)
    entities: list[Entity] = field(default_factory=list)
    story_date: str | None = None

    def pronoun_actor(self, token) -> ActorMention | None:
        """# personal pronoun: the person last mentioned before it, in this or the two previous sentences"""
        if token.lower_ not in PRONOUNS_PERSON:
            return None
        sent_start = token.sent.start
        floor = token.doc[sent_start - 1].sent.start if sent_start > 0 else 0
        if floor > 0:
            floor = token.doc[floor - 1].sent.start
        best = None
        for m in self.actors:
            if m.kind == "person" and floor <= m.start < token.i:
                best = m
        return best


def _times_by_token(doc, times: list[TimeExpression]) -> dict[int, TimeExpression]:
    out = {}
    for t in times:
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            out[tok.i] = t
    return out


def resolve_document(doc, dateline, resources: "Resources") -> Resolved:
    """Resolve the actors, people, times, places and named events of one parsed article,
    reading the data of ``resources``."""
    d = resources.dictionaries
    publisher = d.publisher(dateline.publisher)
    res = Resolved(doc=doc, published=dateline.date,
                   publisher_code=publisher.code if publisher else None,
                   publisher_sector=publisher.sector if publisher else None)
    actors = find_actor_mentions(doc, d, resources.sectors, resources.office_forms)
    people, titles = find_people(doc, d, actors, res.publisher_code, dateline.date,
                                 office_matcher=resources.office_matcher)
    res.people = people

    # entities: one per actor code, one per person (ids never reused, even when one is dropped)
    ids = count(1)
    entities: list[Entity] = []
    by_code: dict[str, Entity] = {}
    for m in actors:
        e = by_code.get(m.code)
        if e is None:
            ref = d.by_code.get(m.code)
            e = Entity(id=f"e{next(ids)}", kind=m.kind, name=ref.name if ref else m.text, code=m.code)
            by_code[m.code] = e
            entities.append(e)
        m.entity = e.id
        e.mentions.append(Mention(start=m.start_char, end=m.end_char, text=m.text))

    person_mentions: list[ActorMention] = []
    for p in people:
        e = Entity(id=f"e{next(ids)}", kind="person", name=p.name, office=p.office,
                   affiliation=p.affiliation, sector=p.sector, code=p.affiliation)
        entities.append(e)
        for start, end in sorted(set(p.mentions) | set(p.title_mentions)):
            span = doc[start:end]
            e.mentions.append(Mention(start=span.start_char, end=span.end_char, text=span.text))
            if p.affiliation:
                person_mentions.append(ActorMention(start, end, p.affiliation, "person", p.sector, span.text,
                                                    span.start_char, span.end_char, entity=e.id, name=p.name,
                                                    head=span.root.i))
    for t in titles:
        span = doc[t.start:t.end]
        person_mentions.append(ActorMention(t.start, t.end, t.affiliation, "person", t.office.sector, span.text,
                                            span.start_char, span.end_char, entity=by_code[t.affiliation].id
                                            if t.affiliation in by_code else None, name=t.office.title,
                                            head=span.root.i))
    # a person's mention outranks the actor inside it ("Serbian" in "Serbian Defense Minister ...")
    covered = {i for m in person_mentions for i in range(m.start, m.end)}
    res.actors = sorted([m for m in actors if m.start not in covered] + person_mentions, key=lambda m: m.start)
    for m in res.actors:
        for i in range(m.start, m.end):
            res.actor_at[i] = m

    # times
    res.times = resources.time_finder.find(doc.text, res.published)
    res.time_at = _times_by_token(doc, res.times)
    for t in res.times:
        entities.append(Entity(id=f"e{next(ids)}", kind="time", name=t.text, value=t.value,
                               type=t.type, mentions=[Mention(start=t.start, end=t.end, text=t.text)]))

    # places: every named place, with country and coordinates
    context = tuple(sorted({m.code for m in actors if m.kind == "state"} |
                           {e.text for e in doc.ents if e.label_ == "GPE" and not e.ent_id_}))
    places_by_name: dict[str, Entity] = {}
    resolve_place = resources.gazetteer.resolve_cached
    for ent in doc.ents:
        # the NER often reads a city as a group ("Aleppo": NORP); a known city is a place
        if ent.label_ not in PLACE_LABELS and not (ent.label_ in GUESSED_PLACE_LABELS and not ent.ent_id_
                                                   and ent.text not in d.demonyms):
            continue
        start = ent.start + (1 if ent[0].lower_ == "the" else 0)
        end = ent.end
        while end > start and (doc[end - 1].is_punct or doc[end - 1].pos_ == "CCONJ"):
            end -= 1   # "Aleppo and" read as one entity
        span = doc[start:end]
        if not len(span):
            continue
        place = resolve_place(span.text, context)
        if place is None:
            if ent.label_ in PLACE_LABELS and span.text[:1].isupper():
                # a place the gazetteer does not know ("Karrada", "the Middle East") is still a place
                e = places_by_name.get(span.text)
                if e is None:
                    e = Entity(id=f"e{next(ids)}", kind="location", name=span.text)
                    places_by_name[span.text] = e
                    entities.append(e)
                e.mentions.append(Mention(start=span.start_char, end=span.end_char, text=span.text))
            continue
        pm = PlaceMention(span.start, span.end, place, span.text)
        res.places.append(pm)
        for i in range(span.start, span.end):
            res.place_at[i] = pm
        if span.text in d.names or span.text in d.demonyms:
            continue   # a state: already an actor entity
        e = places_by_name.get(place.name)
        if e is None:
            e = Entity(id=f"e{next(ids)}", kind="location", name=place.name, country=place.country,
                       lat=place.lat, lon=place.lon)
            places_by_name[place.name] = e
            entities.append(e)
        e.mentions.append(Mention(start=span.start_char, end=span.end_char, text=span.text))

    # named events (exercises, summits, forums, meetings)
    res.named_events = find_named_events(doc, res, resources.named_event_words)
    _drop_people_inside_named_events(res, entities)
    for ne in res.named_events:
        e = Entity(id=f"e{next(ids)}", kind="named_event", name=ne.name, type=ne.kind,
                   organizer=ne.organizer, place=ne.place, date=ne.date, participants=ne.participants,
                   observers=ne.observers, aliases=ne.aliases or None,
                   mentions=[Mention(start=doc[s].idx, end=doc[e_ - 1].idx + len(doc[e_ - 1]), text=doc[s:e_].text)
                             for s, e_ in ne.mentions])
        ne.entity = e.id
        entities.append(e)
    res.entities = entities
    return res


def _drop_people_inside_named_events(res: Resolved, entities: list[Entity]) -> None:
    """# the NER reads exercise names as people ("Nerushimoye Bratstvo"): a person all of whose
    mentions lie inside named events is not a person"""
    inside = {i for ne in res.named_events for s, e in ne.mentions for i in range(s, e)}
    drop = set()
    for p, m_list in ((p, p.mentions) for p in res.people):
        if m_list and all(all(i in inside for i in range(s, e)) for s, e in m_list):
            drop.add(id(p))
    if not drop:
        return
    dropped_names = {p.name for p in res.people if id(p) in drop}
    res.people = [p for p in res.people if id(p) not in drop]
    gone = {e.id for e in entities if e.kind == "person" and e.name in dropped_names}
    entities[:] = [e for e in entities if e.id not in gone]
    res.actors = [m for m in res.actors if m.entity not in gone]
    res.actor_at = {i: m for i, m in res.actor_at.items() if m.entity not in gone}
