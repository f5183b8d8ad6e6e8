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


def serving(tmp_path: Path, *arguments: str) -> Iterator[tuple[str, str, str]]:
    """A real `pat ARGUMENTS --db … --port … --invite 1` on a free loopback port, until
    the generator is closed: (base URL, the invitation link, the database URL)."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    db = f"sqlite:///{tmp_path / 'serve.db'}"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    pat = Path(sys.executable).with_name("pat")
    process = subprocess.Popen(
        [str(pat), *arguments, "--db", db, "--port", str(port), "--invite", "1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    link = ""
    for line in process.stdout:
        link = line.split("invitation: ")[-1].strip() if "invitation:" in line else link
        if "serving on" in line:
            break
    base = f"http://127.0.0.1:{port}"
    link = re.sub(r"^http://127\.0\.0\.1:\d+", base, link)
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield base, link, db
    finally:
        process.terminate()
        process.wait(timeout=10)
