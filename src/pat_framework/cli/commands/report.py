"""`pat report ID FILES -o FILE`: the report for the feedback workshop."""

from __future__ import annotations

from pathlib import Path

import click

from pat_framework.cli.context import echo_notes, emit, pick_format, registry, source
from pat_framework.cli.options import (
    by_option,
    detail_options,
    language_option,
    min_comments_option,
    min_group_option,
    output_option,
    responses_argument,
    round_option,
    source_options,
    use_language,
)
from pat_framework.errors import PatError


@click.command()
@click.argument("instrument_id", metavar="ID")
@responses_argument
@source_options
@by_option("Compare groups by this respondent attribute, e.g. organisation or level (repeatable).")
@min_group_option
@min_comments_option
@round_option
@click.option(
    "-f",
    "--format",
    "fmt",
    help="html, pdf, docx, pptx, markdown, json, xlsx or csv (default: what the output "
    "file's suffix says).",
)
@detail_options
@output_option(
    "The report to write: .html, .pdf, .docx, .pptx, .md, .json, .xlsx or .csv (the action plan).",
    required=True,
)
@language_option
def report(
    instrument_id: str,
    responses: tuple[Path, ...],
    by: tuple[str, ...],
    min_group: int,
    min_comments: int,
    which_round: str,
    fmt: str | None,
    detail: str,
    top_actions: int,
    output: Path,
    language: str | None,
) -> None:
    """Write a report for the feedback workshop: scenario, findings, charts and tables.

    HTML is one self-contained page that opens offline and prints on A4 (PDF is it
    printed); Word is an editable report and PowerPoint slides for the workshop, a slide
    per section; Markdown comes with its charts as PNG files in a folder beside it; JSON
    holds the analysis with each chart's vega-lite spec; the Excel workbook has an action
    plan sheet to fill in.

    With --language, the instrument's texts are in that language, and so are the report's
    own words where pat's message catalogue for it has them (docs/languages.md).
    """
    from pat_framework.catalogue import speaking

    use_language(registry(), instrument_id, language)
    with speaking(language):
        _report(
            instrument_id,
            responses,
            by,
            (min_group, min_comments),
            which_round,
            fmt,
            detail,
            top_actions,
            output,
        )


def _report(
    instrument_id: str,
    responses: tuple[Path, ...],
    by: tuple[str, ...],
    thresholds: tuple[int, int],
    which_round: str,
    fmt: str | None,
    detail: str,
    top_actions: int,
    output: Path,
) -> None:
    from pat_framework.charts.export import draw_ahead, warm_up
    from pat_framework.interfaces import WritesAssets
    from pat_framework.output import refuse_inputs, write_atomic
    from pat_framework.reports import build_report
    from pat_framework.runtime.pipeline import analysed

    min_group, min_comments = thresholds

    renderer = pick_format("report", fmt, output, default="html")
    if fmt is None and output.suffix.lower() not in renderer.suffixes:
        raise click.BadParameter(
            f"cannot tell the format from '{output.name}': use .html, .pdf, .docx, .pptx, "
            ".md, .json, .xlsx or .csv, or give --format",
            param_hint="--output",
        )
    warm_up([renderer.suffixes[0]])
    analysis = analysed(
        registry(),
        instrument_id,
        responses,
        by,
        min_group,
        which_round,
        source=source(),
        min_comments=min_comments,
    )
    echo_notes(analysis)
    built = build_report(registry(), analysis, f"{output.stem}-charts", detail, top_actions)
    draw_ahead((drawn.spec for drawn in built.shown_charts), [renderer.suffixes[0]])
    if isinstance(renderer, WritesAssets):
        files = renderer.assets(built)
        if files:
            folder = output.parent / built.assets
            for name in files:
                parts = Path(name).parts
                if Path(name).is_absolute() or ".." in parts or parts[:1] != (built.assets,):
                    raise PatError(
                        f"the {renderer.name} renderer asked to write '{name}', which is not "
                        f"inside {built.assets}/ beside the report"
                    )
            for name, data in files.items():
                target = output.parent / name
                refuse_inputs(target, responses)
                target.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(target, data)
            click.echo(f"wrote {len(files)} chart(s) to {folder}", err=True)
    emit(renderer.render(built), output, responses)
