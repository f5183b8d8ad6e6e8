"""Writing outputs safely: atomically, never over an input, and inert in spreadsheets."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pat_framework.errors import PatError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def refuse_inputs(output: str | Path, inputs: Iterable[str | Path]) -> None:
    """Refuse an output path that is one of the input files, by another name too (a
    symbolic or hard link to it)."""
    target = Path(output).resolve()
    for path in inputs:
        if Path(path).resolve() == target or _same_file(Path(path), target):
            raise PatError(f"refusing to write {output}: it is one of the input files")


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except (OSError, ValueError):  # either is missing or not a path the system takes
        return False


def refuse_existing(output: str | Path, force: bool) -> None:
    """Refuse to replace a file that exists unless `force` (a `--force` option) is given."""
    if not force and Path(output).exists():
        raise PatError(f"refusing to overwrite {output}: it exists (give --force to replace it)")


def write_atomic(path: str | Path, data: str | bytes | Iterator[str]) -> None:
    """Write to a temporary file beside `path`, then rename it into place; `data` may be
    text given piece by piece, each written as it comes."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    check_folder(folder, path)
    if path.is_dir():
        raise PatError(f"cannot write {path}: it is a folder; give a file name")
    _remove_stale(folder, path.name)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise PatError(f"cannot write {path}: {_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, str | bytes):
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            else:
                for piece in data:
                    handle.write(piece.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())  # on disk before it replaces the old file
        os.chmod(temp, _default_mode())  # mkstemp makes files private; use the usual mode
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise PatError(f"cannot write {path}: {_reason(exc)}; the old file is unchanged") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_set(files: dict[Path, str | bytes]) -> None:
    """Write several files so that they change together: each to a temporary file first,
    then all renamed into place; if any cannot be written, none is changed."""
    temps: dict[Path, str] = {}
    replaced: list[Path] = []
    try:
        for path, data in files.items():
            folder = path.parent if str(path.parent) else Path(".")
            check_folder(folder, path)
            fd, temps[path] = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temps[path], _default_mode())
        for path, temp in temps.items():
            os.replace(temp, path)
            replaced.append(path)
    except OSError as exc:
        name = next(reversed(temps), None) if temps else None
        done = (
            f"only {', '.join(map(str, replaced))} were replaced"
            if replaced
            else "no output was changed"
        )
        raise PatError(f"cannot write {name or 'the outputs'}: {_reason(exc)}; {done}") from None
    finally:
        for temp in temps.values():
            Path(temp).unlink(missing_ok=True)


#: A temporary file this much older than now was left by a run that was killed.
STALE_SECONDS = 3600


