"""The hand-off from resolving to coding: what the resolver found in one parsed article, typed
and frozen, with the lookups the event coder needs.

- :class:`ActorMention`: an actor named by a stretch of tokens (state, organisation, group,
  person), or an actor with no mention of its own that the coder infers (the publisher of a
  statement, the state a place lies in);
- :class:`PlaceMention`: a named place with its country and point;
- :class:`DocMentions`: the actors, places and times of the article with their token
  lookups: what named events are found from;
- :class:`ResolvedDoc`: all of that plus people, named events, the publication date and the
  publisher: the coder's only input (with the patterns and grammar it codes by).

Token lookups (which actor, place, time or sentence a token belongs to) live here and nowhere
else: the coder and the named-event finder ask ``actor_at(i)``, ``place_at(i)``, ``time_at(i)``,
``sentence_of(i)``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Iterable, Mapping

from ..record import Place
from .time import TimeExpression

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from ..dictionaries import Dictionaries

@dataclass(frozen=True)
class ActorMention:
    """An actor of the article.

    Named in the text: ``start``/``end`` are its token span, ``text`` and the character
    offsets its words, ``entity`` the record entity it belongs to. Inferred (``start`` -1, no
    text): an actor the text implies without naming it, made by :meth:`implied`.
    """

    code: str
    kind: str                   # state | organization | group | person
    sector: str | None
    start: int = -1             # token indices [start, end); -1: no mention of its own
    end: int = -1
    text: str = ""
    start_char: int = -1
    end_char: int = -1
    entity: str | None = None   # id of the record entity it belongs to
    name: str | None = None     # canonical name (the actor's, or the person's)
    head: int | None = None     # token index of the mention's syntactic head

    @classmethod
    def implied(cls, code: str, sector: str | None = None) -> ActorMention:
        """A state the text implies: the publisher of a statement ("We welcome ..." in a State
        Department release), or the state a place lies in ("Aleppo was struck": SYR)."""
        return cls(code=code, kind="state", sector=sector)


@dataclass(frozen=True)
class PlaceMention:
    """A named place: its token span, the place it resolves to, its words."""

    start: int
    end: int
    place: Place
    text: str


@dataclass(frozen=True)
class ResolvedPerson:
    """A person of the article, with office and affiliation, and every token span naming them."""

    name: str
    office: str | None
    affiliation: str | None
    sector: str | None
    mentions: tuple[tuple[int, int], ...]
    title_mentions: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class NamedEvent:
    """An exercise, summit, forum, meeting or operation the text names, with its attributes."""

    name: str
    kind: str
    head: int                                   # token index of the head word
    mentions: tuple[tuple[int, int], ...]       # token spans
    organizer: str | None = None
    place: Place | None = None
    date: str | None = None
    participants: tuple[str, ...] = ()
    observers: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    entity: str | None = None                   # id of its record entity

    def covers(self, i: int) -> bool:
        """Whether token ``i`` is inside one of its mentions."""
        return any(s <= i < e for s, e in self.mentions)


def _by_token(items: Iterable, span) -> dict[int, object]:
    """Token index -> item, for items covering token spans (a later item wins a token)."""
    out = {}
    for item in items:
        start, end = span(item)
        for i in range(start, end):
            out[i] = item
    return out


def times_by_token(doc: Doc, times: Iterable[TimeExpression]) -> dict[int, TimeExpression]:
    """Token index -> the time expression over it (times are found on characters)."""
    out = {}
    for t in times:
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            out[tok.i] = t
    return out


@dataclass(frozen=True)
class DocMentions:
    """The actors, places and times of one parsed article, with their token lookups."""

    doc: Doc
    actors: tuple[ActorMention, ...]        # in text order
    places: tuple[PlaceMention, ...]
    times: tuple[TimeExpression, ...]
    person_pronouns: frozenset[str] = field(repr=False, compare=False)   # grammar.yaml's
    _actor_at: Mapping[int, ActorMention] = field(repr=False, compare=False)
    _place_at: Mapping[int, PlaceMention] = field(repr=False, compare=False)
    _time_at: Mapping[int, TimeExpression] = field(repr=False, compare=False)

    @classmethod
    def build(cls, doc: Doc, actors: Iterable[ActorMention], places: Iterable[PlaceMention],
              times: Iterable[TimeExpression], *, person_pronouns: frozenset[str]) -> DocMentions:
        """The mentions with their token lookups; ``person_pronouns``: the pronouns that refer
        back to a person (grammar.yaml)."""
        actors, places, times = tuple(actors), tuple(places), tuple(times)
        return cls(doc, actors, places, times, person_pronouns,
                   MappingProxyType(_by_token(actors, lambda m: (m.start, m.end))),
                   MappingProxyType(_by_token(places, lambda p: (p.start, p.end))),
                   MappingProxyType(times_by_token(doc, times)))

    def without_entities(self, gone: set[str]) -> DocMentions:
        """The same mentions less the actors of the entities ``gone`` (their tokens then name
        no actor, even where another mention shared them)."""
        return DocMentions(self.doc, tuple(m for m in self.actors if m.entity not in gone), self.places, self.times,
                           self.person_pronouns, MappingProxyType({i: m for i, m in self._actor_at.items() if m.entity not in gone}),
                           self._place_at, self._time_at)

    # --- token lookups ---------------------------------------------------------------------
    def actor_at(self, i: int) -> ActorMention | None:
        """The actor mention over token ``i``."""
        return self._actor_at.get(i)

    def place_at(self, i: int) -> PlaceMention | None:
        """The place mention over token ``i``."""
        return self._place_at.get(i)

    def time_at(self, i: int) -> TimeExpression | None:
        """The time expression over token ``i``."""
        return self._time_at.get(i)

    def pronoun_actor(self, token: Token) -> ActorMention | None:
        """# personal pronoun: the person last mentioned before it, in this or the two previous sentences"""
        if token.lower_ not in self.person_pronouns:
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


