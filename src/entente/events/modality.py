"""Modality of an event's trigger: happened (None), future, hypothetical, negation; and the
acts that are only asked for, threatened, or made conditional.

Read from the trigger's own auxiliaries and negation, and from the verbs and nouns that
govern it through an infinitive or a clause ("plans to send", "the intention to send",
"agreed to step up"). The words come from data/grammar.yaml.
"""
from __future__ import annotations

from .grammar import Grammar

#: dependencies climbed from a trigger to the verbs and nouns that govern it
CLIMB = frozenset({"xcomp", "acl", "ccomp", "conj", "advcl", "pcomp", "pobj", "prep", "dobj"})


def modality(trigger, g: Grammar) -> str | None:
    """'negation', 'hypothetical', 'future' or None for the event a trigger token expresses."""
    chain = [trigger]
    node = trigger
    # the governing verbs of an infinitive or participle chain: "confirmed the intention to send"
    while node.dep_ in CLIMB and node.head is not node and len(chain) < 5:
        if node.dep_ in ("ccomp", "advcl") and len(chain) > 1:
            break
        node = node.head
        chain.append(node)
        if node.pos_ == "VERB" and node.dep_ not in ("xcomp", "conj"):
            break
    # negation on the trigger, or on the verb a noun trigger or infinitive depends on
    # ("did not impose sanctions", "will not agree to meet")
    own = [trigger] + ([trigger.head] if trigger.dep_ in ("xcomp", "dobj", "nsubjpass") else [])
    # a second conjunct shares its first's negation across "or"/"nor": "did not confirm or deny"
    if trigger.dep_ == "conj" and any(c.dep_ == "cc" and c.lower_ in g.negation_carrying_cc for c in trigger.head.children):
        own.append(trigger.head)
    for tok in own:
        for child in tok.children:
            if child.dep_ == "neg":
                return "negation"
            # subjects paired by a negative correlative: "Neither Russia nor China condemned the attack"
            if child.dep_ in ("nsubj", "nsubjpass") and any(
                    c.dep_ in ("preconj", "det") and c.lower_ in g.negative_correlatives for c in child.children):
                return "negation"
    for tok in chain:
        for child in tok.children:
            if child.dep_ in ("aux", "auxpass"):
                word = child.lower_
                if word in g.own_course_aux and _first_person_subject(tok, g):
                    continue   # "we must act by cutting off its finance": the speakers' own course
                if word == "would" and _reported(tok, g):
                    return "future"         # "the AU said Guinea would send a battalion": a report's future
                if word in g.hypothetical_aux:
                    return "hypothetical"   # "Russia could join", "Kyiv must withdraw": not done
                if word in g.future_aux:
                    return "future"         # "Serbia will send observers"
            if child.dep_ == "mark" and child.lower_ in g.condition_marks:
                return "hypothetical"       # "if Russia attacks"
            if child.dep_ == "amod" and child.lower_ in g.upcoming_words:
                return "future"             # "the forthcoming exercise"
        if tok is not trigger and tok.lemma_.lower() in g.intention_words:
            return "future"                 # "plans to send", "the intention to send"
    if trigger.pos_ == "NOUN":
        for child in trigger.children:
            if child.dep_ == "amod" and child.lower_ in g.upcoming_words:
                return "future"
    return None


def _reported(verb, g: Grammar) -> bool:
    """Whether a clause is the content of a report ("X said that Y would ..."), with no
    condition of its own ("would ... if ...")."""
    if any(c.dep_ == "advcl" and any(m.lower_ in g.condition_marks for m in c.children) for c in verb.children):
        return False
    return verb.dep_ == "ccomp" and verb.head.lemma_.lower() in g.reporting_verbs


def negated_intention(trigger, g: Grammar) -> bool:
    """# a refusal stated as a negated future: "said he would not provide support", "will not
    accept refugees", "cannot allow": the verb (or the verb its infinitive hangs from) has
    both a negation and a future or ability auxiliary"""
    for tok in (trigger, trigger.head if trigger.dep_ == "xcomp" else None):
        if tok is None:
            continue
        deps = {(c.dep_, c.lower_) for c in tok.children}
        if any(d == "neg" for d, _ in deps) and any(d == "aux" and w in g.refusing_aux for d, w in deps):
            return True
    return False


def _first_person_subject(verb, g: Grammar) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in g.first_person_subjects for c in verb.children)


