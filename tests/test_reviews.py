"""Analyst review (store/reviews.py, store/review_rules.py, export/gold.py): append-only reviews,
the record as reviewed, re-extraction, orphans, merged events re-summarised, reviewer tokens,
gold scored by the referee, stats and suggestions.

Records are written directly (factories in conftest.py), with sentence and trigger offsets
into a text written for these tests, so nothing here depends on what the extractor finds."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from entente.errors import StoreError
from entente.export.gold import export_gold
from entente.store import Store, queries, reviews, schema
from entente.store.review_rules import Review, assign_keys, target_state

from conftest import make_event, make_record

SCORE = Path(__file__).resolve().parents[1].parent / "shared" / "score.py"

SENTENCES = [
    "Serbia met the CSTO in Moscow on Monday.",
    "Russia accused Ukraine of shelling the city.",
    "The two ministers signed a pact on training.",
    "Vulin said Georgia and the CSTO would talk again.",
]
TEXT = " ".join(SENTENCES)


def sentence(i: int, text: str = TEXT) -> tuple[int, int]:
    start = text.index(SENTENCES[i])
    return start, start + len(SENTENCES[i])


def word(w: str, i: int, text: str = TEXT) -> tuple[int, int]:
    start = text.index(w, sentence(i, text)[0])
    return start, start + len(w)


def entity(id: str, kind: str, name: str, mentions: list[tuple[str, int]], text: str = TEXT, **fields) -> dict:
    spans = [word(w, i, text) for w, i in mentions]
    return {"id": id, "kind": kind, "name": name, "mentions": [{"start": a, "end": b, "text": text[a:b]} for a, b in spans],
            **fields}


def story(id: str = "a", text: str = TEXT, *, consult=None, accuse=None, support=None, agree=None, extra=(),
          person=None, **kw) -> dict:
    """The test article's record: CONSULT SRB->CSTO, ACCUSE RUS->UKR, SUPPORT SRB->CSTO, AGREE
    GEO->CSTO (future), a person, states, an organisation, a named event; keyword arguments
    change one event's fields (as another extraction of the same text would)."""
    told = [
        (dict(event="CONSULT", actors=["SRB"], recipients=["CSTO"], date="2017-09-25", place=("Moscow", "RUS"),
              sector="GOV", span=sentence(0, text), trigger=word("met", 0, text), text="met"), consult),
        (dict(event="ACCUSE", actors=["RUS"], recipients=["UKR"], date="2017-09-25", span=sentence(1, text),
              trigger=word("accused", 1, text), text="accused"), accuse),
        (dict(event="SUPPORT", actors=["SRB"], recipients=["CSTO"], date="2017-09-25", span=sentence(2, text),
              trigger=word("signed", 2, text), text="signed"), support),
        (dict(event="AGREE", actors=["GEO"], recipients=["CSTO"], aux="future", span=sentence(3, text),
              trigger=word("talk", 3, text), text="talk"), agree),
    ]
    events = [make_event(**{**fields, **(changed or {})}) for fields, changed in told] + list(extra)
    for ev, pattern in zip(events, ("consult.meet", "accuse.accuse", "support.sign", "agree.talk")):
        ev["pattern"] = pattern
    entities = [
        entity("e1", "state", "Serbia", [("Serbia", 0)], text, code="SRB"),
        entity("e2", "organization", "CSTO", [("CSTO", 0), ("CSTO", 3)], text, code="CSTO"),
        entity("e3", "state", "Georgia", [("Georgia", 3)], text, code="GEO"),
        entity("e4", "person", "Vulin", [("Vulin", 3)], text,
               **(person or {"office": "Defense Minister", "affiliation": "RUS", "sector": "MIL"})),
        entity("e5", "state", "Russia", [("Russia", 1)], text, code="RUS"),
        entity("e6", "named_event", "Moscow talks", [("Moscow", 0)], text, type="meeting", organizer="RUS",
               participants=["SRB"], observers=[]),
    ]
    return make_record(id, events, entities, text=text, **kw)


@pytest.fixture
def ana(store):
    reviews.add_reviewer(store, "ana")
    return "ana"


def targets(store, article: str = "a", kind: str = "event") -> dict[str, dict]:
    """The article's targets of a kind, by record event id (events) or by entity id and mention."""
    listed = reviews.article_targets(store, article)[kind]
    if kind == "event":
        return {t["record_event"]: t for t in listed}
    if kind == "mention":
        return {(t["entity"], t["start"]): t for t in listed}
    return {t["entity"]: t for t in listed}


def key(store, record_event: str, article: str = "a") -> str:
    return targets(store, article)[record_event]["key"]


def shown(store, **filters) -> list[tuple]:
    """(type, actors, recipients, date) of every event queries.events() shows."""
    return sorted((e["event"], ",".join(p["code"] for p in e["actor"]), ",".join(p["code"] for p in e["recipient"]),
                   e["date"]) for e in queries.events(store, **filters))


def merged(store, table: str = "events") -> dict[str, int]:
    return dict(store.execute(f"SELECT key, n_sources FROM {table}").fetchall())


# -- keys --------------------------------------------------------------------------------------


def test_reviews_keys_are_spans_not_ids(store):
    store.write_record(story())
    keys = {t["record_event"]: t["key"] for t in reviews.article_targets(store, "a")["event"]}
    start, end = sentence(1)
    ts, te = word("accused", 1)
    assert keys["ev2"] == f"a:{start}-{end}:{ts}-{te}"
    people = targets(store, kind="person")
    assert people["e4"]["key"] == "a:{}-{}".format(*word("Vulin", 3))
    assert store.execute("SELECT key FROM event_sources WHERE record_event = 'ev2'").fetchone()[0] == keys["ev2"]


