"""The hand-off from resolving to coding: a typed, frozen ResolvedDoc with its token lookups."""
from __future__ import annotations

import dataclasses
import typing

import pytest

from entente.read.dateline import parse_dateline
from entente.resolve import context
from entente.resolve.context import ActorMention, DocMentions, NamedEvent, ResolvedDoc
from entente.resolve.document import resolve_document
from entente.resources import default_resources

TEXT = ("Serbian Defence Minister Aleksandar Vulin met NATO officials in Brussels on 25 September. "
        "He said the exercise Vzaimodeistvoye 2017 would take place in Armenia.")
PUBLISHED = "2017-09-27"


@pytest.fixture(scope="module")
def resolved() -> ResolvedDoc:
    resources = default_resources()
    doc = resources.nlp(TEXT)
    res, _entities = resolve_document(doc, parse_dateline(TEXT, PUBLISHED), resources)
    return res


def token(res: ResolvedDoc, text: str) -> int:
    return next(t.i for t in res.doc if t.text == text)


@pytest.mark.parametrize("word,code,kind", [
    ("Vulin", "SRB", "person"),          # a person acts for the state of their office
    ("Minister", "SRB", "person"),       # the title belongs to the person's mention
    ("NATO", "NATO", "organization"),
    ("Armenia", "ARM", "state"),
    ("met", None, None),
])
def test_context_actor_at(resolved, word, code, kind):
    actor = resolved.actor_at(token(resolved, word))
    assert ((actor.code, actor.kind) if actor else (None, None)) == (code, kind)


@pytest.mark.parametrize("word,country", [("Brussels", "BEL"), ("Armenia", "ARM"), ("NATO", None)])
def test_context_place_at(resolved, word, country):
    place = resolved.place_at(token(resolved, word))
    assert (place.place.country if place else None) == country


@pytest.mark.parametrize("word,value", [("25", "2017-09-25"), ("September", "2017-09-25"), ("met", None)])
def test_context_time_at(resolved, word, value):
    time = resolved.time_at(token(resolved, word))
    assert (time.value if time else None) == value


def test_context_sentences_pronouns_and_named_events(resolved):
    he = token(resolved, "He")
    assert (resolved.sentence_of(0), resolved.sentence_of(he)) == (0, 1)
    assert resolved.pronoun_actor(resolved.doc[he]).name == "Aleksandar Vulin"
    (exercise,) = resolved.named_events
    assert isinstance(exercise, NamedEvent) and exercise.name == "Vzaimodeistvoye 2017"
    assert exercise.entity is not None
    assert resolved.in_named_event(token(resolved, "Vzaimodeistvoye"))
    assert not resolved.in_named_event(token(resolved, "Armenia"))


def test_context_what_the_data_says(resolved):
    assert resolved.seat("NATO") == "Brussels"
    assert resolved.is_organization("NATO") and not resolved.is_organization("SRB")
    assert resolved.country_place("SRB").name == "Serbia"
    assert resolved.names_an_actor("Serbia") and not resolved.names_an_actor("Brussels")
    assert resolved.is_actor_code("ARM") and not resolved.is_actor_code("XXX")


def test_context_is_frozen(resolved):
    with pytest.raises(dataclasses.FrozenInstanceError):
        resolved.published = "2020-01-01"
    with pytest.raises(dataclasses.FrozenInstanceError):
        resolved.actors[0].code = "XXX"
    with pytest.raises(dataclasses.FrozenInstanceError):
        resolved.named_events[0].place = None
    assert isinstance(resolved.actors, tuple) and isinstance(resolved.named_events, tuple)


@pytest.mark.parametrize("cls", [ActorMention, context.PlaceMention, context.ResolvedPerson, NamedEvent,
                                 DocMentions, ResolvedDoc])
def test_context_types_are_frozen_dataclasses_with_no_object_fields(cls):
    assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen
    hints = typing.get_type_hints(cls, vars(context) | {"Doc": object, "Span": object, "Dictionaries": object})
    for f in dataclasses.fields(cls):
        assert f.type != "object", f"{cls.__name__}.{f.name} is typed object"
        assert hints[f.name] is not typing.Any, f"{cls.__name__}.{f.name} is untyped"


def test_context_the_coder_infers_actors_of_the_same_type():
    implied = ActorMention.implied("SYR")
    assert isinstance(implied, ActorMention)
    assert (implied.code, implied.kind, implied.start, implied.text, implied.entity) == ("SYR", "state", -1, "", None)
