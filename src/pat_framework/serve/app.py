"""The respondent's side of `pat serve`: a Starlette application, server-rendered pages
that work without JavaScript, and `/r/save` for the page's own script.

A respondent gets in through an invitation link (`/i/TOKEN`) or a room (`/c/NAME` and the
access code); either way the browser then holds the respondent's token in an HttpOnly
cookie, and every page under `/r` shows and changes only that respondent's answers.
"""

from __future__ import annotations

import os
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from pat_framework.catalogue import gettext, speaking
from pat_framework.languages import language_name
from pat_framework.model import Instrument, Item, Section
from pat_framework.serve import erasure, privacy, security
from pat_framework.serve.storage import (
    Collection,
    Respondent,
    Saved,
    Store,
    StoreError,
    now,
)

if TYPE_CHECKING:
    from pat_framework.runtime.registry import Registry

#: The environment variable a uvicorn worker reads the database URL from.
DB_VARIABLE = "PAT_SERVE_DB"
ATTRIBUTES = ("organisation", "level")
FORM = "application/x-www-form-urlencoded"
ENDED = "Your session has ended: open your link again."
#: The cookie holding the language a respondent chose (not a secret: read by no script).
LANGUAGE_COOKIE = "pat_language"


@dataclass(frozen=True)
class Page:
    """One page of a collection's questionnaire: a section of one instrument."""

    number: int
    instrument: Instrument
    section: Section


