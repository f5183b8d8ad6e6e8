"""The room's record of the feedback workshop: each section's agreed view and the actions
agreed, held in the collection's `room_views` and `room_actions` (so a facilitator reaches
only those of collections they may see), read back by `pat run` for the report.

The agreed view is a score on the section's scale or one of its bands. When partners
disagreed on the section (a statement the analysis finds divided), the view is marked, as
in the Lisbon Tool, as lower than the average: a single figure would hide the split.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from pat_framework.errors import PatError
from pat_framework.serve import schema
from pat_framework.serve.storage import Collection, Store, now

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis
    from pat_framework.model import Instrument, Section

#: The longest action text, owner and band label kept.
TEXT_LIMIT = 2000
OWNER_LIMIT = 200


@dataclass(frozen=True)
class AgreedView:
    """The group's agreed view of one section."""

    instrument_id: str
    section_id: str
    score: float | None
    band: str | None
    below_average: bool
    recorded_by: str


@dataclass(frozen=True)
class AgreedAction:
    """An action agreed in the room for one section: what, who, by when."""

    id: int
    instrument_id: str
    section_id: str
    text: str
    owner: str
    due: datetime.date
    recorded_by: str


@dataclass
class Agreed:
    """Everything agreed in the room for one collection."""

    views: list[AgreedView] = field(default_factory=list)
    actions: list[AgreedAction] = field(default_factory=list)

    def view(self, instrument_id: str, section_id: str) -> AgreedView | None:
        return next(
            (
                v
                for v in self.views
                if v.instrument_id == instrument_id and v.section_id == section_id
            ),
            None,
        )

    def actions_of(self, instrument_id: str, section_id: str) -> list[AgreedAction]:
        return [
            a
            for a in self.actions
            if a.instrument_id == instrument_id and a.section_id == section_id
        ]

    def of(self, instrument_id: str) -> Agreed:
        """What was agreed on one instrument's sections."""
        return Agreed(
            [v for v in self.views if v.instrument_id == instrument_id],
            [a for a in self.actions if a.instrument_id == instrument_id],
        )

    def __bool__(self) -> bool:
        return bool(self.views or self.actions)


# -- the section's scale and whether partners disagreed on it -------------------------------


def score_range(section: Section) -> tuple[float, float]:
    """The lowest and highest score the section can have: its bands' ends, or else the sum
    of its statements' scale ends."""
    if section.bands:
        return min(b.min for b in section.bands), max(b.max for b in section.bands)
    return (
        sum(item.scale.low for item in section.items),
        sum(item.scale.high for item in section.items),
    )


def divided(analysis: Analysis, section: Section) -> list[str]:
    """The section's statements the analysis finds partners divided on, in order."""
    found = (f.item_id for f in analysis.findings if f.kind == "disagreement")
    return [i for i in dict.fromkeys(found) if i in section.item_ids]


def average(analysis: Analysis, section: Section) -> float | None:
    """The section's mean score over the respondents shown, or None when withheld."""
    rows = analysis.sections[analysis.sections["section"] == section.id]
    if rows.empty or section.id in analysis.withheld:
        return None
    mean = float(rows.iloc[0]["mean"])
    return None if math.isnan(mean) else mean


