"""The HTML pat writes is valid HTML: the workshop report, one instrument's report, the
paper form and a chart page pass the Nu HTML Checker (vnu.jar, the checker behind the W3C's
validator) with no error.

vnu.jar comes from npm's `vnu-jar` (`.ci/run` installs it into build/vnu; PAT_VNU names
another copy) and runs on Java. Without Java the tests skip, saying so; without the jar
they fail, as the jar is the project's to install.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ODPM_SAMPLE

from pat_framework.testing import invoke

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
VNU = Path(os.environ.get("PAT_VNU", ROOT / "build/vnu/node_modules/vnu-jar/build/dist/vnu.jar"))


def errors(*pages: Path) -> dict[str, list[str]]:
    """The checker's errors on each page, by file name (warnings and notes left out)."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("Java is not installed (apt-get install default-jre-headless): the Nu HTML "
                    "Checker runs on it")  # fmt: skip
    if not VNU.exists():
        pytest.fail(f"the Nu HTML Checker is not installed ({VNU}): npm install --prefix "
                    "build/vnu --ignore-scripts vnu-jar")  # fmt: skip
    done = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--exit-zero-always", *map(str, pages)],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    found: dict[str, list[str]] = {page.name: [] for page in pages}
    for message in json.loads(done.stderr)["messages"]:
        if message["type"] in ("error", "non-document-error"):
            name = Path(message.get("url", "?").removeprefix("file:")).name
            found.setdefault(name, []).append(f"{message.get('lastLine')}: {message['message']}")
    return found


def test_the_reports_the_form_and_a_chart_page_are_valid_html(
    sample_workshop: tuple[Path, str], tmp_path: Path
) -> None:
    single, form, chart = tmp_path / "report.html", tmp_path / "form.html", tmp_path / "chart.html"
    made = [
        invoke("report", "pat-odpm", str(ODPM_SAMPLE), "--by", "organisation", "--detail",
               "full", "-o", str(single)),
        invoke("form", "pat-odpm", "-o", str(form)),
        invoke("chart", "pat-odpm", str(ODPM_SAMPLE), "--kind", "dartboard", "-o", str(chart)),
    ]  # fmt: skip
    assert all(result.exit_code == 0 for result in made), [r.output for r in made]
    # The check can fail: a page with a stray end tag and an image without alt, checked
    # in the same run.
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><head><title>x</title></head><body>'
                   '<p><div>x</p><img src="data:,"></body></html>')  # fmt: skip
    found = errors(sample_workshop[0] / "anytown-workshop.html", single, form, chart, bad)
    assert len(found.pop("bad.html")) >= 2
    assert found == {"anytown-workshop.html": [], "report.html": [], "form.html": [],
                     "chart.html": []}  # fmt: skip
