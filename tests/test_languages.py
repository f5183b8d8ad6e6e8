"""Instruments in several languages: the format, completeness per language, the fallback
mark, answers in any language scoring alike, and the forms and exports in a chosen one."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import tomli
from click.testing import Result

from pat_framework.errors import InstrumentError
from pat_framework.instrument.loader import instrument_from_dict, load_instrument
from pat_framework.testing import invoke

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "instruments"
MAIN = EXAMPLES / "example-bilingual.toml"
WELSH = EXAMPLES / "example-bilingual.cy.toml"
ID = "example-bilingual"
ITEMS = ["W1A", "W1B", "W1C", "W2A", "W2B", "W2C"]


def pat(*args: str | Path, folder: Path = EXAMPLES, input: str | None = None) -> Result:
    return invoke("--instruments-dir", folder, *args, input=input)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the example and its Welsh file, to change."""
    for path in (MAIN, WELSH):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_the_bilingual_example_validates_complete_in_welsh() -> None:
    result = pat("validate", MAIN)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"ok: {MAIN}: instrument '{ID}', 2 sections, 6 items, languages en, cy",
        "cy (Cymraeg): 28 of 28 texts, complete",
    ]
    instrument = load_instrument(MAIN)
    assert instrument.languages == ("en", "cy")
    assert instrument.title == "Example partnership check (bilingual)"  # the default's
    welsh = instrument.in_language("cy")
    assert welsh.title == "Gwiriad partneriaeth enghreifftiol (dwyieithog)"
    assert welsh.item("W2A").text == "Mae'r partneriaid yn ymddiried yn ei gilydd."
    assert [o.label for o in welsh.scales["agree4"].options][:2] == ["Cytuno'n gryf", "Cytuno"]
    assert welsh.section("W1").bands[0].label == "10–12"  # figures alone are not translated


def test_completeness_counts_and_names_every_missing_text_with_its_line(copy: Path) -> None:
    main, welsh = copy / MAIN.name, copy / WELSH.name
    edit(
        welsh,
        "sections.W1.items.W1B.text = \"Mae'r partneriaid yn rhoi gwybod i'w gilydd.\"",
        'sections.W1.items.W1B.text = ""',
    )
    edit(main, 'label = { en = "Agree", cy = "Cytuno" }', 'label = { en = "Agree" }')
    result = invoke("validate", main)
    assert result.exit_code == 0, result.output
    agree = line_of(main, 'en = "Agree"')
    assert result.stdout.splitlines()[1:] == [
        "cy (Cymraeg): 26 of 28 texts, 2 missing (shown in en, marked [en]):",
        f"  {main}, line {agree}, scales.agree4.options.2.label: 'Agree'",
        f"  {main}, line {line_of(main, 'The partners keep one another')}, "
        "sections.W1.items.W1B.text: 'The partners keep one another informed.'",
    ]
    # the language file alone says the same
    alone = invoke("validate", welsh)
    assert alone.exit_code == 0, alone.output
    assert "cy (Cymraeg): 26 of 28 texts, 2 missing" in alone.stdout


def test_a_missing_translation_falls_back_to_the_default_with_a_mark(copy: Path) -> None:
    main, welsh = copy / MAIN.name, copy / WELSH.name
    edit(welsh, 'sections.W2.title = "Ymddiriedaeth"', 'sections.W2.title = ""')
    edit(main, 'label = { en = "Agree", cy = "Cytuno" }', 'label = { en = "Agree" }')
    instrument = load_instrument(main).in_language("cy")
    assert instrument.section("W2").title == "[en] Trust"
    assert instrument.scales["agree4"].options[1].label == "[en] Agree"
    assert instrument.section("W1").title == "Cydweithio"
    shown = invoke("--instruments-dir", copy, "show", ID, "--language", "cy")
    assert shown.exit_code == 0, shown.output
    assert "W2  [en] Trust" in shown.stdout
    # an answer written as the Welsh form showed it is still an answer
    sheet = copy / "answers.csv"
    sheet.write_text("respondent,W1A,W1B,W1C,W2A,W2B,W2C\nr1,[en] Agree,3,3,3,3,3\n")
    scored = invoke("--instruments-dir", copy, "score", ID, sheet, "-f", "json")
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["respondents"][0]["sections"]["W1"]["score"] == 9


