"""Comparison by subgroup: each group's median per section, coloured by band."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pat_framework.catalogue import N_, _
from pat_framework.charts import NothingToDraw, small_frame
from pat_framework.charts.common import (
    Worded,
    attribute_title,
    bands_of,
    position_of,
    section_word,
    worded,
)
from pat_framework.charts.style import NO_BAND, band_colours, ink_on
from pat_framework.model import Instrument
from pat_framework.render.text import missing, number
from pat_framework.results import AGGREGATE

if TYPE_CHECKING:
    import pandas as pd

    from pat_framework.analysis import Analysis

CELL_WIDTH = 62
CELL_HEIGHT = 30
#: At most this many groups in one panel (a row each).
PANEL_ROWS = 20


class Subgroups(Worded):
    """Medians by organisation, level or any other attribute; small groups left out."""

    name = "subgroups"
    title = N_("Comparison by group")
    template = N_(
        "One row per group of respondents (an organisation or a level, say) and one column "
        "per {section}: each cell holds the group's median score, coloured by its band. "
        "Look down a column for groups that see it differently from the rest. Groups smaller "
        "than the reporting threshold are left out so that no one can be identified."
    )
    description = worded(template, "section")

    def applies(self, instrument: Instrument) -> bool:
        return bool(instrument.scored_sections)

    def build(self, analysis: Analysis) -> Any:
        import altair as alt

        instrument = analysis.instrument
        if not analysis.subgroups:
            raise NothingToDraw("no subgroups: give --by COLUMN (e.g. --by organisation)")
        panels = []
        for by, frame in analysis.subgroups.items():
            cells = small_frame(cell_rows(instrument, frame), self.name)
            rows = list(dict.fromkeys(cells["row"])) if not cells.empty else []
            # At most PANEL_ROWS groups a panel, so that a printed report can put each
            # on a page: 40 organisations are drawn in two panels.
            chunks = [rows[k : k + PANEL_ROWS] for k in range(0, len(rows), PANEL_ROWS)]
            for k, chunk in enumerate(chunks):
                title = _("By %(attribute)s") % {"attribute": by}
                if len(chunks) > 1:
                    title += " " + _("(%(part)s of %(parts)s)") % {
                        "part": k + 1,
                        "parts": len(chunks),
                    }
                mine = cells[cells["row"].isin(chunk)]
                panels.append(self._panel(alt, by, title, mine))
        if not panels:
            raise NothingToDraw(f"every subgroup has fewer than {analysis.min_group} respondents")
        chart = panels[0] if len(panels) == 1 else alt.vconcat(*panels)
        return chart.properties(
            title=alt.Title(
                _("Median scores by group on each %(section)s")
                % {"section": section_word(instrument)},
                subtitle=_("Groups of fewer than %(least)s respondents are not shown.")
                % {"least": analysis.min_group},
            )
        )

    def _panel(self, alt: Any, by: str, title: str, cells: pd.DataFrame) -> Any:
        columns = list(dict.fromkeys(cells["column"]))
        rows = list(dict.fromkeys(cells["row"]))
        x = alt.X(
            "column:N",
            sort=columns,
            title=None,
            axis=alt.Axis(orient="top", labelAngle=0, domain=False, ticks=False),
        )
        y = alt.Y("row:N", sort=rows, title=attribute_title(by), axis=alt.Axis(labelLimit=220))
        base = alt.Chart(cells).encode(x=x, y=y)
        squares = base.mark_rect(stroke="white", strokeWidth=2).encode(
            color=alt.Color("colour:N", scale=None, legend=None),
            tooltip=[
                alt.Tooltip("group:N", title=attribute_title(by)),
                alt.Tooltip("title:N", title=_("For")),
                alt.Tooltip("n:Q", title=_("Respondents")),
                alt.Tooltip("median:Q", title=_("Median")),
                alt.Tooltip("band:N", title=_("Band")),
            ],
        )
        labels = base.mark_text(fontSize=12).encode(
            text="label:N",
            color=alt.Color("ink:N", scale=None, legend=None),
        )
        return alt.layer(squares, labels).properties(
            width=CELL_WIDTH * len(columns),
            height=CELL_HEIGHT * len(rows),
            title=alt.Title(title, fontSize=13, anchor="start", frame="bounds"),
        )


def cell_rows(instrument: Instrument, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """One cell per shown group and section; suppressed groups are left out entirely."""
    shown = frame[~frame["suppressed"].astype(bool)]
    sizes: dict[str, int] = {}
    for record in shown.to_dict("records"):
        if not missing(record["n"]):
            group = str(record["group"])
            sizes[group] = max(sizes.get(group, 0), int(record["n"]))
    order = [s.id for s in instrument.scored_sections] + [AGGREGATE]
    rows = []
    for record in sorted(shown.to_dict("records"), key=lambda r: order.index(str(r["section"]))):
        section = str(record["section"])
        group = str(record["group"])
        title = (
            instrument.aggregate_title
            if section == AGGREGATE
            else (instrument.section(section).title)
        )
        rank = position_of(instrument, section, record["band"])
        run = bands_of(instrument, section)
        colour = band_colours(run)[rank] if rank >= 0 else NO_BAND
        rows.append(
            {
                "group": group,
                "row": f"{group} ({sizes.get(group, 0)})",
                "section": section,
                "column": _("Overall") if section == AGGREGATE else section,
                "title": title,
                "n": None if missing(record["n"]) else int(record["n"]),
                "median": None if missing(record["median"]) else float(record["median"]),
                "label": number(record["median"]),
                "band": record["band"] if isinstance(record["band"], str) else "",
                "colour": colour,
                "ink": ink_on(colour),
            }
        )
    return rows
