"""Respondents' totals per section: anonymous dots (or counts) over the bands, with medians."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from pat_framework.analysis.rows import dict_rows
from pat_framework.catalogue import N_, _, ngettext
from pat_framework.charts import NothingToDraw, small_frame
from pat_framework.charts.common import (
    Worded,
    bands_of,
    half_step,
    respondents,
    section_label,
    section_word,
    worded,
)
from pat_framework.charts.style import INK, PAGE_WIDTH, band_colours
from pat_framework.model import Instrument
from pat_framework.render.text import missing, number
from pat_framework.results import AGGREGATE

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis

#: Up to this many respondents each is drawn as a dot; above it, a bar counts them.
DOTS_UP_TO = 60
DOT_STEP = 9
PANEL_HEIGHT = 64
BAND_OPACITY = 0.35


class Totals(Worded):
    """Every respondent's total per section as an anonymous dot, over coloured bands."""

    name = "totals"
    title = N_("Respondents' scores")
    template = N_(
        "Each dot is one respondent's total for one {section} (no names are shown); dots "
        "pile up where several respondents gave the same total. The coloured strips are "
        "the bands, red lowest to green highest, and the black line is the group median. "
        "Dots spread across several bands mean partners see the partnership differently."
    )
    description = worded(template, "section")

    def applies(self, instrument: Instrument) -> bool:
        scored = instrument.scored_sections
        return bool(scored) and all(s.bands for s in scored)

    def build(self, analysis: Analysis) -> Any:
        import altair as alt

        interpretation = analysis.interpretation
        instrument = interpretation.instrument
        if not self.applies(instrument):
            raise NothingToDraw("the totals chart needs bands for every scored section")
        columns = [s.id for s in instrument.scored_sections]
        totals = interpretation.scores.totals
        if instrument.aggregate_bands and totals[AGGREGATE].notna().any():
            columns.append(AGGREGATE)
        counts = small_frame(score_counts(analysis, columns), self.name)
        if counts.empty:
            raise NothingToDraw("no respondent has a score")
        dots = respondents(analysis) <= DOTS_UP_TO
        points = small_frame(dot_rows(dict_rows(counts)) if dots else counts, self.name)
        medians = _medians(analysis)
        panels = [
            self._panel(
                alt, instrument, column, points, medians.get(column), dots, column == columns[-1]
            )
            for column in columns
        ]
        n = respondents(analysis)
        subtitle = (
            ngettext(
                "%(count)s respondent, one dot per respondent; the black line is the group "
                "median.",
                "%(count)s respondents, one dot per respondent; the black line is the group "
                "median.",
                n,
            )
            if dots
            else ngettext(
                "%(count)s respondent, bars count the respondents at each score; the black line "
                "is the group median.",
                "%(count)s respondents, bars count the respondents at each score; the black "
                "line is the group median.",
                n,
            )
        )
        return alt.vconcat(*panels).properties(
            title=alt.Title(
                _("Each respondent's score on each %(section)s")
                % {"section": section_word(instrument)},
                subtitle=subtitle % {"count": n},
            )
        )

    def _panel(
        self,
        alt: Any,
        instrument: Instrument,
        column: str,
        points: Any,
        median: float | None,
        dots: bool,
        last: bool,
    ) -> Any:
        bands = small_frame(band_rows(instrument, column), self.name)
        low, high = float(bands["low"].min()), float(bands["high"].max())
        x = alt.X(
            "score:Q",
            scale=alt.Scale(domain=[low, high], nice=False, zero=False),
            axis=alt.Axis(
                title=_("Score") if last else None,
                values=_ticks(bands),
                format=".6~g",
                labelOverlap="greedy",
            ),
        )
        strips = (
            alt.Chart(bands)
            .mark_rect(opacity=BAND_OPACITY)
            .encode(
                x=alt.X("low:Q", scale=alt.Scale(domain=[low, high], nice=False, zero=False)),
                x2="high:Q",
                color=alt.Color("colour:N", scale=None, legend=None),
                tooltip=[
                    alt.Tooltip("band:N", title=_("Band")),
                    alt.Tooltip("text:N", title=_("Meaning")),
                ],
            )
        )
        names = (
            alt.Chart(bands)
            .mark_text(baseline="top", dy=3, fontSize=10, color=INK)
            .encode(x="centre:Q", y=alt.value(0), text="band:N")
        )
        mine = alt.Chart(points).transform_filter(alt.datum.section == column)
        if dots:
            marks = mine.mark_circle(size=48, opacity=0.85, color=INK).encode(
                x=x,
                y=alt.Y("stack:Q", axis=None, scale=alt.Scale(domain=[0, _depth(points)])),
                tooltip=[alt.Tooltip("score:Q", title=_("Score"))],
            )
        else:
            marks = mine.mark_bar(color=INK, opacity=0.8).encode(
                x=x,
                y=alt.Y("count:Q", axis=alt.Axis(title=_("Respondents"), tickCount=3)),
                tooltip=[
                    alt.Tooltip("score:Q", title=_("Score")),
                    alt.Tooltip("count:Q", title=_("Respondents")),
                ],
            )
        layers = [strips, names, marks]
        if median is not None:
            layers.append(
                alt.Chart().mark_rule(color="black", strokeWidth=2.5).encode(x=alt.datum(median))
            )
        title = (
            instrument.aggregate_title
            if column == AGGREGATE
            else section_label(instrument.section(column))
        )
        return alt.layer(*layers).properties(
            width=PAGE_WIDTH - 60,
            height=_height(points, dots),
            title=alt.Title(
                _("%(title)s: median %(median)s") % {"title": title, "median": number(median)},
                fontSize=13,
                anchor="start",
                frame="bounds",
            ),
        )


