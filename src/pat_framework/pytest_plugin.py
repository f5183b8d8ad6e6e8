"""pytest fixtures for plugin authors: `pat_cli`, `pat_plugin` and `pat_answers`.

pytest loads this module by itself wherever pat-framework is installed (the `pytest11`
entry point `pat`); nothing needs importing in a conftest. See docs/plugin-authors-guide.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pat_framework import testing

if TYPE_CHECKING:
    from pat_framework.model import Instrument


@pytest.fixture
def pat_cli() -> Callable[..., Any]:
    """Run `pat ARGS` in-process: `pat_cli("score", "pat-odpm", path, "-f", "csv")`.

    Returns click's Result (`exit_code`, `stdout`, `stderr`, `output`); each call builds a
    fresh registry. See `pat_framework.testing.invoke`.
    """
    return testing.invoke


@pytest.fixture
def pat_plugin() -> Iterator[Callable[..., str]]:
    """Register a plugin for this test: `pat_plugin(my_plugin)` returns its name.

    The plugin, and any command it adds, is removed when the test ends. An installed plugin
    (already loaded from its entry point) is left as it is.
    """
    with ExitStack() as stack:

        def register(plugin: object, name: str | None = None) -> str:
            return stack.enter_context(testing.registered(plugin, name))

        yield register


@pytest.fixture
def pat_answers(tmp_path: Path) -> Callable[..., Path]:
    """Write a response file in the test's temporary folder and return its path:
    `pat_answers("pat-odpm", {"R1": {"P1A": "SD"}, "R2": {}}, fill="A")`.

    See `pat_framework.testing.write_answers` for the arguments.
    """

    def write(
        instrument: str | Instrument,
        answers: Mapping[str, Mapping[str, Any]],
        *,
        fill: str | float | None = None,
        name: str = "answers.csv",
    ) -> Path:
        return testing.write_answers(tmp_path / name, instrument, answers, fill)

    return write
