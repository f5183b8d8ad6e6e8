"""What keeps `pat serve` safe: security headers and a Content-Security-Policy without
inline script, a request size limit, CSRF tokens, cookie settings, rate limits on
invitation and access-code attempts, and an access log that never shows a token."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Protocol

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SESSION_COOKIE = "pat_session"
CSRF_COOKIE = "pat_csrf"
CSRF_FIELD = "csrf"
#: A respondent's form is a few kilobytes; comments are limited to COMMENT_LIMIT characters.
MAX_BODY = 64 * 1024
COMMENT_LIMIT = 2000
SESSION_DAYS = 180
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
HSTS = "max-age=31536000"
#: The headers as the ASGI server takes them, worked out once.
_HEADERS = [(k.encode(), v.encode()) for k, v in HEADERS.items()]
_NO_STORE = (b"cache-control", b"no-store")
_HSTS = (b"strict-transport-security", HSTS.encode())
TOKEN_PATH = re.compile(r"^/i/[^/?]+")
access_log = logging.getLogger("pat.serve.access")


def is_https(scope: Scope) -> bool:
    return scope.get("scheme") == "https"


class Protect:
    """ASGI middleware: security headers on every response, no caching of pages, HSTS over
    HTTPS, bodies over MAX_BODY refused with 413, and one access-log line per request with
    invitation tokens replaced by `…`."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = TOKEN_PATH.sub("/i/…", scope.get("path", ""))
        status = {"code": 0}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = list(_HEADERS)
                if not path.startswith("/static/"):
                    extra.append(_NO_STORE)
                if is_https(scope):
                    extra.append(_HSTS)
                headers += [(k, v) for k, v in extra if k not in present]
                message["headers"] = headers
            await send(message)

        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await _too_large(send_with_headers)
        else:
            body, complete = await _read_body(receive, self.max_body)
            if not complete:
                await _too_large(send_with_headers)
            else:
                await self.app(scope, _replay(body, receive), send_with_headers)
        access_log.info("%s %s %s", scope.get("method", ""), path, status["code"])


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """The request body, and False when it is longer than `limit`."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), True
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", False
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def again() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return again


async def _too_large(send: Send) -> None:
    text = b"Request too large."
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(text)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": text})


def new_csrf_cookie() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(secret: bytes, cookie: str) -> str:
    """The token a form carries: the CSRF cookie signed with the server's secret."""
    return hmac.new(secret, cookie.encode(), hashlib.sha256).hexdigest()


def csrf_ok(secret: bytes, cookie: str | None, given: str | None) -> bool:
    if not cookie or not given:
        return False
    return hmac.compare_digest(csrf_token(secret, cookie), given)


def cookie_options(scope: Scope, max_age: int | None = None) -> dict[str, Any]:
    """HttpOnly, SameSite=Strict, and Secure when the request came over HTTPS."""
    return {
        "httponly": True,
        "samesite": "strict",
        "secure": is_https(scope),
        "path": "/",
        "max_age": max_age,
    }


class Attempts(Protocol):
    """Where failed attempts are counted (the database: `Store`)."""

    def attempts(self, client: str, since: datetime.datetime) -> list[datetime.datetime]: ...

    def add_attempt(
        self, client: str, at: datetime.datetime, forget: datetime.datetime
    ) -> None: ...


class RateLimit:
    """At most `limit` failed attempts per client in `window` seconds. They are counted in
    the database, so every worker on it and a server started again see the same count; a
    client is kept as a keyed hash of the kind of attempt and its address, never the
    address itself."""

    def __init__(
        self, store: Attempts, secret: bytes, limit: int = 10, window: float = 300.0
    ) -> None:
        self.store, self.secret = store, secret
        self.limit, self.window = limit, datetime.timedelta(seconds=window)

    def _client(self, key: str) -> str:
        return hmac.new(self.secret, key.encode(), hashlib.sha256).hexdigest()

    def retry_after(self, key: str) -> int:
        """0 when `key` may try again now, else the seconds until it may."""
        moment = datetime.datetime.now(datetime.UTC)
        times = self.store.attempts(self._client(key), moment - self.window)
        if len(times) < self.limit:
            return 0
        return max(1, int((times[-self.limit] + self.window - moment).total_seconds()) + 1)

    def failed(self, key: str) -> None:
        moment = datetime.datetime.now(datetime.UTC)
        self.store.add_attempt(self._client(key), moment, moment - self.window)
