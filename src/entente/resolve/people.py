"""People with their office and affiliation.

Who is a person (each branch below names its construction):

- a name the NER reads as a person, less the honorifics, titles and ranks it took in
  ("Spokesperson Cmdr" is nobody), widened to the given name a known surname stands in ("Li
  Xi" is not Xi Jinping);
- a capitalised name right after a title or rank, whatever the NER made of it ("Secretary of
  Defense Jim Mattis", "Minister for Defence Marise Payne"), and the names a plural title
  governs ("Presidents Medvedev and Saakashvili");
- a name in brackets after a state ("the presidents of Russia (Boris Yeltsin), China (Jiang
  Zemin) ...").

Offices, as first stated in full (SPEC.md; gold/news README "Office rules"): the words of the
text, without the nationality or organisation prefix ("Kremlin spokesman" -> spokesman,
"Pentagon Press Secretary" -> Press Secretary, "Belarusian Defense Ministry's Spokesman" ->
Spokesman), keeping what the office is of or for ("Minister for Defence", "Commander of the
Army First Corps", "Spokesman for the government", "Ambassador to Russia"), the title's own
modifiers ("interim President", "National Defense Minister", "Prime Minister-designate"), and
dropping a trailing locative ("... posted in the DRC", "at the U.S. Embassy in Colombo").

- title before the name: "[Serbian] Defense Minister [for ...][,] [rank] [Mr] Aleksandar Vulin";
  stacked titles ("Secretary of Defense Spokesperson"), titles joined by "and" ("Deputy Prime
  Minister and Minister of Defence"); a title with its own portfolio followed by another is
  the first office ("Deputy Minister for Home Affairs Chief of Police Force");
- apposition after the name: "Vulin, Serbia's defence minister", "Li Xi, a spokesman for the
  Chinese military's Eastern Theater Command", "Jean-Pierre Lacroix the United Nations
  Under-Secretary-General for ...";
- a coordination governed by a title: "the three foreign ministers of Bronislaw Geremek of
  Poland, Janos Martonyi of Hungary and Jan Kavan of the Czech Republic";
- a rank alone is the office ("Colonel Nelson", "Detective Sergeant Nick Bailey",
  "Journalist 2nd Class Matt Grills"); next to an office it is dropped;
- a title alone ("the Serbian defense minister", "The Prime Minister added") refers to the
  person of the article with that office (the office a known person held that day counts).

Affiliation, in order: the state or organisation the text states (the title's prefix, "of X"
after the title or the name, a state in the portfolio or in brackets, the country of a city
in the title: "Caracas Metropolitan Mayor"); the state of the role a known person held on the
article's date (resolve/known_people.py); the state that alone uses the title ("Secretary of
State"); the nearest state or organisation in the sentence that no other person claims, and
that is not a place gone to or visited, a birthplace ("South Korea-born") or inside a quotation
the person is outside of; the publisher's state.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from pydantic import BaseModel, ConfigDict
from spacy.matcher import PhraseMatcher

from ..dictionaries import Dictionaries, Office, load_yaml
from .context import ActorMention

if TYPE_CHECKING:
    from .known_people import HeldRole, KnownPeople

#: the word file of this module in a data folder
WORDS_FILE = "people_words.yaml"
_PERSON_LABELS = {"PERSON"}
_MAX_PORTFOLIO = 10
_MAX_NAME = 5
_QUOTES = {'"', "“", "”", "«", "»", "„"}
# a rank written as a rating of its class: "Journalist 2nd Class", "Petty Officer 1st Class"
_CLASS_ORDINAL = re.compile(r"^(1st|2nd|3rd|first|second|third)$", re.I)
# characters that do not show: a word with one inside is the word without it ("Minis\u00adter")
_FORMAT_CHARS = re.compile(r"[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


class PeopleWords(BaseModel):
    """The words of people_words.yaml (see the file for what each list does)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    honorifics: frozenset[str]
    title_modifiers: frozenset[str]
    title_suffixes: frozenset[str]
    body_heads: frozenset[str]
    government_nouns: frozenset[str]
    visit_verbs: frozenset[str]
    locative_prepositions: frozenset[str]
    locative_participles: frozenset[str]
    portfolio_prepositions: frozenset[str]
    name_particles: frozenset[str]
    origin_suffixes: frozenset[str]
    negating_prefixes: frozenset[str]
    document_nouns: frozenset[str]
    ethnic_words: frozenset[str]
    residence_prepositions: frozenset[str]
    residence_verbs: frozenset[str]


def load_people_words(path: Path) -> PeopleWords:
    """Read and validate a people_words.yaml."""
    return load_yaml(path, PeopleWords)


@dataclass
class Person:
    name: str
    office: str | None = None
    office_entry: Office | None = None
    affiliation: str | None = None
    sector: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)   # token spans
    title_mentions: list[tuple[int, int]] = field(default_factory=list)
    rank: int = 0   # how the affiliation was found: 3 stated, 2 a known role or the office's state, 1 nearby actor, 0 publisher
    known: HeldRole | None = None
    office_country: str | None = None   # the state that alone uses the office's title
    in_actor: bool = False   # named inside an actor's phrase ("Putin's government"): a person, not the actor

    @property
    def explicit_affiliation(self) -> bool:
        return self.rank >= 3

    @property
    def surname(self) -> str:
        return norm_name(self.name).split()[-1] if self.name.split() else ""


