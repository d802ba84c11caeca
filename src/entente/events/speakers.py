"""Who speaks each sentence of an article: the statement's author for the coder's ``speaker``
slot and for first person ("we", "our")."""
from __future__ import annotations

from ..resolve.context import ActorMention
from .participants import Participants
from .slots import logical_subject


def speakers(parts: Participants) -> list[ActorMention | None]:
    """# reported speech: "X said", a quote continued over sentences ("... ," Lavrov said. "We
    ..."), "X said:" before a statement; before anyone speaks, the publisher (a ministry's
    own release). One speaker per sentence, in order."""
    res, speech_verbs = parts.res, parts.grammar.speech_verbs
    out: list[ActorMention | None] = []
    current = res.publisher
    for sent in res.sentences:
        speaker = None
        for tok in sent:
            if tok.lemma_.lower() in speech_verbs and tok.pos_ in ("VERB", "AUX"):
                found = []
                for s in logical_subject(tok):
                    found += parts.actors_of(s, None)
                if found:
                    speaker = found[0]
                    break
        if speaker is not None:
            current = speaker
        out.append(current if speaker is None else speaker)
    return out
