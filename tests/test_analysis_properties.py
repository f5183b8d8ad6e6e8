"""Invariants of the agreement figures and the analysis, checked on generated answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from pat_framework.analysis import Analysis, analyse
from pat_framework.analysis.consensus import rwg_j, spread_of
from pat_framework.disclosure import Withheld
from pat_framework.model import Instrument, Option, Scale
from pat_framework.responses import Responses
from pat_framework.runtime.registry import Registry

FOUR = [1.0, 2.0, 3.0, 4.0]
AGREE4 = Scale(
    "agree4",
    tuple(
        Option(label, float(v))
        for v, label in zip(FOUR[::-1], ("SA", "A", "D", "SD"), strict=True)
    ),
)
answers4 = st.lists(st.sampled_from(FOUR), min_size=3, max_size=60)


@given(answers4)
def test_rwg_lies_between_zero_and_one(answers: list[float]) -> None:
    assert 0 <= spread_of(answers, AGREE4).rwg <= 1


@given(st.lists(st.floats(min_value=0, max_value=50, allow_nan=False), min_size=1, max_size=12))
def test_rwg_j_lies_between_zero_and_one(ratios: list[float]) -> None:
    assert 0 <= rwg_j(ratios) <= 1


@given(st.sampled_from(FOUR), st.integers(min_value=3, max_value=200))
def test_identical_answers_give_full_agreement(value: float, n: int) -> None:
    spread = spread_of([value] * n, AGREE4)
    assert (spread.rwg, spread.ad, spread.split, spread.iqr) == (1, 0, False, 0)
    assert spread.median == value


@given(st.lists(st.sampled_from(FOUR), min_size=1, max_size=80))
def test_centre_and_spread_match_numpy(answers: list[float]) -> None:
    spread = spread_of(answers, AGREE4)
    q1, median, q3 = np.quantile(answers, [0.25, 0.5, 0.75])
    assert spread.median == pytest.approx(median)
    assert spread.iqr == pytest.approx(q3 - q1)
    assert spread.mean == pytest.approx(np.mean(answers))
    if len(answers) > 1:
        assert spread.variance == pytest.approx(np.var(answers, ddof=1))


def responses_from(
    instrument: Instrument, grid: np.ndarray, groups: list[str], rounds: list[str]
) -> Responses:
    ids = pd.Index([f"R{k:03d}" for k in range(len(grid))], name="respondent", dtype=object)
    values = pd.DataFrame(grid.astype(np.float32), index=ids, columns=instrument.item_ids)
    attributes = pd.DataFrame({"organisation": groups, "round": rounds}, index=ids, dtype=object)
    return Responses(instrument, attributes, values)


def run(registry: Registry, responses: Responses) -> Analysis | None:
    """Every round pooled, or None where the rules withhold them."""
    instrument = responses.instrument
    scores = registry.get("scorer", instrument.scorer).score(responses)
    interpretation = registry.get("interpreter", instrument.interpreter).interpret(scores)
    try:
        return analyse(interpretation, by=["organisation"], min_group=3)
    except Withheld:
        return None


@settings(max_examples=25, deadline=None)
@given(
    st.integers(min_value=3, max_value=40),
    st.integers(min_value=0, max_value=2**32 - 1),
    st.sampled_from([0.0, 0.05]),
)
def test_reordering_respondents_changes_nothing(
    registry: Registry, n: int, seed: int, blanks: float
) -> None:
    rng = np.random.default_rng(seed)
    grid = rng.integers(1, 5, size=(n, 43)).astype(float)
    grid[rng.random(grid.shape) < blanks] = np.nan
    groups = [str(g) for g in rng.choice(["North", "South", "East"], size=n)]
    rounds = [str(r) for r in rng.choice(["1", "2"], size=n)]
    order = rng.permutation(n)
    instrument = registry.instrument("pat-odpm")
    first = run(registry, responses_from(instrument, grid, groups, rounds))
    shuffled = responses_from(
        instrument, grid[order], [groups[k] for k in order], [rounds[k] for k in order]
    )
    if first is None:  # withheld: a round or the pooled rounds too small
        assert run(registry, shuffled) is None
        return
    again = run(registry, shuffled)
    assert again is not None
    assert_frame_equal(first.items, again.items)
    assert_frame_equal(first.sections, again.sections, rtol=1e-9)
    by_group = ["group", "section"]
    assert_frame_equal(
        first.subgroups["organisation"].sort_values(by_group).reset_index(drop=True),
        again.subgroups["organisation"].sort_values(by_group).reset_index(drop=True),
    )
    if first.rounds is not None:
        assert_frame_equal(first.rounds, again.rounds)
    assert_frame_equal(first.priorities, again.priorities)
    assert [f.title for f in first.findings if f.kind != "difference"] == [
        f.title for f in again.findings if f.kind != "difference"
    ]
    assert sorted(first.action_plan["issue"]) == sorted(again.action_plan["issue"])
    assert first.items["rwg"].dropna().between(0, 1).all()
    assert first.sections["rwg_j"].dropna().between(0, 1).all()


@settings(max_examples=10, deadline=None)
@given(st.sampled_from(FOUR), st.integers(min_value=3, max_value=30))
def test_everyone_giving_the_same_answers(registry: Registry, value: float, n: int) -> None:
    instrument = registry.instrument("pat-odpm")
    grid = np.full((n, 43), value)
    analysis = run(registry, responses_from(instrument, grid, ["North"] * n, ["1"] * n))
    assert analysis is not None
    assert (analysis.items["rwg"] == 1).all() and (analysis.items["ad"] == 0).all()
    assert not analysis.items["split"].any()
    assert (analysis.sections["rwg_j"] == 1).all()
    assert not [f for f in analysis.findings if f.kind == "disagreement"]
    if n >= 30:
        assert analysis.sections["alpha"].isna().all()  # no variance: no α
    assert not math.isnan(analysis.sections["median"].iloc[0])
