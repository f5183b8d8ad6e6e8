"""Reading answers: spellings, layouts, file types, and every kind of bad input located."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import odpm_row
from openpyxl import Workbook

from pat_framework.errors import ResponseError
from pat_framework.model import Instrument
from pat_framework.responses import (
    ANSWERED,
    BLANK,
    DONT_KNOW_STATE,
    NOT_APPLICABLE_STATE,
    read_responses,
)
from pat_framework.runtime import pipeline
from pat_framework.runtime.registry import build_registry
from pat_framework.workshop import load_workshop

ACCEPTED = (
    "expected Strongly agree (4, SA); Agree (3, A); Disagree (2, D); Strongly disagree (1, SD)"
)
ITEMS = [f"P{p}{e}" for p in range(1, 7) for e in "ABCDEF"]


def problems(instrument: Instrument, *paths: Path) -> list[str]:
    with pytest.raises(ResponseError) as caught:
        read_responses(instrument, list(paths))
    return [str(p) for p in caught.value.problems]


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def fingerprint(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("4", 4),
        ("4.0", 4),
        (" 4 ", 4),
        ("SA", 4),
        ("sa", 4),
        ("Sa", 4),
        (" strongly agree ", 4),
        ("STRONGLY AGREE", 4),
        ("Agree", 3),
        ("a", 3),
        ("3.00", 3),
        ("d", 2),
        ("Disagree", 2),
        ("sd", 1),
        ("Strongly Disagree", 1),
        ("1", 1),
    ],
)
def test_values_labels_and_codes_are_accepted_in_any_case_with_spaces(
    odpm: Instrument, write_sheet: Callable[..., Path], typed: str, value: int
) -> None:
    # Another row holds a label, so the column is read as text as in a real sheet.
    sheet = write_sheet([odpm_row("R1", {"P1A": typed}), odpm_row("R2", {"P1A": "SA"})])
    responses = read_responses(odpm, [sheet])
    assert responses.values.at["R1", "P1A"] == value
    assert responses.values.at["R2", "P1A"] == 4


def test_an_all_number_column_is_read_as_values(
    odpm: Instrument, write_sheet: Callable[..., Path]
) -> None:
    sheet = write_sheet([odpm_row("R1", fill=4), odpm_row("R2", fill=1)])
    responses = read_responses(odpm, [sheet])
    assert responses.values.loc["R1", ITEMS].tolist() == [4.0] * 36
    assert responses.values.loc["R2", ITEMS].tolist() == [1.0] * 36


def test_attributes_are_kept_and_extra_columns_noted(
    odpm: Instrument, write_sheet: Callable[..., Path]
) -> None:
    rows = [
        odpm_row("R1", organisation="Council", level="board", round="1", team="north"),
        odpm_row("R2", organisation="Trust", level="front line", round="1", team="south"),
    ]
    responses = read_responses(odpm, [write_sheet(rows)])
    attributes = responses.attributes
    assert list(attributes.index) == ["R1", "R2"]
    assert attributes.loc["R2"].to_dict() == {
        "organisation": "Trust",
        "level": "front line",
        "round": "1",
        "team": "south",
    }
    assert any("kept as respondent attributes: team" in note for note in responses.notes)
    # Items with no column are unanswered, and the user is told.
    assert any("no column for 7 item(s) (W1, W2" in note for note in responses.notes)


def test_aliases_for_respondent_and_organisation(
    odpm: Instrument, write_sheet: Callable[..., Path]
) -> None:
    row = odpm_row("R1", organisation="Council")
    row["respondent_id"] = row.pop("respondent")
    row["Organization"] = row.pop("organisation")
    responses = read_responses(odpm, [write_sheet([row])])
    assert list(responses.values.index) == ["R1"]
    assert responses.attributes.at["R1", "organisation"] == "Council"


def test_without_a_respondent_column_rows_are_named_by_file_and_row(
    odpm: Instrument, write_sheet: Callable[..., Path]
) -> None:
    rows = [{k: v for k, v in odpm_row("x").items() if k != "respondent"} for _ in range(2)]
    responses = read_responses(odpm, [write_sheet(rows, "north.csv")])
    assert list(responses.values.index) == ["north-2", "north-3"]


def test_blank_cells_are_unanswered_never_zero(
    odpm: Instrument, write_sheet: Callable[..., Path]
) -> None:
    sheet = write_sheet([odpm_row("R1", {"P1A": "", "P1B": "  "})])
    responses = read_responses(odpm, [sheet])
    assert math.isnan(responses.values.at["R1", "P1A"])
    assert math.isnan(responses.values.at["R1", "P1B"])
    assert responses.state_of("P1A")["R1"] == BLANK
    assert responses.state_of("P1C")["R1"] == ANSWERED


def test_dont_know_and_not_applicable_are_told_apart_from_blank(
    odpm: Instrument, tmp_path: Path
) -> None:
    from pat_framework.instrument.loader import instrument_from_dict

    scale = {
        "options": [
            {"value": 1, "label": "Yes", "codes": ["Y"]},
            {"value": 0, "label": "No", "codes": ["N"]},
            {"label": "Don't know", "codes": ["DK"], "missing": "dont_know"},
            {"label": "Not applicable", "codes": ["NA"], "missing": "not_applicable"},
        ]
    }
    items = [{"id": f"Q{k}", "text": f"Question {k}."} for k in range(1, 6)]
    instrument = instrument_from_dict(
        {
            "format": 1,
            "id": "yn",
            "title": "Yes or no",
            "version": "1",
            "source": {"title": "test"},
            "scales": {"yn": scale},
            "sections": [{"id": "S", "title": "S", "scale": "yn", "items": items}],
        },
        "yn.toml",
    )
    sheet = tmp_path / "yn.csv"
    sheet.write_text("respondent,Q1,Q2,Q3,Q4,Q5\nR1,y,No,dk,Not applicable,\n")
    responses = read_responses(instrument, [sheet])
    assert responses.values.loc["R1"].tolist()[:2] == [1.0, 0.0]
    assert responses.states is not None
    assert responses.states.loc["R1"].tolist() == [
        ANSWERED,
        ANSWERED,
        DONT_KNOW_STATE,
        NOT_APPLICABLE_STATE,
        BLANK,
    ]


def test_an_out_of_range_answer_names_file_row_column_value_and_accepted_answers(
    odpm: Instrument, write_sheet: Callable[..., Path]
) -> None:
    sheet = write_sheet([odpm_row("R1", fill=3), odpm_row("R2", {"P2C": 5}, fill=3)])
    before = fingerprint(sheet)
    assert problems(odpm, sheet) == [
        f"{sheet}, row 3, column P2C: '5' is not an answer on the Agreement scale; {ACCEPTED}"
    ]
    assert fingerprint(sheet) == before


def test_several_errors_are_reported_together(
    odpm: Instrument, write_sheet: Callable[..., Path]
) -> None:
    rows = [
        odpm_row("R1", {"P1A": "maybe"}),
        odpm_row("R2", {"P3F": "0", "P6A": "agree strongly"}),
        odpm_row("R3"),
        odpm_row("R1"),
    ]
    sheet = write_sheet(rows)
    found = problems(odpm, sheet)
    assert found == [
        f"{sheet}, row 2, column P1A: 'maybe' is not an answer on the Agreement scale; {ACCEPTED}",
        f"{sheet}, row 3, column P3F: '0' is not an answer on the Agreement scale; {ACCEPTED}",
        f"{sheet}, row 3, column P6A: 'agree strongly' is not an answer on the Agreement "
        f"scale; {ACCEPTED}",
        f"{sheet}, row 5, column respondent: duplicate respondent id 'R1' (also at row 2)",
    ]


def test_many_bad_answers_in_one_column_are_summarised(
    odpm: Instrument, write_sheet: Callable[..., Path]
) -> None:
    sheet = write_sheet([odpm_row(f"R{k}", {"P1A": "x"}) for k in range(8)])
    found = problems(odpm, sheet)
    assert len(found) == 6
    assert found[-1] == f"{sheet}, column P1A: … 3 more bad answers in this column"


def test_duplicate_respondent_ids_across_two_files(
    odpm: Instrument, write_sheet: Callable[..., Path]
) -> None:
    first = write_sheet([odpm_row("R1"), odpm_row("R2")], "first.csv")
    second = write_sheet([odpm_row("R3"), odpm_row("R2")], "second.csv")
    assert problems(odpm, first, second) == [
        f"{second}, row 3, column respondent: duplicate respondent id 'R2' (also at row 3 of "
        f"{first})"
    ]


def test_two_files_are_read_into_one_table(
    odpm: Instrument, write_sheet: Callable[..., Path]
) -> None:
    first = write_sheet([odpm_row("R1", fill="SA")], "first.csv")
    second = write_sheet([odpm_row("R2", fill="SD")], "second.csv")
    responses = read_responses(odpm, [first, second])
    assert list(responses.values.index) == ["R1", "R2"]
    assert responses.sources == (str(first), str(second))


def test_blank_respondent_id_is_an_error(
    odpm: Instrument, write_sheet: Callable[..., Path]
) -> None:
    sheet = write_sheet([odpm_row("R1"), odpm_row("")])
    assert problems(odpm, sheet) == [f"{sheet}, row 3, column respondent: respondent id is blank"]


def test_file_level_problems(odpm: Instrument, tmp_path: Path) -> None:
    text = tmp_path / "answers.txt"
    text.write_text("respondent,P1A\nR1,SA\n")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    no_items = tmp_path / "no-items.csv"
    no_items.write_text("respondent,name,score\nR1,Ann,12\n")
    absent = tmp_path / "absent.csv"
    found = problems(odpm, text, empty, no_items, absent)
    assert found == [
        f"{text}: unknown file type '.txt'; expected .csv, .tsv, .xlsx, .json",
        f"{empty}: the file is empty; expected a header row",
        f"{no_items}: no answer columns for pat-odpm: expected columns named by item id "
        "(P1A, P1B, P1C, …) or the long layout respondent,item,answer",
        f"{absent}: no such file",
    ]


def test_no_files_at_all(odpm: Instrument) -> None:
    with pytest.raises(ResponseError, match="give at least one response file"):
        read_responses(odpm, [])


def test_a_repeated_column_is_an_error(odpm: Instrument, tmp_path: Path) -> None:
    sheet = tmp_path / "repeat.csv"
    sheet.write_text("respondent,P1A,p1a\nR1,SA,A\n")
    assert problems(odpm, sheet) == [
        f"{sheet}, column p1a: column 'p1a' repeats column 'P1A'",
    ]


TEXT = "respondent,organisation,P1A,P1B\nR1,Café Société,SA,D\nR2,Ysgol Gymraeg,A,SD\n"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf8.csv", TEXT.encode()),
        ("bom.csv", TEXT.encode("utf-8-sig")),
        ("utf16.csv", TEXT.encode("utf-16")),  # what Excel's "Unicode text" writes: a BOM
        ("semicolon.csv", TEXT.replace(",", ";").encode()),
        ("tabs.tsv", TEXT.replace(",", "\t").encode("utf-16")),
        ("tabs.csv", TEXT.replace(",", "\t").encode()),
        ("excel-sep.csv", ("sep=;\n" + TEXT.replace(",", ";")).encode()),
        ("windows.csv", TEXT.encode("cp1252")),
    ],
)
def test_text_sheets_as_excel_and_others_write_them(
    odpm: Instrument, tmp_path: Path, name: str, data: bytes
) -> None:
    sheet = tmp_path / name
    sheet.write_bytes(data)
    responses = read_responses(odpm, [sheet])
    assert list(responses.attributes["organisation"]) == ["Café Société", "Ysgol Gymraeg"]
    assert responses.values.loc["R1", "P1A"] == 4 and responses.values.loc["R2", "P1B"] == 1
    fallback = [n for n in responses.notes if "Windows-1252" in n]
    assert bool(fallback) == (name == "windows.csv")
    assert sheet.read_bytes() == data  # never modified


def test_rows_after_an_excel_sep_line_are_numbered_as_in_the_file(
    odpm: Instrument, tmp_path: Path
) -> None:
    sheet = tmp_path / "sep.csv"
    sheet.write_text("sep=;\nrespondent;P1A\nR1;SA\nR2;Maybe\n")
    assert problems(odpm, sheet)[0].startswith(f"{sheet}, row 4, column P1A: 'Maybe'")


def test_long_csv_one_row_per_answer(odpm: Instrument, tmp_path: Path) -> None:
    sheet = tmp_path / "long.csv"
    lines = ["respondent,organisation,item,answer"]
    lines += [f"R1,Council,{item},SA" for item in ITEMS[:6]]
    lines += ["R2,Trust,p1a,sd", "R2,Trust,P1B, Agree "]
    sheet.write_text("\n".join(lines) + "\n")
    responses = read_responses(odpm, [sheet])
    assert list(responses.values.index) == ["R1", "R2"]
    assert responses.values.loc["R1", ITEMS[:6]].tolist() == [4.0] * 6
    assert responses.values.loc["R2", ["P1A", "P1B"]].tolist() == [1.0, 3.0]
    assert math.isnan(responses.values.at["R2", "P1C"])
    assert responses.attributes["organisation"].tolist() == ["Council", "Trust"]


def test_long_file_with_an_unknown_item_and_a_second_answer(
    odpm: Instrument, tmp_path: Path
) -> None:
    sheet = tmp_path / "long.csv"
    sheet.write_text("respondent,item,answer\nR1,P1A,SA\nR1,P9Z,A\nR1,P1A,D\nR2,P1B,9\nR2,P1C,\n")
    assert problems(odpm, sheet) == [
        f"{sheet}, row 3, column item: unknown item 'P9Z' (items: P1A, P1B, P1C, P1D, P1E, "
        "P1F, …)",
        f"{sheet}, row 4, column item: a second answer to P1A for respondent 'R1'",
        f"{sheet}, row 5, column answer: '9' is not an answer on the Agreement scale; {ACCEPTED}",
    ]


def test_long_file_needs_a_respondent_column(odpm: Instrument, tmp_path: Path) -> None:
    sheet = tmp_path / "long.csv"
    sheet.write_text("item,answer\nP1A,SA\n")
    assert problems(odpm, sheet) == [
        f"{sheet}: a long file (one row per answer) needs a 'respondent' column"
    ]


def test_long_file_with_two_organisations_for_one_respondent(
    odpm: Instrument, tmp_path: Path
) -> None:
    sheet = tmp_path / "long.csv"
    sheet.write_text("respondent,organisation,item,answer\nR1,Council,P1A,SA\nR1,Trust,P1B,A\n")
    assert problems(odpm, sheet) == [
        f"{sheet}, row 3, column organisation: respondent 'R1' has more than one organisation"
    ]


def test_xlsx_wide_with_numbers_and_labels(odpm: Instrument, tmp_path: Path) -> None:
    header = ["respondent", "organisation", *ITEMS]
    path = write_xlsx(
        tmp_path / "wide.xlsx",
        [
            header,
            ["R1", "Council", *([4] * 6), *(["Agree"] * 30)],
            ["R2", "Trust", 4.0, "sa", " Strongly agree ", 3, "D", "SD", *(["A"] * 30)],
        ],
    )
    responses = read_responses(odpm, [path])
    assert responses.values.loc["R1", ITEMS[:7]].tolist() == [4.0] * 6 + [3.0]
    assert responses.values.loc["R2", ITEMS[:6]].tolist() == [4.0, 4.0, 4.0, 3.0, 2.0, 1.0]
    assert responses.attributes.at["R2", "organisation"] == "Trust"


def test_xlsx_bad_answer_is_located(odpm: Instrument, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "wide.xlsx",
        [["respondent", *ITEMS], ["R1", *(["A"] * 36)], ["R2", *(["A"] * 7), 5, *(["A"] * 28)]],
    )
    assert problems(odpm, path) == [
        f"{path}, row 3, column P2B: '5' is not an answer on the Agreement scale; {ACCEPTED}"
    ]


def test_xlsx_long(odpm: Instrument, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "long.xlsx",
        [["respondent", "item", "answer"], ["R1", "P1A", 4], ["R1", "P1B", "sd"]],
    )
    responses = read_responses(odpm, [path])
    assert responses.values.loc["R1", ["P1A", "P1B"]].tolist() == [4.0, 1.0]


def test_damaged_workbook(odpm: Instrument, tmp_path: Path) -> None:
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(b"not a zip file")
    found = problems(odpm, path)
    assert len(found) == 1 and found[0].startswith(f"{path}: cannot read the workbook")


def test_json_wide_with_nested_answers_and_comments(odpm: Instrument, tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    records = [
        {
            "respondent": "R1",
            "organisation": "Council",
            "answers": {item: "SA" for item in ITEMS},
            "comments": {"P4B": "We could do better."},
        },
        {"respondent": "R2", "answers": {"P1A": 1, "P1B": "4.0", "P1C": "agree"}},
    ]
    path.write_text(json.dumps({"responses": records}))
    responses = read_responses(odpm, [path])
    assert responses.values.loc["R1", ITEMS].tolist() == [4.0] * 36
    assert responses.values.loc["R2", ["P1A", "P1B", "P1C"]].tolist() == [1.0, 4.0, 3.0]
    assert responses.comments is not None
    assert responses.comments.at["R1", "P4B"] == "We could do better."


def test_json_flat_list_and_long(odpm: Instrument, tmp_path: Path) -> None:
    flat = tmp_path / "flat.json"
    flat.write_text(json.dumps([{"respondent": "R1", "P1A": "A", "P1B": 2}]))
    long = tmp_path / "long.json"
    long.write_text(
        json.dumps(
            [
                {"respondent": "R2", "item": "P1A", "answer": "SD"},
                {"respondent": "R2", "item": "P1B", "answer": 4},
            ]
        )
    )
    responses = read_responses(odpm, [flat, long])
    assert responses.values.loc["R1", ["P1A", "P1B"]].tolist() == [3.0, 2.0]
    assert responses.values.loc["R2", ["P1A", "P1B"]].tolist() == [1.0, 4.0]


def test_json_values_that_are_objects_or_lists_are_named(odpm: Instrument, tmp_path: Path) -> None:
    path = tmp_path / "nested.json"
    path.write_text(
        json.dumps(
            [
                {"respondent": "R1", "answers": {"P1A": "SA"}},
                {"respondent": {"id": 2}, "level": ["board"], "answers": {"P1A": {"x": 1}}},
            ]
        )
    )
    single = "expected one value, text or a number"
    assert problems(odpm, path) == [
        f"{path}, row 2, column respondent: holds an object: {single}",
        f"{path}, row 2, column level: holds a list: {single}",
        f"{path}, row 2, column P1A: holds an object: {single}",
    ]


def test_json_bad_answer_names_the_record(odpm: Instrument, tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps([{"respondent": "R1", "answers": {"P2C": 5}}]))
    assert problems(odpm, path) == [
        f"{path}, row 1, column P2C: '5' is not an answer on the Agreement scale; {ACCEPTED}"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"people": []}', 'expected a list of respondent objects, or {"responses": [...]}'),
        ('[{"respondent": "R1", "answers": ["SA"]}]', "'answers' and 'comments' must be"),
    ],
)
def test_json_of_the_wrong_shape(
    odpm: Instrument, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(content)
    found = problems(odpm, path)
    assert len(found) == 1 and found[0].startswith(f"{path}: {message}")


def test_input_files_are_never_modified(
    odpm: Instrument, write_sheet: Callable[..., Path], tmp_path: Path
) -> None:
    good = write_sheet([odpm_row("R1")], "good.csv")
    bad = write_sheet([odpm_row("R2", {"P1A": "x"})], "bad.csv")
    before = {p: fingerprint(p) for p in (good, bad)}
    read_responses(odpm, [good])
    with pytest.raises(ResponseError):
        read_responses(odpm, [good, bad])
    assert {p: fingerprint(p) for p in (good, bad)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "good.csv"]


def test_codes_in_any_attribute_column_keep_their_leading_zeros(
    odpm: Instrument, write_sheet: Callable[..., Path]
) -> None:
    rows = [
        odpm_row("007", fill="A", organisation="0042", level="01", round="2026"),
        odpm_row("008", fill="SA", organisation="0043", level="02", round="2026"),
    ]
    responses = read_responses(odpm, [write_sheet(rows)])
    assert list(responses.values.index) == ["007", "008"]
    assert list(responses.attributes["organisation"]) == ["0042", "0043"]
    assert list(responses.attributes["level"]) == ["01", "02"]
    assert responses.values.loc["008", "P1A"] == 4


def test_a_row_cut_short_is_an_error_with_its_row(odpm: Instrument, tmp_path: Path) -> None:
    sheet = tmp_path / "short.csv"
    sheet.write_text(
        'respondent,organisation,P1A,P1B\nR1,Council,SA,A\nR2,"Trust\nNorth",A\nR3,X,D,D\n'
    )
    assert problems(odpm, sheet) == [
        f"{sheet}, row 3: the row has 3 of the header's 4 fields: it was cut short (check for "
        "a missing delimiter or a line break inside an answer)"
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_second_column_for_one_item_is_an_error(
    odpm: Instrument, tmp_path: Path, suffix: str
) -> None:
    rows = [["respondent", "P1A", "P1B", "P1A"], ["R1", "SA", "A", "D"]]
    sheet = tmp_path / f"twice{suffix}"
    if suffix == ".csv":
        sheet.write_text("\n".join(",".join(r) for r in rows) + "\n")
    else:
        write_xlsx(sheet, rows)
    assert problems(odpm, sheet) == [f"{sheet}, column P1A: a second column named 'P1A'"]


def test_formulas_without_a_saved_value_and_error_cells(odpm: Instrument, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["respondent", "P1A", "P1B", "P1C"])
    sheet.append(["R1", "SA", '=IF(1,"A","D")', "#N/A"])  # openpyxl saves no value
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    assert problems(odpm, path) == [
        f'{path}, row 2, column C (P1B): the cell holds a formula (=IF(1,"A","D")) with no '
        "saved value: open the file in Excel or LibreOffice and save it, or type the answer",
        f"{path}, row 2, column D (P1C): the cell holds the error #N/A: enter the answer, or "
        "clear the cell",
    ]


def test_answers_on_a_second_sheet_are_an_error_and_notes_on_it_a_note(
    odpm: Instrument, tmp_path: Path
) -> None:
    book = Workbook()
    first = book.active
    first.title = "Board"
    first.append(["respondent", "P1A"])
    first.append(["R1", "SA"])
    second = book.create_sheet("Staff")
    second.append(["respondent", "P1A"])
    second.append(["R2", "A"])
    path = tmp_path / "two.xlsx"
    book.save(path)
    assert problems(odpm, path) == [
        f"{path}: answers on more than one sheet (Board, Staff): pat reads one sheet: say "
        "which with --sheet NAME, or save each sheet as its own file"
    ]
    staff = read_responses(odpm, [path], sheet="staff")  # matched as Excel does
    assert list(staff.values.index) == ["R2"]
    assert f"{path}: read sheet 'Staff' only, not 'Board'" in staff.notes
    with pytest.raises(ResponseError) as missing:
        read_responses(odpm, [path], sheet="Partners")
    assert [str(p) for p in missing.value.problems] == [
        f"{path}: --sheet: the workbook has no sheet named 'Partners' (its sheets: 'Board', "
        "'Staff')"
    ]
    del book["Staff"]
    book.create_sheet("Notes").append(["Collected at the March workshop"])
    book.save(path)
    responses = read_responses(odpm, [path])
    assert f"{path}: read sheet 'Board' only, not 'Notes'" in responses.notes


def test_sheet_option_on_the_command_line_and_in_a_workshop(pat_cli: Any, tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Instructions"
    book.active.append(["Fill in the second sheet"])
    answers = book.create_sheet("Answers")
    answers.append(["respondent", *[f"P{p}{s}" for p in range(1, 7) for s in "ABCDEF"]])
    answers.append(["R1", *["SA"] * 36])
    path = tmp_path / "book.xlsx"
    book.save(path)
    result = pat_cli("score", "pat-odpm", path, "--sheet", "Answers", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith("R1,")
    assert "read sheet 'Answers' only, not 'Instructions'" in result.stderr
    workshop = tmp_path / "w.toml"
    workshop.write_text(
        'title = "W"\npartnership = "Anytown"\npurpose = "diagnostic"\n'
        '[[instruments]]\nid = "pat-odpm"\n'
        f'responses = ["{path.name}"]\nsheet = "Answers"\n',
        encoding="utf-8",
    )
    entry = load_workshop(workshop).instruments[0]
    assert entry.source.sheet == "Answers"
    read = pipeline.read(build_registry(), "pat-odpm", entry.responses, entry.source)
    assert list(read.values.index) == ["R1"]


def test_invisible_characters_are_removed_with_a_note(odpm: Instrument, tmp_path: Path) -> None:
    sheet = tmp_path / "pasted.csv"
    sheet.write_text(
        "respondent,organisation,level,P1A,P1A_comment\n"
        'R1,Anytown\x0cCouncil,\x1b]0;owned\x07Board,SA,"first line\r\nsecond\u2028line"\n'
        "R2,Anytown Council\u202e,Board\x00,A,\n",
        encoding="utf-8",
    )
    responses = read_responses(odpm, [sheet])
    assert list(responses.attributes["organisation"]) == ["Anytown Council"] * 2
    assert list(responses.attributes["level"]) == ["]0;owned Board", "Board"]
    assert responses.comments is not None
    assert responses.comments.loc["R1", "P1A"] == "first line\nsecond line"
    assert (
        f"{sheet}: invisible characters (control characters such as a pasted line break or a "
        "terminal code) were removed from P1A_comment, level, organisation" in responses.notes
    )


def test_a_bad_answer_is_shown_with_its_invisible_characters(
    odpm: Instrument, tmp_path: Path
) -> None:
    sheet = tmp_path / "nbsp.csv"
    sheet.write_text("respondent,P1A\nR1,S\u00a0A\nR2,\x1b[2JSA\n", encoding="utf-8")
    found = problems(odpm, sheet)
    assert found[0].startswith(f"{sheet}, row 2, column P1A: 'S\\xa0A' is not an answer")
    assert found[1].startswith(f"{sheet}, row 3, column P1A: '\\x1b[2JSA' is not an answer")
    assert "\x1b" not in "".join(found)


def test_what_pat_writes_inert_it_reads_back(odpm: Instrument, tmp_path: Path) -> None:
    from pat_framework.output import csv_text

    frame = pd.DataFrame({"respondent": ["R1"], "=HYPERLINK(1)": ["+44 team"], "P1A": ["SA"]})
    text = csv_text(frame)
    assert text.splitlines()[0] == "respondent,'=HYPERLINK(1),P1A"
    assert text.splitlines()[1] == "R1,'+44 team,SA"
    sheet = tmp_path / "written.csv"
    sheet.write_text(text, encoding="utf-8")
    responses = read_responses(odpm, [sheet])
    assert list(responses.attributes.columns) == ["=HYPERLINK(1)"]
    assert responses.attributes.iloc[0, 0] == "+44 team"


def test_the_byte_screens_find_a_formula_and_a_comma_in_a_later_chunk() -> None:
    """csv_pieces screens a text column's bytes before checking its cells: a formula start
    or a comma in a later chunk of a sliced column, past nulls and non-ASCII text, is found,
    and a column with neither is passed."""
    import pyarrow as pa

    from pat_framework import output

    column = pa.chunked_array([["=no", None, "Brønnøysund"], ["x", None, "=SUM(A1)", "a,b"]])
    assert output._may_start(column.slice(1)) and output._may_hold(column.slice(1), [","])
    assert not output._may_start(column.slice(1, 4)) and not output._may_hold(column, ['"'])
    frame = pa.table({"name": column.slice(1)}).to_pandas()
    assert "".join(output.csv_pieces(frame)).splitlines() == [
        "name", "", '"Brønnøysund"', '"x"', "", "\"'=SUM(A1)\"", '"a,b"'
    ]  # fmt: skip
