"""The `checklist` interpreter: red/amber/green ratings, action-plan rows, disagreements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pat_framework.bands import band_of, group_median, score_bands
from pat_framework.interfaces import Complaints
from pat_framework.model import DONT_KNOW, NOT_APPLICABLE, Instrument, Item, Option
from pat_framework.render.text import format_number
from pat_framework.responses import DONT_KNOW_STATE, NOT_APPLICABLE_STATE
from pat_framework.results import AGGREGATE, Finding, GroupSummary, Interpretation, Scores
from review_questions.scoring import credit

if TYPE_CHECKING:
    from pat_framework.responses import Responses

ACTION = "action"
DISAGREEMENT = "disagreement"


@dataclass(frozen=True)
class ItemTally:
    """How the respondents answered one item: a count per option, in scale order."""

    item: Item
    counts: list[tuple[Option, int]]

    def count(self, wanted: list[Option]) -> int:
        return sum(n for option, n in self.counts if option in wanted)

    @property
    def open_options(self) -> list[Option]:
        """Answers that leave the item open: anything short of full credit, and Don't know."""
        return [
            o
            for o in self.item.scale.options
            if (o.value is not None and credit(self.item, o.value) < 1) or o.missing == DONT_KNOW
        ]

    def ends(self) -> tuple[list[Option], list[Option]]:
        """The options that earn full credit and those that earn none."""
        scoring = self.item.scale.scoring
        full = [o for o in scoring if credit(self.item, o.score) == 1]
        none = [o for o in scoring if credit(self.item, o.score) == 0]
        return full, none

    def breakdown(self, options: list[Option]) -> str:
        return ", ".join(f"{o.label} {n}" for o, n in self.counts if n and o in options)


class ChecklistInterpreter:
    """Rate each checklist red, amber or green by its bands, and list what is still open.

    Each respondent's readiness is banded per section and overall. The group's rating is
    that of the median respondent's readiness. Every item that at least one respondent
    left open (No, Partly or Don't know; Yes on a reversed item) becomes an action-plan
    finding, with counts of the open answers; an item some partners fully met and others
    did not meet at all (some Yes, some No) is also a disagreement finding.
    """

    name = "checklist"
    description = "Red/amber/green per checklist; an action row per open item; disagreements"

    def check(self, instrument: Instrument) -> Complaints:
        return [
            (f"sections[{i}].bands", "the checklist interpreter needs bands for every checklist")
            for i, section in enumerate(instrument.sections, 1)
            if section.scored and not section.bands
        ]

    def interpret(self, scores: Scores) -> Interpretation:

        instrument = scores.instrument
        bands = score_bands(scores)
        tallies = [
            tally(scores.responses, item)
            for section in instrument.scored_sections
            for item in section.items
        ]
        findings = [f for t in tallies if (f := action_row(t, len(scores.totals)))]
        findings += [f for t in tallies if (f := disagreement(t))]
        return Interpretation(scores, bands, self._group(scores, findings), findings)

    def _group(self, scores: Scores, findings: list[Finding]) -> GroupSummary:
        instrument = scores.instrument
        totals = scores.totals
        medians = {s.id: group_median(totals[s.id]) for s in instrument.scored_sections}
        section_bands = {s.id: band_of(medians[s.id], s.bands) for s in instrument.scored_sections}
        median = group_median(totals[AGGREGATE])
        band = band_of(median, instrument.aggregate_bands)
        scenario = instrument.scenario(band.scenario) if band and band.scenario else None
        scored = int(totals[AGGREGATE].notna().sum())
        if median is None:
            reason = "No respondent gave enough applicable answers for a readiness score."
        else:
            rated = [
                f"{s.title} {percent(medians[s.id])}"
                + (f" ({b.label})" if (b := section_bands[s.id]) else "")
                for s in instrument.scored_sections
            ]
            reason = f"Median readiness of {scored} respondent(s): {'; '.join(rated)}."
            if len(rated) > 1:
                overall = f" ({band.label})" if band else ""
                reason += f" Overall {percent(median)}{overall}."
        actions = sum(f.kind == ACTION for f in findings)
        split = sum(f.kind == DISAGREEMENT for f in findings)
        items = sum(len(s.items) for s in instrument.scored_sections)
        reason += (
            f" {actions} of {items} item(s) "
            f"are open for at least one respondent; {split} divide the partners."
        )
        return GroupSummary(
            len(totals), scored, median, band, scenario, reason, medians, section_bands
        )


def tally(responses: Responses, item: Item) -> ItemTally:
    """Count each answer to one item: scoring options by value, the others by state."""
    import numpy as np

    values = responses.values[item.id].to_numpy()
    states = responses.state_of(item.id).to_numpy()
    counts = []
    for option in item.scale.options:
        if option.value is not None:
            n = int(np.count_nonzero(values == np.float32(option.value)))
        else:
            n = int(np.count_nonzero(states == _STATES[option.missing or ""]))
        counts.append((option, n))
    return ItemTally(item, counts)


def action_row(tally: ItemTally, respondents: int) -> Finding | None:
    """An action-plan row for an item that is open for at least one respondent."""
    options = tally.open_options
    count = tally.count(options)
    if not count:
        return None
    item = tally.item
    detail = f"Open for {count} of {respondents} respondent(s): {tally.breakdown(options)}."
    if item.reverse:
        best = ", ".join(o.label for o in tally.ends()[0])
        detail += f" Reversed item: {best} is the good answer."
    return Finding(ACTION, f"{item.id} {item.text}", detail, item.section_id, item.id, True)


def disagreement(tally: ItemTally) -> Finding | None:
    """A finding for an item some respondents fully met and others did not meet at all."""
    full, none = tally.ends()
    if not (tally.count(full) and tally.count(none)):
        return None
    item = tally.item
    answers = tally.breakdown([o for o, _ in tally.counts])
    return Finding(
        DISAGREEMENT,
        f"{item.id} {item.text}",
        f"Partners answer this differently: {answers}.",
        item.section_id,
        item.id,
    )


def percent(value: float | None) -> str:
    """A readiness for people: '66.7%', or '–' for none."""
    return "–" if value is None else f"{format_number(round(value, 1))}%"


_STATES = {DONT_KNOW: DONT_KNOW_STATE, NOT_APPLICABLE: NOT_APPLICABLE_STATE}
