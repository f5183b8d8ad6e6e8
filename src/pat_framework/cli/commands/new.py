"""`pat new`: commented skeletons for a new instrument or a new plugin."""

from __future__ import annotations

from pathlib import Path

import click

from pat_framework.cli.context import emit, registry
from pat_framework.cli.options import output_option
from pat_framework.errors import PatError


@click.group()
def new() -> None:
    """Start a new instrument (a TOML file) or a new plugin (a Python package)."""


@new.command("instrument")
@click.argument("name")
@output_option("The file to write (default: NAME.toml in the current folder).")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def new_instrument(name: str, output: Path | None, force: bool) -> None:
    """Write a commented instrument file with id NAME, ready to edit.

    The file validates as it is: two sections of three statements on an agreement scale,
    bands, an aggregate and three scenarios, with a comment on every setting. Change it,
    then check it with `pat validate FILE`.
    """
    from pat_framework.authoring.instrument_skeleton import skeleton
    from pat_framework.instrument.loader import ID_PATTERN
    from pat_framework.instrument.suggest import suggest_id
    from pat_framework.output import refuse_existing

    if not ID_PATTERN.match(name):
        example = f" (for example '{suggest_id(name)}')" if suggest_id(name) else ""
        raise click.BadParameter(
            f"'{name}' cannot be an instrument id: use lower-case letters, digits and '-', "
            f"starting with a letter or digit{example}",
            param_hint="NAME",
        )
    reg = registry()
    if name in reg.names("instrument"):
        raise PatError(
            f"an instrument with id '{name}' is installed already (from "
            f"{reg.provider('instrument', name)}): choose another NAME"
        )
    output = output or Path(f"{name}.toml")
    refuse_existing(output, force)
    emit(skeleton(name, str(output)), output)
    click.echo(f"Next: edit {output}, then check it with: pat validate {output}", err=True)


@new.command("plugin")
@click.argument("name")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="The package folder to create (default: NAME in the current folder).",
)
def new_plugin(name: str, output: Path | None) -> None:
    """Write an installable plugin package NAME: pyproject.toml with the entry point, a
    module with a working hook (a `pat score` format), a README and a test.

    Install it with `pip install -e 'FOLDER[test]'`, then `pat plugins` lists it and
    `pytest` in FOLDER runs its test. docs/plugin-authors-guide.md explains each file.
    """
    import importlib.util

    from pat_framework.authoring.plugin_skeleton import plugin_files, plugin_names, write_package

    names = plugin_names(name)
    if importlib.util.find_spec(names.module) is not None:
        raise PatError(
            f"a Python module named '{names.module}' is installed already: choose another NAME"
        )
    folder = output or Path(names.distribution)
    write_package(folder, plugin_files(names))
    click.echo(f"wrote {folder}", err=True)
    path = str(folder) if folder.is_absolute() else f"./{folder}"
    click.echo(
        f"Next: pip install -e '{path}[test]', then `pat plugins` lists {names.module}, "
        f"and `pytest {path}` runs its test.",
        err=True,
    )
