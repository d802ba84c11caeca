"""The record store's schema, in one place: ordered migrations, recorded in the database.

``MIGRATIONS`` is append-only. A store records every migration it has applied in
``schema_migrations``; opening it applies the missing ones in order, each in its own
transaction, so a store made by an older Entente opens in a newer one. A store whose
version is newer than this code knows is refused (``StoreError``) rather than guessed at.

How the tables relate (no foreign-key constraints: DuckDB's make deletes and updates of
referenced rows awkward; the single write path in ``store.py`` keeps them consistent):

    articles 1--n entities 1--n mentions            (article, entity) identify an entity
    articles 1--n event_sources n--1 events          one row per report of an event
    events   1--n event_participants                 role 'actor' | 'recipient'
    articles 1--n named_event_sources n--1 named_events
    named_events 1--n named_event_participants       role 'participant' | 'observer' | 'organizer'
    memberships                                       organisations and members (data file)
    countries                                         names and capitals' points (data file): the map
                                                      draws an event placed in a country at its capital
    actor_names                                       names and aliases of the data files' actors: lookup
                                                      by name ("United Kingdom", "UK" -> GBR)
    articles 1--n article_sentences 1--n text_terms   the words of every sentence: full-text search
    article_aliases                                   ids skipped as copies of a stored article
    failures                                          what could not be read or extracted

``events`` and ``named_events`` are summaries of their sources: the write path recomputes
them (count of reporting articles, place, mode, context) whenever their sources change,
and deletes them when no source is left.

Analyst review (migration 5; the rules in ``review_rules.py``, the API in ``reviews.py``):

    reviews                                           append-only: one row per review of a target
    reviewers                                         who may review: a name and a token's hash
    all_events 1--n all_event_participants            every merged event, rejected ones included
    events, event_participants                        VIEWS of the two: the record as reviewed,
                                                      rejected events left out

The rows of ``event_sources``, ``entities``, ``mentions`` and the named-event tables hold the
record **as reviewed** (an event report's ``type``, participants, date, place and aux after its
reviews; its ``review``, ``reviewer`` and ``reviewed_at``; an edited person's office), and the
store re-merges a report whose reviewed values change, through the rules of ``merge.py``. The
values as extracted stay in ``articles.record``; a review's ``before`` and ``after`` say what
it changed. So every query of ``events`` reads the record as reviewed, and a query that wants
rejected events too reads ``all_events``.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Migration:
    """One schema change: its SQL, then optionally the name of a :class:`~entente.store.Store`
    method run after it in the same transaction (for a change SQL alone cannot make: filling
    new tables or columns from what only Python computes)."""

    version: int
    name: str
    sql: str
    run: str | None = None


_V1 = """
CREATE TABLE articles (
    id           VARCHAR PRIMARY KEY,      -- the record id (JSONL id or file stem)
    checksum     VARCHAR NOT NULL,         -- sha1 of the text: same id + same checksum = unchanged
    source       VARCHAR,                  -- file it was read from
    line         INTEGER,                  -- line in that file (JSON Lines)
    title        VARCHAR,
    url          VARCHAR,
    published    VARCHAR,                  -- dateline.date (ISO, as precise as known)
    place        VARCHAR,                  -- dateline.place
    publisher    VARCHAR,                  -- dateline.publisher
    via          VARCHAR[],                -- dateline.via
    text         VARCHAR,
    record       JSON,                     -- the whole record (SPEC.md) minus its text
    n_entities   INTEGER NOT NULL,
    n_events     INTEGER NOT NULL,         -- events in the record (reports, before merging)
    ingested_at  TIMESTAMP NOT NULL
);
CREATE INDEX articles_checksum ON articles (checksum);

CREATE TABLE article_aliases (
    id       VARCHAR PRIMARY KEY,          -- an id whose text was already stored ...
    article  VARCHAR NOT NULL,             -- ... under this article id
    checksum VARCHAR NOT NULL
);

