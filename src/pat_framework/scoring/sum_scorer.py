"""The `sum` scorer: section totals with prorating, and their aggregate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pat_framework.bands import ScoreRange
from pat_framework.interfaces import Complaints
from pat_framework.model import Instrument, Section
from pat_framework.results import AGGREGATE, Scores

if TYPE_CHECKING:
    from pat_framework.responses import Responses


class SumScorer:
    """Add up each section's answers (reverse items counted the other way round).

    A section with at most `missing.max_missing` items unanswered is prorated: the mean of
    the answered items times the number of items. With more unanswered it has no score.
    The aggregate is the sum of the section totals, given only when every section has one.
    """

    name = "sum"
    description = "Total per section (prorated when a few answers are missing) and aggregate"

    def check(self, instrument: Instrument) -> Complaints:
        if not instrument.scored_sections:
            return [("sections", "the sum scorer needs at least one scored section")]
        return []

    def score_range(self, instrument: Instrument, section: Section) -> ScoreRange:
        low = sum(item.scale.low for item in section.items)
        high = sum(item.scale.high for item in section.items)
        whole = all(
            float(o.score).is_integer() for item in section.items for o in item.scale.scoring
        )
        return ScoreRange(low, high, whole)

    def aggregate_range(self, instrument: Instrument) -> ScoreRange | None:
        parts = [self.score_range(instrument, s) for s in instrument.scored_sections]
        return ScoreRange(
            sum(p.low for p in parts), sum(p.high for p in parts), all(p.whole for p in parts)
        )

    def score(self, responses: Responses) -> Scores:
        import numpy as np
        import pandas as pd

        instrument = responses.instrument
        most_missing = instrument.missing.max_missing
        totals, answered, prorated = {}, {}, {}
        for section in instrument.scored_sections:
            # copy=True: pandas 3 may hand back a read-only array, and reverse items write.
            block = responses.values[section.item_ids].to_numpy(dtype=np.float64, copy=True)
            for k, item in enumerate(section.items):
                if item.reverse:
                    block[:, k] = item.scale.low + item.scale.high - block[:, k]
            count = (~np.isnan(block)).sum(axis=1)
            raw = np.nansum(block, axis=1)
            n = len(section.items)
            with np.errstate(invalid="ignore", divide="ignore"):
                total = np.where(count == n, raw, raw / count * n)
            total[(n - count > most_missing) | (count == 0)] = np.nan
            totals[section.id] = total
            answered[section.id] = count.astype(np.int16)
            prorated[section.id] = (count < n) & ~np.isnan(total)
        index = responses.values.index
        frame = pd.DataFrame(totals, index=index)
        frame[AGGREGATE] = frame.sum(axis=1, skipna=False) if totals else np.nan
        return Scores(
            responses,
            frame,
            pd.DataFrame(answered, index=index),
            pd.DataFrame(prorated, index=index),
        )
