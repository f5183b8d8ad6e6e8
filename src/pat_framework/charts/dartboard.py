"""The dartboard: one segment per scored section, rings for its bands, worst at the centre."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, cast

from pat_framework.analysis.rows import count_at, section_rows
from pat_framework.bands import ordered
from pat_framework.catalogue import N_, _, ngettext
from pat_framework.charts import NothingToDraw, small_frame
from pat_framework.charts.common import (
    Worded,
    band_names,
    respondents,
    section_label,
    section_word,
    worded,
)
from pat_framework.charts.style import EMPTY, INK, PAGE_WIDTH, band_colours, ramp, wrap
from pat_framework.errors import PatError
from pat_framework.model import Instrument
from pat_framework.render.text import missing, number

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis

HOLE = 26
OUTER = 196
HEIGHT = 540
LABEL_GAP = 10
LINE_HEIGHT = 14
CHAR_WIDTH = 7
LABEL_WIDTH = 24
NOT_REACHED = N_("not reached")


class Dartboard(Worded):
    """Rings up to the band reached by each section's group median (or one respondent)."""

    name = "dartboard"
    title = N_("Dartboard")
    template = N_(
        "One segment for each {section} and one ring for each band, with the lowest band "
        "at the centre. A segment is shaded from the centre out to the band its median "
        "score reaches, in that band's colour (red lowest, green highest), and its label "
        "gives the score and band: the more of the board is shaded, the healthier the "
        "partnership looks."
    )
    description = worded(template, "section")

    def __init__(self, respondent: str | None = None) -> None:
        self.respondent = respondent

    def applies(self, instrument: Instrument) -> bool:
        scored = instrument.scored_sections
        return len(scored) >= 3 and all(s.bands for s in scored)

    def for_respondent(self, respondent: str) -> Dartboard:
        """The same dartboard drawn for one respondent's scores."""
        return Dartboard(respondent)

    def build(self, analysis: Analysis) -> Any:
        import altair as alt

        instrument = analysis.instrument
        if not self.applies(instrument):
            raise NothingToDraw("a dartboard needs at least three scored sections with bands")
        reached = self._reached(analysis)
        rings = small_frame(ring_rows(instrument, reached), self.name)
        labels = small_frame(label_rows(instrument, reached), self.name)
        names = band_names(instrument.scored_sections)
        first = ordered(instrument.scored_sections[0].bands)
        shared = names == [b.label for b in first]  # every section has these bands
        colours = band_colours(first) if shared else ramp(len(names))
        domain = [*reversed(names), _(NOT_REACHED)]
        arcs = (
            alt.Chart(rings)
            .mark_arc(stroke="white", strokeWidth=1.5)
            .encode(
                theta=alt.Theta("start:Q", scale=None),
                theta2="end:Q",
                radius=alt.Radius("inner:Q", scale=None),
                radius2="outer:Q",
                color=alt.Color(
                    "shade:N",
                    scale=alt.Scale(domain=domain, range=[*reversed(colours), EMPTY]),
                    legend=alt.Legend(title=_("Band reached"), orient="bottom", columns=5),
                ),
                tooltip=[
                    alt.Tooltip("title:N", title=section_word(instrument).capitalize()),
                    alt.Tooltip("band:N", title=_("Ring")),
                    alt.Tooltip("score:N", title=_("Score")),
                ],
            )
        )
        ring_names = (
            alt.Chart(rings)
            .transform_filter(alt.datum.first)
            .mark_text(fontSize=10, color=INK, align="center", baseline="middle", dy=-1)
            .encode(
                theta=alt.Theta("start:Q", scale=None),
                radius=alt.Radius("middle:Q", scale=None),
                text="band:N",
            )
        )
        text = [
            alt.Chart(labels)
            .transform_filter(alt.datum.align == side)
            .mark_text(align=side, baseline="middle", lineBreak="\n", fontSize=12, color=INK)
            .encode(
                theta=alt.Theta("theta:Q", scale=None),
                radius=alt.Radius("radius:Q", scale=None),
                text="text:N",
            )
            for side in dict.fromkeys(labels["align"])
        ]
        return alt.layer(arcs, ring_names, *text).properties(
            width=PAGE_WIDTH,
            height=HEIGHT,
            title=alt.Title(self._title(instrument), subtitle=self._subtitle(analysis)),
        )

    def _reached(self, analysis: Analysis) -> dict[str, tuple[float | None, int]]:
        """Section id -> (score, band position) for the group median or the respondent."""
        if self.respondent is None:
            frame = analysis.sections
            return {
                str(row.section): (
                    None if missing(row.median) else float(row.median),
                    int(row.band_position),
                )
                for row in section_rows(frame)
            }
        if analysis.individuals is None:
            raise PatError(
                "individual scores are not shown unless asked for: draw one respondent's "
                "dartboard with --respondent"
            )
        interpretation = analysis.interpretation
        totals, bands = interpretation.scores.totals, interpretation.bands
        if self.respondent not in totals.index:
            raise PatError(f"no respondent '{self.respondent}' in the responses")
        reached: dict[str, tuple[float | None, int]] = {}
        for s in interpretation.instrument.scored_sections:
            score = totals.at[self.respondent, s.id]
            place = count_at(bands, self.respondent, s.id)
            reached[s.id] = (None if missing(score) else cast(float, score), place)
        return reached

    def _title(self, instrument: Instrument) -> str:
        word = section_word(instrument)
        if self.respondent:
            return _("How respondent %(respondent)s scores on each %(section)s") % {
                "respondent": self.respondent,
                "section": word,
            }
        return _("How the partnership scores on each %(section)s") % {"section": word}

    def _subtitle(self, analysis: Analysis) -> str:
        if self.respondent:
            return _("Each segment is shaded out to the band this respondent's score reaches.")
        n = respondents(analysis)
        return ngettext(
            "Median scores of %(count)s respondent; shaded out to the band reached.",
            "Median scores of %(count)s respondents; shaded out to the band reached.",
            n,
        ) % {"count": n}


