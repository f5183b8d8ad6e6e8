"""The room view at the feedback workshop: its steps show only submitted answers, under the
collection's min_group, analysed as `pat report` does; the agreed view and actions are
recorded (checked field by field, in the audit log), only in the facilitator's own
partnership's collections; and `pat run` puts them in every format of the action plan."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from serve_browser_support import CHROMIUM, FLAGS, SHOTS, need_browser, violations
from serve_facilitator_support import PASSWORD, Hub, build_hub, hub, signed_in
from serve_support import csrf_of
from starlette.testclient import TestClient

from pat_framework.model import Instrument
from pat_framework.serve import facilitators, schema
from pat_framework.serve.storage import Collection, Store, now

__all__ = ["hub"]  # the fixture

#: The ODPM tool's sections are steps 3 to 8 (after the overall picture and the dartboard).
P1, P2 = 3, 4


def answer(
    store: Store,
    collection: Collection,
    people: int,
    submitted: bool = True,
    organisation: str = "Council",
    fill: str = "A",
    split: bool = False,
) -> list[int]:
    """`people` respondents answering every statement `fill` (their ids); with `split`,
    half of them Strongly agree and half Strongly disagree on P1A–P1C (a divided
    principle)."""
    tokens = store.invite(collection, [None] * people)
    ids = []
    for k, token in enumerate(tokens):
        who = store.respondent(token)
        assert who is not None
        for p in range(1, 7):
            for element in "ABCDEF":
                value = fill
                if split and p == 1 and element in "ABC":
                    value = "SA" if k % 2 else "SD"
                store.save(who.id, "pat-odpm", f"P{p}{element}", "answer", value)
        values = {"organisation": organisation, "level": "board"}
        if submitted:
            values["submitted_at"] = now()  # type: ignore[assignment]
        store.update_respondent(who.id, **values)
        ids.append(who.id)
    return ids


def post(client: TestClient, page: str, action: str, **fields: str) -> object:
    token = csrf_of(client.get(page).text)
    return client.post(action, data={"csrf": token, **fields}, follow_redirects=False)


def rows(store: Store, table: sa.Table) -> list[tuple[object, ...]]:
    with store.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.select(table))]


def audit(hub: Hub, collection: Collection) -> list[str]:
    return [what for _, _, what in facilitators.audit(hub.store, collection)]


def test_the_room_steps_show_the_submitted_answers_step_by_step(hub: Hub) -> None:
    answer(hub.store, hub.a, 6, split=True)
    answer(hub.store, hub.a, 3, submitted=False, fill="SD")  # never shown
    client = signed_in(hub, "ann")
    contents = client.get("/f/c/a/room")
    assert contents.status_code == 200
    assert '<a href="/f/c/a/room/1" class="button" rel="next">Start</a>' in contents.text
    steps = re.findall(r'<li><a href="/f/c/a/room/(\d+)"', contents.text)
    assert steps == [str(k) for k in range(1, 10)]  # scenario, dartboard, 6 sections, agreed
    scenario = client.get("/f/c/a/room/1").text
    assert "<h1>The overall picture</h1>" in scenario
    assert "Scenario B" in scenario  # P1 is split: some put it at 12 or below
    assert 'rel="next"' in scenario and 'rel="prev"' not in scenario
    dartboard = client.get("/f/c/a/room/2").text
    assert '<svg role="img" aria-labelledby="chart-caption"' in dartboard
    assert '<figcaption id="chart-caption">Dartboard' in dartboard
    assert "style=" not in dartboard  # the strict CSP holds: no inline style or script
    assert re.findall(r"<script[^>]*>", dartboard) == ['<script src="/static/room.js" defer>']
    assert "<caption>Principle scores</caption>" in dartboard
    section = client.get(f"/f/c/a/room/{P1}").text
    assert "<h1>P1: " in section
    assert "Partners disagreed" in section and "P1A, P1B, P1C" in section
    assert "<h2>To discuss</h2>" in section and "Partners are divided on P1A" in section
    # 6 submitted, none of the 3 who did not; as the live results, the room shows the first
    # 5 to submit (a multiple of min_group): 2 Strongly agree, 3 Strongly disagree on P1A
    table = section[section.index("<caption>P1 ") :]
    first = re.search(r"<th scope=\"row\">P1A</th>(.*?)</tr>", table, re.S)
    assert first is not None
    assert re.findall(r'<td class="num">(\d+)</td>', first.group(1)) == ["2", "0", "0", "3"]
    assert "5 respondent(s)" in section
    assert 'rel="prev"' in section and f'href="/f/c/a/room/{P1 + 1}" rel="next"' in section
    assert client.get("/f/c/a/room/99").status_code == 404


def test_the_room_shows_nothing_below_the_collections_min_group(hub: Hub) -> None:
    answer(hub.store, hub.a, 4)  # min_group is 5
    answer(hub.store, hub.a, 3, submitted=False)
    client = signed_in(hub, "ann")
    for step in (1, 2, P1):
        page = client.get(f"/f/c/a/room/{step}").text
        assert "Nothing can be shown yet" in page
        assert "<svg" not in page and "<caption>" not in page.replace("Actions agreed", "")
    fifth = answer(hub.store, hub.a, 1)  # the fifth to submit
    assert "Nothing can be shown yet" not in client.get("/f/c/a/room/1").text
    for ident in fifth:  # now only four answered P1A: its counts are not shown
        hub.store.save(ident, "pat-odpm", "P1A", "answer", None)
    page = client.get(f"/f/c/a/room/{P1}").text
    first = re.search(r'<th scope="row">P1A</th>(.*?)</tr>', page, re.S)
    second = re.search(r'<th scope="row">P1B</th>(.*?)</tr>', page, re.S)
    assert first is not None and second is not None
    assert re.findall(r'<td class="num">(\d+)</td>', second.group(1)) == ["0", "5", "0", "0"]
    assert "5" not in re.findall(r'<td class="num">([^<]*)</td>', first.group(1))
    assert "4" not in re.findall(r'<td class="num">([^<]*)</td>', first.group(1))


def test_the_room_breaks_nothing_down_by_organisation_or_level(hub: Hub) -> None:
    answer(hub.store, hub.a, 8, organisation="Council")
    answer(hub.store, hub.a, 2, organisation="Trust", fill="SD")
    page = signed_in(hub, "ann").get("/f/c/a/room/1").text
    # the room breaks down by no group: the two from Trust are only part of the whole
    assert "Trust" not in page and "Council" not in page
    assert "10 respondent" in page or ">10<" in page


def test_a_facilitator_cannot_read_or_write_another_partnerships_room(hub: Hub) -> None:
    answer(hub.store, hub.b, 5)
    ann = signed_in(hub, "ann")
    mine = signed_in(hub, "bo").get(f"/f/c/b/room/{P1}")
    assert mine.status_code == 200
    token = csrf_of(ann.get("/f/c/a/room").text)
    for path in ("/f/c/b/room", "/f/c/b/room/1", f"/f/c/b/room/{P1}"):
        assert ann.get(path).status_code == 404
    for path, fields in (
        (f"/f/c/b/room/{P1}/view", {"score": "12"}),
        (f"/f/c/b/room/{P1}/actions", {"text": "x", "owner": "y", "due": "2027-01-31"}),
    ):
        response = ann.post(path, data={"csrf": token, **fields}, follow_redirects=False)
        assert response.status_code == 404
        assert "There is no such collection." in response.text
    assert rows(hub.store, schema.room_views) == [] and rows(hub.store, schema.room_actions) == []
    assert signed_in(hub, "secret").get("/f/c/a/room").status_code == 404
    signed_out = hub.client().get("/f/c/a/room", follow_redirects=False)
    assert signed_out.status_code == 303


def test_bad_fields_are_named_and_nothing_is_saved(hub: Hub) -> None:
    answer(hub.store, hub.a, 5)
    client = signed_in(hub, "ann")
    page = f"/f/c/a/room/{P1}"
    response = post(client, page, page + "/actions", text="Agree terms", owner="Ann",
                    due="2027-02-30")  # fmt: skip
    assert response.status_code == 400  # type: ignore[attr-defined]
    html = response.text  # type: ignore[attr-defined]
    assert (
        '<span class="error field-error" id="due-error">“2027-02-30” is not a date: write the '
        "year, month and day as 2026-12-31, a day that exists.</span>"
    ) in html
    assert (
        'id="due" name="due" type="text" autocomplete="off" spellcheck="false" value="2027-02-30"'
        in html
    )
    assert 'aria-invalid="true" aria-describedby="due-error"' in html
    assert ">Agree terms</textarea>" in html and 'value="Ann"' in html  # what was typed
    response = post(client, page, page + "/actions", text="", owner="", due="31/01/2027")
    html = response.text  # type: ignore[attr-defined]
    assert "Say what is to be done." in html and "Name who owns the action" in html
    assert "“31/01/2027” is not a date" in html
    response = post(client, page, page + "/view", score="30")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Expected a number from 6 to 24, not 30." in response.text  # type: ignore[attr-defined]
    response = post(client, page, page + "/view", score="20", band="7–12")
    assert "The score 20 is not in band 7–12" in response.text  # type: ignore[attr-defined]
    assert rows(hub.store, schema.room_views) == [] and rows(hub.store, schema.room_actions) == []
    assert audit(hub, hub.a) == []


def test_views_and_actions_are_recorded_changed_deleted_and_logged(hub: Hub) -> None:
    answer(hub.store, hub.a, 6, split=True)
    client = signed_in(hub, "ann")
    page = f"/f/c/a/room/{P1}"
    high = post(client, page, page + "/view", score="23")  # above the divided section's mean
    assert high.status_code == 400  # type: ignore[attr-defined]
    assert "Partners disagreed on this section, so the agreed view lies below the average" in (
        high.text  # type: ignore[attr-defined]
    )
    assert rows(hub.store, schema.room_views) == []
    response = post(client, page, page + "/view", score="11", band="7–12")
    assert response.status_code == 303  # type: ignore[attr-defined]
    shown = client.get(page).text
    assert "Agreed: score 11, band 7–12" in shown
    assert "Marked lower than the average: partners disagreed on this section." in shown
    assert "As in the Lisbon Tool" in shown
    post(client, page, page + "/actions", text="Agree <b>terms</b>", owner="Ann", due="2027-01-31")
    shown = client.get(page).text
    assert "<td>Agree &lt;b&gt;terms&lt;/b&gt;</td><td>Ann</td><td>2027-01-31</td>" in shown
    ident = rows(hub.store, schema.room_actions)[0][0]
    edit = client.get(f"{page}?edit={ident}").text
    assert f"Change action {ident}" in edit and 'value="2027-01-31"' in edit
    assert client.get(f"/f/c/a/room/{P2}?edit={ident}").status_code == 404  # P1's action
    elsewhere = post(client, page, f"/f/c/a/room/{P2}/actions/{ident}/delete")
    assert elsewhere.status_code == 404  # type: ignore[attr-defined]
    post(client, page, f"{page}/actions/{ident}", text="Agree terms", owner="Bo", due="2027-03-01")
    assert "<td>Agree terms</td><td>Bo</td><td>2027-03-01</td>" in client.get(page).text
    summary = client.get("/f/c/a/room/9").text
    assert "Agree terms (Bo, 2027-03-01)" in summary and "marked lower than the average" in summary
    listed = client.get("/f/c/a/room").text
    assert f'room/{P1}">P1: ' in listed and "(view agreed, 1 action(s))" in listed
    post(client, page, f"{page}/actions/{ident}/delete")
    assert rows(hub.store, schema.room_actions) == []
    assert audit(hub, hub.a) == [
        "recorded the agreed view of pat-odpm P1: score 11, band 7–12 (marked lower than the "
        "average: partners disagreed)",
        f"recorded agreed action {ident} on pat-odpm P1: 'Agree <b>terms</b>', owner 'Ann', "
        "due 2027-01-31",
        f"changed agreed action {ident} on pat-odpm P1: 'Agree terms', owner 'Bo', due 2027-03-01",
        f"deleted agreed action {ident}",
    ]
    # a view agreed where partners did not disagree is not marked
    post(client, f"/f/c/a/room/{P2}", f"/f/c/a/room/{P2}/view", band="13–18")
    assert [r[5:7] for r in rows(hub.store, schema.room_views)] == [("7–12", 1), ("13–18", 0)]
    # another collection's action number is not found through this one
    other = post(signed_in(hub, "bo"), "/f/c/b/room", f"/f/c/b/room/{P1}/actions/{ident}/delete")
    assert other.status_code == 404  # type: ignore[attr-defined]


WORKSHOP = """\
partnership = "Anytown"
title = "Feedback workshop"
purpose = "audit"
min_group = 5

