"""Participants: the actors a noun phrase names, the actors the text implies (the state a
place lies in, the state of victims with no code), who hosts a visit, and where an event
happened.

Each construction is a branch with its comment and an example; the word families they test
come from data/grammar.yaml (:class:`~entente.events.grammar.Grammar`).
"""
from __future__ import annotations

from typing import Callable

from ..record import Place
from ..resolve.context import ActorMention, PlaceMention, ResolvedDoc
from .grammar import Grammar
from .slots import clause, logical_object


class Participants:
    """The participants of one resolved article, read with one grammar."""

    def __init__(self, res: ResolvedDoc, grammar: Grammar):
        self.res = res
        self.grammar = grammar

    # --- actors of a noun phrase -----------------------------------------------------------
    def actors_of(self, tok, speaker: ActorMention | None, depth: int = 0) -> list[ActorMention]:
        """Actors a noun phrase names: its own mention, coordinated and apposed ones, its
        modifiers ("Russian jets"), "representatives of Serbia", pronouns."""
        if depth > 4:
            return []
        g, res = self.grammar, self.res
        out = []
        m = res.actor_at(tok.i)
        low = tok.lower_
        if m is not None:
            out.append(m)
        elif low in g.first_person:
            # first person in a statement: its speaker ("We welcome the agreement," the ministry said)
            if speaker is not None:
                out.append(speaker)
        elif low in g.actor_pronouns and depth == 0:
            # "It strongly condemns ...": the actor that was the subject last; failing that,
            # the last organisation, group or state named before ("cut off its finance")
            subject_pronoun = tok.dep_ in ("nsubj", "nsubjpass")
            prev = (self.previous_subject(tok) if subject_pronoun else None) or \
                self.previous_actor(tok, lambda a: a.kind != "person")
            if prev is not None:
                out.append(prev)
        elif tok.lemma_.lower() in g.anaphoric_government and any(
                c.lower_ in g.anaphoric_determiners for c in tok.children):
            # "the regime": the government named last ("the Assad regime")
            prev = self.previous_actor(tok, lambda a: a.kind == "state" and a.sector == "GOV", whole_document=True)
            if prev is not None:
                out.append(prev)
        elif tok.pos_ == "PRON":
            # a personal pronoun: the person named last ("He said")
            p = res.pronoun_actor(tok)
            if p is not None:
                out.append(p)
            elif low in g.relative_pronouns and tok.head.head is not tok.head:
                # relative pronoun: the noun the clause describes ("Turkey, which shot down the jet")
                out += self.actors_of(tok.head.head, speaker, depth + 1)
        for child in tok.children:
            dep = child.dep_
            if dep in ("conj", "appos"):
                # coordinated and apposed: "Russia and Turkey", "the alliance, NATO"
                out += self.actors_of(child, speaker, depth + 1)
            elif m is None and dep in ("compound", "amod", "poss", "nmod", "nummod"):
                # a modifier names the actor: "Russian jets", "Serbia's army"; "our partners" is
                # the speaker's only before a group noun ("our representatives")
                if dep == "poss" and child.lower_ in g.first_person and tok.lemma_.lower() not in g.group_nouns:
                    continue
                out += self.actors_of(child, speaker, depth + 1)
            elif m is None and dep == "prep" and child.lower_ == "of" and tok.lemma_.lower() in g.group_nouns:
                # a group noun's of-phrase: "representatives of Serbia"
                for o in child.children:
                    if o.dep_ == "pobj":
                        out += self.actors_of(o, speaker, depth + 1)
        seen, uniq = set(), []
        for a in out:
            key = (a.code, a.sector)
            if key not in seen:
                seen.add(key)
                uniq.append(a)
        return uniq

    def place_country(self, tok) -> list[ActorMention]:
        """The state a place token lies in, as an actor ("travel to Paris" -> FRA)."""
        pm = self.res.place_at(tok.i)
        if pm is not None and pm.place.country and self.res.is_actor_code(pm.place.country) \
                and self.res.actor_at(tok.i) is None:
            return [ActorMention.implied(pm.place.country)]
        return []

    def previous_subject(self, tok) -> ActorMention | None:
        """The non-person actor that is the subject of the nearest earlier sentence (up to two back)."""
        n = self.res.sentence_of(tok.i)
        for sent in reversed(self.res.sentences[max(0, n - 2):n]):
            for t in sent:
                if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT":
                    m = self.res.actor_at(t.i)
                    if m is not None and m.kind != "person":
                        return m
        return None

    def previous_actor(self, tok, accept: Callable[[ActorMention], bool],
                       whole_document: bool = False) -> ActorMention | None:
        """The last actor named before ``tok`` that ``accept`` takes, in this and the previous
        sentence (or the whole document before it)."""
        sent_start = tok.sent.start
        floor = 0 if whole_document else (self.res.doc[sent_start - 1].sent.start if sent_start > 0 else 0)
        best = None
        for a in self.res.actors:
            if a.start >= tok.i:
                break
            if a.start >= floor and accept(a):
                best = a
        return best

    # --- hosts and victims --------------------------------------------------------------------
    def host(self, actors: list, recipients: list, place: Place | None) -> tuple[list, list, bool]:
        """# a visit: the party at home where they meet is the host (recipient); no host: all actors"""
        parties = actors + recipients
        host = None
        if place is not None:
            for p in parties:
                seat = self.res.seat(p.code)
                if p.kind != "organization" and p.code == place.country and p.kind in ("state", "person") \
                        and not self.is_org_person(p):
                    host = p
                elif seat and seat == place.name:
                    host = p   # "the meeting at NATO headquarters in Brussels": NATO hosts
            if host is not None:
                others = [p for p in parties if p.code != host.code]
                if others:
                    return others, [host], True
        return parties, [], False

    def is_org_person(self, p: ActorMention) -> bool:
        """An official of an organisation ("the NATO Secretary General")."""
        return p.kind == "person" and self.res.is_organization(p.code)

    def human_victims(self, trigger) -> bool:
        """Whether the act was done to people with no code of their own ("targeted families")."""
        objs = logical_object(trigger) + [o for c in trigger.children if c.dep_ == "prep"
                                          for o in c.children if o.dep_ == "pobj"]
        return any(o.lemma_.lower() in self.grammar.human_victims for o in objs)

    def victims(self, trigger, place: Place | None) -> tuple[ActorMention | None, Place | None]:
        """# victims with no code of their own take the state of the place they were hit in
        ("the strikes killed 60 civilians in Aleppo": SYR); with no place in the clause, the
        last place named in the three sentences before"""
        if place is None:
            n = self.res.sentence_of(trigger.i)
            floor = self.res.sentences[max(0, n - 3)].start
            before = [pm for pm in self.res.places if floor <= pm.start and pm.end <= trigger.i
                      and not self.res.names_an_actor(pm.text)]
            if not before:
                return None, None
            place = before[-1].place
        if not place.country or not self.res.is_actor_code(place.country):
            return None, None
        return ActorMention.implied(place.country), place

    # --- where --------------------------------------------------------------------------------
    def event_place(self, trigger) -> Place | None:
        """# the place where it happened: a place in the clause ("in Moscow"); several in one
        country: that country; in different countries: none"""
        doc = self.res.doc
        found: list[PlaceMention] = []
        for t in clause(trigger):
            pm = self.res.place_at(t.i)
            if pm is None or pm in found:
                continue
            first = doc[pm.start]
            while first.dep_ in ("appos", "conj") and first.head is not first:
                first = first.head   # "in Jabla ... and the port city of Tartus", "Independence, Missouri"
            if self.under_topic(doc[pm.start], trigger):
                continue   # "talks on the situation in Aleppo": what they are about, not where
            if first.head.lower_ in self.grammar.event_place_prepositions:
                found.append(pm)
        if not found:
            # "on the margins of the UNGA meeting": the place of a named event in the clause
            in_clause = {t.i for t in clause(trigger)}
            for ne in self.res.named_events:
                if ne.place is not None and any(s in in_clause for s, _ in ne.mentions):
                    return ne.place
            return None
        found = self._one_per_name(sorted(found, key=lambda pm: pm.start))
        places = [pm.place for pm in found]
        countries = {p.country for p in places}
        if len(countries) > 1:
            return None
        # "Karrada, Baghdad" -> Baghdad: a place named with its city keeps the better known one
        cities = [p for p in places if p.country and not self.res.names_an_actor(p.name)]
        if len(cities) == 1 or (cities and len({c.name for c in cities}) == 1):
            return cities[-1]
        if len(places) == 1:
            return places[0]
        code = places[0].country
        return self.res.country_place(code) if code else None

    def _one_per_name(self, found: list[PlaceMention]) -> list[PlaceMention]:
        """# "Washington, D.C.", "Independence, Missouri": a place and its region, side by side,
        name one place: the first (the city)"""
        out: list[PlaceMention] = []
        for pm in found:
            if out and pm.start == out[-1].end + 1 and self.res.doc[out[-1].end].text == "," \
                    and pm.place.country == out[-1].place.country:
                continue
            out.append(pm)
        return out

    def under_topic(self, tok, trigger) -> bool:
        """# a place under a preposition of topic is what the event is about: "talks on the
        situation in Aleppo" """
        node = tok
        for _ in range(8):
            if node is trigger or node.head is node:
                return False
            if node.dep_ == "prep" and node.lower_ in self.grammar.topic_prepositions:
                return True
            node = node.head
        return False
