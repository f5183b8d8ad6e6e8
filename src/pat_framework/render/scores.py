"""Renderers for scores: text for people, CSV and JSON for other tools."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any, cast

from pat_framework.bands import ordered
from pat_framework.model import Band, Instrument
from pat_framework.output import csv_text
from pat_framework.render.text import number
from pat_framework.results import AGGREGATE, Interpretation

if TYPE_CHECKING:
    import pandas as pd

SCORES_FORMAT = "pat-scores"
SCORES_VERSION = 1
TEXT_ROW_LIMIT = 200
INDENT_LIMIT = 1000
PRORATED_NOTE = "prorated: one statement unanswered, total = mean × number of items"


def band_labels(result: Interpretation, column: str) -> list[Band | None]:
    """The band for each respondent's score in one column (a section id or aggregate)."""
    instrument = result.instrument
    bands = instrument.aggregate_bands if column == AGGREGATE else instrument.section(column).bands
    run = ordered(bands)
    return [run[k] if k >= 0 else None for k in result.bands[column].tolist()]


class ScoresText:
    name = "text"
    subject = "scores"
    suffixes = (".txt",)
    binary = False
    description = "Totals, bands and the group's scenario, for reading"

    def render(self, result: Interpretation) -> str:
        instrument = result.instrument
        scores = result.scores
        sections = [s.id for s in instrument.scored_sections]
        lines = [
            f"{instrument.title} ({instrument.id} {instrument.version})",
            f"{len(scores.totals)} respondent(s) from {', '.join(scores.responses.sources)}",
            "",
        ]
        lines += self._table(result, sections)
        lines += ["", "Group medians"]
        for section in instrument.scored_sections:
            median = result.group.section_medians[section.id]
            band = result.group.section_bands[section.id]
            meaning = f"  {band.label}: {band.text}" if band else ""
            lines.append(f"  {section.id} {section.title}: {number(median)}{meaning}")
        group = result.group
        lines.append(
            f"  {instrument.aggregate_title}: {number(group.median_aggregate)}"
            + (
                f"  {group.aggregate_band.label}: {group.aggregate_band.text}"
                if group.aggregate_band
                else ""
            )
        )
        lines.append("")
        if group.scenario:
            lines.append(
                f"Scenario {group.scenario.id}: {group.scenario.title}. {group.scenario.text}"
            )
        lines.append(group.reason)
        lines += _item_findings(result)
        notes = _missing_notes(result, sections)
        if notes or scores.responses.notes:
            lines += ["", "Notes"] + [f"  {n}" for n in scores.responses.notes + notes]
        return "\n".join(lines) + "\n"

    def _table(self, result: Interpretation, sections: list[str]) -> list[str]:
        scores = result.scores
        attributes = scores.responses.attributes
        show = [c for c in ("organisation", "level", "round") if c in attributes.columns]
        scenarios = bool(result.instrument.scenarios)
        header = ["respondent", *show, *sections, AGGREGATE, "band"]
        header += ["scenario"] if scenarios else []
        aggregate_bands = band_labels(result, AGGREGATE)
        rows = []
        shown = scores.totals.head(TEXT_ROW_LIMIT)
        for k, (rid, totals) in enumerate(shown.iterrows()):
            band = aggregate_bands[k]
            marks = ["*" if scores.prorated.at[rid, s] else "" for s in sections]
            rows.append(
                [
                    str(rid),
                    *(_text(attributes.at[rid, c]) for c in show),
                    *(number(totals[s]) + m for s, m in zip(sections, marks, strict=True)),
                    number(totals[AGGREGATE]),
                    band.label if band else "–",
                ]
                + ([band.scenario if band else "–"] if scenarios else [])
            )
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        lines = [
            "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
            for r in [header, *rows]
        ]
        if len(scores.totals) > TEXT_ROW_LIMIT:
            lines.append(
                f"… {len(scores.totals) - TEXT_ROW_LIMIT} more respondents; use "
                "--format csv for all of them"
            )
        if scores.prorated.to_numpy().any():
            lines.append(f"* {scores.prorated_note or PRORATED_NOTE}")
        return lines


def _item_findings(result: Interpretation) -> list[str]:
    """Findings about single statements: the action plan first, then the others by kind.

    Findings about whole sections are left out: they restate the group medians above.
    """
    found = [f for f in result.findings if f.item_id]
    blocks: dict[str, list[str]] = {}
    for finding in found[:TEXT_ROW_LIMIT]:
        heading = "Action plan" if finding.action else f"Findings: {finding.kind}"
        blocks.setdefault(heading, []).append(f"  {finding.title}")
        if finding.detail:
            blocks[heading].append(f"      {finding.detail}")
    lines = []
    for heading in sorted(blocks, key=lambda h: h != "Action plan"):
        lines += ["", heading, *blocks[heading]]
    if len(found) > TEXT_ROW_LIMIT:
        lines.append(f"… {len(found) - TEXT_ROW_LIMIT} more findings; use --format json")
    return lines


