"""Breakdowns that cannot be subtracted from each other.

Each breakdown on its own hides small groups and a second group where the total would
reveal one (`analysis.subgroups`). Two breakdowns shown together, or a breakdown of pooled
rounds beside the rounds reported alone, could still be subtracted: when one group lies
inside another (every Council respondent is a board member) and the two differ by fewer
than the threshold, the difference is those few people. `breakdowns` hides the smaller of
such a pair and applies the breakdown's own rule again, until nothing can be subtracted.

Only nesting is looked for: groups that overlap without one holding the other can be
subtracted only with the figure of their overlap, which no output gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pat_framework.analysis.subgroups import breakdown, group_codes, section_bands
from pat_framework.disclosure.release import Rounds, pooled_rounds
from pat_framework.disclosure.remainders import exposed

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from pat_framework.results import Interpretation


def breakdowns(
    interpretation: Interpretation, attributes: Sequence[str], figures: int
) -> dict[str, pd.DataFrame]:
    """Each attribute's breakdown, with whatever another figure would reveal hidden too."""
    import numpy as np

    codes = {a: group_codes(interpretation, a) for a in attributes}
    columns = [c for c, _ in section_bands(interpretation)]
    forced = {a: {c: np.zeros(len(codes[a][1]), dtype=bool) for c in columns} for a in attributes}
    rounds = pooled_rounds(interpretation.scores, figures)
    while True:
        frames = {a: breakdown(interpretation, a, figures, forced[a]) for a in attributes}
        changed = False
        for column in columns:
            scored = interpretation.scores.totals[column].notna().to_numpy()
            shown = {a: _shown(frames[a], column, len(codes[a][1])) for a in attributes}
            for a in attributes:
                more = _nested(a, column, codes, shown, scored, figures)
                if rounds is not None:
                    more |= _pooled(codes[a][0], shown[a], scored, rounds, figures)
                more &= shown[a]
                if more.any():
                    forced[a][column] |= more
                    changed = True
        if not changed:
            return frames


def _shown(frame: pd.DataFrame, column: str, groups: int) -> np.ndarray:
    """Which groups the breakdown shows for this section, by group number."""
    rows = frame[frame["section"] == column]
    return ~rows["suppressed"].to_numpy(dtype=bool)[:groups]


def _nested(
    attribute: str,
    column: str,
    codes: dict[str, tuple[np.ndarray, list[str]]],
    shown: dict[str, np.ndarray],
    scored: np.ndarray,
    figures: int,
) -> np.ndarray:
    """The groups of `attribute` lying inside a shown group of another breakdown that has
    between 1 and `figures - 1` respondents more (a cross-tabulation of the two)."""
    import numpy as np

    mine, labels = codes[attribute]
    hide = np.zeros(len(labels), dtype=bool)
    for other, (theirs, their_labels) in codes.items():
        if other == attribute:
            continue
        width = len(their_labels)
        cross = np.bincount(
            mine[scored] * width + theirs[scored], minlength=len(labels) * width
        ).reshape(len(labels), width)
        size_mine, size_theirs = cross.sum(axis=1), cross.sum(axis=0)
        inside = (cross == size_mine[:, None]) & (size_mine[:, None] > 0)
        gap = size_theirs[None, :] - size_mine[:, None]
        bad = inside & (gap > 0) & (gap < figures) & shown[other][None, :]
        hide |= bad.any(axis=1)
    return hide


def _pooled(
    mine: np.ndarray, shown: np.ndarray, scored: np.ndarray, rounds: Rounds, figures: int
) -> np.ndarray:
    """The groups whose pooled figure, less their figures in rounds reported alone, would
    leave a few respondents of some round."""
    import numpy as np

    hide = np.zeros(len(shown), dtype=bool)
    for group in np.flatnonzero(shown):
        mask = scored & (mine == group)
        hide[group] = exposed(int(mask.sum()), rounds.parts(mask, figures), figures)
    return hide
