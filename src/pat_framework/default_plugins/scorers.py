"""Default plugin `pat.scorers`: the `sum` scorer."""

from pat_framework.hookspecs import RegisterScorer, hookimpl


@hookimpl
def register_scorers(register: RegisterScorer) -> None:
    from pat_framework.scoring.sum_scorer import SumScorer

    register(SumScorer())
