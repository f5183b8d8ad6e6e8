"""The report as data: versioned JSON with every chart's vega-lite spec, and the action plan
as CSV for the workshop."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pat_framework.reports import REPORT_FORMAT, REPORT_VERSION
from pat_framework.reports.content import comments

if TYPE_CHECKING:
    import pandas as pd

    from pat_framework.analysis.ranking import ActionPlan
    from pat_framework.reports import Report

PLAN_COLUMNS = ["section", "element", "item", "statement", "issue", "comments", "action",
                "owner", "due"]  # fmt: skip
COMMENT_JOIN = " | "


class ReportJSON:
    name = "json"
    subject = "report"
    suffixes = (".json",)
    binary = False
    description = "The versioned analysis with each chart's vega-lite specification"

    def render(self, result: Report) -> str:
        return json.dumps(report_document(result), indent=2, ensure_ascii=False) + "\n"


def report_document(report: Report) -> dict[str, Any]:
    """`pat-report` version 1: the `pat-analysis` document and the charts that applied."""
    from pat_framework.analysis.document import analysis_document

    return {
        "format": REPORT_FORMAT,
        "version": REPORT_VERSION,
        "created": report.created.isoformat(),
        "analysis": analysis_document(report.analysis),
        "charts": [
            {
                "name": drawn.name,
                "title": drawn.title,
                "description": drawn.description,
                "provider": drawn.provider,
                "vega_lite": drawn.spec,
            }
            for drawn in report.charts
        ],
        "not_drawn": list(report.not_drawn),
    }


class ReportCSV:
    name = "csv"
    subject = "report"
    suffixes = (".csv",)
    binary = False
    description = "The action plan, one row per issue, with what respondents wrote about it"

    def render(self, result: Report) -> str:
        from pat_framework.output import inert_frame

        return inert_frame(ranked_plan_frame(result)).to_csv(index=False, lineterminator="\n")


#: The ranked plan's columns: the action (ref, subject, priority, why, a first step), then
#: the point it gathers; a workshop's adds the instrument after the ref.
RANKED_COLUMNS = ["ref", "subject", "priority", "why", "first_step", *PLAN_COLUMNS]


def ranked_plan_frame(report: Report) -> pd.DataFrame:
    """The report's plan points in the ranked plan's order, each with its action."""
    instrument = report.analysis.instrument
    return ranked_plan(report.plan, {instrument.id: plan_frame(report)}, instruments=False)


def ranked_plan(
    plan: ActionPlan, frames: dict[str, pd.DataFrame], instruments: bool = True
) -> pd.DataFrame:
    """Every point of `frames` (instrument id → its plan_frame) once, under the action that
    gathers it, A1 first: the same order as the HTML plan and the briefing. A point no
    action gathers is kept at the end, without a ref."""
    import pandas as pd

    columns = RANKED_COLUMNS[:1] + ["instrument"] * instruments + RANKED_COLUMNS[1:]
    rows: list[dict[str, object]] = []
    used: dict[str, set[int]] = {key: set() for key in frames}
    for action in plan.actions:
        for source in action.sources:
            key = (source.instrument or action.instrument).id
            frame = frames[key]
            place = frame["item"].where(frame["item"] != "", frame["section"])
            for k in frame.index[place == source.where]:
                used[key].add(k)
                about = {"ref": action.ref, "instrument": key, "subject": action.heading,
                         "priority": action.evidence.priority, "why": action.why(),
                         "first_step": action.first_step()}  # fmt: skip
                rows.append({**frame.loc[k].to_dict(), **about})
    for key, frame in frames.items():
        for k in frame.index.difference(sorted(used[key])):
            rows.append({**frame.loc[k].to_dict(), "ref": "", "instrument": key})
    return pd.DataFrame(rows, columns=columns).fillna("").astype(object)


def plan_frame(report: Report) -> pd.DataFrame:
    """The analysis's plan points, in its order, with each statement's text and every
    comment made on it."""
    import pandas as pd

    analysis = report.analysis
    instrument = analysis.instrument
    said = {entry.item: COMMENT_JOIN.join(entry.texts) for entry in comments(analysis, None)}
    rows = []
    plan = analysis.action_plan
    for record in [] if plan is None else plan.to_dict("records"):
        item_id = str(record["item"] or "")
        rows.append(
            {
                "section": str(record["section"] or ""),
                "element": str(record["element"] or ""),
                "item": item_id,
                "statement": instrument.item(item_id).text if item_id else "",
                "issue": str(record["issue"] or ""),
                "comments": said.get(item_id, ""),
                "action": str(record["action"] or ""),
                "owner": str(record["owner"] or ""),
                "due": str(record["due"] or ""),
            }
        )
    return pd.DataFrame(rows, columns=PLAN_COLUMNS, dtype=object)
