"""A whole workshop in Chromium through a real `pat serve` of the sample workshop: the
facilitator makes a new round in the browser, invites three people from a list, and
watches the live results while the three answer in windows open side by side; the
counts stay hidden below the threshold and the dartboard appears, without a reload, once
the third submits. In the room the group records an agreed view and an action; the
facilitator closes the collection and cuts the link; `pat run` on the collection writes
the report with the agreed action. axe-core (WCAG 2.2 AA rules) finds no violation on
any facilitator page, and no page breaks the Content-Security-Policy.

Needs Debian's chromium and axe-core (PAT_TEST_AXE_JS), as tests/test_serve_browser.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from serve_browser_support import (
    CHROMIUM,
    FLAGS,
    PASSWORD,
    check_axe,
    need_browser,
    serving_workshop,
    shot,
)

from pat_framework.testing import invoke

PEOPLE = """name,email,organisation,level
Ann Example,ann@example.org,Anytown Borough Council,board
Bo Example,bo@example.org,Anytown Health Trust,senior
Cy Example,,Anytown Voluntary Action,frontline
"""
CHOICES = ("Strongly agree", "Agree", "Disagree", "Strongly disagree")
ITEMS = [f"P{p}{e}" for p in range(1, 7) for e in "ABCDEF"]
ACTION = "Write down the shared vision <together> & agree it at the next board"
#: The WCAG 2.2 AA rules of axe-core, and its best practices.

pytestmark = pytest.mark.browser


def answers(person: int) -> dict[str, str]:
    """Each person's answers: different, so that partners disagree on some statements."""
    given = {item: CHOICES[(k * 7 + person * 3) % 4] for k, item in enumerate(ITEMS)}
    given.update(
        {f"W{p}": ("4 – more significant", "3", "2")[(p + person) % 3] for p in range(1, 7)}
    )
    given["S1"] = CHOICES[person % 4]
    return given


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    yield from serving_workshop(tmp_path)


def answer_page(page: Any, given: dict[str, str]) -> bool:
    """Answer every statement of the page shown and go on; True once submitted."""
    for fieldset in page.locator("fieldset.item").all():
        item = (fieldset.get_attribute("id") or "").removeprefix("item-")
        fieldset.get_by_label(given[item], exact=True).check()
    buttons = page.locator(".buttons").inner_text()
    if "Save and continue" in buttons:
        page.get_by_role("button", name="Save and continue").click()
        return False
    page.get_by_role("button", name="Review answers").click()
    page.get_by_role("button", name="Submit my answers").click()
    assert page.url.endswith("/r/done")
    return True


