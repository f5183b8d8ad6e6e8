"""The report as an Excel workbook: scores, statements, findings, an action plan to fill in.

Every text cell goes through output.inert, so nothing typed by a respondent (a comment, an
organisation's name) can be read by a spreadsheet as a formula. The sheets' names and the
data sheets' column names are identifiers a program reads by, the same in every language
(docs/languages.md); the about sheet's labels and the due date's check are in the reader's.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pat_framework import __version__
from pat_framework.catalogue import gettext
from pat_framework.output import active_sheet, inert
from pat_framework.render.text import format_number, missing
from pat_framework.reports import content
from pat_framework.reports.data import ranked_plan_frame
from pat_framework.results import AGGREGATE

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl import Workbook

    from pat_framework.reports import Report

WIDE = 60
NARROW = 12


@dataclass
class Sheet:
    """A worksheet's title, header and rows; `wide` columns wrap their text. The title and
    (with `ids`) the header are identifiers, the same in every language."""

    title: str
    header: list[str]
    rows: list[list[Any]]
    wide: tuple[int, ...] = ()
    ids: bool = True


class ReportXLSX:
    name = "xlsx"
    subject = "report"
    suffixes = (".xlsx",)
    binary = True
    description = "An Excel workbook: scores, statements, findings and an action plan sheet"

    def render(self, result: Report) -> bytes:
        from openpyxl import Workbook

        book = Workbook()
        book.remove(active_sheet(book))
        for part in SHEETS[:3]:
            add(book, part(result))
        plan_sheet(book, ranked_plan_frame(result))
        for part in SHEETS[3:]:
            add(book, part(result))
        return save(book)


def save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def add(book: Workbook, data: Sheet | None) -> Any:
    """Write a sheet into the workbook; None (nothing to show) writes nothing."""
    if data is None or (not data.rows and data.title in OPTIONAL):
        return None
    return sheet(book, data.title, data.header, data.rows, data.wide)


def cell(value: Any) -> Any:
    """A value as a worksheet cell: numbers stay numbers, text is made inert, NaN is blank."""
    if missing(value):
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return cell(value.item())
    return inert(str(value))


def sheet(
    book: Workbook,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    wide: Sequence[int] = (),
    widths: Mapping[int, int] | None = None,
) -> Any:
    """A sheet with a bold, frozen header row; `wide` columns wrap their text. `widths`
    sets columns' widths in characters (default: wrapped ones WIDE, others NARROW)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = book.create_sheet(title)
    ws.append([cell(h) for h in header])
    for row in rows:
        ws.append([cell(v) for v in row])
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.freeze_panes = "A2"
    # Printed: landscape, as wide as the paper, the header row on every page.
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    sizes = {k: WIDE if k in wide else NARROW for k in range(len(header))} | dict(widths or {})
    for k in range(len(header)):
        letter = get_column_letter(k + 1)
        ws.column_dimensions[letter].width = sizes[k]
        if k in wide:
            for row_cells in ws.iter_rows(min_row=2, min_col=k + 1, max_col=k + 1):
                row_cells[0].alignment = Alignment(wrap_text=True, vertical="top")
    row_heights(ws, {k: sizes.get(k, WIDE) for k in wide})
    return ws


#: Points a line of 11-point text takes in a row, and the most a row is given.
LINE_HEIGHT, TALLEST = 15, 409


def row_heights(ws: Any, wide: Mapping[int, int]) -> None:
    """Each row as tall as its longest wrapped text needs, so that printed (or opened in a
    program that does not fit rows itself) no wrapped line is cut off or overlaps the next
    row, its other cells aligned to the top; rows without wrapped text keep the default
    height. `wide` maps the wrapped columns to their widths."""
    from openpyxl.styles import Alignment

    if not wide:
        return
    top = Alignment(vertical="top")
    for row in ws.iter_rows(min_row=2):
        lines = max(
            (_lines(str(row[k].value), width) for k, width in wide.items()
             if k < len(row) and row[k].value is not None),
            default=1,
        )  # fmt: skip
        if lines > 1:
            ws.row_dimensions[row[0].row].height = min(TALLEST, lines * LINE_HEIGHT)
            for k, cell in enumerate(row):  # the row's other cells at the top, beside it
                if k not in wide:
                    cell.alignment = top


