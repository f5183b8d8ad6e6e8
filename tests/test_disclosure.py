"""The disclosure suite: every route to a small group's answers, tried in every format.

Written as someone reading the outputs would attack them, not from the implementation:
each test builds answers where a few respondents stand out (a group of two, a round of
two, a section only they answered, comments), runs the commands a facilitator runs, reads
back every file they write (text, JSON, CSV, XLSX, HTML, Markdown, Word, slides, chart
specs) and looks for those few: their names, their words, any count of fewer than five,
and any two published figures whose difference is fewer than five people. The thresholds
are the defaults, 5 for figures and 10 for comments.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import odpm_row

from pat_framework.testing import invoke

FIGURES, COMMENTS = 5, 10
CANARY = "Lonely Charity"
SECRET = "only two of us think the chair hides the accounts"
REPORT_SUFFIXES = (".html", ".md", ".json", ".xlsx", ".csv", ".docx", ".pptx")
Rows = list[dict[str, Any]]


def text_of(path: Path) -> str:
    """Everything a reader could see in a file, as text."""
    suffix = path.suffix
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        return "\n".join(
            str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r if c.value
        )
    if suffix == ".docx":
        from docx import Document

        doc = Document(str(path))
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)
    if suffix == ".pptx":
        from pptx import Presentation

        deck = Presentation(str(path))
        parts = []
        for slide in deck.slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    parts.append(shape.text_frame.text)
                if shape.has_table:
                    parts += [c.text for r in shape.table.rows for c in r.cells]
            if slide.has_notes_slide:
                parts.append(slide.notes_slide.notes_text_frame.text)
        return "\n".join(parts)
    text = path.read_text(encoding="utf-8")
    return text


def outputs(tmp_path: Path, sheet: Path, by: tuple[str, ...] = (), **rules: int) -> dict[str, str]:
    """Every output of the answers, by name: `pat analyse` in each format, and the report
    in each format with its charts' vega-lite specs (built once, rendered by every report
    renderer as `pat report` does). `rules`: min_group, min_comments."""
    from pat_framework.reports import build_report
    from pat_framework.runtime.pipeline import analysed
    from pat_framework.runtime.registry import build_registry

    options = [a for name in by for a in ("--by", name)]
    if "min_group" in rules:  # pat analyse shows no comments: it has no --min-comments
        options += ["--min-group", str(rules["min_group"])]
    found: dict[str, str] = {}
    for fmt in ("text", "json", "csv"):
        result = invoke("analyse", "pat-odpm", sheet, *options, "-f", fmt)
        assert result.exit_code == 0, result.output
        found[f"analyse.{fmt}"] = result.stdout
        found["notes"] = result.stderr
    registry = build_registry()
    analysis = analysed(registry, "pat-odpm", [sheet], by, **rules)  # type: ignore[arg-type]
    built = build_report(registry, analysis, "charts", "full")
    for name, suffix in (("html", ".html"), ("markdown", ".md"), ("json", ".json"),
                         ("xlsx", ".xlsx"), ("csv", ".csv"), ("docx", ".docx"),
                         ("pptx", ".pptx")):  # fmt: skip
        data = registry.get("renderer", ("report", name)).render(built)
        out = tmp_path / f"report{suffix}"
        out.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        found[f"report{suffix}"] = text_of(out)
    return found


def refused(tmp_path: Path, sheet: Path, *options: str) -> list[str]:
    """Run every command; each must fail, write nothing, and say why. The messages."""
    messages = []
    for fmt in ("text", "json", "csv"):
        result = invoke("analyse", "pat-odpm", sheet, *options, "-f", fmt)
        assert result.exit_code == 1 and result.stdout == "", result.output
        messages.append(result.stderr)
    for suffix in REPORT_SUFFIXES:
        out = tmp_path / f"refused{suffix}"
        result = invoke("report", "pat-odpm", sheet, *options, "-o", out)
        assert result.exit_code == 1 and not out.exists(), result.output
        messages.append(result.stderr)
    out = tmp_path / "refused.json"
    result = invoke("chart", "pat-odpm", sheet, *options, "-k", "dartboard", "-o", out)
    assert result.exit_code == 1 and not out.exists(), result.output
    assert "Traceback" not in "".join(messages)
    return [*messages, result.stderr]


def counts(document: dict[str, Any]) -> Iterator[tuple[str, int]]:
    """Every respondent count an analysis document publishes, with where it is."""
    for item in document["items"]:
        yield f"item {item['item']}", item["n"]
        for count in item["counts"]:
            if count["count"]:
                yield f"item {item['item']} {count['label']}", item["n"]
    for section in document["sections"]:
        yield f"section {section['section']}", section["n"]
    for attribute, table in document["subgroups"].items():
        for group in table["groups"]:
            for section, cell in group["sections"].items():
                yield f"{attribute} {group['group']} {section}", cell.get("n")
    for group in (document.get("rounds") or {}).get("groups", []):
        for section, cell in group["sections"].items():
            yield f"round {group['round']} {section}", cell.get("n")


def assert_no_small_count(document: dict[str, Any]) -> None:
    for where, n in counts(document):
        assert n is None or n == 0 or n >= FIGURES, f"{where}: {n} respondent(s) shown"


def analysis_json(sheet: Path, *options: str) -> dict[str, Any]:
    result = invoke("analyse", "pat-odpm", sheet, *options, "-f", "json")
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def people(n: int, prefix: str, fill: str = "A", **attributes: Any) -> Rows:
    return [odpm_row(f"{prefix}{k}", fill=fill, **attributes) for k in range(n)]


@pytest.fixture
def sheet_of(write_sheet: Callable[..., Path]) -> Callable[[Rows], Path]:
    return lambda rows: write_sheet(rows)


# -- the whole population, a round, the pooled rounds ------------------------------------


@pytest.mark.parametrize("n", [1, 2, 4])
def test_too_few_respondents_give_no_output_of_any_kind(
    n: int, sheet_of: Callable[[Rows], Path], tmp_path: Path
) -> None:
    sheet = sheet_of(people(n, "R", organisation=CANARY))
    for message in refused(tmp_path, sheet):
        assert f"{n} respondent(s), fewer than 5, the smallest group shown" in message
        if n >= 3:
            assert "lower the threshold deliberately with --min-group" in message
        else:
            assert "no threshold goes below 3" in message


def test_a_lowered_threshold_is_allowed_to_three_and_every_output_says_so(
    sheet_of: Callable[[Rows], Path], tmp_path: Path
) -> None:
    sheet = sheet_of(people(4, "R"))
    found = outputs(tmp_path, sheet, min_group=4, min_comments=4)
    for name in ("notes", "analyse.json", *(f"report{s}" for s in (".html", ".md",
                 ".json", ".xlsx", ".docx"))):  # fmt: skip
        assert "lowered deliberately" in found[name], name
    assert json.loads(found["analyse.json"])["disclosure"]["lowered"] is True
    result = invoke("analyse", "pat-odpm", sheet, "--min-group", "2")
    assert result.exit_code == 2 and "2 is not in the range x>=3" in result.output


def test_a_round_of_two_is_not_reported_and_the_message_says_why(
    sheet_of: Callable[[Rows], Path], tmp_path: Path
) -> None:
    rows = people(2, "O", fill="SD", round="2025") + people(8, "N", round="2026")
    for message in refused(tmp_path, sheet_of(rows), "--round", "2025"):
        assert "2 respondent(s) in round 2025, fewer than 5" in message


def test_every_round_pooled_cannot_be_less_the_latest_round(
    sheet_of: Callable[[Rows], Path], tmp_path: Path
) -> None:
    # 2025 had two respondents: pooled (10) less 2026 alone (8) would be their answers
    rows = people(2, "O", fill="SD", round="2025") + people(8, "N", round="2026")
    sheet = sheet_of(rows)
    for message in refused(tmp_path, sheet, "--round", "all"):
        assert "every round pooled (10 respondents: 2025 (2), 2026 (8))" in message
    assert_no_small_count(analysis_json(sheet))  # the latest round alone is fine


def test_pooled_rounds_less_a_round_never_leave_fewer_than_five_of_any_figure(
    sheet_of: Callable[[Rows], Path],
) -> None:
    # Both rounds are large enough, but in 2025 only two answered P2A (the rest blank):
    # pooled P2A less 2026's P2A would be those two answers.
    early = people(6, "O", round="2025", fill="A")
    for row in early[2:]:
        row["P2A"] = ""
    early[0]["P2A"] = early[1]["P2A"] = "SD"
    sheet = sheet_of(early + people(8, "N", round="2026"))
    pooled, latest = analysis_json(sheet, "--round", "all"), analysis_json(sheet)
    early_round = analysis_json(sheet, "--round", "2025")
    assert_no_small_count(pooled)
    assert_no_small_count(early_round)
    published = [dict(counts(d)) for d in (pooled, latest, early_round)]
    for where in published[0]:
        for other in published[1:]:
            if where in other and published[0][where] and other[where]:
                gap = published[0][where] - other[where]
                assert not 0 < gap < FIGURES, f"{where}: pooled less a round leaves {gap}"


def test_forms_returned_on_different_days_are_one_round(
    sheet_of: Callable[[Rows], Path],
) -> None:
    rows = [*people(6, "R", date="2026-03-02"), odpm_row("LATE", fill="SD", date="2026-03-20")]
    document = analysis_json(sheet_of(rows))
    assert document["respondents"] == 7 and document["rounds"] is None
    result = invoke("analyse", "pat-odpm", sheet_of(rows), "--round", "2026-03-20")
    assert result.exit_code == 1 and "no round column" in result.stderr


def test_a_workshop_whose_round_has_two_respondents_writes_no_report(
    write_sheet: Callable[..., Path], tmp_path: Path
) -> None:
    rows = people(2, "O", fill="SD", round="2025") + people(8, "N", round="2026")
    write_sheet(rows, "odpm.csv")
    workshop = tmp_path / "w.toml"
    workshop.write_text(
        'partnership = "P"\npurpose = "audit"\nround = "2025"\n'
        '[[instruments]]\nid = "pat-odpm"\nresponses = ["odpm.csv"]\n'
        '[output]\nfolder = "out"\nformats = ["html", "json", "xlsx"]\n',
        encoding="utf-8",
    )
    result = invoke("run", workshop)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "pat-odpm: 2 respondent(s) in round 2025, fewer than 5" in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


# -- groups, sections, comments ------------------------------------------------------------


def team(fill_lonely: str = "SD") -> Rows:
    """Council 6 (board), Harbour Trust 6 (senior), and Lonely Charity 2 (board)."""
    return (
        people(6, "C", organisation="Anytown Council", level="board")
        + people(6, "H", fill="SA", organisation="Harbour Trust", level="senior")
        + people(2, "L", fill=fill_lonely, organisation=CANARY, level="board")
    )


def test_a_small_group_is_never_named_nor_drawn_in_any_format(
    sheet_of: Callable[[Rows], Path], tmp_path: Path
) -> None:
    found = outputs(tmp_path, sheet_of(team()), ("organisation",))
    for name, text in found.items():
        assert CANARY not in text, name
    assert_no_small_count(json.loads(found["analyse.json"]))
    assert_no_small_count(json.loads(found["report.json"])["analysis"])


def test_two_breakdowns_cannot_be_subtracted_to_show_a_small_group(
    sheet_of: Callable[[Rows], Path], tmp_path: Path
) -> None:
    rows = team()
    document = analysis_json(sheet_of(rows), "--by", "organisation", "--by", "level")
    assert_no_small_count(document)
    members = {
        (attribute, value): {r["respondent"] for r in rows if r[attribute] == value}
        for attribute in ("organisation", "level")
        for value in {r[attribute] for r in rows}
    }
    shown = {
        (attribute, group["group"]): group["sections"]["P1"]["n"]
        for attribute, table in document["subgroups"].items()
        for group in table["groups"]
        if not group["sections"]["P1"]["suppressed"]
    }
    shown[("all", "all")] = document["sections"][0]["n"]
    members[("all", "all")] = {r["respondent"] for r in rows}
    for a, b in itertools.permutations(shown, 2):
        if members[a] < members[b]:  # a inside b: b less a is a set of people
            gap = len(members[b] - members[a])
            assert not 0 < gap < FIGURES, f"{b} less {a} would show {gap} respondent(s)"


def test_a_section_only_a_hidden_group_answered_has_no_figure_at_all(
    sheet_of: Callable[[Rows], Path], tmp_path: Path
) -> None:
    rows = team()
    for row in rows:
        if row["organisation"] != CANARY:
            row.update({f"P6{e}": "" for e in "ABCDEF"})
    found = outputs(tmp_path, sheet_of(rows), ("organisation",))
    document = json.loads(found["analyse.json"])
    p6 = next(s for s in document["sections"] if s["section"] == "P6")
    assert p6["n"] in (0, None) and p6["median"] is None and p6["band"] in ("", None)
    for item in document["items"]:
        if item["section"] == "P6":
            assert item["n"] == 0 and not any(c["count"] for c in item["counts"]), item
    assert_no_small_count(document)
    assert "Monitor, measure and learn has no figures: 2 respondent(s)" in found["notes"]
    assert "Monitor, measure and learn has no figures: 2 respondent(s)" in found["report.html"]
    assert document["group"]["median_aggregate"] is None  # the aggregate needs P6


def test_comments_need_ten_respondents_in_every_format(
    sheet_of: Callable[[Rows], Path], tmp_path: Path
) -> None:
    rows = people(8, "R")
    rows[0]["P4A_comment"] = SECRET
    (tmp_path / "few").mkdir()
    found = outputs(tmp_path / "few", sheet_of(rows))
    for name, text in found.items():
        assert SECRET not in text, name
    assert "Comments are not shown: verbatim comments need at least 10" in found["report.html"]
    rows += people(2, "S")
    (tmp_path / "enough").mkdir()
    found = outputs(tmp_path / "enough", sheet_of(rows))
    assert SECRET in found["report.html"]


def test_spellings_of_one_group_are_one_group(
    sheet_of: Callable[[Rows], Path],
) -> None:
    rows = (
        people(3, "A", organisation="Anytown Council")
        + people(3, "B", organisation="Anytown council")
        + people(3, "C", organisation="Anytown  Council")
        + people(6, "H", organisation="Harbour Trust")
        + people(1, "X", organisation="harbour trust ", fill="SD")
    )
    document = analysis_json(sheet_of(rows), "--by", "organisation")
    groups = {
        g["group"]: g["sections"]["P1"]["n"]
        for g in document["subgroups"]["organisation"]["groups"]
    }
    assert groups == {"Anytown Council": 9, "Harbour Trust": 7}
    assert any(
        "spellings" in note.lower() or "merged" in note.lower() for note in document["notes"]
    )


def test_what_reaches_a_renderer_cannot_be_broken_down_again(
    sheet_of: Callable[[Rows], Path],
) -> None:
    from pat_framework.runtime.pipeline import analysed
    from pat_framework.runtime.registry import build_registry

    rows = team()
    rows[0]["P1A_comment"] = SECRET
    analysis = analysed(build_registry(), "pat-odpm", [sheet_of(rows)], ["organisation"])
    assert list(analysis.responses.attributes.columns) == []  # the breakdowns are made
    assert analysis.responses.comments is not None  # 14 respondents: comments are kept
    few = analysed(build_registry(), "pat-odpm", [sheet_of(rows[:9])], ["organisation"])
    assert few.responses.comments is None


def test_an_interpreter_counting_organisations_cannot_single_out_a_small_one(
    tmp_path: Path,
) -> None:
    # The governance matrix says in how many organisations a warning sign was seen. One
    # respondent of a third organisation, the only one to see B-W2, must not be findable.
    import csv

    sample = Path(__file__).parents[1] / "examples" / "responses" / "governance-sample.csv"
    rows = list(csv.DictReader(sample.open(encoding="utf-8")))
    for row in rows:
        row["B-W2"] = "No"
    lone = dict(rows[0], respondent="X1", organisation=CANARY, **{"B-W2": "Yes"})
    sheet = tmp_path / "governance.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows([*rows, lone])
    result = invoke("analyse", "governance-matrix", sheet, "-f", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    said = json.dumps(document["findings"])
    assert CANARY not in result.stdout and "of 4 organisations" not in said
    lone_sign = next(f for f in document["findings"] if f["item"] == "B-W2")
    assert "seen by 1 of 19" in lone_sign["title"]  # a count of the whole group: allowed
    assert "in 1 of" not in lone_sign["detail"]  # but not which organisation it came from


def test_two_reports_with_different_breakdowns_cannot_be_subtracted(
    sheet_of: Callable[[Rows], Path],
) -> None:
    rows = team()
    sheet = sheet_of(rows)
    # one report by organisation, another by level: the board (8) less the Council (6)
    # would be Lonely Charity's two
    by_organisation = analysis_json(sheet, "--by", "organisation")
    by_level = analysis_json(sheet, "--by", "level")
    shown = {
        group["group"]: group["sections"]["P1"]["n"]
        for document in (by_organisation, by_level)
        for table in document["subgroups"].values()
        for group in table["groups"]
        if not group["sections"]["P1"]["suppressed"]
    }
    assert "board" in shown  # the board is shown by level
    assert "Anytown Council" not in shown  # so the Council, all board members, is not
    for document in (by_organisation, by_level):
        assert_no_small_count(document)