def norm_name(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def plural(words: str) -> str:
    """English plural of a title's last word ("foreign minister" -> "foreign ministers")."""
    head, _, last = words.rpartition(" ")
    if last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith("man"):
        last = last[:-3] + "men"
    else:
        last += "s"
    return f"{head} {last}".strip()


def visible(text: str) -> str:
    """``text`` without the characters that do not show (soft hyphen, zero-width space, ...)."""
    return _FORMAT_CHARS.sub("", text)


@dataclass(frozen=True)
class OfficeMatch:
    """An office title found in a Doc: its tokens, its entry, whether plural, and the singular
    form matched (lower case)."""

    start: int
    end: int
    office: Office
    plural: bool
    form: str


class OfficeMatcher:
    """Finds office titles (and their plurals) in a Doc, case-insensitively and through
    invisible formatting characters; patterns are tokenized as the text is (``make_doc``: the
    pipeline's tokenizer), so "Secretary-General" is found as spaCy splits it."""

    def __init__(self, make_doc, offices: list[Office]):
        vocab = make_doc("").vocab
        self.matcher = PhraseMatcher(vocab, attr="NORM")
        self.keys: dict[str, tuple[Office, bool, str, str]] = {}
        self.by_form: dict[str, Office] = {}
        for i, office in enumerate(offices):
            singular = {office.title, *office.aliases}
            # an acronym's lower-case copy ("pm" for "PM") is no title of its own
            singular = {f for f in singular if not (f != f.upper() and f.upper() in singular and len(f) <= 6)}
            for form in sorted(singular):
                self.by_form.setdefault(form.casefold(), office)
                for is_plural, text in ((False, form), (True, plural(form))):
                    key = f"office{i}{'p' if is_plural else ''}:{form}"
                    if key in self.keys:
                        continue
                    self.keys[key] = (office, is_plural, form.casefold(), form)
                    self.matcher.add(key, [make_doc(text)])

    def entry(self, title: str | None) -> Office | None:
        """The office entry a title names ("Prime Minister", "Minister of Defence")."""
        return self.by_form.get(title.casefold()) if title else None

    def __call__(self, doc) -> list[OfficeMatch]:
        """Longest non-overlapping office matches."""
        found = sorted(self.matcher(doc), key=lambda m: (m[1], -(m[2] - m[1])))
        out, last_end = [], -1
        for match_id, start, end in found:
            if start < last_end:
                continue
            office, is_plural, form, written = self.keys[doc.vocab.strings[match_id]]
            if not _plausible_title(doc, start, end, written):
                continue
            out.append(OfficeMatch(start, end, office, is_plural, form))
            last_end = end
        return out


def _plausible_title(doc, start: int, end: int, form: str) -> bool:
    """# an acronym title is written in capitals ("PM", "MP", not "pm"), and not right after a
    number or a clock time ("4:28:00 PM")"""
    if not form.isupper():
        return True
    text = doc[start:end].text
    if text != form:
        return False
    prev = doc[start - 1] if start > 0 else None
    return not (prev is not None and (prev.like_num or any(c.isdigit() for c in prev.text)
                                      or prev.ent_type_ in ("TIME", "DATE")))


# --- finding people ----------------------------------------------------------------------


@dataclass
class _Context:
    """What the constructions read: the matches and actors by token, and the words."""

    doc: object
    d: Dictionaries
    words: PeopleWords
    titles: list[OfficeMatch]
    ranks: list[tuple[int, int, OfficeMatch | None]]
    actors: list[ActorMention]
    place_country: Callable[[str], str | None]  # a place name -> its country code (None: no known place)
    known: KnownPeople | None = None
    title_ending_at: dict[int, OfficeMatch] = field(default_factory=dict)
    title_at: dict[int, OfficeMatch] = field(default_factory=dict)
    rank_ending_at: dict[int, tuple[int, int, OfficeMatch | None]] = field(default_factory=dict)
    rank_at: dict[int, tuple[int, int, OfficeMatch | None]] = field(default_factory=dict)
    actor_at: dict[int, ActorMention] = field(default_factory=dict)
    actor_ending_at: dict[int, ActorMention] = field(default_factory=dict)
    claimed: set[int] = field(default_factory=set)
    used_offices: set[int] = field(default_factory=set)
    governed: dict[tuple[int, int], OfficeMatch] = field(default_factory=dict)   # name -> its plural title

    def __post_init__(self) -> None:
        self.title_ending_at = {m.end: m for m in self.titles}
        self.title_at = {i: m for m in self.titles for i in range(m.start, m.end)}
        self.rank_ending_at = {r[1]: r for r in self.ranks}
        self.rank_at = {i: r for r in self.ranks for i in range(r[0], r[1])}
        self.actor_at = {i: a for a in self.actors for i in range(a.start, a.end)}
        self.actor_ending_at = {a.end: a for a in self.actors}

    def honorific(self, i: int) -> int:
        """The number of tokens of an honorific starting at ``i`` ("Mr", "Mr .", "His
        Excellency"), or 0."""
        doc = self.doc
        for n in (2, 1):
            if i + n <= len(doc):
                words = " ".join(t.lower_ for t in doc[i:i + n])
                if words in self.words.honorifics:
                    if i + n < len(doc) and doc[i + n].text == "." and not words.endswith("."):
                        return n + 1
                    return n
        return 0


def find_people(doc, d: Dictionaries, actors: list[ActorMention], publisher_code: str | None,
                published: str | None = None, *, office_matcher: OfficeMatcher, known: KnownPeople,
                words: PeopleWords, place_country: Callable[[str], str | None] | None = None,
                ) -> tuple[list[Person], list["TitleMention"]]:
    """People named in ``doc`` with office, affiliation and sector, mentions merged per person;
    and the officials named by title alone. ``office_matcher``, ``known`` and ``words``: the
    offices over the pipeline's vocabulary, the known people and the word lists of one data
    folder (built once, by :class:`entente.resources.Resources`); ``place_country``: a place
    name -> its country code, or None when the name is no known place."""
    matches = office_matcher(doc)
    titles = [m for m in matches if not m.office.rank and _portfolio_ok(doc, m, words)]
    ranks = [(m.start, m.end, m) for m in matches if m.office.rank] + _class_ratings(doc, matches)
    ranks = _widen_ranks(doc, ranks, matches)
    ctx = _Context(doc, d, words, titles, sorted(ranks), [a for a in actors if a.kind != "person"],
                   place_country or (lambda _text: None), known)

    spans = _person_spans(ctx)
    people: list[Person] = []
    for start, end in spans:
        person = Person(name=visible(doc[start:end].text), mentions=[(start, end)])
        person.in_actor = any(i in ctx.actor_at for i in range(start, end))
        _title_before(ctx, person, start)
        if person.office is None:
            _apposition_after(ctx, person, end)
        if person.office is None:
            _governing_title(ctx, person, start, end)
        _bracketed_after_state(ctx, person, start, end)
        if person.office is None:
            _rank_alone(ctx, person, start)
        _of_state_after(ctx, person, end)
        people.append(person)

    merged = _merge(people)
    for person in merged:
        person.known = known.role_of_person(person.name, published)
        if person.rank < 3 and person.known is not None:
            # a known person named without a stated state: the role they held that day
            person.affiliation, person.rank = person.known.code, 2
            if person.sector is None and person.office_entry is None:
                person.sector = person.known.sector
    for person in merged:
        if person.rank < 2 and person.office_country:
            person.affiliation, person.rank = person.office_country, 2
    for person in merged:
        if person.affiliation is None:
            person.affiliation = _nearest_unclaimed(ctx, person)
            person.rank = 1 if person.affiliation else 0
    merged = _drop_unsupported(merged)
    bare = _attach_bare_titles(ctx, merged, publisher_code, office_matcher)
    for person in merged:
        if person.affiliation is None:
            person.affiliation = publisher_code
        if person.sector is None and person.office_entry:
            person.sector = person.office_entry.sector
    _surname_mentions(doc, merged)
    return merged, bare


def _portfolio_ok(doc, m: OfficeMatch, words: PeopleWords) -> bool:
    """# a word that is an office only with its portfolio: "Head of the mission", not "head" """
    if not m.office.needs_portfolio:
        return True
    return m.end < len(doc) and doc[m.end].lower_ in ("of", "for")


def _class_ratings(doc, matches: list[OfficeMatch]) -> list[tuple[int, int, None]]:
    """# a rating of a class is a rank: "Journalist 2nd Class", "Mass Communication Specialist 1st Class" """
    taken = {i for m in matches for i in range(m.start, m.end)}
    out = []
    for tok in doc[1:-1]:
        nxt = doc[tok.i + 1]
        if _CLASS_ORDINAL.match(tok.text) and nxt.text == "Class" and tok.i not in taken:
            start = tok.i
            while start > 0 and doc[start - 1].text[:1].isupper() and doc[start - 1].is_alpha and start - 1 not in taken \
                    and doc[start - 1].pos_ in ("PROPN", "NOUN") and tok.i - start < 3:
                start -= 1
            if start < tok.i:
                out.append((start, tok.i + 2, None))
    return out


def _widen_ranks(doc, ranks, matches: list[OfficeMatch]):
    """# a capitalised word before a rank is part of it: "Detective Sergeant", "Senior Capt." """
    taken = {i for m in matches for i in range(m.start, m.end)} | {i for s, e, _ in ranks for i in range(s, e)}
    out = []
    for start, end, m in ranks:
        while start > 0 and doc[start - 1].text[:1].isupper() and doc[start - 1].is_alpha \
                and doc[start - 1].pos_ == "PROPN" and doc[start - 1].ent_type_ not in ("GPE", "NORP", "ORG") \
                and not doc[start - 1].is_sent_start and start - 1 not in taken and end - start < 4:
            start -= 1
        out.append((start, end, m))
    return out


# --- which spans name people ---------------------------------------------------------------

def _is_title_word(ctx: _Context, i: int) -> bool:
    return i in ctx.title_at or i in ctx.rank_at or ctx.honorific(i) > 0


def _person_spans(ctx: _Context) -> list[tuple[int, int]]:
    """Token spans of person names, in text order, never overlapping."""
    doc = ctx.doc
    spans: list[tuple[int, int]] = []
    taken: set[int] = set()

    def add(start: int, end: int, *, widen: bool = False) -> None:
        if start >= end:
            return
        inside = [sp for sp in spans if sp[0] < end and start < sp[1]]
        if widen and len(inside) == 1 and start <= inside[0][0] and inside[0][1] <= end:
            # the name after a rank holds the NER's shorter one: "Lt-Gen [Ni Linn Aung]"
            spans.remove(inside[0])
            taken.difference_update(range(*inside[0]))
        elif inside:
            return
        spans.append((start, end))
        taken.update(range(start, end))

    # the NER's people, less the titles it took in
    for ent in doc.ents:
        if ent.label_ not in _PERSON_LABELS:
            continue
        start, end = _clean_person_span(ctx, ent.start, ent.end)
        if start >= end or not any(t.is_alpha and t.text[:1].isupper() for t in doc[start:end]):
            continue
        if end - start == 1 and ctx.place_country(doc[start].text) is not None and not ent.ent_id_ \
                and start not in ctx.title_ending_at and start not in ctx.rank_ending_at:
            continue   # a place the NER read as a person ("... regional council for Kherson")
        if ent.ent_id_.startswith(("leader:", "person:")):
            start = _given_name_before(ctx, start)
        if _is_title_portfolio(ctx, start, end):
            continue   # "Director [Naval Special Forces], Captain Thusitha Daminda"
        add(start, end)
    # names right after a title or rank, whatever the NER made of them
    for start, end, title in _names_after_titles(ctx):
        add(start, end, widen=True)
        if title is not None and title.plural:
            ctx.governed[(start, end)] = title
    # names in brackets after a state
    for start, end in _bracketed_names(ctx):
        add(start, end)
    return sorted(spans)


def _clean_person_span(ctx: _Context, start: int, end: int) -> tuple[int, int]:
    """# drop honorifics, titles and ranks the NER took into the name ("Spokesperson Cmdr",
    "Mr. Fournier", "Senior Capt. Li Xi")"""
    doc = ctx.doc
    while start < end:
        tok = doc[start]
        n = ctx.honorific(start)
        if n:
            start += n
            continue
        if tok.is_punct or tok.lower_ == "the":
            start += 1
            continue
        match = ctx.title_at.get(start)
        if match is not None:
            start = match.end
            continue
        rank = ctx.rank_at.get(start)
        if rank is not None:
            start = rank[1]   # "Gen Ranbir Singh" after "Lt": the rank's last word
            continue
        break
    while end > start and (doc[end - 1].is_punct or doc[end - 1].tag_ == "POS" or doc[end - 1].is_space):
        end -= 1
    return start, end


def _name_token(ctx: _Context, tok, *, first: bool) -> bool:
    """Whether a token can be a word of a person's name."""
    if tok.is_space or tok.i in ctx.actor_at or _is_title_word(ctx, tok.i):
        return False
    if tok.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "NORP"):
        return False
    if tok.ent_type_ in ("GPE", "LOC", "FAC") and ctx.place_country(tok.text) is not None:
        return False   # a place, not a name the NER mislabelled ("Presidents Medvedev and Saakashvili")
    text = visible(tok.text)
    if not first and tok.lower_ in ctx.words.name_particles:
        return True
    if re.fullmatch(r"[A-Z]\.?", text):
        return True   # an initial: "Gary J. Volesky", "Anthony C Nelson"
    return text[:1].isupper() and text.replace("'", "").replace("’", "").isalpha() and tok.pos_ in ("PROPN", "NOUN", "ADJ", "X")


