"""A respondent answers the ODPM tool in Chromium on a 360-pixel phone through a real
`pat serve`: half the statements, then the page is closed; back through the same link they
finish and submit, and the exported CSV scores exactly as the same answers typed into a
`pat template` sheet. axe-core finds no accessibility violations on the pages.

Needs Debian's chromium and the npm package axe-core (PAT_TEST_AXE_JS names axe.min.js);
`.ci/run` provides both. Without them the test skips, except in CI.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_browser_support import CHROMIUM, FLAGS, check_axe, need_browser, shot
from serve_support import serving

from pat_framework.testing import invoke

PHONE = {"width": 360, "height": 740}
#: Answers by page: P1–P3 first (half the 36 statements), then the rest after resuming.
CHOICES = ("Strongly agree", "Agree", "Disagree", "Strongly disagree")
ITEMS = [f"P{p}{e}" for p in range(1, 7) for e in "ABCDEF"]
ANSWERS = {item: CHOICES[(k * 7) % 4] for k, item in enumerate(ITEMS)}
ANSWERS.update({f"W{p}": ("4 – more significant", "3", "2")[p % 3] for p in range(1, 7)})
ANSWERS["S1"] = "Agree"

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """A real `pat serve` on a free loopback port: (base URL, invitation link, db URL)."""
    yield from serving(
        tmp_path,
        "serve",
        "pat-odpm",
        "--organisation",
        "Anytown Borough Council",
        "--organisation",
        "Anytown Health Trust",
        "--level",
        "board",
        "--level",
        "senior",
        "--round",
        "2026",
    )


def answer_page(page: Any, wait_saved: bool) -> None:
    for fieldset in page.locator("fieldset.item").all():
        item = (fieldset.get_attribute("id") or "").removeprefix("item-")
        fieldset.get_by_label(ANSWERS[item], exact=True).check()
        if wait_saved:
            status = page.locator(f"#status-{item}")
            status.filter(has_text=re.compile("^Saved$")).wait_for(timeout=10_000)


def test_a_phone_respondent_answers_resumes_submits_and_scores_as_typed(
    server: tuple[str, str, str], tmp_path: Path
) -> None:
    need_browser()
    from playwright.sync_api import sync_playwright

    base, link, db = server
    csp_errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.on(
            "console",
            lambda m: csp_errors.append(m.text) if "Content Security" in m.text else None,
        )
        page.goto(link)
        check_axe(page, "welcome")
        page.get_by_role("link", name="Start").click()
        check_axe(page, "about you")
        shot(page, "phone-about")
        page.get_by_label("Anytown Health Trust").check()
        page.get_by_label("senior").check()
        page.get_by_role("button", name="Continue").click()
        assert page.url.endswith("/r/s/1")
        check_axe(page, "page 1")
        for number in (1, 2, 3):  # P1–P3: 18 of the 36 statements, saved by the script
            answer_page(page, wait_saved=True)
            if number == 2:
                page.locator("#item-P2B summary", has_text="Add a comment").click()
                page.fill("#comment-P2B", "Aims are <clear> & shared")
                page.locator("#item-P2C input").first.focus()
                page.locator("#status-P2B", has_text="Comment saved").wait_for()
            if number == 3:
                page.locator("#item-P3A summary", has_text="Guidance").click()
                shot(page, "phone-section")
                break
            page.get_by_role("button", name="Save and continue").click()
        page.close()  # leaves on page 3, having used the script's saves only
        context.close()

        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(link)
        page.get_by_role("link", name="Carry on").click()
        assert page.url.endswith("/r/s/3")
        assert "18 of 43 answered" in page.locator("#progress-text").inner_text()
        page.goto(base + "/r/s/2")
        assert page.locator("#comment-P2B").input_value() == "Aims are <clear> & shared"
        page.goto(base + "/r/s/4")
        for _number in range(4, 9):  # P4–P6, the weights and success: the form posts
            answer_page(page, wait_saved=False)
            if "Save and continue" in page.locator(".buttons").inner_text():
                page.get_by_role("button", name="Save and continue").click()
            else:
                check_axe(page, "last page")
                page.get_by_role("button", name="Review answers").click()
        assert page.url.endswith("/r/review")
        assert "43 of 43 answered" in page.inner_text("main")
        check_axe(page, "review")
        shot(page, "phone-review")
        page.get_by_role("button", name="Submit my answers").click()
        check_axe(page, "thank you")
        wide = browser.new_context(viewport={"width": 1280, "height": 900})
        laptop = wide.new_page()
        laptop.goto(link)
        laptop.goto(base + "/r/s/1")
        shot(laptop, "laptop-section")
        room = wide.new_page()
        room.goto(base + "/c/pat-odpm")
        check_axe(room, "room")
        shot(room, "laptop-room")
        browser.close()
    assert csp_errors == []

    exported = tmp_path / "answers.csv"
    assert invoke("serve", "export", "pat-odpm", "--db", db, "-o", str(exported)).exit_code == 0
    sheet = tmp_path / "typed.csv"
    assert invoke("template", "pat-odpm", "-o", str(sheet)).exit_code == 0
    with sheet.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    (respondent,) = {row[0] for row in csv.reader(exported.open()) if row[0] != "respondent"}
    row = {"respondent": respondent, "organisation": "Anytown Health Trust", "level": "senior",
           "round": "2026", **ANSWERS}  # fmt: skip
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, [*dict.fromkeys([*header, *row])], lineterminator="\n")
        writer.writeheader()
        writer.writerow(row)
    scores = [tmp_path / "from-serve.csv", tmp_path / "from-sheet.csv"]
    for source, target in zip((exported, sheet), scores, strict=True):
        result = invoke("score", "pat-odpm", str(source), "-o", str(target))
        assert result.exit_code == 0, result.output
    assert scores[0].read_text() == scores[1].read_text()
    assert "Anytown Health Trust" in scores[0].read_text()
