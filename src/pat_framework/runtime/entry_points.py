"""Entry points read straight from installed distributions' metadata folders.

Importing importlib.metadata would cost a third of the start-up budget of `pat --help`, so
this reads ``*.dist-info`` and ``*.egg-info`` folders on sys.path itself, with the same
answers (a test holds it to importlib.metadata over real installs).
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from typing import NamedTuple

#: `name-1.0.dist-info`, `name-1.0.egg-info`, `name-1.0-py3.11.egg-info`, `name.egg-info`.
_DIST_DIR = re.compile(
    r"^(?P<name>[^-]+?)(?:-(?P<version>[^-]+?))?(?:-py\d[\d.]*)?\.(?P<kind>dist|egg)-info$"
)
_RUNS = re.compile(r"[-_.]+")
#: `module`, `module:attr.sub`, either followed by `[extra, ...]`.
_VALUE = re.compile(r"^(?P<module>[\w.]+)\s*(?::\s*(?P<attr>[\w.]+)\s*)?(?:\[.*\]\s*)?$")


#: One line for each distribution whose metadata could not be read, skipped.
unreadable: list[str] = []


class EntryPoint(NamedTuple):
    """An entry point found in an installed distribution's metadata (a named tuple: the
    dataclasses module would cost `pat --help` two milliseconds)."""

    name: str
    value: str
    distribution: str
    version: str

    def load(self) -> object:
        """The object the entry point names (extras in brackets are ignored)."""
        match = _VALUE.match(self.value)
        if match is None:
            raise ValueError(f"'{self.value}' is not a module or module:attribute")
        target: object = importlib.import_module(match["module"])
        for part in filter(None, (match["attr"] or "").split(".")):
            target = getattr(target, part)
        return target


def entry_points(group: str) -> list[EntryPoint]:
    """Entry points of `group` in the distributions on sys.path; of two distributions of
    one name the first on sys.path wins, and of two entry points of one name, the first."""
    found: dict[str, EntryPoint] = {}
    seen: set[str] = set()
    unreadable.clear()
    for folder in sys.path:
        try:
            with os.scandir(folder or ".") as listing:  # is_dir() without a stat each
                dists = sorted((e.name, e) for e in listing if e.name.endswith("-info"))
        except OSError:
            continue
        for entry, item in dists:
            match = _DIST_DIR.match(entry)
            if not match:
                continue
            distribution = distribution_name(match["name"])
            path = os.path.join(folder or ".", entry)
            if distribution in seen or not item.is_dir():
                continue
            seen.add(distribution)
            pairs = _read_group(os.path.join(path, "entry_points.txt"), group)
            if not pairs:
                continue
            metadata = "METADATA" if match["kind"] == "dist" else "PKG-INFO"
            name, version = _name_and_version(os.path.join(path, metadata))
            dist = distribution_name(name or match["name"])
            for key, value in pairs:
                found.setdefault(key, EntryPoint(key, value, dist, version or match["version"]))
    return list(found.values())


def distribution_name(name: str) -> str:
    """A distribution's name as pip shows it: lower case, runs of `-`, `_` and `.` as `-`."""
    return _RUNS.sub("-", name).lower()


def _name_and_version(path: str) -> tuple[str, str]:
    """`Name` and `Version` from a METADATA or PKG-INFO file's headers ('' when absent)."""
    fields = {"name": "", "version": ""}
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    break  # the headers end at the first blank line
                key, _, value = line.partition(":")
                if key.strip().lower() in fields and not fields[key.strip().lower()]:
                    fields[key.strip().lower()] = value.strip()
    except (OSError, UnicodeDecodeError):
        pass  # the folder's name gives them
    return fields["name"], fields["version"]


def _read_group(path: str, group: str) -> list[tuple[str, str]]:
    try:
        with open(path, "rb") as handle:  # binary, then decoded: faster than text mode
            text = handle.read().decode("utf-8")
    except OSError:
        return []
    except UnicodeDecodeError:
        unreadable.append(f"skipped {path}: not UTF-8 text, so its entry points cannot be read")
        return []
    if group not in text:  # most distributions: no need to read their lines
        return []
    pairs, section = [], None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == group and "=" in line and not line.startswith(("#", ";")):
            name, value = line.split("=", 1)
            pairs.append((name.strip(), value.strip()))
    return pairs