ASSIGN_CASES = [
    # spans of the items, their types, reviewed targets (key -> type when first reviewed), keys expected
    (["s", "t"], ["AGREE", "ACCUSE"], {}, ["s", "t"]),
    (["s", "s"], ["SUPPORT", "AGREE"], {}, ["s", "s#2"]),
    # a second type appeared on a reviewed trigger, in front: the review keeps its item by type
    (["s", "s"], ["AGREE", "SUPPORT"], {"s": "SUPPORT"}, ["s#2", "s"]),
    # the reviewed type changed with new patterns: the only item on the span is the target
    (["s"], ["CONSULT"], {"s": "AGREE"}, ["s"]),
    # two reviewed, one left: the one of the same type keeps its key
    (["s"], ["AGREE"], {"s": "SUPPORT", "s#2": "AGREE"}, ["s#2"]),
    # an orphaned key is never given to another item
    (["t"], ["AGREE"], {"s": "AGREE"}, ["t"]),
]


@pytest.mark.parametrize("spans, types, reviewed, expected", ASSIGN_CASES)
def test_reviews_assign_keys(spans, types, reviewed, expected):
    values = [{"event": t, "actor": [], "recipient": []} for t in types]
    origins = {k: {"event": t, "actor": [], "recipient": []} for k, t in reviewed.items()}
    from entente.store.review_rules import _event_likeness

    assert assign_keys(spans, values, origins, _event_likeness) == expected


# -- append-only -------------------------------------------------------------------------------


class _Tracing:
    """A connection that notes every statement it runs."""

    def __init__(self, connection):
        self._connection = connection
        self.statements: list[str] = []

    def execute(self, sql, *args):
        self.statements.append(sql)
        return self._connection.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._connection, name)


def test_reviews_are_append_only(store, ana):
    tracing = _Tracing(store.connection)
    store.connection = tracing
    store.write_record(story())
    first = reviews.review(store, "event", key(store, "ev1"), "confirm", reviewer=ana)
    edit = reviews.review(store, "event", key(store, "ev2"), "edit", reviewer=ana, fields={"recipient": ["USA"]})
    reviews.review(store, "event", key(store, "ev3"), "reject", reviewer=ana, reason="duplicate")
    rows_before = store.execute("SELECT * FROM reviews ORDER BY id").fetchall()
    reviews.undo(store, edit["id"], reviewer=ana)
    reviews.review(store, "person", targets(store, kind="person")["e4"]["key"], "edit", reviewer=ana,
                   fields={"affiliation": "SRB"})
    store.write_record(story(accuse={"date": "2017-09-24"}), reextract=True)       # re-extracted
    store.write_record(story(text="Earlier. " + TEXT))                             # the text changed
    rows_after = store.execute("SELECT * FROM reviews ORDER BY id").fetchall()
    assert rows_after[:len(rows_before)] == rows_before        # nothing written changed
    assert [r[0] for r in rows_after] == [first["id"], edit["id"], edit["id"] + 1, edit["id"] + 2, edit["id"] + 3]
    mutations = [s for s in tracing.statements if re.search(r"\b(UPDATE|DELETE\s+FROM|TRUNCATE|DROP)\s+reviews\b",
                                                             s, re.IGNORECASE)]
    assert mutations == []
    assert any(re.search(r"INSERT INTO reviews\b", s) for s in tracing.statements)  # (the trace sees the writes)


# -- latest wins, undo ----------------------------------------------------------------------------

LATEST_CASES = [
    # reviews of ACCUSE RUS->UKR, in order; the status and the (type, recipients) events() shows
    ([("confirm", {})], "confirmed", ("ACCUSE", "UKR")),
    ([("edit", {"event": "REQUEST"})], "corrected", ("REQUEST", "UKR")),
    ([("edit", {"event": "REQUEST"}), ("confirm", {})], "corrected", ("REQUEST", "UKR")),
    ([("edit", {"event": "REQUEST"}), ("reject", {})], "rejected", None),
    ([("reject", {}), ("confirm", {})], "confirmed", ("ACCUSE", "UKR")),
    ([("reject", {}), ("edit", {"event": "REQUEST"})], "corrected", ("REQUEST", "UKR")),
    ([("edit", {"event": "REQUEST"}), ("edit", {"event": "ACCUSE"})], "confirmed", ("ACCUSE", "UKR")),
    ([("edit", {"recipient": ["USA"]}), ("edit", {"event": "REQUEST"})], "corrected", ("REQUEST", "USA")),
]


@pytest.mark.parametrize("steps, status, seen", LATEST_CASES)
def test_reviews_latest_review_wins(store, ana, steps, status, seen):
    store.write_record(story())
    target = key(store, "ev2")
    for action, fields in steps:
        reviews.review(store, "event", target, action, reviewer=ana, fields=fields or None,
                       reason="not an event" if action == "reject" else None)
    assert targets(store)["ev2"]["status"] == status
    accusations = [(e[0], e[2]) for e in shown(store, actor="RUS", role="actor")]
    assert accusations == ([seen] if seen else [])


def test_reviews_undo_restores_the_extracted_values(store, ana):
    store.write_record(story())
    target = key(store, "ev2")
    edit = reviews.review(store, "event", target, "edit", reviewer=ana,
                          fields={"event": "THREATEN", "recipient": ["USA"], "date": "2017-09-24"})
    assert shown(store, actor="RUS", role="actor") == [("THREATEN", "RUS", "USA", "2017-09-24")]
    assert edit["before"]["event"] == "ACCUSE" and edit["after"]["recipient"] == ["USA"]
    undone = reviews.undo(store, edit["id"], reviewer=ana)
    assert shown(store, actor="RUS", role="actor") == [("ACCUSE", "RUS", "UKR", "2017-09-25")]
    assert targets(store)["ev2"]["status"] is None
    assert undone["after"]["event"] == "ACCUSE" and undone["undoes"] == edit["id"]
    assert [r["action"] for r in reviews.history(store, "event", target)] == ["edit", "undo"]
    with pytest.raises(StoreError, match="already undone"):
        reviews.undo(store, edit["id"], reviewer=ana)
    with pytest.raises(StoreError, match="is an undo"):
        reviews.undo(store, undone["id"], reviewer=ana)


