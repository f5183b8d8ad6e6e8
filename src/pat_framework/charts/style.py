"""The look shared by every chart: the band palette, fonts and sizes for an A4 page."""

from __future__ import annotations

from typing import Any

#: Width in pixels of a chart that fills an A4 page's text column.
PAGE_WIDTH = 640
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
INK = "#222222"
MUTED = "#666666"
EMPTY = "#f2f2f2"
NO_BAND = "#bdbdbd"

#: ColorBrewer RdYlBu, lowest band first: red for the worst, blue for the best (three bands
#: skip the pale yellow, which vanishes on white). These sequences stay distinguishable for
#: the common forms of colour blindness.
_RDYLBU = {
    1: ["#2c7bb6"],
    2: ["#d7191c", "#2c7bb6"],
    3: ["#d7191c", "#fdae61", "#2c7bb6"],
    4: ["#d7191c", "#fdae61", "#abd9e9", "#2c7bb6"],
    5: ["#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6"],
    6: ["#d73027", "#fc8d59", "#fee090", "#e0f3f8", "#91bfdb", "#4575b4"],
    7: ["#d73027", "#fc8d59", "#fee090", "#ffffbf", "#e0f3f8", "#91bfdb", "#4575b4"],
}


def ramp(count: int) -> list[str]:
    """`count` colours from worst (red) to best (blue); grey repeats beyond seven."""
    if count <= 0:
        return []
    return _RDYLBU.get(count, _RDYLBU[7] + [NO_BAND] * (count - 7))


def answer_colours(count: int) -> list[str]:
    """Colours for a scale's answers, lowest value first (the same ramp as the bands)."""
    return ramp(count)


def wrap(text: str, width: int) -> str:
    """Text broken into lines of at most `width` characters (for mark_text lineBreak)."""
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def clip_lines(text: str, width: int, lines: int) -> str:
    """Text wrapped into at most `lines` lines of `width` characters, cut with an ellipsis."""
    import textwrap

    return "\n".join(textwrap.wrap(text, width, max_lines=lines, placeholder=" …"))


#: Vega-Lite config applied to every chart on export (plugin charts included).
CONFIG: dict[str, Any] = {
    "font": FONT,
    "background": "white",
    "padding": 12,
    "view": {"stroke": None},
    "title": {
        "fontSize": 16,
        "fontWeight": "bold",
        "color": INK,
        "anchor": "start",
        "subtitleFontSize": 12,
        "subtitleColor": MUTED,
        "offset": 12,
    },
    "axis": {
        "labelFontSize": 11,
        "titleFontSize": 12,
        "titleColor": INK,
        "labelColor": INK,
        "titleFontWeight": "normal",
        "gridColor": "#e6e6e6",
    },
    "legend": {
        "labelFontSize": 11,
        "titleFontSize": 12,
        "titleFontWeight": "bold",
        "labelLimit": 320,
        "symbolType": "square",
    },
    "header": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": INK},
    "text": {"fontSize": 11, "color": INK},
    "concat": {"spacing": 18},
}


def configured(spec: dict[str, Any]) -> dict[str, Any]:
    """A vega-lite spec with the shared config underneath its own settings."""
    merged = _merge(CONFIG, spec.get("config", {}))
    return {**spec, "config": merged}


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out
