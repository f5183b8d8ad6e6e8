"""Plugins: registering and unregistering, duplicates, broken plugins kept to one line,
entry points, the environment variables, instrument folders, and a fast `pat --help`."""

from __future__ import annotations

import copy
import csv
import io
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import PatCli, odpm_row

from pat_framework import __version__, hookimpl
from pat_framework.bands import ScoreRange
from pat_framework.instrument.loader import instrument_from_dict
from pat_framework.interfaces import Chart, Interpreter, Renderer, Scorer
from pat_framework.model import Instrument, Section
from pat_framework.responses import Responses
from pat_framework.results import AGGREGATE, Interpretation, Scores
from pat_framework.runtime import plugins
from pat_framework.runtime.entry_points import distribution_name
from pat_framework.runtime.registry import build_registry

ROOT = Path(__file__).resolve().parents[1]

COUNT_INSTRUMENT = {
    "format": 1,
    "id": "test-count",
    "title": "Counting answers",
    "version": "1",
    "scorer": "test-count",
    "source": {"title": "a test"},
    "scales": {"yn": {"options": [{"value": 1, "label": "Yes"}, {"value": 0, "label": "No"}]}},
    "sections": [
        {
            "id": "S",
            "title": "Three questions",
            "scale": "yn",
            "items": [{"id": f"Q{k}", "text": f"Question {k}?"} for k in (1, 2, 3)],
            "bands": [
                {"min": 0, "max": 2, "label": "some"},
                {"min": 3, "max": 3, "label": "all"},
            ],
        }
    ],
}


class CountScorer:
    """Scores a section by how many of its statements were answered."""

    name = "test-count"
    description = "How many statements each respondent answered"

    def check(self, instrument: Instrument) -> list[tuple[str, str]]:
        return []

    def score_range(self, instrument: Instrument, section: Section) -> ScoreRange:
        return ScoreRange(0, len(section.items))

    def aggregate_range(self, instrument: Instrument) -> ScoreRange | None:
        return None

    def score(self, responses: Responses) -> Scores:
        import pandas as pd

        sections = responses.instrument.scored_sections
        answered = pd.DataFrame(
            {s.id: responses.values[s.item_ids].notna().sum(axis=1) for s in sections}
        )
        totals = answered.astype(float)
        totals[AGGREGATE] = float("nan")
        return Scores(responses, totals, answered, answered < 0)


class EchoInterpreter:
    name = "test-echo"
    description = "Hands the scores on unread"

    def check(self, instrument: Instrument) -> list[tuple[str, str]]:
        return []

    def interpret(self, scores: Scores) -> Interpretation:
        raise NotImplementedError("never called in these tests")


class TabRenderer:
    name = "tsv"
    subject = "scores"
    suffixes = (".tsv",)
    binary = False
    description = "Totals separated by tabs"

    def render(self, result: Interpretation) -> str:
        return result.scores.totals.to_csv(sep="\t", lineterminator="\n")


class NullChart:
    name = "test-chart"
    title = "Nothing"
    description = "Draws nothing"

    def applies(self, instrument: Instrument) -> bool:
        return True

    def build(self, analysis: Any) -> dict[str, Any]:
        return {"mark": "point"}


class GoodPlugin:
    """A third-party plugin implementing every registration hook."""

    @hookimpl
    def register_instruments(self, register: Any) -> None:
        register(instrument_from_dict(COUNT_INSTRUMENT, "test-count"))

    @hookimpl
    def register_scorers(self, register: Any) -> None:
        register(CountScorer())

    @hookimpl
    def register_interpreters(self, register: Any) -> None:
        register(EchoInterpreter())

    @hookimpl
    def register_renderers(self, register: Any) -> None:
        register(TabRenderer())

    @hookimpl
    def register_charts(self, register: Any) -> None:
        register(NullChart())


