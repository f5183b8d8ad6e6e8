"""Text tables as Excel and the world write them: the encoding (UTF-8 with or without a
byte-order mark, UTF-16 with one, Windows-1252 as the fallback) and the delimiter (comma,
semicolon or tab, or Excel's `sep=` line), and the columns of one read by pyarrow's
typed reader."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

DELIMITERS = (",", ";", "\t")
_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_PEEK = 64 * 1024
_BLOCK = 1 << 20


@dataclass(frozen=True)
class TextTable:
    """How to read one delimited text file."""

    encoding: str
    delimiter: str
    skip_lines: int = 0  # Excel's `sep=;` line
    fallback: bool = False  # not UTF-8: read as Windows-1252

    def note(self, file: str) -> str | None:
        """What a user should know about how the file was read, if anything."""
        if self.fallback:
            return (
                f"{file}: not UTF-8 text, read as Windows-1252 (what Excel on Windows "
                "writes); check accented letters, or save the sheet as CSV UTF-8"
            )
        return None


def sniff(path: Path) -> TextTable:
    """The encoding and delimiter of a delimited text file; raises ValueError if it is empty.
    Worked out once per file and version (a read looks at a file twice: which tool wrote
    it, then its answers)."""
    stat = path.stat()
    return _sniffed(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _sniffed(path: Path, mtime: int, size: int) -> TextTable:
    with path.open("rb") as handle:
        head = handle.read(_PEEK)
    if not head.strip():
        raise ValueError("the file is empty; expected a header row")
    encoding, fallback = _encoding(path, head)
    text = head.decode(encoding, errors="replace")
    lines = text.splitlines()
    first = lines[0].strip() if lines else ""
    if first.lower().startswith("sep=") and len(first) == 5:
        return TextTable(encoding, first[4], 1, fallback)
    if path.suffix.lower() == ".tsv":
        return TextTable(encoding, "\t", 0, fallback)
    return TextTable(encoding, _delimiter(lines[:20]), 0, fallback)


def describe(delimiter: str) -> str:
    """'comma', 'semicolon' or 'tab'."""
    return _NAMES.get(delimiter, repr(delimiter))


def _encoding(path: Path, head: bytes) -> tuple[str, bool]:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", False
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while block := handle.read(_BLOCK):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252", True
    return "utf-8", False


def _delimiter(lines: list[str]) -> str:
    """The delimiter that splits the header into the most fields, rows agreeing with it."""
    sample = "\n".join(lines)
    best, best_fields = ",", 1
    for delimiter in DELIMITERS:
        rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
        if not rows:
            continue
        fields = len(rows[0])
        if fields <= 1:
            continue
        agreeing = sum(len(r) == fields for r in rows[1:] if r)
        if fields > best_fields and agreeing >= (len([r for r in rows[1:] if r]) + 1) // 2:
            best, best_fields = delimiter, fields
    return best


#: The size of the first block read, whose rows decide each column's type.
_SAMPLE_BYTES = 1 << 20
#: Encodings pyarrow's reader takes as they are (it skips a UTF-8 byte-order mark).
_ARROW_ENCODINGS = ("utf-8", "utf-8-sig")
_BAD_COLUMN = re.compile(r"In CSV column #(\d+): CSV conversion error to float")


def typed_frames(
    path: Path,
    table: TextTable,
    header: list[str],
    answers: set[str],
    rows: int,
    groups: Iterable[str] = (),
) -> list[pd.DataFrame] | None:
    """The data rows read by pyarrow's reader on every core, in frames of at most `rows`:
    an answer column as float32 when it holds numbers, as categorical text when it holds
    labels or codes ('SA'), a `groups` column (organisation, level) as categorical text
    when its first rows repeat a few values, every other column as text; a blank cell is
    missing.

    A blank line is a row of blanks, so row numbers count lines as pandas' reader does.
    None when only that reader can read the file as pat always has: text that is not
    UTF-8, a row with more or fewer fields than the header, a repeated column name, or
    anything else pyarrow cannot parse."""
    import pyarrow as pa
    import pyarrow.csv as pc

    if table.encoding not in _ARROW_ENCODINGS or len(set(header)) < len(header):
        return None
    wanted = [c for c in header if c.strip() in answers]
    invalid: list[int] = []

    def refuse(row: Any) -> str:
        invalid.append(row.number)
        return "skip"

    def options(types: dict[str, Any], block: int | None = None) -> dict[str, Any]:
        read = pc.ReadOptions(column_names=header, skip_rows=table.skip_lines + 1)
        if block is not None:
            read.block_size = block
        return {
            "read_options": read,
            "parse_options": pc.ParseOptions(
                delimiter=table.delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=refuse,
            ),
            "convert_options": pc.ConvertOptions(
                column_types=types,
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        }

    text = {c: pa.string() for c in header if c not in wanted}
    labels = pa.dictionary(pa.int32(), pa.string())
    try:
        with pc.open_csv(path, **options(text, _SAMPLE_BYTES)) as sample:
            seen = sample.schema
            first = next(iter(sample), None)
        for c in set(groups) & set(text):
            if first is not None and _repeats(first.column(c)):
                text[c] = labels
        numeric = [pa.types.is_integer, pa.types.is_floating, pa.types.is_null]
        types: dict[str, Any] = {
            **text,
            **{
                c: pa.float32() if any(t(seen.field(c).type) for t in numeric) else labels
                for c in wanted
            },
        }
        read = None
        for attempt in range(3):  # labels further down a column of numbers: read again
            invalid.clear()
            try:
                read = pc.read_csv(path, **options(types), memory_pool=_pool())
            except pa.ArrowInvalid as exc:
                found = _BAD_COLUMN.search(str(exc))
                if found is None:
                    return None
                texts = [header[int(found.group(1))]]
            else:
                # 'nan' is a number to pyarrow and text to pandas (so not an answer): a
                # blank is null here, so a NaN was written as text
                texts = [c for c in wanted if types[c] != labels and _has_nan(read.column(c))]
                if not texts:
                    break
                read = None
            types.update((c, labels) for c in (wanted if attempt == 1 else texts))
    except (pa.ArrowInvalid, UnicodeError, OSError):
        return None
    if read is None or invalid or read.num_rows == 0:
        return None
    parts = [read.slice(start, rows) for start in range(0, read.num_rows, rows)]
    del read
    frames = []
    while parts:
        frames.append(_frame(parts.pop(0)))
    return frames


def _repeats(column: pa.Array) -> bool:
    """A column with twenty or more cells for each of its distinct texts."""
    import pyarrow.compute as pc

    return len(column) >= 100 and pc.count_distinct(column).as_py() * 20 <= len(column)


def _has_nan(column: pa.ChunkedArray) -> bool:
    import pyarrow.compute as pc

    return bool(pc.any(pc.is_nan(column)).as_py())


def _frame(table: pa.Table) -> pd.DataFrame:
    """The table as a frame, a column at a time, each let go once converted: the table and
    its frame are never both held whole (pyarrow's `to_pandas` holds both)."""
    import pandas as pd
    import pyarrow as pa

    columns: dict[str, Any] = {}
    for name in table.column_names:
        column = table.column(0)
        table = table.remove_column(0)
        if pa.types.is_floating(column.type):
            columns[name] = column.to_numpy()
        else:
            columns[name] = column.to_pandas(memory_pool=_pool())
        del column
    return pd.DataFrame(columns, copy=False)


def _pool() -> pa.MemoryPool:
    """jemalloc where pyarrow has it: it gives freed memory back, so the table read and
    the answer table made from it do not both stay in the process (about 150 MB less at
    a million respondents than pyarrow's default, mimalloc)."""
    import pyarrow as pa

    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.default_memory_pool()