def _name_run(ctx: _Context, i: int) -> int:
    """The end of the name that starts at token ``i`` (``i`` when none does): capitalised
    words, initials, particles, hyphen-joined parts ("Jean-Pierre")."""
    doc = ctx.doc
    j = i
    while j < len(doc) and j - i < _MAX_NAME:
        tok = doc[j]
        if _name_token(ctx, tok, first=j == i):
            j += 1
            continue
        if tok.text in ("-", "‑") and j > i and not doc[j - 1].whitespace_ and j + 1 < len(doc) \
                and _name_token(ctx, doc[j + 1], first=False):
            j += 2
            continue
        break
    while j > i and doc[j - 1].lower_ in ctx.words.name_particles:
        j -= 1
    return j


def _is_title_portfolio(ctx: _Context, start: int, end: int, *, after_title: bool = False) -> bool:
    """# capitalised words between a title and ", rank Name" are the title's, not a name:
    "Commander Western Naval Area, Rear Admiral Suresh De Silva", "the commander of the U.S.
    Army First Corps, Lt. Gen. ..." (``after_title``: the words follow a title's portfolio)"""
    doc = ctx.doc
    if not after_title and start not in ctx.title_ending_at and not (
            start > 0 and doc[start - 1].lower_ in ("of", "for") and start - 1 in ctx.title_ending_at):
        return False
    j = end
    while j < len(doc) and (doc[j].is_space or doc[j].text == ","):
        j += 1
    if j < len(doc) and doc[j].text == "(":
        k = j
        while k < len(doc) and doc[k].text != ")" and k - j < 4:
            k += 1
        j = k + 1
    while j < len(doc) and doc[j].is_space:
        j += 1
    return j < len(doc) and (j in ctx.rank_at or j in ctx.title_at) and j > end


