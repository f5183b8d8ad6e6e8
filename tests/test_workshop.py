"""Workshop files and `pat run`: one combined report across several instruments."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, PatCli
from openpyxl import load_workbook

from pat_framework.runtime import pipeline, plugins
from pat_framework.runtime.registry import Registry, build_registry
from pat_framework.workshop import WorkshopError, load_workshop

SAMPLE = EXAMPLES / "workshop"
INSTRUMENTS = ["pat-odpm", "governance-matrix", "rq-review-questions", "rq-barriers"]


@pytest.fixture(autouse=True)
def no_extra_dirs(monkeypatch: pytest.MonkeyPatch) -> None:
    """`instruments_dir` adds folders to the plugin manager; keep each test's to itself."""
    monkeypatch.setattr(plugins, "_extra_dirs", [])


@pytest.fixture
def workshop(tmp_path: Path) -> Path:
    """A copy of the sample workshop folder, so that tests may change it."""
    folder = tmp_path / "anytown"
    shutil.copytree(SAMPLE, folder)
    return folder / "anytown.toml"


@pytest.fixture
def odpm_only(workshop: Path) -> Path:
    """The sample workshop with the ODPM tool only (both rounds of it): quicker to run."""
    text = workshop.read_text(encoding="utf-8")
    head, *entries = text.split("[[instruments]]")
    tail = entries[-1][entries[-1].index("[output]") :]
    path = workshop.with_name("odpm-only.toml")
    path.write_text("[[instruments]]".join([head, entries[0]]) + tail, encoding="utf-8")
    return path


@pytest.fixture
def small(workshop: Path) -> Path:
    """The sample workshop with the two short checklists only: quicker to run."""
    text = workshop.read_text(encoding="utf-8")
    head, *entries = text.split("[[instruments]]")
    tail = entries[-1][entries[-1].index("[output]") :]
    kept = [e for e in entries if 'id = "rq-' in e]
    kept[-1] = kept[-1][: kept[-1].index("[output]")]
    path = workshop.with_name("small.toml")
    path.write_text("[[instruments]]".join([head, *kept]) + tail, encoding="utf-8")
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_sample_workshop_writes_its_reports_with_progress(
    sample_workshop: tuple[Path, str],
) -> None:
    out, stderr = sample_workshop
    assert sorted(p.name for p in out.iterdir()) == [
        "anytown-workshop.docx",
        "anytown-workshop.html",
        "anytown-workshop.json",
        "anytown-workshop.pptx",
        "anytown-workshop.xlsx",
    ]
    steps = [line.strip() for line in stderr.splitlines() if line.strip().startswith("[")]
    assert [s.split("]")[0] + "]" for s in steps] == [f"[{k}/5]" for k in range(1, 6)]
    assert steps[0].startswith("[1/5] pat-odpm: 26 respondent(s)")
    assert "wrote" in steps[-1]


def test_the_json_report_holds_each_instrument_and_one_plan(
    sample_workshop: tuple[Path, str],
) -> None:
    document = json.loads((sample_workshop[0] / "anytown-workshop.json").read_text())
    assert (document["format"], document["version"]) == ("pat-workshop", 1)
    assert document["workshop"] == {
        "partnership": "Anytown Community Wellbeing Partnership",
        "title": "Partnership health check, autumn 2026",
        "purpose": "audit",
        "date": "2026-12-03",
        "facilitator": "Sam Okafor, Anytown Voluntary Action",
        "min_group": 5,
        "min_comments": 10,
    }
    assert [row["instrument"] for row in document["summary"]] == INSTRUMENTS
    # The latest round only: 26 people answered in 2026 (24 in 2025); the matrix was
    # answered by board members and senior managers alone.
    assert [row["respondents"] for row in document["summary"]] == [26, 18, 26, 26]
    parts = document["instruments"]
    assert [p["analysis"]["instrument"]["id"] for p in parts] == INSTRUMENTS
    assert parts[0]["analysis"]["group"]["scenario"]["id"] == "B"
    # The change between rounds is worked out from both rounds.
    odpm_rounds = {row["round"] for row in parts[0]["analysis"]["rounds"]["groups"]}
    assert odpm_rounds == {"2025", "2026"}
    assert "trend" in [chart["name"] for chart in parts[0]["charts"]]
    # Every point raised is in the plan once, under one ranked action; the actions (A1, A2…)
    # are folded from the points, in order of priority, each about one instrument's section
    # or a subject that several instruments raised.
    plan = document["action_plan"]
    assert len(plan) == sum(len(p["analysis"]["action_plan"]) for p in parts) > 0
    refs = list(dict.fromkeys(row["ref"] for row in plan))
    assert refs == [f"A{k}" for k in range(1, len(refs) + 1)]
    assert len(refs) < len(plan) / 2
    assert [row["ref"] for row in plan] == sorted((r["ref"] for r in plan), key=refs.index)
    priorities = [next(r["priority"] for r in plan if r["ref"] == ref) for ref in refs]
    assert priorities == sorted(priorities, reverse=True)
    grouped = 0
    for ref in refs:
        mine = [r for r in plan if r["ref"] == ref]
        assert len({(r["subject"], r["why"], r["first_step"]) for r in mine}) == 1
        if len({r["instrument"] for r in mine}) > 1:
            grouped += 1
            assert mine[0]["why"].startswith(f"Raised in {len({r['instrument'] for r in mine})}")
        else:
            assert len({r["section"] for r in mine}) == 1
    assert grouped >= 2
    # An action on a subject counts for each instrument that raised it.
    per = {r: {row["instrument"] for row in plan if row["ref"] == r} for r in refs}
    assert [row["actions"] for row in document["summary"]] == [
        sum(i in found for found in per.values()) for i in INSTRUMENTS
    ]


