"""office_holders.jsonl: the hand-curated office holders of 2014-2025 and the 1990s leaders
people.jsonl lacks. The file validates, every code is a known actor, dates are coherent,
every line says its source, and no short name points at people of different states."""
from __future__ import annotations

from collections import defaultdict

import pytest

from entente.dictionaries import (
    DATA_DIR, FILES, OfficeHolder, load_dictionaries, load_jsonl, partial_date_bounds,
)
from entente.errors import DictionaryError

NAME, MODEL = FILES["office_holders"]


@pytest.fixture(scope="module")
def d():
    return load_dictionaries()


@pytest.fixture(scope="module")
def holders():
    return load_jsonl(DATA_DIR / NAME, MODEL)


def _bounds(role):
    """(first day the role may have started, last day it may have ended; None = still held)."""
    return partial_date_bounds(role.start)[0], (partial_date_bounds(role.end)[1] if role.end else None)


# --- the model --------------------------------------------------------------------------------


def test_office_holders_model_reports_every_bad_line(tmp_path):
    good = ('{"name": "A B", "aliases": [], "roles": [{"code": "SRB", "sector": "GOV", "office": "President",'
            ' "start": "2017-05-31", "end": null}], "source": "Wikipedia: A B"}')
    path = tmp_path / NAME
    path.write_text("\n".join([
        good,                                                                                   # 1 good
        good.replace(', "source": "Wikipedia: A B"', ""),                                       # 2 no source
        good.replace('"start": "2017-05-31"', '"start": "31.05.2017"'),                         # 3 bad date
        good.replace('"end": null', '"end": "2016"'),                                           # 4 ends before start
        good.replace('"roles": [{', '"roles": [{"party": "SNS", '),                             # 5 unknown field
        good.replace('"source": "Wikipedia: A B"', '"source": "  "'),                           # 6 empty source
        good.replace('"start": "2017-05-31"', '"start": "2017-02-30"'),                         # 7 no such day
        good.replace('"office": "President", ', ""),                                            # 8 no office
    ]) + "\n", encoding="utf-8")
    with pytest.raises(DictionaryError) as err:
        load_jsonl(path, OfficeHolder)
    where = [p.split(" ")[0] for p in err.value.problems]
    assert where == [f"{NAME}:{n}:" for n in (2, 3, 4, 5, 6, 7, 8)]
    assert "'source' is required" in err.value.problems[0]


@pytest.mark.parametrize("value, bounds", [
    ("2024", ("2024-01-01", "2024-12-31")),
    ("2024-02", ("2024-02-01", "2024-02-29")),
    ("2023-02", ("2023-02-01", "2023-02-28")),
    ("2012-11-06", ("2012-11-06", "2012-11-06")),
])
def test_office_holders_partial_date_bounds(value, bounds):
    assert partial_date_bounds(value) == bounds


# --- the data file ----------------------------------------------------------------------------


def test_office_holders_file_loads_into_dictionaries(d, holders):
    assert len(d.office_holders) == len(holders) > 0


def test_office_holders_codes_are_known_actors(d, holders):
    # States (countries.jsonl), organisations (organizations.jsonl), and for the few leaders of
    # armed groups before they held a state office (al-Sharaa: HTS), the groups of groups.jsonl.
    known = {c.code for c in d.countries} | {o.code for o in d.organizations} | {g.code for g in d.groups}
    unknown = [(h.name, r.code) for h in holders for r in h.roles if r.code not in known]
    assert not unknown


def test_office_holders_sectors_are_plover_sectors(d, holders):
    known = {o.sector for o in d.offices} | {w.sector for w in d.sector_words}
    odd = [(h.name, r.sector) for h in holders for r in h.roles if r.sector not in known]
    assert not odd


def test_office_holders_no_role_ends_before_it_starts(holders):
    backwards = [(h.name, r.office, r.start, r.end) for h in holders for r in h.roles
                 if r.end is not None and _bounds(r)[1] < _bounds(r)[0]]
    assert not backwards


def test_office_holders_one_person_never_holds_the_same_office_twice_at_once(holders):
    overlaps = []
    for h in holders:
        by_office = defaultdict(list)
        for r in h.roles:
            by_office[(r.code, r.office)].append(_bounds(r))
        for (code, office), spans in by_office.items():
            spans.sort()
            for (s1, e1), (s2, _) in zip(spans, spans[1:]):
                if e1 is None or s2 < e1:       # the next term starts before this one ends
                    overlaps.append((h.name, code, office, s1, e1, s2))
    assert not overlaps


def test_office_holders_every_line_says_its_source(holders):
    assert all(h.source.strip() for h in holders)


def test_office_holders_cover_at_least_500_people_after_2014(holders):
    recent = [h for h in holders if any(r.end is None or _bounds(r)[1] >= "2014-01-01" for r in h.roles)]
    assert len(recent) >= 500


def test_office_holders_names_unique(holders):
    names = [h.name.casefold() for h in holders]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})


def test_office_holders_no_alias_names_people_of_different_states(holders):
    people_by_form = defaultdict(list)
    for h in holders:
        for form in {h.name.casefold(), *(a.casefold() for a in h.aliases)}:
            people_by_form[form].append(h)
    clashes = {form: [h.name for h in people] for form, people in people_by_form.items()
               if len(people) > 1 and len({frozenset(r.code for r in h.roles) for h in people}) > 1}
    assert not clashes


@pytest.mark.parametrize("name, date, code, office", [
    ("Sergei Shoigu", "2020-06-01", "RUS", "Defense Minister"),
    ("Shoigu", "2025-03-01", "RUS", "Secretary of the Security Council"),
    ("Stoltenberg", "2018-07-11", "NATO", "Secretary General"),
    ("Stoltenberg", "2025-06-01", "NOR", "Finance Minister"),
    ("Rutte", "2019-01-01", "NLD", "Prime Minister"),
    ("Rutte", "2025-06-24", "NATO", "Secretary General"),
    ("Kallas", "2025-01-15", "EU", "High Representative for Foreign Affairs and Security Policy"),
    ("Tasmagambetov", "2015-05-01", "KAZ", "Defense Minister"),
    ("Tasmagambetov", "2024-09-01", "CSTO", "Secretary General"),
    ("Yermekbayev", "2025-04-01", "SCO", "Secretary General"),
    ("Grachev", "1994-12-11", "RUS", "Defense Minister"),
    ("Kinkel", "1995-06-01", "DEU", "Foreign Minister"),
])
def test_office_holders_role_held_on_a_date(holders, name, date, code, office):
    # The facts the resolver will read: the office a person named alone held that day.
    person = next(h for h in holders if name.casefold() in {h.name.casefold(), *(a.casefold() for a in h.aliases)})
    held = [r for r in person.roles
            if _bounds(r)[0] <= date and (r.end is None or date <= _bounds(r)[1])]
    assert (code, office) in {(r.code, r.office) for r in held}
