"""Shared fixtures: the registry, the ODPM instrument, and writing answer sheets."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from pat_framework.model import Instrument
from pat_framework.runtime.registry import Registry, build_registry

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ODPM_SAMPLE = EXAMPLES / "responses" / "odpm-sample.csv"
#: The type of the `pat_cli` fixture (pat_framework.pytest_plugin): `pat_cli("score", ...)`.
PatCli = Callable[..., Result]


@pytest.fixture(scope="session")
def sample_workshop(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The sample workshop run once per test process, as `make demo` runs it (every
    format), into a folder of its own: the report folder and what `pat run` printed."""
    from pat_framework.testing import invoke

    out = tmp_path_factory.mktemp("sample-workshop")
    result = invoke("run", str(EXAMPLES / "workshop" / "anytown.toml"), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out, result.stderr


@pytest.fixture(scope="session")
def registry() -> Registry:
    return build_registry()


@pytest.fixture(scope="session")
def odpm(registry: Registry) -> Instrument:
    return registry.instrument("pat-odpm")


@pytest.fixture
def write_sheet(tmp_path: Path) -> Callable[..., Path]:
    """Write rows (dicts) as a wide CSV sheet and return its path."""

    def write(rows: list[dict[str, Any]], name: str = "answers.csv") -> Path:
        path = tmp_path / name
        columns = list(dict.fromkeys(key for row in rows for key in row))
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        return path

    return write


def odpm_row(
    respondent: str, answers: dict[str, Any] | None = None, fill: Any = "A", **attributes: Any
) -> dict[str, Any]:
    """A wide ODPM row: every statement answered `fill` unless given in `answers`."""
    row: dict[str, Any] = {"respondent": respondent, **attributes}
    for p in range(1, 7):
        for element in "ABCDEF":
            row[f"P{p}{element}"] = fill
    row.update(answers or {})
    return row
