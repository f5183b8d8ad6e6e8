"""The bundled checklists: each loads, passes the band checks and has its items."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import PatCli

from pat_framework.runtime.registry import Registry

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

#: id -> (seed file prefix, number of items per section)
CHECKLISTS = {
    "rq-review-questions": ("001", [8]),
    "rq-agreement": ("001", [12]),
    "rq-competencies": ("001", [9]),
    "rq-beginning-general": ("002", [12]),
    "rq-beginning-legal": ("002", [6]),
    "rq-top-tips": ("002", [10]),
    "rq-why-partnership": ("003", [4]),
    "rq-ingredients": ("003", [3, 7]),
    "rq-key-steps": ("003", [7]),
    "rq-barriers": ("003", [6]),
    "rq-strategic": ("003", [6]),
    "rq-operational": ("003", [5]),
    "rq-preparation": ("004", [4]),
}


@pytest.mark.parametrize("instrument_id", sorted(CHECKLISTS))
def test_checklist_loads_with_its_items(registry: Registry, instrument_id: str) -> None:
    instrument = registry.instrument(instrument_id)  # scorer and band checks pass
    assert instrument.scorer == "checklist"
    assert instrument.interpreter == "checklist"
    assert [len(s.items) for s in instrument.sections] == CHECKLISTS[instrument_id][1]
    assert instrument.source.title and instrument.source.section
    assert instrument.aggregate_bands
    for section in instrument.scored_sections:
        assert [(b.min, b.max, b.rating) for b in section.bands] == [
            (0, 50, "red"),
            (50, 80, "amber"),
            (80, 100, "green"),
        ]
    scale = instrument.items[0].scale
    assert [(o.label, o.value, o.missing) for o in scale.options] == [
        ("Yes", 1, None),
        ("Partly", 0.5, None),
        ("No", 0, None),
        ("Don't know", None, "dont_know"),
        ("Not applicable", None, "not_applicable"),
    ]


@pytest.mark.parametrize("instrument_id", sorted(CHECKLISTS))
def test_only_the_barriers_are_reversed(registry: Registry, instrument_id: str) -> None:
    reversed_items = {item.reverse for item in registry.instrument(instrument_id).items}
    assert reversed_items == {instrument_id == "rq-barriers"}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source documents are not here")
@pytest.mark.parametrize("instrument_id", sorted(CHECKLISTS))
def test_statements_are_word_for_word_from_the_source(
    registry: Registry, instrument_id: str
) -> None:
    prefix = CHECKLISTS[instrument_id][0]
    (seed,) = SEEDS.glob(f"{prefix}_*.txt")
    source = _plain(seed.read_text(encoding="utf-8"))
    for item in registry.instrument(instrument_id).items:
        assert _plain(item.text) in source, item.id


def _plain(text: str) -> str:
    """Bold marks removed and white space collapsed, as when transcribing a bullet."""
    return re.sub(r"\s+", " ", text.replace("**", ""))


def test_pat_instruments_lists_every_checklist(pat_cli: PatCli) -> None:
    result = pat_cli("instruments")
    assert result.exit_code == 0, result.output
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.strip()}
    assert set(CHECKLISTS) <= listed
