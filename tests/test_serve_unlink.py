"""`pat serve close --cut-link`: once the link is cut, someone holding the database and the
invitation list (names, emails, notes, links, the audit log, every time seen) can join
none of it to an answer, on SQLite and PostgreSQL; the reports are the same as before; and
the facilitator's close page is guarded, CSRF-checked and logged."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from serve_facilitator_support import Hub, hub, signed_in
from serve_support import BACKENDS, csrf_of, database_url

from pat_framework.serve import facilitators, invitations, schema
from pat_framework.serve.storage import Collection, Store

__all__ = ["hub"]  # the fixture

ITEMS = [f"P{p}{e}" for p in range(1, 7) for e in "ABCDEF"]
ANSWERS = ("Strongly agree", "Agree", "Disagree", "Strongly disagree")
ORGANISATIONS, LEVELS = ("Council", "Trust"), ("board", "senior")


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from database_url(request.param, tmp_path)


@dataclass
class Known:
    """What an attacker holds from before the cut: the database as it was, the links."""

    tables: dict[str, list[dict[str, Any]]]
    tokens: list[str]


def dump(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, as dicts."""
    with store.reading() as connection:
        return {
            table.name: [dict(row._mapping) for row in connection.execute(sa.select(table))]
            for table in schema.metadata.sorted_tables
        }


