"""Suggestions: "did you mean 'text'?" for misspelt names, valid ids made from any text."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """'; did you mean 'x'?' for the closest choice (ignoring case), or '' if none is close."""
    by_folded = {choice.lower(): choice for choice in choices}
    close = difflib.get_close_matches(word.lower(), list(by_folded), n=1, cutoff=0.6)
    return f"; did you mean '{by_folded[close[0]]}'?" if close else ""


def suggest_id(text: str) -> str:
    """A valid instrument id made from any text: 'Team Health!' -> 'team-health'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def suggest_name(text: str) -> str:
    """A valid section, item or scenario id made from any text: 'T 1.a' -> 'T-1-a'."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-_")
