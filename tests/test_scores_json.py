"""A large scores document, made a column at a time, holds what the small one made a dict
per respondent holds: the same scores, bands, attributes, extras and blanks."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, PatCli, odpm_row

from pat_framework.render import scores


def both_ways(pat_cli: PatCli, monkeypatch: pytest.MonkeyPatch, *args: Any) -> tuple[Any, Any]:
    """The document written indented (every respondent a dict) and compact (by columns)."""
    small = pat_cli("score", *args, "--format", "json")
    assert small.exit_code == 0, small.output
    with monkeypatch.context() as patched:
        patched.setattr(scores, "INDENT_LIMIT", 0)
        patched.setattr(scores, "BATCH", 7)  # several batches
        large = pat_cli("score", *args, "--format", "json")
    assert large.exit_code == 0, large.output
    assert small.stdout.startswith('{\n  "format"') and large.stdout.startswith('{"format"')
    return json.loads(small.stdout), json.loads(large.stdout)


def test_odpm_answers_with_blanks_odd_text_and_unscored_principles(
    pat_cli: PatCli, write_sheet: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [odpm_row(f"R{k}", fill=k % 4 + 1, organisation="Council") for k in range(20)]
    rows[2] |= {"P1A": ""}  # prorated: 14.4 and the like
    rows[3] |= {"P2A": "", "P2B": ""}  # P2 not scored, no aggregate
    rows[4] |= {"organisation": 'Says "hi"\\ there', "level": "board"}
    rows[5] |= {"respondent": 'R"5', "organisation": ""}  # no organisation
    rows[6] |= {"organisation": "Café – Ünïcode"}
    small, large = both_ways(pat_cli, monkeypatch, "pat-odpm", write_sheet(rows))
    assert large == small
    assert large["respondents"][3]["aggregate"] == {"score": None, "band": None, "scenario": None}
    assert "organisation" not in large["respondents"][5]["attributes"]


def test_the_governance_matrix_sample_with_its_extra_figures(
    pat_cli: PatCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = EXAMPLES / "responses" / "governance-sample.csv"
    small, large = both_ways(pat_cli, monkeypatch, "governance-matrix", sample)
    assert large == small
    assert "extra" in large["respondents"][0]
