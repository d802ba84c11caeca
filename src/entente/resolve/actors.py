"""Actor mentions: states, organisations, armed groups (and the sector a following agent
word gives them: "Serbian army" -> SRB/MIL, "the Syrian opposition" -> SYR/OPP)."""
from __future__ import annotations

from dataclasses import replace

from typing import TYPE_CHECKING

from ..dictionaries import ActorRef, Dictionaries
from .context import ActorMention

if TYPE_CHECKING:
    from .known_people import KnownPeople
    from .people import PeopleWords

ACTOR_LABELS = {"GPE", "NORP", "ORG", "LOC", "FAC"}
_POSSESSIVE = {"'s", "’s", "'", "’"}


def _lookup(text: str, d: Dictionaries) -> ActorRef | None:
    text = text.strip()
    for form in (text, text[4:] if text.lower().startswith("the ") else None):
        if not form:
            continue
        for trimmed in (form, _strip_possessive(form)):
            ref = d.names.get(trimmed) or d.demonyms.get(trimmed)
            if ref:
                return ref
    return None


def _strip_possessive(text: str) -> str:
    for p in ("'s", "’s", "'", "’"):
        if text.endswith(p):
            return text[: -len(p)]
    return text


#: Prepositions that put a place where something happens or goes, not who takes part.
LOCATIVE_PREPS = frozenset({"in", "at", "to", "from", "near", "into", "across", "outside", "inside", "around",
                            "through", "throughout", "within", "toward", "towards", "via", "over", "beyond",
                            "between", "off"})


def _acts(tok) -> bool:
    """Whether a capital's name stands for its government: it is a party to a verb, not a
    place. # subject or agent: "Moscow said", "was condemned by Tehran"; # object: "accused
    Doha of", "urged Tehran to"; # a party's phrase: "talks with Beijing", "sanctions against
    Pyongyang"; # possessor: "Moscow's decision". A capital after a locative preposition ("in
    Moscow", "flew to Beijing") is a place."""
    while tok.dep_ in ("conj", "appos") and tok.head is not tok:
        tok = tok.head   # "Moscow and Beijing said"
    if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.pos_ in ("VERB", "AUX"):
        return True
    if tok.dep_ in ("dobj", "dative") and tok.head.pos_ == "VERB":
        return True
    if tok.dep_ == "poss":
        return True
    if tok.dep_ == "pobj":
        return tok.head.dep_ == "agent" or tok.head.lower_ not in LOCATIVE_PREPS
    return False


def sector_matcher_table(d: Dictionaries) -> dict[tuple[str, ...], str]:
    """Agent words as lower-case token tuples -> sector."""
    return {tuple(w.word.lower().split()): w.sector for w in d.sector_words}


def office_forms(d: Dictionaries) -> frozenset[tuple[str, ...]]:
    """Office titles as lower-case token tuples: a title after a state is a person's, not a sector."""
    return frozenset(tuple(f.lower().split()) for o in d.offices for f in (o.title, *o.aliases))


#: how many capitalised words after an honorific are a person's name ("Mr. Jordan", "Dr. Chad M. Ellis")
HONORIFIC_NAME_WORDS = 4


