"""Who, when and where in one parsed article: the entities of the record, and the
:class:`~entente.resolve.context.ResolvedDoc` the event coder reads (which actor a token
names, which time and place a clause has)."""
from __future__ import annotations

from dataclasses import replace
from itertools import count
from typing import TYPE_CHECKING

from ..record import Entity, Mention, Place
from .actors import find_actor_mentions, person_name_tokens
from .context import ActorMention, DocMentions, NamedEvent, PlaceMention, ResolvedDoc, ResolvedPerson
from .named_events import find_named_events
from .people import find_people, norm_name

if TYPE_CHECKING:
    from ..resources import Resources

PLACE_LABELS = {"GPE", "LOC", "FAC"}
GUESSED_PLACE_LABELS = {"NORP", "ORG", "PERSON", "WORK_OF_ART", "PRODUCT", "EVENT"}


def resolve_document(doc, dateline, resources: Resources) -> tuple[ResolvedDoc, list[Entity]]:
    """Resolve the actors, people, times, places and named events of one parsed article,
    reading the data of ``resources``: the coder's input and the record's entities."""
    d = resources.dictionaries
    publisher = d.publisher(dateline.publisher)
    publisher_code = publisher.code if publisher else None
    person_tokens = person_name_tokens(doc, resources.people_words.honorifics, resources.office_heads)
    found = find_actor_mentions(doc, d, resources.sectors, resources.office_forms,
                                known=resources.known_people, published=dateline.date,
                                people_words=resources.people_words, person_tokens=person_tokens)
    found_people, titles = find_people(doc, d, found, publisher_code, dateline.date,
                                       office_matcher=resources.office_matcher, known=resources.known_people,
                                       words=resources.people_words, place_country=_place_country(resources))
    people = [ResolvedPerson(p.name, p.office, p.affiliation, p.sector, tuple(p.mentions), tuple(p.title_mentions))
              for p in found_people]

    # entities: one per actor code, one per person (ids never reused, even when one is dropped)
    ids = count(1)
    entities: list[Entity] = []
    by_code: dict[str, Entity] = {}
    actors: list[ActorMention] = []
    for m in found:
        e = by_code.get(m.code)
        if e is None:
            ref = d.by_code.get(m.code)
            e = Entity(id=f"e{next(ids)}", kind=m.kind, name=ref.name if ref else m.text, code=m.code)
            by_code[m.code] = e
            entities.append(e)
        actors.append(replace(m, entity=e.id))
        e.mentions.append(Mention(start=m.start_char, end=m.end_char, text=m.text))

    person_mentions: list[ActorMention] = []
    actor_tokens = {i for m in found for i in range(m.start, m.end)}
    for p in people:
        e = Entity(id=f"e{next(ids)}", kind="person", name=p.name, office=p.office,
                   affiliation=p.affiliation, sector=p.sector, code=p.affiliation)
        entities.append(e)
        names = set(p.mentions)
        for start, end in sorted(names | set(p.title_mentions)):
            span = doc[start:end]
            e.mentions.append(Mention(start=span.start_char, end=span.end_char, text=span.text))
            if (start, end) in names and any(i in actor_tokens for i in range(start, end)):
                continue   # a name inside an actor's phrase ("Putin's government"): the actor acts
            if p.affiliation:
                person_mentions.append(ActorMention(
                    code=p.affiliation, kind="person", sector=p.sector, start=start, end=end, text=span.text,
                    start_char=span.start_char, end_char=span.end_char, entity=e.id, name=p.name,
                    head=span.root.i))
    for t in titles:
        span = doc[t.start:t.end]
        person_mentions.append(ActorMention(
            code=t.affiliation, kind="person", sector=t.office.sector, start=t.start, end=t.end, text=span.text,
            start_char=span.start_char, end_char=span.end_char,
            entity=by_code[t.affiliation].id if t.affiliation in by_code else None, name=t.office.title,
            head=span.root.i))
    # a person's mention outranks the actor inside it ("Serbian" in "Serbian Defense Minister ...")
    covered = {i for m in person_mentions for i in range(m.start, m.end)}
    all_actors = sorted([m for m in actors if m.start not in covered] + person_mentions, key=lambda m: m.start)

    # times
    times = resources.time_finder.find(doc.text, dateline.date)
    for t in times:
        entities.append(Entity(id=f"e{next(ids)}", kind="time", name=t.text, value=t.value,
                               type=t.type, mentions=[Mention(start=t.start, end=t.end, text=t.text)]))

    # places: every named place, with country and coordinates
    context = tuple(sorted({m.code for m in found if m.kind == "state"} |
                           {e.text for e in doc.ents if e.label_ == "GPE" and not e.ent_id_}))
    places: list[PlaceMention] = []
    places_by_name: dict[str, Entity] = {}

    def place_entity(place: Place, span) -> None:
        """The location entity of a resolved place (one per name), with this mention."""
        e = places_by_name.get(place.name)
        if e is None:
            e = Entity(id=f"e{next(ids)}", kind="location", name=place.name, country=place.country,
                       lat=place.lat, lon=place.lon)
            places_by_name[place.name] = e
            entities.append(e)
        e.mentions.append(Mention(start=span.start_char, end=span.end_char, text=span.text))

    resolve_place = resources.gazetteer.resolve_cached
    words = resources.gazetteer.words
    ents = list(doc.ents)
    people_tokens = {i for p in found_people for s, e in p.mentions for i in range(s, e)}
    surnames = {p.surname for p in found_people}
    for n, ent in enumerate(ents):
        # the NER often reads a city as a group ("Aleppo": NORP); a known city is a place
        if ent.label_ not in PLACE_LABELS and not (ent.label_ in GUESSED_PLACE_LABELS and not ent.ent_id_
                                                   and ent.text not in d.demonyms):
            continue
        if any(i in person_tokens or i in people_tokens for i in range(ent.start, ent.end)) \
                or (ent.label_ == "PERSON" and norm_name(ent.text) in surnames):
            continue   # "Mr. Jordan", "Georgia Smith", "Abbas said": a person's name, not a place
        start = ent.start + (1 if ent[0].lower_ == "the" else 0)
        end = ent.end
        while end > start and (doc[end - 1].is_punct or doc[end - 1].pos_ == "CCONJ"):
            end -= 1   # "Aleppo and" read as one entity
        if end <= start:
            continue
        # the name with its region or site word, when that names a known place or a site the text places
        wide_start, wide_end = _widen_to_region_or_site(doc, start, end, words)
        place = None
        if (wide_start, wide_end) != (start, end):
            wide = doc[wide_start:wide_end]
            place = resolve_place(wide.text, context) or _site_in_place(doc, wide, ents, n, words,
                                                                        resolve_place, context)
            if place is not None:
                start, end = wide_start, wide_end
        span = doc[start:end]
        place = place or resolve_place(span.text, context)
        if ent.label_ in PLACE_LABELS and (region := _region_after_comma(doc, ents, n, end)) is not None:
            # "Birmingham, Ala.", "Tripoli, Lebanon": the city of the pair's country or US state
            place = resources.gazetteer.resolve_pair(span.text, region.text, context=context) or place
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
        places.append(PlaceMention(span.start, span.end, place, span.text))
        if span.text in d.names or span.text in d.demonyms:
            continue   # a state: already an actor entity
        place_entity(place, span)
    for span, place in _regions_the_ner_missed(doc, words, resolve_place, context,
                                               {i for pm in places for i in range(pm.start, pm.end)}):
        places.append(PlaceMention(span.start, span.end, place, span.text))
        place_entity(place, span)

    # named events (exercises, summits, forums, meetings), found over the actors, places and times
    mentions = DocMentions.build(doc, all_actors, places, times, person_pronouns=resources.grammar.person_pronouns)
    gazetteer = resources.gazetteer
    named = find_named_events(doc, mentions, resources.named_event_words,
                              place_of=lambda name: _big_city(name, context, gazetteer),
                              country_place=gazetteer.for_country, published=dateline.date,
                              headlines=dateline.headlines)
    people, mentions = _drop_people_inside_named_events(named, people, mentions, entities)
    named_events: list[NamedEvent] = []
    for ne in named:
        e = Entity(id=f"e{next(ids)}", kind="named_event", name=ne.name, type=ne.kind,
                   organizer=ne.organizer, place=ne.place, date=ne.date, participants=ne.participants,
                   observers=ne.observers, aliases=ne.aliases or None,
                   mentions=[Mention(start=doc[s].idx, end=doc[e_ - 1].idx + len(doc[e_ - 1]), text=doc[s:e_].text)
                             for s, e_ in ne.mentions])
        named_events.append(replace(ne, entity=e.id))
        entities.append(e)
    resolved = ResolvedDoc.build(mentions, published=dateline.date, publisher_code=publisher_code,
                                 publisher_sector=publisher.sector if publisher else None, people=people,
                                 named_events=named_events, dictionaries=d)
    return resolved, entities


