"""A handler's replies: collected and sent after the commit, 429 waited out within bounds,
the update's work stored before a reply that is sent at once."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    GetChatMember,
    SendMessage,
    TelegramMethod,
)
from sqlalchemy import select

from bot.infra.ratelimit import SendLimiter
from bot.middlewares.replies import (
    Deferred,
    Replies,
    ReplyMiddleware,
    collecting,
    no_retry,
    sent_now,
)
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


class Api:
    """A bot whose calls go through the middleware to a Telegram that records them and
    refuses the methods named in `refused` with 400."""

    def __init__(self, *refused: type[TelegramMethod[Any]]) -> None:
        self.middleware = ReplyMiddleware()
        self.refused = refused
        self.sent: list[TelegramMethod[Any]] = []

    async def telegram(self, _bot: Any, method: TelegramMethod[Any]) -> str:
        if isinstance(method, self.refused):
            raise TelegramBadRequest(method, "Bad Request: message can't be edited")
        self.sent.append(method)
        return "sent"

    async def __call__(self, method: TelegramMethod[Any]) -> Any:
        return await self.middleware(self.telegram, self, method)  # type: ignore[arg-type]


async def test_replies_wait_for_the_update_and_go_out_in_order() -> None:
    api = Api()
    replies = Replies()
    with collecting(replies):
        assert await api(AnswerCallbackQuery(callback_query_id="q")) is True
        shown = await api(message())
        # Not a reply: a question to Telegram in the middle of the work goes at once.
        assert await api(GetChatMember(chat_id=-5, user_id=1)) == "sent"
    assert [type(m) for m in api.sent] == [GetChatMember]
    with pytest.raises(RuntimeError, match="sent_now"):
        _ = shown.message_id  # nothing was sent yet: there is nothing to read
    assert isinstance(shown, Deferred)
    await replies.send()
    assert [type(m) for m in api.sent] == [GetChatMember, AnswerCallbackQuery, SendMessage]


async def test_a_dropped_update_sends_nothing() -> None:
    api = Api()
    replies = Replies()
    with collecting(replies):
        await api(message())
    replies.drop()
    await replies.send()
    assert api.sent == []


async def test_a_reply_sent_now_goes_after_the_ones_collected_before_it() -> None:
    api = Api()
    replies = Replies()
    with collecting(replies):
        await api(SendMessage(chat_id=1, text="first"))
        with sent_now():
            assert await api(SendMessage(chat_id=1, text="second")) == "sent"
    assert [m.text for m in api.sent] == ["first", "second"]  # type: ignore[attr-defined]


async def test_the_answer_to_a_press_can_go_in_the_webhook_answer() -> None:
    api = Api()
    replies = Replies()
    with collecting(replies):
        await api(message())
        await api(AnswerCallbackQuery(callback_query_id="q"))
    answer = replies.webhook_answer()
    assert isinstance(answer, AnswerCallbackQuery)
    await replies.send()
    assert [type(m) for m in api.sent] == [SendMessage]


async def test_an_edit_refused_after_the_commit_becomes_a_new_message() -> None:
    """What the handlers did when the edit failed under their eyes (`except
    TelegramBadRequest: message.answer(...)`), now that it fails after them."""
    api = Api(EditMessageText, EditMessageReplyMarkup)
    replies = Replies()
    with collecting(replies):
        await api(EditMessageReplyMarkup(chat_id=1, message_id=5))
        await api(EditMessageText(chat_id=1, message_id=5, text="Экран"))
    await replies.send()  # the refused keyboard edit is let go, not raised
    assert [(type(m), m.text) for m in api.sent] == [(SendMessage, "Экран")]  # type: ignore[attr-defined]


async def test_replies_of_work_rolled_back_in_the_update_are_not_sent(db: Database) -> None:
    """A refused action is undone with a rollback and answered: only the answer goes."""
    api = Api()
    replies = Replies()
    async with db.writing(), db.session_factory() as session:
        token = current_session.set(session)
        try:
            with collecting(replies):
                session.add(ProcessedUpdate(update_id=8))
                await session.flush()
                await api(SendMessage(chat_id=1, text="Готово"))
                await session.rollback()
                await api(SendMessage(chat_id=1, text="Нельзя"))
        finally:
            current_session.reset(token)
    await replies.send()
    assert [m.text for m in api.sent] == ["Нельзя"]  # type: ignore[attr-defined]


def test_a_collected_replys_answer_is_not_read_into_objects() -> None:
    """After the commit nobody reads what a reply returned: a success is taken as it is;
    an error is read and raised as before; outside, the answer is read as aiogram does."""
    import json

    from aiogram import Bot
    from aiogram.types import Message

    from bot.app.factory import UNREAD, ApiSession
    from bot.middlewares.replies import results_unread

    session = ApiSession()
    bot = Bot("1:T", session=session)
    sent = json.dumps(
        {
            "ok": True,
            "result": {
                "message_id": 7,
                "date": 1_700_000_000,
                "chat": {"id": 1, "type": "private"},
                "text": "Вопрос 2",
            },
        }
    )
    refused = json.dumps({"ok": False, "error_code": 400, "description": "Bad Request: no"})
    read = session.check_response(bot, message(), 200, sent)
    assert isinstance(read.result, Message) and read.result.message_id == 7
    with results_unread():
        assert session.check_response(bot, message(), 200, sent) is UNREAD
        with pytest.raises(TelegramBadRequest, match="no"):
            session.check_response(bot, message(), 400, refused)
        with pytest.raises(TelegramRetryAfter):
            session.check_response(
                bot,
                message(),
                429,
                json.dumps(
                    {"ok": False, "description": "Too Many", "parameters": {"retry_after": 3}}
                ),
            )


async def test_replies_sent_after_the_commit_are_sent_with_their_results_unread() -> None:
    from bot.middlewares.replies import result_unread

    seen: list[bool] = []
    api = Api()
    original = api.telegram

    async def telegram(bot: Any, method: TelegramMethod[Any]) -> Any:
        seen.append(result_unread())
        return await original(bot, method)

    api.telegram = telegram  # type: ignore[method-assign]
    replies = Replies()
    with collecting(replies):
        await api(SendMessage(chat_id=1, text="first"))
        with sent_now():  # a handler that reads what it sent
            await api(SendMessage(chat_id=1, text="second"))
        await api(SendMessage(chat_id=1, text="third"))
    await replies.send()
    assert seen == [True, False, True]
