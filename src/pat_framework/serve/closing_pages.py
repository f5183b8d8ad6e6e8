"""Closing a collection from the facilitator's pages, `/f/c/NAME/close`: a confirmation
page that says what closing does, and what cutting the link does for good, then the
change (CSRF-checked, through `facilitators.guarded`, written to the audit log)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pat_framework.errors import PatError
from pat_framework.serve import facilitators, retention, unlinking
from pat_framework.serve.facilitators import Facilitator
from pat_framework.serve.storage import Collection

if TYPE_CHECKING:
    from pat_framework.serve.app import Server

PATH = "/f/c/{name}/close"


def routes(server: Server) -> list[BaseRoute]:
    store = server.store

    def confirmation(
        request: Request, who: Facilitator, collection: Collection, status: int = 200
    ) -> Response:
        held = retention.dates(store, [collection])[collection.id]
        return server.render(
            request,
            "facilitator/close.html",
            status,
            facilitator=who,
            collection=collection,
            keep_until=held.keep_until and unlinking.shown(held.keep_until),
            link_cut_at=held.link_cut_at and unlinking.shown(held.link_cut_at),
        )

    def act(who: Facilitator, collection: Collection, cut: bool) -> str:
        """Close (and cut) and log it; what was done, in words for the page."""
        warning = None
        if cut:
            done = unlinking.cut_link(store, collection)
            said = (
                f"closed, and the link cut: {done.respondents} respondent(s) made anonymous, "
                f"{done.invitations} invitation(s) and {done.events} saved change(s) deleted"
            )
            warning = done.warning
        elif unlinking.close(store, collection):
            said = "closed"
        else:
            return "It was already closed: nothing was changed."
        facilitators.log_change(store, who, collection, said)
        return f"The collection was {said}." + (f" But {warning}." if warning else "")

    @facilitators.guarded(server)
    async def close(request: Request, who: Facilitator, collection: Collection) -> Response:
        if request.method == "GET":
            return await run_in_threadpool(confirmation, request, who, collection)
        form = await server.form(request)
        if form is None:
            return facilitators.out_of_date(server, request, who)
        cut = form.get("cut") == "yes"
        try:
            text = await run_in_threadpool(act, who, collection, cut)
        except PatError as exc:  # the link was cut already
            text = f"Nothing was changed: {exc}."
        return server.render(
            request,
            "facilitator/message.html",
            facilitator=who,
            title=f"Close {collection.name}",
            text=text,
        )

    return [Route(PATH, close, methods=["GET", "POST"])]
