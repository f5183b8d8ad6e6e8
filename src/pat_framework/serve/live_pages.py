"""The live results dashboard of a collection, under `/f/c/NAME/live`: the page, the
`live.json` its script polls (the same figures, and the page's results part as HTML), and
each instrument's main chart as SVG. Every one starts with `facilitators.guarded`; none
changes anything, so none writes to the audit log. What is shown when: `serve.live`."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from pat_framework.catalogue import _, speaking
from pat_framework.serve import facilitators
from pat_framework.serve.facilitators import Facilitator
from pat_framework.serve.live import POLL_SECONDS, Dashboard, Live, group_label
from pat_framework.serve.storage import Collection

if TYPE_CHECKING:
    from pat_framework.serve.app import Server

BASE = "/f/c/{name}/live"
RESULTS = "facilitator/live_results.html"
SVG = "image/svg+xml"


def context(dashboard: Dashboard) -> dict[str, Any]:
    """What the page and its results part are drawn from."""
    return {
        "collection": dashboard.collection,
        "counts": dashboard.counts,
        "results": dashboard.results,
        "analysed": dashboard.analysed,
        "closed": dashboard.closed,
        "group_label": group_label,
        "base": BASE.format(name=dashboard.collection.name),
    }


def submitted_words(dashboard: Dashboard) -> str:
    """The submitted count in words, as the page shows it."""
    shown = dashboard.counts
    if shown.submitted is None:
        return _("fewer than %(n)s submitted") % {"n": shown.step}
    return _("at least %(n)s submitted") % {"n": shown.submitted}


def summary(dashboard: Dashboard) -> dict[str, Any]:
    """The dashboard's figures as data: every count as the page shows it (None where the
    page says "fewer than"), the groups shown, and each instrument's headline."""
    shown = dashboard.counts
    return {
        "step": shown.step,
        "respondents": shown.respondents,
        "started": shown.started,
        "submitted": shown.submitted,
        "analysed": dashboard.analysed,
        "groups": {
            attribute: [
                {
                    "group": group_label(g.group),
                    "respondents": g.respondents,
                    "started": g.started,
                    "submitted": g.submitted,
                }
                for g in tallies
            ]
            for attribute, tallies in shown.groups.items()
        },
        "hidden": shown.hidden,
        "closed": dashboard.closed,
        "instruments": [
            {
                "id": r.instrument_id,
                "title": r.title,
                "headline": r.headline.title if r.headline else None,
                "withheld": r.withheld or None,
                "chart": r.figure.name if r.figure else None,
            }
            for r in dashboard.results
        ],
    }


def routes(server: Server) -> list[BaseRoute]:
    live = Live(server.store)

    def results_html(dashboard: Dashboard) -> str:
        with speaking("en"):
            return server.templates.get_template(RESULTS).render(**context(dashboard))

    def version_of(html: str) -> str:
        return hashlib.sha256(html.encode()).hexdigest()[:16]

    @facilitators.guarded(server)
    async def page(request: Request, who: Facilitator, collection: Collection) -> Response:
        dashboard = await run_in_threadpool(live.dashboard, collection)
        html = results_html(dashboard)
        return server.render(
            request,
            "facilitator/live.html",
            facilitator=who,
            version=version_of(html),
            every=POLL_SECONDS,
            **context(dashboard),
        )

    @facilitators.guarded(server)
    async def data(request: Request, _who: Facilitator, collection: Collection) -> Response:
        dashboard = await run_in_threadpool(live.dashboard, collection)
        html = results_html(dashboard)
        with speaking("en"):
            said = submitted_words(dashboard)
        reply = {"version": version_of(html), **summary(dashboard), "said": said, "html": html}
        return JSONResponse(reply)

    @facilitators.guarded(server)
    async def chart(request: Request, _who: Facilitator, collection: Collection) -> Response:
        dashboard = await run_in_threadpool(live.dashboard, collection)
        result = dashboard.result(request.path_params["instrument"])
        if result is None or result.figure is None:
            return server.render(
                request,
                "facilitator/message.html",
                404,
                title="Not found",
                text="There is no such chart: results are shown once enough have submitted.",
            )
        return Response(result.figure.svg, media_type=SVG)

    return [
        Route(BASE, page),
        Route(BASE + ".json", data),
        Route(BASE + "/{instrument}.svg", chart),
    ]
