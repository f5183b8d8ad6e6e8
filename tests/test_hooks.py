"""A meta-test over the hook specifications: every hook is typed, documented and tested."""

from __future__ import annotations

import importlib
import inspect
import re
import typing
from collections.abc import Callable
from pathlib import Path

import click
import pytest

from pat_framework import hookspecs
from pat_framework.runtime import plugins

ROOT = Path(__file__).resolve().parents[1]
HOOKS_PAGE = ROOT / "docs" / "plugin-hooks.md"

#: Which tests implement and exercise each hook. Add a line here with every new hook.
HOOK_TESTS: dict[str, list[str]] = {
    "register_instruments": [
        "test_plugins::test_a_plugin_registered_and_unregistered",
        "test_plugins::test_a_plugins_instrument_scorer_and_renderer_work_end_to_end",
        "test_plugins::test_duplicate_names_are_rejected_naming_both_plugins",
        "test_plugins::test_instruments_dir_option_and_variable",
    ],
    "register_scorers": [
        "test_plugins::test_a_plugin_registered_and_unregistered",
        "test_plugins::test_a_plugins_instrument_scorer_and_renderer_work_end_to_end",
        "test_plugins::test_a_broken_plugin_costs_one_line_each_and_nothing_else",
    ],
    "register_interpreters": [
        "test_plugins::test_a_plugin_registered_and_unregistered",
    ],
    "register_renderers": [
        "test_plugins::test_a_plugin_registered_and_unregistered",
        "test_plugins::test_a_plugins_instrument_scorer_and_renderer_work_end_to_end",
        "test_plugins::test_a_broken_plugin_costs_one_line_each_and_nothing_else",
    ],
    "register_charts": [
        "test_plugins::test_a_plugin_registered_and_unregistered",
    ],
    "register_importers": [
        "test_importers::test_a_plugins_importer_reads_its_tools_export",
    ],
    "register_commands": [
        "test_plugins::test_entry_point_plugins_that_fail_give_one_line_each_on_help",
        "test_plugins::test_other_commands_still_work_beside_broken_entry_points",
    ],
}


def hook_specs() -> dict[str, Callable[..., None]]:
    marker = f"{hookspecs.PROJECT}_spec"
    return {
        name: fn
        for name, fn in vars(hookspecs).items()
        if inspect.isfunction(fn) and getattr(fn, marker, None) is not None
    }


SPECS = hook_specs()


def test_the_hook_specs_are_found() -> None:
    assert set(SPECS) >= {
        "register_instruments",
        "register_scorers",
        "register_interpreters",
        "register_renderers",
        "register_charts",
        "register_commands",
    }
    assert {c.name for c in plugins.pm.hook.__dict__.values() if hasattr(c, "name")} >= set(SPECS)


def test_every_hook_is_listed_with_its_tests() -> None:
    assert set(HOOK_TESTS) == set(SPECS)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_hook_has_a_docstring_and_type_hints(name: str) -> None:
    spec = SPECS[name]
    assert inspect.getdoc(spec), f"{name} has no docstring"
    parameters = list(inspect.signature(spec).parameters)
    hints = typing.get_type_hints(spec, localns={"click": click})
    assert set(hints) == {*parameters, "return"}, f"{name} lacks type hints"
    assert hints["return"] is type(None)
    for parameter in parameters:
        callback = hints[parameter]
        if callback is click.Group:
            continue
        # A register callback: a documented, typed Protocol.
        call = callback.__call__
        assert inspect.getdoc(call), f"{callback.__name__}.__call__ has no docstring"
        call_hints = typing.get_type_hints(call, localns=_interface_names())
        assert "return" in call_hints and len(call_hints) == 2


def _interface_names() -> dict[str, object]:
    from pat_framework import interfaces, model

    return {**vars(interfaces), **vars(model)}


def hook_section(page: str, name: str) -> str:
    """The part of the hooks page under the heading that names the hook."""
    heading = re.search(rf"^(#+) .*\b{name}\b.*$", page, re.M)
    assert heading, f"no heading for {name} in {HOOKS_PAGE.name}"
    level = len(heading.group(1))
    following = re.compile(rf"^#{{1,{level}}} ", re.M).search(page, heading.end())
    return page[heading.end() : following.start() if following else len(page)]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_hook_is_documented_with_an_example(name: str) -> None:
    section = hook_section(HOOKS_PAGE.read_text(encoding="utf-8"), name)
    code = "\n".join(re.findall(r"^```[a-z]*\n(.*?)^```", section, re.M | re.S))
    prose = re.sub(r"^```.*?^```", "", section, flags=re.M | re.S)
    assert f"def {name}(" in code, f"no example implementing {name}"
    assert "@hookimpl" in code, f"the {name} example does not use @hookimpl"
    for parameter in inspect.signature(SPECS[name]).parameters:
        assert re.search(rf"\b{parameter}\b", prose), f"{name}: argument {parameter} unexplained"


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_hook_is_exercised_by_a_test_that_implements_it(name: str) -> None:
    for reference in HOOK_TESTS[name]:
        module_name, test_name = reference.split("::")
        module = importlib.import_module(module_name)
        assert callable(getattr(module, test_name, None)), f"{reference} does not exist"
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        assert f"def {name}(" in source, f"{module_name} has no plugin implementing {name}"
