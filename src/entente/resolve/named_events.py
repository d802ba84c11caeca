"""Named events: exercises, summits, forums, meetings and operations that the text names,
with organiser, place, dates, participants and observers where the text says so.

Constructions read (the words are those of ``named_events.yaml``):

- a name after its head: "the exercise Nerushimoye Bratstvo 2017 [Unbreakable Brotherhood]"
  (the bracketed English name is an alias), "Operation Inherent Resolve", "the joint exercise
  Interaction - 2024", "the exercise «Rubezh-2023»", "the exercises Interaction-2022 and
  Search-2022", "two drills -- Key Resolve and Foal Eagle --";
- a name introduced: "drills code-named Joint Sword-2024B", "the exercise, dubbed Freedom
  Shield,", "under the code name Sea Guardians-2025", "they would be called "Peace Mission
  2005"";
- a name before its head: "the CSTO international youth forum", "the UNGA meeting", "the Paris
  meeting on Syria", "the Kalkan-2021 command and staff exercise" (an exercise's name is the
  name, without the description and the head), "the “Joint Sea-2021” exercise", "the Key
  Resolve and Foal Eagle exercises", "the Australia-U.S. Ministerial Consultations";
- a body's sitting: "meeting of the Small Group", "the 85th sitting of the Council of Defence
  Ministers of the CIS member states", "a joint meeting of the CSTO Council of Foreign
  Ministers, Council of Defence Ministers and Committee of Secretaries of Security Councils"
  (the organisation in the body's name organises it).

Not named events: a headline in title case, a sports event or a company's meeting (the sports
and business words), a gathering merely described ("a meeting on Syria", "a snap exercise").

Organiser: an actor in the name ("CSTO ... forum"), the organisation of the body that sits, a
by-phrase of convene/organise/host, "under the CSTO aegis", "the US-hosted ...", the subject
of hold/host/conduct ("Mongolia hosted the exercise ..."). Place and date: those of the
clause that states the event (its own words first, then the clause of the verb it is the
subject or object of: "gathered in Yerevan on Monday for the meeting of ..."), never a place
of another clause ("Speaking in Moscow, the minister said the exercise would be held in
Belarus"); a city in a summit's or forum's name ("the Munich Security Conference"); the state
that hosts it; a later sentence whose subject refers back to the events ("The two wargames
will take place in Armenia and Kazakhstan in October": respectively, in order).
Participants: the subject of take part / participate / attend, "with the participation of
...". Observers: the actor who sends observers to it, "observers from ...".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from pydantic import BaseModel, ConfigDict

from ..dictionaries import load_yaml
from ..record import Place
from .context import DocMentions, NamedEvent

#: the word file of named events in a data folder
WORDS_FILE = "named_events.yaml"
_YEAR = re.compile(r"^(?:19|20)\d\d[A-Z]?$")                         # 2021, 2024A
_EDITION = re.compile(r"^[A-Z][\w'’]*-(?:19|20)\d\d[A-Z]?$")          # Army-2022, Sword-2024B
_ORDINAL = re.compile(r"^\d{1,3}(?:st|nd|rd|th)$")                    # the 24th SCO summit
_DASHES = {"-", "–", "—", "--"}
_QUOTES = {"«": "»", "“": "”", '"': '"', "'": "'", "‘": "’", "``": "''", "„": "“"}
_CLOSING = {close: open_ for open_, close in _QUOTES.items()} | {"’": "'", "”": '"'}
_BRACKETS = {"[": "]", "(": ")"}
_STOP_NAME = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "our", "his", "her",
              "forthcoming", "upcoming", "last", "next", "first", "recent", "annual", "latest"}
# parts of speech a title-case headline puts in capitals, which a name does not hold
_NOT_NAME_POS = {"VERB", "AUX", "ADP", "ADV", "PRON", "DET", "CCONJ", "SCONJ", "PART"}
# the clauses under a verb that are another statement, not the one that states the event
_OTHER_CLAUSES = {"ccomp", "advcl", "parataxis", "conj", "relcl", "csubj"}
_MEETING_KINDS = {"meeting", "conference", "summit", "forum"}


@dataclass
class _Draft:
    """A named event while its attributes are being read (then frozen as a NamedEvent)."""

    name: str
    kind: str
    head: int                       # token index of the head word (or of the name, when introduced)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    organizer: str | None = None
    place: Place | None = None
    date: str | None = None
    participants: list[str] = field(default_factory=list)
    observers: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    extent: tuple[int, int] | None = None   # the words the name was read from (head and of-phrase included)
    anchors: list[int] = field(default_factory=list)   # heads that refer to it without its name ("the exercises")

    def frozen(self) -> NamedEvent:
        return NamedEvent(name=self.name, kind=self.kind, head=self.head, mentions=tuple(self.mentions),
                          organizer=self.organizer, place=self.place, date=self.date,
                          participants=tuple(sorted(set(self.participants))),
                          observers=tuple(sorted(set(self.observers))), aliases=tuple(self.aliases))


class NamedEventWords(BaseModel):
    """The words of named_events.yaml (see the file for what each list does)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    heads: dict[str, str]
    name_after_kinds: frozenset[str]
    name_introducers: tuple[str, ...]
    sports_words: tuple[str, ...]
    business_words: tuple[str, ...]
    organizer_verbs: frozenset[str]
    host_verbs: frozenset[str]
    organizer_suffixes: frozenset[str]
    organizer_nouns: frozenset[str]
    observer_nouns: frozenset[str]
    participant_verbs: frozenset[str]
    participant_phrases: tuple[str, ...]
    participation_nouns: frozenset[str]
    occurrence_verbs: tuple[str, ...]
    destination_prepositions: frozenset[str]
    place_prepositions: frozenset[str]
    member_words: tuple[str, ...]


def load_named_event_words(path: Path) -> NamedEventWords:
    """Read and validate a named_events.yaml."""
    return load_yaml(path, NamedEventWords)


def _phrases(words, *, ignore_case: bool) -> re.Pattern:
    alt = "|".join(re.escape(w).replace(r"\ ", r"\s+").replace(r"\-", r"[-\s]?")
                   for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alt})(?![\w-])", re.I if ignore_case else 0)


@dataclass(frozen=True)
class _Lookups:
    """What the finder asks besides the mentions: the words compiled, and where a name is."""

    words: NamedEventWords
    introducer: re.Pattern
    sports: re.Pattern
    business: re.Pattern
    place_of: Callable[[str], Place | None]
    country_place: Callable[[str], Place | None]
    published: str | None
    text: str                # the doc's text, once (spaCy builds Doc.text on every call)


