"""The distribution ships every package: a folder left out of pyproject would be missing
from a wheel even though an editable install hides it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setuptools() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["tool"]["setuptools"]


def test_every_package_folder_is_listed() -> None:
    config = _setuptools()
    listed = set(config["packages"])
    for package, folder in config["package-dir"].items():
        base = ROOT / folder
        for init in base.rglob("__init__.py"):
            relative = init.parent.relative_to(base)
            name = ".".join((package, *relative.parts))
            assert name in listed, f"{name} ({init.parent}) is not in [tool.setuptools] packages"


def test_every_listed_package_has_a_folder() -> None:
    config = _setuptools()
    folders = config["package-dir"]
    for name in config["packages"]:
        top, *rest = name.split(".")
        folder = ROOT / folders[name] if name in folders else ROOT / folders[top] / Path(*rest)
        assert folder.is_dir(), f"{name}: no folder at {folder}"
