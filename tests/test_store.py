"""The record store: migrations, the write path (new / unchanged / duplicate / replaced),
merging reports into events, queries, read-only SQL, and the query commands.

Records are written directly through ``Store.write_record`` (factory in conftest.py), so
nothing here depends on what the extractor finds."""
from __future__ import annotations

import json
import random
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from entente.errors import StoreError
from entente.store import Store, queries, schema
from entente.store.merge import date_bounds, named_event_key, places_compatible, summary_place
from entente.store.schema import TABLES, Migration

from conftest import make_entity, make_event, make_record, old_store


def kazinform_record() -> dict:
    """The SPEC's Kazinform story as the extractor should code it."""
    entities = [
        make_entity("e1", "organization", "Collective Security Treaty Organization", code="CSTO"),
        make_entity("e2", "person", "Aleksandar Vulin", office="Defense Minister", affiliation="SRB", sector="MIL"),
        make_entity("e3", "state", "Serbia", code="SRB"),
        make_entity("e4", "named_event", "Vzaimodeistvoye 2017", type="exercise", organizer="CSTO",
                    place={"name": "Armenia", "country": "ARM"}, date="2017-10", participants=[], observers=["SRB"]),
        make_entity("e5", "named_event", "Poisk 2017", type="exercise", organizer="CSTO",
                    place={"name": "Armenia", "country": "ARM"}, date="2017-10", participants=[], observers=["SRB"]),
        make_entity("e6", "person", "Yuri Khachaturov", office="Secretary General", affiliation="CSTO"),
    ]
    events = [
        make_event("CONSULT", ["SRB"], ["CSTO"], date="2017-09-25", place=("Moscow", "RUS"), sector="MIL",
                   mode=["visit"], context=["military"]),
        make_event("AGREE", ["SRB"], ["CSTO"], date="2017-09-25", text="agreement was reached"),
        make_event("COOPERATE", ["CSTO"], ["SRB"], date="2018", aux="future", text="will step up participation"),
    ]
    return make_record("kazinform-2017-09-27-csto-serbia", events, entities)


# -- migrations ------------------------------------------------------------------------------


def test_store_new_store_records_every_migration(store):
    rows = store.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert [v for v, _ in rows] == [m.version for m in schema.MIGRATIONS]
    assert store.version == schema.MIGRATIONS[-1].version
    assert set(store.counts()) == set(schema.TABLES)


def test_store_older_store_is_migrated_on_open(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    Store(path).close()
    extra = Migration(len(schema.MIGRATIONS) + 1, "articles.language", "ALTER TABLE articles ADD COLUMN language VARCHAR")
    monkeypatch.setattr("entente.store.store.MIGRATIONS", schema.MIGRATIONS + (extra,))
    with Store(path) as s:
        assert s.version == extra.version
        columns = [r[0] for r in s.execute("DESCRIBE articles").fetchall()]
        assert "language" in columns


def test_store_newer_store_is_refused(tmp_path):
    path = tmp_path / "new.duckdb"
    with Store(path) as s:
        s.execute("INSERT INTO schema_migrations VALUES (999, 'from the future', now())")
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_store_read_only_needs_an_existing_store(tmp_path):
    with pytest.raises(StoreError, match="no such store"):
        Store(tmp_path / "missing.duckdb", read_only=True)


# -- the write path --------------------------------------------------------------------------


def test_store_write_statuses(store):
    a = make_record("a", [make_event("CONSULT", ["SRB"], ["CSTO"], date="2017-09-25")])
    assert store.write_record(a).status == "new"
    assert store.write_record(a).status == "unchanged"
    copy = dict(a, id="a-copy")
    result = store.write_record(copy)
    assert (result.status, result.same_as) == ("duplicate", "a")
    assert store.write_record(copy).status == "duplicate"
    assert store.write_record(dict(a, text="A corrected version.")).status == "replaced"
    counts = store.counts()
    assert (counts["articles"], counts["article_aliases"], counts["events"], counts["event_sources"]) == (1, 1, 1, 1)


def test_store_replaced_article_replaces_its_rows_and_drops_orphan_events(store):
    old = make_record("a", [make_event("CONSULT", ["SRB"], ["CSTO"], date="2017-09-25"),
                            make_event("ACCUSE", ["RUS"], ["USA"], date="2017-09-26")],
                      [make_entity("e1", "state", "Serbia", code="SRB")])
    store.write_record(old)
    store.write_record(make_record("b", [make_event("CONSULT", ["SRB"], ["CSTO"], date="2017-09-25")]))
    new = make_record("a", [make_event("SUPPORT", ["SRB"], ["CSTO"], date="2017-09-25")],
                      [make_entity("e1", "organization", "CSTO", code="CSTO"),
                       make_entity("e2", "state", "Serbia", code="SRB")], text="Second version.")
    assert store.write_record(new).status == "replaced"
    types = dict(store.execute("SELECT type, n_sources FROM events").fetchall())
    assert types == {"CONSULT": 1, "SUPPORT": 1}  # ACCUSE had only article a: gone
    assert store.execute("SELECT count(*) FROM entities WHERE article = 'a'").fetchone()[0] == 2
    assert store.execute("SELECT count(*) FROM event_participants").fetchone()[0] == 4


def test_store_failed_write_leaves_nothing(store, monkeypatch):
    def boom(rec):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "_insert_named_events", boom)
    with pytest.raises(RuntimeError):
        store.write_record(make_record("a", [make_event("CONSULT", ["SRB"], ["CSTO"])],
                                       [make_entity("e1", "state", "Serbia", code="SRB")]))
    assert all(n == 0 for t, n in store.counts().items())


