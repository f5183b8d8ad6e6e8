"""pyarrow's typed reader and pandas' reader, the one pat used before it, read the same
answers alike: the same scores for labels, codes, numbers and blanks, the same prorated
sections, the same Don't know and Not applicable, and the same messages for bad answers."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import odpm_row

from pat_framework import responses, textfiles
from pat_framework.errors import ResponseError
from pat_framework.responses import read_responses
from pat_framework.runtime.registry import Registry

#: Enough rows that labels first appear after pyarrow's sample block, read again as text.
ROWS = 12_000


def both(monkeypatch: pytest.MonkeyPatch, read: Callable[[], Any]) -> tuple[Any, Any]:
    """What `read` gives through the typed reader, then through pandas' reader alone."""
    typed_read: list[bool] = []

    def spy(*args: Any) -> Any:
        frames = textfiles.typed_frames(*args)
        typed_read.append(frames is not None)
        return frames

    with monkeypatch.context() as patched:
        patched.setattr(responses, "typed_frames", spy)
        typed = read()
    assert typed_read == [True]  # the file was read by pyarrow, not passed to pandas
    with monkeypatch.context() as patched:
        patched.setattr(responses, "typed_frames", lambda *args: None)
        plain = read()
    return typed, plain


def scored(registry: Registry, instrument_id: str, sheet: Path) -> dict[str, pd.DataFrame]:
    instrument = registry.instrument(instrument_id)
    read = read_responses(instrument, [sheet])
    scores = registry.scorer(instrument.scorer).score(read)
    frames = {"totals": scores.totals, "answered": scores.answered, "prorated": scores.prorated}
    frames["values"] = read.values
    frames["attributes"] = read.attributes
    if read.states is not None:
        frames["states"] = read.states
    return frames


def test_labels_codes_numbers_and_blanks_score_alike(
    registry: Registry, write_sheet: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    pick = random.Random(17)
    answers = ["1", "2", "3", "4", "", "SA", "A", "D", "SD", "Strongly agree", " agree "]
    rows = []
    for k in range(ROWS):
        row = odpm_row(f"R{k:05d}", fill=str(pick.randint(1, 4)), organisation="Council",
                       level=pick.choice(["board", " senior", "frontline "]))  # fmt: skip
        row["P1A"] = pick.choice(answers)  # every kind of answer in one column
        row["P2B"] = pick.choice(["", "3"])  # numbers with blanks: prorated sections
        if k > ROWS - 50:  # labels first seen far down a column of numbers
            row["P3C"] = pick.choice(["SA", "Disagree"])
        rows.append(row)
    sheet = write_sheet(rows)
    typed, plain = both(monkeypatch, lambda: scored(registry, "pat-odpm", sheet))
    assert typed["prorated"].to_numpy().any()
    for name, frame in plain.items():
        pd.testing.assert_frame_equal(typed[name], frame, check_exact=True)


def test_dont_know_and_not_applicable_are_read_alike(
    registry: Registry, write_sheet: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    instrument = registry.instrument("rq-agreement")
    pick = random.Random(3)
    options = ["Yes", "No", "Partly", "DK", "NA", "Don't know", "", "yes"]
    rows = [
        {"respondent": f"R{k}", **{i: pick.choice(options) for i in instrument.item_ids}}
        for k in range(200)
    ]
    sheet = write_sheet(rows)
    typed, plain = both(monkeypatch, lambda: scored(registry, "rq-agreement", sheet))
    for name, frame in plain.items():
        pd.testing.assert_frame_equal(typed[name], frame, check_exact=True)


@pytest.mark.parametrize(
    "bad",
    [
        {"P2C": 5},
        {"P2C": "7.0"},
        {"P1A": "Maybe", "P1B": 9},
        {"P4D": "-1"},
        {"P2C": "nan", "P3A": "NaN", "P3B": "inf"},  # numbers to pyarrow, not to pandas
    ],
)
def test_bad_answers_get_the_same_messages(
    registry: Registry,
    write_sheet: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    bad: dict[str, Any],
) -> None:
    odpm = registry.instrument("pat-odpm")
    rows = [odpm_row(f"R{k}", fill=k % 4 + 1) for k in range(8)]
    rows[3] |= bad
    rows[6] |= bad
    sheet = write_sheet(rows)

    def problems() -> list[str]:
        with pytest.raises(ResponseError) as caught:
            read_responses(odpm, [sheet])
        return [str(p) for p in caught.value.problems]

    typed, plain = both(monkeypatch, problems)
    assert typed == plain
    assert all("row" in line and "column" in line for line in typed)


#: Cells a hand-typed sheet holds: numbers, labels and codes in any case and spacing,
#: blanks, numbers pyarrow reads and pandas does not ('nan'), formulas, other text.
CELLS = ["1", "2", "3", "4", "", " 3", "4.0", "SA", "sa", " A ", "Strongly agree", "x",
         "nan", "inf", "-1", "5", "True", "0", "1e0", "+2", "é", "DK", "NA", "=1+1", "Yes",
         "No", "Partly"]  # fmt: skip


@pytest.mark.parametrize("seed", range(12))
def test_random_sheets_read_alike(
    registry: Registry,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
) -> None:
    pick = random.Random(seed)
    instrument = registry.instrument(
        pick.choice(["pat-odpm", "rq-agreement", "governance-matrix"])
    )
    lines = [",".join(["respondent", "organisation", *instrument.item_ids])]
    for k in range(pick.randint(1, 30)):
        if pick.random() < 0.1:
            lines.append("")  # a blank line, which row numbers still count
        cells = [pick.choice(CELLS) for _ in instrument.item_ids]
        lines.append(",".join([f"R{k}", pick.choice(["A", " b", "", "=x"]), *cells]))
    sheet = tmp_path / "answers.csv"
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def read() -> Any:
        try:
            found = read_responses(instrument, [sheet])
        except ResponseError as exc:
            return [str(p) for p in exc.problems]
        return found

    typed, plain = both(monkeypatch, read)
    if isinstance(plain, list):
        assert typed == plain
        return
    pd.testing.assert_frame_equal(typed.values, plain.values, check_exact=True)
    pd.testing.assert_frame_equal(typed.attributes, plain.attributes, check_exact=True)
    assert (typed.states is None) == (plain.states is None)
    if plain.states is not None:
        pd.testing.assert_frame_equal(typed.states, plain.states, check_exact=True)
    assert typed.notes == plain.notes


def test_repeated_group_texts_read_as_categories_alike(
    registry: Registry, write_sheet: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Organisation and level, read as categories when they repeat a few values, come out
    as the same text: stripped, cleaned of invisible characters and of pat's apostrophe."""
    pick = random.Random(5)
    names = ["Council", " council ", "", "'=SUM(1)", "Health\x1cTrust", "Police\u200b", "=x"]
    rows = [
        odpm_row(
            f"R{k}",
            fill=str(pick.randint(1, 4)),
            organisation=pick.choice(names),
            level=pick.choice(["board", "senior ", ""]),
            round=str(k % 2 + 1),
        )
        for k in range(400)
    ]
    sheet = write_sheet(rows)
    typed, plain = both(monkeypatch, lambda: scored(registry, "pat-odpm", sheet))
    for name, frame in plain.items():
        pd.testing.assert_frame_equal(typed[name], frame, check_exact=True)
    notes = both(
        monkeypatch, lambda: read_responses(registry.instrument("pat-odpm"), [sheet]).notes
    )
    assert notes[0] == notes[1]
