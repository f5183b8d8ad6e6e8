"""Results passed along the pipeline: scores, and their interpretation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pat_framework.model import Band, Instrument, Scenario

if TYPE_CHECKING:
    import pandas as pd

    from pat_framework.responses import Responses

AGGREGATE = "aggregate"


@dataclass
class Scores:
    """Per respondent: a total per scored section and the aggregate.

    `totals` has one column per scored section id and an `aggregate` column, NaN where a
    score could not be given; `answered` counts the items answered per section and
    `prorated` says where a total was prorated. `extra` holds scorer-specific frames;
    those named in `shown_extra` (one row per respondent, one column per section) are
    written by the scores renderers beside the totals. `prorated_note` says what a
    prorated score means, in the scorer's words ("" for the default: one statement
    unanswered, total = mean × number of items).
    """

    responses: Responses
    totals: pd.DataFrame
    answered: pd.DataFrame
    prorated: pd.DataFrame
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)
    shown_extra: tuple[str, ...] = ()
    prorated_note: str = ""

    @property
    def instrument(self) -> Instrument:
        return self.responses.instrument


@dataclass(frozen=True)
class Finding:
    """Something for the feedback workshop: a strength, a concern, a disagreement…"""

    kind: str
    title: str
    detail: str = ""
    section_id: str = ""
    item_id: str = ""
    action: bool = False

    def as_dict(self) -> dict[str, object]:
        """The finding as plain data, as the JSON documents hold it."""
        return {
            "kind": self.kind,
            "title": self.title,
            "detail": self.detail,
            "section": self.section_id or None,
            "item": self.item_id or None,
            "action": self.action,
        }


@dataclass
class GroupSummary:
    """The group's picture: medians, bands and the scenario with the rule's reason."""

    respondents: int
    scored: int
    median_aggregate: float | None
    aggregate_band: Band | None
    scenario: Scenario | None
    reason: str
    section_medians: dict[str, float | None] = field(default_factory=dict)
    section_bands: dict[str, Band | None] = field(default_factory=dict)


@dataclass
class Interpretation:
    """Scores with their bands (positions in `ordered(bands)`, -1 for none) and the group."""

    scores: Scores
    bands: pd.DataFrame
    group: GroupSummary
    findings: list[Finding] = field(default_factory=list)

    @property
    def instrument(self) -> Instrument:
        return self.scores.instrument