class DuplicatePlugin:
    """Takes names that the bundled plugins already use."""

    @hookimpl
    def register_scorers(self, register: Any) -> None:
        register(CountScorer())
        impostor = CountScorer()
        impostor.name = "sum"
        register(impostor)

    @hookimpl
    def register_instruments(self, register: Any) -> None:
        register(instrument_from_dict({**COUNT_INSTRUMENT, "id": "pat-odpm"}, "fake"))


class BrokenPlugin:
    """Fails in one hook and registers nonsense in others."""

    @hookimpl
    def register_scorers(self, register: Any) -> None:
        raise RuntimeError("the scorer module is missing a file")

    @hookimpl
    def register_renderers(self, register: Any) -> None:
        register(object())

    @hookimpl
    def register_instruments(self, register: Any) -> None:
        register(42)


@pytest.fixture
def registered(request: pytest.FixtureRequest) -> Iterator[str]:
    """Register the plugin class given by indirect parametrisation, and always remove it."""
    name = request.param.__name__
    plugins.pm.register(request.param(), name=name)
    try:
        yield name
    finally:
        plugins.pm.unregister(name=name)


def test_the_test_objects_meet_the_protocols() -> None:
    assert isinstance(CountScorer(), Scorer)
    assert isinstance(EchoInterpreter(), Interpreter)
    assert isinstance(TabRenderer(), Renderer)
    assert isinstance(NullChart(), Chart)


def test_a_plugin_registered_and_unregistered(pat_cli: PatCli) -> None:
    plugin = GoodPlugin()
    plugins.pm.register(plugin, name="good-plugin")
    try:
        registry = build_registry()
        assert registry.problems == []
        assert registry.provider("scorer", "test-count") == "good-plugin"
        assert registry.provider("interpreter", "test-echo") == "good-plugin"
        assert registry.provider("renderer", ("scores", "tsv")) == "good-plugin"
        assert registry.provider("chart", "test-chart") == "good-plugin"
        assert registry.provider("instrument", "test-count") == "good-plugin"
        listing = pat_cli("plugins")
        assert listing.exit_code == 0
        block = listing.stdout.split("good-plugin (")[1]
        assert "  hooks: register_charts, register_instruments, register_interpreters, " in block
        assert "scorer test-count" in block and "renderer scores/tsv" in block
    finally:
        plugins.pm.unregister(plugin)
    registry = build_registry()
    assert "test-count" not in registry.names("scorer")
    assert "test-count" not in registry.names("instrument")
    assert ("scores", "tsv") not in registry.names("renderer")
    listing = pat_cli("plugins")
    assert "good-plugin" not in listing.stdout and "test-count" not in listing.stdout


