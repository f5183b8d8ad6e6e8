"""Agreement across respondents, checked against values worked out by hand."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from analysis_support import analyse_rows, principle
from conftest import odpm_row

from pat_framework.analysis.consensus import (
    ScaleGeometry,
    agreement_label,
    cronbach_alpha,
    rwg_j,
    spread_of,
)
from pat_framework.model import Instrument, Option, Scale
from pat_framework.runtime.registry import Registry

PRESENCE = Scale(
    "presence",
    (
        Option("Yes", 1.0),
        Option("Partly", 0.5),
        Option("No", 0.0),
        Option("Don't know", missing="dont_know"),
    ),
)
AGREE5 = Scale("agree5", tuple(Option(str(v), float(v)) for v in range(5, 0, -1)))


@pytest.fixture
def agree4(odpm: Instrument) -> Scale:
    return odpm.item("P1A").scale


def test_three_three_four_two(agree4: Scale) -> None:
    # mean 3; s² = (0 + 0 + 1 + 1)/3 = 0.6667; σ²E = (16 − 1)/12 = 1.25
    # rWG = 1 − 0.6667/1.25 = 0.4667; AD = (0 + 0 + 1 + 1)/4 = 0.5 ≤ 4/6
    spread = spread_of([3, 3, 4, 2], agree4)
    assert spread.rwg == pytest.approx(0.4667, abs=1e-4)
    assert spread.ad == pytest.approx(0.5)
    assert spread.ad_agree is True
    assert spread.variance == pytest.approx(2 / 3)
    assert spread.median == 3 and spread.mean == 3 and spread.min == 2 and spread.max == 4
    assert spread.iqr == pytest.approx(0.5)  # quartiles 2.75 and 3.25, as numpy gives
    assert spread.split is True  # one answer below 2.5, three above
    assert spread.label == "weak agreement (rWG 0.47)"


def test_one_four_one_four_is_split_with_no_agreement(agree4: Scale) -> None:
    # mean 2.5; s² = 4 × 2.25 / 3 = 3 > 1.25, so rWG is truncated to 0
    spread = spread_of([1, 4, 1, 4], agree4)
    assert spread.rwg == 0
    assert spread.split is True
    assert spread.divided == 0.5
    assert spread.ad == pytest.approx(1.5)
    assert spread.ad_agree is False  # 1.5 > 4/6
    assert spread.label == "lack of agreement (rWG 0.00)"


def test_everyone_agreeing(agree4: Scale) -> None:
    spread = spread_of([3, 3, 3, 3, 3], agree4)
    assert (spread.rwg, spread.ad, spread.split, spread.iqr) == (1, 0, False, 0)
    assert spread.label == "very strong agreement (rWG 1.00)"


def test_fewer_than_three_answers_give_no_agreement_figure(agree4: Scale) -> None:
    spread = spread_of([1, 4, math.nan], agree4)
    assert spread.n == 2
    assert math.isnan(spread.rwg) and math.isnan(spread.ad) and spread.ad_agree is None
    assert spread.label == "too few respondents for agreement (2 answered; 3 needed)"
    assert spread.split is True  # the two answers are still on both sides


def test_indices_are_measured_in_steps_of_the_scale() -> None:
    # Yes/Partly/No is 1, 0.5, 0: A = 3, one step is 0.5, so σ²E = (9 − 1)/12 × 0.25 = 1/6.
    # Answers 1, 1, 1, 0.5: mean 0.875, s² = (3 × 0.125² + 0.375²)/3 = 0.0625,
    # rWG = 1 − 0.0625 × 6 = 0.625; AD = (3 × 0.125 + 0.375)/4 = 0.1875 ≤ 3/6 × 0.5
    geometry = ScaleGeometry.of(PRESENCE)
    assert geometry.null_variance == pytest.approx(1 / 6)
    assert geometry.ad_cutoff == pytest.approx(0.25)
    spread = spread_of([1, 1, 1, 0.5], PRESENCE)
    assert spread.rwg == pytest.approx(0.625)
    assert spread.ad == pytest.approx(0.1875)
    assert spread.ad_agree is True
    assert spread.split is False  # "Partly" is the midpoint: on neither side


def test_five_point_scale_null_variance_and_midpoint() -> None:
    # A = 5: σ²E = (25 − 1)/12 = 2; answers on the midpoint 3 are on neither side
    assert ScaleGeometry.of(AGREE5).null_variance == 2
    spread = spread_of([3, 3, 4, 5], AGREE5)
    assert spread.split is False
    # mean 3.75, s² = (0.5625 × 2 + 0.0625 + 1.5625)/3 = 0.9167; rWG = 1 − 0.9167/2
    assert spread.rwg == pytest.approx(1 - 0.91667 / 2, abs=1e-4)


def test_an_answer_off_the_scale_is_refused(agree4: Scale) -> None:
    with pytest.raises(ValueError, match=r"2\.5 is not a value of the scale"):
        spread_of([1, 2.5, 3], agree4)


def test_rwg_j_formula() -> None:
    # r̄ = (8/15 + 4/15)/6 = 2/15: rWG(J) = 6 × 13/15 / (6 × 13/15 + 2/15) = 78/80
    assert rwg_j([8 / 15, 0, 0, 4 / 15, 0, 0]) == pytest.approx(0.975)
    assert rwg_j([1.2, 1.5]) == 0  # more spread than chance
    assert rwg_j([0, 0, 0]) == 1
    assert math.isnan(rwg_j([]))


def test_rwg_j_for_a_principle_worked_by_hand(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    # P1 answered by four respondents; variances per statement:
    # A (3,3,4,2) 2/3; B, C, E, F the same answer from all: 0; D (2,3,2,3) 1/3.
    # s̄² = (2/3 + 1/3)/6 = 1/6; s̄²/σ²E = (1/6)/1.25 = 2/15; rWG(J) = 78/80 = 0.975
    answers = [
        [3, 3, 4, 2, 3, 3],
        [3, 3, 4, 3, 3, 3],
        [4, 3, 4, 2, 3, 3],
        [2, 3, 4, 3, 3, 3],
    ]
    rows = [odpm_row(f"R{k}", principle(a)) for k, a in enumerate(answers)]
    analysis = analyse_rows(registry, write_sheet, rows)
    p1 = analysis.sections.set_index("section").loc["P1"]
    assert p1["rwg_j"] == pytest.approx(0.975)
    assert p1["n"] == 4 and p1["median"] == 18.5  # totals 18, 19, 19, 18
    items = analysis.items.set_index("item")
    assert items.at["P1A", "rwg"] == pytest.approx(0.4667, abs=1e-4)
    assert items.at["P1A", "count_4"] == 1 and items.at["P1A", "count_3"] == 2
    assert items.at["P1C", "rwg"] == 1


def test_cronbach_alpha_textbook_example() -> None:
    # Three items, four people. Item variances 2/3, 5/3, 1/3 (sum 8/3); totals 5, 8, 8, 11
    # have variance 6. α = 3/2 × (1 − (8/3)/6) = 3/2 × 5/9 = 5/6.
    block = np.array([[2, 1, 2], [3, 3, 2], [3, 2, 3], [4, 4, 3]], dtype=np.float32)
    assert cronbach_alpha(block) == pytest.approx(5 / 6)


def test_alpha_only_with_thirty_complete_respondents_and_labelled_pooled(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    # The textbook block as P1A–P1C, with P1D–P1F the same for everyone (variance 0):
    # α = 6/5 × (1 − (8/3)/6) = 2/3. Repeating the four people 8 times leaves α unchanged.
    pattern = [[2, 1, 2], [3, 3, 2], [3, 2, 3], [4, 4, 3]]
    rows = [
        odpm_row(f"R{k}", principle([*pattern[k % 4], 3, 3, 3]), organisation=f"O{k % 2}")
        for k in range(32)
    ]
    analysis = analyse_rows(registry, write_sheet, rows)
    p1 = analysis.sections.set_index("section").loc["P1"]
    assert p1["alpha"] == pytest.approx(2 / 3)
    assert p1["alpha_n"] == 32
    # Three respondents leave a statement blank: 29 complete, no α.
    for row in rows[:3]:
        row["P1B"] = ""
    analysis = analyse_rows(registry, write_sheet, rows)
    p1 = analysis.sections.set_index("section").loc["P1"]
    assert math.isnan(p1["alpha"]) and p1["alpha_n"] == 29


@pytest.mark.parametrize(
    ("value", "n", "label"),
    [
        (0.82, 18, "strong agreement (rWG 0.82)"),
        (0.905, 18, "very strong agreement (rWG 0.91)"),
        (0.5, 5, "weak agreement (rWG 0.50)"),
        (0.301, 5, "lack of agreement (rWG 0.30)"),
        (0.7, 5, "moderate agreement (rWG 0.70)"),
        (0.9, 2, "too few respondents for agreement (2 answered; 3 needed)"),
    ],
)
def test_agreement_labels_name_their_index(value: float, n: int, label: str) -> None:
    assert agreement_label(value, n) == label


def test_items_table_covers_every_item_with_dont_know_counts(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    path = Path(__file__).resolve().parents[1] / "examples/responses/governance-sample.csv"
    from pat_framework.analysis import analyse
    from pat_framework.runtime.pipeline import interpret

    analysis = analyse(interpret(registry, "governance-matrix", [path]))
    instrument = analysis.instrument
    items = analysis.items.set_index("item")
    assert list(items.index) == instrument.item_ids
    responses = analysis.responses
    for item_id in ("B-G1", "M-W5"):
        answered = responses.values[item_id].notna().sum()
        assert items.at[item_id, "n"] == answered
        assert items.at[item_id, "dont_know"] == (responses.states[item_id] == 2).sum()
        counted = sum(items.at[item_id, f"count_{v}"] for v in ("0", "0.5", "1"))
        assert counted == answered
    # A presence item has no count for agreement values, and the reverse.
    assert items["count_4"].isna()["B-G1"] and items["count_0.5"].isna()["B-K1"]
