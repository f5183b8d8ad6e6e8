"""The band colours: red, amber and green as people read them, with the contrast WCAG 2.2
asks of graphics and text, and still told apart with the common colour blindness."""

from __future__ import annotations

from itertools import combinations

import pytest
from colour_support import ciede2000, difference, hue

from pat_framework.charts.style import (
    AMBER,
    GREEN,
    RED,
    band_colours,
    contrast,
    ink_on,
    ramp,
)
from pat_framework.model import Band
from pat_framework.reports.html import STYLE

VISIONS = ("normal", "deuteranopia", "protanopia")


def test_the_colour_maths_matches_the_published_values() -> None:
    # Sharma, Wu and Dalal (2005), pairs 1, 7 and 17 of their CIEDE2000 test data.
    assert ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000((50, 0, 0), (50, -1, 2)) == pytest.approx(2.3669, abs=1e-4)
    assert ciede2000((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # WCAG's own grey
    # Simulated deuteranopia makes the classic red and green nearly one colour.
    assert difference("#ff0000", "#00ff00") > 80
    assert difference("#d7191c", "#1a9641", "deuteranopia") < 10


def test_red_amber_and_green_read_as_their_names() -> None:
    assert hue(RED) < 45 or hue(RED) > 350
    assert 50 < hue(AMBER) < 75
    assert 120 < hue(GREEN) < 180, "green, not blue"
    for count in range(2, 8):
        colours = ramp(count)
        assert colours[0] == RED and colours[-1] == GREEN
    assert ramp(3) == [RED, AMBER, GREEN]


@pytest.mark.parametrize("count", range(2, 8))
def test_every_pair_of_band_colours_stays_apart_with_colour_blindness(count: int) -> None:
    # At most four bands (every bundled instrument): far apart (CIEDE2000 15); five to
    # seven: still apart (9; 2.3 is a just noticeable difference).
    least = 15 if count <= 4 else 9
    for one, two in combinations(ramp(count), 2):
        for vision in VISIONS:
            assert difference(one, two, vision) >= least, (count, one, two, vision)


@pytest.mark.parametrize("count", range(1, 6))
def test_band_colours_have_the_contrast_of_graphics_against_white(count: int) -> None:
    for colour in ramp(count):
        assert contrast(colour, "#ffffff") >= 3, (count, colour)


@pytest.mark.parametrize("count", range(1, 8))
def test_labels_on_band_colours_have_the_contrast_of_text(count: int) -> None:
    for colour in ramp(count):
        assert contrast(colour, ink_on(colour)) >= 4.5, colour


def test_rated_bands_take_their_rating_colour_whatever_their_number() -> None:
    rated = [
        Band(0, 1, "Red", rating="red"),
        Band(1, 2, "Amber", rating="amber"),
        Band(2, 3, "Amber+", rating="amber"),
        Band(3, 4, "Green", rating="green"),
    ]
    assert band_colours(rated) == [RED, AMBER, AMBER, GREEN]
    assert band_colours([*rated[:3], Band(3, 4, "Top")]) == ramp(4)


def test_the_report_s_headline_colours_are_the_same_palette() -> None:
    for name, colour in (("fine", GREEN), ("mixed", AMBER), ("concern", RED)):
        assert f"--{name}: {colour};" in STYLE
        assert contrast(colour, "#f7f7f7") >= 3  # the headline box's background
