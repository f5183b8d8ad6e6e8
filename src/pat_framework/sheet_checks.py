"""Cells a table reader would otherwise pass over in silence: rows of a text file cut short,
and in a workbook formulas with no saved value, error cells (#N/A) and answers on a sheet
other than the one read (the first, or the one `--sheet` names)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from pat_framework.errors import Problem
from pat_framework.textfiles import TextTable

LIMIT = 20
#: The sheet beside the answers in a workbook `pat template` writes: the statements' key.
KEY_SHEET = "statements"
#: How a formula or an error cell starts in a sheet's XML (searched for as bytes: fast).
_FORMULA_OR_ERROR = (b"<f>", b"<f ", b"<f/", b't="e"')


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


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted workbook, or an old .xls


def unreadable_workbook(path: Path, exc: Exception) -> str:
    """Why a workbook cannot be read, in words a user can act on."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        head = b""
    if head == _OLE:
        return (
            "the workbook is password-protected (or is an old .xls renamed .xlsx): open it "
            "in Excel and save a copy without a password, as .xlsx"
        )
    return f"cannot read the workbook: {exc}"


def sheet_named(names: list[str], wanted: str) -> str:
    """The sheet `--sheet` names, matched as Excel does (ignoring case); ValueError if none."""
    for name in names:
        if name.strip().casefold() == wanted.strip().casefold():
            return name
    listed = ", ".join(f"'{n}'" for n in names)
    raise ValueError(f"--sheet: the workbook has no sheet named '{wanted}' (its sheets: {listed})")


def choose_sheet(path: Path, wanted: str | None) -> str | int:
    """The sheet to read: the one named (checked), or the first."""
    if wanted is None:
        return 0
    from pat_framework.workbooks import sheet_names

    try:
        names = sheet_names(path)
    except Exception:  # the reader, which runs next, says what is wrong
        return wanted
    return sheet_named(names, wanted)


def workbook_problems(
    path: Path, item_ids: set[str], wanted: str | None = None
) -> tuple[list[Problem], list[str], str | int]:
    """Problems and notes about a workbook's cells beyond what pandas reads of the sheet,
    and the sheet to read (the first, or the one named `wanted`)."""
    from pat_framework.workbooks import first_rows, sheet_names

    file = str(path)
    problems: list[Problem] = []
    notes: list[str] = []
    try:
        names = sheet_names(path)
    except Exception:  # the reader, which runs next, says what is wrong
        return [], [], wanted or 0
    try:
        chosen = names[0] if wanted is None else sheet_named(names, wanted)
    except ValueError as exc:
        return [Problem(file, str(exc))], [], 0
    other_answers, other_text = [], []
    for name in names:
        if name == chosen:
            continue
        top = first_rows(path, name, 5)
        labels = {str(c).strip().lower() for c in (top[0] if top else [])}
        if labels & item_ids:
            other_answers.append(name)
        elif name != KEY_SHEET and any(c not in (None, "") for row in top for c in row):
            other_text.append(name)
    if other_answers and wanted is None:
        problems.append(
            Problem(
                file,
                f"answers on more than one sheet ({', '.join([chosen, *other_answers])}):"
                " pat reads one sheet: say which with --sheet NAME, or save each sheet as "
                "its own file",
            )
        )
    elif other_answers or other_text:
        others = ", ".join(f"'{n}'" for n in [*other_answers, *other_text])
        notes.append(f"{file}: read sheet '{chosen}' only, not {others}")
    if _has_formulas_or_errors(path):
        problems += _formula_and_error_cells(path, chosen)
    return problems, notes, chosen


def _has_formulas_or_errors(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with archive.open(name) as handle:
                        tail = b""
                        while block := handle.read(1 << 20):  # a sheet may be large
                            if any(mark in tail + block for mark in _FORMULA_OR_ERROR):
                                return True
                            tail = block[-8:]
    except (OSError, zipfile.BadZipFile):
        return False
    return False


def _formula_and_error_cells(path: Path, chosen: str) -> list[Problem]:
    """Formulas without a saved value and error cells, read with openpyxl (only for a
    workbook that has either: the saved values and the formulas are two readings)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    file = str(path)
    saved_values = load_workbook(path, read_only=True, data_only=True)
    formulas = load_workbook(path, read_only=True, data_only=False)
    try:
        sheet = formulas[chosen]
        values = saved_values[chosen]
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
        saved_values.close()
