"""Invitations made from a list: a respondent each, with the organisation and level the list
gives (so the about page does not ask again), a name or email to remind them by, and a
link shown once (only its hash is kept). The facilitator sees each invitation's stage,
never its answers, and can revoke or reissue one; reminders list those not submitted."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from pat_framework.errors import PatError
from pat_framework.output import inert
from pat_framework.serve import keys, schema
from pat_framework.serve.storage import Collection, Store, now

COLUMNS = ("name", "email", "organisation", "level")
REQUIRED = ("organisation", "level")
MAX_ROWS = 2000


@dataclass(frozen=True)
class Person:
    """One row of the list."""

    name: str
    email: str
    organisation: str
    level: str


@dataclass(frozen=True)
class Issued:
    """An invitation just made or reissued, with its token (shown this once)."""

    id: int
    person: Person
    token: str


@dataclass(frozen=True)
class Invitation:
    """An invitation as the facilitator sees it: who, and how far (never the answers)."""

    id: int
    person: Person
    stage: str  # not started, in progress, submitted
    revoked: bool


def read_list(text: str, collection: Collection) -> list[Person]:
    """The people of a CSV list (a header row naming the columns); every problem, by row
    and column, raised together so that nothing is made from a list with a mistake."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise PatError("the list is empty: give a header row (name, email, organisation, level)")
    header = [cell.strip().lower() for cell in rows[0]]
    problems = [f"the list has no {c} column" for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)}: expected {', '.join(COLUMNS)}")
    if problems:
        raise PatError("; ".join(problems))
    if len(rows) - 1 > MAX_ROWS:
        raise PatError(f"the list has {len(rows) - 1} people: at most {MAX_ROWS} at a time")
    people: list[Person] = []
    lists = {"organisation": collection.organisations, "level": collection.levels}
    for number, row in enumerate(rows[1:], start=2):
        cells = {name: (row[k].strip() if k < len(row) else "") for k, name in enumerate(header)}
        for column in REQUIRED:
            value, allowed = cells.get(column, ""), lists[column]
            if not value:
                problems.append(f"row {number}, column {column}: empty")
            elif allowed and value not in allowed:
                problems.append(
                    f"row {number}, column {column}: {value!r} is not one of the "
                    f"collection's ({', '.join(allowed)})"
                )
        people.append(Person(*(cells.get(name, "") for name in COLUMNS)))
    if problems:
        raise PatError("; ".join(problems))
    return people


def create(store: Store, collection: Collection, people: Sequence[Person]) -> list[Issued]:
    """A respondent and an invitation for each person, in one transaction."""
    made: list[Issued] = []
    r, i = schema.respondents.c, schema.invitations.c
    with store.writing() as connection:
        for person in people:
            token = keys.new_token()
            respondent = connection.scalar(
                sa.insert(schema.respondents)
                .values(
                    collection_id=collection.id,
                    code=secrets.token_hex(6).upper(),
                    token_hash=keys.token_hash(token),
                    via="invitation",
                    organisation=person.organisation,
                    level=person.level,
                    created_at=now(),
                )
                .returning(r.id)
            )
            ident = connection.scalar(
                sa.insert(schema.invitations)
                .values(
                    collection_id=collection.id,
                    respondent_id=respondent,
                    name=person.name or None,
                    email=person.email or None,
                )
                .returning(i.id)
            )
            made.append(Issued(int(ident), person, token))
    return made


def listed(store: Store, collection: Collection) -> list[Invitation]:
    """Every invitation of the collection and its stage, in the order they were made."""
    r, i = schema.respondents.c, schema.invitations.c
    query = (
        sa.select(i.id, i.name, i.email, r.organisation, r.level, i.revoked)
        .add_columns(r.submitted_at.is_not(None), r.first_seen_at.is_not(None))
        .add_columns(r.position.is_not(None))
        .join(schema.respondents, r.id == i.respondent_id)
        .where(i.collection_id == collection.id)
        .order_by(i.id)
    )
    with store.reading() as connection:
        rows = connection.execute(query).all()
    found = []
    for ident, name, email, organisation, level, revoked, done, seen, moved in rows:
        stage = "submitted" if done else ("in progress" if seen or moved else "not started")
        person = Person(name or "", email or "", organisation or "", level or "")
        found.append(Invitation(int(ident), person, stage, bool(revoked)))
    return found


def _respondent_of(connection: sa.Connection, collection: Collection, ident: int) -> int:
    i = schema.invitations.c
    found = connection.scalar(
        sa.select(i.respondent_id).where(i.id == ident, i.collection_id == collection.id)
    )
    if found is None:
        raise PatError(f"no invitation {ident} in collection {collection.name}")
    return int(found)


def revoke(store: Store, collection: Collection, ident: int) -> None:
    """The invitation's link stops working; answers already given are kept (a report
    counts them) until the respondent is erased."""
    with store.writing() as connection:
        respondent = _respondent_of(connection, collection, ident)
        _new_hash(connection, respondent, keys.new_token())  # a token nobody is given
        connection.execute(
            sa.update(schema.invitations).where(schema.invitations.c.id == ident).values(revoked=1)
        )


def reissue(store: Store, collection: Collection, ident: int) -> Issued:
    """A new link for the same respondent and answers; the old link stops working."""
    token = keys.new_token()
    with store.writing() as connection:
        respondent = _respondent_of(connection, collection, ident)
        _new_hash(connection, respondent, token)
        connection.execute(
            sa.update(schema.invitations).where(schema.invitations.c.id == ident).values(revoked=0)
        )
    found = next(x for x in listed(store, collection) if x.id == ident)
    return Issued(ident, found.person, token)


def _new_hash(connection: sa.Connection, respondent: int, token: str) -> None:
    connection.execute(
        sa.update(schema.respondents)
        .where(schema.respondents.c.id == respondent)
        .values(token_hash=keys.token_hash(token))
    )


def links_csv(issued: Sequence[Issued], base: str) -> str:
    """name, email, organisation, level, link: for a mail merge (every cell inert)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, "link"])
    for one in issued:
        p = one.person
        cells = [p.name, p.email, p.organisation, p.level, f"{base}/i/{one.token}"]
        writer.writerow([inert(cell) for cell in cells])
    return out.getvalue()


def reminders_csv(store: Store, collection: Collection) -> str:
    """Those invited who have not submitted (and whose invitation is not revoked): name,
    email, organisation, level, stage. No links: they are not stored (reissue to send one)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, "stage"])
    for one in listed(store, collection):
        if one.stage != "submitted" and not one.revoked:
            p = one.person
            cells = [p.name, p.email, p.organisation, p.level, one.stage]
            writer.writerow([inert(cell) for cell in cells])
    return out.getvalue()


def qr_svg(link: str) -> str:
    """The link as an inline SVG QR code (segno), without an XML declaration."""
    import segno

    svg = segno.make(link, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return str(svg)