def test_the_html_report_has_a_summary_each_instrument_and_the_plan(
    sample_workshop: tuple[Path, str],
) -> None:
    html = (sample_workshop[0] / "anytown-workshop.html").read_text()
    assert html.count('<section class="instrument"') == 4
    for k in range(1, 5):
        assert f'id="i{k}"' in html and f'id="i{k}-summary"' in html
    assert "At a glance" in html and "Results at a glance" in html
    assert "Routine audit" in html
    assert html.count('<table class="plan">') == 1
    assert ">A1<" in html
    # Each instrument's own plan is folded into the one plan at the end.
    assert 'id="i1-plan"' not in html
    ids = [part.split('"')[0] for part in html.split(' id="')[1:]]
    assert len(ids) == len(set(ids)), "element ids must be unique on the page"
    assert "<script" not in html


def test_the_workbook_has_a_summary_one_plan_and_combined_sheets(
    sample_workshop: tuple[Path, str],
) -> None:
    book = load_workbook(sample_workshop[0] / "anytown-workshop.xlsx")
    assert book.sheetnames[:4] == ["summary", "action plan", "scores", "statements"]
    plan = book["action plan"]
    header = [c.value for c in plan[1]]
    assert header[:5] == ["ref", "instrument", "subject", "item", "issue"] and "due" in header
    assert {row[1] for row in plan.iter_rows(min_row=2, values_only=True) if row[0]} == set(
        INSTRUMENTS
    )
    scores = book["scores"]
    assert scores["A1"].value == "instrument"
    assert {r[0] for r in scores.iter_rows(min_row=2, values_only=True)} == set(INSTRUMENTS)
    statements = [c.value for c in book["statements"][1]]
    # Answer columns differ between instruments (4…1 for agreement, 1/0.5/0 for checklists).
    assert "answered 4" in statements and "answered 0.5" in statements


