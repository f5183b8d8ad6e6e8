"""Reports: HTML, Markdown, JSON, XLSX and CSV, safe against what respondents type."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from chart_support import FORMULA, SCRIPT, analyse_known, known_rows
from conftest import ODPM_SAMPLE, PatCli, odpm_row
from openpyxl import load_workbook

from pat_framework import hookimpl
from pat_framework.analysis import Analysis
from pat_framework.charts import NothingToDraw
from pat_framework.errors import PatError
from pat_framework.reports import build_report
from pat_framework.runtime.registry import Registry
from pat_framework.testing import invoke

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def hostile(write_sheet: Callable[..., Path]) -> Path:
    """The known answers with a script and a formula typed into comments and attributes."""
    rows = known_rows()
    # two Strongly disagree on P4B put it in the action plan as a disagreement
    rows[0] |= {"P4B": "SD", "P4A_comment": SCRIPT, "team": SCRIPT}
    rows[1] |= {"P4B": "SD", "P4B_comment": FORMULA, "P1A_comment": "Good record\nof joint work"}
    rows += [odpm_row(f"F{k}", organisation=FORMULA, level="frontline") for k in range(3)]
    return write_sheet(rows)


def report(sheet: Path, out: Path, *options: str, instrument: str = "pat-odpm") -> Any:
    """`pat report`, with the thresholds at the floor (3) so small test sheets show their
    figures and comments (the disclosure tests keep the defaults)."""
    floor = ("--min-group", "3", "--min-comments", "3")
    result = invoke("report", instrument, str(sheet), *floor, *options, "-o", str(out))
    assert result.exit_code == 0, result.output
    return result


def test_html_report_is_self_contained_and_escapes_user_text(
    hostile: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    report(hostile, out, "--by", "organisation", "--by", "team", "--detail", "full")
    page = out.read_text(encoding="utf-8")
    assert SCRIPT not in page
    assert ESCAPED_SCRIPT in page  # the comment, shown as text
    assert "<script" not in page  # no script of any kind
    for outside in ('src="http', "<link", "@import", "url(http", "@font-face"):
        assert outside not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "@media print" in page and "break-before: page" in page
    assert "=HYPERLINK(&quot;http://x&quot;)" in page
    charts = re.findall(r'data-chart="([^"]+)"', page)
    assert charts == ["dartboard", "totals", "spread", "subgroups", "priorities"]
    # One image per chart, named by its description; a chart taller than a page adds
    # parts, each an image named by the chart ("…, part 2 of 2").
    assert page.count('<svg role="img" aria-labelledby=') == len(charts)
    parts = re.findall(r'<svg role="img" aria-label="([^"]+)"', page)
    assert page.count("<svg") == len(charts) + len(parts)
    assert all(re.search(r", part \d of \d$", label) for label in parts)
    assert "Scenario A: Working well" in page or "Scenario B: Working well in parts" in page
    assert "Crown copyright" in page and "Assessing Strategic Partnership" in page


def test_markdown_report_writes_its_charts_beside_it(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "board.md"
    report(hostile, out, "--by", "organisation", "--detail", "full")
    text = out.read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert links == [f"board-charts/{n}.png" for n in ("dartboard", "totals", "spread",
                                                        "subgroups", "priorities")]  # fmt: skip
    for link in links:
        assert (tmp_path / link).read_bytes().startswith(PNG_MAGIC)
    assert SCRIPT not in text and "<script" not in text
    assert ESCAPED_SCRIPT in text
    assert "> Good record of joint work" in text  # one line: no Markdown can be injected
    assert "\\=HYPERLINK" in text  # a comment starting a quoted line is escaped


def test_markdown_report_is_summary_first_as_the_html_is(tmp_path: Path) -> None:
    out = tmp_path / "board.md"
    report(ODPM_SAMPLE, out, "--by", "organisation")
    text = out.read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## At a glance", "## Action plan", "## Scores in detail",
                        "## About this report"]  # fmt: skip
    glance = text[: text.index("## Action plan")]
    assert "**Scenario B: Working well in parts**" in glance
    assert "### Top concerns" in glance and "| A1 | P4 Develop and maintain trust |" in glance
    # The headline chart's alt text states what it shows; the standard detail's charts only.
    assert "![Dartboard. Median scores: P1 20 (band 19–24);" in glance
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert links == [f"board-charts/{n}.png" for n in ("dartboard", "subgroups", "priorities")]
    assert sorted(p.name for p in (tmp_path / "board-charts").iterdir()) == [
        "dartboard.png", "priorities.png", "subgroups.png"]  # fmt: skip
    plan = text[text.index("## Action plan") : text.index("## Scores in detail")]
    assert "| Ref | Act on | Why here | Suggested first step | Owner | Due by | Success measure " \
        "| Review date |" in plan  # fmt: skip


def test_json_report_holds_the_analysis_and_every_chart_spec(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    report(ODPM_SAMPLE, out, "--by", "level")
    document = json.loads(out.read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == ("pat-report", 1)
    assert document["analysis"]["format"] == "pat-analysis"
    assert document["analysis"]["respondents"] == 18
    names = [c["name"] for c in document["charts"]]
    assert names == ["dartboard", "totals", "spread", "subgroups", "priorities"]
    for chart in document["charts"]:
        assert "vega-lite" in chart["vega_lite"]["$schema"]
        assert chart["provider"] == "pat.charts"
    assert any("two rounds" in reason for reason in document["not_drawn"])


def test_xlsx_report_sheets_and_no_cell_can_be_a_formula(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    report(hostile, out, "--by", "organisation")
    book = load_workbook(out)
    assert book.sheetnames[:4] == ["scores", "statements", "findings", "action plan"]
    assert {"groups", "comments", "priorities", "about"} <= set(book.sheetnames)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value
    plan = [[c.value for c in row] for row in book["action plan"].iter_rows()]
    assert plan[0] == ["ref", "subject", "item", "issue", "why", "first_step", "action",
                       "owner", "due", "priority", "section", "element", "statement",
                       "comments"]  # fmt: skip
    assert ["P4B", "'" + FORMULA] in [[row[2], row[13]] for row in plan[1:]]
    comments = [[c.value for c in row] for row in book["comments"].iter_rows(min_row=2)]
    assert ["P4B", "'" + FORMULA] in [[r[0], r[2]] for r in comments]
    groups = [[c.value for c in row] for row in book["groups"].iter_rows(min_row=2)]
    assert "'" + FORMULA in {row[1] for row in groups}
    scores = {row[0].value: row for row in book["scores"].iter_rows(min_row=2)}
    assert scores["P4"][3].value == 18  # the median of 12, 18, 18, 24 and three 18s


def test_csv_action_plan_and_scores_are_inert(
    hostile: Path, tmp_path: Path, pat_cli: PatCli
) -> None:
    plan = tmp_path / "actions.csv"
    report(hostile, plan)
    rows = list(csv.DictReader(io.StringIO(plan.read_text(encoding="utf-8"))))
    p4b = next(r for r in rows if r["item"] == "P4B")
    assert p4b["comments"] == f"'{FORMULA}"
    scores = tmp_path / "scores.csv"
    result = pat_cli("score", "pat-odpm", str(hostile), "-o", str(scores))
    assert result.exit_code == 0, result.output
    organisations = {r["organisation"] for r in csv.DictReader(scores.open(encoding="utf-8"))}
    assert "'" + FORMULA in organisations and FORMULA not in organisations


def test_report_format_errors(pat_cli: PatCli, tmp_path: Path) -> None:
    result = pat_cli("report", "pat-odpm", str(ODPM_SAMPLE))
    assert result.exit_code == 2 and "--output" in result.output
    result = pat_cli("report", "pat-odpm", str(ODPM_SAMPLE), "-o", str(tmp_path / "r.txt"))
    assert result.exit_code == 2 and "cannot tell the format" in result.output
    result = pat_cli(
        "report",
        "pat-odpm",
        str(ODPM_SAMPLE),
        "--by",
        "colour",
        "-o",
        str(tmp_path / "r.html"),
    )
    assert result.exit_code == 1 and "no respondent attribute 'colour'" in result.output
    assert not list(tmp_path.iterdir())


def test_report_includes_the_charts_plugins_register(
    tmp_path: Path, write_sheet: Callable[..., Path], registry: Registry
) -> None:
    from governance_support import MATRIX, matrix_row

    matrix = registry.instrument(MATRIX)
    sheet = write_sheet([matrix_row(matrix, f"R{k}") for k in range(3)], "matrix.csv")
    out = tmp_path / "matrix.html"
    report(sheet, out, instrument=MATRIX)
    charts = re.findall(r'data-chart="([^"]+)"', out.read_text(encoding="utf-8"))
    assert "matrix-balance" in charts
    assert "spread" not in charts and "priorities" not in charts  # they do not apply


class Marker:
    """A plugin's chart that applies to instruments with a weighting section."""

    name = "marker"
    title = "Marker"
    description = "A test chart."

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail

    def applies(self, instrument: Any) -> bool:
        return any(s.kind == "weighting" for s in instrument.sections)

    def build(self, analysis: Analysis) -> Any:
        import altair as alt

        if self.fail:
            raise ValueError("broken")
        return alt.Chart().mark_point()


