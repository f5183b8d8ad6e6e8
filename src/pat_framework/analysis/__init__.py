"""Group analysis for the feedback workshop: agreement, subgroups, rounds and priorities.

The `Analysis` result is what charts and reports are built from. Every frame in it is
small and aggregated (rows per item, section, subgroup or round, never per answer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pat_framework.results import Finding, Interpretation

if TYPE_CHECKING:
    import pandas as pd

ANALYSIS_FORMAT = "pat-analysis"
ANALYSIS_VERSION = 1


@dataclass
class Analysis:
    """Everything a facilitator needs from a set of answers.

    - `items`: one row per item (all sections, scored or not), in instrument order, with
      columns `section`, `item`, `n` (answers with a value), `count_<value>` per scale value
      (e.g. `count_4`), `dont_know`, `not_applicable`, `median`, `mean`, `min`, `max`,
      `iqr`, `rwg`, `ad`, `ad_agree` (bool), `split` (bool), `agreement` (a label naming its
      index, e.g. "high agreement (rWG 0.82)", or "too few respondents for agreement").
    - `sections`: one row per scored section: `section`, `title`, `n`, `median`, `mean`,
      `min`, `max`, `iqr`, `rwg_j`, `alpha` (NaN below 30 respondents), `band`
      (label of the band holding the median), `band_position` (index in ordered bands, -1
      none), `concern` (bool).
    - `subgroups`: for each `--by` attribute, one row per group value and scored section
      plus the aggregate: `group`, `section`, `n`, `median`, `band`, `suppressed` (bool;
      when suppressed the statistics are NaN and the row is never shown as data).
    - `rounds`: one row per round and section (None with fewer than two rounds): `round`,
      `section`, `n`, `median`, `band`, `change` (median minus the previous round's),
      `direction` ("up", "down", "same", or "" for the first round).
    - `priorities`: one row per section that has a weighting item (`target`): `section`,
      `title`, `significance` (mean weight), `score` (group median), `quadrant`
      (e.g. "concentrate here"), `rank` (1 = act first); None without weighting.
    - `findings`: strengths, concerns, disagreements and the like, most important first.
    - `action_plan`: one row per concern or disagreement: `section`, `element`, `item`,
      `issue`, `action`, `owner`, `due` (the last three empty, for the workshop to fill).
    - `individuals`: per-respondent totals, present only when explicitly asked for.
    """

    interpretation: Interpretation
    items: pd.DataFrame
    sections: pd.DataFrame
    subgroups: dict[str, pd.DataFrame] = field(default_factory=dict)
    rounds: pd.DataFrame | None = None
    priorities: pd.DataFrame | None = None
    findings: list[Finding] = field(default_factory=list)
    action_plan: pd.DataFrame | None = None
    individuals: pd.DataFrame | None = None
    min_group: int = 3
