"""`pat serve erase`: one respondent's answers deleted on request, with their history."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from serve_support import BACKENDS, database_url

from pat_framework.serve import schema
from pat_framework.serve.storage import Store


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from database_url(request.param, tmp_path)


def rows(store: Store, table: sa.Table) -> int:
    with store._read() as connection:
        return int(connection.scalar(sa.select(sa.func.count()).select_from(table)) or 0)


def test_a_respondent_is_erased_by_link_or_note_and_no_one_else(url: str, pat_cli) -> None:  # type: ignore[no-untyped-def]
    store = Store(url)
    store.migrate()
    collection = store.open_collection(
        "odpm", "PAT", "pat-odpm", ["pat-odpm"], ["Council"], ["board"]
    )
    tokens = store.invite(collection, ["Jo Bloggs", "Sam", "Sam"])
    for token in tokens:
        found = store.respondent(token)
        assert found is not None
        store.save(found.id, "pat-odpm", "P1A", "answer", "SA")
        store.save(found.id, "pat-odpm", "P1A", "answer", "A")  # two changes in the history
    store.close()
    link = f"http://127.0.0.1:8765/i/{tokens[0]}"
    result = pat_cli("serve", "erase", "odpm", "--db", url, "--link", link)
    assert result.exit_code == 0, result.output
    assert "odpm: erased one respondent and 1 answer(s), with their history" in result.stdout
    store = Store(url)
    assert store.respondent(tokens[0]) is None and store.respondent(tokens[1]) is not None
    assert rows(store, schema.answers) == 2 and rows(store, schema.answer_events) == 4
    store.close()
    # a note two invitations share does not say which; a note or link no one has is named
    result = pat_cli("serve", "erase", "odpm", "--db", url, "--note", "Sam")
    assert result.exit_code == 1 and "2 respondents have that note" in result.stderr
    result = pat_cli("serve", "erase", "odpm", "--db", url, "--note", "Jo Bloggs")
    assert result.exit_code == 1
    assert "odpm: no respondent of this collection has that link or note" in result.stderr
    result = pat_cli("serve", "erase", "odpm", "--db", url)
    assert result.exit_code == 2 and "--link" in result.output
    assert pat_cli("serve", "erase", "odpm", "--db", url, "--link", tokens[1]).exit_code == 0
