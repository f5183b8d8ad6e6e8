"""Each chart builder: the aggregated data it draws and how it encodes it, for known input."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from chart_support import analyse_known, interpret_rows, marks, rows_with, spec
from conftest import odpm_row

from pat_framework.analysis import Analysis, analyse
from pat_framework.analysis.priorities import CONCENTRATE, KEEP_UP, LESS_PRESSING, LOW_PRIORITY
from pat_framework.charts import MAX_ROWS, NothingToDraw, small_frame
from pat_framework.charts.dartboard import NOT_REACHED, Dartboard
from pat_framework.charts.priorities import Priorities
from pat_framework.charts.spread import Spread, spread_rows
from pat_framework.charts.subgroups import Subgroups
from pat_framework.charts.totals import Totals
from pat_framework.charts.trend import Trend
from pat_framework.errors import PatError
from pat_framework.model import Instrument, Item, Option, Scale, Section, Source
from pat_framework.results import Finding
from pat_framework.runtime.registry import Registry

GREEN, LIGHT_GREEN, AMBER, RED, GREY = "#137d5c", "#46a66f", "#c46a00", "#b2182b", "#f2f2f2"


def by_hand(analysis: Analysis, **frames: object) -> Analysis:
    """The same interpretation with some of the analysis's frames replaced by hand."""
    return Analysis(
        analysis.interpretation,
        frames.pop("items", analysis.items),  # type: ignore[arg-type]
        frames.pop("sections", analysis.sections),  # type: ignore[arg-type]
        **frames,  # type: ignore[arg-type]
    )


def sections_frame(medians: list[float | None], positions: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "section": [f"P{k}" for k in range(1, 7)],
            "median": [math.nan if m is None else m for m in medians],
            "band_position": positions,
        }
    )


@pytest.fixture
def known(registry: Registry, write_sheet: Callable[..., Path]) -> Analysis:
    return analyse_known(registry, write_sheet)


def test_the_six_charts_are_registered_by_the_default_plugin(registry: Registry) -> None:
    names = {"dartboard", "spread", "totals", "subgroups", "trend", "priorities"}
    assert names <= set(registry.names("chart"))
    assert {registry.provider("chart", n) for n in names} == {"pat.charts"}


def test_dartboard_shades_each_segment_out_to_the_band_of_its_median(known: Analysis) -> None:
    # P1 20 is in 19–24 (ring 4 of 4), P4 12 in 7–12 (ring 2), P5 6 in the lowest ring,
    # P6 has no median: nothing shaded.
    analysis = by_hand(
        known, sections=sections_frame([20, 16, 13, 12, 6, None], [3, 2, 2, 1, 0, -1])
    )
    chart = Dartboard().build(analysis)
    rings = rows_with(chart, "shade", "ring")
    assert len(rings) == 24
    shade = {(r["section"], r["ring"]): r["shade"] for r in rings}
    assert [shade[("P1", k)] for k in range(4)] == ["19–24"] * 4
    assert [shade[("P2", k)] for k in range(4)] == ["13–18"] * 3 + [NOT_REACHED]
    assert [shade[("P4", k)] for k in range(4)] == ["7–12"] * 2 + [NOT_REACHED] * 2
    assert [shade[("P5", k)] for k in range(4)] == ["6"] + [NOT_REACHED] * 3
    assert [shade[("P6", k)] for k in range(4)] == [NOT_REACHED] * 4
    p2 = [r for r in rings if r["section"] == "P2"]
    assert [r["start"] for r in p2] == pytest.approx([math.pi / 3] * 4)
    assert [r["end"] for r in p2] == pytest.approx([2 * math.pi / 3] * 4)
    assert [r["band"] for r in sorted(p2, key=lambda r: r["inner"])] == [
        "6", "7–12", "13–18", "19–24"
    ]  # fmt: skip
    arc = next(enc for mark, enc in marks(spec(chart)) if mark == "arc")
    assert arc["theta"] == {"field": "start", "scale": None, "type": "quantitative"}
    assert arc["radius"]["field"] == "inner" and arc["radius2"]["field"] == "outer"
    assert arc["color"]["scale"] == {
        "domain": ["19–24", "13–18", "7–12", "6", NOT_REACHED],
        "range": [GREEN, LIGHT_GREEN, AMBER, RED, GREY],
    }
    labels = rows_with(chart, "align", "text")
    assert len(labels) == 6
    first = next(r for r in labels if r["section"] == "P1")
    assert "Recognise and accept" in first["text"] and "score 20 · band 19–24" in first["text"]
    assert next(r for r in labels if r["section"] == "P6")["text"].endswith("score –")