class Server:
    """What every request needs: the store, the instruments, the templates, the limits."""

    def __init__(self, store: Store, instruments: dict[str, Instrument]) -> None:
        self.store = store
        self.instruments = instruments
        self.secret = store.secret()
        self.limit = security.RateLimit(store, self.secret)
        self._pages: dict[tuple[str, ...], list[Page]] = {}
        self._shown: dict[tuple[str, str], Instrument] = {}
        self._registry: Registry | None = None
        self.templates = Environment(
            loader=PackageLoader("pat_framework.serve", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates.globals["_"] = page_words

    def pages(self, collection: Collection) -> list[Page]:
        """The collection's pages, a section each (worked out once per process)."""
        pages = self._pages.get(collection.instruments)
        if pages is None:
            pages = []
            for ident in collection.instruments:
                instrument = self.instrument(ident)
                for section in instrument.sections:
                    pages.append(Page(len(pages) + 1, instrument, section))
            self._pages[collection.instruments] = pages
        return pages

    def shown(self, page: Page, language: str) -> Page:
        """The page in `language`, when its instrument has it (answers stay stored in the
        default language's labels, so a switch loses nothing)."""
        if language not in page.instrument.languages:
            return page
        key = (page.instrument.id, language)
        instrument = self._shown.get(key)
        if instrument is None:
            instrument = self._shown[key] = page.instrument.in_language(language)
        return Page(page.number, instrument, instrument.section(page.section.id))

    def language(self, request: Request, pages: list[Page]) -> tuple[str, tuple[str, ...]]:
        """The language to show and the languages to offer: one asked for in `?lang=`,
        else the one chosen before (a cookie), else the browser's, else the default."""
        offered = offered_languages(pages)
        if not offered:
            return "", ()
        asked = [request.query_params.get("lang"), request.cookies.get(LANGUAGE_COOKIE)]
        asked += [
            part.split(";")[0].strip()
            for part in request.headers.get("accept-language", "").split(",")
        ]
        for wanted in asked:
            for tag in offered:
                if wanted and (wanted == tag or wanted.split("-")[0].lower() == tag.lower()):
                    return tag, offered
        return offered[0], offered

    def instrument(self, ident: str) -> Instrument:
        """An instrument by id; one that a collection opened after the start uses is loaded
        from the installed plugins when it is first needed."""
        found = self.instruments.get(ident)
        if found is None:
            found = self.instruments[ident] = self.registry().instrument(ident)
        return found

    def registry(self) -> Registry:
        """The installed plugins' registry, built when first needed."""
        if self._registry is None:
            from pat_framework.runtime.registry import build_registry

            self._registry = build_registry()
        return self._registry

    def render(
        self, request: Request, template: str, status: int = 200, **context: Any
    ) -> HTMLResponse:
        """A page with the CSRF token of this browser (a new CSRF cookie if it has none)."""
        cookie = request.cookies.get(security.CSRF_COOKIE)
        fresh = cookie is None
        if cookie is None:
            cookie = security.new_csrf_cookie()
        context.setdefault("lang", "en")
        context.setdefault("languages", ())
        context["language_names"] = {tag: language_name(tag) for tag in context["languages"]}
        with speaking(context["lang"]):
            html = self.templates.get_template(template).render(
                csrf=security.csrf_token(self.secret, cookie), path=request.url.path, **context
            )
        response = HTMLResponse(html, status_code=status)
        if fresh:
            response.set_cookie(
                security.CSRF_COOKIE, cookie, **security.cookie_options(request.scope)
            )
        if context["languages"] and request.query_params.get("lang") == context["lang"]:
            remember_language(request, response, context["lang"])
        return response

    def message(self, request: Request, status: int, title: str, text: str) -> HTMLResponse:
        return self.render(request, "message.html", status, title=title, text=text)

    async def form(self, request: Request) -> FormData | None:
        """The posted form when its CSRF token matches this browser's, else None. The
        pages and the script post URL-encoded forms, read here at the cost of the standard
        library's parser; anything else goes through Starlette's."""
        if request.headers.get("content-type", "").startswith(FORM):
            text = (await request.body()).decode(errors="replace")
            form = FormData([(k, v) for k, v in parse_qsl(text, keep_blank_values=True)])
        else:
            form = await request.form()
        given = form.get(security.CSRF_FIELD)
        cookie = request.cookies.get(security.CSRF_COOKIE)
        if security.csrf_ok(self.secret, cookie, given if isinstance(given, str) else None):
            return form
        return None

    async def who(self, request: Request) -> tuple[Respondent, Collection] | None:
        token = request.cookies.get(security.SESSION_COOKIE)
        if not token:
            return None
        return await run_in_threadpool(self.store.visit, token)


def page_words(text: str, **fields: Any) -> Markup:
    """`_("…%(name)s…", name=value)` in a template: pat's words in the page's language
    (the catalogue's), with each field's value escaped."""
    said = Markup(gettext(text))  # a template's own text, or its translation
    return said % fields if fields else said


def client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def offered_languages(pages: list[Page]) -> tuple[str, ...]:
    """The languages every instrument of the collection that names languages has."""
    named = [p.instrument.languages for p in pages if p.instrument.languages]
    return tuple(tag for tag in named[0] if all(tag in n for n in named)) if named else ()


def remember_language(request: Request, response: Response, language: str) -> None:
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        **security.cookie_options(request.scope, max_age=security.SESSION_DAYS * 86400),
    )


def shown_answers(
    pages: list[Page], shown: list[Page], saved: dict[tuple[str, str], Saved]
) -> dict[tuple[str, str], str]:
    """Each stored answer (a default-language label) as the shown language labels it."""
    out: dict[tuple[str, str], str] = {}
    for page, page_shown in zip(pages, shown, strict=True):
        for item, item_shown in zip(page.section.items, page_shown.section.items, strict=True):
            answer = saved.get((page.instrument.id, item.id), Saved(None, None)).answer
            for option, option_shown in zip(
                item.scale.options, item_shown.scale.options, strict=True
            ):
                if answer == option.label:
                    out[(page.instrument.id, item.id)] = option_shown.label
    return out


def lang_of(instrument: Instrument | None) -> str:
    """The page language: the instrument's language, its `language` option, else English."""
    if instrument is not None and instrument.language:
        return instrument.language
    if instrument is not None:
        language = instrument.options.get("language")
        if isinstance(language, str) and language:
            return language
    return "en"


def wanted_attributes(collection: Collection) -> list[tuple[str, tuple[str, ...]]]:
    lists = (("organisation", collection.organisations), ("level", collection.levels))
    return [(name, labels) for name, labels in lists if labels]


def counts(pages: list[Page], saved: dict[tuple[str, str], Saved]) -> tuple[int, int]:
    """Statements answered and statements in all."""
    items = [(p.instrument.id, i.id) for p in pages for i in p.section.items]
    answered = sum(1 for key in items if key in saved and saved[key].answer is not None)
    return answered, len(items)


def build_app(store: Store, instruments: dict[str, Instrument]) -> Starlette:
    """The application for a migrated store and the instruments its collections use."""
    from pat_framework.serve.facilitator_pages import routes as facilitator_routes
    from pat_framework.serve.live_pages import routes as live_routes
    from pat_framework.serve.room_pages import routes as room_routes

    server = Server(store, instruments)

    async def home(request: Request) -> Response:
        return server.message(
            request,
            200,
            "Partnership assessment",
            "Open the invitation link you were sent, or the room link your facilitator shows.",
        )

    async def room(request: Request) -> Response:
        name = request.path_params["name"]
        collection = await run_in_threadpool(store.collection, name)
        if collection is None:
            return server.message(request, 404, "Not found", "There is no such collection.")
        error = ""
        if request.method == "POST":
            key = f"code:{client(request)}"
            wait = await run_in_threadpool(server.limit.retry_after, key)
            if wait:
                return too_many(request, wait)
            form = await server.form(request)
            if form is None:
                return forbidden(request)
            code = str(form.get("code", ""))[:64]
            token = await run_in_threadpool(store.join_room, collection, code)
            if token is not None:
                response = RedirectResponse("/r", status_code=303)
                set_session(request, response, token)
                return response
            await run_in_threadpool(server.limit.failed, key)
            error = "That access code is not right. Check it with your facilitator."
        status = 400 if error else 200
        notice = await run_in_threadpool(privacy.notice, store, collection)
        return server.render(
            request, "room.html", status, collection=collection, error=error, privacy=notice
        )

    async def privacy_page(request: Request) -> Response:
        collection = await run_in_threadpool(store.collection, request.path_params["name"])
        notice = (
            []
            if collection is None
            else await run_in_threadpool(privacy.notice, store, collection)
        )
        if collection is None or not notice:
            return server.message(request, 404, "Not found", "There is no such privacy notice.")
        return server.render(request, "privacy.html", collection=collection, privacy=notice)

    async def invitation(request: Request) -> Response:
        key = f"token:{client(request)}"
        wait = await run_in_threadpool(server.limit.retry_after, key)
        if wait:
            return too_many(request, wait)
        token = request.path_params["token"][:64]
        found = await run_in_threadpool(store.visit, token)
        if found is None:
            await run_in_threadpool(server.limit.failed, key)
            return server.message(
                request,
                404,
                "This link does not work",
                "Check that the whole link was copied, or ask your facilitator for a new one.",
            )
        respondent, collection = found
        language, languages = server.language(request, server.pages(collection))
        notice = await run_in_threadpool(privacy.notice, store, collection)
        response = server.render(
            request,
            "welcome.html",
            lang=language or "en",
            languages=languages,
            collection=collection,
            respondent=respondent,
            privacy=notice,
        )
        set_session(request, response, token)
        return response

    async def start(request: Request) -> Response:
        found = await server.who(request)
        if found is None:
            return no_session(request)
        respondent, collection = found
        if any(getattr(respondent, name) is None for name, _ in wanted_attributes(collection)):
            return RedirectResponse("/r/about", status_code=303)
        if respondent.submitted_at is not None:
            return RedirectResponse("/r/review", status_code=303)
        if respondent.position is None:  # groups given by the invitation: started now
            await run_in_threadpool(store.update_respondent, respondent.id, first_seen_at=now())
        position = respondent.position or ""
        number = int(position) if position.isdigit() else 1
        number = min(max(number, 1), len(server.pages(collection)))
        return RedirectResponse(f"/r/s/{number}", status_code=303)

    async def about(request: Request) -> Response:
        found = await server.who(request)
        if found is None:
            return no_session(request)
        respondent, collection = found
        questions = wanted_attributes(collection)
        chosen = {name: getattr(respondent, name) for name, _ in questions}
        error = ""
        if request.method == "POST":
            form = await server.form(request)
            if form is None:
                return forbidden(request)
            if collection.state() != "open":
                return closed(request, collection)
            chosen = {name: _text(form.get(name)) for name, _ in questions}
            wrong = [name for name, labels in questions if chosen[name] not in labels]
            if not wrong:
                try:
                    await run_in_threadpool(
                        store.update_respondent, respondent.id, first_seen_at=now(), **chosen
                    )
                except StoreError:
                    error = "Your choice could not be saved. Please try again in a moment."
                else:
                    return RedirectResponse("/r", status_code=303)
            else:
                error = "Please choose your " + " and ".join(wrong) + " from the list."
        return server.render(
            request,
            "about.html",
            400 if error.startswith("Please") else (503 if error else 200),
            collection=collection,
            questions=questions,
            chosen=chosen,
            error=error,
        )

    async def section(request: Request) -> Response:
        found = await server.who(request)
        if found is None:
            return no_session(request)
        respondent, collection = found
        pages = server.pages(collection)
        number = request.path_params["number"]
        if not 1 <= number <= len(pages):
            return server.message(request, 404, "Not found", "There is no such page.")
        page = pages[number - 1]
        saved = await run_in_threadpool(store.answers, respondent.id)
        error, status, notice = "", 200, request.query_params.get("saved") == "1"
        if request.method == "POST":
            form = await server.form(request)
            if form is None:
                return forbidden(request)
            if collection.state() != "open":
                return closed(request, collection)
            changes, problems = page_changes(page, form, saved)
            try:
                for item_id, field, value in changes:
                    await run_in_threadpool(
                        store.save, respondent.id, page.instrument.id, item_id, field, value
                    )
                    key = (page.instrument.id, item_id)
                    old = saved.get(key, Saved(None, None))
                    if field == "answer":
                        saved[key] = Saved(value, old.comment)
                    else:
                        saved[key] = Saved(old.answer, value)
            except StoreError:
                error = (
                    "Your answers on this page could not be saved: the database cannot be "
                    "written just now. They are still in the form below; try again in a moment."
                )
                status = 503
                saved = with_form(page, form, saved)
            if not error and problems:
                error, status = " ".join(problems), 400
            if not error:
                go = form.get("go")
                switch = str(go).removeprefix("language-")
                if switch in offered_languages(pages):  # saved: show the page in it
                    return RedirectResponse(f"/r/s/{number}?lang={switch}", status_code=303)
                target = destination(go, number, len(pages))
                language, _ = server.language(request, pages)
                chosen = {"language": language} if language else {}
                await run_in_threadpool(
                    store.update_respondent, respondent.id, position=str(target[1]), **chosen
                )
                return RedirectResponse(target[0], status_code=303)
        elif respondent.position != str(number):
            await run_in_threadpool(store.update_respondent, respondent.id, position=str(number))
        answered, total = counts(pages, saved)
        language, languages = server.language(request, pages)
        shown = server.shown(page, language)
        return server.render(
            request,
            "section.html",
            status,
            lang=lang_of(shown.instrument),
            languages=languages,
            collection=collection,
            page=page,
            shown=shown,
            pages=pages,
            saved=saved,
            answered=answered,
            total=total,
            error=error,
            notice=notice,
            open=collection.state() == "open",
            comment_limit=security.COMMENT_LIMIT,
        )

    async def save(request: Request) -> Response:
        """One change from the page's script; answers only once it is committed."""
        token = request.cookies.get(security.SESSION_COOKIE)
        form = await server.form(request)
        if not token:
            return JSONResponse({"error": ENDED}, 401)
        if form is None:
            return JSONResponse({"error": "The page is out of date: reload it."}, 403)
        reply, status = await run_in_threadpool(save_change, request, token, form)
        return JSONResponse(reply, status)

    def save_change(request: Request, token: str, form: FormData) -> tuple[dict[str, Any], int]:
        """The respondent, the check and the save of `/r/save`, in one trip to a thread;
        the language answered in is written only when it is new."""
        found = store.visit(token)
        if found is None:
            return {"error": ENDED}, 401
        respondent, collection = found
        if collection.state() != "open":
            return {"error": f"The collection is {collection.state()}."}, 403
        pages = server.pages(collection)
        number = str(form.get("page", ""))
        if not (number.isascii() and number.isdigit() and 1 <= int(number) <= len(pages)):
            return {"error": "No such page."}, 400
        page = pages[int(number) - 1]
        parsed = parse_field(page, str(form.get("name", "")), form.get("value"))
        if isinstance(parsed, str):
            return {"error": parsed}, 400
        item, field, value = parsed
        try:
            store.save(respondent.id, page.instrument.id, item.id, field, value)
        except StoreError:
            return {"error": "Not saved: the database cannot be written just now."}, 503
        language, _ = server.language(request, pages)
        if language and language != respondent.language:
            with suppress(StoreError):  # the answer is saved; the page's next post tries again
                store.update_respondent(respondent.id, language=language)
        return {"saved": True}, 200

    async def review(request: Request) -> Response:
        found = await server.who(request)
        if found is None:
            return no_session(request)
        respondent, collection = found
        pages = server.pages(collection)
        saved = await run_in_threadpool(store.answers, respondent.id)
        answered, total = counts(pages, saved)
        language, languages = server.language(request, pages)
        shown = [server.shown(page, language) for page in pages]
        return server.render(
            request,
            "review.html",
            lang=lang_of(shown[0].instrument if shown else None),
            languages=languages,
            collection=collection,
            respondent=respondent,
            pages=shown,
            saved=saved,
            answers=shown_answers(pages, shown, saved),
            answered=answered,
            total=total,
            open=collection.state() == "open",
        )

    async def submit(request: Request) -> Response:
        found = await server.who(request)
        if found is None:
            return no_session(request)
        respondent, collection = found
        form = await server.form(request)
        if form is None:
            return forbidden(request)
        if collection.state() != "open":
            return closed(request, collection)
        language, _ = server.language(request, server.pages(collection))
        chosen = {"language": language} if language else {}
        try:
            await run_in_threadpool(
                store.update_respondent, respondent.id, submitted_at=now(), **chosen
            )
        except StoreError:
            return server.message(
                request,
                503,
                "Not sent yet",
                "The database cannot be written just now: "
                "your answers are saved, but please press Submit again in a moment.",
            )
        return RedirectResponse("/r/done", status_code=303)

    async def done(request: Request) -> Response:
        found = await server.who(request)
        if found is None:
            return no_session(request)
        respondent, collection = found
        reference = None
        if respondent.via == "room":  # no link or note: a reference to ask for erasure by
            token = request.cookies.get(security.SESSION_COOKIE, "")
            reference = await run_in_threadpool(
                erasure.keep_reference, store, respondent.id, token
            )
        return server.render(request, "done.html", collection=collection, reference=reference)

    def set_session(request: Request, response: Response, token: str) -> None:
        response.set_cookie(
            security.SESSION_COOKIE,
            token,
            **security.cookie_options(request.scope, max_age=security.SESSION_DAYS * 86400),
        )

    def forbidden(request: Request) -> Response:
        return server.message(
            request,
            403,
            "The page was out of date",
            "Nothing was changed. Go back, reload the page and try again.",
        )

    def too_many(request: Request, wait: int) -> Response:
        response = server.message(
            request, 429, "Too many attempts", "Please wait a few minutes and try again."
        )
        response.headers["retry-after"] = str(wait)
        return response

    def no_session(request: Request) -> Response:
        return server.message(
            request,
            401,
            "Please open your link",
            "Open the invitation link you were sent, or the room link, to see your answers.",
        )

    def closed(request: Request, collection: Collection) -> Response:
        return server.message(
            request,
            403,
            f"This assessment is {collection.state()}",
            "Answers cannot be changed now. Nothing you sent before is lost.",
        )

    async def failure(request: Request, exc: Exception) -> Response:
        if request.url.path == "/r/save":  # the page's script reads JSON, and says why
            return JSONResponse(
                {
                    "error": "the database cannot be reached just now. Your answer is kept "
                    "on this page; try again in a moment."
                },
                503,
            )
        return server.message(
            request,
            503,
            "Not available just now",
            "The database cannot be reached. Please try again in a moment.",
        )

    static = os.path.join(os.path.dirname(__file__), "static")
    routes = [
        Route("/", home),
        Route("/c/{name}", room, methods=["GET", "POST"]),
        Route("/c/{name}/privacy", privacy_page),
        Route("/i/{token}", invitation),
        Route("/r", start),
        Route("/r/about", about, methods=["GET", "POST"]),
        Route("/r/s/{number:int}", section, methods=["GET", "POST"]),
        Route("/r/save", save, methods=["POST"]),
        Route("/r/review", review),
        Route("/r/submit", submit, methods=["POST"]),
        Route("/r/done", done),
        Mount("/static", StaticFiles(directory=static), name="static"),
        *facilitator_routes(server),
        *room_routes(server),
        *live_routes(server),
    ]
    app = Starlette(routes=routes, exception_handlers={StoreError: failure})
    app.add_middleware(security.Protect)
    return app


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def parse_field(page: Page, name: str, value: Any) -> tuple[Item, str, str | None] | str:
    """(item, field, value) for a form field `answer-ID` or `comment-ID`, or the problem."""
    field, _, item_id = name.partition("-")
    item = next((i for i in page.section.items if i.id == item_id), None)
    if item is None or field not in ("answer", "comment"):
        return f"unknown field {name!r}"
    text = _text(value)
    if field == "answer":
        labels = [o.label for o in item.scale.options]
        if text and text not in labels:
            return f"{item.id}: not one of the answers"
        return item, field, text or None
    if len(text) > security.COMMENT_LIMIT:
        return f"{item.id}: a comment can be at most {security.COMMENT_LIMIT} characters"
    return item, field, text or None


def page_changes(
    page: Page, form: FormData, saved: dict[tuple[str, str], Saved]
) -> tuple[list[tuple[str, str, str | None]], list[str]]:
    """What a posted page changes, and the problems of fields that cannot be saved. A radio
    group left alone is not posted and changes nothing."""
    changes: list[tuple[str, str, str | None]] = []
    problems: list[str] = []
    for item in page.section.items:
        old = saved.get((page.instrument.id, item.id), Saved(None, None))
        for field in ("answer", "comment"):
            name = f"{field}-{item.id}"
            if name not in form:
                continue
            parsed = parse_field(page, name, form.get(name))
            if isinstance(parsed, str):
                problems.append(parsed + ".")
                continue
            value = parsed[2]
            if value != getattr(old, field):
                changes.append((item.id, field, value))
    return changes, problems


def with_form(
    page: Page, form: FormData, saved: dict[tuple[str, str], Saved]
) -> dict[tuple[str, str], Saved]:
    """The answers to show again after a failed save: what was posted, over what is stored."""
    shown = dict(saved)
    for item in page.section.items:
        key = (page.instrument.id, item.id)
        old = shown.get(key, Saved(None, None))
        answer = form.get(f"answer-{item.id}", old.answer)
        comment = form.get(f"comment-{item.id}", old.comment)
        shown[key] = Saved(
            answer if isinstance(answer, str) else None,
            comment if isinstance(comment, str) else None,
        )
    return shown


def destination(go: Any, number: int, pages: int) -> tuple[str, int]:
    """Where a page's buttons lead: the previous or next page, or the review."""
    if go == "back" and number > 1:
        return f"/r/s/{number - 1}?saved=1", number - 1
    if go == "review" or number >= pages:
        return "/r/review", number
    return f"/r/s/{number + 1}?saved=1", number + 1


def load_instruments(collections: list[Collection]) -> dict[str, Instrument]:
    """The instruments the collections use, from the installed plugins."""
    from pat_framework.runtime.registry import build_registry

    registry = build_registry()
    wanted = {ident for c in collections for ident in c.instruments}
    return {ident: registry.instrument(ident) for ident in sorted(wanted)}


def factory() -> Starlette:
    """The application of a uvicorn worker: the database URL is in PAT_SERVE_DB."""
    store = Store(os.environ[DB_VARIABLE])
    names = store.collection_names()
    collections = [c for c in (store.collection(n) for n in names) if c is not None]
    return build_app(store, load_instruments(collections))
