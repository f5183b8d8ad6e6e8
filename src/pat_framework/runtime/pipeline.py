"""The pipeline: read responses, score them, interpret the scores."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pat_framework.catalogue import gettext
from pat_framework.disclosure.rules import DEFAULT_COMMENTS, DEFAULT_FIGURES
from pat_framework.errors import PatError
from pat_framework.results import Interpretation, Scores
from pat_framework.runtime.registry import Registry

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis
    from pat_framework.importers.convert import Source
    from pat_framework.responses import Responses

#: `round` values that pick the most recent round, or every round pooled.
LATEST, ALL_ROUNDS = "latest", "all"


def score(
    registry: Registry,
    instrument_id: str,
    paths: Sequence[str | Path],
    source: Source | None = None,
) -> Scores:
    """Read response files (pat's layout, or another tool's export: see `Source`) for an
    instrument and score them with its scorer."""
    responses = read(registry, instrument_id, paths, source)
    return registry.scorer(responses.instrument.scorer).score(responses)


def read(
    registry: Registry,
    instrument_id: str,
    paths: Sequence[str | Path],
    source: Source | None = None,
) -> Responses:
    """Read response files in pat's layout or exported by a tool an importer knows."""
    from pat_framework.importers.convert import Source, translator
    from pat_framework.responses import read_responses

    instrument = registry.instrument(instrument_id)
    source = source or Source()
    return read_responses(
        instrument,
        paths,
        translator(registry, instrument, source),
        sheet=source.sheet,
        allowed=dict(source.allowed),
    )


def interpret(
    registry: Registry,
    instrument_id: str,
    paths: Sequence[str | Path],
    source: Source | None = None,
) -> Interpretation:
    """Score response files and interpret the scores with the instrument's interpreter."""
    scores = score(registry, instrument_id, paths, source)
    return registry.interpreter(scores.instrument.interpreter).interpret(scores)


def interpret_responses(registry: Registry, responses: Responses) -> Interpretation:
    """Score and interpret answers already read."""
    instrument = responses.instrument
    scores = registry.scorer(instrument.scorer).score(responses)
    return registry.interpreter(instrument.interpreter).interpret(scores)


def select_round(registry: Registry, interpretation: Interpretation, which: str) -> Interpretation:
    """Only the answers of one round: `latest`, a round's label, or `all` for every round.

    With a single round (or no round column) the interpretation is returned unchanged.
    """
    from pat_framework.analysis.rounds import round_attribute
    from pat_framework.analysis.subgroups import NOT_RECORDED, group_codes

    attribute = round_attribute(interpretation)
    if which == ALL_ROUNDS:
        return interpretation
    if attribute is None:
        if which != LATEST:
            _one_round(interpretation, which)
        return interpretation
    _, labels = group_codes(interpretation, attribute, natural=True)
    labels = [label for label in labels if label != NOT_RECORDED]
    chosen = labels[-1] if which == LATEST else which
    if chosen not in labels:
        raise PatError(
            f"no round '{which}' in the answers; the rounds are {', '.join(labels)} "
            f"(or use '{LATEST}' or '{ALL_ROUNDS}')"
        )
    responses = interpretation.scores.responses
    keep = responses.attributes[attribute] == chosen
    note = gettext(
        "Scores, findings and groups are for %(attribute)s %(round)s (%(count)s of %(all)s "
        "respondents); the change between rounds uses every round."
    ) % {"attribute": attribute, "round": chosen, "count": int(keep.sum()), "all": len(responses)}
    return interpret_responses(registry, responses.subset(keep.fillna(False), note))


def analysed(
    registry: Registry,
    instrument_id: str,
    paths: Sequence[str | Path],
    by: Sequence[str] = (),
    min_group: int = DEFAULT_FIGURES,
    which: str = LATEST,
    show_individuals: bool = False,
    source: Source | None = None,
    min_comments: int = DEFAULT_COMMENTS,
) -> Analysis:
    """Read, score, interpret and analyse one round (see `select_round`) of the answers;
    the change between rounds is worked out from every round. Groups below `min_group`
    and comments from fewer than `min_comments` are never shown (`disclosure`)."""
    everything = interpret(registry, instrument_id, paths, source)
    return analysed_rounds(registry, everything, by, min_group, which, show_individuals,
                           min_comments)  # fmt: skip


def analysed_rounds(
    registry: Registry,
    everything: Interpretation,
    by: Sequence[str],
    min_group: int,
    which: str,
    show_individuals: bool = False,
    min_comments: int = DEFAULT_COMMENTS,
) -> Analysis:
    """Analyse one round of answers already interpreted (see `analysed`)."""
    from pat_framework.analysis import analyse

    current = select_round(registry, everything, which)
    history = everything if current is not everything else None
    interpreter = registry.interpreter(everything.instrument.interpreter)
    return analyse(current, by, min_group, show_individuals, history, min_comments,
                   interpreter.interpret)  # fmt: skip


def _one_round(interpretation: Interpretation, which: str) -> None:
    """A round asked for by name must be the answers' one round."""
    from pat_framework.analysis.rounds import ROUND_ATTRIBUTES

    attributes = interpretation.scores.responses.attributes
    for name in ROUND_ATTRIBUTES:
        if name in attributes.columns and attributes[name].notna().any():
            only = str(attributes[name].dropna().iloc[0])
            if only != which:
                raise PatError(
                    f"no round '{which}' in the answers; their one round is {only} "
                    f"(or use '{LATEST}' or '{ALL_ROUNDS}')"
                )
            return
    raise PatError(
        f"no round '{which}' in the answers: they have no round column "
        f"(use '{LATEST}' or '{ALL_ROUNDS}', or add a round column)"
    )
