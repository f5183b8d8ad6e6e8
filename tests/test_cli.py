"""The `pat` command line end to end: listing, showing, templates, scoring, validating."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ODPM_SAMPLE, PatCli, odpm_row
from openpyxl import load_workbook

from pat_framework import __version__
from pat_framework.errors import PatError
from pat_framework.model import Instrument
from pat_framework.runtime.registry import build_registry

WORKED_EXAMPLE = {"P1A": "SA", "P1B": "D", "P1C": "A", "P1D": "A", "P1E": "A", "P1F": "SD"}
SHEET_HEADER = ["respondent", "organisation", "level", "round"]
PRINCIPLES = ["P1", "P2", "P3", "P4", "P5", "P6"]


def test_instruments_lists_what_is_installed(pat_cli: PatCli) -> None:
    result = pat_cli("instruments")
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert "Partnership Assessment Tool (43 items; from pat_odpm)" in lines["pat-odpm"]


def test_show_prints_every_statement(pat_cli: PatCli, odpm: Instrument) -> None:
    result = pat_cli("show", "pat-odpm")
    assert result.exit_code == 0, result.output
    statements = [item for item in odpm.items if item.section_id.startswith("P")]
    assert len(statements) == 36
    for item in statements:
        assert f"  {item.id:<7} {item.text}" in result.stdout
    assert "The partnership is achieving its aims and objectives" in result.stdout
    assert "© Crown copyright 2003" in result.stdout
    assert "Answers: Strongly agree (4, SA); Agree (3, A)" in result.stdout


def test_show_one_section(pat_cli: PatCli, odpm: Instrument) -> None:
    result = pat_cli("show", "pat-odpm", "--section", "p2")
    assert result.exit_code == 0, result.output
    for item in odpm.items:
        assert (item.text in result.stdout) == (item.section_id == "P2"), item.id
    assert "P2  Develop clarity and realism of purpose" in result.stdout


def test_show_without_guidance(pat_cli: PatCli, odpm: Instrument) -> None:
    guidance = " ".join(odpm.item("P1A").guidance.split()[:4])
    assert guidance in pat_cli("show", "pat-odpm", "--section", "P1").stdout
    result = pat_cli("show", "pat-odpm", "--section", "P1", "--no-guidance")
    assert result.exit_code == 0 and guidance not in result.stdout


def test_show_unknown_section_or_instrument(pat_cli: PatCli) -> None:
    result = pat_cli("show", "pat-odpm", "--section", "P9")
    assert result.exit_code == 2
    assert "no section 'P9' in pat-odpm (sections: P1, P2, P3, P4, P5, P6, W, S)" in result.stderr
    result = pat_cli("show", "no-such-tool")
    assert result.exit_code == 1
    assert "no instrument 'no-such-tool' is installed (installed: " in result.stderr
    assert "pat-odpm" in result.stderr


def test_template_csv(pat_cli: PatCli, odpm: Instrument, tmp_path: Path) -> None:
    out = tmp_path / "answers.csv"
    result = pat_cli("template", "pat-odpm", "-o", out)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows == [[*SHEET_HEADER, *odpm.item_ids]]
    assert rows[0][4:10] == ["P1A", "P1B", "P1C", "P1D", "P1E", "P1F"]


def test_template_xlsx_round_trip(pat_cli: PatCli, odpm: Instrument, tmp_path: Path) -> None:
    out = tmp_path / "answers.xlsx"
    result = pat_cli("template", "pat-odpm", "-o", out)
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == [*SHEET_HEADER, *odpm.item_ids]
    assert sheet.max_row == 1
    # Type in two partners' paper answers, as a facilitator would, and score them.
    first = {"respondent": "R1", "organisation": "Council", **WORKED_EXAMPLE}
    second = {"respondent": "R2", "organisation": "Trust"}
    for row, answers in ((2, first), (3, second)):
        for column, name in enumerate(header, 1):
            if name.startswith("P"):
                sheet.cell(row, column, answers.get(name, "Agree" if row == 2 else 4))
            elif name in answers:
                sheet.cell(row, column, answers[name])
    book.save(out)
    result = pat_cli("score", "pat-odpm", out, "--format", "csv")
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["respondent"] for r in table] == ["R1", "R2"]
    assert table[0]["P1"] == "16" and table[0]["P2"] == "18"
    assert table[0]["aggregate"] == str(16 + 5 * 18)
    assert table[1]["aggregate"] == "144" and table[1]["organisation"] == "Trust"


def test_template_csv_round_trip(pat_cli: PatCli, tmp_path: Path) -> None:
    out = tmp_path / "answers.csv"
    assert pat_cli("template", "pat-odpm", "-o", out).exit_code == 0
    header = out.read_text().strip().split(",")
    row = ["R1", "Council", "board", "1"] + ["SD" if h.startswith("P") else "" for h in header[4:]]
    out.write_text(",".join(header) + "\n" + ",".join(row) + "\n")
    result = pat_cli("score", "pat-odpm", out, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == "R1,Council,board,1,6,6,6,6,6,6,36"


def test_template_refuses_an_unknown_suffix(pat_cli: PatCli, tmp_path: Path) -> None:
    result = pat_cli("template", "pat-odpm", "-o", tmp_path / "answers.ods")
    assert result.exit_code == 1
    assert "cannot write a template as '.ods': use .csv or .xlsx" in result.stderr
    assert not (tmp_path / "answers.ods").exists()


def test_the_worked_example_scores_16_through_the_cli(
    pat_cli: PatCli, write_sheet: Callable[..., Path]
) -> None:
    sheet = write_sheet(
        [odpm_row("R1", WORKED_EXAMPLE, organisation="Council", level="board", round="1")]
    )
    as_csv = pat_cli("score", "pat-odpm", sheet, "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == 1
    assert list(rows[0]) == [*SHEET_HEADER, *PRINCIPLES, "aggregate"]
    assert rows[0] == {
        "respondent": "R1",
        "organisation": "Council",
        "level": "board",
        "round": "1",
        "P1": "16",
        **dict.fromkeys(PRINCIPLES[1:], "18"),
        "aggregate": "106",
    }

    as_json = pat_cli("score", "pat-odpm", sheet, "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    document = json.loads(as_json.stdout)
    assert document["format"] == "pat-scores" and document["version"] == 2
    entry = document["respondents"][0]
    assert entry["respondent"] == "R1"
    assert entry["attributes"] == {"organisation": "Council", "level": "board", "round": "1"}
    assert entry["sections"]["P1"] == {
        "score": 16,
        "band": "13–18",
        "answered": 6,
        "prorated": False,
    }
    band = next(
        b for b in document["bands"]["P1"] if b["label"] == entry["sections"]["P1"]["band"]
    )
    assert band == {"label": "13–18", "min": 13, "max": 18,
                    "text": "The need for partnership is recognised and accepted"}  # fmt: skip
    assert entry["aggregate"]["score"] == 106
    assert entry["aggregate"]["band"] == "73–108"
    assert entry["aggregate"]["scenario"] == "B"
    assert document["group"]["scenario"]["id"] == "B"

    as_text = pat_cli("score", "pat-odpm", sheet)
    assert as_text.exit_code == 0, as_text.output
    table = as_text.stdout.splitlines()
    header = next(line for line in table if line.startswith("respondent"))
    assert header.split() == [*SHEET_HEADER, *PRINCIPLES, "aggregate", "band", "scenario"]
    row = next(line for line in table if line.startswith("R1 "))
    assert row.split() == ["R1", "Council", "board", "1", "16", *["18"] * 5, "106", "73–108", "B"]
    assert "Scenario B: Working well in parts." in as_text.stdout


def test_score_csv_of_the_bundled_sample(pat_cli: PatCli) -> None:
    result = pat_cli("score", "pat-odpm", ODPM_SAMPLE, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    sample = list(csv.DictReader(ODPM_SAMPLE.open(encoding="utf-8")))
    assert [r["respondent"] for r in rows] == [r["respondent"] for r in sample]
    # R01 by hand: P1 SA SA A A A A = 20; P3 A A SA SA A A = 20.
    assert rows[0]["P1"] == "20" and rows[0]["P3"] == "20"


def test_score_prorated_and_unscored_in_csv_and_text(
    pat_cli: PatCli, write_sheet: Callable[..., Path]
) -> None:
    rows = [
        odpm_row("R1", {"P1A": "", "P1B": "D"}),  # 3+3+3+3+2 = 14 → 14/5 × 6 = 16.8
        odpm_row("R2", {"P1A": "", "P1B": ""}),  # two missing: no P1, no aggregate
    ]
    sheet = write_sheet(rows)
    result = pat_cli("score", "pat-odpm", sheet, "--format", "csv")
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (table[0]["P1"], table[0]["aggregate"]) == ("16.8", "106.8")
    assert (table[1]["P1"], table[1]["aggregate"]) == ("", "")
    assert table[1]["P2"] == "18"
    text = pat_cli("score", "pat-odpm", sheet).stdout
    assert "16.8*" in text
    assert "R2: P1 not scored, only 4 of 6 statements answered" in text


def test_score_writes_a_file_in_the_format_its_suffix_names(
    pat_cli: PatCli, write_sheet: Callable[..., Path], tmp_path: Path
) -> None:
    sheet = write_sheet([odpm_row("R1", WORKED_EXAMPLE)])
    out = tmp_path / "scores.json"
    result = pat_cli("score", "pat-odpm", sheet, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"wrote {out}" in result.stderr
    assert json.loads(out.read_text())["respondents"][0]["sections"]["P1"]["score"] == 16


def test_an_out_of_range_answer_exits_1_with_its_location(
    pat_cli: PatCli, write_sheet: Callable[..., Path], tmp_path: Path
) -> None:
    sheet = write_sheet([odpm_row("R1"), odpm_row("R2", {"P2C": 5})])
    before = (sheet.read_bytes(), sheet.stat().st_mtime_ns)
    out = tmp_path / "scores.csv"
    result = pat_cli("score", "pat-odpm", sheet, "-o", out)
    assert result.exit_code == 1
    assert (
        f"{sheet}, row 3, column P2C: '5' is not an answer on the Agreement scale; expected "
        "Strongly agree (4, SA); Agree (3, A); Disagree (2, D); Strongly disagree (1, SD)"
    ) in result.stderr
    assert "Traceback" not in result.output
    assert (sheet.read_bytes(), sheet.stat().st_mtime_ns) == before
    assert not out.exists()


def test_an_output_equal_to_an_input_is_refused(
    pat_cli: PatCli, write_sheet: Callable[..., Path]
) -> None:
    sheet = write_sheet([odpm_row("R1")])
    before = (sheet.read_bytes(), sheet.stat().st_mtime_ns)
    result = pat_cli("score", "pat-odpm", sheet, "-o", sheet)
    assert result.exit_code == 1
    assert f"refusing to write {sheet}: it is one of the input files" in result.stderr
    assert (sheet.read_bytes(), sheet.stat().st_mtime_ns) == before
    # The same file reached by another spelling of its path is refused too.
    other = sheet.parent / "." / sheet.name
    assert pat_cli("score", "pat-odpm", sheet, "-o", other).exit_code == 1
    assert sheet.read_bytes() == before[0]
    # And by another name: a hard link and a symbolic link to it.
    hard, soft = sheet.with_name("hard.csv"), sheet.with_name("soft.csv")
    os.link(sheet, hard)
    soft.symlink_to(sheet)
    for link in (hard, soft):
        result = pat_cli("score", "pat-odpm", sheet, "-o", link)
        assert f"refusing to write {link}: it is one of the input files" in result.stderr
    assert os.path.samefile(sheet, hard) and sheet.read_bytes() == before[0]


def test_a_failing_renderer_leaves_no_partial_output(
    pat_cli: PatCli,
    write_sheet: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    renderer = type(build_registry().get("renderer", ("scores", "csv")))

    def broken(self: object, result: object) -> str:
        raise PatError("the renderer broke half-way")

    def half_written(self: object, result: object) -> Iterator[str]:
        yield "respondent,P1\n"  # written to the file before the failure
        raise PatError("the renderer broke half-way")

    monkeypatch.setattr(renderer, "render", broken)
    monkeypatch.setattr(renderer, "pieces", half_written)  # how -o writes a large table
    sheet = write_sheet([odpm_row("R1")])
    out = tmp_path / "scores.csv"
    out.write_text("last week's scores\n")
    result = pat_cli("score", "pat-odpm", sheet, "-o", out)
    assert result.exit_code == 1
    assert "the renderer broke half-way" in result.stderr
    assert out.read_text() == "last week's scores\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.csv", "scores.csv"]


def test_write_atomic_cleans_up_when_the_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from pat_framework.output import write_atomic

    out = tmp_path / "scores.csv"
    out.write_text("old\n")

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(PatError, match=f"cannot write {out}: the disk is full"):
        write_atomic(out, "new\n")
    assert out.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["scores.csv"]
    monkeypatch.undo()
    write_atomic(out, "new\n")
    assert out.read_text() == "new\n"
    with pytest.raises(PatError, match=r"folder .* does not exist"):
        write_atomic(tmp_path / "absent" / "x.csv", "x")


def test_validate_an_instrument_file(pat_cli: PatCli, odpm: Instrument, tmp_path: Path) -> None:
    assert odpm.path is not None
    result = pat_cli("validate", odpm.path)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"ok: {odpm.path}: instrument 'pat-odpm', 8 sections, 43 items\n"

    broken = tmp_path / "broken.toml"
    text = odpm.path.read_text(encoding="utf-8")
    broken.write_text(text.replace('scale = "agree4"', 'scale = "agree5"', 2), encoding="utf-8")
    result = pat_cli("validate", broken)
    assert result.exit_code == 1
    lines = broken.read_text(encoding="utf-8").splitlines()
    scale_lines = [n for n, line in enumerate(lines, 1) if line == 'scale = "agree5"']
    assert f"{broken}, line {scale_lines[0]}, sections[1].scale: unknown scale 'agree5'" in (
        result.stderr
    )
    assert f"{broken}, line {scale_lines[1]}, sections[2].scale: unknown scale 'agree5'" in (
        result.stderr
    )
    assert "no scale" not in result.stderr  # the items take the section's scale: one problem


def test_validate_finds_band_problems(pat_cli: PatCli, odpm: Instrument, tmp_path: Path) -> None:
    assert odpm.path is not None
    text = odpm.path.read_text(encoding="utf-8")
    broken = tmp_path / "gap.toml"
    broken.write_text(text.replace("min = 13\nmax = 18", "min = 14\nmax = 18", 1))
    result = pat_cli("validate", broken)
    assert result.exit_code == 1
    lines = broken.read_text(encoding="utf-8").splitlines()
    band = lines.index("min = 14")  # the line above it, counted from 1, opens the band
    assert (
        f"{broken}, line {band}, sections[1].bands[2]: gap: no band holds scores between 12 "
        "and 14: start this band at 13 or end band 3 at 13"
    ) in result.stderr


def test_validate_a_response_file(
    pat_cli: PatCli, write_sheet: Callable[..., Path], tmp_path: Path
) -> None:
    good = write_sheet([odpm_row("R1"), odpm_row("R2", {"P1A": ""})], "good.csv")
    result = pat_cli("validate", good, "--instrument", "pat-odpm")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"ok: {good}: 2 respondent(s), 71 scored answers to pat-odpm\n"
    bad = write_sheet([odpm_row("R1", {"P6F": "SAA"})], "bad.csv")
    result = pat_cli("validate", bad, "-i", "pat-odpm")
    assert result.exit_code == 1
    assert f"{bad}, row 2, column P6F: 'SAA' is not an answer" in result.stderr
    result = pat_cli("validate", good)
    assert result.exit_code == 2
    assert "give --instrument ID to check a response file" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["score", "pat-odpm", "x.csv", "--format", "pdf"],
        ["score", "pat-odpm"],
        ["score"],
        ["show"],
        ["template", "pat-odpm"],
        ["validate"],
        ["no-such-command"],
    ],
)
def test_usage_errors_exit_2(pat_cli: PatCli, args: list[str]) -> None:
    result = pat_cli(*args)
    assert result.exit_code == 2, result.output
    assert "Usage:" in result.stderr or "Error:" in result.stderr


def test_unknown_format_names_the_formats(pat_cli: PatCli) -> None:
    result = pat_cli("score", "pat-odpm", "x.csv", "--format", "pdf")
    assert "'pdf' is not one of: " in result.stderr
    assert "csv" in result.stderr and "json" in result.stderr and "text" in result.stderr


def test_plugins_lists_the_default_and_bundled_plugins(pat_cli: PatCli) -> None:
    result = pat_cli("plugins")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "pat.scorers (pat-framework " in out
    assert "  hooks: register_scorers" in out
    assert "scorer sum" in out and "interpreter bands" in out
    assert re.search(rf"^pat_odpm \(pat[-_]framework {re.escape(__version__)}\)$", out, re.M)
    assert "instrument pat-odpm" in out


def test_schema_and_version(pat_cli: PatCli) -> None:
    result = pat_cli("schema")
    assert result.exit_code == 0
    path = Path(result.stdout.strip())
    assert path.name == "instrument.schema.json" and path.is_file()
    result = pat_cli("--version")
    assert result.exit_code == 0 and result.stdout.startswith("pat, version ")


def test_an_output_suffix_that_names_no_format_is_a_usage_error(
    pat_cli: PatCli, tmp_path: Path
) -> None:
    out = tmp_path / "scores.tsv"
    result = pat_cli("score", "pat-odpm", str(ODPM_SAMPLE), "-o", str(out))
    assert result.exit_code == 2
    assert "cannot tell the format from '.tsv'" in result.output
    assert ".csv, .json, .txt" in result.output
    assert not out.exists()


def test_a_sheet_with_a_header_and_no_rows_is_refused(pat_cli: PatCli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("respondent,organisation,P1A,P1B\n", encoding="utf-8")
    result = pat_cli("score", "pat-odpm", str(empty))
    assert result.exit_code == 1
    assert f"{empty}: no respondents: the file has a header but no rows of answers" in (
        result.output
    )


def test_outputs_get_the_usual_file_mode(pat_cli: PatCli, tmp_path: Path) -> None:
    import os

    out = tmp_path / "scores.csv"
    result = pat_cli("score", "pat-odpm", str(ODPM_SAMPLE), "-o", str(out))
    assert result.exit_code == 0, result.output
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


def test_template_xlsx_keeps_formula_like_statements_as_text(
    odpm: Instrument, tmp_path: Path
) -> None:
    import dataclasses

    from pat_framework.forms.templates import blank_sheet

    item = dataclasses.replace(odpm.items[0], text='=HYPERLINK("http://x","click")')
    section = dataclasses.replace(odpm.sections[0], items=(item, *odpm.sections[0].items[1:]))
    changed = dataclasses.replace(odpm, sections=(section, *odpm.sections[1:]))
    out = tmp_path / "t.xlsx"
    data = blank_sheet(changed, ".xlsx")
    assert isinstance(data, bytes)
    out.write_bytes(data)
    cell = load_workbook(out)["statements"]["C2"]
    assert cell.data_type == "s" and cell.value == item.text
    book = load_workbook(out)  # typed-in answers read back, with no note on the key sheet
    book["responses"].append(["R1", "Council", "board", "1", *["3"] * len(odpm.items)])
    book.save(out)
    from pat_framework.responses import read_responses

    assert not [n for n in read_responses(changed, [out]).notes if "sheet" in n]


def test_a_chart_of_groups_with_pasted_control_characters(pat_cli: PatCli, tmp_path: Path) -> None:
    text = ODPM_SAMPLE.read_text(encoding="utf-8")
    pasted = tmp_path / "pasted.csv"
    pasted.write_text(
        text.replace("Anytown Council", "Anytown\x0bCouncil\u2028"), encoding="utf-8"
    )
    result = pat_cli(
        "chart", "pat-odpm", pasted, "--kind", "subgroups", "--by", "organisation",
        "-o", tmp_path / "groups.svg",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Anytown Council (6)" in (tmp_path / "groups.svg").read_text(encoding="utf-8")


def test_score_takes_the_latest_round_as_analyse_does(
    pat_cli: PatCli, write_sheet: Callable[..., Path]
) -> None:
    rows = [odpm_row(f"A{k}", round="2025") for k in range(3)]
    rows += [odpm_row(f"B{k}", round="2026") for k in range(4)]
    sheet = write_sheet(rows)
    latest = pat_cli("score", "pat-odpm", sheet, "-f", "csv")
    assert latest.exit_code == 0, latest.output
    assert [line.split(",")[0] for line in latest.stdout.splitlines()[1:]] == [
        f"B{k}" for k in range(4)
    ]
    assert "round 2026 (4 of 7 respondents)" in latest.stderr
    pooled = pat_cli("score", "pat-odpm", sheet, "-f", "csv", "--round", "all")
    assert len(pooled.stdout.splitlines()) == 1 + 7


def test_a_large_scores_document_is_written_in_batches_and_reads_as_one(
    pat_cli: PatCli, write_sheet: Callable[..., Path], tmp_path: Path
) -> None:
    from pat_framework.render import scores

    rows = [odpm_row(f"R{k}", fill=k % 4 + 1, organisation="Council") for k in range(1500)]
    rows[7]["P1A"] = ""  # prorated
    sheet = write_sheet(rows)
    out = tmp_path / "scores.json"
    small, scores.BATCH = scores.BATCH, 400  # four batches
    try:
        result = pat_cli("score", "pat-odpm", sheet, "-o", out)
    finally:
        scores.BATCH = small
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [e["respondent"] for e in document["respondents"]] == [f"R{k}" for k in range(1500)]
    assert document["respondents"][7]["sections"]["P1"]["prorated"] is True
    assert document["respondents"][1499]["aggregate"] == {
        "score": 144, "band": "109–144", "scenario": "A"}  # fmt: skip
    assert list(document)[-3:] == ["group", "findings", "notes"]
