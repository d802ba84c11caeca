"""What an analyst asks the store (store/queries.py): actors by name, full-text search, the
time series, and the filters of every list (confidence, sources, reports, order, quad).
Records are written directly through the store, so nothing here depends on the extractor."""
from __future__ import annotations

import pytest

from entente.errors import StoreError
from entente.store import Store, queries
from entente.store import schema
from entente.store.textindex import fold, sentences, terms

from conftest import make_entity, make_event, make_record, old_store


class Named:
    """A data-file entry as load_dictionaries() gives it (code, name, aliases, demonyms)."""

    def __init__(self, code, name, aliases=(), demonyms=()):
        self.code, self.name, self.aliases, self.demonyms = code, name, list(aliases), list(demonyms)


COUNTRIES = [Named("GBR", "United Kingdom", ["UK", "Britain"], ["British"]), Named("SRB", "Serbia", [], ["Serbian"]),
             Named("COD", "Democratic Republic of the Congo", ["DR Congo", "Congo"]),
             Named("COG", "Republic of the Congo", ["Congo-Brazzaville", "Congo"]),
             Named("CIV", "Ivory Coast", ["Côte d'Ivoire"])]
ORGANIZATIONS = [Named("CSTO", "Collective Security Treaty Organization", ["ODKB"])]
GROUPS = [Named("ISIL", "Islamic State of Iraq and the Levant", ["Daesh", "ISIS"])]

SERBIA_TEXT = ("Serbian Defence Minister Petar Markovic met CSTO officials in Moscow. The talks covered the youth "
               "forum. Markovic said Serbia values the partnership.")


@pytest.fixture
def named(store):
    """A store with the actor names loaded (as every ingest loads them) and a few events."""
    store.load_actor_names(COUNTRIES, ORGANIZATIONS, GROUPS)
    store.write_record(make_record("srb", [
        make_event("CONSULT", ["SRB"], ["CSTO"], date="2017-09-25", confidence=0.9),
        make_event("ACCUSE", ["GBR"], ["RUS"], date="2017-09-26", confidence=0.5),
        make_event("SUPPORT", ["SRB"], ["CSTO"], date="2017-10", confidence=0.7),
    ], [make_entity("e1", "state", "Serbia", code="SRB")], text=SERBIA_TEXT, title="Serbia and the CSTO"))
    store.write_record(make_record("gbr", [make_event("ACCUSE", ["GBR"], ["RUS"], date="2017-09-26"),
                                           make_event("ASSAULT", ["ISIL"], ["IRQ"])], date=None,
                                   text="Britain accused Russia. Daesh attacked a village in Iraq.", publisher="BBC"))
    return store


# -- actors by name ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, code", [
    ("SRB", "SRB"), ("srb", "SRB"),                       # a known code, any case
    ("Serbia", "SRB"), ("serbia", "SRB"), ("Serbian", "SRB"),
    ("United Kingdom", "GBR"), ("UK", "GBR"), ("  united   kingdom ", "GBR"), ("British", "GBR"),
    ("ODKB", "CSTO"), ("Collective Security Treaty Organization", "CSTO"), ("daesh", "ISIL"),
    ("cote d'ivoire", "CIV"),                             # accents aside
    ("XYZ", "XYZ"),                                       # shaped like a code: taken as one (no events)
    ("", None), (None, None),
])
def test_queries_resolve_actor(named, text, code):
    assert queries.resolve_actor(named, text) == code


@pytest.mark.parametrize("text, message", [
    ("Congo", "names several actors: COD .*COG"),
    ("Serbai", "did you mean SRB"),
    ("Nowhere Land", "no actor is called 'Nowhere Land'"),
])
def test_queries_resolve_actor_refuses_with_help(named, text, message):
    with pytest.raises(StoreError, match=message):
        queries.resolve_actor(named, text)


@pytest.mark.parametrize("actor, with_, found", [
    ("United Kingdom", None, {"ACCUSE"}), ("UK", None, {"ACCUSE"}), ("Serbia", "ODKB", {"CONSULT", "SUPPORT"}),
])
def test_queries_events_take_actor_names(named, actor, with_, found):
    assert {e["event"] for e in queries.events(named, actor=actor, with_=with_)} == found


def test_queries_find_actors_for_an_autocomplete(named):
    found = queries.find_actors(named, "ser")
    assert found[0]["code"] == "SRB" and found[0]["n_events"] == 2
    assert [a["code"] for a in queries.find_actors(named, "uk")][:1] == ["GBR"]      # exact alias first
    assert "COG" in [a["code"] for a in queries.find_actors(named, "congo")]
    assert queries.find_actors(named, "") == []