def test_relative_paths_are_resolved_against_the_workshop_file(
    pat_cli: PatCli, small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    edit(small, 'folder = "../../reports"', 'folder = "out"')
    result = pat_cli("run", str(small), "--format", "json")
    assert result.exit_code == 0, result.output
    assert (small.parent / "out" / "anytown-workshop.json").is_file()
    assert list(elsewhere.iterdir()) == []


def test_a_missing_response_file_is_named_and_nothing_is_written(
    pat_cli: PatCli, workshop: Path, tmp_path: Path
) -> None:
    (workshop.parent / "responses" / "governance.csv").unlink()
    out = tmp_path / "out"
    result = pat_cli("run", str(workshop), "-o", str(out))
    assert result.exit_code == 1
    assert "instruments[2].responses[1]: no such file: responses/governance.csv" in result.output
    assert str(workshop.parent / "responses" / "governance.csv") in result.output
    assert not out.exists()


def test_every_mistake_in_the_file_is_listed_with_its_key(workshop: Path) -> None:
    edit(workshop, 'purpose = "audit"', 'purpose = "checkup"\npurpouse = 1')
    edit(workshop, "date = 2026-12-03", 'date = "3 December"')
    edit(workshop, "min_group = 5", "min_group = 2")
    edit(workshop, 'id = "rq-barriers"', 'id = "pat-odpm"')
    edit(workshop, "min_comments = 10", 'min_comments = 10\nlanguage = "Welsh please"')
    with pytest.raises(WorkshopError) as caught:
        load_workshop(workshop)
    message = str(caught.value)
    assert "purpose: 'checkup' is not one of: developmental, audit, diagnostic" in message
    assert "purpouse: unknown key" in message
    assert "date: expected a date written as 2026-11-30 (no quotes), got '3 December'" in message
    assert (
        "min_group: expected a whole number of at least 3 (with fewer, respondents could "
        "read each other's answers), got 2" in message
    )
    assert "instruments[4].id: 'pat-odpm' is already listed at instruments[1]" in message
    assert (
        'language: expected a language tag such as "cy" or "en-GB", got \'Welsh please\''
        in message
    )
    assert message.count(str(workshop)) >= 5


def test_workshop_mistakes_have_their_line_and_a_suggestion(workshop: Path) -> None:
    edit(workshop, 'facilitator = "', 'facilitater = "')
    with pytest.raises(WorkshopError) as caught:
        load_workshop(workshop)
    (problem,) = caught.value.problems
    lines = workshop.read_text(encoding="utf-8").splitlines()
    assert problem.line is not None and lines[problem.line - 1].startswith("facilitater = ")
    assert str(problem).endswith("; did you mean 'facilitator'?")


def test_a_workshop_file_that_is_not_toml_is_explained_with_its_line(workshop: Path) -> None:
    edit(workshop, 'purpose = "audit"', 'purpose = "audit')
    with pytest.raises(WorkshopError) as caught:
        load_workshop(workshop)
    assert caught.value.summary == f"{workshop}: not valid TOML"
    (problem,) = caught.value.problems
    assert "the text is missing its closing double quote" in problem.message
    assert problem.line == 9


def test_a_deeply_nested_file_is_refused_not_a_recursion_error(
    pat_cli: PatCli, tmp_path: Path
) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    result = pat_cli("run", deep, env={"PAT_TRACEBACK": None})
    assert result.exit_code == 1
    assert "arrays or tables are nested too deeply to be a real file" in result.stderr


def test_bad_answers_in_several_instruments_are_all_reported(
    pat_cli: PatCli, workshop: Path, tmp_path: Path
) -> None:
    responses = workshop.parent / "responses"
    edit(responses / "odpm.csv", ",SA,", ",Maybe,")
    edit(responses / "barriers.csv", ",Yes,", ",Often,")
    before = (responses / "odpm.csv").read_bytes()
    out = tmp_path / "out"
    result = pat_cli("run", str(workshop), "-o", str(out))
    assert result.exit_code == 1
    assert "odpm.csv, row 2, column" in result.output and "'Maybe'" in result.output
    assert "barriers.csv, row 2, column" in result.output and "'Often'" in result.output
    assert not out.exists()
    assert (responses / "odpm.csv").read_bytes() == before


def test_an_unknown_instrument_names_the_workshop_key(pat_cli: PatCli, workshop: Path) -> None:
    edit(workshop, 'id = "rq-barriers"', 'id = "rq-barrier"')
    result = pat_cli("run", str(workshop), "-f", "json")
    assert result.exit_code == 1
    assert "instruments[4]" in result.output and "rq-barrier" in result.output


@pytest.mark.parametrize(("choice", "respondents"), [("latest", 26), ("all", 50), ("2025", 24)])
def test_the_round_reported(
    pat_cli: PatCli, odpm_only: Path, tmp_path: Path, choice: str, respondents: int
) -> None:
    edit(odpm_only, 'round = "latest"', f'round = "{choice}"')
    result = pat_cli("run", str(odpm_only), "-f", "json", "-o", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "o" / "anytown-workshop.json").read_text())
    assert document["summary"][0]["respondents"] == respondents


def test_a_round_that_is_not_there_lists_the_rounds(pat_cli: PatCli, workshop: Path) -> None:
    edit(workshop, 'round = "latest"', 'round = "2024"')
    result = pat_cli("run", str(workshop), "-f", "json")
    assert result.exit_code == 1
    assert "no round '2024' in the answers; the rounds are 2025, 2026" in result.output