def test_reviews_undo_of_a_later_review_goes_back_to_the_earlier_one(store, ana):
    store.write_record(story())
    target = key(store, "ev2")
    reviews.review(store, "event", target, "edit", reviewer=ana, fields={"recipient": ["USA"]})
    second = reviews.review(store, "event", target, "edit", reviewer=ana, fields={"event": "REQUEST"})
    reviews.undo(store, second["id"], reviewer=ana)
    assert shown(store, actor="RUS", role="actor") == [("ACCUSE", "RUS", "USA", "2017-09-25")]


# -- rejected events are hidden unless asked for -----------------------------------------------------


def test_reviews_rejected_events_are_hidden_unless_asked(store, ana):
    store.write_record(story())
    store.write_record(story("b", text="Another story. " + TEXT))  # a second report of every event
    accuse_a = key(store, "ev2")
    reviews.review(store, "event", accuse_a, "reject", reviewer=ana, reason="not an event")
    # one report of two rejected: the event stays, with the other source
    (accuse,) = queries.events(store, types="ACCUSE")
    assert accuse["n_sources"] == 1 and [s["article"] for s in accuse["sources"]] == ["b"]
    reviews.review(store, "event", key(store, "ev2", "b"), "reject", reviewer=ana, reason="not an event")
    assert queries.events(store, types="ACCUSE") == []
    assert queries.count_events(store, types="ACCUSE") == 0
    assert "UKR" not in {a["code"] for a in queries.actors(store) if a["n_events"]}
    events_table, participants = queries.event_relations("all")
    (row,) = store.execute(f"SELECT id, type, n_sources, rejected, review FROM {events_table} WHERE type = 'ACCUSE'"
                           ).fetchall()
    assert row[1:] == ("ACCUSE", 2, True, "rejected")
    assert store.execute(f"SELECT count(*) FROM {participants} WHERE event = ?", [row[0]]).fetchone()[0] == 2
    assert queries.event_reviews(store, [row[0]])[row[0]]["status"] == "rejected"
    with pytest.raises(StoreError, match="reviewed"):
        queries.event_relations("some")


def test_reviews_every_event_says_whether_it_was_reviewed_by_whom_and_when(store, ana):
    store.write_record(story())
    reviews.add_reviewer(store, "ben")
    reviews.review(store, "event", key(store, "ev1"), "confirm", reviewer=ana)
    ids = {e["event"]: e["id"] for e in queries.events(store)}
    found = queries.event_reviews(store, ids.values())
    assert found[ids["CONSULT"]]["status"] == "confirmed" and found[ids["CONSULT"]]["reviewers"] == ["ana"]
    assert found[ids["CONSULT"]]["reviewed_at"][:4].isdigit()
    assert found[ids["ACCUSE"]] is None


# -- merged events are summaries of their reports, as reviewed -----------------------------------

MERGE_CASES = [
    # what is done to article a's CONSULT SRB->CSTO (b reports it too; c reports CONSULT SRB->RUS)
    ("confirm", {}, {"SRB|CSTO": 2, "SRB|RUS": 1}, {}),
    ("edit", {"recipient": ["RUS"]}, {"SRB|CSTO": 1, "SRB|RUS": 2}, {}),
    ("reject", {}, {"SRB|CSTO": 1, "SRB|RUS": 1}, {"SRB|CSTO|rejected": 1}),
    ("edit", {"date": "2017-09-24"}, {"SRB|CSTO": 1, "SRB|RUS": 1, "SRB|CSTO@2017-09-24": 1}, {}),
    # a place in another country is not compatible with the event's place: a new event
    ("edit", {"place": {"name": "Belgrade", "country": "SRB"}}, {"SRB|CSTO": 1, "SRB|RUS": 1, "SRB|CSTO@SRB": 1}, {}),
]


def _shape(store, table: str) -> dict[str, int]:
    out = {}
    for type_, actors, recipients, date, country, n, rejected in store.execute(
            f"SELECT type, actors, recipients, date, place_country, n_sources,"
            f" {'rejected' if table == 'all_events' else 'FALSE'} FROM {table}"
            " WHERE type = 'CONSULT'").fetchall():
        name = f"{actors}|{recipients}" + ("|rejected" if rejected else "")
        name += f"@{date}" if date != "2017-09-25" else ""
        name += f"@{country}" if country not in (None, "RUS") else ""
        out[name] = n
    return out


@pytest.mark.parametrize("action, fields, events, rejected", MERGE_CASES)
def test_reviews_merged_events_are_summarised_again(store, ana, action, fields, events, rejected):
    store.write_record(story())
    store.write_record(story("b", text="Another story. " + TEXT))
    other = story("c", text="A third story. " + TEXT, consult={"recipients": ["RUS"]})
    store.write_record(other)
    before = _shape(store, "events")
    assert before == {"SRB|CSTO": 2, "SRB|RUS": 1}
    consult_id = store.execute("SELECT id FROM events WHERE type = 'CONSULT' AND recipients = 'CSTO'").fetchone()[0]
    done = reviews.review(store, "event", key(store, "ev1"), action, reviewer=ana, fields=fields or None,
                          reason="duplicate" if action == "reject" else None)
    assert _shape(store, "events") == events
    assert {k: v for k, v in _shape(store, "all_events").items() if k.endswith("rejected")} == rejected
    # the event the other report stays in keeps its id; a confirm moves nothing
    still = store.execute("SELECT n_sources, review FROM events WHERE id = ?", [consult_id]).fetchone()
    assert still == ((2, "confirmed") if action == "confirm" else (1, None))
    assert sum(r[0] for r in store.execute("SELECT n_sources FROM all_events").fetchall()) == 12  # no report lost
    reviews.undo(store, done["id"], reviewer=ana)
    assert _shape(store, "all_events") == before


