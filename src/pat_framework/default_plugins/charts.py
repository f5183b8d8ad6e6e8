"""Default plugin `pat.charts`: the dartboard, spread, totals, subgroups, trend and
priorities charts."""

from pat_framework.hookspecs import RegisterChart, hookimpl


@hookimpl
def register_charts(register: RegisterChart) -> None:
    from pat_framework.charts.dartboard import Dartboard
    from pat_framework.charts.priorities import Priorities
    from pat_framework.charts.spread import Spread
    from pat_framework.charts.subgroups import Subgroups
    from pat_framework.charts.totals import Totals
    from pat_framework.charts.trend import Trend

    for builder in (Dartboard(), Spread(), Totals(), Subgroups(), Trend(), Priorities()):
        register(builder)
