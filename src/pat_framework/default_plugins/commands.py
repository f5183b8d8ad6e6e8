"""Default plugin `pat.commands`: the workshop commands (analyse, chart, report, run, form,
collect, take, translate, new, import, export, map, serve). The core commands (instruments,
show, template, validate, score, plugins, schema) belong to `pat` itself and cannot be
blocked. Each is added as a placeholder: its module is imported when it runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pat_framework.hookspecs import hookimpl

if TYPE_CHECKING:
    import click


@hookimpl
def register_commands(cli: click.Group) -> None:
    from pat_framework.cli.commands import WORKSHOP, placeholders

    for command in placeholders(WORKSHOP):
        cli.add_command(command)