def test_store_failures_are_noted_once_and_cleared_by_success(store):
    store.record_failure("a.jsonl", 2, "not JSON")
    store.record_failure("a.jsonl", 2, "not JSON")
    store.record_failure("b.txt", None, "file is empty")
    assert len(queries.failures(store)) == 2
    store.write_record(make_record("x"), source="a.jsonl", line=2)
    assert [f["source"] for f in queries.failures(store)] == ["b.txt"]


def test_store_read_only_refuses_writes(tmp_path):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    with Store(path, read_only=True) as s:
        with pytest.raises(StoreError, match="read-only"):
            s.write_record(make_record("a"))


# -- merging ---------------------------------------------------------------------------------

MERGE_CASES = [
    # (first report, second report, events expected)
    (dict(date="2017-09-25", place=("Moscow", "RUS")), dict(date="2017-09-25", place=("Moscow", "RUS")), 1),
    (dict(date="2017-09-25", place=("Moscow", "RUS")), dict(date="2017-09-25"), 1),
    (dict(date="2017-09-25", place=("Moscow", "RUS")), dict(date="2017-09-25", place=("Sochi", "RUS")), 1),
    (dict(date="2017-09-25", place=("Moscow", "RUS")), dict(date="2017-09-25", place=("Minsk", "BLR")), 2),
    (dict(date="2017-09-25", place="Moscow"), dict(date="2017-09-25", place="Minsk"), 2),
    (dict(date="2017-09-25"), dict(date="2017-09-26"), 2),
    (dict(date="2017-09-25"), dict(date="2017-09"), 2),
    (dict(date="2017-09-25"), dict(), 2),
    (dict(), dict(), 2),                                   # undated reports of two articles: never one event
    (dict(date="2017-09"), dict(date="2017-09"), 2),       # a month holds many meetings
    (dict(date="2017"), dict(date="2017"), 2),
    (dict(date="2017-10-18/2017-10-21"), dict(date="2017-10-18/2017-10-21"), 1),  # a span from a day
    (dict(date="2017-09-25"), dict(date="2017-09-25", aux="future"), 2),
]


@pytest.mark.parametrize("first,second,expected", MERGE_CASES)
def test_store_merge_reports(store, first, second, expected):
    store.write_record(make_record("a", [make_event("CONSULT", ["SRB"], ["CSTO"], **first)]))
    store.write_record(make_record("b", [make_event("CONSULT", ["SRB"], ["CSTO"], **second)]))
    assert store.counts()["events"] == expected
    assert store.counts()["event_sources"] == 2