def score_counts(analysis: Analysis, columns: list[str]) -> list[dict[str, Any]]:
    """How many respondents reached each total, per section: (section, score, count)."""
    totals = analysis.interpretation.scores.totals
    rows = []
    for column in columns:
        counts = totals[column].dropna().round(1).value_counts().sort_index()
        rows += [
            {"section": column, "score": float(cast(float, score)), "count": int(count)}
            for score, count in counts.items()
        ]
    return rows


def dot_rows(counts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One dot per respondent, stacked upwards at its score (no respondent id kept)."""
    return [
        {"section": row["section"], "score": row["score"], "stack": k + 0.5}
        for row in counts
        for k in range(row["count"])
    ]


def band_rows(instrument: Instrument, column: str) -> list[dict[str, Any]]:
    """The bands of one section as strips that meet (whole scores: half a point wider)."""
    run = bands_of(instrument, column)
    colours = band_colours(run)
    pad = half_step(run)
    return [
        {
            "band": band.label,
            "text": band.text,
            "low": band.min - pad,
            "high": band.max + pad,
            "min": band.min,
            "max": band.max,
            "centre": (band.min + band.max) / 2,
            "colour": colour,
        }
        for band, colour in zip(run, colours, strict=True)
    ]


def _medians(analysis: Analysis) -> dict[str, float | None]:
    medians = {
        str(row["section"]): None if missing(row["median"]) else float(row["median"])
        for row in analysis.sections.to_dict("records")
    }
    medians[AGGREGATE] = analysis.interpretation.group.median_aggregate
    return medians


def _ticks(bands: Any) -> list[float]:
    """The lowest score of each band, and the highest score of all."""
    return [float(v) for v in (*bands["min"], bands["max"].max())]


def _depth(points: Any) -> float:
    return float(points["stack"].max()) + 1.5 if len(points) else 1.0


def _height(points: Any, dots: bool) -> int:
    if not dots:
        return PANEL_HEIGHT
    return max(PANEL_HEIGHT, int(_depth(points) * DOT_STEP) + 16)
