"""The report as slides for the feedback workshop (python-pptx, 16:9): the scenario, the
headline chart, one slide per section with its spread and discussion prompts, and the
action plan as an editable table.

Text is sized to fit its box before it is written: `lines` estimates how a paragraph wraps
(from an average character width a little wider than Calibri's), the largest size that
fits is used, and text that would not fit even at the smallest is cut at a word.
"""

from __future__ import annotations

import io
import math
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pat_framework.catalogue import N_, gettext, ngettext, spoken
from pat_framework.charts.common import section_label, section_word
from pat_framework.render.text import number
from pat_framework.reports import content
from pat_framework.reports.discussion import prompts, quote
from pat_framework.reports.office import (
    alt_text,
    finding,
    leaning,
    png,
    score_line,
    section_chart,
    spread_alt,
)

if TYPE_CHECKING:
    from pat_framework.analysis.ranking import Action, ActionPlan
    from pat_framework.model import Section
    from pat_framework.reports import DrawnChart, Report

#: The slide, in inches: 16:9.
WIDTH, HEIGHT = 13.333, 7.5
MARGIN = 0.45
#: Where the content below the title starts and ends.
TOP, BOTTOM = 1.45, HEIGHT - 0.35
#: Average character width as a share of the font size, and line height.
CHAR, LEADING = 0.52, 1.2
#: Font sizes tried in turn, in points.
SIZES = (20, 18, 16, 14, 12)
TABLE_SIZE = 11
#: The plan's columns on a slide, in inches (12.43 in all).
PLAN_COLUMNS = (0.55, 1.9, 3.2, 2.78, 0.95, 0.9, 1.15, 1.0)
PLAN_HEADER = [N_("Ref"), N_("Act on"), N_("Why here"), N_("Suggested first step"),
               *content.FILL_IN]  # fmt: skip
#: Statements listed on a section's slide when there is no chart to show.
LISTED = 6


@dataclass
class Box:
    """A place on the slide, in inches."""

    left: float
    top: float
    width: float
    height: float


def lines(text: str, width: float, size: float) -> int:
    """How many lines `text` takes in a box `width` inches wide at `size` points."""
    per_line = max(1, int((width - 0.2) * 72 / (size * CHAR)))
    total = 0
    for paragraph in text.split("\n"):
        count, line = 1, 0
        for token in paragraph.split():
            length = len(token)
            if line and line + 1 + length > per_line:
                count, line = count + 1, 0
            if length > per_line:  # a word longer than a line breaks where it must
                count += (length - 1) // per_line
                length = length % per_line or per_line
            line += length + (1 if line else 0)
        total += count
    return total


def height(paragraphs: list[str], width: float, size: float) -> float:
    """The height in inches the paragraphs take, with a little space after each."""
    text_lines = sum(lines(p, width, size) for p in paragraphs)
    return (text_lines * size * LEADING + len(paragraphs) * size * 0.3) / 72 + 0.1


def fitting(paragraphs: list[str], box: Box, sizes: tuple[int, ...] = SIZES) -> int:
    """The largest size at which the paragraphs fit the box (the smallest when none)."""
    return next((s for s in sizes if height(paragraphs, box.width, s) <= box.height), sizes[-1])


def clipped(paragraphs: list[str], box: Box, size: int) -> list[str]:
    """The paragraphs that fit at `size`, the last one cut at a word and marked '…'."""
    kept: list[str] = []
    for paragraph in paragraphs:
        if height([*kept, paragraph], box.width, size) <= box.height:
            kept.append(paragraph)
            continue
        words = paragraph.split()
        while words and height([*kept, " ".join(words) + "…"], box.width, size) > box.height:
            words.pop()
        if words:
            kept.append(" ".join(words) + "…")
        break
    return kept


