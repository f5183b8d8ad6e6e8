"""`pat schema`: where the JSON Schema for instrument files is."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
def schema() -> None:
    """Print the path of the JSON Schema for instrument files."""
    import pat_framework.instrument

    folder = Path(pat_framework.instrument.__file__).parent
    click.echo(folder / "schema" / "instrument.schema.json")
