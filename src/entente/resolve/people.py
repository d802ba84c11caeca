"""People with their office and affiliation.

Constructions read (each branch below names its own):

- title before the name: "CSTO Secretary General Yuri Khachaturov", "Serbian Defense Minister
  Aleksandar Vulin", "Special Presidential Envoy for the Global Coalition to Counter ISIL Brett
  McGurk" (the portfolio stays in the office), "Minister for the Middle East, Tobias Ellwood";
- apposition after the name: "Vulin, Serbia's defence minister";
- a coordination governed by a title: "the three foreign ministers of Bronislaw Geremek of
  Poland, Janos Martonyi of Hungary and Jan Kavan of the Czech Republic";
- a title alone ("the Serbian defense minister", "The Foreign Secretary") refers to the
  person of the article with that office and affiliation.

Affiliation, in order: the actor in the title or after "of"; the state that alone uses the
title ("Secretary of State"); the nearest actor in the sentence that no other person claims;
the publisher's state.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from ..dictionaries import Dictionaries, Office, load_yaml
from .context import ActorMention

if TYPE_CHECKING:
    from .known_people import HeldRole, KnownPeople

#: the word file of this module in a data folder
WORDS_FILE = "people_words.yaml"


class PeopleWords(BaseModel):
    """The words of people_words.yaml (see the file for what each list does)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    honorifics: frozenset[str]
    title_modifiers: frozenset[str]
    title_suffixes: frozenset[str]
    body_heads: frozenset[str]
    government_nouns: frozenset[str]
    visit_verbs: frozenset[str]
    locative_prepositions: frozenset[str]
    locative_participles: frozenset[str]
    portfolio_prepositions: frozenset[str]
    name_particles: frozenset[str]
    origin_suffixes: frozenset[str]


def load_people_words(path: Path) -> PeopleWords:
    """Read and validate a people_words.yaml."""
    return load_yaml(path, PeopleWords)


HONORIFICS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "madam", "dame", "lord", "lady"}
_PERSON_LABELS = {"PERSON"}
_MAX_PORTFOLIO = 10


@dataclass
class Person:
    name: str
    office: str | None = None
    office_entry: Office | None = None
    affiliation: str | None = None
    sector: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)   # token spans
    title_mentions: list[tuple[int, int]] = field(default_factory=list)
    rank: int = 0   # how the affiliation was found: 3 stated, 2 a known role or the office's state, 1 nearby actor, 0 publisher
    known: HeldRole | None = None

    @property
    def explicit_affiliation(self) -> bool:
        return self.rank >= 3

    @property
    def surname(self) -> str:
        return norm_name(self.name).split()[-1] if self.name.split() else ""


