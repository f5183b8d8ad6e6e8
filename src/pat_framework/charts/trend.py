"""Trend: each section's group median across rounds of the assessment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pat_framework.catalogue import N_, _
from pat_framework.charts import NothingToDraw, small_frame
from pat_framework.charts.common import (
    Worded,
    bands_of,
    half_step,
    section_label,
    section_word,
    worded,
)
from pat_framework.charts.style import INK, band_colours, clip_lines
from pat_framework.model import Instrument
from pat_framework.render.text import missing, number

if TYPE_CHECKING:
    import pandas as pd

    from pat_framework.analysis import Analysis

PANEL_WIDTH = 180
PANEL_HEIGHT = 130
COLUMNS = 3
TITLE_CHARS = 28
BAND_OPACITY = 0.3


class Trend(Worded):
    """Section medians round by round, over the section's bands."""

    name = "trend"
    title = N_("Change between rounds")
    template = N_(
        "One small chart per {section}: the line joins the group's median score at each "
        "round of the assessment, drawn over the bands (red lowest, green highest). A line "
        "climbing into a higher band is an improvement; one falling into red needs attention."
    )
    description = worded(template, "section")

    def applies(self, instrument: Instrument) -> bool:
        scored = instrument.scored_sections
        return bool(scored) and all(s.bands for s in scored)

    def build(self, analysis: Analysis) -> Any:
        import altair as alt

        instrument = analysis.instrument
        if analysis.rounds is None or analysis.rounds.empty:
            raise NothingToDraw("a trend needs answers from at least two rounds")
        points = small_frame(trend_rows(instrument, analysis.rounds), self.name)
        if points.empty:
            raise NothingToDraw("no round has a median score")
        order = list(dict.fromkeys(points["round"]))
        panels = []
        for section in instrument.scored_sections:
            bands = small_frame(_band_rows(instrument, section.id), self.name)
            low, high = float(bands["low"].min()), float(bands["high"].max())
            y = alt.Y(
                "median:Q",
                scale=alt.Scale(domain=[low, high], nice=False, zero=False),
                axis=alt.Axis(
                    title=_("Median"),
                    values=list(bands["tick"]),
                    format=".6~g",
                    labelOverlap="greedy",
                ),
            )
            strips = (
                alt.Chart(bands)
                .mark_rect(opacity=BAND_OPACITY)
                .encode(
                    y=alt.Y("low:Q", scale=alt.Scale(domain=[low, high], nice=False)),
                    y2="high:Q",
                    color=alt.Color("colour:N", scale=None, legend=None),
                )
            )
            mine = alt.Chart(points).transform_filter(alt.datum.section == section.id)
            x = alt.X("round:O", sort=order, title=_("Round"), axis=alt.Axis(labelAngle=0))
            line = mine.mark_line(color=INK, strokeWidth=2).encode(x=x, y=y)
            dots = mine.mark_point(filled=True, size=60, color=INK).encode(
                x=x,
                y=y,
                tooltip=[
                    alt.Tooltip("round:O", title=_("Round")),
                    alt.Tooltip("median:Q", title=_("Median")),
                    alt.Tooltip("n:Q", title=_("Respondents")),
                    alt.Tooltip("band:N", title=_("Band")),
                ],
            )
            values = mine.mark_text(dy=-11, fontSize=11, fontWeight="bold", color=INK).encode(
                x=x, y=y, text="label:N"
            )
            panels.append(
                alt.layer(strips, line, dots, values).properties(
                    width=PANEL_WIDTH,
                    height=PANEL_HEIGHT,
                    title=alt.Title(
                        clip_lines(section_label(section), TITLE_CHARS, 2).split("\n"),
                        fontSize=12,
                        anchor="start",
                    ),
                )
            )
        return alt.concat(*panels, columns=COLUMNS).properties(
            title=alt.Title(
                _("How each %(section)s changed between rounds")
                % {"section": section_word(instrument)},
                subtitle=_("Group median at each round, over the bands."),
            )
        )


def trend_rows(instrument: Instrument, rounds: pd.DataFrame) -> list[dict[str, Any]]:
    """One point per round and scored section with a median."""
    scored = {s.id for s in instrument.scored_sections}
    rows = []
    for record in rounds.to_dict("records"):
        section = str(record["section"])
        if section not in scored or missing(record["median"]):
            continue
        rows.append(
            {
                "round": str(record["round"]),
                "section": section,
                "n": None if missing(record.get("n")) else int(record["n"]),
                "median": float(record["median"]),
                "label": number(record["median"]),
                "band": record.get("band") if isinstance(record.get("band"), str) else "",
            }
        )
    return rows


def _band_rows(instrument: Instrument, section_id: str) -> list[dict[str, Any]]:
    run = bands_of(instrument, section_id)
    pad = half_step(run)
    return [
        {"low": b.min - pad, "high": b.max + pad, "tick": b.min, "colour": colour}
        for b, colour in zip(run, band_colours(run), strict=True)
    ]
