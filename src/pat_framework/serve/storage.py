"""The `pat serve` database: collections, respondents, and every answer as it is saved.

`Store` wraps a SQLAlchemy engine for SQLite (WAL, foreign keys on) or PostgreSQL
(psycopg 3). Every save is its own transaction that appends to the history and updates the
current answer, so an answer acknowledged to a respondent is committed.
"""

from __future__ import annotations

import datetime
import functools
import hmac
import secrets
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from pat_framework.errors import PatError
from pat_framework.serve import keys, schema
from pat_framework.serve.keys import token_hash
from pat_framework.serve.prepared import Prepared

#: Answer fields a respondent saves, one column each in `answers`.
FIELDS = ("answer", "comment")
SECRET_KEY = "csrf-secret"
Lists = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


class StoreError(PatError):
    """The database cannot be reached, read or written."""


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def aware(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A time read back from the database, in UTC (SQLite returns it without a zone)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=datetime.UTC)


def engine_url(url: str) -> sa.URL:
    """The SQLAlchemy URL of `--db`: postgresql:// is served by psycopg 3."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(
            f"--db: cannot read {url!r} as a database URL; expected sqlite:///FILE.db "
            "or postgresql://USER@HOST/DATABASE"
        ) from None
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise StoreError("--db: give SQLite a file, as sqlite:///FILE.db")
        return parsed
    raise StoreError(
        f"--db: {parsed.drivername} is not supported; use sqlite:///FILE.db or postgresql://…"
    )


def _sqlite_setup(engine: Engine, timeout: float) -> None:
    """WAL, foreign keys, BEGIN IMMEDIATE for writes so that two writers wait for each
    other instead of failing, and synchronous=FULL: a commit returns only once the WAL is
    on the disk (fsync), so an acknowledged answer survives a power cut as well as the
    server being killed. `Store.save` commits concurrent answers together, so the fsync
    is paid once for each group rather than once for each answer."""

    @sa.event.listens_for(engine, "connect")
    def connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "foreign_keys=ON",
            "synchronous=FULL",
            f"busy_timeout={int(timeout * 1000)}",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def begin(connection: Connection) -> None:
        write = connection.get_execution_options().get("pat_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@dataclass(frozen=True)
class Collection:
    """A collection as stored: what is asked, of whom, and when."""

    id: int
    name: str
    title: str
    source: str
    instruments: tuple[str, ...]
    organisations: tuple[str, ...]
    levels: tuple[str, ...]
    round: str | None
    min_group: int
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    room_code_hash: str | None
    version: int = 1

    def state(self, moment: datetime.datetime | None = None) -> str:
        """`open`, `not open yet` or `closed` at `moment` (now)."""
        moment = moment or now()
        if self.opens_at is not None and moment < self.opens_at:
            return "not open yet"
        if self.closes_at is not None and moment >= self.closes_at:
            return "closed"
        return "open"


@dataclass(frozen=True)
class Respondent:
    """One respondent: a person with an invitation, or a device that joined a room."""

    id: int
    collection_id: int
    code: str
    via: str
    organisation: str | None
    level: str | None
    position: str | None
    submitted_at: datetime.datetime | None
    language: str | None = None  # the language last answered in, when the form offers one


@dataclass(frozen=True)
class Saved:
    """One answer and comment as currently stored."""

    answer: str | None
    comment: str | None


@dataclass(frozen=True)
class Stage:
    """How far one respondent has got: who they are among the groups, not what they said."""

    organisation: str | None
    level: str | None
    started: bool
    submitted: bool


@dataclass(frozen=True)
class ExportRow:
    respondent: str
    organisation: str | None
    level: str | None
    item: str
    answer: str | None
    comment: str | None
    language: str | None = None


@dataclass
class _Change:
    """One save on its way: what it writes, and once `done`, its history id or error."""

    field: str
    key: dict[str, Any]
    current: dict[str, Any]
    moment: datetime.datetime
    event: int | None = None
    error: StoreError | None = None
    done: bool = False


class Store:
    """The database behind `pat serve`; safe to share between threads."""

    def __init__(self, url: str, pool_size: int = 8, timeout: float = 30.0) -> None:
        """`timeout`: how long a write waits for another writer (SQLite) before failing.
        The pool keeps `pool_size` connections and opens no more: requests beyond that wait
        for one rather than open and close a connection each."""
        self.url = engine_url(url)
        self.dialect = "postgresql" if self.url.drivername.startswith("postgresql") else "sqlite"
        if self.dialect == "sqlite":
            self.engine = sa.create_engine(
                self.url,
                connect_args={"check_same_thread": False, "timeout": timeout},
                pool_size=pool_size,
                max_overflow=0,
            )
            _sqlite_setup(self.engine, timeout)
        else:
            self.engine = sa.create_engine(
                self.url, pool_size=pool_size, max_overflow=0, pool_pre_ping=True
            )
        self.writer = self.engine.execution_options(pat_write=True)
        # SQLite has one writer at a time: the threads of this process take turns here
        # rather than in SQLite's busy handler, which sleeps up to 100 ms between tries.
        self._turn = threading.Lock() if self.dialect == "sqlite" else None
        self._lists: dict[int, tuple[int, Lists]] = {}
        dbapi = self.engine.dialect.loaded_dbapi
        self._failures: tuple[type[Exception], ...] = (
            dbapi.OperationalError,
            dbapi.InternalError,
            dbapi.IntegrityError,
        )
        self._waiting: list[_Change] = []
        self._waiting_lock = threading.Lock()

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as connection:
                yield connection
        except sa.exc.OperationalError as exc:
            raise StoreError(f"cannot read the database: {_reason(exc)}") from None

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self._turn or nullcontext(), self.writer.begin() as connection:
                yield connection
        except (sa.exc.OperationalError, sa.exc.InternalError) as exc:
            raise StoreError(f"cannot write the database: {_reason(exc)}") from None

    #: A connection to read with, and one in a write transaction (committed when the block
    #: ends), for the modules that keep their own tables (`facilitators`, `invitations`).
    reading = _read
    writing = _write

    @contextmanager
    def _cursor(self, write: bool) -> Iterator[Any]:
        """A DB-API cursor for the prepared statements; with `write`, in a transaction that
        is committed when the block ends (a lone SELECT needs none on SQLite). A writer on
        SQLite holds `_turn`."""
        doing = "write" if write else "read"
        try:
            raw = self.engine.raw_connection()
            # A read on PostgreSQL runs without a transaction, so that giving the
            # connection back costs no ROLLBACK (a round trip to the server).
            driver = raw.driver_connection if self.dialect == "postgresql" and not write else None
            try:
                if driver is not None:
                    driver.autocommit = True
                cursor = raw.cursor()
                if write and self.dialect == "sqlite":
                    cursor.execute("BEGIN IMMEDIATE")
                yield cursor
                if write:
                    raw.commit()
            except BaseException:
                with suppress(Exception):
                    raw.rollback()
                raise
            finally:
                if driver is not None:
                    with suppress(Exception):
                        driver.autocommit = False
                raw.close()
        except self._failures as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"cannot {doing} the database: {reason}") from None
        except sa.exc.OperationalError as exc:  # a connection the pool could not open
            raise StoreError(f"cannot {doing} the database: {_reason(exc)}") from None

    @functools.cached_property
    def _sql(self) -> dict[str, Prepared]:
        """The save path's statements, compiled for this database once (after a first
        connection, which tells the dialect what the server supports)."""
        with self._read():
            pass
        dialect = self.engine.dialect
        return {name: Prepared(statement, dialect) for name, statement in _hot(self.dialect)}

    # -- schema -----------------------------------------------------------------------

    def migrate(self) -> None:
        """Bring the schema up to date (Alembic, the migrations shipped in the package)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", "pat_framework.serve:migrations")
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except sa.exc.OperationalError as exc:
            raise StoreError(f"cannot open the database {self.safe_url}: {_reason(exc)}") from None

    @property
    def safe_url(self) -> str:
        """The URL with any password hidden, for messages."""
        return self.url.render_as_string(hide_password=True)

    def secret(self) -> bytes:
        """The key that signs CSRF tokens, made once and kept in the database (so every
        worker on the database uses the same)."""
        with self._read() as connection:
            found = connection.scalar(
                sa.select(schema.settings.c.value).where(schema.settings.c.key == SECRET_KEY)
            )
        if found is None:
            insert = _insert(self.dialect, schema.settings).values(
                key=SECRET_KEY, value=secrets.token_hex(32)
            )
            with self._write() as connection:
                connection.execute(insert.on_conflict_do_nothing(index_elements=["key"]))
            return self.secret()
        return bytes.fromhex(found)

    # -- collections ------------------------------------------------------------------

    def open_collection(
        self,
        name: str,
        title: str,
        source: str,
        instruments: Sequence[str],
        organisations: Sequence[str],
        levels: Sequence[str],
        round_: str | None = None,
        min_group: int = 5,
        opens_at: datetime.datetime | None = None,
        closes_at: datetime.datetime | None = None,
    ) -> Collection:
        """Create the collection, or update an existing one of that name (its room code and
        respondents are kept, and its version grows so that running servers see the new
        lists). A new collection has no room code until `new_room_code`."""
        c = schema.collections.c
        values = _settings(title, source, round_, min_group, opens_at, closes_at)
        with self._write() as connection:
            ident = connection.scalar(sa.select(c.id).where(c.name == name))
            if ident is None:
                ident = _insert_collection(connection, name, values)
            else:
                connection.execute(
                    sa.update(schema.collections)
                    .where(c.id == ident)
                    .values(version=c.version + 1, **values)
                )
                for table in (schema.collection_instruments, schema.collection_choices):
                    connection.execute(sa.delete(table).where(table.c.collection_id == ident))
            _put_lists(connection, ident, instruments, organisations, levels)
        found = self.collection(name)
        assert found is not None
        return found

    def create_collection(
        self,
        name: str,
        title: str,
        source: str,
        instruments: Sequence[str],
        organisations: Sequence[str],
        levels: Sequence[str],
        round_: str | None,
        min_group: int,
        opens_at: datetime.datetime | None,
        closes_at: datetime.datetime | None,
        partnership_id: int | None,
    ) -> Collection | None:
        """A new collection in `partnership_id`, in one transaction; None, and nothing
        changed, when the name is taken (never another partnership's collection updated)."""
        values = _settings(title, source, round_, min_group, opens_at, closes_at)
        try:
            with self._write() as connection:
                ident = _insert_collection(connection, name, values)
                _put_lists(connection, ident, instruments, organisations, levels)
                connection.execute(
                    sa.insert(schema.facilitation).values(
                        collection_id=ident, partnership_id=partnership_id
                    )
                )
        except sa.exc.IntegrityError:
            return None
        return self.collection(name)

    def collection(self, name: str) -> Collection | None:
        c = schema.collections.c
        with self._read() as connection:
            row = connection.execute(sa.select(*COLLECTION).where(c.name == name)).first()
        return None if row is None else self._collection(tuple(row))

    def collection_names(self) -> list[str]:
        with self._read() as connection:
            c = schema.collections.c
            return list(connection.scalars(sa.select(c.name).order_by(c.name)))

    def _collection(self, row: tuple[Any, ...]) -> Collection:
        """The collection of a row of COLLECTION's columns. Its instrument and choice
        lists are read again only when its version has changed (it was opened again);
        times and the room code come fresh with the row."""
        ident, version = row[0], row[-1]
        cached = self._lists.get(ident)
        if cached is None or cached[0] != version:
            cached = (version, self._read_lists(ident))
            self._lists[ident] = cached
        lists = cached[1]
        return Collection(
            id=ident,
            name=row[1],
            title=row[2],
            source=row[3],
            instruments=lists[0],
            organisations=lists[1],
            levels=lists[2],
            round=row[4],
            min_group=row[5],
            opens_at=aware(row[6]),
            closes_at=aware(row[7]),
            room_code_hash=row[8],
            version=version,
        )

    def _read_lists(self, ident: int) -> Lists:
        ci, cc = schema.collection_instruments.c, schema.collection_choices.c
        with self._read() as connection:
            instruments = connection.scalars(
                sa.select(ci.instrument_id).where(ci.collection_id == ident).order_by(ci.position)
            ).all()
            choices = connection.execute(
                sa.select(cc.attribute, cc.label)
                .where(cc.collection_id == ident)
                .order_by(cc.attribute, cc.position)
            ).all()
        return (
            tuple(instruments),
            tuple(label for kind, label in choices if kind == "organisation"),
            tuple(label for kind, label in choices if kind == "level"),
        )

    def new_room_code(self, collection: Collection) -> str:
        """A new access code for the room, returned once: the database keeps only its
        hash. The old code stops working; devices already in keep their place."""
        code = keys.new_room_code()
        with self._write() as connection:
            connection.execute(
                sa.update(schema.collections)
                .where(schema.collections.c.id == collection.id)
                .values(room_code_hash=keys.room_code_hash(code))
            )
        return code

    # -- respondents ------------------------------------------------------------------

    def invite(self, collection: Collection, notes: Sequence[str | None]) -> list[str]:
        """One invitation per note; the tokens are returned once and never stored."""
        tokens = [keys.new_token() for _ in notes]
        with self._write() as connection:
            for token, note in zip(tokens, notes, strict=True):
                self._add_respondent(connection, collection, token, "invitation", note)
        return tokens

    def join_room(self, collection: Collection, code: str) -> str | None:
        """A new device's token when `code` is the room's access code, else None; the code
        is checked against its hash in constant time."""
        if not keys.room_code_matches(code, collection.room_code_hash):
            return None
        token = keys.new_token()
        with self._write() as connection:
            self._add_respondent(connection, collection, token, "room", None)
        return token

    def _add_respondent(
        self,
        connection: Connection,
        collection: Collection,
        token: str,
        via: str,
        note: str | None,
    ) -> None:
        connection.execute(
            sa.insert(schema.respondents).values(
                collection_id=collection.id,
                code=secrets.token_hex(6).upper(),
                token_hash=token_hash(token),
                via=via,
                note=note,
                created_at=now(),
            )
        )

    def respondent(self, token: str) -> Respondent | None:
        """The respondent holding `token`, or None."""
        found = self.visit(token)
        return None if found is None else found[0]

    def visit(self, token: str) -> tuple[Respondent, Collection] | None:
        """The respondent holding `token` and their collection, in one query, or None. The
        lookup is by the token's hash, and the stored hash is compared again in constant
        time."""
        wanted = token_hash(token)
        visit = self._sql["visit"]
        with self._cursor(write=False) as cursor:
            row = visit.row(visit.run(cursor, token_hash=wanted).fetchone())
        if row is None or not hmac.compare_digest(row[1], wanted):
            return None
        respondent = Respondent(
            id=row[0],
            collection_id=row[9],
            code=row[2],
            via=row[3],
            organisation=row[4],
            level=row[5],
            position=row[6],
            submitted_at=aware(row[7]),
            language=row[8],
        )
        return respondent, self._collection(row[9:])

    def update_respondent(self, respondent_id: int, **values: Any) -> None:
        """Set organisation, level, language, position, first_seen_at or submitted_at."""
        allowed = {"organisation", "level", "language", "position", "first_seen_at"}
        allowed.add("submitted_at")
        assert set(values) <= allowed, values
        with self._write() as connection:
            connection.execute(
                sa.update(schema.respondents)
                .where(schema.respondents.c.id == respondent_id)
                .values(**values)
            )

    # -- failed attempts --------------------------------------------------------------

    def attempts(self, client: str, since: datetime.datetime) -> list[datetime.datetime]:
        """When `client` (a keyed hash, never an address) failed since `since`, oldest
        first."""
        t = schema.attempts.c
        with self._read() as connection:
            found = connection.scalars(
                sa.select(t.at).where(t.client == client, t.at >= since).order_by(t.at)
            ).all()
        return [moment for moment in (aware(m) for m in found) if moment is not None]

    def add_attempt(self, client: str, at: datetime.datetime, forget: datetime.datetime) -> None:
        """Count a failed attempt, and forget every client's attempts before `forget`."""
        t = schema.attempts.c
        with self._write() as connection:
            connection.execute(sa.delete(schema.attempts).where(t.at < forget))
            connection.execute(sa.insert(schema.attempts).values(client=client, at=at))

    # -- answers ----------------------------------------------------------------------

    def save(
        self, respondent_id: int, instrument_id: str, item_id: str, field: str, value: str | None
    ) -> int:
        """Append one change to the history and set the current answer or comment; returns
        the history row's id once it is committed.

        On SQLite, changes that arrive while another commit is under way wait for it and
        are then committed together, in one transaction and one fsync (group commit):
        each change is still its history row and its current answer, written together,
        and is answered only after the commit that holds it. PostgreSQL groups the
        flushes of concurrent commits itself, so there each change is its own
        transaction."""
        if field not in FIELDS:
            raise ValueError(field)
        moment = now()
        change = _Change(
            field,
            {"respondent_id": respondent_id, "instrument_id": instrument_id, "item_id": item_id},
            {"answer": None, "comment": None, field: value},
            moment,
        )
        if self._turn is None:
            with self._cursor(write=True) as cursor:
                self._apply(cursor, change)
        else:
            with self._waiting_lock:
                self._waiting.append(change)
            with self._turn:
                if not change.done:
                    with self._waiting_lock:
                        batch, self._waiting = self._waiting, []
                    self._commit(batch)
            if change.error is not None:
                raise change.error
        assert change.event is not None
        return change.event

    def _commit(self, batch: list[_Change]) -> None:
        """Write and commit every change of `batch` (holding `_turn`)."""
        try:
            with self._cursor(write=True) as cursor:
                for change in batch:
                    self._apply(cursor, change)
        except StoreError as exc:
            for change in batch:
                change.error = exc
        finally:
            for change in batch:
                change.done = True

    def _apply(self, cursor: Any, change: _Change) -> None:
        key, moment = change.key, change.moment
        value = change.current[change.field]
        found = self._sql["event"].run(
            cursor, **key, field=change.field, value=value, saved_at=moment
        )
        change.event = int(found.fetchone()[0])
        self._sql[f"set_{change.field}"].run(cursor, **key, **change.current, updated_at=moment)

    def answers(self, respondent_id: int) -> dict[tuple[str, str], Saved]:
        """The respondent's current answers and comments by (instrument id, item id)."""
        with self._cursor(write=False) as cursor:
            rows = self._sql["answers"].run(cursor, respondent_id=respondent_id).fetchall()
        return {(row[0], row[1]): Saved(row[2], row[3]) for row in rows}

    def export(self, collection: Collection, instrument_id: str) -> list[ExportRow]:
        """Every respondent's current answers to one instrument, by organisation and level
        (so that the groups come in the same order in every output, however the respondents
        joined, and after the link is cut), then in the order they joined."""
        r, a = schema.respondents.c, schema.answers.c
        query = (
            sa.select(r.code, r.organisation, r.level, a.item_id, a.answer, a.comment, r.language)
            .join(schema.answers, a.respondent_id == r.id)
            .where(r.collection_id == collection.id, a.instrument_id == instrument_id)
            .order_by(r.organisation, r.level, r.id, a.item_id)
        )
        with self._read() as connection:
            return [ExportRow(*row) for row in connection.execute(query)]

    def counts(self, collection: Collection) -> tuple[int, int]:
        """How many answer changes were saved, and how many answers are current."""
        r, a, e = schema.respondents.c, schema.answers.c, schema.answer_events.c
        mine = sa.select(r.id).where(r.collection_id == collection.id).scalar_subquery()
        with self._read() as connection:
            events = connection.scalar(
                sa.select(sa.func.count())
                .select_from(schema.answer_events)
                .where(e.respondent_id.in_(mine))
            )
            current = connection.scalar(
                sa.select(sa.func.count())
                .select_from(schema.answers)
                .where(a.respondent_id.in_(mine), a.answer.is_not(None))
            )
        return int(events or 0), int(current or 0)

    def erase(
        self,
        collection: Collection,
        token: str | None,
        note: str | None,
        reference_hash: str | None = None,
    ) -> int:
        """Delete one respondent of the collection, found by their link's token, by the
        note their invitation was made with, or by their reference's hash, with every
        answer and change they saved (the history goes with them: ON DELETE CASCADE). The
        number of answers removed."""
        r, a = schema.respondents.c, schema.answers.c
        where = [r.collection_id == collection.id]
        if token is not None:
            where.append(r.token_hash == token_hash(token))
        elif reference_hash is not None:
            where.append(r.reference_hash == reference_hash)
        else:
            where.append(r.note == note)
        with self._write() as connection:
            found = connection.execute(sa.select(r.id).where(*where)).scalars().all()
            if not found:
                kind = "reference" if reference_hash is not None else "link or note"
                raise StoreError(f"no respondent of this collection has that {kind}")
            if len(found) > 1:
                raise StoreError(
                    f"{len(found)} respondents have that note: give the respondent's own link "
                    "(--link) to say which"
                )
            answers = connection.scalar(
                sa.select(sa.func.count()).select_from(schema.answers)
                .where(a.respondent_id == found[0], a.answer.is_not(None))
            )  # fmt: skip
            connection.execute(sa.delete(schema.answer_events).where(
                schema.answer_events.c.respondent_id == found[0]))  # fmt: skip
            connection.execute(sa.delete(schema.answers).where(a.respondent_id == found[0]))
            connection.execute(sa.delete(schema.respondents).where(r.id == found[0]))
        return int(answers or 0)

    def progress(self, collection: Collection) -> list[Stage]:
        """Each respondent's organisation, level, and whether they have started and
        submitted, by organisation and level: never their answers."""
        r = schema.respondents.c
        query = (
            sa.select(r.organisation, r.level, r.first_seen_at.is_not(None), r.submitted_at)
            .where(r.collection_id == collection.id)
            .order_by(r.organisation, r.level, r.id)
        )
        with self._read() as connection:
            return [
                Stage(organisation, level, bool(seen), submitted is not None)
                for organisation, level, seen, submitted in connection.execute(query)
            ]


