"""Default plugin: report renderers (HTML, Markdown, JSON, XLSX, CSV) and `pat report`."""

from __future__ import annotations

from pathlib import Path

import click

from pat_framework.cli_options import (
    by_option,
    min_group_option,
    output_option,
    responses_argument,
    round_option,
)
from pat_framework.hookspecs import RegisterRenderer, hookimpl


@click.command()
@click.argument("instrument_id", metavar="ID")
@responses_argument
@by_option("Compare groups by this respondent attribute, e.g. organisation or level (repeatable).")
@min_group_option
@round_option
@click.option(
    "-f",
    "--format",
    "fmt",
    help="html, markdown, json, xlsx or csv (default: what the output file's suffix says).",
)
@output_option(
    "The report to write: .html, .md, .json, .xlsx or .csv (the action plan).",
    required=True,
)
def report(
    instrument_id: str,
    responses: tuple[Path, ...],
    by: tuple[str, ...],
    min_group: int,
    which_round: str,
    fmt: str | None,
    output: Path,
) -> None:
    """Write a report for the feedback workshop: scenario, findings, charts and tables.

    HTML is one self-contained page that opens offline and prints on A4; Markdown comes
    with its charts as PNG files in a folder beside it; JSON holds the analysis with each
    chart's vega-lite spec; the Excel workbook has an action plan sheet to fill in.
    """
    from pat_framework import cli
    from pat_framework.output import refuse_inputs, write_atomic
    from pat_framework.pipeline import analysed
    from pat_framework.reports import build_report

    renderer = cli.pick_format("report", fmt, output, default="html")
    if fmt is None and output.suffix.lower() not in renderer.suffixes:
        raise click.BadParameter(
            f"cannot tell the format from '{output.name}': use .html, .md, .json, .xlsx or "
            ".csv, or give --format",
            param_hint="--output",
        )
    analysis = analysed(cli.registry(), instrument_id, responses, by, min_group, which_round)
    cli.echo_notes(analysis)
    built = build_report(cli.registry(), analysis, assets=f"{output.stem}-charts")
    assets = getattr(renderer, "assets", None)
    if assets is not None:
        files = assets(built)
        if files:
            folder = output.parent / built.assets
            folder.mkdir(exist_ok=True)
            for name, data in files.items():
                target = output.parent / name
                refuse_inputs(target, responses)
                write_atomic(target, data)
            click.echo(f"wrote {len(files)} chart(s) to {folder}", err=True)
    cli.emit(renderer.render(built), output, responses)


@hookimpl
def register_renderers(register: RegisterRenderer) -> None:
    from pat_framework.reports.data import ReportCSV, ReportJSON
    from pat_framework.reports.html import ReportHTML
    from pat_framework.reports.markdown import ReportMarkdown
    from pat_framework.reports.workbook import ReportXLSX

    for renderer in (ReportHTML(), ReportMarkdown(), ReportJSON(), ReportXLSX(), ReportCSV()):
        register(renderer)


@hookimpl
def register_commands(cli: click.Group) -> None:
    cli.add_command(report)
