"""An example pat plugin: the `mean` scorer, the `markdown` format for `pat score`, and the
`partnership-pulse` instrument scored by the mean.

pat imports this module when it starts (the `pat_framework` entry point in pyproject.toml),
so it imports nothing heavy: the scorer and renderer modules are imported only when pat
asks for them. The hooks are described in pat's docs/plugin-hooks.md.
"""

from pathlib import Path

from pat_framework import hookimpl
from pat_framework.hookspecs import RegisterInstrument, RegisterRenderer, RegisterScorer

INSTRUMENT = Path(__file__).with_name("partnership-pulse.toml")


@hookimpl
def register_instruments(register: RegisterInstrument) -> None:
    register(INSTRUMENT)


@hookimpl
def register_scorers(register: RegisterScorer) -> None:
    from pat_example_plugin.mean_scorer import MeanScorer

    register(MeanScorer())


@hookimpl
def register_renderers(register: RegisterRenderer) -> None:
    from pat_example_plugin.markdown_scores import ScoresMarkdown

    register(ScoresMarkdown())