_c = schema.collections.c
#: A collection's columns as `Store._collection` reads them: id first, version last.
COLLECTION = (
    _c.id,
    _c.name,
    _c.title,
    _c.source,
    _c.round,
    _c.min_group,
    _c.opens_at,
    _c.closes_at,
    _c.room_code_hash,
    _c.version,
)


def _settings(
    title: str,
    source: str,
    round_: str | None,
    min_group: int,
    opens_at: datetime.datetime | None,
    closes_at: datetime.datetime | None,
) -> dict[str, Any]:
    """A collection's columns that opening it again may change."""
    return {"title": title, "source": source, "round": round_, "min_group": min_group,
            "opens_at": opens_at, "closes_at": closes_at}  # fmt: skip


def _insert_collection(connection: Connection, name: str, values: dict[str, Any]) -> int:
    """A new row of `collections`; its id."""
    insert = sa.insert(schema.collections).values(name=name, created_at=now(), **values)
    return int(connection.scalar(insert.returning(schema.collections.c.id)))


def _put_lists(
    connection: Connection,
    ident: int,
    instruments: Sequence[str],
    organisations: Sequence[str],
    levels: Sequence[str],
) -> None:
    """A collection's instruments, in order, and its organisation and level choices."""
    connection.execute(
        sa.insert(schema.collection_instruments),
        [
            {"collection_id": ident, "instrument_id": i, "position": k}
            for k, i in enumerate(instruments)
        ],
    )
    choices = [
        {"collection_id": ident, "attribute": attribute, "label": label, "position": k}
        for attribute, labels in (("organisation", organisations), ("level", levels))
        for k, label in enumerate(dict.fromkeys(labels))
    ]
    if choices:
        connection.execute(sa.insert(schema.collection_choices), choices)


