"""Agreement across respondents: per-item spread (rWG, AD, split) and per-section figures.

Every item statistic is computed from the counts of each scale value, so a million
answers cost one counting pass per item. Indices are measured in steps of the item's
scale, so they mean the same on a 1–4 agreement scale and a 0/0.5/1 presence scale.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from pat_framework.bands import band_of, ordered
from pat_framework.catalogue import N_, gettext
from pat_framework.model import Item, Scale, Section
from pat_framework.render.text import format_number

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from pat_framework.responses import Responses
    from pat_framework.results import Interpretation

#: Fewer answers than this give no agreement figure.
MIN_AGREEMENT = 3
#: Cronbach's alpha needs at least this many respondents who answered every item.
MIN_ALPHA = 30
#: rWG at or below this is "low agreement" (LeBreton & Senter's weak or lack of agreement).
LOW_AGREEMENT = 0.50
#: LeBreton & Senter (2008): upper bound of each rWG level, checked on two decimals.
RWG_LEVELS = (
    (0.30, N_("lack of agreement (rWG %(rwg)s)")),
    (0.50, N_("weak agreement (rWG %(rwg)s)")),
    (0.70, N_("moderate agreement (rWG %(rwg)s)")),
    (0.90, N_("strong agreement (rWG %(rwg)s)")),
    (1.00, N_("very strong agreement (rWG %(rwg)s)")),
)


@dataclass(frozen=True)
class ScaleGeometry:
    """What the agreement indices need from a scale: its values, steps and midpoint."""

    values: tuple[float, ...]
    step: float
    midpoint: float

    @classmethod
    def of(cls, scale: Scale) -> ScaleGeometry:
        values = tuple(sorted(float(o.score) for o in scale.scoring))
        step = (values[-1] - values[0]) / (len(values) - 1) if len(values) > 1 else 1.0
        return cls(values, step, scale.midpoint)

    @property
    def options(self) -> int:
        """A: the number of scoring options."""
        return len(self.values)

    @property
    def null_variance(self) -> float:
        """σ²E = (A² − 1)/12 steps², the variance of answers given at random."""
        return (self.options**2 - 1) / 12 * self.step**2

    @property
    def ad_cutoff(self) -> float:
        """AD at or below A/6 steps counts as agreement (Burke & Dunlap 2002)."""
        return self.options / 6 * self.step


@dataclass(frozen=True)
class Spread:
    """One item's answers summarised: centre, spread and agreement."""

    n: int
    counts: tuple[int, ...]
    median: float
    mean: float
    min: float
    max: float
    iqr: float
    variance: float
    rwg: float
    ad: float
    ad_agree: bool | None
    split: bool
    divided: float

    @property
    def label(self) -> str:
        return agreement_label(self.rwg, self.n)


def spread_from_counts(counts: Sequence[int] | np.ndarray, geometry: ScaleGeometry) -> Spread:
    """Summarise answers given as counts per scale value (lowest value first)."""
    import numpy as np

    c = np.asarray(counts, dtype=np.int64)
    v = np.asarray(geometry.values, dtype=np.float64)
    n = int(c.sum())
    nan = math.nan
    if n == 0:
        return Spread(0, tuple(int(x) for x in c), nan, nan, nan, nan, nan, nan, nan, nan,
                      None, False, 0.0)  # fmt: skip
    mean = float((c * v).sum() / n)
    deviation = v - mean
    variance = float((c * deviation**2).sum() / (n - 1)) if n > 1 else nan
    present = v[c > 0]
    below = int(c[v < geometry.midpoint].sum())
    above = int(c[v > geometry.midpoint].sum())
    split = below > 0 and above > 0
    enough = n >= MIN_AGREEMENT
    ad = float((c * np.abs(deviation)).sum() / n) if enough else nan
    return Spread(
        n=n,
        counts=tuple(int(x) for x in c),
        median=_quantile(v, c, 0.5),
        mean=mean,
        min=float(present[0]),
        max=float(present[-1]),
        iqr=_quantile(v, c, 0.75) - _quantile(v, c, 0.25),
        variance=variance,
        rwg=rwg(variance, geometry.null_variance) if enough else nan,
        ad=ad,
        ad_agree=bool(ad <= geometry.ad_cutoff + 1e-12) if enough else None,
        split=split,
        divided=min(below, above) / n if split else 0.0,
    )


