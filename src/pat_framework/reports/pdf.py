"""The report as PDF: the HTML report printed by a headless Chromium, so the PDF has the
same text, print layout and page numbers as printing the page from a browser."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from pat_framework.errors import PatError

if TYPE_CHECKING:
    from pat_framework.reports import Report

#: Tried in turn; PAT_CHROMIUM names another.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Headless, offline and without the browser's own header and footer (the page's CSS has
#: the page numbers).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--no-pdf-header-footer",
    "--generate-pdf-document-outline",
)
TIMEOUT = 180


def browser() -> str:
    """The Chromium to print with."""
    named = os.environ.get("PAT_CHROMIUM")
    found = shutil.which(named) if named else None
    found = found or next((p for name in BROWSERS if (p := shutil.which(name))), None)
    if found is None:
        raise PatError(
            "PDF needs Chromium to print the HTML report: install it (apt-get install "
            "chromium) or name it in PAT_CHROMIUM; or write .html and print it from a browser"
        )
    return found


def print_pdf(html: str) -> bytes:
    """The page printed to PDF (A4, as its print CSS sets) by headless Chromium."""
    with tempfile.TemporaryDirectory(prefix="pat-pdf-") as folder:
        page, out = Path(folder) / "report.html", Path(folder) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = [browser(), *FLAGS, f"--user-data-dir={folder}/profile",
                   f"--print-to-pdf={out}", page.as_uri()]  # fmt: skip
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=True)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise PatError(f"Chromium could not print the report to PDF: {exc}") from exc
        if not out.exists() or out.stat().st_size == 0:
            raise PatError("Chromium wrote no PDF")
        return out.read_bytes()


class ReportPDF:
    name = "pdf"
    subject = "report"
    suffixes = (".pdf",)
    binary = True
    description = "The HTML report printed to PDF by headless Chromium (A4, page numbers)"

    def render(self, result: Report) -> bytes:
        from pat_framework.reports.html import ReportHTML

        return print_pdf(ReportHTML().render(result))
