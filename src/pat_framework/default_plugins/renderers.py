"""Default plugin `pat.renderers`: every output format of every subject.

Subjects: `scores` (`pat score`), `analysis` (`pat analyse`), `report` (`pat report`) and
`workshop` (`pat run`).
"""

from pat_framework.hookspecs import RegisterRenderer, hookimpl


@hookimpl
def register_renderers(register: RegisterRenderer) -> None:
    from pat_framework.analysis.renderers import AnalysisCSV, AnalysisJSON, AnalysisText
    from pat_framework.render.scores import ScoresCSV, ScoresJSON, ScoresText
    from pat_framework.reports.data import ReportCSV, ReportJSON
    from pat_framework.reports.html import ReportHTML
    from pat_framework.reports.markdown import ReportMarkdown
    from pat_framework.reports.pdf import ReportPDF
    from pat_framework.reports.slides import ReportPPTX
    from pat_framework.reports.word import ReportDOCX
    from pat_framework.reports.workbook import ReportXLSX
    from pat_framework.workshop.data import WorkshopJSON
    from pat_framework.workshop.html import WorkshopHTML
    from pat_framework.workshop.markdown import WorkshopMarkdown
    from pat_framework.workshop.office import WorkshopDOCX, WorkshopPPTX
    from pat_framework.workshop.pdf import WorkshopPDF
    from pat_framework.workshop.workbook import WorkshopXLSX

    for renderer in (
        ScoresText(),
        ScoresCSV(),
        ScoresJSON(),
        AnalysisText(),
        AnalysisJSON(),
        AnalysisCSV(),
        ReportHTML(),
        ReportMarkdown(),
        ReportJSON(),
        ReportXLSX(),
        ReportCSV(),
        ReportPDF(),
        ReportDOCX(),
        ReportPPTX(),
        WorkshopHTML(),
        WorkshopXLSX(),
        WorkshopJSON(),
        WorkshopPDF(),
        WorkshopDOCX(),
        WorkshopPPTX(),
        WorkshopMarkdown(),
    ):
        register(renderer)
