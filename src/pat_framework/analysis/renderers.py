"""Renderers for the subject "analysis": a briefing to read, JSON and CSV for other tools."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis


class AnalysisText:
    name = "text"
    subject = "analysis"
    suffixes = (".txt",)
    binary = False
    description = "A briefing for the workshop facilitator: scenario, concerns, disagreements"

    def render(self, result: Analysis) -> str:
        from pat_framework.analysis.briefing import briefing

        return briefing(result)


class AnalysisJSON:
    name = "json"
    subject = "analysis"
    suffixes = (".json",)
    binary = False
    description = "The whole analysis, versioned and machine-readable (pat-analysis 1)"

    def render(self, result: Analysis) -> str:
        from pat_framework.analysis.document import analysis_document

        document = analysis_document(result)
        return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


class AnalysisCSV:
    name = "csv"
    subject = "analysis"
    suffixes = (".csv",)
    binary = False
    description = "One row per statement: counts per answer, median, spread and agreement"

    def render(self, result: Analysis) -> str:
        from pat_framework.analysis.document import item_table
        from pat_framework.output import inert_frame

        table = inert_frame(item_table(result))
        return table.to_csv(index=False, lineterminator="\n")
