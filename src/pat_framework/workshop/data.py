"""The combined workshop report as versioned JSON: `pat-workshop`, version 1."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pat_framework.reports import content
from pat_framework.workshop import content as workshop_content

if TYPE_CHECKING:
    from pat_framework.workshop.run import WorkshopReport

WORKSHOP_FORMAT = "pat-workshop"
WORKSHOP_VERSION = 1


class WorkshopJSON:
    name = "json"
    subject = "workshop"
    suffixes = (".json",)
    binary = False
    description = "The workshop, each instrument's pat-report document and the action plan"

    def render(self, result: WorkshopReport) -> str:
        return json.dumps(workshop_document(result), indent=2, ensure_ascii=False) + "\n"


def workshop_document(result: WorkshopReport) -> dict[str, Any]:
    """The workshop's particulars, a summary row and a `pat-report` per instrument, and
    the consolidated action plan."""
    from pat_framework.reports.data import report_document

    workshop = result.workshop
    document = {
        "format": WORKSHOP_FORMAT,
        "version": WORKSHOP_VERSION,
        "created": result.created.isoformat(),
        "workshop": {
            "partnership": workshop.partnership,
            "title": workshop.title,
            "purpose": workshop.purpose,
            "date": workshop.date.isoformat() if workshop.date else None,
            "facilitator": workshop.facilitator,
            "min_group": workshop.min_group,
            "min_comments": workshop.min_comments,
        },
        "summary": [
            {
                "instrument": content.instrument_of(report.analysis).id,
                "result": content.headline(report.analysis).title,
                **workshop_content.counts(report, result.plan),
            }
            for report in result.parts
        ],
        "action_plan": workshop_content.workshop_plan(result).to_dict("records"),
        "instruments": [report_document(report) for report in result.parts],
    }
    if result.agreed:  # what the room view recorded: absent when nothing was agreed
        document["agreed"] = workshop_content.agreed_document(result)
    return document
