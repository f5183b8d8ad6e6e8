"""Group labels as people type them: `Anytown Council`, `anytown council ` and `Anytown
  Council` are one organisation, and so are `Conseil général` and `Conseil general`.
The first spelling met is kept, and a note says which spellings were merged into it."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def key(label: str) -> str:
    """What two spellings of one label share: no accents, no case, single spaces."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", label) if not unicodedata.combining(c)
    )
    return " ".join(plain.casefold().split())


def merge_spellings(attributes: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """`attributes` with every spelling of a label in a column replaced by the first one
    met, and a note for each label that had several spellings."""
    import pandas as pd

    from pat_framework.invisible import visible

    notes: list[str] = []
    merged = {}
    for name in attributes.columns:
        column = attributes[name]
        first: dict[str, str] = {}
        spellings: dict[str, list[str]] = {}
        for label in pd.unique(column.dropna()):
            spellings.setdefault(first.setdefault(key(label), label), []).append(label)
        changes = {s: kept for kept, found in spellings.items() for s in found[1:]}
        if not changes:
            continue
        merged[name] = column.replace(changes)
        for kept, found in spellings.items():
            if len(found) > 1:
                others = ", ".join(f"'{visible(s)}'" for s in found[1:])
                notes.append(f"{name}: {others} taken as '{visible(kept)}', one group")
    if not merged:
        return attributes, []
    return attributes.assign(**merged), notes
