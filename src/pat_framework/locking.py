"""One writer at a time for a file that several runs may share (two partners on one laptop,
two windows, two `pat collect` runs): a lock beside the file, held while it is written.

The holder writes its process id and start time into the lock file, so that a second run
can say which process to wait for."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from pat_framework.errors import PatError


def lock_path(path: Path) -> Path:
    """The hidden lock file beside `path` (kept after use: deleting it could let two runs
    hold the lock at once)."""
    return path.parent / f".{path.name}.lock"


@contextlib.contextmanager
def locked(path: Path, wait: float = 0, what: str = "pat run") -> Iterator[None]:
    """Hold the lock of `path` for the block; after `wait` seconds a PatError says that
    another run holds it, naming its process."""
    from filelock import FileLock, Timeout

    lock = FileLock(lock_path(path), timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        waited = f" for {wait:g} s" if wait else ""
        raise PatError(
            f"{path} is being written by another {what}{_holder(lock_path(path))} (its lock "
            f"{lock_path(path).name} is held{waited}): let that one finish, or write to "
            "another file"
        ) from None
    except OSError as exc:
        raise PatError(f"cannot lock {path}: {exc.strerror or exc}") from None
    try:
        _sign(lock_path(path))
        yield
    finally:
        lock.release()


def _sign(lock: Path) -> None:
    """Write this process into the lock file it holds (where the platform lets it)."""
    with contextlib.suppress(OSError), lock.open("r+", encoding="utf-8") as handle:
        handle.write(f"{os.getpid()} {time.strftime('%H:%M:%S')}\n")
        handle.truncate()


def _holder(lock: Path) -> str:
    """' (process 1234, since 10:02:03)' from the lock file, or '' when it says nothing."""
    try:
        pid, since = lock.read_text(encoding="utf-8").split()
    except (OSError, UnicodeError, ValueError):
        return ""
    return f" (process {pid}, since {since})" if pid.isdigit() else ""