def norm_name(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def plural(words: str) -> str:
    """English plural of a title's last word ("foreign minister" -> "foreign ministers")."""
    head, _, last = words.rpartition(" ")
    if last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith("man"):
        last = last[:-3] + "men"
    else:
        last += "s"
    return f"{head} {last}".strip()


class OfficeMatcher:
    """Finds office titles (and their plurals) in a Doc, case-insensitively."""

    def __init__(self, vocab, offices: list[Office]):
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        self.entries: dict[str, Office] = {}
        self.plural_keys: set[str] = set()
        for i, office in enumerate(offices):
            singular = {office.title, *office.aliases}
            for key, forms in ((f"office{i}", singular), (f"office{i}_pl", {plural(f) for f in singular})):
                self.entries[key] = office
                docs = [Doc(vocab, words=re.findall(r"\w+(?:[-'’.]\w+)*\.?|[^\w\s]", f.lower()))
                        for f in sorted(forms)]
                self.matcher.add(key, docs)
            self.plural_keys.add(f"office{i}_pl")

    def __call__(self, doc) -> list[tuple[int, int, Office, bool]]:
        """Longest non-overlapping office matches, as (start, end, office, plural)."""
        found = sorted(self.matcher(doc), key=lambda m: (m[1], -(m[2] - m[1])))
        out, last_end = [], -1
        for match_id, start, end in found:
            if start < last_end:
                continue
            # keep only capitalised titles or lower-case ones introduced by a determiner or actor
            key = doc.vocab.strings[match_id]
            out.append((start, end, self.entries[key], key in self.plural_keys))
            last_end = end
        return out


def _clean_person_span(doc, start: int, end: int, offices_at: dict[int, tuple[int, int, Office]]) -> tuple[int, int]:
    """Drop honorifics and titles the NER took into the name ("Spokesperson John Kirby")."""
    while start < end:
        tok = doc[start]
        if tok.lower_ in HONORIFICS or tok.is_punct or tok.lower_ == "the":
            start += 1
            continue
        match = offices_at.get(start)
        if match and match[1] < end:
            start = match[1]
            continue
        break
    while end > start and (doc[end - 1].is_punct or doc[end - 1].tag_ == "POS"):
        end -= 1
    return start, end


def find_people(doc, d: Dictionaries, actors: list[ActorMention], publisher_code: str | None,
                published: str | None = None, *, office_matcher: OfficeMatcher, known: KnownPeople,
                words=None) -> tuple[list[Person], list["TitleMention"]]:
    """People named in ``doc`` with office, affiliation and sector, mentions merged per person;
    and the officials named by title alone. ``office_matcher``: the offices of ``d`` over the
    pipeline's vocabulary; ``known``: the known people with their dated roles (both built once,
    by :class:`entente.resources.Resources`)."""
    offices = office_matcher(doc)
    offices_at = {start: m for m in offices for start in [m[0]]}
    office_ending_at = {m[1]: m for m in offices}
    actor_ending_at = {a.end: a for a in actors}
    actor_at_token = {i: a for a in actors for i in range(a.start, a.end)}

    spans: list[tuple[int, int]] = []
    for ent in doc.ents:
        if ent.label_ not in _PERSON_LABELS:
            continue
        start, end = _clean_person_span(doc, ent.start, ent.end, offices_at)
        if start >= end or any(i in actor_at_token for i in range(start, end)):
            continue   # a leader's name inside "the Assad regime" is the state, not a person
        if not any(t.is_alpha and t.text[:1].isupper() for t in doc[start:end]):
            continue
        spans.append((start, end))

    people: list[Person] = []
    claimed: set[int] = set()   # token index of actor mentions that give someone's affiliation
    used_offices: set[int] = set()
    for start, end in spans:
        person = Person(name=doc[start:end].text, mentions=[(start, end)])
        leader = d.leader(person.name)
        if leader is not None and leader.office:
            person.office = leader.office   # a well-known leader: "Assad", "Putin"
        _title_before(doc, person, start, office_ending_at, actor_ending_at, claimed, used_offices)
        if person.office is None:
            _apposition_after(doc, person, end, offices_at, actor_at_token, claimed, used_offices)
        if person.office is None:
            _governing_title(doc, person, start, end, offices, used_offices)
        _of_state_after(doc, person, end, actor_at_token, claimed)
        people.append(person)

    merged = _merge(people)
    for person in merged:
        if person.rank < 2 and person.office_entry and person.office_entry.country:
            person.affiliation, person.rank = person.office_entry.country, 2
    for person in merged:
        person.known = known.role_of_person(person.name, published)
        if person.rank < 2 and person.known is not None:
            # a known person named without a stated state: the role they held that day, by
            # the fullest name the story gives (a surname only where the given name fits)
            person.affiliation, person.rank = person.known.code, 2
            if person.sector is None and person.office_entry is None:
                person.sector = person.known.sector
    for person in merged:
        if person.affiliation is None:
            person.affiliation = _nearest_unclaimed(doc, person, actors, claimed)
            person.rank = 1 if person.affiliation else 0
    merged = _drop_unsupported(merged)
    titles = _attach_bare_titles(doc, merged, offices, used_offices, actor_ending_at, publisher_code)
    for person in merged:
        if person.affiliation is None:
            person.affiliation = publisher_code
        if person.sector is None and person.office_entry:
            person.sector = person.office_entry.sector
    _surname_mentions(doc, merged, spans)
    return merged, titles


# --- constructions -----------------------------------------------------------------------

def _set_office(person: Person, doc, start: int, end: int, office: Office, portfolio: str = "") -> None:
    person.office_entry = office
    person.office = (office.title + (" " + portfolio if portfolio else "")).strip()
    person.sector = office.sector


def _title_before(doc, person, start, office_ending_at, actor_ending_at, claimed, used_offices) -> None:
    """# title before the name: "[Serbian] Defense Minister [for ...][,] Aleksandar Vulin" """
    stop = start
    if stop > 0 and doc[stop - 1].text == ",":
        stop -= 1
    # the office may be followed by a portfolio: "Envoy for the Global Coalition to Counter ISIL"
    for office_end in range(stop, max(stop - _MAX_PORTFOLIO, 0) - 1, -1):
        match = office_ending_at.get(office_end)
        if match is None:
            if office_end < stop and doc[office_end].pos_ == "VERB" and doc[office_end].dep_ not in ("amod", "compound"):
                return
            continue
        o_start, o_end, office, _ = match
        between = doc[o_end:stop]
        portfolio = ""
        affiliation_in_portfolio = None
        if len(between):
            if between[0].lower_ not in ("for", "of", "to", "at"):
                continue
            if any(t.ent_type_ == "PERSON" for t in between) or len(between) == 1:
                continue   # "the foreign ministers of Bronislaw Geremek ...": a governing title
            if between[0].lower_ == "of":
                actor = actor_ending_at.get(stop)
                if actor is not None and actor.start >= o_end + 1:
                    affiliation_in_portfolio = actor
                else:
                    portfolio = between.text
            else:
                portfolio = between.text
        _set_office(person, doc, o_start, o_end, office, portfolio)
        if portfolio:
            # "Envoy for the Global Coalition": the Coalition is the portfolio, not the affiliation
            claimed.update(i for i in range(o_end, stop) if i in actor_ending_at or any(
                a.start == i for a in actor_ending_at.values()))
        used_offices.add(o_start)
        person.title_mentions.append((o_start, stop))
        prefix = actor_ending_at.get(o_start) or (
            actor_ending_at.get(o_start - 1) if o_start > 0 and doc[o_start - 1].tag_ == "POS" else None)
        source = affiliation_in_portfolio or prefix
        if source is not None:
            person.affiliation = source.code
            person.rank = 3
            if source.kind != "person":
                claimed.add(source.start)
        return


def _apposition_after(doc, person, end, offices_at, actor_at_token, claimed, used_offices) -> None:
    """# apposition after the name: "Vulin, Serbia's defence minister," """
    if end >= len(doc) or doc[end].text != ",":
        return
    i = end + 1
    if i < len(doc) and doc[i].lower_ in ("the", "a"):
        i += 1
    actor = None
    if i in actor_at_token:
        actor = actor_at_token[i]
        i = actor.end
        if i < len(doc) and doc[i].tag_ == "POS":
            i += 1
    match = offices_at.get(i)
    if match is None:
        return
    o_start, o_end, office, _ = match
    _set_office(person, doc, o_start, o_end, office)
    used_offices.add(o_start)
    person.title_mentions.append((o_start, o_end))
    if actor is not None:
        person.affiliation = actor.code
        person.rank = 3
        claimed.add(actor.start)


def _governing_title(doc, person, start, end, offices, used_offices) -> None:
    """# coordination under a title: "the foreign ministers of Geremek of Poland, Martonyi of Hungary" """
    root = doc[start:end].root
    node, hops = root, 0
    ends = {m[1] - 1: m for m in offices}
    while hops < 5 and node.head is not node:
        if node.dep_ not in ("pobj", "prep", "appos", "conj", "compound"):
            break
        node = node.head
        hops += 1
        if node.i in ends:
            o_start, o_end, office, _ = ends[node.i]
            _set_office(person, doc, o_start, o_end, office)
            used_offices.add(o_start)
            return


def _of_state_after(doc, person, end, actor_at_token, claimed) -> None:
    """# affiliation after the name: "Janos Martonyi of Hungary" """
    if person.explicit_affiliation:
        return
    if end + 1 < len(doc) and doc[end].lower_ == "of":
        i = end + 1
        if doc[i].lower_ == "the":
            i += 1
        actor = actor_at_token.get(i)
        if actor is not None and actor.kind in ("state", "organization"):
            person.affiliation = actor.code
            person.rank = 3
            claimed.add(actor.start)


def _nearest_unclaimed(doc, person, actors, claimed) -> str | None:
    """The nearest state or organisation in the person's sentence that nobody else claims."""
    start = person.mentions[0][0]
    sent = doc[start].sent
    candidates = [a for a in actors if sent.start <= a.start < sent.end and a.start not in claimed
                  and a.kind in ("state", "organization") and (a.end <= start or a.start >= person.mentions[0][1])
                  and not _destination(doc[a.start])]
    if not candidates:
        return None
    before = [a for a in candidates if a.end <= start]
    best = before[-1] if before else candidates[0]
    return best.code


def _drop_unsupported(people: list[Person]) -> list[Person]:
    """# a one-word "person" with no office and no fuller name is more often a misread
    place or holiday ("Eid", "Raqqah") than a person, unless it names a known person"""
    return [p for p in people if len(p.name.split()) > 1 or p.office is not None or p.known is not None]


def _destination(tok) -> bool:
    """# a place one goes to or is in is not one's state: "lead a delegation to Berlin, Germany" """
    node = tok
    for _ in range(3):
        if node.head is node:
            return False
        node = node.head
        if node.dep_ == "prep" and node.lower_ in ("to", "in", "at", "from", "into", "toward", "towards"):
            return True
    return False


def _merge(people: list[Person]) -> list[Person]:
    """One Person per individual: same name, or a surname that ends a fuller name."""
    merged: list[Person] = []
    for p in people:
        key = norm_name(p.name)
        target = None
        for m in merged:
            mk = norm_name(m.name)
            if mk == key or mk.split()[-1:] == key.split() or key.split()[-1:] == mk.split():
                target = m
                break
        if target is None:
            merged.append(p)
            continue
        if len(key.split()) > len(norm_name(target.name).split()):
            target.name = p.name
        target.mentions.extend(p.mentions)
        target.title_mentions.extend(p.title_mentions)
        if target.office is None and p.office:
            target.office, target.office_entry, target.sector = p.office, p.office_entry, p.sector
        if p.rank > target.rank or target.affiliation is None:
            target.affiliation, target.rank = p.affiliation, p.rank
    return merged


@dataclass
class TitleMention:
    """An official named only by office ("the Foreign Secretary"), with no name in the story."""

    start: int
    end: int
    office: Office
    affiliation: str


def _attach_bare_titles(doc, people, offices, used_offices, actor_ending_at, publisher_code) -> list[TitleMention]:
    """# a title alone refers to the person with that office: "the Serbian defense minister";
    with nobody to refer to, it still names an official of its state ("The Foreign Secretary met ...")"""
    unattached: list[TitleMention] = []
    for o_start, o_end, office, plural in offices:
        if o_start in used_offices or plural:
            continue
        if o_start > 0 and doc[o_start - 1].lower_ in ("a", "an", "another", "one"):
            continue   # "a Foreign Office spokesman": somebody unnamed, not a person of the story
        prefix = actor_ending_at.get(o_start)
        affiliation = prefix.code if prefix else (office.country or None)
        candidates = [p for p in people if p.office_entry is office and (affiliation is None or p.affiliation == affiliation)]
        if not candidates:
            wanted = affiliation or publisher_code
            candidates = [p for p in people if p.office is None and (p.rank < 2 or p.affiliation == wanted)]
            if len(candidates) == 1:
                _set_office(candidates[0], doc, o_start, o_end, office)
                if candidates[0].rank < 2 and wanted:
                    candidates[0].affiliation, candidates[0].rank = wanted, 2
        start = prefix.start if prefix else o_start
        if len(candidates) == 1:
            candidates[0].title_mentions.append((start, o_end))
        elif not candidates and (affiliation or publisher_code) and (
                doc[o_start].text[:1].isupper() or prefix is not None or (o_start > 0 and doc[o_start - 1].lower_ == "the")):
            unattached.append(TitleMention(start, o_end, office, affiliation or publisher_code))
    return unattached


def _surname_mentions(doc, people, spans) -> None:
    """# a surname alone later in the story ("Vulin", "Mr Johnson") is a mention of that person"""
    known = {tuple(s) for p in people for s in p.mentions}
    by_surname = {}
    for p in people:
        parts = p.name.split()
        if parts:
            by_surname.setdefault(parts[-1], p)
    for tok in doc:
        p = by_surname.get(tok.text)
        if p is None or not tok.text[:1].isupper():
            continue
        if any(s <= tok.i < e for s, e in p.mentions):
            continue
        p.mentions.append((tok.i, tok.i + 1))
    for p in people:
        p.mentions.sort()
