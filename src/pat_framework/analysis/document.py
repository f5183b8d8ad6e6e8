"""The analysis as plain data: the `pat-analysis` JSON document, and the items table as CSV.

Suppressed subgroup cells carry no statistics, and a group whose every cell is suppressed
is left out altogether (only counted), so a small group never appears in the output.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from pat_framework.analysis import ANALYSIS_FORMAT, ANALYSIS_VERSION, Analysis
from pat_framework.model import Scenario
from pat_framework.render.text import format_number

if TYPE_CHECKING:
    import pandas as pd

ITEM_TABLE_START = ["section", "item", "element", "text"]


def plain(value: Any) -> Any:
    """A cell as JSON: None for NaN or <NA>, Python numbers rounded to 4 places."""
    import numpy as np
    import pandas as pd

    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else round(float(value), 4)
    return value


def records(frame: pd.DataFrame | None, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """Rows of a small frame as dicts of plain values."""
    if frame is None:
        return []
    frame = frame if columns is None else frame[columns]
    return [{str(k): plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def visible_groups(frame: pd.DataFrame, key: str = "group") -> tuple[list[str], int]:
    """Groups with at least one cell shown, in order, and how many groups are hidden."""
    shown = frame.loc[~frame["suppressed"], key].unique().tolist()
    everyone = frame[key].unique().tolist()
    return [g for g in everyone if g in shown], len(everyone) - len(shown)


def cells(frame: pd.DataFrame, key: str, value: str) -> dict[str, dict[str, Any]]:
    """Section → statistics (or just `suppressed`) for one group or round."""
    out: dict[str, dict[str, Any]] = {}
    for row in frame[frame[key] == value].to_dict("records"):
        if row["suppressed"]:
            out[row["section"]] = {"suppressed": True}
        else:
            fields = ("n", "median", "band", "concern", "change", "direction")
            out[row["section"]] = {f: plain(row[f]) for f in fields if f in row}
            out[row["section"]]["suppressed"] = False
    return out


def analysis_document(analysis: Analysis) -> dict[str, Any]:
    """Everything in the analysis as plain data: `pat-analysis`, version 1."""
    interpretation = analysis.interpretation
    instrument = interpretation.instrument
    responses = interpretation.scores.responses
    group = interpretation.group
    document: dict[str, Any] = {
        "format": ANALYSIS_FORMAT,
        "version": ANALYSIS_VERSION,
        "instrument": {
            "id": instrument.id,
            "title": instrument.title,
            "version": instrument.version,
            "source": instrument.source.citation(),
            "licence": instrument.source.licence,
        },
        "sources": list(responses.sources),
        "respondents": len(responses),
        "min_group": analysis.min_group,
        "disclosure": analysis.rules.as_dict(),
        "group": {
            "respondents": group.respondents,
            "scored": group.scored,
            "median_aggregate": plain(group.median_aggregate),
            "aggregate_band": group.aggregate_band.label if group.aggregate_band else None,
            "scenario": _scenario(group.scenario),
            "reason": group.reason,
        },
        "sections": records(analysis.sections),
        "items": _items(analysis),
        "subgroups": {
            attribute: _groups(frame, "group") for attribute, frame in analysis.subgroups.items()
        },
        "rounds": _groups(analysis.rounds, "round") if analysis.rounds is not None else None,
        "priorities": records(analysis.priorities) if analysis.priorities is not None else None,
        "findings": [f.as_dict() for f in analysis.findings],
        "action_plan": records(analysis.action_plan),
        "notes": list(responses.notes),
    }
    if analysis.individuals is not None:
        document["individuals"] = [
            {"respondent": str(rid), **{k: plain(v) for k, v in row.items()}}
            for rid, row in analysis.individuals.to_dict("index").items()
        ]
    return document


def _scenario(scenario: Scenario | None) -> dict[str, str] | None:
    if scenario is None:
        return None
    return {"id": scenario.id, "title": scenario.title, "text": scenario.text}


def _items(analysis: Analysis) -> list[dict[str, Any]]:
    instrument = analysis.instrument
    out = []
    for row in records(analysis.items):
        item = instrument.item(row["item"])
        counts = [
            {"value": o.value, "label": o.label, "count": row[f"count_{format_number(o.score)}"]}
            for o in sorted(item.scale.scoring, key=lambda o: -o.score)
        ]
        entry = {k: v for k, v in row.items() if not k.startswith("count_")}
        entry["text"] = item.text
        entry["counts"] = counts
        out.append(entry)
    return out


def _groups(frame: pd.DataFrame, key: str) -> dict[str, Any]:
    shown, hidden = visible_groups(frame, key)
    return {
        "groups": [{key: g, "sections": cells(frame, key, g)} for g in shown],
        "hidden_groups": hidden,
    }


def item_table(analysis: Analysis) -> pd.DataFrame:
    """The items table with each statement's text, numbers rounded, cells made inert."""
    from pat_framework.output import inert_frame

    items = analysis.items
    texts = {i.id: i.text for i in analysis.instrument.items}
    frame = items.assign(text=items["item"].map(texts))
    rest = [c for c in frame.columns if c not in ITEM_TABLE_START]
    frame = frame[ITEM_TABLE_START + rest]
    numbers = frame.select_dtypes("float").columns
    return inert_frame(frame.assign(**{c: frame[c].round(4) for c in numbers}))
