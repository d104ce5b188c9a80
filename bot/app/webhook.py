"""The Telegram webhook's request handler (aiogram's, answering only after the update is
processed; see `WebhookHandler`)."""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING

from aiogram import Bot
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from pydantic import ValidationError

from bot.app.json_body import webhook_answer
from bot.handlers.errors import RedeliverUpdate

if TYPE_CHECKING:
    from bot.app.factory import BotApp

log = logging.getLogger(__name__)


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
        if not isinstance(result, TelegramMethod):
            return web.Response(body=b"{}", content_type="application/json")
        # A button's answer: as JSON (bot.app.json_body), or else aiogram's form.
        answer = webhook_answer(bot, result)
        if answer is not None:
            return web.Response(body=answer, content_type="application/json")
        return web.Response(body=self._build_response_writer(bot=bot, result=result))
