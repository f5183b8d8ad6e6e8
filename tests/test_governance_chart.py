"""The `matrix-balance` chart: built from small aggregated frames, and drawable."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import vl_convert
from governance_support import MATRIX, matrix_row

from pat_framework.analysis import Analysis
from pat_framework.model import Instrument
from pat_framework.responses import read_responses
from pat_framework.runtime.registry import Registry


@pytest.fixture(scope="module")
def matrix(registry: Registry) -> Instrument:
    return registry.instrument(MATRIX)


@pytest.fixture
def analysis(registry: Registry, matrix: Instrument, write_sheet: Callable[..., Path]) -> Analysis:
    # R1: everything going well. R2, Behaviours: good practice No, No, No, Yes, Yes, Yes
    # (50 %) and warning signs Yes, Yes, No, No, No, No (33.33 %): balance 16.67.
    behaviours = {f"B-G{k}": "No" for k in range(1, 4)} | {"B-W1": "Yes", "B-W2": "Yes"}
    rows = [matrix_row(matrix, "R1"), matrix_row(matrix, "R2", behaviours)]
    responses = read_responses(matrix, [write_sheet(rows)])
    scores = registry.get("scorer", "balance").score(responses)
    interpretation = registry.get("interpreter", "matrix").interpret(scores)
    return Analysis(interpretation, pd.DataFrame(), pd.DataFrame())


def test_the_chart_is_registered_for_balance_instruments(registry: Registry) -> None:
    chart = registry.get("chart", "matrix-balance")
    assert registry.provider("chart", "matrix-balance") == "governance_matrix"
    assert chart.applies(registry.get("instrument", MATRIX))
    assert not chart.applies(registry.get("instrument", "pat-odpm"))


def test_one_row_per_area_and_kind(analysis: Analysis) -> None:
    from governance_matrix.chart import balance_frame, median_frame

    frame = balance_frame(analysis.interpretation)
    assert len(frame) == 8
    behaviours = frame[frame["area"] == "Behaviours"].set_index("kind")
    # Means of R1 and R2: good practice (100 + 50) / 2, warning signs (0 + 33.33) / 2.
    assert behaviours.at["Good practice present", "share"] == pytest.approx(75)
    assert behaviours.at["Warning signs present", "share"] == pytest.approx(50 / 3)
    assert behaviours.at["Warning signs present", "signed"] == pytest.approx(-50 / 3)
    assert set(frame["respondents"]) == {2}
    medians = median_frame(analysis.interpretation).set_index("area")
    # Median of 100 and 16.67 is 58.33: green.
    assert medians.at["Behaviours", "median"] == pytest.approx(175 / 3)
    assert medians.at["Behaviours", "verdict"] == "Green (+58)"
    assert medians.at["Processes", "verdict"] == "Green (+100)"


def test_the_spec_holds_only_aggregated_rows(registry: Registry, analysis: Analysis) -> None:
    chart = registry.get("chart", "matrix-balance").build(analysis)
    spec = chart.to_dict()
    rows = sum(len(values) for values in spec["datasets"].values())
    assert rows == 8 + 4
    assert spec["title"]["text"] == "Good practice against warning signs, by area"
    assert "across 2 respondent(s)" in spec["title"]["subtitle"]


def test_the_chart_draws(registry: Registry, analysis: Analysis) -> None:
    chart = registry.get("chart", "matrix-balance").build(analysis)
    png = vl_convert.vegalite_to_png(chart.to_json())
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    svg = vl_convert.vegalite_to_svg(chart.to_json())
    assert "Use of resources" in svg and "Green (+100)" in svg