@pytest.mark.parametrize("actors_a,recipients_a,actors_b,recipients_b,expected", [
    (["RUS", "CHN"], [], ["CHN", "RUS"], [], 1),        # compound actors in any order
    (["RUS", "CHN"], [], ["RUS"], [], 2),
    (["SRB"], ["CSTO"], ["CSTO"], ["SRB"], 2),          # direction matters
])
def test_store_merge_participants(store, actors_a, recipients_a, actors_b, recipients_b, expected):
    store.write_record(make_record("a", [make_event("ACCUSE", actors_a, recipients_a, date="2017-01-02")]))
    store.write_record(make_record("b", [make_event("ACCUSE", actors_b, recipients_b, date="2017-01-02")]))
    assert store.counts()["events"] == expected


@pytest.mark.parametrize("published_a,published_b", [
    ("2017-09-27", "2017-09-27"),
    ("2017-09-27", "2018-03-01"),
    (None, None),
    ("2017-09-27", None),
])
def test_store_undated_reports_of_two_articles_are_never_one_event(store, published_a, published_b):
    store.write_record(make_record("a", [make_event("SUPPORT", ["USA"], ["SYR"])], date=published_a))
    store.write_record(make_record("b", [make_event("SUPPORT", ["USA"], ["SYR"])], date=published_b))
    assert store.counts()["events"] == 2
    assert [e["n_sources"] for e in queries.events(store)] == [1, 1]


@pytest.mark.parametrize("date", [None, "2017-09", "2017"])
def test_store_reports_not_dated_to_the_day_merge_within_their_article(store, date):
    twice = [make_event("ASSAULT", [], ["IRQ"], date=date, sentence=n) for n in (1, 3)]
    store.write_record(make_record("a", twice))
    [event] = queries.events(store)
    assert event["n_sources"] == 1 and len(event["sources"]) == 2


def test_store_events_merged_across_articles_by_an_older_rule_are_split_on_open(tmp_path, monkeypatch):
    """Migration 4: a store written when undated reports of different articles merged (one
    event, two sources) opens with one event per article."""
    path = tmp_path / "old.duckdb"
    records = [make_record(article, [make_event("ASSAULT", [], ["IRQ"], place=("Iraq", "IRQ"))], date=None)
               for article in ("m1", "m2", "m3")]
    records += [make_record(article, [make_event("CONSULT", ["SRB"], ["CSTO"], date="2017-09-25")])
                for article in ("d1", "d2")]
    old_store(path, 3, records, monkeypatch)           # a store of schema 3, before the merge rule
    monkeypatch.setattr("entente.store.store.MIGRATIONS", schema.MIGRATIONS[:3])
    with Store(path) as s:
        # the store as the older rule left it: the three undated reports on one event
        first = s.execute("SELECT min(event) FROM event_sources WHERE article LIKE 'm%'").fetchone()[0]
        s.execute("UPDATE event_sources SET event = ? WHERE article LIKE 'm%'", [first])
        s.execute("DELETE FROM events WHERE id <> ? AND key LIKE 'ASSAULT%'", [first])
        s.execute("DELETE FROM event_participants WHERE event NOT IN (SELECT id FROM events)")
        s.execute("UPDATE events SET n_sources = 3, key = 'ASSAULT||IRQ|~|' WHERE id = ?", [first])
        assert sorted(n for (n,) in s.execute("SELECT n_sources FROM events").fetchall()) == [2, 3]
    monkeypatch.setattr("entente.store.store.MIGRATIONS", schema.MIGRATIONS)
    with Store(path) as s:
        events = queries.events(s)
        assert sorted((e["event"], e["n_sources"]) for e in events) == [
            ("ASSAULT", 1), ("ASSAULT", 1), ("ASSAULT", 1), ("CONSULT", 2)]
        assert sorted(src["article"] for e in events if e["event"] == "ASSAULT" for src in e["sources"]) == \
            ["m1", "m2", "m3"]
        assert all(e["event_loc"]["country"] == "IRQ" for e in events if e["event"] == "ASSAULT")
        orphans = s.execute("SELECT count(*) FROM events e WHERE NOT EXISTS "
                            "(SELECT 1 FROM event_sources x WHERE x.event = e.id)").fetchone()[0]
        assert orphans == 0
        assert s.execute("SELECT count(*) FROM event_participants WHERE code = 'IRQ'").fetchone()[0] == 3


