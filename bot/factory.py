"""Composition root: builds the bot, the dispatcher and the background workers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession, Response
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramNetworkError
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.methods import TelegramMethod
from aiogram.types import LinkPreviewOptions, Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from pydantic import ValidationError

from bot import metrics
from bot.commands import mini_app_url, set_default_commands, set_staff_commands, set_staff_menu
from bot.config import Settings
from bot.dashboard.routes import Dashboard, dashboard_app
from bot.handlers import errors, get_routers
from bot.handlers.errors import RedeliverUpdate
from bot.logs import MASK, redact
from bot.middlewares.context import PersonMiddleware
from bot.middlewares.database import DatabaseMiddleware
from bot.middlewares.metrics import InFlight, MetricsMiddleware
from bot.middlewares.replay import RepeatableCalls
from bot.middlewares.replies import ReplyMiddleware
from bot.middlewares.text import ControlCharactersMiddleware
from bot.middlewares.throttling import ThrottlingMiddleware
from bot.polling import Poller
from bot.services import clock as clock_module
from bot.services.clock import Clock
from bot.services.leader import POLL_SECONDS, Leadership
from bot.services.people import bootstrap_staff, staff_tg_ids
from bot.services.ratelimit import SendLimiter
from bot.workers.delivery import DeliveryWorker
from bot.workers.scheduler import Scheduler
from storage.db import Database
from storage.fsm import SQLStorage

log = logging.getLogger(__name__)

# The first organisation has no name until its curator gives it one in /program: a
# placeholder would reach parents in the consent text.
DEFAULT_ORGANISATION = ""


class ApiSession(AiohttpSession):
    """aiogram reads every answer with the pydantic model `Response[<result type>]`;
    pydantic keeps such a model only while something else refers to it, so after each
    garbage collection it was built again, a few milliseconds each. Here it is kept."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.response_types: dict[Any, Any] = {}

    def check_response(
        self, bot: Bot, method: TelegramMethod[Any], status_code: int, content: str
    ) -> Response[Any]:
        returning = method.__returning__
        if returning not in self.response_types:
            self.response_types[returning] = Response[returning]  # type: ignore[valid-type]
        return super().check_response(bot, method, status_code, content)

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        """aiogram quotes aiohttp's error, which for a malformed address is the whole
        address, token included (`…/bot123456:ABC…/deleteWebhook`): the message is
        cleaned and aiohttp's error, with its own copy, left out of the chain."""
        try:
            return await super().make_request(bot, method, timeout)
        except TelegramNetworkError as exc:
            clean = redact(exc.message.replace(bot.token, MASK))
            if clean == exc.message:
                raise
            raise TelegramNetworkError(method=method, message=clean) from None


def create_bot(
    settings: Settings, db: Database | None = None, limiter: SendLimiter | None = None
) -> Bot:
    """The bot of the first messenger configured: Telegram when BOT_TOKEN is set, else
    MAX. With MAX_BOT_TOKEN the session is MAX's (`bot.max.session`), which sends the
    calls for MAX chats to MAX and, with both tokens, the others to Telegram."""
    api = TelegramAPIServer.from_base(settings.telegram_api_url.rstrip("/"))
    session: ApiSession
    if settings.max_bot_token is not None:
        from bot.max.session import MaxSession

        session = MaxSession(
            max_api_url=settings.max_api_url,
            max_token=settings.max_bot_token.get_secret_value(),
            telegram=settings.serves_telegram,
            max_rate=settings.max_requests_per_second,
            telegram_token=settings.token if settings.serves_telegram else None,
            db=db,
            api=api,
            timeout=settings.request_timeout,
        )
    else:
        session = ApiSession(api=api, timeout=settings.request_timeout)
    # An update handled again (a dead replica, a redelivery) repeats some calls harmlessly.
    session.middleware(RepeatableCalls())
    # A handler's reply: the update's work is stored first, a 429 is waited out.
    session.middleware(ReplyMiddleware(db, limiter))
    return _bot(settings.token if settings.serves_telegram else _max_token(), session)


