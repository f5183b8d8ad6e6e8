"""Altair chart builders and their export to PNG, SVG, vega-lite JSON and offline HTML.

Every builder draws from a small aggregated frame (rows per section, item, band, group or
round); `small_frame` refuses anything bigger than `MAX_ROWS`, so one row per answer can
never reach altair.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pat_framework.errors import PatError

if TYPE_CHECKING:
    import pandas as pd

    from pat_framework.analysis import Analysis
    from pat_framework.interfaces import Chart

#: The most rows a chart may be given; more means a frame was not aggregated (a bug).
MAX_ROWS = 5000


class NothingToDraw(PatError):
    """The analysis holds nothing this chart can show (no `--by`, one round, no weights)."""


def small_frame(rows: Iterable[Mapping[str, Any]] | pd.DataFrame, chart: str) -> pd.DataFrame:
    """Rows as a frame for a chart, refused when it is too big to be aggregated data."""
    import pandas as pd

    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    if len(frame) > MAX_ROWS:
        raise RuntimeError(
            f"chart '{chart}' was given {len(frame)} rows (limit {MAX_ROWS}): "
            "charts must be drawn from aggregated frames"
        )
    return frame


def build(chart: Chart, analysis: Analysis, builtin: bool) -> Any:
    """The chart built for the analysis. pat's own are built without altair's check of
    every object against the vega-lite schema as it is made (a tenth of `pat run`'s time;
    the tests check each of their specifications once); a plugin's are checked, so that a
    mistake in one is named where it is made."""
    if not builtin:
        return chart.build(analysis)
    from altair.utils.schemapi import debug_mode

    with debug_mode(False):
        return chart.build(analysis)
