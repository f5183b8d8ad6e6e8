"""Every chart a report draws is valid vega-lite, checked here once: reports skip altair's
schema check on every render (it cost a third of the demo's time)."""

from __future__ import annotations

import copy

from conftest import EXAMPLES

from pat_framework.charts.export import chart_spec, to_png
from pat_framework.reports.office import section_chart
from pat_framework.runtime.registry import Registry
from pat_framework.workshop import load_workshop
from pat_framework.workshop.run import run_workshop


def test_every_chart_of_the_demo_is_valid_vega_lite(registry: Registry) -> None:
    workshop = load_workshop(EXAMPLES / "workshop" / "anytown.toml")
    result = run_workshop(registry, workshop, detail="full")
    drawn = [c for report in result.parts for c in report.charts]
    drawn += [
        found
        for report in result.parts
        for section in report.analysis.instrument.scored_sections
        if (found := section_chart(report, section)) is not None
    ]
    assert len({c.name for c in drawn}) >= 6
    for chart in drawn:
        checked = chart.chart.to_dict(validate=True)  # raises on a schema error
        assert chart_spec(checked) == chart.spec, chart.name


def test_a_chart_drawn_twice_is_rendered_once_and_identical() -> None:
    spec = {"data": {"values": [{"a": 1}, {"a": 2}]}, "mark": "bar",
            "encoding": {"x": {"field": "a", "type": "ordinal"}}}  # fmt: skip
    first = to_png(spec)
    again = to_png(copy.deepcopy(spec))  # another report's equal chart
    assert again is first  # the second format reuses the first one's image
    assert to_png(spec, scale=1.0) != first
