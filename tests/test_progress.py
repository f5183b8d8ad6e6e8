"""The progress line of a long read: shown on a terminal after a while, then cleared;
never in redirected output, never for a quick read."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from conftest import ODPM_SAMPLE

from pat_framework import progress
from pat_framework.progress import Progress
from pat_framework.responses import read_responses
from pat_framework.runtime.registry import build_registry


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_long_read_shows_what_how_long_and_rows_then_clears() -> None:
    screen = Terminal()
    with Progress("reading big.xlsx", screen, delay=0.05) as shown:
        shown.rows = 300_000
        time.sleep(0.8)
    text = screen.getvalue()
    assert "\rpat: reading big.xlsx… 0 s, 300,000 rows\x1b[K" in text
    assert text.endswith("\r\x1b[K")


def test_a_quick_read_shows_nothing() -> None:
    screen = Terminal()
    with Progress("reading small.csv", screen, delay=1.0):
        pass
    assert screen.getvalue() == ""


@pytest.mark.parametrize("where", ["file", "switched off"])
def test_nothing_is_shown_where_output_is_not_a_terminal_or_when_off(
    where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen: io.StringIO = io.StringIO() if where == "file" else Terminal()
    if where == "switched off":
        monkeypatch.setenv("PAT_PROGRESS", "0")
    with Progress("reading big.xlsx", screen, delay=0):
        time.sleep(0.2)
    assert screen.getvalue() == ""


def test_reading_answers_shows_the_file_with_escape_codes_made_visible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "odd\x1b[2Jname.csv"
    path.write_bytes(ODPM_SAMPLE.read_bytes())
    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    monkeypatch.setattr(progress, "DELAY", 0)
    slow_open = __import__("pat_framework.responses", fromlist=["_open"])._open

    def slow(*args: object) -> object:
        time.sleep(0.3)
        return slow_open(*args)

    monkeypatch.setattr("pat_framework.responses._open", slow)
    read_responses(build_registry().instrument("pat-odpm"), [path])
    text = screen.getvalue()
    assert "pat: reading " in text and "odd\\x1b[2Jname.csv… 0 s" in text
    assert "\x1b[2J" not in text
