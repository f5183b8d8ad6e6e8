"""The checklist interpreter: red/amber/green, action-plan rows and disagreements."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLES, PatCli

from pat_framework.bands import ordered
from pat_framework.model import Instrument
from pat_framework.responses import read_responses
from pat_framework.results import AGGREGATE, Interpretation, Scores
from pat_framework.runtime.registry import Registry

BARRIERS_SAMPLE = EXAMPLES / "responses" / "checklist-barriers.csv"
INGREDIENTS_SAMPLE = EXAMPLES / "responses" / "checklist-ingredients.csv"


def interpret(registry: Registry, scores: Scores) -> Interpretation:
    return registry.get("interpreter", "checklist").interpret(scores)


def read(registry: Registry, instrument_id: str, path: Path) -> Interpretation:
    instrument = registry.instrument(instrument_id)
    scores = registry.get("scorer", "checklist").score(read_responses(instrument, [path]))
    return interpret(registry, scores)


def ratings(result: Interpretation, column: str) -> list[str]:
    instrument = result.instrument
    bands = instrument.aggregate_bands if column == AGGREGATE else instrument.section(column).bands
    run = ordered(bands)
    return [run[k].label if k >= 0 else "–" for k in result.bands[column]]


@pytest.fixture
def barriers(registry: Registry) -> Instrument:
    return registry.instrument("rq-barriers")


def test_thresholds_at_their_edges(
    registry: Registry, barriers: Instrument, write_sheet: Callable[..., Path]
) -> None:
    """Bands are read from the TOML file: red below 50, amber from 50, green from 80."""
    edges = [0, 49.99, 50, 79.99, 80, 100]
    path = write_sheet([{"respondent": f"r{k}", "Q1": "No"} for k in range(len(edges))])
    scores = registry.get("scorer", "checklist").score(read_responses(barriers, [path]))
    scores.totals["barriers"] = edges
    scores.totals[AGGREGATE] = edges
    result = interpret(registry, scores)
    expected = ["Red", "Red", "Amber", "Amber", "Green", "Green"]
    assert ratings(result, "barriers") == expected
    assert ratings(result, AGGREGATE) == expected
    # the group is rated by the median respondent: (50 + 79.99) / 2 = 64.995
    assert result.group.section_medians["barriers"] == pytest.approx(64.995)
    assert result.group.section_bands["barriers"].label == "Amber"
    assert result.group.aggregate_band.rating == "amber"


@pytest.mark.parametrize(
    ("answers", "readiness", "rating"),
    [
        (["No", "Yes"], 50, "Amber"),  # 1 of 2 barriers absent: exactly on the edge
        (["No", "No", "No", "No", "Yes"], 80, "Green"),  # 4 of 5: exactly on the edge
        (["No", "Partly", "Yes", "Yes"], 37.5, "Red"),
        (["Partly", "Partly", "No", "DK", "NA", "No"], 75, "Amber"),
    ],
)
def test_readiness_from_answers_lands_in_the_right_band(
    registry: Registry,
    write_sheet: Callable[..., Path],
    answers: list[str],
    readiness: float,
    rating: str,
) -> None:
    row = {"respondent": "A", **{f"Q{k}": a for k, a in enumerate(answers, 1)}}
    row.update({f"Q{k}": "NA" for k in range(len(answers) + 1, 7)})
    result = read(registry, "rq-barriers", write_sheet([row]))
    assert result.scores.totals.loc["A", "barriers"] == readiness
    assert ratings(result, "barriers") == [rating]


def test_open_items_become_action_rows(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    rows = [
        {"respondent": "a", "Q1": "Yes", "Q2": "No", "Q3": "No", "Q4": "Partly", "Q5": "DK"},
        {"respondent": "b", "Q1": "No", "Q2": "No", "Q3": "No", "Q4": "No", "Q5": "No"},
        {"respondent": "c", "Q1": "Yes", "Q2": "NA", "Q3": "No", "Q4": "No", "Q5": "No"},
    ]
    for row in rows:
        row["Q6"] = "No"
    result = read(registry, "rq-barriers", write_sheet(rows))
    actions = [f for f in result.findings if f.kind == "action"]
    # barriers: Yes, Partly and Don't know are open; No and Not applicable are not
    assert [f.item_id for f in actions] == ["Q1", "Q4", "Q5"]
    assert all(f.action and f.section_id == "barriers" for f in actions)
    assert actions[0].title == "Q1 no clear boundary between partners' responsibilities"
    assert actions[0].detail == (
        "Open for 2 of 3 respondent(s): Yes 2. Reversed item: No is the good answer."
    )
    assert actions[1].detail.startswith("Open for 1 of 3 respondent(s): Partly 1.")
    assert actions[2].detail.startswith("Open for 1 of 3 respondent(s): Don't know 1.")


def test_for_an_ordinary_checklist_yes_is_not_an_action(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    rows = [
        {"respondent": "a", "Q1": "Yes", "Q2": "Yes", "Q3": "No", "Q4": "NA"},
        {"respondent": "b", "Q1": "Yes", "Q2": "Partly", "Q3": "DK", "Q4": "NA"},
    ]
    result = read(registry, "rq-why-partnership", write_sheet(rows))
    actions = {f.item_id: f.detail for f in result.findings if f.action}
    assert actions == {
        "Q2": "Open for 1 of 2 respondent(s): Partly 1.",
        "Q3": "Open for 2 of 2 respondent(s): No 1, Don't know 1.",
    }


def test_items_partners_answer_differently(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    rows = [
        {"respondent": "a", "Q1": "Yes", "Q2": "Yes", "Q3": "Yes", "Q4": "No"},
        {"respondent": "b", "Q1": "No", "Q2": "Partly", "Q3": "Yes", "Q4": "DK"},
        {"respondent": "c", "Q1": "Yes", "Q2": "Yes", "Q3": "Yes", "Q4": "No"},
    ]
    result = read(registry, "rq-why-partnership", write_sheet(rows))
    split = [f for f in result.findings if f.kind == "disagreement"]
    # only Q1 has some Yes and some No; Yes/Partly and No/Don't know are not a split
    assert [(f.item_id, f.detail, f.action) for f in split] == [
        ("Q1", "Partners answer this differently: Yes 2, No 1.", False)
    ]


def test_group_reason_names_the_rating(
    registry: Registry, write_sheet: Callable[..., Path]
) -> None:
    rows = [
        {"respondent": "a", "Q1": "Yes", "Q2": "Yes", "Q3": "Yes", "Q4": "No"},  # 75
        {"respondent": "b", "Q1": "Yes", "Q2": "Yes", "Q3": "Yes", "Q4": "Yes"},  # 100
        {"respondent": "c", "Q1": "No", "Q2": "No", "Q3": "Yes", "Q4": "Partly"},  # 37.5
    ]
    result = read(registry, "rq-why-partnership", write_sheet(rows))
    assert ratings(result, "why") == ["Amber", "Green", "Red"]
    assert result.group.median_aggregate == 75
    assert result.group.reason == (
        "Median readiness of 3 respondent(s): Why do we need to work in this partnership? "
        "75% (Amber). 3 of 4 item(s) are open for at least one respondent; 3 divide the "
        "partners."
    )


def test_no_scored_respondent(registry: Registry, write_sheet: Callable[..., Path]) -> None:
    rows = [{"respondent": "a", "Q1": "DK", "Q2": "NA", "Q3": "DK", "Q4": "DK"}]
    result = read(registry, "rq-why-partnership", write_sheet(rows))
    assert result.group.median_aggregate is None
    assert result.group.aggregate_band is None
    assert result.group.reason.startswith("No respondent gave enough applicable answers")


def test_samples_score_through_the_command_line(pat_cli: PatCli) -> None:
    text = pat_cli("score", "rq-barriers", str(BARRIERS_SAMPLE))
    assert text.exit_code == 0, text.output
    assert "\nAction plan\n" in text.stdout
    assert "Findings: disagreement" in text.stdout
    data = pat_cli("score", "rq-ingredients", str(INGREDIENTS_SAMPLE), "-f", "json")
    assert data.exit_code == 0, data.output
    document = json.loads(data.stdout)
    assert document["group"]["sections"]["principles"]["band"] in ("Red", "Amber", "Green")
    assert any(f["action"] and f["item"] for f in document["findings"])
    table = pat_cli("score", "rq-barriers", str(BARRIERS_SAMPLE), "-f", "csv")
    assert table.stdout.splitlines()[0].endswith(
        "barriers,aggregate,dont_know.barriers,not_applicable.barriers"
    )
