"""A new collection made in the browser: the form read and checked field by field, the
partnerships a facilitator may make it in, and the collection created (never an existing
one changed, so that one partnership cannot take over another's collection by its name)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from pat_framework.disclosure.rules import DEFAULT_FIGURES
from pat_framework.serve import schema
from pat_framework.serve.collections import NAME
from pat_framework.serve.facilitators import Access
from pat_framework.serve.storage import Collection, Store

#: The smallest group a figure may be shown for; pat refuses less (DESIGN.md).
LEAST_GROUP = 3
MOST_GROUP = 100
LONGEST_TITLE = 200
LONGEST_LABEL = 120
MOST_LABELS = 200
#: What the partnership field holds for a collection in none (accounts with `--all`).
NO_PARTNERSHIP = ""

#: The form's text fields.
FIELDS = (
    "title",
    "name",
    "organisations",
    "levels",
    "min_group",
    "round",
    "opens",
    "closes",
    "partnership",
    "from",
)


@dataclass(frozen=True)
class NewCollection:
    """What the form asked for, checked."""

    name: str
    title: str
    instruments: tuple[str, ...]
    organisations: tuple[str, ...]
    levels: tuple[str, ...]
    min_group: int
    round: str | None
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    partnership_id: int | None
    source: str


@dataclass
class Filled:
    """The form as typed, to show again, and a problem per field (by field name)."""

    values: dict[str, str] = field(default_factory=dict)
    instruments: tuple[str, ...] = ()
    problems: dict[str, str] = field(default_factory=dict)


def slug(title: str) -> str:
    """A collection name from a title: lower case, letters and digits joined by `-`."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:64].strip("-")


def partnerships(store: Store, access: Access) -> list[tuple[int, str]]:
    """The partnerships (id, name) this facilitator may make a collection in, by name."""
    p = schema.partnerships.c
    query = sa.select(p.id, p.name).order_by(p.name)
    if not access.everything:
        query = query.where(p.id.in_(sorted(access.partnerships)))
    with store.reading() as connection:
        return [(int(ident), str(name)) for ident, name in connection.execute(query)]


def prefilled(collection: Collection) -> Filled:
    """The form filled from an existing collection: a new round of the same workshop."""
    return Filled(
        values={
            "title": collection.title,
            "organisations": "\n".join(collection.organisations),
            "levels": "\n".join(collection.levels),
            "min_group": str(collection.min_group),
            "round": collection.round or "",
            "from": collection.name,
        },
        instruments=collection.instruments,
    )


def read_form(
    form: Mapping[str, str],
    chosen: Sequence[str],
    installed: Mapping[str, str],
    allowed: Sequence[tuple[int, str]],
    everything: bool,
    origin: Collection | None = None,
) -> tuple[NewCollection | None, Filled]:
    """The new collection, or None and every problem: `form` holds the text fields,
    `chosen` the instruments ticked, `installed` the instruments there are (id → title),
    `allowed` the partnerships the facilitator may use (none needed with `everything`)."""
    text = {key: str(form.get(key, "")).strip() for key in FIELDS}
    filled = Filled(values=text, instruments=tuple(dict.fromkeys(chosen)))
    problems = filled.problems
    title = text["title"]
    if not title:
        problems["title"] = "Give the collection a title."
    elif len(title) > LONGEST_TITLE:
        problems["title"] = f"The title is {len(title)} characters; at most {LONGEST_TITLE}."
    name = text["name"] or slug(title)
    if title and not NAME.match(name):
        problems["name"] = (
            "Use lower-case letters, digits, - and _ (at most 64), starting with a letter or "
            "digit."
        )
    unknown = [ident for ident in filled.instruments if ident not in installed]
    if not filled.instruments:
        problems["instruments"] = "Choose at least one instrument."
    elif unknown:
        problems["instruments"] = f"Not installed here: {', '.join(unknown)}."
    lists = {key: _labels(text[key], key, problems) for key in ("organisations", "levels")}
    min_group = _min_group(text["min_group"], problems)
    opens = _moment(text["opens"], "opens", problems)
    closes = _moment(text["closes"], "closes", problems)
    if opens and closes and closes <= opens:
        problems["closes"] = "The closing time must be after the opening time."
    group = _partnership(text["partnership"], allowed, everything, problems)
    if problems:
        return None, filled
    source = origin.source if origin is not None else " ".join(filled.instruments)
    return (
        NewCollection(
            name=name,
            title=title,
            instruments=filled.instruments,
            organisations=lists["organisations"],
            levels=lists["levels"],
            min_group=min_group,
            round=text["round"] or None,
            opens_at=opens,
            closes_at=closes,
            partnership_id=group,
            source=source,
        ),
        filled,
    )


def _labels(text: str, key: str, problems: dict[str, str]) -> tuple[str, ...]:
    """One label a line, blank lines and repeats dropped."""
    labels = [line.strip() for line in text.splitlines() if line.strip()]
    long = next((k for k, label in enumerate(labels, 1) if len(label) > LONGEST_LABEL), None)
    if long is not None:
        problems[key] = f"Line {long} is longer than {LONGEST_LABEL} characters."
    elif len(labels) > MOST_LABELS:
        problems[key] = f"{len(labels)} lines; at most {MOST_LABELS}."
    return tuple(dict.fromkeys(labels))


def _min_group(text: str, problems: dict[str, str]) -> int:
    if not text:
        return DEFAULT_FIGURES
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not LEAST_GROUP <= number <= MOST_GROUP:
        problems["min_group"] = (
            f"Give a whole number from {LEAST_GROUP} to {MOST_GROUP}: no figure is shown for "
            "a smaller group."
        )
    return number


def _moment(text: str, key: str, problems: dict[str, str]) -> datetime.datetime | None:
    """A date and time as a datetime-local field sends it: the server's local time, as
    `pat serve start --opens` reads it."""
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        problems[key] = "Give a date and time, as 2026-12-03T09:30."
        return None
    return moment.astimezone(datetime.UTC)


def _partnership(
    text: str, allowed: Sequence[tuple[int, str]], everything: bool, problems: dict[str, str]
) -> int | None:
    if text == NO_PARTNERSHIP and everything:
        return None
    match = next((ident for ident, _name in allowed if str(ident) == text), None)
    if match is None:
        problems["partnership"] = "Choose one of your partnerships."
    return match


def create(store: Store, new: NewCollection) -> Collection | None:
    """Make the collection; None when its name is taken."""
    return store.create_collection(
        new.name,
        new.title,
        new.source,
        new.instruments,
        new.organisations,
        new.levels,
        new.round,
        new.min_group,
        new.opens_at,
        new.closes_at,
        new.partnership_id,
    )