def test_store_two_articles_reporting_one_meeting_make_one_event_with_two_sources(store):
    meeting = dict(date="2017-09-25", place=("Moscow", "RUS"))
    store.write_record(make_record("kazinform", [make_event("CONSULT", ["SRB"], ["CSTO"], **meeting)],
                                   publisher="Kazinform"))
    store.write_record(make_record("tass", [make_event("CONSULT", ["SRB"], ["CSTO"], **meeting)], publisher="TASS"))
    [event] = queries.events(store)
    assert event["n_sources"] == 2
    assert [(s["article"], s["publisher"]) for s in event["sources"]] == [("kazinform", "Kazinform"),
                                                                          ("tass", "TASS")]


def test_store_counts_sources_not_mentions(store):
    repeated = [make_event("CONSULT", ["SRB"], ["CSTO"], date="2017-09-25", sentence=n) for n in (1, 4)]
    store.write_record(make_record("a", repeated))
    [event] = queries.events(store)
    assert event["n_sources"] == 1 and len(event["sources"]) == 2


def test_store_event_place_summarises_its_reports(store):
    store.write_record(make_record("a", [make_event("CONSULT", ["SRB"], ["CSTO"], date="2017-09-25",
                                                    place=("Moscow", "RUS"))]))
    store.write_record(make_record("b", [make_event("CONSULT", ["SRB"], ["CSTO"], date="2017-09-25",
                                                    place=("Sochi", "RUS"))]))
    [event] = queries.events(store)
    assert (event["event_loc"]["name"], event["event_loc"]["country"]) == (None, "RUS")


def stream_of_records(seed: int, n: int = 60) -> list[dict]:
    """A seeded stream of records that exercises every rule of the write path: reports of a few
    events with compatible and clashing places, undated ones, exact copies under new ids,
    articles rewritten under the same id, repeats, named events, and a record the store
    refuses (an entity id used twice)."""
    rng = random.Random(seed)
    places = [None, "Moscow", ("Moscow", "RUS"), ("Sochi", "RUS"), ("Minsk", "BLR"), ("Yerevan", "ARM")]
    exercises = ["Vzaimodeistvoye 2017", "VZAIMODEISTVOYE-2017", "Nerushimoye Bratstvo 2017", "Zapad 2017"]
    out: list[dict] = []
    for i in range(n):
        roll = rng.random()
        if out and roll < 0.12:  # the same text under a new id: a duplicate
            out.append(dict(rng.choice(out), id=f"copy-{i}"))
            continue
        if out and roll < 0.22:  # an article again: unchanged, or rewritten (replaced)
            again = rng.choice(out)
            out.append(again if rng.random() < 0.5 else dict(again, text=f"{again['text']} Update {i}."))
            continue
        events = [make_event(rng.choice(["CONSULT", "AGREE", "SUPPORT"]), rng.sample(["SRB", "RUS", "CSTO"], 1),
                             rng.sample(["CSTO", "ARM", "KAZ"], rng.randint(0, 1)),
                             date=rng.choice([None, "2017-09-25", "2017-10"]), place=rng.choice(places),
                             aux=rng.choice([None, None, "future"]))
                  for _ in range(rng.randint(0, 3))]
        entities = [make_entity(f"n{k}", "named_event", rng.choice(exercises), type="exercise",
                                organizer=rng.choice([None, "CSTO"]), observers=rng.sample(["SRB", "IRN"], 1))
                    for k in range(rng.randint(0, 2))]
        if i % 20 == 7:  # every twentieth new article
            entities += [make_entity("dup", "person", "A"), make_entity("dup", "person", "B")]
        out.append(make_record(f"a{i}", events, entities, date=rng.choice(["2017-09-27", "2017-09-28"])))
    return out