def _names_after_titles(ctx: _Context) -> list[tuple[int, int, OfficeMatch | None]]:
    """# a name right after a title or a rank: "Secretary of Defense Jim Mattis", "Minister for
    Defence Marise Payne", "Lt. Gen. Ranbir Singh"; after a plural title, every name it
    coordinates: "Presidents Medvedev and Saakashvili" """
    doc = ctx.doc
    out = []
    heads = [(m.end, m.plural, m) for m in ctx.titles] + [(r[1], False, None) for r in ctx.ranks]
    for i, is_plural, title in heads:
        j = _after_title(ctx, i)
        while j < len(doc) and (ctx.honorific(j) or j in ctx.rank_at):
            j += ctx.honorific(j) or (ctx.rank_at[j][1] - j)
        if j >= len(doc) or (doc[j - 1].whitespace_ and "\n" in doc[j - 1].whitespace_):
            continue
        end = _name_run(ctx, j)
        if end == j or _is_title_portfolio(ctx, j, end, after_title=j != i) or not _name_ends(ctx, end):
            continue
        if end - j == 1 and not _surname_evidence(ctx, doc[j]):
            continue   # one word after a title is a surname only if something says so ("Ambassador Plenipotentiary")
        out.append((j, end, title))
        if is_plural:
            # "Presidents Medvedev and Saakashvili", "ministers Lavrov, Wang and Jaishankar"
            k = end
            while k + 1 < len(doc) and doc[k].text in (",", "and"):
                k += 1
                if doc[k].text == "and":
                    k += 1
                nxt = _name_run(ctx, k)
                if nxt == k:
                    break
                out.append((k, nxt, title))
                k = nxt
    return out


def _after_title(ctx: _Context, i: int) -> int:
    """Where a name may start after a title ending at ``i``: past "-designate" and past a
    portfolio that ends with a state or organisation ("Special Envoy for Syria Lars Nyberg")."""
    doc = ctx.doc
    if i + 1 < len(doc) and doc[i].text in ("-", "‑") and doc[i + 1].lower_ in ctx.words.title_suffixes:
        return i + 2
    if i < len(doc) and doc[i].lower_ in ctx.words.portfolio_prepositions:
        k = i + 1
        if k < len(doc) and doc[k].lower_ == "the":
            k += 1
        a = ctx.actor_at.get(k)
        if a is not None and a.start == k and a.kind in ("state", "organization"):
            return a.end
    return i


def _surname_evidence(ctx: _Context, tok) -> bool:
    """Whether one word after a title is a surname: the NER reads it as a person, another name
    of the story ends with it ("Secretary Mattis" after "Jim Mattis"), or a known person is so
    named."""
    if tok.ent_type_ == "PERSON":
        return True
    doc = ctx.doc
    if any(ent.label_ == "PERSON" and ent[-1].text == tok.text and len(ent) > 1 for ent in doc.ents):
        return True
    return ctx.known is not None and bool(ctx.known.by_form.get(tok.lower_))


def _name_ends(ctx: _Context, end: int) -> bool:
    """# a name is not followed by a possessive body or an organisation's word ("Defense Forces
    Command"): it ends at punctuation, a verb, a preposition, "and", or the text's end"""
    doc = ctx.doc
    if end >= len(doc):
        return True
    tok = doc[end]
    return not (tok.text[:1].isupper() and tok.is_alpha and tok.i not in ctx.actor_at)


def _given_name_before(ctx: _Context, start: int) -> int:
    """# a known surname after a given name is that name's: "Li Xi" is not Xi Jinping"""
    doc = ctx.doc
    i = start
    while i > 0 and start - i < 2:
        tok = doc[i - 1]
        if tok.is_sent_start or not _name_token(ctx, tok, first=True) or tok.pos_ != "PROPN":
            break
        i -= 1
    return i


def _bracketed_names(ctx: _Context) -> list[tuple[int, int]]:
    """# a name in brackets after a state: "Russia (Boris Yeltsin), China (Jiang Zemin)" """
    doc = ctx.doc
    out = []
    for a in ctx.actors:
        if a.kind != "state" or a.end + 2 >= len(doc) or doc[a.end].text != "(":
            continue
        start = a.end + 1
        end = _name_run(ctx, start)
        if end - start >= 2 and end < len(doc) and doc[end].text == ")":
            out.append((start, end))
    return out


# --- offices ---------------------------------------------------------------------------------

@dataclass
class _Title:
    """An office as the text states it: its words, entry, where it lies, and the actor it
    states as the person's (prefix, portfolio or a city's country)."""

    text: str
    entry: Office
    start: int
    end: int
    affiliation: ActorMention | None = None
    affiliation_code: str | None = None
    country: str | None = None      # the state that alone uses a title of it


def _set_office(person: Person, title: _Title) -> None:
    person.office_entry = title.entry
    person.office = _capitalised(title.text)
    person.sector = title.entry.sector
    person.office_country = title.country or title.entry.country


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _state_affiliation(ctx: _Context, person: Person, title: _Title) -> None:
    code = title.affiliation.code if title.affiliation else title.affiliation_code
    if code:
        person.affiliation, person.rank = code, 3
        if title.affiliation is not None:
            ctx.claimed.add(title.affiliation.start)


def _skip_back(ctx: _Context, start: int) -> tuple[int, tuple[int, int] | None, bool]:
    """From a name's first token back over its honorifics and ranks, a comma before them, and
    a bracketed acronym: (where the title must end, the rank's span, whether a comma was passed)."""
    doc = ctx.doc
    j, rank = start, None
    while j > 0:
        prev = j - 1
        if doc[prev].text == "." and prev > 0 and ctx.honorific(prev - 1):
            j = prev - 1
            continue
        if ctx.honorific(prev) or (prev > 0 and ctx.honorific(prev - 1) == 2):
            j = prev if ctx.honorific(prev) else prev - 1
            continue
        r = ctx.rank_ending_at.get(j)
        if r is not None:
            rank = (r[0], rank[1] if rank else r[1])
            j = r[0]
            continue
        break
    k = j
    while k > 0 and doc[k - 1].is_space:
        k -= 1
    comma = False
    if k > 0 and doc[k - 1].text == ",":
        k -= 1
        comma = True
        while k > 0 and doc[k - 1].is_space:
            k -= 1
    if k >= 3 and doc[k - 1].text == ")" and doc[k - 3].text == "(" and doc[k - 2].text.isupper():
        k -= 3   # "Director General Military Operations (DGMO) Lt Gen ..."
    return k, rank, comma


