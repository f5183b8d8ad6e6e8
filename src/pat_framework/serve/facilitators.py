"""Who may open the facilitator's pages, and what each facilitator may see.

Two ways in. A workshop on one laptop has a **secret** printed when `pat serve` starts
(kept as its SHA-256, as invitation tokens are: 128 random bits cannot be guessed); it
opens that one collection, as "facilitator". A shared server has **accounts** with
passwords (salted scrypt, 16 MiB per try, as room codes are), each in one or more
**partnerships**; an account sees only the collections of its partnerships (or every
collection, when made with `--all`). A sign-in gives a random session token, kept as its
hash, in the HttpOnly `pat_facilitator` cookie under `/f/`; a session ends after
IDLE of no use or LONGEST in all. Every change a facilitator makes is written to the
audit log: who, when, which collection, what.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from pat_framework.errors import PatError
from pat_framework.serve import keys, schema, security
from pat_framework.serve.storage import Collection, Store, aware, now

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from pat_framework.serve.app import Server

    #: A page behind `guarded`: the request, who is signed in and the collection.
    Guarded = Callable[[Request, "Facilitator", Collection], Awaitable[Response]]

COOKIE = "pat_facilitator"
COOKIE_PATH = "/f"
IDLE = datetime.timedelta(hours=8)
LONGEST = datetime.timedelta(hours=24)
#: Seen-at is written again only after this much, not on every request.
TOUCH = datetime.timedelta(minutes=1)
SECRET_NAME = "facilitator"
SIGN_IN = "/f/sign-in"


@dataclass(frozen=True)
class Facilitator:
    """Who is signed in: an account's name, or "facilitator" for the workshop secret."""

    name: str
    account_id: int | None  # None when signed in with the workshop's secret


@dataclass(frozen=True)
class Access:
    """A session's facilitator and what it may see: the secret's one collection, the
    account's partnerships, or everything."""

    facilitator: Facilitator
    collection_id: int | None
    partnerships: frozenset[int]
    everything: bool

    def may_see(self, collection_id: int, partnership_id: int | None) -> bool:
        if self.collection_id is not None:
            return collection_id == self.collection_id
        return self.everything or partnership_id in self.partnerships


#: Who the audit log names for a change made with `pat serve` on the command line.
COMMAND_LINE = Facilitator("pat serve (command line)", None)


# -- passwords ----------------------------------------------------------------------------


def password_hash(password: str) -> str:
    """`scrypt$N$r$p$SALT$HASH` (hex) of a password, with a new random salt."""
    salt = secrets.token_bytes(16)
    n, r, p = keys.SCRYPT_N, keys.SCRYPT_R, keys.SCRYPT_P
    digest = _scrypt(password, salt, n, r, p)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    kind, n, r, p, salt, digest = stored.split("$")
    if kind != "scrypt" or not password:
        return False
    given = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p))
    return hmac.compare_digest(given, bytes.fromhex(digest))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=2**26, dklen=32
    )


#: Checked against when the name is unknown, so that a wrong name takes as long as a
#: wrong password and names cannot be found by timing.
_DUMMY = password_hash(secrets.token_hex(8))


# -- partnerships, accounts, the workshop secret -------------------------------------------


def partnership_id(store: Store, name: str, create: bool = True) -> int:
    """The partnership of that name (made when `create` and it does not exist)."""
    p = schema.partnerships.c
    with store.reading() as connection:
        found = connection.scalar(sa.select(p.id).where(p.name == name))
    if found is not None:
        return int(found)
    if not create:
        raise PatError(f"no partnership '{name}'")
    with store.writing() as connection:
        connection.execute(sa.insert(schema.partnerships).values(name=name))
    return partnership_id(store, name, create=False)


def _facilitation(store: Store, collection: Collection) -> dict[str, object]:
    """The collection's row of `collection_facilitation` (made empty if missing)."""
    f = schema.facilitation.c
    with store.reading() as connection:
        row = connection.execute(
            sa.select(schema.facilitation).where(f.collection_id == collection.id)
        ).first()
    if row is None:
        with store.writing() as connection:
            found = connection.scalar(
                sa.select(f.collection_id).where(f.collection_id == collection.id)
            )
            if found is None:
                connection.execute(
                    sa.insert(schema.facilitation).values(collection_id=collection.id)
                )
        return _facilitation(store, collection)
    return dict(row._mapping)


