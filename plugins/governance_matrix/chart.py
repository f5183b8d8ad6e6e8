"""The `matrix-balance` chart: good practice present against warning signs, per area."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from governance_matrix.interpreting import rating
from governance_matrix.scoring import GOOD_SHARE, WARNING_SHARE
from pat_framework.catalogue import _
from pat_framework.charts.style import RATING_COLOURS as RATING_COLOURS_
from pat_framework.model import Instrument

if TYPE_CHECKING:
    import pandas as pd

    from pat_framework.analysis import Analysis
    from pat_framework.results import Interpretation

GOOD_LABEL = "Good practice present"
WARNING_LABEL = "Warning signs present"
#: Where each kind's share is written: beside the end of its bar, outside it.
LABEL_PLACES: tuple[tuple[str, Literal["left", "right"], int], ...] = (
    (GOOD_LABEL, "left", 4),
    (WARNING_LABEL, "right", -4),
)
#: Blue and orange: told apart with any colour vision.
KIND_COLOURS = {GOOD_LABEL: "#2166ac", WARNING_LABEL: "#e08214"}
RATING_COLOURS = {label.capitalize(): colour for label, colour in RATING_COLOURS_.items()}
OTHER_COLOUR = "#444444"
#: Bars, area names and ratings together fit an A4 page's text column (about 640 px).
WIDTH = 300


class MatrixBalanceChart:
    """Per area, the mean share of good practice present (right) and of warning signs
    present (left), with the group's median balance and rating."""

    name = "matrix-balance"
    title = "Good practice against warning signs, by area"
    description = "Diverging bars per area: good practice present against warning signs present"

    def applies(self, instrument: Instrument) -> bool:
        return instrument.scorer == "balance"

    def build(self, analysis: Analysis) -> Any:
        import altair as alt

        interpretation = analysis.interpretation
        respondents = len(interpretation.scores.totals)
        shares = balance_frame(interpretation)
        medians = median_frame(interpretation)
        areas = list(medians["area"])
        y = alt.Y("area:N", sort=areas, title=None, axis=alt.Axis(labelLimit=240))
        x_scale = alt.Scale(domain=[-100, 100])
        colour = alt.Color(
            "kind:N",
            scale=alt.Scale(domain=list(KIND_COLOURS), range=list(KIND_COLOURS.values())),
            legend=alt.Legend(title=None, orient="bottom"),
        )
        base = alt.Chart(shares)
        bars = base.mark_bar(height=22).encode(
            x=alt.X(
                "signed:Q",
                scale=x_scale,
                title="← warning signs present (%) · good practice present (%) →",
                axis=alt.Axis(labelExpr="abs(datum.value)", values=list(range(-100, 101, 25))),
            ),
            y=y,
            color=colour,
            tooltip=[
                alt.Tooltip("area:N", title="Area"),
                alt.Tooltip("kind:N", title="Features"),
                alt.Tooltip("share:Q", title="Mean share (%)", format=".0f"),
                alt.Tooltip("respondents:Q", title=_("Respondents")),
            ],
        )
        labels = [
            base.transform_filter(alt.datum.kind == kind)
            .mark_text(fontSize=11, align=align, dx=dx, color="#222222")
            .encode(
                x=alt.X("signed:Q", scale=x_scale), y=y, text=alt.Text("share:Q", format=".0f")
            )
            for kind, align, dx in LABEL_PLACES
        ]
        zero = alt.Chart(medians).mark_rule(color="#222222").encode(x=alt.datum(0))
        ticks = (
            alt.Chart(medians)
            .mark_tick(color="#000000", thickness=3, size=30)
            .encode(
                x=alt.X("median:Q", scale=x_scale),
                y=y,
                tooltip=[
                    alt.Tooltip("area:N", title="Area"),
                    alt.Tooltip("median:Q", title="Median balance", format=".1f"),
                    alt.Tooltip("rating:N", title="Rating"),
                ],
            )
        )
        plot = alt.layer(bars, *labels, zero, ticks).properties(
            width=WIDTH, height=60 * len(areas)
        )
        verdict = (
            alt.Chart(medians)
            .mark_text(align="left", fontSize=12, fontWeight="bold")
            .encode(
                x=alt.value(4),
                y=alt.Y("area:N", sort=areas, axis=None),
                text="verdict:N",
                color=alt.Color(
                    "rating:N",
                    scale=alt.Scale(
                        domain=[*RATING_COLOURS, "–"],
                        range=[*RATING_COLOURS.values(), OTHER_COLOUR],
                    ),
                    legend=None,
                ),
            )
            .properties(width=100, height=60 * len(areas), title="Group rating")
        )
        return (
            alt.hconcat(plot, verdict, spacing=8)
            .resolve_scale(color="independent")
            .configure_view(stroke=None)
            .properties(
                title=alt.Title(
                    self.title,
                    subtitle=(
                        f"Mean share of features present across {respondents} respondent(s);"
                        " black tick: the group's median balance"
                    ),
                    anchor="start",
                )
            )
        )


def balance_frame(interpretation: Interpretation) -> pd.DataFrame:
    """One row per area and kind: the mean share present, signed (warning signs negative)."""
    import pandas as pd

    extra = interpretation.scores.extra
    rows = []
    for section in interpretation.instrument.scored_sections:
        for label, name, sign in ((GOOD_LABEL, GOOD_SHARE, 1), (WARNING_LABEL, WARNING_SHARE, -1)):
            column = extra[name][section.id]
            share = float(column.mean()) if column.notna().any() else 0.0
            rows.append(
                {
                    "area": section.title,
                    "kind": label,
                    "share": share,
                    "signed": sign * share,
                    "respondents": int(column.notna().sum()),
                }
            )
    return pd.DataFrame(rows)


def median_frame(interpretation: Interpretation) -> pd.DataFrame:
    """One row per area: the group's median balance, its rating, and the two as a label."""
    import pandas as pd

    group = interpretation.group
    rows = []
    for section in interpretation.instrument.scored_sections:
        median = group.section_medians[section.id]
        label = rating(group.section_bands[section.id])
        verdict = f"{label} ({median:+.0f})" if median is not None else "no rating"
        rows.append({"area": section.title, "median": median, "rating": label, "verdict": verdict})
    return pd.DataFrame(rows)
