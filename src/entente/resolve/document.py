"""Who, when and where in one parsed article: the entities of the record."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..dictionaries import Dictionaries
from ..record import Entity, Mention


@dataclass
class Resolved:
    entities: list[Entity] = field(default_factory=list)


def resolve_document(doc, dateline, d: Dictionaries) -> Resolved:
    out = Resolved()
    by_key: dict[str, Entity] = {}
    for ent in doc.ents:
        if not ent.ent_id_:
            continue
        kind, code = ent.ent_id_.split(":", 1)
        e = by_key.get(ent.ent_id_)
        if e is None:
            ref = d.by_code.get(code)
            e = Entity(id=f"e{len(by_key) + 1}", kind=kind if kind != "agency" else "organization",
                       name=ref.name if ref else code, code=code)
            by_key[ent.ent_id_] = e
        e.mentions.append(Mention(start=ent.start_char, end=ent.end_char, text=ent.text))
    out.entities = list(by_key.values())
    return out
