"""The governance matrix through the generic commands: show, template, validate, score."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, PatCli
from governance_support import AREAS, MATRIX, matrix_row
from openpyxl import load_workbook

from pat_framework.model import Instrument
from pat_framework.runtime.registry import Registry

SAMPLE = EXAMPLES / "responses" / "governance-sample.csv"
PRESENCE = "expected Yes (1, Y); Partly (0.5, P); No (0, N); Don't know (DK)"


@pytest.fixture(scope="module")
def matrix(registry: Registry) -> Instrument:
    return registry.instrument(MATRIX)


def test_show_says_which_answers_go_with_which_items(pat_cli: PatCli) -> None:
    result = pat_cli("show", MATRIX, "--section", "behaviours")
    assert result.exit_code == 0, result.output
    assert "  B-W3    Adopt a culture of blame, mistrust and criticism" in result.stdout
    assert "Answers to B-K1–B-K2: Strongly agree (4, SA); Agree (3, A)" in result.stdout
    assert "Answers to B-G1–B-W6: Yes (1, Y); Partly (0.5, P); No (0, N)" in result.stdout


def test_validate_and_template(pat_cli: PatCli, matrix: Instrument, tmp_path: Path) -> None:
    toml = ROOT / "plugins" / "governance_matrix" / "governance-matrix.toml"
    result = pat_cli("validate", toml)
    assert result.exit_code == 0, result.output
    assert "4 sections, 63 items" in result.stdout
    sheet = tmp_path / "blank.csv"
    assert pat_cli("template", MATRIX, "-o", sheet).exit_code == 0
    header = sheet.read_text(encoding="utf-8").strip().split(",")
    assert header == ["respondent", "organisation", "level", "round", *matrix.item_ids]
    book = tmp_path / "blank.xlsx"
    assert pat_cli("template", MATRIX, "-o", book).exit_code == 0
    rules = load_workbook(book)["responses"].data_validations.dataValidation
    assert '"Yes,Partly,No,Don\'t know"' in {rule.formula1 for rule in rules}


def test_score_the_bundled_sample(pat_cli: PatCli) -> None:
    sample = list(csv.DictReader(SAMPLE.open(encoding="utf-8")))
    assert 15 <= len(sample) <= 20
    assert len({row["organisation"] for row in sample}) == 3
    assert sum(row["B-W6"] == "Yes" for row in sample) >= 5
    assert any(answer == "Don't know" for row in sample for answer in row.values())

    result = pat_cli("score", MATRIX, SAMPLE)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "behaviours  processes  performance  resources  aggregate  band\n" in text
    assert "scenario" not in text
    assert "Overall rating " in text
    assert "Performance measurement and management Red" in text
    assert "* scored from the features answered: some were blank or Don't know" in text
    assert "G17: resources not scored" in text

    table = list(csv.DictReader(io.StringIO(pat_cli("score", MATRIX, SAMPLE, "-f", "csv").stdout)))
    assert [row["respondent"] for row in table] == [row["respondent"] for row in sample]
    # G01, Behaviours by hand: good practice Yes Yes Yes Yes Partly Yes = 5.5 of 6;
    # warning signs Partly No No No No No = 0.5 of 6; balance 100 × 5/6 = 83.33.
    assert [sample[0][f"B-G{k}"] for k in range(1, 7)] == ["Yes"] * 4 + ["Partly", "Yes"]
    assert [sample[0][f"B-W{k}"] for k in range(1, 7)] == ["Partly"] + ["No"] * 5
    first = table[0]
    assert (first["behaviours"], first["good_practice.behaviours"]) == ("83.33", "91.67")
    assert first["warning_signs.behaviours"] == "8.33"
    # G01, Performance: good practice Yes No Yes DK Partly = 2.5 of the 4 answered (62.5 %),
    # warning signs Yes Yes No Yes Yes = 4 of 5 (80 %): -17.5, written as a number (not
    # text made inert as if it were a formula).
    assert [sample[0][f"M-G{k}"] for k in range(1, 6)] == [
        "Yes",
        "No",
        "Yes",
        "Don't know",
        "Partly",
    ]
    assert [sample[0][f"M-W{k}"] for k in range(1, 6)] == ["Yes", "Yes", "No", "Yes", "Yes"]
    assert first["performance"] == "-17.5"
    assert first["dont_know.performance"] == "1"
    assert table[16]["resources"] == "" and table[16]["aggregate"] == ""


def test_score_a_hand_worked_sheet_as_csv_and_json(
    pat_cli: PatCli, matrix: Instrument, write_sheet: Callable[..., Path]
) -> None:
    answers = {"B-G3": "DK", "B-G4": "No", "B-W1": "Don't know", "B-W5": "Yes", "B-K2": "SD"}
    rows = [
        matrix_row(matrix, "R1", answers, organisation="=cmd()"),
        matrix_row(matrix, "R2", fill={"good_practice": "No", "warning_sign": "Yes"}),
    ]
    sheet = write_sheet(rows)
    table = list(csv.DictReader(io.StringIO(pat_cli("score", MATRIX, sheet, "-f", "csv").stdout)))
    # R1 Behaviours: 4 of 5 good practice, 1 of 5 warning signs -> 80 - 20 = 60.
    assert table[0]["organisation"] == "'=cmd()"
    assert [table[0][a] for a in AREAS] == ["60", "100", "100", "100"]
    assert table[0]["aggregate"] == "90"
    assert table[0]["key_principles.behaviours"] == "2"  # A (3) and SD (1)
    assert [table[0][f"dont_know.{a}"] for a in AREAS] == ["2", "0", "0", "0"]
    assert [table[1][a] for a in [*AREAS, "aggregate"]] == ["-100"] * 5

    document = json.loads(pat_cli("score", MATRIX, sheet, "-f", "json").stdout)
    first = document["respondents"][0]
    assert first["sections"]["behaviours"] == {
        "score": 60,
        "band": "Green",
        "answered": 12,
        "prorated": True,
    }
    assert first["extra"]["good_practice"]["behaviours"] == 80
    assert first["extra"]["dont_know"] == {
        "behaviours": 2,
        "processes": 0,
        "performance": 0,
        "resources": 0,
    }
    assert document["respondents"][1]["aggregate"]["band"] == "Red"
    assert document["group"]["scenario"] is None
    assert document["group"]["reason"].startswith("Overall rating Red: the median overall balance")
    actions = [(f["kind"], f["item"]) for f in document["findings"] if f["action"]]
    assert ("concern", "B-W5") in actions
    assert ("concern", "B-G4") in actions


@pytest.mark.parametrize(
    ("column", "typed", "expected"),
    [
        (
            "B-G2",
            "Maybe",
            f"not an answer on the Does this describe our partnership? scale; {PRESENCE}",
        ),
        (
            "M-W1",
            "SA",
            f"not an answer on the Does this describe our partnership? scale; {PRESENCE}",
        ),
        ("P-K1", "Yes", "not an answer on the Agreement scale; expected Strongly agree (4, SA)"),
    ],
)
def test_a_bad_answer_exits_1_naming_file_row_and_column(
    pat_cli: PatCli,
    matrix: Instrument,
    write_sheet: Callable[..., Path],
    column: str,
    typed: str,
    expected: str,
) -> None:
    sheet = write_sheet([matrix_row(matrix, "R1"), matrix_row(matrix, "R2", {column: typed})])
    before = sheet.read_bytes()
    result = pat_cli("score", MATRIX, sheet)
    assert result.exit_code == 1
    assert f"{sheet}, row 3, column {column}: '{typed}' is {expected}" in result.stderr
    assert "Traceback" not in result.output
    assert sheet.read_bytes() == before


@pytest.mark.slow
def test_the_plugin_entry_module_stays_light() -> None:
    code = (
        "import sys, governance_matrix\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'altair') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_analyse_puts_every_warning_sign_and_missing_practice_in_the_action_plan(
    pat_cli: PatCli, registry: Registry
) -> None:
    from pat_framework.runtime.pipeline import interpret

    actions = {f.item_id for f in interpret(registry, MATRIX, [SAMPLE]).findings if f.action}
    assert {"B-W6", "M-W2", "M-G2"} <= actions
    result = pat_cli("analyse", MATRIX, SAMPLE, "--by", "organisation", "-f", "json")
    assert result.exit_code == 0, result.output
    plan = {row["item"] for row in json.loads(result.stdout)["action_plan"] if row["item"]}
    assert actions <= plan