def _widen_to_region_or_site(doc, start: int, end: int, words) -> tuple[int, int]:
    """# a place's name with the region or site word the NER left out: "the [Kherson] region",
    "the province of [Idlib]", "the [Donguz] training ground": the span of the whole name."""
    if end < len(doc) and doc[end].lower_ in words.region_words:
        return start, end + 1
    if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in words.region_words \
            and (start == 2 or not doc[start - 3].ent_type_ and doc[start - 3].pos_ != "PROPN"):
        return start - 2, end   # not "the Karrada district of Baghdad": that district is Karrada
    following = doc[end].lower_ if end < len(doc) else None
    for phrase in words.facility_phrases:
        if phrase[0] == following and tuple(t.lower_ for t in doc[end:end + len(phrase)]) == phrase:
            return start, end + len(phrase)
    return start, end


#: how many capitalised words a region's name can have before its region word ("Nizhny Novgorod region")
REGION_NAME_WORDS = 3


def _regions_the_ner_missed(doc, words, resolve_place, context, taken: set[int]):
    """# "in the Zaporizhzhia region", "the province of Hama" with no entity on the name: the
    capitalised words before a region word (or after "<region word> of") that the gazetteer
    resolves, with the region word; yields (span, place)."""
    for tok in doc:
        if tok.lower_ not in words.region_words or tok.i in taken:
            continue
        start = tok.i
        while start > 0 and tok.i - start < REGION_NAME_WORDS and doc[start - 1].is_title \
                and not doc[start - 1].ent_type_ and doc[start - 1].i not in taken and not doc[start - 1].is_sent_start:
            start -= 1
        candidates = [(start, tok.i + 1)] if start < tok.i else []
        if tok.i + 2 < len(doc) and doc[tok.i + 1].lower_ == "of":
            end = tok.i + 2
            while end < len(doc) and end - tok.i - 2 < REGION_NAME_WORDS and doc[end].is_title \
                    and not doc[end].ent_type_ and end not in taken:
                end += 1
            if end > tok.i + 2:
                candidates.append((tok.i, end))
        for s, e in candidates:
            place = resolve_place(doc[s:e].text, context)
            if place is not None:
                taken.update(range(s, e))
                yield doc[s:e], place
                break


