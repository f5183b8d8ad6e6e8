"""The workshop report as an editable Word document and as slides for the feedback
workshop, built with the single report's Word and slide builders (reports/word.py,
reports/slides.py): at a glance, each instrument, and one ranked action plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pat_framework.catalogue import gettext
from pat_framework.reports import content, slides, word
from pat_framework.reports.slides import MARGIN, WIDTH, Deck
from pat_framework.reports.word import Word
from pat_framework.workshop import content as workshop_content
from pat_framework.workshop.html import PLAN_NOTE, WORKSHOP_GLANCE

if TYPE_CHECKING:
    from pat_framework.workshop.run import WorkshopReport


#: The agreed views' and the agreed actions' columns on a slide, in inches (12.43 in all).
AGREED_COLUMNS: dict[int, tuple[float, ...]] = {
    4: (2.6, 3.4, 4.93, 1.5),
    5: (2.0, 2.6, 4.83, 1.8, 1.2),
}


class WorkshopDOCX:
    name = "docx"
    subject = "workshop"
    suffixes = (".docx",)
    binary = True
    description = "An editable Word report: at a glance, charts with alt text, the plan as a table"

    def render(self, result: WorkshopReport) -> bytes:
        workshop = result.workshop
        doc = Word(f"{workshop.partnership}: {workshop.shown_title}")
        details = [list(pair) for pair in workshop_content.details(result)]
        doc.table(content.Table("", [gettext("About the workshop"), ""], details), 1)
        doc.heading(gettext("At a glance"), 1)
        doc.table(workshop_content.summary_table(result), 2)
        for report in result.parts:
            name = report.analysis.instrument.title
            word.headline(doc, report.analysis, 2, name)
            word.points(doc, report.analysis, 3, WORKSHOP_GLANCE)
        first = next((r for r in result.parts if r.shown_charts), None)
        if first is not None:
            word.chart(doc, first.shown_charts[0], first.analysis, 2, word.GLANCE_CHART)
        word.top_actions(doc, result.plan, 2, instruments=True)
        word.action_plan(doc, result.plan, gettext(PLAN_NOTE), instruments=True)
        if agreed := workshop_content.agreed_tables(result):
            doc.heading(gettext(workshop_content.AGREED), 1)
            doc.paragraph(gettext(workshop_content.AGREED_NOTE))
            for table in agreed:
                doc.table(table, 2)
        if result.detail != "summary":
            for k, report in enumerate(result.parts, 1):
                doc.heading(f"{k}. {report.analysis.instrument.title}", 1)
                word.detail(doc, report, 2, skip=0)
        word.others(doc, result.plan, instruments=True)
        return doc.save()


class WorkshopPPTX:
    name = "pptx"
    subject = "workshop"
    suffixes = (".pptx",)
    binary = True
    description = "Slides for the feedback workshop: each instrument, each section, the plan"

    def render(self, result: WorkshopReport) -> bytes:
        workshop = result.workshop
        deck = Deck(f"{workshop.partnership}: {workshop.shown_title}")
        when = workshop.date.isoformat() if workshop.date else ""
        deck.cover(workshop.partnership, "\n".join(p for p in (workshop.shown_title, when) if p))
        table = workshop_content.summary_table(result)
        columns = [0, 1, 2, 6]  # instrument, respondents, overall result, actions
        widths = (3.6, 1.6, WIDTH - 2 * MARGIN - 7.0, 1.8)
        rows = [[str(row[k]) for k in columns] for row in table.rows]
        deck.table(deck.slide(table.title), [table.header[k] for k in columns], rows, widths)
        for report in result.parts:
            slides.report_slides(deck, report, result.plan, report.analysis.instrument.title)
        slides.plan_slides(deck, result.plan, instruments=True)
        for table in workshop_content.agreed_tables(result):
            rows = [[str(v) for v in row] for row in table.rows]
            title = f"{gettext(workshop_content.AGREED)}: {table.title}"
            slides.table_slides(deck, title, table.header, rows, AGREED_COLUMNS[len(rows[0])])
        return deck.save()
