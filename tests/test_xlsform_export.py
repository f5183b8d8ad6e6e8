"""`pat export xlsform`: every installed instrument as an XLSForm that pyxform converts, whose
sheets hold the statements verbatim and the scale values as choice names, and whose
KoboToolbox export ("XML values and headers", or labels as answers) pat scores as it is."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import shlex
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, PatCli
from openpyxl import Workbook, load_workbook
from pyxform.xls2xform import convert

from pat_framework.authoring.xlsform_export import (
    RespondentFields,
    XLSFormExportError,
    xlsform_sheets,
    xlsform_workbook,
)
from pat_framework.model import Instrument
from pat_framework.render.text import format_number
from pat_framework.runtime.registry import Registry, build_registry

INSTRUMENTS = sorted(build_registry().names("instrument"))
XF = "{http://www.w3.org/2002/xforms}"
#: The columns KoboToolbox adds after the questions of every export.
KOBO_META = (
    *("_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status"),
    *("_submitted_by", "__version__", "_tags", "_index"),
)


def export(pat_cli: PatCli, instrument_id: str, out: Path, *options: str) -> Path:
    result = pat_cli("export", "xlsform", instrument_id, "-o", str(out), *options)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"wrote {out}\nUpload {out} to KoboToolbox or ODK Central.")
    assert result.stderr.endswith(f"score them with: pat score {instrument_id} FILE\n")
    return out


def sheet_rows(path: Path, name: str) -> list[dict[str, Any]]:
    """A sheet of the workbook as dicts by header, as an XLSForm reader sees it."""
    rows = list(load_workbook(path)[name].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def xform(path: Path) -> ET.Element:
    """The XForm pyxform makes of the workbook (ODK Validate needs Java: not run here)."""
    warnings: list[str] = []
    result = convert(str(path), warnings=warnings, validate=False)
    assert warnings == []
    return ET.fromstring(result.xform)


def primary(root: ET.Element) -> ET.Element:
    """The form's data element: the first child of the primary instance."""
    instance = next(i for i in root.iter(f"{XF}instance") if "id" not in i.attrib)
    return instance[0]


@pytest.mark.parametrize("instrument_id", INSTRUMENTS)
def test_every_instrument_converts_with_its_items_choices_and_groups(
    pat_cli: PatCli, registry: Registry, tmp_path: Path, instrument_id: str
) -> None:
    instrument: Instrument = registry.get("instrument", instrument_id)
    root = xform(export(pat_cli, instrument_id, tmp_path / "form.xlsx"))
    data = primary(root)
    assert data.attrib == {"id": instrument.id, "version": instrument.version}
    assert [child.tag for child in data][:2] == [f"{XF}organisation", f"{XF}level"]
    for section in instrument.sections:
        group = data.find(f"{XF}{section.id}")
        assert group is not None, section.id
        names = [child.tag.removeprefix(XF) for child in group]
        for item in section.items:
            assert item.id in names
            assert f"{item.id}_comment" == names[names.index(item.id) + 1]
    labels = {g.attrib["ref"]: g.find(f"{XF}label") for g in root.iter(f"{XF}group")}
    assert [(ref, label.text if label is not None else None) for ref, label in labels.items()] == [
        (f"/data/{s.id}", s.title) for s in instrument.sections
    ]
    lists = {i.attrib["id"]: i for i in root.iter(f"{XF}instance") if "id" in i.attrib}
    for scale in {item.scale for item in instrument.items}:
        choices = [(i.findtext(f"{XF}name"), i.findtext(f"{XF}label")) for i in lists[scale.id][0]]
        assert [label for _, label in choices] == [o.label for o in scale.options]
        for name, option in zip((n for n, _ in choices), scale.options, strict=True):
            expected = format_number(option.value) if option.value is not None else option.codes[0]
            assert name == expected
    title = root.find("{http://www.w3.org/1999/xhtml}head/{http://www.w3.org/1999/xhtml}title")
    assert title is not None and title.text == instrument.title


