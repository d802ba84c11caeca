"""Analyst review: correct the record, keep every correction, grow the gold and the data from it.

The library under the faces (CLI ``entente review ...``, the API, the pages): each face parses
its input and calls one function here. What a review is, its targets' stable keys and how
reviews make the record as reviewed are in :mod:`entente.store.review_rules`; the store keeps
its rows as reviewed (:meth:`Store.add_reviews`).

    token = add_reviewer(store, "ana")                 # shown once; only its hash is stored
    verify_reviewer(store, token)                      # "ana" (None for a wrong token)
    targets = article_targets(store, "kazinform-1")    # every reviewable item with its key and state
    review(store, "event", key, "edit", reviewer="ana", fields={"recipient": ["CSTO"], "event": "AGREE"})
    review(store, "event", other, "reject", reviewer="ana", reason="wrong sense")
    undo(store, review_id, reviewer="ana")             # an undo is a review too: nothing is deleted
    review_event(store, event_id, "confirm", reviewer="ana")   # a merged event: each of its reports
    undo_event(store, event_id, reviewer="ana")
    history(store, "event", key); orphans(store); queue(store, order="confidence", actor="SYR")
    stats(store); counts(store, actor="SRB"); suggest(store)
    event_reports(store, event_id)                     # its reports, sentences, keys and histories
    actor_lookup(store, "serb")                        # codes by name, for a review form

How a review of one report changes the merged event it belongs to
-----------------------------------------------------------------
Merged events are summaries of their reports (``merge.py``), and a review is of a *report*
(the event as one article tells it): the store re-merges a report whose reviewed values change
under its reviewed key, through the same rules as any report. Corrected ``ACCUSE RUS->USA`` to
``ACCUSE RUS->UKR``: the report leaves its event (which is recomputed from its other reports,
or deleted if it had none) and joins the stored ``ACCUSE RUS->UKR`` of that date with a
compatible place, or makes a new one. A rejected report merges only with rejected reports
(``|rejected`` ends its key): an event whose reports are all rejected is in ``all_events``
only, hidden from ``events`` and every query of it; one with other reports simply loses a
source. A confirm changes no value and moves nothing. :func:`review_event` reviews a merged
event as a whole: the same review of each of its reports. Each merged event says whether it was
reviewed (``review``: corrected if a report is, else confirmed if one is, or rejected), how
many reports were, by whom and when (``queries.event_reviews``).

What a person, an actor mention or a named event review does
-------------------------------------------------------------
An edited person takes its office, affiliation and sector in ``entities`` (the actor pages'
people and offices); a rejected one is left out. An actor mention reviewed as another code
moves to an entity of that code of its own; "not an actor" leaves it out. An edited named
event takes its organiser, place, date, participants and observers (its summary follows); a
rejected one no longer reports it. Entity reviews do not recode events: an event report is
reviewed as an event.

Who may review
--------------
Reading stays open; writing a review needs a reviewer: a name and a token (``ent_<id>_<secret>``,
shown once by :func:`add_reviewer`). Reviewers live in the store's ``reviewers`` table, not in
the settings: every review names its reviewer, so the names must stay with the reviews (a
revoked reviewer's reviews keep their name) and be written in the same transactional, migrated
file by its one writer; the settings are configuration Entente reads and never writes (an
environment variable or a TOML file a person edits), and `entente reviewer add NAME` must
write. The store keeps only a salted scrypt hash of the token's secret, with the token's
public id to find the row; :func:`verify_reviewer` works on a read-only store (the server's).
Like any write, adding a reviewer opens the store for writing; ``entente serve`` does not hold
it (it reads a snapshot), so ``entente reviewer add`` works while it runs, and the server sees
the new reviewer within a second (its next snapshot).

Re-extraction
-------------
``Store.write_record`` applies an article's reviews whenever it writes it: a new text
(``replaced``) or the same text extracted again (``reextract=True``; the engines'
``reextract`` flag): each reviewed target found again on its span is re-applied, field by
field (a correction of the recipient survives a re-extraction that now gets the date right);
one whose span is gone is an orphan, kept and listed by :func:`orphans`.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections import Counter
from datetime import datetime
from typing import Any, Iterable

from ..errors import StoreError
from . import queries
from .review_rules import (EDIT_FIELDS, KINDS, REJECT_REASONS, Review, State, Target, article_of, by_target,
                           effective, ledger, target_state, validate_action, validate_fields)

__all__ = [
    "add_reviewer", "new_token", "revoke_reviewer", "verify_reviewer", "reviewers",
    "review", "review_event", "undo", "undo_event", "history", "article_targets", "articles_with_reviewed_events", "article_ledger", "orphans", "queue", "stats",
    "suggest",
    "suggestions_text", "KINDS", "REJECT_REASONS", "EDIT_FIELDS", "active_token_id", "counts", "event_reports",
    "reports_of", "report_events",
    "actor_lookup",
]

# -- reviewers -----------------------------------------------------------------------------------

_NAME = re.compile(r"[\w][\w .'-]{0,63}")
_TOKEN = re.compile(r"ent_([0-9a-f]{12})_([A-Za-z0-9_-]{20,})")
# scrypt's cost: 16 MB and some tens of milliseconds a check, once per sign-in or API write
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1, "dklen": 32}
_DUMMY_SALT = b"\0" * 16


def _hash(secret: str, salt: bytes) -> bytes:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, **_SCRYPT)


def _check_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name.strip()):
        raise StoreError(f"reviewer name {name!r}: use letters, digits, spaces, dots, dashes (at most 64)")
    return name.strip()


def _issue(store, name: str) -> str:
    token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    salt = secrets.token_bytes(16)
    store.set_reviewer(name, token_id, salt, _hash(secret, salt))
    return f"ent_{token_id}_{secret}"


def add_reviewer(store, name: str) -> str:
    """Add a reviewer; returns their new token, the only time it is shown (the store keeps a
    salted scrypt hash of it). A name already reviewing is refused (see :func:`new_token`)."""
    name = _check_name(name)
    row = store.execute("SELECT revoked_at FROM reviewers WHERE name = ?", [name]).fetchone()
    if row is not None and row[0] is None:
        raise StoreError(f"{name!r} is already a reviewer; give them a new token with `entente reviewer token "
                         f"{name}` (the old one stops working)")
    return _issue(store, name)


def new_token(store, name: str) -> str:
    """A new token for a reviewer (the old one stops working; a revoked reviewer is back)."""
    name = _check_name(name)
    if store.execute("SELECT count(*) FROM reviewers WHERE name = ?", [name]).fetchone()[0] == 0:
        raise StoreError(f"{name!r} is not a reviewer; add them with `entente reviewer add {name}`")
    return _issue(store, name)


def revoke_reviewer(store, name: str) -> None:
    """The reviewer's token stops working; their reviews stay, under their name."""
    name = _check_name(name)
    if store.execute("SELECT count(*) FROM reviewers WHERE name = ? AND revoked_at IS NULL", [name]).fetchone()[0] == 0:
        raise StoreError(f"{name!r} is not an active reviewer (`entente reviewer list` shows them)")
    store.revoke_reviewer(name)