def test_a_plugins_instrument_scorer_and_renderer_work_end_to_end(
    pat_plugin: Any, pat_cli: Any, pat_answers: Any, tmp_path: Path
) -> None:
    pat_plugin(GoodPlugin())
    sheet = pat_answers("test-count", {"R1": {"Q2": "No", "Q3": None}, "R2": {}}, fill="yes")
    result = pat_cli("score", "test-count", sheet, "--format", "tsv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["respondent\tS\taggregate", "R1\t2.0\t", "R2\t3.0\t"]
    out = tmp_path / "scores.tsv"
    result = pat_cli("score", "test-count", sheet, "-o", out)
    assert result.exit_code == 0 and out.read_text().startswith("respondent\tS")


@pytest.mark.parametrize("registered", [DuplicatePlugin], indirect=True)
def test_duplicate_names_are_rejected_naming_both_plugins(
    registered: str, pat_cli: PatCli, write_sheet: Any
) -> None:
    registry = build_registry()
    allow = " (to let it replace pat's own, set PAT_ALLOW_REPLACE=DuplicatePlugin)"
    assert (
        "scorer 'sum' from plugin 'DuplicatePlugin' ignored: plugin "
        f"'pat.scorers' already registered that name{allow}" in registry.problems
    )
    assert (
        "instrument 'pat-odpm' from plugin 'DuplicatePlugin' ignored: plugin "
        f"'pat_odpm' already registered that name{allow}" in registry.problems
    )
    assert registry.provider("scorer", "sum") == "pat.scorers"
    assert registry.provider("scorer", "test-count") == "DuplicatePlugin"
    assert registry.get("instrument", "pat-odpm").title == "Partnership Assessment Tool"
    # The first registration still scores.
    sheet = write_sheet([odpm_row("R1", fill="SA")])
    result = pat_cli("score", "pat-odpm", str(sheet), "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].endswith(",144")
    assert result.stderr.count("already registered that name") == 2


@pytest.mark.parametrize("registered", [BrokenPlugin], indirect=True)
def test_a_broken_plugin_costs_one_line_each_and_nothing_else(
    registered: str, pat_cli: PatCli, write_sheet: Any
) -> None:
    registry = build_registry()
    mine = [p for p in registry.problems if "BrokenPlugin" in p]
    assert len(mine) == 3
    assert (
        "plugin 'BrokenPlugin' failed in register_scorers: RuntimeError: the scorer module "
        "is missing a file" in mine
    )
    assert any(p.startswith("plugin 'BrokenPlugin' registered an invalid renderer") for p in mine)
    assert any("registered 42, which is neither an Instrument nor the path" in p for p in mine)
    assert all("\n" not in p for p in mine)
    # Everything else still works, and each problem is shown once.
    sheet = write_sheet([odpm_row("R1", fill="A")])
    result = pat_cli("score", "pat-odpm", str(sheet), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].endswith(",108")
    warnings = [line for line in result.stderr.splitlines() if "BrokenPlugin" in line]
    assert len(warnings) == 3
    assert all(line.startswith("pat: warning: ") for line in warnings)
    assert pat_cli("instruments").exit_code == 0


def test_instruments_dir_option_and_variable(
    pat_cli: PatCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plugins, "_extra_dirs", [])
    monkeypatch.delenv("PAT_INSTRUMENTS_PATH", raising=False)
    folder = tmp_path / "ours"
    folder.mkdir()
    odpm_path = ROOT / "plugins/pat_odpm/pat-odpm.toml"
    text = odpm_path.read_text(encoding="utf-8")
    (folder / "ours.toml").write_text(
        text.replace('id = "pat-odpm"', 'id = "our-odpm"', 1), encoding="utf-8"
    )
    (folder / "notes.txt").write_text("not an instrument")

    assert "our-odpm" not in pat_cli("instruments").stdout
    result = pat_cli("--instruments-dir", str(folder), "instruments")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if x.startswith("our-odpm "))
    assert line.endswith("(43 items; from pat.instruments)")

    monkeypatch.setattr(plugins, "_extra_dirs", [])
    monkeypatch.setenv("PAT_INSTRUMENTS_PATH", os.pathsep.join([str(tmp_path), str(folder)]))
    sheet = tmp_path / "answers.csv"
    header = ["respondent", *(f"P{p}{e}" for p in range(1, 7) for e in "ABCDEF")]
    sheet.write_text(",".join(header) + "\nR1," + ",".join(["SD"] * 36) + "\n")
    result = pat_cli("score", "our-odpm", str(sheet), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert list(csv.reader(io.StringIO(result.stdout)))[1] == ["R1", *["6"] * 6, "36"]


def test_a_bad_instruments_folder_or_file_is_one_warning(
    pat_cli: PatCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plugins, "_extra_dirs", [])
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bad.toml").write_text('format = 1\nid = "bad"\n')
    monkeypatch.setenv("PAT_INSTRUMENTS_PATH", str(broken))
    result = pat_cli("instruments")
    assert result.exit_code == 0 and "pat-odpm" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if line.startswith("pat: warning")]
    assert len(warnings) == 1
    assert (
        f"plugin 'pat.instruments': skipped {broken / 'bad.toml'}, title: is required"
        in (warnings[0])
    )
    assert f"run `pat validate {broken / 'bad.toml'}` for every problem" in warnings[0]

    good = tmp_path / "good"
    good.mkdir()
    bundled = ROOT / "plugins" / "review_questions" / "instruments" / "rq-strategic.toml"
    text = bundled.read_text(encoding="utf-8").replace('id = "rq-strategic"', 'id = "my-own"', 1)
    (good / "mine.toml").write_text(text, encoding="utf-8")
    absent = str(tmp_path / "absent")
    monkeypatch.setenv("PAT_INSTRUMENTS_PATH", os.pathsep.join([absent, str(good)]))
    result = pat_cli("instruments")
    assert result.exit_code == 0 and "pat-odpm" in result.stdout
    assert "my-own" in result.stdout  # the folder that is there still loads
    assert result.stderr.strip() == (
        "pat: warning: plugin 'pat.instruments' failed in register_instruments: "
        f"NotADirectoryError: no instruments folder {tmp_path / 'absent'} (from "
        "--instruments-dir or PAT_INSTRUMENTS_PATH); the instruments of the other folders "
        "are loaded"
    )


# In a fresh process: what is read when pat starts ---------------------------------------


def run_pat(*args: str, env: dict[str, str] | None = None, python: tuple[str, ...] = ()) -> Any:
    """Run `python -m pat_framework ARGS` in a clean environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PAT_")}
    clean.pop("PYTHONPATH", None)
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, *python, "-m", "pat_framework", *args],
        capture_output=True,
        text=True,
        env=clean,
        timeout=120,
    )


@pytest.fixture(scope="module")
def third_party(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for PYTHONPATH holding an installed distribution with three plugins:
    one that cannot be imported, one that adds a command, one that fails adding its own."""
    site = tmp_path_factory.mktemp("site")
    dist = site / "pat_extras-1.2.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: pat-extras\nVersion: 1.2\n")
    (dist / "entry_points.txt").write_text(
        "[console_scripts]\nnot-ours = x:y\n\n[pat_framework]\n"
        "ghost = pat_extras_ghost_not_installed\n"
        "hello = pat_extras_hello\n"
        "badcmd = pat_extras_badcmd\n"
    )
    (site / "pat_extras_hello.py").write_text(
        textwrap.dedent(
            """
            import click
            from pat_framework import hookimpl

            @hookimpl
            def register_commands(cli):
                @cli.command()
                def hello():
                    \"\"\"Say hello from a plugin.\"\"\"
                    click.echo("hello from a plugin")
            """
        )
    )
    (site / "pat_extras_badcmd.py").write_text(
        textwrap.dedent(
            """
            from pat_framework import hookimpl

            @hookimpl
            def register_commands(cli):
                raise RuntimeError("no commands today")
            """
        )
    )
    return site


