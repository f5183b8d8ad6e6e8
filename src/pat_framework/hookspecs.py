"""The hooks a plugin can implement.

Each ``register_*`` hook receives a ``register`` callback. Call it once for each thing the
plugin provides; the host checks it, rejects a name that another plugin already uses, and
records which plugin provided it. Implement a hook with ``@pat_framework.hookimpl``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pluggy

if TYPE_CHECKING:
    import click

    from pat_framework.interfaces import Chart, Importer, Interpreter, Renderer, Scorer
    from pat_framework.model import Instrument

PROJECT = "pat_framework"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


class RegisterInstrument(Protocol):
    def __call__(self, instrument: Instrument | Path | str) -> None:
        """Register an Instrument, or the path of an instrument TOML file."""


class RegisterScorer(Protocol):
    def __call__(self, scorer: Scorer) -> None:
        """Register a scorer, found by its `name`."""


class RegisterInterpreter(Protocol):
    def __call__(self, interpreter: Interpreter) -> None:
        """Register an interpreter, found by its `name`."""


class RegisterRenderer(Protocol):
    def __call__(self, renderer: Renderer) -> None:
        """Register a renderer, found by its `subject` and `name` (the format)."""


class RegisterChart(Protocol):
    def __call__(self, chart: Chart) -> None:
        """Register a chart builder, found by its `name`."""


class RegisterImporter(Protocol):
    def __call__(self, importer: Importer) -> None:
        """Register a reader of another survey tool's exports, found by its `name`."""


@hookspec
def register_instruments(register: RegisterInstrument) -> None:
    """Register instruments, usually TOML files shipped inside the plugin package."""


@hookspec
def register_scorers(register: RegisterScorer) -> None:
    """Register scoring methods that instruments name with `scorer = "..."`."""


@hookspec
def register_interpreters(register: RegisterInterpreter) -> None:
    """Register interpretation methods that instruments name with `interpreter = "..."`."""


@hookspec
def register_renderers(register: RegisterRenderer) -> None:
    """Register output formats for scores, analyses or reports."""


@hookspec
def register_charts(register: RegisterChart) -> None:
    """Register altair chart builders."""


@hookspec
def register_importers(register: RegisterImporter) -> None:
    """Register readers of the response exports of other survey tools (`--from NAME`)."""


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add click commands or groups to the `pat` command line."""