def _sheet(path: Path, answers: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent", "organisation", *ITEMS])
        for n, row in enumerate(answers, 1):
            writer.writerow([f"r{n}", "Council", *row])
    return path


def _scores(path: Path) -> list[dict[str, object]]:
    result = pat("score", ID, path, "-f", "json")
    assert result.exit_code == 0, result.output
    return [
        r["sections"] | {"aggregate": r["aggregate"]}
        for r in json.loads(result.stdout)["respondents"]
    ]


def test_a_sheet_typed_in_welsh_scores_exactly_as_one_typed_in_english(tmp_path: Path) -> None:
    english = [
        ["Strongly agree", "Agree", "Disagree", "Strongly disagree", "Don't know", "Agree"],
        ["Agree", "agree", "Strongly agree", "Disagree", "Disagree", ""],
    ]
    welsh = [
        ["Cytuno'n gryf", "Cytuno", "Anghytuno", "Anghytuno'n gryf", "Ddim yn gwybod", "Cytuno"],
        ["cytuno", "CYTUNO", "Cytuno'n gryf", "Anghytuno", "anghytuno", ""],
    ]
    mixed = [
        ["SA", "Cytuno", "2", "Strongly disagree", "DK", "cytuno"],
        ["3", "Agree", "cytuno'n gryf", "D", "Anghytuno", ""],
    ]
    expected = _scores(_sheet(tmp_path / "en.csv", english))
    assert expected[0]["W1"]["score"] == 9  # type: ignore[index]
    assert _scores(_sheet(tmp_path / "cy.csv", welsh)) == expected
    assert _scores(_sheet(tmp_path / "mixed.csv", mixed)) == expected


def test_texts_by_language_are_checked_with_their_key_and_line(tmp_path: Path) -> None:
    main = tmp_path / "bad.toml"
    shutil.copy(MAIN, main)
    edit(
        main,
        'title = { en = "Agreement", cy = "Cytuno" }',
        'title = { en = "Agreement", fr = "Accord" }',
    )
    edit(main, 'label = { en = "Disagree", cy = "Anghytuno" }', 'label = { cy = "Anghytuno" }')
    edit(
        main,
        'label = { en = "Don\'t know", cy = "Ddim yn gwybod" }',
        'label = { en = "Don\'t know", cy = "SA" }',
    )
    with pytest.raises(InstrumentError) as caught:
        load_instrument(main)
    messages = [str(p) for p in caught.value.problems]
    french, welsh_only = line_of(main, 'fr = "Accord"'), line_of(main, 'cy = "Anghytuno"')
    assert messages[0] == (
        f"{main}, line {french}, scales.agree4.title.fr: 'fr' is not one of the file's "
        "languages (en, cy)"
    )
    assert messages[1].startswith(
        f"{main}, line {welsh_only}, scales.agree4.options[3].label.en: is required: the "
        "text in the default language, 'en'"
    )
    assert len(messages) == 2  # the clash of 'SA' is found once the file reads


def test_a_translated_label_may_not_name_another_option(copy: Path) -> None:
    main = copy / MAIN.name
    edit(
        main,
        'label = { en = "Don\'t know", cy = "Ddim yn gwybod" }',
        'label = { en = "Don\'t know", cy = "SA" }',
    )
    with pytest.raises(InstrumentError) as caught:
        load_instrument(main)
    (problem,) = caught.value.problems
    assert problem.key == "scales.agree4.options[5]"
    assert problem.line == line_of(main, 'cy = "SA"') - 2  # the option's [[block]]
    assert "'sa' names option 1 and option 5 of this scale" in problem.message


def test_a_language_file_with_a_wrong_key_is_refused_with_its_line(copy: Path) -> None:
    welsh = copy / WELSH.name
    edit(welsh, "sections.W2.title = ", "sections.W2.titel = ")
    edit(welsh, 'instrument = "example-bilingual"', 'instrument = "another"')
    with pytest.raises(InstrumentError) as caught:
        load_instrument(copy / MAIN.name)
    assert [str(p) for p in caught.value.problems] == [
        f"{welsh}, line {line_of(welsh, 'instrument =')}, instrument: is 'another', but this "
        f"file is read for '{ID}'",
        f"{welsh}, line {line_of(welsh, 'titel')}, sections.W2.titel: instrument '{ID}' has no "
        "text here; did you mean 'sections.W2.title'?",
    ]


def test_texts_by_language_need_the_file_to_name_its_languages() -> None:
    data = tomli.loads(MAIN.read_text(encoding="utf-8"))
    del data["languages"]
    with pytest.raises(InstrumentError) as caught:
        instrument_from_dict(data, "x.toml")
    assert "gives text per language, but the file names no languages" in str(caught.value)
    data["languages"] = ["en", "Welsh"]
    with pytest.raises(InstrumentError) as caught:
        instrument_from_dict(data, "x.toml")
    assert "languages[2]: expected a language tag such as 'en', 'cy' or 'pt-BR'" in str(
        caught.value
    )


def test_the_instruments_folder_reads_a_language_file_with_its_instrument() -> None:
    result = pat("instruments")
    assert result.exit_code == 0, result.output
    assert ID in result.stdout
    assert "warning" not in result.output  # example-bilingual.cy.toml is not an instrument


def test_translate_writes_a_skeleton_and_checks_it(copy: Path) -> None:
    (copy / WELSH.name).unlink()
    out = copy / "example-bilingual.cy.toml"
    result = invoke("--instruments-dir", copy, "translate", ID, "--to", "cy", "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert '# en: The partners share a clear aim.\nsections.W1.items.W1A.text = ""\n' in text
    assert "options.1.label" not in text  # the scale's labels are translated inline
    assert tomli.loads(text)["language"] == "cy"
    check = invoke("--instruments-dir", copy, "translate", ID, "--check", out)
    assert check.exit_code == 1
    assert "cy (Cymraeg): 6 of 28 texts, 22 missing" in check.stdout
    assert "not complete: 22 text(s) still to translate" in check.output
    # the instrument still loads, its Welsh falling back, marked
    welsh = load_instrument(copy / MAIN.name).in_language("cy")
    assert welsh.item("W1A").text == "[en] The partners share a clear aim."
    complete = invoke("--instruments-dir", EXAMPLES, "translate", ID, "--check", WELSH)
    assert complete.exit_code == 0, complete.output
    assert complete.stdout == f"{WELSH}: cy (Cymraeg): 28 of 28 texts, complete\n"


def test_translate_refuses_a_language_the_instrument_does_not_name() -> None:
    result = pat("translate", ID, "--to", "fr")
    assert result.exit_code == 2
    assert "'fr' is not one of the other languages of 'example-bilingual' (cy)" in result.output
    plain = pat("translate", "pat-odpm", "--to", "cy")
    assert plain.exit_code == 1
    assert "instrument 'pat-odpm' names no languages" in plain.output
    shown = pat("show", "pat-odpm", "--language", "cy")
    assert shown.exit_code == 2
    assert "'pat-odpm' is in one language only" in shown.output


def test_the_xlsform_carries_both_languages_and_pyxform_accepts_it(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from pyxform.xls2xform import convert

    out = tmp_path / "form.xlsx"
    result = pat("export", "xlsform", ID, "-o", out)
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    header = [c.value for c in book["survey"][1]]
    assert header[:6] == [
        "type",
        "name",
        "label::English (en)",
        "label::Cymraeg (cy)",
        "hint::English (en)",
        "hint::Cymraeg (cy)",
    ]
    rows = {r[1]: r for r in book["survey"].iter_rows(min_row=2, values_only=True)}
    assert rows["W2A"][2:4] == (
        "The partners trust one another.",
        "Mae'r partneriaid yn ymddiried yn ei gilydd.",
    )
    choices = [c.value for c in book["choices"][1]]
    assert choices == ["list_name", "name", "label::English (en)", "label::Cymraeg (cy)"]
    settings = dict(zip(*book["settings"].iter_rows(values_only=True), strict=True))
    assert settings["default_language"] == "English (en)"
    warnings: list[str] = []
    xform = convert(str(out), warnings=warnings, validate=False).xform
    assert '<translation lang="Cymraeg (cy)">' in xform
    assert '<translation lang="English (en)" default="true()">' in xform
    assert "Cytuno&apos;n gryf" in xform or "Cytuno'n gryf" in xform


def test_forms_and_the_sheet_are_in_the_chosen_language(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from pat_framework.forms.xlsx_form import read_form

    paper, excel, sheet = tmp_path / "f.html", tmp_path / "f.xlsx", tmp_path / "t.csv"
    for out in (paper, excel, sheet):
        command = "template" if out.suffix == ".csv" else "form"
        result = pat(command, ID, "--language", "cy", "-o", out)
        assert result.exit_code == 0, result.output
    html = paper.read_text(encoding="utf-8")
    assert '<html lang="cy">' in html
    assert "Mae penderfyniadau&#x27;n cael eu gwneud yn agored." in html
    assert "Decisions are made openly." not in html
    cells = [
        c for row in load_workbook(excel).worksheets[0].iter_rows(values_only=True) for c in row
    ]
    assert "Mae gan y partneriaid nod clir cyffredin." in cells
    assert "The partners share a clear aim." not in cells
    assert read_form(excel).fields["language"] == "cy"
    assert sheet.read_text().splitlines()[0] == (
        "respondent,organisation,level,round,language,W1A,W1B,W1C,W2A,W2B,W2C"
    )


def test_take_asks_in_welsh_and_keeps_the_language(tmp_path: Path) -> None:
    out = tmp_path / "answers.csv"
    replies = ["r1", "Council", "board", "1", "4", "Cytuno", "agree", "2", "1", "DK"]
    result = pat("take", ID, "--language", "cy", "-o", out, input="\n".join(replies) + "\n")
    assert result.exit_code == 0, result.output
    assert "Mae gan y partneriaid nod clir cyffredin." in result.stdout
    assert "The partners share a clear aim." not in result.stdout
    with out.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    assert records[0][-1] == "language"
    assert {r[-1] for r in records[1:]} == {"cy"}
    assert [r[5] for r in records[1:4]] == ["Cytuno'n gryf", "Cytuno", "Cytuno"]
    scored = pat("score", ID, out, "-f", "json")
    respondent = json.loads(scored.stdout)["respondents"][0]
    assert respondent["attributes"]["language"] == "cy"
    assert respondent["sections"]["W1"]["score"] == 10
    again = pat(
        "take", ID, "--language", "en", "-o", out, "--resume", "--respondent", "r1", input=""
    )
    assert again.exit_code == 1
    assert "answered in 'cy' in the file, not 'en'" in again.output


def test_answers_compare_by_language_with_small_groups_suppressed(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent", "language", *ITEMS])
        for n in range(4):
            writer.writerow([f"cy{n}", "cy", *["Cytuno"] * 6])
            writer.writerow([f"en{n}", "en", *["Disagree"] * 6])

    def by_language(smallest: int) -> dict[str, Any]:
        args = ["--by", "language", "--min-group", str(smallest), "-f", "json"]
        result = pat("analyse", ID, path, *args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["subgroups"]["language"]  # type: ignore[no-any-return]

    shown = {g["group"]: g["sections"]["W1"]["median"] for g in by_language(3)["groups"]}
    assert shown == {"cy": 9, "en": 6}  # Cytuno is Agree (3 x 3), Disagree 2 x 3
    hidden = by_language(5)
    assert hidden["groups"] == [] and hidden["hidden_groups"] == 2


def test_an_xlsform_in_two_languages_imports_as_a_bilingual_instrument(tmp_path: Path) -> None:
    form, back = tmp_path / "form.xlsx", tmp_path / "back.toml"
    assert pat("export", "xlsform", ID, "-o", form).exit_code == 0
    result = pat("import", "xlsform", form, "--all-languages", "--id", "back-again", "-o", back)
    assert result.exit_code == 0, result.output
    assert "(choose with --language)" not in result.output
    instrument = load_instrument(back)
    assert instrument.languages == ("en", "cy")
    welsh = instrument.in_language("cy")
    assert welsh.section("W1").title == "Cydweithio"
    assert welsh.item("W1C").guidance.startswith("Meddyliwch am y penderfyniadau")
    assert [o.label for o in welsh.scales["agree4"].options][:2] == ["Cytuno'n gryf", "Cytuno"]
    one = pat("import", "xlsform", form, "--all-languages", "--language", "cy", "-o", back)
    assert one.exit_code == 2
    assert "give --language or --all-languages, not both" in one.output


def test_a_welsh_excel_form_comes_back_with_its_language(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    form, merged = tmp_path / "form.xlsx", tmp_path / "answers.csv"
    assert pat("form", ID, "--language", "cy", "--respondent", "r9", "-o", form).exit_code == 0
    book = load_workbook(form)
    for row in book["Form"].iter_rows():
        if row[0].value in ITEMS:
            row[3].value = "Anghytuno" if row[0].value == "W2C" else "Cytuno'n gryf"
    book.save(form)
    result = pat("collect", form, "-o", merged)
    assert result.exit_code == 0, result.output
    (record,) = csv.DictReader(merged.open(encoding="utf-8"))
    assert record["language"] == "cy"
    assert [record[i] for i in ITEMS] == ["Strongly agree"] * 5 + ["Disagree"]
