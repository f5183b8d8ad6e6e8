"""The workshop report as Word, slides and PDF, opened with the libraries a reader's tools use
and checked for what a board or a workshop relies on: the scenario, the top actions, the
charts' text alternatives, the page counts."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from browser_support import browser
from conftest import EXAMPLES

from pat_framework.testing import invoke

WORKSHOP = EXAMPLES / "workshop" / "anytown.toml"
SCENARIO = "Scenario B: Working well in parts"
#: The demo workshop's first actions, in order: subjects several instruments raised, both
#: ranked as the ODPM priorities' first (P5).
FIRST = ["Roles and responsibilities", "Decision-making and accountability"]


def test_the_word_report_has_headings_the_plan_as_a_table_and_alt_text(
    sample_workshop: tuple[Path, str],
) -> None:
    from docx import Document

    doc = Document(str(sample_workshop[0] / "anytown-workshop.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "At a glance"
    assert "Partnership Assessment Tool: " + SCENARIO in headings[:3]
    assert "Action plan" in headings
    plan = next(t for t in doc.tables if t.rows[0].cells[0].text == "Ref")
    header = [c.text for c in plan.rows[0].cells]
    assert header == ["Ref", "Act on", "Why here", "Suggested first step", "Owner", "Due by",
                      "Success measure", "Review date"]  # fmt: skip
    rows = [[c.text for c in row.cells] for row in plan.rows[1:]]
    assert [r[0] for r in rows][:2] == ["A1", "A2"]
    assert [r[1].split(" (")[0] for r in rows[:2]] == FIRST
    assert all(r[4:] == ["", "", "", ""] for r in rows), "owner, dates and measure to fill in"
    described = [e.get("descr") for e in doc.element.body.iter() if e.tag.endswith("}docPr")]
    assert described and all(d and d.startswith("Dartboard.") for d in described)


def test_the_slides_have_the_scenario_the_chart_with_alt_text_and_the_plan(
    sample_workshop: tuple[Path, str],
) -> None:
    from pptx import Presentation

    deck = Presentation(str(sample_workshop[0] / "anytown-workshop.pptx"))
    texts = [
        "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        for slide in deck.slides
    ]
    assert texts[0].startswith("Anytown Community Wellbeing Partnership")
    assert SCENARIO in texts[1]
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
    assert [p._element.nvPicPr.cNvPr.get("descr").split(".")[0] for p in pictures] == ["Dartboard"]
    tables = [s.table for slide in deck.slides for s in slide.shapes if s.has_table]
    refs = [t.cell(r, 0).text for t in tables for r in range(1, len(t.rows))]
    assert refs == [f"A{k}" for k in range(1, len(refs) + 1)] and len(refs) >= 2
    assert tables[0].cell(1, 1).text.startswith(FIRST[0])


@pytest.mark.browser
@pytest.mark.parametrize(("detail", "most"), [("summary", 8), ("standard", 20)])
def test_the_pdf_fits_a_board_pack_and_opens_with_the_summary(
    tmp_path: Path, detail: str, most: int
) -> None:
    from pypdf import PdfReader

    browser()
    result = invoke("run", str(WORKSHOP), "-o", str(tmp_path), "-f", "pdf", "--detail", detail)
    assert result.exit_code == 0, result.output
    reader = PdfReader(io.BytesIO((tmp_path / "anytown-workshop.pdf").read_bytes()))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) <= most
    sizes = {tuple(sorted(round(float(n)) for n in (p.mediabox.width, p.mediabox.height)))
             for p in reader.pages}  # fmt: skip
    assert sizes == {(595, 842)}  # A4, the plan's pages turned landscape
    assert SCENARIO in " ".join((pages[0] + pages[1]).split())
    # The at-a-glance part ends, with its top actions, within four pages.
    glance = "\n".join(pages[:4])
    assert "Top actions" in glance and FIRST[0] in glance
    assert f"Page 1 of {len(pages)}" in pages[0]
    plan = next(k for k, text in enumerate(pages) if "Action plan" in text and "Ref" in text)
    assert plan <= 5
    # No chart is cut across pages: the dartboard's title and its legend share a page.
    drawn = [k for k, text in enumerate(pages) if "Band reached" in text]
    assert drawn and all("scores on each" in pages[k] for k in drawn)
    if detail == "summary":
        assert "Scores in detail" not in "\n".join(pages)
