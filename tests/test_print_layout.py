"""The printed report holds together, measured from the PDF Chromium prints: no chart and
no table row is cut across two pages, and the demo workshop keeps to a board's page count.

Each chart image and each table row of the demo report gets two markers, absolutely
placed (so the layout is unchanged) at its top and its bottom edge; the PDF's text says
on which page each marker landed. A chart or row cut across pages has its two markers on
different pages.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from browser_support import browser
from conftest import EXAMPLES

from pat_framework.testing import invoke

WORKSHOP = EXAMPLES / "workshop" / "anytown.toml"
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_ROW = re.compile(r"<tr><td([^>]*)>")


def marked(html: str) -> tuple[str, int, int]:
    """The page with a top and a bottom marker on every chart image (C) and table row (R),
    and how many of each."""
    charts = rows = 0

    def chart(found: re.Match[str]) -> str:
        nonlocal charts
        charts += 1
        return _pair(f"C{charts:03d}", "div", found.group(0))

    def row(found: re.Match[str]) -> str:
        nonlocal rows
        rows += 1
        top, bottom = _marks(f"R{rows:03d}")
        return f'<tr><td{found.group(1)} style="position:relative">{top}{bottom}'

    html = _SVG.sub(chart, html)
    return _ROW.sub(row, html), charts, rows


def _marks(name: str) -> tuple[str, str]:
    style = "position:absolute;left:0;font-size:5px;line-height:1;margin:0"
    return (
        f'<span style="{style};top:0">QQ{name}TOPQQ</span>',
        f'<span style="{style};bottom:0">QQ{name}ENDQQ</span>',
    )


def _pair(name: str, tag: str, inner: str) -> str:
    top, bottom = _marks(name)
    return f'<{tag} style="position:relative">{top}{inner}{bottom}</{tag}>'


def pages_of(pdf: bytes) -> tuple[list[str], dict[str, list[int]]]:
    """Each page's text, and marker → the pages it was found on."""
    from pypdf import PdfReader

    texts = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    found: dict[str, list[int]] = {}
    for k, text in enumerate(texts, 1):
        for name in re.findall(r"QQ([CR]\d{3}(?:TOP|END))QQ", text.replace("\n", "")):
            found.setdefault(name, []).append(k)
    return texts, found


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("detail", "most"), [("standard", 20), ("full", 60)])
def test_no_chart_or_table_row_is_cut_across_pages(tmp_path: Path, detail: str, most: int) -> None:
    from pat_framework.reports.pdf import print_pdf

    browser()
    result = invoke("run", str(WORKSHOP), "-o", str(tmp_path), "-f", "html", "--detail", detail)
    assert result.exit_code == 0, result.output
    html, charts, rows = marked((tmp_path / "anytown-workshop.html").read_text("utf-8"))
    assert charts >= 5 and rows >= 50
    texts, found = pages_of(print_pdf(html))
    assert len(texts) <= most
    names = [f"C{k:03d}" for k in range(1, charts + 1)] + [f"R{k:03d}" for k in range(1, rows + 1)]
    # Rows inside closed details elements (a chart's figures) are not printed.
    printed = [n for n in names if f"{n}TOP" in found or f"{n}END" in found]
    assert all(n in printed for n in names if n.startswith("C")), "every chart is printed"
    cut = [(n, found.get(f"{n}TOP"), found.get(f"{n}END")) for n in printed
           if found.get(f"{n}TOP") != found.get(f"{n}END")]  # fmt: skip
    assert not cut, f"cut across pages (marker, top page, bottom page): {cut}"
    assert len([n for n in printed if n.startswith("R")]) >= 50
    # The at-a-glance part ends within four pages: the plan starts on page five at latest.
    plan = next(k for k, text in enumerate(texts, 1) if "Action plan" in text and "Ref" in text)
    assert plan <= 5
