"""The live results of a collection, as its facilitator's dashboard shows them while
people answer: turnout in steps, and results in batches.

What a watcher could learn is the rule here. With `m` the collection's `min_group`:

- a group (organisation or level) of fewer than `m` respondents is not shown, nor a second
  group where a total would give it away (`turnout`, the rules every report follows);
- every started and submitted count (overall and of each group shown) is shown in steps
  of `m`: "fewer than m", then "at least m", "at least 2m", …, so that one person
  walking out of the room moves no number on the screen;
- the results are those of the first ⌊S/m⌋·m of the S submitted respondents (in the
  order they submitted): nothing before `m` have submitted, and afterwards the results
  change only when `m` more have, so that two views of the dashboard never differ by
  fewer than `m` people's answers (the difference rule of `disclosure.differences`).

The analysis is the one `pat report` makes (`export.analysed_responses`) of those
respondents' answers as they are now, and is kept for each collection until the batch or
its answers change, so that a refresh with nothing new costs two small queries. While one
refresh works out a new batch, the others are shown the results kept from before. A closed
collection shows counts only: its results are the report's, of everyone who submitted
(after the link is cut, the order of submitting that the batches follow is forgotten).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlalchemy as sa

from pat_framework.disclosure.rules import DEFAULT_COMMENTS, Withheld
from pat_framework.serve import schema
from pat_framework.serve.prepared import Prepared
from pat_framework.serve.storage import Collection, ExportRow, Stage, Store
from pat_framework.serve.turnout import ATTRIBUTES, NOT_CHOSEN, turnout

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis
    from pat_framework.reports import DrawnChart
    from pat_framework.reports.content import Headline, Table
    from pat_framework.runtime.registry import Registry

#: How often the page's script asks for news, in seconds.
POLL_SECONDS = 5


def stepped(count: int, step: int) -> int | None:
    """`count` rounded down to a multiple of `step`; None below `step` (not shown)."""
    return None if count < step else count // step * step


@dataclass(frozen=True)
class GroupCount:
    """One group shown: its respondents, and its started and submitted counts in steps."""

    group: str
    respondents: int
    started: int | None
    submitted: int | None


@dataclass(frozen=True)
class Counts:
    """The turnout as the dashboard shows it (see the module's rule)."""

    step: int
    respondents: int
    started: int | None
    submitted: int | None
    groups: dict[str, list[GroupCount]]
    hidden: dict[str, int]

    @property
    def analysed(self) -> int:
        """How many submitted respondents the results are to be of (0: none yet)."""
        return self.submitted or 0


def counts(stages: list[Stage], step: int, asked: tuple[str, ...] = ATTRIBUTES) -> Counts:
    """The stages counted under `turnout`'s group rules, each count in steps of `step`;
    groups of the `asked` attributes only (those the collection has a list of)."""
    seen = turnout(stages, step)
    groups = {
        attribute: [
            GroupCount(t.group, t.respondents, stepped(t.started, step),
                       stepped(t.submitted, step))
            for t in tallies
        ]
        for attribute, tallies in seen.groups.items() if attribute in asked
    }  # fmt: skip
    return Counts(
        step,
        seen.respondents,
        stepped(seen.started, step),
        stepped(seen.submitted, step),
        groups,
        {attribute: seen.hidden[attribute] for attribute in groups},
    )


@dataclass(frozen=True)
class Figure:
    """An instrument's main chart: its SVG, its text alternative and its figures."""

    name: str
    title: str
    alt: str
    svg: str
    figures: str  # the chart's figures as an HTML table (every value escaped)

    @property
    def version(self) -> str:
        """A short digest of the drawing, for the image's address."""
        return hashlib.sha256(self.svg.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Result:
    """One instrument's results: the scenario or band, the scores, the spread of answers
    and agreement per statement, and the main chart; or why nothing can be shown."""

    instrument_id: str
    title: str
    headline: Headline | None = None
    tables: list[Table] = field(default_factory=list)
    figure: Figure | None = None
    withheld: str = ""
    rules: str = ""


@dataclass(frozen=True)
class Dashboard:
    """What the dashboard shows of a collection now: the counts, and the results of the
    first `analysed` to submit (those of an earlier batch while a later one is worked out)."""

    collection: Collection
    counts: Counts
    results: list[Result]
    analysed: int = 0
    closed: bool = False  # closed: no results here, the report has them

    def result(self, instrument_id: str) -> Result | None:
        return next((r for r in self.results if r.instrument_id == instrument_id), None)


# -- reading: only stages, the batch, and the batch's answers ------------------------------


def _batch() -> sa.Select[tuple[int]]:
    """The ids of the first `size` respondents of `collection_id` to submit, from `first`
    (0): parameters, so that `Prepared` can compile it."""
    r = schema.respondents.c
    return (
        sa.select(r.id)
        .where(r.collection_id == sa.bindparam("collection_id", type_=sa.Integer),
               r.submitted_at.is_not(None))
        .order_by(r.submitted_at, r.id)
        .limit(sa.bindparam("size", type_=sa.Integer))
        .offset(sa.bindparam("first", type_=sa.Integer))
    )  # fmt: skip


def shown_size(store: Store, collection: Collection) -> int:
    """How many respondents' results the live results or the room have shown at most."""
    f = schema.facilitation.c
    with store.reading() as connection:
        found = connection.scalar(sa.select(f.live_shown).where(f.collection_id == collection.id))
    return int(found or 0)


def remember_shown(store: Store, collection: Collection, size: int) -> None:
    """Keep `size` as the most shown, when it is more (a write only when a batch grows)."""
    if size <= shown_size(store, collection):
        return
    f = schema.facilitation.c
    with store.writing() as connection:
        grown = sa.or_(f.live_shown.is_(None), f.live_shown < size)
        changed = connection.execute(
            sa.update(schema.facilitation)
            .where(f.collection_id == collection.id, grown)
            .values(live_shown=size)
        ).rowcount
        held = changed or connection.scalar(
            sa.select(f.collection_id).where(f.collection_id == collection.id)
        )
        if not held:
            connection.execute(
                sa.insert(schema.facilitation).values(collection_id=collection.id, live_shown=size)
            )


def beside_shown(
    store: Store, collection: Collection, instrument_id: str, rows: list[ExportRow]
) -> tuple[list[ExportRow], int]:
    """The rows a report may hold beside the results the live results and the room have
    shown (of the first S to submit): all of them, unless those outside the batch are
    fewer than min_group, whose answers a comparison of the two would show; then the
    batch's only. Also how many respondents were left out."""
    shown = shown_size(store, collection)
    if not shown:
        return rows, 0
    batch = batch_codes(store, collection, shown)
    others = {row.respondent for row in rows} - batch
    if not 0 < len(others) < collection.min_group:
        return rows, 0
    return [row for row in rows if row.respondent in batch], len(others)


def batch_key(store: Store, collection: Collection, size: int) -> tuple[object, ...]:
    """What the batch's results depend on: who is in it, and the last change any of them
    saved (a change after submitting counts too). Changes are only ever added, with a
    growing id, so the last one's id moves whenever a member saves anything; it is looked
    up with one index seek per member (`ix_answer_events_respondent`)."""
    e = schema.answer_events.c
    ids = _batch().subquery()
    last = sa.select(sa.func.max(e.id)).where(e.respondent_id == ids.c.id).scalar_subquery()
    with store.reading() as connection:
        query = sa.select(ids.c.id, last)
        rows = connection.execute(
            query, {"collection_id": collection.id, "size": size, "first": 0}
        ).all()
    who = hashlib.sha256(",".join(str(r[0]) for r in rows).encode()).hexdigest()[:16]
    latest = max((int(r[1]) for r in rows if r[1] is not None), default=0)
    return collection.id, collection.version, size, who, latest


def batch_codes(store: Store, collection: Collection, size: int) -> set[str]:
    """The codes of the batch's respondents (their answers are not read)."""
    r = schema.respondents.c
    ids = sa.select(_batch().subquery().c.id)
    values = {"collection_id": collection.id, "size": size, "first": 0}
    with store.reading() as connection:
        return set(connection.scalars(sa.select(r.code).where(r.id.in_(ids)), values))


def batch_rows(store: Store, collection: Collection, size: int) -> dict[str, list[ExportRow]]:
    """The batch's current answers, by instrument, as `Store.export` gives them (in the
    order of the answers' primary key: respondent, instrument, item). Run on the driver's
    cursor (`Prepared`): 5,000 respondents are some 600,000 rows, which SQLAlchemy's result
    rows would take several times longer to hand over."""
    r, a = schema.respondents.c, schema.answers.c
    ids = sa.select(_batch().subquery().c.id)
    people = sa.select(r.id, r.code, r.organisation, r.level, r.language).where(r.id.in_(ids))
    answers = (
        sa.select(a.respondent_id, a.instrument_id, a.item_id, a.answer, a.comment)
        .where(a.respondent_id.in_(ids))
        .order_by(a.respondent_id, a.instrument_id, a.item_id)
    )
    values = {"collection_id": collection.id, "size": size, "first": 0}
    dialect = store.engine.dialect
    with store.reading() as connection:
        cursor = connection.connection.cursor()
        try:
            who = {row[0]: row[1:] for row in Prepared(people, dialect).run(cursor, **values)}
            rows = Prepared(answers, dialect).run(cursor, **values).fetchall()
        finally:
            cursor.close()
    found: dict[str, list[ExportRow]] = {ident: [] for ident in collection.instruments}
    for respondent, instrument_id, item_id, answer, comment in rows:
        if instrument_id in found:
            code, organisation, level, language = who[respondent]
            row = ExportRow(code, organisation, level, item_id, answer, comment, language)
            found[instrument_id].append(row)
    return found


# -- the analysis, as pat report makes it ------------------------------------------------


def analysed(registry: Registry, collection: Collection, rows: dict[str, list[ExportRow]],
             step: int) -> list[Result]:  # fmt: skip
    """Each instrument's results from the batch's answers (see `Result`)."""
    return [_result(registry, collection, ident, rows[ident], step)
            for ident in collection.instruments]  # fmt: skip


def _result(
    registry: Registry, collection: Collection, ident: str, rows: list[ExportRow], step: int
) -> Result:
    from pat_framework.reports.content import headline, sections_table, statement_tables
    from pat_framework.serve.export import analysed_responses, responses_of

    instrument = registry.instrument(ident)
    if not rows:
        return Result(ident, instrument.title, withheld="No answers to this instrument yet.")
    responses = responses_of(registry, ident, collection, rows, f"collection {collection.name}")
    try:
        analysis = analysed_responses(registry, responses, (), step, "latest", DEFAULT_COMMENTS)
    except Withheld as exc:
        return Result(ident, instrument.title, withheld=str(exc))
    drawn = main_chart(registry, analysis)
    figure = _figure(drawn, analysis) if drawn is not None else None
    tables = [sections_table(analysis)] if instrument.scored_sections else []
    return Result(
        ident,
        instrument.title,
        headline=headline(analysis),
        tables=tables + statement_tables(analysis),
        figure=figure,
        rules=analysis.rules.statement(),
    )


def main_chart(registry: Registry, analysis: Analysis) -> DrawnChart | None:
    """The instrument's main chart, built as `pat report` builds it: the first of the
    standard report's charts (the dartboard), else the spread of answers."""
    from pat_framework.charts import NothingToDraw
    from pat_framework.interfaces import DescribesFor
    from pat_framework.reports import CHART_ORDER, FULL_ONLY_CHARTS, DrawnChart

    instrument = analysis.instrument
    rank = {name: k for k, name in enumerate(CHART_ORDER)}
    names = sorted(registry.names("chart"), key=lambda n: (rank.get(n, len(rank)), n))
    wanted = [n for n in names if n not in FULL_ONLY_CHARTS] + ["spread"]
    for name in wanted:
        if name not in names:
            continue
        chart = registry.get("chart", name)
        if not chart.applies(instrument):
            continue
        try:
            built = chart.build(analysis)
        except NothingToDraw:
            continue
        said = chart.describe(instrument) if isinstance(chart, DescribesFor) else chart.description
        provider = registry.provider("chart", name)
        return DrawnChart(name, chart.title, said, built, provider, chart)
    return None


def _figure(drawn: DrawnChart, analysis: Analysis) -> Figure:
    """The chart drawn as the HTML report draws it, with the report's text alternative."""
    from pat_framework.charts.export import to_svg
    from pat_framework.reports.html import figures_table
    from pat_framework.reports.office import alt_text

    return Figure(
        drawn.name,
        drawn.title,
        alt_text(drawn, analysis),
        to_svg(drawn.spec),
        figures_table(drawn),
    )


# -- the dashboard, kept per collection --------------------------------------------------


class Live:
    """The dashboards of one server: each collection's results kept with their batch key,
    worked out again only when the batch or its answers change."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._registry: Registry | None = None
        self._kept: dict[int, tuple[tuple[object, ...], int, list[Result]]] = {}
        self._lock = threading.Lock()
        self._turns: dict[int, threading.Lock] = {}

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            from pat_framework.runtime.registry import build_registry

            self._registry = build_registry()
        return self._registry

    def dashboard(self, collection: Collection) -> Dashboard:
        """The collection's dashboard now: counts always, results from `min_group` on."""
        step = collection.min_group
        lists = {"organisation": collection.organisations, "level": collection.levels}
        asked = tuple(attribute for attribute in ATTRIBUTES if lists[attribute])
        shown = counts(self.store.progress(collection), step, asked)
        if collection.state() == "closed":
            return Dashboard(collection, shown, [], closed=True)
        if not shown.analysed:
            return Dashboard(collection, shown, [])
        with self._lock:
            turn = self._turns.setdefault(collection.id, threading.Lock())
        kept = self._kept.get(collection.id)
        # Two watchers never work out the same results twice: while one does, the other is
        # shown the results kept from before (if any) rather than kept waiting.
        if not turn.acquire(blocking=kept is None):
            assert kept is not None
            return Dashboard(collection, shown, kept[2], kept[1])
        try:
            key = batch_key(self.store, collection, shown.analysed)
            kept = self._kept.get(collection.id)
            if kept is None or kept[0] != key:
                rows = batch_rows(self.store, collection, shown.analysed)
                results = analysed(self.registry, collection, rows, step)
                remember_shown(self.store, collection, shown.analysed)
                self._kept[collection.id] = kept = (key, shown.analysed, results)
        finally:
            turn.release()
        return Dashboard(collection, shown, kept[2], kept[1])


def group_label(group: str) -> str:
    """A group's name as shown (the respondents who have not chosen one yet, in words)."""
    return "Not chosen yet" if group == NOT_CHOSEN else group