CREATE TABLE entities (
    article       VARCHAR NOT NULL,
    id            VARCHAR NOT NULL,        -- e1, e2, ... within the article
    kind          VARCHAR NOT NULL,        -- state | organization | person | named_event | location | group | ...
    name          VARCHAR NOT NULL,
    code          VARCHAR,
    office        VARCHAR,                 -- person
    affiliation   VARCHAR,                 -- person: code of the state or organisation
    sector        VARCHAR,
    type          VARCHAR,                 -- named event: exercise | summit | forum | meeting ...
    organizer     VARCHAR,
    place_name    VARCHAR,
    place_country VARCHAR,
    date          VARCHAR,
    country       VARCHAR,                 -- location
    lat           DOUBLE,
    lon           DOUBLE,
    value         VARCHAR,                 -- time
    PRIMARY KEY (article, id)
);
CREATE INDEX entities_code ON entities (code);

CREATE TABLE mentions (
    article  VARCHAR NOT NULL,
    entity   VARCHAR NOT NULL,
    start    INTEGER NOT NULL,             -- character offsets into articles.text
    "end"    INTEGER NOT NULL,
    text     VARCHAR,
    sentence INTEGER
);
CREATE INDEX mentions_article ON mentions (article);

CREATE SEQUENCE event_ids START 1;
CREATE TABLE events (
    id            BIGINT PRIMARY KEY DEFAULT nextval('event_ids'),
    key           VARCHAR NOT NULL,        -- TYPE|actors|recipients|date|aux: what merges reports
    type          VARCHAR NOT NULL,        -- PLOVER event type
    quad          VARCHAR,                 -- PLOVER quad class of the type
    actors        VARCHAR NOT NULL,        -- sorted actor codes, comma-joined
    recipients    VARCHAR NOT NULL,        -- sorted recipient codes, comma-joined
    date          VARCHAR,                 -- ISO at the precision given; a span as a/b
    enddate       VARCHAR,
    date_start    VARCHAR,                 -- date padded to a day (2017-10 -> 2017-10-01), for filters
    date_end      VARCHAR,                 -- last day it covers (2017-10 -> 2017-10-31)
    aux           VARCHAR,                 -- NULL | future | hypothetical | negation | historical
    mode          VARCHAR[],
    context       VARCHAR[],
    place_name    VARCHAR,                 -- summary place: the one all sources agree on,
    place_country VARCHAR,                 -- or their common country, or none
    lat           DOUBLE,
    lon           DOUBLE,
    confidence    DOUBLE,                  -- highest confidence among the reports
    n_sources     INTEGER NOT NULL,        -- distinct articles reporting it (not mentions)
    first_seen    TIMESTAMP NOT NULL
);
CREATE INDEX events_key ON events (key);

CREATE TABLE event_participants (
    event  BIGINT NOT NULL,
    role   VARCHAR NOT NULL,               -- actor | recipient
    code   VARCHAR NOT NULL,
    sector VARCHAR                         -- as the earliest report that gives one says
);
CREATE INDEX event_participants_event ON event_participants (event);
CREATE INDEX event_participants_code ON event_participants (code);

CREATE SEQUENCE event_source_ids START 1;
CREATE TABLE event_sources (
    id            BIGINT PRIMARY KEY DEFAULT nextval('event_source_ids'),  -- report order
    event         BIGINT NOT NULL,
    article       VARCHAR NOT NULL,
    record_event  VARCHAR NOT NULL,        -- the event's id in the article's record (ev1, ...)
    sequence      INTEGER,                 -- sentence number
    start         INTEGER,                 -- character offsets into articles.text
    "end"         INTEGER,
    event_text    VARCHAR,
    publisher     VARCHAR,
    confidence    DOUBLE,
    actor         JSON,                    -- the report's participants (code, sector, entity, text)
    recipient     JSON,
    mode          VARCHAR[],
    context       VARCHAR[],
    place_name    VARCHAR,
    place_country VARCHAR,
    lat           DOUBLE,
    lon           DOUBLE
);
CREATE INDEX event_sources_event ON event_sources (event);
CREATE INDEX event_sources_article ON event_sources (article);

CREATE SEQUENCE named_event_ids START 1;
CREATE TABLE named_events (
    id            BIGINT PRIMARY KEY DEFAULT nextval('named_event_ids'),
    key           VARCHAR NOT NULL,        -- type|normalised name: what merges reports
    name          VARCHAR NOT NULL,
    type          VARCHAR,
    organizer     VARCHAR,
    place_name    VARCHAR,
    place_country VARCHAR,
    date          VARCHAR,
    n_sources     INTEGER NOT NULL
);
CREATE INDEX named_events_key ON named_events (key);

