"""A governance matrix for partnership working: four areas, going well and going badly.

The entry module stays light (`pat --help` loads it): the scorer, interpreter and chart
are imported only when the registry asks for them.
"""

from pathlib import Path

from pat_framework import hookimpl
from pat_framework.hookspecs import (
    RegisterChart,
    RegisterInstrument,
    RegisterInterpreter,
    RegisterScorer,
)

INSTRUMENT = Path(__file__).with_name("governance-matrix.toml")


@hookimpl
def register_instruments(register: RegisterInstrument) -> None:
    register(INSTRUMENT)


@hookimpl
def register_scorers(register: RegisterScorer) -> None:
    from governance_matrix.scoring import BalanceScorer

    register(BalanceScorer())


@hookimpl
def register_interpreters(register: RegisterInterpreter) -> None:
    from governance_matrix.interpreting import MatrixInterpreter

    register(MatrixInterpreter())


@hookimpl
def register_charts(register: RegisterChart) -> None:
    from governance_matrix.chart import MatrixBalanceChart

    register(MatrixBalanceChart())
