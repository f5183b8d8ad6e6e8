"""The room view under `/f/c/NAME/room`, for the projector at the feedback workshop: a
contents page, then step by step each instrument's scenario, its dartboard and one section
at a time (the spread of answers, where partners disagreed, the prompts to discuss), with
forms to record the group's agreed view and the actions agreed. Only submitted answers are
shown, analysed as `pat report` does under the collection's min_group. Every page starts
with `facilitators.guarded`; every change goes to the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from pat_framework.errors import PatError
from pat_framework.serve import facilitators, room
from pat_framework.serve.facilitators import Facilitator
from pat_framework.serve.storage import Collection

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis
    from pat_framework.model import Instrument, Section
    from pat_framework.reports import DrawnChart, Report
    from pat_framework.runtime.registry import Registry
    from pat_framework.serve.app import Server

BASE = "/f/c/{name}/room"


@dataclass(frozen=True)
class Step:
    """One step of the room: an instrument's `scenario`, `dartboard` or `section`, or the
    `agreed` summary at the end (instrument None)."""

    number: int
    kind: str
    instrument: Instrument | None
    section: Section | None = None

    @property
    def title(self) -> str:
        if self.kind == "agreed":
            return "What was agreed"
        if self.section is not None:
            return f"{self.section.id}: {self.section.title}"
        return "The overall picture" if self.kind == "scenario" else "The dartboard"


@dataclass
class Shown:
    """An instrument's analysis of the submitted answers, with its report's charts, or why
    nothing can be shown yet."""

    analysis: Analysis | None
    report: Report | None
    reason: str = ""


def steps(registry: Registry, server: Server, collection: Collection) -> list[Step]:
    """The collection's steps, numbered from 1: for each instrument the overall picture,
    the dartboard (when its chart applies) and each scored section; then what was agreed."""
    dartboard = (
        registry.get("chart", "dartboard") if "dartboard" in registry.names("chart") else None
    )
    found: list[Step] = []
    for ident in collection.instruments:
        instrument = server.instrument(ident)
        found.append(Step(len(found) + 1, "scenario", instrument))
        if dartboard is not None and dartboard.applies(instrument):
            found.append(Step(len(found) + 1, "dartboard", instrument))
        for section in instrument.scored_sections:
            found.append(Step(len(found) + 1, "section", instrument, section))
    found.append(Step(len(found) + 1, "agreed", None))
    return found


def shown(registry: Registry, server: Server, collection: Collection, ident: str) -> Shown:
    """The submitted answers to `ident` analysed as `pat report` does, with the collection's
    min_group; none when too few have submitted."""
    from pat_framework.reports import Report
    from pat_framework.serve.export import analysed_submitted

    try:
        analysis = analysed_submitted(registry, server.store, collection, ident)
    except PatError as exc:  # Withheld among them: too few have submitted
        return Shown(None, None, f"Nothing can be shown yet: {exc}.")
    return Shown(analysis, Report(analysis, detail="full"))


def drawn(
    registry: Registry, name: str, analysis: Analysis, build: bool = True
) -> DrawnChart | None:
    """The registered chart `name` as a report holds it (drawn from the whole analysis
    when `build`, else only its maker, for `reports.office.section_chart` to draw a part);
    None when it does not apply or has nothing to draw."""
    from pat_framework.charts import NothingToDraw
    from pat_framework.interfaces import DescribesFor
    from pat_framework.reports import DrawnChart

    if name not in registry.names("chart"):
        return None
    chart = registry.get("chart", name)
    instrument = analysis.instrument
    if not chart.applies(instrument):
        return None
    try:
        built = chart.build(analysis) if build else None
    except NothingToDraw:
        return None
    said = chart.describe(instrument) if isinstance(chart, DescribesFor) else chart.description
    return DrawnChart(name, chart.title, said, built, registry.provider("chart", name), chart)


def svg(drawn: DrawnChart, prefix: str) -> Markup:
    """The chart drawn as SVG, to sit in the page as one image whose text alternative is
    the caption (vl-convert's SVG has no style attributes, so the strict CSP holds)."""
    from pat_framework.charts.export import inline_svg, to_svg
    from pat_framework.reports.html import labelled_svg

    drawing = labelled_svg(inline_svg(to_svg(drawn.chart), prefix), "chart-caption")
    return Markup(drawing)  # our own drawing: vl-convert escapes the text it draws


def step_context(
    registry: Registry, step: Step, seen: Shown, agreed: room.Agreed
) -> dict[str, Any]:
    """What the template of one step shows."""
    from pat_framework.charts.common import section_word
    from pat_framework.reports import content
    from pat_framework.reports.discussion import prompts
    from pat_framework.reports.office import alt_text, score_line, section_chart, spread_alt

    out: dict[str, Any] = {}
    if step.section is not None and step.instrument is not None:
        where = (step.instrument.id, step.section.id)
        out["range"] = room.score_range(step.section)
        out["bands"] = step.section.bands
        out["view"] = agreed.view(*where)
        out["actions"] = agreed.actions_of(*where)
    analysis, report = seen.analysis, seen.report
    if analysis is None or report is None or step.instrument is None:
        return out
    instrument = analysis.instrument
    if step.kind == "scenario":
        out["headline"] = content.headline(analysis)
        out["glance"] = content.glance(analysis, 2)
        out["table"] = content.sections_table(analysis)
    elif step.kind == "dartboard":
        board = drawn(registry, "dartboard", analysis)
        if board is not None:
            out["chart"] = svg(board, f"s{step.number}")
            out["alt"] = alt_text(board, analysis)
        out["table"] = content.sections_table(analysis)
    elif step.section is not None:
        section = instrument.section(step.section.id)
        word = section.kind or section_word(instrument)
        spread = drawn(registry, "spread", analysis, build=False)
        report.charts = [spread] if spread is not None else []
        part = section_chart(report, section)
        if part is not None:
            out["chart"] = svg(part, f"s{step.number}")
            out["alt"] = spread_alt(part, analysis, section)
        tables = content.statement_tables(analysis)
        out["table"] = next(
            (t for t in tables if t.title == f"{section.id} {section.title}"), None
        )
        out["score_line"] = score_line(analysis, section)
        out["divided"] = room.divided(analysis, section)
        out["average"] = room.average(analysis, section)
        planned = next((a for a in report.plan.actions if a.section is section), None)
        out["prompts"] = prompts(analysis, section, word, planned)
    return out


def routes(server: Server) -> list[BaseRoute]:
    store = server.store
    registries: list[Registry] = []

    def registry() -> Registry:
        if not registries:
            from pat_framework.runtime.registry import build_registry

            registries.append(build_registry())
        return registries[0]

    def step_of(collection: Collection, number: int) -> tuple[list[Step], Step] | None:
        found = steps(registry(), server, collection)
        return (found, found[number - 1]) if 1 <= number <= len(found) else None

    def step_page(
        request: Request,
        who: Facilitator,
        collection: Collection,
        number: int,
        status: int = 200,
        **form: Any,
    ) -> Response:
        found = step_of(collection, number)
        if found is None:
            return facilitators.not_found(server, request)
        every, step = found
        agreed = room.agreed(store, collection)
        context: dict[str, Any] = {}
        reason = ""
        if step.instrument is not None:
            seen = shown(registry(), server, collection, step.instrument.id)
            reason = seen.reason
            context = step_context(registry(), step, seen, agreed)
        base = BASE.format(name=collection.name)
        return server.render(
            request,
            "facilitator/room_step.html",
            status,
            facilitator=who,
            collection=collection,
            steps=every,
            step=step,
            base=base,
            previous=every[number - 2] if number > 1 else None,
            next=every[number] if number < len(every) else None,
            reason=reason,
            agreed=agreed,
            sections=_sections(every),
            form=form,
            **context,
        )

    @facilitators.guarded(server)
    async def contents(request: Request, who: Facilitator, collection: Collection) -> Response:
        every = await run_in_threadpool(steps, registry(), server, collection)
        agreed = await run_in_threadpool(room.agreed, store, collection)
        return server.render(
            request,
            "facilitator/room.html",
            facilitator=who,
            collection=collection,
            steps=every,
            agreed=agreed,
            base=BASE.format(name=collection.name),
        )

    @facilitators.guarded(server)
    async def step(request: Request, who: Facilitator, collection: Collection) -> Response:
        number = request.path_params["number"]
        edit = request.query_params.get("edit", "")
        if edit.isdigit():
            try:
                one = await run_in_threadpool(room.action, store, collection, int(edit))
            except PatError:
                return facilitators.not_found(server, request)
            at = await run_in_threadpool(step_of, collection, number)
            section = None if at is None else at[1].section
            if section is None or (one.section_id != section.id):
                return facilitators.not_found(server, request)
            fields = {"text": one.text, "owner": one.owner, "due": one.due.isoformat()}
            return await run_in_threadpool(
                step_page, request, who, collection, number, editing=one.id, values=fields
            )
        return await run_in_threadpool(step_page, request, who, collection, number)

    @facilitators.guarded(server)
    async def record_view(request: Request, who: Facilitator, collection: Collection) -> Response:
        number = request.path_params["number"]
        form = await server.form(request)
        if form is None:
            return facilitators.out_of_date(server, request, who)
        at = await run_in_threadpool(step_of, collection, number)
        if at is None or at[1].section is None or at[1].instrument is None:
            return facilitators.not_found(server, request)
        section, instrument = at[1].section, at[1].instrument
        fields = {k: str(form.get(k, "")) for k in ("score", "band")}
        seen = await run_in_threadpool(shown, registry(), server, collection, instrument.id)
        below = seen.analysis is not None and bool(room.divided(seen.analysis, section))
        under = room.average(seen.analysis, section) if seen.analysis and below else None
        view, problems = room.read_view(fields, section, under)
        if problems:
            return await run_in_threadpool(
                step_page, request, who, collection, number, 400, view_problems=problems,
                view_values=fields,
            )  # fmt: skip
        where = (instrument.id, section.id)
        await run_in_threadpool(room.set_view, store, collection, where, view, below, who.name)
        score, band = view
        said = ", ".join(
            p
            for p in (
                f"score {score:g}" if score is not None else "",
                f"band {band}" if band else "",
            )
            if p
        )
        await run_in_threadpool(
            facilitators.log_change, store, who, collection,
            f"recorded the agreed view of {instrument.id} {section.id}: {said}"
            + (" (marked lower than the average: partners disagreed)" if below else ""),
        )  # fmt: skip
        return RedirectResponse(f"{BASE.format(name=collection.name)}/{number}#agreed-view", 303)

    @facilitators.guarded(server)
    async def record_action(
        request: Request, who: Facilitator, collection: Collection
    ) -> Response:
        number = request.path_params["number"]
        ident = request.path_params.get("ident")
        form = await server.form(request)
        if form is None:
            return facilitators.out_of_date(server, request, who)
        at = await run_in_threadpool(step_of, collection, number)
        if at is None or at[1].section is None or at[1].instrument is None:
            return facilitators.not_found(server, request)
        where = (at[1].instrument.id, at[1].section.id)
        back = f"{BASE.format(name=collection.name)}/{number}#agreed-actions"
        if request.path_params.get("action") not in (None, "delete"):
            return facilitators.not_found(server, request)
        if request.path_params.get("action") == "delete" and ident is not None:
            try:
                await run_in_threadpool(room.delete_action, store, collection, where, ident)
            except PatError:
                return facilitators.not_found(server, request)
            await run_in_threadpool(
                facilitators.log_change, store, who, collection, f"deleted agreed action {ident}"
            )
            return RedirectResponse(back, 303)
        fields = {k: str(form.get(k, "")) for k in ("text", "owner", "due")}
        values, problems = room.read_action(fields)
        if problems:
            return await run_in_threadpool(
                step_page, request, who, collection, number, 400, problems=problems,
                values=fields, editing=ident,
            )  # fmt: skip
        text, owner, due = values
        if ident is None:
            ident = await run_in_threadpool(
                room.add_action, store, collection, where, values, who.name
            )
            done = "recorded"
        else:
            try:
                await run_in_threadpool(
                    room.update_action, store, collection, where, ident, values, who.name
                )
            except PatError:
                return facilitators.not_found(server, request)
            done = "changed"
        await run_in_threadpool(
            facilitators.log_change, store, who, collection,
            f"{done} agreed action {ident} on {where[0]} {where[1]}: {text!r}, owner {owner!r}, "
            f"due {due.isoformat()}",
        )  # fmt: skip
        return RedirectResponse(back, 303)

    step_base = BASE + "/{number:int}"
    return [
        Route(BASE, contents),
        Route(step_base, step),
        Route(step_base + "/view", record_view, methods=["POST"]),
        Route(step_base + "/actions", record_action, methods=["POST"]),
        Route(step_base + "/actions/{ident:int}", record_action, methods=["POST"]),
        Route(step_base + "/actions/{ident:int}/{action:str}", record_action, methods=["POST"]),
    ]


def _sections(every: list[Step]) -> dict[tuple[str, str], int]:
    """The step number of each (instrument, section)."""
    return {
        (s.instrument.id, s.section.id): s.number
        for s in every
        if s.instrument is not None and s.section is not None
    }
