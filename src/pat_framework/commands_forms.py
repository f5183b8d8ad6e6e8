"""Default plugin: `pat form` makes forms to send out, `pat collect` merges what comes back."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from pat_framework.cli_options import output_option, responses_argument
from pat_framework.hookspecs import hookimpl

if TYPE_CHECKING:
    from pat_framework.collect import Collected


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
def form(
    instrument_id: str,
    output: Path,
    respondent: str | None,
    organisation: str | None,
    level: str | None,
    round_: str | None,
) -> None:
    """Make a form for one respondent: an Excel form or a printable paper form.

    The Excel form has a drop-down of answers beside each statement, a comment column and
    the guidance; only the yellow cells can be changed. Collect returned forms with
    `pat collect`. The paper form looks like the ODPM tool's profile sheets: tick boxes
    for each answer and a comments column.
    """
    from pat_framework import cli
    from pat_framework.forms import make_form

    instrument = cli.registry().get("instrument", instrument_id)
    given = {
        "respondent": respondent,
        "organisation": organisation,
        "level": level,
        "round": round_,
    }
    details = {name: value.strip() for name, value in given.items() if value and value.strip()}
    cli.emit(make_form(instrument, output.suffix.lower(), details), output)


@click.command()
@responses_argument
@output_option(
    "The response file (.csv) to write. If it exists, only respondents not already in it "
    "are added.",
    required=True,
)
@click.option(
    "-i",
    "--instrument",
    "instrument_id",
    metavar="ID",
    help="The instrument the response files answer (forms say it themselves).",
)
def collect(responses: tuple[Path, ...], output: Path, instrument_id: str | None) -> None:
    """Merge returned Excel forms and response files into one response file.

    Each file is checked on its own: a bad file is listed with the reason and left out,
    the good ones are collected. A respondent already in the output with the same answers
    is skipped; one with different answers is a conflict and is not overwritten. The exit
    code is 1 when any file was bad or any respondent conflicted, even though the good
    answers were written.
    """
    from pat_framework import cli
    from pat_framework.collect import collect as run_collect
    from pat_framework.output import csv_text

    result = run_collect(cli.registry(), responses, output, instrument_id)
    for note in result.notes:
        click.echo(f"pat: note: {note}", err=True)
    _report_problems(result)
    if result.table is not None:
        cli.emit(csv_text(result.table), output, responses)
    click.echo(_summary(result, len(responses)))
    if not result.ok:
        click.get_current_context().exit(1)


def _report_problems(result: Collected) -> None:
    for bad in result.bad:
        click.echo(f"pat: bad file, not collected: {bad.file}", err=True)
        for reason in bad.reasons[:30]:
            click.echo(f"  {reason}", err=True)
        if len(bad.reasons) > 30:
            click.echo(f"  … and {len(bad.reasons) - 30} more", err=True)
    for c in result.conflicts:
        shown = ", ".join(c.columns[:8]) + (" …" if len(c.columns) > 8 else "")
        click.echo(
            f"pat: conflict: respondent '{c.respondent}' in {c.file} differs from the one "
            f"already in {c.where} ({shown}); kept the one in {c.where}",
            err=True,
        )


def _summary(result: Collected, given: int) -> str:
    total = result.before + len(result.added)
    lines = [
        f"{result.read} of {given} file(s) read: {len(result.added)} respondent(s) added, "
        f"{len(result.present)} already present with the same answers (skipped), "
        f"{len(result.conflicts)} conflict(s), {len(result.bad)} bad file(s)."
    ]
    if result.table is not None:
        lines.append(f"{result.output} now holds {total} respondent(s) of {result.instrument.id}.")
    elif result.before:
        lines.append(f"{result.output} is unchanged ({total} respondent(s)).")
    else:
        lines.append(f"Nothing to write: {result.output} was not created.")
    if result.bad:
        lines.append("Bad files: " + ", ".join(b.file for b in result.bad))
    return "\n".join(lines)


@hookimpl
def register_commands(cli: click.Group) -> None:
    cli.add_command(form)
    cli.add_command(collect)
