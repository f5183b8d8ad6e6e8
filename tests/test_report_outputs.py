"""The workshop report as Word, slides and PDF, opened with the libraries a reader's tools use
and checked for what a board or a workshop relies on: the scenario, the top actions, the
charts' text alternatives, the page counts."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from browser_support import browser
from conftest import EXAMPLES, ODPM_SAMPLE

from pat_framework.testing import invoke

WORKSHOP = EXAMPLES / "workshop" / "anytown.toml"
SCENARIO = "Scenario B: Working well in parts"
#: The demo workshop's first actions, in order: subjects several instruments raised, both
#: ranked as the ODPM priorities' first (P5).
FIRST = ["Roles and responsibilities", "Decision-making and accountability"]
#: The sample answers (18 respondents) of the single report.
ONE_SCENARIO = "Scenario B: Working well in parts"
PRINCIPLES = ["Recognise and accept the need for partnership",
              "Develop clarity and realism of purpose", "Ensure commitment and ownership",
              "Develop and maintain trust", "Create clear and robust partnership arrangements",
              "Monitor, measure and learn"]  # fmt: skip
PLAN_HEADER = ["Ref", "Act on", "Why here", "Suggested first step", "Owner", "Due by",
               "Success measure", "Review date"]  # fmt: skip


def test_the_word_report_has_headings_the_plan_as_a_table_and_alt_text(
    sample_workshop: tuple[Path, str],
) -> None:
    from docx import Document

    doc = Document(str(sample_workshop[0] / "anytown-workshop.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "At a glance"
    assert "Partnership Assessment Tool: " + SCENARIO in headings[:3]
    assert "Action plan" in headings
    plan = next(t for t in doc.tables if len(t.columns) == len(PLAN_HEADER))
    assert [c.text for c in plan.rows[0].cells] == PLAN_HEADER
    rows = [[c.text for c in row.cells] for row in plan.rows[1:]]
    assert [r[0] for r in rows][:2] == ["A1", "A2"]
    assert [r[1].split(" (")[0] for r in rows[:2]] == FIRST
    assert all(r[4:] == ["", "", "", ""] for r in rows), "owner, dates and measure to fill in"
    described = [e.get("descr") for e in doc.element.body.iter() if e.tag.endswith("}docPr")]
    assert described[0].startswith("Dartboard. Median scores: P1 21 (band 19–24)")
    assert all(d for d in described) and len(described) > 1  # the detail's charts too


def test_the_slides_have_the_scenario_each_section_and_the_plan(
    sample_workshop: tuple[Path, str],
) -> None:
    from pptx import Presentation

    deck = Presentation(str(sample_workshop[0] / "anytown-workshop.pptx"))
    texts = [slide_text(slide) for slide in deck.slides]
    assert texts[0].startswith("Anytown Community Wellbeing Partnership")
    assert texts[1].startswith("Results at a glance")
    assert SCENARIO in texts[2]
    titles = [slide.shapes.title.text for slide in deck.slides]
    # One slide per section, named with each instrument's own word for it.
    assert [t for t in titles if t.startswith("Principle ")] == [
        f"Principle P{k}: {title}" for k, title in enumerate(PRINCIPLES, 1)
    ]
    assert "Area: Behaviours" in titles and "Checklist: Review Questions" in titles
    assert "Partnership Assessment Tool: Dartboard" in titles
    assert len(set(titles)) == len(titles)  # a reader moving between slides can tell them apart
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
    assert all(p._element.nvPicPr.cNvPr.get("descr") for p in pictures)
    tables = [s.table for slide in deck.slides for s in slide.shapes if s.has_table]
    plan = [t for t in tables if t.cell(0, 0).text == "Ref"]
    refs = [t.cell(r, 0).text for t in plan for r in range(1, len(t.rows))]
    assert refs == [f"A{k}" for k in range(1, len(refs) + 1)] and len(refs) >= 2
    assert plan[0].cell(1, 1).text.startswith(FIRST[0])
    assert [plan[0].cell(0, k).text for k in range(len(PLAN_HEADER))] == PLAN_HEADER
    assert all(plan[0].cell(1, k).text == "" for k in range(4, len(PLAN_HEADER)))


def slide_text(slide: Any) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One instrument's report as Word and as slides."""
    out = tmp_path_factory.mktemp("single")
    for name in ("report.docx", "slides.pptx"):
        result = invoke("report", "pat-odpm", str(ODPM_SAMPLE), "--by", "organisation",
                        "-o", str(out / name))  # fmt: skip
        assert result.exit_code == 0, result.output
    return out