def test_the_sheets_hold_the_statements_verbatim_and_values_as_names(
    pat_cli: PatCli, odpm: Instrument, tmp_path: Path
) -> None:
    path = export(pat_cli, "pat-odpm", tmp_path / "odpm.xlsx")
    assert load_workbook(path).sheetnames == ["survey", "choices", "settings"]
    survey = {row["name"]: row for row in sheet_rows(path, "survey") if row["name"]}
    for item in odpm.items:
        row = survey[item.id]
        assert row["type"] == f"select_one {item.scale.id}"
        assert row["label"] == item.text
        assert row["hint"] == (item.guidance or None)
        assert survey[f"{item.id}_comment"]["type"] == "text"
    assert survey["organisation"]["type"] == survey["level"]["type"] == "text"
    assert "round" not in survey
    p1 = survey["P1"]
    assert (p1["type"], p1["label"], p1["appearance"]) == (
        "begin_group",
        odpm.section("P1").title,
        "field-list",
    )
    assert survey["P1_note"]["label"] == f"{odpm.section('P1').description}\n\n{odpm.question}"
    assert survey["W_note"]["label"] == odpm.section("W").description  # not scored: no question
    choices = [(r["list_name"], r["name"], r["label"]) for r in sheet_rows(path, "choices")]
    assert choices[:4] == [
        ("agree4", "4", "Strongly agree"),
        ("agree4", "3", "Agree"),
        ("agree4", "2", "Disagree"),
        ("agree4", "1", "Strongly disagree"),
    ]
    assert [c[0] for c in choices] == ["agree4"] * 4 + ["significance4"] * 4
    assert sheet_rows(path, "settings") == [
        {"form_title": odpm.title, "form_id": "pat-odpm", "version": "2003"}
    ]


def test_organisations_and_levels_are_lists_and_the_round_a_fixed_value(
    pat_cli: PatCli, tmp_path: Path
) -> None:
    path = export(
        pat_cli,
        "rq-barriers",
        tmp_path / "barriers.xlsx",
        *("--organisation", "Anytown Council", "--organisation", "Voluntary Action Anytown"),
        *("--level", "board", "--level", "front line"),
        *("--round", "2026-1", "--no-comments"),
    )
    survey = {row["name"]: row for row in sheet_rows(path, "survey") if row["name"]}
    assert survey["organisation"]["type"] == "select_one organisation"
    assert survey["level"]["type"] == "select_one level"
    assert survey["organisation"]["required"] == survey["level"]["required"] == "yes"
    assert (survey["round"]["type"], survey["round"]["calculation"]) == ("calculate", "'2026-1'")
    assert not [name for name in survey if name.endswith("_comment")]
    choices = [(r["list_name"], r["name"], r["label"]) for r in sheet_rows(path, "choices")]
    assert choices[:4] == [
        ("organisation", "Anytown Council", "Anytown Council"),
        ("organisation", "Voluntary Action Anytown", "Voluntary Action Anytown"),
        ("level", "board", "board"),
        ("level", "front line", "front line"),
    ]
    assert ("ypn", "DK", "Don't know") in choices and ("ypn", "NA", "Not applicable") in choices
    root = xform(path)
    binds = {b.attrib["nodeset"]: b.attrib for b in root.iter(f"{XF}bind")}
    assert binds["/data/round"]["calculate"] == "'2026-1'"
    assert binds["/data/organisation"]["required"] == "true()"


def test_a_round_with_an_apostrophe_is_quoted_by_the_other_quote(odpm: Instrument) -> None:
    sheets = xlsform_sheets(odpm, RespondentFields(round="Spring '26"))
    (row,) = [r for r in sheets["survey"] if r[1] == "round"]
    assert row[-1] == '"Spring \'26"'
    with pytest.raises(XLSFormExportError, match="holds both kinds of quote"):
        xlsform_sheets(odpm, RespondentFields(round='"Spring" \'26'))


