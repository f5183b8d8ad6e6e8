"""The `sum` scorer and `bands` interpreter: the seed's worked example, missing answers and
the group's scenario, with every expected value worked out by hand."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import odpm_row

from pat_framework.instrument.loader import instrument_from_dict
from pat_framework.responses import read_responses
from pat_framework.results import AGGREGATE, Interpretation
from pat_framework.runtime.pipeline import interpret, score
from pat_framework.runtime.registry import Registry

PRINCIPLES = ["P1", "P2", "P3", "P4", "P5", "P6"]
WORKED_EXAMPLE = {"P1A": "SA", "P1B": "D", "P1C": "A", "P1D": "A", "P1E": "A", "P1F": "SD"}
UNHEALTHY = "Some partners have assessed the partnership as unhealthy in some respects."


def principle(number: int, answers: list[Any]) -> dict[str, Any]:
    """Answers to one principle's six statements, A to F; None leaves a statement blank."""
    cells = ["" if a is None else a for a in answers]
    return {f"P{number}{e}": a for e, a in zip("ABCDEF", cells, strict=True)}


def run(registry: Registry, sheet: Path) -> Interpretation:
    return interpret(registry, "pat-odpm", [sheet])


def test_the_seeds_worked_example_scores_16_from_columns_4_9_2_1(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    sheet = write_sheet([odpm_row("R1", WORKED_EXAMPLE)])
    scores = score(registry, "pat-odpm", [sheet])
    assert scores.totals.at["R1", "P1"] == 16
    assert scores.answered.at["R1", "P1"] == 6
    assert not scores.prorated.at["R1", "P1"]
    # The profile sheet's column scores: each column's ticks times the column's value.
    answers = scores.responses.values.loc["R1", list(WORKED_EXAMPLE)].tolist()
    ticks = Counter(answers)
    columns = {value: ticks[value] * value for value in (4, 3, 2, 1)}
    assert columns == {4: 4, 3: 9, 2: 2, 1: 1}
    assert sum(columns.values()) == 16


def test_totals_and_aggregate_for_full_answers(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    answers = {**WORKED_EXAMPLE, **principle(2, ["SA"] * 6), **principle(3, ["SD"] * 6)}
    sheet = write_sheet([odpm_row("R1", answers, fill="D")])
    result = run(registry, sheet)
    totals = result.scores.totals.loc["R1"]
    # P1 16, P2 24, P3 6, P4–P6 all Disagree 12 each: 16 + 24 + 6 + 36 = 82.
    assert totals[PRINCIPLES].tolist() == [16, 24, 6, 12, 12, 12]
    assert totals[AGGREGATE] == 82
    assert list(result.scores.totals.columns) == [*PRINCIPLES, AGGREGATE]


def test_weighting_and_success_answers_are_not_added_in(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    extra = {f"W{k}": 4 for k in range(1, 7)} | {"S1": "SA"}
    sheet = write_sheet([odpm_row("R1", extra, fill="A")])
    scores = score(registry, "pat-odpm", [sheet])
    assert scores.totals.at["R1", AGGREGATE] == 108
    assert scores.responses.values.at["R1", "W3"] == 4


def test_one_missing_statement_is_prorated_and_flagged(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    # A, D, A, D, A and one blank: 13 from five answers, mean 2.6, times 6 = 15.6.
    sheet = write_sheet([odpm_row("R1", principle(1, ["A", "D", "A", "D", "A", None]))])
    result = run(registry, sheet)
    scores = result.scores
    assert scores.totals.at["R1", "P1"] == pytest.approx(15.6)
    assert scores.answered.at["R1", "P1"] == 5
    assert scores.prorated.at["R1", "P1"]
    assert not scores.prorated.at["R1", "P2"]
    assert scores.totals.at["R1", AGGREGATE] == pytest.approx(15.6 + 5 * 18)


def test_a_prorated_total_is_banded_by_the_lower_bound_it_reaches(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    # SA, SA, A, A, SA and one blank: 18 from five answers, 3.6 × 6 = 21.6, band 19–24;
    # A, A, A, SA, A and one blank: 16/5 × 6 = 19.2, band 19–24;
    # SA, A, A, A, A: 16/5 × 6 = 19.2 too; A, A, A, A, D: 14/5 × 6 = 16.8, band 13–18.
    rows = [
        odpm_row("R1", principle(1, ["SA", "SA", "A", "A", "SA", None])),
        odpm_row("R2", principle(1, ["A", "A", "A", "A", "D", None])),
    ]
    result = run(registry, write_sheet(rows))
    assert result.scores.totals["P1"].round(4).tolist() == [21.6, 16.8]
    from pat_framework.bands import ordered

    run_bands = ordered(result.instrument.section("P1").bands)
    assert [run_bands[k].label for k in result.bands["P1"]] == ["19–24", "13–18"]


def test_two_missing_statements_leave_the_principle_and_aggregate_unscored(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    rows = [
        odpm_row("R1", principle(1, ["SA", "SA", "SA", "SA", None, None]), fill="SA"),
        odpm_row("R2", fill="SA"),
    ]
    result = run(registry, write_sheet(rows))
    scores = result.scores
    # Never counted as zero: not 16 (the four answers), not 16 + 0 + 0, but no score.
    assert math.isnan(scores.totals.at["R1", "P1"])
    assert scores.answered.at["R1", "P1"] == 4
    assert not scores.prorated.at["R1", "P1"]
    assert math.isnan(scores.totals.at["R1", AGGREGATE])
    assert scores.totals.loc["R1", PRINCIPLES[1:]].tolist() == [24] * 5
    assert result.bands.at["R1", "P1"] == -1
    assert result.bands.at["R1", AGGREGATE] == -1
    # The group: one respondent scored; the unscored one is not a zero in the median.
    assert (result.group.respondents, result.group.scored) == (2, 1)
    assert result.group.median_aggregate == 144
    assert result.group.section_medians["P1"] == 24


def test_an_unanswered_principle_is_unscored_not_zero(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    sheet = write_sheet([odpm_row("R1", principle(6, [None] * 6))])
    scores = score(registry, "pat-odpm", [sheet])
    assert math.isnan(scores.totals.at["R1", "P6"])
    assert scores.answered.at["R1", "P6"] == 0
    assert math.isnan(scores.totals.at["R1", AGGREGATE])


def test_no_respondent_with_an_aggregate(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    sheet = write_sheet([odpm_row("R1", principle(1, [None] * 6))])
    group = run(registry, sheet).group
    assert group.median_aggregate is None
    assert group.scenario is None
    assert group.reason == "No respondent answered enough statements for an aggregate score."


def test_max_missing_is_read_from_the_instrument(
    registry: Registry, odpm: Any, write_sheet: Callable[..., Path]
) -> None:
    from dataclasses import replace

    from pat_framework.model import MissingPolicy

    strict = replace(odpm, missing=MissingPolicy(max_missing=0))
    sheet = write_sheet([odpm_row("R1", principle(1, ["SA"] * 5 + [None]))])
    responses = read_responses(strict, [sheet])
    scores = registry.get("scorer", "sum").score(responses)
    assert math.isnan(scores.totals.at["R1", "P1"])
    assert scores.totals.at["R1", "P2"] == 18


def test_reverse_items_and_dont_know(registry: Registry, tmp_path: Path) -> None:
    scale = {
        "options": [
            {"value": 4, "label": "Strongly agree", "codes": ["SA"]},
            {"value": 3, "label": "Agree", "codes": ["A"]},
            {"value": 2, "label": "Disagree", "codes": ["D"]},
            {"value": 1, "label": "Strongly disagree", "codes": ["SD"]},
            {"label": "Don't know", "codes": ["DK"], "missing": "dont_know"},
        ]
    }
    items = [
        {"id": "B1", "text": "Barrier one.", "reverse": True},
        {"id": "B2", "text": "Strength two."},
        {"id": "B3", "text": "Strength three."},
    ]
    instrument = instrument_from_dict(
        {
            "format": 1,
            "id": "mixed",
            "title": "Mixed",
            "version": "1",
            "source": {"title": "test"},
            "scales": {"agree": scale},
            "sections": [
                {
                    "id": "S",
                    "title": "S",
                    "scale": "agree",
                    "items": items,
                    "bands": [
                        {"min": 3, "max": 7, "label": "low"},
                        {"min": 8, "max": 12, "label": "high"},
                    ],
                }
            ],
        },
        "mixed.toml",
    )
    assert registry.check(instrument) == []
    sheet = tmp_path / "mixed.csv"
    sheet.write_text("respondent,B1,B2,B3\nR1,SA,A,D\nR2,SD,SA,DK\nR3,DK,DK,A\n")
    scores = registry.get("scorer", "sum").score(read_responses(instrument, [sheet]))
    # R1: reverse SA counts 1, + 3 + 2 = 6. R2: reverse SD counts 4, + 4, Don't know
    # unanswered: 8 / 2 × 3 = 12, prorated. R3: two Don't know, one answer: unscored.
    assert scores.totals.at["R1", "S"] == 6
    assert scores.totals.at["R2", "S"] == 12 and scores.prorated.at["R2", "S"]
    assert math.isnan(scores.totals.at["R3", "S"])
    assert scores.answered["S"].tolist() == [3, 2, 1]


# The group's scenario -------------------------------------------------------------------


def test_everyone_healthy_gives_scenario_a(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    sheet = write_sheet([odpm_row("R1", fill="SA"), odpm_row("R2", fill="SA")])
    group = run(registry, sheet).group
    assert group.median_aggregate == 144
    assert group.aggregate_band is not None and group.aggregate_band.label == "109–144"
    assert group.scenario is not None and group.scenario.id == "A"
    assert UNHEALTHY not in group.reason


def test_one_partner_at_12_on_a_principle_raises_a_to_b(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    # R3 puts P4 at 12 (all Disagree); aggregates 144, 144, 132: median 144, band A.
    rows = [
        odpm_row("R1", fill="SA"),
        odpm_row("R2", fill="SA"),
        odpm_row("R3", principle(4, ["D"] * 6), fill="SA"),
    ]
    group = run(registry, write_sheet(rows)).group
    assert group.median_aggregate == 144
    assert group.aggregate_band is not None and group.aggregate_band.scenario == "A"
    assert group.scenario is not None and group.scenario.id == "B"
    assert "1 respondent(s) scored P4 in a band of concern." in group.reason
    assert group.reason.endswith(UNHEALTHY)


def test_a_partner_at_13_does_not_raise_the_scenario(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    # 13 = D, D, D, D, D, A: the lowest healthy total.
    rows = [odpm_row("R1", fill="SA"), odpm_row("R2", principle(4, ["D"] * 5 + ["A"]))]
    rows[1].update({k: "SA" for k in rows[1] if k.startswith("P") and not k.startswith("P4")})
    result = run(registry, write_sheet(rows))
    assert result.scores.totals.at["R2", "P4"] == 13
    assert result.group.scenario is not None and result.group.scenario.id == "A"


def test_a_group_median_below_13_raises_a_to_b(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    # P2 all Disagree (12) for everyone, the rest Strongly agree: aggregate 132, band A.
    rows = [odpm_row(f"R{k}", principle(2, ["D"] * 6), fill="SA") for k in range(3)]
    group = run(registry, write_sheet(rows)).group
    assert group.section_medians["P2"] == 12
    assert group.scenario is not None and group.scenario.id == "B"
    assert "the group median of P2 lies in a band of concern." in group.reason


def test_the_median_aggregate_picks_the_band(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    # All Agree: 108 each (band 73–108, scenario B). Two at 108 and one at 144: median 108.
    rows = [odpm_row("R1", fill="A"), odpm_row("R2", fill="A"), odpm_row("R3", fill="SA")]
    group = run(registry, write_sheet(rows)).group
    assert group.median_aggregate == 108
    assert group.scenario is not None and group.scenario.id == "B"
    assert group.reason == (
        "The median aggregate score of 3 respondent(s) is 108, in the band 73–108."
    )


def test_even_count_median_lands_between_two_respondents(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    # 108 and 144: median 126, band 109–144. Nobody at 12 or below, so A stands.
    rows = [odpm_row("R1", fill="A"), odpm_row("R2", fill="SA")]
    group = run(registry, write_sheet(rows)).group
    assert group.median_aggregate == 126
    assert group.scenario is not None and group.scenario.id == "A"


def test_significant_concerns_give_scenario_c(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    # All Disagree: 72 each, band 37–72, scenario C; all Strongly disagree: 36, also C.
    for fill, median in (("D", 72), ("SD", 36)):
        rows = [odpm_row("R1", fill=fill), odpm_row("R2", fill=fill)]
        group = run(registry, write_sheet(rows, f"{fill}.csv")).group
        assert group.median_aggregate == median
        assert group.scenario is not None and group.scenario.id == "C"
        assert "Raised" not in group.reason


def test_findings_name_strengths_and_concerns(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    answers = principle(1, ["SA"] * 6) | principle(2, ["D"] * 6)
    result = run(registry, write_sheet([odpm_row("R1", answers, fill="A")]))
    by_section = {f.section_id: f for f in result.findings}
    assert set(by_section) == {"P1", "P2"}
    assert by_section["P1"].kind == "strength" and not by_section["P1"].action
    assert by_section["P2"].kind == "concern" and by_section["P2"].action
    assert by_section["P2"].detail == "Only limited clarity and realism of purpose exists"
