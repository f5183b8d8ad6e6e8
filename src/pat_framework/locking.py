"""One writer at a time for a file that several runs may share (two partners on one laptop,
two windows, two `pat collect` runs): a lock beside the file, held while it is written."""

from __future__ import annotations

import contextlib
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
    another run holds it."""
    from filelock import FileLock, Timeout

    lock = FileLock(lock_path(path), timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        waited = f" for {wait:g} s" if wait else ""
        raise PatError(
            f"{path} is being written by another {what} (its lock {lock_path(path).name} is "
            f"held{waited}): let that one finish, or write to another file"
        ) from None
    except OSError as exc:
        raise PatError(f"cannot lock {path}: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        lock.release()
