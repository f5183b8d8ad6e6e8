"""The response file `pat take` writes: long CSV, one row per answer, saved after each one.

Columns: respondent, organisation, level, round, item, answer, and language for an
instrument in several languages. The answer is the option's label in the language shown
("Yes", "Strongly agree", "Cytuno'n gryf"); an empty answer is a statement the respondent
saw and skipped. `pat score ID FILE` reads the file as it stands at any moment.

A new answer is appended as one line and flushed to disk. Changing an answer already in
the file (after going back) rewrites the whole file atomically with that one row
replaced, so the file never holds two answers to the same statement. A last line cut off
while it was written (a killed run, a full disk) is dropped with a note when the file is
opened again, and that statement is asked again. `pat take` holds the file's lock
(`pat_framework.locking`) while it writes.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from pat_framework.errors import PatError
from pat_framework.output import FORMULA_STARTS, inert, write_atomic

COLUMNS = ("respondent", "organisation", "level", "round", "item", "answer")
DETAILS = COLUMNS[1:4]
WITH_LANGUAGE = (*COLUMNS, "language")


@dataclass(frozen=True)
class Respondent:
    """Who is answering: an id and the attributes reports break results down by."""

    id: str
    organisation: str = ""
    level: str = ""
    round: str = ""
    language: str = ""  # the language the questions were shown in, when there is a choice

    def details(self) -> tuple[str, str, str]:
        return (self.organisation, self.level, self.round)


class AnswerFile:
    """The answers in one file, kept in step with the file on disk."""

    def __init__(self, path: Path, languages: bool = False) -> None:
        """`languages`: a new file gets the language column."""
        self.path = path
        self.columns: tuple[str, ...] = WITH_LANGUAGE if languages else COLUMNS
        self.rows: list[list[str]] = []
        self.notes: list[str] = []
        self._where: dict[tuple[str, str], int] = {}
        self._fresh = not path.exists() or path.stat().st_size == 0
        if not self._fresh:
            self._read()

    def _read(self) -> None:
        try:
            text = self.path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PatError(f"{self.path}: not UTF-8 text; choose another output file") from None
        torn = not text.endswith("\n")
        if torn:
            text = text[: text.rfind("\n") + 1]
        records = list(csv.reader(io.StringIO(text)))
        if not records:
            raise PatError(f"{self.path}: only part of a header line; choose another output file")
        if tuple(records[0]) not in (COLUMNS, WITH_LANGUAGE):
            raise PatError(
                f"{self.path}: not a file written by `pat take`: expected the header "
                f"{','.join(COLUMNS)} (then language, for some); choose another output file"
            )
        self.columns = tuple(records[0])
        for row_number, row in enumerate(records[1:], 2):
            row = [c[1:] if c[:1] == "'" and c[1:2] in FORMULA_STARTS else c for c in row]
            if len(row) != len(self.columns):
                raise PatError(
                    f"{self.path}, row {row_number}: expected {len(self.columns)} cells "
                    f"({','.join(self.columns)}), found {len(row)}"
                )
            key = (row[0], row[4])
            if key in self._where:
                raise PatError(
                    f"{self.path}, row {row_number}, column item: a second answer to "
                    f"{row[4]} for respondent '{row[0]}'"
                )
            self._where[key] = len(self.rows)
            self.rows.append(row)
        if torn:  # what the screen acknowledged was flushed whole: this line never was
            write_atomic(self.path, _lines([list(self.columns), *self.rows]))
            self.notes.append(
                f"{self.path}: the last line was cut off while it was written (the run was "
                "stopped); it is dropped and that statement will be asked again"
            )

    def respondents(self) -> list[str]:
        """Respondent ids in the order they first appear."""
        return list(dict.fromkeys(row[0] for row in self.rows))

    def answers(self, respondent: str) -> dict[str, str]:
        """Item id -> answer as written ("" for skipped) for one respondent."""
        return {row[4]: row[5] for row in self.rows if row[0] == respondent}

    def respondent(self, respondent_id: str) -> Respondent | None:
        """The respondent's details as recorded, or None if they have no rows."""
        row = next((r for r in self.rows if r[0] == respondent_id), None)
        if row is None:
            return None
        language = row[6] if len(row) > 6 else ""
        return Respondent(respondent_id, row[1], row[2], row[3], language=language)

    def record(self, who: Respondent, item_id: str, answer: str) -> None:
        """Save one answer now: append it, or rewrite the file if it replaces another."""
        row = [who.id, *who.details(), item_id, answer]
        if len(self.columns) > len(COLUMNS):
            row.append(who.language)
        position = self._where.get((who.id, item_id))
        if position is not None:
            if self.rows[position] == row:
                return
            self.rows[position] = row
            write_atomic(self.path, _lines([list(self.columns), *self.rows]))
            return
        self._where[(who.id, item_id)] = len(self.rows)
        self.rows.append(row)
        if self._fresh:
            write_atomic(self.path, _lines([list(self.columns), row]))
            self._fresh = False
            return
        with self.path.open("a", encoding="utf-8", newline="") as handle:
            handle.write(_lines([row]))
            handle.flush()
            os.fsync(handle.fileno())


def _lines(rows: list[list[str]]) -> str:
    """CSV lines, each cell inert in a spreadsheet (a "+2 Agree" label gets an apostrophe,
    which `_read` and pat's response reader drop again)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([[inert(c) for c in row] for row in rows])
    return buffer.getvalue()
