"""What the combined report says across instruments: the summary and one action plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pat_framework.analysis.rows import dict_rows
from pat_framework.reports import content
from pat_framework.reports.content import Table
from pat_framework.reports.data import PLAN_COLUMNS, plan_frame

if TYPE_CHECKING:
    import pandas as pd

    from pat_framework.reports import Report
    from pat_framework.workshop.run import WorkshopReport

#: The consolidated plan's columns: a reference number and the instrument come first.
WORKSHOP_PLAN_COLUMNS = ["ref", "instrument", *PLAN_COLUMNS]


def details(result: WorkshopReport) -> list[tuple[str, str]]:
    """The workshop's particulars as (label, value) pairs."""
    workshop = result.workshop
    return [
        ("Partnership", workshop.partnership),
        ("Purpose", workshop.purpose_text),
        ("Workshop date", workshop.date.isoformat() if workshop.date else "not set"),
        ("Facilitator", workshop.facilitator),
        ("Instruments", ", ".join(content.instrument_of(r.analysis).title for r in result.parts)),
        ("Report produced", result.created.isoformat()),
    ]


def counts(report: Report) -> dict[str, int]:
    """How many respondents, concerns, disagreements, strengths and actions."""
    analysis = report.analysis
    kinds = [f.kind for f in analysis.findings]
    return {
        "respondents": len(analysis.interpretation.scores.totals),
        "concerns": kinds.count("concern"),
        "disagreements": kinds.count("disagreement"),
        "strengths": kinds.count("strength"),
        "actions": 0 if analysis.action_plan is None else len(analysis.action_plan),
    }


def summary_table(result: WorkshopReport) -> Table:
    """One row per instrument: its overall result and how much there is to discuss."""
    rows = []
    for report in result.parts:
        head = content.headline(report.analysis)
        number = counts(report)
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
        "Results at a glance",
        ["Instrument", "Respondents", "Overall result", "Strengths", "Concerns",
         "Disagreements", "Actions"],
        rows,
        note="Each instrument is scored and banded by its own rules; the sections below give "
        "the detail. Actions are the rows each instrument adds to the action plan.",
        numeric={1, 3, 4, 5, 6},
        wide=2,
    )  # fmt: skip


def workshop_plan(result: WorkshopReport) -> pd.DataFrame:
    """Every instrument's action plan in one table, numbered A1, A2… in workshop order, with
    the instrument's id in the `instrument` column."""
    import pandas as pd

    frames = []
    for report in result.parts:
        frame = plan_frame(report)
        frame.insert(0, "instrument", content.instrument_of(report.analysis).id)
        frames.append(frame)
    plan = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    plan.insert(0, "ref", [f"A{k}" for k in range(1, len(plan) + 1)])
    return plan.reindex(columns=WORKSHOP_PLAN_COLUMNS).astype(object)


def plan_tables(result: WorkshopReport) -> list[Table]:
    """The consolidated action plan to fill in at the workshop: a table per instrument,
    numbered across the whole workshop."""
    plan = workshop_plan(result)
    tables = []
    for report in result.parts:
        instrument = content.instrument_of(report.analysis)
        rows = [
            [r["ref"], _where(r), r["issue"], r["action"], r["owner"], r["due"]]
            for r in dict_rows(plan[plan["instrument"] == instrument.id])
        ]
        tables.append(
            Table(
                instrument.title,
                ["Ref", "Where", "Issue", "Action agreed", "Owner", "Due by"],
                rows,
                wide=2,
            )
        )
    return tables


def _where(record: dict[str, object]) -> str:
    return str(record["item"] or record["section"] or "")