def test_a_single_report_as_word_opens_summary_first_with_an_editable_plan(single: Path) -> None:
    from docx import Document

    doc = Document(str(single / "report.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["At a glance", ONE_SCENARIO]
    assert headings.index("Action plan") < headings.index("Scores in detail")
    assert headings.index("Scores in detail") < headings.index("About this report")
    plan = next(t for t in doc.tables if len(t.columns) == len(PLAN_HEADER))
    rows = [[c.text for c in row.cells] for row in plan.rows[1:]]
    assert [r[0] for r in rows] == [f"A{k}" for k in range(1, len(rows) + 1)]
    assert rows[0][1] == "P4 Develop and maintain trust"
    assert all(r[4:] == ["", "", "", ""] for r in rows)
    described = [e.get("descr") for e in doc.element.body.iter() if e.tag.endswith("}docPr")]
    assert described[0].startswith("Dartboard. Median scores: P1 20 (band 19–24); P2 18.5")
    assert len(described) == 3  # the standard detail's charts: dartboard, groups, priorities
    landscape = [s for s in doc.sections if s.page_width > s.page_height]
    assert len(landscape) == 1  # the plan's pages


def test_a_single_report_as_slides_has_a_slide_per_principle_with_prompts(single: Path) -> None:
    from pptx import Presentation

    deck = Presentation(str(single / "slides.pptx"))
    slides = list(deck.slides)
    titles = [slide.shapes.title.text for slide in slides]
    assert titles[:3] == ["Partnership Assessment Tool", ONE_SCENARIO, "Dartboard"]
    assert titles[3:9] == [f"Principle P{k}: {t}" for k, t in enumerate(PRINCIPLES, 1)]
    assert all(t.startswith("Action plan (A") for t in titles[9:]) and len(titles) > 9
    trust = slide_text(slides[6])
    assert "To discuss" in trust and "Median 13.5, band 13–18" in trust
    assert "Partners are divided on P4C" in trust
    assert "Action A1: agree an owner, a due date, a success measure" in trust
    pictures = [s for s in slides[6].shapes if s.shape_type == 13]
    alt = pictures[0]._element.nvPicPr.cNvPr.get("descr")
    assert alt.startswith("Spread of answers: P4 Develop and maintain trust. Share answering "
                          "Strongly agree or Agree: P4A ")  # fmt: skip
    assert "Partners are divided on P4C" in alt
    assert slides[6].notes_slide.notes_text_frame.text == alt  # the notes say it too


def test_summary_slides_keep_the_glance_and_the_plan(tmp_path: Path) -> None:
    from pptx import Presentation

    out = tmp_path / "board.pptx"
    result = invoke("report", "pat-odpm", str(ODPM_SAMPLE), "--detail", "summary", "-o", str(out))
    assert result.exit_code == 0, result.output
    titles = [slide.shapes.title.text for slide in Presentation(str(out)).slides]
    assert titles[:3] == ["Partnership Assessment Tool", ONE_SCENARIO, "Dartboard"]
    assert all(t.startswith("Action plan (A") for t in titles[3:]) and len(titles) > 3


@pytest.mark.parametrize("name", ["report.docx", "slides.pptx"])
def test_the_office_files_carry_the_language_and_title(single: Path, name: str) -> None:
    from docx import Document
    from pptx import Presentation

    opened = Document(str(single / name)) if name.endswith("docx") else Presentation(
        str(single / name))  # fmt: skip
    assert opened.core_properties.title == "Partnership Assessment Tool: assessment report"
    assert opened.core_properties.language == "en-GB"


def test_no_text_or_table_runs_off_a_slide(
    sample_workshop: tuple[Path, str], single: Path
) -> None:
    """Every shape inside the slide, and every text box holding what it was given at a size
    at which it fits (estimated as the layout does)."""
    from pptx import Presentation
    from pptx.util import Emu

    from pat_framework.reports.slides import Box, height

    for path in (sample_workshop[0] / "anytown-workshop.pptx", single / "slides.pptx"):
        deck = Presentation(str(path))
        for number, slide in enumerate(deck.slides, 1):
            for shape in slide.shapes:
                bottom = shape.top + (
                    sum(r.height for r in shape.table.rows) if shape.has_table else shape.height
                )
                assert shape.left >= 0 and shape.left + shape.width <= deck.slide_width
                assert shape.top >= 0 and bottom <= deck.slide_height, (path.name, number)
                if not shape.has_text_frame or not shape.text_frame.text:
                    continue
                sizes = {r.font.size.pt for p in shape.text_frame.paragraphs for r in p.runs}
                box = Box(0, 0, Emu(shape.width).inches, Emu(shape.height).inches)
                texts = [p.text for p in shape.text_frame.paragraphs]
                assert height(texts, box.width, max(sizes)) <= box.height, (path.name, number)


def test_the_fit_estimate_cuts_what_cannot_fit() -> None:
    from pat_framework.reports.slides import Box, clipped, fitting, lines

    assert lines("word " * 10, 2.2, 20) == 5  # 13 characters a line at 20 pt: two words
    assert lines("x" * 30, 2.2, 20) == 3  # a word longer than a line breaks
    box = Box(0, 0, 4, 1)
    long = ["a statement " * 40]
    assert fitting(long, box) == 12  # the smallest size: even that is too much
    kept = clipped(long, box, 12)
    assert kept[0].endswith("…") and len(kept[0]) < len(long[0])
    assert clipped(["short"], box, 12) == ["short"]


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


@pytest.mark.browser
def test_the_pdf_is_tagged_and_every_chart_has_its_alt_text(tmp_path: Path) -> None:
    from pypdf import PdfReader

    browser()
    out = tmp_path / "report.pdf"
    result = invoke("report", "pat-odpm", str(ODPM_SAMPLE), "-o", str(out))
    assert result.exit_code == 0, result.output
    reader = PdfReader(str(out))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    kinds: set[str] = set()
    figures: list[str | None] = []
    structure(root["/StructTreeRoot"], kinds, figures)
    assert {"/H1", "/H2", "/H3", "/P", "/L", "/Table", "/TH", "/TD", "/Figure"} <= kinds
    # One Figure per chart drawn (the dartboard and the priorities), each with its alt text.
    assert len(figures) == 2 and all(figures)
    assert str(figures[0]).startswith("Median scores: P1 ")  # the finding, then how to read it
    assert "One segment for each principle" in str(figures[0])
    assert "At a glance" in outline(reader.outline)  # the document outline, from the headings


def outline(items: list[Any]) -> list[str]:
    """The titles of a PDF's outline, nested entries flattened."""
    return [t for i in items for t in (outline(i) if isinstance(i, list) else [i.title])]


def structure(node: Any, kinds: set[str], figures: list[str | None]) -> None:
    """Every structure element's type below `node`, and each Figure's alt text."""
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            structure(child, kinds, figures)
        return
    if not hasattr(node, "get"):
        return  # a marked-content id
    kind = node.get("/S")
    if kind is not None:
        kinds.add(str(kind))
        if kind == "/Figure":
            figures.append(node.get("/Alt"))
    if node.get("/K") is not None:
        structure(node["/K"], kinds, figures)
