"""Checklists of review questions from partnership guidance documents."""

from pathlib import Path

from pat_framework import hookimpl
from pat_framework.hookspecs import RegisterInstrument

INSTRUMENTS = Path(__file__).with_name("instruments")


@hookimpl
def register_instruments(register: RegisterInstrument) -> None:
    for path in sorted(INSTRUMENTS.glob("*.toml")):
        register(path)