def create_max_bot(settings: Settings, telegram_bot: Bot) -> Bot | None:
    """The bot that takes MAX's updates (and answers them through the same session)."""
    if not settings.serves_max:
        return None
    if not settings.serves_telegram:
        return telegram_bot  # MAX alone: the one bot is MAX's
    return _bot(_max_token(), telegram_bot.session)


def _max_token() -> str:
    from bot.max.session import MAX_BOT_TOKEN_PLACEHOLDER

    return MAX_BOT_TOKEN_PLACEHOLDER


def _bot(token: str, session: BaseSession) -> Bot:
    return Bot(
        token=token,
        session=session,
        # `link_preview` and not `link_preview_is_disabled`: aiogram sends the latter as
        # the deprecated `disable_web_page_preview` too, with every message and edit.
        default=DefaultBotProperties(
            parse_mode="HTML", link_preview=LinkPreviewOptions(is_disabled=True)
        ),
    )


def create_storage(settings: Settings, db: Database) -> tuple[BaseStorage, BaseEventIsolation]:
    if settings.redis_url:
        from aiogram.fsm.storage.base import DefaultKeyBuilder
        from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage

        storage = RedisStorage.from_url(
            settings.redis_url, key_builder=DefaultKeyBuilder(with_destiny=True)
        )
        return storage, RedisEventIsolation(redis=storage.redis)
    return SQLStorage(db), SimpleEventIsolation()


def create_dispatcher(settings: Settings, db: Database, **workflow: Any) -> Dispatcher:
    storage, isolation = create_storage(settings, db)
    dispatcher = Dispatcher(storage=storage, events_isolation=isolation)
    in_flight = InFlight()
    dispatcher.workflow_data.update(settings=settings, db=db, in_flight=in_flight, **workflow)
    # First of ours: counts every update, times it and knows what is in hand at a stop.
    dispatcher.update.outer_middleware(MetricsMiddleware(in_flight))
    dispatcher.update.outer_middleware(
        ThrottlingMiddleware(settings.throttle_rate, settings.throttle_period)
    )
    dispatcher.update.outer_middleware(DatabaseMiddleware(db))
    if isinstance(storage, SQLStorage) and db.is_sqlite:
        # The state is read inside the update's own transaction (aiogram's FSM middleware
        # comes first by default and would open a read transaction of its own). On SQLite
        # the turn to write comes first, so the per-chat lock is only taken in turn.
        dispatcher.update.outer_middleware.unregister(dispatcher.fsm)
        dispatcher.update.outer_middleware(dispatcher.fsm)
    dispatcher.update.outer_middleware(PersonMiddleware(settings.default_locale))
    dispatcher.message.outer_middleware(ControlCharactersMiddleware())
    # New routers for each dispatcher: a process may build the bot more than once.
    dispatcher.include_routers(errors.router.build(), *get_routers())
    return dispatcher


