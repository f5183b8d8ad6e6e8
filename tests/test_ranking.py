"""The one ranking behind the action plan, the priorities and the briefing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from analysis_support import analyse_rows, principle
from conftest import odpm_row

from pat_framework.analysis.priorities import LESS_PRESSING
from pat_framework.analysis.ranking import Evidence, rank_actions
from pat_framework.runtime.registry import Registry


def test_the_priority_weighs_shortfall_breadth_and_disagreement_by_importance() -> None:
    assert Evidence("P1", 1.5, 0.5, 1.0, 0.0).priority == 0.75
    assert Evidence("P1", 1.0, 0.0, 0.0, 0.0).priority == 0.0
    # Disagreement alone can put a section in the plan, below one scored low by everyone.
    assert (
        Evidence("P2", 1.0, 0.0, 0.0, 1.0).priority < Evidence("P3", 1.0, 0.4, 1.0, 0.0).priority
    )


def weights(**given: int) -> dict[str, int]:
    return {f"W{p}": given.get(f"W{p}", 2) for p in range(1, 7)}


def test_significant_low_scores_first_and_the_priorities_agree_with_the_plan(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    # P4: everyone Disagrees and weights it 4. P2: half Strongly agree, half Strongly
    # disagree (divided), weight 2. P1: everyone Strongly agrees and weights it 1 (strong
    # and unimportant). The rest Agree.
    w = weights(W4=4, W1=1)
    rows = []
    for k in range(6):
        divided = principle([("SA" if k < 3 else "SD")] * 6, 2)
        answers = {**principle("DDDDDD", 4), **divided, **principle(["SA"] * 6, 1), **w}
        rows.append(odpm_row(f"R{k}", answers))
    analysis = analyse_rows(registry, write_sheet, rows)
    plan = rank_actions([analysis])
    assert [a.section.id for a in plan.actions] == ["P4", "P2"]
    assert [a.ref for a in plan.actions] == ["A1", "A2"]
    first, second = plan.actions
    assert first.evidence.breadth == 1 and first.evidence.disagreement == 0
    assert second.evidence.disagreement == 1 and second.evidence.breadth == 0.5
    assert "6 of 6 in a lower band" in first.why()
    assert "partners split on P2" in second.why()
    table = analysis.priorities.set_index("section")
    assert table.at["P4", "rank"] == 1 and table.at["P2", "rank"] == 2
    assert table.at["P4", "priority"] == first.evidence.priority
    # P1 scores high and matters little: not in the plan, last in the priorities.
    assert table.at["P1", "quadrant"] == LESS_PRESSING
    assert table.at["P1", "rank"] == 6


def test_ties_keep_the_instrument_order_and_the_top_actions_are_cut(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    rows = [
        odpm_row(f"R{k}", {**principle("DDDDDD", 5), **principle("DDDDDD", 3), **weights()})
        for k in range(4)
    ]
    analysis = analyse_rows(registry, write_sheet, rows)
    plan = rank_actions([analysis], top=1)
    assert [a.section.id for a in plan.actions] == ["P3", "P5"]
    assert plan.actions[0].evidence.priority == plan.actions[1].evidence.priority
    assert [a.ref for a in plan.shown] == ["A1"] and [a.ref for a in plan.others] == ["A2"]
    with pytest.raises(ValueError):
        rank_actions([analysis], top=0)


def test_one_ranking_across_instruments(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    mild = analyse_rows(registry, write_sheet, [
        odpm_row(f"R{k}", {**principle("AADDAA", 6), **weights()}) for k in range(4)
    ])  # fmt: skip
    severe = analyse_rows(registry, write_sheet, [
        odpm_row(f"R{k}", {**principle(["SD"] * 6, 2), **weights()}) for k in range(4)
    ])  # fmt: skip
    plan = rank_actions([mild, severe])
    # The second analysis's severe problem comes first; numbering runs across both.
    assert [a.section.id for a in plan.actions] == ["P2", "P6"]
    assert plan.actions[0].evidence.priority > plan.actions[1].evidence.priority
    assert [a.ref for a in plan.actions] == ["A1", "A2"]
    # Every point raised sits under exactly one action.
    raised = sum(len(a.action_plan) for a in (mild, severe))
    assert sum(len(a.sources) for a in plan.actions) == raised


def test_points_on_one_subject_from_two_instruments_share_one_action(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    # ODPM: P5C ("each partner's areas of responsibility are clear") strongly disagreed by
    # all, the rest agreed. Matrix: the warning sign P-W1 ("roles and responsibilities of
    # each partner are unclear") present for everyone. Both carry the subject "Roles and
    # responsibilities" in their TOML files.
    from governance_support import MATRIX, matrix_row

    odpm = analyse_rows(registry, write_sheet, [
        odpm_row(f"R{k}", {"P5C": "SD", "P5A": "SD", **weights(W5=4)}) for k in range(5)
    ])  # fmt: skip
    matrix = registry.get("instrument", MATRIX)
    governance = analyse_rows(
        registry,
        write_sheet,
        [matrix_row(matrix, f"G{k}", {"P-W1": "Yes"}) for k in range(5)],
        instrument=MATRIX,
    )
    plan = rank_actions([odpm, governance])
    roles = [a for a in plan.actions if a.subject]
    assert [a.heading for a in roles] == ["Roles and responsibilities"]
    action = roles[0]
    assert {(s.instrument.id, s.where) for s in action.sources if s.instrument} == {
        ("pat-odpm", "P5C"),
        (MATRIX, "P-W1"),
    }
    # Each source is cited with its instrument; the action ranks as its best member.
    cited = action.cited()
    assert "Partnership Assessment Tool P5C" in cited and f"{matrix.title} P-W1" in cited
    best = max(action.members, key=lambda m: m.evidence.priority)
    assert action.evidence.priority == best.evidence.priority
    assert action.why().startswith("Raised in 2 instruments; ranked as P5: ")
    # No point is in two actions, and none is lost.
    raised = sum(len(a.action_plan) for a in (odpm, governance))
    points = [(s.instrument.id, s.where) for a in plan.actions for s in a.sources if s.instrument]
    assert len(points) == len(set(points)) == raised
    # A tie: the grouped action comes just before the section it ranks by, which keeps its
    # other point (P5A: no other instrument raised its subject).
    by = {a.heading: a for a in plan.actions}
    own = by["P5 Create clear and robust partnership arrangements"]
    assert "P5A" in [s.where for s in own.sources] and "P5C" not in [s.where for s in own.sources]
    assert own.evidence.priority == action.evidence.priority and own.rank == action.rank + 1
    # One instrument alone never groups: its plan is by section.
    assert not any(a.subject for a in rank_actions([odpm]).actions)


def test_a_first_step_reads_as_something_to_do() -> None:
    from pat_framework.analysis.steps import first_step
    from pat_framework.model import Item, Scale, Section

    scale = Scale("s", "s", ())
    aside = Item("Q1", "no clear boundary", scale, "c")
    section = Section("c", "Checklist", (aside,), description="Besides these, the source "
                      "names a lack of commitment.")  # fmt: skip
    band = "Some of these barriers are present. Partners should agree how to remove them."
    # The band's advice, with the sentence it points back to; never the aside.
    assert first_step([(section, ["Q1"], band)]) == band
    assert first_step([(section, ["Q1"], "")]).startswith("Start with Q1 (“no clear boundary”)")
    guided = Item("Q2", "t", scale, "c", guidance="Some take part freely. Consider whether "
                  "every partner understands these pressures. More.")  # fmt: skip
    step = first_step([(Section("c", "C", (guided,)), ["Q2"], band)])
    assert step == (
        "Some take part freely. Consider whether every partner understands these pressures."
    )
