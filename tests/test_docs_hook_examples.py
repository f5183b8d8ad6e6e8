"""The examples in docs/plugin-hooks.md work: each runs as a plugin against the ODPM tool."""

from __future__ import annotations

import re
import types
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ODPM_SAMPLE, ROOT

from pat_framework.runtime.registry import build_registry

PAGE = (ROOT / "docs" / "plugin-hooks.md").read_text(encoding="utf-8")


def example(hook: str) -> types.ModuleType:
    """The code block in the hook's section, run as a module."""
    section = PAGE.split(f"## {hook}(", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"^```python\n(.*?)^```", section, re.M | re.S)
    assert code, f"no python example for {hook}"
    module = types.ModuleType(f"docs_example_{hook}")
    module.__file__ = str(ROOT / "docs" / f"{hook}.py")
    exec(compile(code.group(1), module.__file__, "exec"), module.__dict__)
    return module


def odpm_interpretation(registry):  # type: ignore[no-untyped-def]
    from pat_framework.runtime.pipeline import interpret

    return interpret(registry, "pat-odpm", [ODPM_SAMPLE])


def test_the_scorer_example_scores_means(pat_plugin: Any) -> None:
    from pat_framework.responses import read_responses

    pat_plugin(example("register_scorers"))
    registry = build_registry()
    scorer = registry.get("scorer", "mean")
    responses = read_responses(registry.instrument("pat-odpm"), [ODPM_SAMPLE])
    scores = scorer.score(responses)
    assert scores.totals["P1"].between(1, 4).all()
    first = responses.values.loc["R01", [f"P1{e}" for e in "ABCDEF"]].mean()
    assert scores.totals.at["R01", "P1"] == pytest.approx(first)


def test_the_interpreter_example_names_sections_below_the_top_band(pat_plugin: Any) -> None:
    pat_plugin(example("register_interpreters"))
    registry = build_registry()
    interpretation = odpm_interpretation(registry)
    result = registry.get("interpreter", "top-band").interpret(interpretation.scores)
    below = {f.section_id for f in result.findings}
    assert "P1" not in below  # the sample's P1 median is 20, in 19–24
    assert "P4" in below


def test_the_renderer_example_is_picked_by_format(
    pat_plugin: Any, pat_cli: Any, tmp_path: Path
) -> None:
    pat_plugin(example("register_renderers"))
    out = tmp_path / "scores.md"
    result = pat_cli("score", "pat-odpm", ODPM_SAMPLE, "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Partnership Assessment Tool")
    assert "- P1 Recognise and accept the need for partnership: 20.0 (19–24)" in text


def test_the_chart_example_builds_from_the_analysis(pat_plugin: Any) -> None:
    from pat_framework.analysis import analyse

    pat_plugin(example("register_charts"))
    registry = build_registry()
    chart = registry.get("chart", "section-medians").build(analyse(odpm_interpretation(registry)))
    spec = chart.to_dict()
    assert spec["mark"]["type"] == "bar"
    assert len(spec["datasets"][next(iter(spec["datasets"]))]) == 6


def test_the_command_example_adds_a_command() -> None:
    import click

    group = click.Group("pat")
    example("register_commands").register_commands(group)
    result = CliRunner().invoke(group, ["count", "pat-odpm"])
    assert result.exit_code == 0, result.output
    assert result.output == "pat-odpm: 43 items\n"


def test_the_importer_example_reads_its_tools_export(
    pat_plugin: Any, pat_cli: Any, tmp_path: Path
) -> None:
    pat_plugin(example("register_importers"))
    items = build_registry().instrument("pat-odpm").item_ids
    path = tmp_path / "results.csv"
    answers = ",".join(["3"] * len(items))
    path.write_text(
        f"Ref,Submitted,Staff number,{','.join(items)}\nA7,2026-11-02,E1234,{answers}\n"
    )
    result = pat_cli("score", "pat-odpm", str(path), "-f", "csv")
    assert result.exit_code == 0, result.output
    assert "read as an export of Intranet survey" in result.stderr
    assert "E1234" not in result.stdout and "A7" in result.stdout
