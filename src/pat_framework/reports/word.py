"""The report as an editable Word document (python-docx), for a board paper: the same
parts as the HTML report in the same order, the charts as pictures with alt text, and the
action plan as a Word table with empty columns to fill in."""

from __future__ import annotations

import io
import struct
from typing import TYPE_CHECKING

from pat_framework.catalogue import _, ngettext, spoken
from pat_framework.reports import content
from pat_framework.reports.content import FILL_IN, Table
from pat_framework.reports.office import alt_text, png

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis
    from pat_framework.analysis.ranking import ActionPlan
    from pat_framework.reports import DrawnChart, Report

#: Printable width and height of an A4 portrait page with 20 mm margins, in mm.
PAGE = (170, 250)
#: The plan's column widths in mm on a landscape page with 15 mm margins (267 mm).
PLAN_WIDTHS = (12, 38, 68, 57, *([23] * len(FILL_IN)))
#: Actions named at a glance; the plan has them all.
GLANCE_ACTIONS = 5


class Word:
    """A Word document written heading by heading, in A4."""

    def __init__(self, title: str) -> None:
        from docx import Document
        from docx.shared import Mm

        self.doc = Document()
        self.doc.core_properties.title = title
        self.doc.core_properties.language = spoken() or "en-GB"
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(20))
        self.doc.add_heading(title, 0)

    def heading(self, text: str, level: int) -> None:
        """A heading kept on the page of what follows it."""
        self.doc.add_heading(text, min(level, 9)).paragraph_format.keep_with_next = True

    def paragraph(self, text: str, bold: bool = False, style: str | None = None) -> None:
        if text:
            self.doc.add_paragraph(style=style).add_run(text).bold = bold

    def bullets(self, points: list[str]) -> None:
        for point in points:
            self.doc.add_paragraph(point, style="List Bullet")

    def picture(self, drawn: DrawnChart, alt: str, tallest: float = PAGE[1]) -> None:
        """The chart as a picture as wide as the page allows and at most `tallest` mm
        tall (never taller than a page), its alt text in the picture's description."""
        from docx.shared import Mm

        image = png(drawn)
        width, height = (int(v) for v in struct.unpack(">II", image.getvalue()[16:24]))
        scale = min(PAGE[0] / width, tallest / height)
        picture = self.doc.add_picture(image, width=Mm(width * scale), height=Mm(height * scale))
        picture._inline.docPr.set("descr", alt)
        picture._inline.docPr.set("title", drawn.title)

    def table(self, table: Table, level: int, widths: tuple[float, ...] = ()) -> None:
        """A titled table across the page, its bold header row repeated on every page;
        with `widths` (mm), rows with room to write in."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm

        if table.title:
            self.heading(table.title, level)
        grid = self.doc.add_table(rows=1, cols=len(table.header))
        grid.style = "Table Grid"
        grid.autofit = False
        for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(str(text)).bold = True
        for values in table.rows or [[_("None.")] + [""] * (len(table.header) - 1)]:
            row = grid.add_row()
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = str(value)
            if widths:
                row.height = Mm(14)
        for k, row in enumerate(grid.rows):  # rows whole on one page, the header on each
            for tag in ("w:cantSplit",) + (("w:tblHeader",) if k == 0 else ()):
                mark = OxmlElement(tag)
                mark.set(qn("w:val"), "true")
                row._tr.get_or_add_trPr().append(mark)
        for k, width in enumerate(widths or self.widths(table)):
            grid.columns[k].width = Mm(width)
            for cell in grid.columns[k].cells:
                cell.width = Mm(width)
        if table.note and table.title != _("Ranked actions"):
            self.paragraph(table.note)

    def widths(self, table: Table) -> tuple[float, ...]:
        """Column widths in mm filling the page: the wide column three shares, numbers
        one, the rest two."""
        section = self.doc.sections[-1]
        edges = (section.page_width, section.left_margin, section.right_margin)
        page, left, right = (0 if e is None else int(e) for e in edges)
        room = (page - left - right) / 36000  # EMU per mm
        shares = [3 if k == table.wide else 1 if k in table.numeric else 2
                  for k in range(len(table.header))]  # fmt: skip
        return tuple(room * share / sum(shares) for share in shares)

    def orientation(self, landscape: bool) -> None:
        """Start a new section of the document on pages turned as asked."""
        from docx.enum.section import WD_ORIENT
        from docx.shared import Mm

        section = self.doc.add_section()
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        long, short = Mm(297), Mm(210)
        section.page_width, section.page_height = (long, short) if landscape else (short, long)
        margin = Mm(15 if landscape else 20)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, margin)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def headline(word: Word, analysis: Analysis, level: int, name: str = "") -> None:
    """The scenario (or overall band) and what it asks of partners; for one instrument
    (no `name`) the score and the rule too, as in the HTML."""
    head = content.headline(analysis)
    word.heading(f"{name}: {head.title}" if name else head.title, level)
    word.paragraph(head.text)
    if not name:
        word.paragraph(head.score)
        word.paragraph(head.reason)


def points(word: Word, analysis: Analysis, level: int, each: int = content.GLANCE) -> None:
    for heading, found in content.glance(analysis, each):
        word.heading(heading, level)
        word.bullets(found)


#: The tallest the headline chart is drawn at a glance, in mm (as the HTML prints it).
GLANCE_CHART = 110


def chart(word: Word, drawn: DrawnChart, analysis: Analysis, level: int,
          tallest: float = PAGE[1]) -> None:  # fmt: skip
    word.heading(drawn.title, level)
    word.picture(drawn, alt_text(drawn, analysis), tallest)
    word.paragraph(drawn.description)


def top_actions(word: Word, plan: ActionPlan, level: int, instruments: bool = False) -> None:
    rows = [[a.ref, content.subject_of(a, instruments), a.why()]
            for a in plan.actions[:GLANCE_ACTIONS]]  # fmt: skip
    word.table(
        Table(_("Top actions"), [_("Ref"), _("Act on"), _("Why here")], rows, wide=2), level
    )


def action_plan(word: Word, plan: ActionPlan, note: str, instruments: bool = False) -> None:
    """The ranked plan on landscape pages, then portrait pages again."""
    word.orientation(landscape=True)
    word.heading(_("Action plan"), 1)
    table = content.plan_table(plan, instruments)
    word.paragraph(note or table.note)
    word.table(table, 2, PLAN_WIDTHS)
    word.orientation(landscape=False)


def detail(word: Word, report: Report, level: int, skip: int = 1) -> None:
    """The scores, the charts (after the first `skip`), the group, round and priority
    tables; with `full` every finding, every statement's answers and the comments."""
    analysis = report.analysis
    word.table(content.sections_table(analysis), level)
    for drawn in report.shown_charts[skip:]:
        chart(word, drawn, analysis, level)
    for table in content.subgroup_tables(analysis):
        word.table(table, level)
    for optional in (content.rounds_table(analysis), content.priorities_table(analysis)):
        if optional is not None:
            word.table(optional, level)
    if report.detail != "full":
        return
    for heading, found in content.finding_groups(analysis):
        word.heading(heading, level)
        word.bullets([f"{f.title}: {f.detail}" if f.detail else f.title for f in found])
    for table in content.statement_tables(analysis):
        word.table(table, level)
    said = content.comments(analysis)
    if said:
        word.heading(_("What respondents wrote"), level)
        word.paragraph(_("Comments are shown without names, in alphabetical order."))
        for entry in said:
            word.heading(f"{entry.item} {entry.statement}", level + 1)
            word.bullets(entry.texts)
            if entry.more:
                more = _("… and %(count)s more (all are in the Excel report).")
                word.paragraph(more % {"count": entry.more})