GHOST = (
    "pat: warning: plugin 'ghost' failed to load: ModuleNotFoundError: "
    "No module named 'pat_extras_ghost_not_installed'"
)
BADCMD = (
    "pat: warning: plugin 'badcmd' failed in register_commands: RuntimeError: no commands today"
)


@pytest.mark.slow
def test_entry_point_plugins_that_fail_give_one_line_each_on_help(third_party: Path) -> None:
    result = run_pat("--help", env={"PYTHONPATH": str(third_party)})
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [GHOST, BADCMD]
    assert "hello" in result.stdout and "Say hello from a plugin." in result.stdout
    assert "Traceback" not in result.stderr


def test_other_commands_still_work_beside_broken_entry_points(third_party: Path) -> None:
    env = {"PYTHONPATH": str(third_party)}
    hello = run_pat("hello", env=env)
    assert hello.returncode == 0 and hello.stdout == "hello from a plugin\n"
    listing = run_pat("instruments", env=env)
    assert listing.returncode == 0, listing.stderr
    assert "pat-odpm" in listing.stdout
    assert sorted(listing.stderr.splitlines()) == sorted([GHOST, BADCMD])
    shown = run_pat("plugins", env=env)
    assert "hello (pat-extras 1.2)" in shown.stdout
    assert "  hooks: register_commands" in shown.stdout