def test_reviews_a_merged_event_is_reviewed_as_a_whole(store, ana):
    store.write_record(story())
    store.write_record(story("b", text="Another story. " + TEXT))
    event_id = store.execute("SELECT id FROM events WHERE type = 'SUPPORT'").fetchone()[0]
    done = reviews.review_event(store, event_id, "edit", reviewer=ana, fields={"event": "AGREE"})
    assert len(done) == 2 and {r["article"] for r in done} == {"a", "b"}
    assert [(e["event"], e["n_sources"]) for e in queries.events(store, types="SUPPORT,AGREE", actor="SRB")] == \
        [("AGREE", 2)]
    with pytest.raises(StoreError, match="no event"):
        reviews.review_event(store, 10 ** 9, "confirm", reviewer=ana)


# -- a reviewed report merges by the rule every report merges by (merge.event_key) --------------------

REMERGE_CASES = [
    # (first article's report, second article's, the review of the second, sources per event after)
    # corrected to the other's day: one event reported twice
    ({"date": "2017-09-25"}, {"date": "2017-09-26"}, {"date": "2017-09-25"}, [2]),
    # undated reports of different articles never merge, not even of one publication day
    ({"event": "ASSAULT"}, {"event": "COERCE"}, {"event": "ASSAULT"}, [1, 1]),
    # a month is no day: one event of two reports splits when one is corrected to its month
    ({"date": "2017-09-25"}, {"date": "2017-09-25"}, {"date": "2017-09"}, [1, 1]),
    # and a report corrected from a month to the other's day joins it
    ({"date": "2017-09-25"}, {"date": "2017-09"}, {"date": "2017-09-25"}, [2]),
]


@pytest.mark.parametrize("first, second, fields, after", REMERGE_CASES)
def test_reviews_a_reviewed_report_merges_by_the_merge_rule(store, ana, first, second, fields, after):
    for article, told in (("m1", first), ("m2", second)):   # both published 2017-09-27
        store.write_record(make_record(article, [make_event(**{"event": "CONSULT", "actors": ["SRB"],
                                                               "recipients": ["CSTO"], **told})]))
    before = sorted(n for (n,) in store.execute("SELECT n_sources FROM events").fetchall())
    done = reviews.review(store, "event", key(store, "ev1", "m2"), "edit", reviewer=ana, fields=fields)
    assert sorted(n for (n,) in store.execute("SELECT n_sources FROM events").fetchall()) == after
    keys = {k for (k,) in store.execute("SELECT key FROM events").fetchall()}
    assert len(keys) == len(after)       # one key an event: what merges is what the key says
    reviews.undo(store, done["id"], reviewer=ana)
    assert sorted(n for (n,) in store.execute("SELECT n_sources FROM events").fetchall()) == before


# -- validation: a bad review writes nothing -----------------------------------------------------------

BAD_REVIEWS = [
    ("edit", {"event": "MEET"}, None, "'event'.*PLOVER"),
    ("edit", {"actor": ["serbia!"]}, None, "'actor'.*actor code"),
    ("edit", {"recipient": "CSTO,12"}, None, "'recipient'.*actor code"),
    ("edit", {"date": "2017-13-01"}, None, "'date'.*ISO"),
    ("edit", {"date": "27/09/2017"}, None, "'date'.*ISO"),
    ("edit", {"date": "2017-10-21/2017-10-18"}, None, "'date'.*ISO"),
    ("edit", {"aux": "maybe"}, None, "'aux'"),
    ("edit", {"place": 5}, None, "'place'"),
    ("edit", {"place": {"name": "Paris", "country": "france"}}, None, "'place'.*state's code"),
    ("edit", {"confidence": 1.0}, None, "'confidence' cannot be edited"),
    ("edit", {}, None, "at least one"),
    ("edit", {"event": "ACCUSE"}, None, "changes nothing"),
    ("reject", {}, "boring", "rejected as one of"),
    ("reject", {}, None, "rejected as one of"),
    ("confirm", {"event": "AGREE"}, None, "only an edit"),
    ("confirm", {}, "other", "only a reject"),
    ("approve", {}, None, "not one of"),
]


@pytest.mark.parametrize("action, fields, reason, message", BAD_REVIEWS)
def test_reviews_bad_reviews_are_refused(store, ana, action, fields, reason, message):
    store.write_record(story())
    with pytest.raises(StoreError, match=message):
        reviews.review(store, "event", key(store, "ev2"), action, reviewer=ana, fields=fields, reason=reason)
    assert store.counts()["reviews"] == 0


@pytest.mark.parametrize("kind, target, message", [
    ("event", "a:0-5:1-2", "has no event"),
    ("event", "nowhere:0-5:1-2", "no article"),
    ("event", "a-key-without-spans", "is not the key"),
    ("person", "a:0-1", "has no person"),
    ("planet", "a:0-1", "not one of"),
])
def test_reviews_unknown_targets_are_refused(store, ana, kind, target, message):
    store.write_record(story())
    with pytest.raises(StoreError, match=message):
        reviews.review(store, kind, target, "confirm", reviewer=ana)


def test_reviews_person_fields_are_validated(store, ana):
    store.write_record(story())
    person = targets(store, kind="person")["e4"]["key"]
    with pytest.raises(StoreError, match="'sector'.*three capitals"):
        reviews.review(store, "person", person, "edit", reviewer=ana, fields={"sector": "military"})
    with pytest.raises(StoreError, match="'code' cannot be edited on a person"):
        reviews.review(store, "person", person, "edit", reviewer=ana, fields={"code": "SRB"})


# -- re-extraction and orphans ------------------------------------------------------------------------


def _review_three(store, reviewer):
    reviews.review(store, "event", key(store, "ev1"), "confirm", reviewer=reviewer)
    reviews.review(store, "event", key(store, "ev2"), "edit", reviewer=reviewer, fields={"recipient": ["USA"]})
    reviews.review(store, "event", key(store, "ev3"), "reject", reviewer=reviewer, reason="wrong sense")


