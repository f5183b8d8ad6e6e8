"""Importance against performance: how significant partners rate each section, by its score.

The dashed lines sit at the mean significance and the mean score of the sections drawn,
which is where the analysis divides its quadrants when the sections share one weighting
scale and one range of scores (as the ODPM tool's do).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pat_framework.analysis.priorities import CONCENTRATE, KEEP_UP, LESS_PRESSING, LOW_PRIORITY
from pat_framework.catalogue import N_, _
from pat_framework.charts import NothingToDraw, small_frame
from pat_framework.charts.common import Worded, section_word, worded
from pat_framework.charts.style import INK, MUTED, NO_BAND, PAGE_WIDTH, ramp
from pat_framework.model import Instrument, Scale
from pat_framework.render.text import missing, number

if TYPE_CHECKING:
    import pandas as pd

    from pat_framework.analysis import Analysis

HEIGHT = 400
#: Quadrant -> colour: red where to act first, green where all is well (the bands' ramp).
QUADRANT_COLOURS = dict(
    zip([CONCENTRATE, LOW_PRIORITY, LESS_PRESSING, KEEP_UP], ramp(4), strict=True)
)


def weighting_scale(instrument: Instrument) -> Scale | None:
    """The scale of the items that weight scored sections (`target`), if any."""
    scored = {s.id for s in instrument.scored_sections}
    for item in instrument.items:
        if item.target in scored:
            return item.scale
    return None


class Priorities(Worded):
    """Significance weight (importance) against group median (performance) per section."""

    name = "priorities"
    title = N_("Priorities")
    template = N_(
        "Each point is one {section}: across, its median score; up, how significant "
        "partners rate it at present. {Sections} in the top left are rated more significant "
        "than most but score lower than most: concentrate there first. Those in the top "
        "right matter and score higher. The number in brackets is the {section}'s place in "
        "the ranking by priority that orders the action plan."
    )
    description = worded(template, "section")

    def applies(self, instrument: Instrument) -> bool:
        return weighting_scale(instrument) is not None

    def build(self, analysis: Analysis) -> Any:
        import altair as alt

        instrument = analysis.instrument
        scale = weighting_scale(instrument)
        if scale is None or analysis.priorities is None or analysis.priorities.empty:
            raise NothingToDraw("no significance weights were given")
        points = small_frame(priority_rows(analysis.priorities), self.name)
        if points.empty:
            raise NothingToDraw("no section has both a weight and a score")
        scores = [b for s in instrument.scored_sections for b in s.bands]
        low = min((b.min for b in scores), default=float(points["score"].min()))
        high = max((b.max for b in scores), default=float(points["score"].max()))
        word = section_word(instrument, plural=True)
        cut_x, cut_y = float(points["score"].mean()), float(points["significance"].mean())
        x = alt.X(
            "score:Q",
            scale=alt.Scale(domain=[low, high], nice=False, zero=False),
            title=_("Group median score (performance)"),
        )
        y = alt.Y(
            "significance:Q",
            scale=alt.Scale(domain=[scale.low, scale.high], nice=False, zero=False),
            title=_("Mean significance weight (importance)"),
        )
        base = alt.Chart(points)
        rank = {quadrant: k for k, quadrant in enumerate(QUADRANT_COLOURS)}
        shown = sorted(set(points["quadrant"]), key=lambda q: (rank.get(q, len(rank)), q))
        dots = base.mark_circle(size=160, opacity=1, stroke=INK, strokeWidth=1).encode(
            x=x,
            y=y,
            color=alt.Color(
                "reading:N",
                scale=alt.Scale(
                    domain=[_(q) for q in shown],
                    range=[QUADRANT_COLOURS.get(q, NO_BAND) for q in shown],
                ),
                legend=alt.Legend(title=_("Reading"), orient="bottom", direction="horizontal"),
            ),
            tooltip=[
                alt.Tooltip("title:N", title=section_word(instrument).capitalize()),
                alt.Tooltip("score:Q", title=_("Median score")),
                alt.Tooltip("significance:Q", title=_("Mean weight"), format=".2f"),
                alt.Tooltip("reading:N", title=_("Reading")),
                alt.Tooltip("rank:Q", title=_("Priority")),
            ],
        )
        names = base.mark_text(align="left", dx=10, fontSize=12, fontWeight="bold").encode(
            x=x, y=y, text="label:N"
        )
        rules = [
            alt.Chart().mark_rule(color=MUTED, strokeDash=[4, 4]).encode(x=alt.datum(cut_x)),
            alt.Chart().mark_rule(color=MUTED, strokeDash=[4, 4]).encode(y=alt.datum(cut_y)),
        ]
        corners = small_frame(corner_rows(low, high, scale.low, scale.high), self.name)
        captions = [
            alt.Chart(corners)
            .transform_filter(alt.datum.align == side)
            .mark_text(align=side, fontSize=11, fontStyle="italic", color=MUTED)
            .encode(x="x:Q", y="y:Q", text="text:N")
            for side in ("left", "right")
        ]
        return alt.layer(*rules, *captions, dots, names).properties(
            width=PAGE_WIDTH - 120,
            height=HEIGHT,
            title=alt.Title(
                _("Which %(sections)s to work on first") % {"sections": word},
                subtitle=(
                    _(
                        "Each point is a %(section)s. The dashed lines mark the average score "
                        "(%(score)s)\nand the average significance (%(weight)s) of the "
                        "%(sections)s."
                    )
                    % {
                        "section": section_word(instrument),
                        "score": number(cut_x),
                        "weight": number(cut_y, 2),
                        "sections": word,
                    }
                ).split("\n"),
            ),
        )


def priority_rows(priorities: pd.DataFrame) -> list[dict[str, Any]]:
    """One point per section with both a weight and a score."""
    rows = []
    for record in priorities.to_dict("records"):
        if missing(record["score"]) or missing(record["significance"]):
            continue
        rank = None if missing(record.get("rank")) else int(record["rank"])
        rows.append(
            {
                "section": str(record["section"]),
                "title": str(record["title"]),
                "score": float(record["score"]),
                "significance": round(float(record["significance"]), 4),
                "quadrant": str(record["quadrant"]),
                "reading": _(str(record["quadrant"])),
                "rank": rank,
                # The rank is the action plan's, so the chart names the same order.
                "label": str(record["section"]) + (f" ({rank})" if rank else ""),
            }
        )
    return rows


def corner_rows(x0: float, x1: float, y0: float, y1: float) -> list[dict[str, Any]]:
    """The analysis's name for each quadrant, in its corner of the chart."""
    pad_x, pad_y = (x1 - x0) * 0.01, (y1 - y0) * 0.03
    return [
        {"x": x0 + pad_x, "y": y1 - pad_y, "align": "left", "text": _(CONCENTRATE)},
        {"x": x1 - pad_x, "y": y1 - pad_y, "align": "right", "text": _(KEEP_UP)},
        {"x": x0 + pad_x, "y": y0 + pad_y, "align": "left", "text": _(LOW_PRIORITY)},
        {"x": x1 - pad_x, "y": y0 + pad_y, "align": "right", "text": _(LESS_PRESSING)},
    ]
