"""WCAG 2.2 AA: axe-core run in headless Chromium on the reports, the paper form and a chart
page; any serious or critical violation fails.

axe-core comes from npm (`.ci/run` installs it into build/axe; PAT_AXE names another copy of
axe.min.js). Without it or Chromium the tests skip, except in CI, where they fail.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from browser_support import OFFLINE, browser
from conftest import ODPM_SAMPLE

from pat_framework.testing import invoke

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent
AXE = Path(os.environ.get("PAT_AXE", ROOT / "build/axe/node_modules/axe-core/axe.min.js"))
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: Runs axe when the page has loaded and writes what it found into the page.
RUN = (
    "<script>axe.run(document, {runOnly: {type: 'tag', values: TAGS}}).then(function (r) {"
    "var pre = document.createElement('pre'); pre.id = 'axe-result';"
    "pre.textContent = JSON.stringify(r.violations.map(function (v) {"
    "return {id: v.id, impact: v.impact, help: v.help,"
    " where: v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); })}; }));"
    "document.body.appendChild(pre); });</script>"
).replace("TAGS", json.dumps(TAGS))


def axe_source() -> str:
    if not AXE.exists():
        message = f"axe-core is not installed ({AXE}): npm install --prefix build/axe axe-core"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def violations(page: Path) -> list[dict[str, object]]:
    """What axe-core finds on the page. The page's Content Security Policy (which forbids
    every script) is taken off the copy axe runs in; nothing else is changed."""
    source = axe_source()
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text())
    head, close, tail = text.rpartition("</body>")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / page.name
        copy.write_text(f"{head}<script>{source}</script>{RUN}{close}{tail}", encoding="utf-8")
        done = subprocess.run(
            [browser(), *OFFLINE, f"--user-data-dir={folder}/profile",
             "--virtual-time-budget=60000", "--dump-dom", copy.as_uri()],
            capture_output=True, text=True, timeout=300, check=True,
        )  # fmt: skip
    found = re.search(r'<pre id="axe-result">(.*?)</pre>', done.stdout, re.S)
    assert found, "axe-core did not finish"
    result: list[dict[str, object]] = json.loads(html.unescape(found.group(1)))
    return result


def serious(page: Path) -> list[dict[str, object]]:
    return [v for v in violations(page) if v["impact"] in ("serious", "critical")]


def test_the_workshop_report_passes_axe(sample_workshop: tuple[Path, str]) -> None:
    assert serious(sample_workshop[0] / "anytown-workshop.html") == []


def test_the_report_of_one_instrument_passes_axe(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = invoke("report", "pat-odpm", str(ODPM_SAMPLE), "--by", "organisation",
                    "--detail", "full", "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert serious(out) == []


def test_the_paper_form_and_a_chart_page_pass_axe(tmp_path: Path) -> None:
    form, chart = tmp_path / "form.html", tmp_path / "chart.html"
    assert invoke("form", "pat-odpm", "-o", str(form)).exit_code == 0
    made = invoke("chart", "pat-odpm", str(ODPM_SAMPLE), "--kind", "dartboard", "-o", str(chart))
    assert made.exit_code == 0, made.output
    assert serious(form) == []
    assert serious(chart) == []


def test_axe_finds_what_it_should(tmp_path: Path) -> None:
    # The check can fail: a page without a language and an image without a text alternative.
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html><head><title>x</title></head><body><main><h1>x</h1>"
                    '<img src="data:,"></main></body></html>')  # fmt: skip
    assert {v["id"] for v in serious(page)} >= {"html-has-lang", "image-alt"}
