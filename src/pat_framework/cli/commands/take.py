"""`pat take ID`: an interactive questionnaire in the terminal for any instrument."""

from __future__ import annotations

import contextlib
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pat_framework.cli.context import registry
from pat_framework.cli.options import in_language, language_option, output_option

if TYPE_CHECKING:
    from pat_framework.model import Instrument
    from pat_framework.questionnaire.answer_file import AnswerFile, Respondent


@click.command()
@click.argument("instrument_ids", metavar="ID [ID...]", nargs=-1, required=True)
@output_option(
    "The response file (.csv) to save answers in. With several IDs, one file each: "
    "answers.csv becomes answers-ID.csv.",
    required=True,
)
@click.option("--resume", is_flag=True, help="Carry on where the respondent stopped.")
@click.option("--respondent", help="The respondent's id (asked if not given).")
@click.option("--organisation", help="The respondent's organisation (asked if not given).")
@click.option("--level", help="board, senior, front line… (asked if not given).")
@click.option(
    "--round", "round_", metavar="ROUND", help="The assessment round (asked if not given)."
)
@language_option
def take(
    instrument_ids: tuple[str, ...],
    output: Path,
    resume: bool,
    respondent: str | None,
    organisation: str | None,
    level: str | None,
    round_: str | None,
    language: str | None,
) -> None:
    """Answer one or more instruments in the terminal, one statement at a time.

    Every answer is saved in the response file as soon as it is given, so a run that is
    stopped (q, Ctrl-C, or the end of piped input) loses nothing; run the same command
    with --resume to carry on. Score the file with `pat score ID FILE`.
    """
    from pat_framework.locking import locked

    reg = registry()
    instruments = [reg.get("instrument", ident) for ident in instrument_ids]
    if language and not any(language in i.languages for i in instruments):
        in_language(instruments[0], language)  # says which languages there are
    paths = output_paths(output, instrument_ids)
    given = {"organisation": organisation, "level": level, "round": round_}
    with contextlib.ExitStack() as locks:
        for path in paths:  # a second `pat take` on one file stops here, before any question
            locks.enter_context(locked(path, what="`pat take`"))
        _take(instruments, paths, instrument_ids, output, resume, respondent, given, language)


def _take(
    instruments: list[Instrument],
    paths: list[Path],
    instrument_ids: tuple[str, ...],
    output: Path,
    resume: bool,
    respondent: str | None,
    given: dict[str, str | None],
    language: str | None,
) -> None:
    from pat_framework.catalogue import speaking
    from pat_framework.questionnaire.answer_file import AnswerFile
    from pat_framework.questionnaire.terminal import QUIT, Questionnaire

    files = [AnswerFile(p, bool(i.languages)) for i, p in zip(instruments, paths, strict=True)]
    for file in files:
        for note in file.notes:
            click.echo(f"pat: note: {note}", err=True)
    who: Respondent | None = None
    try:
        who = with_language(identify(files, resume, respondent, given), instruments, language)
        shown = [shown_in(i, who.language) for i in instruments]
        for instrument, file in zip(shown, files, strict=True):
            with speaking(who.language):
                stopped = Questionnaire(instrument, file, who).run() == QUIT
            if stopped:
                click.echo(_resume_hint(instrument_ids, output, who))
                return
    except click.Abort:
        written = [str(path) for path in paths if path.exists()]
        saved = (
            f"answers so far are saved in {', '.join(written)}" if written else "nothing was saved"
        )
        hint = f"; {_resume_hint(instrument_ids, output, who)}" if who else ""
        click.echo(f"\npat: stopped before the end: {saved}{hint}", err=True)
        click.get_current_context().exit(1)
    click.echo("")
    for instrument, path in zip(instruments, paths, strict=True):
        click.echo(f"Score it with: pat score {instrument.id} {path}")


def output_paths(output: Path, instrument_ids: tuple[str, ...]) -> list[Path]:
    """One response file per instrument: the file given, or FILE-ID.csv for several."""
    if output.suffix.lower() != ".csv":
        raise click.BadParameter("the response file must be a .csv file", param_hint="-o")
    if not output.resolve().parent.is_dir():
        raise click.BadParameter(f"folder {output.parent} does not exist", param_hint="-o")
    repeated = sorted({i for i in instrument_ids if instrument_ids.count(i) > 1})
    if repeated:
        raise click.BadParameter(f"{', '.join(repeated)} given twice", param_hint="ID")
    if len(instrument_ids) == 1:
        return [output]
    return [output.with_name(f"{output.stem}-{ident}{output.suffix}") for ident in instrument_ids]


def identify(
    files: list[AnswerFile], resume: bool, respondent: str | None, given: dict[str, str | None]
) -> Respondent:
    """Who is answering: from the options, the file (when resuming) or by asking."""
    from pat_framework.errors import PatError
    from pat_framework.questionnaire.answer_file import DETAILS, Respondent
    from pat_framework.questionnaire.terminal import ask_text, check_text

    for name, value in [("respondent", respondent), *given.items()]:
        problem = check_text(value.strip(), name, required=name == "respondent") if value else ""
        if problem:
            raise click.BadParameter(problem, param_hint=f"--{name}")
    known = [rid for file in files for rid in file.respondents()]
    default = known[-1] if resume and known else ""
    rid = respondent.strip() if respondent else ask_text("Respondent id", default, required=True)
    found = {(file.path, r) for file in files if (r := file.respondent(rid))}
    if found and not resume:
        where = ", ".join(str(path) for path, _ in sorted(found, key=str))
        raise PatError(
            f"respondent '{rid}' already has answers in {where}; add --resume to carry on "
            "where they stopped, or give another id"
        )
    if found:
        records = {r for _, r in found}
        if len(records) > 1:
            raise PatError(f"respondent '{rid}' has different details in different files")
        who = records.pop()
        for name in DETAILS:
            value = given[name]
            if value is not None and value.strip() != getattr(who, name):
                raise PatError(
                    f"respondent '{rid}' has {name} '{getattr(who, name)}' in the file, "
                    f"not '{value.strip()}'"
                )
        shown = ", ".join(d for d in who.details() if d)
        click.echo(f"Resuming respondent {rid}" + (f" ({shown})" if shown else "") + ".")
        return who
    if resume:
        click.echo(f"No answers from {rid} yet; starting from the first statement.")
    details = {
        name: value.strip() if value is not None else ask_text(name.capitalize())
        for name, value in given.items()
    }
    return Respondent(rid, **details)


def with_language(
    who: Respondent, instruments: list[Instrument], language: str | None
) -> Respondent:
    """The respondent with the language the questions are shown in: the one chosen, else
    the one recorded (when resuming), else the first instrument's default."""
    from dataclasses import replace

    from pat_framework.errors import PatError

    if language and who.language and language != who.language:
        raise PatError(
            f"respondent '{who.id}' answered in '{who.language}' in the file, not "
            f"'{language}': leave out --language to carry on in '{who.language}'"
        )
    chosen = language or who.language or next((i.language for i in instruments if i.language), "")
    return replace(who, language=chosen)


def shown_in(instrument: Instrument, language: str) -> Instrument:
    """The instrument in `language` when it has it (else in its own): with several
    instruments, a language some lack."""
    return instrument.in_language(language) if language in instrument.languages else instrument


def _resume_hint(instrument_ids: tuple[str, ...], output: Path, who: Respondent) -> str:
    words = ["pat", "take", *instrument_ids, "-o", str(output), "--resume"]
    return f"to carry on: {shlex.join([*words, '--respondent', who.id])}"
