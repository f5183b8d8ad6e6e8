"""The combined workshop report as PDF, printed from its HTML by headless Chromium."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pat_framework.workshop.run import WorkshopReport


class WorkshopPDF:
    name = "pdf"
    subject = "workshop"
    suffixes = (".pdf",)
    binary = True
    description = "The workshop report printed to PDF by headless Chromium (A4, page numbers)"

    def render(self, result: WorkshopReport) -> bytes:
        from pat_framework.reports.pdf import print_pdf
        from pat_framework.workshop.html import WorkshopHTML

        return print_pdf(WorkshopHTML().render(result))
