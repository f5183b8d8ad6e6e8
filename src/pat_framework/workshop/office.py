"""The workshop report as an editable Word document (python-docx) and as slides for the
feedback workshop (python-pptx): at a glance, the headline chart with its text alternative,
and the ranked action plan as a table to fill in."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from pat_framework.reports import content
from pat_framework.reports.content import Table
from pat_framework.workshop import content as workshop_content

if TYPE_CHECKING:
    from pat_framework.reports import DrawnChart
    from pat_framework.workshop.run import WorkshopReport

#: Actions on one slide of the plan.
ACTIONS_PER_SLIDE = 4


def headline_chart(result: WorkshopReport) -> DrawnChart | None:
    """The first instrument's headline chart (the dartboard for the ODPM tool)."""
    report = next((r for r in result.parts if r.shown_charts), None)
    return report.shown_charts[0] if report is not None else None


def alt_text(drawn: DrawnChart) -> str:
    return f"{drawn.title}. {drawn.description}"


def png(drawn: DrawnChart) -> io.BytesIO:
    from pat_framework.charts.export import to_png

    return io.BytesIO(to_png(drawn.spec))


class WorkshopDOCX:
    name = "docx"
    subject = "workshop"
    suffixes = (".docx",)
    binary = True
    description = "An editable Word report: at a glance, charts with alt text, the plan as a table"

    def render(self, result: WorkshopReport) -> bytes:
        from docx import Document
        from docx.enum.section import WD_ORIENT
        from docx.shared import Mm

        workshop = result.workshop
        doc = Document()
        doc.core_properties.title = f"{workshop.partnership}: {workshop.title}"
        doc.core_properties.language = "en-GB"
        section = doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        doc.add_heading(f"{workshop.partnership}: {workshop.title}", 0)
        _docx_table(doc, Table("", ["", ""], [list(p) for p in workshop_content.details(result)]))
        doc.add_heading("At a glance", 1)
        _docx_table(doc, workshop_content.summary_table(result))
        for report in result.parts:
            head = content.headline(report.analysis)
            doc.add_heading(f"{content.instrument_of(report.analysis).title}: {head.title}", 2)
            if head.text:
                doc.add_paragraph(head.text)
            for heading, points in content.glance(report.analysis, 2):
                doc.add_paragraph(heading, style="Heading 3")
                for point in points:
                    doc.add_paragraph(point, style="List Bullet")
        drawn = headline_chart(result)
        if drawn is not None:
            doc.add_heading(drawn.title, 2)
            picture = doc.add_picture(png(drawn), width=Mm(150))
            picture._inline.docPr.set("descr", alt_text(drawn))
            doc.add_paragraph(drawn.description)
        landscape = doc.add_section()
        landscape.orientation = WD_ORIENT.LANDSCAPE
        landscape.page_width, landscape.page_height = Mm(297), Mm(210)
        doc.add_heading("Action plan", 1)
        plan = content.plan_table(result.plan, instruments=True)
        doc.add_paragraph(plan.note)
        _docx_table(doc, plan)
        others = content.others_table(result.plan, instruments=True)
        if others is not None:
            doc.add_heading(others.title, 1)
            _docx_table(doc, others)
        if result.detail != "summary":
            for report in result.parts:
                doc.add_heading(content.instrument_of(report.analysis).title, 1)
                _docx_table(doc, content.sections_table(report.analysis))
                priorities = content.priorities_table(report.analysis)
                if priorities is not None:
                    _docx_table(doc, priorities)
                for table in content.subgroup_tables(report.analysis):
                    _docx_table(doc, table)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def _docx_table(doc: Any, table: Table) -> None:
    """A titled table with a bold header row repeated on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if table.title and table.header != ["", ""]:
        doc.add_paragraph(table.title, style="Heading 3")
    grid = doc.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    header = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)
    if table.note and table.title != "Ranked actions":
        doc.add_paragraph(table.note)


class WorkshopPPTX:
    name = "pptx"
    subject = "workshop"
    suffixes = (".pptx",)
    binary = True
    description = "Slides for the feedback workshop: results, the headline chart, the plan"

    def render(self, result: WorkshopReport) -> bytes:
        from pptx import Presentation
        from pptx.util import Inches, Pt

        workshop = result.workshop
        deck = Presentation()
        deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
        deck.core_properties.title = f"{workshop.partnership}: {workshop.title}"
        first = deck.slides.add_slide(deck.slide_layouts[0])
        first.shapes.title.text = workshop.partnership
        first.placeholders[1].text = workshop.title + (
            f"\n{workshop.date.isoformat()}" if workshop.date else ""
        )
        for report in result.parts:
            head = content.headline(report.analysis)
            slide = deck.slides.add_slide(deck.slide_layouts[1])
            slide.shapes.title.text = content.instrument_of(report.analysis).title
            body = slide.placeholders[1].text_frame
            body.text = head.title
            if head.text:
                body.add_paragraph().text = head.text
            for heading, points in content.glance(report.analysis, 2):
                paragraph = body.add_paragraph()
                paragraph.text = heading
                for point in points:
                    line = body.add_paragraph()
                    line.text, line.level = point, 1
            for paragraph in body.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(14)
        drawn = headline_chart(result)
        if drawn is not None:
            slide = deck.slides.add_slide(deck.slide_layouts[5])
            slide.shapes.title.text = drawn.title
            picture = slide.shapes.add_picture(
                png(drawn), Inches(3.2), Inches(1.4), height=Inches(5.8)
            )
            picture._element.nvPicPr.cNvPr.set("descr", alt_text(drawn))
        shown = result.plan.shown
        for start in range(0, len(shown), ACTIONS_PER_SLIDE):
            part = shown[start : start + ACTIONS_PER_SLIDE]
            slide = deck.slides.add_slide(deck.slide_layouts[5])
            slide.shapes.title.text = f"Action plan ({part[0].ref}–{part[-1].ref})"
            header = ["Ref", "Act on", "Why here", "Suggested first step", "Owner", "Due by"]
            frame = slide.shapes.add_table(
                len(part) + 1, len(header), Inches(0.4), Inches(1.4), Inches(12.5), Inches(5.6)
            )
            grid = frame.table
            for k, text in enumerate(header):
                grid.cell(0, k).text = text
            for r, action in enumerate(part, 1):
                values = [action.ref, content.subject_of(action, True), action.why(),
                          action.first_step(), "", ""]  # fmt: skip
                for k, text in enumerate(values):
                    grid.cell(r, k).text = text
            for row in grid.rows:
                for cell in row.cells:
                    for paragraph in cell.text_frame.paragraphs:
                        for run in paragraph.runs:
                            run.font.size = Pt(11)
        out = io.BytesIO()
        deck.save(out)
        return out.getvalue()
