"""What every command needs from the run it is part of: the registry, writing an output,
telling the user about notes, picking a renderer. Commands import this, never `cli.main`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from pat_framework.errors import PatError

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis
    from pat_framework.importers.convert import Source
    from pat_framework.interfaces import Renderer
    from pat_framework.runtime.registry import Registry


def registry(*kinds: str) -> Registry:
    """The registry for this run, built once; plugin problems are reported once. With
    `kinds` ('instrument'), only those are registered: for commands that need no more."""
    from pat_framework.runtime import plugins
    from pat_framework.runtime.registry import KINDS, Registry, build_registry

    ctx = click.get_current_context()
    root = ctx.find_root()
    if not isinstance(root.obj, Registry):
        root.obj = build_registry(kinds or KINDS)
        for problem in root.obj.problems:
            if problem not in plugins.load_errors:  # main() has shown those already
                click.echo(f"pat: warning: {problem}", err=True)
    return root.obj


def source() -> Source:
    """How this command reads response files: `--from`, `--map` and `--sheet`
    (`options.source_options`)."""
    from pat_framework.importers.convert import Source

    meta = click.get_current_context().meta
    return Source(meta.get("pat.tool"), meta.get("pat.map_file"), meta.get("pat.sheet"))


def emit(text: str | bytes, output: Path | None, inputs: tuple[Path, ...] = ()) -> None:
    """Write to `output` atomically (never over an input), or to standard output."""
    from pat_framework.output import refuse_inputs, write_atomic

    if output is None:
        if isinstance(text, bytes):
            raise PatError("this format is binary: give an output file with -o")
        click.echo(text, nl=False)
        return
    refuse_inputs(output, inputs)
    write_atomic(output, text)
    click.echo(f"wrote {output}", err=True)


def echo_notes(analysis: Analysis) -> None:
    """Tell the user what the reader noted about the answers (columns kept, round chosen)."""
    for note in analysis.responses.notes:
        click.echo(f"pat: note: {note}", err=True)


def pick_format(
    subject: str, fmt: str | None, output: Path | None, default: str = "text"
) -> Renderer:
    """The renderer for `--format`, or the one the output file's suffix implies.

    A binary format (an Excel workbook) needs an output file: that is said before any work.
    """
    reg = registry()
    formats: dict[str, Renderer] = {
        name: reg.get("renderer", (s, name)) for s, name in reg.names("renderer") if s == subject
    }
    if fmt is None and output is not None:
        fmt = next((n for n, r in formats.items() if output.suffix.lower() in r.suffixes), None)
        if fmt is None:
            known = sorted({x for r in formats.values() for x in r.suffixes})
            raise click.BadParameter(
                f"cannot tell the format from '{output.suffix or output.name}'; use one of "
                f"{', '.join(known)} or give --format",
                param_hint="--output",
            )
    fmt = fmt or default
    if fmt not in formats:
        raise click.BadParameter(
            f"'{fmt}' is not one of: {', '.join(sorted(formats))}", param_hint="--format"
        )
    renderer = formats[fmt]
    if renderer.binary and output is None:
        raise PatError(f"the {fmt} format is binary: give an output file with -o")
    return renderer
