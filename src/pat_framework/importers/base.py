"""What an importer reads (a `Sheet`: every cell of a file as text) and what it gives back
(an `Export`: the data rows and what each column holds)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

#: What a column of an export holds. `question`: an answer, matched to a statement or an
#: attribute; `respondent`: the tool's response id; `date`: when the answers were given;
#: `personal`: data that identifies a person (never carried into pat's outputs); `meta`: the
#: tool's bookkeeping (durations, statuses, versions), left out.
Role = Literal["question", "respondent", "date", "personal", "meta"]


@dataclass(frozen=True)
class Column:
    """One column of an export."""

    position: int
    header: str  # how the file names it, unique in the export; the map file's key
    names: tuple[str, ...] = ()  # codes that may be an item id (Q1_1, group/P1A, P1A)
    texts: tuple[str, ...] = ()  # texts that may be a statement (question, grid row)
    role: Role = "question"


@dataclass
class Export:
    """An export read by an importer: its columns and its data rows as text."""

    tool: str
    columns: list[Column]
    rows: pd.DataFrame  # columns by position; index = the file's row numbers; "" for blank
    notes: list[str] = field(default_factory=list)


@dataclass
class Sheet:
    """Every cell of a response file as text ("" for a blank), before any header is read.

    `cells` is indexed by the file's row numbers (1 for the first row, after Excel's `sep=`
    line if any) with columns by position, so an importer can look at as many header rows
    as its tool writes.
    """

    file: str
    cells: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def row(self, number: int) -> list[str]:
        """The cells of one row of the table (1 for the first), [] past the end."""
        if not 0 < number <= len(self.cells):
            return []
        return [str(c) for c in self.cells.iloc[number - 1]]

    def data(self, header_rows: int) -> pd.DataFrame:
        """The rows after the header rows, blank rows left out."""
        rows = self.cells.iloc[header_rows:]
        return rows[(rows != "").any(axis=1)]


def unique_headers(headers: list[str]) -> list[str]:
    """Headers made unique for the map file: a repeat gets ' (2)', ' (3)' …"""
    seen: dict[str, int] = {}
    out = []
    for header in headers:
        count = seen.get(header, 0) + 1
        seen[header] = count
        out.append(header if count == 1 else f"{header} ({count})")
    return out


_GRID = re.compile(r"^(?P<question>.*\S)\s*\[(?P<row>[^\[\]]+)\]\s*$", re.S)


def grid(text: str) -> tuple[str, str] | None:
    """'Question [Row]' (Google Forms, LimeSurvey) as (question, row), or None."""
    found = _GRID.match(text)
    return (found["question"], found["row"].strip()) if found else None


def read_sheet(path: Path, rows: int | None = None, sheet: str | None = None) -> Sheet:
    """Every cell of a CSV, TSV or XLSX file (the first sheet, or the one named `sheet`) as
    text; only the first `rows` rows when given (enough to tell which tool wrote it)."""
    import pandas as pd

    from pat_framework.render.text import format_number
    from pat_framework.textfiles import sniff

    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        table = sniff(path)
        try:
            cells = pd.read_csv(
                path,
                header=None,
                dtype=str,
                keep_default_na=False,
                encoding=table.encoding,
                sep=table.delimiter,
                skiprows=table.skip_lines,
                skip_blank_lines=False,
                nrows=rows,
            )
        except (UnicodeError, pd.errors.ParserError) as exc:
            raise ValueError(f"cannot read the text: {exc}") from None
        cells = cells.fillna("")  # a row shorter than the header
        cells.index = pd.RangeIndex(1 + table.skip_lines, 1 + table.skip_lines + len(cells))
        note = table.note(str(path))
        return Sheet(str(path), cells, [note] if note else [])
    from pat_framework import workbooks
    from pat_framework.sheet_checks import choose_sheet

    chosen = choose_sheet(path, sheet)  # ValueError naming the sheets when it has no such one
    try:
        raw = pd.DataFrame(workbooks.rows(path, chosen, peek=rows), dtype=object)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        from pat_framework.sheet_checks import unreadable_workbook

        raise ValueError(unreadable_workbook(path, exc)) from None

    def text(value: object) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return ""
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int | float):
            return format_number(float(value))
        return str(value).strip()

    cells = raw.map(text)
    cells.index = pd.RangeIndex(1, 1 + len(cells))
    cells.columns = pd.RangeIndex(len(cells.columns))
    return Sheet(str(path), cells)
