"""The `markdown` format for `pat score`: the scores as Markdown tables, for a wiki page or
an issue tracker (`pat score ID answers.csv -f markdown`, or `-o scores.md`)."""

from __future__ import annotations

import html
import math
import re
from typing import TYPE_CHECKING, Any

from pat_framework.bands import ordered
from pat_framework.results import AGGREGATE

if TYPE_CHECKING:
    from pat_framework.model import Band
    from pat_framework.results import Interpretation

_PUNCTUATION = re.compile(r"([\\`*_\[\]|~#])")
NO_SCORE = "–"


def cell(text: object) -> str:
    """User text safe in a Markdown table cell: no tag, link, emphasis or column break."""
    flat = " ".join(str(text).split())
    return _PUNCTUATION.sub(r"\\\1", html.escape(flat, quote=False))


def number(value: Any) -> str:
    """A score to two decimals at most: 3, 3.5, 3.17; a dash for no score."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_SCORE
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def band_label(band: Band | None) -> str:
    return cell(band.label) if band else NO_SCORE


class ScoresMarkdown:
    name = "markdown"
    subject = "scores"
    suffixes = (".md",)
    binary = False
    description = "Scores per respondent and the group medians as Markdown tables"

    def render(self, result: Interpretation) -> str:
        instrument = result.instrument
        scores = result.scores
        sections = instrument.scored_sections
        attributes = scores.responses.attributes
        shown = [c for c in ("organisation", "level", "round") if c in attributes.columns]
        aggregate_bands = ordered(instrument.aggregate_bands)
        lines = [
            f"# {cell(instrument.title)}",
            "",
            f"{len(scores.totals)} respondent(s); instrument {cell(instrument.id)} "
            f"version {cell(instrument.version)}.",
            "",
            "| "
            + " | ".join(["respondent", *shown, *(cell(s.id) for s in sections)])
            + f" | {cell(instrument.aggregate_title)} | band |",
            "|" + "---|" * (1 + len(shown)) + "---:|" * (len(sections) + 1) + "---|",
        ]
        for k, (respondent, totals) in enumerate(scores.totals.iterrows()):
            marks = ["\\*" if scores.prorated.at[respondent, s.id] else "" for s in sections]
            position = int(result.bands[AGGREGATE].iat[k])
            band = aggregate_bands[position] if position >= 0 else None
            row = [
                cell(respondent),
                *(cell(_text(attributes.at[respondent, c])) for c in shown),
                *(number(totals[s.id]) + m for s, m in zip(sections, marks, strict=True)),
                number(totals[AGGREGATE]),
                band_label(band),
            ]
            lines.append("| " + " | ".join(row) + " |")
        if scores.prorated.to_numpy().any():
            lines += ["", f"\\* {cell(scores.prorated_note or 'prorated')}"]
        group = result.group
        lines += ["", "## Group medians", "", "| section | median | band |", "|---|---:|---|"]
        for section in sections:
            lines.append(
                f"| {cell(section.id)} {cell(section.title)} "
                f"| {number(group.section_medians[section.id])} "
                f"| {band_label(group.section_bands[section.id])} |"
            )
        lines.append(
            f"| {cell(instrument.aggregate_title)} | {number(group.median_aggregate)} "
            f"| {band_label(group.aggregate_band)} |"
        )
        lines += ["", cell(group.reason)]
        if group.scenario:
            lines.append(
                f"Scenario {cell(group.scenario.id)}: {cell(group.scenario.title)}. "
                f"{cell(group.scenario.text)}"
            )
        return "\n".join(lines) + "\n"


def _text(value: Any) -> str:
    """An attribute for display: missing as an empty string."""
    return value if isinstance(value, str) else ""