def find_named_events(doc, res: DocMentions, vocab: NamedEventWords, *,
                      place_of: Callable[[str], Place | None] | None = None,
                      country_place: Callable[[str], Place | None] | None = None,
                      published: str | None = None,
                      headlines: Iterable[tuple[int, int]] = ()) -> list[NamedEvent]:
    """Named events of one article, with their attributes filled from the text (``res``: the
    article's actors, places and times; ``place_of``: the big city a name is, to place "the
    Munich Security Conference"; ``country_place``: a state as a place, for a host state;
    ``published``: the day of the report; ``headlines``: character spans of headlines, whose
    words name no event)."""
    look = _Lookups(vocab, re.compile(r"[ \t]*,?[ \t]*(?:" + _phrases(vocab.name_introducers, ignore_case=True).pattern
                                      + r")[ \t]+", re.I),
                    _phrases(vocab.sports_words, ignore_case=False), _phrases(vocab.business_words, ignore_case=True),
                    place_of or (lambda _name: None), country_place or (lambda _code: None), published,
                    doc.text)
    heads = vocab.heads
    found: list[_Draft] = []
    taken: set[int] = set()
    headline_words = _headline_tokens(doc)
    for start, end in headlines:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            headline_words.update(t.i for t in span)
    for tok in doc:
        kind = heads.get(tok.lower_)
        if kind is None or tok.i in taken or tok.i in headline_words or not _can_be_head(tok):
            continue
        if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in heads and doc[tok.i + 1].pos_ in ("NOUN", "PROPN"):
            continue   # "Ministerial Consultations", "summit meeting": the next word is the head
        drafts = _names_after(doc, tok, kind, res, look) or _names_before(doc, tok, kind, res, look)
        for ne in drafts:
            s, e = ne.extent or ne.mentions[0]
            if any(i in taken for i in range(s, e)) or _not_an_event(doc, ne, look):
                continue
            taken.update(range(s, e))
            found.append(ne)
    for ne in _introduced_in_sentence(doc, res, look, taken, headline_words):
        taken.update(range(*ne.mentions[0]))
        found.append(ne)
    found.sort(key=lambda ne: ne.mentions[0][0])
    found = _merge_same(found)
    in_names = {i for ne in found for s, e in [*ne.mentions, *([ne.extent] if ne.extent else [])] for i in range(s, e)}
    for ne in found:
        _organizer_from_sentence(doc, ne, res, look)
        _fill_from_clause(doc, ne, res, look, in_names)
    _share_in_coordination(doc, found, res)
    _respectively(doc, found, res, look, in_names)
    _places_in_order(doc, found, res, look, in_names)
    for ne in found:
        _from_antecedent(doc, ne, res, look, in_names)
        _place_from_name_or_host(doc, ne, res, look)
        _edition_year(look.text, ne)
    _observers_and_participants(doc, found, res, vocab)
    return [ne.frozen() for ne in found]


# --- which words are heads and names ------------------------------------------------------------

def _can_be_head(tok) -> bool:
    """A head noun; spaCy often tags it a verb after a premodifier ("the CSTO exercise", "command
    and staff exercise") or at the start of a sentence ("Exercise Cobra Gold began"): a "verb"
    after a determiner, a modifier or a name, or first in its sentence, is still the noun."""
    if tok.pos_ in ("NOUN", "PROPN"):
        return True
    if tok.pos_ != "VERB" or tok.tag_ not in ("VB", "VBP", "NN", "NNP"):
        return False
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    return prev is None or tok.is_sent_start or prev.pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM") \
        or prev.text in _CLOSING


def _is_name_word(tok) -> bool:
    """A capitalised word that can be part of a name ("Cobra", "RIMPAC", "Mission-2021")."""
    text = tok.text
    if not text[:1].isupper() or tok.lower_ in _STOP_NAME or tok.is_punct:
        return False
    if tok.pos_ in _NOT_NAME_POS and not _EDITION.match(text):
        return False
    return tok.is_alpha or bool(_EDITION.match(text)) or bool(re.fullmatch(r"[A-Z][\w'’.]*(?:-[\w'’]+)*", text))


def _headline_tokens(doc) -> set[int]:
    """# a headline in title case is not a name ("Joint Exercise Kicks Off In Tajikistan"): the
    tokens of a line without a full stop whose words are nearly all capitalised"""
    out: set[int] = set()
    text = doc.text
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0).strip()
        if line.endswith((".", ":", ";")):
            continue   # a sentence, the common case: not read word by word
        words = re.findall(r"[^\W\d_][\w'’\-]*", line)
        if len(words) < 3:
            continue
        if sum(w[:1].isupper() for w in words) / len(words) >= 0.8:
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None:
                out.update(t.i for t in span)
    return out


def _not_an_actor(res, i: int) -> bool:
    """Exercise names are often misread as people by the NER: those tokens may be a name."""
    m = res.actor_at(i)
    return m is None or m.kind == "person"


def _plain_name(doc, i: int, res) -> tuple[int, int] | None:
    """The capitalised words of a name from token ``i``, with its year and the dash before it
    ("Cobra Gold 2024", "Interaction - 2024", "Peace Mission-2021", "Shangri-La")."""
    j, words = i, 0
    while j < len(doc):
        t = doc[j]
        if words and _YEAR.match(t.text):
            j += 1
            continue
        # "Interaction - 2024", "Union Resolve – 2022": a dash before the year belongs to the name
        if words and t.text in _DASHES and j + 1 < len(doc) and _YEAR.match(doc[j + 1].text):
            j += 2
            continue
        # "Shangri-La", "Kassym-Jomart": a hyphen inside a word
        if words and t.text == "-" and not doc[j - 1].whitespace_ and not t.whitespace_ and j + 1 < len(doc) \
                and doc[j + 1].text[:1].isupper():
            j += 1
            continue
        if _is_name_word(t) and _not_an_actor(res, t.i) and (res.time_at(t.i) is None or _EDITION.match(t.text)):
            words += 1
            j += 1
            continue
        break
    if not words:
        return None
    while j > i and doc[j - 1].text in _DASHES:
        j -= 1
    return i, j


def _quoted_name(doc, i: int) -> tuple[int, int, int] | None:
    """A name in quotes from token ``i`` («Interaction. Search. Echelon», “Joint Sea-2021”,
    'Zapad-2021'): (first word, end of the name, end of the closing quote)."""
    if i >= len(doc) or doc[i].text not in _QUOTES:
        return None
    close = {_QUOTES[doc[i].text], "’" if doc[i].text == "'" else None, '"' if doc[i].text == "``" else None} - {None}
    for j in range(i + 1, min(len(doc), i + 16)):
        if doc[j].text in close:
            if j > i + 1 and doc[i + 1].text[:1].isupper():
                return i + 1, j, j + 1
            return None
        if "\n" in doc[j].text:
            return None
    return None


