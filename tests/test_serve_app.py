"""pat serve's respondent pages through Starlette's test client: the way in, answering
without JavaScript, the script's save endpoint, and one test for each security rule."""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from serve_support import csrf_of
from starlette.testclient import TestClient

from pat_framework.model import Instrument
from pat_framework.serve.app import build_app
from pat_framework.serve.storage import Collection, Store


@dataclass
class Site:
    store: Store
    collection: Collection
    client: TestClient
    tokens: list[str]
    path: Path
    code: str

    def client_for(self, base_url: str = "http://testserver") -> TestClient:
        return TestClient(self.client.app, base_url=base_url)


@pytest.fixture
def site(tmp_path: Path, odpm: Instrument) -> Iterator[Site]:
    path = tmp_path / "serve.db"
    store = Store(f"sqlite:///{path}", timeout=0.3)
    store.migrate()
    collection = store.open_collection(
        "odpm", "Anytown <b>check</b>", "pat-odpm", ["pat-odpm"], ["Council", "Trust"], ["board"]
    )
    tokens = store.invite(collection, [None, None])
    code = store.new_room_code(collection)
    app = build_app(store, {"pat-odpm": odpm})
    with TestClient(app) as client:
        yield Site(store, collection, client, tokens, path, code)
    store.close()


def enter(client: TestClient, token: str) -> str:
    """Open the invitation link and say who you are; the CSRF token of the first page."""
    welcome = client.get(f"/i/{token}")
    assert welcome.status_code == 200
    about = client.get("/r")
    assert about.url.path == "/r/about"
    page = client.post(
        "/r/about",
        data={"csrf": csrf_of(about.text), "organisation": "Council", "level": "board"},
    )
    assert page.url.path == "/r/s/1", page.text
    return csrf_of(page.text)


def stored(site: Site, token: str) -> dict[str, tuple[str | None, str | None]]:
    who = site.store.respondent(token)
    assert who is not None
    return {k[1]: (v.answer, v.comment) for k, v in site.store.answers(who.id).items()}


def test_a_respondent_answers_a_page_without_javascript(site: Site) -> None:
    csrf = enter(site.client, site.tokens[0])
    response = site.client.post(
        "/r/s/1",
        data={
            "csrf": csrf,
            "answer-P1A": "Agree",
            "answer-P1B": "Disagree",
            "comment-P1A": "Good start",
            "go": "next",
        },
    )
    assert response.url.path == "/r/s/2"
    assert "Your answers on the previous page were saved." in response.text
    assert "2 of 43 answered" in re.sub(r"<[^>]+>", "", response.text)
    assert stored(site, site.tokens[0]) == {
        "P1A": ("Agree", "Good start"),
        "P1B": ("Disagree", None),
    }
    again = site.client.get("/r")  # resumes where the respondent was
    assert again.url.path == "/r/s/2"
    first = site.client.get("/r/s/1").text
    assert re.search(r'value="Agree" checked', first)
    assert "<fieldset" in first and "<legend>" in first and "<details" in first


def test_the_script_saves_one_change_and_says_so(site: Site) -> None:
    csrf = enter(site.client, site.tokens[0])
    saved = site.client.post(
        "/r/save", data={"csrf": csrf, "page": "1", "name": "answer-P1C", "value": "Agree"}
    )
    assert saved.status_code == 200 and saved.json() == {"saved": True}
    wrong = site.client.post(
        "/r/save", data={"csrf": csrf, "page": "1", "name": "answer-P1C", "value": "Maybe"}
    )
    assert wrong.status_code == 400 and "not one of the answers" in wrong.json()["error"]
    for page in ("0", "-1", "99", "²", ""):  # page 0 once meant the last page
        data = {"csrf": csrf, "page": page, "name": "answer-S1", "value": "Agree"}
        refused = site.client.post("/r/save", data=data)
        assert refused.status_code == 400 and refused.json() == {"error": "No such page."}
    assert stored(site, site.tokens[0]) == {"P1C": ("Agree", None)}


