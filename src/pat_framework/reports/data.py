"""The report as data: versioned JSON with every chart's vega-lite spec, and the action plan
as CSV for the workshop."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pat_framework.reports import REPORT_FORMAT, REPORT_VERSION
from pat_framework.reports.content import comments

if TYPE_CHECKING:
    import pandas as pd

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

        return inert_frame(plan_frame(result)).to_csv(index=False, lineterminator="\n")


def plan_frame(report: Report) -> pd.DataFrame:
    """The action plan with each statement's text and every comment made on it."""
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
