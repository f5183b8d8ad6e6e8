"""Fuzzing the readers: every input, however odd, either loads or raises pat's own error
naming where it went wrong, never another exception (a traceback for the user).

The strategies mix what people type (answers, labels with stray spaces, numbers written
in several ways) with what they paste or what a damaged file holds (control characters,
odd bytes, nesting, cut rows). Inputs found by longer campaigns are kept as examples.
"""

from __future__ import annotations

import json
import os
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from pat_framework.errors import PatError
from pat_framework.instrument.loader import load_instrument
from pat_framework.model import Instrument
from pat_framework.responses import read_responses
from pat_framework.runtime.registry import build_registry
from pat_framework.workshop import load_workshop

#: Examples per reader: 60 in `make test`; a campaign sets PAT_FUZZ_EXAMPLES=2000 or more.
FUZZ = settings(
    max_examples=int(os.environ.get("PAT_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ITEMS = [f"P{p}{s}" for p in range(1, 7) for s in "ABCDEF"]
HEADERS = ["respondent", "organisation", "level", "round", "item", "answer", *ITEMS[:6]]
CELLS = st.one_of(
    st.sampled_from(["SA", "A", "D", "SD", "Strongly agree", "4", "3.0", " 2 ", "", "0"]),
    st.sampled_from(["=1+1", "+2", "-1", "@x", "3.9999", "1e308", "nan", "NULL", "#N/A"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)


@pytest.fixture(scope="module")
def odpm() -> Instrument:
    return build_registry().instrument("pat-odpm")


def loads_or_says_where(instrument: Instrument, path: Path) -> None:
    try:
        read_responses(instrument, [path])
    except PatError as exc:
        assert str(exc)  # a message, never an empty one


@st.composite
def tables(draw: st.DrawFn) -> list[list[str]]:
    header = draw(st.lists(st.one_of(st.sampled_from(HEADERS), CELLS), min_size=1, max_size=8))
    rows = draw(
        st.lists(st.lists(CELLS, min_size=0, max_size=len(header) + 1), min_size=0, max_size=6)
    )
    return [header, *rows]


@FUZZ
@given(
    table=tables(),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    cut=st.integers(min_value=0, max_value=40),
    noise=st.binary(max_size=8),
)
@example(table=[["respondent", "\x00"], ["R1", "SA"]], delimiter=",", encoding="utf-8", cut=0,
         noise=b"")  # fmt: skip
@example(table=[["respondent", "P1A"]], delimiter=",", encoding="utf-8", cut=0,
         noise=b"\xff\xfe\x00\x81")  # fmt: skip
def test_any_text_table_loads_or_is_located(
    odpm: Instrument,
    tmp_path: Path,
    table: list[list[str]],
    delimiter: str,
    encoding: str,
    cut: int,
    noise: bytes,
) -> None:
    def quoted(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"' if set(cell) & {delimiter, '"', "\n"} else cell

    text = "\n".join(delimiter.join(quoted(c) for c in row) for row in table)
    data = text.encode(encoding, errors="replace")
    data = data[: len(data) - cut] if cut < len(data) else data
    path = tmp_path / "answers.csv"
    path.write_bytes(data + noise)
    loads_or_says_where(odpm, path)


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), CELLS),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(HEADERS), inner, max_size=3)
    ),
    max_leaves=10,
)


@FUZZ
@given(
    records=st.one_of(
        JSON_VALUES,
        st.lists(
            st.dictionaries(
                st.sampled_from([*HEADERS, "answers", "comments"]), JSON_VALUES, max_size=6
            ),
            max_size=4,
        ),
    ),
    wrapped=st.booleans(),
)
@example(records=[{"respondent": "R1", "answers": {"P1A": {"x": 1}}}], wrapped=False)
@example(records=[{"respondent": None, "answers": {"P1A": "SA"}}], wrapped=True)
def test_any_json_loads_or_is_located(
    odpm: Instrument, tmp_path: Path, records: Any, wrapped: bool
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"responses": records} if wrapped else records), encoding="utf-8")
    loads_or_says_where(odpm, path)