def _title_before(ctx: _Context, person: Person, start: int) -> None:
    """# title before the name: "[Serbian] Defense Minister [for ...][,] [rank] [Mr] Aleksandar Vulin" """
    doc = ctx.doc
    stop, rank, comma = _skip_back(ctx, start)
    for office_end in range(stop, max(stop - _MAX_PORTFOLIO, 0) - 1, -1):
        match = ctx.title_ending_at.get(office_end)
        if match is None:
            if office_end < stop and (doc[office_end].pos_ in ("VERB", "AUX") and doc[office_end].dep_ not in ("amod", "compound")
                                      or doc[office_end].text in (".", ";", ":", "!", "?") or "\n" in doc[office_end].text):
                return
            continue
        if match.plural:
            return   # "the foreign ministers of Geremek of Poland": a governing title
        between = [t for t in doc[match.end:stop] if not t.is_space]
        if between and between[-1].pos_ in ("ADP", "DET", "CCONJ", "PART", "SCONJ"):
            return   # "a member of the council for [Kherson]": the name is the portfolio's end
        title = _read_title(ctx, match, stop, bare_words=not comma or rank is not None)
        if title is None:
            continue
        if rank is not None and rank[0] < title.start:
            return   # the rank comes first: "Gen. Chief of ..." is not read
        _set_office(person, title)
        ctx.used_offices.add(match.start)
        person.title_mentions.append((title.start, stop))
        prefix = _prefix_actor(ctx, title.start)
        if title.affiliation is None and title.affiliation_code is None and prefix is not None:
            title.affiliation = prefix
        _state_affiliation(ctx, person, title)
        return


def _rank_alone(ctx: _Context, person: Person, start: int) -> None:
    """# a rank with no office is the office: "Colonel Nelson", "Detective Sergeant Nick Bailey" """
    doc = ctx.doc
    stop, rank, _comma = _skip_back(ctx, start)
    if rank is None:
        return
    text = visible(doc[rank[0]:rank[1]].text)
    entry = ctx.rank_at[rank[0]][2]
    office = entry.office if entry is not None else Office(title=text, sector="MIL", rank=True)
    _set_office(person, _Title(text, office, rank[0], rank[1]))
    person.title_mentions.append(rank)
    if not person.explicit_affiliation:
        prefix = _prefix_actor(ctx, rank[0])
        if prefix is not None:
            person.affiliation, person.rank = prefix.code, 3
            ctx.claimed.add(prefix.start)


def _prefix_actor(ctx: _Context, start: int) -> ActorMention | None:
    """The state or organisation just before a title: "Serbian Defense Minister", "Russia's
    defence minister", "the CSTO Secretary General"."""
    doc = ctx.doc
    a = ctx.actor_ending_at.get(start)
    if a is None and start > 0 and doc[start - 1].tag_ == "POS":
        a = ctx.actor_ending_at.get(start - 1)
    return a


def _read_title(ctx: _Context, match: OfficeMatch, stop: int, *, bare_words: bool = True) -> _Title | None:
    """The office as stated from ``match`` to ``stop``: the title's own words before it, its
    portfolio after it, and what they say of the person's state; None when the words between
    the title and ``stop`` are no portfolio. ``bare_words``: capitalised words with no
    preposition may be the title's own ("Commander Western Naval Area"); not between a title
    and ", Name" ("Chadian foreign minister Chérif Mahamat Zene, Jean-Pierre Lacroix")."""
    doc = ctx.doc
    portfolio = _read_portfolio(ctx, match.end, stop, bare_words=bare_words)
    if portfolio is None:
        return None
    words, affiliation, code = portfolio
    start = match.start
    # the title's words before it: stacked titles, titles joined by "and", modifiers, a body
    while start > 0:
        prev = doc[start - 1]
        earlier = ctx.title_ending_at.get(start)
        if earlier is not None and not earlier.plural:
            start = earlier.start       # "Secretary of Defense Spokesperson"
            continue
        if prev.lower_ == "and" and start - 1 in ctx.title_ending_at and not ctx.title_ending_at[start - 1].plural:
            start = ctx.title_ending_at[start - 1].start   # "Deputy Prime Minister and Minister of Defence"
            continue
        if prev.lower_ in ctx.words.title_modifiers:
            start -= 1                  # "interim President", "acting head"
            continue
        first = _earlier_title_with_portfolio(ctx, start)
        if first is not None:
            # "Deputy Minister for Home Affairs Chief of Police Force": the first office stated
            return first
        if _title_modifier(ctx, start - 1):
            start -= 1                  # "National Defense Minister", "Caracas Metropolitan Mayor"
            continue
        break
    org = ctx.actor_ending_at.get(start)
    if org is not None and org.kind == "organization":
        body = _body_start(ctx, org)
        if body < org.end:
            # the body an organisation's office heads stays: "AU Commission Chairman"
            start = body
            if affiliation is None and code is None:
                affiliation = org
    tokens = [t for t in doc[start:match.end]]
    text_tokens = _without_prefix(ctx, tokens)
    if not text_tokens:
        return None
    # a city in the title gives its country: "Caracas Metropolitan Mayor"
    if affiliation is None and code is None:
        code = next((c for t in text_tokens if t.i not in ctx.title_at and t.text[:1].isupper()
                     for c in [ctx.place_country(t.text)] if c), None)
    text = visible("".join(t.text_with_ws for t in text_tokens).strip())
    if words:
        sep = "" if words.startswith("-") else " "
        text = f"{text}{sep}{words}"
    # "Secretary of Defense Spokesperson": a title only one state uses, anywhere in the stretch
    country = match.office.country or next((ctx.title_at[t.i].office.country for t in tokens if t.i in ctx.title_at
                                            and ctx.title_at[t.i].office.country), None)
    return _Title(text, match.office, start, match.end, affiliation, code, country)


def _body_start(ctx: _Context, org: ActorMention) -> int:
    """Where the body begins in an organisation's mention ("African Union [Commission]", "AU
    [Commission]"): after the longest part that is itself a name of the organisation."""
    doc = ctx.doc
    for k in range(org.end - 1, org.start, -1):
        ref = ctx.d.names.get(doc[org.start:k].text)
        if ref is not None and ref.code == org.code:
            return k
    return org.end


def _title_modifier(ctx: _Context, i: int) -> bool:
    """A capitalised word right before a title that is part of it ("National", "Metropolitan",
    "Commission"), not a state, person, rank or the start of a sentence."""
    if i < 0:
        return False
    tok = ctx.doc[i]
    return (tok.text[:1].isupper() and tok.is_alpha and tok.pos_ == "PROPN" and i not in ctx.actor_at
            and tok.ent_type_ not in ("PERSON", "NORP") and i not in ctx.rank_at and not ctx.honorific(i))