class BotApp:
    """Everything a running bot needs, with one lifecycle: start, run, stop."""

    def __init__(self, settings: Settings, *, clock: Clock | None = None) -> None:
        import bot.jobs  # noqa: F401  (registers scheduled jobs)
        from bot.services import docx_render, forms, retention

        forms.configure(settings.forms_dir)  # a broken form file stops the start here
        docx_render.configure(settings.documents_dir)  # and so does a broken template
        retention.configure(
            unconsented_days=settings.retention_unconsented_days,
            after_programme_days=settings.retention_after_programme_days,
        )
        self.settings = settings
        self.clock = clock or clock_module.get_clock()
        clock_module.set_clock(self.clock)
        self.db = Database(settings.database_url)
        # One schedule of Telegram's limits: a 429 met by a reply pauses the outbox too.
        limiter = SendLimiter(
            settings.delivery_global_per_s,
            settings.delivery_chat_per_s,
            settings.delivery_group_per_min,
        )
        self.bot = create_bot(settings, self.db, limiter)
        self.max_bot = create_max_bot(settings, self.bot)
        self.dispatcher = create_dispatcher(settings, self.db, app=self, clock=self.clock)
        self.delivery = DeliveryWorker(
            self.db,
            self.bot,
            self.clock,
            limiter=limiter,
            send_timeout=settings.request_timeout,
        )
        self.scheduler = Scheduler(self, speed=settings.scheduler_speed)
        # Only the holder runs the scheduler and the delivery worker (several replicas).
        self.leadership = Leadership(self.db, "scheduler")
        self._tasks: list[asyncio.Task[Any]] = []
        self._delivery_task: asyncio.Task[None] | None = None
        self._leading_task: asyncio.Task[None] | None = None
        self._stopped = asyncio.Event()
        self.started = False
        self.in_flight: InFlight = self.dispatcher.workflow_data["in_flight"]
        self.stopping = False  # no new updates are taken once set
        self.poller: Poller | None = None
        self.pollers: list[Poller] = []

    async def start(self, *, migrate: bool = True) -> None:
        if migrate:
            from storage.migrate import upgrade

            await upgrade(self.settings.database_url)
        async with self.db.session() as session:
            await bootstrap_staff(
                session,
                curator_ids=self.settings.curator_ids,
                coordinator_ids=self.settings.coordinator_ids,
                default_organisation=DEFAULT_ORGANISATION,
            )
        async with self.db.read() as session:
            staff = await staff_tg_ids(session)
        await self._remember_bots()
        try:
            await set_default_commands(self.bot)
            menu = mini_app_url(self.settings.dashboard_base_url, self.settings.webhook_base_url)
            for tg_id, _role in staff:
                await set_staff_commands(self.bot, tg_id)
                if menu is not None:
                    await set_staff_menu(self.bot, tg_id, menu)
        except Exception as exc:  # commands are a convenience: never block the start
            log.warning("could not set command menus: %s", type(exc).__name__)
        if self.settings.workers_enabled:
            # Try at once so a single process starts its workers without waiting a poll.
            if await self.leadership.acquire():
                self.start_workers()
            self._leading_task = asyncio.create_task(self._keep_leadership(), name="leader")
        self.started = True

    async def _remember_bots(self) -> None:
        """The messengers served and their bots' names: with both, links are offered
        for both; outside an update a link follows its person (bot.services.messenger)."""
        from bot.services.messenger import MAX, TELEGRAM, remember_bots

        bots = {TELEGRAM: self.bot if self.settings.serves_telegram else None}
        bots[MAX] = self.max_bot
        usernames = {name: "" for name, bot in bots.items() if bot is not None}
        try:
            for name, bot in bots.items():
                if bot is not None:
                    usernames[name] = (await bot.me()).username or ""
        except Exception as exc:  # the links of the update's own bot still work
            log.warning("could not read the bots' names: %s", type(exc).__name__)
        remember_bots(usernames)

    @property
    def workers_running(self) -> bool:
        return self._delivery_task is not None and not self._delivery_task.done()

    def start_workers(self) -> None:
        """Start the delivery worker and the scheduler (call only while leading)."""
        if not self.workers_running:
            self._delivery_task = asyncio.create_task(self.delivery.run(), name="delivery")
        self.scheduler.start()

    async def stop_workers(self) -> None:
        """Stop them gracefully: sends in flight finish, claimed rows go back."""
        await self.scheduler.stop()
        task, self._delivery_task = self._delivery_task, None
        if task is not None:
            self.delivery.stop()
            try:
                await asyncio.wait_for(task, timeout=4.0)
            except (TimeoutError, asyncio.CancelledError):
                pass
            except Exception:
                log.exception("the delivery worker failed")

    async def _keep_leadership(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            try:
                leading = await self.leadership.acquire()
                if leading and not self.workers_running:
                    self.start_workers()
                elif not leading and self.workers_running:
                    await self.stop_workers()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("leadership check failed")

    async def run_polling(self) -> None:
        """Long polling until `drain()`; no update is lost if the process dies.

        One poller per messenger, side by side, feeding the one dispatcher."""
        allowed = self.dispatcher.resolve_used_update_types()
        runs = []
        if self.settings.serves_telegram:
            self.poller = Poller(self.dispatcher, self.bot, self.db, allowed_updates=allowed)
            self.pollers.append(self.poller)
            runs.append(self.poller.run())
        if self.max_bot is not None:
            from bot.max.polling import MaxPoller

            max_poller = MaxPoller(self.dispatcher, self.max_bot, self.db, allowed_updates=allowed)
            self.poller = self.poller or max_poller
            self.pollers.append(max_poller)
            runs.append(max_poller.run())
        await asyncio.gather(*runs)

    @property
    def webhook_secret(self) -> str | None:
        secret = self.settings.webhook_secret
        return secret.get_secret_value() if secret else None

    def webhook_app(self, path: str | None = None) -> web.Application:
        """The webhook (answered only after the update is processed), /healthz, /metrics.

        Without WEBHOOK_SECRET anyone who finds the address could post updates "from" a
        curator: there is no webhook without one (`python -m bot webhook` says so first).
        """
        secret = self.webhook_secret
        if not secret:
            raise RuntimeError("WEBHOOK_SECRET is not set: the webhook would accept anyone")
        app = web.Application()
        if self.settings.serves_telegram:
            handler = WebhookHandler(self, secret_token=secret)
            handler.register(app, path=path or self.settings.webhook_path)
        if self.max_bot is not None:
            from bot.max.webhook import add_route

            add_route(self, app, self.settings.max_webhook_path, secret)
        self.add_ops_routes(app)
        # The dashboard and its Mini App on the same server (docs/dashboard.md).
        self.dashboard(self.settings.dashboard_base_url or self.settings.webhook_base_url).install(
            app
        )
        return app

    def dashboard(self, base_url: str | None) -> Dashboard:
        """The web dashboard bound to this bot's database (served at `base_url`)."""
        settings = self.settings
        return Dashboard(
            self.db,
            # Mini App data is checked with each messenger's own token: without Telegram
            # the bot's token is a placeholder anyone could sign with, so none is used.
            bot_token=settings.token if settings.serves_telegram else None,
            max_token=(
                settings.max_bot_token.get_secret_value()
                if settings.max_bot_token is not None
                else None
            ),
            session_hours=settings.dashboard_session_hours,
            secure=bool(base_url and base_url.startswith("https://")),
        )

    def dashboard_app(self) -> web.Application:
        """The dashboard on its own server (the embedded mode, DASHBOARD_PORT)."""
        return dashboard_app(self.dashboard(self.settings.dashboard_base_url))

    def ops_app(self) -> web.Application:
        """/healthz and /metrics alone (polling mode, METRICS_PORT)."""
        app = web.Application()
        self.add_ops_routes(app)
        return app

    def add_ops_routes(self, app: web.Application) -> None:
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)

    async def health(self) -> dict[str, Any]:
        """Database and Redis reachable, leader or not, stopping or not."""
        from sqlalchemy import text

        report: dict[str, Any] = {}
        try:
            async with self.db.read() as session:
                await asyncio.wait_for(session.execute(text("SELECT 1")), 5)
            report["database"] = True
        except Exception:
            report["database"] = False
        redis = getattr(self.dispatcher.storage, "redis", None)
        if redis is None:
            report["redis"] = None  # not configured (the embedded mode)
        else:
            try:
                report["redis"] = bool(await asyncio.wait_for(redis.ping(), 5))
            except Exception:
                report["redis"] = False
        report["leader"] = self.leadership.is_leader
        report["workers"] = self.workers_running
        report["stopping"] = self.stopping
        report["in_flight"] = self.in_flight.count
        report["ok"] = report["database"] and report["redis"] is not False and not self.stopping
        return report

    async def _healthz(self, _request: web.Request) -> web.Response:
        report = await self.health()
        return web.json_response(report, status=200 if report["ok"] else 503)

    async def _metrics(self, _request: web.Request) -> web.Response:
        from sqlalchemy import func, select

        from storage.models import OutboxMessage, OutboxStatus

        metrics.LEADER.set(1 if self.leadership.is_leader else 0)
        try:
            async with self.db.read() as session:
                depth = await session.scalar(
                    select(func.count(OutboxMessage.id)).where(
                        OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
                    )
                )
            metrics.OUTBOX_DEPTH.set(depth or 0)
        except Exception as exc:  # the rest of the figures are still worth having
            log.warning("outbox depth unavailable: %s", type(exc).__name__)
        return web.Response(
            body=metrics.render(), headers={"Content-Type": metrics.CONTENT_TYPE_LATEST}
        )

    async def drain(self, timeout: float | None = None) -> bool:
        """Take no new updates and wait for the ones in hand; True if all finished."""
        self.stopping = True
        for poller in self.pollers:
            await poller.stop()
        wait = self.settings.shutdown_timeout if timeout is None else timeout
        finished = await self.in_flight.wait_idle(wait)
        if not finished:
            log.warning("stopping with %d updates still in hand", self.in_flight.count)
        return finished

    async def stop(self) -> None:
        if self._stopped.is_set():
            return
        self._stopped.set()
        await self.drain()  # the updates in hand finish and are answered first
        if self._leading_task is not None:
            self._leading_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._leading_task
        await self.stop_workers()
        with contextlib.suppress(Exception):
            await self.leadership.release()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.dispatcher.storage.close()
        await self.bot.session.close()
        await self.db.dispose()
        from bot.services.messenger import remember_bots

        remember_bots({})  # nothing served any more (the next start remembers anew)


