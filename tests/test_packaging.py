"""The distribution ships every module and data file: packages are found, not listed, and
a file a wheel left out would be missing even though an editable install hides it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ("*.py", "*.toml", "*.json", "py.typed")


@pytest.mark.slow
def test_the_wheel_holds_every_module_and_data_file(tmp_path: Path) -> None:
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("pat_framework-*.whl")
    inside = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        str(path.relative_to(base)).replace("\\", "/")
        for base in (ROOT / "src", ROOT / "plugins")
        for pattern in SHIPPED
        for path in base.rglob(pattern)
        if "__pycache__" not in path.parts and ".egg-info" not in str(path)
    }
    assert "pat_framework/instrument/schema/instrument.schema.json" in expected
    assert "pat_odpm/pat-odpm.toml" in expected
    assert sorted(expected - inside) == []