def _followed_by_its_verb(doc, end: int, head) -> bool:
    """# a person after a head in a phrase of its own is the next clause's subject, not a name
    ("After the exercise Vladimir Putin told reporters ...")"""
    return end < len(doc) and doc[end].tag_ in ("VBD", "VBZ", "VBP", "MD") and head.dep_ == "pobj"


# --- head word before its name ----------------------------------------------------------------

def _introduced(doc, k: int, look: _Lookups) -> int | None:
    """The token after a name introducer at token ``k`` ("code-named", ", dubbed"), or None."""
    if k >= len(doc):
        return None
    start = doc[k - 1].idx + len(doc[k - 1]) if k > 0 else 0
    m = look.introducer.match(look.text, start)
    if m is None:
        return None
    j = k
    while j < len(doc) and doc[j].idx < m.end():
        j += 1
    return j


def _names_after(doc, head, kind, res, look: _Lookups) -> list[_Draft]:
    """# head word before its name: "the exercise Nerushimoye Bratstvo 2017 [Unbreakable Brotherhood]",
    "Operation Inherent Resolve", "drills code-named Joint Sword-2024B", "the exercise «Rubezh-2023»",
    "the exercises Interaction-2022 and Search-2022", "two drills -- Key Resolve and Foal Eagle --" """
    i = head.i + 1
    introduced = _introduced(doc, i, look)
    plain_allowed = kind in look.words.name_after_kinds
    if introduced is not None:
        i = introduced
    elif plain_allowed and head.tag_ in ("NNS", "NNPS") and i < len(doc) and doc[i].text in _DASHES:
        i += 1   # "Two major joint drills -- Key Resolve and Foal Eagle --"
    out: list[_Draft] = []
    while True:
        quoted = _quoted_name(doc, i)
        if quoted:
            s, e, end = quoted
        elif introduced is not None or plain_allowed:
            span = _plain_name(doc, i, res)
            if span is None or all(_YEAR.match(t.text) for t in doc[span[0]:span[1]]):
                break
            s, e = span
            end = e
            if _followed_by_its_verb(doc, e, head) and not out:
                return []
        else:
            break
        out.append(_draft_after(doc, head, kind, s, e, end, res, first=not out))
        # coordinated names after a plural head or an introducer: "Interaction-2022 and Search-2022"
        k = end
        if k < len(doc) and doc[k].text == "," and k + 1 < len(doc) and doc[k + 1].lower_ == "and":
            k += 1
        if (head.tag_ in ("NNS", "NNPS") or introduced is not None) and k + 1 < len(doc) \
                and doc[k].lower_ in ("and", ",") and (doc[k + 1].text[:1].isupper() or doc[k + 1].text in _QUOTES):
            i = k + 1
            continue
        break
    return out


def _draft_after(doc, head, kind, s: int, e: int, end: int, res, *, first: bool) -> _Draft:
    aliases = []
    if end < len(doc) and doc[end].text in _BRACKETS:
        close = _BRACKETS[doc[end].text]
        j = end + 1
        while j < len(doc) and j < end + 8 and doc[j].text != close:
            j += 1
        if j < len(doc) and doc[j].text == close and j > end + 1:
            aliases.append(doc[end + 1:j].text)
            end = j + 1
    # "Operation Inherent Resolve", "Exercise Cobra Gold": a capitalised head before a plain name
    # is part of the name of an operation; an exercise's name is the name
    name = doc[s:e].text
    if head.text[:1].isupper() and kind == "operation" and s == head.i + 1:
        name = doc[head.i:e].text
    start = min(head.i, s) if first else s   # a second name of "the exercises A and B" is B's words only
    ne = _Draft(name=name, kind=kind, head=head.i, mentions=[(start, end)], aliases=aliases, extent=(start, end))
    _organizer_in_premodifiers(doc, ne, head, res)
    return ne


# --- head word after its name -------------------------------------------------------------------

def _is_descriptor(tok) -> bool:
    """A lower-case word between a name and its head: "command and staff", "military-technical",
    "international", "peacekeeping", "format"."""
    if tok.text == "-" and 0 < tok.i < len(tok.doc) - 1:
        return tok.doc[tok.i - 1].is_lower and tok.doc[tok.i + 1].is_lower   # "military-technical"
    if tok.lower_ in _STOP_NAME or not tok.text[:1].islower():
        return False
    if tok.lower_ == "and":
        return True
    return bool(re.fullmatch(r"[a-z]+(?:-[a-z]+)*", tok.text)) and (
        tok.pos_ in ("ADJ", "NOUN", "PROPN") or tok.pos_ == "VERB" and tok.tag_ in ("VBG", "VBN"))


def _name_part_before(doc, k: int, res) -> int:
    """Where the name ending at token ``k`` (inclusive) begins: capitalised words, actors,
    years, ordinals, hyphens and possessives inside the name ("Australia-U.S. Ministerial",
    "South Pacific Defence Ministers’", "Victory Day")."""
    start = k + 1
    while start > 0:
        prev = doc[start - 1]
        if prev.lower_ in _STOP_NAME or prev.pos_ in ("DET", "VERB", "AUX", "ADP", "PRON", "CCONJ") \
                and not (_YEAR.match(prev.text) or _EDITION.match(prev.text)):
            break
        if prev.text in ("-", "’", "'", "’s", "'s") and start - 1 > 0:
            before = doc[start - 2]
            if before.text[:1].isupper() and (prev.text != "-" or not before.whitespace_ and start <= k):
                start -= 1   # "Australia-U.S.", "the South Pacific Defence Ministers’ meeting"
                continue
            break
        if prev.is_punct:
            break
        time = res.time_at(prev.i)
        if time is not None and not (_YEAR.match(prev.text) or _EDITION.match(prev.text)
                                     or prev.text[:1].isupper() and not _is_calendar_word(time.text)):
            break   # "the Monday meeting"; "Victory Day" (a holiday) is a name
        if prev.pos_ not in ("PROPN", "NOUN", "ADJ", "NUM") and not (_YEAR.match(prev.text) or _EDITION.match(prev.text)):
            break
        if prev.pos_ == "NUM" and not (_YEAR.match(prev.text) or _ORDINAL.match(prev.text)):
            break
        if not prev.text[:1].isupper() and not (_YEAR.match(prev.text) or _ORDINAL.match(prev.text)) \
                and res.actor_at(prev.i) is None:
            break
        start -= 1
    return start


