"""One ranking for every instrument: which parts of the partnership to act on first.

The ODPM tool asks partners to look hardest where they scored the partnership as unhealthy,
"especially if this is in areas generally agreed to be significant", and says how far to
explore depends on "the degree of consensus". Each scored section therefore gets a priority:

    priority = importance × (shortfall + breadth + disagreement) / 3

- importance: 0.5 + the section's mean significance weight placed on 0–1 (so 0.5–1.5); 1
  when the instrument has no weighting items;
- shortfall: how far the group median lies below the start of the top band, as a share of
  the range the bands cover;
- breadth: the share of respondents whose own score is in a band of concern (below the top
  band when the section has no band of concern);
- disagreement: twice the largest share of answers on the minority side of the scale, over
  the section's statements (0 when everyone is on one side, 1 when they are split in half).

Every term lies on 0–1, so instruments with different scales rank together. The action plan
gathers the plan rows of a section under one action and orders the actions by priority; the
priorities table and chart use the same number, so they never disagree with the plan.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pat_framework.analysis.rows import number_at
from pat_framework.bands import ordered
from pat_framework.catalogue import _, ngettext
from pat_framework.render.text import number

if TYPE_CHECKING:
    import pandas as pd

    from pat_framework.analysis import Analysis
    from pat_framework.model import Band, Instrument, Section
    from pat_framework.results import Interpretation

#: Actions shown in the plan by default; the rest go to "Other points raised".
TOP_ACTIONS = 12
#: Priorities this close are a tie (the order of summing must not reorder them).
PLACES = 9


@dataclass(frozen=True)
class Evidence:
    """Why a section ranks where it does: the four terms and the priority they give."""

    section: str
    importance: float
    shortfall: float
    breadth: float
    disagreement: float
    significance: float = math.nan
    respondents: int = 0
    in_concern: int = 0
    most_divided: str = ""
    band_text: str = ""

    @property
    def priority(self) -> float:
        total = self.shortfall + self.breadth + self.disagreement
        return round(self.importance * total / 3, PLACES)


def section_evidence(
    interpretation: Interpretation,
    items: pd.DataFrame,
    sections: pd.DataFrame,
    significance: dict[str, float] | None = None,
) -> dict[str, Evidence]:
    """Scored section id → its evidence; `significance` maps a section to its mean weight
    placed on 0–1 (sections missing from it count as of average importance)."""
    significance = significance or {}
    by_section = sections.set_index("section")
    found = {}
    for section in interpretation.instrument.scored_sections:
        if section.id not in by_section.index:
            continue
        weight = significance.get(section.id, math.nan)
        scores = interpretation.scores.totals[section.id]
        answered = int(scores.notna().sum())
        low = _low_bands(section)
        in_concern = int(interpretation.bands[section.id].isin(low).sum()) if low else 0
        share, divided = _most_divided(section, items)
        found[section.id] = Evidence(
            section=section.id,
            importance=1.0 if math.isnan(weight) else 0.5 + weight,
            shortfall=_shortfall(section, number_at(by_section, section.id, "median")),
            breadth=in_concern / answered if answered else 0.0,
            disagreement=min(1.0, 2 * share),
            significance=weight,
            respondents=answered,
            in_concern=in_concern,
            most_divided=divided,
            band_text=_band_text(section, interpretation.group.section_bands.get(section.id)),
        )
    return found


def _low_bands(section: Section) -> list[int]:
    """Positions (in `ordered`) of the bands that count against a section."""
    bands = ordered(section.bands)
    concern = [k for k, band in enumerate(bands) if band.concern]
    return concern or list(range(len(bands) - 1))


def _shortfall(section: Section, median: float) -> float:
    if not section.bands or math.isnan(median):
        return 0.0
    low, high = min(b.min for b in section.bands), max(b.max for b in section.bands)
    top = max(section.bands, key=lambda b: b.min).min
    if high <= low:
        return 0.0
    return max(0.0, min(1.0, (top - median) / (high - low)))


def _band_text(section: Section, band: Band | None) -> str:
    return band.text if band is not None and section.bands else ""


def _most_divided(section: Section, items: pd.DataFrame) -> tuple[float, str]:
    mine = items[items["section"] == section.id]
    if mine.empty or not mine["divided"].notna().any():
        return 0.0, ""
    shares = mine["divided"].astype(float)
    k = shares.idxmax()
    return float(shares.max()), str(mine.at[k, "item"])


@dataclass
class Source:
    """One row of an instrument's action plan that an action gathers: `where` is the
    statement (or section) id, `instrument` the instrument it comes from."""

    where: str
    issue: str
    instrument: Instrument | None = None
    subject: str = ""

    def cite(self) -> str:
        """'Governance matrix … P-W1': the instrument and the statement it raised."""
        return f"{self.instrument.title} {self.where}" if self.instrument else self.where


@dataclass
class Action:
    """A section to act on, with the plan rows it gathers and why it ranks where it does.

    An action on a `subject` gathers the points about it from several instruments; its
    `members` are the sections those points come from, and it ranks as the best of them
    (whose instrument, section and evidence it carries).
    """

    instrument: Instrument
    section: Section
    evidence: Evidence
    sources: list[Source] = field(default_factory=list)
    rank: int = 0
    subject: str = ""
    members: list[Action] = field(default_factory=list)

    @property
    def heading(self) -> str:
        """'P4 Develop and maintain trust'; a section whose id is a word ('resources') by
        its title alone; an action on a subject by the subject."""
        from pat_framework.analysis.findings import section_name

        if self.subject:
            return self.subject
        if self.section.id.replace("-", "").isalpha() and self.section.id.islower():
            return self.section.title
        return section_name(self.section.id, self.section.title)

    @property
    def ref(self) -> str:
        return f"A{self.rank}"

    @property
    def instruments(self) -> list[Instrument]:
        """The instruments whose points this action gathers, in the order first raised."""
        found = {id(s.instrument): s.instrument for s in self.sources if s.instrument}
        return list(found.values()) or [self.instrument]

    def cited(self) -> str:
        """Where the points were raised: statement ids, with their instruments for a
        subject ('Partnership Assessment Tool P5C; Governance matrix … P-W1, P-G1')."""
        if not self.subject:
            return ", ".join(dict.fromkeys(s.where for s in self.sources))
        by: dict[str, list[str]] = {}
        for source in self.sources:
            # 'Review questions: characteristics of …' is cited as 'Review questions'.
            title = source.instrument.title.split(": ")[0] if source.instrument else ""
            by.setdefault(title, []).append(source.where)
        return "; ".join(f"{t} {', '.join(dict.fromkeys(w))}".strip() for t, w in by.items())

    def why(self) -> str:
        """The evidence in one line, in the order of the priority's terms; for a subject,
        how many instruments raised it and the section it ranks as (its points are cited
        beside it)."""
        e = self.evidence
        parts = []
        if not math.isnan(e.significance):
            parts.append(
                _("rated %(share)s%% of the way to most significant")
                % {"share": number(e.significance * 100, 0)}
            )
        if e.shortfall > 0:
            parts.append(
                _("median %(share)s%% of the range below the top band")
                % {"share": number(e.shortfall * 100, 0)}
            )
        if e.in_concern:
            parts.append(
                _("%(count)s of %(respondents)s in a lower band")
                % {"count": e.in_concern, "respondents": e.respondents}
            )
        if e.disagreement >= 0.5 and e.most_divided:
            parts.append(_("partners split on %(items)s") % {"items": e.most_divided})
        if not self.subject:
            count = len(self.sources)
            parts.append(ngettext("%(count)s point(s) raised", "%(count)s point(s) raised",
                                  count) % {"count": count})  # fmt: skip
            line = "; ".join(parts)
        else:
            best = self.members[0] if self.members else self
            name = best.section.id if best.heading.startswith(best.section.id) else best.heading
            count = len(self.instruments)
            line = ngettext(
                "raised in %(count)s instruments; ranked as %(section)s",
                "raised in %(count)s instruments; ranked as %(section)s",
                count,
            ) % {"count": count, "section": name}
            line += (": " + "; ".join(parts)) if parts else ""
        priority = _(" (priority %(priority)s).") % {"priority": f"{e.priority:.2f}"}
        return line[0].upper() + line[1:] + priority

    def first_step(self) -> str:
        """A first step from the instrument's own guidance on the statements raised (the
        best member's first), else on the section's other statements, else the band's."""
        from pat_framework.analysis.steps import first_step

        members = self.members or [self]
        raised = {
            id(m): [s.where for s in self.sources if s.instrument in (None, m.instrument)]
            for m in members
        }
        chosen = [(m.section, raised[id(m)], m.band) for m in members]
        return first_step(chosen, subject=bool(self.subject))

    @property
    def band(self) -> str:
        """The text of the group's band for the section ('' when there is none)."""
        return self.evidence.band_text


