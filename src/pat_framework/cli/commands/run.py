"""`pat run WORKSHOP.toml`: several instruments, one combined report."""

from __future__ import annotations

from pathlib import Path

import click

from pat_framework.cli.context import echo_notes, registry
from pat_framework.cli.options import detail_options


@click.command()
@click.argument("workshop_file", metavar="WORKSHOP.toml", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the reports into this folder instead of the one the workshop file names.",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    help="Only this format (repeatable): html, xlsx, json or a plugin's.",
)
@detail_options
def run(
    workshop_file: Path,
    output_dir: Path | None,
    formats: tuple[str, ...],
    detail: str,
    top_actions: int,
) -> None:
    """Run a workshop file: every instrument's answers analysed, one combined report.

    The report has a summary across the instruments, a section for each and one action
    plan. Paths in the workshop file are relative to the file's own folder.
    """
    from pat_framework.errors import PatError
    from pat_framework.output import refuse_inputs, write_set
    from pat_framework.runtime import plugins
    from pat_framework.workshop import load_workshop
    from pat_framework.workshop.run import run_workshop

    workshop = load_workshop(workshop_file)
    for folder in workshop.instruments_dirs:
        plugins.add_instruments_dir(folder)
    reg = registry()
    renderers = {
        name: reg.get("renderer", (subject, name))
        for subject, name in reg.names("renderer")
        if subject == "workshop"
    }
    wanted = formats or workshop.formats
    unknown = [fmt for fmt in wanted if fmt not in renderers]
    if unknown:
        raise click.BadParameter(
            f"{', '.join(unknown)}: not a workshop report format; known: "
            f"{', '.join(sorted(renderers))}",
            param_hint="--format or output.formats",
        )
    folder = output_dir or workshop.output_folder
    steps = len(workshop.instruments) + 1
    click.echo(
        f"pat run: {workshop.partnership}, {len(workshop.instruments)} instrument(s)", err=True
    )

    def progress(step: int, total: int, text: str) -> None:
        click.echo(f"  [{step}/{steps}] {text}", err=True)

    targets = {
        fmt: folder / f"{workshop.output_name}{renderers[fmt].suffixes[0]}" for fmt in wanted
    }
    for target in targets.values():
        refuse_inputs(target, workshop.inputs)
    if folder.exists() and not folder.is_dir():
        raise PatError(f"the output folder {folder} is a file: remove it, or set another folder")
    result = run_workshop(reg, workshop, progress, detail, top_actions)
    for report in result.parts:
        echo_notes(report.analysis)
    folder.mkdir(parents=True, exist_ok=True)
    # all rendered first, then moved into place together: never a mixed old and new set
    write_set({target: renderers[fmt].render(result) for fmt, target in targets.items()})
    click.echo(f"  [{steps}/{steps}] wrote {', '.join(map(str, targets.values()))}", err=True)
