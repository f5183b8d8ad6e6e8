"""Exporting charts: PNG, SVG, vega-lite JSON and offline HTML, and `pat chart`."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
from chart_support import SCRIPT
from conftest import ODPM_SAMPLE, PatCli

from pat_framework.charts.export import inline_svg, to_html, to_json, to_png, to_svg
from pat_framework.charts.style import FONT
from pat_framework.errors import PatError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def bars() -> alt.Chart:
    frame = pd.DataFrame({"group": [SCRIPT, "Council"], "median": [12, 18]})
    return alt.Chart(frame).mark_bar().encode(x="group:N", y="median:Q")


def test_png_is_a_png_image(bars: alt.Chart) -> None:
    data = to_png(bars)
    assert data.startswith(PNG_MAGIC)
    width = int.from_bytes(data[16:20], "big")
    assert width > 100  # drawn at twice the chart's size


def test_svg_is_an_svg_document_with_the_marks_drawn(bars: alt.Chart) -> None:
    root = ET.fromstring(to_svg(bars))
    assert root.tag == f"{SVG}svg"
    groups = [g for g in root.iter(f"{SVG}g") if "mark-rect" in (g.get("class") or "")]
    assert groups and len(list(groups[0].iter(f"{SVG}path"))) == 2
    assert SCRIPT not in to_svg(bars)  # the label is XML-escaped text


def test_json_is_the_vega_lite_spec_with_the_shared_look(bars: alt.Chart) -> None:
    spec = json.loads(to_json(bars))
    assert "vega-lite" in spec["$schema"]
    assert spec["config"]["font"] == FONT
    assert spec["mark"] == {"type": "bar"}
    assert [row["median"] for row in next(iter(spec["datasets"].values()))] == [12, 18]


def test_html_bundles_the_javascript_and_cannot_be_broken_out_of(bars: alt.Chart) -> None:
    page = to_html(bars)
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "vegaEmbed" in page
    assert 'src="http' not in page and "<link" not in page
    # the label's </script> is written as a JavaScript escape, not as a closing tag
    assert SCRIPT not in page
    assert "\\u003cscript>alert(1)\\u003c/script>" in page
    assert page.count("<script") == page.count("</script>")


def test_inline_svg_makes_ids_unique_for_one_page() -> None:
    svg = '<svg><clipPath id="clip1"><rect/></clipPath><g clip-path="url(#clip1)"/></svg>'
    assert inline_svg(svg, "c3") == (
        '<svg><clipPath id="c3-clip1"><rect/></clipPath><g clip-path="url(#c3-clip1)"/></svg>'
    )


def test_unknown_suffix_is_refused(bars: alt.Chart) -> None:
    from pat_framework.charts.export import export

    with pytest.raises(PatError, match=r"\.png, \.svg, \.json, \.html"):
        export(bars, ".gif")


@pytest.mark.parametrize(
    ("suffix", "check"),
    [
        (".png", lambda p: p.read_bytes().startswith(PNG_MAGIC)),
        (".svg", lambda p: ET.parse(p).getroot().tag == f"{SVG}svg"),
        (".json", lambda p: "vega-lite" in json.loads(p.read_text())["$schema"]),
        (".html", lambda p: "vegaEmbed" in p.read_text()),
    ],
)
def test_pat_chart_picks_the_format_from_the_suffix(
    pat_cli: PatCli, tmp_path: Path, suffix: str, check: Callable[[Path], bool]
) -> None:
    out = tmp_path / f"dartboard{suffix}"
    result = pat_cli("chart", "pat-odpm", str(ODPM_SAMPLE), "--kind", "dartboard", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert check(out)


def test_pat_chart_subgroups_by_organisation(pat_cli: PatCli, tmp_path: Path) -> None:
    out = tmp_path / "groups.json"
    args = ["chart", "pat-odpm", str(ODPM_SAMPLE), "--kind", "subgroups", "-o", str(out)]
    result = pat_cli(*args, "--by", "organisation")
    assert result.exit_code == 0, result.output
    assert "Anytown Health Trust (6)" in out.read_text()
    result = pat_cli(*args)
    assert result.exit_code == 1
    assert "give --by COLUMN" in result.output


def test_pat_chart_for_one_respondent(pat_cli: PatCli, tmp_path: Path) -> None:
    out = tmp_path / "r01.json"
    base = ["chart", "pat-odpm", str(ODPM_SAMPLE), "--respondent", "R01", "-o", str(out)]
    result = pat_cli(*base, "--kind", "dartboard")
    assert result.exit_code == 0, result.output
    assert "respondent R01" in out.read_text()
    result = pat_cli(*base, "--kind", "spread")
    assert result.exit_code == 2
    assert "cannot be drawn for one respondent" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "pie", "-o", "x.png"], "no chart 'pie'"),
        (["--kind", "dartboard", "-o", "x.gif"], "'.gif' is not a chart format"),
    ],
)
def test_pat_chart_usage_errors(
    pat_cli: PatCli, tmp_path: Path, args: list[str], message: str
) -> None:
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    result = pat_cli("chart", "pat-odpm", str(ODPM_SAMPLE), *args)
    assert result.exit_code == 2
    assert message in result.output
    assert not list(tmp_path.iterdir())


def test_charts_drawn_ahead_are_the_images_the_formats_get(
    bars: alt.Chart, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pat_framework.charts import export

    monkeypatch.setattr(export.os, "cpu_count", lambda: 2)
    specs = [bars.properties(title=f"Chart {k}").to_dict() for k in range(3)]
    export._svg.cache_clear()
    export.draw_ahead(specs, [".json"])  # a format that draws no image: nothing drawn
    assert export._svg.cache_info().currsize == 0
    export.draw_ahead([*specs, specs[0]], [".html"])  # each drawn once, on both cores
    assert export._svg.cache_info().currsize == 3
    drawn = [to_svg(spec) for spec in specs]
    info = export._svg.cache_info()
    assert info.currsize == 3 and info.hits >= 3  # the formats get what was drawn ahead
    assert drawn[1] == export._svg.__wrapped__(export._key(export.chart_spec(specs[1])))
