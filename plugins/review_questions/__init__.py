"""Checklists of review questions from partnership guidance documents.

Registers the checklist instruments, the `checklist` scorer and the `checklist`
interpreter. The scorer and interpreter modules are imported only when registered, so
that `pat --help` stays fast.
"""

from pathlib import Path

from pat_framework import hookimpl
from pat_framework.hookspecs import RegisterInstrument, RegisterInterpreter, RegisterScorer

INSTRUMENTS = Path(__file__).with_name("instruments")


@hookimpl
def register_instruments(register: RegisterInstrument) -> None:
    for path in sorted(INSTRUMENTS.glob("*.toml")):
        register(path)


@hookimpl
def register_scorers(register: RegisterScorer) -> None:
    from review_questions.scoring import ChecklistScorer

    register(ChecklistScorer())


@hookimpl
def register_interpreters(register: RegisterInterpreter) -> None:
    from review_questions.interpreting import ChecklistInterpreter

    register(ChecklistInterpreter())
