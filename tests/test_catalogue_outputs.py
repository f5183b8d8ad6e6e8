"""Every output `pat run` and `pat analyse` write, read back with the libraries that own
each format, has none of pat's own words left in English when a catalogue translates them
all: the sample workshop run with `--language cy` and a pseudo-translation (each message
«UPPER-CASED»), so the test needs no real Welsh."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from catalogue_support import (
    EXAMPLES,
    ROOT,
    called,
    pseudo_catalogue,
    template_ids,
    template_plurals,
)

from pat_framework.reports.content import KIND_HEADINGS, SUMMARY_KINDS
from pat_framework.testing import invoke

WORKSHOP = ROOT / "examples" / "workshop"
FIELD = re.compile(r"%\([a-z_]+\)s")
#: Values the outputs carry as data, the same in every language (a reader's program keys
#: on them), not as words: the quadrant names of the priorities, in the JSON's tables.
DATA_VALUES = {"concentrate here", "significant, scores higher", "less significant, scores lower",
               "less significant, scores higher"}  # fmt: skip
#: Keys of the JSON whose values are identifiers a program keys on, the same in every
#: language: a chart's data fields (vega-lite `field`: "median", "band") and a finding's
#: kind ("concern"); a field's `title` is a word, and is translated.
JSON_IDENTIFIERS = {"field", "kind"}
#: The workbook's sheets a person reads (their labels are translated); in every other the
#: header row is column ids a program reads by ("section", "median"), and true/false cells
#: are "yes"/"no"; every sheet's name is an id (docs/languages.md).
READ_SHEETS = {"summary", "about"}
#: Values of the data sheets that are identifiers too: true/false, and a finding's kind.
SHEET_VALUES = {"yes", "no", *KIND_HEADINGS, *SUMMARY_KINDS}


def english_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Each message of the template (and its plural), as a pattern a whole unit of text
    would match if it were left in English; messages of only fields and marks are left
    out, as they say nothing in any language."""
    plurals = template_plurals()
    found = []
    for text in sorted(template_ids() | set(plurals.values())):
        words = FIELD.sub("", text).replace("%%", "%")
        if not re.search(r"[A-Za-z]{2}", words):
            continue
        pieces = re.split(r"(%\([a-z_]+\)s)", text.strip())
        pattern = "".join(
            ".+?" if FIELD.fullmatch(p) else re.escape(p.replace("%%", "%")) for p in pieces
        )
        found.append((text, re.compile(pattern)))
    return found


def units_of(path: Path) -> Iterator[str]:
    """The text of a file in the pieces a reader sees whole: lines, cells, paragraphs,
    runs, chart titles and labels."""
    suffix = path.suffix
    if suffix in (".html", ".md", ".txt"):
        text = path.read_text(encoding="utf-8")
        if suffix == ".html":
            text = re.sub(r"<style.*?</style>|<script.*?</script>", "", text, flags=re.S)
            text = re.sub(r"<[^>]+>", "\n", text)
            text = text.replace("&#x27;", "'").replace("&#39;", "'").replace("&amp;", "&")
            text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
        for line in text.splitlines():
            yield line.strip().strip("#*|-> ").strip()
            yield from (cell.strip() for cell in line.split("|"))
    elif suffix == ".json":
        yield from _strings(json.loads(path.read_text(encoding="utf-8")))
    elif suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        for paragraph in document.paragraphs:
            yield paragraph.text.strip()
            yield from (run.text.strip() for run in paragraph.runs)
        for table in document.tables:
            for row in table.rows:
                yield from (cell.text.strip() for cell in row.cells)
    elif suffix == ".pptx":
        from pptx import Presentation

        for slide in Presentation(str(path)).slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    for paragraph in shape.text_frame.paragraphs:
                        yield "".join(run.text for run in paragraph.runs).strip()
                        yield from (run.text.strip() for run in paragraph.runs)
                if shape.has_table:
                    for row in shape.table.rows:
                        yield from (cell.text.strip() for cell in row.cells)
            if slide.has_notes_slide:
                yield from (
                    line.strip() for line in slide.notes_slide.notes_text_frame.text.splitlines()
                )
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        for sheet in workbook.worksheets:
            read = sheet.title in READ_SHEETS
            for k, row in enumerate(sheet.iter_rows(values_only=True)):
                if k == 0 and not read:
                    continue
                texts = (value for value in row if isinstance(value, str))
                yield from (t.strip() for t in texts if read or t not in SHEET_VALUES)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield from (line.strip() for line in value.splitlines())
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in JSON_IDENTIFIERS:
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def english_left(path: Path, patterns: list[tuple[str, re.Pattern[str]]]) -> set[str]:
    left = set()
    for unit in set(units_of(path)):
        if not unit or unit.startswith("«") or unit in DATA_VALUES:
            continue
        left |= {text for text, pattern in patterns if pattern.fullmatch(unit)}
    return left