def requested(trigger, g: Grammar) -> bool:
    """The content of a request, a threat or a refusal: an event under "call on X to", "urge X
    to", "press X to", "threatened to expel", "refused to deploy" (the request, threat or
    refusal is the event; the act has not happened)."""
    node = trigger
    for step in range(3):
        # a later conjunct of a complement is governed as its first is: "refused to confirm or
        # deny", "urged Moscow to withdraw and negotiate" (not a "with" clause's: "with Chile
        # pushing for aid and accusing Israel")
        while node.dep_ == "conj" and node.pos_ in ("VERB", "AUX"):
            first = node.head
            if first.pos_ in ("NOUN", "PROPN") and first.dep_ == "dobj":
                first = first.head   # a verb the parser hung on the object before it: "to lay down their arms and resume talks"
            if first.pos_ not in ("VERB", "AUX") or first.dep_ not in ("xcomp", "ccomp"):
                break
            node = first
        # a noun is the act its verb names: "threatened to carry out attacks", "demanded the release"
        objects = ("dobj",) if step == 0 and trigger.pos_ == "NOUN" else ()
        if node.dep_ not in ("xcomp", "ccomp", "advcl", "pcomp", "pobj", "prep", "acl", *objects) or node.head is node:
            return False
        child, node = node, node.head
        lemma = node.lemma_.lower()
        if lemma in g.object_control_verbs and node is not trigger and child.dep_ == "xcomp" \
                and not any(c.dep_ == "dobj" for c in node.children) and not any(c.dep_ == "nsubj" for c in child.children):
            return False   # "Obama wants to attack": an intention, coded with its modality
        if lemma in g.request_verbs and node is not trigger:
            return True
        if lemma in g.refusal_verbs and node is not trigger and child.dep_ in ("xcomp", "pcomp", "pobj"):
            return True    # "refused to deploy troops": the REJECT is the event, not the deployment
        if lemma in g.accusation_verbs and node is not trigger and child.dep_ == "pcomp":
            return True    # "accused Armenia of shelling its positions": the accusation is the event
        if lemma in g.allegation_verbs and node is not trigger and child.dep_ == "ccomp":
            return True    # "alleged that Russian forces had shelled the plant": the allegation is the event
        if node.lemma_.lower() in g.threat_verbs and (child.dep_ == "xcomp" or child.dep_ == "advcl" and any(
                c.dep_ == "aux" and c.lower_ in g.infinitive_marks for c in child.children)):   # "threatened on Saturday to expel"
            return True
    return False


def committed(trigger, g: Grammar) -> bool:
    """# an act pledged or agreed to: "Qatar pledged to expel the leaders", "agreed to impose
    sanctions" (the act's infinitive under a commitment verb, through up to two verbs)"""
    node = trigger
    for _ in range(2):
        if node.dep_ != "xcomp" or node.head.i == node.i:
            return False
        node = node.head
        if node.lemma_.lower() in g.commitment_verbs:
            return True
    return False


def left_open(trigger, g: Grammar) -> bool:
    """# a position declined with a negative correlative: "has neither confirmed nor denied the
    strike", "neither accepted nor rejected the offer": the verbs it pairs state no act (the
    party declines to say), so neither is coded, not even as negated"""
    first = trigger.head if trigger.dep_ == "conj" else trigger
    return any(c.dep_ == "preconj" and c.lower_ in g.negative_correlatives for c in first.children)


def unless_clause(trigger, g: Grammar):
    """The clause an action is made conditional on by "unless" (on the trigger or the verb
    of its infinitive chain: "will withdraw ... unless", "said it would boycott ... unless")."""
    node = trigger
    for _ in range(3):
        for c in node.children:
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in g.threat_condition_marks for m in c.children):
                return c
        if node.dep_ not in ("xcomp", "conj") or node.head is node:
            return None
        node = node.head
    return None


def condition_below(trigger, g: Grammar):
    """The condition a threatened act is put on, down the threat's infinitive chain: "threatened
    to stop the talks if the United States deploys", "threatened to strike unless Baghdad accepts"."""
    node = trigger
    for _ in range(3):
        for c in node.children:
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in g.condition_marks for m in c.children):
                return c
        below = _acts_below(node, g)
        if not below:
            return None
        node = below[0]
    return None


def _acts_below(node, g: Grammar) -> list:
    """The infinitives and clauses a verb governs, "threatened on Sunday to close" (read as an
    adverbial clause after a modifier) among them."""
    return [c for c in node.children if c.pos_ in ("VERB", "AUX") and (
        c.dep_ in ("xcomp", "ccomp") or
        c.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ in g.infinitive_marks for a in c.children))]


def embedded_act(trigger, g: Grammar):
    """The act a verb of intention, threat or promise names: its infinitive or clause
    ("threatened to resume attacks", "warned that it would strike")."""
    below = _acts_below(trigger, g)
    return below[0] if below else None
