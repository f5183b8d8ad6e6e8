"""Scores broken down by a respondent attribute, with small groups suppressed.

A cell (group × section) is hidden when its group has fewer than `min_group` respondents
or fewer than `min_group` of them have a score. Where the total would then reveal a hidden
cell (exactly one cell hidden, or hidden cells adding up to fewer than `min_group`), the
next-smallest cells are hidden too. `disclosure.differences` hides more where two
breakdowns, or pooled rounds, could be subtracted from each other.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pat_framework.analysis.order import ordered
from pat_framework.bands import band_of
from pat_framework.results import AGGREGATE

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from pat_framework.model import Band
    from pat_framework.results import Interpretation

NOT_RECORDED = "(not recorded)"
COLUMNS = ["group", "section", "n", "median", "band", "concern", "suppressed"]


def suppression(
    counts: np.ndarray,
    sizes: np.ndarray,
    min_group: int,
    labels: Sequence[str],
    forced: np.ndarray | None = None,
) -> np.ndarray:
    """Which cells to hide, given each cell's scored count, its group's size and its label
    (which settles a tie between equally small groups, whatever the order of the file),
    and the cells hidden already for another reason (`forced`)."""
    import numpy as np

    counts = np.asarray(counts)
    hidden = (np.asarray(sizes) < min_group) | ((counts > 0) & (counts < min_group))
    if forced is not None:
        hidden |= forced
    while True:
        hidden_total = int(counts[hidden].sum())
        if not (hidden.sum() == 1 or 0 < hidden_total < min_group):
            return hidden
        candidates = [int(k) for k in np.flatnonzero(~hidden & (counts > 0))]
        if not candidates:
            return hidden
        hidden[min(candidates, key=lambda k: (counts[k], labels[k]))] = True


def group_codes(
    interpretation: Interpretation, attribute: str, natural: bool = False
) -> tuple[np.ndarray, list[str]]:
    """Each respondent's group number and the group labels, in order of first appearance
    (or, with `natural`, in round order: as a workshop's `[groups]` declares them, else
    `analysis.order`), with respondents who have no value last."""
    import numpy as np
    import pandas as pd

    column = interpretation.scores.responses.attributes[attribute]
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    labels = [str(u) for u in uniques]
    if (codes < 0).any():
        labels.append(NOT_RECORDED)
        codes = np.where(codes < 0, len(labels) - 1, codes)
    if natural:  # rounds: as declared, as dates, or naturally; the unrecorded last
        recorded = [k for k, label in enumerate(labels) if label != NOT_RECORDED]
        declared = _declared(column)
        if declared is not None:
            place = {str(c): n for n, c in enumerate(declared)}
            order = sorted(recorded, key=lambda k: place[labels[k]])
        else:
            order = [recorded[k] for k in ordered([labels[k] for k in recorded])]
        order += [k for k, label in enumerate(labels) if label == NOT_RECORDED]
    else:
        order = sorted(range(len(labels)), key=lambda k: labels[k] == NOT_RECORDED)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], [labels[k] for k in order]


def _declared(column: pd.Series) -> list[object] | None:
    """The column's values in their declared order (`labels.check_allowed`), if any."""
    import pandas as pd

    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype) and dtype.ordered:
        return list(dtype.categories)
    return None


def group_medians(
    interpretation: Interpretation, codes: np.ndarray, groups: int
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Median and count of scores per group (rows) and section (columns), and group sizes."""
    import numpy as np

    totals = interpretation.scores.totals
    grouped = totals.groupby(codes, sort=True)
    medians = grouped.median().reindex(range(groups))
    counts = grouped.count().reindex(range(groups), fill_value=0)
    sizes = np.bincount(codes, minlength=groups)
    return medians, counts, sizes


def breakdown(
    interpretation: Interpretation,
    attribute: str,
    min_group: int,
    forced: Mapping[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """One row per group and scored section plus the aggregate, small cells suppressed
    (and the cells `forced` hides, a mask over the groups per section)."""
    import pandas as pd

    codes, labels = group_codes(interpretation, attribute)
    medians, counts, sizes = group_medians(interpretation, codes, len(labels))
    rows = []
    for column, bands in section_bands(interpretation):
        column_counts, column_medians = counts[column].to_numpy(), medians[column].to_numpy()
        extra = None if forced is None else forced.get(column)
        hidden = suppression(column_counts, sizes, min_group, labels, extra)
        for k, label in enumerate(labels):
            rows.append(
                cell(label, column, int(column_counts[k]), column_medians[k], bands)
                | {"suppressed": bool(hidden[k])}
            )
    return finish(pd.DataFrame(rows, columns=COLUMNS))


def section_bands(interpretation: Interpretation) -> list[tuple[str, tuple[Band, ...]]]:
    """(column of totals, its bands) for each scored section and the aggregate."""
    instrument = interpretation.instrument
    found = [(s.id, s.bands) for s in instrument.scored_sections]
    return [*found, (AGGREGATE, instrument.aggregate_bands)]


def cell(
    label: str, column: str, n: int, median: float, bands: tuple[Band, ...]
) -> dict[str, Any]:
    band = band_of(median, bands)
    return {
        "group": label,
        "section": column,
        "n": n,
        "median": float(median),
        "band": band.label if band else "",
        "concern": bool(band and band.concern),
    }


def finish(frame: pd.DataFrame) -> pd.DataFrame:
    """Blank out the statistics of suppressed rows, so they can never be shown."""
    hidden = frame["suppressed"].to_numpy()
    import pandas as pd

    frame = frame.astype({"n": "Int64"})
    frame.loc[hidden, "n"] = pd.NA
    frame.loc[hidden, "median"] = math.nan
    frame.loc[hidden, "band"] = ""
    frame.loc[hidden, "concern"] = False
    return frame