def _lines(text: str, width: int) -> int:
    """How many lines a text wraps to in a column `width` characters wide (a little less
    is allowed per line, as wrapping breaks at words)."""
    usable = max(1, width - 4)
    return sum(max(1, -(-len(part) // usable)) for part in text.split("\n"))


def scores_sheet(report: Report) -> Sheet:
    analysis = report.analysis
    instrument = analysis.instrument
    rows = []
    for r in analysis.sections.to_dict("records"):
        section = instrument.section(str(r["section"]))
        meaning = next((b.text for b in section.bands if b.label == r["band"]), "")
        rows.append(
            [r["section"], r["title"], r["n"], r["median"], r["mean"], r["min"], r["max"],
             r["iqr"], r["rwg_j"], r["alpha"], r["band"], meaning, bool(r["concern"])]
        )  # fmt: skip
    group = analysis.interpretation.group
    band = group.aggregate_band
    if instrument.aggregate_bands:
        totals = analysis.interpretation.scores.totals[AGGREGATE]
        rows.append(
            [AGGREGATE, instrument.aggregate_title, group.scored, group.median_aggregate,
             totals.mean(), totals.min(), totals.max(), None, None, None,
             band.label if band else "", band.text if band else "",
             bool(band and band.concern)]
        )  # fmt: skip
    return Sheet(
        "scores",
        ["section", "title", "respondents", "median", "mean", "lowest", "highest", "IQR",
         "rWG(J)", "Cronbach's alpha", "band", "band meaning", "concern"],
        rows,
        wide=(1, 11),
    )  # fmt: skip


def statements_sheet(report: Report) -> Sheet:
    analysis = report.analysis
    instrument = analysis.instrument
    values = sorted(
        {float(o.score) for i in instrument.items for o in i.scale.scoring},
        reverse=True,
    )
    divided = {f.item_id for f in analysis.findings if f.kind == "disagreement"}
    rows = []
    for r in analysis.items.to_dict("records"):
        item = instrument.item(str(r["item"]))
        rows.append(
            [r["section"], r["item"], item.element, item.text, r["n"],
             *(r.get(f"count_{format_number(v)}") for v in values),
             r["dont_know"], r["not_applicable"], r["median"], r["mean"], r["iqr"], r["rwg"],
             r["ad"], r["agreement"], item.id in divided]
        )  # fmt: skip
    return Sheet(
        "statements",
        ["section", "item", "element", "statement", "answers",
         *(f"answered {format_number(v)}" for v in values), "don't know", "not applicable",
         "median", "mean", "IQR", "rWG", "AD", "agreement", "divided"],
        rows,
        wide=(3,),
    )  # fmt: skip


def findings_sheet(report: Report) -> Sheet:
    rows = [
        [f.kind, f.title, f.detail, f.section_id, f.item_id, f.action]
        for f in report.analysis.findings
    ]
    return Sheet(
        "findings", ["kind", "finding", "detail", "section", "item", "needs action"], rows,
        wide=(1, 2),
    )  # fmt: skip


#: The plan's columns a workshop works from and fills in, with their widths: first in the
#: sheet and the only ones printed (each point, why, a first step, and room to write), so
#: that the page is read at about 75 % scale; the rest of the evidence follows on screen.
WORKING = {"ref": 5, "instrument": 16, "subject": 18, "item": 6, "issue": 34, "why": 32,
           "first_step": 32, "action": 26, "owner": 12, "due": 11}  # fmt: skip
#: Columns of the plan whose text wraps.
WRAPPED = {"subject", "why", "first_step", "action", "statement", "issue", "comments"}


def plan_sheet(book: Workbook, frame: pd.DataFrame) -> Any:
    """The action plan, with a date check on the `due` column for the workshop to fill in."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    working = [c for c in WORKING if c in frame.columns]
    frame = frame[working + [c for c in frame.columns if c not in WORKING]]
    columns = list(frame.columns)
    wide = [k for k, c in enumerate(columns) if c in WRAPPED]
    widths = {k: WORKING[c] for k, c in enumerate(columns) if c in WORKING}
    ws = sheet(book, "action plan", columns, frame.to_numpy().tolist(), wide, widths)
    ws.print_area = f"A1:{get_column_letter(len(working))}{max(len(frame) + 1, 2)}"
    due = list(frame.columns).index("due") + 1
    letter = ws.cell(row=1, column=due).column_letter
    rule = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="DATE(2000,1,1)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=gettext("Not a date"),
        error=gettext("Enter the date by which the action is due."),
    )
    ws.add_data_validation(rule)
    last = max(len(frame) + 1, 50)
    rule.add(f"{letter}2:{letter}{last}")
    for row in range(2, last + 1):
        ws.cell(row=row, column=due).number_format = "yyyy-mm-dd"
    return ws


def groups_sheet(report: Report) -> Sheet:
    rows = []
    for attribute, frame in report.analysis.subgroups.items():
        shown = set(frame.loc[~frame["suppressed"].astype(bool), "group"].astype(str))
        for r in frame.to_dict("records"):
            if str(r["group"]) not in shown:
                continue
            if r["suppressed"]:
                rows.append([attribute, r["group"], r["section"], None, None, "withheld"])
            else:
                rows.append([attribute, r["group"], r["section"], r["n"], r["median"], r["band"]])
    return Sheet("groups", ["by", "group", "section", "respondents", "median", "band"], rows)


def rounds_sheet(report: Report) -> Sheet | None:
    frame = report.analysis.rounds
    if frame is None:
        return None
    rows = []
    for r in frame.to_dict("records"):
        if r["suppressed"]:
            rows.append([r["round"], r["section"], None, None, "withheld", None, ""])
        else:
            rows.append(
                [r["round"], r["section"], r["n"], r["median"], r["band"], r["change"],
                 r["direction"]]
            )  # fmt: skip
    return Sheet(
        "rounds",
        ["round", "section", "respondents", "median", "band", "change", "direction"], rows,
    )  # fmt: skip


def priorities_sheet(report: Report) -> Sheet | None:
    frame = report.analysis.priorities
    if frame is None:
        return None
    rows = [
        [r["rank"], r["section"], r["title"], r["significance"], r["score"], r["quadrant"]]
        for r in frame.sort_values("rank").to_dict("records")
    ]
    return Sheet(
        "priorities",
        ["priority", "section", "title", "mean significance", "median score", "reading"],
        rows, wide=(2,),
    )  # fmt: skip


def comments_sheet(report: Report) -> Sheet:
    said = content.comments(report.analysis, None)
    rows = [[e.item, e.statement, text] for e in said for text in e.texts]
    return Sheet("comments", ["item", "statement", "comment"], rows, wide=(1, 2))


def about_sheet(report: Report) -> Sheet:
    analysis = report.analysis
    instrument = analysis.instrument
    produced = {"date": report.created.isoformat(), "version": __version__}
    rows: list[list[Any]] = [
        [gettext("instrument"), f"{instrument.title} ({instrument.id} {instrument.version})"],
        [gettext("source"), instrument.source.citation()],
        [gettext("licence"), instrument.source.licence],
        [gettext("respondents"), len(analysis.interpretation.scores.totals)],
        [gettext("smallest group shown"), analysis.min_group],
        [gettext("fewest respondents for comments"), analysis.rules.comments],
        [gettext("produced"), gettext("%(date)s by pat %(version)s") % produced],
    ]
    rows += [[gettext("note"), note] for note in content.notes(report)]
    return Sheet("about", ["", ""], rows, wide=(1,), ids=False)


#: The sheets in workbook order (the action plan goes after the third); None: no sheet.
SHEETS: tuple[Callable[[Report], Sheet | None], ...] = (
    scores_sheet,
    statements_sheet,
    findings_sheet,
    groups_sheet,
    rounds_sheet,
    priorities_sheet,
    comments_sheet,
    about_sheet,
)
#: Sheets left out of a workbook when they have no rows.
OPTIONAL = {"groups", "comments"}
