"""docs/plugin-hooks.md documents every field of the objects a plugin receives and the
optional capabilities of renderers and charts: a field added without a line there fails."""

from __future__ import annotations

import dataclasses
import functools
import inspect
import re

import pytest
from conftest import ROOT

from pat_framework import interfaces, model
from pat_framework.analysis import Analysis
from pat_framework.reports import DrawnChart, Report
from pat_framework.responses import Responses
from pat_framework.results import Finding, GroupSummary, Interpretation, Scores
from pat_framework.workshop.run import WorkshopReport

PAGE = (ROOT / "docs" / "plugin-hooks.md").read_text(encoding="utf-8")
#: The objects plugins receive, each with a '### `Name`' table of its own.
RECEIVED: list[type] = [
    Responses,
    Scores,
    Interpretation,
    GroupSummary,
    Finding,
    Analysis,
    Report,
    DrawnChart,
    WorkshopReport,
]
#: The capabilities a renderer or chart may have, each with a '### `Name`' section.
CAPABILITIES: list[type] = [
    interfaces.WritesAssets,
    interfaces.DescribesFor,
    interfaces.DrawsOneRespondent,
]
#: The members of the instrument model the page names as those most plugins use.
MODEL_MEMBERS: dict[type, tuple[str, ...]] = {
    model.Instrument: (
        "id",
        "title",
        "sections",
        "scored_sections",
        "items",
        "item_ids",
        "section",
        "scales",
    ),
    model.Section: ("id", "title", "items", "item_ids", "bands", "scored"),
    model.Item: ("id", "text", "scale", "reverse"),
    model.Band: ("label", "min", "max", "text"),
}
#: A table row whose first cell names a member: | `name` | or | `name(arguments)` |.
ROW = re.compile(r"^\| `([A-Za-z_]\w*)(?:\([^`]*\))?` \|", re.M)


def part(title: str) -> str:
    """The page's '## TITLE' section, up to the next '## ' heading."""
    pieces = re.split(r"^## ", PAGE, flags=re.M)
    found = [p for p in pieces if p.startswith(f"{title}\n")]
    assert len(found) == 1, f"no single '## {title}' section in plugin-hooks.md"
    return found[0]


def subsection(text: str, heading: str) -> str:
    """The text under the '### HEADING' heading of `text`, up to the next heading."""
    pieces = re.split(r"^#{2,3} (.*)$", text, flags=re.M)
    bodies = [pieces[k + 1] for k in range(1, len(pieces), 2) if pieces[k].strip() == heading]
    assert len(bodies) == 1, f"no single '### {heading}' heading in plugin-hooks.md"
    return bodies[0]


def table(cls: type) -> str:
    """The section of 'What your plugin receives' about `cls`, headed '### `Name`'."""
    return subsection(part("What your plugin receives"), f"`{cls.__name__}`")


def public_members(cls: type) -> list[str]:
    """The fields, properties and methods of `cls` whose names do not start with '_'."""
    if dataclasses.is_dataclass(cls):
        names = [f.name for f in dataclasses.fields(cls)]
    else:
        names = list(getattr(cls, "__annotations__", {}))
    for name, member in inspect.getmembers(cls):
        if name.startswith("_") or name in names:
            continue
        if isinstance(member, property | functools.cached_property) or inspect.isfunction(member):
            names.append(name)
    return [n for n in names if not n.startswith("_")]


def rows(text: str) -> set[str]:
    """The member names that start the table rows of `text`."""
    return set(ROW.findall(text))


@pytest.mark.parametrize("cls", RECEIVED, ids=lambda c: c.__name__)
def test_every_public_member_has_a_row_in_its_table(cls: type) -> None:
    documented = rows(table(cls))
    missing = [name for name in public_members(cls) if name not in documented]
    assert missing == [], f"{cls.__name__}: no row in plugin-hooks.md for {missing}"


@pytest.mark.parametrize("cls", RECEIVED, ids=lambda c: c.__name__)
def test_every_row_names_a_real_member(cls: type) -> None:
    documented = rows(table(cls))
    unknown = sorted(documented - set(public_members(cls)))
    assert unknown == [], f"{cls.__name__} has no {unknown}, which plugin-hooks.md lists"


def test_the_model_members_plugins_use_are_named_and_exist() -> None:
    text = subsection(
        part("What your plugin receives"), "`Instrument`, `Section`, `Item` and `Band`"
    )
    for cls, names in MODEL_MEMBERS.items():
        line = next((ln for ln in text.splitlines() if ln.startswith(f"| `{cls.__name__}` |")), "")
        assert line, f"no row for {cls.__name__}"
        for name in names:
            assert name in public_members(cls), f"{cls.__name__} has no {name}"
            assert re.search(rf"`{name}(?:\([^`]*\))?`", line), f"{cls.__name__}: {name} unnamed"


@pytest.mark.parametrize("protocol", CAPABILITIES, ids=lambda p: p.__name__)
def test_each_capability_and_its_methods_are_named(protocol: type) -> None:
    text = subsection(part("Optional capabilities"), f"`{protocol.__name__}`")
    methods = [n for n, v in vars(protocol).items() if inspect.isfunction(v) and n[0] != "_"]
    assert methods, f"{protocol.__name__} has no methods"
    for method in methods:
        assert f"`{method}(" in text, f"{protocol.__name__}.{method} is not named"


def test_binary_renderers_are_explained() -> None:
    assert "binary" in interfaces.Renderer.__annotations__
    assert "`binary = True`" in part("Optional capabilities")
