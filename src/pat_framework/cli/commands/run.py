"""`pat run WORKSHOP.toml`: several instruments, one combined report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
    help="Only this format (repeatable): html, pdf, docx, pptx, md, xlsx, json or a "
    "plugin's (a format's name or its file suffix).",
)
@detail_options
@click.option(
    "--language",
    metavar="LANG",
    help="The reports' language, such as cy: pat's own words where its message catalogue "
    "has them, and each instrument's texts where the instrument has that language "
    "(default: the workshop file's `language`, else as written).",
)
def run(
    workshop_file: Path,
    output_dir: Path | None,
    formats: tuple[str, ...],
    detail: str,
    top_actions: int,
    language: str | None,
) -> None:
    """Run a workshop file: every instrument's answers analysed, one combined report.

    The report has a summary across the instruments, a section for each and one action
    plan. Paths in the workshop file are relative to the file's own folder.
    """
    from pat_framework.catalogue import speaking
    from pat_framework.workshop import load_workshop

    workshop = load_workshop(workshop_file)
    chosen = language or workshop.language
    with speaking(chosen):
        _run(workshop, chosen, output_dir, formats, detail, top_actions)


def _run(
    workshop: Any,
    language: str,
    output_dir: Path | None,
    formats: tuple[str, ...],
    detail: str,
    top_actions: int,
) -> None:
    from pat_framework.charts.export import draw_ahead, warm_up
    from pat_framework.errors import PatError
    from pat_framework.output import refuse_inputs, write_set
    from pat_framework.runtime import plugins
    from pat_framework.workshop.run import run_workshop

    for folder in workshop.instruments_dirs:
        plugins.add_instruments_dir(folder)
    reg = registry()
    if language:
        in_language(reg, workshop, language)
    renderers = {
        name: reg.get("renderer", (subject, name))
        for subject, name in reg.names("renderer")
        if subject == "workshop"
    }
    by_suffix = {x.lstrip("."): n for n, r in renderers.items() for x in r.suffixes}
    wanted = [fmt if fmt in renderers else by_suffix.get(fmt.lower(), fmt)
              for fmt in formats or workshop.formats]  # fmt: skip
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
    warm_up(t.suffix for t in targets.values())
    if folder.exists() and not folder.is_dir():
        raise PatError(f"the output folder {folder} is a file: remove it, or set another folder")
    result = run_workshop(reg, workshop, progress, detail, top_actions)
    shown = [drawn.spec for part in result.parts for drawn in part.shown_charts]
    draw_ahead(shown, (t.suffix for t in targets.values()))
    for report in result.parts:
        echo_notes(report.analysis)
    folder.mkdir(parents=True, exist_ok=True)
    # all rendered first, then moved into place together: never a mixed old and new set
    files: dict[Path, str | bytes] = {}
    for fmt, target in targets.items():
        files[target] = renderers[fmt].render(result)
        files.update(assets(renderers[fmt], result, folder, workshop.inputs))
    write_set(files)
    click.echo(f"  [{steps}/{steps}] wrote {', '.join(map(str, targets.values()))}", err=True)


def assets(
    renderer: Any, result: Any, folder: Path, inputs: tuple[Path, ...]
) -> dict[Path, bytes]:
    """The files a renderer writes beside its output (Markdown's charts), each checked to
    land inside the report's charts folder and on no input; the folder made."""
    from pat_framework.errors import PatError
    from pat_framework.interfaces import WritesAssets
    from pat_framework.output import refuse_inputs

    if not isinstance(renderer, WritesAssets):
        return {}
    name_of = str(renderer.name)  # type: ignore[attr-defined]
    files = renderer.assets(result)
    charts = f"{result.workshop.output_name}-charts"
    for name in files:
        parts = Path(name).parts
        if Path(name).is_absolute() or ".." in parts or parts[:1] != (charts,):
            raise PatError(f"the {name_of} renderer asked to write '{name}', which is "
                           f"not inside {charts}/ beside the report")  # fmt: skip
        refuse_inputs(folder / name, inputs)
    if files:
        (folder / charts).mkdir(exist_ok=True)
    return {folder / name: data for name, data in files.items()}


def in_language(registry: Any, workshop: Any, language: str) -> None:
    """Hold each instrument that has `language` in it, in this run's registry; say which
    have not (their texts stay in their own language)."""
    from pat_framework.languages import TAG

    if not TAG.match(language):
        raise click.BadParameter(
            f"{language!r} is not a language tag such as cy or en-GB", param_hint="--language"
        )
    for entry in workshop.instruments:
        if entry.id not in registry.names("instrument"):
            continue  # the run names it among the workshop's problems
        instrument = registry.get("instrument", entry.id)
        if language in instrument.languages:
            registry.entries["instrument"][entry.id] = instrument.in_language(language)
        elif language != instrument.language:
            have = ", ".join(instrument.languages) or "one language only"
            click.echo(
                f"  {entry.id} has no {language} text ({have}): its statements are as written",
                err=True,
            )
