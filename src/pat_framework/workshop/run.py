"""Run a workshop: each instrument's answers read, scored, analysed and charted."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pat_framework.errors import PatError, Problem, ProblemsError
from pat_framework.workshop import Workshop, WorkshopError

if TYPE_CHECKING:
    from pat_framework.reports import Report
    from pat_framework.runtime.registry import Registry

#: Told each step as it finishes: (step number, number of steps, what was done).
Progress = Callable[[int, int, str], None]


@dataclass
class WorkshopReport:
    """A workshop and, in its order, the report of each of its instruments."""

    workshop: Workshop
    parts: list[Report]
    created: datetime.date = field(default_factory=datetime.date.today)


def run_workshop(
    registry: Registry, workshop: Workshop, progress: Progress | None = None
) -> WorkshopReport:
    """Analyse every instrument of the workshop; every problem is reported, none hidden.

    When any instrument's answers cannot be read, WorkshopError lists the problems of all
    of them and no report is made.
    """
    problems: list[Problem] = []
    parts: list[Report] = []
    total = len(workshop.instruments)
    for step, entry in enumerate(workshop.instruments, 1):
        start = time.perf_counter()
        try:
            report = _instrument_report(registry, workshop, step)
        except ProblemsError as exc:
            problems += exc.problems
            continue
        except PatError as exc:
            problems.append(Problem(str(workshop.file), str(exc), key=entry.key))
            continue
        parts.append(report)
        if progress is not None:
            progress(step, total, _done(report, time.perf_counter() - start))
    if problems:
        files = len({p.file for p in problems})
        raise WorkshopError(
            f"the workshop cannot be run: {len(problems)} problem(s) in {files} file(s)", problems
        )
    return WorkshopReport(workshop, parts)


def _instrument_report(registry: Registry, workshop: Workshop, step: int) -> Report:
    from pat_framework.reports import build_report
    from pat_framework.runtime.pipeline import analysed

    entry = workshop.instruments[step - 1]
    analysis = analysed(
        registry, entry.id, entry.responses, entry.by, workshop.min_group, entry.round
    )
    return build_report(registry, analysis, assets=f"{workshop.output_name}-charts")


def _done(report: Report, seconds: float) -> str:
    analysis = report.analysis
    instrument = analysis.instrument
    n = len(analysis.interpretation.scores.totals)
    actions = 0 if analysis.action_plan is None else len(analysis.action_plan)
    return (
        f"{instrument.id}: {n} respondent(s), {len(analysis.findings)} finding(s), "
        f"{actions} action(s), {len(report.charts)} chart(s) ({seconds:.1f} s)"
    )
