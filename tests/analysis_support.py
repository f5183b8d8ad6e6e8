"""Helpers for the analysis tests: analyse ODPM rows written to a sheet."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pat_framework.analysis import Analysis, analyse
from pat_framework.runtime.pipeline import interpret
from pat_framework.runtime.registry import Registry


def analyse_rows(
    registry: Registry,
    write_sheet: Callable[..., Path],
    rows: list[dict[str, Any]],
    by: Sequence[str] = (),
    instrument: str = "pat-odpm",
    **options: Any,
) -> Analysis:
    """Write the rows as a wide sheet, interpret it and analyse it: with the smallest
    group shown at the floor, 3, unless `min_group` says otherwise, so that a small sheet
    shows its figures (the disclosure tests use the defaults)."""
    path = write_sheet(rows)
    options.setdefault("min_group", 3)
    return analyse(interpret(registry, instrument, [path]), by=by, **options)


def principle(letters: str | Sequence[Any], p: int = 1) -> dict[str, Any]:
    """Answers to one principle's six statements, e.g. principle("AAADDD", 4)."""
    return {f"P{p}{e}": answer for e, answer in zip("ABCDEF", letters, strict=True)}