def test_the_same_organisation_spelt_twice_is_refused(pat_cli: PatCli, tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    result = pat_cli(
        "export", "xlsform", "pat-odpm", "-o", str(out), "--level", "Board", "--level", "board "
    )
    assert result.exit_code == 1
    assert "--level: level 'board' is given twice ('Board' and 'board')" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_text_that_looks_like_a_formula_stays_text(odpm: Instrument, tmp_path: Path) -> None:
    first = odpm.sections[0]
    formula = "=SUM(A1:A9) is how we count"
    items = (dataclasses.replace(first.items[0], text=formula), *first.items[1:])
    sections = (dataclasses.replace(first, items=items), *odpm.sections[1:])
    instrument = dataclasses.replace(odpm, sections=sections)
    path = tmp_path / "formula.xlsx"
    path.write_bytes(xlsform_workbook(xlsform_sheets(instrument, RespondentFields())))
    sheet = load_workbook(path)["survey"]
    (cell,) = [row[2] for row in sheet.iter_rows(min_row=2) if row[1].value == "P1A"]
    assert (cell.value, cell.data_type) == (formula, "s")
    (label,) = [
        e.findtext(f"{XF}label")
        for e in xform(path).iter(f"{XF}select1")
        if e.attrib["ref"] == "/data/P1/P1A"
    ]
    assert label == formula


@pytest.mark.parametrize(
    ("change", "message", "key"),
    [
        ({"item": "1A"}, "item '1A': '1A' starts with '1'", "sections[1].items[1].id"),
        ({"section": "meta"}, "section 'meta': 'meta' is a name XLSForm keeps", "sections[1].id"),
        (
            {"item": "P1B_comment"},
            "the comment 'P1B_comment' pat adds to item 'P1B' has the name of item 'P1B_comment'",
            "sections[1].items[2].id",
        ),
        ({"item": "Level"}, "item 'Level' has the name of pat's respondent field 'level'", None),
        ({"text": "Ask ${P1B} first"}, "'P1A': the text holds '${'", None),
        ({"round": "  "}, "an empty round was given", None),
    ],
)
def test_names_a_form_cannot_have_are_refused_precisely(
    odpm: Instrument, change: dict[str, str], message: str, key: str | None
) -> None:
    first = odpm.sections[0]
    item = first.items[0]
    item = dataclasses.replace(
        item, id=change.get("item", item.id), text=change.get("text", item.text)
    )
    section = dataclasses.replace(first, id=change.get("section", first.id))
    section = dataclasses.replace(section, items=(item, *first.items[1:]))
    instrument = dataclasses.replace(odpm, sections=(section, *odpm.sections[1:]))
    with pytest.raises(XLSFormExportError) as caught:
        xlsform_sheets(instrument, RespondentFields(round=change.get("round")))
    assert str(caught.value).startswith("pat-odpm cannot be written as an XLSForm")
    found = [p for p in caught.value.problems if message in p.message]
    assert found, caught.value.render()
    if key:
        assert found[0].key == key


def test_an_answer_without_a_code_cannot_be_named(registry: Registry) -> None:
    instrument: Instrument = registry.get("instrument", "rq-barriers")
    scale = next(iter(instrument.scales.values()))
    options = tuple(
        dataclasses.replace(o, codes=("Don t",)) if o.missing else o for o in scale.options
    )
    scale = dataclasses.replace(scale, options=options)
    sections = tuple(
        dataclasses.replace(s, items=tuple(dataclasses.replace(i, scale=scale) for i in s.items))
        for s in instrument.sections
    )
    with pytest.raises(XLSFormExportError, match="the answer 'Don't know' does not score"):
        xlsform_sheets(dataclasses.replace(instrument, sections=sections), RespondentFields())


def test_an_item_id_that_is_not_an_xml_name_fails_on_the_command_line(
    pat_cli: PatCli, tmp_path: Path
) -> None:
    folder = tmp_path / "instruments"
    folder.mkdir()
    (folder / "digits.toml").write_text(
        """format = 1
id = "digits"
title = "Digits"
version = "1"

[source]
title = "A test"

[scales.yn]
[[scales.yn.options]]
value = 1
label = "Yes"
[[scales.yn.options]]
value = 0
label = "No"

[[sections]]
id = "s1"
title = "One"
scale = "yn"

[[sections.items]]
id = "1A"
text = "A statement"
""",
        encoding="utf-8",
    )
    out = tmp_path / "digits.xlsx"
    result = pat_cli("--instruments-dir", str(folder), "export", "xlsform", "digits", "-o", out)
    assert result.exit_code == 1, result.output
    assert "digits cannot be written as an XLSForm" in result.output
    assert "sections[1].items[1].id: item '1A': '1A' starts with '1'" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_an_unknown_instrument_is_a_message(pat_cli: PatCli, tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    result = pat_cli("export", "xlsform", "no-such-tool", "-o", str(out))
    assert result.exit_code == 1
    assert "no instrument 'no-such-tool' is installed (installed: governance-matrix" in (
        result.output
    )
    assert "Traceback" not in result.output
    assert not out.exists()


def test_an_existing_output_needs_force(pat_cli: PatCli, tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    out.write_bytes(b"mine")
    result = pat_cli("export", "xlsform", "pat-odpm", "-o", str(out))
    assert result.exit_code == 1
    assert f"refusing to overwrite {out}: it exists (give --force to replace it)" in result.output
    assert out.read_bytes() == b"mine"
    export(pat_cli, "pat-odpm", out, "--force")
    assert load_workbook(out).sheetnames == ["survey", "choices", "settings"]


def test_the_output_is_an_xlsx_file_never_the_instrument(
    pat_cli: PatCli, registry: Registry
) -> None:
    instrument: Instrument = registry.get("instrument", "pat-odpm")
    assert instrument.path is not None
    before = instrument.path.read_bytes()
    result = pat_cli("export", "xlsform", "pat-odpm", "-o", str(instrument.path), "--force")
    assert result.exit_code == 1
    assert "cannot write an XLSForm as '.toml': use .xlsx" in result.output
    assert instrument.path.read_bytes() == before


def kobo_export(form: Path, instrument: Instrument, sample: Path, out: Path, values: str) -> Path:
    """What KoboToolbox exports of `form` filled in with the answers of `sample`.

    Headers are the question names without group paths, in form order (a group has no
    column; a note is an empty column, as some exports keep them), then Kobo's own columns.
    An answer is the name of its choice ("XML values") when `values` is "name", else its
    label. The choice is found by the answer's label in the form's choices sheet.
    """
    survey = [r for r in sheet_rows(form, "survey") if r["name"] and r["type"] != "begin_group"]
    choices = {(r["list_name"], r["label"]): r for r in sheet_rows(form, "choices")}
    header = [r["name"] for r in survey] + list(KOBO_META)
    with sample.open(encoding="utf-8") as handle:
        answers = list(csv.DictReader(handle))
    rows = []
    for k, answer in enumerate(answers, 1):
        row: dict[str, Any] = {"_id": 1000 + k, "_uuid": f"uuid-{k}", "_index": k}
        for question in survey:
            name, kind = question["name"], question["type"]
            cell = answer.get(name) or ""
            if name in instrument.item_ids and cell:
                scale = instrument.item(name).scale
                option = scale.lookup()[cell.strip().lower()]
                row[name] = choices[(kind.split()[1], option.label)][values]
            elif kind != "note":
                row[name] = cell
        rows.append(row)
    if out.suffix == ".csv":
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, header)
            writer.writeheader()
            writer.writerows(rows)
    else:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(column) for column in header])
        book.save(out)
    return out