@FUZZ
@given(table=tables(), sheets=st.integers(min_value=1, max_value=3))
def test_any_workbook_loads_or_is_located(
    odpm: Instrument, tmp_path: Path, table: list[list[str]], sheets: int
) -> None:
    book = Workbook()
    for k in range(sheets):
        sheet = book.active if k == 0 else book.create_sheet(f"S{k}")
        for row in table:
            # openpyxl refuses control characters in cells, as Excel does
            sheet.append(["".join(c for c in cell if c.isprintable()) for cell in row])
    path = tmp_path / "answers.xlsx"
    book.save(path)
    loads_or_says_where(odpm, path)


TOML_TEXT = st.text(alphabet=string.printable + "é\u2028\x00[]{}=\"'", max_size=200)


@FUZZ
@given(text=TOML_TEXT, prefix=st.sampled_from(["", 'title = "W"\n', "[[instruments]]\n"]))
@example(text="a = " + "[" * 2000 + "]" * 2000, prefix="")
def test_any_workshop_file_loads_or_is_located(tmp_path: Path, text: str, prefix: str) -> None:
    path = tmp_path / "workshop.toml"
    path.write_text(prefix + text, encoding="utf-8")
    try:
        load_workshop(path)
    except PatError as exc:
        assert str(exc)


INSTRUMENT_VALUES = st.recursive(
    st.one_of(st.integers(-5, 5), st.text(max_size=6), st.booleans()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["id", "title", "items", "scale", "options", "value", "label",
                             "min", "max", "bands", "text", "sections"]),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=12,
)  # fmt: skip


@FUZZ
@given(
    document=st.fixed_dictionaries(
        {"format": st.sampled_from([1, 2, "1"]), "id": st.text(max_size=8)},
        optional={
            "title": st.text(max_size=8),
            "scorer": st.sampled_from(["sum", "nope"]),
            "scales": st.dictionaries(st.text(max_size=4), INSTRUMENT_VALUES, max_size=2),
            "sections": st.lists(INSTRUMENT_VALUES, max_size=2),
        },
    )
)
def test_any_instrument_file_loads_or_is_located(tmp_path: Path, document: dict[str, Any]) -> None:
    path = tmp_path / "instrument.toml"
    path.write_text("\n".join(f"{json.dumps(k)} = {toml(v)}" for k, v in document.items()))
    try:
        load_instrument(path)
    except PatError as exc:
        assert str(exc)


def toml(value: Any) -> str:
    """A value as TOML (inline tables and arrays, which may nest)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml(v)}" for k, v in value.items()) + "}"


XLSFORM_TYPES = st.one_of(
    st.sampled_from(["begin_group", "end_group", "begin group", "end group", "select_one agree",
                     "select_one", "select_one missing", "select_multiple agree", "integer",
                     "text", "note", "calculate", "begin_repeat", "end_repeat", ""]),
    st.text(max_size=10),
)  # fmt: skip


@FUZZ
@given(
    survey=st.lists(
        st.tuples(XLSFORM_TYPES, st.one_of(st.sampled_from(["q1", "q2", "g1"]), CELLS), CELLS),
        max_size=8,
    ),
    choices=st.lists(
        st.tuples(st.sampled_from(["agree", "other", ""]), CELLS, CELLS), max_size=6
    ),
    header=st.sampled_from([("type", "name", "label"), ("type", "name", "label::English (en)"),
                            ("type", "label", "name"), ("kind", "name", "label")]),
)  # fmt: skip
def test_any_xlsform_imports_or_is_located(
    tmp_path: Path,
    survey: list[tuple[str, str, str]],
    choices: list[tuple[str, str, str]],
    header: tuple[str, str, str],
) -> None:
    from pat_framework.authoring.xlsform import read_xlsform

    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(list(header))
    listed = book.create_sheet("choices")
    listed.append(["list_name", "name", "label"])
    for rows, target in ((survey, sheet), (choices, listed)):
        for row in rows:
            target.append(["".join(c for c in cell if c.isprintable()) for cell in row])
    path = tmp_path / "form.xlsx"
    book.save(path)
    try:
        read_xlsform(path)
    except PatError as exc:
        assert str(exc)
