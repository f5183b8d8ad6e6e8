"""The registries that plugins fill, with the name of the plugin behind each entry."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pat_framework.bands import check_bands
from pat_framework.errors import InstrumentError, PatError, Problem
from pat_framework.instrument.lines import with_lines
from pat_framework.instrument.loader import load_instrument
from pat_framework.instrument.suggest import did_you_mean
from pat_framework.interfaces import Chart, Importer, Interpreter, Renderer, Scorer
from pat_framework.model import Instrument
from pat_framework.runtime import plugins

KINDS = ("scorer", "interpreter", "renderer", "chart", "importer", "instrument")
_PROTOCOLS: dict[str, type] = {
    "scorer": Scorer,
    "interpreter": Interpreter,
    "renderer": Renderer,
    "chart": Chart,
    "importer": Importer,
}
_HOOKS = {
    "scorer": "register_scorers",
    "interpreter": "register_interpreters",
    "renderer": "register_renderers",
    "chart": "register_charts",
    "importer": "register_importers",
    "instrument": "register_instruments",
}


@dataclass
class Registry:
    """Everything the plugins registered, keyed by kind and name."""

    entries: dict[str, dict[Any, Any]] = field(default_factory=lambda: {k: {} for k in KINDS})
    providers: dict[tuple[str, Any], str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def add(self, kind: str, obj: Any, plugin: str) -> None:
        """Register one object for `plugin`; problems are recorded, never raised."""
        if kind == "instrument":
            obj = self._instrument(obj, plugin)
            if obj is None:
                return
            key: Any = obj.id
        else:
            protocol = _PROTOCOLS[kind]
            if not isinstance(obj, protocol) or not getattr(obj, "name", None):
                self.problems.append(
                    f"plugin '{plugin}' registered an invalid {kind} {obj!r}: "
                    f"it needs {_members(protocol)}"
                )
                return
            named: Any = obj
            key = (named.subject, named.name) if kind == "renderer" else named.name
        if key in self.entries[kind]:
            first = self.providers[(kind, key)]
            label = "/".join(key) if isinstance(key, tuple) else key
            if not (plugins.is_builtin(first) and plugins.may_replace(plugin)):
                allow = (
                    f" (to let it replace pat's own, set PAT_ALLOW_REPLACE={plugin})"
                    if plugins.is_builtin(first)
                    else ""
                )
                self.problems.append(
                    f"{kind} '{label}' from plugin '{plugin}' ignored: plugin "
                    f"'{first}' already registered that name{allow}"
                )
                return
        self.entries[kind][key] = obj
        self.providers[(kind, key)] = plugin

    def _instrument(self, obj: Any, plugin: str) -> Instrument | None:
        if isinstance(obj, Instrument):
            return obj
        if isinstance(obj, str | Path):
            try:
                return load_instrument(obj)
            except InstrumentError as exc:
                first = exc.problems[0] if exc.problems else exc.summary
                self.problems.append(
                    f"plugin '{plugin}': skipped {first} "
                    f"(run `pat validate {obj}` for every problem)"
                )
                return None
        self.problems.append(
            f"plugin '{plugin}' registered {obj!r}, which is neither an "
            "Instrument nor the path of an instrument file"
        )
        return None

    def names(self, kind: str) -> list[Any]:
        return sorted(self.entries[kind])

    def get(self, kind: str, key: Any) -> Any:
        try:
            return self.entries[kind][key]
        except KeyError:
            label = "/".join(key) if isinstance(key, tuple) else key
            known = ", ".join("/".join(k) if isinstance(k, tuple) else k for k in self.names(kind))
            raise PatError(
                f"no {kind} '{label}' is installed (installed: {known or 'none'})"
            ) from None

    def instrument(self, instrument_id: str) -> Instrument:
        """An instrument ready to score: its scorer and interpreter exist and accept it."""
        instrument: Instrument = self.get("instrument", instrument_id)
        complaints = self.check(instrument)
        if complaints:
            raise InstrumentError(f"instrument '{instrument_id}' cannot be used", complaints)
        return instrument

    def check(self, instrument: Instrument) -> list[Problem]:
        """Problems found by the instrument's scorer and interpreter, bands included."""
        file = str(instrument.path or instrument.id)
        found: list[tuple[str, str]] = []
        scorer = self.entries["scorer"].get(instrument.scorer)
        interpreter = self.entries["interpreter"].get(instrument.interpreter)
        for kind, name, obj in (
            ("scorer", instrument.scorer, scorer),
            ("interpreter", instrument.interpreter, interpreter),
        ):
            if obj is None:
                known = ", ".join(self.names(kind)) or "none"
                hint = did_you_mean(name, self.names(kind))
                found.append((kind, f"unknown {kind} '{name}' (installed: {known}){hint}"))
        if scorer is not None:
            found += scorer.check(instrument)
            for i, section in enumerate(instrument.sections, 1):
                if section.scored and section.bands:
                    reach = scorer.score_range(instrument, section)
                    found += check_bands(section.bands, reach, f"sections[{i}].bands")
            reach = scorer.aggregate_range(instrument)
            if reach is not None and instrument.aggregate_bands:
                found += check_bands(instrument.aggregate_bands, reach, "aggregate.bands")
        if interpreter is not None:
            found += interpreter.check(instrument)
        problems = [Problem(file, message, key=key) for key, message in found]
        return _located(problems, instrument.path)

    def scorer(self, name: str) -> Scorer:
        scorer: Scorer = self.get("scorer", name)
        return scorer

    def interpreter(self, name: str) -> Interpreter:
        interpreter: Interpreter = self.get("interpreter", name)
        return interpreter

    def provider(self, kind: str, key: Any) -> str:
        return self.providers[(kind, key)]


def _located(problems: list[Problem], path: Path | None) -> list[Problem]:
    """Problems with the line of their key in the instrument file, when it can be read."""
    if not problems or path is None:
        return problems
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return problems
    return with_lines(problems, text)


def _members(protocol: type) -> str:
    names = [n for n in vars(protocol) if not n.startswith("_")]
    names += list(getattr(protocol, "__annotations__", {}))
    return ", ".join(sorted(set(names)))


def build_registry(kinds: Iterable[str] = KINDS) -> Registry:
    """Load the plugins and call every registration hook, one plugin at a time; with
    `kinds`, only those kinds' hooks (`pat instruments` needs no renderer or chart)."""
    plugins.load_plugins()
    registry = Registry()
    registry.problems.extend(plugins.load_errors)
    for kind in kinds:
        hook = getattr(plugins.pm.hook, _HOOKS[kind])
        # pat's own plugins first, so that a third party's name clash never displaces them
        impls = sorted(hook.get_hookimpls(), key=lambda i: not plugins.is_builtin(i.plugin_name))
        for impl in impls:
            callback: Callable[[Any], None] = _callback(registry, kind, impl.plugin_name)
            plugins.run_contained(
                impl.plugin_name,
                f"in {_HOOKS[kind]}",
                functools.partial(impl.function, callback),
                registry.problems,
            )
    return registry


def _callback(registry: Registry, kind: str, plugin: str) -> Callable[[Any], None]:
    def register(obj: Any) -> None:
        registry.add(kind, obj, plugin)

    return register
