"""PLOVER event coding over the dependency parse: the composition of the coder's parts.

For every token that triggers a pattern (data/patterns/*.yaml), the coder finds the actors
and recipients in the slots the pattern names (events/slots.py, through the participants of
events/participants.py and the speakers of events/speakers.py), the event's modality
(events/modality.py), its place, and keeps it as a coded mention; the mentions of an article
are then dated and merged into its events (events/merge.py).

The word families the constructions test come from data/grammar.yaml; what differs between
event types (statements, acts with victims, places as targets, conditional threats, types
that need two parties) comes from the headers of the pattern files: no PLOVER type name is
tested here.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..record import Event
from ..resolve.context import ActorMention, ResolvedDoc
from .grammar import Grammar
from .merge import Coded, merge
from .modality import modality, requested, unless_clause
from .participants import Participants
from .patterns import Pattern, PatternSet
from .slots import SlotContext, find, logical_object, logical_subject
from .speakers import speakers

if TYPE_CHECKING:
    from spacy.tokens import Token


def code_events(res: ResolvedDoc, patterns: PatternSet, grammar: Grammar, *, explain: bool = False) -> list[Event]:
    """The events of one resolved article, merged, in text order."""
    coder = Coder(res, patterns, grammar)
    coded = []
    consumed: set[int] = set()   # words of a multi-word trigger ("impose sanctions") are not triggers again
    for tok in res.doc:
        if tok.i in consumed:
            continue
        pos = "NOUN" if tok.pos_ in ("NOUN", "PROPN") else "VERB" if tok.pos_ in ("VERB", "AUX") else None
        if pos is None:
            continue
        lemma = tok.lemma_.lower()
        cands = patterns.candidates(lemma, pos)
        if not cands and pos == "NOUN" and tok.lower_ != lemma:
            cands = patterns.candidates(tok.lower_, pos)
        for pattern in cands:
            ev = coder.try_pattern(tok, pattern)
            if ev is not None:
                coded.append(ev)
                consumed.update(c.i for c in tok.children if c.lemma_.lower() in pattern.words or c.lower_ in pattern.words)
                break
    return merge(coded, res, patterns, grammar, explain=explain)


class Coder:
    """Tries patterns on the tokens of one article."""

    def __init__(self, res: ResolvedDoc, patterns: PatternSet, grammar: Grammar):
        self.res, self.patterns, self.grammar = res, patterns, grammar
        self.parts = Participants(res, grammar)
        self.speakers = speakers(self.parts)

    def speaker_at(self, tok) -> ActorMention | None:
        """Who speaks the sentence of ``tok``."""
        return self.speakers[self.res.sentence_of(tok.i)] if self.speakers else None

    def try_pattern(self, trigger: Token, pattern: Pattern) -> Coded | None:
        """The event ``pattern`` codes on ``trigger``, or None when it does not apply."""
        g = self.grammar
        rules = self.patterns.rules(pattern.event)
        if not self._words_match(trigger, pattern):
            return None
        if trigger.sent.text.rstrip().endswith("?"):
            return None   # a question reports nothing ("Will the United States participate ...?")
        if requested(trigger, g):
            return None   # what is asked for has not happened ("called on all states to cooperate")
        if pattern.copula and not (trigger.dep_ in ("attr", "conj") and trigger.head.lemma_ in g.copula_verbs
                                   or trigger.dep_ == "attr"):
            return None   # "Serbia is a valuable partner": the trigger must be the copula's attribute
        if pattern.requires_object:
            objs = logical_object(trigger) + [o for c in trigger.children if c.dep_ == "prep" for o in c.children]
            if not any(o.lemma_.lower() in pattern.requires_object or o.lower_ in pattern.requires_object for o in objs):
                return None
        if pattern.intransitive and any(c.dep_ in ("dobj", "ccomp") for c in trigger.children):
            return None
        if pattern.requires_subject:
            subj = [c for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass")]
            if not any(t.lemma_.lower() in pattern.requires_subject for t in subj):
                return None
        if pattern.requires_word:
            if not any(c.lower_ in pattern.requires_word for c in trigger.children):
                return None
        aux = modality(trigger, g)
        if pattern.requires == "future" and aux != "future":
            return None
        if pattern.requires == "actual" and aux is not None:
            return None
        speaker = self.speaker_at(trigger)
        ctx = SlotContext(self.parts, pattern, rules, speaker)
        actors, a_slot = self._first_slot(pattern.actor, ctx, trigger)
        recipients, r_slot = self._first_slot(pattern.recipient, ctx, trigger)
        if pattern.requires_object_kind:
            objs = logical_object(trigger)
            kinds = {a.kind for o in objs for a in self.parts.actors_of(o, speaker)}
            if not kinds or (pattern.requires_object_kind != "actor" and pattern.requires_object_kind not in kinds):
                return None
        if not actors and rules.speech and speaker is not None and a_slot is None and pattern.pos == "VERB":
            # a statement with no subject of its own is its speaker's: "Welcomed the agreement."
            if not logical_subject(trigger):
                actors, a_slot = [speaker], "speaker"
        actor_keys = {(a.code, a.start) for a in actors}
        # the same state on both sides only as distinct parts of it ("the regime" against "civilians")
        a_sectors = {a.code: a.sector for a in actors}
        recipients = [r for r in recipients if (r.code, r.start) not in actor_keys and
                      (r.code not in a_sectors or (r.sector != a_sectors[r.code] and (r.sector or a_sectors[r.code])
                                                    and rules.within_state))]
        if pattern.requires_recipient and not recipients:
            return None
        # statements happen where the speaker is (rarely said); a promise's venue belongs to
        # what is promised (its named event), not to the AGREE
        place = self.parts.event_place(trigger) if pattern.has_place else None
        if not recipients and rules.victims and (not actors or self.parts.human_victims(trigger)) \
                and (place is not None or pattern.pos == "VERB"):
            # victims with no code of their own: the state they were hit in ("killed 60 civilians in Aleppo")
            victim, victim_place = self.parts.victims(trigger, place)
            if victim is not None:
                recipients = [victim]
                r_slot = "place"
                place = place or victim_place
        if place is None and rules.at_target_state and len(recipients) == 1 and recipients[0].kind == "state":
            # an attack on a state's people happens there
            place = self.res.country_place(recipients[0].code)
        if not actors and not (recipients and rules.victims):
            return None   # no actor: only an act with victims ("60 civilians were killed in Aleppo")
        if not actors and not recipients:
            return None
        event_type = pattern.event
        condition = unless_clause(trigger, g) if rules.conditional and aux in ("future", "hypothetical") else None
        if condition is not None:
            # "will boycott the elections unless the president steps down": a conditional threat,
            # made to the one the condition is put to
            event_type, aux = rules.conditional, None
            put_to = find("subject", ctx, condition)
            if put_to:
                recipients = [r for r in put_to if r.code not in {a.code for a in actors}] or recipients
        elif aux == "future" and pattern.future:
            # a future act is coded as the file's future type ("will meet": AGREE)
            event_type, aux = pattern.future, None
            if not self.patterns.rules(event_type).future_acts_have_place:
                place = None
        mode = list(pattern.mode)
        if pattern.symmetric:
            actors, recipients = actors + [r for r in recipients if r.code not in {a.code for a in actors}], []
            alone = len({(a.code, a.start) for a in actors}) < 2
            # talks and cooperation need two parties (an organisation may meet as one: "the Small Group meets")
            if alone and rules.one_party == "drop":
                return None
            if alone and rules.one_party == "organization" and not any(a.kind == "organization" for a in actors):
                return None
        elif pattern.host and recipients:
            actors, recipients, hosted = self.parts.host(actors, recipients, place)
            if not hosted:
                mode = [m for m in mode if m != "visit"]
        return Coded(type=event_type, aux=aux, trigger=trigger, pattern=pattern, actors=actors,
                     recipients=recipients, place=place, mode=mode, context=list(pattern.context),
                     slots=(a_slot, r_slot))

    @staticmethod
    def _words_match(trigger, pattern: Pattern) -> bool:
        """# a multi-word trigger: its further words depend on the trigger ("send observers", "take part")"""
        if not pattern.words:
            return True
        near = set()
        for c in trigger.children:
            near.add(c.lemma_.lower())
            near.add(c.lower_)
            for gc in c.children:
                near.add(gc.lemma_.lower())
                near.add(gc.lower_)
        return all(w in near for w in pattern.words)

    @staticmethod
    def _first_slot(slots: list[str], ctx: SlotContext, trigger) -> tuple[list[ActorMention], str | None]:
        """The actors of the first slot that names any, and its name."""
        for name in slots:
            found = find(name, ctx, trigger)
            if found:
                return found, name
        return [], None
