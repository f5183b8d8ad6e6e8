"""Default plugin: the core's interpreters."""

from pat_framework.hookspecs import RegisterInterpreter, hookimpl


@hookimpl
def register_interpreters(register: RegisterInterpreter) -> None:
    from pat_framework.bands_interpreter import BandsInterpreter

    register(BandsInterpreter())
