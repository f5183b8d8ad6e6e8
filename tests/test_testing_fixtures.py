"""The pytest fixtures shipped for plugin authors (pat_framework.pytest_plugin): found
through the `pytest11` entry point, and each doing what the guide says."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pat_odpm
import pytest
from conftest import PatCli

from pat_framework import hookimpl, testing
from pat_framework.cli.main import cli
from pat_framework.runtime import plugins


class Greeter:
    """A plugin adding one command."""

    @hookimpl
    def register_commands(self, cli: click.Group) -> None:
        @cli.command()
        @click.argument("who")
        def greet(who: str) -> None:
            """Greet someone."""
            click.echo(f"hello {who}")


def test_pat_cli_runs_a_command_with_its_exit_code_output_and_errors(
    pat_cli: Any, tmp_path: Path
) -> None:
    listed = pat_cli("instruments")
    assert listed.exit_code == 0 and "pat-odpm " in listed.stdout and listed.stderr == ""
    missing = pat_cli("score", "pat-odpm", tmp_path / "absent.csv")
    assert missing.exit_code == 1
    assert "absent.csv: no such file" in missing.stderr and missing.stdout == ""


def test_pat_cli_keeps_instruments_dir_to_one_call(pat_cli: Any, tmp_path: Path) -> None:
    source = Path(pat_odpm.__file__).with_name("pat-odpm.toml")
    text = source.read_text(encoding="utf-8").replace('id = "pat-odpm"', 'id = "our-odpm"', 1)
    (tmp_path / "ours.toml").write_text(text, encoding="utf-8")
    assert "our-odpm " in pat_cli("--instruments-dir", tmp_path, "instruments").stdout
    assert "our-odpm " not in pat_cli("instruments").stdout


def test_pat_plugin_adds_a_plugin_and_its_commands_for_one_test(
    pat_plugin: Any, pat_cli: Any
) -> None:
    plugin = Greeter()
    assert pat_plugin(plugin, name="greeter") == "greeter"
    assert pat_cli("greet", "partners").stdout == "hello partners\n"
    listing = pat_cli("plugins").stdout
    assert "greeter (not from an installed package)\n  hooks: register_commands\n" in listing


def test_registered_removes_the_plugin_and_its_commands_afterwards() -> None:
    plugin = Greeter()
    with testing.registered(plugin) as name:
        assert plugins.pm.get_plugin(name) is plugin and "greet" in cli.commands
    assert not plugins.pm.is_registered(plugin)
    assert "greet" not in cli.commands
    assert testing.invoke("greet", "x").exit_code == 2


def test_registered_leaves_an_installed_plugin_installed() -> None:
    import pat_odpm

    with testing.registered(pat_odpm) as name:
        assert name == "pat_odpm"
    assert plugins.pm.get_plugin("pat_odpm") is pat_odpm
    assert "pat-odpm " in testing.invoke("instruments").stdout


def test_pat_answers_writes_a_file_pat_reads(pat_answers: Any, pat_cli: Any) -> None:
    path = pat_answers(
        "pat-odpm",
        {
            "R1": {"organisation": "Council", "p1a": "SD", "P1B": None},
            "R2": {"organisation": "Health", "level": "board"},
        },
        fill="A",
    )
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[:4] == ["respondent", "organisation", "level", "P1A"]
    assert rows[0]["P1A"] == "SD" and rows[0]["P1B"] == "" and rows[0]["P2A"] == "A"
    assert rows[0]["W1"] == "" and rows[1]["level"] == "board"
    result = pat_cli("score", "pat-odpm", path, "-f", "csv")
    assert result.exit_code == 0, result.output
    # R1: P1 is SD plus four A, one blank: (1 + 4 * 3) / 5 * 6 = 15.6, prorated.
    assert result.stdout.splitlines()[1] == "R1,Council,,15.6,18,18,18,18,18,105.6"


def test_pat_answers_refuses_a_fill_the_scales_do_not_accept(pat_answers: Any) -> None:
    with pytest.raises(ValueError, match=r"fill 'maybe' is not an answer to P1A: one of "):
        pat_answers("pat-odpm", {"R1": {}}, fill="maybe")


@pytest.mark.slow
def test_pytest_finds_the_fixtures_through_the_entry_point(
    tmp_path: Path, pat_cli: PatCli
) -> None:
    """In a project with no conftest, as a plugin author's package is."""
    (tmp_path / "test_mine.py").write_text(
        "def test_it(pat_cli, pat_plugin, pat_answers):\n"
        "    assert pat_cli('--version').stdout.startswith('pat, version ')\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("1 passed")


@pytest.mark.slow
def test_the_helpers_import_neither_pytest_nor_anything_heavy() -> None:
    code = (
        "import sys, pat_framework.testing as t\n"
        "print(sorted({'pytest', 'pandas', 'numpy', 'click.testing'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


class Misspelt:
    """A plugin whose only hook has a typo in its name."""

    @hookimpl
    def register_scorer(self, register: Any) -> None:
        raise AssertionError("never called")


def test_pat_plugin_refuses_a_plugin_with_a_misspelt_hook(pat_plugin: Any) -> None:
    with pytest.raises(ValueError, match=r"'register_scorer' is not a pat hook; did you mean "):
        pat_plugin(Misspelt(), name="misspelt")
    assert plugins.pm.get_plugin("misspelt") is None
