"""What the pat serve tests share: a store on SQLite or PostgreSQL, an app client, and
answering the ODPM tool the way a respondent does."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

#: A throwaway PostgreSQL database (`.ci/run` starts one); without it PostgreSQL tests
#: skip locally, and fail in CI.
POSTGRES_URL = os.environ.get("PAT_TEST_POSTGRES_URL", "")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
BACKENDS = ["sqlite", "postgresql"]


def need(condition: bool, reason: str) -> None:
    """Skip without `condition` locally; in CI a missing part is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh empty database: a SQLite file, or a PostgreSQL schema of its own (dropped
    after), so that tests on two workers never meet."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'serve.db'}"
        return
    need(bool(POSTGRES_URL), "PAT_TEST_POSTGRES_URL is not set (no PostgreSQL server)")
    import sqlalchemy as sa

    from pat_framework.serve.storage import engine_url

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(engine_url(POSTGRES_URL))
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, html[:500]
    return found.group(1)
