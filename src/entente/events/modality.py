"""Modality of an event's trigger: happened (None), future, hypothetical, negation.

Read from the trigger's own auxiliaries and negation, and from the verbs and nouns that
govern it through an infinitive or a clause ("plans to send", "the intention to send",
"agreed to step up").
"""
from __future__ import annotations

FUTURE_AUX = {"will", "shall", "'ll", "wo"}
HYPOTHETICAL_AUX = {"would", "could", "might", "may", "should", "must"}  # "Kyiv must withdraw": not done
INTENTION = {"plan", "intend", "intention", "expect", "decide", "aim", "prepare", "schedule", "want", "hope",
             "agree", "pledge", "promise", "vow", "seek", "set", "propose", "plan", "readiness", "ready",
             "willingness", "commit", "undertake", "offer", "going"}
UPCOMING = {"forthcoming", "upcoming", "planned", "future", "next", "scheduled"}
CLIMB = {"xcomp", "acl", "ccomp", "conj", "advcl", "pcomp", "pobj", "prep", "dobj"}


def modality(trigger) -> str | None:
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
    for tok in own:
        for child in tok.children:
            if child.dep_ == "neg":
                return "negation"
    for tok in chain:
        for child in tok.children:
            if child.dep_ in ("aux", "auxpass"):
                word = child.lower_
                if word == "must" and _first_person_subject(tok):
                    continue   # "we must act by cutting off its finance": the speakers' own course
                if word in HYPOTHETICAL_AUX:
                    return "hypothetical"
                if word in FUTURE_AUX:
                    return "future"
            if child.dep_ == "mark" and child.lower_ in ("if", "unless"):
                return "hypothetical"
            if child.dep_ == "amod" and child.lower_ in UPCOMING:
                return "future"
        if tok is not trigger and tok.lemma_.lower() in INTENTION:
            return "future"
    if trigger.pos_ == "NOUN":
        for child in trigger.children:
            if child.dep_ == "amod" and child.lower_ in UPCOMING:
                return "future"
    return None


def _first_person_subject(verb) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("we", "i") for c in verb.children)
