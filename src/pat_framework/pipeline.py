"""The pipeline: read responses, score them, interpret the scores."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pat_framework.registry import Registry
from pat_framework.results import Interpretation, Scores


def score(registry: Registry, instrument_id: str, paths: Sequence[str | Path]) -> Scores:
    """Read response files for an instrument and score them with its scorer."""
    from pat_framework.responses import read_responses

    instrument = registry.instrument(instrument_id)
    responses = read_responses(instrument, paths)
    return registry.get("scorer", instrument.scorer).score(responses)


def interpret(
    registry: Registry, instrument_id: str, paths: Sequence[str | Path]
) -> Interpretation:
    """Score response files and interpret the scores with the instrument's interpreter."""
    scores = score(registry, instrument_id, paths)
    return registry.get("interpreter", scores.instrument.interpreter).interpret(scores)
