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
    assert text.startswith("#:schema ./instrument.schema.json\n")
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
        f"{survey}, row 3, column B (name): 'organisation' (text) is about the respondent, not "
        "a statement: not scored. Keep its answers in the response file as the column "
        "'organisation', to compare groups by",
        f"{survey}, row 7, column A (type): 'thanks' (note) skipped: only select_one questions "
        "are scored (answers to other questions can stay as extra columns of the response file)",
        f"{survey}, row 12, column A (type): 'pick' (select_multiple agree) skipped: "
        "select_multiple is not supported (pat scores one answer per statement; split it into "
        "select_one questions)",
        f"{survey}, row 14, column A (type): 'age' (integer) skipped: only select_one questions "
        "are scored (answers to other questions can stay as extra columns of the response file)",
        f"{survey}, row 15, column B (name): 'overall.view' becomes the item id 'overall-view'",
        f"{choices}, row 2, column A (list_name): list 'agree': the names are not all numbers, "
        "so answers score by their order in the list, the first 1 (Strongly agree = 1, Agree = "
        "2, Disagree = 3, Strongly disagree = 4). Check this; if a higher score should mean "
        "better, swap the values in the file. Not scored: Don't know (dk) as don't know",
        f"{choices}, row 7, column A (list_name): list 'yn': each answer scores its name, a "
        "number (Yes = 1, No = 0). Not scored: Not applicable (99) as not applicable",
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
    # No French hint column: the English hint is read instead, and said so.
    assert instrument.item("lead1").guidance == "The board"
    assert (
        f"pat: note: {pulse}, sheet survey: 1 hint(s) not given in Français (fr), read in "
        "English (en) instead (rows 5)"
    ) in result.stderr

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


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])
def test_a_damaged_workbook_is_named(pat_cli: PatCli, tmp_path: Path, suffix: str) -> None:
    fake = tmp_path / f"fake{suffix}"
    fake.write_bytes(b"\xd0\xcf\x11\xe0 not a workbook")
    result = pat_cli("import", "xlsform", fake)
    assert result.exit_code == 1
    assert f"{fake}: cannot read the workbook (" in result.stderr
    assert "Traceback" not in result.output


def test_not_a_workbook(pat_cli: PatCli, tmp_path: Path) -> None:
    text = tmp_path / "form.csv"
    text.write_text("survey,type,name\n", encoding="utf-8")
    result = pat_cli("import", "xlsform", text)
    assert result.exit_code == 1
    assert (
        f"{text}: an XLSForm must be a workbook: .xlsx, .xls or .ods (got '.csv'; save it as "
        ".xlsx)"
    ) in result.stderr
    result = pat_cli("import", "xlsform", tmp_path / "missing.xlsx")
    assert result.exit_code == 1
    assert "missing.xlsx: no such file" in result.stderr


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


def _xls(sheets: Sheets, path: Path) -> Path:
    """The workbook as an Excel 97-2003 .xls file (xlwt: a test dependency)."""
    import xlwt

    book = xlwt.Workbook()
    for title, rows in sheets.items():
        sheet = book.add_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    book.save(str(path))
    return path


