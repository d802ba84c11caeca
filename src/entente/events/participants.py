"""Participants: the actors a noun phrase names, the actors the text implies (the state a
place lies in, the state of victims with no code), who hosts a visit, and where an event
happened.

Each construction is a branch with its comment and an example; the word families they test
come from data/grammar.yaml (:class:`~entente.events.grammar.Grammar`).
"""
from __future__ import annotations

from typing import Callable, Protocol

from ..record import Place
from ..resolve.context import ActorMention, PlaceMention, ResolvedDoc
from .grammar import Grammar
from .slots import clause, lemma_forms, logical_object


class ConflictLexicon(Protocol):
    """What the participants ask of the patterns: whether a word names a conflictual act
    (:meth:`entente.events.patterns.PatternSet.names_conflict`)."""

    def names_conflict(self, lemma: str, pos: str) -> bool: ...


class Participants:
    """The participants of one resolved article, read with one grammar."""

    def __init__(self, res: ResolvedDoc, grammar: Grammar, patterns: ConflictLexicon | None = None):
        self.res = res
        self.grammar = grammar
        self.patterns = patterns

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
            # a list that goes on from inside the mention: "the defence ministers of Kazakhstan
            # and Kyrgyzstan" (Kyrgyzstan hangs from Kazakhstan, inside the mention of the ministers)
            for t in res.doc[m.start:m.end]:
                if t.i != tok.i:
                    for c in t.children:
                        if c.dep_ == "conj" and not (m.start <= c.i < m.end):
                            out += self.actors_of(c, speaker, depth + 1)
        elif low in g.first_person:
            # first person in a statement: its speaker ("We welcome the agreement," the ministry said)
            if speaker is not None:
                out.append(speaker)
        elif low in g.actor_pronouns and low not in ("it", "its") and depth == 0 and self.previous_subjects(tok):
            # "Obama and Putin said they will attack Iraq": a plural pronoun refers to all the
            # parties of the nearest subject before it
            out += self.previous_subjects(tok)
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
        elif m is None and self.descriptive(tok):
            # "the country", "the two sides", "the alliance": actors already in the story
            out += self.descriptive(tok)
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
                # coordinated and apposed: "Russia and Turkey", "the alliance, NATO"; a list of
                # any length: "Latvia, Lithuania, Norway, Poland, Ukraine and Sweden"
                out += self.actors_of(child, speaker, depth if dep == "conj" else depth + 1)
            elif m is not None and dep in ("amod", "compound") and child.i < m.start and \
                    any(c.dep_ == "conj" for c in child.children):
                # a coordinated modifier before a mention: "Chinese and Russian defense ministries"
                out += self.actors_of(child, speaker, depth + 1)
            elif dep == "prep" and child.lower_ in g.listing_prepositions:
                # the parties a phrase lists: "agencies, including NATO and the OSCE"
                for o in child.children:
                    if o.dep_ == "pobj":
                        out += self.actors_of(o, speaker, depth + 1)
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
            elif m is None and not out and depth == 0 and dep == "prep" and child.lower_ == "of" \
                    and tok.pos_ == "NOUN" and not self.is_act_of_doer(tok):
                # the one a thing or a move belongs to: "the membership of Iran", "the security
                # of Iraq" (not the victim of an act: "the bombing of the embassy")
                for o in child.children:
                    if o.dep_ == "pobj":
                        out += self.actors_of(o, speaker, depth + 1)
            elif m is None and not out and dep == "prep" and child.lower_ in g.descriptive_prepositions \
                    and self.people_noun(tok):
                # people described by where they are from: "opposition groups in Zimbabwe",
                # "Druze inhabitants of the Golan", "a camp for Congolese refugees" (a city after
                # "in" is where they are, not whose they are: "partners in Paris")
                for o in child.children:
                    if o.dep_ == "pobj":
                        found = self.actors_of(o, speaker, depth + 1)
                        if not found and child.lower_ in ("of", "from"):
                            found = self.place_country(o)
                        out += found
        seen, uniq = set(), []
        for a in out:
            key = (a.code, a.sector)
            if key not in seen:
                seen.add(key)
                uniq.append(a)
        return uniq

    # --- descriptions, plurals, acts -----------------------------------------------------------
    def people_noun(self, tok) -> bool:
        """A noun for people or a body of them ("residents", "forces", "groups", "refugees")."""
        g = self.grammar
        lemma = tok.lemma_.lower()
        return tok.pos_ == "NOUN" and (lemma in g.group_nouns or lemma in g.human_victims
                                        or lemma in g.people_nouns or self.res.is_sector_word(lemma))

    def previous_subjects(self, tok) -> list[ActorMention]:
        """All the parties of the nearest subject before a plural pronoun (this sentence or the
        two before) when it names two or more: "Russia and China said they ..."."""
        n = self.res.sentence_of(tok.i)
        for sent in reversed(self.res.sentences[max(0, n - 2):n + 1]):
            subjects = [t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.i < tok.i and t is not tok]
            for t in reversed(subjects):
                found = self.actors_of(t, None, 1)
                if len({a.code for a in found}) >= 2:
                    return found
        return []

    def descriptive(self, tok) -> list[ActorMention]:
        """# "the country", "the kingdom": the state named last; # "the alliance", "the bloc":
        the alliance (organisation) named last; # "the two sides", "both countries", "the three
        countries": the last two (three) parties that acted (subjects), else named"""
        g = self.grammar
        lemma = tok.lemma_.lower()
        if any(c.dep_ in ("poss", "compound") or c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
            return []   # "the leaders of the eight members", "Iran's neighbours": not a bare description
        dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "nummod", "predet", "amod")}
        if not dets & (g.descriptive_determiners | set(g.number_words)):
            return []
        number = 2 if "both" in dets else next((g.number_words[d] for d in dets if d in g.number_words), 1)
        if number == 1 and tok.tag_ in ("NNS", "NNPS") and lemma in g.descriptive_party_nouns:
            number = 2   # "the parties", "the sides": the parties already named (at least two)
        if lemma in g.descriptive_state_nouns and number == 1:
            kinds = {"state"}
        elif lemma in g.descriptive_organization_nouns and number == 1:
            kinds = {"organization"}
        elif lemma in g.descriptive_party_nouns and number > 1:
            kinds = {"state", "organization", "group", "person"}
        else:
            return []

        def pick(accept) -> list[ActorMention]:
            found, seen = [], set()
            for a in reversed(self.res.actors):
                if a.start >= tok.i or a.kind not in kinds or a.code in seen or not accept(a):
                    continue
                seen.add(a.code)
                found.append(a)
                if len(found) == number:
                    return list(reversed(found))
            return []

        def subject(a: ActorMention) -> bool:
            head = self.res.doc[a.head] if a.head is not None else self.res.doc[a.start]
            while head.dep_ in ("conj", "appos", "compound") and head.head is not head:
                head = head.head
            return head.dep_ in ("nsubj", "nsubjpass")

        if lemma == "alliance":
            return pick(lambda a: self.res.organization_kind(a.code) == "alliance") or pick(lambda a: True)
        if lemma in g.descriptive_person_nouns:
            # "the ministers discussed ...": the people named last ("Johnson met Lavrov")
            return pick(lambda a: a.kind == "person") or pick(subject) or pick(lambda a: True)
        return pick(subject) or pick(lambda a: True)

    def is_act_of_doer(self, tok) -> bool:
        """Whether a noun names a conflictual act or a wrongdoing ("detention", "offensive",
        "crimes"): who is condemned or investigated for it is its doer, not its victim."""
        if tok.pos_ != "NOUN":
            return False
        lemma = tok.lemma_.lower()
        if lemma in self.grammar.violent_acts or tok.lower_ in self.grammar.violent_acts \
                or lemma in self.grammar.wrongdoing_nouns:
            return True
        return self.patterns is not None and any(self.patterns.names_conflict(w, "NOUN") for w in {lemma, tok.lower_})

    def names_conflict_verb(self, tok) -> bool:
        """Whether a verb triggers a conflictual act in the lexicon ("attacked", "shelled")."""
        return tok.pos_ in ("VERB", "AUX") and self.patterns is not None and \
            any(self.patterns.names_conflict(w, "VERB") for w in lemma_forms(tok))

    def clause_place(self, trigger) -> Place | None:
        """A place in the trigger's sentence: the nearest before it, else the first after it."""
        sent = trigger.sent
        found = [pm for pm in self.res.places if sent.start <= pm.start < sent.end]
        before = [pm for pm in found if pm.start < trigger.i]
        pick = before[-1] if before else (found[0] if found else None)
        return pick.place if pick else None

    def dated_after_publication(self, trigger) -> bool:
        """Whether the trigger's clause names a day after the publication date ("departs
        tomorrow", "the exercise from 5 to 18 September" in a story of 3 September)."""
        published = self.res.published
        if not published or len(published) < 10:
            return False
        tokens = list(trigger.subtree) if trigger.pos_ == "NOUN" else clause(trigger)
        for t in tokens:
            te = self.res.time_at(t.i)
            if te is not None and te.value and te.type in ("DATE", "TIME") and len(te.value) >= 10 \
                    and te.value[:4].isdigit() and te.value[:10] > published[:10]:
                return True
        return False

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
            if doc[pm.end - 1].is_lower:   # "in the Kherson region": a name with its region word
                first = doc[pm.start:pm.end].root
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
