"""Named events: exercises, summits, forums, meetings and operations that the text names,
with organiser, place, dates, participants and observers where the text says so.

Constructions read:

- a head word after its name: "the CSTO international youth forum", "the UNGA meeting",
  "the Paris meeting on Syria", "the Zapad 2017 exercise";
- a head word before its name: "the exercise Nerushimoye Bratstvo 2017 [Unbreakable
  Brotherhood]" (the bracketed English name is an alias), "Operation Inherent Resolve";
- "meeting of the Small Group", "gathering of the Syrian opposition".

Organiser: an actor in the name ("CSTO ... forum"), a by-phrase of convene/organise/host,
"under the CSTO aegis". Place and date: a place and time inside the mention's clause
(including its relative clause, "which will take place ... in Belgrade on 18-21 October"),
or a later sentence whose subject refers back to the events ("The two wargames will take
place in Armenia and Kazakhstan in October": respectively, in order). Observers: the actor
who sends observers to them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from ..dictionaries import load_yaml
from ..record import Place
from .context import DocMentions, NamedEvent

#: the word file of named events in a data folder
WORDS_FILE = "named_events.yaml"
_YEAR = re.compile(r"^(19|20)\d\d$")
_BRACKETS = {"[": "]", "(": ")"}
_STOP_NAME = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "our", "his", "her",
              "forthcoming", "upcoming", "last", "next", "first", "recent", "annual", "latest"}


@dataclass
class _Draft:
    """A named event while its attributes are being read (then frozen as a NamedEvent)."""

    name: str
    kind: str
    head: int                       # token index of the head word
    mentions: list[tuple[int, int]] = field(default_factory=list)
    organizer: str | None = None
    place: Place | None = None
    date: str | None = None
    participants: list[str] = field(default_factory=list)
    observers: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)

    def frozen(self) -> NamedEvent:
        return NamedEvent(name=self.name, kind=self.kind, head=self.head, mentions=tuple(self.mentions),
                          organizer=self.organizer, place=self.place, date=self.date,
                          participants=tuple(sorted(set(self.participants))),
                          observers=tuple(sorted(set(self.observers))), aliases=tuple(self.aliases))


class NamedEventWords(BaseModel):
    """The words of named_events.yaml (see the file for what each list does)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    heads: dict[str, str]
    organizer_verbs: frozenset[str]
    organizer_nouns: frozenset[str]
    observer_nouns: frozenset[str]
    participant_verbs: frozenset[str]
    participant_phrases: tuple[str, ...]


def load_named_event_words(path: Path) -> NamedEventWords:
    """Read and validate a named_events.yaml."""
    return load_yaml(path, NamedEventWords)


def _is_name_token(tok) -> bool:
    return (tok.text[:1].isupper() and tok.is_alpha and tok.lower_ not in _STOP_NAME) or bool(_YEAR.match(tok.text)) \
        or (tok.text[:1].isupper() and "-" in tok.text)


def find_named_events(doc, res: DocMentions, vocab: NamedEventWords) -> list[NamedEvent]:
    """Named events of one article, with their attributes filled from the text (``res``: the
    article's actors, places and times)."""
    heads = vocab.heads
    found: list[_Draft] = []
    taken: set[int] = set()
    for tok in doc:
        kind = heads.get(tok.lower_)
        if kind is None or tok.pos_ not in ("NOUN", "PROPN") or tok.i in taken:
            continue
        ne = _name_after(doc, tok, kind, res) or _name_before(doc, tok, kind, res)
        if ne is None:
            continue
        s, e = ne.mentions[0]
        if any(i in taken for i in range(s, e)):
            continue
        taken.update(range(s, e))
        found.append(ne)
    found = _merge_same(found)
    in_names = {i for ne in found for s, e in ne.mentions for i in range(s, e)}
    for ne in found:
        _fill_from_clause(doc, ne, res, vocab, in_names)
    _share_in_coordination(doc, found, res)
    _respectively(doc, found, res, heads)
    _observers_and_participants(doc, found, res, vocab)
    return [ne.frozen() for ne in found]