@pytest.mark.slow
def test_plugins_name_every_distribution_as_pip_does() -> None:
    assert distribution_name("pat_framework") == "pat-framework"
    assert distribution_name("Pat.Extras__x") == "pat-extras-x"
    result = run_pat("plugins")
    assert result.returncode == 0, result.stderr
    labels = {line.split(" (", 1)[1] for line in result.stdout.splitlines() if line[:1].strip()}
    assert labels == {f"pat-framework {__version__})"}  # built-ins and bundled plugins alike


def test_blocking_a_broken_plugin_silences_it(third_party: Path) -> None:
    env = {"PYTHONPATH": str(third_party), "PAT_BLOCK_PLUGINS": "ghost, badcmd"}
    result = run_pat("--help", env=env)
    assert result.returncode == 0 and result.stderr == ""
    assert "hello" in result.stdout


@pytest.mark.slow
def test_block_plugins_applies_to_built_ins() -> None:
    result = run_pat("plugins", env={"PAT_BLOCK_PLUGINS": "pat_odpm"})
    assert result.returncode == 0, result.stderr
    assert "pat_odpm" not in result.stdout and "governance_matrix" in result.stdout
    assert "pat-odpm" not in run_pat("instruments", env={"PAT_BLOCK_PLUGINS": "pat_odpm"}).stdout

    scorers_blocked = {"PAT_BLOCK_PLUGINS": "pat.scorers"}
    result = run_pat(
        "score", "pat-odpm", str(ROOT / "examples/responses/odpm-sample.csv"), env=scorers_blocked
    )
    assert result.returncode == 1
    assert "scorer: unknown scorer 'sum'" in result.stderr


def test_load_plugins_loads_only_those_named() -> None:
    only = "pat.scorers,pat.interpreters,pat_odpm"
    result = run_pat("plugins", env={"PAT_LOAD_PLUGINS": only})
    assert result.returncode == 0, result.stderr
    names = [line.split(" (")[0] for line in result.stdout.splitlines() if line[:1].strip()]
    assert names == only.split(",")
    listing = run_pat("instruments", env={"PAT_LOAD_PLUGINS": only})
    assert [line.split()[0] for line in listing.stdout.splitlines()] == ["pat-odpm"]


@pytest.mark.slow
def test_the_old_module_path_names_still_work_for_one_release() -> None:
    old = "pat_framework.default_scorers,pat_framework.default_interpreters,pat_odpm"
    result = run_pat("plugins", env={"PAT_LOAD_PLUGINS": old})
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if not line.startswith(("  ", "problem"))]
    assert [line.split(" (")[0] for line in lines] == [
        "pat.scorers",
        "pat.interpreters",
        "pat_odpm",
    ]
    assert (
        "pat: warning: PAT_LOAD_PLUGINS: 'pat_framework.default_scorers' is an old name, "
        "accepted until pat 0.3; write 'pat.scorers' instead"
    ) in result.stderr.splitlines()
    blocked = run_pat("plugins", env={"PAT_BLOCK_PLUGINS": "pat_framework.default_charts"})
    assert "pat.charts (" not in blocked.stdout and "pat.commands (" not in blocked.stdout
    assert "write 'pat.charts' and 'pat.commands' instead" in blocked.stderr


def test_an_unknown_plugin_name_is_one_line_naming_those_that_exist() -> None:
    result = run_pat("instruments", env={"PAT_BLOCK_PLUGINS": "pat_odmp"})
    assert result.returncode == 0
    (line,) = result.stderr.splitlines()
    assert line.startswith("pat: warning: PAT_BLOCK_PLUGINS: no plugin named 'pat_odmp' (the ")
    assert "pat.scorers" in line and "pat_odpm" in line
    assert "pat-odpm" in result.stdout  # nothing was blocked


#: What `pat --help` and `pat serve --help` must not import: the data and the web stack.
HEAVY = {"pandas", "numpy", "altair", "starlette", "uvicorn", "jinja2", "sqlalchemy", "alembic"}


