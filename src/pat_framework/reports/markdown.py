"""The report as Markdown, summary first as the HTML report, with each chart written as a
PNG file beside it.

User text is escaped twice over: HTML's special characters become entities, so no tag can
reach a renderer that allows raw HTML, and Markdown's punctuation is backslash-escaped, so
no link, image or emphasis can be smuggled in.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from pat_framework import __version__
from pat_framework.catalogue import _, ngettext
from pat_framework.reports import content
from pat_framework.reports.content import Table
from pat_framework.reports.office import alt_text
from pat_framework.reports.word import GLANCE_ACTIONS

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis
    from pat_framework.analysis.ranking import ActionPlan
    from pat_framework.reports import DrawnChart, Report

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
    description = "Markdown, summary first, with the charts as PNG files in a folder beside it"

    def assets(self, result: Report) -> dict[str, bytes]:
        """The images of the charts shown, by path relative to the Markdown file."""
        from pat_framework.charts.export import to_png

        return {image(result, d.name): to_png(d.spec) for d in result.shown_charts}

    def render(self, result: Report) -> str:
        analysis = result.analysis
        instrument = content.instrument_of(analysis)
        n = len(analysis.interpretation.scores.totals)
        meta = ngettext(
            "%(count)s respondent · %(id)s version %(version)s · produced %(date)s",
            "%(count)s respondents · %(id)s version %(version)s · produced %(date)s",
            n,
        )
        said = {"count": n, "id": md(instrument.id), "version": md(instrument.version),
                "date": result.created.isoformat()}  # fmt: skip
        # The message escaped, then filled in with each value escaped as it always was.
        title = md(_("%(title)s: assessment report")) % {"title": md(instrument.title)}
        out = [f"# {title}", "", md(meta) % said, ""]
        return "\n".join(out + MarkdownBody(result).parts())


def image(result: Report, name: str) -> str:
    """Where a chart's PNG is written, relative to the Markdown file."""
    return f"{result.assets}/{name}.png"


class MarkdownBody:
    """One instrument's report as Markdown, in the HTML report's order: at a glance, the
    plan, the detail `detail` asks for, other points raised, about. `shift` moves every
    heading down that many levels and `prefix` names its charts' files (inside a workshop)."""

    def __init__(self, report: Report, shift: int = 0, prefix: str = "") -> None:
        self.report = report
        self.analysis = report.analysis
        self.shift = shift
        self.prefix = prefix

    def h(self, level: int, text: str) -> list[str]:
        return [f"{'#' * (level + self.shift)} {md(text)}", ""]

    def parts(self, plan: bool = True) -> list[str]:
        """`plan=False` (inside a workshop): the headline alone, no plan or appendix."""
        out = self.glance() if plan else self.headline()
        if plan:
            out += self.h(2, _("Action plan"))
            out += md_table(content.plan_table(self.report.plan), 3 + self.shift)
        if self.report.detail != "summary":
            out += self.detail(skip=1 if plan else 0)
        if plan:
            others = content.others_table(self.report.plan)
            out += md_table(others, 2 + self.shift) if others is not None else []
            out += self.about()
        return out

    def headline(self) -> list[str]:
        head = content.headline(self.analysis)
        out = [f"**{md(head.title)}**", ""]
        if head.text:
            out += [md(head.text), ""]
        return [*out, md(head.score), "", f"*{md(head.reason)}*", ""]

    def glance(self) -> list[str]:
        out = self.h(2, _("At a glance")) + self.headline()
        out += points(self.analysis, 3 + self.shift)
        if self.report.shown_charts:
            out += self.chart(self.report.shown_charts[0], 3)
        return out + top_actions(self.report.plan, 3 + self.shift)

    def chart(self, drawn: DrawnChart, level: int) -> list[str]:
        alt = md(alt_text(drawn, self.analysis), start=False)
        return [*self.h(level, drawn.title), md(drawn.description), "",
                f"![{alt}]({image(self.report, self.prefix + drawn.name)})", ""]  # fmt: skip

    def detail(self, skip: int) -> list[str]:
        analysis = self.analysis
        out = self.h(2, _("Scores in detail"))
        out += md_table(content.sections_table(analysis), 3 + self.shift)
        for drawn in self.report.shown_charts[skip:]:
            out += self.chart(drawn, 3)
        for table in content.subgroup_tables(analysis):
            out += md_table(table, 3 + self.shift)
        for optional in (content.rounds_table(analysis), content.priorities_table(analysis)):
            if optional is not None:
                out += md_table(optional, 3 + self.shift)
        if self.report.detail == "full":
            out += self.findings() + self.statements() + self.comments()
        return out

    def findings(self) -> list[str]:
        groups = content.finding_groups(self.analysis)
        out = self.h(2, _("Findings")) if groups else []
        for heading, found in groups:
            out += self.h(3, heading)
            for finding in found:
                detail = f": {md(finding.detail)}" if finding.detail else ""
                out.append(f"- **{md(finding.title)}**{detail}")
            out.append("")
        return out

    def statements(self) -> list[str]:
        out = self.h(2, _("Answers to each statement"))
        for table in content.statement_tables(self.analysis):
            out += md_table(table, 3 + self.shift)
        return out

    def comments(self) -> list[str]:
        said = content.comments(self.analysis)
        if not said:
            return []
        out = [
            *self.h(2, _("What respondents wrote")),
            md(_("Without names, in alphabetical order.")),
            "",
        ]
        for entry in said:
            out += self.h(3, f"{entry.item} {entry.statement}")
            out += [f"> {md(text)}\n>" for text in entry.texts]
            out[-1] = out[-1].removesuffix("\n>")
            if entry.more:
                more = _("… and %(count)s more (all are in the Excel report).")
                out.append("\n" + md(more % {"count": entry.more}))
            out.append("")
        return out

    def about(self) -> list[str]:
        out = self.h(2, _("About this report"))
        out += [f"- {md(note)}" for note in content.notes(self.report)]
        source = self.analysis.instrument.source
        out += ["", md(_("Source: %(citation)s.")) % {"citation": md(source.citation())}]
        if source.licence:
            out += ["", md(source.licence)]
        produced = md(_("Produced by pat %(version)s.")) % {"version": md(__version__)}
        return [*out, "", produced, ""]


def points(analysis: Analysis, level: int, each: int = content.GLANCE) -> list[str]:
    """The at-a-glance points, a list under a heading per kind."""
    out = []
    for heading, found in content.glance(analysis, each):
        out += [f"{'#' * level} {md(heading)}", "", *(f"- {md(p)}" for p in found), ""]
    return out


def top_actions(plan: ActionPlan, level: int, instruments: bool = False) -> list[str]:
    rows = [[a.ref, content.subject_of(a, instruments), a.why()]
            for a in plan.actions[:GLANCE_ACTIONS]]  # fmt: skip
    return md_table(Table(_("Top actions"), [_("Ref"), _("Act on"), _("Why here")], rows), level)


def md_table(table: Table, level: int) -> list[str]:
    """A titled table; every cell escaped, numeric columns right-aligned."""
    out = [f"{'#' * level} {md(table.title)}", ""]
    if not table.rows:
        return [*out, md(_("None.")), ""]
    align = ["---:" if k in table.numeric else "---" for k in range(len(table.header))]
    out.append("| " + " | ".join(md(h, start=False) or " " for h in table.header) + " |")
    out.append("| " + " | ".join(align) + " |")
    for row in table.rows:
        out.append("| " + " | ".join(md(v, start=False) or " " for v in row) + " |")
    out.append("")
    if table.note:
        out += [md(table.note), ""]
    return out
