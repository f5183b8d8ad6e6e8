"""Arguments and options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pat_framework.disclosure.rules import DEFAULT_COMMENTS, DEFAULT_FIGURES, FLOOR

if TYPE_CHECKING:
    from pat_framework.model import Instrument
    from pat_framework.runtime.registry import Registry

responses_argument = click.argument(
    "responses", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
)


def by_option(help_text: str) -> Callable[[Any], Any]:
    """`--by COLUMN`, repeatable: compare groups by a respondent attribute."""
    return click.option("--by", "by", multiple=True, metavar="COLUMN", help=help_text)


min_group_option = click.option(
    "--min-group",
    type=click.IntRange(min=FLOOR),
    default=DEFAULT_FIGURES,
    show_default=True,
    help="Show no figure for fewer respondents than this (nor a difference that would "
    f"reveal one). Lowering it is recorded in the output; never below {FLOOR}.",
)

min_comments_option = click.option(
    "--min-comments",
    type=click.IntRange(min=FLOOR),
    default=DEFAULT_COMMENTS,
    show_default=True,
    help="Show verbatim comments only from this many respondents up.",
)


round_option = click.option(
    "--round",
    "which_round",
    default="latest",
    show_default=True,
    metavar="ROUND",
    help="Which round to report when the answers hold several: latest, all (pooled) or a "
    "round's label. The change between rounds always uses every round.",
)


def format_option(formats: str) -> Callable[[Any], Any]:
    """`-f/--format NAME`; without it, the output file's suffix decides."""
    return click.option(
        "-f",
        "--format",
        "fmt",
        help=f"{formats} (default: text, or what the output file's suffix says).",
    )


def output_option(
    help_text: str = "Write to this file instead of the screen.", required: bool = False
) -> Callable[[Any], Any]:
    """`-o/--output FILE`."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        required=required,
        help=help_text,
    )


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    ctx.meta[f"pat.{param.name}"] = value
    return value


def source_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--from TOOL`, `--map FILE` and `--sheet NAME`: how to read exports of other survey
    tools, and which sheet of a workbook.

    The command reads them with `cli.context.source()`."""
    command = click.option(
        "--sheet",
        "sheet",
        metavar="NAME",
        expose_value=False,
        callback=_remember,
        help="Read this sheet of each workbook (default: the first).",
    )(command)
    command = click.option(
        "--map",
        "map_file",
        type=click.Path(dir_okay=False, path_type=Path),
        expose_value=False,
        callback=_remember,
        help="Read the columns of an export as this map file says (write one with `pat map`).",
    )(command)
    return click.option(
        "--from",
        "tool",
        metavar="TOOL",
        expose_value=False,
        callback=_remember,
        help="The survey tool that wrote the files: msforms, google-forms, surveymonkey, "
        "qualtrics, limesurvey, kobo, or pat for pat's own layout (default: found out).",
    )(command)


def detail_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--detail summary|standard|full` and `--actions N`: how much a report holds."""
    command = click.option(
        "--actions",
        "top_actions",
        type=click.IntRange(min=1),
        default=12,
        show_default=True,
        help="How many ranked actions the plan shows; the rest are listed as other points raised.",
    )(command)
    return click.option(
        "--detail",
        type=click.Choice(["summary", "standard", "full"]),
        default="standard",
        show_default=True,
        help="summary: at a glance and the action plan; standard: with the scores, charts and "
        "group tables; full: every finding, statement and comment too.",
    )(command)


language_option = click.option(
    "--language",
    metavar="LANG",
    help="The instrument's language to use (a tag from its `languages`, such as cy); "
    "default: its first. Text not yet translated is shown in the first, marked.",
)


def in_language(instrument: Instrument, language: str | None) -> Instrument:
    """The instrument in `language` (None: as it is); a language it lacks is a usage error."""
    try:
        return instrument.in_language(language)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--language") from None


def use_language(registry: Registry, instrument_id: str, language: str | None) -> None:
    """Hold the instrument in `language` in this run's registry, so that the pipeline reads,
    scores and reports with its texts in that language (ids and values are the same)."""
    if language:
        instrument = registry.get("instrument", instrument_id)
        registry.entries["instrument"][instrument_id] = in_language(instrument, language)
