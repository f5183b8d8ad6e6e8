"""The governance matrix's `balance` scorer, on respondents worked out by hand."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from governance_support import AREAS, MATRIX, matrix_row

from pat_framework.bands import ScoreRange
from pat_framework.instrument.loader import load_instrument
from pat_framework.model import Instrument, MissingPolicy
from pat_framework.responses import read_responses
from pat_framework.results import AGGREGATE, Scores
from pat_framework.runtime.registry import Registry


@pytest.fixture(scope="module")
def matrix(registry: Registry) -> Instrument:
    return registry.instrument(MATRIX)


@pytest.fixture
def score(
    registry: Registry, matrix: Instrument, write_sheet: Callable[..., Path]
) -> Callable[..., Scores]:
    """Score rows (dicts) written to a sheet, optionally with another instrument."""

    def run(rows: list[dict[str, Any]], instrument: Instrument = matrix) -> Scores:
        responses = read_responses(instrument, [write_sheet(rows)])
        return registry.get("scorer", "balance").score(responses)

    return run


def test_the_matrix_is_ready_to_score(registry: Registry, matrix: Instrument) -> None:
    assert registry.check(matrix) == []
    scorer = registry.get("scorer", "balance")
    for section in matrix.scored_sections:
        assert scorer.score_range(matrix, section) == ScoreRange(-100, 100, whole=False)
    assert scorer.aggregate_range(matrix) == ScoreRange(-100, 100, whole=False)
    assert matrix.missing.max_missing == 3


def test_balance_index_worked_by_hand(matrix: Instrument, score: Callable[..., Scores]) -> None:
    # Behaviours good practice: Yes, Yes, Partly, No, Yes, Partly = 4 of 6 -> 66.67 %.
    # Warning signs: Yes, No, No, Partly, No, No = 1.5 of 6 -> 25 %. Balance 41.67.
    # Key principles SA (4) and D (2): mean 3. Other areas: all good, no warning: +100.
    good = ["Y", "Yes", "P", "N", "yes", "Partly"]
    warning = ["Yes", "No", "No", "Partly", "N", "No"]
    answers = {f"B-G{k}": answer for k, answer in enumerate(good, 1)}
    answers |= {f"B-W{k}": answer for k, answer in enumerate(warning, 1)}
    answers |= {"B-K1": "SA", "B-K2": "D"}
    scores = score([matrix_row(matrix, "R1", answers)])
    assert scores.totals.at["R1", "behaviours"] == pytest.approx(100 * (4 / 6 - 1.5 / 6))
    assert scores.extra["good_practice"].at["R1", "behaviours"] == pytest.approx(200 / 3)
    assert scores.extra["warning_signs"].at["R1", "behaviours"] == pytest.approx(25)
    assert scores.extra["key_principles"].at["R1", "behaviours"] == pytest.approx(3)
    assert scores.extra["key_principles"].at["R1", "processes"] == pytest.approx(3)
    for area in AREAS[1:]:
        assert scores.totals.at["R1", area] == 100
    assert scores.totals.at["R1", AGGREGATE] == pytest.approx((125 / 3 + 300) / 4)
    assert not scores.prorated.loc["R1"].any()
    assert scores.answered.loc["R1"].tolist() == [14, 18, 13, 18]


def test_the_ends_of_the_scale(matrix: Instrument, score: Callable[..., Scores]) -> None:
    worst = {"good_practice": "No", "warning_sign": "Yes"}
    half = {"good_practice": "Partly", "warning_sign": "Partly"}
    scores = score(
        [matrix_row(matrix, "worst", fill=worst), matrix_row(matrix, "half", fill=half)]
    )
    assert scores.totals.loc["worst"].tolist() == [-100] * 5
    assert scores.totals.loc["half"].tolist() == [0] * 5
    assert scores.extra["good_practice"].loc["half"].tolist() == [50] * 4


def test_dont_know_is_left_out_of_the_shares_and_counted(
    matrix: Instrument, score: Callable[..., Scores]
) -> None:
    # Good practice: Yes, Yes, DK, No, Yes, Yes -> 4 of the 5 answered = 80 % (not 4/6).
    # Warning signs: DK, No, No, No, Yes, No -> 1 of 5 = 20 %. Balance 60.
    answers = {"B-G3": "Don't know", "B-G4": "No", "B-W1": "DK", "B-W5": "Yes"}
    scores = score([matrix_row(matrix, "R1", answers)])
    assert scores.extra["good_practice"].at["R1", "behaviours"] == pytest.approx(80)
    assert scores.extra["warning_signs"].at["R1", "behaviours"] == pytest.approx(20)
    assert scores.totals.at["R1", "behaviours"] == pytest.approx(60)
    assert scores.extra["dont_know"].loc["R1"].tolist() == [2, 0, 0, 0]
    assert scores.prorated.at["R1", "behaviours"]
    assert not scores.prorated.at["R1", "processes"]
    assert scores.answered.at["R1", "behaviours"] == 12


def test_a_blank_is_not_a_dont_know(matrix: Instrument, score: Callable[..., Scores]) -> None:
    scores = score([matrix_row(matrix, "R1", {"P-G1": "", "P-W1": "Yes"})])
    # Processes: 5 of 5 good practice answered present, 1 of 6 warning signs.
    assert scores.totals.at["R1", "processes"] == pytest.approx(100 - 100 / 6)
    assert scores.extra["dont_know"].at["R1", "processes"] == 0
    assert scores.prorated.at["R1", "processes"]


def test_an_area_allows_three_unanswered_features(
    matrix: Instrument, score: Callable[..., Scores]
) -> None:
    three = {"R-G1": "DK", "R-G2": "", "R-W1": "Don't know"}
    four = three | {"R-W2": "DK"}
    scores = score([matrix_row(matrix, "three", three), matrix_row(matrix, "four", four)])
    assert scores.totals.at["three", "resources"] == 100
    assert scores.prorated.at["three", "resources"]
    assert math.isnan(scores.totals.at["four", "resources"])
    assert math.isnan(scores.extra["good_practice"].at["four", "resources"])
    assert math.isnan(scores.extra["warning_signs"].at["four", "resources"])
    assert not scores.prorated.at["four", "resources"]
    # The gaps are still counted, and the other areas still scored; no overall balance.
    assert scores.extra["dont_know"].at["four", "resources"] == 3
    assert scores.totals.at["four", "behaviours"] == 100
    assert math.isnan(scores.totals.at["four", AGGREGATE])
    assert scores.totals.at["three", AGGREGATE] == 100


def test_key_principles_do_not_count_against_an_area(
    matrix: Instrument, score: Callable[..., Scores]
) -> None:
    blanks = {f"P-K{k}": "" for k in range(1, 7)}
    scores = score([matrix_row(matrix, "R1", blanks | {"M-K1": "SD", "M-K2": ""})])
    assert scores.totals.at["R1", "processes"] == 100
    assert not scores.prorated.at["R1", "processes"]
    assert math.isnan(scores.extra["key_principles"].at["R1", "processes"])
    # Mean of the answered key principles: SD (1) and A (3).
    assert scores.extra["key_principles"].at["R1", "performance"] == pytest.approx(2)


def test_each_share_needs_an_answer(matrix: Instrument, score: Callable[..., Scores]) -> None:
    lenient = dataclasses.replace(matrix, missing=MissingPolicy(max_missing=20))
    no_warnings = {f"M-W{k}": "DK" for k in range(1, 6)}
    scores = score([matrix_row(lenient, "R1", no_warnings)], lenient)
    assert math.isnan(scores.totals.at["R1", "performance"])
    assert scores.extra["dont_know"].at["R1", "performance"] == 5


def test_the_scorer_names_what_it_cannot_score(tmp_path: Path, registry: Registry) -> None:
    source = Path(registry.get("instrument", MATRIX).path).read_text(encoding="utf-8")
    broken = (
        source.replace('id = "B-G1"\nkind = "good_practice"', 'id = "B-G1"\nkind = "practice"')
        .replace(
            'id = "P-W1"\nkind = "warning_sign"\nreverse = true\nscale = "presence"',
            'id = "P-W1"\nkind = "warning_sign"\nreverse = true\nscale = "agree4"',
        )
        .replace(
            'id = "P-W2"\nkind = "warning_sign"\nreverse = true',
            'id = "P-W2"\nkind = "warning_sign"',
        )
        .replace('kind = "warning_sign"', 'kind = "other"', 6)
    )
    path = tmp_path / "broken.toml"
    path.write_text(broken, encoding="utf-8")
    problems = [(p.key, p.message) for p in registry.check(load_instrument(path))]
    assert (
        "sections[1].items[3].kind",
        "expected one of key_principle, good_practice, warning_sign, got 'practice'",
    ) in problems
    assert (
        "sections[1].items",
        "the balance scorer needs an item of kind warning_sign",
    ) in problems
    assert (
        "sections[2].items[13].scale",
        "a warning_sign item needs a scale scoring from 0 (absent) to 1 (present); "
        "'agree4' runs 1 to 4",
    ) in problems
    assert (
        "sections[2].items[14].reverse",
        "a warning_sign item needs reverse = true (its Yes is bad news); "
        "a good_practice item must not have it",
    ) in problems
    assert len(problems) == 4 + 6  # the four above, and B-W1 to B-W6 of kind 'other'