def _not_an_actor(res, i: int) -> bool:
    """Exercise names are often misread as people by the NER: those tokens may be a name."""
    m = res.actor_at(i)
    return m is None or m.kind == "person"


def _name_after(doc, head, kind, res) -> _Draft | None:
    """# head word before its name: "the exercise Nerushimoye Bratstvo 2017 [Unbreakable Brotherhood]" """
    i = head.i + 1
    while i < len(doc) and _is_name_token(doc[i]) and _not_an_actor(res, i) and res.time_at(i) is None:
        i += 1
    # a year right after the name belongs to it ("Vzaimodeistvoye 2017")
    while i < len(doc) and _YEAR.match(doc[i].text) and i > head.i + 1:
        i += 1
    if i == head.i + 1 or all(_YEAR.match(t.text) for t in doc[head.i + 1:i]):
        return None
    name_tokens = doc[head.i + 1:i]
    aliases = []
    end = i
    if i < len(doc) and doc[i].text in _BRACKETS:
        close = _BRACKETS[doc[i].text]
        j = i + 1
        while j < len(doc) and j < i + 8 and doc[j].text != close:
            j += 1
        if j < len(doc) and doc[j].text == close and j > i + 1:
            aliases.append(doc[i + 1:j].text)
            end = j + 1
    # "Operation Inherent Resolve", "Exercise Cobra Gold": a capitalised head is part of the name
    name = name_tokens.text if not head.text[:1].isupper() else doc[head.i:i].text
    ne = _Draft(name=name, kind=kind, head=head.i, mentions=[(head.i, end)], aliases=aliases)
    _organizer_in_premodifiers(doc, ne, head, res)
    return ne


def _name_before(doc, head, kind, res) -> _Draft | None:
    """# head word after its name: "the CSTO international youth forum", "the Paris meeting on Syria" """
    start = head.i
    has_proper = False
    while start > 0:
        prev = doc[start - 1]
        if prev.lower_ in _STOP_NAME or prev.is_punct or prev.pos_ in ("DET", "VERB", "AUX", "ADP", "PRON", "CCONJ", "NUM") \
                and not _YEAR.match(prev.text):
            break
        if res.time_at(prev.i) is not None and not _YEAR.match(prev.text):
            break
        if prev.pos_ not in ("PROPN", "NOUN", "ADJ") and not _YEAR.match(prev.text):
            break
        if prev.pos_ == "PROPN" or res.actor_at(prev.i) is not None:
            has_proper = True
        start -= 1
    end = head.i + 1
    # "meeting of the Small Group", "gathering of the Syrian opposition", "meeting on Syria"
    if end + 1 < len(doc) and doc[end].lower_ in ("of", "on") and not has_proper:
        j = end + 1
        if doc[j].lower_ == "the":
            j += 1
        k = j
        while k < len(doc) and (doc[k].pos_ in ("PROPN", "ADJ") or res.actor_at(k) is not None) and doc[k].text[:1].isupper() \
                and res.time_at(k) is None:   # "a meeting on November 17": a date, not a name
            k += 1
        if k < len(doc) and doc[k].pos_ == "NOUN" and k > j:
            k += 1   # "the Syrian opposition"
        if k > j:
            has_proper = True
            end = k
    elif has_proper and end + 1 < len(doc) and doc[end].lower_ == "on" and doc[end + 1].pos_ == "PROPN" \
            and res.time_at(end + 1) is None:
        end += 2   # "the Paris meeting on Syria"
    if not has_proper:
        return None
    # a plural head with only an actor before it is a description, not a name ("CSTO wargames")
    if head.tag_ in ("NNS", "NNPS") and end == head.i + 1 and all(res.actor_at(t.i) is not None for t in doc[start:head.i]):
        return None
    span = doc[start:end]
    # a bare actor name before a generic head is still a name ("UNGA meeting"); a bare
    # person's name is not ("Johnson meeting")
    if all(res.actor_at(t.i) is not None and res.actor_at(t.i).kind == "person" for t in doc[start:head.i]) and start < head.i:
        return None
    ne = _Draft(name=span.text, kind=kind, head=head.i, mentions=[(start, end)])
    _organizer_in_premodifiers(doc, ne, head, res)
    if ne.organizer is None:
        for t in doc[head.i + 1:end]:
            m = res.actor_at(t.i)
            if m is not None and m.kind in ("organization", "group") and doc[head.i + 1].lower_ == "of":
                ne.organizer = m.code
                break
    return ne