def set_facilitation(store: Store, collection: Collection, **values: object) -> None:
    """Set the collection's partnership_id, secret_hash, keep_until, privacy_notice or
    link_cut_at."""
    assert set(values) <= {
        "partnership_id",
        "secret_hash",
        "keep_until",
        "privacy_notice",
        "link_cut_at",
    }, values
    _facilitation(store, collection)
    f = schema.facilitation.c
    with store.writing() as connection:
        connection.execute(
            sa.update(schema.facilitation).where(f.collection_id == collection.id).values(**values)
        )


def facilitation(store: Store, collection: Collection) -> dict[str, object]:
    """partnership (its name or None), keep_until, privacy_notice, link_cut_at, and
    whether a secret was made."""
    row = _facilitation(store, collection)
    name = None
    if row["partnership_id"] is not None:
        p = schema.partnerships.c
        with store.reading() as connection:
            name = connection.scalar(sa.select(p.name).where(p.id == row["partnership_id"]))
    return {
        "partnership": name,
        "keep_until": aware(row["keep_until"]),  # type: ignore[arg-type]
        "privacy_notice": row["privacy_notice"],
        "link_cut_at": aware(row["link_cut_at"]),  # type: ignore[arg-type]
        "has_secret": row["secret_hash"] is not None,
    }


def new_secret(store: Store, collection: Collection) -> str:
    """A new workshop secret for the collection, returned once (only its hash is kept);
    the old one stops working and its sessions end."""
    secret = keys.new_token()
    set_facilitation(store, collection, secret_hash=keys.token_hash(secret))
    s = schema.facilitator_sessions.c
    with store.writing() as connection:
        connection.execute(
            sa.delete(schema.facilitator_sessions).where(
                s.collection_id == collection.id, s.account_id.is_(None)
            )
        )
    return secret


def add_account(
    store: Store, name: str, password: str, partnerships: Sequence[str], everything: bool
) -> None:
    """A facilitator account in the partnerships (made if new), or one that sees every
    collection."""
    name = name.strip()
    if not name or len(name) > 128:
        raise PatError("the account's name must be 1 to 128 characters")
    if len(password) < 12:
        raise PatError("the password must be at least 12 characters")
    if not partnerships and not everything:
        raise PatError("give the account's --partnership (repeat for several), or --all")
    a = schema.facilitator_accounts.c
    with store.reading() as connection:
        if connection.scalar(sa.select(a.id).where(a.name == name)) is not None:
            raise PatError(f"there is already an account '{name}': remove it first")
    ids = [partnership_id(store, p) for p in dict.fromkeys(partnerships)]
    hashed = password_hash(password)
    with store.writing() as connection:
        ident = connection.scalar(
            sa.insert(schema.facilitator_accounts)
            .values(
                name=name, password_hash=hashed, all_collections=int(everything), created_at=now()
            )
            .returning(a.id)
        )
        if ids:
            connection.execute(
                sa.insert(schema.facilitator_partnerships),
                [{"account_id": ident, "partnership_id": p} for p in ids],
            )


def remove_account(store: Store, name: str) -> None:
    """Delete the account and its sessions (the audit log keeps its name)."""
    a = schema.facilitator_accounts.c
    with store.writing() as connection:
        gone = connection.execute(sa.delete(schema.facilitator_accounts).where(a.name == name))
    if not gone.rowcount:
        raise PatError(f"no account '{name}'")


def accounts(store: Store) -> list[tuple[str, list[str], bool]]:
    """Every account: its name, its partnerships, and whether it sees everything."""
    a, fp, p = (
        schema.facilitator_accounts.c,
        schema.facilitator_partnerships.c,
        schema.partnerships.c,
    )
    query = (
        sa.select(a.name, a.all_collections, p.name)
        .select_from(schema.facilitator_accounts)
        .outerjoin(schema.facilitator_partnerships, fp.account_id == a.id)
        .outerjoin(schema.partnerships, p.id == fp.partnership_id)
        .order_by(a.name, p.name)
    )
    found: dict[str, tuple[list[str], bool]] = {}
    with store.reading() as connection:
        for name, everything, partnership in connection.execute(query):
            entry = found.setdefault(name, ([], bool(everything)))
            if partnership is not None:
                entry[0].append(partnership)
    return [(name, groups, everything) for name, (groups, everything) in found.items()]