_CALENDAR = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)\w*|\d")


def _is_calendar_word(text: str) -> bool:
    return bool(_CALENDAR.search(text))


def _names_before(doc, head, kind, res, look: _Lookups) -> list[_Draft]:
    """# head word after its name: "the CSTO international youth forum", "the Paris meeting on Syria",
    "the Kalkan-2021 command and staff exercise", "the “Joint Sea-2021” exercise", "the Key Resolve
    and Foal Eagle exercises", "the 85th sitting of the Council of Defence Ministers of the CIS" """
    k = head.i - 1
    while k >= 0 and _is_descriptor(doc[k]):
        k -= 1
    described = k < head.i - 1
    while k < head.i - 1 and doc[k + 1].lower_ == "and":
        k += 1   # "and" is no descriptor next to the name
        described = k < head.i - 1
    groups: list[tuple[int, int, bool]] = []   # (start, end, quoted)
    end_of_name = k
    while end_of_name >= 0:
        opening = _opening_quote(doc, end_of_name) if doc[end_of_name].text in _CLOSING else None
        if opening is not None:
            groups.append((opening + 1, end_of_name, True))
            start = opening
        elif doc[end_of_name].text in _CLOSING and not (doc[end_of_name].text in ("’", "'") and end_of_name > 0
                                                          and doc[end_of_name - 1].text[:1].isupper()):
            break   # a closing quote without its opening one; "Ministers’" is a possessive
        else:
            start = _name_part_before(doc, end_of_name, res)
            if start > end_of_name:
                break
            groups.append((start, end_of_name + 1, False))
        # coordinated names before a plural head: "the Key Resolve and Foal Eagle exercises"
        if head.tag_ in ("NNS", "NNPS") and start >= 2 and doc[start - 1].lower_ in ("and", ",") \
                and (doc[start - 2].text[:1].isupper() or doc[start - 2].text in _CLOSING):
            end_of_name = start - 2
            continue
        break
    if not groups:
        sitting = _sitting_of(doc, head, kind, res, look)
        return [sitting] if sitting else []
    groups.reverse()
    if len(groups) > 1 and not all(_has_own_name(doc, s, e, res) for s, e, _q in groups):
        groups = [(groups[0][0], groups[-1][1], False)]   # "the Russia and China summit": one name
    out = []
    for n, (s, e, quoted) in enumerate(groups):
        ne = _draft_before(doc, head, kind, s, e, quoted, described or len(groups) > 1, res, look,
                           coordinated=len(groups) > 1)
        if ne is not None:
            if n < len(groups) - 1:
                ne.extent = (s - 1 if quoted else s, e + 1 if quoted else e)   # "Key Resolve" of "Key Resolve and Foal Eagle exercises"
            out.append(ne)
    return out


def _opening_quote(doc, close: int) -> int | None:
    for j in range(close - 1, max(-1, close - 16), -1):
        if doc[j].text in _QUOTES and j < close - 1:
            return j if doc[j + 1].text[:1].isupper() else None
        if "\n" in doc[j].text:
            return None
    return None


def _has_own_name(doc, s: int, e: int, res) -> bool:
    """Whether words hold a name that is not only actors ("Key Resolve", not "Russia")."""
    def own_word(t) -> bool:
        if _EDITION.match(t.text):
            return True   # "Sea-2021"
        # a capitalised word of two letters or more that names no actor ("Resolve"; not "Russia",
        # "S"); the NER often reads an exercise's name as a person's
        return _not_an_actor(res, t.i) and t.text[:1].isupper() and t.is_alpha and len(t.text) > 1

    return any(own_word(t) for t in doc[s:e])


def _draft_before(doc, head, kind, s: int, e: int, quoted: bool, described: bool, res, look, *,
                  coordinated: bool = False) -> _Draft | None:
    tokens = doc[s:e]
    proper = quoted or any(t.pos_ == "PROPN" or res.actor_at(t.i) is not None or _EDITION.match(t.text)
                           or t.text[:1].isupper() and not t.is_sent_start for t in tokens)
    if not proper:
        return _sitting_of(doc, head, kind, res, look)
    # a bare person's name is not a name ("Johnson meeting"); a name the NER took for a person's
    # with its head is ("the Authors Conclave"), and so is one of names coordinated before a plural
    # head ("the Key Resolve and Foal Eagle exercises")
    if all(res.actor_at(t.i) is not None and res.actor_at(t.i).kind == "person" for t in tokens) \
            and res.actor_at(head.i) is None and not coordinated:
        return None
    own = quoted or _has_own_name(doc, s, e, res)
    # a plural head with only an actor before it is a description, not a name ("CSTO wargames")
    if head.tag_ in ("NNS", "NNPS") and not own:
        return None
    if kind in look.words.name_after_kinds and not own:
        return None   # "the CSTO peacekeeping exercise": described, not named
    end = head.i + 1
    end = _extend_after_head(doc, end, res)
    edition = any(_YEAR.match(t.text) or _EDITION.match(t.text) for t in tokens)
    first = s - 1 if quoted else s
    last = e + 1 if quoted else e
    if kind in look.words.name_after_kinds or quoted or (edition and described):
        # the name is the name: "Kalkan-2021", not "the Kalkan-2021 command and staff exercise"
        name = doc[s:e].text
        mention = (first, last)
    else:
        name = doc[s:end].text
        mention = (s, end)
    ne = _Draft(name=name, kind=kind, head=head.i, mentions=[mention], extent=(first, end))
    _organizer_in_premodifiers(doc, ne, head, res)
    if ne.organizer is None:
        _organizer_in_of_phrase(doc, ne, head, end, res)
    return ne


def _extend_after_head(doc, end: int, res) -> int:
    """# "the Paris meeting on Syria": a topic that is an actor follows the name"""
    if end + 1 < len(doc) and doc[end].lower_ == "on" and res.actor_at(end + 1) is not None \
            and res.time_at(end + 1) is None and doc[end + 1].text[:1].isupper():
        m = res.actor_at(end + 1)
        return max(end + 2, m.end)
    return end


def _sitting_of(doc, head, kind, res, look) -> _Draft | None:
    """# a body's sitting: "meeting of the Small Group", "the 85th sitting of the Council of
    Defence Ministers of the CIS member states", "a joint meeting of the CSTO Council of Foreign
    Ministers, Council of Defence Ministers and Committee of Secretaries of Security Councils" """
    if kind not in _MEETING_KINDS:
        return None   # "the opening ceremony of ...", "the exercise of the forces": described
    end = _of_phrase_end(doc, head.i + 1, res, look)
    if end is None:
        return None
    # the ordinal and the words before the head that say which sitting: "85th", "joint", "regular"
    s = head.i
    while s > 0 and (_ORDINAL.match(doc[s - 1].text) or _is_descriptor(doc[s - 1])) and doc[s - 1].lower_ != "and":
        s -= 1
    ne = _Draft(name=doc[s:end].text, kind=kind, head=head.i, mentions=[(s, end)], extent=(s, end))
    _organizer_in_of_phrase(doc, ne, head, end, res)
    return ne


