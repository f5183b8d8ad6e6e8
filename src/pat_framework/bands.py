"""Score ranges and bands: checking that bands tile a range, and finding a score's band."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from pat_framework.model import Band
from pat_framework.render.text import format_number, missing

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from pat_framework.results import Scores


@dataclass(frozen=True)
class ScoreRange:
    """The scores a section can reach; `whole` when only whole numbers are possible."""

    low: float
    high: float
    whole: bool = True

    def __str__(self) -> str:
        return f"{format_number(self.low)}–{format_number(self.high)}"


def ordered(bands: Sequence[Band]) -> list[Band]:
    """Bands from the lowest scores to the highest."""
    return sorted(bands, key=lambda b: b.min)


def check_bands(bands: Sequence[Band], reach: ScoreRange, key: str) -> list[tuple[str, str]]:
    """(key, message) pairs for every gap, overlap or uncovered end of a set of bands."""
    if not bands:
        return []
    problems: list[tuple[str, str]] = []
    position = {id(b): i for i, b in enumerate(bands, 1)}
    run = ordered(bands)

    def where(band: Band) -> str:
        return f"{key}[{position[id(band)]}]"

    if run[0].min > reach.low:
        problems.append(
            (
                where(run[0]),
                f"scores from {format_number(reach.low)} to "
                f"{_below(run[0].min, reach)} are in no band (scores run {reach}): "
                f"start this band at {format_number(reach.low)} or add a band below it",
            )
        )
    if run[-1].max < reach.high:
        problems.append(
            (
                where(run[-1]),
                f"scores from {_above(run[-1].max, reach)} to "
                f"{format_number(reach.high)} are in no band (scores run {reach}): "
                f"end this band at {format_number(reach.high)} or add a band above it",
            )
        )
    for lower, upper in pairwise(run):
        expected = lower.max + 1 if reach.whole else lower.max
        if upper.min == expected:
            continue
        fix = (
            f"start this band at {format_number(expected)} or end band "
            f"{position[id(lower)]} at {_below(upper.min, reach)}"
        )
        if upper.min > expected:
            problems.append(
                (
                    where(upper),
                    f"gap: no band holds scores between "
                    f"{format_number(lower.max)} and {format_number(upper.min)}: {fix}",
                )
            )
        else:
            problems.append(
                (
                    where(upper),
                    f"overlap: starts at {format_number(upper.min)}, "
                    f"inside band {position[id(lower)]} "
                    f"({format_number(lower.min)}–{format_number(lower.max)}): {fix}",
                )
            )
    for band in run:
        if band.max < reach.low or band.min > reach.high:
            problems.append(
                (
                    where(band),
                    f"can never be reached (scores run {reach}): remove it or change its "
                    "min and max",
                )
            )
    return problems


def _below(value: float, reach: ScoreRange) -> str:
    return format_number(value - 1 if reach.whole else value)


def _above(value: float, reach: ScoreRange) -> str:
    return format_number(value + 1 if reach.whole else value)


def band_of(score: float | None, bands: Sequence[Band]) -> Band | None:
    """The highest band whose lower bound the score reaches; None for no score or off the top."""
    if score is None or math.isnan(score):
        return None
    run = ordered(bands)
    reached = [band for band in run if score >= band.min]
    if not reached or score > run[-1].max:
        return None
    return reached[-1]


def band_positions(scores: np.ndarray, bands: Sequence[Band]) -> np.ndarray:
    """For each score, the index of its band in `ordered(bands)`; -1 where there is none."""
    import numpy as np

    run = ordered(bands)
    if not run:
        return np.full(len(scores), -1, dtype=np.int8)
    mins = np.array([b.min for b in run])
    top = run[-1].max
    found = np.searchsorted(mins, scores, side="right") - 1
    outside = np.isnan(scores) | (scores > top) | (found < 0)
    return np.where(outside, -1, found).astype(np.int8)


def score_bands(scores: Scores) -> pd.DataFrame:
    """Band positions of every respondent's section totals and aggregate (-1 for none)."""
    import pandas as pd

    from pat_framework.results import AGGREGATE

    instrument = scores.instrument
    positions = {
        s.id: band_positions(scores.totals[s.id].to_numpy(), s.bands)
        for s in instrument.scored_sections
    }
    positions[AGGREGATE] = band_positions(
        scores.totals[AGGREGATE].to_numpy(), instrument.aggregate_bands
    )
    return pd.DataFrame(positions, index=scores.totals.index)


def group_median(scores: pd.Series) -> float | None:
    """The median of a column of scores; None when no one has a score (NaN, or pandas'
    NA for a nullable column)."""
    value = scores.median()
    return None if missing(value) else float(value)
