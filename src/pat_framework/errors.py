"""Errors that carry precise locations, reported to the user without a traceback."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One mistake in an input file: where it is and what was expected."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    key: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        if self.key is not None:
            where.append(self.key)
        return ", ".join(where) + f": {self.message}"


class PatError(Exception):
    """An error caused by the user's input or set-up; shown as a message, exit code 1."""


class ProblemsError(PatError):
    """Several problems found in one pass over an input."""

    limit = 30

    def __init__(self, summary: str, problems: list[Problem]) -> None:
        self.summary = summary
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        lines = [self.summary]
        lines += [f"  {p}" for p in self.problems[: self.limit]]
        if len(self.problems) > self.limit:
            lines.append(f"  … and {len(self.problems) - self.limit} more")
        return "\n".join(lines)


class InstrumentError(ProblemsError):
    """An instrument file that does not follow the format."""


class ResponseError(ProblemsError):
    """A response file with answers or columns that cannot be accepted."""