# -- reading the forms ----------------------------------------------------------------------


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_view(
    form: Mapping[str, str], section: Section, under: float | None = None
) -> tuple[tuple[float | None, str | None], dict[str, str]]:
    """(score, band) from the form's `score` and `band`, and the problems by field: one of
    them is needed; a score within the section's range; a band of the section's; when both
    are given, the score inside the band. When partners disagreed, `under` is the
    section's average: as in the Lisbon Tool, the agreed view lies below it."""
    problems: dict[str, str] = {}
    text = form.get("score", "").strip()
    band = form.get("band", "").strip() or None
    low, high = score_range(section)
    score = None
    if text:
        score = _number(text)
        if score is None:
            problems["score"] = f"Expected a number from {_n(low)} to {_n(high)}, not “{text}”."
        elif not low <= score <= high:
            problems["score"] = f"Expected a number from {_n(low)} to {_n(high)}, not {_n(score)}."
    labels = [b.label for b in section.bands]
    chosen = next((b for b in section.bands if b.label == band), None)
    if band is not None and chosen is None:
        problems["band"] = f"Expected one of the bands: {', '.join(labels)}."
    if not text and band is None:
        problems["score"] = "Give the agreed score" + (", or choose a band." if labels else ".")
    inside = chosen is None or score is None or chosen.min <= score <= chosen.max
    if not inside and "score" not in problems:
        assert chosen is not None and score is not None
        problems["band"] = (
            f"The score {_n(score)} is not in band {chosen.label}: choose its band, or "
            "give only one of the two."
        )
    if under is not None and not problems:
        why = (
            "Partners disagreed on this section, so the agreed view lies below the average "
            f"({_n(under)})"
        )
        if score is not None and score >= under:
            problems["score"] = f"{why}: give a score below {_n(under)}."
        elif chosen is not None and chosen.min >= under:
            problems["band"] = f"{why}: choose a band that starts below {_n(under)}."
    return (score, band), problems


def read_action(form: Mapping[str, str]) -> tuple[tuple[str, str, datetime.date], dict[str, str]]:
    """(text, owner, due) from the form, and the problems by field: text and owner are
    needed; the due date is a real date written as 2026-12-31."""
    problems: dict[str, str] = {}
    text = " ".join(form.get("text", "").split())
    owner = " ".join(form.get("owner", "").split())
    written = form.get("due", "").strip()
    if not text:
        problems["text"] = "Say what is to be done."
    elif len(text) > TEXT_LIMIT:
        problems["text"] = f"Keep the action to {TEXT_LIMIT} characters (it has {len(text)})."
    if not owner:
        problems["owner"] = "Name who owns the action: a person, a role or a partner."
    elif len(owner) > OWNER_LIMIT:
        problems["owner"] = f"Keep the owner to {OWNER_LIMIT} characters (it has {len(owner)})."
    due = datetime.date.min
    if not written:
        problems["due"] = "Give the date it is due by, as 2026-12-31 (year-month-day)."
    else:
        try:
            due = datetime.date.fromisoformat(written)
        except ValueError:
            problems["due"] = (
                f"“{written}” is not a date: write the year, month and day as 2026-12-31, "
                "a day that exists."
            )
        else:
            if len(written) != len("2026-12-31"):
                problems["due"] = (
                    f"Write the date as 2026-12-31 (year-month-day), not “{written}”."
                )
    return (text, owner, due), problems


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# -- the tables ----------------------------------------------------------------------------


def agreed(store: Store, collection: Collection) -> Agreed:
    """The collection's agreed views and actions, views by section, actions oldest first."""
    v, a = schema.room_views.c, schema.room_actions.c
    with store.reading() as connection:
        views = connection.execute(
            sa.select(v.instrument_id, v.section_id, v.score, v.band, v.below_average)
            .add_columns(v.recorded_by)
            .where(v.collection_id == collection.id)
            .order_by(v.id)
        ).all()
        actions = connection.execute(
            sa.select(a.id, a.instrument_id, a.section_id, a.text, a.owner, a.due)
            .add_columns(a.recorded_by)
            .where(a.collection_id == collection.id)
            .order_by(a.id)
        ).all()
    return Agreed(
        [AgreedView(i, s, score, band, bool(below), by) for i, s, score, band, below, by in views],
        [AgreedAction(int(k), i, s, t, o, _date(d), by) for k, i, s, t, o, d, by in actions],
    )


def _date(value: object) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    assert isinstance(value, datetime.date), value
    return value