def others(word: Word, plan: ActionPlan, instruments: bool = False) -> None:
    table = content.others_table(plan, instruments)
    if table is not None:
        word.table(table, 1)


def about(word: Word, report: Report, level: int) -> None:
    from pat_framework import __version__

    source = report.analysis.instrument.source
    word.heading(_("About this report"), level)
    word.bullets(content.notes(report))
    word.paragraph(_("Source: %(citation)s.") % {"citation": source.citation()})
    word.paragraph(source.licence)
    word.paragraph(_("Produced by pat %(version)s.") % {"version": __version__})


class ReportDOCX:
    name = "docx"
    subject = "report"
    suffixes = (".docx",)
    binary = True
    description = "An editable Word report: at a glance, charts with alt text, the plan as a table"

    def render(self, result: Report) -> bytes:
        analysis = result.analysis
        instrument = analysis.instrument
        word = Word(_("%(title)s: assessment report") % {"title": instrument.title})
        n = len(analysis.interpretation.scores.totals)
        meta = ngettext(
            "%(count)s respondent(s) · %(id)s version %(version)s · produced %(date)s",
            "%(count)s respondent(s) · %(id)s version %(version)s · produced %(date)s",
            n,
        )
        word.paragraph(meta % {"count": n, "id": instrument.id, "version": instrument.version,
                               "date": result.created.isoformat()})  # fmt: skip
        word.heading(_("At a glance"), 1)
        headline(word, analysis, 2)
        points(word, analysis, 3)
        if result.shown_charts:
            chart(word, result.shown_charts[0], analysis, 3, GLANCE_CHART)
        top_actions(word, result.plan, 3)
        action_plan(word, result.plan, "")
        if result.detail != "summary":
            word.heading(_("Scores in detail"), 1)
            detail(word, result, 2)
        others(word, result.plan)
        about(word, result, 1)
        return word.save()
