"""Spread of answers per statement: diverging stacked bars, grouped by section."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pat_framework.catalogue import N_, _
from pat_framework.charts import NothingToDraw, small_frame
from pat_framework.charts.common import section_label, section_word
from pat_framework.charts.style import INK, answer_colours, clip_lines
from pat_framework.model import Instrument, Scale, Section
from pat_framework.render.text import format_number, missing

if TYPE_CHECKING:
    import pandas as pd

    from pat_framework.analysis import Analysis

BAR_WIDTH = 260
ROW_HEIGHT = 30
LABEL_CHARS = 46
LABEL_LINES = 2
LABEL_SPACE = 290
#: The kind of finding that marks a statement as divided, and the mark drawn.
DIVIDED = "disagreement"
DIVIDED_MARK = N_("divided")
DIVIDED_COLOUR = "#b2182b"


#: At most this many statements in one panel: a longer section is drawn in several, so
#: that a printed report can put each on a page.
PANEL_ROWS = 20


def _count(bars: pd.DataFrame, section_id: str) -> int:
    rows = bars["label"][bars["section"] == section_id].nunique()
    return -(-rows // PANEL_ROWS)


def _chunks(instrument: Instrument, bars: pd.DataFrame) -> list[tuple[Section, list[str], int]]:
    """(section, its statements' labels, chunk number) for each panel, at most PANEL_ROWS
    statements each."""
    found = []
    for section in instrument.scored_sections:
        order = list(bars["label"][bars["section"] == section.id].unique())
        for k in range(0, len(order), PANEL_ROWS):
            found.append((section, order[k : k + PANEL_ROWS], k // PANEL_ROWS))
    return found


def shared_scale(instrument: Instrument) -> Scale | None:
    """The one answer scale of every scored item, or None when they differ."""
    scales = {item.scale for s in instrument.scored_sections for item in s.items}
    if len(scales) != 1:
        return None
    scale = scales.pop()
    return scale if len(scale.scoring) >= 2 else None


class Spread:
    """How many respondents gave each answer to each statement, disagreement left."""

    name = "spread"
    title = N_("Spread of answers")
    description = N_(
        "One bar per statement. The part left of the centre line is the share of "
        "respondents who disagreed, the part right of it the share who agreed; darker "
        "colours are the stronger answers. A statement marked 'divided' is one on which "
        "partners disagree with each other, a subject for the feedback workshop."
    )

    def applies(self, instrument: Instrument) -> bool:
        return shared_scale(instrument) is not None

    def build(self, analysis: Analysis) -> Any:
        import altair as alt

        instrument = analysis.instrument
        scale = shared_scale(instrument)
        if scale is None:
            raise NothingToDraw("the spread chart needs one answer scale for every statement")
        bars = small_frame(spread_rows(instrument, analysis.items), self.name)
        if bars.empty:
            raise NothingToDraw("no statement has any answers")
        splits = small_frame(divided_rows(analysis), self.name)
        options = sorted(scale.scoring, key=lambda o: o.score)
        colour = alt.Color(
            "answer:N",
            scale=alt.Scale(domain=[o.label for o in options], range=answer_colours(len(options))),
            legend=alt.Legend(title=_("Answer"), orient="top", direction="horizontal"),
        )
        panels = []
        shown = [s for s in bars["section"].unique()]
        for section, order, chunk in _chunks(instrument, bars):
            y = alt.Y(
                "label:N",
                sort=order,
                title=None,
                axis=alt.Axis(
                    labelExpr="split(datum.label, '\\n')",
                    labelLimit=LABEL_SPACE,
                    minExtent=LABEL_SPACE,
                    maxExtent=LABEL_SPACE,
                    labelFontSize=11,
                    domain=False,
                    ticks=False,
                ),
            )
            last = section.id == shown[-1] and chunk == _count(bars, section.id) - 1
            mine = alt.FieldEqualPredicate(field="section", equal=section.id) & (
                alt.FieldOneOfPredicate(field="label", oneOf=order)
            )
            base = alt.Chart(bars).transform_filter(mine)
            stacked = base.mark_bar(height=ROW_HEIGHT - 6).encode(
                x=alt.X(
                    "start:Q",
                    scale=alt.Scale(domain=[-100, 100]),
                    axis=alt.Axis(
                        title=_("Share of answers (%%): ← %(lowest)s | %(highest)s →")
                        % {"lowest": options[0].label, "highest": options[-1].label}
                        if last
                        else None,
                        values=[-100, -50, 0, 50, 100],
                        labelExpr="abs(datum.value)",
                        labels=last,
                        ticks=last,
                    ),
                ),
                x2="end:Q",
                y=y,
                color=colour,
                tooltip=[
                    alt.Tooltip("statement:N", title=_("Statement")),
                    alt.Tooltip("answer:N", title=_("Answer")),
                    alt.Tooltip("count:Q", title=_("Respondents")),
                    alt.Tooltip("share:Q", title=_("Share (%)"), format=".0f"),
                ],
            )
            centre = alt.Chart().mark_rule(color=INK, strokeWidth=1).encode(x=alt.datum(0))
            marks = (
                alt.Chart(splits)
                .transform_filter(mine)
                .mark_text(
                    align="left", dx=4, fontSize=11, fontWeight="bold", color=DIVIDED_COLOUR
                )
                .encode(y=y, x=alt.datum(100), text="mark:N")
            )
            panels.append(
                alt.layer(stacked, centre, marks).properties(
                    width=BAR_WIDTH,
                    height=ROW_HEIGHT * len(order),
                    title=alt.Title(
                        section_label(section) + (" " + _("(continued)") if chunk else ""),
                        fontSize=13,
                        anchor="start",
                        frame="bounds",
                    ),
                )
            )
        word = section_word(instrument)
        return (
            alt.vconcat(*panels)
            .resolve_scale(y="independent")
            .properties(
                title=alt.Title(
                    _("How respondents answered each statement"),
                    subtitle=_(
                        "Grouped by %(section)s; 'divided' marks statements on which partners "
                        "disagree with each other."
                    )
                    % {"section": word},
                )
            )
        )


def statement_label(item_id: str, text: str) -> str:
    """The statement's id and text in two short lines, for the axis."""
    return clip_lines(f"{item_id}  {text}", LABEL_CHARS, LABEL_LINES)


def count_column(value: float) -> str:
    return f"count_{format_number(value)}"


def spread_rows(instrument: Instrument, items: pd.DataFrame) -> list[dict[str, Any]]:
    """One row per statement and answer: its count, share and place on the diverging axis.

    Answers below the scale's midpoint stack leftwards from zero, those above rightwards,
    the answer nearest the midpoint innermost; an answer on the midpoint straddles zero.
    """
    scored = {s.id for s in instrument.scored_sections}
    rows: list[dict[str, Any]] = []
    for record in items.to_dict("records"):
        if record["section"] not in scored:
            continue
        item = instrument.item(str(record["item"]))
        options = sorted(item.scale.scoring, key=lambda o: o.score)
        counts = [record.get(count_column(o.score), 0) for o in options]
        counts = [0 if missing(c) else int(c) for c in counts]
        total = sum(counts)
        if total == 0:
            continue
        shares = [100 * c / total for c in counts]
        mid = item.scale.midpoint
        centre = sum(s for o, s in zip(options, shares, strict=True) if o.score == mid) / 2
        left, right = -centre, centre
        placed: dict[str, tuple[float, float]] = {}
        below = [(o, s) for o, s in zip(options, shares, strict=True) if o.score < mid]
        above = [(o, s) for o, s in zip(options, shares, strict=True) if o.score > mid]
        for option, share in reversed(below):
            placed[option.label] = (left - share, left)
            left -= share
        for option, share in above:
            placed[option.label] = (right, right + share)
            right += share
        for option in options:
            if option.value == mid:
                placed[option.label] = (-centre, centre)
        label = statement_label(item.id, item.text)
        for option, count, share in zip(options, counts, shares, strict=True):
            if count == 0:
                continue
            start, end = placed[option.label]
            rows.append(
                {
                    "section": item.section_id,
                    "item": item.id,
                    "label": label,
                    "statement": item.text,
                    "answer": option.label,
                    "count": count,
                    "share": round(share, 2),
                    "start": round(start, 4),
                    "end": round(end, 4),
                }
            )
    return rows


def divided_rows(analysis: Analysis) -> list[dict[str, Any]]:
    """One mark per statement the analysis found partners divided on (a disagreement)."""
    instrument = analysis.instrument
    scored = {s.id for s in instrument.scored_sections}
    rows = []
    for item_id in dict.fromkeys(f.item_id for f in analysis.findings if f.kind == DIVIDED):
        if not item_id:
            continue
        item = instrument.item(item_id)
        if item.section_id in scored:
            rows.append(
                {
                    "section": item.section_id,
                    "item": item.id,
                    "label": statement_label(item.id, item.text),
                    "mark": _(DIVIDED_MARK),
                }
            )
    return rows