def verify_reviewer(store, token: str | None) -> str | None:
    """The name of the active reviewer whose token this is, or None. The check hashes the
    token's secret with the stored salt and compares in constant time; a token of no reviewer
    costs a hash too. Works on a read-only store."""
    m = _TOKEN.fullmatch(token or "") if isinstance(token, str) else None
    row = None
    if m is not None:
        row = store.execute("SELECT name, token_salt, token_hash FROM reviewers WHERE token_id = ?"
                            " AND revoked_at IS NULL", [m.group(1)]).fetchone()
    salt = bytes(row[1]) if row else _DUMMY_SALT
    digest = _hash(m.group(2) if m else "-", salt)
    if row is not None and hmac.compare_digest(digest, bytes(row[2])):
        return row[0]
    return None


def active_token_id(store, name: str) -> str | None:
    """The public id of an active reviewer's current token (None: not a reviewer, or revoked).
    A server's session checks it on every request: a revoked reviewer, or one given a new
    token, is signed out. Works on a read-only store."""
    row = store.execute("SELECT token_id FROM reviewers WHERE name = ? AND revoked_at IS NULL", [name]).fetchone()
    return row[0] if row else None


def reviewers(store) -> list[dict]:
    """Every reviewer: name, when added, when revoked (None: active), how many reviews."""
    return queries._rows(store.execute(
        "SELECT r.name, r.created_at, r.revoked_at, (SELECT count(*) FROM reviews v WHERE v.reviewer = r.name)"
        " AS n_reviews FROM reviewers r ORDER BY r.name"))


