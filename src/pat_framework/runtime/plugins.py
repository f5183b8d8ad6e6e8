"""The plugin manager: default plugins, then entry points, checked as they load.

Environment variables:
- ``PAT_LOAD_PLUGINS``: comma-separated plugin names; only these are loaded (defaults too).
- ``PAT_BLOCK_PLUGINS``: comma-separated plugin names never loaded, built-ins included.
- ``PAT_INSTRUMENTS_PATH``: folders of instrument TOML files, separated by ``os.pathsep``.
- ``PAT_ALLOW_REPLACE``: comma-separated plugin names allowed to replace a command or an
  instrument of pat's own (otherwise pat's is kept, with a warning).
- ``PAT_PLUGIN_TIMEOUT``: seconds a plugin may take to load or to run a hook (default 10).

Every mistake found while loading (a plugin that fails to import, a misspelt hook, an
unknown name in the variables) becomes one line in `load_errors`, never a traceback. Plugin
code runs contained (`run_contained`): what it prints is kept off standard output, and an
exception, `sys.exit` or a hang costs that plugin, never pat.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import signal
import threading
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pluggy

from pat_framework import hookspecs
from pat_framework.hookspecs import PROJECT
from pat_framework.runtime.entry_points import EntryPoint, entry_points, unreadable

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


class _Manager(pluggy.PluginManager):
    """pluggy's manager, finding a module's hooks in its namespace: pluggy's own search,
    which steps around descriptors, costs `pat --help` a millisecond over pat's modules."""

    def parse_hookimpl_opts(self, plugin: object, name: str) -> pluggy.HookimplOpts | None:
        if isinstance(plugin, types.ModuleType):
            value = vars(plugin).get(name)
            if isinstance(value, types.FunctionType):
                opts = getattr(value, f"{self.project_name}_impl", None)
                return opts if isinstance(opts, dict) else None  # type: ignore[return-value]
            if not isinstance(value, staticmethod | classmethod | types.MethodType):
                return None
        return super().parse_hookimpl_opts(plugin, name)


pm = _Manager(PROJECT)
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
    load_errors.extend(unreadable)
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
    loaded, plugin = run_contained(entry_point.name, "to load", entry_point.load, load_errors)
    if not loaded:
        return
    try:
        _register(plugin, entry_point.name)
    except pluggy.PluginValidationError as exc:  # a hook with other arguments, say
        reason = " ".join(str(exc).split())  # pluggy's message runs over three lines
        load_errors.append(f"plugin '{entry_point.name}' cannot be used: {reason}")
        return
    distributions[entry_point.name] = (entry_point.distribution, entry_point.version)


class _TooSlow(Exception):
    pass


def _timeout() -> float:
    try:
        return max(0.0, float(os.environ.get("PAT_PLUGIN_TIMEOUT", "10")))
    except ValueError:
        return 10.0


@contextlib.contextmanager
def _limit(seconds: float) -> Iterator[None]:
    """Raise _TooSlow in the main thread after `seconds` (POSIX only; elsewhere no limit)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_contained(
    name: str, what: str, function: Callable[[], Any], problems: list[str]
) -> tuple[bool, Any]:
    """Run a plugin's code; (True, its result), or (False, None) with a line in `problems`.

    What it prints goes to a line in `problems`, never to standard output (where pat may be
    writing JSON); an exception, `sys.exit` or taking longer than PAT_PLUGIN_TIMEOUT seconds
    is reported, not raised. Ctrl-C still stops pat.
    """
    printed = io.StringIO()
    seconds = _timeout()
    ok, result = False, None
    try:
        with contextlib.redirect_stdout(printed), _limit(seconds):
            result, ok = function(), True
    except _TooSlow:
        problems.append(
            f"plugin '{name}' took more than {seconds:g} s {what} and was skipped "
            "(PAT_PLUGIN_TIMEOUT sets the limit)"
        )
    except SystemExit as exc:
        problems.append(f"plugin '{name}' tried to end pat {what} (sys.exit({exc.code!r}))")
    except Exception as exc:  # a broken plugin must never stop pat
        problems.append(f"plugin '{name}' failed {what}: {type(exc).__name__}: {exc}")
    text = " ".join(printed.getvalue().split())
    if text:
        shown = text if len(text) <= 80 else text[:79] + "…"
        problems.append(f"plugin '{name}' printed {what}, kept off the output: {shown!r}")
    return ok, result


def is_builtin(name: str) -> bool:
    """Whether a plugin is pat's own: a default plugin or one of the bundled instruments'."""
    return name in DEFAULT_PLUGINS or distributions.get(name, ("",))[0] == "pat-framework"


def may_replace(name: str) -> bool:
    """Whether PAT_ALLOW_REPLACE lets this plugin replace a command or instrument of pat's."""
    allowed = os.environ.get("PAT_ALLOW_REPLACE", "")
    return name in {part.strip() for part in allowed.split(",")}


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
