"""The combined workshop report as one self-contained, printable HTML page."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from pat_framework import __version__
from pat_framework.reports import content
from pat_framework.reports.html import STYLE as REPORT_STYLE
from pat_framework.reports.html import ReportBody, html_table, page
from pat_framework.workshop import content as workshop_content

if TYPE_CHECKING:
    from pat_framework.workshop.run import WorkshopReport

STYLE = """
dl.details { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px;
  margin: 10px 0 18px; }
dl.details dt { font-weight: bold; }
dl.details dd { margin: 0; }
nav ol { margin: 6px 0 10px; }
section.instrument { border-top: 4px solid var(--ink); margin-top: 40px; }
section.instrument > h2 { border: none; font-size: 24px; }
table.plan.wide th:nth-child(1) { width: 6%; }
table.plan.wide th:nth-child(2) { width: 8%; }
table.plan.wide th:nth-child(3) { width: 42%; }
table.plan.wide th:nth-child(4) { width: 24%; }
table.plan.wide th:nth-child(n+5) { width: 10%; }
table.plan.wide td:nth-child(-n+3) { border-left: none; }
"""


PLAN_NOTE = (
    "One plan for the whole workshop, numbered across the instruments: agree an action, an "
    "owner and a date for each row, or record why none is needed."
)


class WorkshopHTML:
    name = "html"
    subject = "workshop"
    suffixes = (".html", ".htm")
    binary = False
    description = "One self-contained, printable page: summary, each instrument, action plan"

    def render(self, result: WorkshopReport) -> str:
        workshop = result.workshop
        title = f"{workshop.partnership}: {workshop.title}"
        parts = [
            "<header>",
            f"<h1>{escape(title)}</h1>",
            '<dl class="details">',
            *(
                f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>"
                for label, value in workshop_content.details(result)
            ),
            "</dl>",
            "</header>",
            *_contents(result),
            '<section id="summary">',
            "<h2>Summary across instruments</h2>",
            html_table(workshop_content.summary_table(result), level=3),
            *_headlines(result),
            "</section>",
        ]
        for k, report in enumerate(result.parts, 1):
            instrument = content.instrument_of(report.analysis)
            parts += [
                f'<section class="instrument page" id="i{k}">',
                f"<h2>{k}. {escape(instrument.title)}</h2>",
                *ReportBody(report, prefix=f"i{k}-", shift=1).parts(plan=False),
                "</section>",
            ]
        parts += [
            '<section id="plan" class="page">',
            "<h2>Action plan</h2>",
            f'<p class="note">{escape(PLAN_NOTE)}</p>',
            *(html_table(t, "plan wide", level=3) for t in workshop_content.plan_tables(result)),
            "</section>",
            f'<footer><p class="source">Produced by pat {escape(__version__)}.</p></footer>',
        ]
        return page(title, parts, REPORT_STYLE + STYLE)


def _contents(result: WorkshopReport) -> list[str]:
    entries = ['<li><a href="#summary">Summary across instruments</a></li>']
    for k, report in enumerate(result.parts, 1):
        title = content.instrument_of(report.analysis).title
        entries.append(f'<li><a href="#i{k}">{escape(title)}</a></li>')
    entries.append('<li><a href="#plan">Action plan</a></li>')
    return ['<nav id="contents">', "<h2>Contents</h2>", "<ol>", *entries, "</ol>", "</nav>"]


def _headlines(result: WorkshopReport) -> list[str]:
    parts = []
    for k, report in enumerate(result.parts, 1):
        head = content.headline(report.analysis)
        instrument = content.instrument_of(report.analysis)
        parts += [
            f'<div class="headline {head.tone}">',
            f'<p class="title"><a href="#i{k}">{escape(instrument.title)}</a>: '
            f"{escape(head.title)}</p>",
        ]
        if head.text:
            parts.append(f"<p>{escape(head.text)}</p>")
        parts.append(f'<p class="note">{escape(head.reason)}</p>')
        parts.append("</div>")
    return parts
