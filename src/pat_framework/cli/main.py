"""The `pat` group: global options, errors as messages, the core commands and the commands
that plugins add. Nothing heavy is imported here: `pat --help` must start fast."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Any

import click

from pat_framework import __version__
from pat_framework.cli.commands import CORE, placeholders
from pat_framework.cli.lazy import LazyGroup
from pat_framework.runtime import plugins


class _Context(click.Context):
    """A context whose help is as wide as click makes it, found without importing shutil
    (and the compression modules it imports): `pat --help` must start fast."""

    def make_formatter(self) -> click.HelpFormatter:
        width = self.terminal_width
        if width is None and click.formatting.FORCED_WIDTH is None:
            width = max(min(_columns(), self.max_content_width or 80) - 2, 50)
        return self.formatter_class(width=width, max_width=self.max_content_width)


def _columns() -> int:
    """The terminal's width as `shutil.get_terminal_size` gives it: $COLUMNS, else the
    terminal's, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class PatGroup(LazyGroup):
    """Turns PatError, OSError and any bug (pat's or a plugin's, named) into a message and
    exit code 1; ``PAT_TRACEBACK=1`` lets a bug's traceback through instead."""

    context_class = _Context

    def invoke(self, ctx: click.Context) -> Any:
        from pat_framework.errors import PatError  # not needed by `pat --help`

        try:
            return super().invoke(ctx)
        except PatError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            raise click.ClickException(f"{exc.filename or ''}: {exc.strerror or exc}") from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own way of stopping, with its message
        except Exception as exc:
            if os.environ.get("PAT_TRACEBACK"):
                raise
            from pat_framework.runtime.blame import unexpected

            raise click.ClickException(unexpected(exc)) from None


@click.group(cls=PatGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pat")
@click.option(
    "--instruments-dir",
    "instruments_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Also load every instrument TOML file in this folder (repeatable).",
)
def cli(instruments_dirs: tuple[Path, ...]) -> None:
    """Assess partnerships with pluggable instruments.

    Start with `pat instruments`, then `pat show pat-odpm`, `pat template pat-odpm -o
    answers.csv` and `pat score pat-odpm answers.csv`.
    """
    for folder in instruments_dirs:
        plugins.add_instruments_dir(folder)


def _add_commands(group: click.Group) -> None:
    """The core commands, then each plugin's; none may replace a command already added
    (pat's own only with PAT_ALLOW_REPLACE)."""
    for placeholder in placeholders(CORE):  # part of `pat` itself, whatever is blocked
        group.add_command(placeholder)
    owners = dict.fromkeys(group.commands, "pat")
    plugins.load_plugins()
    impls = plugins.pm.hook.register_commands.get_hookimpls()
    for impl in sorted(impls, key=lambda i: not plugins.is_builtin(i.plugin_name)):
        before = dict(group.commands)
        name = impl.plugin_name
        call = functools.partial(impl.function, group)
        plugins.run_contained(name, "in register_commands", call, plugins.load_errors)
        for command_name, command in group.commands.items():
            if command_name not in before:
                owners[command_name] = name
            elif command is not before[command_name]:
                owner = owners[command_name]
                builtin = owner == "pat" or plugins.is_builtin(owner)
                if builtin and plugins.may_replace(name):
                    owners[command_name] = name
                    continue
                group.commands[command_name] = before[command_name]
                allow = f" (to allow it, set PAT_ALLOW_REPLACE={name})" if builtin else ""
                plugins.load_errors.append(
                    f"plugin '{name}' tried to replace the command '{command_name}' of "
                    f"'{owner}', which is kept{allow}"
                )


_add_commands(cli)


def main() -> None:
    """Console entry point."""
    for problem in plugins.load_errors:
        click.echo(f"pat: warning: {problem}", err=True)
    sys.exit(cli.main(prog_name="pat", standalone_mode=True))
