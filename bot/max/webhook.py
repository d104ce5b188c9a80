"""MAX's webhook: updates POSTed by MAX to `MAX_WEBHOOK_PATH`, checked by their secret.

MAX sends the secret given to `POST /subscriptions` in the `X-Max-Bot-Api-Secret`
header; a request without it (or with another) is answered 401 and not looked at. The
answer waits for the update to be handled, as the Telegram webhook's does; a failed
update is answered 500 so that MAX delivers it again, and while the process stops new
updates are answered 503.
"""

from __future__ import annotations

import json
import logging
import secrets
from typing import TYPE_CHECKING, Any

from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError

from bot.handlers.errors import RedeliverUpdate
from bot.services.messenger import MAX, use_messenger

from .session import MaxSession
from .updates import delivery_id, to_update, update_messages

if TYPE_CHECKING:
    from bot.app.factory import BotApp

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Max-Bot-Api-Secret"


class MaxWebhookHandler:
    def __init__(self, app: BotApp, secret: str) -> None:
        assert app.max_bot is not None and isinstance(app.max_bot.session, MaxSession)
        self.app = app
        self.bot = app.max_bot
        self.transport = app.max_bot.session.transport
        self.secret = secret

    async def __call__(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not secrets.compare_digest(given.encode(), self.secret.encode()):
            return web.Response(status=401, text="unauthorised")
        if self.app.stopping:
            return web.Response(status=503, text="stopping")
        try:
            raw = json.loads(await request.text())
        except ValueError:
            return web.Response(status=400, text="the body is not JSON")
        if not isinstance(raw, dict) or not isinstance(raw.get("update_type"), str):
            return web.Response(status=400, text="the body is not an update")
        update_id = delivery_id(raw)
        try:
            await self.transport.mids.prepare(update_messages(raw))
            converted = to_update(raw, update_id, self.transport.mids)
            if converted is None:
                return web.Response(status=200)
            update = Update.model_validate(converted, context={"bot": self.bot})
        except (KeyError, TypeError, ValueError, ValidationError) as exc:
            log.error("MAX update %s cannot be read (%s); skipped", update_id, type(exc).__name__)
            return web.Response(status=200)
        use_messenger(MAX)  # this request's own context
        try:
            await self.app.dispatcher.feed_update(self.bot, update, dispatcher=self.app.dispatcher)
        except RedeliverUpdate:
            return web.Response(status=500, text="failed; send it again")
        return web.Response(status=200)


def add_route(app: BotApp, web_app: web.Application, path: str, secret: str) -> None:
    web_app.router.add_post(path, MaxWebhookHandler(app, secret))


async def subscribe(app: BotApp, url: str, secret: str) -> Any:
    """`POST /subscriptions`: MAX sends every update to `url` with the secret."""
    assert app.max_bot is not None and isinstance(app.max_bot.session, MaxSession)
    body = {"url": url, "secret": secret}
    return await app.max_bot.session.transport.api.call("POST", "/subscriptions", body=body)