def test_dartboard_for_one_respondent_only_when_individuals_are_asked_for(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    hidden = analyse_known(registry, write_sheet)
    with pytest.raises(PatError, match="--respondent"):
        Dartboard("R4").build(hidden)
    shown = analyse_known(registry, write_sheet, show_individuals=True)
    chart = Dartboard().for_respondent("R4").build(shown)
    shade = {(r["section"], r["ring"]): r["shade"] for r in rows_with(chart, "shade")}
    # R4 scored 18 everywhere but trust, where six Disagrees give 12.
    assert shade[("P1", 2)] == "13–18" and shade[("P1", 3)] == NOT_REACHED
    assert shade[("P4", 1)] == "7–12" and shade[("P4", 2)] == NOT_REACHED
    assert "respondent R4" in spec(chart)["title"]["text"]
    with pytest.raises(PatError, match="no respondent 'R9'"):
        Dartboard("R9").build(shown)


def test_spread_places_answers_either_side_of_the_midpoint(known: Analysis) -> None:
    chart = Spread().build(known)
    bars = {(r["item"], r["answer"]): r for r in rows_with(chart, "answer", "start")}
    # P1A: one Strongly agree, three Agree. P4A: one each of SA and D, two Agree.
    assert bars[("P1A", "Agree")]["start"] == 0 and bars[("P1A", "Agree")]["end"] == 75
    assert (bars[("P1A", "Strongly agree")]["start"], bars[("P1A", "Strongly agree")]["end"]) == (
        75,
        100,
    )
    assert (bars[("P4A", "Disagree")]["start"], bars[("P4A", "Disagree")]["end"]) == (-25, 0)
    assert (bars[("P4A", "Agree")]["start"], bars[("P4A", "Agree")]["end"]) == (0, 50)
    assert (bars[("P4A", "Strongly agree")]["start"], bars[("P4A", "Strongly agree")]["end"]) == (
        50,
        75,
    )
    assert bars[("P4A", "Agree")]["count"] == 2 and bars[("P4A", "Agree")]["share"] == 50
    assert ("P1A", "Disagree") not in bars  # nobody disagreed: no empty bar
    assert {r["item"][:2] for r in rows_with(chart, "answer")} == {f"P{k}" for k in range(1, 7)}
    bar = next(enc for mark, enc in marks(spec(chart)) if mark == "bar")
    assert bar["x"]["field"] == "start" and bar["x2"]["field"] == "end"
    assert bar["color"]["scale"]["domain"] == [
        "Strongly disagree", "Disagree", "Agree", "Strongly agree"
    ]  # fmt: skip
    assert bar["color"]["scale"]["range"] == [RED, AMBER, LIGHT_GREEN, GREEN]


def test_spread_marks_the_statements_the_analysis_found_divided(known: Analysis) -> None:
    divided = [Finding("disagreement", "P4A: partners are divided", item_id="P4A")]
    chart = Spread().build(by_hand(known, findings=divided))
    assert [(r["item"], r["mark"]) for r in rows_with(chart, "mark")] == [("P4A", "divided")]


def test_spread_splits_a_middle_answer_across_the_centre_line() -> None:
    scale = Scale("three", (Option("Low", 1), Option("Middle", 2), Option("High", 3)))
    item = Item("Q1", "A statement.", scale, "S")
    instrument = Instrument(
        "t", "T", "1", Source("S"), {"three": scale}, (Section("S", "Section", (item,)),)
    )
    items = pd.DataFrame(
        [{"section": "S", "item": "Q1", "count_1": 1, "count_2": 2, "count_3": 1}]
    )
    placed = {r["answer"]: (r["start"], r["end"]) for r in spread_rows(instrument, items)}
    assert placed == {"Low": (-50, -25), "Middle": (-25, 25), "High": (25, 50)}


def test_spread_does_not_apply_when_statements_use_different_scales(registry: Registry) -> None:
    assert Spread().applies(registry.get("instrument", "pat-odpm"))
    assert not Spread().applies(registry.get("instrument", "governance-matrix"))


def test_totals_counts_respondents_at_each_score(known: Analysis) -> None:
    chart = Totals().build(known)
    dots = rows_with(chart, "stack")
    p1 = sorted((r["score"], r["stack"]) for r in dots if r["section"] == "P1")
    assert p1 == [(18, 0.5), (18, 1.5), (18, 2.5), (24, 0.5)]
    p4 = sorted(r["score"] for r in dots if r["section"] == "P4")
    assert p4 == [12, 18, 18, 24]
    aggregate = sorted(r["score"] for r in dots if r["section"] == "aggregate")
    assert aggregate == [102, 108, 108, 144]
    assert set(dots[0]) == {"section", "score", "stack"}  # no respondent id reaches the chart
    strips = rows_with(chart, "band", "low", "high")
    p1_strips = sorted((r["low"], r["high"], r["colour"]) for r in strips if r["min"] <= 24)
    assert (18.5, 24.5, GREEN) in p1_strips and (5.5, 6.5, RED) in p1_strips
    medians = [enc["x"]["datum"] for mark, enc in marks(spec(chart)) if mark == "rule"]
    # medians of P1–P6 then the aggregate: 18 everywhere, 18 for trust too (12, 18, 18, 24).
    assert medians == [18, 18, 18, 18, 18, 18, 108]


def test_totals_counts_instead_of_dots_for_many_respondents(
    known: Analysis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pat_framework.charts.totals.DOTS_UP_TO", 3)
    chart = Totals().build(known)
    assert rows_with(chart, "stack") == []
    counts = {(r["section"], r["score"]): r["count"] for r in rows_with(chart, "count")}
    assert counts[("P1", 18)] == 3 and counts[("P1", 24)] == 1
    assert any(mark == "bar" for mark, _ in marks(spec(chart)))


def test_subgroups_draw_only_groups_shown(known: Analysis) -> None:
    frame = pd.DataFrame(
        [
            {"group": "Council", "section": "P1", "n": 4, "median": 20.0, "band": "19–24",
             "suppressed": False},
            {"group": "Council", "section": "aggregate", "n": 4, "median": 100.0,
             "band": "73–108", "suppressed": False},
            {"group": "Secret Ltd", "section": "P1", "n": pd.NA, "median": math.nan,
             "band": "", "suppressed": True},
        ]
    )  # fmt: skip
    chart = Subgroups().build(by_hand(known, subgroups={"organisation": frame}))
    cells = rows_with(chart, "colour", "label")
    assert [(c["row"], c["column"], c["label"], c["colour"]) for c in cells] == [
        ("Council (4)", "P1", "20", GREEN),
        ("Council (4)", "Overall", "100", LIGHT_GREEN),
    ]
    assert "Secret" not in json.dumps(spec(chart))
    rect = next(enc for mark, enc in marks(spec(chart)) if mark == "rect")
    assert rect["color"] == {"field": "colour", "scale": None, "legend": None, "type": "nominal"}


def test_suppressed_subgroups_are_absent_from_the_chart(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    rows = [odpm_row(f"A{k}", organisation="Alpha Council") for k in range(4)]
    rows += [odpm_row(f"B{k}", organisation="Beta Trust") for k in range(3)]
    rows += [odpm_row("C0", organisation="Gamma Lonely Charity")]
    interpretation = interpret_rows(registry, write_sheet, rows)
    analysis = analyse(interpretation, by=["organisation"], min_group=3)
    frame = analysis.subgroups["organisation"]
    text = json.dumps(spec(Subgroups().build(analysis)))
    for group, hidden in frame.groupby("group")["suppressed"].all().items():
        assert (group in text) is not hidden
    assert "Gamma Lonely Charity" not in text


def test_subgroups_need_a_breakdown(known: Analysis) -> None:
    with pytest.raises(NothingToDraw, match="--by"):
        Subgroups().build(known)


def test_trend_draws_each_round_and_leaves_out_suppressed_ones(known: Analysis) -> None:
    rounds = pd.DataFrame(
        [
            {"round": "2025", "section": "P1", "n": 5, "median": 12.0, "band": "7–12",
             "suppressed": False},
            {"round": "2026", "section": "P1", "n": 6, "median": 19.0, "band": "19–24",
             "suppressed": False},
            {"round": "2027", "section": "P1", "n": pd.NA, "median": math.nan, "band": "",
             "suppressed": True},
        ]
    )  # fmt: skip
    chart = Trend().build(by_hand(known, rounds=rounds))
    points = rows_with(chart, "round", "median")
    assert [(p["round"], p["section"], p["median"]) for p in points] == [
        ("2025", "P1", 12.0),
        ("2026", "P1", 19.0),
    ]
    line = next(enc for mark, enc in marks(spec(chart)) if mark == "line")
    assert line["x"]["field"] == "round" and line["y"]["field"] == "median"
    assert line["x"]["sort"] == ["2025", "2026"]
    with pytest.raises(NothingToDraw, match="two rounds"):
        Trend().build(known)


def test_priorities_place_each_section_by_score_and_significance(known: Analysis) -> None:
    frame = pd.DataFrame(
        {
            "section": ["P1", "P2", "P3", "P4"],
            "title": ["One", "Two", "Three", "Four"],
            "significance": [3.5, 3.0, 1.5, 2.0],
            "score": [10.0, 20.0, 12.0, 22.0],
            "quadrant": [CONCENTRATE, KEEP_UP, LOW_PRIORITY, LESS_PRESSING],
            "rank": [1, 3, 2, 4],
        }
    )
    chart = Priorities().build(by_hand(known, priorities=frame))
    points = {p["section"]: p for p in rows_with(chart, "significance", "quadrant")}
    assert (points["P1"]["score"], points["P1"]["significance"]) == (10.0, 3.5)
    assert points["P1"]["rank"] == 1
    rules = [enc for mark, enc in marks(spec(chart)) if mark == "rule"]
    # the dashed lines sit at the mean score (16) and the mean significance (2.5)
    assert rules[0]["x"]["datum"] == 16 and rules[1]["y"]["datum"] == 2.5
    circle = next(enc for mark, enc in marks(spec(chart)) if mark == "circle")
    colours = dict(zip(circle["color"]["scale"]["domain"], circle["color"]["scale"]["range"],
                       strict=True))  # fmt: skip
    assert colours[CONCENTRATE] == RED and colours[KEEP_UP] == GREEN
    corners = {r["text"] for r in rows_with(chart, "align", "x", "y")}
    assert corners == {CONCENTRATE, KEEP_UP, LOW_PRIORITY, LESS_PRESSING}


def test_priorities_apply_only_to_instruments_with_weights(registry: Registry) -> None:
    assert Priorities().applies(registry.get("instrument", "pat-odpm"))
    assert not Priorities().applies(registry.get("instrument", "governance-matrix"))


def test_a_frame_too_big_to_be_aggregated_is_refused() -> None:
    small_frame([{"a": 1}] * MAX_ROWS, "ok")
    with pytest.raises(RuntimeError, match="aggregated"):
        small_frame([{"a": 1}] * (MAX_ROWS + 1), "spread")


def test_no_chart_receives_one_row_per_answer(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    rng = np.random.default_rng(7)
    codes = np.array(["SA", "A", "D", "SD"])
    rows = []
    for k in range(3000):
        row = odpm_row(f"R{k}", organisation=f"Org {k % 7}", level=["board", "staff"][k % 2])
        for key in row:
            if key[:1] == "P" and key[1:2].isdigit():
                row[key] = codes[rng.integers(0, 4)]
        row |= {f"W{p}": int(rng.integers(1, 5)) for p in range(1, 7)}
        row["round"] = ["2025", "2026"][k % 2]
        rows.append(row)
    analysis = analyse(interpret_rows(registry, write_sheet, rows), by=["organisation", "level"])
    for name in ("dartboard", "spread", "totals", "subgroups", "trend", "priorities"):
        chart = registry.get("chart", name).build(analysis)
        sizes = [len(data) for data in spec(chart).get("datasets", {}).values()]
        assert sizes and max(sizes) <= 500, (name, sizes)


def test_a_chart_taller_than_a_page_is_drawn_in_parts_that_each_fit(known: Analysis) -> None:
    from pat_framework.charts.export import PART_MM, page_parts, printed_mm

    # 45 organisations: three panels of at most 20 groups, then parts that fit a page.
    frame = pd.DataFrame(
        [{"group": f"Org {k:02d}", "section": s, "n": 5, "median": 18.0, "band": "13–18",
          "suppressed": False} for k in range(45) for s in ("P1", "P2")]
    )  # fmt: skip
    chart = Subgroups().build(by_hand(known, subgroups={"organisation": frame}))
    drawn = spec(chart)
    titles = [panel["title"]["text"] for panel in drawn["vconcat"]]
    assert titles == ["By organisation (1 of 3)", "By organisation (2 of 3)",
                      "By organisation (3 of 3)"]  # fmt: skip
    assert [panel["height"] for panel in drawn["vconcat"]] == [600, 600, 150]  # 30 a row
    whole = printed_mm(page_parts(drawn, most=10_000)[0])
    parts = page_parts(drawn)
    assert whole > PART_MM and len(parts) >= 2
    assert all(printed_mm(part) <= PART_MM for part in parts)
    assert "(continued)" in parts[1] and "(continued)" not in parts[0]
    # Every group is drawn in exactly one part.
    assert all(sum(f"Org {k:02d} (5)" in part for part in parts) == 1 for k in range(45))
