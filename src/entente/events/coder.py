"""PLOVER event coding over the dependency parse.

For every token that triggers a pattern (data/patterns/*.yaml), the coder finds the
actors and recipients in the slots the pattern names, the event's modality, date and
place, and the evidence (sentence, trigger words). Events of an article are then merged:
one per (type, actors, recipients, date, aux).
"""
from __future__ import annotations

from collections import deque

from ..record import Event, Participant, Place, TextInfo
from ..resolve.context import ActorMention, ResolvedDoc
from .modality import modality
from .patterns import Pattern, PatternSet

ANAPHORIC_GOVERNMENT = {"regime", "dictatorship", "junta"}
FIRST_PERSON = {"i", "we", "us", "our", "my", "me", "ours"}
SPEECH_VERBS = {"say", "state", "stress", "note", "add", "tell", "remark", "declare", "announce", "insist",
                "emphasize", "emphasise", "underline", "believe", "think", "confirm", "explain", "respond",
                "reply", "comment", "write", "observe", "point", "assert", "reiterate", "conclude"}
GROUP_NOUNS = {"representative", "member", "delegation", "official", "leader", "force", "troop", "government",
               "ministry", "army", "people", "minister", "diplomat", "envoy", "soldier", "authority", "regime",
               "military", "navy", "party", "citizen", "civilian", "national", "family", "victim", "leadership",
               "coalition", "partner", "state", "country", "foreign", "security",
               # "thousands of Georgians", "a group of Kenyan students"
               "thousand", "hundred", "dozen", "ten", "million", "score", "group", "crowd",
               # "the meeting of the Small Group": a gathering's of-phrase names who meets
               "meeting", "summit", "session", "conference", "gathering", "talks", "consultation"}
SKIP_SUBTREE = {"nsubj", "nsubjpass", "agent", "aux", "auxpass", "advcl", "ccomp", "punct", "mark", "relcl",
                "parataxis", "csubj", "neg", "cc"}
VIOLENT_ACTS = {"attack", "attacks", "bombing", "bombings", "strike", "strikes", "airstrike", "airstrikes", "killing",
                "killings", "violence", "shelling", "massacre", "assault", "atrocity", "atrocities", "act", "acts",
                "use", "bombardment", "terrorism"}
REQUEST_VERBS = {"call", "urge", "press", "ask", "demand", "appeal", "request", "need", "want", "wish", "encourage",
                 "invite", "implore", "push", "pursue", "essential", "crucial", "responsibility"}
THREAT_VERBS = {"threaten"}
# actions that, promised unless another party complies, are threats
THREAT_TYPES = {"ASSAULT", "COERCE", "SANCTION", "REJECT", "RETREAT", "PROTEST", "MOBILIZE"}
TOPIC_PREPS = {"on", "about", "over", "regarding", "concerning"}
LOCATIVE = {"in", "at", "across", "near", "inside", "outside", "throughout", "around", "within"}
SPEECH_TYPES = {"SUPPORT", "ACCUSE", "REQUEST", "REJECT", "THREATEN", "AGREE", "PROTEST"}
VICTIM_TYPES = {"ASSAULT", "COERCE"}
PLACE_AS_TARGET = {"ASSAULT", "COERCE", "SANCTION", "CONSULT", "AID"}
HUMAN_VICTIMS = {"civilian", "people", "family", "families", "victim", "child", "children", "woman", "women",
                 "resident", "worker", "shopper", "person", "persons", "student", "pilgrim", "worshipper", "villager",
                 "passenger", "refugee", "protester", "demonstrator", "journalist", "patient", "man", "men"}


def code_events(res: ResolvedDoc, patterns: PatternSet, *, explain: bool = False) -> list[Event]:
    """The events of one resolved article, merged, in text order."""
    doc = res.doc
    coder = _Coder(res, explain)
    raw = []
    consumed: set[int] = set()   # words of a multi-word trigger ("impose sanctions") are not triggers again
    for tok in doc:
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
                raw.append(ev)
                consumed.update(c.i for c in tok.children if c.lemma_.lower() in pattern.words or c.lower_ in pattern.words)
                break
    return coder.finish(raw)


