"""`pat instruments`: the instruments installed."""

from __future__ import annotations

import click

from pat_framework.cli.context import registry


@click.command()
def instruments() -> None:
    """List the instruments installed."""
    reg = registry("instrument")
    for ident in reg.names("instrument"):
        instrument = reg.get("instrument", ident)
        count = sum(len(s.items) for s in instrument.sections)
        click.echo(
            f"{ident:<24} {instrument.title} ({count} items; from "
            f"{reg.provider('instrument', ident)})"
        )