@dataclass
class ActionPlan:
    """Every action, highest priority first; `top` of them are the plan, the rest 'other
    points raised'."""

    actions: list[Action]
    top: int = TOP_ACTIONS

    @property
    def shown(self) -> list[Action]:
        return self.actions[: self.top]

    @property
    def others(self) -> list[Action]:
        return self.actions[self.top :]


def evidence_of(analysis: Analysis) -> dict[str, Evidence]:
    """The analysis's sections with their evidence, significance from its weighting items."""
    from pat_framework.analysis.priorities import significance_positions

    weights = significance_positions(analysis.interpretation)
    return section_evidence(analysis.interpretation, analysis.items, analysis.sections, weights)


def rank_actions(analyses: Sequence[Analysis], top: int = TOP_ACTIONS) -> ActionPlan:
    """The action plan of one or more instruments, one action per section with something to
    act on, highest priority first; points on one subject from several instruments share
    an action, ranked as its best section. Ties keep the instruments' and sections' order
    (an action on a subject just before the section it ranks by)."""
    if top < 1:
        raise ValueError("the plan shows at least one action")
    actions = []
    for analysis in analyses:
        plan = analysis.action_plan
        if plan is None or plan.empty:
            continue
        evidence = evidence_of(analysis)
        instrument = analysis.instrument
        grouped: dict[str, list[Source]] = {}
        for record in plan.to_dict("records"):
            section_id = str(record["section"] or "")
            where = str(record["item"] or section_id)
            subject = _subject(instrument, section_id, str(record["item"] or ""))
            source = Source(where, str(record["issue"] or ""), instrument, subject)
            grouped.setdefault(section_id, []).append(source)
        for section in instrument.scored_sections:
            if section.id in grouped and section.id in evidence:
                actions.append(
                    Action(instrument, section, evidence[section.id], grouped[section.id])
                )
        # Plan rows about no scored section (an interpreter's own) still need a home.
        for section_id, sources in grouped.items():
            found = _section_or_none(instrument, section_id)
            if section_id not in evidence and found is not None:
                blank = Evidence(section_id, 1.0, 0.0, 0.0, 0.0)
                actions.append(Action(instrument, found, blank, sources))
    placed = _on_subjects(actions)
    placed.sort(key=lambda p: (-p[1].evidence.priority, p[0]))
    ranked = [action for _, action in placed]
    for rank, action in enumerate(ranked, 1):
        action.rank = rank
    return ActionPlan(ranked, top)


