"""pat serve's database on SQLite and PostgreSQL: the migrations build the schema, every
change is kept in the history and the current answer, tokens are stored only as hashes,
and a collection exports to a CSV that pat scores, or is read by a workshop directly."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from serve_support import BACKENDS, database_url

from pat_framework.serve import schema
from pat_framework.serve.export import long_csv
from pat_framework.serve.storage import Store, StoreError, token_hash

ODPM_ITEMS = [f"P{p}{e}" for p in range(1, 7) for e in "ABCDEF"]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    for url in database_url(request.param, tmp_path):
        opened = Store(url)
        opened.migrate()
        yield opened
        opened.close()


def collection(store: Store, **extra: object):  # type: ignore[no-untyped-def]
    return store.open_collection(
        "odpm",
        "Partnership Assessment Tool",
        "pat-odpm",
        ["pat-odpm"],
        ["Council", "Health Trust"],
        ["board", "senior"],
        **extra,  # type: ignore[arg-type]
    )


def test_the_migrations_build_exactly_the_schema(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    store.migrate()  # a second start changes nothing
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), schema.metadata)
    assert differences == []


def test_sqlite_runs_in_wal_with_foreign_keys_and_full_sync(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    store.migrate()
    with store.engine.connect() as connection:
        pragma = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "synchronous")
        }
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "synchronous": 2}


def test_a_collection_keeps_its_fixed_lists_times_and_room(store: Store) -> None:
    import datetime

    closes = datetime.datetime(2030, 1, 1, 17, tzinfo=datetime.UTC)
    first = collection(store, round_="2026", min_group=4, closes_at=closes)
    assert first.organisations == ("Council", "Health Trust")
    assert first.levels == ("board", "senior")
    assert (first.round, first.min_group, first.closes_at) == ("2026", 4, closes)
    assert first.state() == "open"
    assert first.state(closes) == "closed"
    again = collection(store)
    assert again.id == first.id and again.version == first.version + 1


def test_every_change_is_in_the_history_and_the_current_answer(store: Store) -> None:
    found = collection(store)
    (token,) = store.invite(found, [None])
    who = store.respondent(token)
    assert who is not None
    for value in ("Agree", "Disagree", None, "Strongly agree"):
        store.save(who.id, "pat-odpm", "P1A", "answer", value)
    store.save(who.id, "pat-odpm", "P1A", "comment", "Trust has improved")
    saved = store.answers(who.id)[("pat-odpm", "P1A")]
    assert (saved.answer, saved.comment) == ("Strongly agree", "Trust has improved")
    with store.engine.connect() as connection:
        events = connection.execute(
            sa.select(schema.answer_events.c.field, schema.answer_events.c.value).order_by(
                schema.answer_events.c.id
            )
        ).all()
    assert [tuple(e) for e in events] == [
        ("answer", "Agree"),
        ("answer", "Disagree"),
        ("answer", None),
        ("answer", "Strongly agree"),
        ("comment", "Trust has improved"),
    ]
    assert store.counts(found) == (5, 1)


def test_tokens_are_128_bits_and_stored_only_as_hashes(store: Store) -> None:
    found = collection(store)
    tokens = store.invite(found, ["Ann", "Bo", None])
    assert all(len(t) == 22 for t in tokens) and len(set(tokens)) == 3
    with store.engine.connect() as connection:
        dump = repr(connection.execute(sa.select(schema.respondents)).all())
    assert not any(t in dump for t in tokens)
    assert all(token_hash(t) in dump for t in tokens)
    assert store.respondent(tokens[0] + "x") is None
    assert store.respondent(tokens[1]) is not None


def test_the_room_code_lets_a_device_in_and_nothing_else_does(store: Store) -> None:
    found = collection(store)
    assert store.join_room(found, "") is None  # no code made yet: nobody gets in
    code = store.new_room_code(found)
    found = collection(store)
    assert len(code) == 8
    assert store.join_room(found, "WRONG-123") is None
    token = store.join_room(found, f" {code[:4].lower()}-{code[4:]} ")
    assert token is not None
    who = store.respondent(token)
    assert who is not None and who.via == "room"


def test_concurrent_saves_are_all_stored(store: Store) -> None:
    found = collection(store)
    tokens = store.invite(found, [None] * 6)
    ids = [r.id for r in (store.respondent(t) for t in tokens) if r is not None]

    def answer(respondent_id: int) -> None:
        for item in ODPM_ITEMS:
            store.save(respondent_id, "pat-odpm", item, "answer", "Agree")

    threads = [threading.Thread(target=answer, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.counts(found) == (6 * 36, 6 * 36)


def test_the_export_scores_as_the_same_answers_typed_into_a_sheet(
    store: Store,
    tmp_path: Path,
    pat_cli,
    write_sheet,  # type: ignore[no-untyped-def]
) -> None:
    from conftest import odpm_row

    found = collection(store, round_="2026")
    rows = []
    for k, token in enumerate(store.invite(found, [None] * 3)):
        who = store.respondent(token)
        assert who is not None
        store.update_respondent(who.id, organisation="Council", level="board")
        answers = {
            item: ("Agree", "Disagree", "Strongly agree")[(j + k) % 3]
            for j, item in enumerate(ODPM_ITEMS)
        }
        answers.pop("P2C")  # one blank: prorated the same way in both
        for item, value in answers.items():
            store.save(who.id, "pat-odpm", item, "answer", value)
        rows.append(
            odpm_row(who.code, answers, organisation="Council", level="board", round="2026")
        )
        rows[-1]["P2C"] = ""
    exported = tmp_path / "answers.csv"
    result = pat_cli(
        "serve",
        "export",
        "odpm",
        "--db",
        str(store.url.render_as_string(False)),
        "-o",
        str(exported),
    )
    assert result.exit_code == 0, result.output
    header = next(csv.reader(io.StringIO(exported.read_text())))
    assert header == ["respondent", "organisation", "level", "round", "item", "answer"]
    sheet = write_sheet(rows, "typed.csv")
    from_db = pat_cli("score", "pat-odpm", str(exported), "-o", str(tmp_path / "a.csv"))
    typed = pat_cli("score", "pat-odpm", str(sheet), "-o", str(tmp_path / "b.csv"))
    assert from_db.exit_code == typed.exit_code == 0, from_db.output + typed.output
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()
    assert long_csv(store, found, "pat-odpm") == exported.read_text()


def test_a_database_that_cannot_be_written_raises_a_store_error(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "locked.db"
    store = Store(f"sqlite:///{path}", timeout=0.2)
    store.migrate()
    (token,) = store.invite(collection(store), [None])
    who = store.respondent(token)
    assert who is not None
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="cannot write the database: database is locked"):
            store.save(who.id, "pat-odpm", "P1A", "answer", "Agree")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    store.save(who.id, "pat-odpm", "P1A", "answer", "Agree")
    assert store.answers(who.id)[("pat-odpm", "P1A")].answer == "Agree"
    store.close()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x/y", "mysql is not supported"),
        ("sqlite://", "give SQLite a file"),
        ("not a url", "cannot read"),
    ],
)
def test_a_wrong_database_url_is_named(pat_cli, url: str, message: str) -> None:  # type: ignore[no-untyped-def]
    result = pat_cli("serve", "export", "odpm", "--db", url, "-o", "x.csv")
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_a_workshop_reads_a_collection_directly(
    tmp_path: Path,
    pat_cli,  # type: ignore[no-untyped-def]
) -> None:
    db = tmp_path / "anytown.db"
    store = Store(f"sqlite:///{db}")
    store.migrate()
    found = collection(store)
    for k, token in enumerate(store.invite(found, [None] * 4)):
        who = store.respondent(token)
        assert who is not None
        store.update_respondent(who.id, organisation="Council", level="board")
        for item in ODPM_ITEMS:
            store.save(who.id, "pat-odpm", item, "answer", ("Agree", "Disagree")[k % 2])
        store.save(who.id, "pat-odpm", "P4B", "comment", f"comment {k}")
    store.close()
    workshop = tmp_path / "w.toml"
    workshop.write_text(
        'partnership = "Anytown"\npurpose = "audit"\nby = ["organisation"]\nmin_group = 3\n'
        '[[instruments]]\nid = "pat-odpm"\nresponses = ["sqlite:///anytown.db#odpm"]\n'
        '[output]\nformats = ["json"]\n'
    )
    result = pat_cli("run", str(workshop), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "pat-odpm: 4 respondent(s)" in result.output
    wrong = workshop.read_text().replace("anytown.db#odpm", "missing.db#odpm")
    workshop.write_text(wrong)
    result = pat_cli("run", str(workshop), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1 and "no such file: missing.db" in result.output


def test_a_workshop_never_writes_over_its_collection(
    tmp_path: Path,
    pat_cli,  # type: ignore[no-untyped-def]
) -> None:
    db = tmp_path / "answers.json"
    store = Store(f"sqlite:///{db}")
    store.migrate()
    collection(store)
    store.close()
    before = db.read_bytes()
    workshop = tmp_path / "w.toml"
    text = (
        'partnership = "Anytown"\npurpose = "audit"\n'
        '[[instruments]]\nid = "pat-odpm"\nresponses = ["sqlite:///answers.json#odpm"]\n'
        '[output]\nname = "answers"\nformats = ["json"]\n'
    )
    workshop.write_text(text)
    result = pat_cli("run", str(workshop), "-o", str(tmp_path))
    assert result.exit_code == 1
    assert "refusing to write" in result.output and "one of the input files" in result.output
    assert db.read_bytes() == before
    workshop.write_text(text.replace("[output]", 'from = "kobo"\n[output]'))
    result = pat_cli("run", str(workshop), "-o", str(tmp_path))
    assert result.exit_code == 1
    assert "instruments[1].from: applies to response files, not to a collection" in result.output
