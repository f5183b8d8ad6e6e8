"""`pat new plugin NAME`: the package it writes installs, is listed by `pat plugins`, keeps
`pat --help` fast, and its own test passes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from plugin_support import clean_env, copy_package, pip_install, run

#: Every test here installs a package with pip or runs pat in fresh processes.
pytestmark = pytest.mark.slow

NAME = "pat-team-extras"
FILES = [
    "README.md",
    "pyproject.toml",
    "src/pat_team_extras/__init__.py",
    "src/pat_team_extras/renderer.py",
    "tests/test_pat_team_extras.py",
]


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the package folder `pat new plugin` wrote, the site folder pip installed it into)."""
    from pat_framework.testing import invoke

    work = tmp_path_factory.mktemp("new-plugin")
    folder = work / NAME
    result = invoke("new", "plugin", NAME, "-o", folder)
    assert result.exit_code == 0, result.output
    assert f"Next: pip install -e '{folder}[test]'" in result.stderr
    site = work / "site"
    pip_install(copy_package(folder, work / "build"), site)
    return folder, site


def test_the_package_has_its_files_and_entry_point(generated: tuple[Path, Path]) -> None:
    folder, _ = generated
    assert files_in(folder) == FILES
    project = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == NAME
    assert project["project"]["entry-points"]["pat_framework"] == {
        "pat_team_extras": "pat_team_extras"
    }
    hooks = (folder / "src/pat_team_extras/__init__.py").read_text(encoding="utf-8")
    assert "@hookimpl\ndef register_renderers(register" in hooks
    assert "docs/plugin-hooks.md" in hooks


def test_pat_plugins_lists_the_installed_package(generated: tuple[Path, Path]) -> None:
    result = run(generated[1], "plugins")
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    at = lines.index("pat_team_extras (pat-team-extras 0.1.0)")
    assert lines[at + 1 : at + 3] == [
        "  hooks: register_renderers",
        "  provides: renderer scores/team-extras",
    ]


def test_its_format_scores_the_sample(generated: tuple[Path, Path], tmp_path: Path) -> None:
    sample = Path(__file__).parents[1] / "examples" / "responses" / "odpm-sample.csv"
    out = tmp_path / "medians.tsv"
    result = run(generated[1], "score", "pat-odpm", sample, "-o", out)
    assert result.returncode == 0, result.stderr
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == ["section", "title", "median", "band"]
    assert rows[1] == ["P1", "Recognise and accept the need for partnership", "20", "19–24"]
    assert [row[0] for row in rows[1:]] == ["P1", "P2", "P3", "P4", "P5", "P6"]


def test_pat_help_with_it_installed_imports_nothing_heavy(generated: tuple[Path, Path]) -> None:
    code = (
        "import sys\n"
        "from pat_framework.cli.main import cli\n"
        "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted({'pat_team_extras', 'pandas', 'numpy', 'altair'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=clean_env(generated[1]),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "['pat_team_extras']"


def test_its_own_test_passes_against_the_installed_package(
    generated: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, site = generated
    tests = shutil.copytree(folder, tmp_path / "package", ignore=shutil.ignore_patterns("src"))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        env=clean_env(site),
        cwd=tests,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("2 passed")


def test_an_existing_folder_is_never_written_into(pat_cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    result = pat_cli("new", "plugin", NAME, "-o", folder)
    assert result.exit_code == 1
    assert f"refusing to write into {folder}: it exists and is not empty" in result.stderr
    assert files_in(folder) == ["notes.txt"]
    assert sorted(os.listdir(tmp_path)) == ["mine"]  # no half-written folder left behind


def test_an_empty_folder_is_filled(pat_cli: Any, tmp_path: Path, monkeypatch: Any) -> None:
    (tmp_path / "pat-empty").mkdir()
    monkeypatch.chdir(tmp_path)
    result = pat_cli("new", "plugin", "Pat_Empty")
    assert result.exit_code == 0, result.output
    assert "Next: pip install -e './pat-empty[test]'" in result.stderr
    assert "src/pat_empty/renderer.py" in files_in(tmp_path / "pat-empty")
    assert sorted(os.listdir(tmp_path)) == ["pat-empty"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("9lives", "'9lives' cannot name a plugin package: use letters, digits and '-'"),
        ("my plugin", "'my plugin' cannot name a plugin package"),
        ("class", "'class' is a Python keyword: choose another name"),
        ("json", "a Python module named 'json' is installed already: choose another NAME"),
        ("pat-framework", "a Python module named 'pat_framework' is installed already"),
    ],
)
def test_names_that_cannot_work_are_refused(
    pat_cli: Any, tmp_path: Path, name: str, message: str
) -> None:

    result = pat_cli("new", "plugin", name, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert message in result.stderr
    assert not (tmp_path / "out").exists()
