"""Which plugin an unexpected exception came from, so that a bug costs one message that
names whose it is, never a traceback (``PAT_TRACEBACK=1`` shows the traceback instead)."""

from __future__ import annotations

import traceback
from types import ModuleType

from pat_framework.invisible import visible
from pat_framework.runtime.plugins import pm


def culprit(exc: BaseException) -> str | None:
    """The plugin whose code raised `exc` (the innermost of its frames), or None for pat's."""
    packages = {}
    for name, plugin in pm.list_name_plugin():
        module = plugin.__name__ if isinstance(plugin, ModuleType) else type(plugin).__module__
        if not module.startswith("pat_framework"):
            packages[module.split(".")[0]] = name
    found = None
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        package = str(frame.f_globals.get("__name__", "")).split(".")[0]
        found = packages.get(package, found)
    return found


def unexpected(exc: BaseException) -> str:
    """The one-line message for an exception neither pat nor a plugin turned into one."""
    what = visible(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
    plugin = culprit(exc)
    if plugin is not None:
        return (
            f"plugin '{plugin}' failed: {what}. This is a bug in that plugin, not in your "
            f"files: tell its authors, or set PAT_BLOCK_PLUGINS={plugin} to run without it "
            "(PAT_TRACEBACK=1 shows where it failed)"
        )
    return (
        f"unexpected error: {what}. This is a bug in pat: please report it with the command "
        "you ran (PAT_TRACEBACK=1 shows where it failed)"
    )