def _organizer_in_premodifiers(doc, ne, head, res) -> None:
    """# an organisation in the name organises it: "CSTO army exercise", "UNGA meeting" """
    start = ne.mentions[0][0]
    lo = start
    # look back over the premodifiers of the head too ("the forthcoming CSTO army exercise X")
    while lo > 0 and doc[lo - 1].lower_ not in ("the", "a", "an", ",", "and") and head.i - lo < 6 \
            and doc[lo - 1].pos_ in ("PROPN", "NOUN", "ADJ"):
        lo -= 1
    for t in doc[lo:head.i]:
        m = res.actor_at(t.i)
        if m is not None and m.kind in ("organization", "group", "state") and t.pos_ != "ADJ":
            if m.kind == "state" and res.place_at(t.i) is not None and ne.kind in ("meeting", "conference", "summit", "talks"):
                continue   # "the Paris meeting": a place, not an organiser
            ne.organizer = m.code
            return
        if m is not None and m.kind == "organization":
            ne.organizer = m.code
            return


def _merge_same(found: list[_Draft]) -> list[_Draft]:
    """A later, shorter mention of the same event is the same event ("CSTO youth forum")."""
    out: list[_Draft] = []
    for ne in found:
        key = ne.name.casefold()
        words = set(key.split())
        same = next((o for o in out if o.name.casefold() == key or key in {a.casefold() for a in o.aliases}
                     or (o.kind == ne.kind and len(words) > 1 and words <= set(o.name.casefold().split()))), None)
        if same is None:
            out.append(ne)
        else:
            same.mentions.extend(ne.mentions)
            same.organizer = same.organizer or ne.organizer
    return out


def _share_in_coordination(doc, found, res) -> None:
    """# "the CSTO army exercise A ... and the exercise B": B shares A's organiser; failing that,
    an organisation whose forces the clause names ("which will involve the CSTO peacemaking forces")"""
    for ne in found:
        if ne.organizer:
            continue
        sent = doc[ne.head].sent
        sibling = next((o for o in found if o is not ne and o.kind == ne.kind and o.organizer
                        and sent.start <= o.head < sent.end), None)
        if sibling is not None:
            ne.organizer = sibling.organizer
            continue
        for t in _clause_tokens(doc, ne):
            m = res.actor_at(t.i)
            if m is not None and m.kind == "organization":
                ne.organizer = m.code
                break


def _clause_tokens(doc, ne):
    """Tokens of the named event's own clause: the mention's subtree (relative clauses
    included), or the whole sentence when the mention is the subject of its verb."""
    head = doc[ne.head]
    top = head
    while top.dep_ in ("appos", "compound", "conj", "nmod") and top.head is not top:
        top = top.head
    if top.dep_ in ("nsubj", "nsubjpass"):
        return list(top.head.subtree)
    return list(top.subtree)