[[instruments]]
id = "pat-odpm"
responses = ["{reference}"]

[output]
folder = "out"
name = "anytown"
formats = ["html", "json", "docx", "pptx", "xlsx", "md"]
"""


@pytest.fixture
def workshop(tmp_path: Path, hub: Hub) -> Path:
    """A workshop file reading collection `a`, with an agreed view and two actions, one
    with a formula-looking owner."""
    answer(hub.store, hub.a, 6, split=True)
    client = signed_in(hub, "ann")
    page = f"/f/c/a/room/{P1}"
    post(client, page, page + "/view", score="11")
    post(client, page, page + "/actions", text="Agree the <terms>", owner="Ann", due="2027-01-31")
    post(client, page, page + "/actions", text="Sum it up", owner="=SUM(A1:A9)", due="2027-02-28")
    url = hub.store.url.render_as_string(hide_password=False)
    path = tmp_path / "workshop.toml"
    path.write_text(WORKSHOP.format(reference=f"{url}#a"), encoding="utf-8")
    return path


def test_pat_run_puts_the_agreed_views_and_actions_in_every_format(
    workshop: Path,
    pat_cli,  # type: ignore[no-untyped-def]
) -> None:
    result = pat_cli("run", str(workshop))
    assert result.exit_code == 0, result.output
    out = workshop.parent / "out"
    html = (out / "anytown.html").read_text(encoding="utf-8")
    assert "<h2>Agreed in the workshop</h2>" in html
    assert "Agree the &lt;terms&gt;" in html and "<terms>" not in html
    assert "=SUM(A1:A9)" in html and "2027-02-28" in html
    assert "11 (marked lower than the average: partners disagreed)" in html
    document = json.loads((out / "anytown.json").read_text(encoding="utf-8"))
    agreed = document["agreed"]
    assert agreed["actions"][0] == {
        "instrument": "pat-odpm", "section": "P1", "action": "Agree the <terms>",
        "owner": "Ann", "due": "2027-01-31",
    }  # fmt: skip
    assert agreed["views"] == [
        {"instrument": "pat-odpm", "section": "P1", "score": 11.0, "band": None,
         "below_average": True},
    ]  # fmt: skip
    markdown = (out / "anytown.md").read_text(encoding="utf-8")
    assert (
        "## Agreed in the workshop" in markdown
        and "| Agree the &lt;terms&gt; | Ann | 2027-01-31 |" in markdown
    )

    from docx import Document

    word = Document(str(out / "anytown.docx"))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert "Agreed in the workshop" in headings
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "Agree the <terms>" in cells and "=SUM(A1:A9)" in cells and "2027-01-31" in cells

    from pptx import Presentation

    deck = Presentation(str(out / "anytown.pptx"))
    said = [
        cell.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    assert "Agree the <terms>" in said and "2027-02-28" in said

    from openpyxl import load_workbook

    book = load_workbook(out / "anytown.xlsx")
    sheet = book["agreed"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["pat-odpm", "P1", "action", "Sum it up", "'=SUM(A1:A9)", "2027-02-28"] in [
        v[:6] for v in values
    ]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_without_anything_agreed_the_report_is_unchanged(
    tmp_path: Path,
    hub: Hub,
    pat_cli,  # type: ignore[no-untyped-def]
) -> None:
    answer(hub.store, hub.a, 6)
    url = hub.store.url.render_as_string(hide_password=False)
    path = tmp_path / "workshop.toml"
    path.write_text(WORKSHOP.format(reference=f"{url}#a"), encoding="utf-8")
    result = pat_cli("run", str(path))
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert "Agreed in the workshop" not in (out / "anytown.html").read_text(encoding="utf-8")
    assert "agreed" not in json.loads((out / "anytown.json").read_text(encoding="utf-8"))
    from openpyxl import load_workbook

    assert "agreed" not in load_workbook(out / "anytown.xlsx").sheetnames


@pytest.fixture
def live(tmp_path: Path, odpm: Instrument) -> Iterator[tuple[str, Hub]]:
    """The hub on SQLite served by uvicorn on a free loopback port, with answers in `a`."""
    import socket
    import threading

    import uvicorn

    store = Store(f"sqlite:///{tmp_path / 'room.db'}")
    store.migrate()
    found = build_hub(store, odpm)
    answer(store, found.a, 6, split=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(found.app, host="127.0.0.1", port=port, log_level="warning")  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", found
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.mark.browser
def test_the_room_passes_axe_in_chromium_under_the_strict_csp(live: tuple[str, Hub]) -> None:
    need_browser()
    from playwright.sync_api import sync_playwright

    base, found = live
    csp: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.on("console", lambda m: csp.append(m.text) if "Content Security" in m.text else None)
        page.goto(f"{base}/f/c/a/room")
        page.fill("#name", "ann")
        page.fill("#password", PASSWORD["ann"])
        page.get_by_role("button", name="Sign in").click()
        assert page.url.endswith("/f/c/a/room")
        for step in ("", "/1", "/2", f"/{P1}", "/9"):
            page.goto(f"{base}/f/c/a/room{step}")
            problems = violations(page)
            assert problems == [], f"axe-core on step {step or 'contents'}: {problems}"
            if SHOTS:
                page.screenshot(path=f"{SHOTS}/room{step.replace('/', '-')}.png", full_page=True)
        page.goto(f"{base}/f/c/a/room/{P1}")
        page.fill("#due", "2027-13-01")
        page.fill("#text", "Agree terms")
        page.fill("#owner", "Ann")
        page.get_by_role("button", name="Add the action").click()
        assert "is not a date" in page.inner_text("#due-error")
        assert violations(page) == []
        page.keyboard.press("ArrowRight")  # the focus is in no field: the next step
        page.wait_for_url(f"{base}/f/c/a/room/{P1 + 1}")
        page.keyboard.press("ArrowLeft")
        page.wait_for_url(f"{base}/f/c/a/room/{P1}")
        browser.close()
    assert csp == []
    assert found.store.collection("a") is not None
