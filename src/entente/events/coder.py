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
from .modality import (committed, condition_below, embedded_act, left_open, modality, negated_intention, requested,
                       unless_clause)
from .participants import Participants
from .patterns import Pattern, PatternSet
from .slots import SlotContext, find, lemma_forms, logical_object, logical_subject, one_of, prep_objects, verb_forms
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
        pos = "NOUN" if tok.pos_ in ("NOUN", "PROPN") else "VERB" if tok.pos_ in ("VERB", "AUX") else \
            "ADJ" if tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "amod", "ROOT", "conj") else None
        if pos is None:
            continue
        lemma = tok.lemma_.lower()
        cands = patterns.candidates(lemma, pos)
        if not cands and pos == "NOUN" and tok.lower_ != lemma:
            cands = patterns.candidates(tok.lower_, pos)
        if not cands and pos == "VERB" and not patterns.cameo_candidates(lemma, pos):
            # the lemmatizer's slips ("staged" read as "stag"): the verb's plain forms
            for form in verb_forms(tok.lower_):
                if patterns.candidates(form, pos) or patterns.cameo_candidates(form, pos):
                    lemma, cands = form, patterns.candidates(form, pos)
                    break
        found = None
        for pattern in cands:
            ev = coder.try_pattern(tok, pattern)
            if ev is None or found is not None and not (pattern.words and ev.recipients):
                continue
            found = ev
            if ev.recipients or not pattern.words:
                break
            # "fired at soldiers on the border": "fire on" fits the words but names no one; a
            # later phrase of the same verb that names the target ("fire at") is the reading
        if found is not None:
            coded.append(found)
            consumed.update(c.i for c in tok.children if c.lemma_.lower() in found.pattern.words
                            or c.lower_ in found.pattern.words)
        else:
            ev = coder.try_lexicon(tok, lemma, pos)
            if ev is not None:
                coded.append(ev)
    # a verb of intention or attempt whose embedded act is an event ("decided to break relations",
    # "prepared to resume shelling"): the event is the act, coded with its modality
    triggers = {ev.trigger.i for ev in coded}
    coded = [ev for ev in coded if not any(i in triggers for i in ev.controls)]
    # a noun form that is the object of a verb already coded is that verb's event ("provide
    # support", "imposed a blockade"), not a second one
    coded = [ev for ev in coded if not (ev.pattern.origin == "cameo" and ev.pattern.pos == "NOUN"
                                        and ev.trigger.dep_ in ("dobj", "pobj") and ev.trigger.head.i in triggers)]
    # a hypothetical act is no event ("Russia could join", "if Iran attacks", "would be
    # imprisoned if"): the record is what was done, said, promised or threatened; PLOVER's and
    # PETRARCH-2's gold and this project's never code one (a threat or demand that states it is
    # coded in its own right: "threatened to strike unless", "Kyiv must withdraw": REQUEST)
    coded = [ev for ev in coded if ev.aux != "hypothetical"]
    return merge(coded, res, patterns, grammar, explain=explain)


