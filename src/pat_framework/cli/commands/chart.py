"""`pat chart ID FILES -k KIND -o FILE`: one chart of the answers, saved to a file."""

from __future__ import annotations

from pathlib import Path

import click

from pat_framework.cli.context import echo_notes, emit, registry, source
from pat_framework.cli.options import (
    by_option,
    min_group_option,
    output_option,
    responses_argument,
    round_option,
    source_options,
)


@click.command()
@click.argument("instrument_id", metavar="ID")
@responses_argument
@source_options
@click.option(
    "-k",
    "--kind",
    required=True,
    help="The chart: dartboard, spread, totals, subgroups, trend, priorities, or one a "
    "plugin adds (`pat plugins` lists them).",
)
@by_option("Compare groups by this respondent attribute (for the subgroups chart; repeatable).")
@min_group_option
@round_option
@click.option(
    "--respondent",
    metavar="ID",
    help="Draw the chart for this one respondent (the dartboard can). Off by default to "
    "protect respondents.",
)
@output_option(
    "The file to write: .png, .svg, .json (vega-lite) or .html (opens offline).",
    required=True,
)
def chart(
    instrument_id: str,
    responses: tuple[Path, ...],
    kind: str,
    by: tuple[str, ...],
    min_group: int,
    which_round: str,
    respondent: str | None,
    output: Path,
) -> None:
    """Draw one chart of the answers and save it; the file's suffix picks the format."""
    from pat_framework.charts.export import FORMATS, export
    from pat_framework.interfaces import DrawsOneRespondent
    from pat_framework.runtime.pipeline import analysed

    if output.suffix.lower() not in FORMATS:
        raise click.BadParameter(
            f"'{output.suffix or output.name}' is not a chart format: use {', '.join(FORMATS)}",
            param_hint="--output",
        )
    reg = registry()
    if kind not in reg.entries["chart"]:
        known = ", ".join(reg.names("chart"))
        raise click.BadParameter(f"no chart '{kind}' (installed: {known})", param_hint="--kind")
    builder = reg.get("chart", kind)
    if respondent is not None:
        if not isinstance(builder, DrawsOneRespondent):
            raise click.BadParameter(
                f"the {kind} chart cannot be drawn for one respondent", param_hint="--respondent"
            )
        builder = builder.for_respondent(respondent)
    if not builder.applies(reg.instrument(instrument_id)):
        raise click.BadParameter(
            f"the {kind} chart does not apply to {instrument_id}", param_hint="--kind"
        )
    analysis = analysed(
        reg,
        instrument_id,
        responses,
        by,
        min_group,
        which_round,
        respondent is not None,
        source(),
    )
    echo_notes(analysis)
    emit(export(builder.build(analysis), output.suffix), output, responses)
