"""`pat template ID -o FILE`: a blank sheet for typing in paper answers."""

from __future__ import annotations

from pathlib import Path

import click

from pat_framework.cli.context import emit, registry
from pat_framework.cli.options import in_language, language_option, output_option


@click.command()
@click.argument("instrument_id", metavar="ID")
@output_option(
    "The sheet to write: .csv or .xlsx.",
    required=True,
)
@language_option
def template(instrument_id: str, output: Path, language: str | None) -> None:
    """Write a blank wide sheet (one row per respondent) for typing in paper answers.

    For an instrument in several languages the sheet has a language column, and answers
    are accepted in any of its languages whichever the sheet's drop-downs show."""
    from pat_framework.catalogue import speaking
    from pat_framework.forms.templates import blank_sheet

    instrument = in_language(registry().get("instrument", instrument_id), language)
    with speaking(instrument.language):
        emit(blank_sheet(instrument, output.suffix.lower()), output)
