"""Importance against performance: how significant partners rate each section, and its score.

Weighting items are those with a `target` naming a scored section. Significance and score
are both placed on 0–1 (significance within its scale; score within the range the
section's bands cover) and compared with their means across sections, which gives the
quadrant. The rank is the action plan's (`analysis.ranking`): importance, shortfall from
the top band, how many scored low and disagreement together, so the two never disagree.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from pat_framework.analysis.rows import number_at
from pat_framework.catalogue import N_
from pat_framework.model import Item, Section

if TYPE_CHECKING:
    import pandas as pd

    from pat_framework.results import Interpretation

CONCENTRATE = N_("concentrate here")
KEEP_UP = N_("significant, scores higher")
LOW_PRIORITY = N_("less significant, scores lower")
LESS_PRESSING = N_("less significant, scores higher")
COLUMNS = ["section", "title", "significance", "raters", "score", "quadrant", "priority",
           "rank"]  # fmt: skip


def weighting_items(interpretation: Interpretation) -> dict[str, list[Item]]:
    """Scored section id → the items that weight it."""
    scored = {s.id for s in interpretation.instrument.scored_sections}
    found: dict[str, list[Item]] = {}
    for item in interpretation.instrument.items:
        if item.target in scored:
            found.setdefault(item.target, []).append(item)
    return found


def significance_positions(interpretation: Interpretation) -> dict[str, float]:
    """Weighted section id → its mean significance placed on 0–1 (sections nobody weighted
    are left out)."""
    import numpy as np

    values = interpretation.scores.responses.values
    found = {}
    for section_id, items in weighting_items(interpretation).items():
        positions = np.concatenate(
            [
                _position(values[i.id].to_numpy(dtype=np.float64), i.scale.low, i.scale.high)
                for i in items
            ]
        )
        if (~np.isnan(positions)).any():
            found[section_id] = float(np.nanmean(positions))
    return found


def priority_table(
    interpretation: Interpretation, sections: pd.DataFrame, items: pd.DataFrame
) -> pd.DataFrame | None:
    """One row per weighted section, with its quadrant, priority and rank; None when the
    instrument has no weighting items or nobody answered them."""
    import numpy as np
    import pandas as pd

    from pat_framework.analysis.ranking import section_evidence

    weights = weighting_items(interpretation)
    if not weights:
        return None
    values = interpretation.scores.responses.values
    scores = sections.set_index("section")
    rows = []
    for section in interpretation.instrument.scored_sections:
        if section.id not in weights:
            continue
        weighting = weights[section.id]
        answers = [values[i.id].to_numpy(dtype=np.float64) for i in weighting]
        positions = np.concatenate(
            [
                _position(a, i.scale.low, i.scale.high)
                for a, i in zip(answers, weighting, strict=True)
            ]
        )
        pooled = np.concatenate(answers)
        raters = int(np.count_nonzero(~np.isnan(pooled)))
        score = number_at(scores, section.id, "median")
        rows.append(
            {
                "section": section.id,
                "title": section.title,
                "significance": float(np.nanmean(pooled)) if raters else math.nan,
                "raters": raters,
                "score": score,
                "x": float(np.nanmean(positions)) if raters else math.nan,
                "y": _position(score, *_score_range(section, scores)),
            }
        )
    frame = pd.DataFrame(rows)
    if not frame["raters"].any():
        return None
    # Positions and their means rounded alike, so that equal positions are never "below
    # their own mean" by a last digit of floating point.
    x, y = frame["x"].round(9), frame["y"].round(9)
    placed = x.notna() & y.notna()
    high_x = x >= round(float(x[placed].mean()), 9)
    high_y = y >= round(float(y[placed].mean()), 9)
    frame["quadrant"] = np.select(
        [high_x & ~high_y, high_x & high_y, ~high_x & ~high_y, ~high_x & high_y],
        [CONCENTRATE, KEEP_UP, LOW_PRIORITY, LESS_PRESSING],
        default="",
    )
    frame.loc[~placed, "quadrant"] = ""
    evidence = section_evidence(
        interpretation, items, sections, significance_positions(interpretation)
    )
    frame["priority"] = [
        evidence[s].priority if p else math.nan
        for s, p in zip(frame["section"], placed, strict=True)
    ]
    order = frame.sort_values("priority", ascending=False, kind="stable")
    ranked = order.index[order["priority"].notna()]
    frame["rank"] = pd.Series(range(1, len(ranked) + 1), index=ranked, dtype="Int64")
    return frame[COLUMNS]


def _score_range(section: Section, scores: pd.DataFrame) -> tuple[float, float]:
    """The scores the section can reach, from its bands (which tile that range)."""
    if section.bands:
        return min(b.min for b in section.bands), max(b.max for b in section.bands)
    return number_at(scores, section.id, "min"), number_at(scores, section.id, "max")


def _position(value: Any, low: float, high: float) -> Any:
    """Where a value (or array of values) lies between low (0) and high (1)."""
    if high <= low:
        return value * math.nan
    return (value - low) / (high - low)
