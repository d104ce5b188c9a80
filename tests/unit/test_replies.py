"""A handler's replies: 429 waited out within bounds, the update's work stored first."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import GetChatMember, SendMessage, TelegramMethod
from sqlalchemy import select

from bot.middlewares.replies import ReplyMiddleware, no_retry
from bot.services.ratelimit import SendLimiter
from storage.db import Database, current_session
from storage.models import ProcessedUpdate


class Telegram:
    """Answers 429 with `retry_after` to the first `refusals` calls, then "sent"."""

    def __init__(self, refusals: int, retry_after: int = 1) -> None:
        self.refusals = refusals
        self.retry_after = retry_after
        self.calls = 0

    async def __call__(self, _bot: Any, method: TelegramMethod[Any]) -> str:
        self.calls += 1
        if self.calls <= self.refusals:
            raise TelegramRetryAfter(method, "Too Many Requests", self.retry_after)
        return "sent"


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr("bot.middlewares.replies.asyncio.sleep", sleep)
    return waits


def message() -> SendMessage:
    return SendMessage(chat_id=1, text="Вопрос 2")


async def test_a_429_is_waited_out_and_the_call_made_again(slept: list[float]) -> None:
    telegram = Telegram(refusals=2, retry_after=3)
    limiter = SendLimiter()
    middleware = ReplyMiddleware(limiter=limiter, attempts=3, max_wait=15)
    assert await middleware(telegram, None, message()) == "sent"  # type: ignore[arg-type]
    assert telegram.calls == 3 and slept == [3.0, 3.0]
    # The outbox waits too, as the delivery worker does on a 429.
    assert limiter.global_wait(asyncio.get_running_loop().time()) > 2


async def test_the_retries_are_bounded(slept: list[float]) -> None:
    telegram = Telegram(refusals=10)
    middleware = ReplyMiddleware(attempts=3, max_wait=15)
    with pytest.raises(TelegramRetryAfter):
        await middleware(telegram, None, message())  # type: ignore[arg-type]
    assert telegram.calls == 4 and len(slept) == 3


async def test_a_long_wait_is_not_waited_in_a_handler(slept: list[float]) -> None:
    telegram = Telegram(refusals=1, retry_after=60)
    middleware = ReplyMiddleware(attempts=3, max_wait=15)
    with pytest.raises(TelegramRetryAfter):
        await middleware(telegram, None, message())  # type: ignore[arg-type]
    assert telegram.calls == 1 and slept == []


async def test_the_delivery_worker_handles_its_429_itself(slept: list[float]) -> None:
    telegram = Telegram(refusals=1)
    middleware = ReplyMiddleware()
    with no_retry(), pytest.raises(TelegramRetryAfter):
        await middleware(telegram, None, message())  # type: ignore[arg-type]
    assert telegram.calls == 1 and slept == []


async def _stored(db: Database, update_id: int) -> bool:
    async with db.read() as s:
        return (
            await s.scalar(
                select(ProcessedUpdate.update_id).where(ProcessedUpdate.update_id == update_id)
            )
            is not None
        )


async def test_what_the_handler_wrote_is_stored_before_a_reply_only(
    db: Database,
) -> None:
    """Not before a call in the middle of a service (getChatMember), nor when nothing was
    written: then a later failure still hands the whole update back."""
    seen: list[bool] = []

    async def telegram(_bot: Any, _method: TelegramMethod[Any]) -> str:
        seen.append(await _stored(db, 7))
        return "sent"

    middleware = ReplyMiddleware(db)
    async with db.writing(), db.session_factory() as session:
        token = current_session.set(session)
        try:
            await middleware(telegram, None, message())  # type: ignore[arg-type]
            session.add(ProcessedUpdate(update_id=7))
            await session.flush()
            await middleware(telegram, None, GetChatMember(chat_id=-5, user_id=1))  # type: ignore[arg-type]
            await middleware(telegram, None, message())  # type: ignore[arg-type]
        finally:
            current_session.reset(token)
        await session.rollback()  # the handler failed afterwards
    assert seen == [False, False, True]
    assert await _stored(db, 7)
