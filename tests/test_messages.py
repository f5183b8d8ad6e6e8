"""Vague messages made precise: each names the file and says what to do (issue 19)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, ODPM_SAMPLE, ROOT


def test_a_toml_file_with_a_byte_order_mark_is_read(tmp_path: Path, pat_cli: Any) -> None:
    source = ROOT / "plugins" / "review_questions" / "instruments"
    original = next(source.glob("*barriers*.toml"))
    copy = tmp_path / "notepad.toml"
    copy.write_bytes(b"\xef\xbb\xbf" + original.read_bytes())
    result = pat_cli("validate", str(copy))
    assert result.exit_code == 0, result.output


def test_a_password_protected_workbook_is_named_as_such(tmp_path: Path, pat_cli: Any) -> None:
    locked = tmp_path / "answers.xlsx"  # what Excel writes when a password is set: OLE
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    result = pat_cli("score", "pat-odpm", str(locked))
    assert result.exit_code == 1
    assert "the workbook is password-protected" in result.stderr
    assert "save a copy without a password" in result.stderr
    assert "calamine" not in result.stderr and "Traceback" not in result.output


def test_an_output_folder_that_is_a_file(tmp_path: Path, pat_cli: Any) -> None:
    shutil.copytree(EXAMPLES / "workshop", tmp_path / "workshop")
    shutil.copytree(EXAMPLES / "responses", tmp_path / "responses")
    workshop = tmp_path / "workshop" / "anytown.toml"
    text = workshop.read_text(encoding="utf-8")
    workshop.write_text(text.replace('folder = "../../reports"', 'folder = "reports"'))
    (workshop.parent / "reports").write_text("not a folder")
    result = pat_cli("run", str(workshop))
    assert result.exit_code == 1
    assert "is a file: remove it, or set another folder" in result.stderr
    assert "File exists" not in result.stderr


def test_writing_onto_a_folder_or_into_a_file(tmp_path: Path, pat_cli: Any) -> None:
    (tmp_path / "out").mkdir()
    folder = str(tmp_path / "out")
    result = pat_cli("score", "pat-odpm", str(ODPM_SAMPLE), "-o", folder, "-f", "csv")
    assert result.exit_code == 2 and "is a directory" in result.stderr
    (tmp_path / "plain").write_text("x")
    target = tmp_path / "plain" / "scores.csv"
    result = pat_cli("score", "pat-odpm", str(ODPM_SAMPLE), "-o", str(target))
    assert result.exit_code == 1
    assert f"{tmp_path / 'plain'} is a file, not a folder" in result.stderr


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB filesystem the test makes (Linux, as root); skipped with the reason elsewhere."""
    where = tmp_path / "small"
    where.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot make a small filesystem here: {made.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


def test_a_full_disk_names_the_file_and_keeps_the_old_one(small_disk: Path, pat_cli: Any) -> None:
    out = small_disk / "analysis.json"
    out.write_text("the previous analysis")
    result = pat_cli("analyse", "pat-odpm", str(ODPM_SAMPLE), "-o", str(out), "-f", "json")
    assert result.exit_code == 1
    assert f"cannot write {out}: the disk is full (no space left on device)" in result.stderr
    assert out.read_text() == "the previous analysis"
    assert [p.name for p in small_disk.iterdir()] == ["analysis.json"]  # no .tmp left


@pytest.mark.slow
def test_a_run_that_cannot_write_every_output_changes_none(
    small_disk: Path, tmp_path: Path, pat_cli: Any
) -> None:
    shutil.copytree(EXAMPLES / "workshop", tmp_path / "workshop")
    shutil.copytree(EXAMPLES / "responses", tmp_path / "responses")
    workshop = tmp_path / "workshop" / "anytown.toml"
    text = workshop.read_text(encoding="utf-8")
    workshop.write_text(text.replace('folder = "../../reports"', f'folder = "{small_disk}"'))
    old = {small_disk / f"anytown-workshop.{suffix}": "old" for suffix in ("html", "xlsx", "json")}
    for path, content in old.items():
        path.write_text(content)
    result = pat_cli("run", str(workshop))
    assert result.exit_code == 1
    assert "the disk is full" in result.stderr and "no output was changed" in result.stderr
    assert {p: p.read_text() for p in old} == old
    assert sorted(p.name for p in small_disk.iterdir()) == sorted(p.name for p in old)


def test_an_invisible_character_in_an_instrument_is_named_with_its_key(
    tmp_path: Path, pat_cli: Any
) -> None:
    source = ROOT / "plugins" / "pat_odpm" / "pat-odpm.toml"
    text = source.read_text(encoding="utf-8").replace(
        'title = "Partnership Assessment Tool"', 'title = "Partnership\\u001b]0;x\\u0007 Tool"', 1
    )
    copy = tmp_path / "escape.toml"
    copy.write_text(text, encoding="utf-8")
    result = pat_cli("validate", str(copy))
    assert result.exit_code == 1
    assert "title: holds an invisible control character ('Partnership\\x1b]0;x\\x07 Tool')" in (
        result.stderr
    )
    assert "\x1b" not in result.output


def test_a_temporary_file_left_by_a_killed_run_is_removed(tmp_path: Path) -> None:
    import os
    import time

    from pat_framework.output import STALE_SECONDS, write_atomic

    out = tmp_path / "scores.csv"
    stale, fresh = tmp_path / ".scores.csv.abc123.tmp", tmp_path / ".scores.csv.def456.tmp"
    stale.write_text("half")
    fresh.write_text("another run is writing")
    old = time.time() - STALE_SECONDS - 60
    os.utime(stale, (old, old))
    write_atomic(out, "new\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == [fresh.name, "scores.csv"]


def test_labels_that_start_with_a_sign_read_back_from_pats_own_csv(tmp_path: Path) -> None:
    import pandas as pd

    from pat_framework.instrument.loader import instrument_from_dict
    from pat_framework.output import csv_text
    from pat_framework.responses import read_responses

    labels = ["-2 Strongly disagree", "-1 Disagree", "0 Neither", "+1 Agree", "+2 Strongly agree"]
    instrument = instrument_from_dict(
        {
            "format": 1, "id": "signs", "title": "Signs", "version": "1",
            "source": {"title": "test", "authors": ["pat"], "year": 2026},
            "scales": {"five": {"options": [
                {"value": v, "label": label} for v, label in zip(range(-2, 3), labels, strict=True)
            ]}},
            "sections": [{"id": "S", "title": "S", "items": [
                {"id": "Q1", "text": "One", "scale": "five"},
                {"id": "Q2", "text": "Two", "scale": "five"},
            ]}],
        },
        "signs.toml",
    )  # fmt: skip
    frame = pd.DataFrame({"respondent": ["R1"], "Q1": [labels[4]], "Q2": [labels[0]]})
    written = tmp_path / "collected.csv"
    written.write_text(csv_text(frame), encoding="utf-8")
    assert "'+2 Strongly agree" in written.read_text(encoding="utf-8")
    values = read_responses(instrument, [written]).values
    assert values.loc["R1", "Q1"] == 2 and values.loc["R1", "Q2"] == -2
