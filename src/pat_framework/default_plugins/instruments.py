"""Default plugin `pat.instruments`: every instrument file in the folders given with
`--instruments-dir` and `PAT_INSTRUMENTS_PATH`."""

from pat_framework.hookspecs import RegisterInstrument, hookimpl


@hookimpl
def register_instruments(register: RegisterInstrument) -> None:
    from pat_framework.runtime.plugins import instrument_dirs

    for folder in instrument_dirs():
        if not folder.is_dir():
            raise NotADirectoryError(f"instruments folder {folder} does not exist")
        for path in sorted(folder.glob("*.toml")):
            register(path)