class Deck:
    """A 16:9 slide deck built slide by slide, every text sized to fit."""

    def __init__(self, title: str) -> None:
        from pptx import Presentation
        from pptx.util import Inches

        self.deck = Presentation()
        self.deck.slide_width, self.deck.slide_height = Inches(WIDTH), Inches(HEIGHT)
        self.deck.core_properties.title = title
        self.deck.core_properties.language = spoken() or "en-GB"

    def cover(self, title: str, subtitle: str) -> None:
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[0])
        head, sub = slide.shapes.title, slide.placeholders[1]
        self._place(head, Box(0.9, 1.9, WIDTH - 1.8, 1.9))
        self._place(sub, Box(0.9, 4.0, WIDTH - 1.8, 2.2))
        self._write(head.text_frame, [(title, False)], Box(0, 0, WIDTH - 1.8, 1.9),
                    (40, 36, 32, 28))  # fmt: skip
        lines_ = [(line, False) for line in subtitle.split("\n")]
        self._write(sub.text_frame, lines_, Box(0, 0, WIDTH - 1.8, 2.2), SIZES)

    def slide(self, title: str) -> Any:
        """A new slide with its title (the slide's name for a screen reader too)."""
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[5])
        box = Box(MARGIN, 0.3, WIDTH - 2 * MARGIN, 1.05)
        self._place(slide.shapes.title, box)
        self._write(slide.shapes.title.text_frame, [(title, False)], box, (30, 28, 24, 20, 18))
        return slide

    def text(self, slide: Any, paragraphs: list[str], box: Box, sizes: tuple[int, ...] = SIZES,
             heading: str = "") -> None:  # fmt: skip
        """Paragraphs in a box, as large as fits; a bold heading first when given."""
        self.points(slide, [(heading, paragraphs)], box, sizes)

    def points(self, slide: Any, groups: list[tuple[str, list[str]]], box: Box,
               sizes: tuple[int, ...] = SIZES, bullet: str = "") -> None:  # fmt: skip
        """Groups of points in a box, as large as fits: each under its bold heading."""
        from pptx.util import Inches

        shape = slide.shapes.add_textbox(
            Inches(box.left), Inches(box.top), Inches(box.width), Inches(box.height)
        )
        shape.text_frame.word_wrap = True
        paragraphs = [(text, bold) for heading, found in groups
                      for text, bold in [(heading, True)] + [(bullet + f, False) for f in found]
                      if text]  # fmt: skip
        self._write(shape.text_frame, paragraphs, box, sizes)

    def picture(self, slide: Any, drawn: DrawnChart, alt: str, box: Box) -> float:
        """The chart as large as fits the box, centred across it, with its alt text; where
        the picture ends, in inches from the top."""
        from pptx.util import Inches

        image = png(drawn)
        width, tall = (int(v) for v in struct.unpack(">II", image.getvalue()[16:24]))
        scale = min(box.width / width, box.height / tall)
        left = box.left + (box.width - width * scale) / 2
        picture = slide.shapes.add_picture(
            image, Inches(left), Inches(box.top), Inches(width * scale), Inches(tall * scale)
        )
        picture._element.nvPicPr.cNvPr.set("descr", alt)
        return box.top + tall * scale

    def table(self, slide: Any, header: list[str], rows: list[list[str]],
              widths: tuple[float, ...]) -> None:  # fmt: skip
        """An editable table, each row as tall as its text needs."""
        from pptx.util import Inches, Pt

        heights = [row_height(header, widths)] + [row_height(r, widths) for r in rows]
        frame = slide.shapes.add_table(
            len(rows) + 1, len(header), Inches(MARGIN), Inches(TOP),
            Inches(sum(widths)), Inches(sum(heights)),
        )  # fmt: skip
        grid = frame.table
        for k, width in enumerate(widths):
            grid.columns[k].width = Inches(width)
        for r, (values, tall) in enumerate(zip([header, *rows], heights, strict=True)):
            grid.rows[r].height = Inches(tall)
            for k, text in enumerate(values):
                cell = grid.cell(r, k)
                cell.text = text
                for paragraph in cell.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(TABLE_SIZE)
                        run.font.bold = r == 0

    def notes(self, slide: Any, text: str) -> None:
        """The speaker's notes: for a chart, what it shows and how to read it."""
        slide.notes_slide.notes_text_frame.text = text

    def save(self) -> bytes:
        out = io.BytesIO()
        self.deck.save(out)
        return out.getvalue()

    @staticmethod
    def _place(shape: Any, box: Box) -> None:
        from pptx.util import Inches

        shape.left, shape.top = Inches(box.left), Inches(box.top)
        shape.width, shape.height = Inches(box.width), Inches(box.height)

    @staticmethod
    def _write(frame: Any, paragraphs: list[tuple[str, bool]], box: Box,
               sizes: tuple[int, ...]) -> None:  # fmt: skip
        from pptx.util import Pt

        texts = [text for text, _ in paragraphs]
        size = fitting(texts, box, sizes)
        kept = clipped(texts, box, size)
        frame.text = kept[0] if kept else ""
        for text in kept[1:]:
            frame.add_paragraph().text = text
        for paragraph, (_, bold) in zip(frame.paragraphs, paragraphs, strict=False):
            paragraph.space_after = Pt(size * 0.3)
            for run in paragraph.runs:
                run.font.size = Pt(size)
                run.font.bold = bold


