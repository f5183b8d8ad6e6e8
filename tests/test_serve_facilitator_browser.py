"""The facilitator's pages in Chromium through a real `pat serve` of the sample workshop:
sign in with an account, make a new round of the workshop's collection (a form error
first), invite three people from a pasted list and print their slips. axe-core finds no
violation on any page, and no page breaks the Content-Security-Policy.

Needs Debian's chromium and axe-core (PAT_TEST_AXE_JS), as tests/test_serve_browser.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_browser_support import (
    CHROMIUM,
    FLAGS,
    PASSWORD,
    check_axe,
    need_browser,
    serving_workshop,
    shot,
)

PEOPLE = """name,email,organisation,level
Ann Example,ann@example.org,Anytown Borough Council,board
Bo Example,,Anytown Health Trust,senior
=HYPERLINK("x"),,Anytown Voluntary Action,frontline
"""

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    yield from serving_workshop(tmp_path)


def test_a_facilitator_makes_a_round_and_invites_people(
    server: tuple[str, str, str],
) -> None:
    need_browser()
    from playwright.sync_api import sync_playwright

    base, _link, _db = server
    csp_errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.on(
            "console",
            lambda m: csp_errors.append(m.text) if "Content Security" in m.text else None,
        )
        page.goto(base + "/f/")
        assert "/f/sign-in" in page.url
        check_axe(page, "sign in")
        page.get_by_label("Name").fill("sam")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        check_axe(page, "collections")
        shot(page, "facilitator-collections")
        page.get_by_role("link", name="New round of anytown").click()
        check_axe(page, "new round")
        assert page.get_by_label("Governance matrix", exact=False).is_checked()
        page.get_by_label("Smallest group shown").fill("2")
        page.get_by_role("button", name="Make the collection").click()
        error = page.get_by_role("alert")
        assert "from 3 to 100" in error.inner_text()
        check_axe(page, "new round, with an error")
        shot(page, "facilitator-new-error")
        error.get_by_role("link").first.click()
        assert page.evaluate("document.activeElement.id") == "min_group"
        page.get_by_label("Smallest group shown").fill("3")
        page.get_by_label("Short name (optional)").fill("anytown-spring")
        page.get_by_role("button", name="Make the collection").click()
        assert page.locator(".access-code").inner_text().strip()
        check_axe(page, "made")
        shot(page, "facilitator-made")
        page.get_by_role("link", name="Invite people from a list").click()
        check_axe(page, "invitations")
        page.get_by_label("Paste the list").fill(PEOPLE)
        page.get_by_role("button", name="Make invitations and print slips").click()
        slips = page.locator(".slip")
        assert slips.count() == 3
        assert "=HYPERLINK" in slips.nth(2).inner_text()  # shown as text, never run
        check_axe(page, "slips")
        shot(page, "facilitator-slips")
        page.goto(base + "/f/c/anytown-spring/invitations")
        stages = page.locator("table.listing tbody tr").all_inner_texts()
        assert len(stages) == 3 and all("not started" in row for row in stages)
        browser.close()
    assert csp_errors == []