def person_name_tokens(doc, honorifics: frozenset[str], office_heads: frozenset[str] = frozenset()) -> set[int]:
    """# a name the text uses for a person is no state and no place: the tokens of such names.

    - after an honorific: "Mr. Jordan", "Ms. Georgia Smith";
    - a place's name right before a capitalised word that is a person's surname in the text
      (after an honorific or in a PERSON entity elsewhere: "Georgia Smith ... Ms. Smith") or
      that an office is set beside ("Chad Johnson, a defence minister,"); not after "the"
      ("the Jordan Valley")."""
    found: set[int] = set()
    for tok in doc:
        if tok.lower_ in honorifics and tok.text[:1].isupper():
            i = tok.i + 1
            while i < len(doc) and i - tok.i <= HONORIFIC_NAME_WORDS and doc[i].is_title and doc[i].pos_ == "PROPN":
                found.add(i)
                i += 1
    surnames = {t.text for t in doc if t.i in found} | {t.text for e in doc.ents if e.label_ == "PERSON" for t in e}
    for ent in doc.ents:
        if len(ent) != 1 or ent.label_ not in ("GPE", "LOC", "NORP") or ent.end >= len(doc):
            continue
        before = doc[ent.start - 1] if ent.start else None
        if before is not None and (before.pos_ == "DET" or before.tag_ == "POS"):
            continue
        nxt = doc[ent.end]
        if not (nxt.is_title and nxt.pos_ == "PROPN" and not nxt.ent_type_):
            continue
        if nxt.text in surnames or any(c.dep_ == "appos" and c.lower_ in office_heads for c in nxt.children):
            found.update((ent.start, nxt.i))
    return found


def find_actor_mentions(doc, d: Dictionaries, sectors: dict[tuple[str, ...], str],
                        offices: frozenset[tuple[str, ...]] = frozenset(), *, known: KnownPeople | None = None,
                        published: str | None = None, people_words: PeopleWords | None = None,
                        person_tokens: set[int] = frozenset()) -> list[ActorMention]:
    """Every state, organisation and group named in ``doc``, in text order. ``known``,
    ``published`` and ``people_words``: the known people, the article's date and the government
    nouns, for "the Biden administration"; ``person_tokens``: tokens of names the text uses for
    people (:func:`person_name_tokens`), which name no actor."""
    out: list[ActorMention] = []
    lowers = [t.lower_ for t in doc]   # once per document: this loop runs for every entity
    for ent in doc.ents:
        if person_tokens and any(i in person_tokens for i in range(ent.start, ent.end)) \
                and ent.label_ in ("GPE", "LOC", "NORP"):
            continue   # "Mr. Jordan", "Georgia Smith": a person's name, not the state
        if ent.ent_id_:
            kind, code = ent.ent_id_.split(":", 1)
            if kind in ("agency", "person"):
                continue
            if kind == "body":
                # a body named alone: "MONUSCO" is UN, "the Kremlin" is RUS/GOV
                body = d.bodies[int(code)]
                code = body.of[0]
                ref = d.by_code.get(code)
                if ref is None:
                    continue
                kind, sector = ref.kind, body.sector
            else:
                ref = d.by_code.get(code)
                sector = ref.sector if ref and kind == "group" else None
            if kind == "leader":
                # "the Assad regime", "Putin's government": the leader's state, that sector;
                # the leader named alone is a person (resolve/people.py)
                nxt = doc[ent.end:ent.end + 2]
                words = [t.lower_ for t in nxt if t.tag_ != "POS"]
                if not words or (words[0],) not in sectors:
                    continue
                leader = d.leader(ent.text)
                kind = ref.kind if ref else "state"
                sector = leader.sector if leader else "GOV"
        elif ent.label_ in ACTOR_LABELS:
            ref = _lookup(ent.text, d)
            if ref is None and ent.text in d.capitals and _acts(ent.root):
                # a capital used as a metonym for its government: "Moscow said", "Beirut rejected"
                ref = d.capitals[ent.text]
                kind, code, sector = "state", ref.code, "GOV"
            elif ref is None or ref.kind == "agency":
                continue
            else:
                kind, code, sector = ref.kind, ref.code, ref.sector
        else:
            continue
        start, end = ent.start, ent.end
        if start < end and doc[start].lower_ == "the":
            start += 1
        if people_words is not None and _negated(doc, start, people_words):
            continue   # "anti-NATO protests", "non-NATO states": not NATO
        bodies = d.bodies_of.get(code, {})
        # a body of the actor after its name: "the CSTO Joint Staff", "NATO's Military Committee"
        body_end = _body_after(lowers, end, bodies)
        # a body before "of [the]" and the name: "the Council of Defence Ministers of the CIS"
        body_start = _body_before(lowers, start, bodies) if body_end is None else None
        if body_end is not None:
            body = bodies[tuple(lowers[end + _possessive(doc, end):body_end])]
            end, sector = body_end, body.sector or sector
        elif body_start is not None:
            sector = bodies[_words_before(lowers, start, body_start)].sector or sector
            start = body_start
        # agent word after the name: "Serbian army", "Syrian opposition forces" (but not an
        # office: "Russian Foreign Minister Lavrov" is Lavrov's title)
        starts_office = any(tuple(lowers[end:end + n]) in offices for n in (1, 2, 3, 4))
        for n in (3, 2, 1):
            words = tuple(lowers[end:end + n])
            if body_end is None and body_start is None and not starts_office and len(words) == n and words in sectors:
                sector = sectors[words]
                end += n
                break
        else:
            # agent word before "of": "the Federal Government of Iraq", "the army of Syria"
            # (the mention takes the whole phrase)
            if body_start is None and start >= 2 and doc[start - 1].lower_ == "of":
                for n in (3, 2, 1):
                    if start - 1 - n < 0:
                        continue
                    words = tuple(lowers[start - 1 - n:start - 1])
                    if words in sectors:
                        sector = sectors[words]
                        start = start - 1 - n
                        break
        if people_words is not None:
            # a document stands for the body that adopted or issued it: "the UN resolution
            # condemned", "the CSTO statement said"
            k = end + _possessive(doc, end)
            if k < len(doc) and lowers[k] in people_words.document_nouns:
                end = k + 1
        span = doc[start:end]
        if not len(span):
            continue
        name = d.by_code[code].name if code in d.by_code else span.text
        out.append(ActorMention(code=code, kind=kind, sector=sector, start=start, end=end, text=span.text,
                                start_char=span.start_char, end_char=span.end_char, name=name, head=span.root.i))
    if known is not None and people_words is not None:
        out = sorted(out + _holder_governments(doc, d, out, known, published, people_words), key=lambda m: m.start)
    if people_words is not None:
        out = _residents(doc, out, people_words)
    return _without_nested(out)


