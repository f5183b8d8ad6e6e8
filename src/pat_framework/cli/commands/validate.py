"""`pat validate FILE`: check an instrument file, or a response file against an instrument."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from pat_framework.cli.context import registry, source
from pat_framework.cli.options import source_options
from pat_framework.errors import PatError

if TYPE_CHECKING:
    from pat_framework.responses import Responses


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-i", "--instrument", "instrument_id", help="Check FILE as responses to this instrument."
)
@source_options
def validate(file: Path, instrument_id: str | None) -> None:
    """Check an instrument file, or a response file against an instrument."""
    from pat_framework.errors import InstrumentError
    from pat_framework.instrument.loader import load_instrument

    reg = registry()
    if instrument_id is None:
        if file.suffix.lower() != ".toml":
            raise click.UsageError("give --instrument ID to check a response file")
        from pat_framework.instrument.translations import completeness, is_companion

        if is_companion(file):  # odpm.cy.toml: check it as part of odpm.toml
            main = file.with_name(file.stem.rpartition(".")[0] + ".toml")
            instrument = load_instrument(main)
            language = file.stem.rpartition(".")[2]
            if language not in instrument.languages[1:]:
                raise PatError(
                    f"{file}: '{language}' is not one of the other languages of {main} "
                    f"({', '.join(instrument.languages[1:]) or 'it names none'})"
                )
            click.echo(f"ok: {file}: language file of {main}")
            click.echo(completeness(instrument, language))
            return
        instrument = load_instrument(file)
        problems = reg.check(instrument)
        if problems:
            raise InstrumentError(f"{file}: {len(problems)} problem(s)", problems)
        items = len(instrument.items)
        click.echo(
            f"ok: {file}: instrument '{instrument.id}', "
            f"{len(instrument.sections)} sections, {items} items"
            + (f", languages {', '.join(instrument.languages)}" if instrument.languages else "")
        )
        for language in instrument.languages[1:]:
            click.echo(completeness(instrument, language))
        return
    from pat_framework.runtime.pipeline import read

    responses = read(reg, instrument_id, [file], source())
    answered = int(responses.values.notna().to_numpy().sum())
    for note in responses.notes:
        click.echo(f"pat: note: {note}", err=True)
    empty = _unanswered(responses)
    if len(empty) * 2 > len(responses.instrument.items):
        shown = ", ".join(empty[:8]) + (" …" if len(empty) > 8 else "")
        raise PatError(
            f"{file}: not valid: {len(empty)} of {len(responses.instrument.items)} statements "
            f"have no answer in the file (no column, or blank in every row): {shown}"
        )
    click.echo(
        f"ok: {file}: {len(responses)} respondent(s), {answered} scored answers to {instrument_id}"
    )


def _unanswered(responses: Responses) -> list[str]:
    """Items with no answer of any kind (a score, Don't know or Not applicable)."""
    from pat_framework.responses import BLANK

    answered = responses.values.notna().any()
    if responses.states is not None:
        answered |= (responses.states != BLANK).any()
    return [str(item_id) for item_id, yes in answered.items() if not yes]