def set_view(
    store: Store,
    collection: Collection,
    where: tuple[str, str],
    view: tuple[float | None, str | None],
    below_average: bool,
    who: str,
) -> None:
    """Record (or replace) the agreed view of the section `where` (instrument, section)."""
    v = schema.room_views.c
    values = {
        "score": view[0],
        "band": view[1],
        "below_average": int(below_average),
        "recorded_at": now(),
        "recorded_by": who,
    }
    mine = (
        v.collection_id == collection.id,
        v.instrument_id == where[0],
        v.section_id == where[1],
    )
    with store.writing() as connection:
        changed = connection.execute(sa.update(schema.room_views).where(*mine).values(**values))
        if not changed.rowcount:
            connection.execute(
                sa.insert(schema.room_views).values(
                    collection_id=collection.id,
                    instrument_id=where[0],
                    section_id=where[1],
                    **values,
                )
            )


def add_action(
    store: Store,
    collection: Collection,
    where: tuple[str, str],
    action: tuple[str, str, datetime.date],
    who: str,
) -> int:
    """Record an action agreed for the section `where`; its number."""
    a = schema.room_actions.c
    text, owner, due = action
    with store.writing() as connection:
        ident = connection.scalar(
            sa.insert(schema.room_actions)
            .values(
                collection_id=collection.id,
                instrument_id=where[0],
                section_id=where[1],
                text=text,
                owner=owner,
                due=due,
                recorded_at=now(),
                recorded_by=who,
            )
            .returning(a.id)
        )
    return int(ident)


def action(store: Store, collection: Collection, ident: int) -> AgreedAction:
    """The collection's action `ident` (PatError when it has none of that number)."""
    found = next((a for a in agreed(store, collection).actions if a.id == ident), None)
    if found is None:
        raise PatError(f"no action {ident} in collection {collection.name}")
    return found


def _mine(collection: Collection, where: tuple[str, str], ident: int) -> tuple[Any, ...]:
    a = schema.room_actions.c
    return (
        a.id == ident,
        a.collection_id == collection.id,
        a.instrument_id == where[0],
        a.section_id == where[1],
    )


def update_action(
    store: Store,
    collection: Collection,
    where: tuple[str, str],
    ident: int,
    action: tuple[str, str, datetime.date],
    who: str,
) -> None:
    """Change the action `ident` of the section `where` (PatError when it has none of that
    number)."""
    text, owner, due = action
    with store.writing() as connection:
        changed = connection.execute(
            sa.update(schema.room_actions)
            .where(*_mine(collection, where, ident))
            .values(text=text, owner=owner, due=due, recorded_at=now(), recorded_by=who)
        )
    if not changed.rowcount:
        raise PatError(f"no action {ident} on {where[1]} in collection {collection.name}")


def delete_action(
    store: Store, collection: Collection, where: tuple[str, str], ident: int
) -> None:
    """Delete the action `ident` of the section `where` (PatError when it has none of that
    number)."""
    with store.writing() as connection:
        gone = connection.execute(
            sa.delete(schema.room_actions).where(*_mine(collection, where, ident))
        )
    if not gone.rowcount:
        raise PatError(f"no action {ident} on {where[1]} in collection {collection.name}")


def agreed_in(reference: str, instrument: Instrument) -> Agreed:
    """What was agreed in the room of the collection `DATABASE-URL#NAME` on `instrument`,
    for `pat run`; only sections the instrument has."""
    from pat_framework.serve.export import find, split_reference

    url, name = split_reference(reference)
    store = Store(url, pool_size=1)
    try:
        if not sa.inspect(store.engine).has_table(schema.room_views.name):
            return Agreed()  # a database made before the room view: nothing agreed in it
        found = agreed(store, find(store, name)).of(instrument.id)
    finally:
        store.close()
    known = {s.id for s in instrument.sections}
    return Agreed(
        [v for v in found.views if v.section_id in known],
        [a for a in found.actions if a.section_id in known],
    )
