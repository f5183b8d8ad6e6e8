"""The plugin manager: default plugins, entry points and folders of TOML instruments.

Environment variables:
- ``PAT_LOAD_PLUGINS``: comma-separated plugin names; only these are loaded (defaults too).
- ``PAT_BLOCK_PLUGINS``: comma-separated plugin names never loaded, built-ins included.
- ``PAT_INSTRUMENTS_PATH``: folders of instrument TOML files, separated by ``os.pathsep``.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pluggy

from pat_framework import hookspecs
from pat_framework.hookspecs import PROJECT, RegisterInstrument, hookimpl

DEFAULT_PLUGINS = (
    "pat_framework.default_scorers",
    "pat_framework.default_interpreters",
    "pat_framework.default_renderers",
    "pat_framework.commands_take",
    "pat_framework.analysis_renderers",
    "pat_framework.commands_analyse",
    "pat_framework.default_charts",
    "pat_framework.default_reports",
    "pat_framework.commands_forms",
    "pat_framework.commands_run",
    "pat_framework.commands_new",
    "pat_framework.commands_import",
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
    for entry_point in entry_points(PROJECT):
        name = entry_point.name
        if not _wanted(name) or pm.get_plugin(name) is not None:
            continue
        try:
            pm.register(entry_point.load(), name=name)
        except Exception as exc:  # a broken plugin must never stop pat
            load_errors.append(f"plugin '{name}' failed to load: {type(exc).__name__}: {exc}")
            continue
        distributions[name] = (entry_point.distribution, entry_point.version)
    if _wanted(INSTRUMENTS_DIR_PLUGIN) and pm.get_plugin(INSTRUMENTS_DIR_PLUGIN) is None:
        pm.register(sys.modules[__name__], name=INSTRUMENTS_DIR_PLUGIN)


@dataclass(frozen=True)
class EntryPoint:
    """An entry point found in an installed distribution's metadata."""

    name: str
    value: str
    distribution: str
    version: str

    def load(self) -> object:
        module_name, _, attribute = self.value.partition(":")
        target: object = importlib.import_module(module_name.strip())
        for part in filter(None, attribute.strip().split(".")):
            target = getattr(target, part)
        return target


_DIST_DIR = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+?)\.(dist|egg)-info$")


def entry_points(group: str) -> list[EntryPoint]:
    """Entry points of `group` in the distributions on sys.path, first of each name wins.

    A direct read of each ``*.dist-info/entry_points.txt``: importing importlib.metadata
    would cost a third of the start-up budget of `pat --help`.
    """
    found: dict[str, EntryPoint] = {}
    seen: set[str] = set()
    for folder in sys.path:
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            continue
        for entry in names:
            match = _DIST_DIR.match(entry)
            if not match or distribution_name(match["name"]) in seen:
                continue
            distribution = distribution_name(match["name"])
            seen.add(distribution)
            path = os.path.join(folder or ".", entry, "entry_points.txt")
            for name, value in _read_group(path, group):
                found.setdefault(name, EntryPoint(name, value, distribution, match["version"]))
    return list(found.values())


def distribution_name(name: str) -> str:
    """A distribution's name as pip shows it: lower case, runs of `-`, `_` and `.` as `-`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _read_group(path: str, group: str) -> list[tuple[str, str]]:
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return []
    pairs, section = [], None
    for line in lines:
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == group and "=" in line and not line.startswith(("#", ";")):
            name, value = line.split("=", 1)
            pairs.append((name.strip(), value.strip()))
    return pairs


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
