"""The dashboard's web application: sign-in, pages and forms (aiohttp + aiohttp-jinja2).

Every route but the sign-in ones runs behind `_signed_in`: a live session cookie of a
person who is still a curator or coordinator, and for a form the session's CSRF token.
Pages take the programme from `?p=` (an id, never a name: nothing personal goes into an
address) and ask the services with the signed-in person as the actor, so a curator of
another school meets the same `AccessDenied` the bot's buttons meet.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp_jinja2
import jinja2
from aiohttp import web
from multidict import MultiDictProxy
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dashboard import auth, data
from bot.infra import charts
from bot.infra.clock import now
from bot.services.access import AccessDenied, current_programme, is_coordinator, visible_programmes
from bot.services.enrolment import registry as registry_service
from bot.services.feedback.rounds import feedback_overview, remind_silent, round_answers
from bot.services.matching import review as pair_service
from bot.services.names import Case, decline
from bot.services.pairwork import cases as case_service
from bot.services.pairwork.cycle import WrongState
from bot.services.people import person_by_tg
from bot.services.programme.checklist import checklist_for, item_figure, item_title, stage_title
from bot.services.reporting import documents as documents_service
from bot.services.reporting.docx_render import TemplateError
from bot.services.reporting.export import build_export, export_file_name
from bot.services.reporting.reports import compute_overview
from bot.texts import has_text, t
from storage.db import Database
from storage.models import FeedbackRound, Pair, Participant, Person, Programme

log = logging.getLogger(__name__)

PREFIX = "/dashboard"
COOKIE = "nastavnik_dashboard"
TEMPLATES = Path(__file__).parent / "templates"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# Addresses that need no session: signing in, and the Mini App's first page.
OPEN = (
    f"{PREFIX}/login/",
    f"{PREFIX}/app",
    f"{PREFIX}/max-app",
    f"{PREFIX}/webapp",
    f"{PREFIX}/signed-out",
)
# The Mini App's first page in each messenger: the script that hands over its data.
MINI_APP_SCRIPTS = {
    "telegram": "https://telegram.org/js/telegram-web-app.js",
    "max": "https://st.max.ru/js/max-web-app.js",
}
# What a page may say was just done (`?done=`): anything else is ignored.
DONE = ("", "moved", "assigned", "reminded", "answered", "closed", "sent", "unsent")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SECURITY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    # Scripts: the pages' own few lines and the messengers' Mini App scripts; framed
    # only by the dashboard itself and the messengers' web clients (where Mini Apps open).
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline' https://telegram.org "
        "https://st.max.ru; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; base-uri 'none'; "
        "frame-ancestors 'self' https://web.telegram.org https://web.max.ru"
    ),
}


@dataclass
class Visit:
    """The signed-in person of a request, with the session's tokens and the form sent."""

    person: Person
    locale: str
    csrf: str
    token: str
    form: MultiDictProxy[Any] | None = None


VISIT = web.RequestKey("dashboard_visit", Visit)


@dataclass(frozen=True)
class Place:
    """The form that gives a mentee a mentor: a `move` out of a pair, or an `assign`ment
    of a mentee without one (its texts are `dashboard-<kind>-…`)."""

    kind: str
    programme_id: int
    hidden: tuple[tuple[str, str], ...]
    choice: str  # the choice again, from the warning
    note: str = ""

    @property
    def action(self) -> str:
        return f"{PREFIX}/pairs/{self.kind}"

    @property
    def back(self) -> str:
        return f"{PREFIX}/pairs?p={self.programme_id}"


