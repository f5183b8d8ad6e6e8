"""Helpers for the governance matrix tests: its id, its areas and a wide answer row."""

from __future__ import annotations

from typing import Any

from pat_framework.model import Instrument

MATRIX = "governance-matrix"
AREAS = ["behaviours", "processes", "performance", "resources"]
KIND_FILL = {"key_principle": "A", "good_practice": "Yes", "warning_sign": "No"}


def matrix_row(
    instrument: Instrument,
    respondent: str,
    answers: dict[str, Any] | None = None,
    fill: dict[str, Any] | None = None,
    **attributes: Any,
) -> dict[str, Any]:
    """A wide row: key principles 'A', good practice 'Yes', warning signs 'No' unless given."""
    kinds = KIND_FILL | (fill or {})
    row: dict[str, Any] = {"respondent": respondent, **attributes}
    row.update({item.id: kinds[item.kind] for item in instrument.items})
    row.update(answers or {})
    return row
