"""The package `pat new plugin NAME` writes: installable, with one working hook and a test."""

from __future__ import annotations

import keyword
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pat_framework.errors import PatError
from pat_framework.runtime.entry_points import distribution_name

NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*$")


@dataclass(frozen=True)
class PluginNames:
    """What a plugin is called where: on PyPI, in Python, and as an output format."""

    distribution: str  # pat-team-extras: pip install, pat plugins
    module: str  # pat_team_extras: import, the entry point's name
    format: str  # team-extras: pat score ... --format team-extras


def plugin_names(name: str) -> PluginNames:
    """The names for NAME; PatError when NAME cannot name a Python package."""
    if not NAME_PATTERN.match(name):
        raise PatError(
            f"'{name}' cannot name a plugin package: use letters, digits and '-', starting "
            "with a letter (for example 'pat-team-extras')"
        )
    distribution = distribution_name(name)
    module = distribution.replace("-", "_")
    if keyword.iskeyword(module):
        raise PatError(f"'{name}' is a Python keyword: choose another name")
    short = distribution.removeprefix("pat-") or distribution
    return PluginNames(distribution, module, short)


PYPROJECT = """\
[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "{distribution}"
version = "0.1.0"
description = "A plugin for pat: the {format} format for pat score"
readme = "README.md"
requires-python = ">=3.11"
# license = "MIT"   (choose a licence before you publish)
dependencies = ["pat-framework>=0.1"]

[project.optional-dependencies]
test = ["pytest>=8"]

# This makes the package a pat plugin: pat imports the module named here when it starts.
# The name on the left is the plugin's name in `pat plugins`, PAT_LOAD_PLUGINS and
# PAT_BLOCK_PLUGINS.
[project.entry-points.pat_framework]
{module} = "{module}"

[tool.setuptools.packages.find]
where = ["src"]

[tool.pytest.ini_options]
testpaths = ["tests"]
"""

INIT = '''\
"""{distribution}: a plugin for pat.

pat imports this module every time it starts (the `pat_framework` entry point in
pyproject.toml), even for `pat --help`. Keep it light: import pandas, numpy, altair and
your own heavier modules inside the hook functions, never at the top of this file.

Each hook is described, with a working example, in pat's docs/plugin-hooks.md:
register_instruments, register_scorers, register_interpreters, register_renderers,
register_charts and register_commands. docs/plugin-authors-guide.md walks through writing,
testing and publishing a plugin.
"""

from pat_framework import hookimpl
from pat_framework.hookspecs import RegisterRenderer


@hookimpl
def register_renderers(register: RegisterRenderer) -> None:
    """Add the `{format}` format to `pat score`."""
    from {module}.renderer import GroupMedians

    register(GroupMedians())
'''

RENDERER = '''\
"""The `{format}` format for `pat score`: group medians per section, tab-separated.

`pat score pat-odpm answers.csv --format {format}`, or `-o medians.tsv`. Change it into
the output you need; docs/plugin-hooks.md (register_renderers) lists what a renderer has.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pat_framework.results import Interpretation


class GroupMedians:
    """A renderer: pat finds it by `subject` ("scores" is what `pat score` writes;
    "analysis" and "report" are the others) and `name` (`--format NAME`), or by the
    suffix of the output file."""

    name = "{format}"
    subject = "scores"
    suffixes = (".tsv",)
    binary = False
    description = "The group's median and band per section, tab-separated"

    def render(self, result: Interpretation) -> str:
        """The whole output. `result` holds the scores, their bands and the group summary."""
        from pat_framework.output import inert

        group = result.group
        rows = [["section", "title", "median", "band"]]
        for section in result.instrument.scored_sections:
            band = group.section_bands[section.id]
            rows.append(
                [
                    section.id,
                    section.title,
                    _number(group.section_medians[section.id]),
                    band.label if band else "",
                ]
            )
        # Cells opened in a spreadsheet must never run as formulas: inert() sees to that.
        return "".join("\\t".join(_cell(inert(c)) for c in row) + "\\n" for row in rows)


def _cell(text: str) -> str:
    """One line of text, so that a tab or line break cannot shift the columns."""
    return " ".join(text.split())


def _number(value: float | None) -> str:
    if value is None or math.isnan(value):
        return ""
    return f"{{value:g}}"
'''

