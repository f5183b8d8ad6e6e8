"""Line numbers of the key paths in a TOML text (`sections[2].items[4].scale`), for messages.

A light scan of a document that has already parsed: it follows `[table]` and
`[[array of tables]]` headers and `key = value` lines, skipping the inside of values
(multi-line strings, lists and inline tables), and counts array blocks from 1 as the
loader's key paths do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pat_framework.errors import Problem

_LAST_STEP = re.compile(r"(\.[^.\[\]]+|\[\d+\])$")


@dataclass
class _Value:
    """Where a scan is inside a value that may run over several lines."""

    depth: int = 0
    string: str = ""  # '"""' or "'''" while inside a multi-line string

    @property
    def open(self) -> bool:
        return bool(self.depth or self.string)


def key_lines(text: str) -> dict[str, int]:
    """Map every key path written in `text` to the line (from 1) where it is written."""
    lines: dict[str, int] = {}
    arrays: dict[str, int] = {}
    table = ""
    value = _Value()
    for number, line in enumerate(text.splitlines(), 1):
        if value.open:
            _scan_value(line, value)
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            double = stripped.startswith("[[")
            inner = stripped[2 if double else 1 :]
            parts, _ = _key_parts(inner)
            table = _resolve(parts, arrays, array_last=double)
            lines.setdefault(table, number)
            for prefix in _prefixes(table):
                lines.setdefault(prefix, number)
            continue
        parts, rest = _key_parts(stripped)
        if not parts or not rest.lstrip().startswith("="):
            continue
        path = table
        for part in parts:
            path = f"{path}.{part}" if path else part
            lines.setdefault(path, number)
        _scan_value(rest.lstrip()[1:], value)
    return lines


def line_of(lines: dict[str, int], key: str | None) -> int | None:
    """The line of `key`, or of the nearest enclosing key written in the file."""
    for path in (key, *_prefixes(key)) if key else ():
        if path in lines:
            return lines[path]
    return None


def with_lines(problems: list[Problem], text: str, file: str | None = None) -> list[Problem]:
    """The problems with the line of their key path filled in where it can be found (only
    those about `file`, when it is given)."""
    lines = key_lines(text)
    return [
        replace(p, line=line_of(lines, p.key))
        if p.key and p.line is None and file in (None, p.file)
        else p
        for p in problems
    ]


def _prefixes(path: str) -> list[str]:
    """The enclosing paths of a key path: a.b[2].c -> a.b[2], a.b, a."""
    found: list[str] = []
    while True:
        shorter = _LAST_STEP.sub("", path)
        if shorter == path or not shorter:
            return found
        found.append(shorter)
        path = shorter


def _resolve(parts: list[str], arrays: dict[str, int], *, array_last: bool) -> str:
    """The key path of a table header; `[[...]]` headers count a new block."""
    path = ""
    for k, part in enumerate(parts):
        path = f"{path}.{part}" if path else part
        if array_last and k == len(parts) - 1:
            arrays[path] = arrays.get(path, 0) + 1
            path = f"{path}[{arrays[path]}]"
        elif path in arrays:
            path = f"{path}[{arrays[path]}]"
    return path


def _key_parts(text: str) -> tuple[list[str], str]:
    """A dotted key at the start of `text` as its parts, and the text after it."""
    parts: list[str] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        if pos < len(text) and text[pos] in "\"'":
            quote = text[pos]
            end = pos + 1
            while end < len(text) and text[end] != quote:
                end += 2 if quote == '"' and text[end] == "\\" else 1
            parts.append(text[pos + 1 : end])
            pos = end + 1
        else:
            match = re.match(r"[A-Za-z0-9_-]+", text[pos:])
            if not match:
                return parts, text[pos:]
            parts.append(match.group())
            pos += match.end()
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        if pos < len(text) and text[pos] == ".":
            pos += 1
            continue
        return parts, text[pos:]


def _scan_value(text: str, value: _Value) -> None:
    """Follow brackets and strings through one line of a value."""
    pos = 0
    while pos < len(text):
        if value.string:
            end = text.find(value.string, pos)
            if end < 0:
                return
            value.string = ""
            pos = end + 3
            continue
        char = text[pos]
        if char == "#":
            return
        if text.startswith(('"""', "'''"), pos):
            value.string = text[pos : pos + 3]
            pos += 3
        elif char in "\"'":
            end = pos + 1
            while end < len(text) and text[end] != char:
                end += 2 if char == '"' and text[end] == "\\" else 1
            pos = end + 1
        else:
            if char in "[{":
                value.depth += 1
            elif char in "]}":
                value.depth -= 1
            pos += 1
