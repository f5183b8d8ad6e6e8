"""Cells a table reader would otherwise pass over in silence: rows of a text file cut short,
and in a workbook formulas with no saved value, error cells (#N/A) and answers on a sheet
other than the first."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from pat_framework.errors import Problem
from pat_framework.textfiles import TextTable

LIMIT = 20
#: The sheet beside the answers in a workbook `pat template` writes: the statements' key.
KEY_SHEET = "statements"
_FORMULA_OR_ERROR = re.compile(rb'<f[ >/]|t="e"')


def short_rows(path: Path, table: TextTable, columns: int) -> list[Problem]:
    """A problem for each row with fewer fields than the header (pandas pads them blank)."""
    import pyarrow as pa
    import pyarrow.csv as pc

    rows: list[tuple[int, int]] = []

    def invalid(row: Any) -> str:
        if row.actual_columns < row.expected_columns and len(rows) < LIMIT:
            rows.append((row.number, row.actual_columns))
        return "skip"

    first = f"f{0}"
    try:
        pc.read_csv(
            path,
            read_options=pc.ReadOptions(
                use_threads=False,
                encoding=table.encoding,
                skip_rows=table.skip_lines + 1,
                column_names=[f"f{k}" for k in range(columns)],
            ),
            parse_options=pc.ParseOptions(
                delimiter=table.delimiter, newlines_in_values=True, invalid_row_handler=invalid
            ),
            convert_options=pc.ConvertOptions(
                include_columns=[first], column_types={first: pa.string()}
            ),
        )
    except (pa.ArrowInvalid, UnicodeError, ValueError):
        return []  # pandas' reader, which runs next, says what is wrong
    return [
        Problem(
            str(path),
            f"the row has {found} of the header's {columns} fields: it was cut short "
            "(check for a missing delimiter or a line break inside an answer)",
            row=number,
        )
        for number, found in rows
    ]


def workbook_problems(path: Path, item_ids: set[str]) -> tuple[list[Problem], list[str]]:
    """Problems and notes about a workbook's cells beyond what pandas reads of sheet 1."""
    from openpyxl import load_workbook

    file = str(path)
    problems: list[Problem] = []
    notes: list[str] = []
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # pandas' reader, which runs next, says what is wrong
        return [], []
    try:
        names = book.sheetnames
        other_answers, other_text = [], []
        for name in names[1:]:
            header = next(book[name].iter_rows(max_row=1, values_only=True), ())
            labels = {str(c).strip().lower() for c in header if c is not None}
            if labels & item_ids:
                other_answers.append(name)
            elif name != KEY_SHEET and any(
                row for row in book[name].iter_rows(max_row=5, values_only=True) if any(row)
            ):
                other_text.append(name)
        if other_answers:
            problems.append(
                Problem(
                    file,
                    f"answers on more than one sheet ({', '.join([names[0], *other_answers])}):"
                    " pat reads one sheet; put them on the first, or save each sheet as its "
                    "own file",
                )
            )
        if other_text:
            notes.append(f"{file}: read sheet '{names[0]}' only, not {', '.join(other_text)}")
        if _has_formulas_or_errors(path):
            problems += _formula_and_error_cells(path, book[names[0]])
    finally:
        book.close()
    return problems, notes


def _has_formulas_or_errors(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with archive.open(name) as handle:
                        if _FORMULA_OR_ERROR.search(handle.read()):
                            return True
    except (OSError, zipfile.BadZipFile):
        return False
    return False


def _formula_and_error_cells(path: Path, values: Any) -> list[Problem]:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    file = str(path)
    formulas = load_workbook(path, read_only=True, data_only=False)
    try:
        sheet = formulas[formulas.sheetnames[0]]
        rows = zip(values.iter_rows(values_only=False), sheet.iter_rows(), strict=False)
        header: list[str] = []
        problems: list[Problem] = []
        for number, (saved, written) in enumerate(rows, 1):
            if number == 1:
                header = ["" if c.value is None else str(c.value) for c in saved]
                continue
            for k, (cell, source) in enumerate(zip(saved, written, strict=False)):
                if len(problems) >= LIMIT:
                    return problems
                name = header[k] if k < len(header) else ""
                where = (
                    f"{get_column_letter(k + 1)} ({name})" if name else get_column_letter(k + 1)
                )
                if getattr(cell, "data_type", "") == "e":
                    problems.append(
                        Problem(
                            file,
                            f"the cell holds the error {cell.value}: enter the "
                            "answer, or clear the cell",
                            row=number,
                            column=where,
                        )
                    )
                elif getattr(source, "data_type", "") == "f" and cell.value is None:
                    problems.append(
                        Problem(
                            file,
                            f"the cell holds a formula ({source.value}) with no saved "
                            "value: open the file in Excel or LibreOffice and save it, or "
                            "type the answer",
                            row=number,
                            column=where,
                        )
                    )
        return problems
    finally:
        formulas.close()
