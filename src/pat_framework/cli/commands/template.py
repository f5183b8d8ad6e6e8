"""`pat template ID -o FILE`: a blank sheet for typing in paper answers."""

from __future__ import annotations

from pathlib import Path

import click

from pat_framework.cli.context import emit, registry
from pat_framework.cli.options import output_option


@click.command()
@click.argument("instrument_id", metavar="ID")
@output_option(
    "The sheet to write: .csv or .xlsx.",
    required=True,
)
def template(instrument_id: str, output: Path) -> None:
    """Write a blank wide sheet (one row per respondent) for typing in paper answers."""
    from pat_framework.forms.templates import blank_sheet

    instrument = registry().get("instrument", instrument_id)
    emit(blank_sheet(instrument, output.suffix.lower()), output)
