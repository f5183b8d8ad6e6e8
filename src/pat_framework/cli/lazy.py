"""Commands imported only when they run: `pat --help` lists them from their one-line
summaries, and `pat run …` imports the run command's module alone.

A `LazyCommand` stands in `group.commands` for a command until the group is asked for it;
the group then imports its module and puts the real command in its place, so everything
that reads `group.commands` (plugins replacing a command, the test fixtures) sees one entry
per name as before. A test checks that each summary is the real command's.
"""

from __future__ import annotations

import importlib

import click


class LazyCommand(click.Command):
    """A placeholder for the command `attribute` of `module`, with its help's summary."""

    def __init__(self, name: str, target: str, summary: str) -> None:
        super().__init__(name, help=summary)
        self.target = target

    def load(self) -> click.Command:
        """The real command (importing its module)."""
        module, _, attribute = self.target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.target} is not a click command")
        return command


class LazyGroup(click.Group):
    """A group whose `LazyCommand`s are imported when they are looked up, not listed."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self.commands.get(cmd_name)
        if isinstance(command, LazyCommand):
            command = self.commands[cmd_name] = command.load()
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's list of commands, written straight when every name fits click's first
        column (each summary is cut to fit its line, so click's wrapping, which costs
        `pat --help` a millisecond, would leave it as it is)."""
        rows = [
            (name, command)
            for name in self.list_commands(ctx)
            if (command := self.commands.get(name)) is not None and not command.hidden
        ]
        if not rows:
            return
        first = max(len(name) for name, _ in rows)
        lines = [(name, c.get_short_help_str(formatter.width - 6 - first)) for name, c in rows]
        with formatter.section("Commands"):
            if first > _FIRST_COLUMN_MAX:
                formatter.write_dl(lines)
                return
            indent = " " * formatter.current_indent
            for name, summary in lines:
                gap = " " * (first + 2 - len(name)) if summary else ""
                formatter.write(f"{indent}{name}{gap}{summary}\n")


#: The widest first column of click's `HelpFormatter.write_dl`.
_FIRST_COLUMN_MAX = 30
