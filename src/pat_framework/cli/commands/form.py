"""`pat form ID -o FILE`: a form for one respondent, in Excel or on paper."""

from __future__ import annotations

from pathlib import Path

import click

from pat_framework.cli.context import emit, registry
from pat_framework.cli.options import in_language, language_option, output_option


@click.command()
@click.argument("instrument_id", metavar="ID")
@output_option(
    "The form to write: .xlsx for an Excel form to fill in on screen, .html for a paper "
    "form to print.",
    required=True,
)
@click.option("--respondent", help="Pre-fill the respondent code.")
@click.option("--organisation", help="Pre-fill the organisation.")
@click.option("--level", help="Pre-fill the level (board, senior manager, front line…).")
@click.option("--round", "round_", metavar="ROUND", help="Pre-fill the assessment round.")
@language_option
def form(
    instrument_id: str,
    output: Path,
    respondent: str | None,
    organisation: str | None,
    level: str | None,
    round_: str | None,
    language: str | None,
) -> None:
    """Make a form for one respondent: an Excel form or a printable paper form.

    The Excel form has a drop-down of answers beside each statement, a comment column and
    the guidance; only the yellow cells can be changed. Collect returned forms with
    `pat collect`. The paper form looks like the ODPM tool's profile sheets: tick boxes
    for each answer and a comments column.
    """
    from pat_framework.catalogue import speaking
    from pat_framework.forms import make_form

    instrument = in_language(registry().get("instrument", instrument_id), language)
    given = {
        "respondent": respondent,
        "organisation": organisation,
        "level": level,
        "round": round_,
    }
    details = {name: value.strip() for name, value in given.items() if value and value.strip()}
    with speaking(instrument.language):
        emit(make_form(instrument, output.suffix.lower(), details), output)