def _on_subjects(actions: list[Action]) -> list[tuple[tuple[int, ...], Action]]:
    """The actions with their place for breaking ties: each subject that points from two or
    more instruments share becomes one action (placed just before the section it ranks
    by), and a section's action keeps only the points left to it."""
    from pat_framework.instrument.subjects import subject_key

    found: dict[str, list[tuple[int, Source]]] = {}
    for k, action in enumerate(actions):
        for source in action.sources:
            if source.subject:
                found.setdefault(subject_key(source.subject), []).append((k, source))
    placed: list[tuple[tuple[int, ...], Action]] = []
    taken: set[int] = set()
    for points in found.values():
        if len({id(actions[k].instrument) for k, _ in points}) < 2:
            continue
        order = sorted(dict.fromkeys(k for k, _ in points),
                       key=lambda k: (-actions[k].evidence.priority, k))  # fmt: skip
        sources = [s for _, s in sorted(points, key=lambda p: order.index(p[0]))]
        best = actions[order[0]]
        members = [actions[k] for k in order]
        group = Action(best.instrument, best.section, best.evidence, sources,
                       subject=sources[0].subject, members=members)  # fmt: skip
        # Before the section it ranks by; the more instruments and points, the sooner.
        place = (2 * order[0], -len(group.instruments), -len(sources), len(placed))
        placed.append((place, group))
        taken |= {id(s) for s in sources}
    for k, action in enumerate(actions):
        action.sources = [s for s in action.sources if id(s) not in taken]
        if action.sources:
            placed.append(((2 * k + 1, 0, 0, 0), action))
    return placed


def _subject(instrument: Instrument, section_id: str, item_id: str) -> str:
    """The subject of a plan row: its statement's, or its section's for a section's own."""
    if item_id:
        return instrument.item(item_id).subject
    section = _section_or_none(instrument, section_id)
    return section.subject if section is not None else ""


def _section_or_none(instrument: Instrument, section_id: str) -> Section | None:
    return next((s for s in instrument.sections if s.id == section_id), None)