def test_user_text_is_escaped_and_cells_are_inert(
    pat_cli: PatCli, small: Path, tmp_path: Path
) -> None:
    edit(small, 'partnership = "Anytown', 'partnership = "<script>alert(1)</script> Anytown')
    edit(small, 'facilitator = "Sam', 'facilitator = "=HYPERLINK(\\"x\\") Sam')
    out = tmp_path / "out"
    result = pat_cli("run", str(small), "-o", str(out))
    assert result.exit_code == 0, result.output
    html = (out / "anytown-workshop.html").read_text()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    summary = load_workbook(out / "anytown-workshop.xlsx")["summary"]
    facilitator = next(r[1] for r in summary.iter_rows(values_only=True) if r[0] == "Facilitator")
    assert facilitator.startswith("'=HYPERLINK")


def test_a_report_is_never_written_over_an_input(
    pat_cli: PatCli, workshop: Path, tmp_path: Path
) -> None:
    responses = workshop.parent / "responses"
    answers = json.dumps(
        [{"respondent": "X1", "answers": {"Q1": "Yes"}}, {"respondent": "X2", "answers": {}}]
    )
    (responses / "barriers.json").write_text(answers)
    edit(
        workshop,
        'responses = ["responses/barriers.csv"]',
        'responses = ["responses/barriers.json"]',
    )
    edit(workshop, 'folder = "../../reports"', 'folder = "responses"')
    edit(workshop, 'name = "anytown-workshop"', 'name = "barriers"')
    result = pat_cli("run", str(workshop), "-f", "json")
    assert result.exit_code == 1
    assert "barriers.json" in result.output
    assert (responses / "barriers.json").read_text() == answers


def test_an_unknown_format_lists_the_known_ones(pat_cli: PatCli, workshop: Path) -> None:
    result = pat_cli("run", str(workshop), "-f", "odt")
    assert result.exit_code == 2
    assert "odt: not a workshop report format; known: docx, html, json, markdown, pdf, pptx, " \
        "xlsx" in " ".join(result.output.split())  # fmt: skip


def test_pat_run_writes_markdown_summary_first_with_its_charts(
    pat_cli: PatCli, small: Path, tmp_path: Path
) -> None:
    # -f md: a format named by its file suffix as well as by its name
    result = pat_cli("run", str(small), "-f", "md", "-o", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "o" / "anytown-workshop.md").read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[:2] == ["## At a glance", "## Action plan"]
    assert headings[2:4] == [
        "## 1. Review questions: characteristics of successful partnerships",
        "## 2. Barriers to effective partnership working",
    ]
    assert text.index("### Top actions") < text.index("## Action plan")  # fmt: skip
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert links and all(link.startswith("anytown-workshop-charts/i") for link in links)
    for link in links:
        assert (tmp_path / "o" / link).read_bytes().startswith(b"\x89PNG")
    # each instrument's charts apart; the headline chart at a glance and in its section
    assert sorted(set(links)) == ["anytown-workshop-charts/i1-subgroups.png",
                                  "anytown-workshop-charts/i2-subgroups.png"]  # fmt: skip


def test_an_instruments_folder_beside_the_workshop_is_loaded(
    pat_cli: PatCli, small: Path, tmp_path: Path
) -> None:
    folder = small.parent / "instruments"
    folder.mkdir()
    source = Path(__file__).resolve().parents[1] / "plugins/review_questions/instruments"
    text = (source / "rq-barriers.toml").read_text(encoding="utf-8")
    (folder / "our-barriers.toml").write_text(
        text.replace('id = "rq-barriers"', 'id = "our-barriers"', 1), encoding="utf-8"
    )
    edit(small, 'round = "latest"', 'round = "latest"\ninstruments_dir = "instruments"')
    edit(small, 'id = "rq-barriers"', 'id = "our-barriers"')
    result = pat_cli("run", str(small), "-f", "json", "-o", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "o" / "anytown-workshop.json").read_text())
    assert document["summary"][1]["instrument"] == "our-barriers"


def test_an_amber_rating_is_shown_as_mixed_not_as_a_concern(
    sample_workshop: tuple[Path, str], registry: Registry
) -> None:
    html = (sample_workshop[0] / "anytown-workshop.html").read_text()
    summary = html.split('<section class="instrument page"')[0]
    governance = summary.split("Governance matrix for partnership working</a>:")[0]
    assert governance.rstrip().endswith('<p class="title"><a href="#i2">')
    assert governance.split('<div class="headline ')[-1].startswith("mixed")


