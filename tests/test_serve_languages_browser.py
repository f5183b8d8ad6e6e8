"""A respondent answers the bilingual example in Welsh in Chromium through a real
`pat serve`, switches to English part-way through a page, and finds every answer kept;
the export records the language. Needs Debian's chromium; without it the test skips,
except in CI."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_browser_support import CHROMIUM, FLAGS, check_axe, need_browser
from serve_support import serving

from pat_framework.testing import invoke

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "instruments"
ID = "example-bilingual"

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """A real `pat serve` of the example on a free loopback port: (base, link, db URL)."""
    yield from serving(tmp_path, "--instruments-dir", str(EXAMPLES), "serve", ID)


def test_a_respondent_answers_in_welsh_and_switches_without_losing_answers(
    server: tuple[str, str, str], tmp_path: Path
) -> None:
    need_browser()
    from playwright.sync_api import sync_playwright

    _base, link, db = server
    csp_errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_context(locale="en-GB").new_page()
        page.on(
            "console",
            lambda m: csp_errors.append(m.text) if "Content Security" in m.text else None,
        )
        page.goto(link)
        page.get_by_role("link", name="Cymraeg").click()
        assert page.locator("html").get_attribute("lang") == "cy"
        page.get_by_role("link", name="Start").click()
        assert page.url.endswith("/r/s/1")
        assert page.locator("h1").inner_text() == "Cydweithio"
        check_axe(page, "page 1 in Welsh")
        item = page.locator("#item-W1A")
        assert "Mae gan y partneriaid nod clir cyffredin." in item.inner_text()
        item.get_by_label("Cytuno'n gryf", exact=True).check()
        page.locator("#status-W1A").filter(has_text=re.compile("^Saved$")).wait_for()
        page.locator("#item-W1B").get_by_label("Anghytuno", exact=True).check()
        page.get_by_role("button", name="English").click()  # W1B may not be saved yet
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("h1").inner_text() == "Working together"
        assert page.locator("#item-W1A").get_by_label("Strongly agree", exact=True).is_checked()
        assert page.locator("#item-W1B").get_by_label("Disagree", exact=True).is_checked()
        page.get_by_role("button", name="Cymraeg").click()
        assert page.locator("#item-W1B").get_by_label("Anghytuno", exact=True).is_checked()
        page.get_by_role("button", name="Review answers").click()
        assert "Anghytuno" in page.inner_text("main")
        check_axe(page, "review in Welsh")
        page.get_by_role("button", name="Submit my answers").click()
        browser.close()
    assert csp_errors == []

    exported = tmp_path / "answers.csv"
    result = invoke(
        "--instruments-dir", EXAMPLES, "serve", "export", ID, "--db", db, "-o", exported
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(exported.open(encoding="utf-8")))
    assert {(r["item"], r["answer"], r["language"]) for r in rows} == {
        ("W1A", "Strongly agree", "cy"),
        ("W1B", "Disagree", "cy"),
    }
