"""A governance matrix for partnership working: four areas, going well and going badly."""

from pathlib import Path

from pat_framework import hookimpl
from pat_framework.hookspecs import RegisterInstrument

INSTRUMENT = Path(__file__).with_name("governance-matrix.toml")


@hookimpl
def register_instruments(register: RegisterInstrument) -> None:
    register(INSTRUMENT)