def _residents(doc, found: list[ActorMention], words: PeopleWords) -> list[ActorMention]:
    """A people (a state's demonym in the plural) acts for the state it lives in:
    # adjective of another state: "Bosnian Serbs shelled the town" (BIH, not SRB)
    # residence: "ethnic Albanians in southern Serbia", "the Albanians of Kosovo", "Russians
    living in Latvia" (SRB, KOS, LVA); a bare "in" is a stay, not a residence: "Americans in
    Iraq" are Americans"""
    states = {i: m for m in found if m.kind == "state" for i in range(m.start, m.end)}
    out = []
    for m in found:
        tok = doc[m.start]
        if m.kind != "state" or m.sector is not None or m.end - m.start != 1 or tok.tag_ not in ("NNPS", "NNS"):
            out.append(m)
            continue
        home = None
        for c in tok.children:
            other = states.get(c.i)
            if c.dep_ in ("amod", "compound") and c.i < tok.i and other is not None and other.code != m.code:
                home = other   # "Bosnian Serbs"
        if home is None:
            ethnic = any(c.dep_ == "amod" and c.lower_ in words.ethnic_words for c in tok.children)
            preps = [(c, ethnic or c.lower_ == "of") for c in tok.children if c.dep_ == "prep"]
            preps += [(c, True) for v in tok.children if v.dep_ == "acl" and v.lemma_.lower() in words.residence_verbs
                      for c in v.children if c.dep_ == "prep"]
            for prep, resident in preps:
                if not resident or prep.lower_ not in words.residence_prepositions:
                    continue
                place = next((states[c.i] for c in prep.children if c.dep_ == "pobj" and c.i in states), None)
                if place is not None and place.code != m.code:
                    home = place
                    break
        if home is None:
            out.append(m)
        elif home.end == m.start:
            span = doc[home.start:m.end]
            out.append(replace(m, code=home.code, name=home.name, start=home.start, text=span.text,
                               start_char=span.start_char))
        else:
            out.append(replace(m, code=home.code, name=home.name))
    return out


