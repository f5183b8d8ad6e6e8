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
    folder = text.split('folder = "', 1)[1].split('"', 1)[0]
    (workshop.parent / folder).write_text("not a folder")
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
