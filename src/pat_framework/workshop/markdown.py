"""The combined workshop report as Markdown, summary first as the HTML report, with the
charts as PNG files in a folder beside it; user text escaped as in reports/markdown.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pat_framework import __version__
from pat_framework.catalogue import gettext
from pat_framework.reports import content
from pat_framework.reports.markdown import MarkdownBody, image, md, md_table, points, top_actions
from pat_framework.workshop import content as workshop_content
from pat_framework.workshop.html import GLANCE, PLAN, PLAN_NOTE, WORKSHOP_GLANCE

if TYPE_CHECKING:
    from pat_framework.workshop.run import WorkshopReport


class WorkshopMarkdown:
    name = "markdown"
    subject = "workshop"
    suffixes = (".md", ".markdown")
    binary = False
    description = "Markdown, summary first, with the charts as PNG files in a folder beside it"

    def assets(self, result: WorkshopReport) -> dict[str, bytes]:
        """The images of every chart shown, by path relative to the Markdown file."""
        from pat_framework.charts.export import to_png

        files = {}
        for k, report in enumerate(result.parts, 1):
            for drawn in report.shown_charts:
                files[image(report, f"i{k}-{drawn.name}")] = to_png(drawn.spec)
        return files

    def render(self, result: WorkshopReport) -> str:
        workshop = result.workshop
        out = [f"# {md(workshop.partnership)}: {md(workshop.shown_title)}", ""]
        out += [f"- **{md(label)}**: {md(value, start=False)}"
                for label, value in workshop_content.details(result)]  # fmt: skip
        out += ["", f"## {md(gettext(GLANCE))}", ""]
        out += md_table(workshop_content.summary_table(result), 3)
        for report in result.parts:
            head = content.headline(report.analysis)
            out += [f"### {md(report.analysis.instrument.title)}: {md(head.title)}", ""]
            out += [md(head.text), ""] if head.text else []
            out += points(report.analysis, 4, WORKSHOP_GLANCE)
        first = next((k for k, r in enumerate(result.parts, 1) if r.shown_charts), None)
        if first is not None:
            out += _body(result, first).chart(result.parts[first - 1].shown_charts[0], 2)
        out += top_actions(result.plan, 3, instruments=True)
        out += [f"## {md(gettext(PLAN))}", "", md(gettext(PLAN_NOTE)), ""]
        out += md_table(content.plan_table(result.plan, instruments=True), 3)
        if agreed := workshop_content.agreed_tables(result):
            out += [f"## {md(gettext(workshop_content.AGREED))}", ""]
            out += [md(gettext(workshop_content.AGREED_NOTE)), ""]
            out += [line for table in agreed for line in md_table(table, 3)]
        if result.detail != "summary":
            for k, report in enumerate(result.parts, 1):
                out += [f"## {k}. {md(report.analysis.instrument.title)}", ""]
                out += _body(result, k).parts(plan=False)
        others = content.others_table(result.plan, instruments=True)
        out += md_table(others, 2) if others is not None else []
        produced = md(gettext("Produced by pat %(version)s.")) % {"version": md(__version__)}
        return "\n".join([*out, produced, ""])


def _body(result: WorkshopReport, k: int) -> MarkdownBody:
    """The k-th instrument's body, its headings one level down and its charts' files
    named for it (i1-dartboard.png…)."""
    return MarkdownBody(result.parts[k - 1], shift=1, prefix=f"i{k}-")