def _remove_stale(folder: Path, name: str) -> None:
    """Temporary files of `name` left by a run that was killed (an hour old or more)."""
    import glob
    import time

    for temp in folder.glob(f".{glob.escape(name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - temp.stat().st_mtime > STALE_SECONDS:
                temp.unlink()


def check_folder(folder: Path, path: Path) -> None:
    """A PatError unless `folder` (where `path` goes) is a folder that exists."""
    if folder.is_dir():
        return
    if folder.exists():
        raise PatError(f"cannot write {path}: {folder} is a file, not a folder")
    raise PatError(f"cannot write {path}: folder {folder} does not exist")


def _reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ENOSPC:
        return "the disk is full (no space left on device); free some space and run again"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied; choose a folder you can write to"
    return exc.strerror or str(exc)


def _default_mode() -> int:
    """The mode a newly created file gets under the current umask (usually 0o644)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def inert(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula, made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell that could be read as a formula neutralised; numbers left alone."""
    import pandas as pd

    out = {}
    for name in frame.columns:
        column = frame[name]
        if column.dtype != object and str(column.dtype) not in ("str", "string"):
            continue
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        safe = [inert(u) for u in uniques]
        if any(a is not b for a, b in zip(safe, uniques, strict=True)):
            cells = column.astype(object).to_numpy(copy=True)
            changed = codes >= 0
            cells[changed] = pd.Series(safe, dtype=object).to_numpy()[codes[changed]]
            out[name] = cells
    frame = frame.assign(**out) if out else frame
    if frame.index.dtype == object:
        ids = pd.Series(frame.index, dtype=object)
        risky = ids.astype("string").str.startswith(FORMULA_STARTS).fillna(False)
        if risky.any():
            frame = frame.set_axis(ids.where(~risky, ids[risky].map(inert)))
    return frame


def as_text(cells: Iterable[Any]) -> None:
    """Workbook cells kept as the text they hold: openpyxl would store "=x" as a formula."""
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"


def active_sheet(book: Workbook) -> Worksheet:
    """The worksheet a new workbook starts with (openpyxl types `Workbook.active` as optional)."""
    from openpyxl.worksheet.worksheet import Worksheet

    sheet = book.active
    if not isinstance(sheet, Worksheet):
        raise TypeError(f"the workbook's active sheet is not a worksheet: {sheet!r}")
    return sheet


def csv_text(frame: pd.DataFrame) -> str:
    """A frame as CSV (no index) with every cell inert, written by pyarrow (fast).

    Text cells and headers that a spreadsheet would read as a formula get a leading
    apostrophe (pat's readers drop it again); text is quoted only where some value holds a
    comma, quote or line break.
    """
    return "".join(csv_pieces(frame))


#: Rows of CSV made at a time by `csv_pieces`.
CSV_PIECE_ROWS = 100_000


def csv_pieces(frame: pd.DataFrame) -> Iterator[str]:
    """`csv_text` a piece of rows at a time, so that a large table's text is never held
    whole (the quoting is chosen for the whole table first, so the pieces join into
    exactly `csv_text`)."""
    import io

    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.rename_columns([inert(str(name)) for name in table.column_names])
    specials = [",", '"', "\r", "\n"]
    cells = False
    for k, column in enumerate(table.columns):
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            continue
        if _may_start(column):
            first = pc.utf8_slice_codeunits(column, 0, 1)
            risky = pc.fill_null(pc.is_in(first, value_set=pa.array(FORMULA_STARTS)), False)
            if pc.any(risky).as_py():
                quote, none = pa.scalar("'", column.type), pa.scalar("", column.type)
                safe = pc.if_else(risky, pc.binary_join_element_wise(quote, column, none), column)
                table = table.set_column(k, table.field(k), safe)
                column = table.column(k)
        cells = cells or (
            _may_hold(column, specials)
            and any(pc.any(pc.match_substring(column, char)).as_py() is True for char in specials)
        )
    header = any(char in str(name) for name in table.column_names for char in specials)
    buffer = io.BytesIO()
    options = pa_csv.WriteOptions(
        quoting_style="needed" if cells else "none",
        quoting_header="needed" if header else "none",
    )
    with pa_csv.CSVWriter(buffer, table.schema, write_options=options) as writer:
        for start in range(0, max(table.num_rows, 1), CSV_PIECE_ROWS):
            writer.write_table(table.slice(start, CSV_PIECE_ROWS))
            yield buffer.getvalue().decode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().decode("utf-8")


def _text_bytes(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The offsets of a string array's cells and the bytes they span (null cells too)."""
    import numpy as np

    wide = chunk.type.equals("large_string")
    _, positions, data = chunk.buffers()
    if positions is None or not len(chunk):
        return np.zeros(1, np.int64), np.empty(0, np.uint8)
    offsets = np.frombuffer(positions, dtype=np.int64 if wide else np.int32)
    offsets = offsets[chunk.offset : chunk.offset + len(chunk) + 1]
    if data is None:
        return offsets, np.empty(0, np.uint8)
    return offsets, np.frombuffer(data, dtype=np.uint8)[offsets[0] : offsets[-1]]


def _may_start(column: pa.ChunkedArray) -> bool:
    """False when no cell of a text column can start as a formula does: a screen on the
    first bytes of its cells, so that only a column where one might is checked cell by
    cell (a formula start is one ASCII byte, never part of a longer UTF-8 character)."""
    import numpy as np

    starts = np.frombuffer("".join(FORMULA_STARTS).encode(), dtype=np.uint8)
    for chunk in column.chunks:
        offsets, data = _text_bytes(chunk)
        begin = offsets[:-1][offsets[1:] > offsets[:-1]] - offsets[0]
        if np.isin(data[begin], starts).any():
            return True
    return False


def _may_hold(column: pa.ChunkedArray, characters: list[str]) -> bool:
    """False when no cell of a text column holds any of `characters` (single bytes): a
    screen on the bytes of all its cells at once."""
    for chunk in column.chunks:
        data = _text_bytes(chunk)[1].tobytes()
        if any(char.encode() in data for char in characters):
            return True
    return False
