"""Installing plugin packages with pip and running `pat` beside them, in fresh processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

#: What a build leaves in the source folder; never copied.
BUILD_LEFTOVERS = shutil.ignore_patterns("build", "*.egg-info", "__pycache__", ".pytest_cache")


def copy_package(source: Path, into: Path) -> Path:
    """The package folder as shipped, copied: pip builds in the source tree, and the work
    tree must stay clean (and other test runs may be building at the same time)."""
    return Path(shutil.copytree(source, into / source.name, ignore=BUILD_LEFTOVERS))


def pip_install(package: Path, target: Path) -> None:
    """`pip install --target`, offline: the venv's setuptools builds it (see pyproject's
    test extra)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            str(package),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"pip could not install {package}:\n{result.stderr}"


def clean_env(site: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAT_")}
    env["PYTHONPATH"] = str(site)
    return env


def run(site: Path, *args: str | Path) -> Any:
    """`python -m pat_framework ARGS` with the installed plugin on the path."""
    return subprocess.run(
        [sys.executable, "-m", "pat_framework", *map(str, args)],
        capture_output=True,
        text=True,
        env=clean_env(site),
        timeout=120,
    )
