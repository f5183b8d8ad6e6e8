"""The combined workshop report as one self-contained, printable HTML page."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from pat_framework import __version__
from pat_framework.catalogue import N_, gettext, spoken
from pat_framework.reports import content
from pat_framework.reports.html import STYLE as REPORT_STYLE
from pat_framework.reports.html import ReportBody, glance_list, html_table, page, top_actions
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
table.agreed td:last-child { white-space: nowrap; }
"""


#: Points of each kind the workshop's glance names per instrument.
WORKSHOP_GLANCE = 2

#: Headings the page and its contents share (Babel finds no message inside an f-string).
GLANCE, PLAN = N_("At a glance"), N_("Action plan")
PLAN_NOTE = N_(
    "One plan for the whole workshop, ranked across the instruments, highest priority first: "
    "agree an owner, a due date, a success measure and a review date for each action, or "
    "record why none is needed."
)


class WorkshopHTML:
    name = "html"
    subject = "workshop"
    suffixes = (".html", ".htm")
    binary = False
    description = "One self-contained, printable page: summary, each instrument, action plan"

    def render(self, result: WorkshopReport) -> str:
        workshop = result.workshop
        title = f"{workshop.partnership}: {workshop.shown_title}"
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
            *_glance(result),
            '<section id="plan" class="page plan-pages">',
            f"<h2>{escape(gettext(PLAN))}</h2>",
            f'<p class="note">{escape(gettext(PLAN_NOTE))}</p>',
            html_table(content.plan_table(result.plan, instruments=True), "plan", level=3),
            "</section>",
            *_agreed(result),
        ]
        if result.detail != "summary":
            for k, report in enumerate(result.parts, 1):
                instrument = content.instrument_of(report.analysis)
                parts += [
                    f'<section class="instrument" id="i{k}">',
                    f"<h2>{k}. {escape(instrument.title)}</h2>",
                    *ReportBody(report, prefix=f"i{k}-", shift=1).parts(plan=False),
                    "</section>",
                ]
        others = content.others_table(result.plan, instruments=True)
        if others is not None:
            # An appendix: it follows on the last page when there is room.
            parts += ['<section id="others">', html_table(others), "</section>"]
        produced = gettext("Produced by pat %(version)s.") % {"version": __version__}
        parts.append(f'<footer><p class="source">{escape(produced)}</p></footer>')
        return page(title, parts, REPORT_STYLE + STYLE, lang=spoken() or "en")


def _contents(result: WorkshopReport) -> list[str]:
    entries = [
        f'<li><a href="#summary">{escape(gettext(GLANCE))}</a></li>',
        f'<li><a href="#plan">{escape(gettext(PLAN))}</a></li>',
    ]
    if result.agreed:
        entries.append(
            f'<li><a href="#agreed">{escape(gettext(workshop_content.AGREED))}</a></li>'
        )
    if result.detail != "summary":
        for k, report in enumerate(result.parts, 1):
            title = content.instrument_of(report.analysis).title
            entries.append(f'<li><a href="#i{k}">{escape(title)}</a></li>')
    if result.plan.others:
        others = gettext("Other points raised")
        entries.append(f'<li><a href="#others">{escape(others)}</a></li>')
    heading = gettext("Contents")
    return ['<nav id="contents">', f"<h2>{escape(heading)}</h2>", "<ol>", *entries, "</ol>",
            "</nav>"]  # fmt: skip


def _glance(result: WorkshopReport) -> list[str]:
    """The workshop at a glance: every instrument's result and clearest points, the first
    headline chart, and the top actions."""
    parts = [
        '<section id="summary">',
        f"<h2>{escape(gettext(GLANCE))}</h2>",
        html_table(workshop_content.summary_table(result), level=3),
    ]
    for k, report in enumerate(result.parts, 1):
        head = content.headline(report.analysis)
        instrument = content.instrument_of(report.analysis)
        link = f'<a href="#i{k}">{escape(instrument.title)}</a>'
        if result.detail == "summary":
            link = escape(instrument.title)
        parts += [
            f'<div class="headline {head.tone}">',
            f'<p class="title">{link}: {escape(head.title)}</p>',
        ]
        if head.text:
            parts.append(f"<p>{escape(head.text)}</p>")
        parts.append("</div>")
        parts += glance_list(report.analysis, 4, WORKSHOP_GLANCE)
    drawn = next((r for r in result.parts if r.shown_charts), None)
    if drawn is not None:
        parts.append(ReportBody(drawn, prefix="g-").figure(drawn.shown_charts[0], 0, level=3))
    parts += top_actions(result.plan, 3, "plan", instruments=True)
    parts.append("</section>")
    return parts


def _agreed(result: WorkshopReport) -> list[str]:
    """What the room agreed, beside the ranked plan; nothing when nothing was agreed."""
    tables = workshop_content.agreed_tables(result)
    if not tables:
        return []
    return [
        '<section id="agreed" class="page">',
        f"<h2>{escape(gettext(workshop_content.AGREED))}</h2>",
        f'<p class="note">{escape(gettext(workshop_content.AGREED_NOTE))}</p>',
        *(html_table(table, "agreed", level=3) for table in tables),
        "</section>",
    ]