def _earlier_title_with_portfolio(ctx: _Context, start: int) -> _Title | None:
    """# a title with a portfolio of its own, followed by another title: the first is the
    office ("Deputy Minister for Home Affairs Chief of Police Force")"""
    doc = ctx.doc
    k = start - 1
    while k >= 0 and doc[k].text[:1].isupper() and doc[k].is_alpha and k not in ctx.title_at and start - k < 6:
        k -= 1
    if k < 1 or k == start - 1 or doc[k].lower_ not in ("for", "of") or k not in ctx.title_ending_at:
        return None
    earlier = ctx.title_ending_at[k]
    return _read_title(ctx, earlier, start)


def _without_prefix(ctx: _Context, tokens: list) -> list:
    """The title's words without an organisation or nationality prefix: "Pentagon Press
    Secretary" -> Press Secretary, "Foreign Ministry Spokesperson" -> Spokesperson; the body an
    organisation's office heads stays ("AU Commission Chairman" -> Commission Chairman)."""
    out = list(tokens)
    while out and (out[0].tag_ == "POS" or out[0].i in ctx.actor_at and ctx.actor_at[out[0].i].kind != "organization"
                   and (out[0].ent_type_ in ("GPE", "NORP", "ORG") or out[0].lower_ == "the")):
        out = out[1:]   # the state's name, not the agent words of its phrase ("foreign ministers of Poland")
    for n, tok in enumerate(out[:-1]):
        if tok.lower_ in ctx.words.body_heads and n + 1 < len(out):
            out = out[n + 1:]
            break
    return out


def _read_portfolio(ctx: _Context, begin: int, stop: int, *, bare_words: bool = True):
    """What lies between a title and ``stop``: (the portfolio's words as kept, the actor it
    states as the person's, a code it states) or None when it is no portfolio.

    # "for X" and "of X" are kept ("Minister for Defence", "Commander of the Army First
    Corps"); the state in them is the affiliation and leaves the office ("of Iraq", "the
    Congolese government" -> the government); an ambassador's "to <state>" stays; a trailing
    locative goes ("posted in the DRC", "at the U.S. Embassy in Colombo", whose embassy still
    says whose attaché it is); capitalised words after the title are its own ("Commander
    Western Naval Area", "Ambassador Plenipotentiary"); "-designate"."""
    doc = ctx.doc
    between = [t for t in doc[begin:stop] if not t.is_space]
    if not between:
        return "", None, None
    words: list = []
    affiliation: ActorMention | None = None
    i = 0
    if between[0].text in ("-", "‑") and len(between) > 1 and between[1].lower_ in ctx.words.title_suffixes:
        words = ["-" + between[1].text]
        i = 2
        if len(between) == 2:
            return "".join(words), None, None
    rest = between[i:]
    if rest and bare_words and all(t.text[:1].isupper() and (t.is_alpha or t.text == "&") and t.i not in ctx.actor_at
                    and t.i not in ctx.title_at and not ctx.honorific(t.i) for t in rest):
        return " ".join([*words, " ".join(t.text for t in rest)]).strip(), None, None
    if not rest or rest[0].lower_ not in ctx.words.portfolio_prepositions | ctx.words.locative_prepositions:
        return None
    if any(t.ent_type_ == "PERSON" and t.i not in ctx.actor_at and ctx.place_country(t.text) is None for t in rest) \
            or len(rest) == 1:
        return None   # "the foreign ministers of Bronislaw Geremek ...": a governing title
    if any(t.pos_ in ("VERB", "AUX") and t.lower_ not in ctx.words.locative_participles for t in rest):
        return None
    prep = rest[0].lower_
    # a trailing locative: its words go; an actor body in it may still say whose office it is
    cut = next((n for n, t in enumerate(rest) if n > 0 and (t.lower_ in ctx.words.locative_participles
                                                             or t.lower_ in ctx.words.locative_prepositions)), None)
    if prep in ctx.words.locative_prepositions:
        cut = 0
    kept, dropped = (rest[:cut], rest[cut:]) if cut is not None else (rest, [])
    for t in dropped:
        a = ctx.actor_at.get(t.i)
        if a is not None and a.sector and a.kind == "state" and affiliation is None:
            affiliation = a   # "at the U.S. Embassy": the embassy's state
    out: list = []
    skip_until = -1
    for n, t in enumerate(kept):
        if t.i < skip_until:
            continue
        a = ctx.actor_at.get(t.i)
        if a is None:
            out.append(t)
            continue
        after = a.end < len(doc) and doc[a.end].tag_ == "POS"
        if not after and (prep == "to" or (prep == "for" and a.kind == "state" and not a.sector)):
            # "Ambassador to Russia", "Envoy to the United Nations", "Special Envoy for Syria":
            # the state the office deals with stays in it and is nobody's affiliation
            out.extend(doc[t.i:a.end])
            ctx.claimed.add(a.start)
            skip_until = a.end
            continue
        if a.kind == "state" or after:
            # the state is the affiliation; its name (and a possessor's whole phrase) leaves the office
            if affiliation is None:
                affiliation = a
            if after:
                skip_until = a.end + 1
            else:
                name_end = _name_part_end(ctx, a)
                skip_until = a.end
                out.extend(doc[name_end:a.end])
            continue
        out.extend(doc[t.i:a.end])   # "Envoy for the Global Coalition": the portfolio
        ctx.claimed.add(a.start)
        skip_until = a.end
    # "of [the] Iraq" with nothing left of it: the preposition goes too
    while out and out[-1].lower_ in ("of", "the", "for", ",", "and"):
        out.pop()
    text = "".join(t.text_with_ws for t in out).strip()
    text = re.sub(r"\s+", " ", text)
    if words:
        text = "".join(words) + (" " + text if text else "")
    return text, affiliation, None


def _name_part_end(ctx: _Context, a: ActorMention) -> int:
    """The end of the name inside an actor mention ("U.S." in "U.S. Army", "Congolese" in
    "Congolese government"): the agent words after it stay in an office."""
    doc = ctx.doc
    i = a.start
    while i < a.end and (doc[i].ent_type_ in ("GPE", "NORP", "ORG") or doc[i].lower_ == "the") \
            and doc[i].lower_ not in ctx.d.sector_word_set:
        i += 1
    return max(i, a.start + 1)