def _ods(sheets: Sheets, path: Path) -> Path:
    """The workbook as an OpenDocument spreadsheet, written with odfpy."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for title, rows in sheets.items():
        table = Table(name=title)
        for row in rows:
            line = TableRow()
            for value in row:
                if value is None:
                    cell = TableCell()
                elif isinstance(value, int | float):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=value))
                line.addElement(cell)
            table.addElement(line)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def _content(path: Path) -> tuple[Any, ...]:
    instrument = load_instrument(path)
    return (
        instrument.id,
        instrument.title,
        [
            (s.id, s.title, [(i.id, i.text, i.guidance) for i in s.items])
            for s in instrument.sections
        ],
        {
            k: [(o.label, o.value, o.codes, o.missing) for o in v.options]
            for k, v in instrument.scales.items()
        },
    )


@pytest.mark.parametrize("write", [_xls, _ods], ids=["xls", "ods"])
def test_xls_and_ods_workbooks_import_as_the_xlsx_does(
    pat_cli: PatCli, pulse: Path, tmp_path: Path, write: Callable[[Sheets, Path], Path]
) -> None:
    assert pat_cli("import", "xlsform", pulse).exit_code == 0
    suffix = ".xls" if write is _xls else ".ods"
    form = write(
        {"survey": SURVEY, "choices": CHOICES, "settings": SETTINGS}, tmp_path / f"p{suffix}"
    )
    out = tmp_path / "other.toml"
    result = pat_cli("import", "xlsform", form, "-o", out)
    assert result.exit_code == 0, result.output
    assert _content(out) == _content(pulse.with_suffix(".toml"))
    # Notes name the same sheets, rows and columns whatever the workbook format.
    assert f"{form}, sheet survey, row 15, column B (name): 'overall.view' becomes" in (
        result.stderr
    )


def test_a_problem_in_an_ods_names_the_row_and_column(pat_cli: PatCli, tmp_path: Path) -> None:
    form = _ods(
        {
            "survey": [
                ("type", "name", None, "label"),
                (None,),
                ("select_one yn", "q1", None, None),
            ],
            "choices": [("list_name", "name", "label"), ("yn", "y", "Yes")],
        },
        tmp_path / "f.ods",
    )
    result = pat_cli("import", "xlsform", form)
    assert result.exit_code == 1
    assert f"{form}, sheet survey, row 3, column D (label): 'q1' has no label" in result.stderr


def test_the_spellings_pyxform_accepts(
    pat_cli: PatCli, make_form: Callable[..., Path], tmp_path: Path
) -> None:
    form = make_form(
        {
            "survey": [
                ("Type", "Name", "Label:English", "Label:Deutsch", "Hint:English"),
                ("begin_group", "g", "Group", "Gruppe", None),
                ("select one from agree", "q1", "First", "Erste", "A hint"),
                ("select1 agree", "q2", "Second", "Zweite", None),
                ("select_one agree or_other", "q3", "Third", "Dritte", None),
                ("end_group", None, None, None, None),
            ],
            "choices": [
                ("List Name", "Name", "Label:English", "Label:Deutsch"),
                ("agree", 1, "No", "Nein"),
                ("agree", 2, "Yes", "Ja"),
            ],
            "settings": [
                ("title", "id_string", "default_language"),
                ("Spelt", "spelt", "Deutsch"),
            ],
        }
    )
    out = tmp_path / "spelt.toml"
    result = pat_cli("import", "xlsform", form, "-o", out)
    assert result.exit_code == 0, result.output
    instrument = load_instrument(out)
    assert (instrument.id, instrument.title) == ("spelt", "Spelt")
    assert [(i.id, i.text) for i in instrument.items] == [
        ("q1", "Erste"),
        ("q2", "Zweite"),
        ("q3", "Dritte"),
    ]
    assert instrument.item("q1").guidance == "A hint"  # no German hint: the English one
    assert [o.label for o in instrument.scales["agree"].options] == ["Nein", "Ja"]
    assert "'q3': the 'other' answer of or_other is left out" in result.stderr


def test_two_columns_that_mean_the_same_are_an_error(
    pat_cli: PatCli, make_form: Callable[..., Path]
) -> None:
    form = make_form(
        {"survey": [("type", "name", "label", "caption"), ("select_one a", "q", "Q", "Q")]}
    )
    result = pat_cli("import", "xlsform", form)
    assert result.exit_code == 1
    assert (
        f"{form}, sheet survey, row 1: column D (caption) is a second C (label) column: keep "
        "one of them"
    ) in result.stderr


def test_questions_that_cannot_be_scored_are_explained(
    pat_cli: PatCli, make_form: Callable[..., Path]
) -> None:
    form = make_form(
        {
            "survey": [
                ("type", "name", "label", "choice_filter"),
                ("select_one_from_file regions.csv", "region", "Region", None),
                ("select_one_external towns", "town", "Town", None),
                ("select_one districts", "district", "District", "region=${region}"),
                ("rank agree", "ranked", "Rank these", None),
                ("begin_rank", "best", "Best things", None),
                ("rank__level", "first", "First choice", None),
                ("end_rank", None, None, None),
                ("begin repeat", "partners", "Partners", None),
                ("select_one agree", "p1", "This partner delivers", None),
                ("end repeat", None, None, None),
                ("select_one agree", "q1", "We share a vision", None),
            ],
            "choices": [
                ("list_name", "name", "label", "region"),
                ("agree", "y", "Agree", None),
                ("agree", "n", "Disagree", None),
                ("districts", "d1", "North", "r1"),
                ("districts", "d1", "North", "r2"),
            ],
            "settings": [("allow_choice_duplicates",), ("yes",)],
        }
    )
    result = pat_cli("import", "xlsform", form)
    assert result.exit_code == 0, result.output
    survey = f"pat: note: {form}, sheet survey"
    for line in [
        f"{survey}, row 2, column A (type): 'region' (select_one_from_file regions.csv) skipped: "
        "its choices are in the file regions.csv, not in the form, so pat cannot make a scale "
        "of them (copy them into the choices sheet and use select_one LIST)",
        f"{survey}, row 3, column A (type): 'town' (select_one_external towns) skipped: its "
        "choices are on the external_choices sheet",
        f"{survey}, row 4, column D (choice_filter): 'district' (select_one districts) skipped: "
        "its choices hang on an earlier answer (region=${region}), a cascading select",
        f"{survey}, row 5, column A (type): 'ranked' (rank agree) skipped: a ranking orders "
        "choices, it does not score statements",
        f"{survey}, row 6, column A (type): 'best' (begin_rank) skipped with its rank__level "
        "rows: a ranking orders choices",
        f"{survey}, row 10, column A (type): 'p1' (select_one agree) skipped: it is inside the "
        "repeat 'partners' (row 9), answered any number of times per respondent",
    ]:
        assert line in result.stderr
    assert load_instrument(form.with_suffix(".toml")).item_ids == ["q1"]


def test_a_form_whose_statements_are_all_in_a_repeat_says_so(
    pat_cli: PatCli, make_form: Callable[..., Path]
) -> None:
    form = make_form(
        {
            "survey": [
                ("type", "name", "label"),
                ("begin_repeat", "partners", "Partners"),
                ("select_one agree", "p1", "This partner delivers"),
                ("select_one agree", "p2", "This partner listens"),
                ("end_repeat", None, None),
            ],
            "choices": [("list_name", "name", "label"), ("agree", "y", "Agree")],
        }
    )
    result = pat_cli("import", "xlsform", form)
    assert result.exit_code == 1
    assert (
        f"{form}: no select_one question outside a repeat, so nothing to score: the 2 "
        "select_one question(s) (rows 3, 4) are inside repeats"
    ) in result.stderr
    assert "move them out of the repeat to score them" in result.stderr


def test_a_scored_list_with_repeated_names_is_an_error_even_when_the_form_allows_them(
    pat_cli: PatCli, make_form: Callable[..., Path]
) -> None:
    form = make_form(
        {
            "survey": [("type", "name", "label"), ("select_one yn", "q1", "Q")],
            "choices": [("list_name", "name", "label"), ("yn", "y", "Yes"), ("yn", "y", "Oui")],
            "settings": [("allow_choice_duplicates",), ("yes",)],
        }
    )
    result = pat_cli("import", "xlsform", form)
    assert result.exit_code == 1
    assert (
        f"{form}, sheet choices, row 3, column B (name): 'y' is in list 'yn' already (row 2) "
        "(allow_choice_duplicates lets a cascading select repeat names; a scored list needs "
        "each once)"
    ) in result.stderr


KOBO_SURVEY = [
    ("type", "name", "label::English (en)", "label::Français (fr)", "kobo--score-choices"),
    ("start", "start", None, None, None),
    ("select_one orgs", "org", "Your organisation", "Votre organisation", None),
    ("text", "your_role", "Role", "Rôle", None),
    ("begin_group", "context", "Context", "Contexte", None),
    ("select_one rounds", "q0", "Round", "Tour", None),
    ("end_group", None, None, None, None),
    ("begin_score", "trust", "How far do you agree?", "Êtes-vous d'accord ?", "agree"),
    ("score__row", "t1", "Partners keep promises", "Les partenaires tiennent parole", None),
    ("score__row", "t2", "Information is shared", None, None),  # no French: English
    ("end_score", None, None, None, None),
    ("begin score", "lead", "Leadership", "Direction", "five"),
    ("score__row", "l1", "Leaders listen", "Écoute", None),
    ("score__row", "l2", "Leaders decide", "Décision", None),
    ("end score", None, None, None, None),
]
KOBO_CHOICES = [
    ("list_name", "name", "label::English (en)", "label::Français (fr)"),
    ("orgs", "council", "Council", "Mairie"),
    ("rounds", "1", "First", "Premier"),
    ("agree", "agree", "Agree", "D'accord"),
    ("agree", "disagree", "Disagree", "Pas d'accord"),
    ("agree", "dont_know", "Don’t know", None),  # curly quote; no French: English
    ("agree", "refused", "Prefer not to say", "Préfère ne pas répondre"),
    ("five", 1, "Never", "Jamais"),
    ("five", 2, "Sometimes", "Parfois"),
    ("five", 3, "Always", "Toujours"),
    ("five", -99, "Skipped", "Passé"),
    ("five", 99, "No answer", "Pas de réponse"),
]


def test_a_kobo_form_with_rating_groups_respondent_questions_and_a_partial_translation(
    pat_cli: PatCli, make_form: Callable[..., Path], tmp_path: Path
) -> None:
    form = make_form(
        {
            "survey": KOBO_SURVEY,
            "choices": KOBO_CHOICES,
            "settings": [("form_title", "form_id"), ("Kobo pulse", "kobo_pulse")],
        }
    )
    out = tmp_path / "kobo.toml"
    result = pat_cli("import", "xlsform", form, "--language", "fr", "-o", out)
    assert result.exit_code == 0, result.output
    instrument = load_instrument(out)
    assert instrument.title == "Kobo pulse"
    assert [(s.id, s.title, s.item_ids) for s in instrument.sections] == [
        ("trust", "Êtes-vous d'accord ?", ["t1", "t2"]),
        ("lead", "Direction", ["l1", "l2"]),
    ]
    assert instrument.item("t2").text == "Information is shared"
    assert [(o.label, o.value, o.missing) for o in instrument.scales["agree"].options] == [
        ("D'accord", 1, None),
        ("Pas d'accord", 2, None),
        ("Don't know", None, DONT_KNOW),
        ("Préfère ne pas répondre", None, NOT_APPLICABLE),
    ]
    assert [(o.label, o.value, o.codes, o.missing) for o in instrument.scales["five"].options] == [
        ("Jamais", 1, (), None),
        ("Parfois", 2, (), None),
        ("Toujours", 3, (), None),
        ("Passé", None, ("-99",), NOT_APPLICABLE),
        ("Pas de réponse", None, ("99",), NOT_APPLICABLE),
    ]
    stderr = result.stderr
    survey, choices = f"pat: note: {form}, sheet survey", f"pat: note: {form}, sheet choices"
    for line in [
        f"{survey}, row 3, column B (name): 'org' (select_one orgs) is about the respondent, not "
        "a statement: not scored. Keep its answers in the response file as the column "
        "'organisation'",
        f"{survey}, row 4, column B (name): 'your_role' (text) is about the respondent",
        "as the column 'role'",
        f"{survey}, row 6, column B (name): 'q0' (select_one rounds) is about the respondent",
        f"{survey}, column D (label::Français (fr)): 1 label(s) not given in Français (fr), "
        "read in English (en) instead (rows 10)",
        f"{choices}, column D (label::Français (fr)): 1 label(s) not given in Français (fr), "
        "read in English (en) instead (rows 6)",
        "Not scored: Don't know (dont_know) as don't know, Préfère ne pas répondre (refused) as "
        "not applicable",
        "list 'five': each answer scores its name, a number (Jamais = 1, Parfois = 2, Toujours "
        "= 3). Not scored: Passé (-99) as not applicable, Pas de réponse (99) as not applicable",
    ]:
        assert line in stderr
    text = out.read_text(encoding="utf-8")
    assert "#   org (survey row 3) -> column organisation\n" in text
    assert "#   your_role (survey row 4) -> column role\n" in text
    assert "#   q0 (survey row 6) -> column round\n" in text


def test_a_centred_scale_keeps_its_negative_scores_and_sentinels_need_a_gap(
    pat_cli: PatCli, make_form: Callable[..., Path], tmp_path: Path
) -> None:
    form = make_form(
        {
            "survey": [
                ("type", "name", "label"),
                ("select_one c", "q1", "Q"),
                ("select_one p", "q2", "R"),
            ],
            "choices": [
                ("list_name", "name", "label"),
                *(("c", k, f"Point {k}") for k in (-2, -1, 0, 1, 2)),
                ("c", -9, "Skip"),
                *(("p", k, f"{k}%") for k in (0, 50, 100)),
                ("p", 99, "Ninety-nine"),  # inside 0..100: a score
            ],
        }
    )
    out = tmp_path / "c.toml"
    assert pat_cli("import", "xlsform", form, "-o", out).exit_code == 0
    instrument = load_instrument(out)
    assert [(o.value, o.missing) for o in instrument.scales["c"].options] == [
        (-2, None),
        (-1, None),
        (0, None),
        (1, None),
        (2, None),
        (None, NOT_APPLICABLE),
    ]
    assert [(o.value, o.missing) for o in instrument.scales["p"].options] == [
        (0, None),
        (50, None),
        (100, None),
        (99, None),
    ]


@pytest.mark.parametrize("name", ["date", "item", "answer", "respondent", "Respondent_ID"])
def test_an_item_id_that_is_one_of_pats_columns_is_an_error(
    pat_cli: PatCli, make_form: Callable[..., Path], name: str
) -> None:
    form = make_form(
        {
            "survey": [("type", "name", "label"), ("select_one yn", name, "A statement")],
            "choices": [("list_name", "name", "label"), ("yn", "y", "Yes"), ("yn", "n", "No")],
        }
    )
    result = pat_cli("import", "xlsform", form)
    assert result.exit_code == 1
    assert (
        f"{form}, sheet survey, row 2, column B (name): '{name}' cannot be an item id: pat reads "
        f"a response-file column '{name.lower()}' as its own, not as an answer"
    ) in result.stderr
    assert f"rename the question, for example '{name}_q'" in result.stderr


def test_a_rating_group_needs_its_choice_list(
    pat_cli: PatCli, make_form: Callable[..., Path]
) -> None:
    form = make_form(
        {
            "survey": [
                ("type", "name", "label", "kobo--score-choices"),
                ("begin_score", "trust", "Trust", None),
                ("score__row", "t1", "Promises kept", None),
                ("end_score", None, None, None),
                ("score__row", "t2", "Stray row", None),
                ("begin_score", "open", "Never closed", "agree"),
            ],
            "choices": [("list_name", "name", "label"), ("agree", "y", "Agree")],
        }
    )
    result = pat_cli("import", "xlsform", form)
    assert result.exit_code == 1
    survey = f"  {form}, sheet survey"
    assert result.stderr.splitlines()[1:] == [
        f"{survey}, row 2, column D (kobo--score-choices): the rating group 'trust' needs the "
        "name of its choice list in a column kobo--score-choices",
        f"{survey}, row 5, column A (type): a score__row belongs between begin_score and "
        "end_score",
        f"{survey}, row 6, column A (type): 'begin_score' open has no 'end_score'",
    ]


def _score_kobo(
    pat_cli: PatCli, make_form: Callable[..., Path], tmp_path: Path, rows: str
) -> list[dict[str, str]]:
    form = make_form({"survey": KOBO_SURVEY, "choices": KOBO_CHOICES})
    folder = tmp_path / "instruments"
    folder.mkdir()
    assert pat_cli("import", "xlsform", form, "-o", folder / "k.toml").exit_code == 0
    sheet = tmp_path / "answers.csv"
    sheet.write_text("respondent,organisation,round,t1,t2,l1,l2\n" + rows, encoding="utf-8")
    result = pat_cli("--instruments-dir", folder, "score", "form", sheet, "--format", "csv")
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_sentinel_answers_typed_among_labels_do_not_score(
    pat_cli: PatCli,
    make_form: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(plugins, "_extra_dirs", [])
    rows = _score_kobo(
        pat_cli,
        make_form,
        tmp_path,
        "R1,Council,1,agree,refused,Never,Always\n"  # 1 + (1 prorated to 2); 1 + 3
        "R2,Health,1,Disagree,Don't know,-99,Sometimes\n",  # 2 prorated to 4; 2 prorated to 4
    )
    assert [(r["trust"], r["lead"]) for r in rows] == [("2", "4"), ("4", "4")]


def test_sentinel_codes_in_a_column_of_numbers_do_not_score(
    pat_cli: PatCli,
    make_form: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(plugins, "_extra_dirs", [])
    rows = _score_kobo(
        pat_cli,
        make_form,
        tmp_path,
        "R1,Council,1,agree,disagree,1,-99\nR2,Health,1,agree,agree,99,3\n",
    )
    assert [r["lead"] for r in rows] == ["2", "6"]
