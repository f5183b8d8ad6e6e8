"""A workbook's cells, read with python-calamine straight into rows of Python values.

Faster than pandas' own calamine reader, which converts every cell again in Python, and
read once: the peek that tells which tool wrote a file and the read after it share the
rows (kept from the peek until the read takes them)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

_kept: tuple[tuple[str, int, int, str], list[list[Any]]] | None = None
_names: tuple[tuple[str, int, int], list[str]] | None = None

#: What a workbook may unpack to: in all, and in a part packed tighter than `_RATIO` to 1
#: (a "zip bomb": a small file that unpacks to gigabytes). A 300,000-row answer sheet
#: unpacks to about 230 MB at 14 to 1.
_LARGEST, _RATIO, _TIGHT = 2 << 30, 100, 100 << 20


def check_size(path: Path) -> None:
    """ValueError for a workbook that would unpack to more than any answer sheet needs."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (OSError, zipfile.BadZipFile):
        return  # not a zip: the reader says what it is
    total = sum(part.file_size for part in parts)
    tight = [
        p for p in parts if p.file_size > _TIGHT and p.file_size > _RATIO * max(1, p.compress_size)
    ]
    if total > _LARGEST or tight:
        why = (
            f"{tight[0].filename} is packed {tight[0].file_size // max(1, tight[0].compress_size)}"
            " to 1"
            if tight
            else f"it unpacks to {total >> 20:,} MB"
        )
        raise ValueError(
            f"the workbook is too large to read safely ({why}): no answer sheet needs that "
            "much; check the file, or save the answers as CSV"
        )


def sheet_names(path: Path) -> list[str]:
    """The names of the workbook's sheets, in order: opened once for the checks, the peek
    and the read of one file (opening loads its shared strings, 0.2 s for 300,000 rows)."""
    global _names
    key = _identity(path)
    if _names is not None and _names[0] == key:
        return list(_names[1])
    from python_calamine import CalamineWorkbook

    check_size(path)
    book = CalamineWorkbook.from_path(str(path))
    try:
        names = list(book.sheet_names)
    finally:
        book.close()
    _names = (key, names)
    return list(names)


def _identity(path: Path) -> tuple[str, int, int]:
    """The file as read now: a changed file is read again."""
    stat = path.stat()
    return str(path.resolve()), stat.st_mtime_ns, stat.st_size


def rows(path: Path, sheet: str | int = 0, peek: int | None = None) -> list[list[Any]]:
    """The cells of a sheet (by name or position) as calamine gives them: float, text,
    bool, dates and times, and "" for an empty cell.

    With `peek`, only that many rows are returned, and the whole sheet is kept for the read
    that follows (which gets it, and lets it go)."""
    global _kept
    if isinstance(sheet, int):
        sheet = sheet_names(path)[sheet]
    key = (*_identity(path), sheet)
    cells = _kept[1] if _kept is not None and _kept[0] == key else _read(path, sheet)
    _kept = (key, cells) if peek is not None else None
    return cells[:peek] if peek is not None else cells


def first_rows(path: Path, sheet: str, count: int) -> list[list[Any]]:
    """The first `count` rows of a sheet, leaving what `rows` keeps alone."""
    return _read(path, sheet, count)


def frame(path: Path, sheet: str | int = 0) -> pd.DataFrame:
    """The sheet as a frame of objects, missing for empty cells, its first row naming the
    columns as pandas names them (a blank one 'Unnamed: 3', a repeated one 'P1A.1')."""
    import pandas as pd

    from pat_framework.render.text import format_number

    cells = rows(path, sheet)
    if not cells:
        return pd.DataFrame()
    names: list[str] = []
    seen: dict[str, int] = {}
    for k, cell in enumerate(cells[0]):
        if isinstance(cell, float):
            cell = format_number(cell)
        name = str(cell).strip() or f"Unnamed: {k}"
        count = seen.get(name, 0)
        seen[name] = count + 1
        names.append(f"{name}.{count}" if count else name)
    table = pd.DataFrame(cells[1:], columns=names, dtype=object)
    return table.mask(table == "")


def _read(path: Path, sheet: str, count: int | None = None) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    check_size(path)
    book = CalamineWorkbook.from_path(str(path))
    try:
        found = book.get_sheet_by_name(sheet)
        cells: list[list[Any]] = found.to_python(skip_empty_area=False, nrows=count)
        return cells
    finally:
        book.close()