def test_reviews_reextraction_keeps_every_review_whose_span_survives(store, ana):
    store.write_record(story())
    _review_three(store, ana)
    # the same text, extracted again: another date for the confirmed and the corrected event,
    # and a new event on a trigger of its own in front of them
    new_event = make_event("COOPERATE", ["SRB"], ["CSTO"], span=sentence(2), trigger=word("training", 2))
    again = story(consult={"date": "2017-09-26"}, accuse={"date": "2017-09-20"}, extra=[new_event])
    again["events"].insert(0, again["events"].pop())
    assert store.write_record(again).status == "unchanged"          # not asked to re-extract
    assert store.write_record(again, reextract=True).status == "replaced"
    assert store.write_record(again, reextract=True).status == "unchanged"  # the same record again
    assert reviews.orphans(store) == []
    assert shown(store) == [
        ("ACCUSE", "RUS", "USA", "2017-09-20"),      # corrected recipient kept, the new date taken
        ("AGREE", "GEO", "CSTO", None),
        ("CONSULT", "SRB", "CSTO", "2017-09-25"),    # what was confirmed stays
        ("COOPERATE", "SRB", "CSTO", None),          # new, unreviewed
    ]                                                # SUPPORT stays rejected
    states = {t["values"]["event"]: t["status"] for t in targets(store).values()}
    assert states == {"CONSULT": "corrected", "ACCUSE": "corrected", "SUPPORT": "rejected", "AGREE": None,
                      "COOPERATE": None}
    assert store.counts()["reviews"] == 3


def test_reviews_reextraction_in_a_batch_replaces_what_changed(store, ana):
    """Store.write_records with reextract (as an ingest writes a batch): a record that came out
    different is replaced, with its reviews applied again; an identical one stays unchanged."""
    store.write_records([(story(), None, None, None), (story("b", text="Another story. " + TEXT), None, None, None)])
    reviews.review(store, "event", key(store, "ev2"), "edit", reviewer=ana, fields={"recipient": ["USA"]})
    changed = story(consult={"date": "2017-09-26"})
    results = store.write_records([(changed, None, None, None),
                                   (story("b", text="Another story. " + TEXT), None, None, None)], reextract=True)
    assert [r.status for r in results] == ["replaced", "unchanged"]
    assert ("CONSULT", "SRB", "CSTO", "2017-09-26") in shown(store)
    assert ("ACCUSE", "RUS", "USA", "2017-09-25") in shown(store)


def test_reviews_new_text_keeps_reviews_whose_spans_survive(store, ana):
    store.write_record(story())
    _review_three(store, ana)
    # a correction appended to the story: every span before it is where it was
    assert store.write_record(story(text=TEXT + " Corrected on Tuesday.")).status == "replaced"
    assert reviews.orphans(store) == []
    assert ("ACCUSE", "RUS", "USA", "2017-09-25") in shown(store)
    assert "SUPPORT" not in {e[0] for e in shown(store)}


def test_reviews_orphans_when_the_text_changed(store, ana):
    store.write_record(story())
    _review_three(store, ana)
    person = targets(store, kind="person")["e4"]["key"]
    reviews.review(store, "person", person, "edit", reviewer=ana, fields={"affiliation": "SRB"})
    # a sentence inserted at the top: every span moved, no reviewed target is found again
    moved = "Belgrade, Tuesday. " + TEXT
    store.write_record(story(text=moved))
    gone = {(o["kind"], o["status"]) for o in reviews.orphans(store)}
    assert gone == {("event", "confirmed"), ("event", "corrected"), ("event", "rejected"), ("person", "corrected")}
    assert store.counts()["reviews"] == 4                          # kept, never dropped
    assert "SUPPORT" in {e[0] for e in shown(store)}                # the new record, unreviewed
    assert ("ACCUSE", "RUS", "UKR", "2017-09-25") in shown(store)
    assert reviews.article_targets(store, "a")["orphans"]
    with pytest.raises(StoreError, match="orphans"):
        reviews.review(store, "event", reviews.orphans(store)[0]["key"], "confirm", reviewer=ana)
    # the old text back: the reviews apply again
    store.write_record(story())
    assert reviews.orphans(store) == []
    assert ("ACCUSE", "RUS", "USA", "2017-09-25") in shown(store)


def test_reviews_a_moved_trigger_orphans_the_review(store, ana):
    store.write_record(story())
    reviews.review(store, "event", key(store, "ev2"), "edit", reviewer=ana, fields={"recipient": ["USA"]})
    # new patterns read the trigger as "accused ... of": its span changed
    start, _ = word("accused", 1)
    store.write_record(story(accuse={"trigger": (start, word("of", 1)[1])}), reextract=True)
    (orphan,) = reviews.orphans(store)
    assert (orphan["key"], orphan["status"], orphan["values"]["recipient"]) == \
        (f"a:{sentence(1)[0]}-{sentence(1)[1]}:{start}-{word('accused', 1)[1]}", "corrected", ["USA"])
    undone = reviews.undo(store, orphan["last"]["id"], reviewer=ana)   # an orphan's review can be undone
    assert undone["before"] is None and reviews.orphans(store) == []
    assert len(reviews.orphans(store, include_undone=True)) == 1