CREATE SEQUENCE named_event_source_ids START 1;
CREATE TABLE named_event_sources (
    id            BIGINT PRIMARY KEY DEFAULT nextval('named_event_source_ids'),
    named_event   BIGINT NOT NULL,
    article       VARCHAR NOT NULL,
    entity        VARCHAR NOT NULL,        -- entities.id in that article
    name          VARCHAR NOT NULL,
    organizer     VARCHAR,
    place_name    VARCHAR,
    place_country VARCHAR,
    date          VARCHAR
);
CREATE INDEX named_event_sources_article ON named_event_sources (article);

CREATE TABLE named_event_participants (
    named_event BIGINT NOT NULL,
    article     VARCHAR NOT NULL,          -- the report that names this participant
    role        VARCHAR NOT NULL,          -- participant | observer | organizer
    code        VARCHAR NOT NULL
);
CREATE INDEX named_event_participants_event ON named_event_participants (named_event);

CREATE TABLE memberships (
    org     VARCHAR NOT NULL,              -- organisation code
    member  VARCHAR NOT NULL,              -- member code
    joined  VARCHAR,
    "left"  VARCHAR
);

CREATE TABLE failures (
    source  VARCHAR NOT NULL,              -- file (or folder) that failed
    line    INTEGER,                       -- line in it (JSON Lines), if known
    article VARCHAR,                       -- article id, if it was read
    reason  VARCHAR NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
"""

_V2 = """
CREATE TABLE countries (
    code    VARCHAR PRIMARY KEY,           -- ISO 3166-1 alpha-3 (and the project's KOS)
    name    VARCHAR NOT NULL,
    capital VARCHAR,
    lat     DOUBLE,                        -- the capital's point
    lon     DOUBLE
);
"""

_V3 = """
CREATE TABLE actor_names (
    code    VARCHAR NOT NULL,              -- the actor's code (SRB, CSTO, ISIL)
    kind    VARCHAR NOT NULL,              -- state | organization | group
    name    VARCHAR NOT NULL,              -- its usual name
    alias   VARCHAR NOT NULL,              -- a name, alias, demonym or the code, as the data file writes it
    folded  VARCHAR NOT NULL               -- the alias in lower case without accents: what lookups compare
);

CREATE TABLE article_sentences (
    article  VARCHAR NOT NULL,
    sentence INTEGER NOT NULL,             -- 0: the title; 1, 2, ...: the text's sentences in order
    start    INTEGER,                      -- character offsets into articles.text (none for the title)
    "end"    INTEGER
);

CREATE TABLE text_terms (
    term     VARCHAR NOT NULL,             -- a word, lower case without accents (store/textindex.py)
    article  VARCHAR NOT NULL,
    sentence INTEGER NOT NULL              -- article_sentences.sentence; one row per word and sentence
);
"""

_V5 = """
-- who may review (reviews.add_reviewer): the token is shown once and never stored
CREATE TABLE reviewers (
    name        VARCHAR PRIMARY KEY,
    token_id    VARCHAR NOT NULL UNIQUE,   -- the token's public part: finds the row, proves nothing
    token_salt  BLOB NOT NULL,
    token_hash  BLOB NOT NULL,             -- scrypt of the token's secret part with the salt
    created_at  TIMESTAMP NOT NULL,
    revoked_at  TIMESTAMP                  -- a revoked reviewer signs in no more; their reviews stay
);

-- append-only: rows are inserted, never updated or deleted (an undo is a review of its own)
CREATE SEQUENCE review_ids START 1;
CREATE TABLE reviews (
    id          BIGINT PRIMARY KEY DEFAULT nextval('review_ids'),   -- review order
    kind        VARCHAR NOT NULL,          -- event | person | mention | named_event
    article     VARCHAR NOT NULL,          -- the target's article
    target      VARCHAR NOT NULL,          -- the target's stable key (review_rules.py)
    action      VARCHAR NOT NULL,          -- confirm | reject | edit | undo
    reason      VARCHAR,                   -- reject: not an event | wrong sense | duplicate | other ...
    fields      VARCHAR[],                 -- edit: the fields it sets
    undoes      BIGINT,                    -- undo: the review it takes back
    before      JSON,                      -- the target's values as reviewed just before it
    after       JSON,                      -- ... and just after it
    reviewer    VARCHAR NOT NULL,
    reviewed_at TIMESTAMP NOT NULL,
    note        VARCHAR
);
CREATE INDEX reviews_article ON reviews (article);

-- event reports as reviewed: their own type, date and aux (they may differ from another
-- report's once reviewed), the trigger span of their key, and the review that decides them
ALTER TABLE event_sources ADD COLUMN trigger_start INTEGER;
ALTER TABLE event_sources ADD COLUMN trigger_end INTEGER;
ALTER TABLE event_sources ADD COLUMN key VARCHAR;          -- stable key of the report
ALTER TABLE event_sources ADD COLUMN type VARCHAR;
ALTER TABLE event_sources ADD COLUMN date VARCHAR;
ALTER TABLE event_sources ADD COLUMN enddate VARCHAR;
ALTER TABLE event_sources ADD COLUMN aux VARCHAR;
ALTER TABLE event_sources ADD COLUMN review VARCHAR;       -- NULL | confirmed | corrected | rejected
ALTER TABLE event_sources ADD COLUMN reviewer VARCHAR;
ALTER TABLE event_sources ADD COLUMN reviewed_at TIMESTAMP;
UPDATE event_sources SET type = e.type, date = e.date, enddate = e.enddate, aux = e.aux
FROM events e WHERE e.id = event_sources.event;

-- merged events, rejected ones included (the columns of V1's events and event_participants,
-- then the review's); events and event_participants become views without the rejected ones
CREATE TABLE all_events (
    id            BIGINT PRIMARY KEY DEFAULT nextval('event_ids'),
    key           VARCHAR NOT NULL,        -- TYPE|actors|recipients|date|aux[|rejected]: what merges reports
    type          VARCHAR NOT NULL,
    quad          VARCHAR,
    actors        VARCHAR NOT NULL,
    recipients    VARCHAR NOT NULL,
    date          VARCHAR,
    enddate       VARCHAR,
    date_start    VARCHAR,
    date_end      VARCHAR,
    aux           VARCHAR,
    mode          VARCHAR[],
    context       VARCHAR[],
    place_name    VARCHAR,
    place_country VARCHAR,
    lat           DOUBLE,
    lon           DOUBLE,
    confidence    DOUBLE,
    n_sources     INTEGER NOT NULL,
    first_seen    TIMESTAMP NOT NULL,
    rejected      BOOLEAN NOT NULL DEFAULT FALSE,  -- its reports are rejected (hidden from events)
    review        VARCHAR,                 -- NULL | confirmed | corrected | rejected: corrected if one of
                                           -- its reports is, else confirmed if one is
    n_reviewed    INTEGER NOT NULL DEFAULT 0,      -- reports reviewed
    reviewers     VARCHAR[],
    reviewed_at   TIMESTAMP                -- the latest review of one of its reports
);
INSERT INTO all_events SELECT *, FALSE, NULL, 0, NULL, NULL FROM events;
DROP TABLE events;
CREATE INDEX all_events_key ON all_events (key);
CREATE TABLE all_event_participants (
    event    BIGINT NOT NULL,
    role     VARCHAR NOT NULL,
    code     VARCHAR NOT NULL,
    sector   VARCHAR,
    rejected BOOLEAN NOT NULL DEFAULT FALSE    -- as its event
);
INSERT INTO all_event_participants SELECT *, FALSE FROM event_participants;
DROP TABLE event_participants;
CREATE INDEX all_event_participants_event ON all_event_participants (event);
CREATE INDEX all_event_participants_code ON all_event_participants (code);
CREATE VIEW events AS SELECT * EXCLUDE (rejected) FROM all_events WHERE NOT rejected;
CREATE VIEW event_participants AS SELECT event, role, code, sector FROM all_event_participants WHERE NOT rejected;

-- people, named events and actor mentions as reviewed (rejected ones are left out)
ALTER TABLE entities ADD COLUMN key VARCHAR;               -- person, named event: stable key
ALTER TABLE entities ADD COLUMN review VARCHAR;
ALTER TABLE entities ADD COLUMN reviewer VARCHAR;
ALTER TABLE entities ADD COLUMN reviewed_at TIMESTAMP;
ALTER TABLE mentions ADD COLUMN key VARCHAR;               -- actor mention: stable key
ALTER TABLE mentions ADD COLUMN review VARCHAR;
ALTER TABLE mentions ADD COLUMN reviewer VARCHAR;
ALTER TABLE mentions ADD COLUMN reviewed_at TIMESTAMP;
"""


def fill_review_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Migration 5's step (``Store._fill_review_keys``): the stable keys and trigger spans of what is stored,
    computed from each article's record by the rules the write path uses."""
    import json

    from . import review_rules

    sources, entity_keys, mention_keys = [], [], []
    for article, record in con.execute("SELECT id, record FROM articles").fetchall():
        book = review_rules.ledger(article, json.loads(record), [])
        events = {e["id"]: e for e in json.loads(record).get("events") or []}
        for t in book.of("event"):
            info = events[t.ref[0]]["text_info"]
            sources.append((article, t.ref[0], info.get("trigger_start"), info.get("trigger_end"), t.key))
        entity_keys += [(article, t.ref[0], t.key) for kind in ("person", "named_event") for t in book.of(kind)]
        mention_keys += [(article, t.ref[0], t.ref[1], t.key) for t in book.of("mention")]
    if sources:
        con.execute("UPDATE event_sources SET trigger_start = v.ts, trigger_end = v.te, key = v.k FROM ("
                    "SELECT unnest(?::VARCHAR[]) AS a, unnest(?::VARCHAR[]) AS r, unnest(?::INTEGER[]) AS ts,"
                    " unnest(?::INTEGER[]) AS te, unnest(?::VARCHAR[]) AS k) AS v"
                    " WHERE event_sources.article = v.a AND event_sources.record_event = v.r",
                    [list(c) for c in zip(*sources)])
    if entity_keys:
        con.execute("UPDATE entities SET key = v.k FROM (SELECT unnest(?::VARCHAR[]) AS a,"
                    " unnest(?::VARCHAR[]) AS e, unnest(?::VARCHAR[]) AS k) AS v"
                    " WHERE entities.article = v.a AND entities.id = v.e", [list(c) for c in zip(*entity_keys)])
    if mention_keys:
        # mentions have no id: the n-th mention of an entity is the n-th in the record's list,
        # which is the order they were inserted in (rowid)
        con.execute("UPDATE mentions SET key = v.k FROM (SELECT unnest(?::VARCHAR[]) AS a,"
                    " unnest(?::VARCHAR[]) AS e, unnest(?::INTEGER[]) AS n, unnest(?::VARCHAR[]) AS k) AS v,"
                    " (SELECT rowid AS rid, article, entity, row_number() OVER (PARTITION BY article, entity"
                    "   ORDER BY rowid) - 1 AS n FROM mentions) AS m"
                    " WHERE mentions.rowid = m.rid AND m.article = v.a AND m.entity = v.e AND m.n = v.n",
                    [list(c) for c in zip(*mention_keys)])


#: Every schema change, in order. Append; never edit an applied migration.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema: articles, entities, events and their sources, named events, "
                 "memberships, failures", _V1),
    Migration(2, "countries with their capitals' points (data file), for the map", _V2),
    Migration(3, "actor names and aliases (data files) for lookup by name; the words of every sentence "
                 "for full-text search (filled for the stored articles when applied)", _V3,
              run="_index_stored_texts"),
    Migration(4, "merge keys: reports not dated to the day merge only within their article; events merged "
                 "across articles before are split", "", run="_rekey_events"),
    Migration(5, "analyst review: reviews (append-only), reviewers, event reports and entities as "
                 "reviewed, events as a view of all_events without the rejected ones", _V5,
              run="_fill_review_keys"),
)

SCHEMA_MIGRATIONS = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
)
"""

#: Tables a reader can count; the order is the order they are reported in.
TABLES = ("articles", "article_aliases", "entities", "mentions", "events", "event_participants",
          "event_sources", "named_events", "named_event_sources", "named_event_participants",
          "memberships", "failures", "countries", "actor_names", "article_sentences", "text_terms", "reviews",
          "reviewers")