TEST = '''\
"""Tests for {distribution}, with the fixtures pat ships for pytest: `pat_cli` runs pat,
`pat_plugin` registers a plugin for one test, `pat_answers` writes a response file."""

import csv
import io

import pytest

import {module}


@pytest.fixture(autouse=True)
def plugin(pat_plugin):
    """The plugin for every test, installed or not; its name as `pat plugins` shows it."""
    return pat_plugin({module})


def test_pat_plugins_lists_it_without_problems(pat_cli, plugin):
    result = pat_cli("plugins")
    assert result.exit_code == 0
    assert f"{{plugin}} (" in result.stdout
    assert "renderer scores/{format}" in result.stdout
    assert f"problem: plugin '{{plugin}}'" not in result.stdout


def test_group_medians_of_the_odpm_tool(pat_cli, pat_answers):
    # Two partners agree with every statement (18 per principle); a third strongly
    # disagrees with the six statements of principle 1 (6). The median stays 18.
    path = pat_answers(
        "pat-odpm",
        {{"R1": {{}}, "R2": {{}}, "R3": {{f"P1{{e}}": "SD" for e in "ABCDEF"}}}},
        fill="A",
    )
    result = pat_cli("score", "pat-odpm", path, "--format", "{format}")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter="\\t"))
    assert rows[0] == ["section", "title", "median", "band"]
    title = "Recognise and accept the need for partnership"
    assert rows[1] == ["P1", title, "18", "13–18"]
    assert len(rows) == 7
'''

README = """\
# {distribution}

A plugin for pat (the `pat-framework` package): the `{format}` format for `pat score`,
the group's median and band per section as tab-separated values.

Made with `pat new plugin`. The plugin author's guide (docs/plugin-authors-guide.md in
pat) explains each file, and docs/plugin-hooks.md every hook.

## Files

- `pyproject.toml`: the package; its `[project.entry-points.pat_framework]` table is what
  makes pat load it.
- `src/{module}/__init__.py`: the hook implementations. pat imports this module on every
  start, so it imports nothing heavy.
- `src/{module}/renderer.py`: the renderer the hook registers.
- `tests/test_{module}.py`: tests using the fixtures pat ships for pytest.

## Develop

```
pip install -e '.[test]'
pat plugins            # lists {module} ({distribution} 0.1.0)
pytest
pat score pat-odpm answers.csv --format {format}
```

## Publish

Choose a licence (`license` in pyproject.toml), raise the version, then

```
python -m build
python -m twine upload dist/*
```

Users then `pip install {distribution}` beside pat.
"""


def plugin_files(names: PluginNames) -> dict[str, str]:
    """The package's files by path relative to its folder."""
    fields = {
        "distribution": names.distribution,
        "module": names.module,
        "format": names.format,
    }
    return {
        "pyproject.toml": PYPROJECT.format(**fields),
        "README.md": README.format(**fields),
        f"src/{names.module}/__init__.py": INIT.format(**fields),
        f"src/{names.module}/renderer.py": RENDERER.format(**fields),
        f"tests/test_{names.module}.py": TEST.format(**fields),
    }


def write_package(folder: Path, files: dict[str, str]) -> None:
    """Write the files into a new folder, whole or not at all; never into a folder in use."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise PatError(f"refusing to write into {folder}: it exists and is not empty")
    parent = folder.parent
    if not parent.is_dir():
        raise PatError(f"cannot write {folder}: folder {parent} does not exist")
    temp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    try:
        for relative, text in files.items():
            path = temp / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        os.chmod(temp, 0o777 & ~_umask())
        if folder.exists():
            folder.rmdir()  # empty, checked above
        temp.rename(folder)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
