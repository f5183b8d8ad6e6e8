"""Text tables as Excel and the world write them: the encoding (UTF-8 with or without a
byte-order mark, UTF-16 with one, Windows-1252 as the fallback) and the delimiter (comma,
semicolon or tab, or Excel's `sep=` line)."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

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
    """The encoding and delimiter of a delimited text file; raises ValueError if it is empty."""
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
