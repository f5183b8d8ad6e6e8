"""What plugins register: scorers, interpreters, renderers, charts and importers, and the optional
capabilities a renderer (`WritesAssets`) or a chart (`DescribesFor`, `DrawsOneRespondent`)
may have.

These are structural types: any object with these attributes and methods will do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis
    from pat_framework.bands import ScoreRange
    from pat_framework.importers.base import Export, Sheet
    from pat_framework.model import Instrument, Section
    from pat_framework.responses import Responses
    from pat_framework.results import Interpretation, Scores

#: (key path, message) pairs describing what is wrong with an instrument.
Complaints = list[tuple[str, str]]


@runtime_checkable
class Scorer(Protocol):
    """Turns a table of answers into scores per respondent and section."""

    name: str
    description: str

    def check(self, instrument: Instrument) -> Complaints:
        """Problems that stop this scorer from scoring the instrument."""

    def score_range(self, instrument: Instrument, section: Section) -> ScoreRange:
        """The scores a section can reach."""

    def aggregate_range(self, instrument: Instrument) -> ScoreRange | None:
        """The scores the aggregate can reach, or None when there is no aggregate."""

    def score(self, responses: Responses) -> Scores:
        """Score every respondent."""


@runtime_checkable
class Interpreter(Protocol):
    """Reads scores: bands, scenarios, findings for the group."""

    name: str
    description: str

    def check(self, instrument: Instrument) -> Complaints:
        """Problems that stop this interpreter from reading the instrument's scores."""

    def interpret(self, scores: Scores) -> Interpretation:
        """Interpret one set of scores."""


@runtime_checkable
class Renderer(Protocol):
    """Writes a result (scores, an analysis or a report) in one output format."""

    name: str
    subject: str
    binary: bool
    description: str

    @property
    def suffixes(self) -> tuple[str, ...]:
        """File suffixes that choose this format, first the one written by default.

        Read-only here, so a class attribute such as ``suffixes = (".txt",)`` matches.
        """

    def render(self, result: Any) -> str | bytes:
        """The whole output as text, or bytes when `binary`."""


@runtime_checkable
class WritesAssets(Protocol):
    """A report or workshop renderer that writes files beside its output (Markdown's chart
    images)."""

    def assets(self, result: Any) -> dict[str, bytes]:
        """File path (relative to the output's folder, under the report's `assets` folder)
        -> content."""


@runtime_checkable
class Chart(Protocol):
    """Builds an altair chart from an analysis."""

    name: str
    title: str
    description: str

    def applies(self, instrument: Instrument) -> bool:
        """Whether this chart makes sense for the instrument (reports draw only these)."""

    def build(self, analysis: Analysis) -> Any:
        """An altair chart, built from the analysis's small aggregated frames."""


@runtime_checkable
class DescribesFor(Protocol):
    """A chart whose description depends on the instrument: in its own words for its
    sections ('principle', 'area'); a report shows this instead of `description`."""

    def describe(self, instrument: Instrument) -> str:
        """The chart's description for this instrument."""


@runtime_checkable
class DrawsOneRespondent(Protocol):
    """A chart that can be drawn for one respondent (`pat chart --respondent ID`)."""

    def for_respondent(self, respondent: str) -> Chart:
        """The same chart, for this respondent's answers only."""


@runtime_checkable
class Importer(Protocol):
    """Reads the response exports of one survey tool (`--from NAME`)."""

    name: str
    title: str
    description: str

    def detect(self, sheet: Sheet) -> bool:
        """Whether this tool wrote the file, judged by its first rows (`sheet.row(1)` …)."""

    def read(self, sheet: Sheet) -> Export:
        """What each column holds, and the data rows; pat matches the columns to items."""
