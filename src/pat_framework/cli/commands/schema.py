"""`pat schema`: where the JSON Schema for instrument files is, or a copy of it."""

from __future__ import annotations

from pathlib import Path

import click

from pat_framework.cli.context import emit
from pat_framework.cli.options import output_option


@click.command()
@output_option(
    "Copy the schema to this file, e.g. instrument.schema.json beside your instrument files "
    "(their first line, #:schema ./instrument.schema.json, points editors at it)."
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def schema(output: Path | None, force: bool) -> None:
    """Print the path of the JSON Schema for instrument files, or copy it with -o."""
    import pat_framework.instrument
    from pat_framework.output import refuse_existing

    path = Path(pat_framework.instrument.__file__).parent / "schema" / "instrument.schema.json"
    if output is None:
        click.echo(path)
        return
    refuse_existing(output, force)
    emit(path.read_text(encoding="utf-8"), output)