class WebhookHandler(SimpleRequestHandler):
    """aiogram's handler, answering only after the update is processed, plus:

    - the answer waits for the update however long it takes: aiogram's own handler answers
      200 after 55 s and goes on in the background, so a slow update (one waiting for the
      lock a dead replica left) would let Telegram send the user's next update before
      this one is in the database; with no answer, Telegram redelivers it instead, and the
      redelivery changes nothing twice;
    - a failed update (the error handler raised `RedeliverUpdate`) is answered 500, so
      Telegram sends it again; the user was apologised to once;
    - while the process stops, new updates are answered 503 and go to another replica;
    - a body that is not an update (not JSON, no integer `update_id`) is answered 400:
      Telegram sends a 5xx'd request again, and this one would never get better; an
      update that cannot be read is logged by its id and answered 200 (skipped);
    - a request without the secret header (or with another secret) is answered 401 and
      not looked at; with no secret configured, every request is (aiogram's handler
      would let them all through);
    - the answer to a button press goes back in the HTTP answer (Telegram carries it
      out), one Bot API call less per press.
    """

    def __init__(self, app: BotApp, *, secret_token: str) -> None:
        super().__init__(
            dispatcher=app.dispatcher,
            bot=app.bot,
            secret_token=secret_token,
            handle_in_background=False,
            redeliver_failed=True,  # passed to the error handler with the update
            # A button press is answered in the webhook's HTTP answer (DatabaseMiddleware).
            webhook_reply=True,
        )
        self.app = app

    async def handle(self, request: web.Request) -> web.Response:
        if self.app.stopping:
            return web.Response(status=503, text="stopping")
        try:
            return await super().handle(request)
        except RedeliverUpdate:
            return web.Response(status=500, text="failed; send it again")

    __call__ = handle

    def verify_secret(self, telegram_secret_token: str, bot: Bot) -> bool:
        if not self.secret_token:
            return False
        return secrets.compare_digest(telegram_secret_token.encode(), self.secret_token.encode())

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:
        # Telegram sends a 5xx'd request again: a body that is not an update never gets
        # better, so it is answered 400 (a request error), not 500.
        try:
            raw = await request.json(loads=bot.session.json_loads)
        except ValueError:  # not JSON, or not UTF-8
            return web.Response(status=400, text="the body is not JSON")
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            return web.Response(status=400, text="the body is not an update")
        try:
            update = Update.model_validate(raw, context={"bot": bot})
        except ValidationError as exc:
            # An update from Telegram (the secret matched) that cannot be read: as in
            # polling (bot.polling.readable_part), logged by its id, confirmed, skipped.
            log.error(
                "update %s cannot be read (%s, %d errors); skipped",
                update_id,
                type(exc).__name__,
                exc.error_count(),
            )
            return web.Response(status=200)
        result = await self.dispatcher.feed_update(bot, update, **self.data)
        method = result if isinstance(result, TelegramMethod) else None
        return web.Response(body=self._build_response_writer(bot=bot, result=method))


async def build_app(settings: Settings, *, clock: Clock | None = None) -> BotApp:
    return BotApp(settings, clock=clock)