def _of_phrase_end(doc, j: int, res, look) -> int | None:
    """The end of the body named after "of" at token ``j`` ("of the Council of Defence Ministers
    of the CIS member states"), or None when no body is named there."""
    if j >= len(doc) or doc[j].lower_ != "of":
        return None
    member_words = {tuple(w.lower().split()) for w in look.words.member_words}
    end = None
    k = j
    while k < len(doc) and doc[k].lower_ == "of":
        m = k + 1
        if m < len(doc) and doc[m].lower_ == "the":
            m += 1
        n = m
        while n < len(doc) and res.time_at(n) is None and (
                doc[n].text[:1].isupper() and (doc[n].pos_ in ("PROPN", "NOUN", "ADJ") or res.actor_at(n) is not None)
                or doc[n].text in ("’", "'") and n > m):
            n += 1
        if n < len(doc) and n > m and doc[n].pos_ == "NOUN" and doc[n].is_lower and end is None \
                and res.actor_at(n - 1) is not None and doc[n].lower_ not in {w[0] for w in member_words}:
            n += 1   # "the Syrian opposition"
        if n == m:
            break
        end = k = n
        for words in sorted(member_words, key=len, reverse=True):
            if tuple(t.lower_ for t in doc[k:k + len(words)]) == words and res.actor_at(k - 1) is not None:
                end = k = k + len(words)
                break
        # coordinated bodies: ", Council of Defence Ministers and Committee of Secretaries ..."
        c = k
        if c < len(doc) and doc[c].text == "," and c + 1 < len(doc) and doc[c + 1].lower_ == "and":
            c += 1
        if c + 1 < len(doc) and doc[c].lower_ in (",", "and") and doc[c + 1].text[:1].isupper():
            n = c + 1
            while n < len(doc) and doc[n].text[:1].isupper() and doc[n].pos_ in ("PROPN", "NOUN") \
                    and res.actor_at(n) is None:
                n += 1
            if n < len(doc) and n > c + 1 and doc[n].lower_ == "of":
                k = n
                continue
    return end


# --- organisers ----------------------------------------------------------------------------------

def _organizer_in_premodifiers(doc, ne, head, res) -> None:
    """# an organisation in the name organises it: "CSTO army exercise", "UNGA meeting" """
    start = ne.mentions[0][0]
    lo = min(start, head.i)
    # look back over the premodifiers of the head too ("the forthcoming CSTO army exercise X",
    # "the CSTO command and staff exercise X")
    while lo > 0 and head.i - lo < 8 and doc[lo - 1].lower_ not in ("the", "a", "an", ",") and (
            doc[lo - 1].pos_ in ("PROPN", "NOUN", "ADJ") or _is_descriptor(doc[lo - 1]) and lo > 1
            and doc[lo - 2].pos_ in ("PROPN", "NOUN", "ADJ")):
        lo -= 1
    for t in doc[lo:head.i]:
        m = res.actor_at(t.i)
        if m is not None and m.kind in ("organization", "group", "state") and t.pos_ != "ADJ":
            if m.kind == "state" and res.place_at(t.i) is not None and ne.kind in ("meeting", "conference", "summit", "talks"):
                continue   # "the Paris meeting": a place, not an organiser
            if m.kind == "state" and (m.end < len(doc) and doc[m.end].text == "-"
                                      or m.start > 0 and doc[m.start - 1].text == "-"):
                continue   # "the Australia-U.S. consultations": two parties, not an organiser
            ne.organizer = m.code
            return
        if m is not None and m.kind == "organization":
            ne.organizer = m.code
            return


def _organizer_in_of_phrase(doc, ne, head, end: int, res) -> None:
    """# the organisation of the body that sits organises it: "the meeting of the CSTO Council ..." """
    if head.i + 1 >= len(doc) or doc[head.i + 1].lower_ != "of":
        return
    for t in doc[head.i + 1:end]:
        m = res.actor_at(t.i)
        if m is not None and m.kind in ("organization", "group"):
            ne.organizer = m.code
            return


def _organizer_from_sentence(doc, ne, res, look: _Lookups) -> None:
    """# the organiser the sentence states: "convened by the French government", "under the CSTO
    aegis", "the US-hosted RIMPAC", "Mongolia hosted the exercise ..." """
    if ne.organizer:
        return
    vocab = look.words
    s, _e = ne.extent or ne.mentions[0]
    # "the US-hosted RIMPAC 2024 exercise": ACTOR - hosted before the name
    for j in range(max(1, s - 4), s + 1):
        if j + 1 < len(doc) and doc[j].text == "-" and doc[j + 1].lower_ in vocab.organizer_suffixes:
            m = res.actor_at(j - 1)
            if m is not None and m.kind != "person":
                ne.organizer = m.code
                return
    sent = doc[ne.head].sent
    # "convened by the French government": the agent of a passive organiser verb
    for t in sent:
        if t.lemma_ in vocab.organizer_verbs and t.tag_ == "VBN":
            for child in t.children:
                if child.dep_ == "agent":
                    code = _first_actor(child.subtree, res, people=False)
                    if code:
                        ne.organizer = code
                        return
    # "Mongolia hosted the exercise ...", "China's military launched drills code-named ...":
    # the subject of an organiser verb whose object is the event
    verb, role = _governing_verb(doc, ne)
    if verb is not None and role == "dobj" and verb.lemma_ in vocab.organizer_verbs:
        codes = _subject_actors(verb, res)
        if len(codes) == 1:
            ne.organizer = codes[0]
        return
    # the same when the parse is lost, read in word order: ACTOR ... VERB [the, joint, ...] EVENT
    j = s - 1
    while j > sent.start and doc[j].lemma_ not in vocab.organizer_verbs and (
            doc[j].pos_ in ("DET", "ADJ", "NUM") or _is_descriptor(doc[j]) or doc[j].text in _QUOTES):
        j -= 1
    if j >= sent.start and doc[j].lemma_ in vocab.organizer_verbs and doc[j].pos_ in ("VERB", "AUX", "ADJ"):
        codes = []
        for t in doc[sent.start:j]:
            m = res.actor_at(t.i)
            if m is not None and m.code not in codes:
                codes.append(m.code)
            if t.text in (";", ":") or t.dep_ == "mark":
                codes = []
        if len(codes) == 1:
            ne.organizer = codes[0]


