"""`pat score ID FILES`: totals, bands, the aggregate and the scenario."""

from __future__ import annotations

from pathlib import Path

import click

from pat_framework.cli.context import emit, pick_format, registry, source
from pat_framework.cli.options import (
    format_option,
    output_option,
    responses_argument,
    round_option,
    source_options,
)


@click.command()
@click.argument("instrument_id", metavar="ID")
@responses_argument
@source_options
@round_option
@format_option("text, csv or json")
@output_option()
def score(
    instrument_id: str,
    responses: tuple[Path, ...],
    which_round: str,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Score response files: totals, bands, aggregate and the group's scenario.

    Of answers from several rounds, the latest round is scored, as `pat analyse` and
    `pat report` do; `--round all` pools every round."""
    from pat_framework.output import refuse_inputs, write_atomic
    from pat_framework.render.scores import WritesPieces
    from pat_framework.runtime.pipeline import interpret, select_round

    renderer = pick_format("scores", fmt, output)
    reg = registry()
    if output is not None:
        refuse_inputs(output, responses)
    result = select_round(reg, interpret(reg, instrument_id, responses, source()), which_round)
    for note in result.scores.responses.notes:
        click.echo(f"pat: note: {note}", err=True)
    if output is not None and isinstance(renderer, WritesPieces):  # written as it is made
        write_atomic(output, renderer.pieces(result))
        click.echo(f"wrote {output}", err=True)
        return
    emit(renderer.render(result), output, responses)
