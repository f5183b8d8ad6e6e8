"""Invitations from a list: made all or none, with the organisation and level set so the
respondent is not asked again; links shown once as a CSV or slips with a QR code each;
stages without answers; revoke and reissue; reminders list exactly the non-submitted; every
change in the audit log; and no page of one partnership's collection opens for another's."""

from __future__ import annotations

import csv
import io
import re

import sqlalchemy as sa
from serve_facilitator_support import Hub, hub, signed_in
from serve_support import csrf_of
from starlette.testclient import TestClient

from pat_framework.serve import facilitators, schema

__all__ = ["hub"]  # the fixture

LIST = (
    "name,email,organisation,level\n"
    "Ann,ann@example.org,Council,board\n"
    "Bo,,Trust,senior\n"
    '=HYPERLINK("x"),cara@example.org,Council,senior\n'
)


def make(client: TestClient, name: str, text: str, how: str = "csv") -> object:
    page = client.get(f"/f/c/{name}/invitations")
    return client.post(
        f"/f/c/{name}/invitations",
        data={"csrf": csrf_of(page.text), "list": text, "how": how},
    )


def links_of(response: object) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.text)))  # type: ignore[attr-defined]


def stages(client: TestClient, name: str) -> list[str]:
    html = client.get(f"/f/c/{name}/invitations").text
    return re.findall(r"<td>(not started|in progress|submitted)</td>", html)


def test_a_list_makes_invitations_with_their_groups_and_a_mail_merge_csv(hub: Hub) -> None:
    client = signed_in(hub, "ann")
    response = make(client, "a", LIST)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response.headers["content-disposition"] == (  # type: ignore[attr-defined]
        'attachment; filename="a-invitations.csv"'
    )
    rows = links_of(response)
    assert [r["name"] for r in rows] == ["Ann", "Bo", '\'=HYPERLINK("x")']  # formula-safe
    assert [r["organisation"] for r in rows] == ["Council", "Trust", "Council"]
    link = rows[0]["link"]
    assert re.fullmatch(r"http://testserver/i/[A-Za-z0-9_-]{22}", link)
    with hub.store.engine.connect() as connection:
        dump = repr(connection.execute(sa.select(schema.respondents)).all())
    assert link.rpartition("/")[2] not in dump  # only the hash is kept
    # the respondent goes straight to the questions: the list gave organisation and level
    respondent = hub.client()
    respondent.get(link.removeprefix("http://testserver"))
    assert respondent.get("/r").url.path == "/r/s/1"
    assert stages(client, "a") == ["in progress", "not started", "not started"]
    collection = hub.store.collection("a")
    assert collection is not None  # pat serve status counts them started too
    assert sorted(s.started for s in hub.store.progress(collection)) == [False, False, True]


def test_a_list_with_mistakes_makes_nothing_and_says_where(hub: Hub) -> None:
    client = signed_in(hub, "ann")
    text = "name,organisation,level\nAnn,Council,board\nBo,Health,board\nCara,,senior\n"
    response = make(client, "a", text)
    assert response.status_code == 400  # type: ignore[attr-defined]
    message = (
        "Nothing was made: row 3, column organisation: &#39;Health&#39; is not one of the "
        "collection&#39;s (Council, Trust); row 4, column organisation: empty."
    )
    assert message in response.text  # type: ignore[attr-defined]
    assert "Bo,Health,board" in response.text  # type: ignore[attr-defined]  # kept to correct
    assert stages(client, "a") == []
    missing = make(client, "a", "name,org\nAnn,Council\n")
    assert (
        "the list has no organisation column; the list has no level column; unknown "
        "column(s) org" in missing.text
    )  # type: ignore[attr-defined]


def test_slips_have_a_qr_code_per_person_and_no_inline_style(hub: Hub) -> None:
    client = signed_in(hub, "ann")
    response = make(client, "a", LIST, how="slips")
    html = response.text  # type: ignore[attr-defined]
    assert html.count('<section class="slip"') == 3
    assert html.count("<svg ") == 3 and html.count('class="qr" role="img"') == 3
    assert len(set(re.findall(r"http://testserver/i/[A-Za-z0-9_-]{22}", html))) == 3
    assert "style=" not in html and "<script>" not in html
    assert "=HYPERLINK(&#34;x&#34;)" in html or "=HYPERLINK(&quot;x&quot;)" in html


