"""A progress line for long reads: after a second, standard error (when it is a terminal)
shows what is being read, for how long and how many rows so far, and the line is cleared
when the read ends. ``PAT_PROGRESS=0`` turns it off; nothing is shown where output is
redirected, so logs and captured output never hold it."""

from __future__ import annotations

import os
import sys
import threading
import time
from types import TracebackType
from typing import TextIO

from pat_framework.invisible import visible

#: Seconds a read may take before the line is shown, and between two updates of it.
DELAY, EVERY = 1.0, 0.5


class Progress:
    """`with Progress("reading answers.xlsx") as shown: ... shown.rows += n`."""

    def __init__(
        self, what: str, stream: TextIO | None = None, delay: float | None = None
    ) -> None:
        self.what, self.rows = visible(what), 0
        self.stream = sys.stderr if stream is None else stream
        self.delay = DELAY if delay is None else delay
        self._done = threading.Event()
        self._shown = False
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Progress:
        if os.environ.get("PAT_PROGRESS", "1") != "0" and _is_terminal(self.stream):
            self._start = time.monotonic()
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()
        if self._shown:
            self.stream.write("\r\x1b[K")  # leave the terminal as it was
            self.stream.flush()

    def line(self, seconds: float) -> str:
        rows = f", {self.rows:,} rows" if self.rows else ""
        return f"pat: {self.what}… {seconds:.0f} s{rows}"

    def _run(self) -> None:
        if self._done.wait(self.delay):
            return
        while True:
            self._shown = True
            self.stream.write(f"\r{self.line(time.monotonic() - self._start)}\x1b[K")
            self.stream.flush()
            if self._done.wait(EVERY):
                return


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False
