"""`pat score ID FILES`: totals, bands, the aggregate and the scenario."""

from __future__ import annotations

from pathlib import Path

import click

from pat_framework.cli.context import emit, pick_format, registry, source
from pat_framework.cli.options import (
    format_option,
    output_option,
    responses_argument,
    source_options,
)


@click.command()
@click.argument("instrument_id", metavar="ID")
@responses_argument
@source_options
@format_option("text, csv or json")
@output_option()
def score(
    instrument_id: str, responses: tuple[Path, ...], fmt: str | None, output: Path | None
) -> None:
    """Score response files: totals, bands, aggregate and the group's scenario."""
    from pat_framework.runtime.pipeline import interpret

    renderer = pick_format("scores", fmt, output)
    result = interpret(registry(), instrument_id, responses, source())
    for note in result.scores.responses.notes:
        click.echo(f"pat: note: {note}", err=True)
    emit(renderer.render(result), output, responses)