def test_reminders_list_exactly_those_not_submitted(hub: Hub) -> None:
    client = signed_in(hub, "ann")
    rows = links_of(make(client, "a", LIST))
    submitter = hub.client()
    submitter.get(rows[1]["link"].removeprefix("http://testserver"))
    review = submitter.get("/r/review")
    assert submitter.post("/r/submit", data={"csrf": csrf_of(review.text)}).url.path == "/r/done"
    assert stages(client, "a") == ["not started", "submitted", "not started"]
    reminders = client.get("/f/c/a/invitations/reminders.csv")
    assert reminders.text == (
        "name,email,organisation,level,stage\n"
        "Ann,ann@example.org,Council,board,not started\n"
        '"\'=HYPERLINK(""x"")",cara@example.org,Council,senior,not started\n'
    )
    assert "/i/" not in reminders.text


def test_revoke_kills_the_link_and_reissue_gives_a_new_one_for_the_same_answers(
    hub: Hub,
) -> None:
    client = signed_in(hub, "ann")
    rows = links_of(make(client, "a", LIST))
    old = rows[0]["link"].removeprefix("http://testserver")
    respondent = hub.client()
    respondent.get(old)
    page = respondent.get("/r/s/1")
    respondent.post(
        "/r/s/1", data={"csrf": csrf_of(page.text), "answer-P1A": "Agree", "go": "next"}
    )
    csrf = csrf_of(client.get("/f/c/a/invitations").text)
    ident = re.findall(r"/invitations/(\d+)/revoke", client.get("/f/c/a/invitations").text)[0]
    client.post(f"/f/c/a/invitations/{ident}/revoke", data={"csrf": csrf})
    assert hub.client().get(old).status_code == 404
    assert respondent.get("/r").status_code == 401  # the browser's cookie is the old link
    assert "revoked" in client.get("/f/c/a/invitations").text
    slip = client.post(f"/f/c/a/invitations/{ident}/reissue", data={"csrf": csrf})
    (new,) = re.findall(r"http://testserver(/i/[A-Za-z0-9_-]{22})", slip.text)
    assert new != old and hub.client().get(old).status_code == 404
    again = hub.client()
    again.get(new)
    assert 'value="Agree" checked' in again.get("/r/s/1").text  # the same answers
    log = facilitators.audit(hub.store, hub.a)
    assert [(who, what) for _, who, what in log] == [
        ("ann", "made 3 invitation(s)"),
        ("ann", f"revoked invitation {ident}"),
        ("ann", f"reissued invitation {ident}"),
    ]
    assert all(at.tzinfo is not None for at, _, _ in log)


def test_another_partnerships_invitation_pages_are_not_found(hub: Hub) -> None:
    bo = signed_in(hub, "bo")
    links_of(make(signed_in(hub, "ann"), "a", LIST))
    csrf = csrf_of(bo.get("/f/").text)
    nothing = bo.get("/f/c/nothing/invitations")
    assert nothing.status_code == 404
    for method, path in (
        ("GET", "/f/c/a/invitations"),
        ("GET", "/f/c/a/invitations/reminders.csv"),
        ("POST", "/f/c/a/invitations"),
        ("POST", "/f/c/a/invitations/1/revoke"),
        ("POST", "/f/c/a/invitations/1/reissue"),
    ):
        response = bo.request(method, path, data={"csrf": csrf, "list": LIST})
        assert response.status_code == 404 and response.text == nothing.text, path
    assert [s for s in stages(signed_in(hub, "ann"), "a")] == ["not started"] * 3
    # b's invitation numbers are not reachable through a's pages either
    assert bo.post("/f/c/b/invitations/1/revoke", data={"csrf": csrf}).status_code == 404


def test_every_invitation_post_without_the_csrf_token_is_refused(hub: Hub) -> None:
    client = signed_in(hub, "ann")
    links_of(make(client, "a", LIST))
    for path in (
        "/f/c/a/invitations",
        "/f/c/a/invitations/1/revoke",
        "/f/c/a/invitations/1/reissue",
    ):
        assert client.post(path, data={"list": LIST}).status_code == 403, path
    assert stages(client, "a") == ["not started"] * 3
    assert "revoked" not in client.get("/f/c/a/invitations").text
