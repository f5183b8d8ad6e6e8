"""The `balance` scorer: good practice present against warning signs present, per area."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pat_framework.bands import ScoreRange
from pat_framework.interfaces import Complaints
from pat_framework.model import Instrument, Item, Section
from pat_framework.results import AGGREGATE, Scores

if TYPE_CHECKING:
    import numpy as np

    from pat_framework.responses import Responses

KEY_PRINCIPLE = "key_principle"
GOOD_PRACTICE = "good_practice"
WARNING_SIGN = "warning_sign"
KINDS = (KEY_PRINCIPLE, GOOD_PRACTICE, WARNING_SIGN)

#: The frames the scorer puts in `Scores.extra`, each one row per respondent and one
#: column per area: the share (%) of answered good practice present, the share (%) of
#: answered warning signs present, the mean agreement with the key principles, and the
#: number of "Don't know" answers.
GOOD_SHARE = "good_practice"
WARNING_SHARE = "warning_signs"
KEY_MEAN = "key_principles"
DONT_KNOW = "dont_know"
BALANCE_RANGE = ScoreRange(-100, 100, whole=False)


class BalanceScorer:
    """Weigh the good practice partners see against the warning signs they see.

    How the balance is scored
    -------------------------
    Each feature of an area (an item of kind ``good_practice`` or ``warning_sign``) is
    answered on a presence scale: Yes 1, Partly 0.5, No 0, or Don't know. Per respondent
    and area:

    - good-practice share = 100 × (sum of the answers to good-practice items) / (number of
      good-practice items answered Yes, Partly or No); likewise the warning-sign share;
    - balance = good-practice share − warning-sign share, from −100 (every warning sign
      and no good practice) to +100 (all good practice and no warning sign);
    - key principles (kind ``key_principle``): the mean of the answered ones;
    - "Don't know" answers are left out of the shares and counted on their own.

    Warning signs must be marked ``reverse = true`` (their Yes is bad news, as every
    generic analysis should read it); the shares themselves count presence, whatever
    the direction.

    An area is scored while at most ``[missing] max_missing`` of its features are blank
    or "Don't know" and at least one feature of each kind has an answer; otherwise its
    balance and shares are left empty (never counted as zero). An area scored from fewer
    than all its features is marked prorated. The aggregate is the mean of the area
    balances, given only when every area has one.
    """

    name = "balance"
    description = "Good practice present minus warning signs present, per area (−100 to +100)"

    def check(self, instrument: Instrument) -> Complaints:
        found: Complaints = []
        for i, section in enumerate(instrument.sections, 1):
            if not section.scored:
                continue
            kinds = {item.kind for item in section.items}
            for kind in (GOOD_PRACTICE, WARNING_SIGN):
                if kind not in kinds:
                    found.append(
                        (
                            f"sections[{i}].items",
                            f"the balance scorer needs an item of kind {kind}",
                        )
                    )
            for j, item in enumerate(section.items, 1):
                found += _item_complaints(item, f"sections[{i}].items[{j}]")
        return found

    def score_range(self, instrument: Instrument, section: Section) -> ScoreRange:
        return BALANCE_RANGE

    def aggregate_range(self, instrument: Instrument) -> ScoreRange | None:
        return BALANCE_RANGE

    def score(self, responses: Responses) -> Scores:
        import numpy as np
        import pandas as pd

        from pat_framework.responses import DONT_KNOW_STATE

        instrument = responses.instrument
        most_missing = instrument.missing.max_missing
        names = (GOOD_SHARE, WARNING_SHARE, KEY_MEAN, DONT_KNOW)
        columns: dict[str, dict[str, np.ndarray]] = {n: {} for n in (AGGREGATE, *names)}
        answered, prorated = {}, {}
        for section in instrument.scored_sections:
            good, good_count = _mean(responses, _ids(section, GOOD_PRACTICE))
            warning, warning_count = _mean(responses, _ids(section, WARNING_SIGN))
            features = len(_ids(section, GOOD_PRACTICE)) + len(_ids(section, WARNING_SIGN))
            unanswered = features - good_count - warning_count
            scored = (unanswered <= most_missing) & (good_count > 0) & (warning_count > 0)
            good = np.where(scored, good * 100, np.nan)
            warning = np.where(scored, warning * 100, np.nan)
            columns[AGGREGATE][section.id] = good - warning
            columns[GOOD_SHARE][section.id] = good
            columns[WARNING_SHARE][section.id] = warning
            columns[KEY_MEAN][section.id] = _mean(responses, _ids(section, KEY_PRINCIPLE))[0]
            if responses.states is None:
                dont_know = np.zeros(len(responses), dtype=np.int16)
            else:
                states = responses.states[section.item_ids].to_numpy()
                dont_know = (states == DONT_KNOW_STATE).sum(axis=1).astype(np.int16)
            columns[DONT_KNOW][section.id] = dont_know
            block = responses.values[section.item_ids].to_numpy()
            answered[section.id] = (~np.isnan(block)).sum(axis=1).astype(np.int16)
            prorated[section.id] = scored & (unanswered > 0)
        index = responses.values.index
        totals = pd.DataFrame(columns[AGGREGATE], index=index)
        totals[AGGREGATE] = totals.mean(axis=1, skipna=False) if len(totals.columns) else np.nan
        return Scores(
            responses,
            totals,
            pd.DataFrame(answered, index=index),
            pd.DataFrame(prorated, index=index),
            extra={n: pd.DataFrame(columns[n], index=index) for n in names},
            shown_extra=names,
            prorated_note=(
                "scored from the features answered: some were blank or Don't know "
                f"(an area allows {most_missing})"
            ),
        )


def _item_complaints(item: Item, key: str) -> Complaints:
    if item.kind not in KINDS:
        return [(f"{key}.kind", f"expected one of {', '.join(KINDS)}, got {item.kind!r}")]
    if item.kind == KEY_PRINCIPLE:
        return []
    found: Complaints = []
    if item.reverse != (item.kind == WARNING_SIGN):
        found.append(
            (
                f"{key}.reverse",
                "a warning_sign item needs reverse = true (its Yes is bad news); "
                "a good_practice item must not have it",
            )
        )
    if not 0 <= item.scale.low <= item.scale.high <= 1:
        found.append(
            (
                f"{key}.scale",
                f"a {item.kind} item needs a scale scoring from 0 (absent) to 1 (present); "
                f"'{item.scale.id}' runs {item.scale.low:g} to {item.scale.high:g}",
            )
        )
    return found


def _ids(section: Section, kind: str) -> list[str]:
    return [item.id for item in section.items if item.kind == kind]


def _mean(responses: Responses, item_ids: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per respondent, the mean of the answered items (NaN for none) and how many there are."""
    import numpy as np

    block = responses.values[item_ids].to_numpy(dtype=np.float64)
    count = (~np.isnan(block)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.nansum(block, axis=1) / count, count