def store_contents(store: Store) -> dict[str, list]:
    """Every row of every table, sorted, without the times of writing."""
    contents = {}
    for table in TABLES:
        columns = [c for (c,) in store.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            [table]).fetchall() if c not in ("ingested_at", "first_seen", "failed_at", "applied_at")]
        quoted = ", ".join(f'"{c}"' for c in columns)
        rows = store.execute(f"SELECT {quoted} FROM {table}").fetchall()
        contents[table] = sorted(rows, key=repr)
    return contents


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_store_writing_in_batches_is_writing_one_by_one(seed):
    stream = stream_of_records(seed)
    with Store() as one_by_one, Store() as batched:
        alone = []
        for record in stream:
            try:
                alone.append(one_by_one.write_record(record).status)
            except Exception:
                alone.append("failed")
        rng = random.Random(seed)
        together, i = [], 0
        while i < len(stream):
            size = rng.choice([1, 2, 5, 13, 40])
            together += [r.status for r in batched.write_records((r, None, None, None) for r in stream[i:i + size])]
            i += size
        assert together == alone
        assert {"new", "duplicate", "replaced", "unchanged", "failed"} <= set(alone)
        assert store_contents(batched) == store_contents(one_by_one)
        assert one_by_one.counts()["events"] < one_by_one.counts()["event_sources"]  # reports did merge


def test_store_write_records_a_bad_record_costs_the_others_nothing(store):
    bad = make_record("b", entities=[make_entity("e1", "person", "A"), make_entity("e1", "person", "B")])
    results = store.write_records([(make_record("a"), "x.jsonl", 1, None), (bad, "x.jsonl", 2, None),
                                   ({"id": "c", "dateline": "not an object"}, "x.jsonl", 3, None),
                                   (make_record("d"), "x.jsonl", 4, None)])
    assert [r.status for r in results] == ["new", "failed", "failed", "new"]
    assert "entity id 'e1' is used twice" in results[1].error
    assert store.counts()["articles"] == 2


def test_store_write_records_an_id_rewritten_within_one_batch(store):
    first = make_record("a", [make_event("CONSULT", ["SRB"], ["CSTO"], date="2017-09-25")])
    second = make_record("a", [make_event("ACCUSE", ["USA"], ["SYR"])], text="A corrected version.")
    results = store.write_records([(first, None, None, None), (second, None, None, None)])
    assert [r.status for r in results] == ["new", "replaced"]
    assert store.execute("SELECT text FROM articles").fetchall() == [("A corrected version.",)]
    assert [t for (t,) in store.execute("SELECT type FROM events").fetchall()] == ["ACCUSE"]


def test_store_write_records_a_batch_that_fails_is_written_one_by_one(store, monkeypatch):
    insert = store._insert_named_events

    def refuses_zapad(entries):
        if any(e.name == "Zapad 2017" for entry in entries for e in entry.rec.entities):
            raise RuntimeError("disk on fire")
        insert(entries)

    monkeypatch.setattr(store, "_insert_named_events", refuses_zapad)
    exercise = [make_entity("n1", "named_event", "Zapad 2017", type="exercise")]
    results = store.write_records([(make_record("a", [make_event("CONSULT", ["SRB"], ["CSTO"])]), None, None, None),
                                   (make_record("b", entities=exercise), None, None, None),
                                   (make_record("c"), None, None, None)])
    assert [r.status for r in results] == ["new", "failed", "new"]
    assert results[1].error == "RuntimeError: disk on fire"
    assert sorted(i for (i,) in store.execute("SELECT id FROM articles").fetchall()) == ["a", "c"]
    assert store.execute("SELECT count(*) FROM entities WHERE article = 'b'").fetchone()[0] == 0


@pytest.mark.parametrize("a,b,compatible", [
    (("Moscow", "RUS"), (None, None), True),
    (("Moscow", "RUS"), ("moscow", None), True),
    (("Moscow", "RUS"), ("Sochi", "RUS"), True),
    (("Moscow", "RUS"), ("Minsk", "BLR"), False),
    (("Moscow", None), ("Minsk", None), False),
])
def test_merge_places_compatible(a, b, compatible):
    assert places_compatible(a, b) is compatible


