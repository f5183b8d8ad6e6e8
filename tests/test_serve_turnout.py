"""`pat serve status`: who has started and submitted, by group, never below the threshold."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_support import BACKENDS, database_url

from pat_framework.serve.storage import Stage, Store, now
from pat_framework.serve.turnout import NOT_CHOSEN, turnout


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from database_url(request.param, tmp_path)


def people(store: Store, collection, organisation: str, level: str, n: int, done: int):  # type: ignore[no-untyped-def]
    """`n` respondents of a group, all started, the first `done` of them submitted: what
    the about and submit pages record."""
    for k, token in enumerate(store.invite(collection, [None] * n)):
        found = store.respondent(token)
        assert found is not None
        extra = {"submitted_at": now()} if k < done else {}
        store.update_respondent(
            found.id, organisation=organisation, level=level, first_seen_at=now(), **extra
        )


def test_counts_by_group_hide_small_groups_and_never_read_an_answer(url: str, pat_cli) -> None:  # type: ignore[no-untyped-def]
    store = Store(url)
    store.migrate()
    collection = store.open_collection(
        "odpm", "PAT", "pat-odpm", ["pat-odpm"], ["Council", "Trust", "Charity"],
        ["board", "senior"], min_group=5,
    )  # fmt: skip
    people(store, collection, "Council", "board", 6, 4)
    people(store, collection, "Trust", "senior", 7, 2)
    people(store, collection, "Charity", "board", 2, 2)  # two people: never shown
    store.invite(collection, [None])  # invited, not started
    stages = store.progress(collection)
    assert set(Stage.__dataclass_fields__) == {"organisation", "level", "started", "submitted"}
    seen = turnout(stages, collection.min_group)
    assert (seen.respondents, seen.started, seen.submitted) == (16, 15, 8)
    shown = {t.group: (t.respondents, t.started, t.submitted) for t in seen.groups["organisation"]}
    # Charity (2) is hidden; with the one not chosen yet (1) they are 3, fewer than 5, so
    # the next smallest group, Council (6), is hidden too
    assert shown == {"Trust": (7, 7, 2)} and seen.hidden["organisation"] == 3
    # by level: the one not chosen yet is hidden, and so senior (7), the next smallest
    levels = {t.group: t.respondents for t in seen.groups["level"]}
    assert levels == {"board": 8} and seen.hidden["level"] == 2
    store.close()
    result = pat_cli("serve", "status", "odpm", "--db", url)
    assert result.exit_code == 0, result.output
    assert "odpm: 16 respondent(s), 15 started, 8 submitted" in result.stdout
    assert "Results can be shown: 8 submitted (at least 5)." in result.stdout
    assert "Charity" not in result.stdout and "Council" not in result.stdout
    assert "(3 group(s) not shown: fewer than 5 respondents" in result.stdout
    assert [line.split() for line in result.stdout.splitlines() if line.startswith("Trust")] == [
        ["Trust", "7", "7", "2"]
    ]


def test_a_group_inside_another_attributes_group_is_hidden_when_they_differ_by_few() -> None:
    # board (8) is Council (6) and Charity (2): with both shown, the board less the Council
    # would tell how many of Charity's two have answered
    stages = [Stage("Council", "board", True, k < 3) for k in range(6)]
    stages += [Stage("Trust", "senior", True, False) for _ in range(7)]
    stages += [Stage("Charity", "board", True, True) for _ in range(2)]
    seen = turnout(stages, 5)
    shown = {t.group for tallies in seen.groups.values() for t in tallies}
    assert "board" in shown and "Council" not in shown and "Charity" not in shown
    assert NOT_CHOSEN not in shown
