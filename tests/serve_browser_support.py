"""What the `pat serve` browser tests share: Debian's chromium driven by Playwright,
axe-core run with the WCAG 2.2 A and AA rules and its best practices, and screenshots
when PAT_SERVE_SHOTS names a folder.

Needs Debian's chromium and the npm package axe-core (PAT_TEST_AXE_JS names axe.min.js);
`.ci/run` provides both. Without them a test skips, except in CI.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from serve_support import need, serving

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = os.environ.get("PAT_TEST_AXE_JS", "")
SHOTS = os.environ.get("PAT_SERVE_SHOTS")
#: WCAG 2.2 AA (with the 2.0 and 2.1 rules it builds on) and axe-core's best practices.
AXE_OPTIONS = (
    "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
    "'wcag22aa', 'best-practice']}, resultTypes: ['violations']}"
)


def need_browser() -> None:
    """Skip (fail in CI) without chromium and axe-core."""
    need(Path(CHROMIUM).is_file(), "no Debian chromium at /usr/bin/chromium")
    need(bool(AXE) and Path(AXE).is_file(), "PAT_TEST_AXE_JS does not name axe.min.js")


def violations(page: Any) -> list[str]:
    """What axe-core finds wrong with the page: 'rule: help (how many places)'."""
    page.evaluate(Path(AXE).read_text(encoding="utf-8"))
    result = page.evaluate(f"axe.run(document, {AXE_OPTIONS})")
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in result["violations"]]


def check_axe(page: Any, where: str) -> None:
    problems = violations(page)
    assert problems == [], f"axe-core on {where}: {problems}"


def shot(page: Any, name: str) -> None:
    """A full-page screenshot NAME.png in PAT_SERVE_SHOTS, when it is set."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


#: The sample workshop, served with its collection in partnership Anytown, whose
#: facilitator account `sam` has this password.
WORKSHOP = Path(__file__).parents[1] / "examples" / "workshop" / "anytown.toml"
PASSWORD = "a long enough password"


def serving_workshop(tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """A real `pat serve` of the sample workshop, in partnership Anytown, with the account
    `sam` in it: (base URL, an invitation link, the database URL), as `serving` gives."""
    from pat_framework.testing import invoke

    for found in serving(tmp_path, "serve", str(WORKSHOP), "--partnership", "Anytown"):
        added = invoke(
            "serve", "facilitator", "add", "sam", "--partnership", "Anytown",
            "--password-stdin", "--db", found[2], input=PASSWORD + "\n",
        )  # fmt: skip
        assert added.exit_code == 0, added.output
        yield found