@pytest.mark.parametrize("places,expected", [
    ([("Moscow", "RUS", 55.7, 37.6), (None, None, None, None)], ("Moscow", "RUS", 55.7, 37.6)),
    ([("Moscow", None, None, None), ("Moscow", "RUS", None, None)], ("Moscow", "RUS", None, None)),
    ([("Moscow", "RUS", None, None), ("Sochi", "RUS", None, None)], (None, "RUS", None, None)),
    ([("Moscow", "RUS", None, None), ("Minsk", "BLR", None, None)], (None, None, None, None)),
])
def test_merge_summary_place(places, expected):
    assert summary_place(places) == expected


@pytest.mark.parametrize("date,enddate,expected", [
    ("2017", None, ("2017-01-01", "2017-12-31")),
    ("2016-02", None, ("2016-02-01", "2016-02-29")),
    ("2017-09-25", None, ("2017-09-25", "2017-09-25")),
    ("2017-10-18/2017-10-21", None, ("2017-10-18", "2017-10-21")),
    ("2017-10-18", "2017-10-20", ("2017-10-18", "2017-10-20")),
    (None, None, (None, None)),
    ("last week", None, (None, None)),
])
def test_merge_date_bounds(date, enddate, expected):
    assert date_bounds(date, enddate) == expected


def test_merge_named_event_key_ignores_case_and_punctuation():
    assert named_event_key("Vzaimodeistvoye-2017", "exercise") == named_event_key("VZAIMODEISTVOYE 2017", "exercise")


# -- queries ---------------------------------------------------------------------------------


@pytest.fixture
def filled(store):
    store.write_record(kazinform_record())
    store.write_record(make_record("tass-1", [
        make_event("CONSULT", ["SRB"], ["CSTO"], date="2017-09-25", place=("Moscow", "RUS")),
        make_event("ACCUSE", ["RUS"], ["USA"], date="2016-03-01", place=("Moscow", "RUS")),
        make_event("ASSAULT", [], ["SYR"], date="2016-04-02", place=("Aleppo", "SYR")),
    ], [make_entity("e1", "state", "Russia", code="RUS"), make_entity("e2", "state", "United States", code="USA"),
        make_entity("e3", "named_event", "Vzaimodeistvoye-2017", type="exercise", organizer="CSTO",
                    participants=["RUS"], observers=[])],
        publisher="TASS", date="2017-09-28"))
    orgs = [SimpleNamespace(code="CSTO", members=[SimpleNamespace(code="RUS", joined="1992-05-15", left=None),
                                                  SimpleNamespace(code="ARM", joined="1992-05-15", left=None)])]
    store.load_memberships(orgs)
    return store


def _signature(rows):
    return sorted((r["event"], ",".join(p["code"] for p in r["actor"]), ",".join(p["code"] for p in r["recipient"]))
                  for r in rows)


@pytest.mark.parametrize("filters,expected", [
    ({}, [("ACCUSE", "RUS", "USA"), ("AGREE", "SRB", "CSTO"), ("ASSAULT", "", "SYR"), ("CONSULT", "SRB", "CSTO"),
          ("COOPERATE", "CSTO", "SRB")]),
    ({"actor": "SRB", "with_": "CSTO"}, [("AGREE", "SRB", "CSTO"), ("CONSULT", "SRB", "CSTO"),
                                         ("COOPERATE", "CSTO", "SRB")]),
    ({"actor": "srb", "role": "actor"}, [("AGREE", "SRB", "CSTO"), ("CONSULT", "SRB", "CSTO")]),
    ({"types": "AGREE,CONSULT"}, [("AGREE", "SRB", "CSTO"), ("CONSULT", "SRB", "CSTO")]),
    ({"since": "2017-01-01"}, [("AGREE", "SRB", "CSTO"), ("CONSULT", "SRB", "CSTO"), ("COOPERATE", "CSTO", "SRB")]),
    ({"until": "2016"}, [("ACCUSE", "RUS", "USA"), ("ASSAULT", "", "SYR")]),
    ({"since": "2018-06-01"}, [("COOPERATE", "CSTO", "SRB")]),       # "2018" covers the whole year
    ({"place": "moscow"}, [("ACCUSE", "RUS", "USA"), ("CONSULT", "SRB", "CSTO")]),
    ({"place": "SYR"}, [("ASSAULT", "", "SYR")]),
    ({"aux": "future"}, [("COOPERATE", "CSTO", "SRB")]),
    ({"aux": "none", "actor": "SRB"}, [("AGREE", "SRB", "CSTO"), ("CONSULT", "SRB", "CSTO")]),
])
def test_queries_events_filters(filled, filters, expected):
    assert _signature(queries.events(filled, **filters)) == expected