def _active_reviewer(store, name: str) -> str:
    found = store.execute("SELECT revoked_at FROM reviewers WHERE name = ?", [name]).fetchone() \
        if isinstance(name, str) else None
    if found is None:
        raise StoreError(f"reviewer {name!r} is not known; add one with `entente reviewer add NAME`")
    if found[0] is not None:
        raise StoreError(f"reviewer {name!r} was revoked on {found[0]:%Y-%m-%d}; `entente reviewer token {name}` "
                         "gives them a new token")
    return name


# -- reading an article's targets ----------------------------------------------------------------


def _article(store, article: str) -> tuple[dict, str | None, dict] | None:
    """(record, text, article columns) of a stored article, or None."""
    row = store.execute("SELECT record, text, published, publisher, title, url FROM articles WHERE id = ?",
                        [article]).fetchone()
    if row is None:
        return None
    return json.loads(row[0]), row[1], {"published": row[2], "publisher": row[3], "title": row[4], "url": row[5]}


def _reviews(store, where: str = "TRUE", params: list | None = None) -> list[Review]:
    return [Review.from_row(r) for r in store.execute(
        f"SELECT {', '.join(Review.COLUMNS)} FROM reviews WHERE {where} ORDER BY id", params or []).fetchall()]


def article_ledger(store, article: str, kinds: Iterable[str] = KINDS):
    """(ledger, record, text, article columns) of a stored article: its targets of ``kinds``
    found, keyed and as reviewed (``review_rules.ledger``); None if it is not stored."""
    found = _article(store, article)
    if found is None:
        return None
    return ledger(article, found[0], _reviews(store, "article = ?", [article]), kinds), *found


def _target_dict(t: Target) -> dict:
    state = t.state
    return {"kind": t.kind, "key": t.key, "status": state.status, "extracted": t.extracted, "values": state.values,
            "reason": state.reason, "reviewer": state.reviewer,
            "reviewed_at": state.reviewed_at.isoformat() if state.reviewed_at else None,
            "review_id": state.review.id if state.review else None}


def article_targets(store, article: str) -> dict | None:
    """Every reviewable item of a stored article, by kind (``event``, ``person``, ``mention``,
    ``named_event``): its key, status, values as extracted and as reviewed, and who reviewed it
    when; an event report also has its record event id, its merged event and the sentence and
    trigger offsets; a person or named event its entity id; a mention its entity and offsets.
    Rejected items are listed too, and ``orphans``: reviews of this article whose target is gone.
    None if the article is not stored."""
    found = article_ledger(store, article)
    if found is None:
        return None
    book, record = found[0], found[1]
    events = {e["id"]: e for e in record.get("events") or []}
    entities = {e["id"]: e for e in record.get("entities") or []}
    merged = dict(store.execute("SELECT record_event, event FROM event_sources WHERE article = ?", [article]).fetchall())
    out: dict[str, Any] = {"article": article}
    rows = []
    for t in book.of("event"):
        info = events[t.ref[0]]["text_info"]
        rows.append({**_target_dict(t), "record_event": t.ref[0], "event_id": merged.get(t.ref[0]),
                     "text_info": info})
    out["event"] = rows
    for kind in ("person", "named_event"):
        out[kind] = [{**_target_dict(t), "entity": t.ref[0]} for t in book.of(kind)]
    out["mention"] = [{**_target_dict(t), "entity": t.ref[0],
                       "start": entities[t.ref[0]]["mentions"][t.ref[1]]["start"],
                       "end": entities[t.ref[0]]["mentions"][t.ref[1]]["end"]} for t in book.of("mention")]
    out["orphans"] = _orphans_of(article, book.orphans, _reviews(store, "article = ?", [article]), True, True)
    return out


def articles_with_reviewed_events(store) -> list[str]:
    """The ids of the stored articles with at least one reviewed event report, in order."""
    return [a for (a,) in store.execute(
        "SELECT DISTINCT article FROM event_sources WHERE review IS NOT NULL ORDER BY article").fetchall()]


def history(store, kind: str, key: str) -> list[dict]:
    """Every review of one target, oldest first (undos and undone ones included)."""
    if kind not in KINDS:
        raise StoreError(f"target kind {kind!r} is not one of {', '.join(KINDS)}")
    return [r.as_dict() for r in _reviews(store, "kind = ? AND target = ?", [kind, key])]


# -- writing reviews ------------------------------------------------------------------------------