def spread_of(answers: Sequence[float], scale: Scale) -> Spread:
    """Summarise a list of answers (scale values; NaN for none) to one item."""
    import numpy as np

    geometry = ScaleGeometry.of(scale)
    return spread_from_counts(count_values(np.asarray(answers, np.float64), geometry), geometry)


def _quantile(values: np.ndarray, counts: np.ndarray, q: float) -> float:
    """The q-quantile of the answers, interpolated linearly as numpy and pandas do."""
    import numpy as np

    cumulative = np.cumsum(counts)
    h = (cumulative[-1] - 1) * q
    lower, upper = math.floor(h), math.ceil(h)
    at_lower = values[np.searchsorted(cumulative, lower, side="right")]
    at_upper = values[np.searchsorted(cumulative, upper, side="right")]
    return float(at_lower + (h - lower) * (at_upper - at_lower))


def count_values(column: np.ndarray, geometry: ScaleGeometry) -> np.ndarray:
    """Counts per scale value (lowest first) in one column of answers; NaN is skipped."""
    import numpy as np

    found, counts = np.unique(column, return_counts=True)
    answered = ~np.isnan(found)
    found, counts = found[answered], counts[answered]
    values = np.asarray(geometry.values, dtype=column.dtype)
    position = np.searchsorted(values, found)
    off = position >= len(values)
    off[~off] = values[position[~off]] != found[~off]
    if off.any():
        raise ValueError(f"answer {found[off][0]} is not a value of the scale {geometry.values}")
    return np.bincount(position, weights=counts, minlength=len(values)).astype(np.int64)


def rwg(variance: float, null_variance: float) -> float:
    """rWG = 1 − s²/σ²E, truncated at 0 (NaN without a variance)."""
    if math.isnan(variance) or null_variance <= 0:
        return math.nan
    return max(0.0, 1.0 - variance / null_variance)


def rwg_j(ratios: Sequence[float]) -> float:
    """rWG(J) from each item's s²/σ²E: J(1 − r̄)/(J(1 − r̄) + r̄), in [0, 1]."""
    usable = [r for r in ratios if not math.isnan(r)]
    if not usable:
        return math.nan
    j, mean_ratio = len(usable), sum(usable) / len(usable)
    if mean_ratio >= 1:
        return 0.0
    return j * (1 - mean_ratio) / (j * (1 - mean_ratio) + mean_ratio)


def cronbach_alpha(block: np.ndarray) -> float:
    """Cronbach's α of a respondents × items block with no missing answers."""
    import numpy as np

    rows, j = block.shape
    if j < 2 or rows < 2:
        return math.nan
    block = np.asfortranarray(block, dtype=np.float64)
    item_variance = block.var(axis=0, ddof=1)
    total_variance = float(block.sum(axis=1).var(ddof=1))
    if total_variance <= 0:
        return math.nan
    return float(j / (j - 1) * (1 - float(item_variance.sum()) / total_variance))


def agreement_label(value: float, n: int) -> str:
    """A label naming its index, e.g. 'strong agreement (rWG 0.82)'."""
    if n < MIN_AGREEMENT:
        return gettext(
            "too few respondents for agreement (%(count)s answered; %(least)s needed)"
        ) % {"count": n, "least": MIN_AGREEMENT}
    if math.isnan(value):
        return gettext("no agreement figure")
    shown = round(value, 2)
    level = next(name for top, name in RWG_LEVELS if shown <= top)
    return gettext(level) % {"rwg": f"{shown:.2f}"}


def low_agreement(value: float) -> bool:
    return not math.isnan(value) and round(value, 2) <= LOW_AGREEMENT


def value_columns(instrument_items: Sequence[Item]) -> list[float]:
    """Every scale value used by these items, lowest first."""
    found = {float(o.score) for i in instrument_items for o in i.scale.scoring}
    return sorted(found)


