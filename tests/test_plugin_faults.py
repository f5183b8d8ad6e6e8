"""Faulty plugins are contained: each costs one warning line naming the plugin, never a
traceback, a hang, a lost command or instrument of pat's own, or a corrupted output.

The kinds of fault, and where each is tested:

- when it loads (real processes): 1 `sys.exit`, 2 a print, 3 a hang, 4 an ImportError,
  5 a SyntaxError, 6 an entry point naming an attribute the module lacks, 7 a non-UTF-8
  `entry_points.txt` of any distribution (here and `test_a_non_utf8_metadata_file…`);
- in a registration hook: 8 a print, 9 `sys.exit`, 10 a hang, 11 an exception, 12 an
  invalid object registered, 13 a name another plugin has (`test_plugins`), 14 replacing
  a command of pat's, 15 replacing a bundled instrument, 16 a misspelt hook or a hook
  without `@hookimpl`, 17 a hook with other arguments than the spec (`test_plugins`);
- while pat works: 18 a scorer, 19 a renderer and 20 a chart that raise, 21 an importer
  whose `detect` raises, 22 a command of the plugin's that raises, and 23 a bug that prints
  escape codes in its message.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from conftest import ODPM_SAMPLE

from pat_framework import hookimpl
from pat_framework.runtime import entry_points, plugins
from pat_framework.runtime.registry import build_registry


class Printer:
    @hookimpl
    def register_scorers(self, register: Any) -> None:
        print("hello from a plugin")


class Exits:
    @hookimpl
    def register_charts(self, register: Any) -> None:
        sys.exit(3)


class Sleeper:
    @hookimpl
    def register_renderers(self, register: Any) -> None:
        time.sleep(30)


class Garbage:
    @hookimpl
    def register_importers(self, register: Any) -> None:
        register("not an importer")


class ReplacesScore:
    @hookimpl
    def register_commands(self, cli: click.Group) -> None:
        @cli.command(name="score")
        def fake() -> None:
            click.echo("hijacked")

        @cli.command(name="analyse")
        def fake_analyse() -> None:
            click.echo("hijacked")


class ReplacesOdpm:
    @hookimpl
    def register_instruments(self, register: Any) -> None:
        from pat_framework.model import Instrument

        original = build_registry().get("instrument", "pat-odpm")
        register(Instrument(**{**original.__dict__, "title": "Impostor"}))


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAT_PLUGIN_TIMEOUT", "0.5")


def test_printing_in_a_hook_never_reaches_standard_output(pat_plugin: Any, pat_cli: Any) -> None:
    pat_plugin(Printer(), "printer")
    result = pat_cli("score", "pat-odpm", str(ODPM_SAMPLE), "-f", "json")
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # still JSON
    assert "plugin 'printer' printed in register_scorers, kept off the output: " in result.stderr
    assert "'hello from a plugin'" in result.stderr


def test_sys_exit_in_a_hook_is_reported(pat_plugin: Any, pat_cli: Any) -> None:
    pat_plugin(Exits(), "exits")
    result = pat_cli("score", "pat-odpm", str(ODPM_SAMPLE))
    assert result.exit_code == 0, result.output
    assert "plugin 'exits' tried to end pat in register_charts (sys.exit(3))" in result.stderr


@pytest.mark.skipif(not hasattr(__import__("signal"), "setitimer"), reason="no SIGALRM here")
def test_a_hanging_hook_is_cut_short(pat_plugin: Any, short_timeout: None) -> None:
    pat_plugin(Sleeper(), "sleeper")
    start = time.perf_counter()
    registry = build_registry()
    assert time.perf_counter() - start < 10
    assert any(
        p.startswith("plugin 'sleeper' took more than 0.5 s in register_renderers")
        for p in registry.problems
    )
    assert ("scores", "csv") in registry.names("renderer")


def test_an_invalid_importer_is_named(pat_plugin: Any) -> None:
    pat_plugin(Garbage(), "garbage")
    problems = build_registry().problems
    assert any(p.startswith("plugin 'garbage' registered an invalid importer") for p in problems)


def test_a_plugin_cannot_replace_a_command_of_pats_unless_allowed(
    pat_plugin: Any, pat_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pat_framework.cli import main
    from pat_framework.cli.commands.score import score

    monkeypatch.setattr(plugins, "load_errors", [])
    group = main.PatGroup(name="pat-test")
    pat_plugin(ReplacesScore(), "replacer")
    main._add_commands(group)
    context = click.Context(group)
    assert group.get_command(context, "score") is score
    analyse = group.get_command(context, "analyse")
    assert analyse is not None and analyse.callback is not None
    assert analyse.callback.__module__.endswith("commands.analyse")
    assert (
        "plugin 'replacer' tried to replace the command 'score' of 'pat', which is kept "
        "(to allow it, set PAT_ALLOW_REPLACE=replacer)" in plugins.load_errors
    )
    assert (
        "plugin 'replacer' tried to replace the command 'analyse' of 'pat.commands', which is "
        "kept (to allow it, set PAT_ALLOW_REPLACE=replacer)" in plugins.load_errors
    )
    monkeypatch.setenv("PAT_ALLOW_REPLACE", "replacer")
    allowed = main.PatGroup(name="pat-test-allowed")
    main._add_commands(allowed)
    replaced = allowed.get_command(click.Context(allowed), "score")
    assert replaced is not None and replaced.callback is not None
    assert replaced.callback.__name__ == "fake"


def test_a_plugins_instrument_never_displaces_a_bundled_one(
    pat_plugin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = plugins.pm.get_plugin("pat_odpm")
    plugins.pm.unregister(name="pat_odpm")
    try:
        pat_plugin(ReplacesOdpm(), "impostor")  # registered before the bundled plugin
        plugins.pm.register(bundled, name="pat_odpm")
        registry = build_registry()
        assert registry.get("instrument", "pat-odpm").title == "Partnership Assessment Tool"
        assert any(
            p.startswith("instrument 'pat-odpm' from plugin 'impostor' ignored")
            for p in registry.problems
        )
        monkeypatch.setenv("PAT_ALLOW_REPLACE", "impostor")
        assert build_registry().get("instrument", "pat-odpm").title == "Impostor"
    finally:
        if plugins.pm.get_plugin("pat_odpm") is None:
            plugins.pm.register(bundled, name="pat_odpm")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Path]:
    """A folder on sys.path for distributions made by the test."""
    sys.path.insert(0, str(tmp_path))
    try:
        yield tmp_path
    finally:
        sys.path.remove(str(tmp_path))


def distribution(site: Path, name: str, entry_points_txt: bytes, module: str = "") -> None:
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_bytes(entry_points_txt)
    if module:
        (site / f"{name}.py").write_text(textwrap.dedent(module))


def test_a_non_utf8_metadata_file_of_any_distribution_is_skipped(site: Path) -> None:
    distribution(site, "unrelated", b"[console_scripts]\nx = caf\xe9:main\n")
    assert entry_points.entry_points("pat_framework")  # pat's own still found
    assert entry_points.unreadable == [
        f"skipped {site / 'unrelated-1.0.dist-info' / 'entry_points.txt'}: not UTF-8 text, "
        "so its entry points cannot be read"
    ]


def run_pat(site: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "PAT_PLUGIN_TIMEOUT": "2"}
    return subprocess.run(
        [sys.executable, "-m", "pat_framework", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("import sys\nsys.exit('bye')\n", "plugin 'faulty' tried to end pat to load"),
        ("print('loading faulty…')\n", "plugin 'faulty' printed to load, kept off the output"),
        ("import time\ntime.sleep(60)\n", "plugin 'faulty' took more than 2 s to load"),
        ("raise ImportError('no numpy here')\n", "plugin 'faulty' failed to load: ImportError"),
        ("def (:\n", "plugin 'faulty' failed to load: SyntaxError"),
        (
            "# no plugin here\n",
            "plugin 'faulty' failed to load: AttributeError: module 'faulty' has no attribute "
            "'plugin'",
        ),
    ],
)
def test_faults_at_import_in_a_real_process(site: Path, module: str, expected: str) -> None:
    target = b"faulty:plugin" if module.startswith("#") else b"faulty"
    distribution(site, "faulty", b"[pat_framework]\nfaulty = " + target + b"\n", module)
    help_ = run_pat(site, "--help")
    assert help_.returncode == 0, help_.stderr
    assert "Usage: pat" in help_.stdout and "Traceback" not in help_.stderr
    assert expected in help_.stderr
    scored = run_pat(site, "score", "pat-odpm", str(ODPM_SAMPLE), "-f", "json")
    assert scored.returncode == 0, scored.stderr
    json.loads(scored.stdout)


@pytest.mark.slow
def test_a_non_utf8_entry_points_file_in_a_real_process(site: Path) -> None:
    distribution(site, "unrelated", b"[console_scripts]\nx = caf\xe9:main\n")
    result = run_pat(site, "--help")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "unrelated-1.0.dist-info" in result.stderr and "not UTF-8 text" in result.stderr


class Broken(Exception):
    pass


class FailsWhileWorking:
    """A scorer, renderer, chart, importer and command that each raise when used."""

    @hookimpl
    def register_instruments(self, register: Any) -> None:
        from pat_framework.instrument.loader import instrument_from_dict

        register(
            instrument_from_dict(
                {
                    "format": 1,
                    "id": "fails-scoring",
                    "title": "Fails when scored",
                    "version": "1",
                    "scorer": "fails",
                    "source": {"title": "a test"},
                    "scales": {"yn": {"options": [{"value": 1, "label": "Yes"}]}},
                    "sections": [
                        {
                            "id": "S",
                            "title": "One",
                            "scale": "yn",
                            "items": [{"id": "Q1", "text": "Question?"}],
                            "bands": [{"min": 0, "max": 1, "label": "any"}],
                        }
                    ],
                },
                "fails-scoring",
            )
        )

    @hookimpl
    def register_scorers(self, register: Any) -> None:
        from pat_framework.scoring.sum_scorer import SumScorer

        sum_scorer = SumScorer()

        class Fails:
            name = "fails"
            description = "raises"
            check = sum_scorer.check
            score_range = sum_scorer.score_range
            aggregate_range = sum_scorer.aggregate_range

            def score(self, responses: Any) -> Any:
                raise Broken("the weights table is missing")

        register(Fails())

    @hookimpl
    def register_renderers(self, register: Any) -> None:
        class Fails:
            name, subject, suffixes, binary, description = "tsv", "scores", (".tsv",), False, ""

            def render(self, result: Any) -> str:
                return str(1 / 0)

        register(Fails())

    @hookimpl
    def register_charts(self, register: Any) -> None:
        class Fails:
            name, title, description = "fails", "Fails", "raises"

            def applies(self, instrument: Any) -> bool:
                return True

            def build(self, analysis: Any) -> dict[str, Any]:
                raise KeyError("P9")

        register(Fails())

    @hookimpl
    def register_importers(self, register: Any) -> None:
        class Fails:
            name, title, description = "fails", "Fails", "raises"

            def detect(self, sheet: Any) -> bool:
                raise Broken("cannot look")

            def read(self, sheet: Any) -> Any:
                raise AssertionError("never read")

        register(Fails())

    @hookimpl
    def register_commands(self, cli: click.Group) -> None:
        @cli.command(name="fails")
        def fails() -> None:
            raise Broken("\x1b]0;owned\x07 the command broke")


USER = {"PAT_TRACEBACK": None}  # what a user sees, not the traceback a test wants
BLAMED = (
    "Error: plugin 'fails' failed: {}. This is a bug in that plugin, not in your files: tell "
    "its authors, or set PAT_BLOCK_PLUGINS=fails to run without it (PAT_TRACEBACK=1 shows "
    "where it failed)"
)


@pytest.fixture
def fails(pat_plugin: Any, pat_answers: Any) -> None:
    pat_plugin(FailsWhileWorking(), "fails")


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["score", "pat-odpm", str(ODPM_SAMPLE), "-f", "tsv"],
         "ZeroDivisionError: division by zero"),
        (["chart", "pat-odpm", str(ODPM_SAMPLE), "--kind", "fails", "-o", "{tmp}/c.png"],
         "KeyError: 'P9'"),
        (["fails"], "Broken: \\x1b]0;owned\\x07 the command broke"),
    ],
)  # fmt: skip
def test_a_plugin_that_fails_while_working_is_named_in_one_line(
    fails: None, pat_cli: Any, tmp_path: Path, args: list[str], error: str
) -> None:
    result = pat_cli(*[a.format(tmp=tmp_path) for a in args], env=USER)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == BLAMED.format(error)
    assert "Traceback" not in result.output and "\x1b" not in result.output


def test_a_scorer_that_fails_is_named(fails: None, pat_cli: Any, pat_answers: Any) -> None:
    sheet = pat_answers("fails-scoring", {"R1": {"Q1": "Yes"}})
    result = pat_cli("score", "fails-scoring", sheet, env=USER)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == BLAMED.format(
        "Broken: the weights table is missing"
    )


def test_an_importer_whose_detect_fails_is_passed_over(fails: None, pat_cli: Any) -> None:
    export = ODPM_SAMPLE.parents[1] / "exports" / "odpm-google-forms.csv"
    result = pat_cli("score", "pat-odpm", export, "-f", "json", env=USER)
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)
    assert (
        f"pat: note: {export}: importer 'fails' failed to look at it (Broken: cannot look), so "
        "it was passed over" in result.stderr
    )


def test_a_bug_in_pat_itself_is_one_line_asking_for_a_report(
    pat_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pat_framework.scoring import sum_scorer as sum_module

    def broken(*args: Any) -> Any:
        raise RuntimeError("pat's own bug")

    monkeypatch.setattr(sum_module.SumScorer, "score", broken)
    result = pat_cli("score", "pat-odpm", ODPM_SAMPLE, env=USER)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: unexpected error: RuntimeError: pat's own bug. This is a bug in pat: please "
        "report it with the command you ran (PAT_TRACEBACK=1 shows where it failed)"
    )
    with pytest.raises(RuntimeError):  # the traceback, for whoever mends it
        pat_cli("score", "pat-odpm", ODPM_SAMPLE, env={"PAT_TRACEBACK": "1"})
