"""The page that makes a new collection, `/f/new`: for facilitators signed in with an
account (the workshop secret opens one collection and makes none). `?from=NAME` fills the
form from a collection this facilitator can see, for a new round of the same workshop.
The room access code of the new collection is shown once, on the page that follows."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pat_framework.errors import PatError
from pat_framework.serve import creation, facilitators
from pat_framework.serve.creation import Filled
from pat_framework.serve.facilitators import Access
from pat_framework.serve.storage import Collection

if TYPE_CHECKING:
    from pat_framework.serve.app import Server

PATH = "/f/new"


def in_order(installed: dict[str, str], chosen: tuple[str, ...]) -> dict[str, str]:
    """The instruments as the form lists them, which is the order they are answered in:
    those chosen first, in their order, then the others by title."""
    first = {ident: installed[ident] for ident in chosen if ident in installed}
    return first | {ident: title for ident, title in installed.items() if ident not in first}


def routes(server: Server) -> list[BaseRoute]:
    store = server.store

    def installed() -> dict[str, str]:
        """The instruments this server has, id → title, by title."""
        registry = server.registry()
        found = {
            ident: registry.get("instrument", ident).title
            for ident in registry.names("instrument")
        }
        return dict(sorted(found.items(), key=lambda pair: (pair[1].lower(), pair[0])))

    def form_page(
        request: Request, access: Access, filled: Filled, status: int = 200, error: str = ""
    ) -> Response:
        return server.render(
            request,
            "facilitator/new.html",
            status,
            facilitator=access.facilitator,
            filled=filled,
            installed=in_order(installed(), filled.instruments),
            partnerships=creation.partnerships(store, access),
            everything=access.everything,
            zone=time.strftime("%Z") or "UTC",
            error=error,
        )

    def origin(access: Access, name: str) -> Collection | None:
        found = store.collection(name) if name else None
        if found is None or not facilitators.may_see(store, access, found):
            return None
        return found

    async def new(request: Request) -> Response:
        access = await facilitators.access_of(server, request)
        if access is None:
            return facilitators.to_sign_in(request)
        if access.collection_id is not None:
            return server.render(
                request,
                "facilitator/message.html",
                403,
                facilitator=access.facilitator,
                title="Sign in with an account",
                text="The workshop secret opens one collection. To make a new collection, "
                "sign in with a facilitator account (pat serve facilitator add).",
            )
        if request.method == "GET":
            source = await run_in_threadpool(origin, access, request.query_params.get("from", ""))
            filled = Filled() if source is None else creation.prefilled(source)
            return await run_in_threadpool(form_page, request, access, filled)
        form = await server.form(request)
        if form is None:
            text = "Nothing was made. Go back, reload the page and try again."
            return facilitators.out_of_date(server, request, access.facilitator, text)
        return await run_in_threadpool(make, request, access, form)

    def make(request: Request, access: Access, form: FormData) -> Response:
        texts = {key: str(form.get(key, ""))[:20_000] for key in creation.FIELDS}
        chosen = [str(value) for value in form.getlist("instrument")][:50]
        allowed = creation.partnerships(store, access)
        new, filled = creation.read_form(
            texts, chosen, installed(), allowed, access.everything, origin(access, texts["from"])
        )
        if new is not None:
            try:
                for ident in new.instruments:
                    server.instrument(ident)
            except PatError as exc:
                filled.problems["instruments"] = f"That instrument cannot be used here: {exc}."
                new = None
        if new is None:
            return form_page(request, access, filled, 400, "Nothing was made yet.")
        made = creation.create(store, new)
        if made is None:
            filled.problems["name"] = (
                f"A collection named {new.name} exists already: choose another name."
            )
            return form_page(request, access, filled, 400, "Nothing was made yet.")
        code = store.new_room_code(made)
        facilitators.log_change(store, access.facilitator, made, f"made collection {made.name}")
        return server.render(
            request,
            "facilitator/made.html",
            201,
            facilitator=access.facilitator,
            collection=made,
            code=code,
            room=f"{str(request.base_url).rstrip('/')}/c/{made.name}",
        )

    return [Route(PATH, new, methods=["GET", "POST"])]