def fresh_registry(registry: Registry, chart: Any) -> Registry:
    copy = Registry()
    for kind, entries in registry.entries.items():
        for key, obj in entries.items():
            copy.entries[kind][key] = obj
            copy.providers[(kind, key)] = registry.provider(kind, key)
    copy.add("chart", chart, "test-plugin")
    return copy


def test_charts_are_picked_by_applies_and_a_failing_one_is_named(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    analysis = analyse_known(registry, write_sheet)
    built = build_report(fresh_registry(registry, Marker()), analysis)
    names = [c.name for c in built.charts]
    assert names == ["dartboard", "totals", "spread", "priorities", "marker"]
    assert built.charts[-1].provider == "test-plugin"
    assert any(reason.startswith("Comparison by group") for reason in built.not_drawn)
    with pytest.raises(PatError, match="chart 'marker' from plugin 'test-plugin' failed"):
        build_report(fresh_registry(registry, Marker(fail=True)), analysis)


class Invalid(Marker):
    """A plugin's chart that altair's schema refuses."""

    name = "invalid"

    def build(self, analysis: Analysis) -> Any:
        import altair as alt

        scale = alt.Scale(type="bogus")
        return alt.layer(alt.Chart().mark_point().encode(x=alt.X("a:Q", scale=scale)))


def test_a_plugins_chart_is_checked_against_the_schema_as_it_is_built(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    """pat's own charts skip altair's check as they are built; a plugin's keep it."""
    analysis = analyse_known(registry, write_sheet)
    with pytest.raises(PatError, match="chart 'invalid' from plugin 'test-plugin' failed: Sch"):
        build_report(fresh_registry(registry, Invalid()), analysis)


def test_nothing_to_draw_is_not_an_error(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    analysis = analyse_known(registry, write_sheet)
    with pytest.raises(NothingToDraw):
        registry.get("chart", "trend").build(analysis)
    assert "trend" not in [c.name for c in build_report(registry, analysis).charts]


def test_a_group_named_like_a_script_is_drawn_as_text(
    write_sheet: Callable[..., Path], tmp_path: Path
) -> None:
    rows = [odpm_row(f"S{k}", organisation=SCRIPT) for k in range(3)]
    rows += [odpm_row(f"C{k}", organisation="Council", fill="SA") for k in range(3)]
    out = tmp_path / "report.html"
    report(write_sheet(rows), out, "--by", "organisation")
    page = out.read_text(encoding="utf-8")
    svg = page[page.index('data-chart="subgroups"') :]
    assert f"{ESCAPED_SCRIPT} (3)" in svg[: svg.index("</figure>")]  # the chart's row label
    assert "<script" not in page


class EscapingAssets:
    """A report renderer whose files would land outside the folder beside the report."""

    name = "escaping"
    subject = "report"
    suffixes = (".esc",)
    binary = False
    description = "Writes a file where it should not"

    def assets(self, result: Any) -> dict[str, bytes]:
        return {f"{result.assets}/../../outside.txt": b"no"}

    def render(self, result: Any) -> str:
        return "report\n"


class EscapingPlugin:
    @hookimpl
    def register_renderers(self, register: Any) -> None:
        register(EscapingAssets())


def test_a_renderer_cannot_write_assets_outside_their_folder(
    pat_plugin: Any, pat_cli: Any, tmp_path: Path
) -> None:
    pat_plugin(EscapingPlugin(), name="escaping")
    out = tmp_path / "deep" / "report.esc"
    out.parent.mkdir()
    result = pat_cli("report", "pat-odpm", ODPM_SAMPLE, "-o", out)
    assert result.exit_code == 1
    assert "asked to write 'report-charts/../../outside.txt', which is not inside " in (
        result.stderr
    )
    assert list(tmp_path.rglob("*.txt")) == [] and not out.exists()


def test_statement_columns_come_in_one_order_whatever_the_hash_seed(registry: Registry) -> None:
    from pat_framework.reports.content import statement_tables
    from pat_framework.runtime.pipeline import analysed

    sample = ODPM_SAMPLE.with_name("governance-sample.csv")
    analysis = analysed(registry, "governance-matrix", [sample])
    (first, *_) = statement_tables(analysis)
    # Strongly disagree and Yes both score 1: the agreement scale's answers come first,
    # as its statements do (a set made this order change from run to run).
    assert first.header[2:9] == ["SA", "A", "D", "SD", "Y", "P", "N"]


def test_xlsx_rows_are_as_tall_as_their_wrapped_text(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    report(ODPM_SAMPLE, out)
    sheet = load_workbook(out)["scores"]
    heights = {r: sheet.row_dimensions[r].height for r in range(2, sheet.max_row + 1)}
    meaning = {r: str(sheet.cell(r, 12).value or "") for r in heights}
    long = [r for r in heights if len(meaning[r]) > 60]
    assert long and all(heights[r] and heights[r] >= 30 for r in long)  # two lines or more
    assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.fitToWidth == 1


def test_word_report_holds_what_respondents_typed_as_plain_text(
    hostile: Path, tmp_path: Path
) -> None:
    from docx import Document

    out = tmp_path / "report.docx"
    report(
        hostile,
        out,
        "--by",
        "organisation",
        "--by",
        "team",
        "--detail",
        "full",
    )
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert SCRIPT in texts  # a comment, as the characters typed, never markup
    assert FORMULA in cells  # an organisation's name in the groups table: text, not a field
    assert not any(e.tag.endswith("}fldSimple") or e.tag.endswith("}instrText")
                   for e in doc.element.body.iter())  # fmt: skip


def test_the_workbook_and_csv_plan_follow_the_ranking_of_the_html_plan_and_briefing(
    tmp_path: Path, pat_cli: PatCli
) -> None:
    # Answers whose sections' order in the file (P1…P6) is not their order of priority.
    report(ODPM_SAMPLE, tmp_path / "plan.csv")
    report(ODPM_SAMPLE, tmp_path / "report.xlsx")
    report(ODPM_SAMPLE, tmp_path / "report.html", "--actions", "20")
    rows = list(csv.DictReader((tmp_path / "plan.csv").open(encoding="utf-8")))
    refs = list(dict.fromkeys(r["ref"] for r in rows))
    assert refs == [f"A{k}" for k in range(1, len(refs) + 1)] and len(refs) >= 3
    assert [r["ref"] for r in rows] == sorted((r["ref"] for r in rows), key=refs.index)
    subjects = [next(r["subject"] for r in rows if r["ref"] == ref) for ref in refs]
    sections = [next(r["section"] for r in rows if r["ref"] == ref) for ref in refs]
    assert sections != sorted(sections), "the sample's ranking differs from the file order"
    priorities = [float(next(r["priority"] for r in rows if r["ref"] == ref)) for ref in refs]
    assert priorities == sorted(priorities, reverse=True)
    sheet = load_workbook(tmp_path / "report.xlsx")["action plan"]
    cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=2) if row[0].value]
    assert [(c[0], c[1]) for c in cells] == [(r["ref"], r["subject"]) for r in rows]
    # The HTML plan lists the same actions in the same order.
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    plan = html[html.index('<table class="plan">') :]
    shown = re.findall(r"<tr><td>(A\d+)</td><td>([^<]*)</td>", plan[: plan.index("</table>")])
    assert shown == list(zip(refs, subjects, strict=True))
    # And so does the briefing's action plan skeleton.
    briefing = pat_cli("analyse", "pat-odpm", str(ODPM_SAMPLE)).output
    pairs = zip(refs, subjects, strict=True)
    order = [briefing.index(f"{ref}. {subject}") for ref, subject in pairs]
    assert order == sorted(order)


def test_the_printed_action_plan_is_the_columns_a_workshop_works_from(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    report(ODPM_SAMPLE, out)
    sheet = load_workbook(out)["action plan"]
    header = [c.value for c in sheet[1]]
    assert header[:9] == ["ref", "subject", "item", "issue", "why", "first_step", "action",
                          "owner", "due"]  # fmt: skip
    assert str(sheet.print_area).startswith("'action plan'!$A$1:$I$")
    printed = sum(sheet.column_dimensions[c].width for c in "ABCDEFGHI")
    assert printed <= 200  # fitted to landscape A4 at about 75 %, not 30 %
    assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.fitToWidth == 1


def test_each_chart_states_its_finding_as_part_of_its_text_alternative(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    report(ODPM_SAMPLE, out)
    html = out.read_text(encoding="utf-8")
    found = re.search(r'<p class="finding" id="chart-dartboard-finding">([^<]*)</p>', html)
    assert found and found.group(1).startswith("Median scores: P1 ")
    assert 'aria-labelledby="chart-dartboard-finding chart-dartboard-how"' in html
