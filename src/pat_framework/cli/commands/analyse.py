"""`pat analyse ID FILES`: the group analysis for a feedback workshop."""

from __future__ import annotations

from pathlib import Path

import click

from pat_framework.cli.context import echo_notes, emit, pick_format, registry, source
from pat_framework.cli.options import (
    by_option,
    format_option,
    language_option,
    min_group_option,
    output_option,
    responses_argument,
    round_option,
    source_options,
    use_language,
)


@click.command()
@click.argument("instrument_id", metavar="ID")
@responses_argument
@source_options
@by_option(
    "Compare groups by this respondent attribute: organisation, level, round or any "
    "other column of the response file (repeatable)."
)
@min_group_option
@round_option
@click.option(
    "--show-individuals",
    is_flag=True,
    help="Also show each respondent's scores. Off by default to protect respondents.",
)
@format_option("text, json or csv")
@output_option()
@language_option
def analyse(
    instrument_id: str,
    responses: tuple[Path, ...],
    by: tuple[str, ...],
    min_group: int,
    which_round: str,
    show_individuals: bool,
    fmt: str | None,
    output: Path | None,
    language: str | None,
) -> None:
    """Analyse answers across respondents for a feedback workshop.

    Prints a briefing: the group's scenario and why, what to celebrate, concerns, where
    partners disagree, how groups compare, change between rounds, priorities and an
    action-plan skeleton. The CSV holds one row per statement.

    With --language, the instrument's texts are in that language, and so are the
    briefing's own words where pat's message catalogue for it has them.
    """
    from pat_framework.catalogue import speaking
    from pat_framework.runtime.pipeline import analysed

    renderer = pick_format("analysis", fmt, output)
    use_language(registry(), instrument_id, language)
    with speaking(language):
        analysis = analysed(
            registry(),
            instrument_id,
            responses,
            by,
            min_group,
            which_round,
            show_individuals,
            source(),
        )
        echo_notes(analysis)
        emit(renderer.render(analysis), output, responses)
