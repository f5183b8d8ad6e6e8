"""Default plugin: renderers for the group analysis (text briefing, JSON, CSV)."""

from pat_framework.hookspecs import RegisterRenderer, hookimpl


@hookimpl
def register_renderers(register: RegisterRenderer) -> None:
    from pat_framework.analysis.renderers import AnalysisCSV, AnalysisJSON, AnalysisText

    register(AnalysisText())
    register(AnalysisJSON())
    register(AnalysisCSV())
