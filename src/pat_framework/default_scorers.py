"""Default plugin: the core's scorers."""

from pat_framework.hookspecs import RegisterScorer, hookimpl


@hookimpl
def register_scorers(register: RegisterScorer) -> None:
    from pat_framework.sum_scorer import SumScorer

    register(SumScorer())
