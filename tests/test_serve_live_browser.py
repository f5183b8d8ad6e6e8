"""The live dashboard in Chromium: a facilitator signs in and watches; five respondents
submit, and the results appear without the page being reloaded; axe-core finds no
accessibility violations before or after, and the page breaks no Content-Security-Policy.

Needs Debian's chromium and axe-core (PAT_TEST_AXE_JS names axe.min.js); without them the
test skips, except in CI.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_browser_support import CHROMIUM, FLAGS, check_axe, need_browser, shot
from serve_facilitator_support import PASSWORD, Hub, build_hub
from serve_live_support import answer

from pat_framework.model import Instrument
from pat_framework.serve.storage import Store

pytestmark = pytest.mark.browser


@pytest.fixture
def served(tmp_path: Path, odpm: Instrument) -> Iterator[tuple[str, Hub]]:
    """The hub's app under uvicorn on a free loopback port: (base URL, hub)."""
    import uvicorn

    store = Store(f"sqlite:///{tmp_path / 'serve.db'}")
    store.migrate()
    hub = build_hub(store, odpm)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    config = uvicorn.Config(hub.app, host="127.0.0.1", port=port, log_level="warning")  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}", hub
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()


def test_the_dashboard_shows_new_results_without_a_reload(
    served: tuple[str, Hub], odpm: Instrument
) -> None:
    need_browser()
    from playwright.sync_api import sync_playwright

    base, hub = served
    answer(hub.store, hub.a, {"pat-odpm": odpm}, [("Council", "board")] * 3)
    csp_errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on(
            "console",
            lambda m: csp_errors.append(m.text) if "Content Security" in m.text else None,
        )
        page.goto(base + "/f/sign-in")
        page.get_by_label("Name").fill("ann")
        page.get_by_label("Password").fill(PASSWORD["ann"])
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Live results of a").click()
        assert page.url == base + "/f/c/a/live"
        assert page.locator("#live-submitted").inner_text() == "fewer than 5"
        assert page.locator("#live-waiting").is_visible()
        check_axe(page, "the dashboard before results")
        shot(page, "live-waiting")
        page.evaluate("window.patNotReloaded = true")

        answer(hub.store, hub.a, {"pat-odpm": odpm}, [("Trust", "senior")] * 2, seed=5)
        page.locator("#live-analysed").wait_for(timeout=20_000)
        assert page.evaluate("window.patNotReloaded") is True  # the same page, updated
        assert page.locator("#live-submitted").inner_text() == "at least 5"
        assert "at least 5 submitted" in page.locator("#live-status").inner_text()
        assert "Scenario" in page.locator(".headline-title").first.inner_text()
        chart = page.get_by_role("img", name="Dartboard.", exact=False)
        chart.wait_for()
        page.wait_for_function("document.querySelector('.live-chart img').naturalWidth > 0")
        check_axe(page, "the dashboard with results")
        shot(page, "live-results")
        browser.close()
    assert csp_errors == []
