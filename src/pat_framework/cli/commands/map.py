"""`pat map ID EXPORT`: how the columns of another tool's export match the statements, as a
map file to review and then use with `--map`."""

from __future__ import annotations

from pathlib import Path

import click

from pat_framework.cli.context import emit, registry
from pat_framework.cli.options import output_option
from pat_framework.errors import PatError


@click.command(name="map")
@click.argument("instrument_id", metavar="ID")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--from", "tool", metavar="TOOL", help="The tool that wrote EXPORT (default: found out)."
)
@click.option("--sheet", metavar="NAME", help="The sheet of a workbook (default: the first).")
@output_option("The map file to write (default: the screen).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def map_(
    instrument_id: str,
    export: Path,
    tool: str | None,
    sheet: str | None,
    output: Path | None,
    force: bool,
) -> None:
    """Match the columns of a survey tool's export to the statements of an instrument.

    Writes every column with what it was taken as (a statement, a respondent attribute, or
    left out) and how sure the match is; unsure matches are commented out. Review it, then
    read the export with `--map FILE` (pat score, analyse, report, chart, validate, or
    `map = "FILE"` in a workshop file).
    """
    from pat_framework.importers.base import read_sheet
    from pat_framework.importers.convert import describe, detect
    from pat_framework.importers.mapfile import map_text
    from pat_framework.importers.matching import match_columns
    from pat_framework.output import refuse_existing

    reg = registry()
    instrument = reg.instrument(instrument_id)
    importers = {name: reg.get("importer", name) for name in reg.names("importer")}
    if output is not None:
        refuse_existing(output, force)
    if tool is not None:
        importer = reg.get("importer", tool)
    else:
        notes: list[str] = []
        found = detect(export, importers, notes, sheet)
        for note in notes:
            click.echo(f"pat: note: {note}", err=True)
        if found is None:
            tools = ", ".join(importers)
            raise PatError(
                f"{export}: pat cannot tell which tool wrote this file; say which with "
                f"--from ({tools})"
            )
        importer = found
    try:
        table = read_sheet(export, sheet=sheet)
    except ValueError as exc:
        raise PatError(f"{export}: {exc}") from None
    exported = importer.read(table)
    matches = match_columns(instrument, exported)
    for note in describe(instrument, exported, matches, str(export)):
        click.echo(f"pat: note: {note}", err=True)
    unsure = [m for m in matches if m.kind == "unsure"]
    if unsure:
        click.echo(
            f"pat: {len(unsure)} column(s) matched without certainty are commented out in the "
            "map: check each, then uncomment it",
            err=True,
        )
    emit(map_text(instrument, exported, matches, str(export), importer.name), output, (export,))
