"""Reading an XLSForm workbook (.xlsx, .xls or .ods): its sheets as rows of text keyed by
column, the headers understood as pyxform understands them (its aliases, `label::LANGUAGE`
and `label:LANGUAGE`), every cell as pyxform reads it. Every problem names the sheet, the
row and the column.

pyxform's own workbook readers (`xls2json_backends.xlsx_to_dict`, `xls_to_dict`) are not used
whole: they drop the positions of the columns (so messages could not name the column
letter), drop sheets they do not know and read no .ods. The rows are read here with
openpyxl, xlrd and pandas' odf reader; the headers and cells go through pyxform's
functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pat_framework.errors import PatError, Problem, ProblemsError

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
#: The columns pat reads on each sheet, beside pyxform's aliases of them.
_COLUMNS = {
    "survey": {"type", "name", "label", "hint", "choice_filter", "kobo--score-choices"},
    "choices": {"list_name", "name", "label"},
    "settings": {"title", "id_string", "version", "default_language", "allow_choice_duplicates"},
}


class XLSFormError(ProblemsError):
    """An XLSForm that cannot be converted."""


@dataclass(frozen=True)
class Row:
    """One filled row of a sheet: its number in the sheet and its cells by column key."""

    number: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Sheet:
    """One sheet of the form, with where each column is.

    A column's key is its name as pyxform reads it ('label' for 'Label' or 'caption'),
    with the language after '::' where it has one ('label::Français (fr)').
    """

    file: str
    name: str
    letters: dict[str, str] = field(default_factory=dict)  # key -> column letter
    written: dict[str, str] = field(default_factory=dict)  # key -> header as written
    tokens: dict[str, tuple[str, ...]] = field(default_factory=dict)  # key -> its parts
    rows: list[Row] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.file}, sheet {self.name}"

    def column(self, key: str) -> str:
        """The column as messages name it: 'B (type)'."""
        letter = self.letters.get(key)
        return f"{letter} ({self.written.get(key, key)})" if letter else key

    def problem(self, row: int | None, key: str | None, message: str) -> Problem:
        column = self.column(key) if key else None
        return Problem(self.where, message, row=row, column=column)

    def require(self, *keys: str) -> list[Problem]:
        """Problems for required columns the sheet lacks."""
        known = ", ".join(self.written.values()) or "none"
        return [
            self.problem(1, None, f"no '{k}' column (the first row holds the headers: {known})")
            for k in keys
            if k not in self.letters
        ]

    def languages(self, column: str) -> list[str]:
        """The languages of `column` in header order: 'English (en)' for 'label::English (en)'."""
        return [t[1] for t in self.tokens.values() if len(t) == 2 and t[0] == column]

    def localised(self, column: str, language: str | None) -> str | None:
        """The key of `column` in `language` (None: the plain column), if the sheet has it."""
        if language is None:
            return column if column in self.letters else None
        return next(
            (
                key
                for key, t in self.tokens.items()
                if len(t) == 2 and t[0] == column and same_language(t[1], language)
            ),
            None,
        )


def same_language(written: str, wanted: str) -> bool:
    """'English (en)' matches 'english', 'English (en)' and 'en'."""
    written, wanted = written.strip().lower(), wanted.strip().lower()
    name, _, code = written.partition("(")
    return wanted in (written, name.strip(), code.rstrip(")").strip())


def read_workbook(path: Path) -> dict[str, Sheet]:
    """Every sheet of the workbook by lower-case name; cells as text, as pyxform reads them."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise PatError(
            f"{path}: an XLSForm must be a workbook: .xlsx, .xls or .ods (got "
            f"'{path.suffix or 'no suffix'}'; save it as .xlsx)"
        )
    if not path.is_file():
        raise PatError(f"{path}: no such file")
    reader = {".xls": _xls_rows, ".ods": _ods_rows}.get(suffix, _xlsx_rows)
    sheets: dict[str, Sheet] = {}
    for title, rows in reader(path):
        sheet = _sheet(str(path), title, rows)
        sheets[title.strip().lower()] = sheet
    return sheets


