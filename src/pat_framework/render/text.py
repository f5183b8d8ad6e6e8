"""Numbers and missing values as people read them, the same in every output."""

from __future__ import annotations

import math
from typing import Any

#: What every output shows for a figure that does not exist (no score, too few answers).
NONE = "–"


def format_number(value: float) -> str:
    """Write 4.0 as '4' and 0.5 as '0.5'."""
    if math.isfinite(value) and value == int(value):
        return str(int(value))
    return f"{value:g}"


def missing(value: Any) -> bool:
    """True for None, NaN and pandas' NA."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:  # pandas.NA refuses to be a bool
        return True


def number(value: Any, places: int = 1) -> str:
    """A figure for people: 16, 15.6, or '–' for none."""
    if missing(value):
        return NONE
    return format_number(round(float(value), places))


def fixed(value: float) -> str:
    """An index to two decimals (0.90), or '–'."""
    return NONE if missing(value) else f"{value:.2f}"
