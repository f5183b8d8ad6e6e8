"""`pat collect FILES -o FILE`: returned forms and response files merged into one file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from pat_framework.cli.context import emit, registry
from pat_framework.cli.options import output_option, responses_argument

if TYPE_CHECKING:
    from pat_framework.forms.collect import Collected


#: Seconds a `pat collect` waits for another writing the same output.
COLLECT_WAIT = 120


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
    from pat_framework.forms.collect import collect as run_collect
    from pat_framework.locking import locked
    from pat_framework.output import csv_text

    # a second `pat collect` onto one output waits, then merges onto what the first wrote
    with locked(output, wait=COLLECT_WAIT, what="`pat collect`"):
        result = run_collect(registry(), responses, output, instrument_id)
        for note in result.notes:
            click.echo(f"pat: note: {note}", err=True)
        _report_problems(result)
        if result.table is not None:
            emit(csv_text(result.table), output, responses)
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
