"""Default plugin: `pat new`, commented skeletons for a new instrument or a new plugin."""

from __future__ import annotations

import click

from pat_framework.hookspecs import hookimpl


@click.group()
def new() -> None:
    """Start a new instrument (a TOML file) or a new plugin (a Python package)."""


@hookimpl
def register_commands(cli: click.Group) -> None:
    cli.add_command(new)