# -- sessions -----------------------------------------------------------------------------


def _open_session(
    store: Store, name: str, account_id: int | None, collection_id: int | None
) -> str:
    token = keys.new_token()
    moment = now()
    s = schema.facilitator_sessions.c
    with store.writing() as connection:
        connection.execute(
            sa.delete(schema.facilitator_sessions).where(s.created_at < moment - LONGEST)
        )
        connection.execute(
            sa.insert(schema.facilitator_sessions).values(
                token_hash=keys.token_hash(token),
                name=name,
                account_id=account_id,
                collection_id=collection_id,
                created_at=moment,
                seen_at=moment,
            )
        )
    return token


def sign_in_password(store: Store, name: str, password: str) -> str | None:
    """A session token when the name and password are an account's, else None."""
    a = schema.facilitator_accounts.c
    with store.reading() as connection:
        row = connection.execute(
            sa.select(a.id, a.password_hash).where(a.name == name.strip())
        ).first()
    if row is None:
        password_matches(password, _DUMMY)
        return None
    if not password_matches(password, row[1]):
        return None
    return _open_session(store, name.strip(), int(row[0]), None)


def sign_in_secret(store: Store, secret: str) -> str | None:
    """A session token for the collection whose workshop secret this is, else None."""
    wanted = keys.token_hash(secret.strip())
    f = schema.facilitation.c
    with store.reading() as connection:
        row = connection.execute(
            sa.select(f.collection_id, f.secret_hash).where(f.secret_hash == wanted)
        ).first()
    if row is None or not hmac.compare_digest(row[1], wanted):
        return None
    return _open_session(store, SECRET_NAME, None, int(row[0]))


def session(store: Store, token: str, moment: datetime.datetime | None = None) -> Access | None:
    """What the session of `token` may see, or None when there is none or it has ended
    (idle for IDLE, or older than LONGEST)."""
    moment = moment or now()
    wanted = keys.token_hash(token)
    s, a = schema.facilitator_sessions.c, schema.facilitator_accounts.c
    with store.reading() as connection:
        row = connection.execute(
            sa.select(s.token_hash, s.name, s.account_id, s.collection_id, s.created_at)
            .add_columns(s.seen_at, a.all_collections)
            .outerjoin(schema.facilitator_accounts, a.id == s.account_id)
            .where(s.token_hash == wanted)
        ).first()
        if row is None or not hmac.compare_digest(row[0], wanted):
            return None
        created, seen = aware(row[4]), aware(row[5])
        assert created is not None and seen is not None
        if moment - seen > IDLE or moment - created > LONGEST:
            return None
        fp = schema.facilitator_partnerships.c
        groups = frozenset(
            connection.scalars(sa.select(fp.partnership_id).where(fp.account_id == row[2]))
        )
    if row[2] is None and row[3] is None:
        return None  # an account's session whose account was removed
    if moment - seen > TOUCH:
        with store.writing() as connection:
            connection.execute(
                sa.update(schema.facilitator_sessions)
                .where(s.token_hash == wanted)
                .values(seen_at=moment)
            )
    return Access(Facilitator(row[1], row[2]), row[3], groups, bool(row[6]))


def sign_out(store: Store, token: str) -> None:
    s = schema.facilitator_sessions.c
    with store.writing() as connection:
        connection.execute(
            sa.delete(schema.facilitator_sessions).where(s.token_hash == keys.token_hash(token))
        )


def visible(store: Store, access: Access) -> list[Collection]:
    """The collections this session may see, by name."""
    c, f = schema.collections.c, schema.facilitation.c
    query = (
        sa.select(c.name, c.id, f.partnership_id)
        .outerjoin(schema.facilitation, f.collection_id == c.id)
        .order_by(c.name)
    )
    with store.reading() as connection:
        rows = connection.execute(query).all()
    names = [name for name, ident, group in rows if access.may_see(ident, group)]
    return [found for found in (store.collection(n) for n in names) if found is not None]


