"""The JSON Schema for instrument files agrees with the loader: what one accepts, so does the
other, for the rules a schema can express."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli
from instrument_support import BASE, BUNDLED
from jsonschema import Draft202012Validator

from pat_framework.errors import InstrumentError
from pat_framework.instrument.loader import instrument_from_dict

SCHEMA_PATH = (
    Path(__file__).resolve().parents[1]
    / "src/pat_framework/instrument/schema/instrument.schema.json"
)


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    return Draft202012Validator(schema)


def schema_errors(validator: Draft202012Validator, data: dict[str, Any]) -> list[str]:
    return [
        "/".join(str(p) for p in e.absolute_path) + f": {e.message}"
        for e in validator.iter_errors(data)
    ]


def loader_accepts(data: dict[str, Any]) -> bool:
    try:
        instrument_from_dict(data, "x.toml")
    except InstrumentError:
        return False
    return True


def test_the_schema_ships_inside_the_package() -> None:
    from importlib.resources import files

    shipped = files("pat_framework") / "instrument" / "schema" / "instrument.schema.json"
    assert json.loads(shipped.read_text(encoding="utf-8"))["title"].startswith("pat instrument")


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_bundled_instrument_is_valid(validator: Draft202012Validator, path: Path) -> None:
    data = tomli.loads(path.read_text(encoding="utf-8"))
    assert schema_errors(validator, data) == []


def test_a_document_using_every_optional_key_is_valid_for_both(
    validator: Draft202012Validator,
) -> None:
    data = tomli.loads(BASE)
    data.update(
        description="d",
        question="q",
        scorer="sum",
        interpreter="bands",
        options={"anything": [1, 2]},
        escalation={"from": "A", "to": "C", "reason": "r"},
        missing={"max_missing": 0, "method": "prorate"},
    )
    data["source"].update(
        authors=["A. Author"], publisher="p", section="s", licence="l", url="https://x"
    )
    data["aggregate"]["title"] = "Total"
    data["scenarios"][0]["text"] = "t"
    section = data["sections"][0]
    section.update(description="d", scored=True, kind="principle")
    section["items"][0].update(
        element_title="e", guidance="g", scale="agree4", kind="k", target="T2", element=1
    )
    section["bands"][0].update(text="t", rating="green", concern=False)
    data["scales"]["yesno"]["options"][2]["codes"] = ["DK"]
    data["scales"]["na"] = {
        "options": [{"value": 1, "label": "One"}, {"label": "N/A", "missing": "not_applicable"}]
    }
    assert loader_accepts(data)
    assert schema_errors(validator, data) == []


def _set(path: tuple, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        table = data
        for step in path[:-1]:
            table = table[step]
        table[path[-1]] = value

    return change


def _drop(path: tuple) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        table = data
        for step in path[:-1]:
            table = table[step]
        del table[path[-1]]

    return change


BROKEN = {
    "unknown top-level key": _set(("colour",), "red"),
    "unknown item key": _set(("sections", 0, "items", 0, "colour"), "red"),
    "unknown band key": _set(("sections", 0, "bands", 0, "colour"), "red"),
    "unknown option key": _set(("scales", "agree4", "options", 0, "colour"), "red"),
    "unknown source key": _set(("source", "colour"), "red"),
    "unknown aggregate key": _set(("aggregate", "colour"), "red"),
    "unknown scenario key": _set(("scenarios", 0, "colour"), "red"),
    "unknown missing key": _set(("missing",), {"colour": "red"}),
    "unknown escalation key": _set(("escalation",), {"from": "A", "to": "C", "colour": "r"}),
    "no id": _drop(("id",)),
    "no source": _drop(("source",)),
    "no source title": _drop(("source", "title")),
    "no sections": _drop(("sections",)),
    "empty sections": _set(("sections",), []),
    "no scales": _drop(("scales",)),
    "empty scales": _set(("scales",), {}),
    "format 2": _set(("format",), 2),
    "format as text": _set(("format",), "1"),
    "id with capitals": _set(("id",), "Team"),
    "version as a number": _set(("version",), 1.0),
    "scorer as a number": _set(("scorer",), 5),
    "year as text": _set(("source", "year"), "2026"),
    "authors not text": _set(("source", "authors"), [1]),
    "option with value and missing": _set(("scales", "yesno", "options", 2, "value"), 9),
    "option with neither value nor missing": _drop(("scales", "yesno", "options", 0, "value")),
    "option without label": _drop(("scales", "agree4", "options", 0, "label")),
    "unknown missing kind": _set(("scales", "yesno", "options", 2, "missing"), "refused"),
    "codes not text": _set(("scales", "agree4", "options", 0, "codes"), [4]),
    "empty options": _set(("scales", "yesno", "options"), []),
    "only non-scoring options": _set(
        ("scales", "yesno", "options"), [{"label": "DK", "missing": "dont_know"}]
    ),
    "scale title not text": _set(("scales", "agree4", "title"), 4),
    "section without title": _drop(("sections", 0, "title")),
    "section without items": _drop(("sections", 0, "items")),
    "section with empty items": _set(("sections", 0, "items"), []),
    "section id with a space": _set(("sections", 0, "id"), "T 1"),
    "scored not boolean": _set(("sections", 0, "scored"), "no"),
    "item without text": _drop(("sections", 0, "items", 0, "text")),
    "reverse not boolean": _set(("sections", 0, "items", 0, "reverse"), 1),
    "element as a boolean": _set(("sections", 0, "items", 0, "element"), True),
    "band without label": _drop(("sections", 0, "bands", 0, "label")),
    "band min as text": _set(("sections", 0, "bands", 0, "min"), "5"),
    "band min as boolean": _set(("sections", 0, "bands", 0, "min"), True),
    "unknown rating": _set(("sections", 0, "bands", 0, "rating"), "purple"),
    "aggregate without bands": _set(("aggregate",), {"title": "Total"}),
    "scenario without title": _drop(("scenarios", 0, "title")),
    "escalation without to": _set(("escalation",), {"from": "A"}),
    "negative max_missing": _set(("missing",), {"max_missing": -1}),
    "unknown missing method": _set(("missing",), {"method": "zero"}),
    "options not a table": _set(("options",), "fast"),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_document_fails_both_the_schema_and_the_loader(
    validator: Draft202012Validator, name: str
) -> None:
    data = copy.deepcopy(tomli.loads(BASE))
    BROKEN[name](data)
    assert schema_errors(validator, data), f"the schema accepts: {name}"
    assert not loader_accepts(data), f"the loader accepts: {name}"


def test_schema_errors_point_at_the_key(validator: Draft202012Validator) -> None:
    data = tomli.loads(BASE)
    data["sections"][1]["items"][3]["reverse"] = "yes"
    assert schema_errors(validator, data) == [
        "sections/1/items/3/reverse: 'yes' is not of type 'boolean'"
    ]
