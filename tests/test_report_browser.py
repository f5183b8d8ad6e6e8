"""The HTML report in a real browser, offline: every chart draws, the console stays silent.

Needs Chromium (Debian package `chromium`). Without it the test is skipped, except in CI
(the CI variable set), where a missing browser is a failure.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser_support import OFFLINE, browser
from conftest import ODPM_SAMPLE, PatCli

CONSOLE = re.compile(r":CONSOLE(?:\(\d+\))?:?\d*\]\s*(.*)")
pytestmark = pytest.mark.browser


def render(page: Path) -> tuple[str, list[str]]:
    """The DOM after the browser loaded the page, and every console message it logged."""
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [browser(), *OFFLINE, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    return done.stdout, [m.group(1) for m in map(CONSOLE.search, done.stderr.splitlines()) if m]


class Figures(HTMLParser):
    """For each chart figure in the DOM: how many graphic elements sit inside mark groups."""

    GRAPHICS = frozenset({"path", "rect", "circle", "line", "text", "polygon", "ellipse"})

    def __init__(self) -> None:
        super().__init__()
        self.drawn: dict[str, int] = {}
        self.chart: str | None = None
        self.depth = 0
        self.marks: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "figure" and found.get("data-chart"):
            self.chart = found["data-chart"]
            self.drawn[self.chart] = 0
            self.depth = 0
        if self.chart is None:
            return
        self.depth += 1
        if tag == "g" and "role-mark" in (found.get("class") or ""):
            self.marks.append(self.depth)
        elif self.marks and tag in self.GRAPHICS:
            self.drawn[self.chart] += 1

    def handle_endtag(self, tag: str) -> None:
        if self.chart is None:
            return
        if self.marks and self.marks[-1] == self.depth:
            self.marks.pop()
        self.depth -= 1
        if tag == "figure":
            self.chart = None


def test_a_page_with_errors_is_caught(tmp_path: Path) -> None:
    """The console check can fail: a page that logs an error and breaks its policy."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src '
        "'none'\"><script>console.error('boom')</script><p>x</p>",
        encoding="utf-8",
    )
    _, console = render(page)
    assert console, "the browser logged nothing for a page that breaks its security policy"


def test_report_draws_every_chart_offline_without_console_errors(
    tmp_path: Path, pat_cli: PatCli
) -> None:
    browser()
    page = tmp_path / "report.html"
    result = pat_cli(
        "report",
        "pat-odpm",
        str(ODPM_SAMPLE),
        "--by",
        "organisation",
        "--detail",
        "full",
        "-o",
        str(page),
    )
    assert result.exit_code == 0, result.output
    dom, console = render(page)
    assert console == []
    figures = Figures()
    figures.feed(dom)
    assert set(figures.drawn) == {"dartboard", "totals", "spread", "subgroups", "priorities"}
    for chart, count in figures.drawn.items():
        assert count >= 6, f"{chart}: only {count} graphic elements drawn"


def test_the_workshop_report_draws_every_instruments_charts(
    sample_workshop: tuple[Path, str],
) -> None:
    browser()
    folder, _ = sample_workshop
    dom, console = render(folder / "anytown-workshop.html")
    assert console == []
    figures = Figures()
    figures.feed(dom)
    # The parser keys figures by chart name: every instrument's charts are drawn in turn;
    # the standard detail leaves out the respondents' charts (totals, spread), and the
    # glance repeats the first dartboard.
    assert {"dartboard", "trend", "matrix-balance", "subgroups"} <= set(figures.drawn)
    assert "spread" not in figures.drawn
    assert dom.count('data-chart="') == 11
    for chart, count in figures.drawn.items():
        assert count >= 6, f"{chart}: only {count} graphic elements drawn"