def _find(store, kind: str, key: str) -> tuple[Target, list[Review]]:
    article = article_of(kind, key)
    found = _article(store, article)
    if found is None:
        raise StoreError(f"no article {article!r} in the store (from the key {key!r})")
    reviews = _reviews(store, "article = ?", [article])
    book = ledger(article, found[0], reviews, (kind,))
    target = next((t for t in book.of(kind) if t.key == key), None)
    if target is None:
        listed = ", ".join(t.key for t in book.of(kind)[:5]) or "none"
        raise StoreError(f"article {article!r} has no {kind.replace('_', ' ')} {key!r} (its keys: {listed}); "
                         "`orphans` lists reviews whose target is gone")
    return target, by_target(reviews).get((kind, key), [])


def _next_state(kind: str, target: Target, history_: list[Review], row: dict) -> State:
    """The target's state once ``row`` is appended to its history."""
    pending = Review(id=(history_[-1].id if history_ else 0) + 10 ** 12, kind=kind, article=row["article"],
                     target=row["target"], action=row["action"], reason=row.get("reason"),
                     fields=tuple(row.get("fields") or ()), undoes=row.get("undoes"), after=row.get("after"),
                     reviewer=row["reviewer"], reviewed_at=row["reviewed_at"])
    return target_state(kind, target.extracted, [*history_, pending])


def _review_row(store, kind: str, key: str, action: str, *, reviewer: str, fields: dict | None,
                reason: str | None, note: str | None, now: datetime) -> dict:
    if action == "undo":
        raise StoreError("undo a review with reviews.undo(store, review_id, ...) (it names the review, not the target)")
    validate_action(kind, action, fields=fields, reason=reason)
    changes = validate_fields(kind, fields) if action == "edit" else {}
    target, history_ = _find(store, kind, key)
    before = target.state.values
    row = {"kind": kind, "article": article_of(kind, key), "target": key, "action": action, "reason": reason,
           "fields": sorted(changes) or None, "undoes": None, "before": before,
           "after": {**before, **changes}, "reviewer": reviewer, "reviewed_at": now,
           "note": note.strip() if isinstance(note, str) and note.strip() else None}
    if action == "edit" and all(before.get(f) == v for f, v in changes.items()):
        raise StoreError(f"the edit of {key!r} changes nothing ({', '.join(changes)} already "
                         f"{'is' if len(changes) == 1 else 'are'} so); confirm it instead")
    row["after"] = _next_state(kind, target, history_, row).values
    return row


def review(store, kind: str, key: str, action: str, *, reviewer: str, fields: dict | None = None,
           reason: str | None = None, note: str | None = None) -> dict:
    """Review one target (``kind`` and its stable ``key``, from :func:`article_targets`):
    ``confirm``, ``reject`` with a ``reason`` (``REJECT_REASONS[kind]``), or ``edit`` with
    ``fields`` (``EDIT_FIELDS[kind]``: for an event ``event``, ``actor``, ``recipient``, ``date``,
    ``place``, ``aux``). Checked before anything is written: a bad value is a StoreError naming
    the field. Returns the review as :func:`history` shows it."""
    _active_reviewer(store, reviewer)
    row = _review_row(store, kind, key, action, reviewer=reviewer, fields=fields, reason=reason, note=note,
                      now=datetime.now())
    (review_id,) = store.add_reviews([row])
    return _one(store, review_id)


def review_event(store, event_id: int, action: str, *, reviewer: str, fields: dict | None = None,
                 reason: str | None = None, note: str | None = None) -> list[dict]:
    """Review a merged event (its id in ``events`` or ``all_events``) as a whole: the same review
    of each of its reports, in one transaction. Returns the reviews."""
    _active_reviewer(store, reviewer)
    keys = store.execute("SELECT key FROM event_sources WHERE event = ? ORDER BY id", [int(event_id)]).fetchall()
    if not keys:
        raise StoreError(f"no event {event_id} in the store")
    now = datetime.now()
    rows = [_review_row(store, "event", key, action, reviewer=reviewer, fields=fields, reason=reason, note=note,
                        now=now) for (key,) in keys]
    return [_one(store, i) for i in store.add_reviews(rows)]


def undo(store, review_id: int, *, reviewer: str, note: str | None = None) -> dict:
    """Take back an earlier review: appends an ``undo`` (nothing is deleted); the target goes
    back to what its other reviews make it (the extracted values if there are none)."""
    _active_reviewer(store, reviewer)
    (new_id,) = store.add_reviews([_undo_row(store, review_id, reviewer, note)])
    return _one(store, new_id)


