"""Retention: `pat serve start --keep-until`, shown to the facilitator, and `pat serve purge`,
which deletes only the collections kept past their date, writes their answers first when
asked (and deletes nothing it could not write), and leaves a line in the audit log."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from serve_facilitator_support import Hub, hub, signed_in
from serve_support import BACKENDS, database_url

from pat_framework.serve import facilitators, invitations, retention, schema
from pat_framework.serve.storage import Collection, Store

__all__ = ["hub"]  # the fixture

ITEMS = [f"P{p}{e}" for p in range(1, 7) for e in "ABCDEF"]


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from database_url(request.param, tmp_path)


def answered(store: Store, name: str, people: int) -> Collection:
    """A collection whose `people` respondents answered every statement, one of them from
    an invitation list."""
    collection = store.open_collection(
        name, name.title(), "pat-odpm", ["pat-odpm"], ["Council"], ["board"]
    )
    listed = [invitations.Person("Ann", "ann@example.org", "Council", "board")]
    tokens = [one.token for one in invitations.create(store, collection, listed)]
    tokens += store.invite(collection, [None] * (people - 1))
    for token in tokens:
        who = store.respondent(token)
        assert who is not None
        store.update_respondent(who.id, organisation="Council", level="board")
        for item in ITEMS:
            store.save(who.id, "pat-odpm", item, "answer", "Agree")
    return collection


def counts(store: Store, collection_id: int) -> dict[str, int]:
    r = schema.respondents.c
    mine = sa.select(r.id).where(r.collection_id == collection_id).scalar_subquery()
    queries = {
        "respondents": sa.select(sa.func.count()).where(r.collection_id == collection_id),
        "answers": sa.select(sa.func.count()).where(schema.answers.c.respondent_id.in_(mine)),
        "events": sa.select(sa.func.count()).where(schema.answer_events.c.respondent_id.in_(mine)),
        "invitations": sa.select(sa.func.count()).where(
            schema.invitations.c.collection_id == collection_id
        ),
        "collections": sa.select(sa.func.count()).where(schema.collections.c.id == collection_id),
    }
    with store.reading() as connection:
        return {name: int(connection.scalar(query) or 0) for name, query in queries.items()}


def past(store: Store, collection: Collection, days: int) -> None:
    """Keep the collection until `days` ago (the command line refuses a date passed)."""
    moment = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days)
    facilitators.set_facilitation(store, collection, keep_until=moment)


def test_start_keeps_a_collection_until_the_end_of_a_date(url: str, pat_cli) -> None:  # type: ignore[no-untyped-def]
    result = pat_cli(
        "serve", "start", "pat-odpm", "--db", url, "--keep-until", "2099-06-30", "--no-start"
    )
    assert result.exit_code == 0, result.output
    store = Store(url)
    collection = store.collection("pat-odpm")
    assert collection is not None
    kept = retention.dates(store, [collection])[collection.id].keep_until
    assert kept is not None and kept.astimezone().date() == datetime.date(2099, 6, 30)
    assert kept.astimezone().time() == datetime.time(23, 59, 59)
    assert f"kept until: {kept:%Y-%m-%d %H:%M} UTC" in result.stdout
    store.close()
    # a date passed, or not a date, is refused before anything is opened
    for wrong, said in (("2020-01-01", "2020-01-01 has passed"), ("30/06/2099", "not a date")):
        result = pat_cli("serve", "start", "pat-odpm", "--db", url, "--keep-until", wrong)
        assert result.exit_code == 2 and said in result.output, result.output
        assert "--keep-until" in result.output


def test_purge_deletes_only_what_is_past_its_date_after_writing_it(  # type: ignore[no-untyped-def]
    url: str, pat_cli, tmp_path: Path
) -> None:
    store = Store(url)
    store.migrate()
    old, kept, undated = (
        answered(store, "old", 3),
        answered(store, "later", 2),
        answered(store, "undated", 2),
    )
    past(store, old, 1)
    retention.set_keep_until(
        store, kept, datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    )
    from pat_framework.serve.export import long_csv

    expected = long_csv(store, old, "pat-odpm")
    before = {c.name: counts(store, c.id) for c in (old, kept, undated)}
    store.close()
    assert before["old"] == {
        "respondents": 3, "answers": 108, "events": 108, "invitations": 1, "collections": 1
    }  # fmt: skip

    out = tmp_path / "kept-answers"
    out.mkdir()
    dry = pat_cli("serve", "purge", "--db", url, "--export", str(out), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.startswith("would purge old (kept until ")
    assert "undated" not in dry.stdout
    assert "3 respondent(s), 108 answer(s)" in dry.stdout and "later" not in dry.stdout
    assert f"would write {out / 'old-pat-odpm.csv'}" in dry.stdout
    assert list(out.iterdir()) == []

    done = pat_cli("serve", "purge", "--db", url, "--export", str(out))
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("purged old (kept until ")
    assert f"wrote {out / 'old-pat-odpm.csv'}" in done.stdout
    assert (out / "old-pat-odpm.csv").read_text() == expected
    store = Store(url)
    assert store.collection("old") is None
    assert counts(store, old.id) == dict.fromkeys(before["old"], 0)
    for other in (kept, undated):
        assert counts(store, other.id) == before[other.name]
    t = schema.audit_log.c
    with store.reading() as connection:
        logged = connection.execute(sa.select(t.facilitator, t.collection, t.action)).all()
    assert len(logged) == 1
    who, name, action = logged[0]
    assert (who, name) == ("pat serve (command line)", "old")
    assert action.startswith("purged collection old (kept until ")
    assert action.endswith("3 respondent(s), 108 answer(s); exported to old-pat-odpm.csv")
    store.close()
    again = pat_cli("serve", "purge", "--db", url)
    assert again.stdout == "nothing to purge: no collection is kept past its date\n"


def test_purge_deletes_nothing_it_could_not_write_first(  # type: ignore[no-untyped-def]
    url: str, pat_cli, tmp_path: Path
) -> None:
    store = Store(url)
    store.migrate()
    old = answered(store, "old", 3)
    past(store, old, 2)
    before = counts(store, old.id)
    store.close()
    missing = pat_cli("serve", "purge", "--db", url, "--export", str(tmp_path / "nowhere"))
    assert missing.exit_code == 1
    assert "--export: " in missing.stderr and "is not a folder that exists" in missing.stderr
    (tmp_path / "old-pat-odpm.csv").mkdir()  # the file cannot be written: a folder is there
    blocked = pat_cli("serve", "purge", "--db", url, "--export", str(tmp_path))
    assert blocked.exit_code == 1 and "is a folder" in blocked.stderr, blocked.output
    assert "Traceback" not in blocked.output
    store = Store(url)
    assert counts(store, old.id) == before
    store.close()


def test_the_collections_page_shows_the_retention_date(hub: Hub) -> None:
    moment = datetime.datetime(2099, 6, 30, 22, 59, tzinfo=datetime.UTC)
    retention.set_keep_until(hub.store, hub.a, moment)
    page = signed_in(hub, "ann").get("/f/").text
    assert "<td>2099-06-30 22:59 UTC</td>" in page
    assert '<th scope="col">Kept until</th>' in page
    close = signed_in(hub, "ann").get("/f/c/a/close").text
    assert "Its answers are kept until 2099-06-30 22:59 UTC" in close