def row_height(values: list[str], widths: tuple[float, ...]) -> float:
    """A table row's height in inches: its tallest cell at TABLE_SIZE, with the margins."""
    most = max(lines(v, w, TABLE_SIZE) for v, w in zip(values, widths, strict=True))
    return most * TABLE_SIZE * LEADING / 72 + 0.12


def plan_slides(deck: Deck, plan: ActionPlan, instruments: bool = False) -> None:
    """The ranked actions, as many to a slide as fit, with empty columns to fill in."""
    rows = [[str(v) for v in row] for row in content.plan_table(plan, instruments).rows]
    if not rows:
        slide = deck.slide(gettext("Action plan"))
        deck.text(slide, [gettext("Nothing to act on.")], Box(MARGIN, TOP, 8, 1))
    header = [gettext(head) for head in PLAN_HEADER]
    table_slides(deck, gettext("Action plan"), header, rows, PLAN_COLUMNS, refs=True)


def table_slides(
    deck: Deck,
    title: str,
    header: list[str],
    rows: list[list[str]],
    widths: tuple[float, ...],
    refs: bool = False,
) -> None:
    """A table's rows, as many to a slide as fit; with `refs` each slide is titled with its
    first and last row's first cell ("Action plan (A1–A6)"), else "(1 of 2)" when the
    rows take more than one slide."""
    room = BOTTOM - TOP - row_height(header, widths)
    pages: list[list[list[str]]] = []
    used = math.inf
    for row in rows:
        tall = row_height(row, widths)
        if used + tall > room:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += tall
    for k, page in enumerate(pages, 1):
        if refs:
            named = f" ({page[0][0]}–{page[-1][0]})" if len(page) > 1 else f" ({page[0][0]})"
        elif len(pages) > 1:
            named = " " + gettext("(%(slide)s of %(slides)s)") % {"slide": k, "slides": len(pages)}
        else:
            named = ""
        deck.table(deck.slide(title + named), header, page, widths)


def scenario_slide(deck: Deck, report: Report, name: str = "") -> None:
    """The scenario (or overall band) and what it asks of partners; the clearest points."""
    analysis = report.analysis
    head = content.headline(analysis)
    slide = deck.slide(f"{name}: {head.title}" if name else head.title)
    half = (WIDTH - 2 * MARGIN - 0.4) / 2
    said = [p for p in (head.text, head.score, head.reason) if p]
    deck.text(slide, said, Box(MARGIN, TOP, half, BOTTOM - TOP), (24, 22, 20, 18, 16, 14))
    right = Box(MARGIN + half + 0.4, TOP, half, BOTTOM - TOP)
    deck.points(slide, content.glance(analysis, 2), right, bullet="• ")