def _param(column: sa.Column[Any]) -> Any:
    return sa.bindparam(column.name, type_=column.type)


def _hot(dialect: str) -> Iterator[tuple[str, Any]]:
    """The statements of every request: who holds a token, their answers, and a save (a
    history row and the current answer or comment)."""
    r, a, e = schema.respondents.c, schema.answers.c, schema.answer_events.c
    yield (
        "visit",
        (
            sa.select(r.id, r.token_hash, r.code, r.via, r.organisation, r.level, r.position)
            .add_columns(r.submitted_at, r.language, *COLLECTION)
            .join(schema.collections, _c.id == r.collection_id)
            .where(r.token_hash == _param(r.token_hash))
        ),
    )
    yield (
        "answers",
        sa.select(a.instrument_id, a.item_id, a.answer, a.comment).where(
            a.respondent_id == _param(a.respondent_id)
        ),
    )
    columns = ("respondent_id", "instrument_id", "item_id", "field", "value", "saved_at")
    yield (
        "event",
        (
            sa.insert(schema.answer_events)
            .values({name: _param(e[name]) for name in columns})
            .returning(e.id)
        ),
    )
    columns = ("respondent_id", "instrument_id", "item_id", "answer", "comment", "updated_at")
    for field in FIELDS:
        insert = _insert(dialect, schema.answers).values(
            {name: _param(a[name]) for name in columns}
        )
        yield (
            f"set_{field}",
            insert.on_conflict_do_update(
                index_elements=["respondent_id", "instrument_id", "item_id"],
                set_={field: insert.excluded[field], "updated_at": insert.excluded.updated_at},
            ),
        )


def _insert(dialect: str, table: sa.Table) -> Any:
    """The dialect's INSERT, which has ON CONFLICT."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def _reason(exc: sa.exc.DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
