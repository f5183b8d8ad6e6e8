"""`pat show ID`: an instrument's statements, scales and guidance."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import click

from pat_framework.cli.context import registry
from pat_framework.cli.options import in_language, language_option

if TYPE_CHECKING:
    from pat_framework.model import Instrument


@click.command()
@click.argument("instrument_id", metavar="ID")
@click.option("--section", "section_id", help="Only this section (e.g. P2).")
@click.option("--guidance/--no-guidance", default=True, help="Show the guidance notes.")
@language_option
def show(instrument_id: str, section_id: str | None, guidance: bool, language: str | None) -> None:
    """Print an instrument's statements, scales and guidance."""
    from pat_framework.catalogue import speaking

    instrument = in_language(registry("instrument").get("instrument", instrument_id), language)
    with speaking(instrument.language):
        click.echo(_text(instrument, section_id, guidance))


def _text(instrument: Instrument, section_id: str | None, guidance: bool) -> str:
    from pat_framework.catalogue import _

    try:
        sections = [instrument.section(section_id)] if section_id else instrument.sections
    except KeyError as exc:
        raise click.BadParameter(exc.args[0], param_hint="--section") from None
    wrap = textwrap.TextWrapper(width=88, initial_indent="      ", subsequent_indent="      ")
    out = [
        f"{instrument.title} ({instrument.id}, version {instrument.version})",
        _("Source: %(citation)s") % {"citation": instrument.source.citation()},
    ]
    if instrument.source.licence:
        out.append(instrument.source.licence)
    if instrument.languages:
        out.append(f"Languages: {', '.join(instrument.languages)} (shown: {instrument.language})")
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
                element = {"element": item.element, "title": item.element_title}
                out.append("      " + _("Element %(element)s: %(title)s") % element)
            if guidance and item.guidance:
                out += wrap.wrap(item.guidance)
        scales = dict.fromkeys(item.scale for item in section.items)
        for scale in scales:
            users = [item.id for item in section.items if item.scale == scale]
            answers = {"items": _id_runs(users, section.item_ids), "scale": scale.describe()}
            line = (
                _("Answers to %(items)s: %(scale)s")
                if len(scales) > 1
                else _("Answers: %(scale)s")
            )
            out.append("    " + line % answers)
    return "\n".join(out)


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