def undo_event(store, event_id: int, *, reviewer: str, note: str | None = None) -> list[dict]:
    """Undo a merged event's review as a whole: the latest standing review of each of its
    reports that has one (what :func:`review_event` wrote), in one transaction."""
    _active_reviewer(store, reviewer)
    keys = [k for (k,) in store.execute("SELECT key FROM event_sources WHERE event = ? AND review IS NOT NULL"
                                        " ORDER BY id", [int(event_id)]).fetchall()]
    if not keys:
        raise StoreError(f"event {event_id} has no review to undo (or is not in the store)")
    grouped = by_target(_reviews(store, "kind = 'event' AND target IN (SELECT unnest(?::VARCHAR[]))", [keys]))
    standing = [effective(grouped.get(("event", key), [])) for key in keys]
    latest = [counted[-1].id for counted in standing if counted]
    return [_one(store, i) for i in store.add_reviews([_undo_row(store, r, reviewer, note) for r in latest])]


def _undo_row(store, review_id: int, reviewer: str, note: str | None) -> dict:
    found = _reviews(store, "id = ?", [int(review_id)])
    if not found:
        raise StoreError(f"no review {review_id} in the store")
    undone = found[0]
    if undone.action == "undo":
        raise StoreError(f"review {review_id} is an undo; to do it again, write the review again")
    if _reviews(store, "undoes = ?", [undone.id]):
        raise StoreError(f"review {review_id} is already undone")
    row = {"kind": undone.kind, "article": undone.article, "target": undone.target, "action": "undo",
           "reason": None, "fields": None, "undoes": undone.id, "before": None, "after": None,
           "reviewer": reviewer, "reviewed_at": datetime.now(),
           "note": note.strip() if isinstance(note, str) and note.strip() else None}
    try:
        target, history_ = _find(store, undone.kind, undone.target)
    except StoreError:
        pass  # an orphan's review can be undone too; there is nothing to show before and after
    else:
        row["before"] = target.state.values
        row["after"] = _next_state(undone.kind, target, history_, row).values
    return row


def _one(store, review_id: int) -> dict:
    return _reviews(store, "id = ?", [review_id])[0].as_dict()


# -- what the reviews say ----------------------------------------------------------------------------


def orphans(store, *, include_undone: bool = False) -> list[dict]:
    """Reviewed targets that are no longer in their article's record (its text changed and the
    span is gone, or re-extraction no longer finds the item): kind, article, key, the state its
    reviews give it (status, values), how many reviews and the latest. Targets whose reviews are
    all undone are listed only with ``include_undone``. Nothing is ever dropped: a target found
    again (the text restored) takes its reviews back."""
    out = []
    for (article,) in store.execute("SELECT DISTINCT article FROM reviews ORDER BY article").fetchall():
        reviews = _reviews(store, "article = ?", [article])
        found = _article(store, article)
        if found is None:
            gone = sorted({(r.kind, r.target) for r in reviews})
        else:
            gone = ledger(article, found[0], reviews).orphans
        out += _orphans_of(article, gone, reviews, include_undone, found is not None)
    return out


def _orphans_of(article: str, gone: list[tuple[str, str]], reviews: list[Review], include_undone: bool,
                stored: bool) -> list[dict]:
    grouped = by_target(reviews)
    out = []
    for kind, key in gone:
        hist = grouped[(kind, key)]
        # the extracted values are gone with the target: the values it had when first reviewed stand in
        state = target_state(kind, hist[0].before or {}, hist)
        if state.status is None and not include_undone:
            continue
        out.append({"kind": kind, "article": article, "key": key, "status": state.status, "values": state.values,
                    "reviews": len(hist), "last": hist[-1].as_dict(), "article_stored": stored})
    return out


def queue(store, *, order: str = "confidence", limit: int = 50, offset: int = 0, **filters) -> list[dict]:
    """Merged events none of whose reports is reviewed, as ``queries.events`` shows them (same
    filters), lowest confidence first (``order="confidence"``) or most sources first
    (``order="sources"``): what to review next."""
    orders = {"confidence": "e.confidence ASC NULLS FIRST, e.n_sources DESC, e.id",
              "sources": "e.n_sources DESC, e.confidence ASC NULLS FIRST, e.id"}
    if order not in orders:
        raise StoreError(f"order {order!r} is not one of {', '.join(orders)}")
    found = queries._event_filter(store, **filters)
    if found is None:
        return []
    where, params = found
    ids = [i for (i,) in store.execute(
        f"SELECT e.id FROM events e WHERE {where} AND e.review IS NULL ORDER BY {orders[order]}"
        f" LIMIT {int(limit)} OFFSET {int(offset)}", params).fetchall()]
    by_id = {e["id"]: e for e in queries.events(store, ids=ids)}
    return [by_id[i] for i in ids if i in by_id]