@pytest.mark.parametrize("filters", [{"since": "yesterday"}, {"aux": "maybe"}, {"actor": "SRB", "role": "boss"}])
def test_queries_events_bad_filters_say_what_to_write(filled, filters):
    with pytest.raises(StoreError):
        queries.events(filled, **filters)


def test_queries_events_are_ordered_and_sourced(filled):
    rows = queries.events(filled)
    starts = [r["date"] for r in rows]
    assert starts[:2] == ["2016-03-01", "2016-04-02"]
    consult = next(r for r in rows if r["event"] == "CONSULT")
    assert consult["n_sources"] == 2
    assert {s["article"] for s in consult["sources"]} == {"kazinform-2017-09-27-csto-serbia", "tass-1"}
    assert consult["actor"] == [{"code": "SRB", "sector": "MIL"}]
    assert consult["mode"] == ["visit"]
    json.dumps(rows)  # JSON-ready


def test_queries_actors(filled):
    rows = {r["code"]: r for r in queries.actors(filled)}
    assert rows["SRB"]["n_events"] == 3 and rows["SRB"]["kind"] == "state"
    assert rows["CSTO"]["kind"] == "organization" and rows["CSTO"]["n_people"] == 1
    assert rows["SYR"]["kind"] is None  # only seen in an event
    assert {r["code"] for r in queries.actors(filled, kind="state")} == {"SRB", "RUS", "USA"}


def test_queries_actor_profile(filled):
    profile = queries.actor_profile(filled, "srb")
    assert [(p["name"], p["office"]) for p in profile["people"]] == [("Aleksandar Vulin", "Defense Minister")]
    assert profile["offices"][0]["office"] == "Defense Minister"
    assert {r["type"]: r["events"] for r in profile["events_by_type"]} == {"AGREE": 1, "CONSULT": 1, "COOPERATE": 1}
    assert profile["events_by_partner"][0]["partner"] == "CSTO"
    assert profile["events_by_partner"][0]["cooperation"] == 3
    assert {(n["name"], n["role"]) for n in profile["named_events"]} == {("Vzaimodeistvoye 2017", "observer"),
                                                                        ("Poisk 2017", "observer")}
    assert (profile["first_seen"], profile["last_seen"]) == ("2017-09-27", "2017-09-28")
    assert (profile["first_event"], profile["last_event"]) == ("2017-09-25", "2018-12-31")
    csto = queries.actor_profile(filled, "CSTO")
    assert [m["member"] for m in csto["members"]] == ["ARM", "RUS"]
    assert queries.actor_profile(filled, "RUS")["member_of"][0]["org"] == "CSTO"
    assert queries.actor_profile(filled, "XXX") is None


def test_queries_named_events_merge_across_articles(filled):
    rows = {r["name"]: r for r in queries.named_events(filled, type="exercise")}
    assert set(rows) == {"Vzaimodeistvoye 2017", "Poisk 2017"}
    v = rows["Vzaimodeistvoye 2017"]
    assert (v["organizer"], v["place"]["country"], v["date"]) == ("CSTO", "ARM", "2017-10")
    assert (v["participants"], v["observers"], v["n_sources"]) == (["RUS"], ["SRB"], 2)
    assert queries.named_events(filled, type="summit") == []
    assert len(queries.named_events(filled, participant="SRB")) == 2


