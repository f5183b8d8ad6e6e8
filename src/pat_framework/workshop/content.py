"""What the combined report says across instruments: the summary and one action plan."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pat_framework.catalogue import N_, gettext
from pat_framework.reports import content
from pat_framework.reports.content import Table
from pat_framework.reports.data import plan_frame, ranked_plan

if TYPE_CHECKING:
    import pandas as pd

    from pat_framework.analysis.ranking import ActionPlan
    from pat_framework.reports import Report
    from pat_framework.workshop.run import WorkshopReport


def details(result: WorkshopReport) -> list[tuple[str, str]]:
    """The workshop's particulars as (label, value) pairs."""
    workshop = result.workshop
    titles = ", ".join(content.instrument_of(r.analysis).title for r in result.parts)
    return [
        (gettext("Partnership"), workshop.partnership),
        (gettext("Purpose"), gettext(workshop.purpose_text)),
        (
            gettext("Workshop date"),
            workshop.date.isoformat() if workshop.date else gettext("not set"),
        ),
        (gettext("Facilitator"), workshop.facilitator),
        (gettext("Instruments"), titles),
        (gettext("Report produced"), result.created.isoformat()),
    ]


def counts(report: Report, plan: ActionPlan | None = None) -> dict[str, int]:
    """How many respondents, concerns, disagreements, strengths and actions in `plan` (the
    report's own by default) that gather a point of this instrument."""
    analysis = report.analysis
    kinds = [f.kind for f in analysis.findings]
    mine = analysis.instrument
    actions = (plan or report.plan).actions
    return {
        "respondents": len(analysis.interpretation.scores.totals),
        "concerns": kinds.count("concern"),
        "disagreements": kinds.count("disagreement"),
        "strengths": kinds.count("strength"),
        "actions": sum(any(i is mine for i in a.instruments) for a in actions),
    }


def summary_table(result: WorkshopReport) -> Table:
    """One row per instrument: its overall result and how much there is to discuss."""
    rows = []
    for report in result.parts:
        head = content.headline(report.analysis)
        number = counts(report, result.plan)
        rows.append(
            [
                content.instrument_of(report.analysis).title,
                number["respondents"],
                head.title,
                number["strengths"],
                number["concerns"],
                number["disagreements"],
                number["actions"],
            ]
        )
    return Table(
        gettext("Results at a glance"),
        [gettext("Instrument"), gettext("Respondents"), gettext("Overall result"),
         gettext("Strengths"), gettext("Concerns"), gettext("Disagreements"),
         gettext("Actions")],
        rows,
        note=gettext("Each instrument is scored and banded by its own rules; the sections "
                     "below give the detail. Actions are the entries of the ranked action "
                     "plan that gather a point the instrument raised (one on a subject "
                     "several raised counts for each)."),
        numeric={1, 3, 4, 5, 6},
        wide=2,
    )  # fmt: skip


def workshop_plan(result: WorkshopReport) -> pd.DataFrame:
    """Every point raised, one row each, under the action that gathers it: `ref` A1, A2… in
    order of priority (the same ranking as the report's plan), the instrument the point
    comes from, the action's subject, priority, why and a suggested first step, then the
    point itself. An action on a subject has a row for each instrument's point."""
    frames = {content.instrument_of(r.analysis).id: plan_frame(r) for r in result.parts}
    return ranked_plan(result.plan, frames)


def plan_tables(result: WorkshopReport) -> list[Table]:
    """The workshop's ranked plan, across instruments, and the other points raised."""
    plan = result.plan
    tables = [content.plan_table(plan, instruments=True)]
    others = content.others_table(plan, instruments=True)
    return tables + ([others] if others else [])


AGREED = N_("Agreed in the workshop")
AGREED_NOTE = N_(
    "What the group agreed in the room, beside the ranked, suggested plan above. Where "
    "partners disagreed on a section, its agreed view is marked as lower than the average, "
    "as in the Lisbon Tool: one figure would hide the split."
)


def agreed_view(score: float | None, band: str | None, below: bool) -> str:
    """'11, band 7–12 (marked lower than the average: …)', in the reader's language."""
    from pat_framework.render.text import number

    said = ", ".join(
        p
        for p in (
            number(score) if score is not None else "",
            gettext("band %(band)s") % {"band": band} if band else "",
        )
        if p
    )
    if not below:
        return said
    return gettext("%(view)s (marked lower than the average: partners disagreed)") % {"view": said}


def agreed_tables(result: WorkshopReport) -> list[Table]:
    """The agreed views and the agreed actions (owner, due date), section by section in
    the instruments' order; none when nothing was agreed."""
    from pat_framework.render.text import number

    views: list[list[Any]] = []
    actions: list[list[Any]] = []
    for report in result.parts:
        instrument = content.instrument_of(report.analysis)
        agreed = result.agreed.get(instrument.id)
        if agreed is None:
            continue
        medians = {
            str(r["section"]): r["median"] for r in report.analysis.sections.to_dict("records")
        }
        for section in instrument.sections:
            name = f"{section.id} {section.title}"
            view = agreed.view(instrument.id, section.id)
            if view is not None:
                shown = agreed_view(view.score, view.band, view.below_average)
                views.append([instrument.title, name, shown, number(medians.get(section.id))])
            for one in agreed.actions_of(instrument.id, section.id):
                actions.append([instrument.title, name, one.text, one.owner, one.due.isoformat()])
    tables = []
    if views:
        tables.append(
            Table(gettext("Agreed views"),
                  [gettext("Instrument"), gettext("Section"), gettext("Agreed view"),
                   gettext("Group median")], views, numeric={3}, wide=2)
        )  # fmt: skip
    if actions:
        tables.append(
            Table(gettext("Agreed actions"),
                  [gettext("Instrument"), gettext("Section"), gettext("Action"),
                   gettext("Owner"), gettext("Due by")], actions, wide=2)
        )  # fmt: skip
    return tables


def agreed_document(result: WorkshopReport) -> dict[str, list[dict[str, Any]]]:
    """The agreed views and actions as plain data, for the JSON document."""
    views, actions = [], []
    for report in result.parts:
        ident = content.instrument_of(report.analysis).id
        agreed = result.agreed.get(ident)
        if agreed is None:
            continue
        views += [
            {"instrument": ident, "section": v.section_id, "score": v.score, "band": v.band,
             "below_average": v.below_average}
            for v in agreed.views
        ]  # fmt: skip
        actions += [
            {"instrument": ident, "section": a.section_id, "action": a.text, "owner": a.owner,
             "due": a.due.isoformat()}
            for a in agreed.actions
        ]  # fmt: skip
    return {"views": views, "actions": actions}
