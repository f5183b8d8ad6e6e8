"""Default plugin `pat.interpreters`: the `bands` interpreter."""

from pat_framework.hookspecs import RegisterInterpreter, hookimpl


@hookimpl
def register_interpreters(register: RegisterInterpreter) -> None:
    from pat_framework.scoring.bands_interpreter import BandsInterpreter

    register(BandsInterpreter())
