"""The respondents of a large scores JSON document made as text a column at a time (with
pyarrow), not as a dict per respondent: what `json.dumps` would write, numbers as JSON
numbers, at a fraction of the cost."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pat_framework.bands import ordered
from pat_framework.results import AGGREGATE, Interpretation

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

#: Characters `json.dumps` escapes in a string (with ensure_ascii off).
_ESCAPED = r'[\x00-\x1f"\\]'


def respondent_texts(result: Interpretation, size: int) -> Iterator[str]:
    """The respondents' entries, `size` at a time, each batch as JSON objects joined by
    ', ' (a piece of the document's `respondents` list)."""
    instrument = result.instrument
    scores = result.scores
    sections = [s.id for s in instrument.scored_sections]
    runs = {
        c: ordered(instrument.aggregate_bands if c == AGGREGATE else instrument.section(c).bands)
        for c in [*sections, AGGREGATE]
    }
    labels = {c: [json.dumps(b.label, ensure_ascii=False) for b in run] for c, run in runs.items()}
    scenarios = [json.dumps(b.scenario or None) for b in runs[AGGREGATE]]
    attributes = scores.responses.attributes
    for start in range(0, len(scores.totals), size):
        part = slice(start, start + size)
        totals = scores.totals.iloc[part]
        codes = {c: result.bands[c].iloc[part].to_numpy() for c in runs}
        pieces: list[Any] = ['{"respondent": ', _strings(list(totals.index))]
        pieces.append(', "attributes": {')
        pieces.append(_attributes(attributes.iloc[part]))
        pieces.append('}, "sections": {')
        for k, s in enumerate(sections):
            pieces += [
                f'{", " if k else ""}{json.dumps(s)}: {{"score": ',
                _numbers(totals[s]),
                ', "band": ',
                _taken(labels[s], codes[s]),
                ', "answered": ',
                _numbers(scores.answered[s].iloc[part]),
                ', "prorated": ',
                _booleans(scores.prorated[s].iloc[part]),
                "}",
            ]
        pieces += [
            '}, "aggregate": {"score": ',
            _numbers(totals[AGGREGATE]),
            ', "band": ',
            _taken(labels[AGGREGATE], codes[AGGREGATE]),
            ', "scenario": ',
            _taken(scenarios, codes[AGGREGATE]),
            "}",
        ]
        if scores.shown_extra:
            pieces.append(', "extra": {')
            for k, name in enumerate(scores.shown_extra):
                frame = scores.extra[name].iloc[part]
                pieces.append(f"{', ' if k else ''}{json.dumps(name)}: {{")
                for j, column in enumerate(frame.columns):
                    pieces += [f"{', ' if j else ''}{json.dumps(str(column))}: "]
                    pieces.append(_numbers(frame[column]))
                pieces.append("}")
            pieces.append("}")
        pieces.append("}")
        yield ", ".join(_joined(pieces, len(totals)).to_pylist())


def _joined(pieces: Sequence[Any], rows: int) -> pa.Array:
    """Row-wise concatenation of text arrays and constant strings."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrays = [pa.array([p] * rows, pa.string()) if isinstance(p, str) else p for p in pieces]
    return pc.binary_join_element_wise(*arrays, "")


def _strings(values: list[Any]) -> pa.Array:
    """Text as JSON strings; a value that needs escaping goes through `json.dumps`."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array([str(v) for v in values], pa.string())
    if pc.any(pc.match_substring_regex(array, _ESCAPED)).as_py():
        return pa.array([json.dumps(v, ensure_ascii=False) for v in array.to_pylist()])
    quote = pa.scalar('"')
    return pc.binary_join_element_wise(quote, array, quote, "")


def _attributes(frame: pd.DataFrame) -> pa.Array:
    """Each row's attributes as JSON members ('"level": "board"'), a blank one left out."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    members = []
    for column in frame.columns:
        codes, uniques = pd.factorize(frame[column], use_na_sentinel=True)
        name = json.dumps(str(column), ensure_ascii=False)
        made = [f", {name}: {json.dumps(str(u), ensure_ascii=False)}" for u in uniques]
        table = pa.array([*made, ""], pa.string())
        members.append(pc.take(table, pa.array(np.where(codes < 0, len(made), codes))))
    if not members:
        return pa.array([""] * len(frame), pa.string())
    # each member starts ', ': the first one's is cut (pyarrow's null skipping drops rows)
    return pc.replace_substring_regex(pc.binary_join_element_wise(*members, ""), "^, ", "")


def _numbers(column: pd.Series) -> pa.Array:
    """Numbers as JSON: rounded to four places, whole ones without a point, none as null."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pa.array(column.to_numpy(dtype="float64", na_value=float("nan")), pa.float64())
    values = pc.if_else(pc.is_nan(values), pa.scalar(None, pa.float64()), values)
    return pc.fill_null(pc.cast(pc.round(values, 4), pa.string()), "null")


def _booleans(column: pd.Series) -> pa.Array:
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.cast(pa.array(column.to_numpy(dtype=bool)), pa.string())


def _taken(texts: list[str], codes: Any) -> pa.Array:
    """texts[code] per row, 'null' for code -1 (no band)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    table = pa.array([*texts, "null"], pa.string())
    return pc.take(table, pa.array(np.where(codes < 0, len(texts), codes)))
