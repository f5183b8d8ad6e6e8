"""Default plugin `pat.instruments`: every instrument file in the folders given with
`--instruments-dir` and `PAT_INSTRUMENTS_PATH`."""

from pat_framework.hookspecs import RegisterInstrument, hookimpl


@hookimpl
def register_instruments(register: RegisterInstrument) -> None:
    from pat_framework.instrument.translations import is_companion
    from pat_framework.runtime.plugins import instrument_dirs

    missing = []
    for folder in instrument_dirs():
        if not folder.is_dir():
            missing.append(str(folder))
            continue
        for path in sorted(folder.glob("*.toml")):
            if not is_companion(path):  # odpm.cy.toml is read with odpm.toml
                register(path)
    if missing:  # after the folders that are there, which still load
        raise NotADirectoryError(
            f"no instruments folder {', '.join(missing)} (from --instruments-dir or "
            "PAT_INSTRUMENTS_PATH); the instruments of the other folders are loaded"
        )
