"""Start uvicorn on the application, and the QR code of an address."""

from __future__ import annotations

import io
import os

from pat_framework.errors import PatError
from pat_framework.serve.app import DB_VARIABLE


def qr_text(url: str) -> str:
    """A QR code of `url` drawn with text blocks, for the terminal."""
    import segno

    picture = io.StringIO()
    segno.make(url).terminal(out=picture, compact=True)
    return picture.getvalue()


def run_server(url: str, host: str, port: int, workers: int, behind_proxy: bool) -> None:
    """Serve the database at `url` until stopped. uvicorn's access log is off: the
    application writes its own (`pat.serve.access`), in which no token appears."""
    import uvicorn

    os.environ[DB_VARIABLE] = url
    try:
        uvicorn.run(
            "pat_framework.serve.app:factory",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=False,
            log_level="warning",
            proxy_headers=behind_proxy,
            forwarded_allow_ips="127.0.0.1" if behind_proxy else None,
            server_header=False,
        )
    except OSError as exc:
        raise PatError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
