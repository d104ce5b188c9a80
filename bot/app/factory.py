"""Composition root: builds the bot, the dispatcher and the background workers.

The parts run elsewhere: the lifecycle and leadership in bot/app/lifecycle.py, /healthz and
/metrics in bot/app/ops.py, the Telegram webhook's handler in bot/app/webhook.py.
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus
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
from aiogram.types import LinkPreviewOptions
from aiohttp import ClientError, ClientTimeout, web

from bot.app.json_body import json_body
from bot.app.lifecycle import Lifecycle
from bot.app.ops import OpsRoutes
from bot.app.webhook import WebhookHandler
from bot.config import Settings
from bot.dashboard.routes import Dashboard, dashboard_app
from bot.handlers import errors, get_routers
from bot.infra import clock as clock_module
from bot.infra.clock import Clock
from bot.infra.delivery import DeliveryWorker
from bot.infra.leader import Leadership
from bot.infra.ratelimit import SendLimiter
from bot.infra.scheduler import JobContext, Scheduler
from bot.logs import MASK, redact
from bot.middlewares.context import PersonMiddleware
from bot.middlewares.database import DatabaseMiddleware
from bot.middlewares.metrics import InFlight, MetricsMiddleware
from bot.middlewares.replay import RepeatableCalls
from bot.middlewares.replies import ReplyMiddleware, is_reply, result_unread
from bot.middlewares.text import ControlCharactersMiddleware
from bot.middlewares.throttling import ThrottlingMiddleware
from bot.polling import Poller
from storage.db import Database
from storage.fsm import SQLStorage

JSON_HEADERS = {"Content-Type": "application/json"}
# What a reply whose result nobody reads returns (`ApiSession.check_response`).
UNREAD: Response[Any] = Response[Any](ok=True, result=True)


class ApiSession(AiohttpSession):
    """aiogram reads every answer with the pydantic model `Response[<result type>]`;
    pydantic keeps such a model only while something else refers to it, so after each
    garbage collection it was built again, a few milliseconds each. Here it is kept.

    The answer to a reply sent after the commit (`result_unread`) is not read that way
    when it says the call succeeded: nobody reads its result (the sent message, with its
    chat, sender and buttons, as pydantic objects), and an error is read as before."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.response_types: dict[Any, Any] = {}

    def check_response(
        self, bot: Bot, method: TelegramMethod[Any], status_code: int, content: str
    ) -> Response[Any]:
        # Only the reply itself: a call the session makes on its way (the file of a
        # Telegram message fetched for a MAX chat) is read as always.
        if (
            result_unread()
            and is_reply(method)
            and HTTPStatus.OK <= status_code <= HTTPStatus.IM_USED
        ):
            try:
                answer = self.json_loads(content)
            except ValueError:
                answer = None
            if isinstance(answer, dict) and answer.get("ok") is True and "result" in answer:
                return UNREAD
        returning = method.__returning__
        if returning not in self.response_types:
            self.response_types[returning] = Response[returning]  # type: ignore[valid-type]
        return super().check_response(bot, method, status_code, content)

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        """aiogram quotes aiohttp's error, which for a malformed address is the whole
        address, token included (`…/bot123456:ABC…/deleteWebhook`): the message is
        cleaned and aiohttp's error, with its own copy, left out of the chain.

        The calls a screen is made of go as a JSON body (bot.app.json_body), the others
        as aiogram's form."""
        try:
            body = json_body(bot, method)
            if body is None:
                return await super().make_request(bot, method, timeout)
            return await self._post_json(bot, method, body, timeout)
        except TelegramNetworkError as exc:
            clean = redact(exc.message.replace(bot.token, MASK))
            if clean == exc.message:
                raise
            raise TelegramNetworkError(method=method, message=clean) from None

    async def _post_json(
        self, bot: Bot, method: TelegramMethod[Any], body: bytes, timeout: int | None
    ) -> Any:
        """aiogram's `AiohttpSession.make_request`, with a JSON body instead of its form."""
        session = await self.create_session()
        url = self.api.api_url(token=bot.token, method=method.__api_method__)
        try:
            async with session.post(
                url,
                data=body,
                headers=JSON_HEADERS,
                timeout=ClientTimeout(total=self.timeout if timeout is None else timeout),
            ) as resp:
                # JSON is UTF-8 (RFC 8259): no charset to look for in the headers
                raw_result = await resp.text(encoding="utf-8", errors="replace")
        except TimeoutError as exc:
            raise TelegramNetworkError(method=method, message="Request timeout error") from exc
        except ClientError as exc:
            message = f"{type(exc).__name__}: {exc}"
            raise TelegramNetworkError(method=method, message=message) from exc
        response = self.check_response(
            bot=bot, method=method, status_code=resp.status, content=raw_result
        )
        return response.result


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
    # New routers for each dispatcher: a process may build the bot more than once. The
    # error handler's router goes last: it handles no update, only the errors event, which
    # aiogram offers to every router in turn; first, every update walked past it.
    dispatcher.include_routers(*get_routers(), errors.router.build())
    return dispatcher


class BotApp(Lifecycle, OpsRoutes):
    """Everything a running bot needs, with one lifecycle: start, run, stop."""

    def __init__(self, settings: Settings, *, clock: Clock | None = None) -> None:
        import bot.jobs  # noqa: F401  (registers scheduled jobs)
        from bot.services import forms
        from bot.services.privacy import retention
        from bot.services.reporting import docx_render

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
        self.job_context = JobContext(self.db, self.bot, self.clock, settings)
        self.scheduler = Scheduler(self.job_context, speed=settings.scheduler_speed)
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


async def build_app(settings: Settings, *, clock: Clock | None = None) -> BotApp:
    return BotApp(settings, clock=clock)
