"""The `pat` command line. Heavy libraries are imported inside commands, never here."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pat_framework import __version__, plugins
from pat_framework.cli_options import format_option, output_option, responses_argument
from pat_framework.errors import PatError

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis
    from pat_framework.registry import Registry

EXIT_BAD_INPUT = 1


class PatGroup(click.Group):
    """Turns PatError into a message and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PatError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            raise click.ClickException(f"{exc.filename or ''}: {exc.strerror or exc}") from None


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


def registry() -> Registry:
    """The registry for this run, built once; plugin problems are reported once."""
    from pat_framework.registry import Registry, build_registry

    ctx = click.get_current_context()
    root = ctx.find_root()
    if not isinstance(root.obj, Registry):
        root.obj = build_registry()
        for problem in root.obj.problems:
            if problem not in plugins.load_errors:  # main() has shown those already
                click.echo(f"pat: warning: {problem}", err=True)
    return root.obj


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
    for note in analysis.interpretation.scores.responses.notes:
        click.echo(f"pat: note: {note}", err=True)


def pick_format(subject: str, fmt: str | None, output: Path | None, default: str = "text") -> Any:
    """The renderer for `--format`, or the one the output file's suffix implies."""
    reg = registry()
    formats = {
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
    return formats[fmt]


@cli.command()
def instruments() -> None:
    """List the instruments installed."""
    reg = registry()
    for ident in reg.names("instrument"):
        instrument = reg.get("instrument", ident)
        count = sum(len(s.items) for s in instrument.sections)
        click.echo(
            f"{ident:<24} {instrument.title} ({count} items; from "
            f"{reg.provider('instrument', ident)})"
        )


@cli.command()
@click.argument("instrument_id", metavar="ID")
@click.option("--section", "section_id", help="Only this section (e.g. P2).")
@click.option("--guidance/--no-guidance", default=True, help="Show the guidance notes.")
def show(instrument_id: str, section_id: str | None, guidance: bool) -> None:
    """Print an instrument's statements, scales and guidance."""
    instrument = registry().get("instrument", instrument_id)
    try:
        sections = [instrument.section(section_id)] if section_id else instrument.sections
    except KeyError as exc:
        raise click.BadParameter(exc.args[0], param_hint="--section") from None
    wrap = textwrap.TextWrapper(width=88, initial_indent="      ", subsequent_indent="      ")
    out = [
        f"{instrument.title} ({instrument.id}, version {instrument.version})",
        f"Source: {instrument.source.citation()}",
    ]
    if instrument.source.licence:
        out.append(instrument.source.licence)
    if instrument.question:
        out += ["", instrument.question]
    for section in sections:
        out += ["", f"{section.id}  {section.title}"]
        if guidance and section.description:
            out += textwrap.wrap(
                section.description, 88, initial_indent="    ", subsequent_indent="    "
            )
        for item in section.items:
            tag = f"{item.id}"
            out.append(f"  {tag:<7} {item.text}")
            if item.element_title:
                out.append(f"      Element {item.element}: {item.element_title}")
            if guidance and item.guidance:
                out += wrap.wrap(item.guidance)
        scales = dict.fromkeys(item.scale for item in section.items)
        for scale in scales:
            users = [item.id for item in section.items if item.scale == scale]
            which = f" to {_id_runs(users, section.item_ids)}" if len(scales) > 1 else ""
            out.append(f"    Answers{which}: {scale.describe()}")
    click.echo("\n".join(out))


def _id_runs(chosen: list[str], order: list[str]) -> str:
    """Item ids as runs in section order: 'B-K1–B-K2, B-G1–B-W6'."""
    runs: list[list[str]] = []
    for k, ident in enumerate(order):
        if ident not in chosen:
            continue
        if runs and order[k - 1] == runs[-1][-1]:
            runs[-1].append(ident)
        else:
            runs.append([ident])
    return ", ".join(r[0] if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


@cli.command()
@click.argument("instrument_id", metavar="ID")
@output_option(
    "The sheet to write: .csv or .xlsx.",
    required=True,
)
def template(instrument_id: str, output: Path) -> None:
    """Write a blank wide sheet (one row per respondent) for typing in paper answers."""
    from pat_framework.templates import blank_sheet

    instrument = registry().get("instrument", instrument_id)
    emit(blank_sheet(instrument, output.suffix.lower()), output)


@cli.command()
@click.argument("instrument_id", metavar="ID")
@responses_argument
@format_option("text, csv or json")
@output_option()
def score(
    instrument_id: str, responses: tuple[Path, ...], fmt: str | None, output: Path | None
) -> None:
    """Score response files: totals, bands, aggregate and the group's scenario."""
    from pat_framework.pipeline import interpret

    renderer = pick_format("scores", fmt, output)
    result = interpret(registry(), instrument_id, responses)
    for note in result.scores.responses.notes:
        click.echo(f"pat: note: {note}", err=True)
    emit(renderer.render(result), output, responses)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-i", "--instrument", "instrument_id", help="Check FILE as responses to this instrument."
)
def validate(file: Path, instrument_id: str | None) -> None:
    """Check an instrument file, or a response file against an instrument."""
    from pat_framework.errors import InstrumentError
    from pat_framework.loader import load_instrument

    reg = registry()
    if instrument_id is None:
        if file.suffix.lower() != ".toml":
            raise click.UsageError("give --instrument ID to check a response file")
        instrument = load_instrument(file)
        problems = reg.check(instrument)
        if problems:
            raise InstrumentError(f"{file}: {len(problems)} problem(s)", problems)
        items = len(instrument.items)
        click.echo(
            f"ok: {file}: instrument '{instrument.id}', "
            f"{len(instrument.sections)} sections, {items} items"
        )
        return
    from pat_framework.responses import read_responses

    responses = read_responses(reg.instrument(instrument_id), [file])
    answered = int(responses.values.notna().to_numpy().sum())
    for note in responses.notes:
        click.echo(f"pat: note: {note}", err=True)
    click.echo(
        f"ok: {file}: {len(responses)} respondent(s), {answered} scored answers to {instrument_id}"
    )


@cli.command(name="plugins")
def list_plugins() -> None:
    """List installed plugins, their versions, hooks and what they registered."""
    reg = registry()
    provided: dict[str, list[str]] = {}
    for (kind, key), plugin in sorted(reg.providers.items(), key=str):
        label = "/".join(key) if isinstance(key, tuple) else key
        provided.setdefault(plugin, []).append(f"{kind} {label}")
    for name, plugin in plugins.pm.list_name_plugin():
        if name in plugins.distributions:
            origin = " ".join(plugins.distributions[name])
        elif name in (*plugins.DEFAULT_PLUGINS, plugins.INSTRUMENTS_DIR_PLUGIN):
            origin = f"pat-framework {__version__}"
        else:  # registered by code, as tests do
            origin = "not from an installed package"
        hooks = sorted(c.name for c in plugins.pm.get_hookcallers(plugin) or [])
        click.echo(f"{name} ({origin})")
        click.echo(f"  hooks: {', '.join(hooks) or 'none'}")
        if provided.get(name):
            click.echo(f"  provides: {', '.join(provided[name])}")
    for problem in reg.problems:
        click.echo(f"problem: {problem}")


@cli.command()
def schema() -> None:
    """Print the path of the JSON Schema for instrument files."""
    click.echo(Path(__file__).parent / "schema" / "instrument.schema.json")


def _add_plugin_commands(group: click.Group) -> None:
    plugins.load_plugins()
    for impl in plugins.pm.hook.register_commands.get_hookimpls():
        try:
            impl.function(group)
        except Exception as exc:  # a broken plugin must not break pat
            plugins.load_errors.append(
                f"plugin '{impl.plugin_name}' failed in "
                f"register_commands: {type(exc).__name__}: {exc}"
            )


_add_plugin_commands(cli)


def main() -> None:
    """Console entry point."""
    for problem in plugins.load_errors:
        click.echo(f"pat: warning: {problem}", err=True)
    sys.exit(cli.main(prog_name="pat", standalone_mode=True))