def item_table(responses: Responses) -> pd.DataFrame:
    """One row per item, in instrument order: counts, centre, spread and agreement."""
    import numpy as np
    import pandas as pd

    from pat_framework.responses import DONT_KNOW_STATE, NOT_APPLICABLE_STATE

    instrument = responses.instrument
    items = instrument.items
    all_values = value_columns(items)
    rows = []
    for item in items:
        geometry = ScaleGeometry.of(item.scale)
        column = responses.values[item.id].to_numpy()
        s = spread_from_counts(count_values(column, geometry), geometry)
        counts = dict(zip(geometry.values, s.counts, strict=True))
        if responses.states is not None:
            states = responses.states[item.id].to_numpy()
            dont_know = int(np.count_nonzero(states == DONT_KNOW_STATE))
            not_applicable = int(np.count_nonzero(states == NOT_APPLICABLE_STATE))
        else:
            dont_know = not_applicable = 0
        rows.append(
            {
                "section": item.section_id,
                "item": item.id,
                "element": item.element,
                "n": s.n,
                **{_count_name(v): counts.get(v, pd.NA) for v in all_values},
                "dont_know": dont_know,
                "not_applicable": not_applicable,
                "median": s.median,
                "mean": s.mean,
                "min": s.min,
                "max": s.max,
                "iqr": s.iqr,
                "variance": s.variance,
                "rwg": s.rwg,
                "ad": s.ad,
                "ad_agree": pd.NA if s.ad_agree is None else s.ad_agree,
                "split": s.split,
                "divided": s.divided,
                "agreement": s.label,
            }
        )
    frame = pd.DataFrame(rows)
    count_names = [_count_name(v) for v in all_values]
    return frame.astype({**dict.fromkeys(count_names, "Int64"), "ad_agree": "boolean"})


def _count_name(value: float) -> str:
    return f"count_{format_number(value)}"


def section_table(interpretation: Interpretation, items: pd.DataFrame) -> pd.DataFrame:
    """One row per scored section: the group's scores, band, rWG(J) and pooled α."""
    import pandas as pd

    responses = interpretation.scores.responses
    totals = interpretation.scores.totals
    by_item = items.set_index("item")
    rows = []
    for section in interpretation.instrument.scored_sections:
        score = totals[section.id].to_numpy(dtype="float64")
        centre = _describe(score)
        band = band_of(centre["median"], section.bands)
        ratios = [
            cast(float, by_item.at[i.id, "variance"]) / ScaleGeometry.of(i.scale).null_variance
            for i in section.items
            if cast(int, by_item.at[i.id, "n"]) >= MIN_AGREEMENT
        ]
        alpha, pooled = _alpha(responses, section)
        rows.append(
            {
                "section": section.id,
                "title": section.title,
                **centre,
                "rwg_j": rwg_j(ratios),
                "alpha": alpha,
                "alpha_n": pooled,
                "band": band.label if band else "",
                "band_position": ordered(section.bands).index(band) if band else -1,
                "concern": bool(band and band.concern),
            }
        )
    return pd.DataFrame(rows, columns=SECTION_COLUMNS)


SECTION_COLUMNS = [
    "section", "title", "n", "median", "mean", "min", "max", "iqr",
    "rwg_j", "alpha", "alpha_n", "band", "band_position", "concern",
]  # fmt: skip


def _describe(score: np.ndarray) -> dict[str, float | int]:
    import numpy as np

    present = score[~np.isnan(score)]
    if not len(present):
        nan = math.nan
        return {"n": 0, "median": nan, "mean": nan, "min": nan, "max": nan, "iqr": nan}
    q1, median, q3 = np.quantile(present, [0.25, 0.5, 0.75])
    return {
        "n": len(present),
        "median": float(median),
        "mean": float(present.mean()),
        "min": float(present.min()),
        "max": float(present.max()),
        "iqr": float(q3 - q1),
    }


def _alpha(responses: Responses, section: Section) -> tuple[float, int]:
    """α over respondents who answered every item (reverse items turned round), and how many."""
    import numpy as np

    block = np.empty((len(responses), len(section.items)), dtype=np.float64, order="F")
    for k, item_id in enumerate(section.item_ids):
        block[:, k] = responses.values[item_id].to_numpy()
    complete = ~np.isnan(block).any(axis=1)
    pooled = int(complete.sum())
    if pooled < MIN_ALPHA:
        return math.nan, pooled
    if pooled < len(block):
        block = block[complete]
    for k, item in enumerate(section.items):
        if item.reverse:
            block[:, k] = item.scale.low + item.scale.high - block[:, k]
    return cronbach_alpha(block), pooled
