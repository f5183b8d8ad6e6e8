"""Hints added to instrument-file messages: where a key belongs and what to write instead."""

from __future__ import annotations

import re
from typing import Any

#: Where a key belongs when it is written in the wrong block.
PLACES = {
    "items": "items belong to a section: write [[sections.items]] after its [[sections]] block",
    "bands": "bands belong to a section ([[sections.bands]]) or to [aggregate] "
    "([[aggregate.bands]])",
    "options": "answers belong to a scale: write [[scales.NAME.options]]",
    "codes": "codes belong to an answer option: [[scales.NAME.options]]",
    "value": "values belong to an answer option ([[scales.NAME.options]])",
}


def shown(value: Any) -> str:
    """A value as a message shows it: tables and lists by kind, long text cut short."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _header(full: str) -> str:
    """The TOML block header for a key path: sections[2].items -> sections.items."""
    return re.sub(r"\[\d+\]", "", full)


def how_to_add(key: str, full: str, kinds: tuple[type, ...]) -> str:
    """How to add a required key that is missing."""
    if list in kinds:
        return f"add [[{_header(full)}]] blocks"
    if dict in kinds:
        return f"add a [{_header(full)}] block"
    if str in kinds:
        return f'add a line  {key} = "..."'
    return f"add a line  {key} = ..."


def type_hint(value: Any, full: str, kinds: tuple[type, ...]) -> str:
    """What to write instead of a value of the wrong type."""
    if isinstance(value, str) and (int in kinds or float in kinds):
        try:
            number = float(value)
        except ValueError:
            return ""
        return f" (write the number without quotes: {value.strip()})" if number == number else ""
    if isinstance(value, str) and bool in kinds:
        if value.strip().lower() in ("true", "false", "yes", "no"):
            return " (write true or false, without quotes)"
        return ""
    if str in kinds and isinstance(value, bool):
        return f' (put text in double quotes: "{str(value).lower()}")'
    if str in kinds and isinstance(value, int | float):
        return f' (put text in double quotes: "{value}")'
    if list in kinds and isinstance(value, dict):
        return f" (start each entry with [[{_header(full)}]], in double brackets)"
    return ""