def _site_in_place(doc, span, ents, n: int, words, resolve_place, context) -> Place | None:
    """# a site the gazetteer does not know, put in a place by the text: "the Donguz training
    ground in the Orenburg region" -> Russia; the site keeps its name, without a point."""
    i = span.end
    if i >= len(doc) or doc[i].lower_ not in words.site_prepositions:
        return None
    for nxt in ents[n + 1:n + 2]:
        first = nxt.start + (1 if nxt[0].lower_ == "the" else 0)
        if nxt.start not in (i + 1, i + 2) or nxt.label_ not in PLACE_LABELS | GUESSED_PLACE_LABELS:
            continue
        s, e = _widen_to_region_or_site(doc, first, nxt.end, words)
        where = resolve_place(doc[s:e].text, context)
        if where is not None:
            return Place(name=span.text, country=where.country)
    return None


def _region_after_comma(doc, ents, n: int, end: int):
    """The place entity right after ``ents[n]`` and a comma ("Birmingham , Ala."), or None."""
    if n + 1 >= len(ents) or end + 1 >= len(doc) or doc[end].text != "," or ents[n + 1].start != end + 1:
        return None
    nxt = ents[n + 1]
    return nxt if nxt.label_ in PLACE_LABELS else None


#: a city that names a summit or forum ("the Munich Security Conference") is its place when it is
#: at least this big: smaller namesakes are usually a word ("the Young Scientist Conclave")
NAMING_CITY_POPULATION = 100_000


def _big_city(name: str, context: tuple[str, ...], gazetteer) -> Place | None:
    """The place a name resolves to, when it is a city of NAMING_CITY_POPULATION people or more
    (read from the gazetteer's GeoNames index)."""
    from .places import fold

    place = gazetteer.resolve_cached(name, context)
    if place is None:
        return None
    cities = gazetteer.index.cities.get(fold(name), []) + gazetteer.index.alt_cities.get(fold(name), [])
    if not any(c.population >= NAMING_CITY_POPULATION and c.country == place.country for c in cities) \
            and fold(name) not in gazetteer.index.aliases:
        return None
    return place


def _place_country(resources: Resources):
    """A place name -> its country code, None when the gazetteer knows no such place (a city in
    a title gives its state: "Caracas Metropolitan Mayor")."""
    resolve = resources.gazetteer.resolve_cached

    def country(text: str) -> str | None:
        place = resolve(text, ())
        return place.country if place is not None else None
    return country


def _drop_people_inside_named_events(named: list[NamedEvent], people: list[ResolvedPerson], mentions: DocMentions,
                                     entities: list[Entity]) -> tuple[list[ResolvedPerson], DocMentions]:
    """# the NER reads exercise names as people ("Nerushimoye Bratstvo"): a person all of whose
    mentions lie inside named events is not a person"""
    inside = {i for ne in named for s, e in ne.mentions for i in range(s, e)}
    drop = set()
    for p, m_list in ((p, p.mentions) for p in people):
        if m_list and all(all(i in inside for i in range(s, e)) for s, e in m_list):
            drop.add(id(p))
    if not drop:
        return people, mentions
    dropped_names = {p.name for p in people if id(p) in drop}
    people = [p for p in people if id(p) not in drop]
    gone = {e.id for e in entities if e.kind == "person" and e.name in dropped_names}
    entities[:] = [e for e in entities if e.id not in gone]
    return people, mentions.without_entities(gone)