def _without_nested(mentions: list[ActorMention]) -> list[ActorMention]:
    """A mention inside a longer one of the same actor is that one ("RATS" in "RATS of the SCO")."""
    return [m for m in mentions if not any(o is not m and o.code == m.code and o.start <= m.start and m.end <= o.end
                                           and (o.end - o.start) > (m.end - m.start) for o in mentions)]


_MAX_BODY = 8


def _possessive(doc, i: int) -> int:
    """1 when token ``i`` is a possessive ending ("NATO's"), else 0."""
    return 1 if i < len(doc) and doc[i].tag_ == "POS" else 0


def _body_after(lowers: list[str], end: int, bodies: dict) -> int | None:
    """Where a body of the actor ends when one follows its name (the longest)."""
    if not bodies:
        return None
    skip = 1 if end < len(lowers) and lowers[end] in ("'s", "’s") else 0
    for n in range(_MAX_BODY, 0, -1):
        words = tuple(lowers[end + skip:end + skip + n])
        if len(words) == n and words in bodies:
            return end + skip + n
    return None


def _words_before(lowers: list[str], start: int, body_start: int) -> tuple[str, ...]:
    of = start - 1 if lowers[start - 1] == "of" else start - 2
    return tuple(lowers[body_start:of])


def _body_before(lowers: list[str], start: int, bodies: dict) -> int | None:
    """Where a body of the actor starts when "BODY of [the] NAME" names it (the longest)."""
    if not bodies or start < 2:
        return None
    of = start - 1 if lowers[start - 1] == "of" else (start - 2 if start >= 3 and lowers[start - 1] == "the"
                                                      and lowers[start - 2] == "of" else None)
    if of is None:
        return None
    for n in range(_MAX_BODY, 0, -1):
        if of - n >= 0 and tuple(lowers[of - n:of]) in bodies:
            return of - n
    return None


def _negated(doc, start: int, words: PeopleWords) -> bool:
    """# "anti-NATO", "non-NATO": a negating prefix joined to the name"""
    return (start >= 2 and doc[start - 1].text in ("-", "‑") and not doc[start - 2].whitespace_
            and doc[start - 2].lower_ in words.negating_prefixes) or (
        start >= 1 and doc[start - 1].lower_.rstrip("-‑") in words.negating_prefixes and doc[start - 1].lower_.endswith(("-", "‑")))


def _holder_governments(doc, d: Dictionaries, found: list[ActorMention], known: KnownPeople, published: str | None,
                        words: PeopleWords) -> list[ActorMention]:
    """# a known office holder's surname before a government noun is that state's government:
    "the Biden administration", "the Netanyahu government", "Sharif's cabinet" (the holder of
    a role that day; an ambiguous surname names nobody)"""
    taken = {i for m in found for i in range(m.start, m.end)}
    out = []
    for tok in doc:
        if tok.lower_ not in words.government_nouns or tok.i == 0 or tok.i in taken:
            continue
        end = tok.i
        name_end = end - 1 if doc[end - 1].tag_ == "POS" else end
        start = name_end
        while start > 0 and doc[start - 1].text[:1].isupper() and doc[start - 1].is_alpha \
                and doc[start - 1].pos_ == "PROPN" and start - 1 not in taken and name_end - start < 3:
            start -= 1
        if start == name_end or doc[start].is_sent_start and start == name_end - 1 and doc[start].pos_ != "PROPN":
            continue
        role = known.role_of_person(doc[start:name_end].text, published)
        if role is None or role.code not in d.by_code or d.by_code[role.code].kind != "state":
            continue
        span = doc[start:end + 1]
        out.append(ActorMention(code=role.code, kind="state", sector="GOV", start=start, end=end + 1, text=span.text,
                                start_char=span.start_char, end_char=span.end_char, name=d.by_code[role.code].name,
                                head=tok.i))
        taken.update(range(start, end + 1))
    return out
