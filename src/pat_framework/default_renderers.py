"""Default plugin: the core's renderers for scores."""

from pat_framework.hookspecs import RegisterRenderer, hookimpl


@hookimpl
def register_renderers(register: RegisterRenderer) -> None:
    from pat_framework.score_renderers import ScoresCSV, ScoresJSON, ScoresText

    register(ScoresText())
    register(ScoresCSV())
    register(ScoresJSON())