def scores(pat_cli: PatCli, instrument_id: str, path: Path) -> list[tuple[Any, ...]]:
    """Each respondent's attributes and section scores, as `pat score -f json` gives them."""
    result = pat_cli("score", instrument_id, str(path), "-f", "json")
    assert result.exit_code == 0, result.output
    respondents = json.loads(result.stdout)["respondents"]
    standard = ("organisation", "level", "round")
    return [(tuple(r["attributes"].get(a) for a in standard), r["sections"]) for r in respondents]


@pytest.mark.parametrize(
    ("instrument_id", "sample", "suffix", "values"),
    [
        ("pat-odpm", "odpm-sample.csv", ".xlsx", "name"),
        ("pat-odpm", "odpm-sample.csv", ".csv", "label"),
        ("governance-matrix", "governance-sample.csv", ".csv", "name"),
        ("rq-barriers", "checklist-barriers.csv", ".xlsx", "label"),
    ],
)
def test_a_kobo_export_of_the_form_scores_with_no_map(
    pat_cli: PatCli,
    registry: Registry,
    tmp_path: Path,
    instrument_id: str,
    sample: str,
    suffix: str,
    values: str,
) -> None:
    instrument: Instrument = registry.get("instrument", instrument_id)
    answers = EXAMPLES / "responses" / sample
    form = export(pat_cli, instrument_id, tmp_path / "form.xlsx", "--round", "2026-1")
    kobo = kobo_export(form, instrument, answers, tmp_path / f"kobo{suffix}", values)
    assert scores(pat_cli, instrument_id, kobo) == scores(pat_cli, instrument_id, answers)


