"""The `checklist` scorer: readiness per checklist, as a percentage of applicable answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from pat_framework.bands import ScoreRange
from pat_framework.interfaces import Complaints
from pat_framework.model import Instrument, Item, Section
from pat_framework.responses import ANSWERED, BLANK, DONT_KNOW_STATE, NOT_APPLICABLE_STATE
from pat_framework.results import AGGREGATE, Scores

if TYPE_CHECKING:
    import numpy as np

    from pat_framework.responses import Responses

#: Readiness is rounded to this many decimals so that a score exactly on a band's edge
#: (50, 80) is not pushed below it by floating-point error.
DECIMALS = 9
READINESS = ScoreRange(0, 100, whole=False)
#: Counts the scores renderers write beside each readiness.
SHOWN = ("dont_know", "not_applicable")
PARTIAL_NOTE = "some statements left blank: readiness is worked out from those answered"
Values = TypeVar("Values", float, "np.ndarray")


def credit(item: Item, value: Values) -> Values:
    """What one answer counts towards readiness, from 0 to 1 (Yes 1, Partly ½, No 0).

    The scale's lowest value counts 0 and its highest 1; a reverse item (a barrier)
    counts the other way round.
    """
    share = (value - item.scale.low) / (item.scale.high - item.scale.low)
    return 1 - share if item.reverse else share


class ChecklistScorer:
    """Readiness = (Yes + ½ Partly) / applicable answers × 100, per respondent and checklist.

    Applicable answers are the scoring ones (Yes, Partly, No): Don't know and Not
    applicable are left out of the sum and the count, and Don't know is counted on its own
    (`Scores.extra["dont_know"]`). A section is scored when at most `[missing] max_missing`
    of its items are left blank (default 1) and at least one answer is applicable.
    The aggregate pools every applicable answer of the scored sections (it is not the
    mean of the section percentages), and is given when no section has too many blanks.
    A readiness scored with some items blank is marked in `Scores.prorated`.
    """

    name = "checklist"
    description = "Readiness %: (Yes + ½ Partly) / applicable answers; Don't know apart"

    def check(self, instrument: Instrument) -> Complaints:
        found: Complaints = []
        if not instrument.scored_sections:
            found.append(("sections", "the checklist scorer needs at least one scored section"))
        for i, section in enumerate(instrument.sections, 1):
            if not section.scored:
                continue
            for j, item in enumerate(section.items, 1):
                if item.scale.high <= item.scale.low:
                    found.append(
                        (
                            f"sections[{i}].items[{j}].scale",
                            f"scale '{item.scale.id}' needs at least two different values "
                            "to tell a met item from an unmet one",
                        )
                    )
        return found

    def score_range(self, instrument: Instrument, section: Section) -> ScoreRange:
        return READINESS

    def aggregate_range(self, instrument: Instrument) -> ScoreRange | None:
        return READINESS

    def score(self, responses: Responses) -> Scores:
        import numpy as np
        import pandas as pd

        instrument = responses.instrument
        most_blank = instrument.missing.max_missing
        index = responses.values.index
        readiness: dict[str, np.ndarray] = {}
        applicable: dict[str, np.ndarray] = {}
        counts: dict[str, dict[str, np.ndarray]] = {"dont_know": {}, "not_applicable": {}}
        blank: dict[str, np.ndarray] = {}
        pooled_credit = np.zeros(len(index))
        pooled_count = np.zeros(len(index), dtype=np.int64)
        too_many_blank = np.zeros(len(index), dtype=bool)
        for section in instrument.scored_sections:
            credits = self._credits(responses, section)
            count = (~np.isnan(credits)).sum(axis=1)
            earned = np.nansum(credits, axis=1)
            states = self._states(responses, section)
            blank[section.id] = (states == BLANK).sum(axis=1)
            counts["dont_know"][section.id] = (states == DONT_KNOW_STATE).sum(axis=1)
            counts["not_applicable"][section.id] = (states == NOT_APPLICABLE_STATE).sum(axis=1)
            unscored = (blank[section.id] > most_blank) | (count == 0)
            readiness[section.id] = np.where(unscored, np.nan, _percent(earned, count))
            applicable[section.id] = count.astype(np.int16)
            pooled_credit += earned
            pooled_count += count
            too_many_blank |= blank[section.id] > most_blank
        unscored = too_many_blank | (pooled_count == 0)
        totals = pd.DataFrame(readiness, index=index)
        totals[AGGREGATE] = np.where(unscored, np.nan, _percent(pooled_credit, pooled_count))
        extra = {name: pd.DataFrame(frame, index=index) for name, frame in counts.items()}
        extra["blank"] = pd.DataFrame(blank, index=index)
        return Scores(
            responses,
            totals,
            pd.DataFrame(applicable, index=index),
            (extra["blank"] > 0) & totals[list(readiness)].notna(),
            extra,
            shown_extra=SHOWN,
            prorated_note=PARTIAL_NOTE,
        )

    def _credits(self, responses: Responses, section: Section) -> np.ndarray:
        """Each answer's credit (0 to 1), NaN where there is no scoring answer."""
        import numpy as np

        block = np.array(responses.values[section.item_ids], dtype=np.float64)
        for k, item in enumerate(section.items):
            block[:, k] = credit(item, block[:, k])
        return block

    def _states(self, responses: Responses, section: Section) -> np.ndarray:
        if responses.states is not None:
            return responses.states[section.item_ids].to_numpy()
        import numpy as np

        values = responses.values[section.item_ids].to_numpy()
        return np.where(np.isnan(values), BLANK, ANSWERED).astype(np.int8)


def _percent(earned: np.ndarray, count: np.ndarray) -> np.ndarray:
    import numpy as np

    with np.errstate(invalid="ignore", divide="ignore"):
        percent: np.ndarray = np.round(100 * earned / count, DECIMALS)
    return percent
