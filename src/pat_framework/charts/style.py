"""The look shared by every chart: the band palette, fonts and sizes for an A4 page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pat_framework.model import Band

#: Width in pixels of a chart that fills an A4 page's text column.
PAGE_WIDTH = 640
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
INK = "#222222"
MUTED = "#666666"
EMPTY = "#f2f2f2"
NO_BAND = "#bdbdbd"

#: Red, amber and green as people read them, each at least 3:1 against white (WCAG 1.4.11)
#: and far apart (CIEDE2000 at least 15) in normal sight and with deuteranopia or
#: protanopia simulated: the green leans to blue-green, which those forms of colour
#: blindness keep apart from red, and the amber is lighter than both.
RED = "#b2182b"
AMBER = "#c46a00"
GREEN = "#137d5c"
RATING_COLOURS = {"red": RED, "amber": AMBER, "green": GREEN}
#: Band colours, lowest band first: red for the worst, green for the best. Up to five
#: every colour keeps 3:1 against white; all pairs stay apart in simulated colour
#: blindness (tests/test_palette.py measures both). Beyond seven, grey repeats.
_RAMPS = {
    1: [GREEN],
    2: [RED, GREEN],
    3: [RED, AMBER, GREEN],
    4: [RED, AMBER, "#46a66f", GREEN],
    5: [RED, AMBER, "#9f8f59", "#12560a", GREEN],
    6: [RED, AMBER, "#fca612", "#d7d194", "#8f9f6f", GREEN],
    7: [RED, "#fcaf8f", AMBER, "#c69956", "#ebcf5b", "#215811", GREEN],
}
BLACK = "#000000"
WHITE = "#ffffff"


def ramp(count: int) -> list[str]:
    """`count` colours from worst (red) to best (green); grey repeats beyond seven."""
    if count <= 0:
        return []
    return _RAMPS.get(count, _RAMPS[7] + [NO_BAND] * (count - 7))


def band_colours(bands: Sequence[Band]) -> list[str]:
    """Colours for bands in order, lowest first: by their red/amber/green `rating` when
    every band has one, else from the ramp."""
    if bands and all(b.rating in RATING_COLOURS for b in bands):
        return [RATING_COLOURS[b.rating] for b in bands]
    return ramp(len(bands))


def answer_colours(count: int) -> list[str]:
    """Colours for a scale's answers, lowest value first (the same ramp as the bands)."""
    return ramp(count)


def ink_on(fill: str) -> str:
    """Black or white, whichever reads better on `fill` (at least 4.5:1 on the ramps)."""
    return WHITE if contrast(fill, WHITE) >= contrast(fill, BLACK) else BLACK


def luminance(colour: str) -> float:
    """The WCAG relative luminance of '#rrggbb'."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[k : k + 2], 16) / 255) for k in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two '#rrggbb' colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


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
