"""Default plugin `pat.commands`: the workshop commands (analyse, chart, report, run, form,
collect, take, translate, new, import, export, map, serve). The core commands (instruments,
show, template, validate, score, plugins, schema) belong to `pat` itself and cannot be
blocked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pat_framework.hookspecs import hookimpl

if TYPE_CHECKING:
    import click


@hookimpl
def register_commands(cli: click.Group) -> None:
    from pat_framework.cli.commands.analyse import analyse
    from pat_framework.cli.commands.chart import chart
    from pat_framework.cli.commands.collect import collect
    from pat_framework.cli.commands.export import export
    from pat_framework.cli.commands.form import form
    from pat_framework.cli.commands.importing import import_
    from pat_framework.cli.commands.map import map_
    from pat_framework.cli.commands.new import new
    from pat_framework.cli.commands.report import report
    from pat_framework.cli.commands.run import run
    from pat_framework.cli.commands.serve import serve
    from pat_framework.cli.commands.take import take
    from pat_framework.cli.commands.translate import translate

    for command in (
        analyse,
        chart,
        report,
        run,
        form,
        collect,
        take,
        translate,
        new,
        import_,
        export,
        map_,
        serve,
    ):
        cli.add_command(command)