def test_reviews_ingest_reextract_flag(tmp_path, ana, store):
    """The engine skips stored texts unless asked to extract them again; then the store replaces
    the records that differ and re-applies their reviews."""
    from entente.engines import local

    source = tmp_path / "news.jsonl"
    source.write_text(json.dumps({"id": "a", "text": TEXT, "date": "2017-09-27"}) + "\n", encoding="utf-8")
    seen: list[str] = []
    version = {"accuse": {}}

    def extract(articles, _workers):
        for article in articles:
            seen.append(article.id)
            yield [(article, story(article.id, article.text, accuse=version["accuse"]), None)]

    assert local.ingest([source], store, workers=1, extract=extract, load_memberships=False).new == 1
    reviews.review(store, "event", key(store, "ev2"), "edit", reviewer=ana, fields={"recipient": ["USA"]})
    version["accuse"] = {"date": "2017-09-20"}   # new patterns: another date
    summary = local.ingest([source], store, workers=1, extract=extract, load_memberships=False)
    assert (summary.unchanged, seen) == (1, ["a"])
    summary = local.ingest([source], store, workers=1, extract=extract, load_memberships=False, reextract=True)
    assert (summary.replaced, seen) == (1, ["a", "a"])
    assert ("ACCUSE", "RUS", "USA", "2017-09-20") in shown(store)


# -- people, actor mentions, named events ------------------------------------------------------------


def test_reviews_person_edit_survives_reextraction_and_undo_restores(store, ana):
    store.write_record(story())
    person = targets(store, kind="person")["e4"]["key"]
    done = reviews.review(store, "person", person, "edit", reviewer=ana,
                          fields={"affiliation": "SRB", "office": "Minister of Defence"})
    assert [p["name"] for p in queries.actor_profile(store, "SRB")["people"]] == ["Vulin"]
    assert queries.actor_profile(store, "RUS")["people"] == []
    assert store.execute("SELECT office, review, reviewer FROM entities WHERE id = 'e4'").fetchone() == \
        ("Minister of Defence", "corrected", "ana")
    store.write_record(story(person={"office": "Minister", "affiliation": "RUS"}), reextract=True)
    assert store.execute("SELECT affiliation, office FROM entities WHERE id = 'e4'").fetchone() == \
        ("SRB", "Minister of Defence")
    reviews.undo(store, done["id"], reviewer=ana)
    assert store.execute("SELECT affiliation, office, review FROM entities WHERE id = 'e4'").fetchone() == \
        ("RUS", "Minister", None)


def test_reviews_actor_mentions(store, ana):
    store.write_record(story())
    mentions = targets(store, kind="mention")
    georgia = mentions[("e3", word("Georgia", 3)[0])]["key"]
    serbia = mentions[("e1", 0)]["key"]
    reviews.review(store, "mention", georgia, "edit", reviewer=ana, fields={"code": "USA", "kind": "state"})
    reviews.review(store, "mention", serbia, "reject", reviewer=ana, reason="not an actor")
    rows = store.execute("SELECT id, code, name FROM entities WHERE kind = 'state' ORDER BY id").fetchall()
    assert rows == [("e3~USA", "USA", "Georgia"), ("e5", "RUS", "Russia")]   # Serbia's only mention rejected
    assert store.execute("SELECT entity, review FROM mentions WHERE key = ?", [georgia]).fetchone() == \
        ("e3~USA", "corrected")
    assert "USA" in {a["code"] for a in queries.actors(store)}


def test_reviews_named_event_edit_keeps_its_id(store, ana):
    store.write_record(story())
    (before,) = queries.named_events(store)
    named = targets(store, kind="named_event")["e6"]["key"]
    reviews.review(store, "named_event", named, "edit", reviewer=ana,
                   fields={"organizer": "SRB", "observers": ["BLR"], "date": "2017-09-25"})
    (after,) = queries.named_events(store)
    assert (after["id"], after["organizer"], after["observers"], after["date"]) == \
        (before["id"], "SRB", ["BLR"], "2017-09-25")
    reviews.review(store, "named_event", named, "reject", reviewer=ana, reason="not a named event")
    assert queries.named_events(store) == []


# -- reviewers -----------------------------------------------------------------------------------------


