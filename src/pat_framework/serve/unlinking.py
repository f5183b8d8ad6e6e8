"""Closing a collection, and cutting the link between who was invited and what was answered.

Closing sets `closes_at` to now. Cutting the link, for good and in one transaction, leaves
no column that could join an invitation (its name, email or note, its link's hash, its
number, its reissue history) or a room device to an answer:

- every respondent of the collection is replaced by a new row, made in a random order
  (so the new ids and codes say nothing of who joined first), with a new random code and
  the hash of a token nobody holds; the note, the page they were on, the reference and
  whether they came by invitation or by the room go (`via` is "unlinked");
  the times they joined, started and submitted become the time of the cut (whether they
  started and submitted is kept, as `pat serve status` counts it);
- their current answers and comments are copied to new rows of the new respondents
  (saved "at" the cut) and the old rows deleted;
  the history of every change (`answer_events`, with its times) is deleted;
- the collection's invitations are deleted, and the audit log's entries that name an
  invitation by number no longer do;
- the room's access code is removed, and `collection_facilitation.link_cut_at` set.

What is left is what a report needs: each respondent's organisation, level and language,
and their answers and comments, so `pat run` gives the same results after as before.
The database is then rewritten without the deleted rows (`scrub`).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pat_framework.errors import PatError
from pat_framework.serve import keys, schema
from pat_framework.serve.storage import Collection, Store, aware, now

BIG, WHEN = schema.BIG_ID, sa.DateTime(timezone=True)
ANSWER_COLUMNS = ("respondent_id", "instrument_id", "item_id", "answer", "comment", "updated_at")
#: What an audit entry names an invitation by, rewritten by the cut.
NUMBERED = re.compile(r"\binvitation \d+\b")
#: The tables a cut, an erasure or a purge changes, rewritten after it on PostgreSQL.
CHANGED = (
    "respondents",
    "answers",
    "answer_events",
    "invitations",
    "facilitator_audit",
    "collections",
    "collection_facilitation",
)


@dataclass(frozen=True)
class Cut:
    """What a cut did."""

    respondents: int
    invitations: int
    events: int
    at: datetime.datetime
    warning: str | None = None  # why the database could not be rewritten after it


def link_cut_at(store: Store, collection: Collection) -> datetime.datetime | None:
    """When the collection's link was cut, or None."""
    f = schema.facilitation.c
    with store.reading() as connection:
        found = connection.scalar(sa.select(f.link_cut_at).where(f.collection_id == collection.id))
    return aware(found)


def refuse_if_cut(store: Store, collection: Collection, what: str) -> None:
    """Raise a PatError saying why `what` cannot be done once the link is cut."""
    cut = link_cut_at(store, collection)
    if cut is not None:
        raise PatError(
            f"the link between invitations and answers was cut on {shown(cut)}, so {what}"
        )