def test_a_database_that_cannot_be_reached_is_said_in_the_scripts_words(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pat_framework.serve.storage import StoreError

    csrf = enter(site.client, site.tokens[0])

    def unreachable(*args: object) -> None:
        raise StoreError("the database is locked")

    monkeypatch.setattr(site.store, "visit", unreachable)
    data = {"csrf": csrf, "page": "1", "name": "answer-P1C", "value": "Agree"}
    refused = site.client.post("/r/save", data=data)
    assert refused.status_code == 503
    assert refused.json()["error"].startswith("the database cannot be reached just now.")
    page = site.client.get("/r/s/1")  # a page, not the script: the HTML page says it
    assert page.status_code == 503 and "Not available just now" in page.text


def test_review_and_submit_then_changes_are_still_allowed(site: Site) -> None:
    csrf = enter(site.client, site.tokens[0])
    review = site.client.get("/r/review")
    assert "0 of 43 answered" in re.sub(r"<[^>]+>", "", review.text)
    done = site.client.post("/r/submit", data={"csrf": csrf_of(review.text)})
    assert done.url.path == "/r/done"
    who = site.store.respondent(site.tokens[0])
    assert who is not None and who.submitted_at is not None
    saved = site.client.post(
        "/r/save", data={"csrf": csrf, "page": "2", "name": "answer-P2A", "value": "Agree"}
    )
    assert saved.json() == {"saved": True}


def test_a_post_without_the_csrf_token_is_refused(site: Site) -> None:
    csrf = enter(site.client, site.tokens[0])
    for path, data in [
        ("/r/s/1", {"answer-P1A": "Agree"}),
        ("/r/s/1", {"answer-P1A": "Agree", "csrf": "0" * 64}),
        ("/r/save", {"page": "1", "name": "answer-P1A", "value": "Agree"}),
        ("/r/submit", {}),
        ("/r/about", {"organisation": "Trust", "level": "board"}),
    ]:
        assert site.client.post(path, data=data).status_code == 403, path
    stranger = site.client_for()  # another browser: its own CSRF cookie, not this one's
    stranger.get(f"/i/{site.tokens[1]}")
    assert stranger.post("/r/submit", data={"csrf": csrf}).status_code == 403
    assert stored(site, site.tokens[0]) == {}


def test_a_respondent_never_sees_another_respondents_answers(site: Site) -> None:
    csrf = enter(site.client, site.tokens[0])
    site.client.post(
        "/r/s/1", data={"csrf": csrf, "answer-P1A": "Strongly agree", "comment-P1A": "only mine"}
    )
    other = site.client_for()
    enter(other, site.tokens[1])
    page = other.get("/r/s/1").text + other.get("/r/review").text
    assert "checked" not in page and "only mine" not in page
    assert other.get(f"/i/{site.tokens[0][:-1]}x").status_code == 404  # a guessed token
    assert stored(site, site.tokens[1]) == {}


def test_a_brute_forced_room_code_is_stopped(site: Site) -> None:
    client = site.client_for()
    room = client.get("/c/odpm")
    csrf = csrf_of(room.text)
    for k in range(10):
        wrong = client.post("/c/odpm", data={"csrf": csrf, "code": f"WRONG{k:03d}"})
        assert wrong.status_code == 400
    code = site.code
    blocked = client.post("/c/odpm", data={"csrf": csrf, "code": code})
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0


def test_the_room_code_lets_a_device_in(site: Site) -> None:
    client = site.client_for()
    csrf = csrf_of(client.get("/c/odpm").text)
    code = site.code
    joined = client.post("/c/odpm", data={"csrf": csrf, "code": code.lower()})
    assert joined.url.path == "/r/about"


def test_guessed_invitation_tokens_are_rate_limited(site: Site) -> None:
    client = site.client_for()
    for k in range(10):
        assert client.get(f"/i/guess{k}").status_code == 404
    assert client.get(f"/i/{site.tokens[0]}").status_code == 429


def test_a_script_in_a_comment_is_shown_as_text(site: Site) -> None:
    csrf = enter(site.client, site.tokens[0])
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    site.client.post("/r/s/1", data={"csrf": csrf, "comment-P1A": attack})
    for path in ("/r/s/1", "/r/review"):
        html = site.client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "Anytown &lt;b&gt;check&lt;/b&gt;" in html  # the collection's own text too


def test_every_page_has_the_security_headers_and_no_inline_script(site: Site) -> None:
    enter(site.client, site.tokens[0])
    for path in ("/", "/c/odpm", "/r/about", "/r/s/1", "/r/s/8", "/r/review", "/r/done"):
        response = site.client.get(path)
        headers = response.headers
        assert "script-src 'self'" in headers["content-security-policy"], path
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"
        assert not re.search(r"<script(?![^>]*\bsrc=)", response.text), path
        assert " on" not in re.sub(r">[^<]*<", "><", response.text).replace(" only", ""), path


def test_cookies_are_httponly_strict_and_secure_over_https(site: Site) -> None:
    plain = site.client_for().get(f"/i/{site.tokens[0]}")
    cookies = plain.headers.get_list("set-cookie")
    assert len(cookies) == 2
    for cookie in cookies:
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    https = site.client_for("https://testserver").get(f"/i/{site.tokens[0]}")
    assert all("Secure" in c for c in https.headers.get_list("set-cookie"))
    assert https.headers["strict-transport-security"].startswith("max-age=")


def test_a_request_too_large_is_refused(site: Site) -> None:
    csrf = enter(site.client, site.tokens[0])
    big = site.client.post("/r/s/1", data={"csrf": csrf, "comment-P1A": "x" * 70_000})
    assert big.status_code == 413
    long = site.client.post(
        "/r/save", data={"csrf": csrf, "page": "1", "name": "comment-P1A", "value": "x" * 2001}
    )
    assert long.status_code == 400 and "at most 2000" in long.json()["error"]
    assert stored(site, site.tokens[0]) == {}


def test_no_token_appears_in_the_access_log(site: Site, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="pat.serve.access"):
        site.client_for().get(f"/i/{site.tokens[0]}")
        site.client_for().get("/i/not-a-token")
    lines = [r.getMessage() for r in caplog.records if r.name == "pat.serve.access"]
    assert lines == ["GET /i/… 200", "GET /i/… 404"]


def test_a_database_that_cannot_be_written_keeps_the_input_in_the_form(site: Site) -> None:
    csrf = enter(site.client, site.tokens[0])
    blocker = sqlite3.connect(site.path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        failed = site.client.post(
            "/r/s/1", data={"csrf": csrf, "answer-P1A": "Disagree", "comment-P1B": "kept"}
        )
        script = site.client.post(
            "/r/save", data={"csrf": csrf, "page": "1", "name": "answer-P1C", "value": "Agree"}
        )
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert failed.status_code == 503
    assert "could not be saved" in failed.text
    assert (
        re.search(r'value="Disagree" checked', failed.text) and ">kept</textarea>" in failed.text
    )
    assert script.status_code == 503 and "Not saved" in script.json()["error"]
    assert stored(site, site.tokens[0]) == {}


def test_a_closed_collection_takes_no_more_answers(site: Site) -> None:
    import datetime

    csrf = enter(site.client, site.tokens[0])
    past = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    site.store.open_collection(
        "odpm",
        "Anytown",
        "pat-odpm",
        ["pat-odpm"],
        ["Council", "Trust"],
        ["board"],
        closes_at=past,
    )
    page = site.client.get("/r/s/1")
    assert (
        "This assessment is closed" in page.text
        and '<fieldset class="item" id="item-P1A" disabled' in page.text
    )
    refused = site.client.post("/r/s/1", data={"csrf": csrf, "answer-P1A": "Agree"})
    assert refused.status_code == 403
    assert stored(site, site.tokens[0]) == {}


def test_serve_binds_to_this_computer_unless_told(pat_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'a.db'}"
    local = pat_cli("serve", "pat-odpm", "--db", db, "--no-start", "--level", "board")
    assert local.exit_code == 0, local.output
    assert "room link: http://127.0.0.1:8765/c/pat-odpm" in local.output
    assert "warning" not in local.output
    shared = pat_cli(
        "serve", "pat-odpm", "--db", db, "--no-start", "--host", "0.0.0.0", "--invite", "2"
    )
    assert shared.exit_code == 0, shared.output
    assert "anyone on this network can reach the server" in shared.stderr
    assert "scan to open it" in shared.stdout and "█" in shared.stdout
    assert shared.stdout.count("/i/") == 2


def test_serve_refuses_bad_input_with_a_message(pat_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'a.db'}"
    for args, message in [
        (("pat-odmp",), "pat-odmp"),
        (("pat-odpm", "--name", "Bad Name"), "is not a collection name"),
        (("pat-odpm", "--opens", "tomorrow"), "is not a date and time"),
        (
            ("pat-odpm", "--opens", "2026-12-03T10:00", "--closes", "2026-12-03T09:00"),
            "--closes must be after --opens",
        ),
    ]:
        result = pat_cli("serve", *args, "--db", db, "--no-start")
        assert result.exit_code != 0 and message in result.output, result.output
        assert "Traceback" not in result.output
    missing = pat_cli("serve", "export", "nothing", "--db", db, "-o", str(tmp_path / "x.csv"))
    assert missing.exit_code == 1 and "no collection 'nothing'" in missing.output


def test_the_access_code_is_shown_once_and_new_code_replaces_it(pat_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'a.db'}"
    codes = re.compile(r"access code: ([A-Z0-9]{4})-([A-Z0-9]{4})")
    first = pat_cli("serve", "pat-odpm", "--db", db, "--no-start", "--level", "board")
    shown = codes.search(first.output)
    assert first.exit_code == 0 and shown, first.output
    again = pat_cli("serve", "pat-odpm", "--db", db, "--no-start")
    assert not codes.search(again.output)
    assert "access code: the one shown when it was made (--new-code)" in again.output
    renewed = pat_cli("serve", "pat-odpm", "--db", db, "--no-start", "--new-code")
    new = codes.search(renewed.output)
    assert new and new.groups() != shown.groups()
    store = Store(db)
    collection = store.collection("pat-odpm")
    assert collection is not None
    assert store.join_room(collection, "".join(shown.groups())) is None
    assert store.join_room(collection, "".join(new.groups())) is not None
    store.close()
