"""The checklist scorer: readiness = (Yes + ½ Partly) / applicable answers, as a percentage."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from pathlib import Path

import pytest

from pat_framework.bands import ScoreRange
from pat_framework.instrument.loader import load_instrument
from pat_framework.model import Instrument, MissingPolicy
from pat_framework.responses import read_responses
from pat_framework.results import AGGREGATE, Scores
from pat_framework.runtime.registry import Registry


def score(registry: Registry, instrument: Instrument, path: Path) -> Scores:
    responses = read_responses(instrument, [path])
    return registry.get("scorer", "checklist").score(responses)


def ingredients_row(respondent: str, *answers: str) -> dict[str, str]:
    """rq-ingredients: Q1–Q3 are the key principles, Q4–Q10 the ingredients."""
    row = {"respondent": respondent}
    row.update({f"Q{k}": answer for k, answer in enumerate(answers, 1)})
    return row


@pytest.fixture
def ingredients(registry: Registry) -> Instrument:
    return registry.instrument("rq-ingredients")


@pytest.fixture
def barriers(registry: Registry) -> Instrument:
    return registry.instrument("rq-barriers")


def test_readiness_by_hand(
    registry: Registry, ingredients: Instrument, write_sheet: Callable[..., Path]
) -> None:
    # principles: Yes, Partly, No -> (1 + 0.5 + 0) / 3 = 50
    # ingredients: Yes, Yes, Partly, DK, NA, No, Yes -> (1 + 1 + 0.5 + 0 + 1) / 5 = 70
    # aggregate pools the answers: (1.5 + 3.5) / (3 + 5) = 62.5, not the mean 60
    path = write_sheet(
        [
            ingredients_row(
                "A", "Yes", "Partly", "No", "Yes", "Yes", "Partly", "DK", "NA", "No", "Y"
            )
        ]
    )
    scores = score(registry, ingredients, path)
    assert scores.totals.loc["A", "principles"] == 50
    assert scores.totals.loc["A", "ingredients"] == 70
    assert scores.totals.loc["A", AGGREGATE] == 62.5
    assert scores.answered.loc["A"].tolist() == [3, 5]
    assert scores.extra["dont_know"].loc["A"].tolist() == [0, 1]
    assert scores.extra["not_applicable"].loc["A"].tolist() == [0, 1]
    assert scores.extra["blank"].loc["A"].tolist() == [0, 0]
    assert not scores.prorated.to_numpy().any()


def test_every_spelling_of_the_scale_counts(
    registry: Registry, ingredients: Instrument, write_sheet: Callable[..., Path]
) -> None:
    # value, code and label in any case: 1, p, PARTLY, 0.5, n, yes, Yes, y, 0, 1
    path = write_sheet(
        [ingredients_row("A", "1", "p", "PARTLY", "0.5", "n", "yes", "Yes", "y", "0", "1")]
    )
    scores = score(registry, ingredients, path)
    # principles (1 + 0.5 + 0.5) / 3; ingredients (0.5 + 0 + 1 + 1 + 1 + 0 + 1) / 7
    assert scores.totals.loc["A", "principles"] == pytest.approx(200 / 3)
    assert scores.totals.loc["A", "ingredients"] == pytest.approx(450 / 7)
    assert scores.totals.loc["A", AGGREGATE] == pytest.approx(650 / 10)


def test_reversed_items_count_the_other_way(
    registry: Registry, barriers: Instrument, write_sheet: Callable[..., Path]
) -> None:
    # A barrier answered Yes is present (scores 0); No means absent (scores 1).
    path = write_sheet(
        [
            {"respondent": "all-yes", **{f"Q{k}": "Yes" for k in range(1, 7)}},
            {"respondent": "all-no", **{f"Q{k}": "No" for k in range(1, 7)}},
            # Yes 0, Partly 0.5, No 1, No 1, NA, DK -> 2.5 / 4 = 62.5
            {
                "respondent": "mixed",
                "Q1": "Yes",
                "Q2": "Partly",
                "Q3": "No",
                "Q4": "No",
                "Q5": "Not applicable",
                "Q6": "Don't know",
            },
        ]
    )
    totals = score(registry, barriers, path).totals
    assert totals.loc["all-yes", "barriers"] == 0
    assert totals.loc["all-no", "barriers"] == 100
    assert totals.loc["mixed", "barriers"] == 62.5
    assert totals.loc["mixed", AGGREGATE] == 62.5


def test_blanks_up_to_max_missing_are_tolerated_and_marked(
    registry: Registry, ingredients: Instrument, write_sheet: Callable[..., Path]
) -> None:
    path = write_sheet(
        [
            # one blank in the ingredients (the default max_missing is 1): 6 Yes of 6
            ingredients_row(
                "one-blank", "Yes", "Yes", "Yes", "Yes", "Yes", "", "Yes", "Yes", "Y", "Yes"
            ),
            # three blanks (Q10 has no cell): the ingredients and the aggregate are unscored
            ingredients_row("two-blank", "Yes", "No", "No", "", "", "Yes", "Yes", "Yes", "Yes"),
        ]
    )
    scores = score(registry, ingredients, path)
    assert scores.totals.loc["one-blank", "ingredients"] == 100
    assert bool(scores.prorated.loc["one-blank", "ingredients"])
    assert not bool(scores.prorated.loc["one-blank", "principles"])
    assert scores.totals.loc["one-blank", AGGREGATE] == 100
    assert scores.totals.loc["two-blank", "principles"] == pytest.approx(100 / 3)
    assert math.isnan(scores.totals.loc["two-blank", "ingredients"])
    assert math.isnan(scores.totals.loc["two-blank", AGGREGATE])
    assert scores.extra["blank"].loc["two-blank"].tolist() == [0, 3]


def test_max_missing_from_the_instrument_is_respected(
    registry: Registry, barriers: Instrument, write_sheet: Callable[..., Path]
) -> None:
    five = {"respondent": "A", "Q1": "No", "Q2": "No", "Q3": "No", "Q4": "No", "Q5": "Yes"}
    path = write_sheet([five])
    # the bundled file keeps the default: one of six may be blank; 4 of 5 barriers absent
    assert score(registry, barriers, path).totals.loc["A", "barriers"] == 80
    strict = dataclasses.replace(barriers, missing=MissingPolicy(max_missing=0))
    assert math.isnan(score(registry, strict, path).totals.loc["A", "barriers"])
    four = write_sheet([{k: v for k, v in five.items() if k != "Q5"}], name="four.csv")
    assert math.isnan(score(registry, barriers, four).totals.loc["A", "barriers"])


def test_dont_know_and_not_applicable_are_not_blanks(
    registry: Registry, ingredients: Instrument, write_sheet: Callable[..., Path]
) -> None:
    path = write_sheet(
        [
            # nothing applies in the principles: no readiness there, but the aggregate
            # pools the ingredients, which are all met
            ingredients_row("na", "NA", "NA", "NA", *["Yes"] * 7),
            # nothing but Don't know: no readiness anywhere, and it is counted
            ingredients_row("dk", *["DK"] * 10),
        ]
    )
    scores = score(registry, ingredients, path)
    assert math.isnan(scores.totals.loc["na", "principles"])
    assert scores.totals.loc["na", "ingredients"] == 100
    assert scores.totals.loc["na", AGGREGATE] == 100
    assert scores.totals.loc["dk"].isna().all()
    assert scores.extra["dont_know"].loc["dk"].tolist() == [3, 7]
    assert scores.extra["blank"].loc["dk"].tolist() == [0, 0]


def test_ranges_are_percentages(registry: Registry, barriers: Instrument) -> None:
    scorer = registry.get("scorer", "checklist")
    assert scorer.score_range(barriers, barriers.sections[0]) == ScoreRange(0, 100, whole=False)
    assert scorer.aggregate_range(barriers) == ScoreRange(0, 100, whole=False)


def test_a_scale_with_one_value_is_refused(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "one.toml"
    path.write_text(
        """format = 1
id = "one-value"
title = "One value"
version = "1"
scorer = "checklist"
interpreter = "checklist"
[source]
title = "Test"
[scales.tick]
[[scales.tick.options]]
value = 1
label = "Done"
[[sections]]
id = "s"
title = "S"
scale = "tick"
[[sections.items]]
id = "Q1"
text = "Something"
[[sections.bands]]
min = 0
max = 100
label = "All"
""",
        encoding="utf-8",
    )
    problems = registry.check(load_instrument(path))
    assert [(p.key, p.message) for p in problems] == [
        (
            "sections[1].items[1].scale",
            "scale 'tick' needs at least two different values to tell a met item from an "
            "unmet one",
        )
    ]
