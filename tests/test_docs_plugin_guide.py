"""docs/plugin-authors-guide.md tells the truth: its complete plugin and test run, its
excerpts are word for word from the example package, and its listings match pat's."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from plugin_support import clean_env

from pat_framework.authoring.plugin_skeleton import plugin_files, plugin_names

GUIDE = (ROOT / "docs" / "plugin-authors-guide.md").read_text(encoding="utf-8")
EXAMPLE = ROOT / "examples" / "pat-example-plugin"
BLOCK = re.compile(r"^```(?:python|toml)\n# (.+?)\n(.*?)^```", re.M | re.S)


def blocks() -> list[tuple[str, str]]:
    """(first-line comment, the code after it) of every Python and TOML block."""
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(GUIDE)]


EXCERPTS = [(label, code) for label, code in blocks() if label.startswith("from ")]
FILES = {label: code for label, code in blocks() if re.fullmatch(r"\w+\.py", label)}


def test_the_guide_has_excerpts_and_a_complete_plugin() -> None:
    assert len(EXCERPTS) >= 6
    assert set(FILES) == {"pat_ndjson.py", "test_pat_ndjson.py"}


@pytest.mark.parametrize(("label", "code"), EXCERPTS, ids=[label for label, _ in EXCERPTS])
def test_each_excerpt_is_word_for_word_from_the_example(label: str, code: str) -> None:
    path = EXAMPLE / label.removeprefix("from pat-example-plugin/")
    assert path.is_file(), f"{label}: no such file in the example"
    assert code in path.read_text(encoding="utf-8"), f"{label}: the excerpt has changed"


@pytest.mark.slow
def test_the_one_file_plugin_passes_its_test(tmp_path: Path) -> None:
    for name, code in FILES.items():
        (tmp_path / name).write_text(code, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=clean_env(tmp_path),
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("1 passed")


def test_the_plugins_listing_is_what_pat_shows(
    pat_plugin: Any, pat_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(EXAMPLE / "src"))
    import pat_example_plugin

    pat_plugin(pat_example_plugin)
    shown = GUIDE.split("implements and what it registered:\n\n```\n", 1)[1].split("```")[0]
    name_line = shown.splitlines()[0]
    listing = pat_cli("plugins").stdout
    block = listing.split("\npat_example_plugin (not from an installed package)\n", 1)[1]
    # Registered in-process it has no distribution (test_external_plugin checks the
    # installed one's); what it implements and provides is the same.
    assert block.splitlines()[:2] == shown.splitlines()[1:3]
    assert name_line == "pat_example_plugin (pat-example-plugin 0.1.0)"


def test_the_new_plugin_tree_is_the_one_pat_writes() -> None:
    tree = GUIDE.split("```\npat-team-extras/\n", 1)[1].split("```")[0]
    shown = {line.split()[0] for line in tree.splitlines()}
    assert shown == set(plugin_files(plugin_names("pat-team-extras")))
