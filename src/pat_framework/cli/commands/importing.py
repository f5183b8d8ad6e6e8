"""`pat import xlsform FORM`: an instrument file made from an XLSForm."""

from __future__ import annotations

from pathlib import Path

import click

from pat_framework.cli.context import emit, registry
from pat_framework.cli.options import output_option
from pat_framework.errors import PatError


@click.group(name="import")
def import_() -> None:
    """Make an instrument file from a form written in another format."""


@import_.command()
@click.argument("form", type=click.Path(dir_okay=False, path_type=Path))
@output_option("The instrument file to write (default: FORM with .toml for its suffix).")
@click.option("--language", help="Read the labels in this language (label::LANGUAGE columns).")
@click.option(
    "--all-languages",
    is_flag=True,
    help="Keep every language of the form (label::Cymraeg (cy) columns): an instrument in "
    "several languages, the form's default first.",
)
@click.option("--id", "instrument_id", help="The instrument's id (default: the form's form_id).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def xlsform(
    form: Path,
    output: Path | None,
    language: str | None,
    all_languages: bool,
    instrument_id: str | None,
    force: bool,
) -> None:
    """Convert an XLSForm (.xlsx, .xls or .ods with survey and choices sheets) into an
    instrument file.

    select_one questions become statements, groups (and Kobo rating groups) become
    sections and choice lists become scales (numeric choice names are the scores; otherwise
    the first choice scores 1, the next 2, ...); "Don't know", "Refused" and codes such as
    -99 do not score. Questions about the respondent (organisation, level, role, round) and
    other question types are skipped with a note. The bands are thirds of each score range:
    review them, and the scores, before use.
    """
    import tomli

    from pat_framework.authoring.xlsform import FormPlan, read_xlsform, read_xlsform_languages
    from pat_framework.authoring.xlsform_toml import instrument_toml
    from pat_framework.errors import InstrumentError
    from pat_framework.instrument.loader import instrument_from_dict
    from pat_framework.output import refuse_existing, refuse_inputs

    if all_languages and language:
        raise click.UsageError("give --language or --all-languages, not both")
    output = output or form.with_suffix(".toml")
    refuse_inputs(output, [form])
    refuse_existing(output, force)
    others: dict[str, FormPlan] = {}
    if all_languages:
        plan, others = read_xlsform_languages(form, instrument_id)
    else:
        plan = read_xlsform(form, language, instrument_id)
    reg = registry()
    if plan.id in reg.names("instrument"):
        raise PatError(
            f"an instrument with id '{plan.id}' is installed already (from "
            f"{reg.provider('instrument', plan.id)}): give another with --id"
        )
    for note in plan.notes:
        click.echo(f"pat: note: {note}", err=True)
    text = instrument_toml(plan, str(output), others)
    instrument = instrument_from_dict(tomli.loads(text), str(output))
    problems = reg.check(instrument)
    if problems:
        raise InstrumentError(f"{form}: the converted instrument would not validate", problems)
    emit(text, output, (form,))
    items = len(instrument.items)
    click.echo(
        f"Instrument '{instrument.id}': {len(instrument.sections)} section(s), {items} "
        f"statement(s). Review the answer values and the bands in {output}, then check it "
        f"with: pat validate {output}",
        err=True,
    )