def _reviewed_articles(store):
    """(article, ledger, record, text, columns) for every stored article with reviews."""
    for (article,) in store.execute("SELECT DISTINCT article FROM reviews ORDER BY article").fetchall():
        found = _article(store, article)
        if found is not None:
            yield article, ledger(article, found[0], _reviews(store, "article = ?", [article])), *found


def _counts(statuses: Iterable[str | None]) -> dict:
    c = Counter(s for s in statuses if s is not None)
    reviewed = sum(c.values())
    return {"reviewed": reviewed, "confirmed": c["confirmed"], "corrected": c["corrected"],
            "rejected": c["rejected"], "precision": round(c["confirmed"] / reviewed, 3) if reviewed else None}


def stats(store, *, actor: str | None = None) -> dict:
    """How much of the record is reviewed: event reports (all of them, or those ``actor`` takes
    part in as reviewed) reviewed, confirmed, corrected, rejected, the rejections' reasons,
    and the extractor's precision on reviewed reports (confirmed / reviewed) overall and by the
    type it extracted; merged events reviewed and rejected; people, actor mentions and named
    events reviewed."""
    code = actor.upper() if actor else None
    if code:
        total = store.execute("SELECT count(*) FROM event_sources s WHERE s.event IN"
                              " (SELECT event FROM all_event_participants WHERE code = ?)", [code]).fetchone()[0]
    else:
        total = store.execute("SELECT count(*) FROM event_sources").fetchone()[0]
    reports: list[Target] = []
    others: dict[str, list[Target]] = {"person": [], "mention": [], "named_event": []}
    for _, book, *_rest in _reviewed_articles(store):
        for t in book.of("event"):
            if t.status is not None and (code is None or code in t.state.values["actor"] + t.state.values["recipient"]):
                reports.append(t)
        for kind in others:
            others[kind] += [t for t in book.of(kind) if t.status is not None]
    by_type = {}
    for t in reports:
        by_type.setdefault(t.extracted["event"], []).append(t.status)
    events_sql = "SELECT count(*) FILTER (WHERE review IS NOT NULL AND NOT rejected), count(*) FILTER (WHERE rejected)" \
                 " FROM all_events e"
    params: list = []
    if code:
        events_sql += " WHERE EXISTS (SELECT 1 FROM all_event_participants p WHERE p.event = e.id AND p.code = ?)"
        params.append(code)
    events_reviewed, events_rejected = store.execute(events_sql, params).fetchone()
    return {
        "actor": code,
        "reports": {"total": total, **_counts(t.status for t in reports),
                    "unreviewed": total - len(reports)},
        "reasons": dict(Counter(t.state.reason for t in reports if t.status == "rejected")),
        "by_type": [{"type": type_, **_counts(statuses)} for type_, statuses in sorted(by_type.items())],
        "events": {"reviewed": events_reviewed, "rejected": events_rejected},
        "people": _counts(t.status for t in others["person"]),
        "mentions": _counts(t.status for t in others["mention"]),
        "named_events": _counts(t.status for t in others["named_event"]),
    }


def counts(store, *, actor: str | None = None) -> dict:
    """How many event reports and merged events are reviewed, confirmed, corrected and rejected
    (those ``actor`` takes part in, as reviewed, if given), from the store's review columns in
    two queries: what the summary, the actor pages and the API show. :func:`stats` adds the
    extractor's precision by type (it reads the records)."""
    code = actor.upper() if actor else None
    where, params = "", []
    if code:
        where = " WHERE EXISTS (SELECT 1 FROM all_event_participants p WHERE p.event = e.id AND p.code = ?)"
        params = [code]
    status = ("count(*) FILTER (WHERE review IS NOT NULL), count(*) FILTER (WHERE review = 'confirmed'),"
              " count(*) FILTER (WHERE review = 'corrected'), count(*) FILTER (WHERE review = 'rejected'), count(*)")
    reports = store.execute(f"SELECT {status} FROM event_sources WHERE event IN (SELECT e.id FROM all_events e{where})",
                            params).fetchone()
    events = store.execute(f"SELECT {status} FROM all_events e{where}", params).fetchone()
    names = ("reviewed", "confirmed", "corrected", "rejected", "total")
    return {"actor": code, "reports": dict(zip(names, reports)), "events": dict(zip(names, events))}


