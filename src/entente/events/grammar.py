"""The coder's grammar words (data/grammar.yaml), validated on load.

Each field is one word family a construction of the coder tests for; data/grammar.yaml says,
for each, the construction and an example. Sets are compared by membership; the lists marked
*in order* are tried in their order.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from ..dictionaries import load_yaml

#: the grammar word file of a data folder
GRAMMAR_FILE = "grammar.yaml"

Words = frozenset[str]


class Grammar(BaseModel):
    """The word lists of grammar.yaml (every key required, no other key allowed)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # who a noun phrase names
    person_pronouns: Words
    first_person: Words
    actor_pronouns: Words
    relative_pronouns: Words
    anaphoric_government: Words
    anaphoric_determiners: Words
    group_nouns: Words
    people_nouns: Words
    descriptive_prepositions: Words
    descriptive_state_nouns: Words
    descriptive_organization_nouns: Words
    descriptive_party_nouns: Words
    descriptive_determiners: Words
    descriptive_person_nouns: Words
    number_words: dict[str, int]
    listing_prepositions: Words
    # who speaks
    speech_verbs: Words
    # slots
    violent_acts: Words
    claim_verbs: Words
    claim_objects: Words
    perpetration_verbs: Words
    locative_prepositions: Words
    copula_verbs: Words
    attribute_copulas: Words
    place_prepositions: tuple[str, ...]     # in order
    via_prepositions: tuple[str, ...]       # in order
    target_prepositions: Words
    event_place_prepositions: Words
    topic_prepositions: Words
    human_victims: Words
    trigger_particles: Words
    light_verbs: Words
    wrongdoing_nouns: Words
    condemned_act_prepositions: Words
    object_phrase_prepositions: Words
    unreported_objects: Words
    aspectual_verbs: Words
    embedded_recipient_prepositions: tuple[str, ...]   # in order
    # modality
    future_aux: Words
    hypothetical_aux: Words
    own_course_aux: Words
    first_person_subjects: Words
    condition_marks: Words
    intention_words: Words
    upcoming_words: Words
    request_verbs: Words
    threat_verbs: Words
    infinitive_marks: Words
    threat_condition_marks: Words
    refusal_verbs: Words
    commitment_verbs: Words
    accusation_verbs: Words
    allegation_verbs: Words
    object_control_verbs: Words
    reporting_verbs: Words
    refusing_aux: Words
    negative_correlatives: Words
    negation_carrying_cc: Words


def load_grammar(path: Path) -> Grammar:
    """Read and validate a grammar.yaml; a DictionaryError names the file and every bad key."""
    return load_yaml(path, Grammar)
