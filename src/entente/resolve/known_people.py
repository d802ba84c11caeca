"""Who a person named without a state is: the roles of the known people on the article's date.

Three data files know people with their roles, and one :class:`KnownPeople` reads them together:

- ``office_holders.jsonl`` (hand-curated, every line sourced): heads of state and government,
  foreign and defence ministers, chiefs of staff and organisation heads from 2014 to 2025, and
  the 1990s leaders the older file lacks; dated offices;
- ``leaders.jsonl``: the best-known leaders, each with one dated office;
- ``people.jsonl`` (Phoenix's CountryInfo, frozen in 2014): ~17,700 people with dated roles.
  After its freeze a role it leaves open may have ended long since.

How a name is read (:meth:`KnownPeople.role_on`):

1. every known person with that name or alias (case, accents and punctuation ignored);
2. the role each held on the article's date (a year or a month is the whole period: a role
   held at any time in it counts); without a date, the latest role;
3. a role the curated files date, or a people.jsonl role within its years, outranks a
   people.jsonl role left open past its freeze ("Truss" in 2022 is Liz Truss, not the
   Australian minister of 2013);
4. # an ambiguous name names nobody: two people of different states who could both be meant
   that day give no answer ("Kim").

A surname alone is tried only for a person the story names by surname, or whose given name
fits the known person's (:meth:`KnownPeople.role_of_person`): "Chairman Marc Fournier ... Mr.
Fournier" is not a known Fournier whose given name differs.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from ..dictionaries import partial_date_bounds

if TYPE_CHECKING:
    from ..dictionaries import Dictionaries


def name_key(text: str) -> str:
    """A name as the index keys it: case, accents and punctuation ignored ("Kim Jong-un" ->
    "kim jong un")."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


@dataclass(frozen=True)
class HeldRole:
    """The role a known person held on a date: the state or organisation it was held for,
    the sector, the office (when the data says it) and the person's name in the data."""

    code: str
    sector: str | None
    office: str | None
    person: str


@dataclass(frozen=True)
class _Role:
    code: str
    sector: str | None
    office: str | None
    lo: str | None      # first day it may have started (None: unknown)
    hi: str | None      # last day it may have ended (None: open)
    dated: bool         # the curated files' roles, and people.jsonl's closed ones


@dataclass(frozen=True)
class _Person:
    name: str
    given: str          # the first word of the name, as keyed
    roles: tuple[_Role, ...]
    curated: bool       # office_holders.jsonl or leaders.jsonl


def _bounds(start: str | None, end: str | None) -> tuple[str | None, str | None]:
    return (partial_date_bounds(start)[0] if start else None, partial_date_bounds(end)[1] if end else None)


class KnownPeople:
    """The people of office_holders.jsonl, leaders.jsonl and people.jsonl by every name form."""

    def __init__(self, d: Dictionaries):
        self.by_form: dict[str, list[_Person]] = {}
        #: people.jsonl's last date: a role it leaves open is not known to last beyond it
        self.people_frozen = max((r.start or r.end or "" for p in d.people for r in p.roles), default="") or None
        for h in d.office_holders:
            roles = tuple(_Role(r.code, r.sector, r.office, *_bounds(r.start, r.end), dated=True) for r in h.roles)
            self._add(h.name, h.aliases, roles, curated=True)
        for ldr in d.leaders:
            role = _Role(ldr.code, ldr.sector, ldr.office, *_bounds(ldr.start, ldr.end), dated=True)
            self._add(ldr.name, ldr.aliases, (role,), curated=True)
        for p in d.people:
            roles = []
            for r in p.roles:
                lo, hi = _bounds(r.start, r.end)
                roles.append(_Role(r.code, r.sector, None, lo, hi, dated=r.end is not None or r.start is None))
            self._add(p.name, p.aliases, tuple(roles), curated=False)

    def _add(self, name: str, aliases: Iterable[str], roles: tuple[_Role, ...], *, curated: bool) -> None:
        key = name_key(name)
        person = _Person(name, key.split()[0] if key else "", roles, curated)
        for form in dict.fromkeys(name_key(f) for f in (name, *aliases)):
            if not form:
                continue
            same = self.by_form.setdefault(form, [])
            # one person listed by two files (Putin) is one candidate: the curated entry first
            if not any(name_key(q.name) == key for q in same):
                same.append(person)

    # --- lookups ------------------------------------------------------------------------------
    def role_on(self, name: str, date: str | None = None, *, given: str | None = None) -> HeldRole | None:
        """The role of the known person ``name`` names on ``date`` (YYYY[-MM[-DD]]), or None
        when nobody, or more than one person of different states, could be meant.
        ``given``: the given name the text writes with this surname; known people whose given
        name does not fit it are not candidates."""
        candidates = self.by_form.get(name_key(name), [])
        if given:
            candidates = [p for p in candidates if _given_fits(name_key(given), p.given)]
        strong: list[tuple[_Person, _Role]] = []
        weak: list[tuple[_Person, _Role]] = []
        for person in candidates:
            role, firm = self._role_of(person, date)
            if role is not None:
                (strong if firm else weak).append((person, role))
        chosen = strong or weak
        if not chosen or len({role.code for _, role in chosen}) > 1:
            return None
        person, role = min(chosen, key=lambda pr: (not pr[0].curated, pr[1].office is None))
        return HeldRole(role.code, role.sector, role.office, person.name)

    def role_of_person(self, full_name: str, date: str | None = None) -> HeldRole | None:
        """The role of the person a story names ``full_name`` (its fullest form): by the whole
        name, else by the surname if the given name fits ("Jim Mattis" is James Mattis; "Marc
        Fournier" is no other Fournier)."""
        words = full_name.split()
        found = self.role_on(full_name, date)
        if found is not None or len(words) < 2:
            return found
        return self.role_on(words[-1], date, given=words[0])

    def _role_of(self, person: _Person, date: str | None) -> tuple[_Role | None, bool]:
        """(the role held on ``date``, whether it is firmly known); without a date the latest."""
        if not date:
            latest = max(person.roles, key=lambda r: r.lo or "", default=None)
            return latest, True
        lo, hi = partial_date_bounds(date[:10])
        held = [r for r in person.roles if r.lo is not None and r.lo <= hi and (r.hi is None or lo <= r.hi)]
        if held:
            # an office held that day before a standing as one of the elite; the latest begun
            role = min(held, key=lambda r: (r.sector == "ELI", r.sector is None, _neg(r.lo)))
            firm = role.dated or person.curated or (self.people_frozen is not None and hi <= self.people_frozen)
            return role, firm
        if not person.curated:
            undated = [r for r in person.roles if r.lo is None and r.hi is None]
            if undated:
                return undated[0], False
        # a former office holder is still of the state they last held office for ("Evo Morales"
        # in 2023); an office that begins later tells nothing of that day
        before = [r for r in person.roles if r.hi is not None and r.hi < lo]
        if before:
            return max(before, key=lambda r: r.hi), False
        return None, False


def _neg(day: str | None) -> tuple[int, ...]:
    """Sort key that puts the latest date first."""
    return tuple(-int(p) for p in (day or "0000-00-00").split("-"))


def _given_fits(text_given: str, known_given: str) -> bool:
    """Whether the given name the text writes fits the known person's: the same word, one the
    start or end of the other ("Tony" / "Antony"), or the same initial ("Jim" / "James")."""
    a, b = text_given.split()[0] if text_given else "", known_given
    if not a or not b:
        return True
    return a == b or a.startswith(b) or b.startswith(a) or a.endswith(b) or b.endswith(a) or a[0] == b[0]