def _apposition_after(ctx: _Context, person: Person, end: int) -> None:
    """# apposition after the name: "Vulin, Serbia's defence minister,", "Li Xi, a spokesman
    for the Chinese military's Eastern Theater Command", "Lacroix the United Nations
    Under-Secretary-General for Peacekeeping Operations" """
    doc = ctx.doc
    i = end
    comma = False
    while i < len(doc) and (doc[i].is_space or doc[i].text == ","):
        comma = comma or doc[i].text == ","
        i += 1
    if i < len(doc) and doc[i].lower_ in ("the", "a", "an"):
        i += 1
    elif not comma:
        return
    if not comma and (i == end or doc[i - 1].lower_ != "the"):
        return
    actor = None
    if i in ctx.actor_at and ctx.actor_at[i].start == i:
        actor = ctx.actor_at[i]
        i = actor.end
        if i < len(doc) and doc[i].tag_ == "POS":
            i += 1
    while i < len(doc) and doc[i].lower_ in ctx.words.title_modifiers:
        i += 1
    match = ctx.title_at.get(i)
    if match is None or match.start != i or match.plural:
        j = i
        while j < len(doc) and _title_modifier(ctx, j) and j - i < 3:
            j += 1
        match = ctx.title_at.get(j)
        if match is None or match.start != j or match.plural or j == i:
            return
    stop = match.end
    while stop < len(doc) and stop - match.end < _MAX_PORTFOLIO and not (
            doc[stop].is_punct and doc[stop].text not in ("-", "‑", "&", "'s", "’s")) and not "\n" in doc[stop].text \
            and not (doc[stop].pos_ in ("VERB", "AUX") and doc[stop].lower_ not in ctx.words.locative_participles) \
            and doc[stop].lower_ not in ("who", "which", "that", "and", "said", "says") \
            and not ctx.honorific(stop) and not (doc[stop].ent_type_ == "PERSON" and stop not in ctx.actor_at
                                                 and ctx.place_country(doc[stop].text) is None):
        stop += 1
    title = None
    for s in range(stop, match.end - 1, -1):
        title = _read_title(ctx, match, s)
        if title is not None:
            break
    if title is None:
        return
    title.start = min(title.start, i) if actor is None else title.start
    _set_office(person, title)
    ctx.used_offices.add(match.start)
    person.title_mentions.append((match.start, match.end))
    if title.affiliation is None and title.affiliation_code is None and actor is not None:
        title.affiliation = actor
    if not person.explicit_affiliation:
        _state_affiliation(ctx, person, title)


def _governing_title(ctx: _Context, person: Person, start: int, end: int) -> None:
    """# coordination under a title: "the foreign ministers of Geremek of Poland, Martonyi of
    Hungary", "Presidents Medvedev and Saakashvili", "the presidents of Russia (Boris Yeltsin)" """
    doc = ctx.doc
    m = ctx.governed.get((start, end))
    if m is not None:
        # "Presidents Medvedev and Saakashvili"
        _set_office(person, _Title(_singular(ctx, m), m.office, m.start, m.end))
        ctx.used_offices.add(m.start)
        return
    root = doc[start:end].root
    node, hops = root, 0
    ends = {m.end - 1: m for m in ctx.titles}
    while hops < 6 and node.head is not node:
        if node.dep_ not in ("pobj", "prep", "appos", "conj", "compound", "nmod"):
            break
        node = node.head
        hops += 1
        m = ends.get(node.i)
        if m is not None and m.end <= start:
            _set_office(person, _Title(_singular(ctx, m), m.office, m.start, m.end))
            ctx.used_offices.add(m.start)
            return


def _singular(ctx: _Context, m: OfficeMatch) -> str:
    """A title as the text writes it, in the singular ("foreign ministers" -> foreign minister)."""
    tokens = _without_prefix(ctx, list(ctx.doc[m.start:m.end]))
    text = visible("".join(t.text_with_ws for t in tokens).strip())
    if not m.plural:
        return text
    head, _, last = text.rpartition(" ")
    form_last = m.form.rpartition(" ")[2]
    return f"{head} {form_last}".strip() if last.lower() != form_last else text


def _bracketed_after_state(ctx: _Context, person: Person, start: int, end: int) -> None:
    """# a name in brackets after a state is that state's: "Kazakhstan (Nursultan Nazarbayev)";
    a plural title before the list is each one's office ("the presidents of Russia (...)")"""
    doc = ctx.doc
    if start < 2 or doc[start - 1].text != "(" or end >= len(doc) or doc[end].text != ")":
        return
    actor = ctx.actor_ending_at.get(start - 1)
    if actor is None or actor.kind != "state":
        return
    person.affiliation, person.rank = actor.code, 3
    ctx.claimed.add(actor.start)
    if person.office is not None:
        return
    # back over "STATE (Name), STATE (Name) and" to "the presidents of"
    k = start - 1
    while k > 0 and start - k < 60:
        m = ctx.title_ending_at.get(k)
        if m is not None and m.plural and doc[k].lower_ == "of":
            _set_office(person, _Title(_singular(ctx, m), m.office, m.start, m.end))
            ctx.used_offices.add(m.start)
            return
        tok = doc[k]
        if tok.text in (",", "and", ")", "(", "of") or tok.i in ctx.actor_at or _name_token(ctx, tok, first=True):
            k -= 1
            continue
        return


def _of_state_after(ctx: _Context, person: Person, end: int) -> None:
    """# affiliation after the name: "Janos Martonyi of Hungary", "Ambassador Chen Hai of the
    People's Republic of China" """
    if person.explicit_affiliation:
        return
    doc = ctx.doc
    if end + 1 < len(doc) and doc[end].lower_ == "of":
        i = end + 1
        if doc[i].lower_ == "the":
            i += 1
        actor = ctx.actor_at.get(i)
        if actor is not None and actor.kind in ("state", "organization"):
            person.affiliation = actor.code
            person.rank = 3
            ctx.claimed.add(actor.start)


# --- affiliation fallbacks -----------------------------------------------------------------

def _nearest_unclaimed(ctx: _Context, person: Person) -> str | None:
    """The nearest state or organisation in the person's sentence that nobody else claims, that
    is no place gone to or visited, no birthplace, and not inside a quotation the person is
    outside of."""
    doc = ctx.doc
    start, end = person.mentions[0]
    sent = doc[start].sent
    quoted = _quoted_tokens(sent)
    outside = start not in quoted
    candidates = [a for a in ctx.actors if sent.start <= a.start < sent.end and a.start not in ctx.claimed
                  and a.kind in ("state", "organization") and (a.end <= start or a.start >= end)
                  and not _destination(ctx, doc[a.start]) and not _origin(ctx, a)
                  and not _counterpart(doc, start, end, a) and not (outside and a.start in quoted)]
    if not candidates:
        return None
    before = [a for a in candidates if a.end <= start]
    best = before[-1] if before else candidates[0]
    return best.code


def _quoted_tokens(sent) -> set[int]:
    """Token indices inside quotation marks in a sentence."""
    inside, out = False, set()
    for tok in sent:
        if tok.text in _QUOTES or tok.text == "''" or tok.text == "``":
            inside = not inside if tok.text in ('"', "''", "``") else tok.text in ("“", "«", "„")
            continue
        if inside:
            out.add(tok.i)
    return out


