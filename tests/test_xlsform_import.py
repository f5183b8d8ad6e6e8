"""`pat import xlsform`: small XLSForms made with openpyxl become instruments that validate and
score; every problem names the sheet, row and column."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import PatCli
from openpyxl import Workbook

from pat_framework.authoring.xlsform_toml import thirds
from pat_framework.bands import ScoreRange, check_bands
from pat_framework.instrument.loader import load_instrument
from pat_framework.model import DONT_KNOW, NOT_APPLICABLE, Band
from pat_framework.runtime import plugins
from pat_framework.runtime.registry import Registry

Sheets = dict[str, Sequence[Sequence[Any]]]

SURVEY = [
    ("type", "name", "label::English (en)", "label::Français (fr)", "hint::English (en)"),
    ("start", "start", None, None, None),
    ("text", "organisation", "Your organisation", "Votre organisation", None),
    ("begin group", "leadership", "Leadership", "Direction", None),
    ("select_one agree", "lead1", "Leaders share a vision", "Vision partagée", "The board"),
    ("select_one agree", "lead2", "Leaders listen", "Écoute", None),
    ("note", "thanks", "Thank you", "Merci", None),
    ("end group", None, None, None, None),
    ("begin_group", "trust", "Trust", "Confiance", None),
    ("select_one yn", "t1", "Partners keep promises", "Promesses", None),
    ("select_one yn", "t2", "Information is shared", "Information", None),
    ("select_multiple agree", "pick", "Pick some", "Choisir", None),
    ("end_group", None, None, None, None),
    ("integer", "age", "Years in post", "Années", None),
    ("select_one agree", "overall.view", "Overall it works", "Ça marche", None),
]
CHOICES = [
    ("list_name", "name", "label::English (en)", "label::Français (fr)"),
    ("agree", "sa", "Strongly agree", "Tout à fait d'accord"),
    ("agree", "a", "Agree", "D'accord"),
    ("agree", "d", "Disagree", "Pas d'accord"),
    ("agree", "sd", "Strongly disagree", "Pas du tout d'accord"),
    ("agree", "dk", "Don't know", "Ne sait pas"),
    ("yn", 1, "Yes", "Oui"),
    ("yn", 0, "No", "Non"),
    ("yn", 99, "Not applicable", "Sans objet"),
]
SETTINGS = [
    ("form_title", "form_id", "version", "default_language"),
    ("Partnership pulse", "pulse_2026", "2026-01", "English (en)"),
]


@pytest.fixture
def make_form(tmp_path: Path) -> Callable[..., Path]:
    """Write an XLSForm workbook from rows per sheet (the first sheet first)."""

    def make(sheets: Sheets, name: str = "form.xlsx") -> Path:
        book = Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(list(row))
        path = tmp_path / name
        book.save(path)
        return path

    return make


@pytest.fixture
def pulse(make_form: Callable[..., Path]) -> Path:
    return make_form({"survey": SURVEY, "choices": CHOICES, "settings": SETTINGS})


def test_a_small_form_becomes_an_instrument_that_validates(
    pat_cli: PatCli, pulse: Path, registry: Registry
) -> None:
    result = pat_cli("import", "xlsform", pulse)
    assert result.exit_code == 0, result.output
    out = pulse.with_suffix(".toml")
    assert f"wrote {out}" in result.stderr
    assert pat_cli("validate", out).stdout == (
        f"ok: {out}: instrument 'pulse-2026', 3 sections, 5 items\n"
    )
    instrument = load_instrument(out)
    assert registry.check(instrument) == []
    assert (instrument.title, instrument.version) == ("Partnership pulse", "2026-01")
    assert [(s.id, s.title) for s in instrument.sections] == [
        ("leadership", "Leadership"),
        ("trust", "Trust"),
        ("main", "Questions"),
    ]
    assert [s.item_ids for s in instrument.sections] == [
        ["lead1", "lead2"],
        ["t1", "t2"],
        ["overall-view"],
    ]
    lead1 = instrument.item("lead1")
    assert (lead1.text, lead1.guidance) == ("Leaders share a vision", "The board")
    agree = instrument.scales["agree"]
    assert [(o.label, o.value, o.codes, o.missing) for o in agree.options] == [
        ("Strongly agree", 1, ("sa",), None),
        ("Agree", 2, ("a",), None),
        ("Disagree", 3, ("d",), None),
        ("Strongly disagree", 4, ("sd",), None),
        ("Don't know", None, ("dk",), DONT_KNOW),
    ]
    yn = instrument.scales["yn"]
    assert [(o.label, o.value, o.codes, o.missing) for o in yn.options] == [
        ("Yes", 1, (), None),
        ("No", 0, (), None),
        ("Not applicable", None, ("99",), NOT_APPLICABLE),
    ]
    assert [(b.min, b.max) for b in instrument.section("leadership").bands] == [
        (2, 3),
        (4, 5),
        (6, 8),
    ]
    assert [(b.min, b.max) for b in instrument.section("trust").bands] == [
        (0, 0),
        (1, 1),
        (2, 2),
    ]
    assert [(b.min, b.max) for b in instrument.aggregate_bands] == [(3, 6), (7, 10), (11, 14)]
    text = out.read_text(encoding="utf-8")
    assert "REVIEW BEFORE USE" in text
    assert "# Review: made as thirds of the totals 2–8." in text
    assert "# List 'agree': the names are not all numbers, so answers score by their order" in (
        text
    )


def test_each_skipped_row_and_each_value_rule_is_a_note(pat_cli: PatCli, pulse: Path) -> None:
    result = pat_cli("import", "xlsform", pulse)
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if line.startswith("pat: note: ")]
    survey, choices = f"pat: note: {pulse}, sheet survey", f"pat: note: {pulse}, sheet choices"
    assert notes == [
        f"{survey}, row 1: labels read in English (en); the form also has Français (fr) "
        "(choose with --language)",
        f"{survey}, row 2, column A (type): 'start' (start) skipped: not a question",
        f"{survey}, row 3, column A (type): 'organisation' (text) skipped: only select_one "
        "questions are scored (answers to other questions can stay as extra columns of the "
        "response file)",
        f"{survey}, row 7, column A (type): 'thanks' (note) skipped: only select_one questions "
        "are scored (answers to other questions can stay as extra columns of the response file)",
        f"{survey}, row 12, column A (type): 'pick' skipped: select_multiple is not supported "
        "(pat scores one answer per statement; split it into select_one questions)",
        f"{survey}, row 14, column A (type): 'age' (integer) skipped: only select_one questions "
        "are scored (answers to other questions can stay as extra columns of the response file)",
        f"{survey}, row 15, column B (name): 'overall.view' becomes the item id 'overall-view'",
        f"{choices}, row 2, column A (list_name): list 'agree': the names are not all numbers, "
        "so answers score by their order in the list, the first 1 (Strongly agree = 1, Agree = "
        "2, Disagree = 3, Strongly disagree = 4). Check this; if a higher score should mean "
        "better, swap the values in the file",
        f"{choices}, row 7, column A (list_name): list 'yn': each answer scores its name, a "
        "number (Yes = 1, No = 0)",
    ]


def test_the_imported_instrument_scores_answers_typed_as_labels_or_choice_names(
    pulse: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pat_cli: PatCli,
) -> None:
    monkeypatch.setattr(plugins, "_extra_dirs", [])
    folder = tmp_path / "instruments"
    folder.mkdir()
    assert pat_cli("import", "xlsform", pulse, "-o", folder / "pulse.toml").exit_code == 0
    sheet = tmp_path / "answers.csv"
    sheet.write_text(
        "respondent,organisation,lead1,lead2,t1,t2,overall-view\n"
        "R1,North,sa,Agree,1,0,sd\n"  # 1+2, 1+0, 4: aggregate 8
        "R2,South,Strongly disagree,sd,Yes,Not applicable,a\n",  # 4+4, 1 prorated to 2, 2
        encoding="utf-8",
    )
    result = pat_cli("--instruments-dir", folder, "score", "pulse-2026", sheet, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["leadership"], r["trust"], r["main"], r["aggregate"]) for r in rows] == [
        ("3", "1", "4", "8"),
        ("8", "2", "2", "12"),
    ]


def test_language_option_picks_the_label_columns(
    pat_cli: PatCli, pulse: Path, tmp_path: Path
) -> None:
    out = tmp_path / "fr.toml"
    result = pat_cli("import", "xlsform", pulse, "--language", "fr", "-o", out, "--id", "p-fr")
    assert result.exit_code == 0, result.output
    instrument = load_instrument(out)
    assert instrument.id == "p-fr"
    assert instrument.item("lead1").text == "Vision partagée"
    assert instrument.section("trust").title == "Confiance"
    assert instrument.scales["yn"].options[0].label == "Oui"
    assert instrument.item("lead1").guidance == ""  # no French hint column

    result = pat_cli("import", "xlsform", pulse, "--language", "Deutsch", "-o", out, "--force")
    assert result.exit_code == 1
    assert f"{pulse}: no labels in 'Deutsch' (languages: English (en), Français (fr))" in (
        result.stderr
    )


def test_a_plain_label_column_and_numeric_choice_names(
    pat_cli: PatCli, make_form: Callable[..., Path], tmp_path: Path
) -> None:
    form = make_form(
        {
            "survey": [
                ("type", "name", "label"),
                ("select_one five", "q1", "First"),
                ("select_one five", "q2", "Second"),
            ],
            "choices": [
                ("list name", "name", "label"),  # the older spelling of list_name
                *(("five", k, f"{k} of 5") for k in range(5, 0, -1)),
                ("five", 9, "Do not know"),
            ],
        },
        name="My Survey.xlsx",
    )
    out = tmp_path / "plain.toml"
    result = pat_cli("import", "xlsform", form, "-o", out)
    assert result.exit_code == 0, result.output
    instrument = load_instrument(out)
    assert instrument.id == "my-survey" and instrument.title == "My Survey"
    assert [s.id for s in instrument.sections] == ["main"]
    assert [(o.value, o.missing) for o in instrument.scales["five"].options] == [
        (5, None),
        (4, None),
        (3, None),
        (2, None),
        (1, None),
        (None, DONT_KNOW),
    ]
    assert [(b.min, b.max) for b in instrument.section("main").bands] == [
        (2, 4),
        (5, 7),
        (8, 10),
    ]


def test_every_problem_names_the_sheet_row_and_column(
    pat_cli: PatCli, make_form: Callable[..., Path]
) -> None:
    form = make_form(
        {
            "survey": [
                ("type", "name", "label"),
                ("begin group", "g1", "Group one"),
                ("select_one agre", "q1", "Statement one"),
                ("select_one agree", "q2", None),
                ("select_one agree", "Q1", "Same name as q1"),
                ("select_one", "q3", "No list"),
                ("end group", None, None),
                ("end group", None, None),
                ("begin group", "g2", "Never closed"),
                ("select_one agree", "q4", "Fine"),
            ],
            "choices": [
                ("list_name", "name", "label"),
                ("agree", "a", "Agree"),
                ("agree", "a", "Agree again"),
                ("agree", "b", "Disagree"),
            ],
        }
    )
    result = pat_cli("import", "xlsform", form)
    assert result.exit_code == 1
    survey, choices = f"  {form}, sheet survey", f"  {form}, sheet choices"
    assert result.stderr.splitlines() == [
        f"Error: {form}: 7 problem(s) in the XLSForm",
        f"{survey}, row 4, column C (label): 'q2' has no label: a select_one question needs "
        "the statement people answer",
        f"{survey}, row 5, column B (name): 'Q1' cannot be an item id: row 3 has the item id "
        "'q1' already (ids must differ, ignoring upper and lower case)",
        f"{survey}, row 6, column A (type): select_one needs the name of a choice list: "
        "select_one LIST",
        f"{survey}, row 8, column A (type): 'end group' has no 'begin group' above it",
        f"{survey}, row 9, column A (type): 'begin group' g2 has no 'end group'",
        f"{survey}, row 3, column A (type): the choices sheet has no list 'agre' (lists: "
        "agree); did you mean 'agree'?",
        f"{choices}, row 3, column B (name): 'a' is in list 'agree' already (row 2)",
    ]
    assert not form.with_suffix(".toml").exists()


def test_two_answers_with_one_label_are_named(
    pat_cli: PatCli, make_form: Callable[..., Path]
) -> None:
    form = make_form(
        {
            "survey": [("type", "name", "label"), ("select_one yn", "q1", "A statement")],
            "choices": [("list_name", "name", "label"), ("yn", "y", "Yes"), ("yn", "n", "yes")],
        }
    )
    result = pat_cli("import", "xlsform", form)
    assert result.exit_code == 1
    assert (
        f"{form}, sheet choices, row 3, column C (label): 'yes' also names the answer of row 2 "
        "in list 'yn': each answer needs a label of its own"
    ) in result.stderr


@pytest.mark.parametrize(
    ("sheets", "message"),
    [
        (
            {"questions": [("type", "name", "label")]},
            "an XLSForm needs a sheet named 'survey' (sheets: questions)",
        ),
        (
            {"survey": [("kind", "name", "label"), ("select_one x", "q", "Q")]},
            "sheet survey, row 1: no 'type' column (the first row holds the headers: kind, "
            "name, label)",
        ),
        (
            {"survey": [("type", "name", "label"), ("select_one yn", "q1", "Q")]},
            "sheet survey, row 2, column A (type): no 'choices' sheet for the lists",
        ),
        (
            {"survey": [("type", "name", "label"), ("text", "q1", "Name"), ("note", "n", "Hi")]},
            "no select_one questions, so nothing to score (2 row(s) skipped",
        ),
        (
            {
                "survey": [("type", "name", "label"), ("select_one yn", "q1", "Q")],
                "choices": [("list_name", "name", "label"), ("yn", "dk", "Don't know")],
            },
            "sheet choices, row 2, column B (name): list 'yn' has no answer that scores",
        ),
    ],
    ids=["no survey", "no type column", "no choices", "no select_one", "nothing scores"],
)
def test_forms_that_cannot_be_converted(
    pat_cli: PatCli, make_form: Callable[..., Path], sheets: Sheets, message: str
) -> None:
    form = make_form(sheets)
    result = pat_cli("import", "xlsform", form)
    assert result.exit_code == 1
    assert f"{form}: {message}" in result.stderr or f"{form}, {message}" in result.stderr, (
        result.stderr
    )


def test_output_is_never_an_input_or_an_existing_file_and_is_written_atomically(
    pat_cli: PatCli, pulse: Path, tmp_path: Path
) -> None:
    result = pat_cli("import", "xlsform", pulse, "-o", pulse)
    assert result.exit_code == 1
    assert f"refusing to write {pulse}: it is one of the input files" in result.stderr
    out = tmp_path / "pulse.toml"
    out.write_text("mine", encoding="utf-8")
    result = pat_cli("import", "xlsform", pulse, "-o", out)
    assert result.exit_code == 1
    assert "give --force to replace it" in result.stderr
    assert out.read_text(encoding="utf-8") == "mine"
    assert pat_cli("import", "xlsform", pulse, "-o", out, "--force").exit_code == 0
    assert load_instrument(out).id == "pulse-2026"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["form.xlsx", "pulse.toml"]


def test_bad_id_and_an_id_already_installed(pat_cli: PatCli, pulse: Path) -> None:
    result = pat_cli("import", "xlsform", pulse, "--id", "Pulse 2026")
    assert result.exit_code == 1
    assert "--id 'Pulse 2026' cannot be an instrument id" in result.stderr
    assert "(for example 'pulse-2026')" in result.stderr
    result = pat_cli("import", "xlsform", pulse, "--id", "pat-odpm")
    assert result.exit_code == 1
    assert "an instrument with id 'pat-odpm' is installed already (from pat_odpm)" in (
        result.stderr
    )


def test_not_a_workbook(pat_cli: PatCli, tmp_path: Path) -> None:
    old = tmp_path / "form.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    result = pat_cli("import", "xlsform", old)
    assert "an XLSForm must be an Excel .xlsx file (save it as .xlsx)" in result.stderr
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    result = pat_cli("import", "xlsform", fake)
    assert result.exit_code == 1
    assert f"{fake}: cannot read the workbook" in result.stderr


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (3, 12, [(3, 5), (6, 8), (9, 12)]),
        (2, 8, [(2, 3), (4, 5), (6, 8)]),
        (6, 24, [(6, 11), (12, 17), (18, 24)]),
        (0, 2, [(0, 0), (1, 1), (2, 2)]),
        (0, 1, [(0, 0), (1, 1)]),
        (4, 4, [(4, 4)]),
    ],
)
def test_thirds_of_whole_number_ranges(low: int, high: int, expected: list[tuple]) -> None:
    assert [(a, b) for a, b, _ in thirds(low, high, whole=True)] == expected


def test_thirds_tile_every_range_with_no_gap_or_overlap() -> None:
    for low in range(-3, 5):
        for high in range(low, low + 40):
            bands = [Band(a, b, label) for a, b, label in thirds(low, high, whole=True)]
            assert check_bands(bands, ScoreRange(low, high), "b") == [], (low, high)
    for low, high in [(0, 1), (0, 0.5), (1.5, 7.25), (0, 100)]:
        bands = [Band(a, b, label) for a, b, label in thirds(low, high, whole=False)]
        assert check_bands(bands, ScoreRange(low, high, whole=False), "b") == []
        assert len(bands) == 3