@pytest.mark.slow
@pytest.mark.parametrize("command", [["--help"], ["serve", "--help"]])
def test_help_imports_neither_pandas_numpy_altair_nor_the_web_stack(command: list[str]) -> None:
    result = run_pat(*command, python=("-X", "importtime"))
    assert result.returncode == 0
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines()}
    assert "click" in imported and "pluggy" in imported  # the check itself works
    assert imported.isdisjoint(HEAVY)


#: Runs `pat ARGS` in process, then prints the command modules it imported.
IMPORTED_COMMANDS = """
import sys
from pat_framework.cli.main import main
sys.argv = ["pat", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
prefix = "pat_framework.cli.commands."
print(sorted(m.removeprefix(prefix) for m in sys.modules if m.startswith(prefix)))
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "wanted"),
    [(["--help"], []), (["score", "--help"], ["score"]), (["serve", "--help"], ["serve"])],
)
def test_only_the_command_that_runs_is_imported(command: list[str], wanted: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", IMPORTED_COMMANDS, *command],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == repr(wanted)


def test_each_listed_summary_is_the_commands_own() -> None:
    from pat_framework.cli.commands import CORE, WORKSHOP, placeholders

    for placeholder in placeholders(CORE + WORKSHOP):
        real = placeholder.load()
        assert real.name == placeholder.name
        for limit in (30, 45, 60, 200):
            assert placeholder.get_short_help_str(limit) == real.get_short_help_str(limit)


@pytest.mark.slow
def test_the_console_script_starts_without_pandas() -> None:
    script = Path(sys.executable).with_name("pat")
    if not script.is_file():
        pytest.skip("no `pat` console script beside this Python")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAT_")}
    env["PYTHONPROFILEIMPORTTIME"] = "1"
    result = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0
    assert "Usage: pat" in result.stdout
    for heavy in ("pandas", "numpy", "altair"):
        assert f" {heavy}" not in result.stderr


@pytest.mark.slow
def test_a_misspelt_hook_or_a_missing_hookimpl_is_one_line_each(tmp_path: Path) -> None:
    dist = tmp_path / "pat_typo-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: pat-typo\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[pat_framework]\ntypo = pat_typo\n")
    (tmp_path / "pat_typo.py").write_text(
        textwrap.dedent(
            """
            from pat_framework import hookimpl

            @hookimpl
            def register_scorer(register):
                raise AssertionError("never called")

            def register_charts(register):
                raise AssertionError("never called")
            """
        )
    )
    result = run_pat("instruments", env={"PYTHONPATH": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "pat: warning: plugin 'typo': 'register_charts' is not marked @hookimpl, so pat "
        "never calls it",
        "pat: warning: plugin 'typo': 'register_scorer' is not a pat hook; did you mean "
        "'register_scorers'?",
    ]
    assert "pat-odpm" in result.stdout


@pytest.mark.parametrize("columns", ["30", "60", "200", "", "wide"])
def test_help_is_as_wide_as_clicks_own(columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """`pat --help` finds the terminal's width without shutil, with click's rule."""
    import click

    from pat_framework.cli.main import cli

    monkeypatch.setenv("COLUMNS", columns)
    ours = cli.make_context("pat", ["--help"], resilient_parsing=True).get_help()
    theirs = click.Context(cli, info_name="pat").get_help()
    assert ours == theirs
    assert max(len(line) for line in ours.splitlines()) <= 78


@pytest.mark.parametrize("width", [50, 64, 78, 120])
def test_the_list_of_commands_is_clicks_own(width: int) -> None:
    """`pat --help` writes its list of commands itself, as click's Group would."""
    import click

    from pat_framework.cli.main import cli

    group = copy.copy(cli)
    group.commands = dict(cli.commands)  # a copy of its own, since click's loads them all
    context = click.Context(group, info_name="pat", terminal_width=width)
    ours, theirs = click.HelpFormatter(width=width), click.HelpFormatter(width=width)
    group.format_commands(context, ours)
    click.Group.format_commands(group, context, theirs)
    assert ours.getvalue() == theirs.getvalue()
    assert "  analyse " in ours.getvalue()
