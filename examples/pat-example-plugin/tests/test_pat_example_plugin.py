"""The example plugin through pat's own command line, with pat's pytest fixtures
(`pat_cli`, `pat_plugin`, `pat_answers`: installed with pat-framework, nothing to import)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pat_example_plugin
import pytest

PULSE = "partnership-pulse"


@pytest.fixture(autouse=True)
def plugin(pat_plugin):
    """The plugin for every test, whether or not it is installed."""
    return pat_plugin(pat_example_plugin)


def score_rows(pat_cli, path: Path) -> dict[str, dict[str, str]]:
    result = pat_cli("score", PULSE, path, "--format", "csv")
    assert result.exit_code == 0, result.output
    return {row["respondent"]: row for row in csv.DictReader(io.StringIO(result.stdout))}


def test_pat_plugins_lists_what_the_plugin_provides(pat_cli, plugin):
    result = pat_cli("plugins")
    assert result.exit_code == 0
    block = result.stdout.split(f"{plugin} (", 1)[1].split("\n", 3)
    assert block[1] == "  hooks: register_instruments, register_renderers, register_scorers"
    assert block[2] == (
        "  provides: instrument partnership-pulse, renderer scores/markdown, scorer mean"
    )
    assert f"problem: plugin '{plugin}'" not in result.stdout


def test_the_mean_scorer_gives_each_sections_mean_answer(pat_cli, pat_answers):
    path = pat_answers(
        PULSE,
        {
            # principles (4 + 3 + 2) / 3 = 3; ingredients all Agree = 3; pulse 3.
            "R1": {"Q1": "SA", "Q2": "A", "Q3": "D"},
            # principles (1 + 1 + 2) / 3; ingredients one blank, the rest Strongly agree = 4.
            "R2": {
                "Q1": "SD",
                "Q2": "SD",
                "Q3": "D",
                "Q4": None,
                "Q5": "SA",
                "Q6": "SA",
                "Q7": "SA",
                "Q8": "SA",
                "Q9": "SA",
                "Q10": "SA",
            },
            # Two ingredients blank: more than one missing, so no score and no pulse.
            "R3": {"Q4": None, "Q5": None},
        },
        fill="A",
    )
    rows = score_rows(pat_cli, path)
    assert (rows["R1"]["principles"], rows["R1"]["ingredients"], rows["R1"]["aggregate"]) == (
        "3",
        "3",
        "3",
    )
    assert float(rows["R2"]["principles"]) == pytest.approx(4 / 3, abs=0.005)
    assert rows["R2"]["ingredients"] == "4"
    assert float(rows["R2"]["aggregate"]) == pytest.approx((4 / 3 + 4) / 2, abs=0.005)
    assert (rows["R3"]["principles"], rows["R3"]["ingredients"], rows["R3"]["aggregate"]) == (
        "3",
        "",
        "",
    )


def test_reverse_statements_count_the_other_way_round(pat_cli, tmp_path):
    source = Path(pat_example_plugin.INSTRUMENT).read_text(encoding="utf-8")
    reverse = source.replace('id = "partnership-pulse"', 'id = "pulse-reversed"', 1).replace(
        'id = "Q3"\n', 'id = "Q3"\nreverse = true\n', 1
    )
    folder = tmp_path / "instruments"
    folder.mkdir()
    (folder / "pulse-reversed.toml").write_text(reverse, encoding="utf-8")
    answers = tmp_path / "answers.csv"
    header = ",".join(f"Q{k}" for k in range(1, 11))
    answers.write_text(f"respondent,{header}\nR1,SA,SA,SD,A,A,A,A,A,A,A\n", encoding="utf-8")
    result = pat_cli("--instruments-dir", folder, "score", "pulse-reversed", answers, "-f", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == "R1,4,3,3.5"  # SD on Q3 counts as SA


def test_markdown_scores_with_bands_and_group_medians(pat_cli, pat_answers):
    path = pat_answers(
        PULSE,
        {
            "R1": {"organisation": "Council", "Q1": "SD", "Q2": "SD", "Q3": "SD"},
            "R2": {"organisation": "Health", "Q10": None},
            "R3": {"organisation": "Health"},
        },
        fill="SA",
    )
    result = pat_cli("score", PULSE, path, "-f", "markdown")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "# Partnership pulse"
    assert "| R1 | Council | 1 | 4 | 2.5 | Mixed |" in lines
    assert "| R2 | Health | 4 | 4\\* | 4 | Strong |" in lines
    assert "| principles Key principles | 4 | Strong |" in lines
    assert "\\* some statements unanswered: the mean of those answered" in lines


def test_markdown_output_file_is_picked_by_its_suffix(pat_cli, pat_answers, tmp_path):
    path = pat_answers(PULSE, {"R1": {}}, fill="A")
    out = tmp_path / "scores.md"
    result = pat_cli("score", PULSE, path, "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# Partnership pulse\n")


def test_user_text_cannot_break_the_table_or_inject_markup(pat_cli, pat_answers):
    path = pat_answers(
        PULSE, {"R1 | <b>x</b>": {"organisation": "[click](http://x) *now*"}}, fill="A"
    )
    result = pat_cli("score", PULSE, path, "-f", "markdown")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith("| R1"))
    assert row.startswith("| R1 \\| &lt;b&gt;x&lt;/b&gt; | \\[click\\](http://x) \\*now\\* |")
    cells = re.split(r"(?<!\\)\|", row)[1:-1]
    assert len(cells) == 6  # respondent, organisation, two sections, aggregate, band


def test_an_instrument_mixing_scale_ranges_is_refused(pat_cli, tmp_path):
    source = Path(pat_example_plugin.INSTRUMENT).read_text(encoding="utf-8")
    mixed = source.replace(
        "[[sections]]\n",
        '[scales.yesno]\n[[scales.yesno.options]]\nvalue = 1\nlabel = "Yes"\n'
        '[[scales.yesno.options]]\nvalue = 0\nlabel = "No"\n\n[[sections]]\n',
        1,
    ).replace('id = "Q2"\n', 'id = "Q2"\nscale = "yesno"\n', 1)
    path = tmp_path / "mixed.toml"
    path.write_text(mixed, encoding="utf-8")
    result = pat_cli("validate", path)
    assert result.exit_code == 1
    assert (
        "sections[1]: the mean scorer needs every statement of section 'principles' to score "
        "on the same range; its scales run 0–1, 1–4"
    ) in result.stderr