class Dashboard:
    """The routes, bound to the bot's database and settings."""

    def __init__(
        self,
        db: Database,
        *,
        bot_token: str | None,
        session_hours: float,
        secure: bool,
        max_token: str | None = None,
    ) -> None:
        self.db = db
        self.bot_token = bot_token  # Telegram's, only when the bot serves Telegram
        self.max_token = max_token
        self.session_hours = session_hours
        self.secure = secure  # served over https: the cookie is sent over https only

    # ------------------------------------------------------------------ wiring

    def install(self, app: web.Application) -> None:
        env = aiohttp_jinja2.setup(
            app,
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            autoescape=jinja2.select_autoescape(["html"]),
        )
        env.globals["prefix"] = PREFIX
        # «к наставнику Ирине Петровне»: names after a preposition are declined.
        env.filters["dative"] = partial(decline, case=Case.DATIVE)
        app.middlewares.append(self._middleware)
        r = app.router
        r.add_get(PREFIX, self._root)
        r.add_get(f"{PREFIX}/", self.overview)
        r.add_get(f"{PREFIX}/login/{{token}}", self.login)
        r.add_get(f"{PREFIX}/app", self.mini_app)
        r.add_get(f"{PREFIX}/max-app", self.max_mini_app)
        r.add_post(f"{PREFIX}/webapp", self.webapp_login)
        r.add_post(f"{PREFIX}/logout", self.logout)
        r.add_get(f"{PREFIX}/signed-out", self.signed_out)
        r.add_get(f"{PREFIX}/pairs", self.pairs)
        r.add_get(f"{PREFIX}/pairs/{{pair:\\d+}}/move/{{mentee:\\d+}}", self.move_form)
        r.add_post(f"{PREFIX}/pairs/move", self.move)
        r.add_get(f"{PREFIX}/pairs/assign/{{mentee:\\d+}}", self.assign_form)
        r.add_post(f"{PREFIX}/pairs/assign", self.assign)
        r.add_get(f"{PREFIX}/registry", self.registry)
        r.add_post(f"{PREFIX}/registry", self.registry)
        r.add_get(f"{PREFIX}/feedback", self.feedback)
        r.add_post(f"{PREFIX}/feedback/remind", self.remind)
        r.add_get(f"{PREFIX}/cases", self.cases)
        r.add_post(f"{PREFIX}/cases/answer", self.case_answer)
        r.add_post(f"{PREFIX}/cases/close", self.case_close)
        r.add_get(f"{PREFIX}/export", self.export)
        r.add_get(f"{PREFIX}/documents", self.documents)
        r.add_get(f"{PREFIX}/documents/file/{{kind:[a-z]+}}", self.document_file)
        r.add_get(f"{PREFIX}/documents/pair/{{pair:\\d+}}", self.pair_file)
        r.add_post(f"{PREFIX}/documents/send", self.document_send)
        r.add_get(f"{PREFIX}/organisations", self.organisations)
        r.add_get(f"{PREFIX}/charts/programme.svg", self.programme_chart)
        r.add_get(f"{PREFIX}/charts/indicators.svg", self.indicators_chart)

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(PREFIX):
            return await handler(request)
        try:
            if request.path.startswith(OPEN):
                response = await handler(request)
            else:
                response = await self._signed_in(request, handler)
        except (web.HTTPNotFound, web.HTTPMethodNotAllowed) as exc:
            response = self._problem(request, exc.status, "dashboard-error-not-found")
        except AccessDenied:
            response = self._problem(request, 403, "dashboard-error-forbidden")
        except (
            registry_service.NotInProgramme,
            pair_service.NotInProgramme,
            WrongState,
            ValueError,
        ) as exc:
            key = getattr(exc, "key", None)
            response = self._problem(
                request,
                400,
                key if isinstance(key, str) and has_text(key) else "dashboard-error-stale",
            )
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)  # a chart keeps its own Cache-Control
        return response

    async def _signed_in(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        token = request.cookies.get(COOKIE)
        async with self.db.read() as session:
            person = await auth.session_person(session, token)
        if person is None or token is None:
            return self._problem(request, 401, "dashboard-error-signed-out")
        visit = Visit(person, person.locale or "ru", auth.csrf_token(token), token)
        request[VISIT] = visit
        if request.method == "POST":
            form = await request.post()
            visit.form = form
            given = form.get("csrf")
            if not auth.csrf_ok(token, given if isinstance(given, str) else None):
                return self._problem(request, 403, "dashboard-error-csrf")
        return await handler(request)

    def _problem(self, request: web.Request, status: int, key: str, **args: Any) -> web.Response:
        visit = request.get(VISIT)
        locale = visit.locale if visit is not None else "ru"
        response = aiohttp_jinja2.render_template(
            "problem.html",
            request,
            {
                "_": _texts(locale),
                "message": t(key, locale, **args),
                "signed_in": visit is not None,
            },
        )
        response.set_status(status)
        return response

    # ------------------------------------------------------------------ sign-in

    def _set_cookie(self, response: web.StreamResponse, token: str) -> None:
        response.set_cookie(
            COOKIE,
            token,
            max_age=int(self.session_hours * 3600),
            path=PREFIX,
            httponly=True,
            secure=self.secure,
            # Inside Telegram's web client the Mini App is a frame of another site: its
            # cookie must be allowed there (every form still carries the CSRF token).
            samesite="None" if self.secure else "Lax",
        )

    async def login(self, request: web.Request) -> web.StreamResponse:
        async with self.db.session() as session:
            token = await auth.redeem_link(session, request.match_info["token"], self.session_hours)
        if token is None:
            log.info("a dashboard link was refused (used, expired or unknown)")
            return self._problem(request, 403, "dashboard-error-link")
        # The address with the link's code is left at once (and not sent as a referrer).
        response = _redirect(f"{PREFIX}/")
        self._set_cookie(response, token)
        return response

    async def mini_app(self, request: web.Request) -> web.StreamResponse:
        return self._mini_app_page(request, "telegram")

    async def max_mini_app(self, request: web.Request) -> web.StreamResponse:
        return self._mini_app_page(request, "max")

    def _mini_app_page(self, request: web.Request, messenger: str) -> web.StreamResponse:
        return aiohttp_jinja2.render_template(
            "mini_app.html",
            request,
            {
                "_": _texts("ru"),
                "messenger": messenger,
                "script": MINI_APP_SCRIPTS[messenger],
            },
        )

    def _mini_app_user(self, messenger: object, init_data: object) -> int | None:
        """The core id of the person the messenger signed the data for, or None."""
        if not isinstance(init_data, str):
            return None
        if messenger == "max":
            return auth.max_init_data_user(self.max_token, init_data) if self.max_token else None
        return auth.init_data_user(self.bot_token, init_data) if self.bot_token else None

    async def webapp_login(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        messenger = form.get("messenger")
        tg_id = self._mini_app_user(messenger, form.get("init_data"))
        token = None
        if tg_id is not None:
            async with self.db.session() as session:
                person = await person_by_tg(session, tg_id)
                if person is not None:
                    try:
                        token = await auth.open_session(session, person.id, self.session_hours)
                    except AccessDenied:
                        token = None
        if token is None:
            log.info("Mini App sign-in refused")
            key = (
                "dashboard-error-init-data-max"
                if messenger == "max"
                else "dashboard-error-init-data"
            )
            return self._problem(request, 403, key)
        response = _redirect(f"{PREFIX}/")
        self._set_cookie(response, token)
        return response

    async def logout(self, request: web.Request) -> web.StreamResponse:
        async with self.db.session() as session:
            await auth.end_session(session, request[VISIT].token)
        response = _redirect(f"{PREFIX}/signed-out")
        response.del_cookie(COOKIE, path=PREFIX)
        return response

    async def signed_out(self, request: web.Request) -> web.StreamResponse:
        return self._problem(request, 200, "dashboard-signed-out")

    async def _root(self, request: web.Request) -> web.StreamResponse:
        return _redirect(f"{PREFIX}/")

    # ------------------------------------------------------------------ helpers

    async def _context(
        self, request: web.Request, session: AsyncSession, page: str
    ) -> dict[str, Any]:
        """What every page shows: the person's programmes, the chosen one, the menu."""
        person: Person = request[VISIT].person
        programmes = await visible_programmes(session, person.id)
        chosen = await self._programme(request, session, programmes)
        return {
            "_": _texts(request[VISIT].locale),
            "page": page,
            "csrf": request[VISIT].csrf,
            "programmes": programmes,
            "programme": chosen,
            "coordinator": await is_coordinator(session, person.id),
            "signed_in": True,
            "done": _choice(request.query.get("done"), DONE),
            "queued": _int_or_zero(request.query.get("queued")),
            "locale": request[VISIT].locale,
        }

    async def _programme(
        self, request: web.Request, session: AsyncSession, programmes: list[Programme]
    ) -> Programme | None:
        raw = request.query.get("p") or _form_value(request, "p")
        if raw:
            if not raw.isdigit():
                raise registry_service.NotInProgramme(raw)
            wanted = int(raw)
            for programme in programmes:
                if programme.id == wanted:
                    return programme
            raise AccessDenied(wanted)
        return await current_programme(session, request[VISIT].person)

    async def _required_programme(self, request: web.Request, session: AsyncSession) -> Programme:
        """The programme of `?p=` (else the current one) the person manages; refused else."""
        person = request[VISIT].person
        programme = await self._programme(
            request, session, await visible_programmes(session, person.id)
        )
        if programme is None:
            raise AccessDenied(person.id)
        return programme

    @staticmethod
    def _back(path: str, programme_id: int, done: str, **more: str) -> web.Response:
        """Back to a page after a form (codes and ids only in the address)."""
        query = urlencode({"p": programme_id, **more, "done": done})
        return _redirect(f"{PREFIX}/{path}?{query}")

    # ------------------------------------------------------------------ pages

    async def overview(self, request: web.Request) -> web.StreamResponse:
        async with self.db.read() as session:
            ctx = await self._context(request, session, "overview")
            programme = ctx["programme"]
            if programme is not None:
                person = request[VISIT].person
                ctx["funnel"] = await data.funnel(session, person, programme.id, now())
                checklist = await checklist_for(session, person, programme.id)
                locale = request[VISIT].locale
                ctx["stages"] = [
                    {
                        "number": stage.number,
                        "title": stage_title(stage.number, locale),
                        "done": stage.done_count,
                        "total": stage.total,
                        "entries": [
                            (item_title(i.key, locale), i.done, item_figure(i, locale))
                            for i in stage.items
                        ],
                    }
                    for stage in checklist.stages
                ]
                ctx["current_stage"] = checklist.current_stage
                figures = await data.programme_figures(session, person, programme.id, now())
                ctx["chart"] = charts.has_figures(figures.rounds, figures.meetings_per_pair)
                ctx["chart_finished"] = figures.finished
        return aiohttp_jinja2.render_template("overview.html", request, ctx)

    async def pairs(self, request: web.Request) -> web.StreamResponse:
        status = _choice(request.query.get("status"), data.PAIR_STATUSES)
        risk = _choice(request.query.get("risk"), data.RISK_FILTERS)
        async with self.db.read() as session:
            ctx = await self._context(request, session, "pairs")
            programme = ctx["programme"]
            if programme is not None:
                rows, unmatched = await data.pair_rows(
                    session, request[VISIT].person, programme.id, now(), status=status, risk=risk
                )
                ctx.update(rows=rows, unmatched=unmatched)
        ctx.update(status=status, risk=risk, statuses=data.PAIR_STATUSES, risks=data.RISK_FILTERS)
        return aiohttp_jinja2.render_template("pairs.html", request, ctx)

    def _move_place(self, request: web.Request, view: Any, mentee: Participant) -> Place:
        pair_id, programme_id = view.pair.id, view.pair.programme_id
        name = view.mentor.display_name or "—"
        return Place(
            "move",
            programme_id,
            (("pair", str(pair_id)), ("mentee", str(mentee.id))),
            f"{PREFIX}/pairs/{pair_id}/move/{mentee.id}?p={programme_id}",
            t("dashboard-move-from", request[VISIT].locale, name=name),
        )

    def _assign_place(
        self, request: web.Request, programme_id: int, item: pair_service.UnmatchedView
    ) -> Place:
        mentee_id = item.mentee.id
        reason = item.reason
        return Place(
            "assign",
            programme_id,
            (("p", str(programme_id)), ("mentee", str(mentee_id))),
            f"{PREFIX}/pairs/assign/{mentee_id}?p={programme_id}",
            t("dashboard-assign-why", request[VISIT].locale, reason=reason) if reason else "",
        )

    async def move_form(self, request: web.Request) -> web.StreamResponse:
        pair_id, mentee_id = int(request.match_info["pair"]), int(request.match_info["mentee"])
        async with self.db.read() as session:
            ctx = await self._context(request, session, "pairs")
            view, mentee, choices = await data.move_choices(
                session, request[VISIT].person, pair_id, mentee_id
            )
        ctx.update(mentee=mentee, choices=choices, place=self._move_place(request, view, mentee))
        return aiohttp_jinja2.render_template("move.html", request, ctx)

    async def move(self, request: web.Request) -> web.StreamResponse:
        pair_id = _int(_form(request).get("pair"))
        person, mentee_id, mentor_id, confirmed = _placement(request)
        try:
            async with self.db.session() as session:
                target = await pair_service.move(
                    session, person, pair_id, mentee_id, mentor_id, confirmed=confirmed
                )
                programme_id = target.programme_id
        except pair_service.PlacementNeedsConfirmation as warning:
            async with self.db.read() as session:
                ctx = await self._context(request, session, "pairs")
                view, mentee, choices = await data.move_choices(session, person, pair_id, mentee_id)
            place = self._move_place(request, view, mentee)
            return self._warning(request, ctx, place, mentee, choices, mentor_id, warning.rules)
        return self._back("pairs", programme_id, "moved")

    async def assign_form(self, request: web.Request) -> web.StreamResponse:
        """A mentee without a pair: mentors with room, as /pairs → «Без пары» offers."""
        mentee_id = int(request.match_info["mentee"])
        async with self.db.read() as session:
            ctx = await self._context(request, session, "pairs")
            programme = _chosen(ctx)
            item, choices = await data.assign_choices(
                session, request[VISIT].person, programme.id, mentee_id
            )
        place = self._assign_place(request, programme.id, item)
        ctx.update(mentee=item.mentee, choices=choices, place=place)
        return aiohttp_jinja2.render_template("move.html", request, ctx)

    async def assign(self, request: web.Request) -> web.StreamResponse:
        person, mentee_id, mentor_id, confirmed = _placement(request)
        try:
            async with self.db.session() as session:
                programme_id = _chosen(await self._context(request, session, "pairs")).id
                await pair_service.assign(
                    session, person, programme_id, mentee_id, mentor_id, confirmed=confirmed
                )
        except pair_service.PlacementNeedsConfirmation as warning:
            async with self.db.read() as session:
                ctx = await self._context(request, session, "pairs")
                item, choices = await data.assign_choices(session, person, programme_id, mentee_id)
            place = self._assign_place(request, programme_id, item)
            return self._warning(
                request, ctx, place, item.mentee, choices, mentor_id, warning.rules
            )
        return self._back("pairs", programme_id, "assigned")

    @staticmethod
    def _warning(
        request: web.Request,
        ctx: dict[str, Any],
        place: Place,
        mentee: Participant,
        choices: list[data.MentorChoice],
        mentor_id: int,
        rules: list[str],
    ) -> web.StreamResponse:
        """The rules a placement breaks, and «Всё равно назначить» (as in /pairs)."""
        chosen = next((c for c in choices if c.mentor.id == mentor_id), None)
        ctx.update(
            place=place, mentee=mentee, mentor=chosen.mentor if chosen else None, rules=rules
        )
        return aiohttp_jinja2.render_template("move_warning.html", request, ctx)

    async def registry(self, request: web.Request) -> web.StreamResponse:
        source = _form(request) if request.method == "POST" else request.query
        role = _choice(source.get("role"), tuple(registry_service.FILTERS))
        sort = _choice(source.get("sort"), data.REGISTRY_SORTS)
        filter_code = _choice(source.get("filter"), registry_service.FILTERS[role])
        # The search is sent by POST: a name typed into it stays out of the address.
        query = str(source.get("q", ""))[:100] if request.method == "POST" else ""
        async with self.db.read() as session:
            ctx = await self._context(request, session, "registry")
            programme = ctx["programme"]
            if programme is not None:
                page = await registry_service.list_participants(
                    session,
                    request[VISIT].person,
                    programme.id,
                    role,
                    filter_code=filter_code,
                    query=query,
                    per_page=10_000,
                )
                ctx["items"] = data.sort_registry(page.items, sort)
                ctx["total"] = page.total
        ctx.update(
            role=role,
            sort=sort,
            filter=filter_code,
            q=query,
            roles=tuple(registry_service.FILTERS),
            filters=registry_service.FILTERS[role],
            sorts=data.REGISTRY_SORTS,
        )
        return aiohttp_jinja2.render_template("registry.html", request, ctx)

    async def feedback(self, request: web.Request) -> web.StreamResponse:
        async with self.db.read() as session:
            ctx = await self._context(request, session, "feedback")
            programme = ctx["programme"]
            if programme is not None:
                person = request[VISIT].person
                overview = await feedback_overview(session, person, programme.id)
                ctx["overview"] = overview
                wanted = request.query.get("round", "")
                round_id = (
                    int(wanted)
                    if wanted.isdigit()
                    else (overview.rounds[0].round_id if overview.rounds else None)
                )
                if round_id is not None:
                    ctx["round_id"] = round_id
                    ctx["answers"] = await round_answers(session, person, round_id)
                    ctx["silent"] = sum(1 for a in ctx["answers"] if a.answered_at is None)
        return aiohttp_jinja2.render_template("feedback.html", request, ctx)

    async def remind(self, request: web.Request) -> web.StreamResponse:
        round_id = _int(_form(request).get("round"))
        async with self.db.session() as session:
            queued = await remind_silent(session, request[VISIT].person, round_id)
            feedback_round = await session.get(FeedbackRound, round_id)
            assert feedback_round is not None
            programme_id = feedback_round.programme_id
        return self._back(
            "feedback", programme_id, "reminded", round=str(round_id), queued=str(queued)
        )

    async def cases(self, request: web.Request) -> web.StreamResponse:
        async with self.db.read() as session:
            ctx = await self._context(request, session, "cases")
            programme = ctx["programme"]
            if programme is not None:
                ctx["summary"] = await case_service.open_cases_for(
                    session, request[VISIT].person, programme.id
                )
        return aiohttp_jinja2.render_template("cases.html", request, ctx)

    async def case_answer(self, request: web.Request) -> web.StreamResponse:
        form = _form(request)
        async with self.db.session() as session:
            view = await case_service.answer_case(
                session, request[VISIT].person, _int(form.get("case")), str(form.get("text", ""))
            )
        return self._back("cases", view.programme_id, "answered")

    async def case_close(self, request: web.Request) -> web.StreamResponse:
        form = _form(request)
        async with self.db.session() as session:
            view = await case_service.close_case(
                session, request[VISIT].person, _int(form.get("case")), str(form.get("note", ""))
            )
        return self._back("cases", view.programme_id, "closed")

    async def export(self, request: web.Request) -> web.StreamResponse:
        person = request[VISIT].person
        locale = request[VISIT].locale
        moment = now()
        async with self.db.read() as session:
            if request.query.get("all") == "1":
                if not await is_coordinator(session, person.id):
                    raise AccessDenied(person.id)
                ids = [p.id for p in await visible_programmes(session, person.id)]
                name = export_file_name(None, moment, locale)
            else:
                programme = await self._required_programme(request, session)
                ids = [programme.id]
                name = export_file_name(programme.id, moment, locale)
            with tempfile.TemporaryDirectory(prefix="dashboard-export-") as folder:
                path = Path(folder) / "export.xlsx"
                await build_export(
                    session,
                    ids,
                    path,
                    now=moment,
                    locale=locale,
                    all_organisations=request.query.get("all") == "1",
                )
                body = await asyncio.to_thread(path.read_bytes)
        return _download(body, name, XLSX)

    async def documents(self, request: web.Request) -> web.StreamResponse:
        """The school's paperwork (as /documents makes it) and the Excel export."""
        async with self.db.read() as session:
            ctx = await self._context(request, session, "documents")
            programme = ctx["programme"]
            if programme is not None:
                ctx["pairs"] = await documents_service.pair_choices(
                    session, request[VISIT].person, programme.id
                )
        ctx["kinds"] = documents_service.PROGRAMME_KINDS
        return aiohttp_jinja2.render_template("documents.html", request, ctx)

    async def document_file(self, request: web.Request) -> web.StreamResponse:
        """One of the programme's documents, or (a coordinator's) the municipal report."""
        person = request[VISIT].person
        kind = request.match_info["kind"]
        moment = now()
        try:
            async with self.db.read() as session:
                if kind == documents_service.MUNICIPAL:
                    document = await documents_service.municipal_document(session, person, moment)
                else:
                    programme = await self._required_programme(request, session)
                    document = await documents_service.programme_document(
                        session, person, kind, programme.id, moment
                    )
        except TemplateError as error:
            return self._template_broken(request, error)
        return _download(document.content, document.file_name, DOCX)

    async def pair_file(self, request: web.Request) -> web.StreamResponse:
        """The personalised programme of one working pair or group."""
        pair_id = int(request.match_info["pair"])
        try:
            async with self.db.read() as session:
                document, _row = await documents_service.pair_document(
                    session, request[VISIT].person, pair_id, now()
                )
        except TemplateError as error:
            return self._template_broken(request, error)
        return _download(document.content, document.file_name, DOCX)

    async def document_send(self, request: web.Request) -> web.StreamResponse:
        """The pair's programme to its mentor through the outbox (once a day)."""
        pair_id = _int(_form(request).get("pair"))
        try:
            async with self.db.session() as session:
                queued, _row = await documents_service.send_to_mentor(
                    session, request[VISIT].person, pair_id, now()
                )
                pair = await session.get(Pair, pair_id)
                assert pair is not None  # the service found it
                programme_id = pair.programme_id
        except TemplateError as error:
            return self._template_broken(request, error)
        return self._back("documents", programme_id, "sent" if queued else "unsent")

    def _template_broken(self, request: web.Request, error: TemplateError) -> web.Response:
        log.error("dashboard documents: template %s cannot be filled", error.template)
        return self._problem(
            request,
            500,
            "documents-template-broken",
            template=error.template,
            tag=error.tag,
            detail=error.detail,
        )

    async def organisations(self, request: web.Request) -> web.StreamResponse:
        person = request[VISIT].person
        async with self.db.read() as session:
            await data.coordinator_or_refuse(session, person)
            ctx = await self._context(request, session, "organisations")
            ctx["overviews"] = await compute_overview(session, now())
            indicators = await data.indicator_figures(session, person)
            ctx["chart"] = charts.has_indicators(indicators)
        return aiohttp_jinja2.render_template("organisations.html", request, ctx)

    # ------------------------------------------------------------------ charts

    async def programme_chart(self, request: web.Request) -> web.StreamResponse:
        """The chart of the programme's /report (`?p=`), refused as its page is."""
        person, locale = request[VISIT].person, request[VISIT].locale
        async with self.db.read() as session:
            programme = await self._required_programme(request, session)
            report = await data.programme_figures(session, person, programme.id, now())
        figures = (report.rounds, sorted(report.meetings_per_pair.items()), report.finished)
        return await _chart(
            request, (figures, locale), partial(charts.report_chart, report, locale, "svg")
        )

    async def indicators_chart(self, request: web.Request) -> web.StreamResponse:
        """The coordinator's chart of the indicators against their targets, as in /report."""
        person, locale = request[VISIT].person, request[VISIT].locale
        async with self.db.read() as session:
            indicators = await data.indicator_figures(session, person)
        return await _chart(
            request,
            (indicators, locale),
            partial(charts.municipal_chart, indicators, locale, "svg"),
        )


def _download(body: bytes, name: str, content_type: str) -> web.Response:
    """A file the browser saves (the names are ASCII: a programme's or pair's id and a date)."""
    return web.Response(
        body=body,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def _chart(
    request: web.Request, figures: object, draw: Callable[[], bytes | None]
) -> web.Response:
    """A chart as an SVG image. It is named by its figures (the ETag), so a browser that
    has these figures already is answered 304 and nothing is drawn; `private, no-cache`:
    no shared cache keeps it, and every use is asked again (and authorised again)."""
    tag = '"' + hashlib.sha256(repr(figures).encode()).hexdigest()[:32] + '"'
    headers = {
        "ETag": tag,
        "Cache-Control": "private, no-cache",
        "Vary": "Cookie",
        # Opened on its own, the SVG may run nothing and load nothing (matplotlib escapes
        # the labels it writes; this holds even if it did not).
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    }
    if tag in request.headers.get("If-None-Match", ""):
        return web.Response(status=304, headers=headers)
    body = await asyncio.to_thread(draw)
    if body is None:  # nothing to draw yet (the page then shows no image)
        raise web.HTTPNotFound()
    return web.Response(body=body, content_type="image/svg+xml", headers=headers)


def _redirect(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


def _texts(locale: str) -> Callable[..., str]:
    def text(key: str, **args: Any) -> str:
        return t(key, locale, **args)

    return text


def _choice(value: object, allowed: tuple[str, ...]) -> str:
    return value if isinstance(value, str) and value in allowed else allowed[0]


def _int(value: object) -> int:
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise registry_service.NotInProgramme(value)


def _placement(request: web.Request) -> tuple[Person, int, int, bool]:
    """Who places, the mentee, the mentor, and whether the rules' warning was accepted."""
    form = _form(request)
    mentee_id, mentor_id = _int(form.get("mentee")), _int(form.get("mentor"))
    return request[VISIT].person, mentee_id, mentor_id, form.get("confirmed") == "1"


def _chosen(ctx: dict[str, Any]) -> Programme:
    """The page's programme; a person with none has nothing to act on."""
    programme = ctx["programme"]
    if programme is None:
        raise registry_service.NotInProgramme(None)
    return programme  # type: ignore[no-any-return]


def _int_or_zero(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


def _form(request: web.Request) -> MultiDictProxy[Any]:
    form = request[VISIT].form
    if form is None:
        raise web.HTTPMethodNotAllowed(request.method, ["POST"])
    return form


def _form_value(request: web.Request, name: str) -> str:
    visit = request.get(VISIT)
    form = visit.form if visit is not None else None
    value = form.get(name) if form is not None else None
    return value if isinstance(value, str) else ""


def login_url(base_url: str, token: str) -> str:
    """The one-time sign-in address under the dashboard's public base address."""
    return f"{base_url.rstrip('/')}{PREFIX}/login/{token}"


def dashboard_app(dashboard: Dashboard) -> web.Application:
    """The dashboard alone (the embedded mode's own server): `/` leads to it."""
    app = web.Application()
    dashboard.install(app)

    async def root(_request: web.Request) -> web.StreamResponse:
        return _redirect(f"{PREFIX}/")

    app.router.add_get("/", root)
    return app
