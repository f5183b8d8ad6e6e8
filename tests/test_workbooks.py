"""Workbooks read with python-calamine: cells as users typed them, columns named as
pandas names them, and one read shared by the peek that finds the tool and the read."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from pat_framework import workbooks


def book(path: Path, rows: list[list[Any]]) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def test_cells_headers_and_blanks(tmp_path: Path) -> None:
    path = book(
        tmp_path / "a.xlsx",
        [
            ["respondent", None, "P1A", "P1A", 2026],
            [7, "Anytown Council", 3, 2.5, datetime.datetime(2026, 3, 4, 9, 30)],
            [None, None, None, None, None],
            ["R3", None, 4, None, None],
        ],
    )
    frame = workbooks.frame(path)
    assert list(frame.columns) == ["respondent", "Unnamed: 1", "P1A", "P1A.1", "2026"]
    first = frame.iloc[0].tolist()
    assert first[:4] == [7.0, "Anytown Council", 3.0, 2.5]
    assert first[4] == datetime.datetime(2026, 3, 4, 9, 30)
    assert frame.iloc[1].isna().all()  # a blank row reads as missing, to be dropped


def test_the_peek_and_the_read_share_one_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = book(tmp_path / "b.xlsx", [["respondent", "P1A"], ["R1", 4], ["R2", 3]])
    reads = []
    real = workbooks._read
    monkeypatch.setattr(
        workbooks,
        "_read",
        lambda *a: reads.append(a) or real(*a),  # type: ignore[func-returns-value]
    )
    assert workbooks.rows(path, 0, peek=1) == [["respondent", "P1A"]]
    assert len(workbooks.rows(path, "Sheet")) == 3
    assert len(reads) == 1
    workbooks.rows(path, "Sheet")  # taken by the read: the next read parses again
    assert len(reads) == 2


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path = book(tmp_path / "c.xlsx", [["respondent"], ["R1"]])
    workbooks.rows(path, 0, peek=1)
    book(path, [["respondent"], ["R1"], ["R2"]])
    assert len(workbooks.rows(path)) == 3


def test_a_workbook_that_unpacks_to_far_more_is_refused_in_seconds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pat_cli: Any
) -> None:
    import time
    import zipfile

    path = book(tmp_path / "bomb.xlsx", [["respondent", "P1A"], ["R1", 4]])
    rows = b"<row><c><v>1</v></c></row>" * 400_000  # 10 MB that packs to a few kB
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet9.xml", b"<worksheet><sheetData>" + rows)
    monkeypatch.setattr(workbooks, "_TIGHT", 1 << 20)  # the real limits need gigabytes
    start = time.perf_counter()
    result = pat_cli("validate", path, "--instrument", "pat-odpm")
    assert time.perf_counter() - start < 10
    assert result.exit_code == 1
    assert "the workbook is too large to read safely (xl/worksheets/sheet9.xml is packed" in (
        " ".join(result.stderr.split())
    )
