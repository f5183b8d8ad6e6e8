"""Findings for the workshop: scenario, concerns, disagreements, strengths, and the action plan.

Findings come most important first: the scenario, then concerns, disagreements, differences
between groups, priorities, the success statement and strengths. Item findings read answers
the right way round: for a reverse-scored item, agreeing is the bad news. A statement is a
disagreement when at least a third of its answers lie on each side of the scale's midpoint,
or when agreement is low (rWG 0.50 or less); the most divided come first.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pat_framework.analysis.consensus import MIN_AGREEMENT, ScaleGeometry, low_agreement
from pat_framework.analysis.priorities import CONCENTRATE
from pat_framework.analysis.rows import (
    group_rows,
    item_rows,
    priority_rows,
    row_at,
    section_rows,
)
from pat_framework.bands import ordered
from pat_framework.catalogue import _, ngettext
from pat_framework.model import Item, Scale
from pat_framework.render.text import format_number, number
from pat_framework.results import AGGREGATE, Finding

if TYPE_CHECKING:
    import pandas as pd

    from pat_framework.results import Interpretation

ORDER = ("scenario", "overall", "concern", "disagreement", "difference", "priority", "success",
         "strength")  # fmt: skip
PLAN_KINDS = ("concern", "disagreement")
#: A split item is a disagreement when at least this share of answers is on each side.
DIVIDED = 1 / 3
PLAN_COLUMNS = ["section", "element", "item", "issue", "action", "owner", "due"]


def answer_label(scale: Scale, value: float) -> str:
    """The answer a value stands for; a half-way median reads 'between Agree and Disagree'."""
    if math.isnan(value):
        return "–"
    options = sorted(scale.scoring, key=lambda o: o.score)
    for option in options:
        if abs(option.score - value) < 1e-9:
            return option.label
    lower = max((o for o in options if o.score < value), key=lambda o: o.score)
    upper = min((o for o in options if o.score > value), key=lambda o: o.score)
    return _("between %(lower)s and %(upper)s") % {"lower": lower.label, "upper": upper.label}


def section_name(section_id: str, title: str) -> str:
    """'P4 Develop and maintain trust', or just 'Processes' where the id is the title's start."""
    return title if title.lower().startswith(section_id.lower()) else f"{section_id} {title}"


def difference_title(title: str, attribute: str) -> str:
    """The title of the finding that views on `title` differ by `attribute`."""
    return _("%(title)s: views differ by %(attribute)s") % {"title": title, "attribute": attribute}


def oriented(item: Item, value: float) -> float:
    """A raw answer read so that higher is better (reverse items turned round)."""
    return item.scale.low + item.scale.high - value if item.reverse else value


def answer_counts(item: Item, row: pd.Series) -> str:
    """'Strongly agree 4, Agree 9, Disagree 5' for the answers actually given."""
    parts = []
    for option in item.scale.options:
        if option.value is None:
            continue
        count = row[f"count_{format_number(option.value)}"]
        if count:
            parts.append(f"{option.label} {count}")
    return ", ".join(parts)


def build_findings(
    interpretation: Interpretation,
    items: pd.DataFrame,
    sections: pd.DataFrame,
    subgroups: dict[str, pd.DataFrame],
    priorities: pd.DataFrame | None,
) -> list[Finding]:
    """Every finding, most important first.

    The interpreter's own findings are kept, except where this analysis makes a finding of
    the same kind about the same statement (it then carries the agreement figures).
    """
    own_items = _item_findings(interpretation, items)
    covered = {(f.kind, f.item_id) for f in own_items}
    from_interpreter = [f for f in interpretation.findings if not f.item_id]
    item_level = [
        f for f in interpretation.findings if f.item_id and (f.kind, f.item_id) not in covered
    ]
    found = _scenario(interpretation)
    found += from_interpreter
    found += _section_concerns(interpretation, sections)
    found += own_items + item_level
    for attribute, frame in subgroups.items():
        found += _differences(interpretation, attribute, frame)
    found += _priorities(priorities)
    found += _success(interpretation, items)
    rank = {kind: k for k, kind in enumerate(ORDER)}
    return sorted(found, key=lambda f: rank.get(f.kind, len(ORDER)))


def _scenario(interpretation: Interpretation) -> list[Finding]:
    group = interpretation.group
    if group.scenario:
        scenario = group.scenario
        detail = f"{scenario.text} {group.reason}".strip()
        title = _("Scenario %(id)s: %(title)s") % {"id": scenario.id, "title": scenario.title}
        return [Finding("scenario", title, detail)]
    band = group.aggregate_band
    if band:
        title = f"{interpretation.instrument.aggregate_title}: {band.label}"
        return [Finding("overall", title, f"{band.text} {group.reason}".strip())]
    return [Finding("overall", _("Overall"), group.reason)]


