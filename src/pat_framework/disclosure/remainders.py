"""The difference rule: can subtracting published figures leave a group below the threshold?"""

from __future__ import annotations

from collections.abc import Iterable


def exposed(total: int, parts: Iterable[int], figures: int) -> bool:
    """Whether some of the `parts` (groups shown on their own, all inside `total`) add up
    to leave between 1 and `figures - 1` of the total: what subtracting them from the
    total's figure would show.

    Parts are disjoint (rounds, or the same group in different rounds); their possible
    sums are worked out as the bits of one integer, so a hundred rounds cost no more than
    a few.
    """
    sums = 1  # bit s set: some parts add up to s
    for part in parts:
        if part > 0:
            sums |= sums << part
    low = max(total - figures + 1, 0)
    window = (sums >> low) & ((1 << (total - low)) - 1)  # sums in [low, total)
    return window != 0 and total > 0