def may_see(store: Store, access: Access, collection: Collection) -> bool:
    f = schema.facilitation.c
    with store.reading() as connection:
        group = connection.scalar(
            sa.select(f.partnership_id).where(f.collection_id == collection.id)
        )
    return access.may_see(collection.id, group)


# -- the audit log ------------------------------------------------------------------------


def log_change(
    store: Store, facilitator: Facilitator, collection: Collection | None, action: str
) -> None:
    """Write who changed what, when, in which collection, to the audit log."""
    with store.writing() as connection:
        connection.execute(
            sa.insert(schema.audit_log).values(
                at=now(),
                facilitator=facilitator.name,
                account_id=facilitator.account_id,
                collection=None if collection is None else collection.name,
                action=action,
            )
        )


def audit(store: Store, collection: Collection) -> list[tuple[datetime.datetime, str, str]]:
    """The collection's audit log, oldest first: when, who, what."""
    t = schema.audit_log.c
    with store.reading() as connection:
        rows = connection.execute(
            sa.select(t.at, t.facilitator, t.action)
            .where(t.collection == collection.name)
            .order_by(t.id)
        ).all()
    return [(m, who, what) for at, who, what in rows if (m := aware(at)) is not None]


# -- the guard of every facilitator page ----------------------------------------------------


async def access_of(server: Server, request: Request) -> Access | None:
    """The signed-in facilitator's access, from the `pat_facilitator` cookie only."""
    from starlette.concurrency import run_in_threadpool

    token = request.cookies.get(COOKIE)
    if not token or len(token) > 64:
        return None
    return await run_in_threadpool(session, server.store, token)


def not_found(server: Server, request: Request) -> Response:
    """The one page for a collection that does not exist and one the facilitator may not
    see, so that names cannot be probed."""
    return server.render(
        request,
        "facilitator/message.html",
        404,
        title="Not found",
        text="There is no such collection.",
    )


def out_of_date(
    server: Server,
    request: Request,
    facilitator: Facilitator | None,
    text: str = "Nothing was changed. Go back, reload the page and try again.",
) -> Response:
    """The page for a form posted without a valid CSRF token (stale, or from elsewhere)."""
    return server.render(
        request,
        "facilitator/message.html",
        403,
        facilitator=facilitator,
        title="The page was out of date",
        text=text,
    )


def to_sign_in(request: Request) -> Response:
    from urllib.parse import quote

    from starlette.responses import RedirectResponse

    return RedirectResponse(f"{SIGN_IN}?next={quote(request.url.path)}", status_code=303)


async def guard(
    server: Server, request: Request, name: str
) -> tuple[Facilitator, Collection] | Response:
    """The facilitator and the collection `name`, when signed in and allowed to see it; else
    the sign-in page (a redirect) or the same 404 as for a collection that does not exist."""
    from starlette.concurrency import run_in_threadpool

    access = await access_of(server, request)
    if access is None:
        return to_sign_in(request)
    collection = await run_in_threadpool(server.store.collection, name)
    if collection is None or not await run_in_threadpool(
        may_see, server.store, access, collection
    ):
        return not_found(server, request)
    return access.facilitator, collection


def guarded(
    server: Server,
) -> Callable[[Guarded], Callable[[Request], Awaitable[Response]]]:
    """A page of the collection in the path's `name`, called with the facilitator and the
    collection only when `guard` lets them through."""

    def wrap(page: Guarded) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(page)
        async def guarded_page(request: Request) -> Response:
            from starlette.responses import Response

            found = await guard(server, request, request.path_params["name"])
            if isinstance(found, Response):
                return found
            return await page(request, *found)

        return guarded_page

    return wrap


def set_cookie(request: Request, response: Response, token: str) -> None:
    options = security.cookie_options(request.scope, max_age=int(LONGEST.total_seconds()))
    options["path"] = COOKIE_PATH
    response.set_cookie(COOKIE, token, **options)
