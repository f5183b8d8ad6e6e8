"""`pat translate ID`: write a language file for a translator, or check one."""

from __future__ import annotations

from pathlib import Path

import click

from pat_framework.cli.context import emit, registry
from pat_framework.cli.options import output_option
from pat_framework.errors import PatError


@click.command()
@click.argument("instrument_id", metavar="ID")
@click.option("--to", "language", help="The language to write a file for (a tag: cy, fr, pt-BR).")
@click.option(
    "--check",
    "check",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Check this language file: every text missing, and any key the instrument lacks.",
)
@output_option(
    "The language file to write (default: the screen); name it ID.LANG.toml beside "
    "the instrument file for pat to read it."
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def translate(
    instrument_id: str, language: str | None, check: Path | None, output: Path | None, force: bool
) -> None:
    """Write the language file a translator fills in (--to LANG), or check one (--check FILE).

    The file lists every text of the instrument by key, with the default language's text
    in a comment above each and any translation made so far. pat reads it when it sits
    beside the instrument file as NAME.LANG.toml (odpm.toml, odpm.cy.toml).
    """
    instrument = registry().get("instrument", instrument_id)
    book = instrument.translations
    if not book.languages:
        raise PatError(
            f'instrument \'{instrument_id}\' names no languages: add languages = ["en", "cy"] '
            "(its own language first) at the top of its file"
        )
    if (language is None) == (check is None):
        raise click.UsageError("give either --to LANG (write a language file) or --check FILE")
    if check is not None:
        _check(instrument_id, check)
        return
    assert language is not None
    if language not in book.languages[1:]:
        raise click.BadParameter(
            f"'{language}' is not one of the other languages of '{instrument_id}' "
            f"({', '.join(book.languages[1:]) or 'none'}): add it to its `languages` first",
            param_hint="--to",
        )
    from pat_framework.authoring.translation_skeleton import translation_skeleton
    from pat_framework.output import refuse_existing

    if output is not None:
        refuse_existing(output, force)
    where = output or Path(f"{instrument_id}.{language}.toml")
    emit(
        translation_skeleton(
            instrument, language, f"pat translate {instrument_id} --check {where}"
        ),
        output,
    )


def _check(instrument_id: str, file: Path) -> None:
    from dataclasses import replace

    from pat_framework.errors import InstrumentError
    from pat_framework.instrument.translations import completeness, read_companion

    instrument = registry().get("instrument", instrument_id)
    found = read_companion(file, instrument)
    if found.problems:
        raise InstrumentError(f"{file}: {len(found.problems)} problem(s)", found.problems)
    book = instrument.translations
    texts = {
        key: {lang: text for lang, text in by.items() if (key, lang) in book.inline}
        for key, by in book.texts.items()
    }
    for key, text in found.texts.items():
        texts.setdefault(key, {})[found.language] = text
    report = completeness(
        replace(instrument, translations=replace(book, texts=texts)), found.language
    )
    click.echo(f"{file}: {report}")
    missing = len(replace(book, texts=texts).missing(found.language))
    if missing:
        raise PatError(f"{file}: not complete: {missing} text(s) still to translate")