def _origin(ctx: _Context, a: ActorMention) -> bool:
    """# "South Korea-born American businessman": a birthplace is not one's state"""
    doc = ctx.doc
    return (a.end + 1 < len(doc) and doc[a.end].text in ("-", "‑") and doc[a.end + 1].lower_ in ctx.words.origin_suffixes)


def _destination(ctx: _Context, tok) -> bool:
    """# a place one goes to, is in or visits is not one's state: "lead a delegation to Berlin,
    Germany", "visited Germany" """
    node = tok
    if node.dep_ in ("dobj", "pobj") and node.head.lemma_ in ctx.words.visit_verbs:
        return True
    if node.dep_ == "pobj" and node.head.lower_ == "for" and node.head.head.lemma_ in ctx.words.visit_verbs:
        return True   # "departs for Australia"
    for _ in range(3):
        if node.head is node:
            return False
        node = node.head
        if node.dep_ == "prep" and node.lower_ in ("to", "in", "at", "from", "into", "toward", "towards"):
            return True
    return False


def _counterpart(doc, start: int, end: int, a: ActorMention) -> bool:
    """# the party a person acts on is not the person's state: "President Bush threatened
    further action against Russia", "the Prime Minister accused Iran of ...", "the minister met
    his Turkish counterpart" (the object of the verb the person is the subject of)"""
    subject = next((doc[i] for i in range(start, end) if doc[i].dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return False
    verb = subject.head
    node = doc[a.start]
    for _ in range(6):
        if node.i == verb.i or node.head.i == node.i:
            return False
        if node.head.i == verb.i:
            return node.dep_ in ("dobj", "dative", "prep", "xcomp", "attr", "oprd", "npadvmod") and node.i > subject.i
        if node.pos_ in ("VERB", "AUX") and node.dep_ not in ("xcomp",):
            return False   # the actor belongs to a clause of its own ("said Iran would respond")
        node = node.head
    return False


def _drop_unsupported(people: list[Person]) -> list[Person]:
    """# a one-word "person" with no office and no fuller name is more often a misread
    place or holiday ("Eid", "Raqqah") than a person, unless it names a known person"""
    return [p for p in people if len(p.name.split()) > 1 or p.office is not None or p.known is not None]


def _merge(people: list[Person]) -> list[Person]:
    """One Person per individual: same name, or a surname that ends a fuller name. The office
    is the first one stated; the affiliation the best-founded."""
    merged: list[Person] = []
    for p in people:
        key = norm_name(p.name)
        target = None
        for m in merged:
            mk = norm_name(m.name)
            if mk == key or mk.split()[-1:] == key.split() or key.split()[-1:] == mk.split():
                target = m
                break
        if target is None:
            merged.append(p)
            continue
        if len(key.split()) > len(norm_name(target.name).split()):
            target.name = p.name
        target.mentions.extend(p.mentions)
        target.title_mentions.extend(p.title_mentions)
        target.in_actor = target.in_actor and p.in_actor
        if target.office is None and p.office:
            target.office, target.office_entry, target.sector = p.office, p.office_entry, p.sector
            target.office_country = p.office_country
        if p.rank > target.rank or target.affiliation is None:
            target.affiliation, target.rank = p.affiliation, p.rank
    return merged


@dataclass
class TitleMention:
    """An official named only by office ("the Foreign Secretary"), with no name in the story."""

    start: int
    end: int
    office: Office
    affiliation: str


def _attach_bare_titles(ctx: _Context, people: list[Person], publisher_code: str | None,
                        office_matcher: OfficeMatcher) -> list[TitleMention]:
    """# a title alone refers to the person with that office: "the Serbian defense minister",
    "The Prime Minister added" (the office a known person held that day counts); with nobody
    to refer to, it still names an official of its state ("The Foreign Secretary met ...")"""
    doc = ctx.doc
    unattached: list[TitleMention] = []
    for m in ctx.titles:
        o_start, o_end, office = m.start, m.end, m.office
        if o_start in ctx.used_offices or m.plural:
            continue
        k = o_start
        while k > 0 and doc[k - 1].text[:1].isupper() and doc[k - 1].is_alpha and doc[k - 1].pos_ != "DET" \
                and o_start - k < 4:
            k -= 1   # back over the title's own words and prefix: "a Foreign Office spokesman"
        if k > 0 and doc[k - 1].lower_ in ("a", "an", "another", "one", "former", "his", "her", "their"):
            continue   # "a Foreign Office spokesman": somebody unnamed, not a person of the story
        prefix = _prefix_actor(ctx, o_start)
        affiliation = prefix.code if prefix else (office.country or None)
        candidates = [p for p in people if p.office_entry is office and (affiliation is None or p.affiliation == affiliation)]
        if not candidates:
            candidates = [p for p in people if p.office is None and p.known is not None and p.known.office
                          and office_matcher.entry(p.known.office) is office
                          and (affiliation is None or p.affiliation == affiliation)]
            if len(candidates) == 1:
                _set_office(candidates[0], _Title(_singular(ctx, m), office, o_start, o_end))
        if not candidates:
            wanted = affiliation or publisher_code
            candidates = [p for p in people if p.office is None and (p.rank < 1 or p.affiliation == wanted)]
            if len(candidates) == 1:
                _set_office(candidates[0], _Title(_singular(ctx, m), office, o_start, o_end))
                if candidates[0].rank < 1 and wanted:
                    # a bare title gives its state only to someone with no nearer one
                    candidates[0].affiliation, candidates[0].rank = wanted, 2
        start = prefix.start if prefix else o_start
        if len(candidates) == 1:
            candidates[0].title_mentions.append((start, o_end))
        elif not candidates and (affiliation or publisher_code) and (
                doc[o_start].text[:1].isupper() or prefix is not None or (o_start > 0 and doc[o_start - 1].lower_ == "the")):
            unattached.append(TitleMention(start, o_end, office, affiliation or publisher_code))
    return unattached


def _surname_mentions(doc, people: list[Person]) -> None:
    """# a surname alone later in the story ("Vulin", "Mr Johnson") is a mention of that person
    (not a word of another person's name)"""
    covered = {i for p in people for s, e in p.mentions for i in range(s, e)}
    by_surname: dict[str, Person] = {}
    for p in people:
        parts = p.name.split()
        if parts:
            by_surname.setdefault(parts[-1], p)
    for tok in doc:
        p = by_surname.get(tok.text)
        if p is None or not tok.text[:1].isupper() or tok.i in covered:
            continue
        p.mentions.append((tok.i, tok.i + 1))
        covered.add(tok.i)
    for p in people:
        p.mentions.sort()