def _section_concerns(interpretation: Interpretation, sections: pd.DataFrame) -> list[Finding]:
    """Sections whose median is fine but where some respondents score in a band of concern."""
    found = []
    scored = interpretation.scores.totals
    for section, row in zip(
        interpretation.instrument.scored_sections, section_rows(sections), strict=True
    ):
        concern = [k for k, band in enumerate(ordered(section.bands)) if band.concern]
        if row.concern or not concern:
            continue
        count = int(interpretation.bands[section.id].isin(concern).sum())
        if not count:
            continue
        labels = _(" or ").join(ordered(section.bands)[k].label for k in reversed(concern))
        scored_n = int(scored[section.id].notna().sum())
        title = ngettext(
            "%(section)s: %(count)s of %(scored)s respondent scored in a band of concern "
            "(%(bands)s)",
            "%(section)s: %(count)s of %(scored)s respondents scored in a band of concern "
            "(%(bands)s)",
            scored_n,
        ) % {
            "section": section_name(section.id, section.title),
            "count": count,
            "scored": scored_n,
            "bands": labels,
        }
        found.append(
            Finding(
                "concern",
                title,
                _("The group median is %(median)s, in %(band)s.")
                % {"median": number(row.median), "band": row.band},
                section_id=section.id,
                action=True,
            )
        )
    return found


def _item_findings(interpretation: Interpretation, items: pd.DataFrame) -> list[Finding]:
    """Statements most partners see as a problem, disagreements, and shared strengths."""
    concerns, splits, strengths = [], [], []
    for item, row in zip(interpretation.instrument.items, item_rows(items), strict=True):
        section = interpretation.instrument.section(item.section_id)
        if not section.scored or row.n == 0:
            continue
        geometry = ScaleGeometry.of(item.scale)
        place = {"item": item.id, "section": section.title, "element": item.element}
        where = (
            _("%(item)s (%(section)s, element %(element)s)") if item.element
            else _("%(item)s (%(section)s)")
        ) % place  # fmt: skip
        counts = answer_counts(item, row_at(items, row.Index))
        median = oriented(item, row.median)
        middle = _("median answer %(answer)s") % {"answer": answer_label(item.scale, row.median)}
        said = {"where": where, "text": item.text, "middle": middle, "counts": counts}
        if median < geometry.midpoint:
            concerns.append(
                Finding(
                    "concern",
                    _("%(where)s: most partners see a problem") % said,
                    _("“%(text)s” %(middle)s; %(counts)s.") % said,
                    section.id,
                    item.id,
                    action=True,
                )
            )
        if row.divided >= DIVIDED - 1e-9 or low_agreement(row.rwg):
            ad = "" if math.isnan(row.ad) else _("; AD %(ad)s") % {"ad": f"{row.ad:.2f}"}
            ad += "" if math.isnan(row.ad) or row.ad_agree else _(" (above the A/6 cut-off)")
            splits.append(
                (
                    -row.divided,
                    row.rwg if not math.isnan(row.rwg) else 1.0,
                    Finding(
                        "disagreement",
                        _("%(where)s: partners are divided") % said,
                        _("“%(text)s” %(counts)s; %(agreement)s%(ad)s.")
                        % {**said, "agreement": row.agreement, "ad": ad},
                        section.id,
                        item.id,
                        action=True,
                    ),
                )
            )
        best = oriented(item, item.scale.low if item.reverse else item.scale.high)
        if row.n >= MIN_AGREEMENT and not row.split and median == best:
            strengths.append(
                Finding(
                    "strength",
                    _("%(where)s: partners agree this is a strength") % said,
                    _("“%(text)s” %(middle)s; %(counts)s.") % said,
                    section.id,
                    item.id,
                )
            )
    splits.sort(key=lambda entry: entry[:2])
    return concerns + [entry[2] for entry in splits] + strengths


def _differences(
    interpretation: Interpretation, attribute: str, frame: pd.DataFrame
) -> list[Finding]:
    """Sections where the groups' medians fall in different bands."""
    found = []
    shown = frame[~frame["suppressed"] & frame["median"].notna()]
    for column, rows in shown.groupby("section", sort=False):
        if rows["band"].nunique() < 2:
            continue
        section_id = str(column)
        title = (
            interpretation.instrument.aggregate_title
            if section_id == AGGREGATE
            else section_name(section_id, interpretation.instrument.section(section_id).title)
        )
        detail = "; ".join(f"{r.group} {number(r.median)} ({r.band})" for r in group_rows(rows))
        found.append(
            Finding(
                "difference",
                difference_title(title, attribute),
                detail + ".",
                section_id="" if section_id == AGGREGATE else section_id,
                action=bool(rows["concern"].any()),
            )
        )
    return found


