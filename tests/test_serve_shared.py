"""What every `pat serve` process on one database shares, on SQLite and PostgreSQL: room
codes kept only as hashes (also in a database made by the first schema), failed attempts
counted for all workers and across a restart, and a collection opened again seen by a
server that is already running."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from serve_support import BACKENDS, database_url
from starlette.testclient import TestClient

from pat_framework.model import Instrument
from pat_framework.serve import keys, schema
from pat_framework.serve.app import build_app
from pat_framework.serve.security import RateLimit
from pat_framework.serve.storage import Collection, Store


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from database_url(request.param, tmp_path)


def opened(url: str) -> Store:
    store = Store(url)
    store.migrate()
    return store


def open_odpm(store: Store, levels: tuple[str, ...] = ("board",)) -> Collection:
    return store.open_collection("odpm", "ODPM", "pat-odpm", ["pat-odpm"], ["Council"], levels)


def test_a_room_code_is_kept_only_as_a_salted_hash(url: str) -> None:
    store = opened(url)
    found = open_odpm(store)
    code = store.new_room_code(found)
    found = open_odpm(store)
    with store.engine.connect() as connection:
        dump = repr(connection.execute(sa.select(schema.collections)).all())
    assert code not in dump and found.room_code_hash is not None
    assert found.room_code_hash.startswith("scrypt$16384$8$1$")
    assert keys.room_code_hash(code) != keys.room_code_hash(code)  # a new salt each time
    assert store.join_room(found, f"{code[:4].lower()}-{code[4:]}") is not None
    assert store.join_room(found, code[:-1] + ("A" if code[-1] != "A" else "B")) is None
    newer = store.new_room_code(found)
    found = open_odpm(store)
    assert store.join_room(found, code) is None and store.join_room(found, newer) is not None
    store.close()


def test_the_migration_hashes_the_codes_of_a_database_made_by_the_first_schema(
    url: str, tmp_path: Path
) -> None:
    from alembic import command
    from alembic.config import Config

    store = Store(url)
    config = Config()
    config.set_main_option("script_location", "pat_framework.serve:migrations")
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    old = sa.table(
        "collections",
        *(sa.column(n) for n in ("name", "title", "source", "min_group", "room_code")),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    with store.engine.begin() as connection:
        connection.execute(
            old.insert().values(
                name="odpm",
                title="ODPM",
                source="pat-odpm",
                min_group=3,
                room_code="GH75HF43",
                created_at=datetime.datetime.now(datetime.UTC),
            )
        )
    store.close()
    store = opened(url)  # what `pat serve` does on start
    found = store.collection("odpm")
    assert found is not None and found.version == 1
    assert store.join_room(found, "GH75-HF43") is not None  # the code shown still works
    assert store.join_room(found, "GH75-HF44") is None
    with store.engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("collections")}
        dump = repr(connection.execute(sa.select(schema.collections)).all())
    assert "room_code" not in columns and "GH75HF43" not in dump
    store.close()
    if url.startswith("sqlite"):
        files = [p for p in tmp_path.iterdir() if p.name.startswith("serve.db")]
        assert files and not any(b"GH75HF43" in p.read_bytes() for p in files)


def test_failed_attempts_count_for_every_worker_and_across_a_restart(url: str) -> None:
    workers = [opened(url), opened(url)]
    secret = workers[0].secret()
    assert workers[1].secret() == secret
    limits = [RateLimit(w, secret, limit=4) for w in workers]
    for k in range(4):
        assert limits[k % 2].retry_after("code:10.0.0.7") == 0
        limits[k % 2].failed("code:10.0.0.7")
    assert all(0 < limit.retry_after("code:10.0.0.7") <= 301 for limit in limits)
    assert limits[0].retry_after("code:10.0.0.8") == 0  # another address
    assert limits[0].retry_after("token:10.0.0.7") == 0  # another kind of attempt
    with workers[0].engine.connect() as connection:
        dump = repr(connection.execute(sa.select(schema.attempts)).all())
    assert "10.0.0.7" not in dump  # kept as a keyed hash, never the address
    for worker in workers:
        worker.close()
    restarted = opened(url)
    assert RateLimit(restarted, secret, limit=4).retry_after("code:10.0.0.7") > 0
    short = RateLimit(restarted, secret, limit=4, window=0.0)
    assert short.retry_after("code:10.0.0.7") == 0  # attempts older than the window
    short.failed("code:10.0.0.9")  # and a new failure forgets them
    with restarted.engine.connect() as connection:
        left = connection.scalar(sa.select(sa.func.count()).select_from(schema.attempts))
    assert left == 1
    restarted.close()


def test_a_running_server_sees_a_collection_opened_again_elsewhere(url: str) -> None:
    server, other = opened(url), opened(url)
    (token,) = server.invite(open_odpm(server), [None])
    found = server.visit(token)
    assert found is not None and found[1].levels == ("board",)
    open_odpm(other, levels=("board", "senior"))  # `pat serve` run again, in another process
    found = server.visit(token)
    assert found is not None and found[1].levels == ("board", "senior")
    with server.engine.connect() as connection:
        version = connection.scalar(sa.select(schema.collections.c.version))
    assert version == 2
    server.close()
    other.close()


def test_an_instrument_added_to_a_collection_after_the_start_is_served(
    tmp_path: Path, odpm: Instrument
) -> None:
    store = opened(f"sqlite:///{tmp_path / 'serve.db'}")
    (token,) = store.invite(
        store.open_collection("odpm", "ODPM", "pat-odpm", ["pat-odpm"], ["Council"], ["board"]),
        [None],
    )
    app = build_app(store, {"pat-odpm": odpm})  # started with the ODPM tool only
    store.open_collection(
        "odpm", "ODPM", "pat-odpm", ["pat-odpm", "rq-barriers"], ["Council"], ["board"]
    )
    with TestClient(app) as client:
        client.get(f"/i/{token}")
        review = client.get("/r/review")
    assert review.status_code == 200
    assert "Barriers to effective partnership working" in review.text
    store.close()
