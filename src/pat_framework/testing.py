"""Helpers for testing pat plugins: run the CLI in-process, register a plugin for a while,
write a response file.

The pytest fixtures `pat_cli`, `pat_plugin` and `pat_answers` (pat_framework.pytest_plugin)
are thin wrappers around these; the helpers need no pytest. Nothing heavy is imported here.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from click.testing import Result

    from pat_framework.model import Instrument

RESPONDENT = "respondent"


def invoke(
    *args: str | Path,
    input: str | None = None,
    env: Mapping[str, str | None] | None = None,
    catch_exceptions: bool = False,
) -> Result:
    """Run `pat ARGS` in this process and return click's Result.

    `result.exit_code`, `result.stdout`, `result.stderr` (warnings and error messages) and
    `result.output` (both, as a terminal shows them). The registry is built afresh for each
    call, so a plugin registered just before is seen. `--instruments-dir` lasts for this call
    only. An exception that pat does not turn into a message is raised, so that a plugin's
    bug shows as a traceback in the test (`catch_exceptions=True` keeps it in the result);
    `env={"PAT_TRACEBACK": None}` shows the one-line message a user sees instead.
    """
    from click.testing import CliRunner

    from pat_framework.cli.main import cli
    from pat_framework.runtime import plugins

    folders = list(plugins._extra_dirs)
    try:
        return CliRunner().invoke(
            cli,
            [str(arg) for arg in args],
            input=input,
            env={"PAT_TRACEBACK": "1", **(env or {})},
            catch_exceptions=catch_exceptions,
        )
    finally:
        plugins._extra_dirs[:] = folders


@contextmanager
def registered(plugin: object, name: str | None = None) -> Iterator[str]:
    """Register a plugin (a module or an object with `@hookimpl` methods) until the block ends.

    Yields the name `pat plugins` shows for it. Commands it adds with `register_commands`
    are added to `pat` for the block too (never replacing one it has). A hook pat would
    never call (a misspelt name, a missing `@hookimpl`) raises ValueError naming it. A plugin
    already registered (because it is installed, so its entry point loaded it) is left as it
    is.
    """
    from pat_framework.cli.main import cli
    from pat_framework.runtime import plugins

    plugins.load_plugins()
    if plugins.pm.is_registered(plugin):
        yield str(plugins.pm.get_name(plugin))
        return
    plugin_name = plugins.pm.register(plugin, name=name)
    if plugin_name is None:
        raise ValueError(f"plugin {name or plugin!r} is blocked by PAT_BLOCK_PLUGINS")
    problems = plugins.hook_problems(plugin, plugin_name)
    if problems:  # a test of a plugin with a misspelt hook fails, naming it
        plugins.pm.unregister(plugin)
        raise ValueError("; ".join(problems))
    before = dict(cli.commands)
    try:
        for impl in plugins.pm.hook.register_commands.get_hookimpls():
            if impl.plugin is plugin:
                impl.function(cli)
        cli.commands.update(before)  # as in pat, a plugin never replaces a command
        yield plugin_name
    finally:
        for command in set(cli.commands) - set(before):
            del cli.commands[command]
        cli.commands.update(before)
        plugins.pm.unregister(plugin)


def write_answers(
    path: str | Path,
    instrument: str | Instrument,
    answers: Mapping[str, Mapping[str, Any]],
    fill: str | float | None = None,
) -> Path:
    """Write a wide CSV response file: one row per respondent, one column per item.

    `answers` maps each respondent id to its answers by item id (`{"R1": {"P1A": "SA"}}`);
    any other key, such as `organisation` or `level`, is written as an attribute column.
    `fill` is the answer given to every statement of a scored section not in a respondent's
    answers; it must be an answer on those statements' scales. Blank otherwise. The answers
    themselves are written as given, so a test can write a bad one on purpose.
    `instrument` is an Instrument or the id of an installed one.
    """
    if isinstance(instrument, str):
        from pat_framework.runtime.registry import build_registry

        chosen: Instrument = build_registry().get("instrument", instrument)
    else:
        chosen = instrument
    items = {item_id.lower(): item_id for item_id in chosen.item_ids}
    filled = [item for s in chosen.scored_sections for item in s.items]
    if fill is not None:
        for item in filled:
            if str(fill).strip().lower() not in item.scale.lookup():
                raise ValueError(
                    f"fill {fill!r} is not an answer to {item.id}: one of {item.scale.describe()}"
                )
    extra = [
        key
        for key in dict.fromkeys(k for row in answers.values() for k in row)
        if key.lower() not in items and key != RESPONDENT
    ]
    rows = []
    for respondent, given in answers.items():
        row: dict[str, Any] = {RESPONDENT: respondent}
        if fill is not None:
            row.update(dict.fromkeys((item.id for item in filled), fill))
        for key, value in given.items():
            row[items.get(key.lower(), key)] = "" if value is None else value
        rows.append(row)
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, [RESPONDENT, *extra, *chosen.item_ids], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
    return path
