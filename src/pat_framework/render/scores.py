"""Renderers for scores: text for people, CSV and JSON for other tools."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

from pat_framework.bands import ordered
from pat_framework.model import Band, Instrument
from pat_framework.output import csv_pieces
from pat_framework.render.json_rows import respondent_texts
from pat_framework.render.text import number
from pat_framework.results import AGGREGATE, Interpretation

if TYPE_CHECKING:
    import pandas as pd

SCORES_FORMAT = "pat-scores"
SCORES_VERSION = 2
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
        return "".join(self.pieces(result))

    def pieces(self, result: Interpretation) -> Iterator[str]:
        """The CSV a hundred thousand rows at a time (`output.csv_pieces`)."""
        import pandas as pd

        scores = result.scores
        extra = [_tidy(scores.extra[name].add_prefix(f"{name}.")) for name in scores.shown_extra]
        frame = pd.concat([scores.responses.attributes, _tidy(scores.totals), *extra], axis=1)
        return csv_pieces(frame.rename_axis("respondent").reset_index())


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


@runtime_checkable
class WritesPieces(Protocol):
    """A renderer that can give its output piece by piece, so that a large one is written
    as it is made rather than held whole."""

    def pieces(self, result: Interpretation) -> Iterator[str]: ...


class ScoresJSON:
    name = "json"
    subject = "scores"
    suffixes = (".json",)
    binary = False
    description = "Versioned, machine-readable scores, bands and group result"

    def render(self, result: Interpretation) -> str:
        return "".join(self.pieces(result))

    def pieces(self, result: Interpretation) -> Iterator[str]:
        """The document, indented for people when small; when large, compact and made a
        batch of respondents at a time, a column at a time (`json_rows`)."""
        document = scores_document(result, respondents=False)
        if len(result.scores.totals) <= INDENT_LIMIT:
            document["respondents"] = [e for b in respondent_batches(result) for e in b]
            yield json.dumps(document, ensure_ascii=False, indent=2) + "\n"
            return
        # the first '"respondents": []' is the key's: values before it escape their quotes
        head, key, tail = json.dumps(document, ensure_ascii=False).partition(_EMPTY)
        yield head + key[:-1]
        for k, batch in enumerate(respondent_texts(result, BATCH)):
            yield (", " if k else "") + batch
        yield "]" + tail + "\n"


_EMPTY = '"respondents": []'
#: Respondents made into JSON at a time: a bounded part of a large document in memory.
BATCH = 20_000


def scores_document(result: Interpretation, respondents: bool = True) -> dict[str, Any]:
    """The scores as plain data: the `pat-scores` JSON document, version 2. Each band's
    label, range and sentence are given once, in `bands`; a respondent's scores name
    their band by its label. Without `respondents`, their list is left empty."""
    instrument = result.instrument
    scores = result.scores
    sections = [s.id for s in instrument.scored_sections]
    group = result.group
    return {
        "format": SCORES_FORMAT,
        "version": SCORES_VERSION,
        "instrument": _instrument(instrument),
        "sources": list(scores.responses.sources),
        "bands": {
            **{s.id: [_band(b) for b in ordered(s.bands)] for s in instrument.scored_sections},
            AGGREGATE: [
                _band(b) | {"scenario": b.scenario or None}
                for b in ordered(instrument.aggregate_bands)
            ],
        },
        "respondents": ([e for b in respondent_batches(result) for e in b] if respondents else []),
        "group": {
            "respondents": group.respondents,
            "scored": group.scored,
            "sections": {
                s: _scored(group.section_medians[s], group.section_bands[s], True)
                for s in sections
            },
            AGGREGATE: _scored(group.median_aggregate, group.aggregate_band, True),
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


def respondent_batches(result: Interpretation, size: int = BATCH) -> Iterator[list[Any]]:
    """Each respondent's entry of the document, in lists of at most `size`."""
    instrument = result.instrument
    scores = result.scores
    attributes = scores.responses.attributes
    sections = [s.id for s in instrument.scored_sections]
    runs = {
        c: ordered(instrument.aggregate_bands if c == AGGREGATE else instrument.section(c).bands)
        for c in [*sections, AGGREGATE]
    }
    for start in range(0, len(scores.totals), size):
        part = slice(start, start + size)
        # Whole columns as Python lists first: per-cell lookups cost half a millisecond each.
        totals = {c: scores.totals[c].iloc[part].tolist() for c in runs}
        labels = {
            c: [run[k] if k >= 0 else None for k in result.bands[c].iloc[part].tolist()]
            for c, run in runs.items()
        }
        answered = {s: scores.answered[s].iloc[part].tolist() for s in sections}
        prorated = {s: scores.prorated[s].iloc[part].tolist() for s in sections}
        traits = {c: attributes[c].iloc[part].tolist() for c in attributes.columns}
        extras = {
            name: {c: scores.extra[name][c].iloc[part].tolist() for c in scores.extra[name]}
            for name in scores.shown_extra
        }
        batch = []
        for k, rid in enumerate(scores.totals.index[part]):
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
            batch.append(entry)
        yield batch


def _band(band: Band) -> dict[str, Any]:
    return {"label": band.label, "min": _plain(band.min), "max": _plain(band.max),
            "text": band.text}  # fmt: skip


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


def _scored(value: Any, band: Band | None, text: bool = False) -> dict[str, Any]:
    """A score and its band's label; with `text`, the band's sentence too (the group's)."""
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    scored = {
        "score": None if missing else round(float(value), 4),
        "band": band.label if band else None,
    }
    return scored | {"text": band.text if band else None} if text else scored
