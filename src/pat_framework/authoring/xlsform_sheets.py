"""Reading an XLSForm workbook: its sheets as rows of text keyed by column, and the language
of the labels. Every problem names the sheet, the row and the column."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pat_framework.errors import PatError, Problem, ProblemsError

#: Older forms write some headers with a space.
HEADER_ALIASES = {"list name": "list_name"}
_LANGUAGE = re.compile(r"^(?P<column>[a-z_]+)\s*::?\s*(?P<language>.+)$", re.I)


class XLSFormError(ProblemsError):
    """An XLSForm that cannot be converted."""


@dataclass(frozen=True)
class Row:
    """One filled row of a sheet: its number in the sheet and its cells by header."""

    number: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Sheet:
    """One sheet of the form, with where each header is."""

    file: str
    name: str
    letters: dict[str, str]  # header (lower case) -> column letter
    written: dict[str, str] = field(default_factory=dict)  # header (lower case) -> as written
    rows: list[Row] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.file}, sheet {self.name}"

    def column(self, header: str) -> str:
        """The column as messages name it: 'B (type)'."""
        letter = self.letters.get(header)
        return f"{letter} ({header})" if letter else header

    def problem(self, row: int | None, header: str | None, message: str) -> Problem:
        column = self.column(header) if header else None
        return Problem(self.where, message, row=row, column=column)

    def require(self, *headers: str) -> list[Problem]:
        """Problems for required headers the sheet lacks."""
        known = ", ".join(self.letters) or "none"
        return [
            self.problem(1, None, f"no '{h}' column (the first row holds the headers: {known})")
            for h in headers
            if h not in self.letters
        ]

    def languages(self, column: str) -> list[str]:
        """The languages of `column` in header order: 'English (en)' for 'label::English (en)'."""
        found = []
        for header in self.letters:
            match = _LANGUAGE.match(header)
            if match and match["column"].lower() == column:
                found.append(self.written.get(header, header).split(":")[-1].strip())
        return found

    def localised(self, column: str, language: str | None) -> str | None:
        """The header holding `column` in `language` (None: the plain column), if any."""
        if language is None:
            return column if column in self.letters else None
        for header in self.letters:
            match = _LANGUAGE.match(header)
            if (
                match
                and match["column"].lower() == column
                and same_language(match["language"], language)
            ):
                return header
        return None


def same_language(written: str, wanted: str) -> bool:
    """'English (en)' matches 'english', 'English (en)' and 'en'."""
    written, wanted = written.strip().lower(), wanted.strip().lower()
    name, _, code = written.partition("(")
    return wanted in (written, name.strip(), code.rstrip(")").strip())


def read_workbook(path: Path) -> dict[str, Sheet]:
    """Every sheet of the workbook by lower-case name; text cells stripped, numbers as text."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    if path.suffix.lower() != ".xlsx":
        raise PatError(f"{path}: an XLSForm must be an Excel .xlsx file (save it as .xlsx)")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise PatError(f"{path}: no such file") from None
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise PatError(f"{path}: cannot read the workbook ({exc})") from None
    sheets = {}
    try:
        for ws in book.worksheets:
            rows = ws.iter_rows(values_only=True)
            written = [_text(v) for v in next(rows, ())]
            header = [HEADER_ALIASES.get(h.lower(), h.lower()) for h in written]
            sheet = Sheet(
                str(path),
                ws.title,
                {h: get_column_letter(k) for k, h in enumerate(header, 1) if h},
                dict(zip(header, written, strict=True)),
            )
            for number, values in enumerate(rows, 2):
                cells = {
                    h: _text(v) for h, v in zip(header, values, strict=False) if h and _text(v)
                }
                if cells:
                    sheet.rows.append(Row(number, cells))
            sheets[ws.title.strip().lower()] = sheet
    finally:
        book.close()
    return sheets


def _text(value: Any) -> str:
    """A cell as text: 4.0 as '4', None as ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