def test_a_whole_workshop_in_the_browser(server: tuple[str, str, str], tmp_path: Path) -> None:
    need_browser()
    from playwright.sync_api import expect, sync_playwright

    base, _link, db = server
    csp_errors: list[str] = []

    def watch(page: Any) -> Any:
        page.on(
            "console",
            lambda m: csp_errors.append(m.text) if "Content Security" in m.text else None,
        )
        return page

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        wide = browser.new_context(viewport={"width": 1280, "height": 900})
        page = watch(wide.new_page())
        page.goto(base + "/f/sign-in")
        page.get_by_label("Name").fill("sam")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        check_axe(page, "collections")

        # a new round of the sample workshop, with the ODPM tool only, threshold 3
        page.get_by_role("link", name="New round of anytown").click()
        for box in page.locator("input[name=instrument]").all():
            box.set_checked(box.get_attribute("value") == "pat-odpm")
        page.get_by_label("Short name (optional)").fill("spring")
        page.get_by_label("Smallest group shown").fill("3")
        page.get_by_role("button", name="Make the collection").click()
        assert page.locator(".access-code").inner_text().strip()

        # three invitations from a list, the links on slips
        page.get_by_role("link", name="Invite people from a list").click()
        page.get_by_label("Paste the list").fill(PEOPLE)
        page.get_by_role("button", name="Make invitations and print slips").click()
        links = [t.strip() for t in page.locator(".slip .link").all_inner_texts()]
        assert len(links) == 3

        # the live results, watched while the three answer side by side
        live = watch(wide.new_page())
        live.goto(base + "/f/c/spring/live")
        check_axe(live, "live results, nobody yet")
        people = []
        for k, link in enumerate(links):
            window = watch(browser.new_context(viewport={"width": 390, "height": 800}).new_page())
            window.goto(link)
            window.get_by_role("link", name="Start").click()
            assert window.url.endswith("/r/s/1")  # the invitation gave organisation and level
            people.append((window, answers(k)))
        done = [False] * 3
        while not all(done[:2]):  # page by page, each in turn; the third stops short
            for k, (window, given) in enumerate(people[:2]):
                if not done[k]:
                    done[k] = answer_page(window, given)
        answer_page(*people[2])  # the third has started
        live.wait_for_timeout(6_000)  # a poll has been and gone
        assert live.locator("#live-submitted").inner_text() == "fewer than 3"
        assert live.locator("#live-waiting").is_visible()
        assert live.locator("main img, main svg").count() == 0  # no chart below the threshold
        shot(live, "workshop-live-waiting")
        while not done[2]:
            done[2] = answer_page(*people[2])
        # the results arrive by the page's script, without a reload
        expect(live.locator("#live-analysed")).to_be_visible(timeout=20_000)
        assert live.locator("#live-submitted").inner_text() == "at least 3"
        assert live.locator("main img").count() >= 1
        check_axe(live, "live results, past the threshold")
        shot(live, "workshop-live-results")

        # the room: an agreed view and an action on the first principle
        page.goto(base + "/f/c/spring/room")
        check_axe(page, "the room's steps")
        page.get_by_role("link", name=re.compile(r"^P1: ")).first.click()
        step = page.url
        check_axe(page, "a section in the room")
        page.get_by_label("or the agreed band").select_option(index=1)  # the highest band
        page.get_by_role("button", name="Record the agreed view").click()
        # partners disagreed: as in the Lisbon Tool, the agreed view lies below the average
        assert "lies below the average" in page.locator("#band-error").inner_text()
        page.get_by_label("or the agreed band").select_option(index=3)
        page.get_by_role("button", name="Record the agreed view").click()
        expect(page.locator("p.agreed")).to_be_visible()
        page.get_by_label("What is to be done").fill(ACTION)
        page.get_by_label("Owner (a person, role or partner)").fill("Sam, for the board")
        page.get_by_label("Due by (year-month-day, as 2026-12-31)").fill("2027-03-31")
        page.get_by_role("button", name="Add the action").click()
        assert page.url.startswith(step)
        assert ACTION in page.locator("table.room-actions").inner_text()
        shot(page, "workshop-room-section")

        # close, cutting the link for good
        page.goto(base + "/f/c/spring/close")
        check_axe(page, "close")
        page.get_by_label("Also cut the link between invitations and answers, for good").check()
        page.get_by_role("button", name="Close spring now").click()
        assert "link" in page.locator("main").inner_text()
        people[0][0].goto(links[0])  # the link led to answers: after the cut, to nothing
        assert "This link does not work" in people[0][0].locator("main").inner_text()
        people[0][0].goto(base + "/r/review")
        assert "Submit" not in people[0][0].locator("main").inner_text()
        browser.close()
    assert csp_errors == []

    # no table joins an invitation to an answer any more
    engine = sa.create_engine(db)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM invitations").scalar() == 0
        assert connection.exec_driver_sql("SELECT count(*) FROM answer_events").scalar() == 0
        notes = connection.exec_driver_sql(
            "SELECT count(*) FROM respondents WHERE note IS NOT NULL"
        )
        assert notes.scalar() == 0
    engine.dispose()

    # pat run on the collection: the agreed action is in the report's plan
    workshop = tmp_path / "spring.toml"
    workshop.write_text(
        'partnership = "Anytown Community Wellbeing Partnership"\n'
        'title = "Partnership health check, spring"\npurpose = "audit"\nmin_group = 3\n'
        f'[[instruments]]\nid = "pat-odpm"\nresponses = ["{db}#spring"]\n'
        f'[output]\nfolder = "{tmp_path / "out"}"\nname = "spring"\nformats = ["html", "json"]\n',
        encoding="utf-8",
    )
    result = invoke("run", workshop)
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / "spring.html").read_text(encoding="utf-8")
    assert "Write down the shared vision &lt;together&gt; &amp; agree it" in html
    assert "Sam, for the board" in html and "2027-03-31" in html
    data = json.loads((tmp_path / "out" / "spring.json").read_text(encoding="utf-8"))
    assert ACTION in json.dumps(data, ensure_ascii=False)