def _first_actor(tokens, res, *, people: bool) -> str | None:
    for g in tokens:
        m = res.actor_at(g.i)
        if m is not None and (people or m.kind != "person"):
            return m.code
    return None


def _subject_actors(verb, res) -> list[str]:
    """The codes of every actor in a verb's subject ("Peacekeepers of Armenia, Belarus and ...")."""
    codes: list[str] = []
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            for g in child.subtree:
                m = res.actor_at(g.i) or res.pronoun_actor(g)
                if m is not None and m.code and m.code not in codes:
                    codes.append(m.code)
    if not codes and verb.dep_ in ("xcomp", "conj") and verb.head is not verb:
        return _subject_actors(verb.head, res)   # "Kazakhstan will host and conduct ..."
    return codes


# --- the clause that states the event -----------------------------------------------------------

def _top_of_mention(doc, ne, mention: tuple[int, int] | None = None):
    s, e = mention or ne.mentions[0]
    head = doc[ne.head] if s <= ne.head < e else doc[s:e].root
    top = head
    while top.dep_ in ("appos", "compound", "conj", "nmod", "amod", "npadvmod") and top.head is not top:
        top = top.head
    return top


def _governing_verb(doc, ne, mention: tuple[int, int] | None = None):
    """The verb of the clause that states the event, and the event's role in it: its subject
    ("the exercise ... would be held in Belarus"), its object ("hosted the exercise"), or the
    object of its preposition ("gathered in Yerevan for the meeting", "met on the margins of
    the ministerial")."""
    top = _top_of_mention(doc, ne, mention)
    for _ in range(4):
        if top.dep_ in ("nsubj", "nsubjpass"):
            return top.head, "subject"
        if top.dep_ in ("dobj", "attr", "oprd"):
            return top.head, "dobj"
        if top.dep_ == "pobj" and top.head is not top:
            prep = top.head
            if prep.head.pos_ in ("VERB", "AUX"):
                return prep.head, "pobj"
            top = prep.head   # "on the margins of the ministerial": climb to the noun's own role
            continue
        if top.dep_ in ("acl", "relcl") or top.pos_ in ("VERB", "AUX"):
            return None, None
        if top.head is top:
            return None, None
        top = top.head
    return None, None


def _clause_tokens(doc, ne, mention: tuple[int, int] | None = None, *, with_subject: bool = False) -> list:
    """Tokens of the named event's own clause: its words and what they govern (relative
    clauses included), then the clause of the verb it is the subject or object of, less the
    other statements under that verb ("Speaking in Moscow, ...", "..., he said")."""
    own = _own_tokens(doc, ne, mention)
    verb, role = _governing_verb(doc, ne, mention)
    if verb is None:
        return own
    skip = set()
    inside = {t.i for t in own}
    for child in verb.children:
        if child.dep_ in _OTHER_CLAUSES and not any(g.i in inside for g in child.subtree):
            skip.update(g.i for g in child.subtree)
        # the subject of "Defence ministers from across Asia gathered in Singapore for the
        # Dialogue" says who came, not where the event is
        if child.dep_ in ("nsubj", "nsubjpass") and role != "subject" and not with_subject:
            skip.update(g.i for g in child.subtree)
    rest = [t for t in verb.subtree if t.i not in skip and t.i not in inside]
    return own + rest


def _own_tokens(doc, ne, mention: tuple[int, int] | None = None) -> list:
    """The words of a mention and what they govern; the words after a name the parser cut into
    sentences («Interaction. Search. Echelon» in Belarus); an infinitive right after the name,
    which the parser often hangs on the verb ("the Dialogue to be hosted by Japan later this year")."""
    top = _top_of_mention(doc, ne, mention)
    own = list(top.subtree)
    s, e = mention or ne.mentions[0]
    if doc[e - 1].sent.start != doc[s].sent.start:
        own += [t for t in doc[e:doc[e - 1].sent.end]]
    end = max(t.i for t in own) + 1
    if end < len(doc) and doc[end].tag_ == "TO" and doc[end].head.dep_ in ("advcl", "xcomp", "acl", "relcl"):
        clause = doc[end].head
        if min(g.i for g in clause.subtree) == end:
            own += [g for g in clause.subtree if g.i >= end]
    return own


def _place_by_preposition(t, vocab) -> bool:
    """# a place the event is in: the object of in/at/near ("in Belarus"), also through a region
    or a training ground ("at the Donguz training ground in Russia's Orenburg region",
    "in the Karaganda region of Kazakhstan")"""
    node = t
    for _ in range(5):
        if node.dep_ == "pobj" and node.head is not node:
            prep = node.head
            if prep.lower_ in vocab.place_prepositions:
                return True
            if prep.lower_ != "of":
                return False
            node = prep.head
            continue
        if node.dep_ in ("poss", "compound", "appos", "amod", "nmod", "conj") and node.head is not node:
            node = node.head
            continue
        return False
    return False


def _fill_from_clause(doc, ne, res, look: _Lookups, in_names: set[int]) -> None:
    """Place and date from the clause of each mention, then of each head that refers to it, in
    order, until both are known. Of several dates in one clause, one that is not the day of the
    report ("confirmed the dates today as August 18 to 25") is the event's."""
    vocab = look.words
    spans = [*ne.mentions, *((a, a + 1) for a in ne.anchors)]
    for mention in spans:
        if ne.place is not None and ne.date is not None:
            break
        tokens = _clause_tokens(doc, ne, mention)
        dates = []
        for t in tokens:
            if ne.place is None and res.place_at(t.i) is not None and t.i not in in_names \
                    and _place_by_preposition(t, vocab):
                ne.place = res.place_at(t.i).place
            time = res.time_at(t.i)
            if ne.date is None and time is not None and t.i not in in_names and time.value \
                    and time.type in ("DATE", "TIME") and time not in dates:   # "Vzaimodeistvoye 2017" is a name
                dates.append(time)
        if ne.date is None and dates:
            report_day = look.published
            chosen = next((d for d in dates if d.value[:10] != report_day), dates[0]) if report_day else dates[0]
            ne.date = chosen.value[:10] if "T" in chosen.value else chosen.value
        if ne.place is None:
            ne.place = _destination(doc, ne, mention, res, vocab)


