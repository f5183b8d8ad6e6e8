"""The ODPM Partnership Assessment Tool (2003) as a pat instrument."""

from pathlib import Path

from pat_framework import hookimpl
from pat_framework.hookspecs import RegisterInstrument

INSTRUMENT = Path(__file__).with_name("pat-odpm.toml")


@hookimpl
def register_instruments(register: RegisterInstrument) -> None:
    register(INSTRUMENT)
