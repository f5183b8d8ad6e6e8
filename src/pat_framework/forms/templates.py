"""Blank answer sheets for typing in paper answers."""

from __future__ import annotations

import csv
import io

from pat_framework.catalogue import _
from pat_framework.errors import PatError
from pat_framework.languages import ATTRIBUTE
from pat_framework.model import Instrument
from pat_framework.output import active_sheet, as_text
from pat_framework.responses import RESPONDENT, STANDARD_ATTRIBUTES
from pat_framework.sheet_checks import KEY_SHEET

SHEET_ATTRIBUTES = (RESPONDENT, *STANDARD_ATTRIBUTES[:3])


def sheet_attributes(instrument: Instrument) -> tuple[str, ...]:
    """The respondent columns of a sheet for `instrument`."""
    return (*SHEET_ATTRIBUTES, ATTRIBUTE) if instrument.languages else SHEET_ATTRIBUTES


def blank_sheet(instrument: Instrument, suffix: str) -> str | bytes:
    """A wide sheet: respondent, organisation, level, round (and language, for an
    instrument in several), then one column per item."""
    header = [*sheet_attributes(instrument), *instrument.item_ids]
    if suffix == ".csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(header)
        return buffer.getvalue()
    if suffix == ".xlsx":
        return _workbook(instrument, header)
    raise PatError(f"cannot write a template as '{suffix}': use .csv or .xlsx")


def _workbook(instrument: Instrument, header: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = active_sheet(book)
    sheet.title = "responses"
    sheet.append(header)
    as_text(sheet[1])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    first = len(sheet_attributes(instrument)) + 1
    for k, item in enumerate(instrument.items):
        letter = get_column_letter(first + k)
        choices = ",".join(o.label for o in item.scale.options)
        if len(choices) < 250 and '"' not in choices:
            rule = DataValidation(
                type="list",
                formula1=f'"{choices}"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("Not an answer"),
                error=_("Accepted: %(answers)s") % {"answers": item.scale.describe()},
            )
            sheet.add_data_validation(rule)
            rule.add(f"{letter}2:{letter}1000")
    if instrument.languages:
        letter = get_column_letter(len(SHEET_ATTRIBUTES) + 1)
        rule = DataValidation(type="list", formula1=f'"{",".join(instrument.languages)}"')
        rule.allow_blank = True
        sheet.add_data_validation(rule)
        rule.add(f"{letter}2:{letter}1000")
    key = book.create_sheet(KEY_SHEET)
    key.append([_("item"), _("section"), _("statement"), _("accepted answers")])
    for item in instrument.items:
        key.append([item.id, item.section_id, item.text, item.scale.describe()])
        as_text(key[key.max_row])
    for cell in key[1]:
        cell.font = Font(bold=True)
    key.column_dimensions["C"].width = 80
    key.column_dimensions["D"].width = 60
    for row in key.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
