"""Answers as the outputs may see them: too few respondents, and nothing is shown.

`release` takes what no output may show out of an interpretation before anything is
worked out from it: statements and sections answered by too few respondents (their
answers blanked, so every table, chart and finding treats them as unanswered), verbatim
comments from too few respondents, and, when every round is pooled, whatever the rounds
reported alone would let a reader subtract. A whole population below the threshold is
`Withheld`: no output at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from pat_framework.catalogue import N_, _
from pat_framework.disclosure.remainders import exposed
from pat_framework.disclosure.rules import (
    DEFAULT_COMMENTS,
    DEFAULT_FIGURES,
    FLOOR,
    HOW_TO_LOWER,
    Rules,
    Withheld,
)
from pat_framework.results import AGGREGATE

if TYPE_CHECKING:
    import numpy as np

    from pat_framework.results import Interpretation, Scores

Reinterpret = Callable[["Scores"], "Interpretation"]

INDIVIDUALS = (
    "Each respondent's scores are shown, as asked for: no figure is hidden, so share "
    "this output only with those allowed to see individual answers."
)


@dataclass
class Rounds:
    """Each respondent's round (-1 where none is recorded), the labels, and which rounds
    can be reported on their own (enough respondents)."""

    codes: np.ndarray
    labels: list[str]
    alone: np.ndarray

    def parts(self, mask: np.ndarray, figures: int) -> list[int]:
        """How many of `mask` each round reported alone shows (rounds that hide it left out)."""
        import numpy as np

        counts = np.bincount(self.codes[mask & (self.codes >= 0)], minlength=len(self.labels))
        return [int(c) for c, ok in zip(counts, self.alone, strict=True) if ok and c >= figures]


@dataclass
class Hiding:
    """What may not be shown: item and section ids, whether comments go, and why."""

    items: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    comments: bool = False
    notes: list[str] = field(default_factory=list)
    aggregate: str = ""  # why the aggregate is not shown, when it is not
    #: attribute values held by too few respondents, blanked for the interpreter
    small: dict[str, list[str]] = field(default_factory=dict)
    #: why each hidden statement and section is hidden, by id
    reasons: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.items or self.sections or self.comments or self.notes or self.small)


def release(
    interpretation: Interpretation,
    rules: Rules,
    reinterpret: Reinterpret | None = None,
    individuals: bool = False,
) -> tuple[Interpretation, dict[str, str]]:
    """The interpretation with what the rules forbid taken out and a note for each, and
    why each hidden statement and section is hidden (by id).

    Hidden statements and sections are blanked in the scores, and so are attribute values
    held by too few respondents (an interpreter counting organisations cannot then
    single one out); the scores are then interpreted again (`reinterpret`, or the
    instrument's own interpreter) so the group's summary and findings never rest on what
    is hidden. The breakdowns are made from the attributes as read. With `individuals`
    (each respondent's scores asked for explicitly, as `--show-individuals` and one
    respondent's chart do) nothing is hidden and a note says the output shows individuals.
    """
    scores = interpretation.scores
    if individuals:
        shown = masked(scores, Hiding(notes=[INDIVIDUALS]))
        return replace(interpretation, scores=shown), {}
    hiding = hidden(scores, rules)
    if not hiding:
        return interpretation, {}
    released = masked(scores, hiding)
    if not (hiding.items or hiding.sections or hiding.small):
        return replace(interpretation, scores=released), hiding.reasons
    again = (reinterpret or _interpreter(scores))(released)
    if hiding.aggregate:  # say why, not that no one answered enough
        again = replace(again, group=replace(again.group, reason=hiding.aggregate))
    return again, hiding.reasons


def hidden(scores: Scores, rules: Rules) -> Hiding:
    """What of these scores no output may show; `Withheld` when that is everything."""
    rounds = pooled_rounds(scores, rules.figures)
    population(scores, rules, rounds)
    hiding = Hiding()
    _statements(scores, rules.figures, rounds, hiding)
    _sections(scores, rules.figures, rounds, hiding)
    _comments(scores, rules, rounds, hiding)
    for name, attribute in scores.responses.attributes.items():
        sizes = attribute.value_counts()
        few = [str(v) for v in sizes.index[(sizes > 0) & (sizes < rules.figures)]]
        if few:
            hiding.small[str(name)] = few
    if rules.lowered:
        hiding.notes.append(
            _(
                "The thresholds were lowered deliberately: groups of %(figures)s and up are "
                "shown, comments from %(comments)s up (defaults %(default_figures)s and "
                "%(default_comments)s)."
            )
            % {
                "figures": rules.figures,
                "comments": rules.comments,
                "default_figures": DEFAULT_FIGURES,
                "default_comments": DEFAULT_COMMENTS,
            }
        )
    return hiding


def _statements(scores: Scores, k: int, rounds: Rounds | None, hiding: Hiding) -> None:
    """Hide the statements answered by too few, with a note for each reason."""
    statements: dict[str, list[str]] = {}  # why: the statements it hides
    for item in scores.instrument.items:
        answered = scores.responses.values[item.id].notna().to_numpy()
        why = _too_few(answered, rounds, k, "each")
        if why:
            hiding.items.append(item.id)
            hiding.reasons[item.id] = _too_few(answered, rounds, k, "it")
            statements.setdefault(why, []).append(item.id)
    for why, ids in statements.items():
        which = (
            _("Statement %(id)s is not shown: %(why)s.")
            if len(ids) == 1
            else _("Statements %(id)s are not shown: %(why)s.")
        )
        hiding.notes.append(which % {"id": ", ".join(ids), "why": why})


def _sections(scores: Scores, k: int, rounds: Rounds | None, hiding: Hiding) -> None:
    """Hide the sections (and the aggregate) scored by too few."""
    instrument = scores.instrument
    titles = {s.id: s.title for s in instrument.scored_sections}
    titles[AGGREGATE] = instrument.aggregate_title
    for column in scores.totals.columns:
        scored = scores.totals[column].notna().to_numpy()
        why = _too_few(scored, rounds, k, "score")
        if why:
            hiding.sections.append(str(column))
            hiding.reasons[str(column)] = why
            title = titles.get(str(column), str(column))
            hiding.notes.append(
                _("%(title)s has no figures: %(why)s.") % {"title": title, "why": why}
            )
            if column == AGGREGATE:
                hiding.aggregate = _("Not shown: %(why)s, the smallest group shown.") % {
                    "why": why
                }


def _comments(scores: Scores, rules: Rules, rounds: Rounds | None, hiding: Hiding) -> None:
    """Hide every comment when too few respondents answered, or pooled rounds would."""
    import numpy as np

    comments = scores.responses.comments
    if comments is None or not len(comments.columns):
        return
    n, least = len(scores.responses), rules.comments
    if n < least:
        hiding.comments = True
        hiding.notes.append(
            _(
                "Comments are not shown: verbatim comments need at least %(least)s "
                "respondents, and these answers have %(count)s."
            )
            % {"least": least, "count": n}
        )
    elif rounds is not None and exposed(n, rounds.parts(np.ones(n, dtype=bool), least), least):
        hiding.comments = True
        hiding.notes.append(
            _(
                "Comments are not shown: with every round pooled, the rounds reported alone "
                "would single out the comments of fewer than %(least)s respondents."
            )
            % {"least": least}
        )


def population(scores: Scores, rules: Rules, rounds: Rounds | None) -> None:
    """Raise `Withheld` when the answers as a whole are too few to show any figure."""
    import numpy as np

    n, k = len(scores.responses), rules.figures
    instrument = scores.instrument.id
    where = _one_round(scores)
    if n < k:
        lower = (
            f"; {HOW_TO_LOWER}"
            if n >= FLOOR
            else f"; no threshold goes below {FLOOR}, so these answers cannot be reported"
        )
        raise Withheld(
            f"{instrument}: {n} respondent(s){where}, fewer than {k}, the smallest group "
            f"shown: no figures are given, so no one's answers can be read from them{lower}"
        )
    if rounds is not None and exposed(n, rounds.parts(np.ones(n, dtype=bool), k), k):
        sizes = ", ".join(
            f"{label} ({int((rounds.codes == code).sum())})"
            for code, label in enumerate(rounds.labels)
        )
        raise Withheld(
            f"{instrument}: every round pooled ({n} respondents: {sizes}) would differ from "
            f"the rounds reported alone by fewer than {k} respondents, so subtracting one "
            "report from the other would show their answers; report the rounds one at a "
            "time (--round LABEL, or the latest by default)"
        )


def pooled_rounds(scores: Scores, figures: int) -> Rounds | None:
    """The rounds pooled in these answers, when there are several."""
    import numpy as np
    import pandas as pd

    from pat_framework.analysis.rounds import ROUND_ATTRIBUTES

    attributes = scores.responses.attributes
    for name in ROUND_ATTRIBUTES:
        if name in attributes.columns and attributes[name].nunique(dropna=True) > 1:
            codes, uniques = pd.factorize(attributes[name], use_na_sentinel=True)
            sizes = np.bincount(codes[codes >= 0], minlength=len(uniques))
            return Rounds(codes, [str(u) for u in uniques], sizes >= figures)
    return None


def masked(scores: Scores, hiding: Hiding) -> Scores:
    """The scores with hidden statements and sections blanked and the notes added."""
    from pat_framework.responses import ANSWERED, BLANK

    responses = scores.responses
    values, states, comments = responses.values, responses.states, responses.comments
    if hiding.items:
        values = values.copy()
        values[hiding.items] = float("nan")
        if states is not None:
            states = states.copy()
            for item in hiding.items:
                states.loc[states[item] == ANSWERED, item] = BLANK
        if comments is not None:
            comments = comments.drop(columns=hiding.items, errors="ignore")
    if hiding.comments:
        comments = None
    totals, prorated, extra = scores.totals, scores.prorated, dict(scores.extra)
    if hiding.sections:
        totals = totals.copy()
        totals[hiding.sections] = float("nan")
        prorated = prorated.copy()
        prorated[[c for c in hiding.sections if c in prorated.columns]] = False
        for name, frame in extra.items():
            columns = [c for c in hiding.sections if c in frame.columns]
            if columns:
                extra[name] = frame.copy()
                extra[name][columns] = float("nan")
    attributes = responses.attributes
    if hiding.small:
        attributes = attributes.copy()
        for name, few in hiding.small.items():
            column = attributes[name]
            attributes[name] = column.where(~column.astype(object).isin(few))
    notes = [*responses.notes, *hiding.notes]
    responses = replace(
        responses,
        attributes=attributes,
        values=values,
        states=states,
        comments=comments,
        notes=notes,
    )
    return replace(scores, responses=responses, totals=totals, prorated=prorated, extra=extra)


#: Why too few: of statements in a note ("each"), of one statement ("it"), of a section.
_FEW = {
    "each": N_("%(count)s respondent(s) answered each, fewer than %(least)s"),
    "it": N_("%(count)s respondent(s) answered it, fewer than %(least)s"),
    "score": N_("%(count)s respondent(s) have a score, fewer than %(least)s"),
}


def _too_few(mask: np.ndarray, rounds: Rounds | None, figures: int, done: str) -> str:
    """Why a statement or section answered by `mask` cannot be shown ("" when it can):
    '2 respondent(s) answered each, fewer than 5', as `_FEW[done]` says."""
    n = int(mask.sum())
    if 0 < n < figures:
        return _(_FEW[done]) % {"count": n, "least": figures}
    if n and rounds is not None and exposed(n, rounds.parts(mask, figures), figures):
        return _(
            "with every round pooled it would differ by fewer than %(least)s respondents "
            "from a round reported alone"
        ) % {"least": figures}
    return ""


def _one_round(scores: Scores) -> str:
    """' in round 2025' when the answers are of one round, else ''."""
    from pat_framework.analysis.rounds import ROUND_ATTRIBUTES

    attributes = scores.responses.attributes
    for name in ROUND_ATTRIBUTES:
        if name in attributes.columns:
            values = attributes[name].dropna().unique()
            if len(values) == 1:
                return f" in {name} {values[0]}"
    return ""


def _interpreter(scores: Scores) -> Reinterpret:
    """The instrument's own interpreter, from the installed plugins."""
    from pat_framework.runtime.registry import build_registry

    return build_registry().interpreter(scores.instrument.interpreter).interpret