@dataclass(frozen=True)
class ResolvedDoc:
    """Everything the resolver found in one article: the coder's only input."""

    mentions: DocMentions
    published: str | None
    publisher_code: str | None
    publisher_sector: str | None
    people: tuple[ResolvedPerson, ...]
    named_events: tuple[NamedEvent, ...]
    sentences: tuple[Span, ...]
    dictionaries: Dictionaries = field(repr=False, compare=False)
    _sentence_of: Mapping[int, int] = field(repr=False, compare=False)
    _in_named_events: frozenset[int] = field(repr=False, compare=False)

    @classmethod
    def build(cls, mentions: DocMentions, *, published: str | None, publisher_code: str | None,
              publisher_sector: str | None, people: Iterable[ResolvedPerson], named_events: Iterable[NamedEvent],
              dictionaries: Dictionaries) -> ResolvedDoc:
        sentences = tuple(mentions.doc.sents)
        sentence_of = {t.i: n for n, s in enumerate(sentences) for t in s}
        named_events = tuple(named_events)
        in_named = frozenset(i for ne in named_events for s, e in ne.mentions for i in range(s, e))
        return cls(mentions, published, publisher_code, publisher_sector, tuple(people), named_events,
                   sentences, dictionaries, MappingProxyType(sentence_of), in_named)

    # --- the article -------------------------------------------------------------------------
    @property
    def doc(self) -> Doc:
        return self.mentions.doc

    @property
    def actors(self) -> tuple[ActorMention, ...]:
        return self.mentions.actors

    @property
    def places(self) -> tuple[PlaceMention, ...]:
        return self.mentions.places

    @property
    def times(self) -> tuple[TimeExpression, ...]:
        return self.mentions.times

    @property
    def publisher(self) -> ActorMention | None:
        """The actor the publisher speaks for (a government's press office), if it is one."""
        return ActorMention.implied(self.publisher_code, self.publisher_sector) if self.publisher_code else None

    # --- token lookups ---------------------------------------------------------------------
    def actor_at(self, i: int) -> ActorMention | None:
        return self.mentions.actor_at(i)

    def place_at(self, i: int) -> PlaceMention | None:
        return self.mentions.place_at(i)

    def time_at(self, i: int) -> TimeExpression | None:
        return self.mentions.time_at(i)

    def pronoun_actor(self, token: Token) -> ActorMention | None:
        return self.mentions.pronoun_actor(token)

    def sentence_of(self, i: int) -> int:
        """The number (from 0) of the sentence token ``i`` is in."""
        return self._sentence_of[i]

    def in_named_event(self, i: int) -> bool:
        """Whether token ``i`` is inside a named event's mention ("Vzaimodeistvoye 2017")."""
        return i in self._in_named_events

    # --- what the data files say about an actor or a name ---------------------------------
    def is_actor_code(self, code: str | None) -> bool:
        """Whether ``code`` is a state, organisation or group of the dictionaries."""
        return code in self.dictionaries.by_code

    def names_an_actor(self, text: str) -> bool:
        """Whether ``text`` is exactly a name or alias of an actor ("Syria", but not "Aleppo")."""
        return text in self.dictionaries.names

    def is_organization(self, code: str) -> bool:
        return self.dictionaries.organization(code) is not None

    def organization_kind(self, code: str) -> str | None:
        """The kind of an organisation ("alliance", "union", ...), or None for other actors."""
        org = self.dictionaries.organization(code)
        return org.kind if org else None

    def is_sector_word(self, word: str) -> bool:
        """Whether a lower-case word is an agent word of the sector table ("army", "police")."""
        return word in self.dictionaries.sector_word_set

    def seat(self, code: str) -> str | None:
        """The city an organisation has its seat in (a meeting there is hosted by it)."""
        org = self.dictionaries.organization(code)
        return org.seat if org else None

    def country_place(self, code: str) -> Place | None:
        """A state as a place: its name, at its capital's point."""
        ref = self.dictionaries.country(code)
        if ref is None:
            return None
        return Place(name=ref.name, country=ref.code, lat=ref.lat, lon=ref.lon)