def test_reviews_reviewer_tokens(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        token = reviews.add_reviewer(store, "ana")
        other = reviews.add_reviewer(store, "ben")
        assert reviews.verify_reviewer(store, token) == "ana"
        secret = token.rsplit("_", 1)[1]
        wrong = [None, "", "ana", token[:-1] + ("A" if token[-1] != "A" else "B"), token + "x",
                 token.replace(token[4:16], "0" * 12)]
        assert [reviews.verify_reviewer(store, w) for w in wrong] == [None] * len(wrong)
        stored = store.execute("SELECT * FROM reviewers").fetchall()
        assert not any(secret in str(v) or token in str(v) for row in stored for v in row)
        with pytest.raises(StoreError, match="already a reviewer"):
            reviews.add_reviewer(store, "ana")
        newer = reviews.new_token(store, "ana")
        assert (reviews.verify_reviewer(store, token), reviews.verify_reviewer(store, newer)) == (None, "ana")
        reviews.revoke_reviewer(store, "ana")
        assert reviews.verify_reviewer(store, newer) is None
        store.write_record(story())
        with pytest.raises(StoreError, match="revoked"):
            reviews.review(store, "event", key(store, "ev1"), "confirm", reviewer="ana")
        with pytest.raises(StoreError, match="not known"):
            reviews.review(store, "event", key(store, "ev1"), "confirm", reviewer="mallory")
        assert store.counts()["reviews"] == 0
        assert [(r["name"], r["revoked_at"] is None) for r in reviews.reviewers(store)] == \
            [("ana", False), ("ben", True)]
        store.execute("CHECKPOINT")
    data = path.read_bytes()
    assert secret.encode() not in data and newer.rsplit("_", 1)[1].encode() not in data
    with Store(path, read_only=True) as store:          # the server checks tokens on a read-only store
        assert reviews.verify_reviewer(store, newer) is None
        assert reviews.verify_reviewer(store, token) is None
        assert reviews.verify_reviewer(store, other) == "ben"


# -- export gold, scored by the referee -----------------------------------------------------------------


def _score(gold: Path, records: list[dict], tmp_path: Path) -> dict:
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    done = subprocess.run([sys.executable, str(SCORE), str(gold), str(pred), "--json"], capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def test_reviews_export_gold_scores_below_one_exactly_where_reviews_corrected(store, ana, tmp_path):
    assert SCORE.exists(), f"{SCORE} is missing: ../shared must lie beside the repository"
    records = [story(), story("b", text="Another story. " + TEXT), story("c", text="A third story. " + TEXT)]
    for record in records:
        store.write_record(record)
    reviews.review(store, "event", key(store, "ev1"), "confirm", reviewer=ana)
    reviews.review(store, "event", key(store, "ev2"), "edit", reviewer=ana,
                   fields={"event": "THREATEN", "recipient": ["USA"]})
    reviews.review(store, "event", key(store, "ev3"), "reject", reviewer=ana, reason="wrong sense")
    reviews.review(store, "person", targets(store, kind="person")["e4"]["key"], "edit", reviewer=ana,
                   fields={"affiliation": "SRB"})
    reviews.review(store, "event", key(store, "ev1", "b"), "confirm", reviewer=ana)
    gold = tmp_path / "gold"
    assert export_gold(store, gold) == 2                       # a and b; c has no review
    assert sorted(p.name for p in gold.iterdir()) == ["a.gold.json", "articles.jsonl", "b.gold.json"]
    annotation = json.loads((gold / "a.gold.json").read_text())
    assert [(e["event"], e.get("optional", False)) for e in annotation["events"]] == \
        [("CONSULT", False), ("THREATEN", False), ("AGREE", True)]

    result = _score(gold, records, tmp_path)                   # the extractor's records as they were
    assert (result["events"]["tp"], result["events"]["fp"], result["events"]["fn"]) == (2, 2, 1)
    by_type = {t: (s["tp"], s["fp"], s["fn"]) for t, s in result["events_by_type"].items()}
    assert by_type == {"CONSULT": (2, 0, 0),        # confirmed: hits
                       "ACCUSE": (0, 1, 0),         # corrected: a false alarm ...
                       "THREATEN": (0, 0, 1),       # ... and a miss
                       "SUPPORT": (0, 1, 0),        # rejected: a false alarm
                       # b's unreviewed ACCUSE and SUPPORT are optional: neither
                       }
    assert result["events"]["precision"] < 1.0 and result["person_affiliation_accuracy"] == 0.0
    assert result["people"]["fp"] == 0                        # b's unreviewed person is optional

    # the record as reviewed scores 1.0 against its own gold
    reviewed = []
    for record in records[:2]:
        shown_events = [dict(e, actor=[{"code": c} for c in t["values"]["actor"]],
                             recipient=[{"code": c} for c in t["values"]["recipient"]], event=t["values"]["event"])
                        for e, t in zip(record["events"], reviews.article_targets(store, record["id"])["event"])
                        if t["status"] != "rejected"]
        reviewed.append(dict(record, events=shown_events, entities=[
            dict(e, affiliation="SRB") if e["id"] == "e4" and record["id"] == "a" else e for e in record["entities"]]))
    result = _score(gold, reviewed, tmp_path)
    assert (result["events"]["f1"], result["person_affiliation_accuracy"]) == (1.0, 1.0)
    # exporting again replaces the files; a folder of other things is refused
    assert export_gold(store, gold) == 2
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="other files"):
        export_gold(store, tmp_path / "other")


# -- stats, suggestions, queue -----------------------------------------------------------------------


def test_reviews_stats(store, ana):
    store.write_record(story())
    store.write_record(story("b", text="Another story. " + TEXT))
    _review_three(store, ana)
    reviews.review(store, "event", key(store, "ev4"), "confirm", reviewer=ana)
    found = reviews.stats(store)
    assert {k: found["reports"][k] for k in ("total", "reviewed", "confirmed", "corrected", "rejected",
                                             "unreviewed")} == \
        {"total": 8, "reviewed": 4, "confirmed": 2, "corrected": 1, "rejected": 1, "unreviewed": 4}
    assert found["reports"]["precision"] == 0.5
    assert {t["type"]: t["precision"] for t in found["by_type"]} == \
        {"ACCUSE": 0.0, "AGREE": 1.0, "CONSULT": 1.0, "SUPPORT": 0.0}
    assert found["reasons"] == {"wrong sense": 1}
    assert found["events"] == {"reviewed": 3, "rejected": 1}
    by_russia = reviews.stats(store, actor="rus")
    assert (by_russia["reports"]["reviewed"], by_russia["reports"]["corrected"]) == (1, 1)


def test_reviews_suggest(store, ana):
    store.write_record(story())
    _review_three(store, ana)
    reviews.review(store, "event", key(store, "ev4"), "edit", reviewer=ana, fields={"event": "CONSULT"})
    reviews.review(store, "person", targets(store, kind="person")["e4"]["key"], "edit", reviewer=ana,
                   fields={"affiliation": "SRB", "sector": "MIL"})
    georgia = targets(store, kind="mention")[("e3", word("Georgia", 3)[0])]["key"]
    reviews.review(store, "mention", georgia, "edit", reviewer=ana, fields={"code": "USA"})
    found = {s["file"]: s for s in reviews.suggest(store)}
    assert found["people.jsonl"]["line"] == {"name": "Vulin", "aliases": [],
                                            "roles": [{"code": "SRB", "sector": "MIL", "start": "2017-09-27",
                                                       "end": "2017-09-27"}]}
    assert found["countries.jsonl"]["change"] == {"aliases": {"add": "Georgia"}}
    assert found["countries.jsonl"]["entry"] == "USA"
    assert found["discards.jsonl"]["line"] == {"pattern": "support.sign", "trigger": "signed",
                                              "sentence": SENTENCES[2]}
    assert found["patterns/agree.yaml"]["change"] == {"type": {"from": "AGREE", "to": "CONSULT"}}
    text = reviews.suggestions_text(reviews.suggest(store))
    assert '{"name": "Vulin"' in text and "== discards.jsonl" in text
    assert all(s["reviews"] for s in reviews.suggest(store))


def test_reviews_queue_orders_what_is_unreviewed(store, ana):
    store.write_record(story())
    other = "Another story. " + TEXT
    low = make_event("SANCTION", ["USA"], ["RUS"], confidence=0.3, span=sentence(1, other),
                     trigger=word("shelling", 1, other))
    store.write_record(story("b", text=other, extra=[low]))
    reviews.review(store, "event", key(store, "ev1"), "confirm", reviewer=ana)
    by_confidence = reviews.queue(store)
    assert by_confidence[0]["event"] == "SANCTION"
    assert "CONSULT" not in {e["event"] for e in by_confidence}
    by_sources = reviews.queue(store, order="sources")
    assert by_sources[0]["n_sources"] == 2
    assert [e["event"] for e in reviews.queue(store, actor="USA")] == ["SANCTION"]
    with pytest.raises(StoreError, match="order"):
        reviews.queue(store, order="random")


# -- migration of a store made before reviews --------------------------------------------------------


def test_reviews_migration_fills_the_keys_of_what_is_stored(tmp_path, monkeypatch):
    path = tmp_path / "v1.duckdb"
    monkeypatch.setattr("entente.store.store.MIGRATIONS", schema.MIGRATIONS[:1])
    record = story()
    with Store(path) as old:    # a version-1 store, written as version 1's write path did
        con = old.connection
        con.execute("INSERT INTO articles (id, checksum, published, text, record, n_entities, n_events, ingested_at)"
                    " VALUES ('a', 'x', '2017-09-27', ?, ?, 6, 4, now())",
                    [TEXT, json.dumps({k: v for k, v in record.items() if k != "text"})])
        for i, ev in enumerate(record["events"], 1):
            con.execute("INSERT INTO events (id, key, type, actors, recipients, date, n_sources, first_seen)"
                        " VALUES (?, ?, ?, ?, ?, ?, 1, now())",
                        [i, f"k{i}", ev["event"], ",".join(p["code"] for p in ev["actor"]),
                         ",".join(p["code"] for p in ev["recipient"]), ev["date"]])
            info = ev["text_info"]
            con.execute('INSERT INTO event_sources (id, event, article, record_event, sequence, start, "end",'
                        " actor, recipient) VALUES (?, ?, 'a', ?, ?, ?, ?, '[]', '[]')",
                        [i, i, ev["id"], info["sequence"], info["start"], info["end"]])
        for e in record["entities"]:
            con.execute("INSERT INTO entities (article, id, kind, name) VALUES ('a', ?, ?, ?)", [e["id"], e["kind"], e["name"]])
            for m in e["mentions"]:
                con.execute('INSERT INTO mentions VALUES (\'a\', ?, ?, ?, ?, NULL)', [e["id"], m["start"], m["end"], m["text"]])
        assert old.version == 1
    monkeypatch.setattr("entente.store.store.MIGRATIONS", schema.MIGRATIONS)
    with Store(path) as migrated, Store(":memory:") as fresh:
        fresh.write_record(record)
        for sql in ("SELECT record_event, key, trigger_start, trigger_end, type, date FROM event_sources ORDER BY 1",
                    "SELECT id, key FROM entities ORDER BY 1",
                    "SELECT entity, start, key FROM mentions ORDER BY 1, 2"):
            assert migrated.execute(sql).fetchall() == fresh.execute(sql).fetchall()
        assert migrated.version == schema.MIGRATIONS[-1].version
        assert migrated.execute("SELECT count(*) FROM events").fetchone()[0] == 4


def test_reviews_state_rules_are_pure():
    """target_state alone: confirm pins what it confirmed, undo unpins."""
    extracted = {"event": "ACCUSE", "actor": ["RUS"], "recipient": ["UKR"], "date": "2017-09-25", "place": None,
                 "aux": None}
    confirm = Review(1, "event", "a", "k", "confirm", after=dict(extracted))
    newer = dict(extracted, date="2017-09-26")   # what a re-extraction says
    assert target_state("event", newer, [confirm]).values["date"] == "2017-09-25"
    assert target_state("event", newer, [confirm]).status == "corrected"
    undo = Review(2, "event", "a", "k", "undo", undoes=1)
    assert target_state("event", newer, [confirm, undo]).values == newer
    assert target_state("event", newer, [confirm, undo]).status is None


# -- the faces' way in: exports and read-only stores --------------------------------------------------


def test_reviews_exports_read_the_record_as_reviewed(store, ana, tmp_path):
    from entente.export import export

    store.write_record(story())
    reviews.review(store, "event", key(store, "ev2"), "edit", reviewer=ana,
                   fields={"event": "THREATEN", "recipient": ["USA"]})
    reviews.review(store, "event", key(store, "ev3"), "reject", reviewer=ana, reason="not an event")
    path = tmp_path / "events.jsonl"
    assert export(store, "plover", path) == 3
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert sorted((e["event"], [p["code"] for p in e["recipient"]]) for e in lines) == \
        [("AGREE", ["CSTO"]), ("CONSULT", ["CSTO"]), ("THREATEN", ["USA"])]
    assert export(store, "parquet", tmp_path / "events.parquet") == 3


def test_reviews_reading_works_on_a_read_only_store(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        reviews.add_reviewer(store, "ana")
        store.write_record(story())
        reviews.review(store, "event", key(store, "ev2"), "reject", reviewer="ana", reason="duplicate")
    with Store(path, read_only=True) as reader:
        assert targets(reader)["ev2"]["status"] == "rejected"
        assert reviews.stats(reader)["reports"]["rejected"] == 1
        assert [r["action"] for r in reviews.history(reader, "event", key(reader, "ev2"))] == ["reject"]
        assert reviews.orphans(reader) == [] and reviews.queue(reader)
        with pytest.raises(StoreError, match="read-only"):
            reviews.review(reader, "event", key(reader, "ev1"), "confirm", reviewer="ana")