def ring_rows(
    instrument: Instrument, reached: dict[str, tuple[float | None, int]]
) -> list[dict[str, Any]]:
    """One row per section and band: the annular sector's angles, radii and shade."""
    sections = instrument.scored_sections
    names = band_names(sections)
    width = (OUTER - HOLE) / len(names)
    step = 2 * math.pi / len(sections)
    rows = []
    for i, section in enumerate(sections):
        score, position = reached.get(section.id, (None, -1))
        run = sorted(section.bands, key=lambda b: b.min)
        for k, band in enumerate(run):
            rows.append(
                {
                    "section": section.id,
                    "title": section.title,
                    "band": band.label,
                    "ring": k,
                    "start": i * step,
                    "end": (i + 1) * step,
                    "inner": HOLE + k * width,
                    "outer": HOLE + (k + 1) * width,
                    "middle": HOLE + (k + 0.5) * width,
                    "shade": names[position] if 0 <= k <= position else _(NOT_REACHED),
                    "score": number(score),
                    "first": i == 0,
                }
            )
    return rows


def label_rows(
    instrument: Instrument, reached: dict[str, tuple[float | None, int]]
) -> list[dict[str, Any]]:
    """One label per section outside the board: its id, title and score."""
    sections = instrument.scored_sections
    step = 2 * math.pi / len(sections)
    rows = []
    for i, section in enumerate(sections):
        theta = (i + 0.5) * step
        across = math.sin(theta)
        align = "left" if across > 0.2 else "right" if across < -0.2 else "center"
        score, position = reached.get(section.id, (None, -1))
        band = sorted(section.bands, key=lambda b: b.min)[position] if position >= 0 else None
        result = _("score %(score)s") % {"score": number(score)}
        result += " · " + _("band %(band)s") % {"band": band.label} if band else ""
        text = wrap(section_label(section), LABEL_WIDTH) + "\n" + result
        rows.append(
            {
                "section": section.id,
                "theta": theta,
                "radius": clear_radius(theta, align, text),
                "align": align,
                "text": text,
            }
        )
    return rows


def clear_radius(theta: float, align: str, text: str) -> float:
    """How far out a label must sit for its whole block of lines to clear the board."""
    lines = text.split("\n")
    height = len(lines) * LINE_HEIGHT
    width = max(len(line) for line in lines) * CHAR_WIDTH
    radius = OUTER + LABEL_GAP
    while True:
        x, y = radius * math.sin(theta), -radius * math.cos(theta)
        left = {"left": x, "right": x - width, "center": x - width / 2}[align]
        near_x = min(max(0.0, left), left + width)
        near_y = min(max(0.0, y - height / 2), y + height / 2)
        if math.hypot(near_x, near_y) >= OUTER + LABEL_GAP:
            return radius
        radius += 2
