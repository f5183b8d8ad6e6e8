"""`pat analyse` end to end: the briefing, the JSON and CSV outputs, and privacy."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import ODPM_SAMPLE, PatCli, odpm_row


def test_briefing_on_the_sample(pat_cli: PatCli) -> None:
    result = pat_cli("analyse", "pat-odpm", ODPM_SAMPLE, "--by", "organisation",
                 "--by", "level")  # fmt: skip
    assert result.exit_code == 0, result.output
    text = result.stdout
    headings = [
        "The overall picture",
        "What to celebrate",
        "What to explore: concerns",
        "Where partners disagree (most divided first)",
        "Is the partnership achieving its aims? (beside the scores)",
        "Scores at a glance",
        "How the groups compare: by organisation (group medians)",
        "How the groups compare: by level (group medians)",
        "Priorities: significance against score",
        "Action plan skeleton (to fill in at the workshop)",
    ]
    positions = [text.index(f"{h}\n") for h in headings]
    assert positions == sorted(positions)
    assert "18 respondent(s), from" in text
    assert "  Scenario B: Working well in parts\n" in text
    assert "Why: The median aggregate score of 18 respondent(s) is 101.5, in the band 73–108." in (
        text
    )
    # The sample's Voluntary Action Anytown front line and senior staff mark trust low.
    assert "P4 Develop and maintain trust: 6 of 18 respondents scored in a band of concern" in (
        text
    )
    assert "  Voluntary Action Anytown  6  20.5  20    17.5  10.5*" in text
    assert "  1     P4 Develop and maintain trust" in text
    # individual answers are not shown unless asked for
    assert "R01" not in text and "Individual scores" not in text


def test_json_is_versioned_and_complete(pat_cli: PatCli) -> None:
    result = pat_cli("analyse", "pat-odpm", ODPM_SAMPLE, "--by", "level", "-f", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert (document["format"], document["version"]) == ("pat-analysis", 1)
    assert document["respondents"] == 18 and document["min_group"] == 5
    assert document["disclosure"] == {"min_group": 5, "min_comments": 10, "lowered": False}
    assert document["group"]["scenario"]["id"] == "B"
    assert [s["section"] for s in document["sections"]] == [f"P{p}" for p in range(1, 7)]
    assert len(document["items"]) == 43
    p1a = document["items"][0]
    assert p1a["item"] == "P1A" and p1a["text"].startswith("There have been substantial")
    assert p1a["counts"][0] == {"value": 4, "label": "Strongly agree", "count": 11}
    level = document["subgroups"]["level"]
    assert [g["group"] for g in level["groups"]] == ["board", "senior", "frontline"]
    assert level["hidden_groups"] == 0
    assert level["groups"][2]["sections"]["P4"] == {
        "n": 6, "median": 12.0, "band": "7–12", "concern": True, "suppressed": False,
    }  # fmt: skip
    assert document["rounds"] is None
    assert document["priorities"][3]["rank"] == 1
    assert document["findings"][0]["kind"] == "scenario"
    assert all(row["owner"] == "" and row["due"] == "" for row in document["action_plan"])
    assert "individuals" not in document


def test_csv_is_the_items_table(pat_cli: PatCli, tmp_path: Path) -> None:
    out = tmp_path / "items.csv"
    result = pat_cli("analyse", "pat-odpm", ODPM_SAMPLE, "-o", out)
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 43
    p4c = next(r for r in rows if r["item"] == "P4C")
    assert (p4c["count_4"], p4c["count_3"], p4c["count_2"], p4c["count_1"]) == ("1", "8", "8", "1")
    assert (p4c["median"], p4c["split"], p4c["divided"]) == ("2.5", "True", "0.5")
    assert p4c["agreement"] == "moderate agreement (rWG 0.60)"


def test_individuals_only_when_asked(pat_cli: PatCli) -> None:
    text = pat_cli("analyse", "pat-odpm", ODPM_SAMPLE, "--show-individuals").stdout
    assert "Individual scores (shown because --show-individuals was given)" in text
    assert "  R05         Anytown Council           frontline  2026-1  18  18  16  13  14.4" in (
        text
    )
    document = json.loads(
        pat_cli("analyse", "pat-odpm", ODPM_SAMPLE, "--show-individuals", "-f", "json").stdout
    )
    assert document["individuals"][0]["respondent"] == "R01"
    assert document["individuals"][0]["aggregate"] == 112


def test_unknown_by_column(pat_cli: PatCli) -> None:
    result = pat_cli("analyse", "pat-odpm", ODPM_SAMPLE, "--by", "team")
    assert result.exit_code == 1
    assert (
        "no respondent attribute 'team' to break down by; available: organisation, level, round"
        in result.stderr
    )


def test_usage_errors(pat_cli: PatCli) -> None:
    assert pat_cli("analyse", "pat-odpm", ODPM_SAMPLE, "--min-group", "0").exit_code == 2
    result = pat_cli("analyse", "pat-odpm", ODPM_SAMPLE, "-f", "xlsx")
    assert result.exit_code == 2 and "'xlsx' is not one of: csv, json, text" in result.stderr


def test_input_is_never_overwritten(pat_cli: PatCli, write_sheet: Callable[..., Path]) -> None:
    path = write_sheet([odpm_row(f"R{k}") for k in range(3)])
    before = path.read_bytes()
    result = pat_cli("analyse", "pat-odpm", path, "--min-group", "3", "-f", "csv", "-o", path)
    assert result.exit_code == 1 and "it is one of the input files" in result.stderr
    assert path.read_bytes() == before


def test_a_subgroup_of_two_never_appears(
    pat_cli: PatCli, write_sheet: Callable[..., Path], tmp_path: Path
) -> None:
    rows = [odpm_row(f"C{k}", fill="A", organisation="Council", level="board") for k in range(4)]
    rows += [
        odpm_row(f"T{k}", fill="SA", organisation="Harbour", level="senior") for k in range(3)
    ]
    rows += [
        odpm_row(f"S{k}", fill="SD", organisation="Lonely Charity", level="volunteer")
        for k in range(2)
    ]
    path = write_sheet(rows)
    outputs = {}
    for fmt in ("text", "json", "csv"):
        result = pat_cli("analyse", "pat-odpm", path, "--min-group", "3", "--by", "organisation",
                     "--by", "level", "-f", fmt)  # fmt: skip
        assert result.exit_code == 0, result.output
        outputs[fmt] = result.stdout
        assert "Lonely Charity" not in result.stdout and "volunteer" not in result.stdout
    # Harbour (3) is hidden too (the total would reveal the pair); Council is shown.
    assert "Harbour" not in outputs["text"] and "  Council       4  18  18" in outputs["text"]
    assert "2 group(s) not shown" in outputs["text"]
    document = json.loads(outputs["json"])
    for attribute in ("organisation", "level"):
        shown = document["subgroups"][attribute]
        assert len(shown["groups"]) == 1 and shown["hidden_groups"] == 2
    assert "Harbour" not in outputs["json"]


def test_briefing_shows_change_between_rounds(
    pat_cli: PatCli, write_sheet: Callable[..., Path]
) -> None:
    rows = [odpm_row(f"A{k}", fill="SA", round="2025") for k in range(3)]
    rows += [
        odpm_row(f"B{k}", {f"P4{e}": "D" for e in "ABCDEF"}, fill="A", round="2026")
        for k in range(3)
    ]
    result = pat_cli("analyse", "pat-odpm", write_sheet(rows), "--min-group", "3")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Change between rounds (group medians)" in text
    assert "  P4               24    12*   ↓ -12" in text
    assert "  Aggregate score  144   102   ↓ -42" in text
    assert "  • P4: 2025 24 (19–24) → 2026 12 (7–12), down." in text
    document = json.loads(
        pat_cli("analyse", "pat-odpm", write_sheet(rows), "--min-group", "3", "-f", "json").stdout
    )
    p4 = document["rounds"]["groups"][1]["sections"]["P4"]
    assert (p4["median"], p4["change"], p4["direction"]) == (12.0, -12.0, "down")


def test_the_latest_round_is_reported_unless_asked_otherwise(
    pat_cli: PatCli, write_sheet: Callable[..., Path]
) -> None:
    rows = [odpm_row(f"A{k}", fill="SA", round="2025") for k in range(4)]
    rows += [odpm_row(f"B{k}", fill="D", round="2026") for k in range(3)]
    sheet = write_sheet(rows)

    def document(*options: str) -> dict:
        result = pat_cli("analyse", "pat-odpm", sheet, "--min-group", "3", "-f", "json", *options)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    latest = document()
    assert (latest["respondents"], latest["group"]["median_aggregate"]) == (3, 72.0)
    assert [g["round"] for g in latest["rounds"]["groups"]] == ["2025", "2026"]
    assert document("--round", "all")["respondents"] == 7
    first = document("--round", "2025")
    assert (first["respondents"], first["group"]["median_aggregate"]) == (4, 144.0)
    missing = pat_cli("analyse", "pat-odpm", sheet, "--min-group", "3", "--round", "2027")
    assert missing.exit_code == 1
    assert "no round '2027' in the answers; the rounds are 2025, 2026" in missing.output
    assert (
        "are for round 2026 (3 of 7 respondents)"
        in pat_cli("analyse", "pat-odpm", sheet, "--min-group", "3").stderr
    )


def test_a_round_that_is_not_in_single_round_answers_is_an_error(
    pat_cli: Any, pat_answers: Any
) -> None:
    three = {f"R{k}": {"round": "2026-1"} for k in range(3)}
    with_round = pat_answers("pat-odpm", three, fill="A", name="a.csv")
    result = pat_cli("analyse", "pat-odpm", str(with_round), "--min-group", "3", "--round", "2025")
    assert result.exit_code == 1
    assert "no round '2025' in the answers; their one round is 2026-1" in result.stderr
    assert (
        pat_cli(
            "analyse", "pat-odpm", str(with_round), "--min-group", "3", "--round", "2026-1"
        ).exit_code
        == 0
    )
    plain = pat_answers("pat-odpm", {"R1": {}}, fill="A", name="b.csv")
    result = pat_cli("analyse", "pat-odpm", str(plain), "--min-group", "3", "--round", "2025")
    assert result.exit_code == 1
    assert "they have no round column" in result.stderr
