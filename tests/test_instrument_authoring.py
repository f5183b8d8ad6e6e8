"""`pat new instrument`: a commented skeleton that validates, scores and charts as written."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import tomli
from conftest import PatCli
from jsonschema import Draft202012Validator

from pat_framework.authoring.instrument_skeleton import skeleton
from pat_framework.authoring.toml_text import SCHEMA_FILE
from pat_framework.bands import ScoreRange, check_bands
from pat_framework.errors import ProblemsError
from pat_framework.instrument.checker import read_toml
from pat_framework.instrument.loader import instrument_from_dict, load_instrument
from pat_framework.runtime import plugins
from pat_framework.runtime.registry import Registry


@pytest.fixture
def no_extra_dirs(monkeypatch: pytest.MonkeyPatch) -> None:
    """--instruments-dir adds to a list kept for the process: start each test empty."""
    monkeypatch.setattr(plugins, "_extra_dirs", [])
    monkeypatch.delenv("PAT_INSTRUMENTS_PATH", raising=False)


def test_new_instrument_writes_name_toml_that_validates(
    pat_cli: PatCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = pat_cli("new", "instrument", "team-health")
    assert result.exit_code == 0, result.output
    assert "wrote team-health.toml" in result.stderr
    assert "pat validate team-health.toml" in result.stderr
    text = (tmp_path / "team-health.toml").read_text(encoding="utf-8")
    assert 'id = "team-health"' in text and 'title = "Team health"' in text

    result = pat_cli("validate", "team-health.toml")
    assert result.exit_code == 0, result.output
    assert result.stdout == "ok: team-health.toml: instrument 'team-health', 2 sections, 6 items\n"


def test_the_skeleton_holds_every_part_a_new_author_needs(registry: Registry) -> None:
    instrument = instrument_from_dict(tomli.loads(skeleton("my-check", "x.toml")), "x.toml")
    assert instrument.id == "my-check" and instrument.title == "My check"
    assert [s.id for s in instrument.sections] == ["S1", "S2"]
    assert [len(s.items) for s in instrument.sections] == [3, 3]
    agree = instrument.scales["agree4"]
    assert [o.value for o in agree.scoring] == [4, 3, 2, 1]
    assert agree.has_missing_options
    assert [s.id for s in instrument.scenarios] == ["A", "B", "C"]
    assert {b.scenario for b in instrument.aggregate_bands} == {"A", "B", "C"}
    assert registry.check(instrument) == []
    scorer = registry.get("scorer", "sum")
    for section in instrument.sections:
        reach = scorer.score_range(instrument, section)
        assert (reach.low, reach.high) == (3, 12)
        assert check_bands(section.bands, reach, "b") == []
    assert check_bands(instrument.aggregate_bands, ScoreRange(6, 24), "a") == []


def test_the_skeleton_explains_each_part_in_comments() -> None:
    comments = " ".join(
        line.split("#", 1)[1].lower()
        for line in skeleton("my-check", "x.toml").splitlines()
        if "#" in line
    )
    for words in [
        "pat validate x.toml",
        "text goes in double quotes",
        "double brackets",
        "answer scales",
        "codes: other ways of typing it",
        "write `missing` instead of `value`",
        "its id is the column heading",
        "reverse = true",
        "bands turn a section's total into a sentence",
        "no gap and no overlap",
        "totals from 3 to 12",
        "the aggregate: the total of all sections (here 6 to 24)",
        "scenarios: what the group should do next",
        "[escalation]",
        "a blank answer never counts as zero",
    ]:
        assert words in comments, words


def test_new_instrument_refuses_to_overwrite_without_force(
    pat_cli: PatCli, tmp_path: Path
) -> None:
    target = tmp_path / "mine.toml"
    target.write_text("keep me", encoding="utf-8")
    result = pat_cli("new", "instrument", "mine", "-o", str(target))
    assert result.exit_code == 1
    assert f"refusing to overwrite {target}: it exists (give --force to replace it)" in (
        result.stderr
    )
    assert target.read_text(encoding="utf-8") == "keep me"

    result = pat_cli("new", "instrument", "mine", "-o", str(target), "--force")
    assert result.exit_code == 0, result.output
    assert load_instrument(target).id == "mine"


@pytest.mark.parametrize(
    ("name", "example"),
    [("Team Health", " (for example 'team-health')"), ("my_check", " (for example 'my-check')")],
)
def test_new_instrument_rejects_a_name_that_cannot_be_an_id(
    pat_cli: PatCli, tmp_path: Path, name: str, example: str
) -> None:
    result = pat_cli("new", "instrument", name, "-o", str(tmp_path / "x.toml"))
    assert result.exit_code == 2
    assert (
        f"'{name}' cannot be an instrument id: use lower-case letters, digits and '-', "
        f"starting with a letter or digit{example}"
    ) in " ".join(result.stderr.split())
    assert not (tmp_path / "x.toml").exists()


def test_new_instrument_rejects_the_id_of_an_installed_instrument(
    pat_cli: PatCli, tmp_path: Path
) -> None:
    result = pat_cli("new", "instrument", "pat-odpm", "-o", str(tmp_path / "x.toml"))
    assert result.exit_code == 1
    assert "an instrument with id 'pat-odpm' is installed already (from pat_odpm)" in (
        result.stderr
    )


def test_the_skeleton_scores_and_charts_from_an_instruments_folder(
    pat_cli: PatCli, tmp_path: Path, no_extra_dirs: None
) -> None:
    folder = tmp_path / "instruments"
    folder.mkdir()
    result = pat_cli("new", "instrument", "my-check", "-o", str(folder / "m.toml"))
    assert result.exit_code == 0, result.output
    sheet = tmp_path / "answers.csv"
    args = ["--instruments-dir", str(folder)]
    result = pat_cli(*args, "template", "my-check", "-o", str(sheet))
    assert result.exit_code == 0, result.output
    header = sheet.read_text(encoding="utf-8").splitlines()[0]
    assert header == "respondent,organisation,level,round,S1A,S1B,S1C,S2A,S2B,S2C"
    rows = [
        "R1,North,board,1,SA,SA,A,A,A,A",  # 11 and 9: aggregate 20, scenario A's band
        "R2,South,senior,1,D,SD,D,Disagree,A,DK",  # 5, and 7.5 prorated from 2 answers
        "R3,North,front line,1,A,A,A,A,A,A",  # 9 and 9: 18
    ]
    sheet.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = pat_cli(*args, "score", "my-check", str(sheet), "-f", "csv")
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["S1"], r["S2"], r["aggregate"]) for r in table] == [
        ("11", "9", "20"),
        ("5", "7.5", "12.5"),
        ("9", "9", "18"),
    ]
    chart = tmp_path / "totals.png"
    result = pat_cli(
        *args,
        "chart",
        "my-check",
        str(sheet),
        "--min-group",
        "3",
        "-k",
        "totals",
        "-o",
        str(chart),
    )
    assert result.exit_code == 0, result.output
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_new_and_imported_files_start_with_a_schema_line_that_editors_can_follow(
    pat_cli: PatCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "instruments").mkdir()
    assert pat_cli("new", "instrument", "team-health", "-o", "instruments/t.toml").exit_code == 0
    text = (tmp_path / "instruments" / "t.toml").read_text(encoding="utf-8")
    assert text.startswith(f"#:schema ./{SCHEMA_FILE}\n")
    assert "#   pat schema -o instruments/instrument.schema.json\n" in text

    result = pat_cli("schema", "-o", "instruments/instrument.schema.json")
    assert result.exit_code == 0, result.output
    copy = tmp_path / "instruments" / SCHEMA_FILE
    shipped = Path(pat_cli("schema").stdout.strip())
    assert copy.read_bytes() == shipped.read_bytes()
    schema = json.loads(copy.read_text(encoding="utf-8"))
    data = tomli.loads(text)
    assert list(Draft202012Validator(schema).iter_errors(data)) == []
    result = pat_cli("schema", "-o", "instruments/instrument.schema.json")
    assert result.exit_code == 1 and "give --force to replace it" in result.stderr
    assert pat_cli("schema", "-o", str(copy), "--force").exit_code == 0


def test_the_loader_and_the_checker_read_a_file_that_starts_with_the_schema_line(
    pat_cli: PatCli, tmp_path: Path
) -> None:
    path = tmp_path / "x.toml"
    text = skeleton("my-check", str(path))
    assert text.splitlines()[0] == f"#:schema ./{SCHEMA_FILE}"
    lines = text.splitlines()
    wrong = next(n for n, line in enumerate(lines, 1) if line.startswith('scale = "agree4"'))
    path.write_text(text.replace('scale = "agree4"', 'scale = "agre4"', 1), encoding="utf-8")
    result = pat_cli("validate", path)
    assert result.exit_code == 1
    assert f"{path}, line {wrong}, sections[1].scale: unknown scale 'agre4'" in result.stderr

    path.write_text(text, encoding="utf-8")
    data, read = read_toml(path, "an instrument", ProblemsError)
    assert read == text and data["id"] == "my-check"
    assert load_instrument(path).id == "my-check"