def _destination(doc, ne, mention, res, vocab) -> Place | None:
    """# the place a participant goes to: "travelling to Tonga to attend the meeting" """
    verb, _role = _governing_verb(doc, ne, mention)
    if verb is None or verb.dep_ not in ("advcl", "xcomp") or not (
            verb.lemma_ in vocab.participant_verbs or verb.lemma_ == "take"):
        return None
    for child in verb.head.children:
        if child.dep_ == "prep" and child.lower_ in vocab.destination_prepositions:
            for g in child.children:
                if g.dep_ == "pobj" and res.place_at(g.i) is not None:
                    return res.place_at(g.i).place
    return None


def _place_from_name_or_host(doc, ne, res, look: _Lookups) -> None:
    """# a city in a summit's or forum's name is its place ("the Munich Security Conference",
    "the Vilnius summit"); else the state that hosts it ("Kazakhstan will host the exercise ...",
    "the consultations to be hosted by Australia")"""
    if ne.place is not None:
        return
    s, _e = ne.extent or ne.mentions[0]
    if ne.kind in _MEETING_KINDS and s < ne.head:
        before_head = doc[s:ne.head]
        for t in before_head:
            pm = res.place_at(t.i)
            if pm is not None and (res.actor_at(t.i) is None or ne.kind != "meeting"):
                country = look.country_place(pm.place.country) if pm.place.country else None
                if country is None or country.name != pm.place.name:   # "the Syria talks": a topic
                    ne.place = pm.place
                    return
        words = [t for t in before_head if t.text[:1].isupper() and res.actor_at(t.i) is None]
        for n in (2, 1):
            if len(words) >= n and all(words[k].i == words[0].i + k for k in range(n)):
                place = look.place_of(doc[words[0].i:words[0].i + n].text)
                if place is not None:
                    country = look.country_place(place.country) if place.country else None
                    if country is None or country.name != place.name:
                        ne.place = place
                        return
    hosts = look.words.host_verbs
    hosting = [c for mention in ne.mentions for verb, role in [_governing_verb(doc, ne, mention)]
               if verb is not None and role == "dobj" and verb.lemma_ in hosts
               for c in verb.children if c.dep_ == "nsubj"]
    # "to be hosted by Australia": the agent of a passive host verb over the event
    hosting += [c for t in _own_tokens(doc, ne) if t.lemma_ in hosts and t.tag_ == "VBN"
                for c in t.children if c.dep_ == "agent"]
    for child in hosting:
        m = next((res.actor_at(g.i) for g in child.subtree if res.actor_at(g.i) is not None), None)
        if m is not None and m.kind == "state":
            ne.place = look.country_place(m.code)
            return


def _places_in_order(doc, found: list[_Draft], res, look: _Lookups, in_names: set[int]) -> None:
    """# "The exercises Interaction-2022 and Search-2022 will take place in Kazakhstan and Belarus
    respectively": named events of one clause take its places in order"""
    by_verb: dict[int, list[_Draft]] = {}
    for ne in found:
        verb, _role = _governing_verb(doc, ne)
        if verb is not None:
            by_verb.setdefault(verb.i, []).append(ne)
    for verb_i, group in by_verb.items():
        if len(group) < 2:
            continue
        tokens = _clause_tokens(doc, group[0])
        places = []
        for t in sorted(tokens, key=lambda t: t.i):
            pm = res.place_at(t.i)
            if pm is not None and t.i not in in_names and _place_by_preposition(t, look.words) \
                    and (not places or places[-1] is not pm):
                places.append(pm)
        if len(places) == len(group):
            for ne, pm in zip(sorted(group, key=lambda n: n.mentions[0][0]), places):
                ne.place = pm.place


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
        for t in _clause_tokens(doc, ne, with_subject=True):
            m = res.actor_at(t.i)
            if m is not None and m.kind == "organization":
                ne.organizer = m.code
                break


def _merge_same(found: list[_Draft]) -> list[_Draft]:
    """Two mentions of one event are one event: the same name, an alias, or the words of one
    inside the other's ("CSTO youth forum" and "the CSTO international youth forum"; "the SCO
    Summit" and "the 23rd Summit of the SCO Council of Heads of State")."""
    out: list[_Draft] = []
    for ne in found:
        key = ne.name.casefold()
        words = set(_words(key))
        same = None
        for o in out:
            other = set(_words(o.name.casefold()))
            if o.name.casefold() == key or key in {a.casefold() for a in o.aliases} or (
                    o.kind == ne.kind and len(words) > 1 and len(other) > 1 and (words <= other or other <= words)):
                same = o
                break
        if same is None:
            out.append(ne)
            continue
        if len(words) > len(set(_words(same.name.casefold()))):
            same.name = ne.name   # the fuller name
        same.mentions.extend(ne.mentions)
        same.organizer = same.organizer or ne.organizer
        same.aliases.extend(a for a in ne.aliases if a not in same.aliases)
    return out


def _words(name: str) -> list[str]:
    return [w for w in re.findall(r"\w+", name) if w not in ("the", "of", "and", "on")]


def _not_an_event(doc, ne: _Draft, look: _Lookups) -> bool:
    """# a sports event or a company's meeting is not a named event of this kind ("the Olympic
    Games", "the opening ceremony of the World Cup", "the annual general meeting of shareholders")"""
    s, e = ne.extent or ne.mentions[0]
    text = doc[s:e].text
    return bool(look.sports.search(text) or look.business.search(text) or look.sports.search(ne.name))


def _introduced_in_sentence(doc, res, look: _Lookups, taken: set[int], headlines: set[int]) -> list[_Draft]:
    """# a quoted name that a naming verb gives the event of its sentence: "the Ministry confirmed the
    dates of joint military exercises ... and said they would be called "Peace Mission 2005"" """
    out = []
    heads = look.words.heads
    for sent in doc.sents:
        kinds = [(t.i, heads[t.lower_]) for t in sent if t.lower_ in heads and t.i not in taken and t.i not in headlines
                 and _can_be_head(t)]
        if not kinds:
            continue
        for t in sent:
            if t.i <= kinds[0][0] or t.i in taken:
                continue
            after = _introduced(doc, t.i, look) if t.i > sent.start else None
            if after is None or after >= sent.end + 2:
                continue
            quoted = _quoted_name(doc, after)
            if quoted is None:
                continue
            s, e, end = quoted
            if any(i in taken for i in range(s, e)):
                continue
            anchor, kind = next((i, k) for i, k in reversed(kinds) if i < t.i)
            name = doc[s:e].text.rstrip(".,;")
            ne = _Draft(name=name, kind=kind, head=s, mentions=[(s, e)], extent=(s - 1, end), anchors=[anchor])
            if not _not_an_event(doc, ne, look):
                out.append(ne)
                taken.update(range(s - 1, end))
    return out


