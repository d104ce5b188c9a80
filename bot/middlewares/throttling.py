"""Flood control: a user who sends dozens of messages a second is slowed down politely."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update, User

from bot.texts import normalize_locale, t

MAX_WAIT = 2.0  # seconds an update may wait for its turn before it is dropped


class TokenBucket:
    """`rate` updates per `period` seconds, with a burst of `rate`."""

    def __init__(self, rate: int, period: float) -> None:
        self.capacity = float(rate)
        self.refill = rate / period
        self.tokens = float(rate)
        self.stamp = time.monotonic()
        self.warned_at = 0.0

    def wait_time(self) -> float:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.refill)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.refill


class ThrottlingMiddleware(BaseMiddleware):
    """Outer middleware on updates, before the database is touched.

    Per user and in the process: each replica protects itself, and nobody else waits.
    """

    def __init__(self, rate: int = 5, period: float = 1.0, max_users: int = 100_000) -> None:
        self.rate = rate
        self.period = period
        self.max_users = max_users
        self.buckets: dict[int, TokenBucket] = {}

    def _bucket(self, user_id: int) -> TokenBucket:
        bucket = self.buckets.get(user_id)
        if bucket is None:
            if len(self.buckets) >= self.max_users:
                self.buckets.clear()
            bucket = self.buckets[user_id] = TokenBucket(self.rate, self.period)
        return bucket

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        bucket = self._bucket(user.id)
        wait = bucket.wait_time()
        if wait > MAX_WAIT:
            now = time.monotonic()
            if now - bucket.warned_at > 10:
                bucket.warned_at = now
                text = t("flood-slow-down", normalize_locale(user.language_code))
                if isinstance(event, Update) and event.callback_query is not None:
                    await event.callback_query.answer(text)
                elif isinstance(event, Update) and event.message is not None:
                    await event.message.answer(text)
            return None
        if wait > 0:
            # Take a token in advance so later updates queue behind this one.
            bucket.tokens -= 1
            await asyncio.sleep(wait)
        return await handler(event, data)
