"""The facilitator's way in: the workshop secret and accounts, sessions that end, each
account seeing only its partnerships' collections, cookies that open only their own side,
CSRF on every form, the rate limit, and the audit log."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from serve_facilitator_support import PASSWORD, Hub, hub, sign_in, signed_in
from serve_support import csrf_of
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from pat_framework.serve import facilitators, schema
from pat_framework.serve.storage import Store, now

__all__ = ["hub"]  # the fixture


def collections_listed(html: str) -> list[str]:
    return re.findall(r'<th scope="row">([^<]+)</th>', html)


def test_the_workshop_secret_opens_its_collection_only(hub: Hub) -> None:
    client = signed_in(hub, "secret")
    home = client.get("/f/")
    assert home.status_code == 200
    assert collections_listed(home.text) == ["solo"]
    assert "facilitator: facilitator" in home.text
    assert "solo &lt;b&gt;check&lt;/b&gt;" in home.text  # the title escaped


def test_an_account_sees_its_partnerships_collections_only(hub: Hub) -> None:
    assert collections_listed(signed_in(hub, "ann").get("/f/").text) == ["a"]
    assert collections_listed(signed_in(hub, "bo").get("/f/").text) == ["b"]
    facilitators.add_account(hub.store, "root", "x" * 12, [], True)
    client = hub.client()
    sign_in(client, name="root", password="x" * 12)
    assert collections_listed(client.get("/f/").text) == ["a", "b", "solo"]


def test_the_guard_gives_the_same_404_for_another_partnership_and_no_collection(
    hub: Hub,
) -> None:
    from pat_framework.serve.app import Server

    server = Server(hub.store, {})

    async def probe(request: Request) -> Response:
        found = await facilitators.guard(server, request, request.path_params["name"])
        if isinstance(found, Response):
            return found
        who, collection = found
        return PlainTextResponse(f"{who.name} {who.account_id is None} {collection.name}")

    hub.app.router.routes.insert(0, Route("/f/c/{name}/probe", probe))  # type: ignore[attr-defined]
    ann = signed_in(hub, "ann")
    assert ann.get("/f/c/a/probe").text == "ann False a"
    other, missing = ann.get("/f/c/b/probe"), ann.get("/f/c/nothing/probe")
    assert other.status_code == missing.status_code == 404
    assert other.text == missing.text
    assert ann.get("/f/c/solo/probe").status_code == 404
    assert signed_in(hub, "secret").get("/f/c/solo/probe").text == "facilitator True solo"
    assert signed_in(hub, "secret").get("/f/c/a/probe").status_code == 404
    nobody = hub.client().get("/f/c/a/probe", follow_redirects=False)
    assert nobody.status_code == 303
    assert nobody.headers["location"] == "/f/sign-in?next=/f/c/a/probe"


def test_a_wrong_password_or_secret_is_refused_then_rate_limited(hub: Hub) -> None:
    client = hub.client()
    wrong = sign_in(client, name="ann", password=PASSWORD["bo"])
    assert wrong.status_code == 400  # type: ignore[attr-defined]
    assert "That name and password, or that secret, is not right." in wrong.text  # type: ignore[attr-defined]
    assert sign_in(client, secret=hub.secret + "x").status_code == 400  # type: ignore[attr-defined]
    assert sign_in(client, name="nobody", password="whatever").status_code == 400  # type: ignore[attr-defined]
    for _ in range(7):
        sign_in(client, name="ann", password="wrong")
    blocked = sign_in(client, name="ann", password=PASSWORD["ann"])
    assert blocked.status_code == 429  # type: ignore[attr-defined]
    assert int(blocked.headers["retry-after"]) > 0  # type: ignore[attr-defined]
    assert client.get("/f/", follow_redirects=False).status_code == 303


def test_a_sign_in_goes_back_to_the_page_asked_for_and_never_off_site(hub: Hub) -> None:
    client = hub.client()
    page = client.get("/f/sign-in?next=/f/")
    fields = {"csrf": csrf_of(page.text), "name": "ann", "password": PASSWORD["ann"]}
    for target, landed in (("/f/", "/f/"), ("//evil.example/", "/f/"), ("https://x/", "/f/")):
        response = client.post(
            "/f/sign-in", data={**fields, "next": target}, follow_redirects=False
        )
        assert response.headers["location"] == landed


def test_sessions_end_when_idle_too_long_or_too_old(hub: Hub) -> None:
    client = signed_in(hub, "ann")
    token = client.cookies[facilitators.COOKIE]
    start = now()
    assert facilitators.session(hub.store, token, start + datetime.timedelta(hours=9)) is None
    # kept in use every few hours, it still ends 24 hours after the sign-in
    token = signed_in(hub, "ann").cookies[facilitators.COOKIE]
    start = now()
    for hours in (6, 12, 18, 23):
        assert facilitators.session(hub.store, token, start + datetime.timedelta(hours=hours))
    assert facilitators.session(hub.store, token, start + datetime.timedelta(hours=25)) is None


def test_the_session_is_stored_only_as_a_hash_and_signing_out_ends_it(hub: Hub) -> None:
    client = signed_in(hub, "ann")
    token = client.cookies[facilitators.COOKIE]
    with hub.store.engine.connect() as connection:
        dump = repr(connection.execute(sa.select(schema.facilitator_sessions)).all())
        dump += repr(connection.execute(sa.select(schema.facilitator_accounts)).all())
        dump += repr(connection.execute(sa.select(schema.facilitation)).all())
    assert token not in dump and hub.secret not in dump and PASSWORD["ann"] not in dump
    home = client.get("/f/")
    out = client.post("/f/sign-out", data={"csrf": csrf_of(home.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert facilitators.session(hub.store, token) is None


def test_the_cookie_is_httponly_strict_and_only_under_f(hub: Hub) -> None:
    client = hub.client()
    page = client.get("/f/sign-in")
    response = client.post(
        "/f/sign-in",
        data={"csrf": csrf_of(page.text), "secret": hub.secret},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{facilitators.COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/f" in cookie


def test_a_respondents_cookie_opens_no_facilitator_page_and_back(hub: Hub) -> None:
    (token,) = hub.store.invite(hub.solo, [None])
    respondent = hub.client()
    assert respondent.get(f"/i/{token}").status_code == 200
    for path in ("/f/", "/f/c/solo/invitations", "/f/c/solo/invitations/reminders.csv"):
        assert respondent.get(path, follow_redirects=False).status_code == 303
    # the respondent's token offered as a facilitator's cookie opens nothing either
    respondent.cookies.set(facilitators.COOKIE, token)
    assert respondent.get("/f/", follow_redirects=False).status_code == 303
    facilitator = signed_in(hub, "secret")
    assert facilitator.get("/r", follow_redirects=False).status_code == 401
    facilitator.cookies.set("pat_session", facilitator.cookies[facilitators.COOKIE])
    assert facilitator.get("/r", follow_redirects=False).status_code == 401
    assert facilitator.get("/r/review").status_code == 401


def test_every_post_without_the_csrf_token_is_refused(hub: Hub) -> None:
    client = hub.client()
    client.get("/f/sign-in")
    refused = client.post("/f/sign-in", data={"secret": hub.secret}, follow_redirects=False)
    assert refused.status_code == 403
    assert facilitators.COOKIE not in client.cookies
    client = signed_in(hub, "ann")
    assert client.post("/f/sign-out", data={"csrf": "0" * 64}).status_code == 403
    assert client.get("/f/").status_code == 200  # still signed in


def test_a_new_secret_ends_the_old_one_and_its_sessions(hub: Hub) -> None:
    client = signed_in(hub, "secret")
    fresh = facilitators.new_secret(hub.store, hub.solo)
    assert client.get("/f/", follow_redirects=False).status_code == 303
    assert sign_in(hub.client(), secret=hub.secret).status_code == 400  # type: ignore[attr-defined]
    assert sign_in(hub.client(), secret=fresh).url.path == "/f/"  # type: ignore[attr-defined]


def test_a_removed_account_cannot_sign_in_and_its_sessions_end(hub: Hub) -> None:
    client = signed_in(hub, "ann")
    facilitators.remove_account(hub.store, "ann")
    assert client.get("/f/", follow_redirects=False).status_code == 303
    assert sign_in(hub.client(), name="ann", password=PASSWORD["ann"]).status_code == 400  # type: ignore[attr-defined]


def test_the_command_line_adds_lists_and_removes_accounts(pat_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'f.db'}"
    added = pat_cli(
        "serve",
        "facilitator",
        "add",
        "cara",
        "--partnership",
        "Anytown",
        "--db",
        db,
        "--password-stdin",
        input="a good long password\n",
    )
    assert added.exit_code == 0, added.output
    assert "facilitator account cara added: sees partnership(s) Anytown" in added.output
    short = pat_cli(
        "serve",
        "facilitator",
        "add",
        "dan",
        "--all",
        "--db",
        db,
        "--password-stdin",
        input="short\n",
    )
    assert short.exit_code == 1
    assert "the password must be at least 12 characters" in short.output
    assert "Traceback" not in short.output
    listed = pat_cli("serve", "facilitator", "list", "--db", db)
    assert listed.output == "cara\tAnytown\n"
    assert pat_cli("serve", "facilitator", "remove", "cara", "--db", db).exit_code == 0
    gone = pat_cli("serve", "facilitator", "remove", "cara", "--db", db)
    assert gone.exit_code == 1 and "no account 'cara'" in gone.output
    store = Store(db)
    rows = (
        store.engine.connect()
        .execute(sa.select(schema.audit_log.c.facilitator, schema.audit_log.c.action))
        .all()
    )
    store.close()
    assert [tuple(r) for r in rows] == [
        ("pat serve (command line)", "added account cara"),
        ("pat serve (command line)", "removed account cara"),
    ]


def test_start_prints_the_secret_once_and_puts_a_collection_in_its_partnership(
    pat_cli,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    db = f"sqlite:///{tmp_path / 'f.db'}"
    first = pat_cli("serve", "pat-odpm", "--db", db, "--no-start")
    secret = re.search(
        r"facilitator: http://127.0.0.1:8765/f/sign-in   secret: (\S+)", first.output
    )
    assert secret, first.output
    again = pat_cli("serve", "pat-odpm", "--db", db, "--no-start")
    assert "secret: the one shown when it was made (--new-secret)" in again.output
    store = Store(db)
    assert facilitators.sign_in_secret(store, secret.group(1)) is not None
    renewed = pat_cli("serve", "pat-odpm", "--db", db, "--no-start", "--new-secret")
    assert facilitators.sign_in_secret(store, secret.group(1)) is None
    assert "secret: " in renewed.output
    grouped = pat_cli("serve", "pat-odpm", "--db", db, "--no-start", "--partnership", "Anytown")
    assert "facilitator: http://127.0.0.1:8765/f/ (accounts of partnership Anytown)" in (
        grouped.output
    )
    found = store.collection("pat-odpm")
    assert found is not None
    assert facilitators.facilitation(store, found)["partnership"] == "Anytown"
    store.close()


@pytest.mark.parametrize("path", ["/f/", "/f/sign-in"])
def test_facilitator_pages_carry_the_strict_headers(hub: Hub, path: str) -> None:
    response = signed_in(hub, "ann").get(path)
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert response.headers["cache-control"] == "no-store"
    assert "<script>" not in response.text and "style=" not in response.text


def test_no_page_of_a_collection_opens_for_another_partnerships_facilitator(hub: Hub) -> None:
    """Every route under /f/c/NAME/ that the app has (now and as pages are added): ann of
    Anytown gets for bo's collection exactly what she gets for one that does not exist,
    by GET and by POST with a valid CSRF token, and nothing of b changes."""
    from starlette.routing import Route

    ann = signed_in(hub, "ann")
    csrf = csrf_of(ann.get("/f/").text)
    paths = [
        route.path
        for route in hub.app.router.routes  # type: ignore[attr-defined]
        if isinstance(route, Route) and route.path.startswith("/f/c/{name}")
    ]
    assert len(paths) >= 10  # invitations, live results, the room, closing …
    filled = {"ident": "1", "number": "3", "action": "delete", "instrument": "pat-odpm"}
    before = hub.store.collection("b")
    checked = 0
    for path in paths:
        for method in ("GET", "POST"):
            got = {}
            for name in ("b", "nothing-here"):
                values = {**filled, "name": name}
                url = re.sub(r"\{(\w+)(:\w+)?\}", lambda m, v=values: v.get(m[1], "1"), path)
                if method == "GET":
                    response = ann.get(url)
                else:
                    response = ann.post(url, data={"csrf": csrf, "cut": "yes", "text": "x"})
                got[name] = (response.status_code, response.text)
            if got["b"][0] == 405:
                continue  # the route has no such method, whatever the collection
            assert got["b"] == got["nothing-here"], (method, path)
            assert got["b"][0] == 404, (method, path)
            checked += 1
    assert checked >= len(paths)  # each route answered by GET, POST or both
    assert hub.store.collection("b") == before
