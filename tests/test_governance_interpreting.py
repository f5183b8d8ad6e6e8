"""The governance matrix's `matrix` interpreter: ratings, ranked findings, the group."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from governance_support import AREAS, MATRIX, matrix_row

from pat_framework.bands import ordered
from pat_framework.model import Instrument
from pat_framework.responses import read_responses
from pat_framework.results import AGGREGATE, Finding, Interpretation, Scores
from pat_framework.runtime.registry import Registry


@pytest.fixture(scope="module")
def matrix(registry: Registry) -> Instrument:
    return registry.instrument(MATRIX)


@pytest.fixture
def interpret(
    registry: Registry, matrix: Instrument, write_sheet: Callable[..., Path]
) -> Callable[..., Interpretation]:
    def run(rows: list[dict[str, Any]]) -> Interpretation:
        responses = read_responses(matrix, [write_sheet(rows)])
        scores = registry.get("scorer", "balance").score(responses)
        return registry.get("interpreter", "matrix").interpret(scores)

    return run


def with_totals(registry: Registry, scores: Scores, values: list[float]) -> Interpretation:
    """Interpret scores whose every area balance and aggregate are set to `values`."""
    column = pd.Series(values, index=scores.totals.index, dtype="float64")
    totals = pd.DataFrame({name: column for name in scores.totals.columns})
    return registry.get("interpreter", "matrix").interpret(
        dataclasses.replace(scores, totals=totals)
    )


def by_kind(result: Interpretation, kind: str) -> list[Finding]:
    """Findings about items of one kind (warning_sign or good_practice) that are actions."""
    return [
        f
        for f in result.findings
        if f.action and f.item_id and result.instrument.item(f.item_id).kind == kind
    ]


def ratings(result: Interpretation, column: str) -> list[str]:
    instrument = result.instrument
    bands = instrument.aggregate_bands if column == AGGREGATE else instrument.section(column).bands
    run = ordered(bands)
    return [run[k].label if k >= 0 else "none" for k in result.bands[column]]


def test_ratings_at_the_edges_of_the_bands(
    registry: Registry, matrix: Instrument, interpret: Callable[..., Interpretation]
) -> None:
    edges = [-100, -0.01, 0, 49.99, 50, 100]
    base = interpret([matrix_row(matrix, f"R{k}") for k in range(len(edges))])
    result = with_totals(registry, base.scores, edges)
    expected = ["Red", "Red", "Amber", "Amber", "Green", "Green"]
    for column in [*AREAS, AGGREGATE]:
        assert ratings(result, column) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([-20, -0.01, 30], "Red"),
        ([-20, 0, 30], "Amber"),
        ([10, 49.99, 60], "Amber"),
        ([10, 50, 60], "Green"),
    ],
)
def test_the_group_rating_is_the_band_of_the_median(
    registry: Registry,
    matrix: Instrument,
    interpret: Callable[..., Interpretation],
    values: list[float],
    expected: str,
) -> None:
    base = interpret([matrix_row(matrix, f"R{k}") for k in range(3)])
    group = with_totals(registry, base.scores, values).group
    assert group.median_aggregate == values[1]
    assert group.aggregate_band is not None and group.aggregate_band.label == expected
    assert {a: b.label for a, b in group.section_bands.items() if b} == dict.fromkeys(
        AREAS, expected
    )
    assert group.scenario is None
    assert group.reason.startswith(f"Overall rating {expected}: the median overall balance")


def test_warning_signs_seen_are_ranked_and_become_actions(
    matrix: Instrument, interpret: Callable[..., Interpretation]
) -> None:
    rows = [
        matrix_row(matrix, "R1", {"B-W6": "Yes", "B-W3": "Yes"}, organisation="Council"),
        matrix_row(matrix, "R2", {"B-W6": "Yes", "B-W1": "Partly"}, organisation="Trust"),
        matrix_row(matrix, "R3", {"B-W6": "Partly", "B-W1": "DK"}, organisation="Trust"),
    ]
    result = interpret(rows)
    signs = by_kind(result, "warning_sign")
    # B-W6 seen by 3; B-W3 and B-W1 by one each, the Yes ranked above the Partly.
    assert [f.item_id for f in signs] == ["B-W6", "B-W3", "B-W1"]
    assert all(f.kind == "concern" and f.section_id == "behaviours" for f in signs)
    assert signs[0].title == "B-W6 (Behaviours): warning sign seen by 3 of 3"
    assert signs[0].detail == (
        "“Have numerous meetings where discussion is about process rather than getting "
        "things done” 2 Yes, 1 Partly; in 2 of 2 organisations."
    )
    assert signs[2].detail.endswith("0 Yes, 1 Partly; in 1 of 2 organisations. 1 does not know.")
    assert by_kind(result, "good_practice") == []


def test_one_respondent_marking_a_warning_sign_is_listed(
    matrix: Instrument, interpret: Callable[..., Interpretation]
) -> None:
    rows = [matrix_row(matrix, "R1"), matrix_row(matrix, "R2", {"R-W4": "Yes"})]
    result = interpret(rows)
    signs = by_kind(result, "warning_sign")
    assert [(f.item_id, f.title) for f in signs] == [
        ("R-W4", "R-W4 (Use of resources): warning sign seen by 1 of 2")
    ]
    assert signs[0].detail == (
        "“Have duplicate services or have gaps in provision for some people” 1 Yes, 0 Partly."
    )


def test_good_practice_missing_is_ranked(
    matrix: Instrument, interpret: Callable[..., Interpretation]
) -> None:
    rows = [
        matrix_row(matrix, "R1", {"P-G2": "No", "P-G5": "No"}),
        matrix_row(matrix, "R2", {"P-G5": "No", "P-G2": "Partly", "M-G1": "No"}),
    ]
    result = interpret(rows)
    missing = by_kind(result, "good_practice")
    # P-G5: two No; P-G2: one No and one Partly; M-G1: one No.
    assert [(f.item_id, f.kind) for f in missing] == [
        ("P-G5", "concern"),
        ("P-G2", "concern"),
        ("M-G1", "concern"),
    ]
    assert missing[1].title == "P-G2 (Processes): good practice missing for 1 of 2"
    assert missing[1].detail == (
        "“Strategies focus on outcomes for service users, based on analysis of need” "
        "1 No, 1 Partly."
    )
    assert by_kind(result, "warning_sign") == []


def test_dont_know_answers_are_gaps_without_actions(
    matrix: Instrument, interpret: Callable[..., Interpretation]
) -> None:
    rows = [
        matrix_row(matrix, "R1", {"R-G2": "DK", "R-W2": "Don't know"}),
        matrix_row(matrix, "R2", {"R-W2": "DK"}),
    ]
    result = interpret(rows)
    gaps = [f for f in result.findings if f.kind == "knowledge gap"]
    assert [(f.item_id, f.action) for f in gaps] == [("R-W2", False), ("R-G2", False)]
    assert gaps[0].title == "R-W2 (Use of resources): 2 of 2 do not know"
    assert gaps[0].detail == (
        "“Unable to identify the costs of administering the partnership” (warning sign): "
        "2 of 2 respondent(s) answered Don't know."
    )
    # A Don't know is neither a warning sign seen nor good practice missing.
    assert not [f for f in result.findings if f.action]


def test_area_findings_and_their_order(
    matrix: Instrument, interpret: Callable[..., Interpretation]
) -> None:
    # Performance: no good practice, every warning sign (-100, red); Behaviours: Partly
    # everywhere (0, amber); Processes and Use of resources untouched (+100, green).
    performance = {f"M-G{k}": "No" for k in range(1, 6)} | {f"M-W{k}": "Yes" for k in range(1, 6)}
    behaviours = {f"B-G{k}": "Partly" for k in range(1, 7)} | {
        f"B-W{k}": "Partly" for k in range(1, 7)
    }
    result = interpret([matrix_row(matrix, "R1", performance | behaviours)])
    kinds = [(f.kind, f.section_id) for f in result.findings if not f.item_id]
    assert kinds == [
        ("concern", "performance"),
        ("concern", "behaviours"),
        ("strength", "processes"),
        ("strength", "resources"),
    ]
    red = result.findings[0]
    assert red.title == "Performance measurement and management: Red"
    assert red.detail.startswith(
        "Median balance -100; on average 0% of good practice and 100% of warning signs present."
    )
    actions = [f for f in result.findings if f.action]
    # Warning signs seen: 5 in Performance and 6 in Behaviours; good practice answered No:
    # 5 in Performance (Partly is not missing).
    assert len(actions) == 5 + 6 + 5
    assert result.findings.index(red) < result.findings.index(actions[0])


def test_the_bands_frame_and_group(
    matrix: Instrument, interpret: Callable[..., Interpretation]
) -> None:
    rows = [
        matrix_row(matrix, "R1"),
        matrix_row(matrix, "R2", fill={"good_practice": "No", "warning_sign": "Yes"}),
        matrix_row(matrix, "R3", {f"R-G{k}": "DK" for k in range(1, 5)}),
    ]
    result = interpret(rows)
    assert list(result.bands.columns) == [*AREAS, AGGREGATE]
    assert result.bands.loc["R2"].tolist() == [0] * 5
    assert result.bands.loc["R1"].tolist() == [2] * 5
    assert result.bands.at["R3", "resources"] == -1
    assert result.bands.at["R3", AGGREGATE] == -1
    group = result.group
    assert (group.respondents, group.scored) == (3, 2)
    assert group.median_aggregate == 0
    assert group.section_medians["resources"] == 0
    assert group.section_medians["behaviours"] == 100
    assert "Use of resources Amber (0)" in group.reason


def test_an_area_nobody_can_score_is_not_rated(
    matrix: Instrument, interpret: Callable[..., Interpretation]
) -> None:
    result = interpret([matrix_row(matrix, "R1", {f"M-W{k}": "DK" for k in range(1, 5)})])
    group = result.group
    assert group.section_medians["performance"] is None
    assert group.section_bands["performance"] is None
    assert (group.median_aggregate, group.aggregate_band, group.scored) == (None, None, 0)
    assert group.reason == (
        "No respondent has a balance in every area, so there is no overall rating. "
        "By area (group median balance): Behaviours Green (100); Processes Green (100); "
        "Performance measurement and management not rated; Use of resources Green (100)."
    )
    assert [f.item_id for f in result.findings if f.kind == "knowledge gap"] == [
        "M-W1",
        "M-W2",
        "M-W3",
        "M-W4",
    ]
