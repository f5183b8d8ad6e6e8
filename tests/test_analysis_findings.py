"""Findings for the workshop: scenario and its reason, concerns, disagreements, strengths,
the success statement, priorities and the action plan."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from analysis_support import analyse_rows, principle
from conftest import EXAMPLES, odpm_row

from pat_framework.analysis import analyse
from pat_framework.analysis.briefing import briefing
from pat_framework.analysis.priorities import CONCENTRATE, KEEP_UP, LESS_PRESSING
from pat_framework.model import Instrument
from pat_framework.responses import read_responses
from pat_framework.runtime.pipeline import interpret, interpret_responses
from pat_framework.runtime.registry import Registry

ESCALATION = "Some partners have assessed the partnership as unhealthy in some respects."


def kinds(analysis, kind: str) -> list:
    return [f for f in analysis.findings if f.kind == kind]


def test_escalation_from_a_to_b_is_reported(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    # Three answer Strongly agree throughout (144); one puts P4 at 6 (aggregate 126). The
    # median aggregate 144 is in 109–144 (scenario A), but one respondent's P4 is in a band
    # of concern, so the rule raises the scenario to B.
    rows = [odpm_row(f"R{k}", fill="SA") for k in range(3)]
    rows.append(odpm_row("R3", principle(["SD"] * 6, 4), fill="SA"))
    analysis = analyse_rows(registry, write_sheet, rows)
    first = analysis.findings[0]
    assert first.kind == "scenario"
    assert first.title == "Scenario B: Working well in parts"
    assert "The median aggregate score of 4 respondent(s) is 144, in the band 109–144." in (
        first.detail
    )
    assert "Raised to B: 1 respondent(s) scored P4 in a band of concern." in first.detail
    assert first.detail.endswith(ESCALATION)
    concern = kinds(analysis, "concern")[0]
    assert concern.title == (
        "P4 Develop and maintain trust: 1 of 4 respondents scored in a band of concern (7–12 or 6)"
    )
    assert concern.detail == "The group median is 24, in 19–24."


def test_no_escalation_without_a_concern(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    analysis = analyse_rows(
        registry, write_sheet, [odpm_row(f"R{k}", fill="SA") for k in range(3)]
    )
    first = analysis.findings[0]
    assert first.title == "Scenario A: Working well"
    assert "Raised" not in first.detail
    assert not kinds(analysis, "concern")
    assert analysis.action_plan.empty


def divided_sheet() -> list[dict]:
    """Six respondents answering Agree, except:
    P1A Strongly agree from all (a strength); P5A Disagree from all (a concern);
    P2A three Strongly disagree, three Strongly agree (half on each side, rWG 0);
    P2B two Disagree, four Agree (a third on one side, rWG 0.79);
    P2C one Disagree, five Agree (a sixth, rWG 0.87: not a disagreement);
    P3A 1, 3, 3, 4, 4, 4 (a sixth below, but s² = 1.37 > 1.25: rWG 0, low agreement)."""
    columns = {
        "P1A": ["SA"] * 6,
        "P5A": ["D"] * 6,
        "P2A": ["SD", "SD", "SD", "SA", "SA", "SA"],
        "P2B": ["D", "D", "A", "A", "A", "A"],
        "P2C": ["D", "A", "A", "A", "A", "A"],
        "P3A": ["SD", "A", "A", "SA", "SA", "SA"],
    }
    return [
        odpm_row(f"R{k}", {item: answers[k] for item, answers in columns.items()})
        for k in range(6)
    ]


def test_disagreements_most_divided_first(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    analysis = analyse_rows(registry, write_sheet, divided_sheet())
    found = kinds(analysis, "disagreement")
    assert [f.item_id for f in found] == ["P2A", "P2B", "P3A"]
    assert found[0].title == (
        "P2A (Develop clarity and realism of purpose, element A): partners are divided"
    )
    assert found[0].detail == (
        "“Our partnership has a clear vision, shared values and agreed service principles.” "
        "Strongly agree 3, Strongly disagree 3; lack of agreement (rWG 0.00); AD 1.50 "
        "(above the A/6 cut-off)."
    )
    items = analysis.items.set_index("item")
    assert items.at["P2C", "split"]  # split, but too few on the other side to be listed
    assert items.at["P2B", "rwg"] == pytest.approx(1 - 0.26667 / 1.25, abs=1e-4)


def test_concerns_and_strengths_by_statement(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    analysis = analyse_rows(registry, write_sheet, divided_sheet())
    concerns = kinds(analysis, "concern")
    assert [f.item_id for f in concerns] == ["P5A"]
    assert concerns[0].detail.endswith("median answer Disagree; Disagree 6.")
    strengths = [f for f in kinds(analysis, "strength") if f.item_id]
    assert [f.item_id for f in strengths] == ["P1A"]


def test_reverse_items_are_read_the_right_way_round(registry: Registry) -> None:
    # rq-barriers: "Yes" means the barrier is present, the bad news.
    path = EXAMPLES / "responses" / "checklist-barriers.csv"
    analysis = analyse(interpret(registry, "rq-barriers", [path]))
    assert [f.item_id for f in kinds(analysis, "concern") if f.item_id] == ["Q3"]
    assert [f.item_id for f in kinds(analysis, "strength") if f.item_id] == ["Q5"]
    # the interpreter's own findings stay, without repeating a statement already found
    disagreements = [f.item_id for f in kinds(analysis, "disagreement")]
    assert len(disagreements) == len(set(disagreements))
    assert kinds(analysis, "action")


def test_action_plan_one_row_per_concern_or_disagreement(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    rows = divided_sheet()
    for row in rows[:4]:
        row["P2A"] = "SD"  # P2A now has a median below the midpoint too: concern and split
    analysis = analyse_rows(registry, write_sheet, rows)
    plan = analysis.action_plan
    assert list(plan.columns) == ["section", "element", "item", "issue", "action", "owner", "due"]
    assert plan["item"].tolist() == ["P2A", "P5A", "P2B", "P3A"]
    p2a = plan.iloc[0]
    assert (p2a["section"], p2a["element"]) == ("P2", "A")
    assert p2a["issue"] == (
        "“Our partnership has a clear vision, shared values and agreed service principles.” "
        "— most partners see a problem; partners are divided"
    )
    assert (plan[["action", "owner", "due"]] == "").all().all()


def test_success_statement_beside_the_scores(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    answers = ["SA", "A", "A", "D", "A", "SA"]
    rows = [odpm_row(f"R{k}", {"S1": a}, fill="A") for k, a in enumerate(answers)]
    success = kinds(analyse_rows(registry, write_sheet, rows), "success")
    assert len(success) == 1
    assert success[0].title == (
        "Current partnership success: “The partnership is achieving its aims and objectives”"
    )
    assert success[0].detail == (
        "5 of 6 agree; median answer Agree (Strongly agree 2, Agree 3, Disagree 1). Beside "
        "the scores: Aggregate score median 108 (73–108), scenario B."
    )
    # everyone disagrees with every statement (aggregate 72, scenario C) yet sees success
    rows = [odpm_row(f"R{k}", {"S1": a}, fill="D") for k, a in enumerate(answers)]
    detail = kinds(analyse_rows(registry, write_sheet, rows), "success")[0].detail
    assert detail.endswith(
        "scenario C. Partners see success although the scores show significant concerns."
    )


def test_priorities_put_significant_low_scores_first(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    # P4 answered Disagree (12), the rest Agree (18); W4 = 4, the other weights 2.
    # Significance on 0–1: W4 (4 − 1)/3 = 1, others 1/3, mean 4/9. Scores on 0–1 over 6–24:
    # P4 1/3, others 2/3, mean 11/18. P4: above on significance, below on score.
    weights = {f"W{p}": 4 if p == 4 else 2 for p in range(1, 7)}
    rows = [odpm_row(f"R{k}", {**principle("DDDDDD", 4), **weights}, fill="A") for k in range(4)]
    analysis = analyse_rows(registry, write_sheet, rows)
    table = analysis.priorities.set_index("section")
    assert table.at["P4", "rank"] == 1
    assert table.at["P4", "quadrant"] == CONCENTRATE
    assert (table.at["P4", "significance"], table.at["P4", "score"]) == (4, 12)
    assert table.at["P1", "quadrant"] == LESS_PRESSING
    assert table["raters"].tolist() == [4] * 6
    assert sorted(table["rank"].tolist()) == [1, 2, 3, 4, 5, 6]
    priority = kinds(analysis, "priority")
    assert [f.title for f in priority] == ["Priority 1: P4 Develop and maintain trust"]


@pytest.mark.parametrize("weight", ["1", "2", "3", "4"])
def test_equal_principles_are_never_below_their_own_mean(
    registry: Registry, write_sheet: Callable[..., Path], weight: str
) -> None:
    # Six principles alike: none may be "concentrate here" by a last digit of a mean.
    rows = [
        odpm_row(f"R{k}", {f"W{p}": weight for p in range(1, 7)}, fill=("SA", "A", "D")[k % 3])
        for k in range(7)
    ]
    table = analyse_rows(registry, write_sheet, rows).priorities.set_index("section")
    assert set(table["quadrant"]) == {KEEP_UP}


def test_no_priorities_without_weights(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    analysis = analyse_rows(registry, write_sheet, [odpm_row(f"R{k}") for k in range(3)])
    assert analysis.priorities is None
    assert not kinds(analysis, "priority")


def test_differences_between_groups(registry: Registry, write_sheet: Callable[..., Path]) -> None:
    rows = [odpm_row(f"B{k}", fill="SA", level="board") for k in range(3)]
    rows += [odpm_row(f"F{k}", principle("DDDDDD", 4), level="frontline") for k in range(3)]
    analysis = analyse_rows(registry, write_sheet, rows, by=["level"])
    found = {f.title: f for f in kinds(analysis, "difference")}
    p4 = found["P4 Develop and maintain trust: views differ by level"]
    assert p4.detail == "board 24 (19–24); frontline 12 (7–12)."
    assert p4.action is True
    assert found["P1 Recognise and accept the need for partnership: views differ by level"]


def test_briefing_of_an_aggregate_median_in_no_band(
    registry: Registry, odpm: Instrument, write_sheet: Callable[..., Path]
) -> None:
    # The ODPM statements without its aggregate bands (and so without scenarios).
    unbanded = dataclasses.replace(odpm, aggregate_bands=(), escalation=None)
    rows = [odpm_row(f"R{k}", fill="SA") for k in range(3)]
    responses = read_responses(unbanded, [write_sheet(rows)])
    analysis = analyse(interpret_responses(registry, responses), min_group=3)
    group = analysis.interpretation.group
    assert (group.median_aggregate, group.aggregate_band) == (144, None)
    assert "  Aggregate score: median 144\n" in briefing(analysis)
