"""Helpers for the form tests: make a form with the CLI and fill it as a respondent would.

The respondent's view is the visible sheet only: a statement's row is found by its item id
in the first column, the answer and comment cells by the column headings, the fields by
their labels. Answers are chosen from the drop-down's own list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from pat_framework.testing import invoke

FIELD_LABELS = {
    "respondent": "Respondent code",
    "organisation": "Organisation",
    "level": "Level",
    "round": "Round",
    "date": "Date",
}


def make_form(instrument: str, path: Path, *options: str) -> Path:
    result = invoke("form", instrument, "-o", str(path), *options)
    assert result.exit_code == 0, result.output
    return path


def drop_down(sheet: Worksheet, coordinate: str) -> list[str]:
    """The labels the drop-down of a cell offers (its list validation, through its name)."""
    book = sheet.parent
    rules = [r for r in sheet.data_validations.dataValidation if coordinate in r.sqref]
    assert len(rules) == 1, f"{coordinate} has {len(rules)} validations"
    rule = rules[0]
    assert rule.type == "list"
    ((title, cells),) = book.defined_names[rule.formula1].destinations
    return [row[0].value for row in book[title][cells.replace("$", "")]]


def fill_form(
    form: Path,
    out: Path,
    answers: dict[str, Any],
    fields: dict[str, str] | None = None,
    comments: dict[str, str] | None = None,
) -> Path:
    """Copy `form` to `out` with the answers (labels, or a list index), fields and comments."""
    book = load_workbook(form)
    sheet = book["Form"]
    rows, answer_column, comment_column = _statement_rows(sheet)
    for item, answer in answers.items():
        cell = sheet.cell(rows[item], answer_column)
        if isinstance(answer, int):
            answer = drop_down(sheet, cell.coordinate)[answer]
        cell.value = answer
    for item, comment in (comments or {}).items():
        sheet.cell(rows[item], comment_column).value = comment
    for name, value in (fields or {}).items():
        sheet.cell(_label_row(sheet, FIELD_LABELS[name]), 3).value = value
    book.save(out)
    return out


def _statement_rows(sheet: Worksheet) -> tuple[dict[str, int], int, int]:
    """Item id -> row, and the answer and comment columns, read from the visible table."""
    rows: dict[str, int] = {}
    answer = comment = 0
    for row in sheet.iter_rows():
        first = row[0].value
        if first == "Item":
            headings = [str(c.value or "") for c in row]
            answer = next(k for k, h in enumerate(headings, 1) if h.startswith("Answer"))
            comment = headings.index("Comment") + 1
        elif (
            answer
            and isinstance(first, str)
            and first
            and row[answer - 1].protection.locked is False
        ):
            rows[first] = row[0].row
    return rows, answer, comment


def _label_row(sheet: Worksheet, label: str) -> int:
    for row in sheet.iter_rows(max_col=2):
        if row[1].value == label:
            return row[1].row
    raise AssertionError(f"no field labelled {label}")