def _priorities(priorities: pd.DataFrame | None) -> list[Finding]:
    if priorities is None:
        return []
    found = []
    for row in priority_rows(priorities.sort_values("rank")):
        if row.quadrant != CONCENTRATE:
            continue
        found.append(
            Finding(
                "priority",
                _("Priority %(rank)s: %(section)s %(title)s")
                % {"rank": row.rank, "section": row.section, "title": row.title},
                _(
                    "Rated more significant than most (mean %(weight)s) but scored lower than "
                    "most (median %(median)s)."
                )
                % {"weight": f"{row.significance:.2f}", "median": number(row.score)},
                section_id=row.section,
            )
        )
    return found


def _success(interpretation: Interpretation, items: pd.DataFrame) -> list[Finding]:
    """Each success statement's answers, set beside the process scores."""
    found = []
    by_item = items.set_index("item")
    beside = _beside(interpretation)
    for section in interpretation.instrument.sections:
        if section.kind != "success":
            continue
        for item in section.items:
            row = row_at(by_item, item.id)
            if row["n"] == 0:
                detail = _("Nobody answered this statement.")
            else:
                positive = _positive_share(item, row)
                detail = ngettext(
                    "%(positive)s of %(n)s agree; median answer %(answer)s (%(counts)s).",
                    "%(positive)s of %(n)s agree; median answer %(answer)s (%(counts)s).",
                    positive,
                ) % {
                    "positive": positive,
                    "n": row["n"],
                    "answer": answer_label(item.scale, row["median"]),
                    "counts": answer_counts(item, row),
                }
                detail += " " + beside
                detail += _contrast(interpretation, item, row)
            found.append(Finding("success", f"{section.title}: “{item.text}”", detail,
                                 section.id, item.id))  # fmt: skip
    return found


def _beside(interpretation: Interpretation) -> str:
    """The scores a success statement's answers are set beside, as a sentence: the
    aggregate's median, with its band and scenario where it has them."""
    group = interpretation.group
    if group.median_aggregate is None:
        return _("Beside the scores: no aggregate score.")
    said = {
        "aggregate": interpretation.instrument.aggregate_title,
        "median": number(group.median_aggregate),
        "band": group.aggregate_band.label if group.aggregate_band else "",
        "id": group.scenario.id if group.scenario else "",
    }
    if group.aggregate_band and group.scenario:
        return _("Beside the scores: %(aggregate)s median %(median)s (%(band)s), scenario "
                 "%(id)s.") % said  # fmt: skip
    if group.aggregate_band:
        return _("Beside the scores: %(aggregate)s median %(median)s (%(band)s).") % said
    if group.scenario:
        return _("Beside the scores: %(aggregate)s median %(median)s, scenario %(id)s.") % said
    return _("Beside the scores: %(aggregate)s median %(median)s.") % said


def _positive_share(item: Item, row: pd.Series) -> int:
    """How many answers lie on the good side of the scale's midpoint."""
    total = 0
    for option in item.scale.scoring:
        good = oriented(item, option.score) > item.scale.midpoint
        if good:
            total += int(row[f"count_{format_number(option.score)}"] or 0)
    return total


def _contrast(interpretation: Interpretation, item: Item, row: pd.Series) -> str:
    """A sentence when the success view and the scores point different ways."""
    band = interpretation.group.aggregate_band
    if band is None:
        return ""
    succeeding = oriented(item, row["median"]) > item.scale.midpoint
    if succeeding and band.concern:
        return " " + _("Partners see success although the scores show significant concerns.")
    failing = oriented(item, row["median"]) < item.scale.midpoint
    if failing and not band.concern:
        return " " + _(
            "Partners doubt the aims are being met although the scores are not of concern."
        )
    return ""


def action_plan(findings: list[Finding], interpretation: Interpretation) -> pd.DataFrame:
    """One row per section or statement with a concern or disagreement (or a finding the
    interpreter marks for action), with empty action, owner and due date."""
    import pandas as pd

    flagged = {id(f) for f in interpretation.findings if f.action}
    problems: dict[tuple[str, str], list[str]] = {}
    for finding in findings:
        if finding.kind in PLAN_KINDS or id(finding) in flagged:
            problems.setdefault((finding.section_id, finding.item_id), []).append(
                _problem(finding)
            )
    rows = []
    for (section_id, item_id), found in problems.items():
        element, issue = "", "; ".join(found)
        if item_id:
            item = interpretation.instrument.item(item_id)
            element, issue = item.element, f"“{item.text}” — {issue}"
        rows.append(
            {"section": section_id, "element": element, "item": item_id, "issue": issue,
             "action": "", "owner": "", "due": ""}
        )  # fmt: skip
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


def _problem(finding: Finding) -> str:
    """What is wrong, in a few words: the part of the title after the colon, with the detail
    for a section; an interpreter's finding without a colon is told by its detail."""
    if ": " not in finding.title:
        return finding.detail or finding.title
    problem = finding.title.split(": ", 1)[1]
    if not finding.item_id and finding.detail:
        problem += f" — {finding.detail}"
    return problem