def test_queries_actors_limit_and_find(named):
    assert len(queries.actors(named, limit=1)) == 1
    assert [a["code"] for a in queries.actors(named, q="serb")] == ["SRB"]


def test_queries_actor_names_are_replaced_not_piled_up(named):
    before = named.counts()["actor_names"]
    assert named.load_actor_names(COUNTRIES, ORGANIZATIONS, GROUPS) == before
    assert named.counts()["actor_names"] == before
    named.load_actor_names(COUNTRIES[:1], [], [])
    assert {c for (c,) in named.execute("SELECT DISTINCT code FROM actor_names").fetchall()} == {"GBR"}


# -- full-text search ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("He left. The talks began.", ["He left.", "The talks began."]),
    ("The U.S. envoy met J. Smith. Then he left!", ["The U.S. envoy met J. Smith.", "Then he left!"]),
    ('"We agreed," he said. 2017 was calm.', ['"We agreed," he said.', "2017 was calm."]),
    ("A heading\n\nThe first paragraph", ["A heading", "The first paragraph"]),
    ("no stop at the end", ["no stop at the end"]),
])
def test_queries_sentences(text, expected):
    assert [text[a:b] for a, b in sentences(text)] == expected


def test_queries_terms_fold_case_and_accents():
    assert terms("Señor LAVROV met Lavrov's aide") == ["senor", "lavrov", "met", "s", "aide"]
    assert fold("Côte") == "cote"


@pytest.mark.parametrize("q, found", [
    ("markovic", [("srb", 1), ("srb", 3)]),
    ("Markovic Moscow", [("srb", 1)]),                    # every word, in one sentence
    ('"youth forum"', [("srb", 2)]),
    ('"forum youth"', []),                                # a phrase word for word
    ("daesh village", [("gbr", 2)]),
    ("CSTO", [("srb", 0), ("srb", 1)]),                   # the title is sentence 0
    ("nothing-like-this", []),
])
def test_queries_search(named, q, found):
    answer = queries.search(named, q)
    assert sorted((r["article"], r["sentence"]) for r in answer["results"]) == sorted(found)
    assert answer["total"] == len(found)
    for r in answer["results"]:
        if r["sentence"]:
            text = named.execute("SELECT text FROM articles WHERE id = ?", [r["article"]]).fetchone()[0]
            assert text[r["start"]:r["end"]] == r["text"]


def test_queries_search_ranks_rarer_words_first(named):
    named.write_record(make_record("many", text="The talks went on. The talks ended. Markovic talks."))
    first = queries.search(named, "markovic talks")["results"][0]
    assert (first["article"], first["text"]) == ("many", "Markovic talks.")


def test_queries_text_index_follows_replacements(named):
    named.write_record(make_record("srb", text="A new text about Belgrade."))
    assert queries.search(named, "markovic")["total"] == 0
    assert queries.search(named, "belgrade")["total"] == 1


def test_queries_text_index_is_built_for_an_older_store(tmp_path, monkeypatch):
    """A store made before the text index (schema 2) gets its articles indexed when opened."""
    path = tmp_path / "old.duckdb"
    old_store(path, 2, [make_record("a", text="Envoys met in Belgrade.")], monkeypatch)   # no index tables
    with Store(path) as new:
        assert new.version == schema.MIGRATIONS[-1].version
        assert [r["article"] for r in queries.search(new, "belgrade")["results"]] == ["a"]


# -- filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize("filters, found", [
    ({"min_confidence": 0.8}, {"CONSULT", "ACCUSE", "ASSAULT"}),  # merged: the best report's confidence
    ({"min_sources": 2}, {"ACCUSE"}),
    ({"quad": "conflict"}, {"ACCUSE", "ASSAULT"}),
    ({"quad": "verbal cooperation"}, {"CONSULT", "SUPPORT"}),
    ({"quad": "material-conflict"}, {"ASSAULT"}),
])
def test_queries_event_filters(named, filters, found):
    assert {e["event"] for e in queries.events(named, **filters)} == found
    assert queries.count_events(named, **filters) == len(queries.events(named, **filters))


