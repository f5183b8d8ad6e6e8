"""The rows and cells of the analysis tables, typed.

pandas cannot say what a row's attributes or a cell hold, so these protocols name the
columns that `Analysis` documents, the `*_rows` functions iterate a table (as
`DataFrame.itertuples` does) as rows of that shape, and `dict_rows` gives rows as dicts
keyed by column name. They describe the tables; nothing is checked at run time.
`number_at` and `count_at` read one cell as a Python float or int.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    import pandas as pd


class ItemRow(Protocol):
    """A row of `Analysis.items` (the `count_<value>` columns have no attribute name)."""

    Index: int
    section: str
    item: str
    element: str
    n: int
    dont_know: int
    not_applicable: int
    median: float
    mean: float
    min: float
    max: float
    iqr: float
    variance: float
    rwg: float
    ad: float
    #: <NA> below three answers, when `ad` is NaN.
    ad_agree: bool
    split: bool
    divided: float
    agreement: str


class SectionRow(Protocol):
    """A row of `Analysis.sections`."""

    section: str
    title: str
    n: int
    median: float
    mean: float
    min: float
    max: float
    iqr: float
    rwg_j: float
    alpha: float
    alpha_n: int
    band: str
    band_position: int
    concern: bool


class GroupRow(Protocol):
    """A row of one of `Analysis.subgroups`."""

    group: str
    section: str
    n: int
    median: float
    band: str
    concern: bool
    suppressed: bool


class PriorityRow(Protocol):
    """A row of `Analysis.priorities`."""

    section: str
    title: str
    significance: float
    raters: int
    score: float
    quadrant: str
    rank: int


def dict_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as dicts, column name -> value (every column is named by text)."""
    return cast("list[dict[str, Any]]", frame.to_dict("records"))


def number_at(frame: pd.DataFrame, label: str | int, column: str) -> float:
    """One numeric cell as a float (NaN for none)."""
    return float(cast(float, frame.at[label, column]))


def count_at(frame: pd.DataFrame, label: str | int, column: str) -> int:
    """One whole-number cell as an int."""
    return int(cast(int, frame.at[label, column]))


def row_at(frame: pd.DataFrame, label: str | int) -> pd.Series:
    """The row with this index label, in a table whose labels are unique."""
    return cast("pd.Series", frame.loc[label])


def item_rows(items: pd.DataFrame) -> Iterator[ItemRow]:
    return cast("Iterator[ItemRow]", iter(items.itertuples()))


def section_rows(sections: pd.DataFrame) -> Iterator[SectionRow]:
    return cast("Iterator[SectionRow]", iter(sections.itertuples()))


def group_rows(groups: pd.DataFrame) -> Iterator[GroupRow]:
    return cast("Iterator[GroupRow]", iter(groups.itertuples()))


def priority_rows(priorities: pd.DataFrame) -> Iterator[PriorityRow]:
    return cast("Iterator[PriorityRow]", iter(priorities.itertuples()))
