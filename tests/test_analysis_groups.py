"""Subgroups with suppression of small groups, and change between rounds."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from analysis_support import analyse_rows, principle
from conftest import odpm_row

from pat_framework.analysis.subgroups import NOT_RECORDED, suppression
from pat_framework.disclosure import Withheld
from pat_framework.errors import PatError
from pat_framework.runtime.pipeline import analysed
from pat_framework.runtime.registry import Registry


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ([3, 4], [False, False]),
        # a group of 2 is hidden; the total would reveal it, so the next smallest goes too
        ([5, 4, 2], [False, True, True]),
        # two tiny groups hidden together still add up to fewer than 3: hide one more
        ([1, 1, 5, 6], [True, True, True, False]),
        # two hidden groups adding up to 4 cannot be told apart from the total
        ([2, 2, 7], [True, True, False]),
        # with only two groups, hiding one means hiding both
        ([2, 9], [True, True]),
        # nothing scored in a group: nothing to reveal
        ([0, 6, 7], [False, False, False]),
    ],
)
def test_suppression_rule(counts: list[int], hidden: list[bool]) -> None:
    sizes = np.array([max(c, 3) if c == 0 else c for c in counts])
    labels = [f"g{k}" for k in range(len(counts))]
    assert suppression(np.array(counts), sizes, 3, labels).tolist() == hidden


def test_a_small_group_hides_all_its_cells_even_without_scores() -> None:
    hidden = suppression(np.array([0, 5, 6]), np.array([2, 5, 6]), 3, ["a", "b", "c"])
    assert hidden.tolist() == [True, True, False]


def test_a_tie_between_equally_small_groups_is_settled_by_name() -> None:
    counts, sizes = np.array([2, 6, 6]), np.array([2, 6, 6])
    assert suppression(counts, sizes, 3, ["x", "North", "East"]).tolist() == [True, False, True]
    assert suppression(counts, sizes, 3, ["x", "East", "North"]).tolist() == [True, True, False]


def team(
    registry: Registry, write_sheet: Callable[..., Path], levels: bool = True, **options: object
):
    """Nine respondents: Council 4 (board), Trust 3 (senior), Tiny Trust 2 (board); with
    `levels` False, no level column (so no other breakdown holds a group)."""
    rows = [odpm_row(f"C{k}", fill="A", organisation="Council", level="board") for k in range(4)]
    rows += [odpm_row(f"T{k}", fill="SA", organisation="Trust", level="senior") for k in range(3)]
    rows += [
        odpm_row(f"S{k}", fill="D", organisation="Tiny Trust", level="board") for k in range(2)
    ]
    if not levels:
        rows = [{k: v for k, v in row.items() if k != "level"} for row in rows]
    return analyse_rows(registry, write_sheet, rows, **options)


def test_subgroup_of_two_and_the_complementary_cell_are_suppressed(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    analysis = team(registry, write_sheet, levels=False, by=["organisation"])
    frame = analysis.subgroups["organisation"]
    assert list(dict.fromkeys(frame["group"])) == ["Council", "Trust", "Tiny Trust"]
    p1 = frame[frame["section"] == "P1"].set_index("group")
    # Tiny Trust (2) is below the threshold; Trust (3) is the next smallest and is hidden
    # too, so Tiny Trust's figures cannot be worked out from the total.
    assert p1["suppressed"].to_dict() == {"Council": False, "Trust": True, "Tiny Trust": True}
    assert p1.at["Council", "median"] == 18 and p1.at["Council", "n"] == 4
    assert p1.at["Council", "band"] == "13–18"
    for group in ("Trust", "Tiny Trust"):
        assert math.isnan(p1.at[group, "median"]) and p1.at[group, "n"] is pd_na()
        assert p1.at[group, "band"] == ""
    aggregate = frame[frame["section"] == "aggregate"].set_index("group")
    assert aggregate.at["Council", "median"] == 108


def test_a_group_nested_in_another_breakdowns_group_is_hidden_when_they_differ_by_few(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    analysis = team(registry, write_sheet, by=["organisation", "level"])
    # board (6) is Council (4) and Tiny Trust (2): both shown, board less Council would be
    # Tiny Trust's two people (as it would be from a report by organisation and another by
    # level). Council is hidden instead, and then Trust, the group hidden by the total rule
    # before, can be shown: Council and Tiny Trust hidden together are 6.
    p1 = analysis.subgroups["organisation"]
    p1 = p1[p1["section"] == "P1"].set_index("group")
    assert p1["suppressed"].to_dict() == {"Council": True, "Trust": False, "Tiny Trust": True}
    assert p1.at["Trust", "n"] == 3 and p1.at["Trust", "median"] == 24
    # by level: board 6, senior 3 (Trust exactly: no difference to read): nothing hidden
    level = analysis.subgroups["level"]
    assert not level["suppressed"].any()
    board = level[(level["group"] == "board") & (level["section"] == "P1")].iloc[0]
    assert board["n"] == 6 and board["median"] == 18  # 12, 12, 18, 18, 18, 18


def pd_na() -> object:
    import pandas as pd

    return pd.NA


def test_min_group_is_configurable(registry: Registry, write_sheet: Callable[..., Path]) -> None:
    with pytest.raises(PatError, match="at least 3, not 2: with fewer, respondents could"):
        team(registry, write_sheet, by=["organisation"], min_group=2)
    analysis = team(registry, write_sheet, levels=False, by=["organisation"], min_group=4)
    hidden = analysis.subgroups["organisation"].groupby("group")["suppressed"].all()
    # Trust (3) and Tiny Trust (2) are both below 4; together they are 5, which the total
    # reveals only as a pair of 5, so Council (4) can be shown
    assert hidden.to_dict() == {"Council": False, "Tiny Trust": True, "Trust": True}


def test_respondents_without_a_value_form_their_own_group(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    rows = [odpm_row(f"R{k}", organisation="Council" if k < 3 else "") for k in range(6)]
    frame = analyse_rows(registry, write_sheet, rows, by=["organisation"]).subgroups[
        "organisation"
    ]
    assert list(dict.fromkeys(frame["group"])) == ["Council", NOT_RECORDED]
    assert not frame["suppressed"].any()


def test_unknown_attribute_lists_the_available_ones(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    rows = [odpm_row(f"R{k}", organisation="Council", team="North") for k in range(3)]
    with pytest.raises(PatError) as caught:
        analyse_rows(registry, write_sheet, rows, by=["directorate"])
    assert str(caught.value) == (
        "no respondent attribute 'directorate' to break down by; available: organisation, team"
    )
    # a column the facilitator added works like any other, whatever its case
    frame = analyse_rows(registry, write_sheet, rows, by=["Team"]).subgroups["team"]
    assert set(frame["group"]) == {"North"}


def rounds_sheet(extra: list[dict] | None = None) -> list[dict]:
    """Rounds 1, 2 and 10, three respondents each: all Agree, all Strongly agree, all
    Disagree except P2 in round 10, which stays at Agree."""
    rows = [odpm_row(f"A{k}", fill="A", round="1") for k in range(3)]
    rows += [odpm_row(f"B{k}", fill="SA", round="2") for k in range(3)]
    rows += [odpm_row(f"C{k}", principle("AAAAAA", 2), fill="D", round="10") for k in range(3)]
    return rows + (extra or [])


def test_change_between_rounds(registry: Registry, write_sheet: Callable[..., Path]) -> None:
    analysis = analyse_rows(registry, write_sheet, rounds_sheet())
    frame = analysis.rounds
    assert frame is not None
    p1 = frame[frame["section"] == "P1"].set_index("round")
    # rounds in natural order: 10 comes after 2
    assert list(p1.index) == ["1", "2", "10"]
    assert p1["median"].tolist() == [18, 24, 12]
    assert p1["band"].tolist() == ["13–18", "19–24", "7–12"]
    assert p1["concern"].tolist() == [False, False, True]
    assert math.isnan(p1.at["1", "change"]) and p1.at["1", "direction"] == ""
    assert (p1.at["2", "change"], p1.at["2", "direction"]) == (6, "up")
    assert (p1.at["10", "change"], p1.at["10", "direction"]) == (-12, "down")
    p2 = frame[frame["section"] == "P2"].set_index("round")
    assert (p2.at["10", "change"], p2.at["10", "direction"]) == (-6, "down")
    aggregate = frame[frame["section"] == "aggregate"].set_index("round")
    # 108 → 144 → 5 × 12 + 18 = 78
    assert aggregate["median"].tolist() == [108, 144, 78]
    assert aggregate["change"].tolist()[1:] == [36, -66]


def test_same_median_in_two_rounds(registry: Registry, write_sheet: Callable[..., Path]) -> None:
    rows = [odpm_row(f"A{k}", fill="A", round="2025") for k in range(3)]
    rows += [odpm_row(f"B{k}", fill="A", round="2026") for k in range(3)]
    frame = analyse_rows(registry, write_sheet, rows).rounds
    p1 = frame[frame["section"] == "P1"].set_index("round")
    assert (p1.at["2026", "change"], p1.at["2026", "direction"]) == (0, "same")


def test_a_small_round_is_suppressed(registry: Registry, write_sheet: Callable[..., Path]) -> None:
    extra = [odpm_row(f"D{k}", fill="SD", round="11") for k in range(2)]
    path = write_sheet(rounds_sheet(extra))
    # every round pooled would be round 11's two people plus rounds reported alone
    with pytest.raises(Withheld, match="every round pooled"):
        analysed(registry, "pat-odpm", [path], min_group=3, which="all")
    frame = analysed(registry, "pat-odpm", [path], min_group=3, which="10").rounds
    assert frame is not None
    p1 = frame[frame["section"] == "P1"].set_index("round")
    # round 11 (2 people) is hidden, and so is the smallest other round (the first of the
    # three rounds of 3); a change next to a hidden round is not given
    assert p1["suppressed"].to_dict() == {"1": True, "2": False, "10": False, "11": True}
    assert math.isnan(p1.at["2", "change"]) and p1.at["2", "direction"] == ""
    assert p1.at["10", "change"] == -12
    assert math.isnan(p1.at["11", "median"]) and math.isnan(p1.at["11", "change"])


def test_one_round_gives_no_rounds_table(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    rows = [odpm_row(f"A{k}", round="1") for k in range(3)]
    assert analyse_rows(registry, write_sheet, rows).rounds is None


def test_dates_are_never_taken_as_rounds(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    rows = [odpm_row(f"A{k}", fill="A", date="2025-11-03") for k in range(5)]
    rows += [odpm_row("LATE", fill="D", date="2026-05-20")]  # one form returned late
    analysis = analyse_rows(registry, write_sheet, rows)
    assert analysis.rounds is None
    assert len(analysis.responses) == 6  # "latest" is not the late form alone
    assert (
        "the answers have 2 dates and no round column, so they are one round: pat never "
        "takes dates as rounds (a form returned late would be a round of one); add a round "
        "column to compare rounds" in analysis.responses.notes
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (["15/01/2026", "20/06/2025", "03/02/2026"], ["20/06/2025", "15/01/2026", "03/02/2026"]),
        (["01/15/2026", "06/20/2025"], ["06/20/2025", "01/15/2026"]),  # month first, as shown
        (["Mar 2026", "Nov 2025", "January 2026"], ["Nov 2025", "January 2026", "Mar 2026"]),
        (["2026-03-01", "2025-11-03"], ["2025-11-03", "2026-03-01"]),
        (["round 10", "round 2"], ["round 2", "round 10"]),
    ],
)
def test_rounds_are_ordered_as_dates_when_they_are_dates(
    registry: Registry, write_sheet: Callable[..., Path], written: list[str], expected: list[str]
) -> None:
    rows = [
        odpm_row(f"R{k}-{n}", fill=("A", "D")[n % 2], round=label)
        for n, label in enumerate(written)
        for k in range(3)
    ]
    frame = analyse_rows(registry, write_sheet, rows).rounds
    assert list(frame[frame["section"] == "P1"]["round"]) == expected


def test_rounds_declared_in_a_workshop_come_in_the_declared_order(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    from pat_framework.importers.convert import Source

    rows = [odpm_row(f"A{k}", fill="A", round="pre") for k in range(5)]
    rows += [odpm_row(f"B{k}", fill="SA", round="Post") for k in range(5)]
    path = write_sheet(rows)
    # as text, 'post' comes before 'pre', so the latest round would be 'pre'
    assert "for round pre" in analysed(registry, "pat-odpm", [path]).responses.notes[-1]
    declared = Source(allowed=(("round", ("pre", "post")),))
    analysis = analysed(registry, "pat-odpm", [path], source=declared)
    assert "for round post (5 of 10 respondents)" in analysis.responses.notes[-1]
    assert analysis.rounds is not None
    assert list(dict.fromkeys(analysis.rounds["round"])) == ["pre", "post"]
