"""Run a workshop: each instrument's answers read, scored, analysed and charted."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from pat_framework.analysis.ranking import TOP_ACTIONS
from pat_framework.catalogue import gettext
from pat_framework.errors import PatError, Problem, ProblemsError
from pat_framework.workshop import Workshop, WorkshopError, WorkshopInstrument

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis
    from pat_framework.analysis.ranking import ActionPlan
    from pat_framework.reports import Report
    from pat_framework.runtime.registry import Registry
    from pat_framework.serve.room import Agreed

#: Told each step as it finishes: (step number, number of steps, what was done).
Progress = Callable[[int, int, str], None]


@dataclass
class WorkshopReport:
    """A workshop and, in its order, the report of each of its instruments; `detail` and
    `actions` as a Report's; `agreed`, by instrument id, what the room view recorded for
    the instruments read from a `pat serve` collection (only those with anything agreed)."""

    workshop: Workshop
    parts: list[Report]
    created: datetime.date = field(default_factory=datetime.date.today)
    detail: str = "standard"
    actions: int = TOP_ACTIONS
    agreed: dict[str, Agreed] = field(default_factory=dict)

    @cached_property
    def plan(self) -> ActionPlan:
        """One ranked plan across every instrument."""
        from pat_framework.analysis.ranking import rank_actions

        return rank_actions([r.analysis for r in self.parts], self.actions)


def run_workshop(
    registry: Registry,
    workshop: Workshop,
    progress: Progress | None = None,
    detail: str = "standard",
    actions: int = TOP_ACTIONS,
) -> WorkshopReport:
    """Analyse every instrument of the workshop; every problem is reported, none hidden.

    Every instrument's answers are read and analysed first: when any cannot be, WorkshopError
    lists the problems of all of them, and no chart is drawn. Then each report is built.
    """
    problems: list[Problem] = []
    analyses: list[tuple[Analysis, float]] = []
    agreed: dict[str, Agreed] = {}
    for entry in workshop.instruments:
        start = time.perf_counter()
        try:
            analysis = _analysis(registry, workshop, entry)
            if entry.collection is not None:
                from pat_framework.serve.room import agreed_in

                found = agreed_in(entry.collection, analysis.instrument)
                if found:
                    agreed[entry.id] = found
        except ProblemsError as exc:
            problems += exc.problems
            continue
        except PatError as exc:
            problems.append(Problem(str(workshop.file), str(exc), key=entry.key))
            continue
        analyses.append((analysis, time.perf_counter() - start))
    if problems:
        files = len({p.file for p in problems})
        raise WorkshopError(
            f"the workshop cannot be run: {len(problems)} problem(s) in {files} file(s)", problems
        )
    from pat_framework.reports import build_report

    parts: list[Report] = []
    total = len(workshop.instruments)
    for step, (analysis, seconds) in enumerate(analyses, 1):
        start = time.perf_counter()
        report = build_report(
            registry, analysis, f"{workshop.output_name}-charts", detail, actions
        )
        parts.append(report)
        if progress is not None:
            progress(step, total, _done(report, seconds + time.perf_counter() - start))
    return WorkshopReport(workshop, parts, detail=detail, actions=actions, agreed=agreed)


def _analysis(registry: Registry, workshop: Workshop, entry: WorkshopInstrument) -> Analysis:
    from pat_framework.runtime.pipeline import analysed

    if entry.collection is not None:
        from pat_framework.serve.export import analysed_collection

        return analysed_collection(
            registry,
            entry.id,
            entry.collection,
            entry.by,
            workshop.min_group,
            entry.round,
            workshop.min_comments,
        )
    return analysed(
        registry,
        entry.id,
        entry.responses,
        entry.by,
        workshop.min_group,
        entry.round,
        source=entry.source,
        min_comments=workshop.min_comments,
    )


def _done(report: Report, seconds: float) -> str:
    analysis = report.analysis
    instrument = analysis.instrument
    n = len(analysis.interpretation.scores.totals)
    actions = 0 if analysis.action_plan is None else len(analysis.action_plan)
    said = {"id": instrument.id, "respondents": n, "findings": len(analysis.findings),
            "actions": actions, "charts": len(report.charts),
            "seconds": f"{seconds:.1f}"}  # fmt: skip
    return (
        gettext(
            "%(id)s: %(respondents)s respondent(s), %(findings)s finding(s), %(actions)s "
            "action(s), %(charts)s chart(s) (%(seconds)s s)"
        )
        % said
    )
