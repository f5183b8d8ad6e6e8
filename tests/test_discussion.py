"""The prompts on each section's slide, on hand-made answers: they name what the answers
show (a divided statement, the weakest or the strongest, the weighting) and the action."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from analysis_support import analyse_rows, principle
from conftest import odpm_row
from governance_support import MATRIX, matrix_row

from pat_framework.model import Instrument
from pat_framework.reports.discussion import prompts, quote
from pat_framework.reports.office import leaning
from pat_framework.runtime.registry import Registry


def test_a_weak_principle_asks_about_its_divided_and_its_weakest_statements(
    registry: Registry, odpm: Instrument, write_sheet: Callable[..., Path]
) -> None:
    # P4A split down the middle; P4B answered Disagree by all but one.
    rows = [odpm_row(f"R{k}", principle(["SA" if k < 3 else "SD", "A" if k == 0 else "D",
                                         "A", "A", "A", "A"], 4)) for k in range(6)]  # fmt: skip
    analysis = analyse_rows(registry, write_sheet, rows)
    section = odpm.section("P4")
    said = prompts(analysis, section, "principle", None)
    assert said[0].startswith("Partners are divided on P4A “")
    assert said[1].startswith("Only 17% answered Strongly agree or Agree to P4B “")
    assert said[-1] == "Nothing to act on here: agree when to look at it again."
    assert len(said) <= 4


def test_a_strong_principle_asks_what_makes_it_work(
    registry: Registry, odpm: Instrument, write_sheet: Callable[..., Path]
) -> None:
    rows = [odpm_row(f"R{k}", fill="SA") for k in range(5)]
    analysis = analyse_rows(registry, write_sheet, rows)
    said = prompts(analysis, odpm.section("P1"), "principle", None)
    assert said[0].startswith("100% answered Strongly agree or Agree to P1A")
    assert said[0].endswith("what makes this work, and how can it be kept?")


def test_a_warning_sign_is_answered_well_by_no(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    matrix = registry.instrument(MATRIX)
    warning = next(i for i in matrix.items if i.kind == "warning_sign")
    rows = [matrix_row(matrix, f"R{k}", {warning.id: "Yes" if k < 3 else "No"})
            for k in range(4)]  # fmt: skip
    analysis = analyse_rows(registry, write_sheet, rows, instrument=MATRIX)
    assert leaning(analysis, warning) == (0.25, "No")  # the good side of a warning sign


def test_a_long_statement_is_quoted_to_a_word() -> None:
    from pat_framework.model import Item, Scale

    item = Item("X1", "word " * 40, Scale("s", ()), "X")
    quoted = quote(item)
    assert quoted.startswith("X1 “word word") and quoted.endswith("word…”")
    assert len(quoted) <= 90 + 6
