"""Breakdowns that cannot be subtracted from each other.

Each breakdown on its own hides small groups and a second group where the total would
reveal one (`analysis.subgroups`). Two breakdowns shown together, or a breakdown of pooled
rounds beside the rounds reported alone, could still be subtracted: when one group lies
inside another (every Council respondent is a board member) and the two differ by fewer
than the threshold, the difference is those few people. `breakdowns` hides the smaller of
such a pair and applies the breakdown's own rule again, until nothing can be subtracted.

The groups of every attribute are looked at, not only the breakdowns asked for: a report
by organisation and another by level are two outputs of the same answers. Only nesting is
looked for: groups that overlap without one holding the other can be subtracted only with
the figure of their overlap, which no output gives.
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
    """Each attribute's breakdown, with whatever another figure would reveal hidden too:
    another breakdown of this output, or of any other output of the same answers (every
    attribute's groups large enough to be shown count, asked for here or not)."""
    import numpy as np

    codes = {a: group_codes(interpretation, a)[0] for a in attributes}
    sizes = {a: len(group_codes(interpretation, a)[1]) for a in attributes}
    others = _large_groups(interpretation, attributes, figures)
    columns = [c for c, _ in section_bands(interpretation)]
    forced = {a: {c: np.zeros(sizes[a], dtype=bool) for c in columns} for a in attributes}
    rounds = pooled_rounds(interpretation.scores, figures)
    while True:
        frames = {a: breakdown(interpretation, a, figures, forced[a]) for a in attributes}
        changed = False
        for column in columns:
            scored = interpretation.scores.totals[column].notna().to_numpy()
            shown = {a: _shown(frames[a], column, sizes[a]) for a in attributes}
            groups = dict(codes)
            for name, (large, width) in others.items():
                groups[name] = large
                counts = np.bincount(large[scored & (large >= 0)], minlength=width)
                shown[name] = counts >= figures
            for a in attributes:
                more = _nested(a, groups, shown, scored, figures)
                if rounds is not None:
                    more |= _pooled(codes[a], shown[a], scored, rounds, figures)
                more &= shown[a]
                if more.any():
                    forced[a][column] |= more
                    changed = True
        if not changed:
            return frames


def _large_groups(
    interpretation: Interpretation, asked: Sequence[str], figures: int
) -> dict[str, tuple[np.ndarray, int]]:
    """For each attribute not broken down here: each respondent's group number among the
    groups with at least `figures` respondents (-1 for the rest), which another output's
    breakdown by it could show, and how many such groups there are."""
    import numpy as np
    import pandas as pd

    found = {}
    for name, column in interpretation.scores.responses.attributes.items():
        if name in asked:
            continue
        sizes = column.value_counts()
        large = [v for v, n in sizes.items() if n >= figures]
        if large:
            codes = pd.Index(large).get_indexer(pd.Index(column.astype(object))).astype(np.int64)
            found[str(name)] = (codes, len(large))
    return found


def _shown(frame: pd.DataFrame, column: str, groups: int) -> np.ndarray:
    """Which groups the breakdown shows for this section, by group number."""
    rows = frame[frame["section"] == column]
    return ~rows["suppressed"].to_numpy(dtype=bool)[:groups]


def _nested(
    attribute: str,
    codes: dict[str, np.ndarray],
    shown: dict[str, np.ndarray],
    scored: np.ndarray,
    figures: int,
) -> np.ndarray:
    """The groups of `attribute` lying inside a shown group of another attribute that has
    between 1 and `figures - 1` respondents more (a cross-tabulation of the two; a group
    number of -1 is in no group)."""
    import numpy as np

    mine = codes[attribute]
    width_mine = len(shown[attribute])
    size_mine = np.bincount(mine[scored], minlength=width_mine)
    hide = np.zeros(width_mine, dtype=bool)
    for other, theirs in codes.items():
        if other == attribute:
            continue
        width = len(shown[other])
        both = scored & (theirs >= 0)
        cross = np.bincount(
            mine[both] * width + theirs[both], minlength=width_mine * width
        ).reshape(width_mine, width)
        size_theirs = cross.sum(axis=0)
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
