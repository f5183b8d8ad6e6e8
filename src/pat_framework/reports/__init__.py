"""Reports: the analysis with every chart that applies, for HTML, Markdown, JSON and Excel.

A `Report` is what the renderers of subject "report" receive. Charts are chosen by asking
each registered chart whether it `applies` to the instrument, never by instrument id.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pat_framework.analysis.ranking import TOP_ACTIONS
from pat_framework.catalogue import _
from pat_framework.charts import NothingToDraw, build
from pat_framework.errors import PatError
from pat_framework.interfaces import DescribesFor
from pat_framework.runtime import plugins

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis
    from pat_framework.analysis.ranking import ActionPlan
    from pat_framework.interfaces import Chart
    from pat_framework.runtime.registry import Registry

REPORT_FORMAT = "pat-report"
REPORT_VERSION = 1
#: The core's charts come first, in reading order; plugins' charts follow by name.
CHART_ORDER = ("dartboard", "totals", "spread", "subgroups", "trend", "priorities")


@dataclass
class DrawnChart:
    """A chart built for this report, with the plugin that provided it and the registered
    chart that built it (`maker`, to draw it again from part of the analysis)."""

    name: str
    title: str
    description: str
    chart: Any
    provider: str
    maker: Chart | None = None

    @cached_property
    def spec(self) -> dict[str, Any]:
        """The chart's vega-lite spec with the shared look: made (and validated) once, for
        every format the report is written in."""
        from pat_framework.charts.export import chart_spec

        return chart_spec(self.chart)


#: Charts of every respondent (a row or dot each): in the full report only, as they run to
#: pages for a large group; the standard report has the group's charts.
FULL_ONLY_CHARTS = ("totals", "spread")
#: How much a report holds: the at-a-glance part and the plan; with the detail sections;
#: with every table and comment too.
DETAILS = ("summary", "standard", "full")


@dataclass
class Report:
    """An analysis and its charts; `assets` names the folder for files written beside it,
    `detail` one of DETAILS and `actions` how many actions the plan shows."""

    analysis: Analysis
    charts: list[DrawnChart] = field(default_factory=list)
    not_drawn: list[str] = field(default_factory=list)
    assets: str = "charts"
    created: datetime.date = field(default_factory=datetime.date.today)
    detail: str = "standard"
    actions: int = TOP_ACTIONS

    @property
    def shown_charts(self) -> list[DrawnChart]:
        """The charts this detail level shows."""
        if self.detail == "full":
            return self.charts
        return [c for c in self.charts if c.name not in FULL_ONLY_CHARTS]

    @cached_property
    def plan(self) -> ActionPlan:
        """The ranked action plan (the same ranking as the priorities)."""
        from pat_framework.analysis.ranking import rank_actions

        return rank_actions([self.analysis], self.actions)


def build_report(
    registry: Registry,
    analysis: Analysis,
    assets: str = "charts",
    detail: str = "standard",
    actions: int = TOP_ACTIONS,
) -> Report:
    """Build every registered chart that applies to the analysis's instrument."""
    if detail not in DETAILS:
        raise PatError(f"the detail is one of {', '.join(DETAILS)}, not '{detail}'")
    if actions < 1:
        raise PatError(f"the plan shows at least one action, not {actions}")
    instrument = analysis.instrument
    report = Report(analysis, assets=assets, detail=detail, actions=actions)
    names = registry.names("chart")
    rank = {name: k for k, name in enumerate(CHART_ORDER)}
    for name in sorted(names, key=lambda n: (rank.get(n, len(rank)), n)):
        chart = registry.get("chart", name)
        provider = registry.provider("chart", name)
        try:
            if not chart.applies(instrument):
                continue
            built = build(chart, analysis, plugins.is_builtin(provider))
        except NothingToDraw as exc:
            report.not_drawn.append(f"{_(chart.title)}: {exc}")
            continue
        except PatError:
            raise
        except Exception as exc:  # a plugin's chart must not hide the rest of the report
            raise PatError(
                f"chart '{name}' from plugin '{provider}' failed: {type(exc).__name__}: {exc}"
            ) from exc
        said = chart.describe(instrument) if isinstance(chart, DescribesFor) else chart.description
        title = _(chart.title)
        report.charts.append(DrawnChart(name, title, _(said), built, provider, chart))
    return report
