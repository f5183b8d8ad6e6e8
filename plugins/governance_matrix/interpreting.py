"""The `matrix` interpreter: a rating per area, warning signs seen and good practice missing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol, cast

from governance_matrix.scoring import GOOD_PRACTICE, GOOD_SHARE, WARNING_SHARE, WARNING_SIGN
from pat_framework.bands import band_of, group_median, ordered, score_bands
from pat_framework.interfaces import Complaints
from pat_framework.model import Band, Instrument, Item, Section
from pat_framework.render.text import number
from pat_framework.results import AGGREGATE, Finding, GroupSummary, Interpretation, Scores

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from pat_framework.responses import Responses

#: Finding kinds. Warning signs seen and good practice missing are concerns with
#: `action=True` (rows of the action plan); an area rated in a band of concern is a
#: concern without it, its warning signs and missing practice being the actions.
CONCERN = "concern"
GAP = "knowledge gap"
STRENGTH = "strength"


class MatrixInterpreter:
    """Rate each area red, amber or green, and list what partners see going wrong.

    Ratings come from the bands in the instrument file: each respondent's area balance
    and overall balance is banded, and the group's rating of an area is the band of the
    median balance. Warning signs that any respondent answers Yes or Partly are listed,
    most often seen first; so is good practice that any respondent answers No, and any
    feature some respondents do not know about. Each warning sign seen and each good
    practice missing is a `concern` finding with `action=True`, a row of the action plan;
    "Don't know" answers are `knowledge gap` findings.
    """

    name = "matrix"
    description = "Red/amber/green per area; warning signs seen and good practice missing, ranked"

    def check(self, instrument: Instrument) -> Complaints:
        found: Complaints = [
            (f"sections[{i}].bands", "the matrix interpreter needs bands for every scored area")
            for i, section in enumerate(instrument.sections, 1)
            if section.scored and not section.bands
        ]
        if not instrument.aggregate_bands:
            found.append(
                ("aggregate.bands", "the matrix interpreter needs bands for the overall rating")
            )
        return found

    def interpret(self, scores: Scores) -> Interpretation:

        instrument = scores.instrument
        totals = scores.totals
        bands = score_bands(scores)
        group = _group(instrument, totals)
        findings = _area_findings(scores, group, concern=True)
        findings += _feature_findings(scores.responses)
        findings += _area_findings(scores, group, concern=False)
        return Interpretation(scores, bands, group, findings)


def rating(band: Band | None) -> str:
    """A band's red/amber/green rating (its label when it has none); '–' for no band."""
    if band is None:
        return "–"
    return band.rating.capitalize() if band.rating else band.label


def feature_tallies(responses: Responses) -> pd.DataFrame:
    """One row per good-practice or warning-sign item of the scored areas.

    Columns: `section`, `item`, `kind`, `yes` (top of the scale), `partly` (between),
    `no` (bottom), `dont_know`, `blank`, `seen` (Yes or Partly), and `seen_by`,
    `missed_by`: how many organisations have a respondent answering Yes or Partly, or No
    (0 when respondents carry no organisation).
    """
    import numpy as np
    import pandas as pd

    from pat_framework.responses import ANSWERED, DONT_KNOW_STATE

    organisations = responses.attributes.get("organisation")
    if organisations is not None:
        codes, names = pd.factorize(organisations, use_na_sentinel=True)
        places = len(names)
    else:
        codes, places = np.full(len(responses), -1), 0
    rows = []
    for item in _features(responses.instrument):
        values = responses.values[item.id].to_numpy(dtype=np.float64)
        states = responses.state_of(item.id).to_numpy()
        low, high = item.scale.low, item.scale.high
        present, absent = values > low, values == low
        rows.append(
            {
                "section": item.section_id,
                "item": item.id,
                "kind": item.kind,
                "yes": int((values == high).sum()),
                "partly": int((present & (values < high)).sum()),
                "no": int(absent.sum()),
                "dont_know": int((states == DONT_KNOW_STATE).sum()),
                "blank": int(((states != ANSWERED) & (states != DONT_KNOW_STATE)).sum()),
                "seen": int(present.sum()),
                "seen_by": _spread(codes, places, present),
                "missed_by": _spread(codes, places, absent),
            }
        )
    return pd.DataFrame(rows)


class _TallyRow(Protocol):
    """A row of `feature_tallies`, as `DataFrame.itertuples` gives it."""

    section: str
    item: str
    kind: str
    yes: int
    partly: int
    no: int
    dont_know: int
    blank: int
    seen: int
    seen_by: int
    missed_by: int


def _tally_rows(tallies: pd.DataFrame) -> Iterator[_TallyRow]:
    return cast("Iterator[_TallyRow]", iter(tallies.itertuples()))


def _features(instrument: Instrument) -> list[Item]:
    return [
        item
        for section in instrument.scored_sections
        for item in section.items
        if item.kind in (GOOD_PRACTICE, WARNING_SIGN)
    ]


def _spread(codes: np.ndarray, places: int, mask: np.ndarray) -> int:
    """How many organisations (factorized `codes`, -1 for none) some masked respondent is in."""
    import numpy as np

    chosen = codes[mask]
    return int(np.count_nonzero(np.bincount(chosen[chosen >= 0], minlength=places)))