class _Coder:
    def __init__(self, res: ResolvedDoc, explain: bool):
        self.doc, self.res, self.explain = res.doc, res, explain
        self.sents = res.sentences
        self.publisher = res.publisher
        self.speakers = self._speakers()
        self.anchor = None

    # --- who speaks each sentence ------------------------------------------------------
    def _speakers(self) -> list:
        """# reported speech: "X said", a quote continued over sentences, "X said:" before a statement"""
        out = []
        current = self.publisher
        for sent in self.sents:
            speaker = None
            for tok in sent:
                if tok.lemma_.lower() in SPEECH_VERBS and tok.pos_ in ("VERB", "AUX"):
                    subj = self._logical_subject(tok)
                    found = []
                    for s in subj:
                        found += self.actors_of(s, None)
                    if found:
                        speaker = found[0]
                        break
            if speaker is not None:
                current = speaker
            out.append(current if speaker is None else speaker)
        return out

    def speaker_at(self, tok):
        return self.speakers[self.res.sentence_of(tok.i)] if self.speakers else None

    # --- actors of a noun phrase -----------------------------------------------------------
    def actors_of(self, tok, speaker, depth: int = 0) -> list:
        """Actors a noun phrase names: its own mention, coordinated and apposed ones, its
        modifiers ("Russian jets"), "representatives of Serbia", pronouns."""
        if depth > 4:
            return []
        out = []
        m = self.res.actor_at(tok.i)
        low = tok.lower_
        if m is not None:
            out.append(m)
        elif low in FIRST_PERSON:
            if speaker is not None:
                out.append(speaker)
        elif low in ("it", "its", "they", "their", "them") and depth == 0:
            # "It strongly condemns ...": the actor that was the subject last; failing that,
            # the last organisation, group or state named before ("cut off its finance")
            subject_pronoun = tok.dep_ in ("nsubj", "nsubjpass")
            prev = (self._previous_subject(tok) if subject_pronoun else None) or \
                self._previous_actor(tok, lambda a: a.kind != "person")
            if prev is not None:
                out.append(prev)
        elif m is None and tok.lemma_.lower() in ANAPHORIC_GOVERNMENT and any(
                c.lower_ in ("the", "its", "this") for c in tok.children):
            # "the regime": the government named last ("the Assad regime")
            prev = self._previous_actor(tok, lambda a: a.kind == "state" and a.sector == "GOV", whole_document=True)
            if prev is not None:
                out.append(prev)
        elif tok.pos_ == "PRON":
            p = self.res.pronoun_actor(tok)
            if p is not None:
                out.append(p)
            elif low in ("which", "who", "that") and tok.head.head is not tok.head:
                # relative pronoun: the noun the clause describes
                out += self.actors_of(tok.head.head, speaker, depth + 1)
        for child in tok.children:
            dep = child.dep_
            if dep in ("conj", "appos"):
                out += self.actors_of(child, speaker, depth + 1)
            elif m is None and dep in ("compound", "amod", "poss", "nmod", "nummod") and child.i not in self._mention_tokens(m):
                if dep == "poss" and child.lower_ in FIRST_PERSON and tok.lemma_.lower() not in GROUP_NOUNS:
                    continue
                out += self.actors_of(child, speaker, depth + 1)
            elif m is None and dep == "prep" and child.lower_ == "of" and tok.lemma_.lower() in GROUP_NOUNS:
                for g in child.children:
                    if g.dep_ == "pobj":
                        out += self.actors_of(g, speaker, depth + 1)
        seen, uniq = set(), []
        for a in out:
            key = (a.code, a.sector)
            if key not in seen:
                seen.add(key)
                uniq.append(a)
        return uniq

    def _place_country(self, tok) -> list:
        """The state a place token lies in, as an actor ("travel to Paris" -> FRA)."""
        pm = self.res.place_at(tok.i)
        if pm is not None and pm.place.country and self.res.is_actor_code(pm.place.country) \
                and self.res.actor_at(tok.i) is None:
            return [ActorMention.implied(pm.place.country)]
        return []

    def _previous_subject(self, tok):
        """The non-person actor that is the subject of the nearest earlier sentence (up to two back)."""
        n = self.res.sentence_of(tok.i)
        for sent in reversed(self.sents[max(0, n - 2):n]):
            for t in sent:
                if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT":
                    m = self.res.actor_at(t.i)
                    if m is not None and m.kind != "person":
                        return m
        return None

    def _previous_actor(self, tok, accept, whole_document: bool = False):
        sent_start = tok.sent.start
        floor = 0 if whole_document else (self.doc[sent_start - 1].sent.start if sent_start > 0 else 0)
        best = None
        for a in self.res.actors:
            if a.start >= tok.i:
                break
            if a.start >= floor and accept(a):
                best = a
        return best

    @staticmethod
    def _mention_tokens(m):
        return range(m.start, m.end) if m is not None else range(0)

    # --- slots -------------------------------------------------------------------------
    def _logical_subject(self, verb) -> list:
        """The doer of a verb: the agent of a passive, the subject, or the subject it
        inherits ("X confirmed the intention to send", "X met and agreed")."""
        node = verb
        for _ in range(6):
            agent = [g for c in node.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            if agent:
                return agent
            subj = [c for c in node.children if c.dep_ in ("nsubj", "csubj")]
            if subj:
                return subj
            if any(c.dep_ == "nsubjpass" for c in node.children):
                return []
            if node.dep_ in ("xcomp", "conj", "acl", "advcl", "pcomp", "dobj", "pobj", "prep", "relcl", "ccomp") \
                    and node.head is not node:
                if node.dep_ == "relcl":
                    return [node.head]
                node = node.head
                continue
            break
        return []

    @staticmethod
    def _logical_object(verb) -> list:
        """What a verb is done to: its object, or the subject of a passive ("Aleppo was struck")."""
        return [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass", "attr", "dative")]

    def _prep_objects(self, tok, prep: str) -> list:
        out = []
        for c in tok.children:
            if c.dep_ in ("prep", "agent", "dative") and c.lower_ == prep:
                out += [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            # a clause introduced by the preposition: "pressed for Russia to use its influence"
            elif c.dep_ in ("advcl", "ccomp", "xcomp") and any(m.dep_ == "mark" and m.lower_ == prep for m in c.children):
                out += [g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")]
        return out

    def _governor(self, tok):
        """The verb a noun trigger hangs from ("raised concerns in a call with ...")."""
        node = tok
        for _ in range(4):
            if node.dep_ in ("pobj", "prep", "dobj", "nsubj", "nsubjpass", "attr", "conj", "appos", "npadvmod"):
                node = node.head
                if node.pos_ in ("VERB", "AUX"):
                    return node
            else:
                break
        return None

    def slot(self, name: str, trigger, pattern: Pattern, speaker) -> list:
        doc = self.doc
        if name == "subject":
            subj = self._logical_subject(trigger)
            out = []
            for s in subj:
                out += self.actors_of(s, speaker)
            return out
        if name == "object":
            out = []
            for o in self._logical_object(trigger):
                found = self.actors_of(o, speaker)
                if not found and pattern.event in PLACE_AS_TARGET:
                    found = self._place_country(o)   # "Aleppo was struck": the state it belongs to
                out += found
            return out
        if name in ("poss", "modifier", "dative"):
            deps = {"poss"} if name == "poss" else {"dative"} if name == "dative" else {"amod", "compound", "nmod"}
            out = []
            for c in trigger.children:
                if c.dep_ in deps:
                    out += self.actors_of(c, speaker)
            return out
        if name == "modal_subject":
            # "Russia said Sudan must return the helicopter": the one the modal binds
            if trigger.dep_ not in ("aux", "auxpass"):
                return []
            out = []
            for s in trigger.head.children:
                if s.dep_ in ("nsubj", "nsubjpass"):
                    out += self.actors_of(s, speaker)
            return out
        if name == "coord_poss":
            if trigger.dep_ == "conj":
                return self.slot("poss", trigger.head, pattern, speaker)
            return []
        if name == "governor":
            gov = self._governor(trigger)
            return self.slot("subject", gov, pattern, speaker) if gov is not None else []
        if name == "governor_object":
            gov = self._governor(trigger)
            if gov is None:
                return []
            out = []
            for o in self._logical_object(gov):
                if o is not trigger:
                    out += self.actors_of(o, speaker)
            if not out and gov.tag_ == "VBN" and gov.dep_ in ("advcl", "acl"):
                # "X liberated Dabiq, aided by support from Y": aid went to X
                out = self.slot("subject", gov.head, pattern, speaker)
            return out
        if name == "governor_claim":
            return self._claimed_by(trigger, speaker)
        if name == "speaker":
            return [speaker] if speaker is not None else []
        if name == "attr_subject":
            if trigger.dep_ in ("attr", "conj") and trigger.head.lemma_ == "be" or trigger.dep_ == "attr":
                verb = trigger.head
                out = []
                for s in verb.children:
                    if s.dep_ == "nsubj":
                        out += self.actors_of(s, speaker)
                return out
            return []
        if name == "object_tree":
            return self._object_tree(trigger, speaker)
        if name == "place":
            out = []
            for prep in ("to", "in"):
                for o in self._prep_objects(trigger, prep):
                    out += self._place_country(o)
            for o in self._logical_object(trigger):   # "visited Minsk"
                out += self._place_country(o)
            return out
        # a preposition
        out = []
        targets = self._prep_objects(trigger, name)
        if not targets and pattern.words:
            # on a word of the trigger: "impose new sanctions on Iran"
            for c in trigger.children:
                if c.lemma_.lower() in pattern.words or c.lower_ in pattern.words:
                    targets += self._prep_objects(c, name)
        if not targets and pattern.requires_object:
            # on the object the pattern requires: "established ties with Iran", "lifted the ban on X"
            for o in self._logical_object(trigger):
                if o.lemma_.lower() in pattern.requires_object or o.lower_ in pattern.requires_object:
                    targets += self._prep_objects(o, name)
        if not targets and trigger.pos_ == "NOUN":
            # "raised concerns in a call with X", "inflicting the bombardment on Aleppo"
            gov = self._governor(trigger)
            if gov is not None:
                targets = self._prep_objects(gov, name)
        if not targets and name == "with":
            # "lead a delegation to Berlin for a meeting with X"
            for via in ("for", "to", "in"):
                for o in self._prep_objects(trigger, via):
                    targets += self._prep_objects(o, name)
        for o in targets:
            found = self.actors_of(o, speaker)
            if not found and pattern.event in PLACE_AS_TARGET and name in ("on", "against", "to"):
                found = self._place_country(o)
            out += found
            if o.dep_ == "pcomp":
                for g in o.subtree:
                    out += self.actors_of(g, speaker)
                    if out:
                        break
        return out

    def _object_tree(self, trigger, speaker) -> list:
        """The first actor under the trigger's object side, breadth first. When the object
        is a violent act ("condemns the attacks ..."), only its perpetrator counts: the
        victims are not the ones condemned."""
        skip = SKIP_SUBTREE - {"relcl", "ccomp"}
        deep_skip = skip - {"agent", "nsubj", "nsubjpass"}   # under the object: "steps taken by Abadi", "that Syrians put aside"
        for obj in self._logical_object(trigger):
            if obj.lemma_.lower() in VIOLENT_ACTS or obj.lower_ in VIOLENT_ACTS:
                return self._perpetrator(obj, speaker)
        queue = deque((c, 1) for c in trigger.children if c.dep_ not in skip)
        while queue:
            tok, depth = queue.popleft()
            if tok.dep_ == "prep" and tok.lower_ in LOCATIVE:
                continue   # "a ceasefire in Eastern Ukraine": a place, not the addressee
            found = self.actors_of(tok, speaker)
            if found:
                return found
            if depth < 5:
                queue.extend((c, depth + 1) for c in tok.children if c.dep_ not in deep_skip)
        return []

    def _perpetrator(self, act, speaker) -> list:
        """# who did a violent act: "Russia's strikes", "Russian strikes", "attacks by X",
        "attacks ... for which Da'esh has claimed responsibility" """
        for c in act.children:
            if c.dep_ in ("poss", "compound", "amod", "nmod"):
                found = self.actors_of(c, speaker)
                if found:
                    return found
        for o in self._prep_objects(act, "by"):
            found = self.actors_of(o, speaker)
            if found:
                return found
        return self._claimed_by(act, speaker)

    def _claimed_by(self, act, speaker) -> list:
        """# "... attacks ..., for which Da'esh has claimed responsibility": the claimer, anywhere in the sentence"""
        for c in act.sent:
            if c.lemma_ in ("claim", "admit") and any(o.lemma_ == "responsibility" for o in c.children):
                for s in c.children:
                    if s.dep_ == "nsubj":
                        found = self.actors_of(s, speaker)
                        if found:
                            return found
        for c in act.subtree:
            if c.dep_ == "relcl" and c.lemma_ in ("carry", "commit", "perpetrate"):
                for s in c.children:
                    if s.dep_ == "nsubj":
                        return self.actors_of(s, speaker)
        return []

    # --- one pattern on one token -------------------------------------------------------------
    def try_pattern(self, trigger, pattern: Pattern):
        if not self._words_match(trigger, pattern):
            return None
        if trigger.sent.text.rstrip().endswith("?"):
            return None   # a question reports nothing ("Will the United States participate ...?")
        if self._requested(trigger, pattern):
            return None   # what is asked for has not happened ("called on all states to cooperate")
        if pattern.copula and not (trigger.dep_ in ("attr", "conj") and trigger.head.lemma_ in ("be", "remain", "become")
                                   or trigger.dep_ == "attr"):
            return None
        if pattern.requires_object:
            objs = self._logical_object(trigger) + [g for c in trigger.children if c.dep_ == "prep" for g in c.children]
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
        aux = modality(trigger)
        if pattern.requires == "future" and aux != "future":
            return None
        if pattern.requires == "actual" and aux is not None:
            return None
        speaker = self.speaker_at(trigger)
        actors, a_slot = self._first_slot(pattern.actor, trigger, pattern, speaker)
        recipients, r_slot = self._first_slot(pattern.recipient, trigger, pattern, speaker)
        if pattern.requires_object_kind:
            objs = self._logical_object(trigger)
            kinds = {a.kind for o in objs for a in self.actors_of(o, speaker)}
            if not kinds or (pattern.requires_object_kind != "actor" and pattern.requires_object_kind not in kinds):
                return None
        if not actors and pattern.event in SPEECH_TYPES and speaker is not None and a_slot is None \
                and pattern.pos == "VERB":
            subj = self._logical_subject(trigger)
            if not subj:
                actors, a_slot = [speaker], "speaker"
        actor_keys = {(a.code, a.start) for a in actors}
        # the same state on both sides only as distinct parts of it ("the regime" against "civilians")
        a_sectors = {a.code: a.sector for a in actors}
        recipients = [r for r in recipients if (r.code, r.start) not in actor_keys and
                      (r.code not in a_sectors or (r.sector != a_sectors[r.code] and (r.sector or a_sectors[r.code])
                                                    and pattern.event in VICTIM_TYPES | {"CONSULT", "REQUEST", "AID"}))]
        if pattern.requires_recipient and not recipients:
            return None
        # statements happen where the speaker is (rarely said); a promise's venue belongs to
        # what is promised (its named event), not to the AGREE
        place = self._place(trigger) if pattern.has_place else None
        if not recipients and pattern.event in VICTIM_TYPES and (not actors or self._human_victims(trigger)) \
                and (place is not None or pattern.pos == "VERB"):
            victim, victim_place = self._victims(trigger, place)
            if victim is not None:
                recipients = [victim]
                r_slot = "place"
                place = place or victim_place
        if place is None and pattern.event == "ASSAULT" and len(recipients) == 1 and recipients[0].kind == "state":
            # an attack on a state's people happens there
            place = self.res.country_place(recipients[0].code)
        if not actors and not (recipients and pattern.event in VICTIM_TYPES):
            return None
        if not actors and not recipients:
            return None
        event_type = pattern.event
        condition = self._unless(trigger) if pattern.event in THREAT_TYPES and aux in ("future", "hypothetical") else None
        if condition is not None:
            # "will boycott the elections unless the president steps down": a conditional threat,
            # made to the one the condition is put to
            event_type, aux = "THREATEN", None
            put_to = self.slot("subject", condition, pattern, self.speaker_at(trigger))
            if put_to:
                recipients = [r for r in put_to if r.code not in {a.code for a in actors}] or recipients
        elif aux == "future" and pattern.future:
            event_type, aux = pattern.future, None
            if event_type == "AGREE":
                place = None
        mode = list(pattern.mode)
        if pattern.symmetric:
            actors, recipients = actors + [r for r in recipients if r.code not in {a.code for a in actors}], []
            alone = len({(a.code, a.start) for a in actors}) < 2
            # talks and cooperation need two parties (an organisation may meet as one: "the Small Group meets")
            if alone and pattern.event == "COOPERATE":
                return None
            if alone and pattern.event == "CONSULT" and not any(a.kind == "organization" for a in actors):
                return None
        elif pattern.host and recipients:
            actors, recipients, hosted = self._host(actors, recipients, place)
            if not hosted:
                mode = [m for m in mode if m != "visit"]
        return {
            "type": event_type, "aux": aux, "trigger": trigger, "pattern": pattern, "actors": actors,
            "recipients": recipients, "place": place, "mode": mode, "context": list(pattern.context),
            "slots": (a_slot, r_slot),
        }

    @staticmethod
    def _unless(trigger):
        """The clause an action is made conditional on by "unless" (on the trigger or the verb
        of its infinitive chain: "will withdraw ... unless", "said it would boycott ... unless")."""
        node = trigger
        for _ in range(3):
            for c in node.children:
                if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children):
                    return c
            if node.dep_ not in ("xcomp", "conj") or node.head is node:
                return None
            node = node.head
        return None

    def _requested(self, trigger, pattern: Pattern) -> bool:
        """The content of a request or a threat: an event under "call on X to", "urge X to",
        "press X to", "threatened to expel" (the threat is the event; the act has not happened)."""
        node = trigger
        for _ in range(3):
            if node.dep_ not in ("xcomp", "ccomp", "advcl", "pcomp", "pobj", "prep", "acl") or node.head is node:
                return False
            child, node = node, node.head
            if node.lemma_.lower() in REQUEST_VERBS and node is not trigger:
                return True
            if node.lemma_.lower() in THREAT_VERBS and (child.dep_ == "xcomp" or child.dep_ == "advcl" and any(
                    c.dep_ == "aux" and c.lower_ == "to" for c in child.children)):   # "threatened on Saturday to expel"
                return True
        return False

    def _words_match(self, trigger, pattern: Pattern) -> bool:
        if not pattern.words:
            return True
        near = set()
        for c in trigger.children:
            near.add(c.lemma_.lower())
            near.add(c.lower_)
            for g in c.children:
                near.add(g.lemma_.lower())
                near.add(g.lower_)
        return all(w in near for w in pattern.words)

    def _first_slot(self, slots, trigger, pattern, speaker):
        for name in slots:
            found = self.slot(name, trigger, pattern, speaker)
            if found:
                return found, name
        return [], None

    def _host(self, actors, recipients, place):
        """# a visit: the party at home where they meet is the host (recipient); no host: all actors"""
        parties = actors + recipients
        host = None
        if place is not None:
            for p in parties:
                seat = self.res.seat(p.code)
                if p.kind != "organization" and p.code == place.country and p.kind in ("state", "person") \
                        and not self._is_org_person(p):
                    host = p
                elif seat and seat == place.name:
                    host = p
            if host is not None:
                others = [p for p in parties if p.code != host.code]
                if others:
                    return others, [host], True
        return parties, [], False

    def _is_org_person(self, p) -> bool:
        return p.kind == "person" and self.res.is_organization(p.code)

    # --- where and when -----------------------------------------------------------------------
    def _clause(self, trigger):
        """Tokens of the trigger's own clause (its subtree without embedded clauses); for a
        noun trigger, its governing verb's clause too."""
        roots = [trigger]
        gov = self._governor(trigger) if trigger.pos_ == "NOUN" else None
        if gov is not None:
            roots.append(gov)
        out, seen = [], set()
        for root in roots:
            stack = [root]
            while stack:
                t = stack.pop()
                if t.i in seen:
                    continue
                seen.add(t.i)
                out.append(t)
                stack.extend(c for c in t.children if c.dep_ not in ("ccomp", "relcl", "parataxis", "advcl")
                             or c is trigger)
        return out

    def _place(self, trigger) -> Place | None:
        """# the place where it happened: a place in the clause ("in Moscow"); several in one
        country: that country; in different countries: none"""
        found = []
        for t in self._clause(trigger):
            pm = self.res.place_at(t.i)
            if pm is None or pm in found:
                continue
            first = self.doc[pm.start]
            while first.dep_ in ("appos", "conj") and first.head is not first:
                first = first.head   # "in Jabla ... and the port city of Tartus", "Independence, Missouri"
            if self._under_topic(self.doc[pm.start], trigger):
                continue   # "talks on the situation in Aleppo": what they are about, not where
            if first.head.lower_ in ("in", "at", "near", "outside", "of"):
                found.append(pm)
        if not found:
            # "on the margins of the UNGA meeting": the place of a named event in the clause
            clause = {t.i for t in self._clause(trigger)}
            for ne in self.res.named_events:
                if ne.place is not None and any(s in clause for s, _ in ne.mentions):
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

    def _one_per_name(self, found: list) -> list:
        """# "Washington, D.C.", "Independence, Missouri": a place and its region, side by side,
        name one place: the first (the city)"""
        out = []
        for pm in found:
            if out and pm.start == out[-1].end + 1 and self.doc[out[-1].end].text == "," \
                    and pm.place.country == out[-1].place.country:
                continue
            out.append(pm)
        return out

    def _human_victims(self, trigger) -> bool:
        """Whether the act was done to people with no code of their own ("targeted families")."""
        objs = self._logical_object(trigger) + [g for c in trigger.children if c.dep_ == "prep"
                                                for g in c.children if g.dep_ == "pobj"]
        return any(o.lemma_.lower() in HUMAN_VICTIMS for o in objs)

    @staticmethod
    def _under_topic(tok, trigger) -> bool:
        node = tok
        for _ in range(8):
            if node is trigger or node.head is node:
                return False
            if node.dep_ == "prep" and node.lower_ in TOPIC_PREPS:
                return True
            node = node.head
        return False

    def _victims(self, trigger, place):
        """# victims with no code of their own take the state of the place they were hit in"""
        if place is None:
            n = self.res.sentence_of(trigger.i)
            floor = self.sents[max(0, n - 3)].start
            before = [pm for pm in self.res.places if floor <= pm.start and pm.end <= trigger.i
                      and not self.res.names_an_actor(pm.text)]
            if not before:
                return None, None
            place = before[-1].place
        if not place.country or not self.res.is_actor_code(place.country):
            return None, None
        return ActorMention.implied(place.country), place

    def _date(self, trigger, aux):
        published = self.res.published
        # a noun trigger is dated by its own words ("the attacks Aug. 7"), not by the verb
        # reporting it ("condemned the bombing ... on Thursday")
        tokens = list(trigger.subtree) if trigger.pos_ == "NOUN" else self._clause(trigger)
        for t in sorted(tokens, key=lambda t: t.i):
            if self.res.in_named_event(t.i):
                continue   # "Vzaimodeistvoye 2017" is a name, not a date
            te = self.res.time_at(t.i)
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

    # --- all events of the article ------------------------------------------------------------
    def finish(self, raw: list[dict]) -> list[Event]:
        dated = []
        for ev in raw:
            ev["date"], ev["own_date"] = self._date(ev["trigger"], ev["aux"])
            dated.append(ev)
        anchor = self._anchor(dated)
        events: list[Event] = []
        index: dict[tuple, Event] = {}
        # a mention without a date of its own is the same event as a dated mention of it
        dated_keys = {(ev["type"], frozenset(a.code for a in ev["actors"]), frozenset(r.code for r in ev["recipients"]),
                       ev["aux"]) for ev in dated if ev["own_date"]}
        dated = [ev for ev in dated if ev["own_date"] or (ev["type"], frozenset(a.code for a in ev["actors"]),
                 frozenset(r.code for r in ev["recipients"]), ev["aux"]) not in dated_keys]
        # an attack mentioned without its perpetrator is the same attack as the one with it;
        # a statement mentioned without its addressee is the same as the one with it
        def codes(parties):
            return {p.code for p in parties}

        def covered(ev) -> bool:
            for other in dated:
                if other is ev or other["type"] != ev["type"]:
                    continue
                if not ev["actors"] and other["actors"] and codes(ev["recipients"]) <= codes(other["recipients"]):
                    return True
                if not ev["recipients"] and other["recipients"] and codes(ev["actors"]) == codes(other["actors"]):
                    return True
            return False

        dated = [ev for ev in dated if not covered(ev)]
        dated = self._join_halves(dated)
        for ev in dated:
            date = ev["date"] or anchor
            aux = ev["aux"]
            if aux is None and ev["own_date"] and self.res.published and date and date[:4].isdigit() \
                    and int(date[:4]) < int(self.res.published[:4]) - 1:
                aux = "historical"
            trigger, pattern = ev["trigger"], ev["pattern"]
            actors = [self._participant(a) for a in ev["actors"]]
            recipients = [self._participant(r) for r in ev["recipients"]]
            key = (ev["type"], frozenset(p.code for p in actors), frozenset(p.code for p in recipients), date, aux)
            if key in index:
                # the same event told again: a later mention may say where it happened
                if index[key].event_loc is None and ev["place"] is not None:
                    index[key].event_loc = ev["place"]
                continue
            sent = trigger.sent
            words = [trigger] + [c for c in trigger.children if c.dep_ in ("prt", "prep", "dobj") and c.i == trigger.i + 1
                                 and (c.lower_ in pattern.words or c.lemma_ in pattern.words or c.dep_ == "prt"
                                      or c.lower_ in ("with", "for", "on", "by"))]
            start = min(w.idx for w in words)
            end = max(w.idx + len(w) for w in words)
            confidence = 0.5 + (0.2 if ev["slots"][0] not in (None, "speaker") else 0) + \
                (0.15 if ev["slots"][1] not in (None, "place") else 0) + (0.1 if pattern.words else 0)
            event = Event(
                id=f"ev{len(events) + 1}", event=ev["type"], mode=ev["mode"], context=ev["context"], aux=aux,
                actor=actors, recipient=recipients, date=date, enddate=None,
                event_loc=ev["place"], event_text=self.doc.text[start:end],
                text_info=TextInfo(sequence=self.res.sentence_of(trigger.i) + 1, start=_first_word(sent).idx, end=sent.end_char,
                                   trigger_start=start, trigger_end=end),
                confidence=round(min(confidence, 0.95), 2), pattern=pattern.name)
            if "/" in (date or ""):
                event.date, event.enddate = date.split("/", 1)
            if self.explain:
                event.explanation = [
                    f"pattern {pattern.name}: trigger {pattern.trigger!r} on {trigger.text!r} ({trigger.dep_}, {trigger.pos_})",
                    f"actor from slot {ev['slots'][0]}: {[a.text or a.code for a in ev['actors']]}",
                    f"recipient from slot {ev['slots'][1]}: {[r.text or r.code for r in ev['recipients']]}",
                    f"aux {aux}; date {date} ({'in the clause' if ev['own_date'] else 'story anchor'}); "
                    f"place {ev['place'].name if ev['place'] else None}",
                ]
            index[key] = event
            events.append(event)
        return events

    def _join_halves(self, dated: list[dict]) -> list[dict]:
        """# one attack told in two halves: "condemns the attacks ... claimed by Da'esh" (no victims)
        and "60 civilians were killed" (no perpetrator) in the same or the next sentence"""
        out = list(dated)
        for a in dated:
            if a["type"] not in VICTIM_TYPES or not a["actors"] or a["recipients"] or a not in out:
                continue
            n = self.res.sentence_of(a["trigger"].i)
            for b in dated:
                if b is a or b["type"] != a["type"] or b["actors"] or not b["recipients"] or b not in out:
                    continue
                if abs(self.res.sentence_of(b["trigger"].i) - n) <= 1:
                    b["actors"] = a["actors"]
                    b["place"] = b["place"] or a["place"]
                    out.remove(a)
                    break
        return out

    def _anchor(self, dated) -> str | None:
        """# the story's date: a dated event of the lead within a month of publication; statements
        reported with it share it. Failing that, the publication date."""
        published = self.res.published
        lead_end = self.sents[min(2, len(self.sents) - 1)].end if self.sents else 0
        for ev in sorted(dated, key=lambda e: e["trigger"].i):
            if ev["trigger"].i >= lead_end or not ev["date"] or len(ev["date"]) != 10:
                continue
            if published and _days_apart(ev["date"], published) <= 31:
                return ev["date"]
        return published

    def _participant(self, a) -> Participant:
        sector = a.sector
        return Participant(code=a.code, sector=sector, entity=a.entity, text=a.text or None)


def _first_word(sent):
    return next((t for t in sent if not t.is_space), sent[0])


def _days_apart(a: str, b: str) -> int:
    from datetime import date
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
    except ValueError:
        return 10 ** 6