def shown(moment: datetime.datetime) -> str:
    """A stored time as messages and pages show it (UTC, to the minute)."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def close(store: Store, collection: Collection, moment: datetime.datetime | None = None) -> bool:
    """Close the collection now (nothing more can be answered); False when it was already
    closed, and its closing time is kept."""
    moment = moment or now()
    if collection.closes_at is not None and collection.closes_at <= moment:
        return False
    with store.writing() as connection:
        _close(connection, collection, moment)
    return True


def _close(connection: Connection, collection: Collection, moment: datetime.datetime) -> None:
    c = schema.collections.c
    connection.execute(
        sa.update(schema.collections)
        .where(c.id == collection.id, sa.or_(c.closes_at.is_(None), c.closes_at > moment))
        .values(closes_at=moment)
    )


def cut_link(store: Store, collection: Collection) -> Cut:
    """Close the collection and cut the link, in one transaction (see the module's words);
    then overwrite what the cut freed."""
    refuse_if_cut(store, collection, "it cannot be cut again")
    moment = now().replace(second=0, microsecond=0)
    with store.writing() as connection:
        done = _cut(connection, collection, moment)
    return dataclasses.replace(done, warning=scrub(store))


def _cut(connection: Connection, collection: Collection, moment: datetime.datetime) -> Cut:
    r, a, e, i = (t.c for t in (schema.respondents, schema.answers, schema.answer_events,
                               schema.invitations))  # fmt: skip
    _close(connection, collection, moment)
    rows = list(
        connection.execute(
            sa.select(r.id, r.organisation, r.level, r.language)
            .add_columns(r.first_seen_at.is_not(None), r.submitted_at.is_not(None))
            .where(r.collection_id == collection.id)
            .with_for_update()  # a save in flight waits, then finds its respondent gone
        ).all()
    )
    secrets.SystemRandom().shuffle(rows)
    old = [row[0] for row in rows]
    shown = _shown_batch(connection, collection)
    later = moment + datetime.timedelta(minutes=1)
    for ident, organisation, level, language, seen, submitted in rows:
        new = connection.scalar(
            sa.insert(schema.respondents)
            .values(
                collection_id=collection.id,
                code=secrets.token_hex(6).upper(),
                token_hash=keys.token_hash(keys.new_token()),  # a token nobody is given
                via="unlinked",  # whether by invitation or the room would narrow who
                organisation=organisation,
                level=level,
                language=language,
                created_at=moment,
                first_seen_at=moment if seen else None,
                submitted_at=(later if shown and ident not in shown else moment)
                if submitted
                else None,
            )
            .returning(r.id)
        )
        # new rows, not an update: SQLite would keep each answer's hidden rowid, whose
        # order is the order the answers were first saved in
        kept = sa.select(sa.literal(new, BIG), a.instrument_id, a.item_id, a.answer)
        kept = kept.add_columns(a.comment, sa.literal(moment, WHEN)).where(
            a.respondent_id == ident
        )
        connection.execute(sa.insert(schema.answers).from_select(ANSWER_COLUMNS, kept))
    connection.execute(sa.delete(schema.answers).where(a.respondent_id.in_(old)))
    events = connection.execute(
        sa.delete(schema.answer_events).where(e.respondent_id.in_(old))
    ).rowcount
    invited = connection.execute(
        sa.delete(schema.invitations).where(i.collection_id == collection.id)
    ).rowcount
    connection.execute(sa.delete(schema.respondents).where(r.id.in_(old)))
    connection.execute(
        sa.update(schema.collections)
        .where(schema.collections.c.id == collection.id)
        .values(room_code_hash=None)
    )
    _forget_numbers(connection, collection)
    _set_cut(connection, collection, moment)
    return Cut(len(rows), int(invited or 0), int(events or 0), moment)


def _shown_batch(connection: Connection, collection: Collection) -> set[int]:
    """The respondents whose results the live results or the room showed: the first
    `live_shown` to submit. The cut keeps only that they were among them (their submitted
    time is the cut's, the others' a minute later), so that a report can still leave out a
    remainder of fewer than min_group beside what was shown."""
    r, f = schema.respondents.c, schema.facilitation.c
    size = connection.scalar(sa.select(f.live_shown).where(f.collection_id == collection.id))
    if not size:
        return set()
    first = (
        sa.select(r.id)
        .where(r.collection_id == collection.id, r.submitted_at.is_not(None))
        .order_by(r.submitted_at, r.id)
        .limit(int(size))
    )
    return set(connection.scalars(first))


def _forget_numbers(connection: Connection, collection: Collection) -> None:
    """The collection's audit entries say "an invitation" instead of its number."""
    t = schema.audit_log.c
    entries = connection.execute(
        sa.select(t.id, t.action).where(t.collection == collection.name)
    ).all()
    for ident, action in entries:
        if NUMBERED.search(action):
            connection.execute(
                sa.update(schema.audit_log)
                .where(t.id == ident)
                .values(action=NUMBERED.sub("an invitation", action))
            )


def _set_cut(connection: Connection, collection: Collection, moment: datetime.datetime) -> None:
    f = schema.facilitation.c
    held = connection.scalar(sa.select(f.collection_id).where(f.collection_id == collection.id))
    if held is None:
        connection.execute(
            sa.insert(schema.facilitation).values(collection_id=collection.id, link_cut_at=moment)
        )
    else:
        connection.execute(
            sa.update(schema.facilitation)
            .where(f.collection_id == collection.id)
            .values(link_cut_at=moment)
        )


def scrub(store: Store) -> str | None:
    """Rewrite the database without the space deleted rows leave behind, so that a copy
    of its files holds none of them: SQLite's VACUUM, then the write-ahead log (which
    holds old pages) emptied; PostgreSQL's VACUUM FULL of the tables a cut, an erasure or
    a purge changes. Each locks the tables for a moment. None when done, else why not
    (the change itself is already committed)."""
    try:
        _rewrite(store)
    except sa.exc.DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        return (
            f"the database could not be rewritten to clear the deleted rows from its files "
            f"({reason}); run VACUUM (SQLite) or VACUUM FULL (PostgreSQL) as its owner"
        )
    return None


def _rewrite(store: Store) -> None:
    if store.dialect == "sqlite":
        raw = store.engine.raw_connection()  # outside any transaction, as VACUUM must be
        try:
            cursor = raw.cursor()
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.close()
        finally:
            raw.close()
        return
    autocommit = store.engine.execution_options(isolation_level="AUTOCOMMIT")
    with autocommit.connect() as connection:
        for table in CHANGED:
            connection.exec_driver_sql(f"VACUUM FULL {table}")