def _occurs(verb, vocab) -> bool:
    """Whether a verb says an event happens ("will take place", "was held", "kicked off")."""
    for phrase in vocab.occurrence_verbs:
        first, *rest = phrase.split()
        if verb.lemma_ != first:
            continue
        if not rest or any(c.lower_ == rest[0] for c in verb.children):
            return True
    return False


def _respectively(doc, found: list[_Draft], res, look: _Lookups, in_names: set[int]) -> None:
    """# a later sentence whose subject refers back to the events says where and when they happen:
    "The two wargames will take place in Armenia and Kazakhstan in October" (places in order)"""
    if not found:
        return
    heads = look.words.heads
    for sent in doc.sents:
        subj = next((t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and heads.get(t.lower_)), None)
        if subj is None or not any(ne.head < subj.i for ne in found) or not _occurs(subj.head, look.words):
            continue
        if any(s <= subj.i < e for ne in found for s, e in [*ne.mentions, *([ne.extent] if ne.extent else [])]):
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
        pseudo = _Draft(name="", kind=kind, head=subj.i, mentions=[(subj.i, subj.i + 1)])
        tokens = sorted(_clause_tokens(doc, pseudo), key=lambda t: t.i)
        places = []
        for t in tokens:
            pm = res.place_at(t.i)
            if pm is not None and t.i not in in_names and _place_by_preposition(t, look.words) \
                    and (not places or places[-1] is not pm):
                places.append(pm)
        dates = [res.time_at(t.i) for t in tokens if res.time_at(t.i) is not None and t.i not in in_names]
        if len(places) == len(targets):
            for ne, pm in zip(targets, places):
                ne.place = ne.place or pm.place
        elif len(places) == 1:
            for ne in targets:
                ne.place = ne.place or places[0].place
        if dates and dates[0].value:
            for ne in targets:
                ne.date = ne.date or dates[0].value


def _from_antecedent(doc, ne, res, look: _Lookups, in_names: set[int]) -> None:
    """# "China's military on Monday launched drills around Taiwan. The exercises, code-named Joint
    Sword-2024B, are ...": a named event under a definite head takes what an earlier head of its
    kind, named no event, was said to be (its organiser, place and date)"""
    if ne.place is not None and ne.date is not None and ne.organizer is not None:
        return
    head = doc[ne.head]
    if not any(c.dep_ == "det" and c.lower_ in ("the", "these", "those", "this") for c in head.children):
        return
    sent = head.sent
    floor = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    heads = look.words.heads
    earlier = [t for t in doc[floor:head.i] if heads.get(t.lower_) == ne.kind and t.i not in in_names
               and _can_be_head(t)]
    if not earlier:
        return
    before = _Draft(name="", kind=ne.kind, head=earlier[0].i, mentions=[(earlier[0].i, earlier[0].i + 1)],
                    extent=(earlier[0].i, earlier[0].i + 1))
    _organizer_from_sentence(doc, before, res, look)
    _fill_from_clause(doc, before, res, look, in_names)
    ne.organizer = ne.organizer or before.organizer
    ne.place = ne.place or before.place
    ne.date = ne.date or before.date


def _edition_year(text: str, ne) -> None:
    """# the year of an edition is the event's when the text gives no date: "Bright Star 2018"
    (a later mention with the year names the edition: "the Bright Star exercises ... Bright Star
    2018 aims at ...")"""
    if ne.date is not None:
        return
    m = re.search(r"(?<!\d)((?:19|20)\d\d)[A-Z]?$", ne.name)
    if m is None and len(ne.name.split()) >= 2:
        later = re.search(re.escape(ne.name) + r"[ \t]*[-–]?[ \t]*((?:19|20)\d\d)\b", text)
        if later:
            ne.name = text[later.start():later.end()]
            m = later
    if m is not None:
        ne.date = m.group(1)


_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "both": 2}


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return _NUMBERS.get(text.lower())


# --- participants and observers ---------------------------------------------------------------

def _observers_and_participants(doc, found, res, vocab) -> None:
    """# "X confirmed the intention to send observers to the exercise Y": X observes Y;
    "observers from A and B": A and B observe; "Troops from A, B and C took part in Y": they
    take part; "with the participation of A and B" """
    for sent in doc.sents:
        in_sent = [ne for ne in found if sent.start <= ne.head < sent.end]
        if not in_sent:
            continue
        observers: list[str] = []
        participants: list[str] = []
        observer_tokens = [t for t in sent if t.lower_ in vocab.observer_nouns]
        observed: set[int] = set()
        for t in observer_tokens:
            # "observers from A and B"
            for child in t.children:
                if child.dep_ == "prep" and child.lower_ == "from":
                    for g in child.subtree:
                        observed.add(g.i)
                        m = res.actor_at(g.i)
                        if m is not None and m.code not in observers:
                            observers.append(m.code)
            # "X will send observers to Y": the subject of the verb whose object they are
            if t.dep_ == "dobj":
                for code in _subject_actors(t.head, res):
                    if code not in observers:
                        observers.append(code)
        participates = any(t.lemma_ in vocab.participant_verbs for t in sent) or any(
            p in sent.text for p in vocab.participant_phrases)
        if participates:
            verbs = [t for t in sent if t.lemma_ in vocab.participant_verbs or t.lemma_ == "take"
                     and any(c.lower_ == "part" for c in t.children)]
            for verb in verbs:
                for child in verb.children:
                    if child.dep_ in ("nsubj", "nsubjpass"):
                        for g in child.subtree:
                            if g.i in observed or g.lower_ in vocab.observer_nouns:
                                continue
                            m = res.actor_at(g.i) or res.pronoun_actor(g)
                            if m is not None and m.code and m.code not in participants:
                                participants.append(m.code)
                if not participants:
                    for code in _subject_actors(verb, res):
                        if code not in participants:
                            participants.append(code)
        # "with the participation of A and B"
        for t in sent:
            if t.lower_ in vocab.participation_nouns:
                for child in t.children:
                    if child.dep_ == "prep" and child.lower_ == "of":
                        for g in child.subtree:
                            m = res.actor_at(g.i)
                            if m is not None and m.code not in participants:
                                participants.append(m.code)
        if not observer_tokens and not participates and not participants:
            continue
        if not observers and not participants:
            # "the minister confirmed the intention to send observers to ...": the sentence's subject
            subject = _main_subject_actor(sent, res)
            if subject is not None:
                (observers if observer_tokens else participants).append(subject)
        for ne in in_sent:
            ne.observers.extend(observers)
            ne.participants.extend(c for c in participants if c not in observers)


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
