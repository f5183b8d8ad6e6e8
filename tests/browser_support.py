"""Headless Chromium for the browser tests: found, or the test skipped (failed in CI)."""

from __future__ import annotations

import os
import shutil

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
#: Networking off: no background traffic, every host unresolvable, a dead proxy.
OFFLINE = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--enable-logging=stderr",
    "--v=0",
)


def browser() -> str:
    """Chromium's path; without it the test skips, or fails where CI is set."""
    found = next((path for name in BROWSERS if (path := shutil.which(name))), None)
    if found is None:
        message = "Chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found
