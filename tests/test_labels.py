"""Group labels typed by people: one group whatever the case, accents or spaces, with the
first spelling kept and a note naming the spellings merged."""

from __future__ import annotations

import json
from typing import Any

from conftest import odpm_row

from pat_framework.labels import key
from pat_framework.responses import read_responses
from pat_framework.runtime.registry import build_registry


def test_spellings_of_one_label_share_a_key() -> None:
    assert key("Anytown Council") == key(" anytown  COUNCIL ") == key("Anytown\u00a0Council")
    assert key("Conseil général") == key("Conseil General")
    assert key("Board") != key("Boards")


def test_spellings_become_one_group_in_the_first_spelling_with_a_note(write_sheet: Any) -> None:
    spellings = ["Anytown Council", "Anytown council", "Anytown  Council", "ANYTOWN COUNCIL"]
    rows = [
        odpm_row(f"R{k}", organisation=spellings[k % 4], level=("Board", "board ")[k % 2])
        for k in range(12)
    ]
    rows.append(odpm_row("R12", organisation="Health Trust", level="Board"))
    responses = read_responses(build_registry().instrument("pat-odpm"), [write_sheet(rows)])
    counts = responses.attributes["organisation"].value_counts().to_dict()
    assert counts == {"Anytown Council": 12, "Health Trust": 1}
    assert set(responses.attributes["level"]) == {"Board"}
    assert (
        "organisation: 'Anytown council', 'Anytown  Council', 'ANYTOWN COUNCIL' taken as "
        "'Anytown Council', one group" in responses.notes
    )
    assert "level: 'board' taken as 'Board', one group" in responses.notes


def test_the_analysis_reports_one_group_and_says_it_merged(write_sheet: Any, pat_cli: Any) -> None:
    rows = [
        odpm_row(f"R{k}", organisation=("Board", "board", "BOARD ")[k % 3], level="x")
        for k in range(9)
    ]
    result = pat_cli(
        "analyse", "pat-odpm", write_sheet(rows), "--by", "organisation", "-f", "json"
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert "'board', 'BOARD' taken as 'Board', one group" in " ".join(document["notes"])
    groups = json.dumps(document)
    assert '"board"' not in groups and '"BOARD"' not in groups
