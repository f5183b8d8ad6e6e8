"""The questionnaire behind `pat take`: one statement at a time, each answer saved at once.

It reads from standard input through click, so it works the same typed at a terminal or
with answers piped in (one reply per line).
"""

from __future__ import annotations

import textwrap

import click

from pat_framework.catalogue import N_, _
from pat_framework.model import Instrument, Item, Option, Scale
from pat_framework.output import FORMULA_STARTS
from pat_framework.questionnaire.answer_file import AnswerFile, Respondent
from pat_framework.render.text import format_number

DONE, QUIT = "done", "quit"
BACK, SKIP, STOP, HELP = ("b", "back"), ("s", "skip"), ("q", "quit"), ("?", "help")
LEGEND = N_(
    "Type an answer's number, code or label. ? shows the guidance, b goes back, "
    "Enter skips (or keeps the answer already given), s skips, q stops (you can resume)."
)
WIDTH = 88


def option_key(option: Option) -> str:
    """What to type for an option, as shown on screen: its value, else its first code."""
    if option.value is not None:
        return format_number(option.value)
    return option.codes[0] if option.codes else option.label


def parse(scale: Scale, text: str) -> Option | None:
    """The option a reply names (value, label or code, any case), or None."""
    lookup = scale.lookup()
    key = text.strip().lower()
    if key in lookup:
        return lookup[key]
    try:
        return lookup.get(format_number(float(key)))
    except ValueError:
        return None


def check_text(text: str, what: str, required: bool = False) -> str:
    """Why a typed detail (respondent id, organisation…) is refused, or "" when it is fine."""
    if required and not text:
        return f"{what} cannot be empty."
    if text.startswith(FORMULA_STARTS):
        return f"{what} cannot start with {text[0]!r} (a spreadsheet would read a formula)."
    return ""


def ask_text(what: str, default: str = "", required: bool = False) -> str:
    """Ask for one detail until an acceptable value is typed."""
    while True:
        text = click.prompt(what, default=default, show_default=bool(default)).strip()
        problem = check_text(text, what, required)
        if not problem:
            return text
        click.echo(problem)


class Questionnaire:
    """Takes one respondent through one instrument, saving every answer as it is given."""

    def __init__(self, instrument: Instrument, file: AnswerFile, who: Respondent) -> None:
        self.instrument = instrument
        self.file = file
        self.who = who
        self.items = instrument.items
        self.shown_section = ""

    def run(self) -> str:
        """Ask every statement not yet in the file; DONE at the end, QUIT if stopped."""
        recorded = self.file.answers(self.who.id)
        position = next(
            (k for k, item in enumerate(self.items) if item.id not in recorded), len(self.items)
        )
        self._introduce(position)
        while position < len(self.items):
            step = self._ask(self.items[position], position)
            if step is None:
                click.echo(f"Stopped. Your answers so far are saved in {self.file.path}.")
                return QUIT
            position = max(position + step, 0)
        self._summary()
        return DONE

    def _introduce(self, position: int) -> None:
        instrument = self.instrument
        click.echo("")
        click.echo(f"{instrument.title} ({instrument.id}): {len(self.items)} statements")
        click.echo(_("Source: %(citation)s") % {"citation": instrument.source.citation()})
        if instrument.question:
            click.echo(instrument.question)
        if position == len(self.items):
            click.echo(f"Every statement already has an answer in {self.file.path}.")
        elif position:
            click.echo(f"Resuming at statement {position + 1} of {len(self.items)}.")
        click.echo(_(LEGEND))

    def _ask(self, item: Item, position: int) -> int | None:
        """Show one statement and handle replies until it moves on: +1, -1, or None to stop."""
        self._show(item, position)
        while True:
            reply = click.prompt(_("Answer"), default="", show_default=False).strip()
            option = parse(item.scale, reply)
            command = reply.lower()
            if option is not None:
                self.file.record(self.who, item.id, option.label)
                return 1
            if command in HELP:
                click.echo(_wrap(self._guidance(item)))
            elif command in BACK:
                if position == 0:
                    click.echo(_("This is the first statement."))
                    continue
                return -1
            elif command in STOP:
                return None
            elif command in SKIP or (not reply and item.id not in self._recorded()):
                self.file.record(self.who, item.id, "")
                return 1
            elif not reply:
                return 1
            else:
                click.echo(
                    f"'{reply}' is not an answer to this statement; type one of "
                    f"{', '.join(option_key(o) for o in item.scale.options)} "
                    "(or the label), or ? for help."
                )

    def _guidance(self, item: Item) -> str:
        """The item's guidance, else its section's description, else the instrument's."""
        section = self.instrument.section(item.section_id)
        return (
            item.guidance
            or section.description
            or self.instrument.description
            or _("There is no guidance for this statement.")
        )

    def _recorded(self) -> dict[str, str]:
        return self.file.answers(self.who.id)

    def _show(self, item: Item, position: int) -> None:
        section = self.instrument.section(item.section_id)
        if section.id != self.shown_section:
            click.echo("")
            click.echo(f"== {section.title}")
            self.shown_section = section.id
        click.echo("")
        click.echo(f"[{position + 1}/{len(self.items)}] {item.id}")
        click.echo(_wrap(item.text, indent="  "))
        width = max(len(option_key(o)) for o in item.scale.options)
        for option in item.scale.options:
            key = option_key(option)
            others = [c for c in option.codes if c != key]
            extra = f"  ({', '.join(others)})" if others else ""
            click.echo(f"    {key.ljust(width)}  {option.label}{extra}")
        current = self._recorded().get(item.id)
        if current is not None:
            click.echo(f"  Answer given: {current or '(skipped)'}")

    def _summary(self) -> None:
        recorded = self._recorded()
        given = [recorded.get(item.id, "") for item in self.items]
        skipped = sum(1 for answer in given if not answer)
        click.echo("")
        click.echo(
            f"Finished {self.instrument.id}: {len(given) - skipped} answered, "
            f"{skipped} skipped; saved in {self.file.path}."
        )


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent)
