"""The bot's own replies while it handles an update: what the person said is stored
first, and a reply Telegram refuses with 429 is sent again after `retry_after`.

Before this, a reply that met Telegram's flood limit raised out of the handler, the
update's transaction was rolled back with the person's answer in it, and nobody heard
anything. Now, on the bot's HTTP session:

- before a reply goes out (a message, an edit, a file, an answer to a button), the
  update's unit of work is committed if the handler wrote anything: the answer is kept
  whatever happens to the reply;
- a call answered 429 is made again after `retry_after` seconds, a bounded number of
  times and only while the wait is short enough for the person to be still there. The
  wait also pauses the delivery worker (the same `SendLimiter`, as the worker itself
  does on a 429), and on SQLite the other updates may write meanwhile.

The delivery worker has its own 429 handling (the row goes back into the queue) and
turns the retry here off for its sends (`no_retry`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import AnswerCallbackQuery, TelegramMethod

from bot import metrics
from bot.services.ratelimit import SendLimiter
from storage.db import Database, current_session, has_unsaved_writes

log = logging.getLogger(__name__)

RETRY_ATTEMPTS = 3  # sends after the first one
RETRY_MAX_WAIT = 15.0  # seconds: a longer retry_after is not waited out in a handler

_retrying: ContextVar[bool] = ContextVar("reply_retrying", default=True)


@contextlib.contextmanager
def no_retry() -> Iterator[None]:
    """Calls made inside raise 429 at once (the caller queues them again itself)."""
    token = _retrying.set(False)
    try:
        yield
    finally:
        _retrying.reset(token)


def is_reply(method: TelegramMethod[Any]) -> bool:
    """Calls that show the person something: messages, files, edits, button answers."""
    name = type(method).__name__
    return isinstance(method, AnswerCallbackQuery) or name.startswith(
        ("Send", "Edit", "Copy", "Forward")
    )


class ReplyMiddleware(BaseRequestMiddleware):
    def __init__(
        self,
        db: Database | None = None,
        limiter: SendLimiter | None = None,
        *,
        attempts: int = RETRY_ATTEMPTS,
        max_wait: float = RETRY_MAX_WAIT,
    ) -> None:
        self.db = db
        self.limiter = limiter
        self.attempts = attempts
        self.max_wait = max_wait

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[Any],
        bot: Bot,
        method: TelegramMethod[Any],
    ) -> Any:
        reply = is_reply(method)
        if reply:
            await self._store_first()
        attempt = 0
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                attempt += 1
                wait = float(exc.retry_after)
                if not _retrying.get() or attempt > self.attempts or wait > self.max_wait:
                    raise
                log.info(
                    "%s met 429: sent again in %.0f s (attempt %d)",
                    type(method).__name__,
                    wait,
                    attempt + 1,
                )
                metrics.count_send("reply_rate_limited")
                await self._wait(wait, reply=reply)

    async def _store_first(self) -> None:
        session = current_session.get()
        if session is not None and has_unsaved_writes(session):
            await session.commit()

    async def _wait(self, seconds: float, *, reply: bool) -> None:
        if self.limiter is not None:
            self.limiter.pause(seconds, asyncio.get_running_loop().time())
        session = current_session.get()
        if session is None or self.db is None:
            await asyncio.sleep(seconds)
            return
        if reply and session.in_transaction():
            # Whatever the update did so far is kept; the write lock is not held idle.
            await session.commit()
        if session.in_transaction():  # a call in the middle of a service: keep its turn
            await asyncio.sleep(seconds)
            return
        async with self.db.writes_paused():
            await asyncio.sleep(seconds)
