"""Change between rounds: each section's median and band per round, and which way it moved.

Rounds come from the `round` attribute, never from `date`: forms returned on different days
are one round, and a late form taken as a round of its own would show one person's answers.
Rounds are ordered as dates when they are dates, else naturally (`analysis.order`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pat_framework.analysis.subgroups import (
    NOT_RECORDED,
    cell,
    finish,
    group_codes,
    group_medians,
    section_bands,
    suppression,
)

if TYPE_CHECKING:
    import pandas as pd

    from pat_framework.results import Interpretation

ROUND_ATTRIBUTES = ("round",)
COLUMNS = ["round", "section", "n", "median", "band", "concern", "change", "direction",
           "suppressed"]  # fmt: skip


def round_attribute(interpretation: Interpretation) -> str | None:
    """The attribute that numbers the rounds, when it has more than one value."""
    attributes = interpretation.scores.responses.attributes
    for name in ROUND_ATTRIBUTES:
        if name in attributes.columns and attributes[name].nunique(dropna=True) > 1:
            return name
    return None


def round_changes(interpretation: Interpretation, min_group: int) -> pd.DataFrame | None:
    """One row per round and section (aggregate too), or None with fewer than two rounds."""
    import pandas as pd

    attribute = round_attribute(interpretation)
    if attribute is None:
        return None
    codes, labels = group_codes(interpretation, attribute, natural=True)
    medians, counts, sizes = group_medians(interpretation, codes, len(labels))
    rows = []
    for column, bands in section_bands(interpretation):
        column_counts, column_medians = counts[column].to_numpy(), medians[column].to_numpy()
        hidden = suppression(column_counts, sizes, min_group, labels)
        previous = math.nan
        for k, label in enumerate(labels):
            median = math.nan if hidden[k] else float(column_medians[k])
            row = cell(label, column, int(column_counts[k]), column_medians[k], bands)
            change, direction = math.nan, ""
            if k and label != NOT_RECORDED:
                change = median - previous
                direction = _direction(change)
            if label != NOT_RECORDED:
                previous = median
            rows.append(row | {"change": change, "direction": direction, "suppressed": hidden[k]})
    frame = pd.DataFrame(rows).rename(columns={"group": "round"})
    return finish(frame.astype({"suppressed": bool}))[COLUMNS]


def _direction(change: float) -> str:
    if math.isnan(change):
        return ""
    if abs(change) < 1e-9:
        return "same"
    return "up" if change > 0 else "down"
