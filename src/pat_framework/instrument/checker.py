"""Reading a TOML file for people, shared by instrument and workshop files: syntax errors
explained with the line shown, every mistake kept under its key path (and then its line),
"did you mean" for a misspelt key, and what to write instead of a value of the wrong type."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pat_framework import invisible
from pat_framework.errors import Problem, ProblemsError
from pat_framework.instrument.hints import how_to_add, shown, type_hint
from pat_framework.instrument.suggest import did_you_mean
from pat_framework.instrument.syntax import syntax_problem


def read_toml(path: Path, what: str, error: type[ProblemsError]) -> tuple[dict[str, Any], str]:
    """The parsed document and its text; `error` for a file that cannot be read, is not
    UTF-8 or is not TOML (explained, with the line)."""
    import tomli

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(
            f"{path}: cannot read {what}", [Problem(str(path), exc.strerror or str(exc))]
        ) from exc
    try:
        text = raw.decode("utf-8-sig")  # Notepad starts a file with a byte-order mark
    except UnicodeDecodeError as exc:
        raise error(
            f"{path}: not a text file", [Problem(str(path), f"not UTF-8 text ({exc.reason})")]
        ) from exc
    try:
        return tomli.loads(text), text
    except tomli.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML", [syntax_problem(str(path), exc, text)]) from exc
    except RecursionError:  # tomli's own limit on nesting, or Python's
        raise error(
            f"{path}: not valid TOML",
            [Problem(str(path), "arrays or tables are nested too deeply to be a real file")],
        ) from None


class TomlChecker:
    """Collects problems while reading a parsed TOML document.

    `places` says where a key belongs when it is found in the wrong table (used instead of
    "did you mean" for that key).
    """

    def __init__(self, file: str, places: Mapping[str, str] | None = None) -> None:
        self.file = file
        self.places = places or {}
        self.problems: list[Problem] = []

    def add(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.file, message, key=key))

    def get(
        self,
        table: dict[str, Any],
        key: str,
        path: str,
        kind: type | tuple[type, ...],
        *,
        required: bool = False,
        default: Any = None,
    ) -> Any:
        """`table[key]` when it is of `kind`; otherwise `default`, and a problem."""
        full = f"{path}.{key}" if path else key
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if key not in table:
            if required:
                self.add(full, f"is required but missing ({how_to_add(key, full, kinds)})")
            return default
        value = table[key]
        if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
            self.add(
                full,
                f"expected {kind_name(kinds)}, got {shown(value)}" + type_hint(value, full, kinds),
            )
            return default
        if isinstance(value, str) and invisible.has_invisible(value, lines=True):
            self.add(
                full,
                f"holds an invisible control character ('{invisible.visible(value)[:60]}'): "
                "remove it (a pasted line break or a terminal code, say)",
            )
            return invisible.clean(value, lines=True)
        return value

    def unknown(self, table: dict[str, Any], path: str, allowed: set[str]) -> None:
        """A problem for each key of `table` not in `allowed`."""
        for key in table:
            if key not in allowed:
                full = f"{path}.{key}" if path else key
                hint = (
                    f"; {self.places[key]}" if key in self.places else did_you_mean(key, allowed)
                )
                self.add(full, f"unknown key (allowed: {', '.join(sorted(allowed))}){hint}")


def kind_name(kinds: tuple[type, ...]) -> str:
    """The kinds of value a key takes, in words: 'text', 'a whole number', 'a list'."""
    if float in kinds:  # a whole number is a number too
        kinds = tuple(k for k in kinds if k is not int)
    names = {
        str: "text",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))
