"""The invitation pages of a collection, under `/f/c/NAME/invitations`: make invitations
from a pasted or uploaded list (the links shown once, as a mail-merge CSV or printable
slips with a QR code each), each invitation's stage, revoke and reissue, and the reminders
CSV. Every page starts with `facilitators.guarded`; every change goes to the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from pat_framework.errors import PatError
from pat_framework.serve import facilitators, invitations, unlinking
from pat_framework.serve.facilitators import Facilitator
from pat_framework.serve.storage import Collection

if TYPE_CHECKING:
    from pat_framework.serve.app import Server

BASE = "/f/c/{name}/invitations"


def attachment(filename: str) -> str:
    return f'attachment; filename="{filename}"'


def routes(server: Server) -> list[BaseRoute]:
    store = server.store

    def base_url(request: Request) -> str:
        return str(request.base_url).rstrip("/")

    def overview(
        request: Request,
        who: Facilitator,
        collection: Collection,
        status: int = 200,
        error: str = "",
        text: str = "",
    ) -> Response:
        shown = invitations.listed(store, collection)
        cut = unlinking.link_cut_at(store, collection)
        return server.render(
            request,
            "facilitator/invitations.html",
            status,
            facilitator=who,
            collection=collection,
            invitations=shown,
            error=error,
            text=text,
            link_cut_at=cut and unlinking.shown(cut),
        )

    def issued_page(
        request: Request,
        who: Facilitator,
        collection: Collection,
        issued: list[invitations.Issued],
        how: str,
    ) -> Response:
        base = base_url(request)
        if how == "csv":
            response = Response(
                invitations.links_csv(issued, base),
                media_type="text/csv; charset=utf-8",
                headers={"content-disposition": attachment(f"{collection.name}-invitations.csv")},
            )
            return response
        slips = [(one, f"{base}/i/{one.token}") for one in issued]
        qrs = {one.id: invitations.qr_svg(link) for one, link in slips}
        from markupsafe import Markup

        return server.render(
            request,
            "facilitator/slips.html",
            facilitator=who,
            collection=collection,
            slips=slips,
            qrs={k: Markup(v) for k, v in qrs.items()},
        )

    @facilitators.guarded(server)
    async def page(request: Request, who: Facilitator, collection: Collection) -> Response:
        if request.method == "GET":
            return await run_in_threadpool(overview, request, who, collection)
        form = await server.form(request)
        if form is None:
            return facilitators.out_of_date(server, request, who)
        text = str(form.get("list", ""))
        upload = form.get("file")
        if upload is not None and not isinstance(upload, str):
            data = await upload.read()
            if data:
                text = data.decode("utf-8-sig", errors="replace")
        how = "csv" if form.get("how") == "csv" else "slips"
        try:
            await run_in_threadpool(
                unlinking.refuse_if_cut, store, collection, "no invitation can be made"
            )
            people = invitations.read_list(text, collection)
        except PatError as exc:
            return await run_in_threadpool(
                overview, request, who, collection, 400, f"Nothing was made: {exc}.", text
            )
        issued = await run_in_threadpool(invitations.create, store, collection, people)
        await run_in_threadpool(
            facilitators.log_change, store, who, collection, f"made {len(issued)} invitation(s)"
        )
        return issued_page(request, who, collection, issued, how)

    @facilitators.guarded(server)
    async def change(request: Request, who: Facilitator, collection: Collection) -> Response:
        form = await server.form(request)
        if form is None:
            return facilitators.out_of_date(server, request, who)
        ident, action = request.path_params["ident"], request.path_params["action"]
        if action not in ("revoke", "reissue"):
            return facilitators.not_found(server, request)
        try:
            if action == "revoke":
                await run_in_threadpool(invitations.revoke, store, collection, ident)
                issued = None
            else:
                issued = await run_in_threadpool(invitations.reissue, store, collection, ident)
        except PatError:
            return facilitators.not_found(server, request)
        done = "revoked" if action == "revoke" else "reissued"
        await run_in_threadpool(
            facilitators.log_change, store, who, collection, f"{done} invitation {ident}"
        )
        if issued is None:
            return RedirectResponse(BASE.format(name=collection.name), status_code=303)
        return issued_page(request, who, collection, [issued], "slips")

    @facilitators.guarded(server)
    async def reminders(request: Request, who: Facilitator, collection: Collection) -> Response:
        cut = await run_in_threadpool(unlinking.link_cut_at, store, collection)
        if cut is not None:
            return server.render(
                request,
                "facilitator/message.html",
                410,
                facilitator=who,
                title="No reminders",
                text=f"The link between invitations and answers was cut on "
                f"{unlinking.shown(cut)}: no one is known to remind.",
            )
        text = await run_in_threadpool(invitations.reminders_csv, store, collection)
        return Response(
            text,
            media_type="text/csv; charset=utf-8",
            headers={
                "content-disposition": f'attachment; filename="{collection.name}-reminders.csv"'
            },
        )

    return [
        Route(BASE, page, methods=["GET", "POST"]),
        Route(BASE + "/reminders.csv", reminders),
        Route(BASE + "/{ident:int}/{action:str}", change, methods=["POST"]),
    ]