def test_the_briefing_in_welsh_has_its_words_translated(tmp_path: Path) -> None:
    locale = tmp_path / "locale"
    pseudo_catalogue(locale, "cy")
    answers = tmp_path / "answers.csv"
    rows = ["respondent,organisation,W1A,W1B,W1C,W2A,W2B,W2C"]
    rows += [f"r{n},{'Council' if n % 2 else 'Trust'},SA,D,Cytuno,D,SA,Cytuno" for n in range(8)]
    answers.write_text("\n".join(rows) + "\n", encoding="utf-8")
    briefing = tmp_path / "briefing.txt"
    result = invoke(
        "--instruments-dir", EXAMPLES, "analyse", "example-bilingual", answers,
        "--by", "organisation", "--min-group", "3", "--language", "cy", "-o", briefing,
        env={"PAT_LOCALE_PATH": str(locale)},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert english_left(briefing, english_patterns()) == set()
    text = briefing.read_text(encoding="utf-8")
    assert "«BRIEFING FOR THE FEEDBACK WORKSHOP»" in text
    assert "Cydweithio" in text  # the instrument's own text, in Welsh


def answers_in_two_rounds(path: Path) -> Path:
    """Forty respondents of the bilingual example in three organisations, two levels and
    two rounds, each with a comment, so that a full report has every part."""
    rows = ["respondent,organisation,level,round,W1A,W1B,W1C,W2A,W2B,W2C,W1A_comment"]
    answers = ("SA", "A", "D", "SD")
    for n in range(40):
        said = ",".join(answers[(n * (k + 3) + k * k) % 4] for k in range(6))
        partner, level = ("Council", "Trust", "Charity")[n % 3], ("board", "frontline")[n % 2]
        rows.append(f"r{n},{partner},{level},{2025 + n % 2},{said},comment {n}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".html", ".md", ".docx", ".pptx", ".xlsx", ".json"])
def test_a_full_report_in_welsh_has_its_words_translated(tmp_path: Path, suffix: str) -> None:
    locale = tmp_path / "locale"
    pseudo_catalogue(locale, "cy")
    answers = answers_in_two_rounds(tmp_path / "answers.csv")
    report = tmp_path / f"report{suffix}"
    result = invoke(
        "--instruments-dir", EXAMPLES, "report", "example-bilingual", answers,
        "--by", "organisation", "--by", "level", "--detail", "full", "--min-group", "3",
        "--min-comments", "3", "--language", "cy", "-o", report,
        env={"PAT_LOCALE_PATH": str(locale)},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert english_left(report, english_patterns()) == set()
    units = set(units_of(report))
    assert "Cydweithio" in " ".join(units)  # the instrument's own text, in Welsh
    if suffix in (".html", ".md", ".docx"):  # the parts only a full report has
        for heading in ("What respondents wrote", "Change between rounds", "About this report"):
            assert f"«{heading.upper()}»" in units


@pytest.mark.slow
def test_every_output_of_a_workshop_run_in_welsh_has_its_words_translated(
    tmp_path: Path,
) -> None:
    locale = tmp_path / "locale"
    pseudo_catalogue(locale, "cy")
    workshop = tmp_path / "workshop"
    shutil.copytree(WORKSHOP, workshop)
    out = tmp_path / "out"
    result = invoke(
        "run", workshop / "anytown.toml", "--language", "cy", "-o", out,
        *(arg for fmt in ("html", "md", "docx", "pptx", "xlsx", "json") for arg in ("-f", fmt)),
        env={"PAT_LOCALE_PATH": str(locale)},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "pat-odpm has no cy text" in result.output
    patterns = english_patterns()
    written = sorted(p for p in out.rglob("*") if p.suffix in (".html", ".md", ".json", ".docx",
                                                              ".pptx", ".xlsx"))  # fmt: skip
    assert len(written) == 6
    left = {path.name: english_left(path, patterns) for path in written}
    assert left == {path.name: set() for path in written}
    assert '<html lang="cy">' in (out / "anytown-workshop.html").read_text(encoding="utf-8")


def test_the_printed_pages_are_numbered_in_the_readers_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pat_framework.catalogue import PATH_VARIABLE, speaking
    from pat_framework.reports.html import css_string, page, page_numbers

    pseudo_catalogue(tmp_path, "cy")
    monkeypatch.setenv(PATH_VARIABLE, str(tmp_path))
    assert page_numbers() == '"Page " counter(page) " of " counter(pages)'
    with speaking("cy"):
        numbered = page("Teitl", [])
    assert 'content: "«PAGE " counter(page) " OF " counter(pages) "»";' in numbered
    # A translation cannot end the CSS string, nor the style element.
    assert css_string('a"</style>\\') == '"a\\22 \\3c /style\\3e \\5c "'


@pytest.mark.parametrize(
    "folder",
    ["reports", "workshop", "analysis", "charts", "disclosure", "scoring", "forms", "cli",
     "questionnaire", "authoring", "serve", "runtime"],
)  # fmt: skip
def test_every_message_the_reports_call_is_in_the_template(folder: str) -> None:
    """A message `make catalogue` cannot find (inside an f-string's braces) is never
    translated: each is called outside one."""
    assert called(folder) - template_ids() == set()
