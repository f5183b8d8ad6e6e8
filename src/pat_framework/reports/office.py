"""What the Word and slide formats share: charts as pictures whose alt text states the
finding, a section's own spread chart, and how the answers to a statement lean."""

from __future__ import annotations

import dataclasses
import io
from typing import TYPE_CHECKING, Any

from pat_framework.catalogue import N_, gettext
from pat_framework.charts.common import section_label
from pat_framework.render.text import format_number, missing, number
from pat_framework.results import AGGREGATE

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis
    from pat_framework.model import Item, Section
    from pat_framework.reports import DrawnChart, Report

#: The per-statement chart drawn again for each section on its slide.
SECTION_CHART = "spread"
#: Findings named in a chart's alt text.
NAMED = 3


def png(drawn: DrawnChart) -> io.BytesIO:
    """The chart as a PNG, ready for python-docx or python-pptx."""
    from pat_framework.charts.export import to_png

    return io.BytesIO(to_png(drawn.spec))


def alt_text(drawn: DrawnChart, analysis: Analysis) -> str:
    """The chart's title, what it shows in these answers, then how to read it."""
    found = finding(drawn.name, analysis)
    title = gettext("%(title)s.") % {"title": drawn.title}
    return " ".join(part for part in (title, found, drawn.description) if part)


def finding(name: str, analysis: Analysis) -> str:
    """What a chart shows, in one or two sentences worked out from the analysis; empty
    for a chart pat does not know (a plugin's), whose description must do."""
    if name in ("dartboard", "totals", "matrix-balance"):
        return medians(analysis)
    if name == "spread":
        divided = _found(analysis, "disagreement", "item_id")
        return divided_on(divided)
    if name == "subgroups":
        differences = [f.title for f in analysis.findings if f.kind == "difference"]
        return "; ".join(differences[:NAMED]) + "." if differences else ""
    if name == "trend":
        from pat_framework.reports.content import changes

        moved = changes(analysis)
        if not moved:
            return gettext("No score moved between the last rounds.")
        return "; ".join(moved) + "."
    if name == "priorities" and analysis.priorities is not None:
        ranked = analysis.priorities.dropna(subset=["rank"]).sort_values("rank")
        first = [str(s) for s in ranked["section"]][:NAMED]
        return (
            gettext("Act first on %(sections)s.") % {"sections": ", ".join(first)} if first else ""
        )
    return ""


def divided_on(items: list[str]) -> str:
    """'Partners are divided on P1A, P3C.', or nothing when they are not."""
    if not items:
        return ""
    return gettext("Partners are divided on %(items)s.") % {"items": ", ".join(items)}


def medians(analysis: Analysis) -> str:
    """Each section's median and band, then the aggregate's."""
    instrument = analysis.instrument
    parts = []
    for record in analysis.sections.to_dict("records"):
        section = instrument.section(str(record["section"]))
        name = section.id if section_label(section) != section.title else section.title
        said = {"name": name, "median": number(record["median"]), "band": record["band"]}
        if record["band"]:
            parts.append(gettext("%(name)s %(median)s (band %(band)s)") % said)
        else:
            parts.append(f"{name} {said['median']}")
    group = analysis.interpretation.group
    if instrument.aggregate_bands and group.aggregate_band is not None:
        said = {"name": instrument.aggregate_title, "median": number(group.median_aggregate),
                "band": group.aggregate_band.label}  # fmt: skip
        parts.append(gettext("%(name)s %(median)s (band %(band)s)") % said)
    if not parts:
        return ""
    return gettext("Median scores: %(scores)s.") % {"scores": "; ".join(parts)}


def _found(analysis: Analysis, kind: str, attribute: str) -> list[str]:
    seen = (str(getattr(f, attribute)) for f in analysis.findings if f.kind == kind)
    return list(dict.fromkeys(s for s in seen if s))[:NAMED]