def test_an_empty_responses_list_is_an_error_not_a_dropped_instrument(
    tmp_path: Path, pat_cli: Any
) -> None:
    workshop = tmp_path / "w.toml"
    workshop.write_text(
        'partnership = "Anytown"\npurpose = "audit"\n'
        '[[instruments]]\nid = "pat-odpm"\nresponses = []\n'
    )
    result = pat_cli("run", str(workshop))
    assert result.exit_code == 1
    assert "instruments[1].responses: is empty: list at least one response file" in result.stderr


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("x" * 240, "the name is 240 bytes long; at most 200 fit"),
        ("CON", "'CON' is a name Windows keeps for a device: choose another"),
        ("..", "expected a file name, got '..' (a name may not end with a dot or space)"),
        ("a|b", "expected a file name without any of < > : \" | ? *, got 'a|b'"),
        ("sub/report", "expected a file name without folders, got 'sub/report'"),
    ],
)
def test_an_output_name_no_system_can_write_is_an_error_naming_the_key(
    pat_cli: PatCli, workshop: Path, name: str, expected: str
) -> None:
    text = workshop.read_text(encoding="utf-8")
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace('name = "anytown-workshop"', f'name = "{quoted}"')
    workshop.write_text(text, encoding="utf-8")
    result = pat_cli("run", workshop)
    assert result.exit_code == 1
    assert f"output.name: {expected}" in result.stderr
    assert "Traceback" not in result.output


def test_declared_groups_take_their_spelling_and_refuse_any_other_value(
    pat_cli: PatCli, small: Path
) -> None:
    barriers = small.parent / "responses" / "barriers.csv"
    text = barriers.read_text(encoding="utf-8")
    text = text.replace("Anytown Health Trust,", "anytown  health trust,", 1)
    barriers.write_text(text.replace("Anytown Voluntary Action,board", "Anytown VA,board", 1))
    row = 1 + next(
        k for k, line in enumerate(text.splitlines()) if "Anytown Voluntary Action,board" in line
    )
    result = pat_cli("run", small, "-f", "json", env={"PAT_TRACEBACK": None})
    assert result.exit_code == 1
    assert (
        f"{barriers}, row {row}, column organisation: 'Anytown VA' is not one of the "
        "organisation values the workshop allows (Anytown Borough Council, Anytown Health "
        "Trust, Anytown Voluntary Action)" in " ".join(result.stderr.split())
    )
    barriers.write_text(text, encoding="utf-8")  # the other spelling alone is read as given
    workshop = load_workshop(small)
    entry = next(i for i in workshop.instruments if i.id == "rq-barriers")
    read = pipeline.read(build_registry(), entry.id, entry.responses, entry.source)
    assert "anytown  health trust" not in set(read.attributes["organisation"])
    assert "Anytown Health Trust" in set(read.attributes["organisation"])


def test_groups_must_be_lists_of_text(workshop: Path) -> None:
    edit(workshop, 'level = ["board", "senior", "frontline"]', "level = []\nrole = 3")
    with pytest.raises(WorkshopError) as caught:
        load_workshop(workshop)
    messages = [str(p) for p in caught.value.problems]
    assert any(
        "groups.level: is empty: list the values, or leave the key out" in m for m in messages
    )
    assert any("groups.role: expected a list of text, got 3" in m for m in messages)


def test_each_instrument_is_described_in_its_own_words(
    sample_workshop: tuple[Path, str],
) -> None:
    html = (sample_workshop[0] / "anytown-workshop.html").read_text(encoding="utf-8")
    said = dict(re.findall(r'<p class="how" id="i(\d)-chart-subgroups-how">([^<]*)</p>', html))
    # The ODPM tool has principles, the matrix areas, the checklists a checklist each.
    assert "one column per principle" in said["1"]
    assert "one column per area" in said["2"] and "principle" not in said["2"]
    assert "one column per checklist" in said["3"] and "principle" not in said["3"]
    # What changed since the last round: sentences, the matrix's areas by their titles.
    changes = re.findall(r"<h4>Since the last round</h4>\s*<ul class=\"key\">(.*?)</ul>", html,
                         re.S)  # fmt: skip
    lines = [line for found in changes for line in re.findall(r"<li>(.*?)</li>", found)]
    assert lines and all(line[0].isupper() for line in lines)
    assert any(line.startswith("Behaviours ") for line in lines)
    # A suggested first step is something to do, never the checklist's aside.
    assert "Besides these" not in html
