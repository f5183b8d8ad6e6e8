"""The facilitator's pages under `/f/`: sign in (with an account or the workshop's secret),
sign out, and the collections this facilitator may see. Every other facilitator page
starts with `facilitators.guarded`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from pat_framework.serve import facilitators, retention
from pat_framework.serve.app import client
from pat_framework.serve.unlinking import shown as shown_at

if TYPE_CHECKING:
    from pat_framework.serve.app import Server

#: Where a sign-in may lead back to: a facilitator page, never another site.
NEXT = re.compile(r"^/f/[A-Za-z0-9/_-]*$")
WRONG = "That name and password, or that secret, is not right."


def routes(server: Server) -> list[BaseRoute]:
    """The sign-in, sign-out and collections pages, the invitation pages, the new
    collection page and the close page."""
    from pat_framework.serve.closing_pages import routes as closing_routes
    from pat_framework.serve.creation_pages import routes as creation_routes
    from pat_framework.serve.invitation_pages import routes as invitation_routes

    async def sign_in(request: Request) -> Response:
        wanted = request.query_params.get("next", "")
        error = ""
        status = 200
        if request.method == "POST":
            key = f"facilitator:{client(request)}"
            wait = await run_in_threadpool(server.limit.retry_after, key)
            if wait:
                response = page(
                    request,
                    "facilitator/message.html",
                    429,
                    title="Too many attempts",
                    text="Please wait a few minutes and try again.",
                )
                response.headers["retry-after"] = str(wait)
                return response
            form = await server.form(request)
            if form is None:
                return facilitators.out_of_date(server, request, None)
            secret = str(form.get("secret", ""))[:64]
            name = str(form.get("name", ""))[:128]
            password = str(form.get("password", ""))[:1024]
            if secret.strip():
                token = await run_in_threadpool(facilitators.sign_in_secret, server.store, secret)
            else:
                token = await run_in_threadpool(
                    facilitators.sign_in_password, server.store, name, password
                )
            if token is not None:
                wanted = str(form.get("next", ""))
                target = wanted if NEXT.match(wanted) else "/f/"
                response = RedirectResponse(target, status_code=303)
                facilitators.set_cookie(request, response, token)
                return response
            await run_in_threadpool(server.limit.failed, key)
            error, status = WRONG, 400
            wanted = str(form.get("next", ""))
        return page(
            request,
            "facilitator/sign_in.html",
            status,
            error=error,
            next=wanted if NEXT.match(wanted) else "",
        )

    async def sign_out(request: Request) -> Response:
        form = await server.form(request)
        if form is None:
            return facilitators.out_of_date(server, request, None)
        token = request.cookies.get(facilitators.COOKIE)
        if token:
            await run_in_threadpool(facilitators.sign_out, server.store, token[:64])
        response = RedirectResponse(facilitators.SIGN_IN, status_code=303)
        response.delete_cookie(facilitators.COOKIE, path=facilitators.COOKIE_PATH)
        return response

    async def home(request: Request) -> Response:
        access = await facilitators.access_of(server, request)
        if access is None:
            return facilitators.to_sign_in(request)
        shown = await run_in_threadpool(facilitators.visible, server.store, access)
        held = await run_in_threadpool(retention.dates, server.store, shown)
        return page(
            request,
            "facilitator/collections.html",
            collections=shown,
            dates={
                ident: (d.keep_until and shown_at(d.keep_until), d.link_cut_at is not None)
                for ident, d in held.items()
            },
            facilitator=access.facilitator,
        )

    def page(request: Request, template: str, status: int = 200, **context: object) -> Response:
        return server.render(request, template, status, **context)

    return [
        Route("/f/", home),
        Route("/f/sign-in", sign_in, methods=["GET", "POST"]),
        Route("/f/sign-out", sign_out, methods=["POST"]),
        *invitation_routes(server),
        *creation_routes(server),
        *closing_routes(server),
    ]
