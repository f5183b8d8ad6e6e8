"""Helpers for the chart and report tests: known answers, and the data inside a chart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import odpm_row

from pat_framework.analysis import Analysis, analyse
from pat_framework.results import Interpretation
from pat_framework.runtime.pipeline import interpret
from pat_framework.runtime.registry import Registry

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x")'


WEIGHTS = {"W1": 3, "W2": 3, "W3": 3, "W4": 4, "W5": 2, "W6": 2}


def known_rows() -> list[dict[str, Any]]:
    """Four respondents: R1 strongly agrees throughout (24 per principle); R2 and R3 agree
    (18); R4 agrees except on trust, where it disagrees with all six statements (12).
    All weight the principles alike: trust 4, the first three 3, the last two 2."""
    rows = [
        odpm_row("R1", fill="SA", organisation="Council", level="board"),
        odpm_row("R2", fill="A", organisation="Council", level="board"),
        odpm_row("R3", fill="A", organisation="Trust", level="senior"),
        odpm_row(
            "R4",
            {f"P4{e}": "D" for e in "ABCDEF"},
            fill="A",
            organisation="Trust",
            level="senior",
        ),
    ]
    return [row | WEIGHTS for row in rows]


def interpret_rows(
    registry: Registry, write_sheet: Callable[..., Path], rows: list[dict[str, Any]]
) -> Interpretation:
    return interpret(registry, "pat-odpm", [write_sheet(rows)])


def analyse_known(
    registry: Registry, write_sheet: Callable[..., Path], **options: Any
) -> Analysis:
    """The known rows analysed, the smallest group shown at the floor (3) unless asked."""
    options.setdefault("min_group", 3)
    return analyse(interpret_rows(registry, write_sheet, known_rows()), **options)


def spec(chart: Any) -> dict[str, Any]:
    return chart.to_dict()


def rows_with(chart: Any, *keys: str) -> list[dict[str, Any]]:
    """The rows of every dataset in the chart whose rows carry all these keys."""
    found = []
    for rows in spec(chart).get("datasets", {}).values():
        if rows and all(key in rows[0] for key in keys):
            found += rows
    return found


def marks(node: Any) -> list[tuple[str, dict[str, Any]]]:
    """(mark type, encoding) of every layer anywhere in a spec."""
    found = []
    if isinstance(node, dict):
        if "mark" in node:
            mark = node["mark"]
            found.append(
                (mark if isinstance(mark, str) else mark["type"], node.get("encoding", {}))
            )
        for value in node.values():
            found += marks(value)
    elif isinstance(node, list):
        for value in node:
            found += marks(value)
    return found
