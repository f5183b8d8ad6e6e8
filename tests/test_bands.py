"""Bands: every edge of the ODPM principle and aggregate bands, and the tiling check."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import PatCli, odpm_row
from hypothesis import given
from hypothesis import strategies as st

from pat_framework.bands import ScoreRange, band_of, band_positions, check_bands, ordered
from pat_framework.model import Band, Instrument

# The seed's own sentences (stage 3, "Understanding the results: in outline").
P1_SENTENCES = {
    "19–24": "Very high recognition and acceptance of the need for partnership",
    "13–18": "The need for partnership is recognised and accepted",
    "7–12": "Recognition and acceptance of the need for partnership is limited",
    "6": "Recognition and acceptance of the need for partnership is minimal.",
}
AGGREGATE_SENTENCES = {
    "109–144": "The partnership is working well enough in all or most respects to make the "
    "need for further detailed work unnecessary.",
    "73–108": "The partnership is working well enough overall but some aspects may need "
    "further exploration and attention.",
    "37–72": "The partnership may be working well in some respects but these are outweighed "
    "by areas of concern sufficient to require remedial action.",
    "36": "The partnership is working badly enough in all respects for further detailed "
    "remedial work to be essential.",
}
PRINCIPLE_EDGES = [(6, "6"), (7, "7–12"), (12, "7–12"), (13, "13–18"), (18, "13–18")]
PRINCIPLE_EDGES += [(19, "19–24"), (24, "19–24")]
AGGREGATE_EDGES = [(36, "36"), (37, "37–72"), (72, "37–72"), (73, "73–108"), (108, "73–108")]
AGGREGATE_EDGES += [(109, "109–144"), (144, "109–144")]


@pytest.mark.parametrize(("score", "label"), PRINCIPLE_EDGES)
def test_principle_band_edges(odpm: Instrument, score: int, label: str) -> None:
    for section in odpm.scored_sections:
        band = band_of(score, section.bands)
        assert band is not None and band.label == label
    p1 = band_of(score, odpm.section("P1").bands)
    assert p1 is not None and p1.text == P1_SENTENCES[label]


@pytest.mark.parametrize(("score", "label"), AGGREGATE_EDGES)
def test_aggregate_band_edges(odpm: Instrument, score: int, label: str) -> None:
    band = band_of(score, odpm.aggregate_bands)
    assert band is not None
    assert band.label == label
    assert band.text == AGGREGATE_SENTENCES[label]


def test_aggregate_bands_lead_to_the_seed_scenarios(odpm: Instrument) -> None:
    scenario = {b.label: b.scenario for b in odpm.aggregate_bands}
    assert scenario == {"109–144": "A", "73–108": "B", "37–72": "C", "36": "C"}


@pytest.mark.parametrize(
    ("score", "label"),
    [(18.5, "13–18"), (18.99, "13–18"), (12.5, "7–12"), (6.5, "6"), (23.9, "19–24")],
)
def test_a_prorated_total_belongs_to_the_band_whose_lower_bound_it_reaches(
    odpm: Instrument, score: float, label: str
) -> None:
    band = band_of(score, odpm.section("P1").bands)
    assert band is not None and band.label == label


@pytest.mark.parametrize("score", [None, math.nan, 5, 5.9, 24.1, 25])
def test_no_band_for_no_score_or_a_score_off_the_scale(odpm: Instrument, score: float) -> None:
    assert band_of(score, odpm.section("P1").bands) is None


def test_vectorised_band_positions_agree_with_band_of(odpm: Instrument) -> None:
    bands = odpm.section("P1").bands
    scores = np.array([6, 7, 12, 13, 18, 18.5, 19, 24, np.nan, 5, 25])
    run = ordered(bands)
    positions = band_positions(scores, bands)
    labels = [run[k].label if k >= 0 else None for k in positions]
    assert (
        labels == ["6", "7–12", "7–12", "13–18", "13–18", "13–18", "19–24", "19–24"] + [None] * 3
    )


@given(st.floats(min_value=0, max_value=30, allow_nan=False))
def test_band_positions_and_band_of_never_disagree(score: float) -> None:
    bands = [Band(19, 24, "high"), Band(6, 6, "six"), Band(13, 18, "mid"), Band(7, 12, "low")]
    run = ordered(bands)
    k = int(band_positions(np.array([score]), bands)[0])
    assert (run[k] if k >= 0 else None) == band_of(score, bands)


def test_band_edges_end_to_end_through_the_cli(
    pat_cli: PatCli, write_sheet: Callable[..., Path]
) -> None:
    """Respondents whose P1 totals sit on every edge, scored and banded by `pat score`."""
    # Six answers with the given total: start from all SD (6) and raise one at a time.
    rows = []
    for total, _ in PRINCIPLE_EDGES:
        answers = [1] * 6
        extra = total - 6
        for k in range(6):
            step = min(3, extra)
            answers[k] += step
            extra -= step
        assert sum(answers) == total
        p1 = {f"P1{e}": a for e, a in zip("ABCDEF", answers, strict=True)}
        rows.append(odpm_row(f"R{total}", p1, fill="SA"))
    sheet = write_sheet(rows)
    result = pat_cli("score", "pat-odpm", str(sheet), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    sentences = {band["label"]: band["text"] for band in document["bands"]["P1"]}  # version 2
    for entry, (total, label) in zip(document["respondents"], PRINCIPLE_EDGES, strict=True):
        p1 = entry["sections"]["P1"]
        assert (p1["score"], p1["band"], sentences[p1["band"]]) == (
            total,
            label,
            P1_SENTENCES[label],
        )
        aggregate = total + 5 * 24
        assert entry["aggregate"]["score"] == aggregate
        expected = "109–144" if aggregate >= 109 else "73–108"
        assert entry["aggregate"]["band"] == expected
        aggregate_text = {b["label"]: b["text"] for b in document["bands"]["aggregate"]}
        assert aggregate_text[entry["aggregate"]["band"]] == AGGREGATE_SENTENCES[expected]


def test_check_bands_accepts_an_exact_tiling_in_any_order() -> None:
    bands = [Band(19, 24, "a"), Band(6, 6, "d"), Band(13, 18, "b"), Band(7, 12, "c")]
    assert check_bands(bands, ScoreRange(6, 24), "bands") == []


def test_check_bands_names_each_problem_by_the_bands_position_in_the_file() -> None:
    bands = [Band(19, 24, "a"), Band(7, 11, "c"), Band(13, 20, "b")]
    assert check_bands(bands, ScoreRange(6, 24), "sections[1].bands") == [
        (
            "sections[1].bands[2]",
            "scores from 6 to 6 are in no band (scores run 6–24): "
            "start this band at 6 or add a band below it",
        ),
        (
            "sections[1].bands[3]",
            "gap: no band holds scores between 11 and 13: "
            "start this band at 12 or end band 2 at 12",
        ),
        (
            "sections[1].bands[1]",
            "overlap: starts at 19, inside band 3 (13–20): "
            "start this band at 21 or end band 3 at 18",
        ),
    ]


def test_check_bands_for_continuous_scores() -> None:
    reach = ScoreRange(0, 100, whole=False)
    assert check_bands([Band(0, 50, "low"), Band(50, 100, "high")], reach, "b") == []
    assert check_bands([Band(0, 49, "low"), Band(50, 100, "high")], reach, "b") == [
        (
            "b[2]",
            "gap: no band holds scores between 49 and 50: "
            "start this band at 49 or end band 1 at 50",
        )
    ]
    assert check_bands([Band(0, 40, "low")], reach, "b") == [
        (
            "b[1]",
            "scores from 40 to 100 are in no band (scores run 0–100): "
            "end this band at 100 or add a band above it",
        )
    ]
    # On a shared boundary the higher band wins.
    assert band_of(50, [Band(0, 50, "low"), Band(50, 100, "high")]) == Band(50, 100, "high")