def _sheet(file: str, title: str, rows: Iterable[Sequence[str]]) -> Sheet:
    """A sheet from its rows of text cells, the first row the headers."""
    from openpyxl.utils import get_column_letter
    from pyxform import aliases  # type: ignore[import-untyped]
    from pyxform.parsing.sheet_headers import process_header  # type: ignore[import-untyped]

    sheet = Sheet(file, title)
    lines = iter(rows)
    header = list(next(lines, ()))
    header_aliases: dict[str, Any] = {
        "survey": aliases.survey_header,
        "choices": {k: v for k, v in aliases.list_header.items() if k != "list_name"},
        "settings": aliases.settings_header,
    }.get(title.strip().lower(), {})
    columns = _COLUMNS.get(title.strip().lower(), set())
    double_colon = any("::" in h for h in header)
    keys: list[str] = []
    problems = []
    for number, written in enumerate(header, 1):
        if not written:
            keys.append("")
            continue
        tokens = tuple(process_header(written, double_colon, header_aliases, columns)[1])
        key = "::".join(tokens)
        letter = get_column_letter(number)
        if key in sheet.letters:
            problems.append(
                sheet.problem(
                    1,
                    None,
                    f"column {letter} ({written}) is a second {sheet.column(key)} column: "
                    "keep one of them",
                )
            )
        sheet.letters[key], sheet.written[key], sheet.tokens[key] = letter, written, tokens
        keys.append(key)
    if problems:
        raise XLSFormError(f"{file}: {len(problems)} problem(s) in the XLSForm", problems)
    for number, values in enumerate(lines, 2):
        cells = {k: v for k, v in zip(keys, values, strict=False) if k and v}
        if cells:
            sheet.rows.append(Row(number, cells))
    return sheet


def _clean(to_text: Callable[[Any], str]) -> Callable[[Any], str]:
    """A cell reader: pyxform's text of the cell, stripped, with straight quotes."""
    from pyxform.parsing.sheet_headers import clean_text_values

    def read(value: Any) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            return ""
        return str(clean_text_values(to_text(value).strip()))

    return read


def _xlsx_rows(path: Path) -> Iterable[tuple[str, list[list[str]]]]:
    from openpyxl import load_workbook
    from pyxform.xls2json_backends import xlsx_value_to_str  # type: ignore[import-untyped]

    text = _clean(xlsx_value_to_str)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise PatError(f"{path}: cannot read the workbook ({exc})") from None
    try:
        return [
            (ws.title, [[text(v) for v in values] for values in ws.iter_rows(values_only=True)])
            for ws in book.worksheets
        ]
    finally:
        book.close()


def _xls_rows(path: Path) -> Iterable[tuple[str, list[list[str]]]]:
    import xlrd  # type: ignore[import-untyped]
    from pyxform.xls2json_backends import xls_value_to_unicode

    try:
        book = xlrd.open_workbook(str(path))
    except Exception as exc:  # xlrd raises several kinds for a damaged file
        raise PatError(f"{path}: cannot read the workbook ({exc})") from None
    empty = (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK)
    text = _clean(str)
    sheets = []
    try:
        for ws in book.sheets():
            rows = []
            for r in range(ws.nrows):
                line = []
                for c, cell in enumerate(ws.row(r)):
                    try:
                        value = (
                            None
                            if cell.ctype in empty
                            else xls_value_to_unicode(cell.value, cell.ctype, book.datemode)
                        )
                    except xlrd.xldate.XLDateError:
                        raise PatError(
                            f"{path}, sheet {ws.name}, row {r + 1}, column "
                            f"{xlrd.formula.colname(c)}: a date Excel cannot place: type it "
                            "as text"
                        ) from None
                    line.append(text(value))
                rows.append(line)
            sheets.append((ws.name, rows))
    finally:
        book.release_resources()
    return sheets


def _ods_rows(path: Path) -> Iterable[tuple[str, list[list[str]]]]:
    import pandas as pd
    from pyxform.xls2json_backends import xlsx_value_to_str

    text = _clean(xlsx_value_to_str)
    try:
        frames = pd.read_excel(path, sheet_name=None, header=None, engine="odf", dtype=object)
    except ImportError:
        raise PatError(
            f"{path}: reading .ods needs the odfpy package: pip install odfpy (or save the "
            "form as .xlsx)"
        ) from None
    except Exception as exc:  # odfpy and its XML parser raise many kinds
        raise PatError(f"{path}: cannot read the workbook ({exc})") from None
    return [
        (
            str(title),
            [[text(None if pd.isna(v) else v) for v in row] for row in frame.itertuples(False)],
        )
        for title, frame in frames.items()
    ]