def test_dont_know_and_not_applicable_come_back_as_such(
    pat_cli: PatCli, registry: Registry, tmp_path: Path
) -> None:
    from pat_framework.responses import DONT_KNOW_STATE, NOT_APPLICABLE_STATE, read_responses

    instrument: Instrument = registry.get("instrument", "rq-barriers")
    form = export(pat_cli, "rq-barriers", tmp_path / "form.xlsx")
    sample = tmp_path / "answers.csv"
    sample.write_text("Q1,Q2,Q3\nDon't know,Not applicable,Partly\n", encoding="utf-8")
    kobo = kobo_export(form, instrument, sample, tmp_path / "kobo.csv", "name")
    header, row = kobo.read_text(encoding="utf-8").splitlines()
    assert header.startswith("organisation,level,barriers_note,Q1,Q1_comment,Q2,Q2_comment,Q3,")
    assert row.startswith(",,,DK,,NA,,0.5,")
    responses = read_responses(instrument, [kobo])
    assert responses.states is not None
    states = responses.states.iloc[0]
    assert (states["Q1"], states["Q2"]) == (DONT_KNOW_STATE, NOT_APPLICABLE_STATE)
    assert responses.values.iloc[0]["Q3"] == 0.5


def test_the_docs_commands_run_as_written(
    pat_cli: PatCli, registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/forms-and-collecting.md: the export commands, then scoring a Kobo download."""
    text = (Path(__file__).resolve().parents[1] / "docs" / "forms-and-collecting.md").read_text(
        encoding="utf-8"
    )
    start = text.index("## Sending an instrument to KoboToolbox, ODK or Enketo")
    page = text[start : text.index("\n## ", start + 1)]
    commands = [shlex.split(m) for m in re.findall(r"^```\n(pat .*?)\n```$", page, re.M | re.S)]
    assert [c[1] for c in commands] == ["export", "export", "score"]
    monkeypatch.chdir(tmp_path)
    for args in commands[:2]:
        result = pat_cli(*args[1:])
        assert result.exit_code == 0, (args, result.output)
        xform(Path(args[args.index("-o") + 1]))
    form = Path(commands[1][commands[1].index("-o") + 1])
    sample = EXAMPLES / "responses" / "odpm-sample.csv"
    choices = {(r["list_name"], r["name"]) for r in sheet_rows(form, "choices")}
    with sample.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):  # the sample's partners are the form's choices
            assert {("organisation", row["organisation"]), ("level", row["level"])} <= choices
    download = commands[2][-1]
    kobo_export(form, registry.get("instrument", "pat-odpm"), sample, Path(download), "name")
    result = pat_cli(*commands[2][1:])
    assert result.exit_code == 0, result.output
    assert f"18 respondent(s) from {download}" in result.stdout
    assert "\n1002 " in result.stdout  # Kobo's _id is the respondent id
    assert "read as an export of KoboToolbox / ODK" in result.stderr
