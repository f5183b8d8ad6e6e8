"""`pat export xlsform ID -o form.xlsx`: an instrument in a format other tools read."""

from __future__ import annotations

from pathlib import Path

import click

from pat_framework.cli.context import emit, registry
from pat_framework.cli.options import output_option


@click.group()
def export() -> None:
    """Write an instrument in a format that another tool reads."""


@export.command()
@click.argument("instrument_id", metavar="ID")
@output_option("The XLSForm to write (.xlsx).", required=True)
@click.option(
    "--organisation",
    "organisations",
    multiple=True,
    metavar="NAME",
    help="An organisation to choose from; repeat for each partner. Without it, partners "
    "type their organisation.",
)
@click.option(
    "--level",
    "levels",
    multiple=True,
    metavar="NAME",
    help="A level to choose from (board, senior manager, front line…); repeat for each. "
    "Without it, partners type their level.",
)
@click.option(
    "--round",
    "round_",
    metavar="LABEL",
    help="Record this round with every answer, unseen by partners (a calculate field).",
)
@click.option("--no-comments", is_flag=True, help="Leave out the comment box of each statement.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def xlsform(
    instrument_id: str,
    output: Path,
    organisations: tuple[str, ...],
    levels: tuple[str, ...],
    round_: str | None,
    no_comments: bool,
    force: bool,
) -> None:
    """Write instrument ID as an XLSForm for KoboToolbox, ODK or Enketo.

    Each section is a group and each statement a select_one named by its item id, whose
    choices are named by the scale's values (DK, NA for answers that do not score). Export
    the collected answers as "XML values and headers", without group names in the
    headers, and pat reads them as they are.
    """
    from pat_framework.authoring.xlsform_export import (
        RespondentFields,
        xlsform_sheets,
        xlsform_workbook,
    )
    from pat_framework.errors import PatError
    from pat_framework.output import refuse_existing

    if output.suffix.lower() != ".xlsx":  # so never over the instrument's own .toml file
        raise PatError(f"cannot write an XLSForm as '{output.suffix or '(no suffix)'}': use .xlsx")
    instrument = registry().get("instrument", instrument_id)
    refuse_existing(output, force)
    fields = RespondentFields(organisations, levels, round_, comments=not no_comments)
    emit(xlsform_workbook(xlsform_sheets(instrument, fields)), output)
    click.echo(
        f"Upload {output} to KoboToolbox or ODK Central. Download the answers with XML "
        "values and headers, without groups in the headers, and score them with: "
        f"pat score {instrument.id} FILE",
        err=True,
    )
