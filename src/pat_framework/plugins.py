"""The plugin manager: default plugins, entry points and folders of TOML instruments.

Environment variables:
- ``PAT_LOAD_PLUGINS``: comma-separated plugin names; only these are loaded (defaults too).
- ``PAT_BLOCK_PLUGINS``: comma-separated plugin names never loaded, built-ins included.
- ``PAT_INSTRUMENTS_PATH``: folders of instrument TOML files, separated by ``os.pathsep``.
"""

from __future__ import annotations

import importlib
import os
import sys
from importlib import metadata
from pathlib import Path

import pluggy

from pat_framework import hookspecs
from pat_framework.hookspecs import PROJECT, RegisterInstrument, hookimpl

DEFAULT_PLUGINS = (
    "pat_framework.default_scorers",
    "pat_framework.default_interpreters",
    "pat_framework.default_renderers",
)
INSTRUMENTS_DIR_PLUGIN = "instruments-dir"

pm = pluggy.PluginManager(PROJECT)
pm.add_hookspecs(hookspecs)

#: One line per plugin that could not be loaded.
load_errors: list[str] = []
#: Plugin name -> (distribution, version) for plugins loaded from entry points.
distributions: dict[str, tuple[str, str]] = {}
_extra_dirs: list[Path] = []
_loaded = False


def _names(variable: str) -> set[str] | None:
    value = os.environ.get(variable)
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


def _wanted(name: str) -> bool:
    only = _names("PAT_LOAD_PLUGINS")
    blocked = _names("PAT_BLOCK_PLUGINS") or set()
    return name not in blocked and (only is None or name in only)


def load_plugins() -> None:
    """Load default plugins, then entry points, then the instruments folder; once only."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module_name in DEFAULT_PLUGINS:
        if _wanted(module_name) and pm.get_plugin(module_name) is None:
            pm.register(importlib.import_module(module_name), name=module_name)
    for entry_point in metadata.entry_points(group=PROJECT):
        name = entry_point.name
        if not _wanted(name) or pm.get_plugin(name) is not None:
            continue
        try:
            module = entry_point.load()
            pm.register(module, name=name)
        except Exception as exc:  # a broken plugin must never stop pat
            load_errors.append(f"plugin '{name}' failed to load: {type(exc).__name__}: {exc}")
            continue
        if entry_point.dist is not None:
            distributions[name] = (entry_point.dist.name, entry_point.dist.version)
    if _wanted(INSTRUMENTS_DIR_PLUGIN) and pm.get_plugin(INSTRUMENTS_DIR_PLUGIN) is None:
        pm.register(sys.modules[__name__], name=INSTRUMENTS_DIR_PLUGIN)


def add_instruments_dir(path: str | Path) -> None:
    """Also load every ``*.toml`` in this folder (from ``--instruments-dir``)."""
    _extra_dirs.append(Path(path))


def instrument_dirs() -> list[Path]:
    """Folders of instrument files: ``--instruments-dir`` first, then the variable's."""
    from_env = os.environ.get("PAT_INSTRUMENTS_PATH", "")
    return [*_extra_dirs, *(Path(p) for p in from_env.split(os.pathsep) if p)]


@hookimpl
def register_instruments(register: RegisterInstrument) -> None:
    """Register every TOML file in the instruments folders."""
    for folder in instrument_dirs():
        if not folder.is_dir():
            raise NotADirectoryError(f"instruments folder {folder} does not exist")
        for path in sorted(folder.glob("*.toml")):
            register(path)
