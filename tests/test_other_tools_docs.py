"""docs/other-tools.md: its commands run as written on the bundled Google Forms export, and
say what the page says they say; the export scores exactly as the sample it was made from."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, ODPM_SAMPLE, ROOT

from pat_framework.runtime.pipeline import score
from pat_framework.runtime.registry import Registry
from pat_framework.workshop import load_workshop

PAGE = (ROOT / "docs" / "other-tools.md").read_text(encoding="utf-8")
EXPORT = EXAMPLES / "exports" / "odpm-google-forms.csv"


def commands() -> list[list[str]]:
    return [shlex.split(c) for c in re.findall(r"^```\n(pat .*?)\n```$", PAGE, re.M)]


def test_the_bundled_export_scores_as_the_sample(registry: Registry) -> None:
    exported = score(registry, "pat-odpm", [EXPORT]).totals.reset_index(drop=True)
    sample = score(registry, "pat-odpm", [ODPM_SAMPLE]).totals.reset_index(drop=True)
    assert exported.equals(sample)


def test_the_pages_commands_run_as_written(
    pat_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "examples" / "exports").mkdir(parents=True)
    shutil.copy(EXPORT, tmp_path / "examples" / "exports")
    monkeypatch.chdir(tmp_path)
    found = commands()
    assert [c[1] for c in found] == ["score", "map", "score"]
    first = pat_cli(*found[0][1:])
    assert first.exit_code == 0, first.output
    quoted = re.search(r"The notes at the end say .*?\n```\n(.*?)```", PAGE, re.S)
    assert quoted
    for line in quoted.group(1).splitlines():
        assert line in first.stdout
    assert "partner1@example.org" not in first.stdout
    mapped = pat_cli(*found[1][1:])
    assert mapped.exit_code == 0, mapped.output
    text = (tmp_path / "odpm-map.toml").read_text()
    assert '"Email Address"' in text and "similar: check" in text
    second = pat_cli(*found[2][1:])
    assert second.exit_code == 0, second.output
    assert "43 by map file" in second.stdout
    assert second.stdout.split("Notes")[0] == first.stdout.split("Notes")[0]


def test_the_workshop_example_is_a_valid_instrument_entry(tmp_path: Path) -> None:
    block = re.search(r"```toml\n(.*?)```", PAGE, re.S)
    assert block
    (tmp_path / "responses").mkdir()
    shutil.copy(EXPORT, tmp_path / "responses")
    (tmp_path / "odpm-map.toml").write_text("format = 1\n")
    workshop = tmp_path / "w.toml"
    workshop.write_text(f'partnership = "Anytown"\npurpose = "audit"\n{block.group(1)}')
    entry = load_workshop(workshop).instruments[0]
    assert entry.source.tool == "google-forms"
    assert entry.source.map == tmp_path / "odpm-map.toml"
