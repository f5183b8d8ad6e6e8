"""The `mean` scorer: each section's mean answer on the scale, instead of its total."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pat_framework.bands import ScoreRange
from pat_framework.results import AGGREGATE, Scores

if TYPE_CHECKING:
    from pat_framework.interfaces import Complaints
    from pat_framework.model import Instrument, Section
    from pat_framework.responses import Responses

#: Means are rounded to this many decimals, so that a mean exactly on a band's edge (2.5)
#: is not pushed below it by floating-point error.
DECIMALS = 9
PARTIAL_NOTE = "some statements unanswered: the mean of those answered"


class MeanScorer:
    """Mean answer per section, on the section's scale (1–4 for the agreement scale).

    A mean reads the same whatever the number of statements, so sections of different
    lengths can be compared. Reverse-scored statements count the other way round. Don't
    know, Not applicable and blanks are left out; a section with more than the
    instrument's `[missing] max_missing` statements unanswered has no score, and one with
    fewer is marked (`Scores.prorated`). The aggregate is the mean of the section means,
    given when every section has one, so each section counts the same.
    """

    name = "mean"
    description = "Mean answer per section on the scale; aggregate: mean of the section means"

    def check(self, instrument: Instrument) -> Complaints:
        found: Complaints = []
        if not instrument.scored_sections:
            found.append(("sections", "the mean scorer needs at least one scored section"))
        for i, section in enumerate(instrument.sections, 1):
            ranges = {(item.scale.low, item.scale.high) for item in section.items}
            if section.scored and len(ranges) > 1:
                found.append(
                    (
                        f"sections[{i}]",
                        f"the mean scorer needs every statement of section '{section.id}' "
                        "to score on the same range; its scales run "
                        + ", ".join(str(ScoreRange(*r)) for r in sorted(ranges)),
                    )
                )
        return found

    def score_range(self, instrument: Instrument, section: Section) -> ScoreRange:
        scale = section.items[0].scale
        return ScoreRange(scale.low, scale.high, whole=False)

    def aggregate_range(self, instrument: Instrument) -> ScoreRange | None:
        parts = [self.score_range(instrument, s) for s in instrument.scored_sections]
        if not parts:
            return None
        low = sum(p.low for p in parts) / len(parts)
        high = sum(p.high for p in parts) / len(parts)
        return ScoreRange(round(low, DECIMALS), round(high, DECIMALS), whole=False)

    def score(self, responses: Responses) -> Scores:
        import numpy as np
        import pandas as pd

        instrument = responses.instrument
        most_missing = instrument.missing.max_missing
        index = responses.values.index
        means, answered, partial = {}, {}, {}
        for section in instrument.scored_sections:
            block = responses.values[section.item_ids].to_numpy(dtype=np.float64, copy=True)
            for k, item in enumerate(section.items):
                if item.reverse:
                    block[:, k] = item.scale.low + item.scale.high - block[:, k]
            count = (~np.isnan(block)).sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = np.nansum(block, axis=1) / count
            n = len(section.items)
            mean[(n - count > most_missing) | (count == 0)] = np.nan
            means[section.id] = mean.round(DECIMALS)
            answered[section.id] = count.astype(np.int16)
            partial[section.id] = (count < n) & ~np.isnan(mean)
        totals = pd.DataFrame(means, index=index)
        totals[AGGREGATE] = totals.mean(axis=1, skipna=False).round(DECIMALS)
        return Scores(
            responses,
            totals,
            pd.DataFrame(answered, index=index),
            pd.DataFrame(partial, index=index),
            prorated_note=PARTIAL_NOTE,
        )
