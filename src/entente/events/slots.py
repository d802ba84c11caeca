"""Slots: where, in the dependency parse, a pattern finds its actors and recipients.

A pattern names its slots in order (``actor: [subject]``, ``recipient: [with, object]``); the
coder asks each slot finder in turn and the first that names an actor wins. ``SLOT_FINDERS``
is the table of finders, name -> function; each finder's docstring names its construction
with an example sentence. A preposition is a slot too: the objects of that preposition.

Also here: the parse helpers every part of the coder uses (the logical subject and object of
a verb, the objects of a preposition, the verb a noun hangs from, a trigger's clause).
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from spacy.tokens import Token

    from ..resolve.context import ActorMention
    from .participants import Participants
    from .patterns import Pattern, TypeRules

#: the prepositions a pattern may name as a slot ("with", "against", ...)
PREPOSITIONS = frozenset({"with", "to", "against", "on", "for", "from", "into", "of", "by", "in", "at", "between",
                          "upon", "about", "near", "along", "outside", "over", "across", "inside", "toward",
                          "towards", "behind"})
#: dependencies a search under the trigger does not enter (other clauses, other participants)
SKIP_SUBTREE = frozenset({"nsubj", "nsubjpass", "agent", "aux", "auxpass", "advcl", "ccomp", "punct", "mark",
                          "relcl", "parataxis", "csubj", "neg", "cc"})


@dataclass(frozen=True)
class SlotContext:
    """What a slot finder reads besides the trigger: the participants of the article, the
    pattern being tried, its type's rules, and who speaks the sentence."""

    parts: Participants
    pattern: Pattern
    rules: TypeRules
    speaker: ActorMention | None


SlotFinder = Callable[[SlotContext, "Token"], "list[ActorMention]"]


# --------------------------------------------------------------------------------------
# Parse helpers
# --------------------------------------------------------------------------------------

def logical_subject(verb) -> list:
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


def logical_object(verb) -> list:
    """What a verb is done to: its object, or the subject of a passive ("Aleppo was struck"),
    or the noun a passive participle describes ("ten soldiers killed in the attack")."""
    out = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass", "attr", "dative")]
    if not out and verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        out = [verb.head]
    return out


