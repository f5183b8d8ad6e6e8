"""The combined workshop report as one Excel workbook.

A summary sheet, one action plan for the whole workshop, then each kind of table
(scores, statements, findings…) with the rows of every instrument, led by an
`instrument` column so they can be filtered. Every text cell is made inert.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pat_framework.catalogue import gettext
from pat_framework.output import active_sheet
from pat_framework.reports import content
from pat_framework.reports.workbook import SHEETS, Sheet, add, plan_sheet, save
from pat_framework.workshop import content as workshop_content

if TYPE_CHECKING:
    from pat_framework.workshop.run import WorkshopReport


class WorkshopXLSX:
    name = "xlsx"
    subject = "workshop"
    suffixes = (".xlsx",)
    binary = True
    description = "An Excel workbook: summary, one action plan, every instrument's tables"

    def render(self, result: WorkshopReport) -> bytes:
        from openpyxl import Workbook

        book = Workbook()
        book.remove(active_sheet(book))
        add(book, summary_sheet(result))
        plan = workshop_content.workshop_plan(result)
        plan_sheet(book, plan)
        add(book, agreed_sheet(result))
        for part in SHEETS:
            add(book, combined(result, part))
        return save(book)


def summary_sheet(result: WorkshopReport) -> Sheet:
    table = workshop_content.summary_table(result)
    rows: list[list[Any]] = [[label, value] for label, value in workshop_content.details(result)]
    rows.append(["", ""])
    rows.append(table.header)
    rows += table.rows
    return Sheet("summary", [gettext("workshop"), ""], rows, wide=(1, 2), ids=False)


def agreed_sheet(result: WorkshopReport) -> Sheet | None:
    """What the room agreed, a row per view and per action; None when nothing was."""
    data = workshop_content.agreed_document(result) if result.agreed else None
    if data is None:
        return None
    rows: list[list[Any]] = [
        [v["instrument"], v["section"], "view",
         workshop_content.agreed_view(v["score"], v["band"], v["below_average"]), None, None]
        for v in data["views"]
    ]  # fmt: skip
    rows += [
        [a["instrument"], a["section"], "action", a["action"], a["owner"], a["due"]]
        for a in data["actions"]
    ]
    header = ["instrument", "section", "agreed", "what", "owner", "due"]
    return Sheet("agreed", header, rows, wide=(3,))


def combined(result: WorkshopReport, part: Any) -> Sheet | None:
    """One sheet kind with every instrument's rows, an `instrument` column first."""
    found = [(report, part(report)) for report in result.parts]
    found = [(report, data) for report, data in found if data is not None]
    if not found:
        return None
    first = found[0][1]
    first_head = "instrument" if first.ids else gettext("instrument")
    header = [first_head, *_union_header([data for _, data in found])]
    same = all(data.header == first.header for _, data in found)
    rows = _stacked(found) if same else _aligned(found, header)
    return Sheet(first.title, header, rows, tuple(k + 1 for k in first.wide), first.ids)


def _stacked(found: list[tuple[Any, Sheet]]) -> list[list[Any]]:
    return [
        [content.instrument_of(report.analysis).id, *row]
        for report, data in found
        for row in data.rows
    ]


def _union_header(sheets: list[Sheet]) -> list[str]:
    """Every column of every instrument's sheet, in first-seen order."""
    return list(dict.fromkeys(column for data in sheets for column in data.header))


def _aligned(found: list[tuple[Any, Sheet]], header: list[str]) -> list[list[Any]]:
    """Rows placed under the union header: instruments' answer columns differ."""
    rows = []
    for report, data in found:
        ident = content.instrument_of(report.analysis).id
        for row in data.rows:
            cells = dict(zip(data.header, row, strict=True))
            rows.append([ident, *(cells.get(column) for column in header[1:])])
    return rows