def chart_slide(deck: Deck, report: Report, drawn: DrawnChart, name: str = "") -> None:
    """A chart as large as fits, what it shows in these answers beside it and in the
    notes, with how to read it."""
    slide = deck.slide(f"{name}: {drawn.title}" if name else drawn.title)
    alt = alt_text(drawn, report.analysis)
    deck.picture(slide, drawn, alt, Box(MARGIN, TOP, 7.6, 5.7))
    deck.notes(slide, alt)
    shown = finding(drawn.name, report.analysis) or drawn.description
    deck.text(slide, shown.split("; "), Box(8.4, TOP, WIDTH - 8.4 - MARGIN, 5.7),
              heading=gettext("What it shows"))  # fmt: skip


def section_slides(deck: Deck, report: Report, plan: ActionPlan) -> None:
    """One slide per scored section: its spread chart, its score and prompts to discuss."""
    analysis = report.analysis
    instrument = analysis.instrument
    for section in instrument.scored_sections:
        word = section.kind or section_word(instrument)
        named = section.title if section_label(section) == section.title else (
            f"{section.id}: {section.title}")  # fmt: skip
        slide = deck.slide(f"{word.capitalize()}{':' if named == section.title else ''} {named}")
        drawn = section_chart(report, section)
        if drawn is not None:
            alt = spread_alt(drawn, analysis, section)
            end = deck.picture(slide, drawn, alt, Box(MARGIN, TOP, 7.3, 4.3))
            deck.notes(slide, alt)
        else:
            end = TOP + 4.3
            deck.points(slide, [(gettext("Statements fewest answered well"),
                                 statements(report, section))],
                        Box(MARGIN, TOP, 7.3, 4.3), (16, 14, 12))  # fmt: skip
        score = Box(MARGIN, end + 0.15, 7.3, BOTTOM - end - 0.15)
        deck.text(slide, [score_line(analysis, section)], score, (16, 14, 12))
        said = prompts(analysis, section, word, _action(plan, section))
        deck.text(slide, said, Box(8.1, TOP, WIDTH - 8.1 - MARGIN, BOTTOM - TOP),
                  (20, 18, 16, 14, 12), heading=gettext("To discuss"))  # fmt: skip


def statements(report: Report, section: Section) -> list[str]:
    """The section's statements least often answered on the side that scores well."""
    found = [(lean, item) for item in section.items
             if (lean := leaning(report.analysis, item)) is not None]  # fmt: skip
    found.sort(key=lambda p: p[0][0])
    return [gettext("%(share)s%% %(words)s: %(statement)s")
            % {"share": number(share * 100, 0), "words": words, "statement": quote(item)}
            for (share, words), item in found[:LISTED]]  # fmt: skip


def _action(plan: ActionPlan, section: Section) -> Action | None:
    return next((a for a in plan.actions if a.section is section), None)


def report_slides(deck: Deck, report: Report, plan: ActionPlan, name: str = "") -> None:
    """One instrument's slides: scenario, headline chart, a slide per section (left out
    with `--detail summary`, which keeps the glance and the plan)."""
    scenario_slide(deck, report, name)
    if report.shown_charts and report.shown_charts[0].name != "spread":
        chart_slide(deck, report, report.shown_charts[0], name)
    if report.detail != "summary":
        section_slides(deck, report, plan)


class ReportPPTX:
    name = "pptx"
    subject = "report"
    suffixes = (".pptx",)
    binary = True
    description = "Slides for the feedback workshop: scenario, chart, each section, the plan"

    def render(self, result: Report) -> bytes:
        analysis = result.analysis
        instrument = analysis.instrument
        deck = Deck(gettext("%(title)s: assessment report") % {"title": instrument.title})
        n = len(analysis.interpretation.scores.totals)
        said = {"count": n, "date": result.created.isoformat()}
        counted = ngettext("%(count)s respondent(s) · %(date)s",
                           "%(count)s respondent(s) · %(date)s", n) % said  # fmt: skip
        deck.cover(instrument.title, gettext("Feedback workshop") + "\n" + counted)
        report_slides(deck, result, result.plan)
        plan_slides(deck, result.plan)
        return deck.save()