def _fill_from_clause(doc, ne, res, vocab, in_names: set[int]) -> None:
    tokens = _clause_tokens(doc, ne)
    mention_tokens = {i for s, e in ne.mentions for i in range(s, e)}
    for t in tokens:
        if ne.place is None and res.place_at(t.i) is not None and t.i not in mention_tokens \
                and t.head.lower_ in ("in", "at") :
            ne.place = res.place_at(t.i).place
        if ne.place is None and res.place_at(t.i) is not None and t.i in mention_tokens and ne.kind in ("meeting", "conference", "summit") \
                and res.actor_at(t.i) is None:
            ne.place = res.place_at(t.i).place   # "the Paris meeting"
        if ne.date is None and res.time_at(t.i) is not None and t.i not in in_names:   # "Vzaimodeistvoye 2017" is a name
            value = res.time_at(t.i).value
            if value and res.time_at(t.i).type in ("DATE", "TIME"):
                ne.date = value[:10] if "T" in value else value
    if ne.place is None:
        for t in tokens:
            if res.place_at(t.i) is not None and t.i in mention_tokens and ne.kind in ("meeting", "conference", "summit", "forum"):
                ne.place = res.place_at(t.i).place
                break
    # organiser from the sentence: "convened by the French government", "under the CSTO aegis"
    if ne.organizer is None:
        sent = doc[ne.head].sent
        for t in sent:
            if t.lemma_ in vocab.organizer_verbs and t.tag_ == "VBN":
                for child in t.children:
                    if child.dep_ == "agent":
                        for g in child.subtree:
                            m = res.actor_at(g.i)
                            if m is not None and m.kind != "person":
                                ne.organizer = m.code
                                break
            if ne.organizer:
                break


def _respectively(doc, found: list[_Draft], res, heads: dict[str, str]) -> None:
    """# "The two wargames will take place in Armenia and Kazakhstan in October": places in order"""
    if not found:
        return
    for sent in doc.sents:
        subj = next((t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and heads.get(t.lower_)), None)
        if subj is None or not any(ne.head < subj.i for ne in found):
            continue
        if any(s <= subj.i < e for ne in found for s, e in ne.mentions):
            continue
        kind = heads[subj.lower_]
        earlier = [ne for ne in found if ne.head < subj.i and ne.kind == kind]
        if not earlier:
            continue
        count = 1
        for child in subj.children:
            if child.like_num:
                count = _number(child.text) or 1
        if subj.tag_ in ("NNS", "NNPS") and count == 1:
            count = len(earlier)
        targets = earlier[-count:]
        places = []
        for t in sent:
            pm = res.place_at(t.i)
            if pm is not None and (not places or places[-1] is not pm) and t.i > subj.i:
                places.append(pm)
        dates = [res.time_at(t.i) for t in sent if res.time_at(t.i) is not None and t.i > subj.i]
        if len(places) == len(targets):
            for ne, pm in zip(targets, places):
                ne.place = ne.place or pm.place
        elif len(places) == 1:
            for ne in targets:
                ne.place = ne.place or places[0].place
        if dates and dates[0].value:
            for ne in targets:
                ne.date = ne.date or dates[0].value


_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "both": 2}


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return _NUMBERS.get(text.lower())


def _observers_and_participants(doc, found, res, vocab) -> None:
    """# "X confirmed the intention to send observers to the exercise Y": X observes Y"""
    for sent in doc.sents:
        in_sent = [ne for ne in found if sent.start <= ne.head < sent.end]
        if not in_sent:
            continue
        lemmas = {t.lower_ for t in sent}
        observers = bool(lemmas & vocab.observer_nouns)
        participates = any(t.lemma_ in vocab.participant_verbs for t in sent) or any(
            p in sent.text for p in vocab.participant_phrases)
        if not (observers or participates):
            continue
        subject = _main_subject_actor(sent, res)
        if subject is None:
            continue
        for ne in in_sent:
            (ne.observers if observers else ne.participants).append(subject)


def _main_subject_actor(sent, res) -> str | None:
    root = sent.root
    for t in [root, *root.children]:
        for c in t.children if t is root else [t]:
            if c.dep_ in ("nsubj", "nsubjpass"):
                for g in c.subtree:
                    m = res.actor_at(g.i) or res.pronoun_actor(g)
                    if m is not None:
                        return m.code
    return None