class Coder:
    """Tries patterns on the tokens of one article."""

    def __init__(self, res: ResolvedDoc, patterns: PatternSet, grammar: Grammar):
        self.res, self.patterns, self.grammar = res, patterns, grammar
        self.parts = Participants(res, grammar, patterns)
        self.speakers = speakers(self.parts)

    def speaker_at(self, tok) -> ActorMention | None:
        """Who speaks the sentence of ``tok``."""
        return self.speakers[self.res.sentence_of(tok.i)] if self.speakers else None

    def try_lexicon(self, trigger: Token, lemma: str, pos: str) -> Coded | None:
        """The field's lexicon (the CAMEO layer) on a word no hand-written pattern coded: the
        most specific phrase pattern that fits the parse decides; a null one (a sense that is
        no event: "free elections") stops the layer for this word."""
        if not self.patterns.cameo_candidates(lemma, pos):
            return None   # most words: the lexicon has no pattern for them
        if self.purpose(trigger):
            return None
        if pos == "NOUN" and trigger.dep_ == "pobj" and trigger.head.lower_ in self.grammar.topic_prepositions:
            return None   # "talks on Serbia's accession": what is talked about, not an event told
        objects = logical_object(trigger)
        object_words = {w for o in (*objects, *(c for o in objects for c in o.conjuncts)) for w in (o.lower_, o.lemma_.lower())}
        for pattern in self.patterns.cameo_for(lemma, pos, object_words):
            if not self._words_match(trigger, pattern) or \
                    (pattern.phrase is not None and not self.phrase_matches(trigger, pattern.phrase)):
                continue
            if pattern.null:
                return None
            ev = self.try_pattern(trigger, pattern)
            if ev is None:
                continue
            if pattern.phrase is None:
                ev.controls = [c.i for c in trigger.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
                if ev.controls and any(c.dep_ == "dobj" for c in trigger.children):
                    continue   # "wants Putin to attack": asks another to act, not an intention of its own
            return ev
        return None

    def purpose(self, trigger, *, aims: bool = True) -> bool:
        """# an infinitive that names a goal, not an act (the CAMEO layer codes acts): "efforts to
        defeat ISIL" (a noun's complement), "sent troops to defeat ISIL", "meets to coordinate
        and enhance efforts" (a purpose), "working to defeat ISIL" (an aim); but "continued to
        strike" (an aspect of the act itself); # a participle as an adjective: "its tormented
        worldview", "the occupied territories" """
        if trigger.dep_ == "amod":
            return True
        node = trigger
        while node.dep_ == "conj" and node.head is not node:
            node = node.head   # "to degrade and defeat Da'esh": the infinitive of the first
        if not any(c.dep_ == "aux" and c.tag_ == "TO" for c in node.children):
            return False
        if node.dep_ == "acl" and node.head.pos_ in ("NOUN", "PROPN"):
            # "efforts to defeat ISIL"; but a noun of intention names the intended act: "the
            # intention to send observers", "a plan to withdraw", "the decision to deploy"
            return not any(f in self.grammar.intention_words for f in lemma_forms(node.head))
        if node.dep_ == "advcl":
            return True
        if not aims:
            return False   # (the hand-written patterns read a verb's infinitive with its modality)
        # an infinitive after a verb of intention is the intended act ("wants to help Israel":
        # coded, and its modality makes it an intention), after an aspect the act itself
        heads = lemma_forms(node.head)
        return node.dep_ == "xcomp" and not any(f in self.grammar.aspectual_verbs or f in self.grammar.intention_words
                                                for f in heads)

    @staticmethod
    def _np_matches(tok, np) -> bool:
        """A noun phrase of a CAMEO pattern: the head word ("aid", or "shipment" in "{ARMS
        SHIPMENT}") and, for each modifier set, a word before the head in its phrase."""
        if tok.lemma_.lower() not in np.heads and tok.lower_ not in np.heads:
            return False
        if not np.modifiers:
            return True
        before = {w for t in tok.subtree if t.i < tok.i for w in (t.lower_, t.lemma_.lower())}
        return all(before & m for m in np.modifiers)

    def phrase_matches(self, trigger, phrase) -> bool:
        """Whether the parse around a verb fits a CAMEO phrase pattern: its subject's head
        ("&MILITARY * ...": "troops rushed"), its object's head ("* AID": "rushed aid"), and
        each prepositional phrase on the verb or on its object ("* (TO BORDER)": "rushed
        troops to the border")."""
        if phrase.subject is not None:
            subj = logical_subject(trigger)
            if not any(self._np_matches(t, phrase.subject) for s_ in subj for t in (s_, *s_.conjuncts)):
                return False
        objects = logical_object(trigger)
        objects = objects + [c for o in objects for c in o.conjuncts]
        if phrase.object is not None and not any(self._np_matches(o, phrase.object) for o in objects):
            return False
        for prep in phrase.preps:
            found = False
            for head in [trigger] + objects:
                for c in head.children:
                    if c.dep_ not in ("prep", "agent", "dative", "prt") or c.lower_ not in prep.prep:
                        continue
                    found = prep.object is None or any(self._np_matches(o, prep.object) for o in c.children
                                                       if o.dep_ in ("pobj", "pcomp"))
                    if found:
                        break
                if found:
                    break
            if not found:
                return False
        return True

    def embedded_recipients(self, trigger, speaker) -> list[ActorMention]:
        """The recipient of the act an intention, demand, refusal or threat names: the first
        actor among the object, indirect object and the to/for/with/against/on phrases of the
        embedded verb ("agreed to provide aid for Romania and Poland"), or of the verb embedded
        in it; the object of a demand is its addressee and is found by the pattern's own slots."""
        g = self.grammar
        node, out = trigger, []
        for _ in range(2):
            embedded = [c for c in node.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX")]
            if not embedded:
                # "a pledge to provide aid to Jordan", "agreed on the delivery of aid to X"
                embedded = [gc for c in node.children if c.dep_ in ("acl", "prep") for gc in (c, *c.children)
                            if gc.dep_ in ("acl", "pcomp") and gc.pos_ == "VERB"]
            if not embedded:
                return out
            node = embedded[0]
            for o in logical_object(node):
                out += self.parts.actors_of(o, speaker)
            for prep in g.embedded_recipient_prepositions:
                for o in prep_objects(node, prep):
                    out += self.parts.actors_of(o, speaker)
                for obj in logical_object(node):   # "provide aid to X": the phrase on the object
                    for o in prep_objects(obj, prep):
                        out += self.parts.actors_of(o, speaker)
            if out:
                return out
        return out

    def try_pattern(self, trigger: Token, pattern: Pattern) -> Coded | None:
        """The event ``pattern`` codes on ``trigger``, or None when it does not apply."""
        g = self.grammar
        rules = self.patterns.rules(pattern.event)
        if not self._words_match(trigger, pattern):
            return None
        if trigger.sent.text.rstrip().endswith("?"):
            return None   # a question reports nothing ("Will the United States participate ...?")
        if pattern.origin == "hand" and pattern.pos == "VERB" and self.purpose(trigger, aims=False):
            return None   # a goal, not an act: "Turkey's efforts to become a member", "sent troops to defeat ISIL"
        if requested(trigger, g):
            return None   # what is asked for has not happened ("called on all states to cooperate")
        if left_open(trigger, g):
            return None   # "has neither confirmed nor denied": no position taken
        if pattern.copula and not (trigger.dep_ in ("attr", "conj") and trigger.head.lemma_ in g.copula_verbs
                                   or trigger.dep_ == "attr" or one_of(trigger)):
            return None   # "Serbia is a valuable partner": the trigger must be the copula's attribute
        if any(t.lemma_.lower() in g.unreported_objects for o in logical_object(trigger) for t in o.subtree):
            return None   # "sent a message of condolences": condolences alone are not coded (SPEC)
        if pattern.requires_object:
            objs = logical_object(trigger) + [o for c in trigger.children if c.dep_ == "prep" for o in c.children]
            if not any(o.lemma_.lower() in pattern.requires_object or o.lower_ in pattern.requires_object for o in objs):
                return None
        if pattern.intransitive and any(c.dep_ in ("dobj", "ccomp") for c in trigger.children):
            return None
        if pattern.requires_passive and not any(c.dep_ in ("nsubjpass", "auxpass") for c in trigger.children) \
                and not (trigger.dep_ == "conj" and any(c.dep_ in ("nsubjpass", "auxpass") for c in trigger.head.children)):
            return None   # "forces were driven from the city", not "Ukraine drove the forces"
        if pattern.requires_subject:
            subj = [c for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass")]
            if not any(t.lemma_.lower() in pattern.requires_subject for t in subj):
                return None
        if pattern.requires_word:
            if not any(c.lower_ in pattern.requires_word for c in trigger.children):
                return None
        if pattern.requires_act and not any(self.parts.is_act_of_doer(o) for prep in pattern.requires_act
                                            for o in prep_objects(trigger, prep)):
            return None   # "responsible for the attack" blames; "responsible for security" does not
        aux = modality(trigger, g)
        if aux is None and pattern.future and self.parts.dated_after_publication(trigger):
            aux = "future"   # "departs tomorrow to meet", "the exercise from 5 to 18 September", told before
        refused = aux == "negation" and rules.refusable and negated_intention(trigger, g)
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
        if not recipients and rules.embedded_recipient:
            # an act named by the embedded verb: its recipient is the event's ("agreed to provide
            # aid to Romania", "promised to continue military aid to Mozambique", "threatened to
            # cut off gas supplies to Ukraine", "refused to hand the suspects over to Britain")
            recipients = [r for r in self.embedded_recipients(trigger, speaker)
                          if (r.code, r.start) not in actor_keys and r.code not in a_sectors]
            if recipients:
                r_slot = "embedded"
        if not recipients and rules.condition_target and (condition := condition_below(trigger, g)) is not None:
            # "threatened to stop the talks if the United States deploys the missiles": a threat
            # is aimed at the one whose act its condition names
            recipients = [r for r in find("subject", ctx, condition) if r.code not in a_sectors]
            if recipients:
                r_slot = "condition"
        if not recipients and rules.embedded_place_target and (act := embedded_act(trigger, g)) is not None:
            # "threatened to resume attacks in Israel", "vowed to impose a curfew in the capital":
            # the place of the threatened act stands for the state it is aimed at
            where = self.parts.event_place(act)
            if where is not None and self.res.is_actor_code(where.country):
                recipients, r_slot = [ActorMention.implied(where.country)], "place"
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
        if not recipients and actors and rules.victims and place is not None and self.res.is_actor_code(place.country):
            # done to a place: "imposed a curfew in the town of Cizre", "fired shells at targets in
            # Jericho": its people, whose state takes the place's code
            recipients, r_slot = [ActorMention.implied(place.country)], "place"
        if not recipients and actors and rules.foreign_place_target and place is not None \
                and place.country not in {a.code for a in actors} and self.res.is_actor_code(place.country):
            # "Russia is conducting exercises in Alaska", "drills around Taiwan": a show of force
            # on another state's ground is aimed at that state
            recipients, r_slot = [ActorMention.implied(place.country)], "place"
        if place is None and rules.at_target_state and len(recipients) == 1 and recipients[0].kind == "state":
            # an attack on a state's people happens there
            place = self.res.country_place(recipients[0].code)
        if not actors and rules.domestic_actor and (pattern.pos == "NOUN" or logical_subject(trigger)):
            # people with no state named act where they are: "thousands of students staged
            # rallies in Jakarta" (SPEC: domestic sides take their state's code)
            where = place or self.parts.clause_place(trigger)
            if where is not None and self.res.is_actor_code(where.country):
                actors, a_slot = [ActorMention.implied(where.country)], "place"
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
        elif refused:
            # "said he would not provide support to Israel": a cooperation refused is a REJECT to
            # the one it was for
            event_type, aux, place = "REJECT", None, None
        elif aux == "future" and pattern.future and not (pattern.future == "THREATEN" and committed(trigger, g)):
            # a future act is coded as the file's future type ("will meet": AGREE; "will expel
            # the ambassador": THREATEN), unless it is pledged to someone ("pledged to expel")
            event_type, aux = pattern.future, None
            if not self.patterns.rules(event_type).future_acts_have_place:
                place = None
        mode = list(pattern.mode)
        if pattern.symmetric and r_slot != "embedded":
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
        def of_time(t) -> bool:
            # "called off the strikes on Wednesday": a time, not the pattern's "on"
            return t.dep_ == "prep" and any(o.ent_type_ in ("DATE", "TIME") for o in t.children)

        near = set()
        for c in trigger.children:
            if of_time(c):
                continue
            near.add(c.lemma_.lower())
            near.add(c.lower_)
            for gc in c.children:
                if not of_time(gc):
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
