"""Group labels as people type them: `Anytown Council`, `anytown council ` and `Anytown
  Council` are one organisation, and so are `Conseil général` and `Conseil general`.
The first spelling met is kept, and a note says which spellings were merged into it."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pat_framework.errors import Problem
from pat_framework.invisible import visible

if TYPE_CHECKING:
    import pandas as pd

#: Problems listed for one column before the rest are left unsaid.
LIMIT = 20
#: Attributes whose declared values are also their order (`analysis.order`).
ORDERED = ("round",)


def key(label: str) -> str:
    """What two spellings of one label share: no accents, no case, single spaces."""
    folded = " ".join(label.casefold().split())
    if folded.isascii():  # most labels, and every timestamp: no accents to take off
        return folded
    plain = unicodedata.normalize("NFKD", folded)
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).split())


def check_allowed(
    attributes: pd.DataFrame,
    rows: Any,
    allowed: Mapping[str, Sequence[str]],
    file: str,
    problems: list[Problem],
) -> pd.DataFrame:
    """`attributes` with each allowed value in its declared spelling (matched by `key`); a
    problem naming the row for any other value. `rows` are the file's row numbers. A
    declared `round` becomes an ordered categorical: the rounds in the order given."""
    import pandas as pd

    changed = {}
    for name, values in allowed.items():
        if name not in attributes.columns:
            continue
        spelling = {key(v): v for v in values}
        column = attributes[name]
        found = column.map({u: spelling.get(key(u)) for u in pd.unique(column.dropna())})
        wrong = (column.notna() & found.isna()).to_numpy()
        listed = ", ".join(values)
        for position in wrong.nonzero()[0][:LIMIT]:
            problems.append(
                Problem(
                    file,
                    f"'{visible(str(column.iloc[position]))}' is not one of the {name} values "
                    f"the workshop allows ({listed})",
                    row=int(rows[position]),
                    column=name,
                )
            )
        changed[name] = found.astype(column.dtype)
        if name in ORDERED:  # the rounds in the order declared, whatever their labels
            changed[name] = found.astype(pd.CategoricalDtype(list(values), ordered=True))
    return attributes.assign(**changed) if changed else attributes


def merge_spellings(attributes: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """`attributes` with every spelling of a label in a column replaced by the first one
    met, and a note for each label that had several spellings."""
    import pandas as pd

    notes: list[str] = []
    merged = {}
    for name in attributes.columns:
        column = attributes[name]
        labels = pd.Series(pd.unique(column.dropna()), dtype="str")
        if not _may_merge(labels):
            continue
        first: dict[str, str] = {}
        spellings: dict[str, list[str]] = {}
        for label in labels:
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


def _may_merge(labels: pd.Series) -> bool:
    """Whether two of these distinct labels could share a `key`, tested column-wide (so a
    column of 300,000 timestamps costs a fraction of a second): only when their case and
    spaces folded make fewer labels, or some hold letters beyond ASCII (accents)."""
    folded = labels.str.lower().str.replace(r"\s+", " ", regex=True).str.strip()
    return bool(folded.nunique() < len(labels) or not labels.str.isascii().all())
