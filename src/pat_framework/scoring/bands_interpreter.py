"""The `bands` interpreter: bands per section, the aggregate and the scenario."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pat_framework.bands import band_of, group_median, ordered, score_bands
from pat_framework.catalogue import _, ngettext
from pat_framework.interfaces import Complaints
from pat_framework.model import Band, Instrument
from pat_framework.results import AGGREGATE, Finding, GroupSummary, Interpretation, Scores

if TYPE_CHECKING:
    import pandas as pd


class BandsInterpreter:
    """Band every score, and give the group a scenario.

    The group's scenario is that of the aggregate band holding the median respondent
    aggregate. With an `[escalation]`, it is raised (A to B) when any section's group median
    or any respondent's section score lies in a band marked `concern`.
    """

    name = "bands"
    description = "Bands per section and aggregate; group scenario by the median, escalated"

    def check(self, instrument: Instrument) -> Complaints:
        found: Complaints = []
        for i, section in enumerate(instrument.sections, 1):
            if section.scored and not section.bands:
                found.append(
                    (
                        f"sections[{i}].bands",
                        "the bands interpreter needs bands for every scored section",
                    )
                )
        if instrument.escalation and not instrument.aggregate_bands:
            found.append(("escalation", "escalation needs [aggregate] bands with scenarios"))
        return found

    def interpret(self, scores: Scores) -> Interpretation:

        instrument = scores.instrument
        bands = score_bands(scores)
        group = self._group(instrument, scores.totals, bands)
        return Interpretation(scores, bands, group, self._findings(instrument, group))

    def _group(
        self, instrument: Instrument, totals: pd.DataFrame, bands: pd.DataFrame
    ) -> GroupSummary:
        medians = {s.id: group_median(totals[s.id]) for s in instrument.scored_sections}
        section_bands = {s.id: band_of(medians[s.id], s.bands) for s in instrument.scored_sections}
        median = group_median(totals[AGGREGATE])
        band = band_of(median, instrument.aggregate_bands)
        scored = int(totals[AGGREGATE].notna().sum())
        scenario = instrument.scenario(band.scenario) if band and band.scenario else None
        if median is None:
            reason = _("No respondent answered enough statements for an aggregate score.")
        elif band is None:
            reason = _("The median aggregate %(median)s is in no aggregate band.") % {
                "median": f"{median:g}"
            }
        else:
            reason = ngettext(
                "The median aggregate score of %(count)s respondent(s) is %(median)s, in the "
                "band %(band)s.",
                "The median aggregate score of %(count)s respondent(s) is %(median)s, in the "
                "band %(band)s.",
                scored,
            ) % {"count": scored, "median": f"{median:g}", "band": band.label}
        escalation = instrument.escalation
        if scenario and escalation and scenario.id == escalation.from_scenario:
            cause = self._concern(instrument, medians, bands)
            if cause:
                scenario = instrument.scenario(escalation.to_scenario)
                said = {"scenario": escalation.to_scenario, "cause": cause}
                reason += " " + _("Raised to %(scenario)s: %(cause)s") % said
                if escalation.reason:
                    reason += f" {escalation.reason}"
        return GroupSummary(
            len(totals), scored, median, band, scenario, reason, medians, section_bands
        )

    def _concern(
        self, instrument: Instrument, medians: dict[str, float | None], bands: pd.DataFrame
    ) -> str:
        low_medians = [
            s.id
            for s in instrument.scored_sections
            if (b := band_of(medians[s.id], s.bands)) and b.concern
        ]
        if low_medians:
            return _("the group median of %(sections)s lies in a band of concern.") % {
                "sections": ", ".join(low_medians)
            }
        for section in instrument.scored_sections:
            concern = [k for k, b in enumerate(ordered(section.bands)) if b.concern]
            count = int(bands[section.id].isin(concern).sum())
            if count:
                return ngettext(
                    "%(count)s respondent(s) scored %(section)s in a band of concern.",
                    "%(count)s respondent(s) scored %(section)s in a band of concern.",
                    count,
                ) % {"count": count, "section": section.id}
        return ""

    def _findings(self, instrument: Instrument, group: GroupSummary) -> list[Finding]:
        findings = []
        for section in instrument.scored_sections:
            band: Band | None = group.section_bands[section.id]
            if band is None:
                continue
            top = ordered(section.bands)[-1]
            if not band.concern and band != top:
                continue
            kind = "concern" if band.concern else "strength"
            findings.append(
                Finding(
                    kind,
                    f"{section.id} {section.title}: {band.label}",
                    band.text,
                    section_id=section.id,
                    action=band.concern,
                )
            )
        return findings
