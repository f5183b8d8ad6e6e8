"""The plugin manager: default plugins, then entry points, checked as they load.

Environment variables:
- ``PAT_LOAD_PLUGINS``: comma-separated plugin names; only these are loaded (defaults too).
- ``PAT_BLOCK_PLUGINS``: comma-separated plugin names never loaded, built-ins included.
- ``PAT_INSTRUMENTS_PATH``: folders of instrument TOML files, separated by ``os.pathsep``.

Every mistake found while loading (a plugin that fails to import, a misspelt hook, an
unknown name in the variables) becomes one line in `load_errors`, never a traceback.
"""

from __future__ import annotations

import contextlib
import importlib
import os
from pathlib import Path

import pluggy

from pat_framework import hookspecs
from pat_framework.hookspecs import PROJECT
from pat_framework.runtime.entry_points import EntryPoint, entry_points

#: The default plugins: name -> module, in the order they are registered.
DEFAULT_PLUGINS = {
    "pat.scorers": "pat_framework.default_plugins.scorers",
    "pat.interpreters": "pat_framework.default_plugins.interpreters",
    "pat.renderers": "pat_framework.default_plugins.renderers",
    "pat.charts": "pat_framework.default_plugins.charts",
    "pat.importers": "pat_framework.default_plugins.importers",
    "pat.commands": "pat_framework.default_plugins.commands",
    "pat.instruments": "pat_framework.default_plugins.instruments",
}

#: Names used before 0.2 (module paths), accepted with a deprecation note until 0.3:
#: old name -> the plugins that now hold its hooks.
DEPRECATED_NAMES = {
    "pat_framework.default_scorers": ("pat.scorers",),
    "pat_framework.default_interpreters": ("pat.interpreters",),
    "pat_framework.default_renderers": ("pat.renderers",),
    "pat_framework.analysis_renderers": ("pat.renderers",),
    "pat_framework.default_charts": ("pat.charts", "pat.commands"),
    "pat_framework.default_reports": ("pat.renderers", "pat.commands"),
    "pat_framework.commands_take": ("pat.commands",),
    "pat_framework.commands_analyse": ("pat.commands",),
    "pat_framework.commands_forms": ("pat.commands",),
    "pat_framework.commands_run": ("pat.renderers", "pat.commands"),
    "pat_framework.commands_new": ("pat.commands",),
    "pat_framework.commands_import": ("pat.commands",),
    "instruments-dir": ("pat.instruments",),
}

pm = pluggy.PluginManager(PROJECT)
pm.add_hookspecs(hookspecs)

#: One line per problem met while loading plugins, shown as a warning.
load_errors: list[str] = []
#: Plugin name -> (distribution, version) for plugins loaded from entry points.
distributions: dict[str, tuple[str, str]] = {}
_extra_dirs: list[Path] = []
_loaded = False


def load_plugins() -> None:
    """Load default plugins, then entry points; once only."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    found = entry_points(PROJECT)
    wanted = _Wanted({*DEFAULT_PLUGINS, *(e.name for e in found)})
    load_errors.extend(wanted.problems)
    for name, module_name in DEFAULT_PLUGINS.items():
        if wanted(name) and pm.get_plugin(name) is None:
            _register(importlib.import_module(module_name), name)
    for entry_point in found:
        if wanted(entry_point.name) and pm.get_plugin(entry_point.name) is None:
            _load_entry_point(entry_point)
    with contextlib.suppress(pluggy.PluginValidationError):
        pm.check_pending()  # each unknown hook was reported as its plugin registered


def _load_entry_point(entry_point: EntryPoint) -> None:
    try:
        plugin = entry_point.load()
    except Exception as exc:  # a broken plugin must never stop pat
        load_errors.append(
            f"plugin '{entry_point.name}' failed to load: {type(exc).__name__}: {exc}"
        )
        return
    try:
        _register(plugin, entry_point.name)
    except pluggy.PluginValidationError as exc:  # a hook with other arguments, say
        reason = " ".join(str(exc).split())  # pluggy's message runs over three lines
        load_errors.append(f"plugin '{entry_point.name}' cannot be used: {reason}")
        return
    distributions[entry_point.name] = (entry_point.distribution, entry_point.version)


def _register(plugin: object, name: str) -> None:
    pm.register(plugin, name=name)
    load_errors.extend(hook_problems(plugin, name))


def hook_problems(plugin: object, name: str) -> list[str]:
    """A line for each hook of `plugin` that pat would never call: a misspelt hook name,
    or a hook function without `@hookimpl`."""
    known = [n for n in vars(pm.hook) if n[0] != "_" and getattr(pm.hook, n).has_spec()]
    problems = []
    for attribute in sorted(dir(plugin)):
        if attribute.startswith("_"):
            continue
        opts = pm.parse_hookimpl_opts(plugin, attribute)
        if opts is not None and attribute not in known and not opts.get("optionalhook"):
            from pat_framework.instrument.suggest import did_you_mean  # only when needed

            hint = did_you_mean(attribute, known) or f" (the hooks: {', '.join(sorted(known))})"
            problems.append(f"plugin '{name}': '{attribute}' is not a pat hook{hint}")
        elif opts is None and attribute in known and callable(getattr(plugin, attribute)):
            problems.append(
                f"plugin '{name}': '{attribute}' is not marked @hookimpl, so pat never calls it"
            )
    return problems


class _Wanted:
    """Which plugins to load, from PAT_LOAD_PLUGINS and PAT_BLOCK_PLUGINS."""

    def __init__(self, known: set[str]) -> None:
        self.problems: list[str] = []
        self.only = self._names("PAT_LOAD_PLUGINS", known)
        self.blocked = self._names("PAT_BLOCK_PLUGINS", known) or set()

    def __call__(self, name: str) -> bool:
        return name not in self.blocked and (self.only is None or name in self.only)

    def _names(self, variable: str, known: set[str]) -> set[str] | None:
        value = os.environ.get(variable)
        if value is None:
            return None
        names: set[str] = set()
        for name in filter(None, (part.strip() for part in value.split(","))):
            if name in DEPRECATED_NAMES:
                new = DEPRECATED_NAMES[name]
                names.update(new)
                self.problems.append(
                    f"{variable}: '{name}' is an old name, accepted until pat 0.3; "
                    f"write {' and '.join(repr(n) for n in new)} instead"
                )
            elif name in known:
                names.add(name)
            else:
                self.problems.append(
                    f"{variable}: no plugin named '{name}' (the plugins: "
                    f"{', '.join(sorted(known))})"
                )
        return names


def add_instruments_dir(path: str | Path) -> None:
    """Also load every ``*.toml`` in this folder (from ``--instruments-dir``)."""
    _extra_dirs.append(Path(path))


def instrument_dirs() -> list[Path]:
    """Folders of instrument files: ``--instruments-dir`` first, then the variable's."""
    from_env = os.environ.get("PAT_INSTRUMENTS_PATH", "")
    return [*_extra_dirs, *(Path(p) for p in from_env.split(os.pathsep) if p)]