def test_queries_article_record_round_trips(filled):
    record = queries.article_record(filled, "kazinform-2017-09-27-csto-serbia")
    assert record == json.loads(json.dumps(kazinform_record())) | {"text": record["text"]}


@pytest.mark.parametrize("sql", [
    "DELETE FROM events", "DROP TABLE articles", "INSERT INTO failures VALUES ('a', 1, NULL, 'x', now())",
    "SELECT 1; DELETE FROM events", "COPY events TO 'x.csv'", "PRAGMA database_list",
    "ATTACH 'other.duckdb'", "UPDATE events SET type = 'X'",
])
def test_queries_run_sql_refuses_anything_but_select(filled, sql):
    with pytest.raises(StoreError):
        queries.run_sql(filled, sql)
    assert filled.counts()["events"] == 5


def test_queries_run_sql_select(filled):
    columns, rows = queries.run_sql(filled, "WITH t AS (SELECT type FROM events) SELECT type, count(*) AS n "
                                            "FROM t GROUP BY type ORDER BY type")
    assert columns == ["type", "n"] and rows[0] == ["ACCUSE", 1]


def test_queries_run_sql_read_only_store_has_no_file_access(tmp_path):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    (tmp_path / "secret.csv").write_text("a\n1\n")
    with Store(path, read_only=True) as s:
        with pytest.raises(StoreError):
            queries.run_sql(s, f"SELECT * FROM read_csv('{tmp_path / 'secret.csv'}')")


# -- the query commands ----------------------------------------------------------------------


@pytest.fixture
def db_file(tmp_path):
    path = tmp_path / "entente.duckdb"
    with Store(path) as s:
        s.write_record(kazinform_record())
    return path


def run(*args):
    from entente.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])


def test_cli_events_actor_with_lists_dates_and_sources(db_file):
    result = run("events", "--actor", "SRB", "--with", "CSTO", "--format", "jsonl", "--db", db_file)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {(r["event"], r["date"]) for r in rows} == {("CONSULT", "2017-09-25"), ("AGREE", "2017-09-25"),
                                                       ("COOPERATE", "2018")}
    assert all(r["sources"][0]["article"] == "kazinform-2017-09-27-csto-serbia" for r in rows)


@pytest.mark.parametrize("fmt,needle", [("table", "CONSULT"), ("csv", "id,date,date_start,date_end,date_precision,event"),
                                       ("jsonl", '"n_sources"')])
def test_cli_events_formats(db_file, fmt, needle):
    result = run("events", "--format", fmt, "--db", db_file)
    assert result.exit_code == 0, result.output
    assert needle in result.stdout


def test_cli_named_events_lists_both_exercises_with_srb_observing(db_file):
    result = run("named-events", "--type", "exercise", "--format", "csv", "--db", db_file)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert all("SRB" in line and "CSTO" in line for line in lines[1:])


@pytest.mark.parametrize("args,needle", [
    (["actors"], "SRB"),
    (["actors", "--kind", "organization", "--format", "csv"], "CSTO"),
    (["actor", "SRB"], "Aleksandar Vulin"),
    (["actor", "CSTO", "--format", "json"], '"Secretary General"'),
    (["sql", "SELECT count(*) AS n FROM events", "--format", "csv"], "n\n3"),
    (["failures"], "0 failures"),
])
def test_cli_query_commands(db_file, args, needle):
    result = run(*args, "--db", db_file)
    assert result.exit_code == 0, result.output
    assert needle in result.stdout


@pytest.mark.parametrize("args,message", [
    (["sql", "DELETE FROM events"], "only SELECT"),
    (["actor", "XYZ"], "appears nowhere"),
    (["events", "--since", "soon"], "since is 'soon', not a date"),
])
def test_cli_query_commands_fail_cleanly(db_file, args, message):
    result = run(*args, "--db", db_file)
    assert result.exit_code == 1
    assert message in result.output


def test_cli_query_on_a_missing_store_says_how_to_make_one(tmp_path):
    result = run("events", "--db", tmp_path / "nothing.duckdb")
    assert result.exit_code == 1 and "entente ingest" in result.output