def fill(store: Store, collection: Collection) -> list[str]:
    """Twelve respondents, each answering in their own pattern: eight from a list with
    names and emails (one revoked then reissued), two with notes, two from the room; most
    started and submitted, with a comment each. Their tokens."""
    people = [
        invitations.Person(f"Person {k}", f"person{k}@example.org", ORGANISATIONS[k % 2],
                           LEVELS[k // 4 % 2])
        for k in range(8)
    ]  # fmt: skip
    tokens = [one.token for one in invitations.create(store, collection, people)]
    reissued = invitations.reissue(store, collection, 3)
    tokens[2] = reissued.token
    facilitators.log_change(store, facilitators.COMMAND_LINE, collection, "reissued invitation 3")
    tokens += store.invite(collection, ["Jo Bloggs (finance)", "Sam at the Trust"])
    code = store.new_room_code(collection)
    room = store.collection(collection.name)
    assert room is not None
    for _ in range(2):
        token = store.join_room(room, code)
        assert token is not None
        tokens.append(token)
    for k, token in enumerate(tokens):
        who = store.respondent(token)
        assert who is not None
        store.update_respondent(
            who.id,
            organisation=ORGANISATIONS[k % 2],
            level=LEVELS[k // 4 % 2] if k < 8 else LEVELS[k % 2],
            first_seen_at=datetime.datetime.now(datetime.UTC),
            position="3",
        )
        for j, item in enumerate(ITEMS):
            store.save(who.id, "pat-odpm", item, "answer", ANSWERS[(j * (k + 1) + k) % 4])
        store.save(who.id, "pat-odpm", "P1A", "answer", ANSWERS[k % 4])  # a change of mind
        store.save(who.id, "pat-odpm", "P2B", "comment", f"comment number {k}")
        if k % 5:
            store.update_respondent(who.id, submitted_at=datetime.datetime.now(datetime.UTC))
    return tokens


def opened(url: str) -> tuple[Store, Collection]:
    store = Store(url)
    store.migrate()
    collection = store.open_collection(
        "odpm", "PAT", "pat-odpm", ["pat-odpm"], list(ORGANISATIONS), list(LEVELS)
    )
    return store, collection


def answers_by_id(tables: dict[str, list[dict[str, Any]]]) -> list[tuple[Any, ...]]:
    """Each respondent's groups and answers, in the order of their ids."""
    by: dict[int, list[tuple[str, Any, Any]]] = {}
    for row in tables["answers"]:
        by.setdefault(row["respondent_id"], []).append(
            (row["item_id"], row["answer"], row["comment"])
        )
    return [tuple(sorted(by[ident])) for ident in sorted(by)]


def test_after_the_cut_no_column_joins_an_invitation_to_an_answer(url: str, pat_cli) -> None:  # type: ignore[no-untyped-def]
    store, collection = opened(url)
    tokens = fill(store, collection)
    before = Known(dump(store), tokens)
    store.close()

    result = pat_cli("serve", "close", "odpm", "--db", url, "--cut-link")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "odpm: closed, and the link cut: 12 respondent(s) made anonymous, "
        "8 invitation(s) and 456 saved change(s) deleted\n"
    )
    store = Store(url)
    after = dump(store)
    old, new = before.tables["respondents"], after["respondents"]
    assert len(new) == len(old) == 12

    # the invitations, with their names, emails and respondent ids, are gone
    assert after["invitations"] == []
    # a respondent id (the invitation list's, the history's) finds no respondent, no answer
    old_ids = {row["id"] for row in old}
    assert old_ids.isdisjoint(row["id"] for row in new)
    assert old_ids.isdisjoint(row["respondent_id"] for row in after["answers"])
    # the history, with every change and its time, is gone
    assert after["answer_events"] == []
    # codes, token hashes, notes and references match nothing; no link opens anything
    for column in ("code", "token_hash"):
        assert {r[column] for r in old}.isdisjoint(r[column] for r in new)
    assert {(r["note"], r["reference_hash"], r["position"]) for r in new} == {(None, None, None)}
    # nor does how each came in: the one Council board member invited is not told from
    # the others by coming by invitation rather than the room
    assert {r["via"] for r in old} == {"invitation", "room"}
    assert {r["via"] for r in new} == {"unlinked"}
    assert all(store.respondent(token) is None for token in before.tokens)
    # every time left is the time of the cut, to the minute: none says who came when
    times = {r[c] for r in new for c in ("created_at", "first_seen_at", "submitted_at")}
    times |= {row["updated_at"] for row in after["answers"]}
    times.discard(None)
    assert len(times) == 1
    cut = times.pop()
    assert (cut.second, cut.microsecond) == (0, 0)
    assert {r["first_seen_at"] is not None for r in new} == {True}
    assert sum(r["submitted_at"] is not None for r in new) == 9  # the stages are kept
    # the order of the ids says nothing of the order people were invited or joined in
    assert answers_by_id(after) != answers_by_id(before.tables)
    assert sorted(answers_by_id(after)) == sorted(answers_by_id(before.tables))
    # the audit log names no invitation by its number
    actions = [row["action"] for row in after["facilitator_audit"]]
    assert not any(re.search(r"invitation \d", action) for action in actions), actions
    assert "reissued an invitation" in actions
    # no name, email, note, code or token hash is anywhere in the database
    secrets_known = {r[c] for r in old for c in ("code", "token_hash", "note")}
    secrets_known |= {r[c] for r in before.tables["invitations"] for c in ("name", "email")}
    secrets_known.discard(None)
    cells = {str(v) for rows in after.values() for row in rows for v in row.values()}
    assert secrets_known.isdisjoint(cells)
    if store.dialect == "sqlite":
        # SQLite's hidden rowid of each answer follows the new ids alone, not the order
        # the answers were first saved in
        with store.reading() as connection:
            by_rowid = connection.scalars(
                sa.text("SELECT respondent_id FROM answers ORDER BY rowid")
            ).all()
        assert list(by_rowid) == sorted(by_rowid)
        # nor in the file's freed pages or its write-ahead log
        path = Path(str(store.url.database))
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        assert not [s for s in secrets_known if s.encode() in raw]
        assert b"comment number 3" in raw  # (the answers are there, as they should be)
    store.close()


def test_the_cut_keeps_every_result_the_same(url: str, pat_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store, collection = opened(url)
    fill(store, collection)
    store.close()
    workshop = tmp_path / "w.toml"
    workshop.write_text(
        'partnership = "Anytown"\npurpose = "audit"\nby = ["organisation"]\nmin_group = 3\n'
        f'[[instruments]]\nid = "pat-odpm"\nresponses = ["{url}#odpm"]\n'
        '[output]\nformats = ["json"]\n'
    )

    def results(folder: str) -> tuple[str, str]:
        run = pat_cli("run", str(workshop), "-o", str(tmp_path / folder))
        assert run.exit_code == 0, run.output
        status = pat_cli("serve", "status", "odpm", "--db", url)
        assert status.exit_code == 0, status.output
        return (tmp_path / folder / "w.json").read_text(), status.stdout

    first, status = results("before")
    assert '"respondents": 12' in first and "comment number 3" in first
    assert pat_cli("serve", "close", "odpm", "--db", url, "--cut-link").exit_code == 0
    assert results("after") == (first, status)


def test_after_the_cut_nothing_can_find_or_reopen_anyone(url: str, pat_cli) -> None:  # type: ignore[no-untyped-def]
    store, collection = opened(url)
    tokens = fill(store, collection)
    store.close()
    assert pat_cli("serve", "close", "odpm", "--db", url, "--cut-link").exit_code == 0
    said = "the link between invitations and answers was cut on "
    for how in (["--note", "Jo Bloggs (finance)"], ["--link", tokens[0]], ["--reference", "X"]):
        result = pat_cli("serve", "erase", "odpm", "--db", url, *how)
        assert result.exit_code == 1 and said in result.stderr, result.output
        assert "no respondent can be found by a link, note or reference" in result.stderr
    for command in (
        ["close", "odpm", "--cut-link"],
        ["invite", "odpm"],
        ["start", "pat-odpm", "--name", "odpm", "--no-start"],
    ):
        result = pat_cli("serve", *command, "--db", url)
        assert result.exit_code == 1 and said in result.stderr, result.output
        assert "Traceback" not in result.output
    store = Store(url)
    found = store.collection("odpm")
    assert found is not None and found.state() == "closed" and found.room_code_hash is None
    store.close()


def test_close_without_the_cut_only_closes(url: str, pat_cli) -> None:  # type: ignore[no-untyped-def]
    store, collection = opened(url)
    tokens = fill(store, collection)
    before = dump(store)
    store.close()
    result = pat_cli("serve", "close", "odpm", "--db", url)
    assert result.exit_code == 0 and result.stdout == "odpm: closed\n"
    again = pat_cli("serve", "close", "odpm", "--db", url)
    assert again.stdout == "odpm: was already closed\n"
    store = Store(url)
    after = dump(store)
    found = store.collection("odpm")
    assert found is not None and found.state() == "closed"
    for table in ("respondents", "answers", "answer_events", "invitations"):
        assert after[table] == before[table]
    assert store.respondent(tokens[0]) is not None  # still erasable by link
    assert [row["action"] for row in after["facilitator_audit"]][-1] == "closed"
    store.close()


# -- the facilitator's close page ---------------------------------------------------------


def test_the_close_page_asks_first_then_cuts_and_logs_it(hub: Hub) -> None:
    tokens = fill(hub.store, hub.a)
    client = signed_in(hub, "ann")
    listing = client.get("/f/").text
    assert 'href="/f/c/a/close"' in listing and "no date set" in listing
    page = client.get("/f/c/a/close")
    assert page.status_code == 200 and "It cannot be undone" in page.text
    assert hub.store.collection("a").state() == "open"  # type: ignore[union-attr]  # asking changes nothing
    # without the CSRF token nothing happens
    refused = client.post("/f/c/a/close", data={"cut": "yes"})
    assert refused.status_code == 403
    assert hub.store.respondent(tokens[0]) is not None
    done = client.post("/f/c/a/close", data={"csrf": csrf_of(page.text), "cut": "yes"})
    assert done.status_code == 200 and "closed, and the link cut: 12 respondent(s)" in done.text
    assert hub.store.respondent(tokens[0]) is None
    assert hub.store.collection("a").state() == "closed"  # type: ignore[union-attr]
    log = facilitators.audit(hub.store, hub.a)
    assert log[-1][1:] == ("ann", "closed, and the link cut: 12 respondent(s) made anonymous, "
                                  "8 invitation(s) and 456 saved change(s) deleted")  # fmt: skip
    # the invitations page and the reminders say so; no invitation can be made
    listed = client.get("/f/c/a/invitations").text
    assert "The link between invitations and answers was cut on" in listed
    assert "Person 1" not in listed and 'name="list"' not in listed
    reminders = client.get("/f/c/a/invitations/reminders.csv")
    assert reminders.status_code == 410 and "no one is known to remind" in reminders.text
    assert "link cut" in client.get("/f/").text
    again = client.get("/f/c/a/close").text
    assert "was cut on" in again and '<form method="post" action="/f/c/a/close"' not in again


def test_the_close_page_closes_only_when_not_cut_and_only_for_its_partnership(hub: Hub) -> None:
    tokens = fill(hub.store, hub.a)
    bo = signed_in(hub, "bo")
    assert bo.get("/f/c/a/close").status_code == 404
    csrf = csrf_of(bo.get("/f/c/b/close").text)
    assert bo.post("/f/c/a/close", data={"csrf": csrf, "cut": "yes"}).status_code == 404
    assert hub.store.collection("a").state() == "open"  # type: ignore[union-attr]
    assert hub.store.respondent(tokens[0]) is not None
    ann = signed_in(hub, "ann")
    csrf = csrf_of(ann.get("/f/c/a/close").text)
    done = ann.post("/f/c/a/close", data={"csrf": csrf})
    assert "The collection was closed." in done.text
    assert hub.store.collection("a").state() == "closed"  # type: ignore[union-attr]
    assert hub.store.respondent(tokens[0]) is not None  # the link is not cut
    assert facilitators.audit(hub.store, hub.a)[-1][1:] == ("ann", "closed")
    assert hub.store.collection("b").state() == "open"  # type: ignore[union-attr]


def test_a_cut_the_database_cannot_be_rewritten_after_is_made_and_said(  # type: ignore[no-untyped-def]
    url: str, pat_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pat_framework.serve import unlinking

    def locked(store: Store) -> None:
        raise sa.exc.OperationalError("VACUUM", {}, Exception("database is locked"))

    store, collection = opened(url)
    tokens = fill(store, collection)
    store.close()
    monkeypatch.setattr(unlinking, "_rewrite", locked)
    result = pat_cli("serve", "close", "odpm", "--db", url, "--cut-link")
    assert result.exit_code == 0, result.output
    assert "odpm: closed, and the link cut: 12 respondent(s)" in result.stdout
    assert result.stderr == (
        "pat: warning: odpm: the database could not be rewritten to clear the deleted rows "
        "from its files (database is locked); run VACUUM (SQLite) or VACUUM FULL "
        "(PostgreSQL) as its owner\n"
    )
    store = Store(url)
    assert store.respondent(tokens[0]) is None and dump(store)["invitations"] == []
    store.close()