def _group(instrument: Instrument, totals: pd.DataFrame) -> GroupSummary:
    sections = instrument.scored_sections
    medians = {s.id: group_median(totals[s.id]) for s in sections}
    section_bands = {s.id: band_of(medians[s.id], s.bands) for s in sections}
    median = group_median(totals[AGGREGATE])
    band = band_of(median, instrument.aggregate_bands)
    scored = int(totals[AGGREGATE].notna().sum())
    if median is None:
        reason = "No respondent has a balance in every area, so there is no overall rating."
    else:
        reason = (
            f"Overall rating {rating(band)}: the median overall balance of the {scored} "
            f"respondent(s) with a balance in every area is {number(median)}."
        )
    areas = [
        f"{s.title} {rating(section_bands[s.id])} ({number(medians[s.id])})"
        if medians[s.id] is not None
        else f"{s.title} not rated"
        for s in sections
    ]
    reason += f" By area (group median balance): {'; '.join(areas)}."
    return GroupSummary(len(totals), scored, median, band, None, reason, medians, section_bands)


def _area_findings(scores: Scores, group: GroupSummary, *, concern: bool) -> list[Finding]:
    """Areas whose group rating is a concern (worst first), or in the top band."""
    chosen: list[tuple[int, Section, Band]] = []
    for section in scores.instrument.scored_sections:
        band = group.section_bands[section.id]
        if band is None:
            continue
        position = ordered(section.bands).index(band)
        top = position == len(section.bands) - 1
        if (band.concern and concern) or (top and not band.concern and not concern):
            chosen.append((position, section, band))
    findings = []
    for _, section, band in sorted(chosen, key=lambda c: c[0]):
        good = number(scores.extra[GOOD_SHARE][section.id].mean())
        warning = number(scores.extra[WARNING_SHARE][section.id].mean())
        findings.append(
            Finding(
                CONCERN if concern else STRENGTH,
                f"{section.title}: {rating(band)}",
                f"Median balance {number(group.section_medians[section.id])}; on average "
                f"{good}% of good practice and {warning}% of warning signs present. "
                f"{band.text}".strip(),
                section_id=section.id,
            )
        )
    return findings


def _feature_findings(responses: Responses) -> list[Finding]:
    """Warning signs seen, good practice missing, then gaps in knowledge, each ranked."""
    instrument = responses.instrument
    tallies = feature_tallies(responses)
    if tallies.empty:
        return []
    tallies["order"] = range(len(tallies))
    n = len(responses)
    organisations = responses.attributes.get("organisation")
    places = int(organisations.dropna().nunique()) if organisations is not None else 0
    findings = []
    signs = tallies[(tallies["kind"] == WARNING_SIGN) & (tallies["seen"] > 0)]
    ranked = signs.sort_values(["seen", "yes", "order"], ascending=[False, False, True])
    for row in _tally_rows(ranked):
        item = instrument.item(row.item)
        counts = f"{row.yes} Yes, {row.partly} Partly"
        findings.append(
            Finding(
                CONCERN,
                f"{_label(instrument, item)}: warning sign seen by {row.seen} of {n}",
                _detail(item, counts, row.seen_by, places, row.dont_know),
                item.section_id,
                item.id,
                action=True,
            )
        )
    lacking = tallies[(tallies["kind"] == GOOD_PRACTICE) & (tallies["no"] > 0)]
    ranked = lacking.sort_values(["no", "partly", "order"], ascending=[False, False, True])
    for row in _tally_rows(ranked):
        item = instrument.item(row.item)
        counts = f"{row.no} No, {row.partly} Partly"
        findings.append(
            Finding(
                CONCERN,
                f"{_label(instrument, item)}: good practice missing for {row.no} of {n}",
                _detail(item, counts, row.missed_by, places, row.dont_know),
                item.section_id,
                item.id,
                action=True,
            )
        )
    gaps = tallies[tallies["dont_know"] > 0]
    for row in _tally_rows(gaps.sort_values(["dont_know", "order"], ascending=[False, True])):
        item = instrument.item(row.item)
        what = "warning sign" if item.kind == WARNING_SIGN else "good practice"
        findings.append(
            Finding(
                GAP,
                f"{_label(instrument, item)}: {row.dont_know} of {n} do not know",
                f"“{item.text}” ({what}): {row.dont_know} of {n} respondent(s) answered "
                "Don't know.",
                item.section_id,
                item.id,
            )
        )
    return findings


def _label(instrument: Instrument, item: Item) -> str:
    return f"{item.id} ({instrument.section(item.section_id).title})"


def _detail(item: Item, counts: str, spread: int, places: int, unknown: int) -> str:
    """The statement, the answers behind a finding, how many organisations, and gaps."""
    where = f"; in {spread} of {places} organisations" if places > 1 and spread else ""
    detail = f"“{item.text}” {counts}{where}."
    if unknown:
        detail += f" {unknown} {'does' if unknown == 1 else 'do'} not know."
    return detail
