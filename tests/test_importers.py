"""Exports of Microsoft Forms, Google Forms, SurveyMonkey, Qualtrics, LimeSurvey and
KoboToolbox score exactly as the same answers in pat's layout, with personal data left out;
unsure matches are errors that name the columns; `pat map` writes a map a person reviews."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from export_support import BUILDERS, ORGANISATIONS, googleforms, kobo, pat_layout, random_answers

from pat_framework.errors import ResponseError
from pat_framework.importers.base import Column, Export, Sheet
from pat_framework.importers.matching import normalise, similarity
from pat_framework.model import Instrument
from pat_framework.runtime.pipeline import read, score
from pat_framework.runtime.registry import Registry, build_registry

SUFFIXES = {"msforms": ".xlsx", "surveymonkey": ".xlsx"}


@pytest.fixture(scope="module")
def answers(odpm: Instrument) -> dict[str, dict[str, str]]:
    return random_answers(odpm, 8)


@pytest.fixture(scope="module")
def registry() -> Registry:
    return build_registry()


@pytest.fixture(scope="module")
def odpm(registry: Registry) -> Instrument:
    return registry.instrument("pat-odpm")


def expected_totals(tmp_path: Path, registry: Registry, odpm: Instrument, answers: Any) -> Any:
    scores = score(registry, "pat-odpm", [pat_layout(tmp_path / "pat.csv", odpm, answers)])
    return scores.totals.reset_index(drop=True)


@pytest.mark.parametrize("tool", sorted(BUILDERS))
@pytest.mark.parametrize("as_xlsx", [False, True])
def test_each_tools_export_scores_as_the_same_answers_typed_in(
    tmp_path: Path, registry: Registry, odpm: Instrument, answers: Any, tool: str, as_xlsx: bool
) -> None:
    path = BUILDERS[tool](tmp_path / f"export{'.xlsx' if as_xlsx else '.csv'}", odpm, answers)
    before = path.read_bytes()
    responses = read(registry, "pat-odpm", [path])
    scores = registry.scorer("sum").score(responses)
    assert scores.totals.reset_index(drop=True).equals(
        expected_totals(tmp_path, registry, odpm, answers)
    )
    assert sorted(responses.attributes["organisation"].unique()) == sorted(ORGANISATIONS)
    assert set(responses.attributes["level"]) == {"Board", "Operational"}
    title = registry.get("importer", tool).title
    assert f"read as an export of {title}; 43 of 43 statements matched" in responses.notes[0]
    assert path.read_bytes() == before  # the export is never changed


@pytest.mark.parametrize("tool", sorted(BUILDERS))
def test_personal_data_never_reaches_an_output(
    tmp_path: Path, odpm: Instrument, answers: Any, tool: str, pat_cli: Any
) -> None:
    path = BUILDERS[tool](tmp_path / "export.csv", odpm, answers)
    out = tmp_path / "scores.json"
    result = pat_cli("score", "pat-odpm", str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text() + result.stdout
    for secret in ("@anytown.gov.uk", "192.0.2.7", "Jones", "Person 1", "field.officer"):
        assert secret not in text, (tool, secret)
    assert "personal data left out" in result.stderr


def test_respondent_ids_come_from_the_tools_response_id(
    tmp_path: Path, registry: Registry, odpm: Instrument, answers: Any
) -> None:
    path = BUILDERS["qualtrics"](tmp_path / "q.csv", odpm, answers)
    assert list(read(registry, "pat-odpm", [path]).values.index[:2]) == ["R_1001", "R_1002"]
    path = BUILDERS["kobo"](tmp_path / "k.csv", odpm, answers)
    assert list(read(registry, "pat-odpm", [path]).values.index[:2]) == ["1001", "1002"]


def test_timestamps_become_the_day_sent_not_the_round(
    tmp_path: Path, registry: Registry, odpm: Instrument, answers: Any
) -> None:
    path = googleforms(tmp_path / "g.csv", odpm, answers)
    responses = read(registry, "pat-odpm", [path])
    assert responses.attributes["submitted"].iloc[0] == "2026-11-11"
    assert "date" not in responses.attributes and "round" not in responses.attributes


@pytest.mark.parametrize(
    ("variant", "options"),
    [
        ("labels, with group names", {"labels": True}),
        ("labels, no groups", {"labels": True, "groups": False}),
        ("xml values, no groups, commas", {"groups": False, "delimiter": ","}),
        ("xml values, UTF-16 tabs", {"delimiter": "\t", "encoding": "utf-16"}),
        ("labels, Windows-1252", {"labels": True, "encoding": "cp1252"}),
    ],
)
def test_kobo_layouts(
    tmp_path: Path,
    registry: Registry,
    odpm: Instrument,
    answers: Any,
    variant: str,
    options: dict[str, Any],
) -> None:
    path = kobo(tmp_path / "kobo.csv", odpm, answers, **options)
    totals = score(registry, "pat-odpm", [path]).totals.reset_index(drop=True)
    assert totals.equals(expected_totals(tmp_path, registry, odpm, answers)), variant


def test_google_forms_without_grids_and_with_blanks(
    tmp_path: Path, registry: Registry, odpm: Instrument, answers: Any
) -> None:
    some = {rid: {k: v for k, v in a.items() if k != "P1A"} for rid, a in answers.items()}
    path = googleforms(tmp_path / "g.csv", odpm, some, grids=False)
    responses = read(registry, "pat-odpm", [path])
    assert responses.values["P1A"].isna().all() and responses.values["P1B"].notna().all()


def test_codes_and_tool_spellings_of_answers(
    tmp_path: Path, registry: Registry, odpm: Instrument, answers: Any
) -> None:
    codes = {"Strongly agree": "SA", "Agree": "A", "Disagree": "D", "Strongly disagree": "SD"}
    coded = {r: {k: codes.get(v, v) for k, v in a.items()} for r, a in answers.items()}
    snake = {r: {k: v.lower().replace(" ", "_") for k, v in a.items()} for r, a in answers.items()}
    for name, given in (("codes", coded), ("snake", snake)):
        path = kobo(tmp_path / f"{name}.csv", odpm, given, labels=True)
        if name == "snake":  # a Kobo form's own choice names: strongly_agree
            with pytest.raises(ResponseError) as caught:
                read(registry, "pat-odpm", [path])
            assert "'strongly_agree' is not an answer" in str(caught.value)
            continue
        totals = score(registry, "pat-odpm", [path]).totals.reset_index(drop=True)
        assert totals.equals(expected_totals(tmp_path, registry, odpm, answers))


def test_a_reworded_statement_is_taken_with_a_note_and_a_rewritten_one_is_an_error(
    tmp_path: Path, registry: Registry, odpm: Instrument, answers: Any, pat_cli: Any
) -> None:
    path = googleforms(tmp_path / "g.csv", odpm, answers, grids=False)
    text = path.read_text()
    p1a, p1b = odpm.item("P1A").text, odpm.item("P1B").text
    reworded = "There have been substantial past achievements in the partnership."
    path.write_text(text.replace(p1a, reworded).replace(p1b, "What made things work?"))
    result = pat_cli("score", "pat-odpm", str(path))
    assert result.exit_code == 1
    assert "no column found for 1 of 43 statements: P1B" in result.stderr
    assert f"review the match with `pat map pat-odpm {path} -o map.toml`" in result.stderr
    assert "Traceback" not in result.output
    path.write_text(text.replace(p1a, reworded))
    result = pat_cli("score", "pat-odpm", str(path))
    assert result.exit_code == 0, result.output
    assert f"column '{reworded[:59]}…' taken as P1A" in result.stderr


def test_the_map_file_round_trip(
    tmp_path: Path, registry: Registry, odpm: Instrument, answers: Any, pat_cli: Any
) -> None:
    path = googleforms(tmp_path / "g.csv", odpm, answers, grids=False)
    p1b = odpm.item("P1B").text
    path.write_text(path.read_text().replace(p1b, "What made things work?"))
    mapped = tmp_path / "map.toml"
    result = pat_cli("map", "pat-odpm", str(path), "-o", str(mapped))
    assert result.exit_code == 0, result.output
    text = mapped.read_text()
    assert '"Email Address"' in text.split("[left_out]")[1]
    assert '"Timestamp" = "submitted"' in text
    # the reviewer says which statement the odd column is
    mapped.write_text(text.replace("[items]\n", '[items]\n"What made things work?" = "P1B"\n'))
    result = pat_cli("score", "pat-odpm", str(path), "--map", str(mapped), "-f", "csv")
    assert result.exit_code == 0, result.output
    expected = expected_totals(tmp_path, registry, odpm, answers)
    assert result.stdout.count("\n") == len(expected) + 1
    assert "43 of 43 statements matched (43 by map file)" in result.stderr


def test_a_bad_map_file_names_its_keys(
    tmp_path: Path, odpm: Instrument, answers: Any, pat_cli: Any
) -> None:
    path = googleforms(tmp_path / "g.csv", odpm, answers, grids=False)
    mapped = tmp_path / "map.toml"
    assert pat_cli("map", "pat-odpm", str(path), "-o", str(mapped)).exit_code == 0
    text = mapped.read_text().replace('= "P1A"', '= "P9Z"', 1)
    mapped.write_text(text.replace('"Timestamp" =', '"When" =', 1))
    result = pat_cli("score", "pat-odpm", str(path), "--map", str(mapped))
    assert result.exit_code == 1
    assert (
        'items."There have been substantial past achievements within the partnership.": '
        "no item 'P9Z' in pat-odpm" in result.stderr
    )
    mapped.write_text(mapped.read_text().replace('"P9Z"', '"P1A"'))
    result = pat_cli("score", "pat-odpm", str(path), "--map", str(mapped))
    assert f"attributes.\"When\": no column 'When' in {path}" in result.stderr
    mapped.write_text('format = 1\ninstrument = "governance-matrix"\n')
    result = pat_cli("score", "pat-odpm", str(path), "--map", str(mapped))
    assert "instrument: this map is for 'governance-matrix', not pat-odpm" in result.stderr
    assert "Traceback" not in result.output


def test_from_overrides_detection_and_unknown_tools_are_named(
    tmp_path: Path, odpm: Instrument, answers: Any, pat_cli: Any
) -> None:
    path = kobo(tmp_path / "kobo.csv", odpm, answers, groups=False)
    result = pat_cli("score", "pat-odpm", str(path), "--from", "pat")
    assert result.exit_code == 0, result.output  # pat's own layout: Kobo's columns are kept
    assert "kept as respondent attributes: start, end, _id, _uuid" in result.stderr
    result = pat_cli("score", "pat-odpm", str(path), "--from", "kobo", "-f", "csv")
    assert result.exit_code == 0, result.output
    result = pat_cli("score", "pat-odpm", str(path), "--from", "smartsurvey")
    assert result.exit_code == 1
    assert "--from: no importer 'smartsurvey' (installed: pat, google-forms" in result.stderr


def test_validate_never_calls_a_file_valid_when_most_statements_have_no_column(
    tmp_path: Path, pat_cli: Any
) -> None:
    sheet = tmp_path / "odd.csv"
    sheet.write_text("respondent,P1A,Q2,Q3,Q4,Q5\nR1,SA,1,2,3,4\n")
    result = pat_cli("validate", str(sheet), "-i", "pat-odpm")
    assert result.exit_code == 1
    assert "only 1 of 43 statements have a column and 4 columns are not item ids" in result.stderr
    assert "--from TOOL" in result.stderr


def test_an_export_of_a_tool_is_validated_and_says_so(
    tmp_path: Path, odpm: Instrument, answers: Any, pat_cli: Any
) -> None:
    path = BUILDERS["surveymonkey"](tmp_path / "sm.xlsx", odpm, answers)
    result = pat_cli("validate", str(path), "-i", "pat-odpm")
    assert result.exit_code == 0, result.output
    assert "read as an export of SurveyMonkey" in result.stderr
    assert "8 respondent(s)" in result.stdout


def test_a_workshop_names_the_map_and_the_tool(
    tmp_path: Path, odpm: Instrument, answers: Any, pat_cli: Any
) -> None:
    path = googleforms(tmp_path / "g.csv", odpm, answers)
    mapped = tmp_path / "map.toml"
    assert pat_cli("map", "pat-odpm", str(path), "-o", str(mapped)).exit_code == 0
    workshop = tmp_path / "w.toml"
    workshop.write_text(
        'partnership = "Anytown"\npurpose = "audit"\n[[instruments]]\nid = "pat-odpm"\n'
        'responses = ["g.csv"]\n'
        'from = "google-forms"\nmap = "map.toml"\n[output]\nformats = ["json"]\n'
    )
    result = pat_cli("run", str(workshop))
    assert result.exit_code == 0, result.output
    assert "43 by map file" in result.stderr


def test_normalising_and_similarity() -> None:
    assert normalise("<b>1. Partners  “trust”</b> each other *") == "partners trust each other"
    assert normalise("Q3) The board meets (2)") == "the board meets"
    assert similarity("the board meets monthly", "the board meets monthly") == 1
    assert similarity("section title the board meets", "the board meets") == 1
    assert similarity("something else", "the board meets monthly") < 0.6


class Intranet:
    name = "intranet"
    title = "Intranet survey"
    description = "test tool"

    def detect(self, sheet: Sheet) -> bool:
        return sheet.row(1)[:2] == ["Ref", "Submitted"]

    def read(self, sheet: Sheet) -> Export:
        roles: dict[str, Any] = {"Ref": "respondent", "Submitted": "date", "Staff": "personal"}
        columns = [
            Column(k, h, (h,), (h,), roles.get(h, "question")) for k, h in enumerate(sheet.row(1))
        ]
        return Export(self.title, columns, sheet.data(1))


def test_a_plugins_importer_reads_its_tools_export(
    tmp_path: Path, registry: Registry, pat_plugin: Callable[..., str], pat_cli: Any
) -> None:
    from pat_framework import hookimpl

    class Plugin:
        @hookimpl
        def register_importers(self, register: Callable[[Any], None]) -> None:
            register(Intranet())

    pat_plugin(Plugin(), "intranet-plugin")
    path = tmp_path / "results.csv"
    ids = ",".join(registry.instrument("pat-odpm").item_ids)
    row = ",".join(["3"] * 43)  # 3 is Agree and a weight of 3
    path.write_text(
        f"Ref,Submitted,Staff,{ids}\nX1,2026-11-02,E123,{row}\nX2,2026-11-03,E9,{row}\n"
    )
    result = pat_cli("score", "pat-odpm", str(path), "-f", "json")
    assert result.exit_code == 0, result.output
    assert "read as an export of Intranet survey" in result.stderr
    assert "E123" not in result.stdout
    assert [r["respondent"] for r in json.loads(result.stdout)["respondents"]] == ["X1", "X2"]
    plugins_listing = pat_cli("plugins").stdout
    assert "intranet-plugin" in plugins_listing


def test_validate_refuses_a_sheet_that_answers_few_statements(
    tmp_path: Path, pat_cli: Any
) -> None:
    sheet = tmp_path / "few.csv"
    sheet.write_text("respondent,P1A,P1B\nR1,SA,A\n")
    result = pat_cli("validate", str(sheet), "-i", "pat-odpm")
    assert result.exit_code == 1
    assert "not valid: 41 of 43 statements have no answer in the file" in result.stderr


@pytest.mark.parametrize("tool", sorted(BUILDERS))
def test_an_extra_question_and_a_blank_answer(
    tmp_path: Path, registry: Registry, odpm: Instrument, answers: Any, tool: str
) -> None:
    blank = {rid: dict(a) for rid, a in answers.items()}
    first = next(iter(blank))
    del blank[first]["P3C"]
    path = BUILDERS[tool](tmp_path / "export.csv", odpm, blank)
    lines = path.read_text().splitlines()
    extra = "Anything else you would like to tell us about the partnership?"
    sep = ";" if tool == "kobo" else ","
    lines = [line + sep + (f'"{extra}"' if k == 0 else "") for k, line in enumerate(lines)]
    path.write_text("\n".join(lines) + "\n")
    responses = read(registry, "pat-odpm", [path])
    assert responses.values["P3C"].isna().sum() == 1
    assert responses.values.drop(columns="P3C").notna().all().all()
    assert any("left out" in n and "Anything else" in n for n in responses.notes), tool
    assert extra not in responses.attributes.columns


def test_an_export_saved_by_excel_with_a_sep_line(
    tmp_path: Path, registry: Registry, odpm: Instrument, answers: Any
) -> None:
    path = googleforms(tmp_path / "g.csv", odpm, answers)
    path.write_text("sep=,\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    totals = score(registry, "pat-odpm", [path]).totals.reset_index(drop=True)
    assert totals.equals(expected_totals(tmp_path, registry, odpm, answers))
