"""Group analysis for the feedback workshop: agreement, subgroups, rounds and priorities.

The `Analysis` result is what charts and reports are built from. Every frame in it is
small and aggregated (rows per item, section, subgroup or round, never per answer), and
has passed the disclosure rules (`pat_framework.disclosure`): `analyse` is the one way in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pat_framework.disclosure.rules import DEFAULT_COMMENTS, DEFAULT_FIGURES, Rules
from pat_framework.errors import PatError
from pat_framework.results import Finding, Interpretation

if TYPE_CHECKING:
    import pandas as pd

    from pat_framework.disclosure.release import Reinterpret
    from pat_framework.model import Instrument
    from pat_framework.responses import Responses

ANALYSIS_FORMAT = "pat-analysis"
ANALYSIS_VERSION = 1


@dataclass
class Analysis:
    """Everything a facilitator needs from a set of answers.

    - `items`: one row per item (all sections, scored or not), in instrument order, with
      columns `section`, `item`, `element`, `n` (answers with a value), `count_<value>` per
      scale value (e.g. `count_4`; <NA> where the value is not on the item's scale),
      `dont_know`, `not_applicable`, `median`, `mean`, `min`, `max`, `iqr`, `variance`
      (ddof=1), `rwg`, `ad`, `ad_agree` (nullable bool), `split` (bool: answers on both sides
      of the scale midpoint), `divided` (share of answers on the smaller side; 0 unless
      split), `agreement` (a label naming its index, e.g. "strong agreement (rWG 0.82)", or
      "too few respondents for agreement …"). `rwg`, `ad` and `ad_agree` are NaN/<NA>
      below 3 answers. Values are raw answers (reverse items are not turned round).
    - `sections`: one row per scored section: `section`, `title`, `n`, `median`, `mean`,
      `min`, `max`, `iqr`, `rwg_j`, `alpha` (NaN below 30 respondents with every item
      answered), `alpha_n` (how many such respondents were pooled), `band` (label of the
      band holding the median), `band_position` (index in ordered bands, -1 none),
      `concern` (bool).
    - `subgroups`: for each `--by` attribute, one row per group value and scored section
      plus the aggregate: `group`, `section`, `n`, `median`, `band`, `concern`, `suppressed`
      (bool; when suppressed the statistics are NaN/<NA> and the row is never shown as data).
    - `rounds`: one row per round and section (None with fewer than two rounds): `round`,
      `section`, `n`, `median`, `band`, `concern`, `change` (median minus the previous
      round's), `direction` ("up", "down", "same", or "" for the first round or no figure),
      `suppressed` (as for subgroups).
    - `priorities`: one row per section that has a weighting item (`target`): `section`,
      `title`, `significance` (mean weight), `raters` (weights given), `score` (group
      median), `quadrant` (e.g. "concentrate here"), `rank` (1 = act first); None without
      weighting.
    - `findings`: strengths, concerns, disagreements and the like, most important first.
    - `action_plan`: one row per concern or disagreement: `section`, `element`, `item`,
      `issue`, `action`, `owner`, `due` (the last three empty, for the workshop to fill).
    - `individuals`: per-respondent totals, present only when explicitly asked for.
    - `rules`: the disclosure rules applied. The interpretation carries the answers as
      released: what too few answered is blanked, comments from too few are gone, and
      the respondents' attributes are left out (breakdowns are in `subgroups`).
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
    rules: Rules = field(default_factory=Rules)

    @property
    def min_group(self) -> int:
        """The smallest group any figure is shown for."""
        return self.rules.figures

    @property
    def instrument(self) -> Instrument:
        """The instrument the answers are to."""
        return self.interpretation.scores.instrument

    @property
    def responses(self) -> Responses:
        """The answers analysed (one round of them, when the files hold several)."""
        return self.interpretation.scores.responses


def analyse(
    interpretation: Interpretation,
    by: Sequence[str] = (),
    min_group: int = DEFAULT_FIGURES,
    show_individuals: bool = False,
    history: Interpretation | None = None,
    min_comments: int = DEFAULT_COMMENTS,
    reinterpret: Reinterpret | None = None,
) -> Analysis:
    """Analyse interpreted answers across respondents, broken down by the `by` attributes,
    showing no group smaller than `min_group` and no comments from fewer than
    `min_comments` (`pat_framework.disclosure`; `Withheld` when nothing can be shown).

    `history`, when given, holds every round's answers: the change between rounds is
    worked out from it while everything else describes `interpretation` alone.
    `reinterpret` interprets scores again once the rules have blanked some of them (by
    default the instrument's interpreter from the installed plugins).
    """
    from pat_framework.analysis.consensus import item_table, section_table
    from pat_framework.analysis.findings import action_plan, build_findings
    from pat_framework.analysis.priorities import priority_table
    from pat_framework.analysis.rounds import round_changes
    from pat_framework.disclosure.differences import breakdowns
    from pat_framework.disclosure.release import release

    rules = Rules(min_group, min_comments)
    attributes = [attribute_name(interpretation, name) for name in dict.fromkeys(by)]
    read = interpretation.scores.responses.attributes
    interpretation = release(interpretation, rules, reinterpret, show_individuals)
    items = item_table(interpretation.scores.responses)
    sections = section_table(interpretation, items)
    subgroups = breakdowns(with_attributes(interpretation, read), attributes, rules.figures)
    priorities = priority_table(interpretation, sections, items)
    findings = build_findings(interpretation, items, sections, subgroups, priorities)
    return Analysis(
        interpretation=without_attributes(interpretation),
        items=items,
        sections=sections,
        subgroups=subgroups,
        rounds=round_changes(history or interpretation, rules.figures),
        priorities=priorities,
        findings=findings,
        action_plan=action_plan(findings, interpretation),
        individuals=individual_totals(interpretation) if show_individuals else None,
        rules=rules,
    )


def without_attributes(interpretation: Interpretation) -> Interpretation:
    """The interpretation with no respondent attributes: what reaches a renderer cannot
    be broken down again past the rules (the breakdowns shown are in `subgroups`)."""
    return with_attributes(interpretation, interpretation.scores.responses.attributes.iloc[:, :0])


def with_attributes(interpretation: Interpretation, attributes: pd.DataFrame) -> Interpretation:
    """The interpretation with these respondent attributes."""
    from dataclasses import replace

    scores = interpretation.scores
    responses = replace(scores.responses, attributes=attributes)
    return replace(interpretation, scores=replace(scores, responses=responses))


def attribute_name(interpretation: Interpretation, name: str) -> str:
    """The respondent attribute called `name` (case ignored), or an error listing them."""
    columns = [str(c) for c in interpretation.scores.responses.attributes.columns]
    for column in columns:
        if column == name or column.lower() == name.strip().lower():
            return column
    available = ", ".join(columns) if columns else "none (the files have no attribute columns)"
    raise PatError(f"no respondent attribute '{name}' to break down by; available: {available}")


def individual_totals(interpretation: Interpretation) -> pd.DataFrame:
    """Each respondent's attributes and scores: shown only when explicitly asked for."""
    import pandas as pd

    scores = interpretation.scores
    return pd.concat([scores.responses.attributes, scores.totals], axis=1)