def test_queries_reports_are_one_row_per_article(named):
    merged = queries.events(named, types="ACCUSE")
    reports = queries.events(named, types="ACCUSE", reports=True)
    assert len(merged) == 1 and merged[0]["n_sources"] == 2
    assert [r["sources"][0]["article"] for r in reports] == ["srb", "gbr"]
    assert all(len(r["sources"]) == 1 and r["report"] == r["sources"][0]["report"] for r in reports)
    assert queries.count_events(named, types="ACCUSE", reports=True) == 2
    # a report's own confidence: the BBC's 0.9, Kazinform's 0.5
    assert [r["sources"][0]["article"] for r in queries.events(named, types="ACCUSE", reports=True,
                                                               min_confidence=0.8)] == ["gbr"]


@pytest.mark.parametrize("order, first", [("oldest", "CONSULT"), ("newest", "SUPPORT"), ("sources", "ACCUSE")])
def test_queries_event_order(named, order, first):
    found = queries.events(named, order=order)
    assert found[0]["event"] == first
    assert found[-1]["event"] == "ASSAULT"               # undated last, whatever the order


def test_queries_events_carry_sortable_dates_and_the_sentence(named):
    support = queries.events(named, types="SUPPORT")[0]
    assert (support["date"], support["date_start"], support["date_end"], support["date_precision"]) == \
        ("2017-10", "2017-10-01", "2017-10-31", "month")
    source = support["sources"][0]
    assert source["sentence"] == SERBIA_TEXT[:10] and source["url"] == "https://example.org/srb"


@pytest.mark.parametrize("value, precision", [("2017", "year"), ("2017-10", "month"), ("2017-10-18", "day"),
                                              ("2017-10-18/2017-10-21", "day"), (None, None), ("soon", None)])
def test_queries_date_precision(value, precision):
    assert queries.date_precision(value) == precision


# -- time series --------------------------------------------------------------------------------


def test_queries_timeseries_per_day(named):
    series = queries.timeseries(named, interval="day", since="2017-09-01", until="2017-09-30")
    assert [b["label"] for b in series["buckets"]] == ["2017-09-25", "2017-09-26"]
    consult, accuse = series["buckets"]
    assert (consult["total"], consult["cooperation"], consult["conflict"]) == (1, 1, 0)
    assert accuse["by_quad"]["verbal conflict"] == 1 and accuse["intensity"] < 0 < consult["intensity"]


def test_queries_timeseries_fills_empty_buckets_and_counts_the_undated(named):
    series = queries.timeseries(named, interval="week")
    labels = [b["label"] for b in series["buckets"]]
    assert labels[0] == "2017-W39" and labels[-1] == "2017-W39" or "2017-W40" in labels
    assert series["total"] == 4 and series["undated"]["total"] == 1
    assert series["undated"]["by_quad"]["material conflict"] == 1
    assert sum(b["total"] for b in series["buckets"]) == 3
    # the month-dated SUPPORT sits on 2017-10-01 and is marked less precise than a week
    october = next(b for b in series["buckets"] if b["start"] <= "2017-10-01" <= b["end"])
    assert october["coarser"] == 1


def test_queries_timeseries_dyad_and_type(named):
    dyad = queries.timeseries(named, interval="month", actor="Serbia", with_="CSTO")
    assert [(b["label"], b["total"]) for b in dyad["buckets"]] == [("2017-09", 1), ("2017-10", 1)]
    assert queries.timeseries(named, interval="month", types="ASSAULT")["buckets"] == []


@pytest.mark.parametrize("first, last, interval", [
    ("2017-09-01", "2017-09-20", "day"), ("2017-01-01", "2018-06-01", "week"),
    ("1990-01-01", "2017-01-01", "month"), ("1946-01-01", "1998-12-31", "year")])
def test_queries_timeseries_auto_interval(first, last, interval):
    assert queries.auto_interval(first, last) == interval


def test_queries_timeseries_refuses_too_many_buckets(store):
    store.write_record(make_record("a", [make_event("CONSULT", ["A"], ["B"], date="1946-01-01"),
                                         make_event("CONSULT", ["A"], ["B"], date="2017-01-01")]))
    with pytest.raises(StoreError, match="coarser interval"):
        queries.timeseries(store, interval="day")
    assert len(queries.timeseries(store, interval="year")["buckets"]) == 72


# -- the map ------------------------------------------------------------------------------------


def test_queries_event_places_mark_country_level_events(named):
    named.write_record(make_record("places", [
        make_event("CONSULT", ["SRB"], ["CSTO"], date="2018-01-02", place=("Belgrade", "SRB")),
        make_event("SUPPORT", ["SRB"], ["CSTO"], date="2018-01-02", place=("Serbia", "SRB")),   # the country
    ]))
    places = {p["name"]: p["country_level"] for p in queries.event_places(named, since="2018")}
    assert places == {"Belgrade": False, "Serbia": True}
