"""How long a collection is kept: `pat serve start --keep-until DATE`, and `pat serve purge`,
which deletes every collection whose date has passed (its respondents, answers, history
and invitations), after writing each instrument's long CSV when asked to. The audit log
keeps a line for each purge."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from pat_framework.errors import PatError
from pat_framework.output import write_atomic
from pat_framework.serve import facilitators, schema
from pat_framework.serve.export import long_csv
from pat_framework.serve.storage import Collection, Store, aware, now
from pat_framework.serve.unlinking import scrub, shown


@dataclass(frozen=True)
class Purged:
    """A collection purged (or, on a dry run, that would be)."""

    name: str
    keep_until: datetime.datetime
    respondents: int
    answers: int
    files: tuple[Path, ...]


def end_of(day: datetime.date) -> datetime.datetime:
    """The last moment of `day` in local time, in UTC: a collection kept until a date is
    kept through that day."""
    last = datetime.datetime.combine(day, datetime.time(23, 59, 59))
    return last.astimezone(datetime.UTC)


def set_keep_until(store: Store, collection: Collection, moment: datetime.datetime) -> None:
    """Keep the collection until `moment`, which must be in the future."""
    if moment <= now():
        raise PatError(
            f"--keep-until: {shown(moment)} has passed; give a later date, or delete the "
            "collection now with pat serve purge"
        )
    facilitators.set_facilitation(store, collection, keep_until=moment)


@dataclass(frozen=True)
class Dates:
    """A collection's retention date and when its link was cut (either may be None)."""

    keep_until: datetime.datetime | None
    link_cut_at: datetime.datetime | None


def dates(store: Store, collections: list[Collection]) -> dict[int, Dates]:
    """The retention date and link-cut time of each of `collections`, by id."""
    f = schema.facilitation.c
    wanted = [collection.id for collection in collections]
    with store.reading() as connection:
        rows = connection.execute(
            sa.select(f.collection_id, f.keep_until, f.link_cut_at).where(
                f.collection_id.in_(wanted)
            )
        ).all()
    found = {int(ident): Dates(aware(keep), aware(cut)) for ident, keep, cut in rows}
    return {ident: found.get(ident, Dates(None, None)) for ident in wanted}


def due(store: Store, moment: datetime.datetime | None = None) -> list[Collection]:
    """The collections whose retention date has passed, by name."""
    moment = moment or now()
    f, c = schema.facilitation.c, schema.collections.c
    with store.reading() as connection:
        names = connection.scalars(
            sa.select(c.name)
            .join(schema.facilitation, f.collection_id == c.id)
            .where(f.keep_until.is_not(None), f.keep_until <= moment)
            .order_by(c.name)
        ).all()
    found = [store.collection(name) for name in names]
    return [collection for collection in found if collection is not None]


def purge(
    store: Store, export: Path | None = None, dry_run: bool = False
) -> tuple[list[Purged], str | None]:
    """Delete every collection whose retention date has passed. With `export`, each
    instrument's long CSV is first written there, and a collection is deleted only once
    all of its files are written. A dry run writes and deletes nothing. What was purged,
    and why the database could not be rewritten after, if it could not."""
    if export is not None and not export.is_dir():
        raise PatError(f"--export: {export} is not a folder that exists")
    done = []
    for collection in due(store):
        keep = dates(store, [collection])[collection.id].keep_until
        assert keep is not None  # due() found it past
        respondents, answers = _sizes(store, collection)
        files: tuple[Path, ...] = ()
        if export is not None:
            files = tuple(export / f"{collection.name}-{i}.csv" for i in collection.instruments)
        if not dry_run:
            for ident, path in zip(collection.instruments, files, strict=False):
                write_atomic(path, long_csv(store, collection, ident))
            _delete(store, collection)
            written = f"; exported to {', '.join(p.name for p in files)}" if files else ""
            facilitators.log_change(
                store,
                facilitators.COMMAND_LINE,
                collection,
                f"purged collection {collection.name} (kept until {shown(keep)}): "
                f"{respondents} respondent(s), {answers} answer(s){written}",
            )
        done.append(Purged(collection.name, keep, respondents, answers, files))
    return done, scrub(store) if done and not dry_run else None


def _sizes(store: Store, collection: Collection) -> tuple[int, int]:
    r, a = schema.respondents.c, schema.answers.c
    with store.reading() as connection:
        respondents = connection.scalar(
            sa.select(sa.func.count())
            .select_from(schema.respondents)
            .where(r.collection_id == collection.id)
        )
        answers = connection.scalar(
            sa.select(sa.func.count())
            .select_from(schema.answers)
            .join(schema.respondents, r.id == a.respondent_id)
            .where(r.collection_id == collection.id, a.answer.is_not(None))
        )
    return int(respondents or 0), int(answers or 0)


def _delete(store: Store, collection: Collection) -> None:
    """The collection and everything of it, in one transaction."""
    r, e = schema.respondents.c, schema.answer_events.c
    mine = sa.select(r.id).where(r.collection_id == collection.id).scalar_subquery()
    with store.writing() as connection:
        connection.execute(sa.delete(schema.answer_events).where(e.respondent_id.in_(mine)))
        connection.execute(
            sa.delete(schema.answers).where(schema.answers.c.respondent_id.in_(mine))
        )
        connection.execute(
            sa.delete(schema.invitations).where(
                schema.invitations.c.collection_id == collection.id
            )
        )
        connection.execute(sa.delete(schema.respondents).where(r.collection_id == collection.id))
        connection.execute(
            sa.delete(schema.collections).where(schema.collections.c.id == collection.id)
        )