def prep_objects(tok, prep: str) -> list:
    """The objects of a preposition under ``tok`` ("met with Lavrov": Lavrov)."""
    out = []
    for c in tok.children:
        if c.dep_ in ("prep", "agent", "dative") and c.lower_ == prep:
            out += [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
        # a clause introduced by the preposition: "pressed for Russia to use its influence"
        elif c.dep_ in ("advcl", "ccomp", "xcomp") and any(m.dep_ == "mark" and m.lower_ == prep for m in c.children):
            out += [g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")]
    return out


def governor(tok):
    """The verb a noun trigger hangs from ("raised concerns in a call with ..."); of a noun
    that modifies another, the verb of their phrase ("launched a mediation effort")."""
    node = tok
    if node.dep_ == "compound" and node.head.pos_ in ("NOUN", "PROPN"):
        node = node.head
    for _ in range(4):
        if node.dep_ in ("pobj", "prep", "dobj", "nsubj", "nsubjpass", "attr", "conj", "appos", "npadvmod"):
            node = node.head
            if node.pos_ in ("VERB", "AUX"):
                return node
        else:
            break
    return None


def one_of(trigger) -> bool:
    """# "Egypt is one of our major partners": the noun after "one of" heads the attribute"""
    prep = trigger.head
    return trigger.dep_ == "pobj" and prep.lower_ == "of" and prep.head.lower_ in ("one", "among") \
        and prep.head.dep_ == "attr"


def lemma_forms(tok) -> list[str]:
    """A token's lemma and the base forms its word may have, for the lemmatizer's slips
    ("staged" read as "stag": stage)."""
    return [tok.lemma_.lower(), *verb_forms(tok.lower_)]


def verb_forms(word: str) -> list[str]:
    """Base forms an inflected verb may have: "staged" -> stage, "strengthened" ->
    strengthen, "initialled" -> initial, "raids" -> raid."""
    out = []
    for suffix, repl in (("ied", "y"), ("ies", "y"), ("ed", ""), ("ed", "e"), ("d", ""), ("es", ""), ("s", ""),
                         ("ing", ""), ("ing", "e"), ("lled", "l"), ("lling", "l")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            out.append(word[: -len(suffix)] + repl)
    return out


def clause(trigger) -> list:
    """Tokens of the trigger's own clause (its subtree without embedded clauses); for a
    noun trigger, its governing verb's clause too."""
    roots = [trigger]
    gov = governor(trigger) if trigger.pos_ == "NOUN" else None
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


# --------------------------------------------------------------------------------------
# The slot finders
# --------------------------------------------------------------------------------------

def find(name: str, ctx: SlotContext, trigger) -> list:
    """The actors slot ``name`` finds for ``trigger``."""
    return SLOT_FINDERS[name](ctx, trigger)


def _subject(ctx: SlotContext, trigger) -> list:
    """# the doer: "Russia struck Aleppo", "Aleppo was struck by Russia", and the subject a
    verb inherits: "Serbia confirmed the intention to send observers" """
    out = []
    for s in logical_subject(trigger):
        out += ctx.parts.actors_of(s, ctx.speaker)
    return out


def _object(ctx: SlotContext, trigger) -> list:
    """# what it is done to: "Turkey shot down a Russian jet", the subject of a passive; a place
    done to stands for its state where the type says so: "Aleppo was struck" (SYR)"""
    out = []
    for o in logical_object(trigger):
        found = ctx.parts.actors_of(o, ctx.speaker)
        if not found and ctx.rules.place_as_target:
            found = ctx.parts.place_country(o)
        out += found
    return out


def _children(deps: frozenset[str]) -> SlotFinder:
    def finder(ctx: SlotContext, trigger) -> list:
        out = []
        for c in trigger.children:
            if c.dep_ in deps:
                out += ctx.parts.actors_of(c, ctx.speaker)
        return out
    return finder


_poss = _children(frozenset({"poss"}))
_poss.__doc__ = """# a noun trigger's possessor: "Russia's strikes", "NATO's summit" """
_own_modifier = _children(frozenset({"amod", "compound", "nmod"}))


def _modifier(ctx: SlotContext, trigger) -> list:
    """# a noun trigger's adjective or compound: "Russian strikes", "Da'esh attacks"; or the
    adjective of its compound: "Israeli tank shelling", "Russian air strikes" """
    found = _own_modifier(ctx, trigger)
    if not found:
        for c in trigger.children:
            if c.dep_ == "compound":
                found += _own_modifier(ctx, c)
    return found
_dative = _children(frozenset({"dative"}))
_dative.__doc__ = """# the indirect object: "Japan gave Kenya a loan" (Kenya)"""


def _modal_subject(ctx: SlotContext, trigger) -> list:
    """# for a modal trigger, the one the modal binds: "Russia said Sudan must return the helicopter" (Sudan)"""
    if trigger.dep_ not in ("aux", "auxpass"):
        return []
    out = []
    for s in trigger.head.children:
        if s.dep_ in ("nsubj", "nsubjpass"):
            out += ctx.parts.actors_of(s, ctx.speaker)
    return out


def _coord_poss(ctx: SlotContext, trigger) -> list:
    """# the possessor of the noun a trigger is coordinated with: "Russia's support and aid" (aid: Russia)"""
    if trigger.dep_ == "conj":
        return find("poss", ctx, trigger.head)
    return []


def _governor(ctx: SlotContext, trigger) -> list:
    """# the subject of the verb a noun trigger hangs from: "Russia launched attacks on Idlib" (Russia)"""
    gov = governor(trigger)
    return find("subject", ctx, gov) if gov is not None else []


def _governor_object(ctx: SlotContext, trigger) -> list:
    """# the object of the verb a noun trigger hangs from: "gave support to the rebels", and the
    one aided in a participle clause: "X liberated Dabiq, aided by support from Y" (aid went to X)"""
    gov = governor(trigger)
    if gov is None:
        return []
    out = []
    for o in logical_object(gov):
        if o is not trigger:
            out += ctx.parts.actors_of(o, ctx.speaker)
    if not out and gov.tag_ == "VBN" and gov.dep_ in ("advcl", "acl"):
        out = find("subject", ctx, gov.head)
    return out


def _governor_claim(ctx: SlotContext, trigger) -> list:
    """# who claimed the act: "... the bombings, for which ISIL has claimed responsibility" """
    return claimed_by(ctx, trigger)


def _light_governor(ctx: SlotContext, trigger) -> list:
    """# the subject of a verb that only carries a noun's event: "Russia launched an attack",
    "the ministry expressed concern", "Qatar's emir launched a mediation effort" (not "X
    condemned the attack": the condemner is not the attacker)"""
    gov = governor(trigger)
    head = trigger.head if trigger.dep_ == "compound" else trigger
    light = ctx.parts.grammar.light_verbs
    if gov is None or head.dep_ not in ("dobj", "nsubjpass") or not any(f in light for f in lemma_forms(gov)):
        return []
    return find("subject", ctx, gov)


def _alleged_doer(ctx: SlotContext, trigger) -> list:
    """# the one an allegation blames: the doer of the conflictual act it reports: "the US
    claimed that ISIL had attacked Iraq" (ISIL)"""
    out = []
    for c in trigger.children:
        if c.dep_ in ("ccomp", "xcomp") and ctx.parts.names_conflict_verb(c):
            for s in logical_subject(c):
                out += ctx.parts.actors_of(s, ctx.speaker)
    return out


def _into_doer(ctx: SlotContext, trigger) -> list:
    """# what an inquiry looks into, or the doer of the deeds it looks into: "an investigation
    into Russia's role", "an investigation into crimes committed by Croat forces" (HRV)"""
    out = []
    for o in prep_objects(trigger, "into"):
        out += ctx.parts.actors_of(o, ctx.speaker)
        if not out and ctx.parts.is_act_of_doer(o):
            out += perpetrator(ctx, o)
    return out


def _speaker(ctx: SlotContext, trigger) -> list:
    """# who says the sentence: "X said", a quote continued, a statement's publisher"""
    return [ctx.speaker] if ctx.speaker is not None else []


def _attr_subject(ctx: SlotContext, trigger) -> list:
    """# the subject of a copula whose attribute is the trigger: "Serbia is our partner" (Serbia),
    "Russia was responsible for the attack" (Russia)"""
    g = ctx.parts.grammar
    if one_of(trigger):
        trigger = trigger.head.head   # "one" of "one of the partners"
    # an adjective after the copula too: "Russia was responsible for the attack" (Russia)
    if trigger.dep_ in ("attr", "conj") and trigger.head.lemma_ in g.attribute_copulas or trigger.dep_ in ("attr", "acomp"):
        verb = trigger.head
        out = []
        for s in verb.children:
            if s.dep_ == "nsubj":
                out += ctx.parts.actors_of(s, ctx.speaker)
        return out
    return []


def _object_tree(ctx: SlotContext, trigger) -> list:
    """# the first actor under the trigger's object side, breadth first: "welcomed the steps
    taken by Abadi" (Abadi); when the object is a violent act ("condemns the attacks ..."),
    only its perpetrator counts: the victims are not the ones condemned"""
    g = ctx.parts.grammar
    skip = SKIP_SUBTREE - {"relcl", "ccomp"}
    deep_skip = skip - {"agent", "nsubj", "nsubjpass"}   # under the object: "steps taken by Abadi", "that Syrians put aside"
    objects = logical_object(trigger)
    for obj in objects + [o for c in trigger.children if c.dep_ == "prep"
                          and c.lower_ in g.condemned_act_prepositions for o in c.children if o.dep_ == "pobj"]:
        if ctx.parts.is_act_of_doer(obj):
            # "condemned the detention of the mayor by Venezuelan security forces": who did it
            doers = perpetrator(ctx, obj)
            if doers or any(obj.i == o.i for o in objects):
                return doers
            # the act after a preposition names no doer: the party condemned is the object
            # ("condemned Israel over the raid")
    queue = deque((c, 1) for c in trigger.children if c.dep_ not in skip)
    while queue:
        tok, depth = queue.popleft()
        if tok.dep_ == "prep" and tok.lower_ in g.locative_prepositions:
            continue   # "a ceasefire in Eastern Ukraine": a place, not the addressee
        found = ctx.parts.actors_of(tok, ctx.speaker)
        if found:
            return found
        if depth < 5:
            queue.extend((c, depth + 1) for c in tok.children if c.dep_ not in deep_skip)
    return []


def _place(ctx: SlotContext, trigger) -> list:
    """# the country of a place the trigger goes to or is in: "travelled to Paris" (FRA),
    "arrived in Minsk", "visited Minsk" (BLR)"""
    out = []
    for prep in ctx.parts.grammar.place_prepositions:
        for o in prep_objects(trigger, prep):
            out += ctx.parts.place_country(o)
    for o in logical_object(trigger):
        out += ctx.parts.place_country(o)
    return out


def _preposition(prep: str) -> SlotFinder:
    def finder(ctx: SlotContext, trigger) -> list:
        pattern, g = ctx.pattern, ctx.parts.grammar
        out = []
        targets = prep_objects(trigger, prep)
        if not targets and pattern.words:
            # on a word of the trigger: "impose new sanctions on Iran"
            for c in trigger.children:
                if c.lemma_.lower() in pattern.words or c.lower_ in pattern.words:
                    targets += prep_objects(c, prep)
        if not targets and pattern.requires_object:
            # on the object the pattern requires: "established ties with Iran", "lifted the ban on X"
            for o in logical_object(trigger):
                if o.lemma_.lower() in pattern.requires_object or o.lower_ in pattern.requires_object:
                    targets += prep_objects(o, prep)
        if not targets and prep in g.object_phrase_prepositions and trigger.pos_ == "VERB":
            # on the verb's object: "sought a prompt reply from the Indian authorities"
            for o in logical_object(trigger):
                if o.dep_ == "dobj":
                    targets += prep_objects(o, prep)
        if not targets and trigger.pos_ == "NOUN":
            # "raised concerns in a call with X", "inflicting the bombardment on Aleppo"
            gov = governor(trigger)
            if gov is not None:
                targets = prep_objects(gov, prep)
        if not targets and prep == "with":
            # "lead a delegation to Berlin for a meeting with X"
            for via in g.via_prepositions:
                for o in prep_objects(trigger, via):
                    targets += prep_objects(o, prep)
        for o in targets:
            found = ctx.parts.actors_of(o, ctx.speaker)
            if not found and ctx.rules.place_as_target and (prep in g.target_prepositions or
                                                             ctx.rules.departure and prep == "from"):
                found = ctx.parts.place_country(o)   # "sanctions on Crimea", "withdrew from Kherson"
            out += found
            if o.dep_ == "pcomp":
                for t in o.subtree:
                    out += ctx.parts.actors_of(t, ctx.speaker)
                    if out:
                        break
        return out
    finder.__doc__ = f"""# the objects of "{prep}": "met with Lavrov", "sanctions against Iran" (also on a word
    of the trigger, on the object it requires, on a noun trigger's verb)"""
    return finder


def perpetrator(ctx: SlotContext, act) -> list:
    """# who did a violent act: "Russia's strikes", "Russian strikes", "attacks by X",
    "attacks ... for which Da'esh has claimed responsibility" """
    for c in act.children:
        if c.dep_ in ("poss", "compound", "amod", "nmod"):
            found = ctx.parts.actors_of(c, ctx.speaker)
            if found:
                return found
    for o in prep_objects(act, "by"):
        found = ctx.parts.actors_of(o, ctx.speaker)
        if found:
            return found
    for c in act.children:
        # "crimes committed by Croat forces", "attacks carried out by the group"
        if c.dep_ == "acl" and c.tag_ == "VBN":
            for o in prep_objects(c, "by"):
                found = ctx.parts.actors_of(o, ctx.speaker)
                if found:
                    return found
    return claimed_by(ctx, act)


def claimed_by(ctx: SlotContext, act) -> list:
    """# "... attacks ..., for which Da'esh has claimed responsibility": the claimer, anywhere in
    the sentence; "the attacks that ISIL carried out": the subject of the relative clause"""
    g = ctx.parts.grammar
    for c in act.sent:
        if c.lemma_ in g.claim_verbs and any(o.lemma_ in g.claim_objects for o in c.children):
            for s in c.children:
                if s.dep_ == "nsubj":
                    found = ctx.parts.actors_of(s, ctx.speaker)
                    if found:
                        return found
    for c in act.subtree:
        if c.dep_ == "relcl" and c.lemma_ in g.perpetration_verbs:
            for s in c.children:
                if s.dep_ == "nsubj":
                    return ctx.parts.actors_of(s, ctx.speaker)
    return []


#: slot name -> finder: the slots a pattern file may name
SLOT_FINDERS: dict[str, SlotFinder] = {
    "subject": _subject,
    "object": _object,
    "poss": _poss,
    "modifier": _modifier,
    "dative": _dative,
    "modal_subject": _modal_subject,
    "coord_poss": _coord_poss,
    "governor": _governor,
    "governor_object": _governor_object,
    "governor_claim": _governor_claim,
    "speaker": _speaker,
    "attr_subject": _attr_subject,
    "object_tree": _object_tree,
    "place": _place,
    "light_governor": _light_governor,
    "alleged_doer": _alleged_doer,
    "into_doer": _into_doer,
    **{prep: _preposition(prep) for prep in sorted(PREPOSITIONS)},
}
SLOT_NAMES = frozenset(SLOT_FINDERS)
