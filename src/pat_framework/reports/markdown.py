"""The report as Markdown, with each chart written as a PNG file beside it.

User text is escaped twice over: HTML's special characters become entities, so no tag can
reach a renderer that allows raw HTML, and Markdown's punctuation is backslash-escaped, so
no link, image or emphasis can be smuggled in.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from pat_framework import __version__
from pat_framework.reports import content
from pat_framework.reports.content import Table

if TYPE_CHECKING:
    from pat_framework.reports import Report

_INLINE = re.compile(r"([\\`*_\[\]|~])")
_LINE_START = re.compile(r"^(#|>|-|\+|=)")
_NUMBERED = re.compile(r"^(\d+)([.)])")


def md(text: object, start: bool = True) -> str:
    """User text safe in Markdown; `start` when it may begin a line (paragraph, list item)."""
    flat = " ".join(str(text).split())
    escaped = _INLINE.sub(r"\\\1", html.escape(flat, quote=False))
    if not start:
        return escaped
    return _NUMBERED.sub(r"\1\\\2", _LINE_START.sub(r"\\\1", escaped))


class ReportMarkdown:
    name = "markdown"
    subject = "report"
    suffixes = (".md", ".markdown")
    binary = False
    description = "Markdown, with the charts as PNG files in a folder beside it"

    def assets(self, result: Report) -> dict[str, bytes]:
        """The chart images, by path relative to the Markdown file."""
        from pat_framework.charts.export import to_png

        return {self.image(result, drawn.name): to_png(drawn.spec) for drawn in result.charts}

    def image(self, result: Report, name: str) -> str:
        return f"{result.assets}/{name}.png"

    def render(self, result: Report) -> str:
        analysis = result.analysis
        instrument = content.instrument_of(analysis)
        n = len(analysis.interpretation.scores.totals)
        head = content.headline(analysis)
        out = [
            f"# {md(instrument.title)}: assessment report",
            "",
            f"{n} respondent{'s' if n != 1 else ''} · {md(instrument.id)} version "
            f"{md(instrument.version)} · produced {result.created.isoformat()}",
            "",
            "## Summary",
            "",
            f"**{md(head.title)}**",
            "",
        ]
        if head.text:
            out += [md(head.text), ""]
        out += [md(head.score), "", f"*{md(head.reason)}*", ""]
        out += _table(content.sections_table(analysis), 2)
        for drawn in result.charts:
            out += [
                f"## {md(drawn.title)}",
                "",
                md(drawn.description),
                "",
                f"![{md(drawn.title)}]({self.image(result, drawn.name)})",
                "",
            ]
        groups = content.finding_groups(analysis)
        if groups:
            out += ["## Findings", ""]
            for heading, found in groups:
                out += [f"### {md(heading)}", ""]
                for finding in found:
                    detail = f": {md(finding.detail)}" if finding.detail else ""
                    out.append(f"- **{md(finding.title)}**{detail}")
                out.append("")
        out += ["## Answers to each statement", ""]
        for table in content.statement_tables(analysis):
            out += _table(table, 3)
        tables = content.subgroup_tables(analysis)
        if tables:
            out += ["## Comparison by group", ""]
            for table in tables:
                out += _table(table, 3)
        for optional in (content.rounds_table(analysis), content.priorities_table(analysis)):
            if optional is not None:
                out += _table(optional, 2)
        said = content.comments(analysis)
        if said:
            out += ["## What respondents wrote", "", "Without names, in alphabetical order.", ""]
            for entry in said:
                out += [f"### {md(entry.item)} {md(entry.statement)}", ""]
                out += [f"> {md(text)}\n>" for text in entry.texts]
                out[-1] = out[-1].removesuffix("\n>")
                if entry.more:
                    out.append(f"\n… and {entry.more} more (all are in the Excel report).")
                out.append("")
        out += _table(content.plan_table(result.plan), 2)
        out += ["## About this report", ""]
        out += [f"- {md(note)}" for note in content.notes(result)]
        source = analysis.instrument.source
        out += ["", f"Source: {md(source.citation())}."]
        if source.licence:
            out += ["", md(source.licence)]
        out += ["", f"Produced by pat {md(__version__)}.", ""]
        return "\n".join(out)


def _table(table: Table, level: int) -> list[str]:
    out = [f"{'#' * level} {md(table.title)}", ""]
    if not table.rows:
        return [*out, "None.", ""]
    align = ["---:" if k in table.numeric else "---" for k in range(len(table.header))]
    out.append("| " + " | ".join(md(h, start=False) or " " for h in table.header) + " |")
    out.append("| " + " | ".join(align) + " |")
    for row in table.rows:
        out.append("| " + " | ".join(md(v, start=False) or " " for v in row) + " |")
    out.append("")
    if table.note:
        out += [md(table.note), ""]
    return out
