"""`pat form`: the Excel form (drop-downs, protection, round trip to scores) and the paper form."""

from __future__ import annotations

import csv
import json
import re
from html import escape
from pathlib import Path

from conftest import PatCli
from form_support import drop_down, fill_form, make_form
from openpyxl import load_workbook

from pat_framework.model import Instrument
from pat_framework.runtime.registry import Registry

#: The worked example of the ODPM tool for Principle 1: SA, D, A, A, A, SD scores 16.
WORKED_EXAMPLE = ["Strongly agree", "Disagree", "Agree", "Agree", "Agree", "Strongly disagree"]


def test_excel_form_filled_in_collected_and_scored(
    tmp_path: Path, odpm: Instrument, pat_cli: PatCli
) -> None:
    form = make_form("pat-odpm", tmp_path / "form.xlsx", "--organisation", "Anytown")
    answers: dict[str, object] = dict(
        zip(odpm.section("P1").item_ids, WORKED_EXAMPLE, strict=True)
    )
    for section in ("P2", "P3", "P4", "P5", "P6"):
        answers.update({item: 1 for item in odpm.section(section).item_ids})  # "Agree"
    answers["P2C"] = None  # one blank: P2 is prorated from five answers
    answers["W1"] = 0  # the first entry of the significance list
    answers["S1"] = "Disagree"
    filled = fill_form(
        form,
        tmp_path / "r07.xlsx",
        answers,
        fields={"respondent": "R07", "level": "board", "round": "2026-1", "date": "2026-05-01"},
        comments={"P1B": "We have never written the success factors down."},
    )
    out = tmp_path / "responses.csv"
    collected = pat_cli("collect", str(filled), "-o", str(out))
    assert collected.exit_code == 0, collected.output
    assert "1 respondent(s) added" in collected.stdout

    with out.open(encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["respondent"] == "R07"
    assert (row["organisation"], row["level"], row["round"]) == ("Anytown", "board", "2026-1")
    assert row["date"] == "2026-05-01"
    assert row["P1B_comment"] == "We have never written the success factors down."
    assert row["W1"] == "4 – more significant" and row["P2C"] == ""

    scored = pat_cli("score", "pat-odpm", str(out), "-f", "json")
    assert scored.exit_code == 0, scored.output
    (respondent,) = json.loads(scored.stdout)["respondents"]
    sections = respondent["sections"]
    assert sections["P1"]["score"] == 16
    assert sections["P2"]["score"] == 18 and sections["P2"]["prorated"] is True
    assert [sections[f"P{p}"]["score"] for p in range(3, 7)] == [18, 18, 18, 18]
    assert respondent["aggregate"]["score"] == 16 + 18 * 5


def test_excel_form_is_protected_with_a_drop_down_of_each_items_scale(
    tmp_path: Path, registry: Registry
) -> None:
    for ident in ("governance-matrix", "pat-odpm"):
        instrument = registry.instrument(ident)
        path = make_form(ident, tmp_path / f"{ident}.xlsx", "--round", "2")
        book = load_workbook(path)
        sheet, meta = book["Form"], book["pat-form"]
        assert sheet.protection.sheet and meta.protection.sheet
        assert meta.sheet_state == "veryHidden"
        assert book.security.lockStructure
        unlocked = {
            cell.coordinate
            for row in sheet.iter_rows()
            for cell in row
            if cell.protection.locked is False
        }
        answer_cells = {}
        for row in sheet.iter_rows():
            item = row[0].value
            if isinstance(item, str) and row[3].protection.locked is False:
                answer_cells[item] = row[3].coordinate
        assert list(answer_cells) == instrument.item_ids
        for item in instrument.items:
            cell = answer_cells[item.id]
            assert drop_down(sheet, cell) == [o.label for o in item.scale.options]
        # Only the answers, the comments beside them and the five respondent fields.
        comments = {f"E{c[1:]}" for c in answer_cells.values()}
        fields = unlocked - set(answer_cells.values()) - comments
        assert comments <= unlocked and len(fields) == 5
        assert [sheet[c].value for c in sorted(fields, key=lambda c: int(c[1:]))] == [
            None,
            None,
            None,
            "2",
            None,
        ]
    # The governance matrix mixes two scales; the ODPM tool's weights have their own.
    gm = load_workbook(tmp_path / "governance-matrix.xlsx")["Form"]
    assert len(gm.data_validations.dataValidation) == 2
    odpm = load_workbook(tmp_path / "pat-odpm.xlsx")["Form"]
    assert len(odpm.data_validations.dataValidation) == 2


def test_excel_form_holds_the_guidance_and_the_question(tmp_path: Path, odpm: Instrument) -> None:
    sheet = load_workbook(make_form("pat-odpm", tmp_path / "f.xlsx"))["Form"]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    item = odpm.item("P4C")
    assert item.text in texts and item.guidance in texts
    assert f"{item.element}. {item.element_title}" in texts
    assert odpm.section("W").description in texts
    assert odpm.question in texts


def test_paper_form_has_every_statement_and_a_tick_box_per_answer(
    tmp_path: Path, odpm: Instrument
) -> None:
    path = make_form("pat-odpm", tmp_path / "form.html", "--organisation", "Anytown")
    page = path.read_text(encoding="utf-8")
    for item in odpm.items:
        assert escape(item.text) in page, item.id
    boxes = sum(len(i.scale.options) for i in odpm.items)
    assert page.count('<span class="tick">') == boxes
    # A Scores row and the scoring key on each principle's sheet, none on the weights.
    assert page.count('<tr class="scores">') == 6
    assert (
        page.count("Scoring key: Strongly agree 4; Agree 3; Disagree 2; Strongly disagree 1") == 6
    )
    assert "Content-Security-Policy" in page and "<script" not in page
    assert re.search(r"<th scope=\"row\">Organisation</th><td>Anytown</td>", page)


def test_paper_form_escapes_every_text(pat_cli: PatCli, tmp_path: Path) -> None:
    folder = tmp_path / "instruments"
    folder.mkdir()
    (folder / "evil.toml").write_text(
        """format = 1
id = "evil"
title = "Title <script>alert(1)</script>"
version = "1"
question = "Is it <b>bold</b>?"

[source]
title = "Source & <i>co</i>"

[scales.yn]
title = "Yes <or> no"

[[scales.yn.options]]
value = 1
label = "Yes <img src=x>"

[[scales.yn.options]]
value = 0
label = "No"

[[sections]]
id = "s1"
title = "Section \\"quoted\\" <hr>"
description = "About <iframe>"
scale = "yn"

[[sections.items]]
id = "Q1"
element = "A"
element_title = "Element <u>one</u>"
text = "Statement <script>x</script>"
guidance = "Guidance <a href=x>link</a>"
""",
        encoding="utf-8",
    )
    out = tmp_path / "evil.html"
    result = pat_cli(
        "--instruments-dir",
        str(folder),
        "form",
        "evil",
        "-o",
        str(out),
        "--organisation",
        "<b>Org</b>",
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    for raw in ("<script", "<img", "<iframe", "<hr", "<u>", "<a ", "<i>", "<b>", "<or>"):
        assert raw not in page, raw
    for text in ("Statement &lt;script&gt;", "Yes &lt;img src=x&gt;", "&lt;b&gt;Org&lt;/b&gt;"):
        assert text in page


def test_form_suffix_must_be_xlsx_or_html(pat_cli: PatCli, tmp_path: Path) -> None:
    result = pat_cli("form", "pat-odpm", "-o", str(tmp_path / "form.pdf"))
    assert result.exit_code == 1
    assert "cannot make a form as '.pdf': use one of .xlsx, .html, .htm" in result.output
    assert not (tmp_path / "form.pdf").exists()