def section_chart(report: Report, section: Section) -> DrawnChart | None:
    """The spread chart of one section's statements, drawn by the same registered chart
    from that section's rows alone; None where the instrument has no spread chart or the
    section nothing to draw (no answers, or too few to show)."""
    from pat_framework.charts import NothingToDraw, build
    from pat_framework.reports import DrawnChart
    from pat_framework.runtime.plugins import is_builtin

    drawn = next((c for c in report.charts if c.name == SECTION_CHART), None)
    if drawn is None or drawn.maker is None:
        return None
    analysis = report.analysis
    rows = analysis.items[analysis.items["section"] == section.id]
    if rows.empty:
        return None
    mine = dataclasses.replace(analysis, items=rows)
    title = f"{drawn.title}: {section_label(section)}"
    try:
        chart = build(drawn.maker, mine, is_builtin(drawn.provider))
    except NothingToDraw:
        return None
    return DrawnChart(drawn.name, title, drawn.description, chart, drawn.provider)


def leaning(analysis: Analysis, item: Item) -> tuple[float, str] | None:
    """The share of a statement's answers on the side that scores well, and those answers'
    labels ('Strongly agree or Agree'; the disagreeing side for a reverse-scored one)."""
    table = analysis.items
    found = table[table["item"] == item.id]
    if found.empty:
        return None
    record = found.iloc[0]
    mid = item.scale.midpoint
    good = [o for o in item.scale.scoring if (o.score < mid if item.reverse else o.score > mid)]
    counts = {o.label: _count(record.get(f"count_{format_number(o.score)}"))
              for o in item.scale.scoring}  # fmt: skip
    total = sum(counts.values())
    if total == 0 or not good:
        return None
    share = sum(counts[o.label] for o in good) / total
    ordered = sorted(good, key=lambda o: -abs(o.score - mid))
    return share, gettext(" or ").join(o.label for o in ordered)


def _count(value: Any) -> int:
    return 0 if missing(value) else int(value)


def spread_alt(drawn: DrawnChart, analysis: Analysis, section: Section) -> str:
    """A section's spread chart told in words: each statement's share on the good side."""
    parts = []
    words = ""
    for item in section.items:
        lean = leaning(analysis, item)
        if lean is not None:
            parts.append(f"{item.id} {number(lean[0] * 100, 0)}%")
            words = words or lean[1]
    divided = [i for i in _found(analysis, "disagreement", "item_id") if i in section.item_ids]
    said = {"title": drawn.title, "words": words, "shares": ", ".join(parts)}
    text = gettext("%(title)s. Share answering %(words)s: %(shares)s.") % said if parts else ""
    if divided:
        text += " " + divided_on(divided)
    title = gettext("%(title)s.") % said
    return " ".join(p for p in (text or title, drawn.description) if p)


def score_line(analysis: Analysis, section: Section) -> str:
    """'Median 14 of 24, band 13–18: …; agreement rWG(J) 0.61; 26 respondents.'"""
    found = analysis.sections[analysis.sections["section"] == section.id]
    if found.empty or section.id == AGGREGATE:
        return ""
    if section.id in analysis.withheld:
        return gettext("Not shown: %(reason)s.") % {"reason": analysis.withheld[section.id]}
    record = found.iloc[0]
    band = next((b for b in section.bands if b.label == record["band"]), None)
    said = {"median": number(record["median"]), "band": band.label if band else "",
            "meaning": band.text.rstrip(".") if band else "", "rwg": number(record["rwg_j"], 2),
            "count": int(record["n"])}  # fmt: skip
    banded = "none" if band is None else "meaning" if band.text else "band"
    return gettext(SCORE_LINES[banded, not missing(record["rwg_j"])]) % said


#: A section's score line, by what it has: its band's meaning, or its band, or neither;
#: and whether it has an agreement figure.
SCORE_LINES = {
    ("meaning", True): N_("Median %(median)s, band %(band)s: %(meaning)s. Agreement rWG(J) "
                          "%(rwg)s; %(count)s respondent(s)."),
    ("meaning", False): N_("Median %(median)s, band %(band)s: %(meaning)s; %(count)s "
                           "respondent(s)."),
    ("band", True): N_("Median %(median)s, band %(band)s. Agreement rWG(J) %(rwg)s; %(count)s "
                       "respondent(s)."),
    ("band", False): N_("Median %(median)s, band %(band)s; %(count)s respondent(s)."),
    ("none", True): N_("Median %(median)s. Agreement rWG(J) %(rwg)s; %(count)s respondent(s)."),
    ("none", False): N_("Median %(median)s; %(count)s respondent(s)."),
}  # fmt: skip
