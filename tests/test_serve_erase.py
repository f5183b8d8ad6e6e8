"""`pat serve erase`: one respondent's answers deleted on request, with their history, found
by their link, their invitation's note, or the reference a room respondent was shown; and
the database's own check that a collection's min_group is at least 3 (migration 0006)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from serve_facilitator_support import Hub, hub
from serve_support import BACKENDS, csrf_of, database_url
from starlette.testclient import TestClient

from pat_framework.serve import facilitators, schema
from pat_framework.serve.storage import Store, now

__all__ = ["hub"]  # the fixture


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


def joined_room(hub: Hub, name: str, answer: str) -> tuple[TestClient, str]:
    """A device that joined the room of collection `name`, answered P1A and submitted; the
    client and the reference its done page shows."""
    collection = hub.store.collection(name)
    assert collection is not None
    code = hub.store.new_room_code(collection)
    client = hub.client()
    joined = client.post("/c/" + name, data={"csrf": csrf_of(client.get(f"/c/{name}").text),
                                             "code": code})  # fmt: skip
    assert joined.url.path == "/r/about"
    page = client.post(
        "/r/about",
        data={"csrf": csrf_of(joined.text), "organisation": "Council", "level": "board"},
    )
    csrf = csrf_of(page.text)
    saved = client.post(
        "/r/save", data={"csrf": csrf, "page": "1", "name": "answer-P1A", "value": answer}
    )
    assert saved.json() == {"saved": True}
    done = client.post("/r/submit", data={"csrf": csrf})
    assert done.url.path == "/r/done"
    found = re.search(
        r'<p class="reference"><strong>([A-Z0-9]{5}-[A-Z0-9]{5})</strong>', done.text
    )
    assert found, done.text
    assert client.get("/r/done").text.count(found.group(1)) == 1  # the same when seen again
    return client, found.group(1)


def test_a_room_respondent_is_erased_by_the_reference_their_done_page_showed(  # type: ignore[no-untyped-def]
    hub: Hub, pat_cli
) -> None:
    url = hub.store.url.render_as_string(hide_password=False)
    first, reference = joined_room(hub, "a", "Agree")
    second, other = joined_room(hub, "a", "Disagree")
    assert reference != other
    with hub.store.reading() as connection:
        dump = repr(connection.execute(sa.select(schema.respondents)).all())
    assert reference not in dump and reference.replace("-", "") not in dump  # only its hash
    # an invitation's respondent is shown no reference: their link is theirs
    token = hub.store.invite(hub.a, ["Jo"])[0]
    invited = hub.client()
    invited.get(f"/i/{token}")
    review = invited.get("/r/review")
    done = invited.post("/r/submit", data={"csrf": csrf_of(review.text)})
    assert done.url.path == "/r/done" and "reference" not in done.text
    # a reference is typed as it was read, in any case, with or without its dash
    typed = reference.lower().replace("-", " ")
    result = pat_cli("serve", "erase", "a", "--db", url, "--reference", typed)
    assert result.exit_code == 0, result.output
    assert "a: erased one respondent and 1 answer(s), with their history" in result.stdout
    assert first.get("/r/done").status_code == 401  # that device holds nothing now
    logged = facilitators.audit(hub.store, hub.a)[-1][1:]
    assert logged == ("pat serve (command line)", "erased a respondent on request (1 answer(s))")
    assert second.get("/r/done").status_code == 200
    result = pat_cli("serve", "erase", "a", "--db", url, "--reference", reference)
    assert result.exit_code == 1
    assert "a: no respondent of this collection has that reference" in result.stderr
    # another collection's reference erases no one of this one
    result = pat_cli("serve", "erase", "b", "--db", url, "--reference", other)
    assert result.exit_code == 1 and "that reference" in result.stderr
    result = pat_cli("serve", "erase", "a", "--db", url, "--reference", other, "--note", "Jo")
    assert result.exit_code == 2 and "give one of" in result.output


def test_the_database_refuses_a_min_group_below_three(url: str) -> None:
    store = Store(url)
    store.migrate()
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as connection:
        connection.execute(
            sa.insert(schema.collections).values(
                name="x", title="x", source="pat-odpm", min_group=2, created_at=now()
            )
        )
    store.open_collection("y", "y", "pat-odpm", ["pat-odpm"], [], [], min_group=3)
    store.close()


def test_migration_0006_raises_a_lower_min_group_to_three(url: str) -> None:
    from alembic import command
    from alembic.config import Config

    store = Store(url)
    config = Config()
    config.set_main_option("script_location", "pat_framework.serve:migrations")
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
    for name, size in (("low", 1), ("kept", 7)):
        with store.engine.begin() as connection:
            connection.execute(
                sa.insert(schema.collections).values(
                    name=name, title=name, source="pat-odpm", min_group=size, created_at=now()
                )
            )
    store.migrate()
    assert [store.collection(n).min_group for n in ("low", "kept")] == [3, 7]  # type: ignore[union-attr]
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as connection:
        connection.execute(sa.update(schema.collections).values(min_group=1))
    store.close()