def _missing_notes(result: Interpretation, sections: list[str]) -> list[str]:
    scores = result.scores
    notes = []
    unscored = scores.totals[sections].isna() & (scores.answered[sections] > 0)
    for rid, row in unscored.head(TEXT_ROW_LIMIT).iterrows():
        for section in [s for s in sections if row[s]]:
            n = len(result.instrument.section(section).items)
            answered = cast(int, scores.answered.at[rid, section])
            notes.append(
                f"{rid}: {section} not scored, only {answered} of {n} statements answered"
            )
    return notes


class ScoresCSV:
    name = "csv"
    subject = "scores"
    suffixes = (".csv",)
    binary = False
    description = "One row per respondent: attributes, a total per section, the aggregate"

    def render(self, result: Interpretation) -> str:
        import pandas as pd

        scores = result.scores
        extra = [_tidy(scores.extra[name].add_prefix(f"{name}.")) for name in scores.shown_extra]
        frame = pd.concat([scores.responses.attributes, _tidy(scores.totals), *extra], axis=1)
        return csv_text(frame.rename_axis("respondent").reset_index())


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Scores as people write them: 16 rather than 16.0, 14.4 to two places, blank for none.

    They stay numbers: as text, a negative score would be taken for a formula and made inert.
    """
    out = {}
    for name in frame.columns:
        column = frame[name]
        known = column.dropna()
        if (known == known.round()).all():
            out[name] = column.astype("Int64")
        else:
            out[name] = column.round(2)
    return frame.assign(**out) if out else frame


class ScoresJSON:
    name = "json"
    subject = "scores"
    suffixes = (".json",)
    binary = False
    description = "Versioned, machine-readable scores, bands and group result"

    def render(self, result: Interpretation) -> str:
        document = scores_document(result)
        # Indented for people when small; compact (and C-encoded, far faster) when large.
        indent = 2 if len(document["respondents"]) <= INDENT_LIMIT else None
        return json.dumps(document, indent=indent, ensure_ascii=False) + "\n"


def scores_document(result: Interpretation) -> dict[str, Any]:
    """The scores as plain data: the `pat-scores` JSON document, version 1."""
    instrument = result.instrument
    scores = result.scores
    attributes = scores.responses.attributes
    sections = [s.id for s in instrument.scored_sections]
    labels = {c: band_labels(result, c) for c in [*sections, AGGREGATE]}
    # Whole columns as Python lists first: per-cell lookups cost half a millisecond each.
    totals = {c: scores.totals[c].tolist() for c in [*sections, AGGREGATE]}
    answered = {s: scores.answered[s].tolist() for s in sections}
    prorated = {s: scores.prorated[s].tolist() for s in sections}
    traits = {c: attributes[c].tolist() for c in attributes.columns}
    extras = {
        name: {c: scores.extra[name][c].tolist() for c in scores.extra[name].columns}
        for name in scores.shown_extra
    }
    respondents = []
    for k, rid in enumerate(scores.totals.index):
        entry: dict[str, Any] = {
            "respondent": rid,
            "attributes": {c: v[k] for c, v in traits.items() if isinstance(v[k], str)},
            "sections": {
                s: _scored(totals[s][k], labels[s][k])
                | {"answered": int(answered[s][k]), "prorated": bool(prorated[s][k])}
                for s in sections
            },
        }
        band = labels[AGGREGATE][k]
        entry[AGGREGATE] = _scored(totals[AGGREGATE][k], band) | {
            "scenario": band.scenario if band and band.scenario else None
        }
        if extras:
            entry["extra"] = {
                name: {c: _plain(v[k]) for c, v in columns.items()}
                for name, columns in extras.items()
            }
        respondents.append(entry)
    group = result.group
    return {
        "format": SCORES_FORMAT,
        "version": SCORES_VERSION,
        "instrument": _instrument(instrument),
        "sources": list(scores.responses.sources),
        "respondents": respondents,
        "group": {
            "respondents": group.respondents,
            "scored": group.scored,
            "sections": {
                s: _scored(group.section_medians[s], group.section_bands[s]) for s in sections
            },
            AGGREGATE: _scored(group.median_aggregate, group.aggregate_band),
            "scenario": (
                {
                    "id": group.scenario.id,
                    "title": group.scenario.title,
                    "text": group.scenario.text,
                }
                if group.scenario
                else None
            ),
            "reason": group.reason,
        },
        "findings": [f.as_dict() for f in result.findings],
        "notes": list(scores.responses.notes),
    }


def _instrument(instrument: Instrument) -> dict[str, Any]:
    return {
        "id": instrument.id,
        "title": instrument.title,
        "version": instrument.version,
        "source": instrument.source.citation(),
        "licence": instrument.source.licence,
    }


def _text(value: Any) -> str:
    """An attribute for display: missing as an empty string."""
    return value if isinstance(value, str) else ""


def _plain(value: Any) -> int | float | None:
    """A number for JSON: None for no value, whole numbers as integers."""
    if value is None or math.isnan(value):
        return None
    return int(value) if float(value).is_integer() else round(float(value), 4)


def _scored(value: Any, band: Band | None) -> dict[str, Any]:
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    return {
        "score": None if missing else round(float(value), 4),
        "band": band.label if band else None,
        "text": band.text if band else None,
    }