def event_reports(store, event_id: int) -> list[dict] | None:
    """The reports of one merged event (rejected ones included), each with its stable key, its
    article (title, date), its sentence and trigger (text and offsets into the sentence), how it
    was reviewed and its history (every review of its key, oldest first): what an event's page
    shows to review it, undo a review, or see who changed what. None if there is no such event."""
    if not store.execute("SELECT count(*) FROM all_events WHERE id = ?", [int(event_id)]).fetchone()[0]:
        return None
    return reports_of(store, [event_id]).get(int(event_id), [])


def reports_of(store, event_ids: Iterable[int]) -> dict[int, list[dict]]:
    """:func:`event_reports` of several merged events in three queries: event id -> reports."""
    ids = [int(i) for i in event_ids]
    out: dict[int, list[dict]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = queries._rows(store.execute(
        "SELECT s.event, s.id, s.article, a.title, a.published, s.record_event, s.key, s.sequence, s.start,"
        " s.\"end\", s.trigger_start, s.trigger_end, s.event_text, s.confidence, s.review, s.reviewer, s.reviewed_at,"
        " substr(a.text, s.start + 1, s.\"end\" - s.start) AS sentence"
        " FROM event_sources s JOIN articles a ON a.id = s.article WHERE s.event IN (SELECT unnest(?::BIGINT[]))"
        " ORDER BY s.event, s.id", [ids]))
    keys = [r["key"] for r in rows if r["key"]]
    found = _reviews(store, "kind = 'event' AND target IN (SELECT unnest(?::VARCHAR[]))", [keys]) if keys else []
    by_key = by_target(found)
    for row in rows:
        start, ts, te = row["start"], row["trigger_start"], row["trigger_end"]
        inside = start is not None and ts is not None and te is not None and start <= ts < te <= row["end"]
        row["trigger"] = [ts - start, te - start] if inside else None
        row["history"] = [r.as_dict() for r in by_key.get(("event", row["key"]), [])]
        out[row.pop("event")].append(row)
    return out


def report_events(store, keys: Iterable[str]) -> list[int]:
    """The merged events the event reports of these keys belong to now (a review that changes a
    report's values moves it to another merged event)."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return []
    return [i for (i,) in store.execute("SELECT DISTINCT event FROM event_sources WHERE key IN"
                                        " (SELECT unnest(?::VARCHAR[])) ORDER BY event", [wanted]).fetchall()]


def actor_lookup(store, query: str, *, limit: int = 12) -> list[dict]:
    """Actor codes the store knows whose code starts with ``query`` or whose name (any name an
    article gave a state, organisation or group of that code) contains it, case aside: the
    lookup by name of a review form (``serb`` -> SRB Serbia). Exact codes first, then by how
    many articles name them."""
    q = (query or "").strip()
    if not q:
        return []
    like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return queries._rows(store.execute(
        "SELECT code, mode(name) AS name, mode(kind) AS kind, count(DISTINCT article) AS n_articles"
        " FROM entities WHERE code IS NOT NULL AND kind IN ('state', 'organization', 'group')"
        " GROUP BY code HAVING starts_with(code, upper(?)) OR bool_or(name ILIKE ? ESCAPE '\\')"
        " ORDER BY code = upper(?) DESC, starts_with(code, upper(?)) DESC, n_articles DESC, code"
        f" LIMIT {int(limit)}", [q, like, q, q]))


# -- suggestions for the data files -------------------------------------------------------------

_ACTOR_FILES = {"state": "countries.jsonl", "organization": "organizations.jsonl", "group": "groups.jsonl"}


def suggest(store) -> list[dict]:
    """Corrections turned into proposed data-file changes an analyst reads and applies (none is
    applied here), each ``{"file", "entry", "line" or "change", "why", "reviews"}``:

    - a person whose office, affiliation or sector was corrected: a ``people.jsonl`` line with
      the role held on the article's date (widen it to the term of office);
    - an actor mention reviewed as another code: its words as an alias of that code in
      countries.jsonl, organizations.jsonl or groups.jsonl;
    - an actor mention rejected: the code whose name or alias misfired on those words;
    - an event report rejected as ``wrong sense``: a discard-list line (the pattern, its trigger
      words and the sentence) for the pattern's maintainers;
    - event reports whose type was corrected: the pattern that coded them and the type the
      analysts gave, with the count.
    Identical suggestions are given once, with every review behind them."""
    out: dict[tuple, dict] = {}

    def add(key: tuple, item: dict, review: Review | None) -> None:
        entry = out.setdefault(key, {**item, "reviews": []})
        if review is not None and review.id not in entry["reviews"]:
            entry["reviews"].append(review.id)

    for article, book, record, text, columns in _reviewed_articles(store):
        events = {e["id"]: e for e in record.get("events") or []}
        published = columns["published"]
        for t in book.of("person"):
            values, old = t.state.values, t.extracted
            if t.status != "corrected" or not values.get("affiliation"):
                continue
            role = {"code": values["affiliation"], "sector": values.get("sector") or "GOV"}
            if published:
                role.update(start=published[:10], end=published[:10])
            surname = values["name"].split()[-1] if values.get("name") else None
            line = {"name": values["name"], "aliases": [surname] if surname and surname != values["name"] else [],
                    "roles": [role]}
            office = f", {values['office']}" if values.get("office") else ""
            add(("people", values["name"], values["affiliation"]),
                {"file": "people.jsonl", "entry": values["name"], "line": line,
                 "why": f"{values['name']}{office} of {values['affiliation']} in {article} ({published or 'undated'}); "
                        f"extracted as {old.get('office') or 'no office'} of {old.get('affiliation') or 'no state'}; "
                        "the role is dated by the article: widen it to the term of office"}, t.state.review)
        for t in book.of("mention"):
            words = t.extracted.get("text")
            if t.status == "corrected" and words:
                code = t.state.values["code"]
                kind = t.state.values.get("kind") or t.extracted.get("kind")
                add(("alias", code, words.casefold()),
                    {"file": _ACTOR_FILES.get(kind, "organizations.jsonl"), "entry": code,
                     "change": {"aliases": {"add": words}},
                     "why": f"{words!r} is {code} in {article} (extracted as {t.extracted.get('code')})"},
                    t.state.review)
            elif t.status == "rejected" and words:
                code, kind = t.extracted.get("code"), t.extracted.get("kind")
                add(("misfire", code, words.casefold()),
                    {"file": _ACTOR_FILES.get(kind, "organizations.jsonl"), "entry": code,
                     "change": {"aliases": {"check": words}},
                     "why": f"{words!r} named no actor in {article} but was read as {code}: a name or alias of "
                            f"{code} that misfires here wants a narrower form or a guard"}, t.state.review)
        for t in book.of("event"):
            ev = events[t.ref[0]]
            pattern = ev.get("pattern") or t.extracted.get("pattern") or f"{t.extracted['event'].lower()}.?"
            info = ev["text_info"]
            sentence = " ".join((text or "")[info["start"]:info["end"]].split())
            if t.status == "rejected" and t.state.reason == "wrong sense":
                add(("discard", pattern, (t.extracted.get("text") or "").casefold(), sentence),
                    {"file": "discards.jsonl", "entry": pattern,
                     "line": {"pattern": pattern, "trigger": t.extracted.get("text"), "sentence": sentence},
                     "why": f"{t.extracted.get('text')!r} is not {t.extracted['event']} here ({article}); Entente has no "
                            "discard list yet: the line is what one would hold, for the pattern's maintainers"},
                    t.state.review)
            elif t.status == "corrected" and t.state.values["event"] != t.extracted["event"]:
                key = ("pattern", pattern, t.extracted["event"], t.state.values["event"])
                add(key, {"file": f"patterns/{pattern.split('.')[0]}.yaml", "entry": pattern,
                          "change": {"type": {"from": t.extracted["event"], "to": t.state.values["event"]}},
                          "count": 0, "examples": [],
                          "why": f"pattern {pattern} coded {t.extracted['event']} where the analysts say "
                                 f"{t.state.values['event']}"}, t.state.review)
                item = out[key]
                item["count"] += 1
                if len(item["examples"]) < 3:
                    item["examples"].append(f"{article}: {sentence}")
    return list(out.values())


def suggestions_text(suggestions: list[dict]) -> str:
    """:func:`suggest`'s proposals as text an analyst reads: one block per file."""
    if not suggestions:
        return "No corrections to turn into data yet.\n"
    lines: list[str] = []
    for file in sorted({s["file"] for s in suggestions}):
        lines.append(f"== {file}")
        for s in (s for s in suggestions if s["file"] == file):
            lines.append(f"# {s['why']} (reviews {', '.join(map(str, s['reviews']))})")
            for example in s.get("examples", []):
                lines.append(f"#   {example}")
            if "line" in s:
                lines.append(json.dumps(s["line"], ensure_ascii=False))
            else:
                lines.append(f"{s['entry']}: {json.dumps(s['change'], ensure_ascii=False)}")
        lines.append("")
    return "\n".join(lines)
