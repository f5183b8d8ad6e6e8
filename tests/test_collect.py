"""`pat collect`: forms and response files merged, bad files named, re-runs add only new."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import Result
from conftest import PatCli
from form_support import fill_form, make_form

from pat_framework.testing import invoke

P1 = ["P1A", "P1B", "P1C", "P1D", "P1E", "P1F"]
ACCEPTED = (
    "expected Strongly agree (4, SA); Agree (3, A); Disagree (2, D); Strongly disagree (1, SD)"
)


@pytest.fixture
def odpm_form(tmp_path: Path) -> Path:
    return make_form("pat-odpm", tmp_path / "blank.xlsx", "--organisation", "Anytown")


def answered(form: Path, out: Path, respondent: str | None, answer: str = "Agree") -> Path:
    """A returned ODPM form with every Principle 1 statement answered `answer`."""
    fields = {"respondent": respondent} if respondent else {}
    return fill_form(form, out, dict.fromkeys(P1, answer), fields=fields)


def collect(*args: str | Path) -> Result:
    return invoke("collect", *map(str, args))


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_one_corrupt_file_among_good_ones(
    tmp_path: Path, odpm_form: Path, pat_cli: PatCli
) -> None:
    good = answered(odpm_form, tmp_path / "a.xlsx", "A1")
    typed = fill_form(odpm_form, tmp_path / "typed.xlsx", {"P1A": "Maybe"}, {"respondent": "T1"})
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "respondent,organisation,P1A,P1B\nC1,Bordershire PCT,SA,d\n", encoding="utf-8"
    )
    bad_sheet = tmp_path / "bad-sheet.csv"
    bad_sheet.write_text("respondent,P1A\nC2,A\nC3,5\n", encoding="utf-8")
    out = tmp_path / "responses.csv"

    result = collect(good, typed, broken, sheet, bad_sheet, "-i", "pat-odpm", "-o", out)

    assert result.exit_code == 1
    assert [r["respondent"] for r in rows(out)] == ["A1", "C1"]
    assert rows(out)[1]["P1B"] == "Disagree"
    errors = result.stderr
    assert "pat: bad file, not collected: " + str(typed) in errors
    # The form's own cell is named, with the accepted answers.
    typed_row = next(line for line in errors.splitlines() if "'Maybe'" in line)
    assert ", column D (P1A): 'Maybe' is not an answer on the Agreement scale; " in typed_row
    assert typed_row.strip().startswith(f"{typed}, row ") and typed_row.endswith(ACCEPTED)
    assert f"{broken}: cannot read the workbook" in errors
    assert f"{bad_sheet}, row 3, column P1A: '5' is not an answer" in errors
    assert "2 of 5 file(s) read: 2 respondent(s) added" in result.stdout
    assert "3 bad file(s)" in result.stdout
    assert f"Bad files: {typed}, {broken}, {bad_sheet}" in result.stdout
    scored = pat_cli("score", "pat-odpm", str(out))
    assert scored.exit_code == 0, scored.output


def test_a_rerun_adds_only_new_respondents(tmp_path: Path, odpm_form: Path) -> None:
    first = [answered(odpm_form, tmp_path / f"{r}.xlsx", r) for r in ("R1", "R2")]
    out = tmp_path / "responses.csv"
    assert collect(*first, "-o", out).exit_code == 0
    before = out.read_text(encoding="utf-8")

    later = answered(odpm_form, tmp_path / "R3.xlsx", "R3", "Disagree")
    result = collect(*first, later, "-o", out)

    assert result.exit_code == 0, result.output
    assert "1 respondent(s) added, 2 already present with the same answers (skipped)" in (
        result.stdout
    )
    assert f"{out} now holds 3 respondent(s)" in result.stdout
    assert out.read_text(encoding="utf-8").startswith(before)
    assert [r["respondent"] for r in rows(out)] == ["R1", "R2", "R3"]
    again = collect(later, "-o", out)
    assert again.exit_code == 0 and f"{out} is unchanged (3 respondent(s))" in again.stdout


def test_a_conflicting_respondent_is_reported_and_not_overwritten(
    tmp_path: Path, odpm_form: Path
) -> None:
    out = tmp_path / "responses.csv"
    assert collect(answered(odpm_form, tmp_path / "r1.xlsx", "R1"), "-o", out).exit_code == 0
    changed = answered(odpm_form, tmp_path / "r1-again.xlsx", "R1", "Strongly agree")
    new = answered(odpm_form, tmp_path / "r2.xlsx", "R2")

    result = collect(changed, new, "-o", out)

    assert result.exit_code == 1
    assert (
        f"pat: conflict: respondent 'R1' in {changed} differs from the one already in {out} "
        "(P1A, P1B, P1C, P1D, P1E, P1F); kept the one in " in result.stderr
    )
    assert [(r["respondent"], r["P1A"]) for r in rows(out)] == [("R1", "Agree"), ("R2", "Agree")]
    assert "1 respondent(s) added" in result.stdout and "1 conflict(s)" in result.stdout


def test_the_same_respondent_twice_in_one_run(tmp_path: Path, odpm_form: Path) -> None:
    one = answered(odpm_form, tmp_path / "one.xlsx", "R1")
    copy = answered(odpm_form, tmp_path / "copy.xlsx", "R1")
    other = answered(odpm_form, tmp_path / "other.xlsx", "R1", "Disagree")
    out = tmp_path / "responses.csv"
    result = collect(one, copy, other, "-o", out)
    assert result.exit_code == 1
    assert "1 respondent(s) added, 1 already present" in result.stdout
    assert f"respondent 'R1' in {other} differs from the one already in {one}" in result.stderr


def test_forms_pat_take_files_and_json_collected_together(tmp_path: Path, odpm_form: Path) -> None:
    form = fill_form(
        odpm_form,
        tmp_path / "form.xlsx",
        {"P1A": "Strongly agree"},
        {"respondent": "F1"},
        comments={"P1A": '=HYPERLINK("http://x")'},
    )
    taken = tmp_path / "taken.csv"
    taken.write_text(
        "respondent,organisation,level,round,item,answer\n"
        "T1,Anytown,board,1,P1A,Agree\nT1,Anytown,board,1,P1B,\n",
        encoding="utf-8",
    )
    typed = tmp_path / "typed.json"
    typed.write_text(
        json.dumps([{"respondent": "J1", "team": "north", "answers": {"P1A": "sd"}}]),
        encoding="utf-8",
    )
    out = tmp_path / "all.csv"
    result = collect(form, taken, typed, "-i", "pat-odpm", "-o", out)
    assert result.exit_code == 0, result.output
    table = rows(out)
    assert list(table[0])[:6] == ["respondent", "organisation", "level", "round", "date", "team"]
    assert [(r["respondent"], r["P1A"], r["team"]) for r in table] == [
        ("F1", "Strongly agree", ""),
        ("T1", "Agree", ""),
        ("J1", "Strongly disagree", "north"),
    ]
    assert table[0]["P1A_comment"] == '\'=HYPERLINK("http://x")'  # inert
    assert "P1B_comment" not in table[0]  # only comment columns in use
    # Collected again, the inert comment still matches: skipped, not a conflict.
    again = collect(form, "-o", out)
    assert again.exit_code == 0 and "1 already present" in again.stdout


def test_a_blank_respondent_code_comes_from_the_file_name(tmp_path: Path, odpm_form: Path) -> None:
    form = answered(odpm_form, tmp_path / "jones-board.xlsx", None)
    out = tmp_path / "responses.csv"
    result = collect(form, "-o", out)
    assert result.exit_code == 0, result.output
    assert "the respondent code is blank; using 'jones-board' from the file name" in result.stderr
    assert rows(out)[0]["respondent"] == "jones-board"
    assert rows(out)[0]["organisation"] == "Anytown"


def test_a_form_returned_blank_or_rearranged_is_a_bad_file(
    tmp_path: Path, odpm_form: Path
) -> None:
    from openpyxl import load_workbook

    blank = fill_form(odpm_form, tmp_path / "blank-back.xlsx", {}, {"respondent": "B1"})
    moved = answered(odpm_form, tmp_path / "moved.xlsx", "M1")
    book = load_workbook(moved)
    book["Form"].delete_rows(20)
    book.save(moved)
    result = collect(blank, moved, "-o", tmp_path / "out.csv")
    assert result.exit_code == 1
    assert f"{blank}: no answers: every answer cell is blank" in result.stderr
    assert "the form's layout was changed" in result.stderr
    assert "Nothing to write" in result.stdout
    assert f"Bad files: {blank}, {moved}" in result.stdout  # in the order given
    assert not (tmp_path / "out.csv").exists()


def test_writing_over_an_input_is_refused(tmp_path: Path, odpm_form: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("respondent,P1A\nC1,SA\n", encoding="utf-8")
    before = sheet.read_bytes()
    form = answered(odpm_form, tmp_path / "a.xlsx", "A1")
    result = collect(form, sheet, "-i", "pat-odpm", "-o", sheet)
    assert result.exit_code == 1
    assert f"refusing to write {sheet}: it is one of the input files" in result.output
    assert sheet.read_bytes() == before
    over_form = collect(form, "-o", form.with_suffix(".csv"))
    assert over_form.exit_code == 0  # a different file


def test_instruments_must_be_known_and_not_mixed(tmp_path: Path, odpm_form: Path) -> None:
    form = answered(odpm_form, tmp_path / "odpm.xlsx", "R1")
    checklist = fill_form(
        make_form("rq-barriers", tmp_path / "rq.xlsx"),
        tmp_path / "rq-back.xlsx",
        {"Q1": "Yes"},
    )
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("respondent,P1A\nC1,SA\n", encoding="utf-8")
    out = tmp_path / "out.csv"

    mixed = collect(form, checklist, "-o", out)
    assert mixed.exit_code == 1
    assert f"different instruments (pat-odpm: {form}; rq-barriers: {checklist})" in mixed.output
    plain = collect(form, sheet, "-o", out)
    assert plain.exit_code == 1 and f"give -i ID for {sheet}" in plain.output
    unknown = collect(sheet, "-i", "no-such", "-o", out)
    assert unknown.exit_code == 1 and "no instrument 'no-such' is installed" in unknown.output
    assert not out.exists()


def test_a_form_of_another_instrument_is_listed_and_the_good_ones_collected(
    tmp_path: Path, odpm_form: Path
) -> None:
    good = [answered(odpm_form, tmp_path / f"odpm-{k}.xlsx", f"R{k}") for k in (1, 2)]
    stray = fill_form(
        make_form("rq-barriers", tmp_path / "rq.xlsx"), tmp_path / "rq-back.xlsx", {"Q1": "Yes"}
    )
    out = tmp_path / "out.csv"
    result = collect(good[0], stray, good[1], "-o", out)
    assert result.exit_code == 1  # a file was left out
    assert (
        f"bad file, not collected: {stray} a form of rq-barriers, not of pat-odpm like the "
        "others: collect it into its own output file" in " ".join(result.output.split())
    )
    assert sorted(pd.read_csv(out)["respondent"]) == ["R1", "R2"]
    chosen = collect(stray, "-i", "rq-barriers", "-o", tmp_path / "rq.csv")
    assert chosen.exit_code == 0, chosen.output


def test_an_existing_output_that_is_not_a_response_file_stops_collect(
    tmp_path: Path, odpm_form: Path
) -> None:
    out = tmp_path / "notes.csv"
    out.write_text("respondent,P1A\nR9,perhaps\n", encoding="utf-8")
    result = collect(answered(odpm_form, tmp_path / "a.xlsx", "A1"), "-o", out)
    assert result.exit_code == 1
    assert f"{out} already exists but is not a response file for pat-odpm" in result.output
    assert f"{out}, row 2, column P1A: 'perhaps' is not an answer" in result.output
    assert out.read_text(encoding="utf-8") == "respondent,P1A\nR9,perhaps\n"


def test_a_form_from_another_version_of_the_instrument(tmp_path: Path, odpm_form: Path) -> None:
    from openpyxl import load_workbook

    older = answered(odpm_form, tmp_path / "older.xlsx", "O1")
    book = load_workbook(older)
    meta = book["pat-form"]
    version = next(r[1] for r in meta.iter_rows() if r[0].value == "instrument_version")
    version.value = "2001"
    book.save(older)
    retired = answered(odpm_form, tmp_path / "retired.xlsx", "O2")
    book = load_workbook(retired)
    item = next(r[3] for r in book["pat-form"].iter_rows() if r[3].value == "P1A")
    item.value = "P0Z"
    cell = next(r[0] for r in book["Form"].iter_rows() if r[0].value == "P1A")
    cell.value = "P0Z"
    book.save(retired)

    result = collect(older, retired, "-o", tmp_path / "out.csv")

    assert result.exit_code == 1
    assert f"{older}: made for pat-odpm version 2001; read as version 2003" in result.stderr
    assert (
        f"{retired}: the form asks P0Z, which pat-odpm version 2003 does not have" in result.stderr
    )
    assert [r["respondent"] for r in rows(tmp_path / "out.csv")] == ["O1"]


@pytest.mark.slow
def test_two_collect_runs_at_once_onto_one_output_lose_nobody(
    tmp_path: Path, odpm_form: Path
) -> None:
    out = tmp_path / "responses.csv"
    batches = [
        [answered(odpm_form, tmp_path / f"{b}{k}.xlsx", f"{b}{k}") for k in range(4)]
        for b in ("A", "B")
    ]
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "pat_framework", "collect", *map(str, batch), "-o", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for batch in batches
    ]
    for run in runs:
        assert run.wait(timeout=120) == 0, run.stderr.read() if run.stderr else ""
    assert sorted(r["respondent"] for r in rows(out)) == [
        "A0", "A1", "A2", "A3", "B0", "B1", "B2", "B3"
    ]  # fmt: skip
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
