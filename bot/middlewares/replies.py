"""The bot's own replies while it handles an update: sent once the update's work is
committed, and a reply Telegram refuses with 429 is sent again after `retry_after`.

A reply used to go out from inside the update's transaction: on SQLite every other
update waited for the write lock while this one waited for the Bot API, and a handler
that failed after replying had told the person something that was then rolled back.
Now, on the bot's HTTP session:

- a reply made while an update is handled (a message, an edit, a file, an answer to a
  button) is collected (`Replies`) and sent by the update middleware after the commit,
  outside the write lock; a handler that fails sends nothing. In webhook mode the
  answer to a button press goes back in the webhook's own HTTP answer, without a call
  of its own. An edit that cannot be made (the message is too old, or has no text)
  becomes a new message, which is what the handlers did when they saw the error;
- a handler that needs what a reply returns (its `message_id`, whether it arrived)
  sends it inside `sent_now()`: what it wrote so far is committed, the replies collected
  before it go first, and the call is made at once. Outside `sent_now()` a collected
  reply returns a stand-in that refuses to be read (`Deferred`);
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
from aiogram import methods as aiogram_methods
from aiogram.client.default import Default
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    SendMessage,
    TelegramMethod,
)
from pydantic_core import PydanticSerializationError
from sqlalchemy import event
from sqlalchemy.orm import Session

from bot import metrics
from bot.infra.ratelimit import SendLimiter
from storage.db import Database, current_session, has_unsaved_writes

log = logging.getLogger(__name__)

RETRY_ATTEMPTS = 3  # sends after the first one
RETRY_MAX_WAIT = 15.0  # seconds: a longer retry_after is not waited out in a handler

_retrying: ContextVar[bool] = ContextVar("reply_retrying", default=True)
_deferring: ContextVar[bool] = ContextVar("reply_deferring", default=True)
_unread: ContextVar[bool] = ContextVar("reply_unread", default=False)


@contextlib.contextmanager
def no_retry() -> Iterator[None]:
    """Calls made inside raise 429 at once (the caller queues them again itself)."""
    token = _retrying.set(False)
    try:
        yield
    finally:
        _retrying.reset(token)


@contextlib.contextmanager
def sent_now() -> Iterator[None]:
    """Replies made inside go out at once and return Telegram's answer (a handler that
    needs the sent message, or to know whether it arrived): the update's work so far is
    committed first and the replies collected before go out before them."""
    token = _deferring.set(False)
    try:
        yield
    finally:
        _deferring.reset(token)


@contextlib.contextmanager
def results_unread() -> Iterator[None]:
    """Calls made inside are collected replies sent after the commit: nobody reads what
    Telegram answers them, so the session need not build its objects (`result_unread`)."""
    token = _unread.set(True)
    try:
        yield
    finally:
        _unread.reset(token)


def result_unread() -> bool:
    """Whether the call in hand is a collected reply whose result nobody reads."""
    return _unread.get()


def is_reply(method: TelegramMethod[Any]) -> bool:
    """Calls that show the person something: messages, files, edits, button answers."""
    name = type(method).__name__
    return isinstance(method, AnswerCallbackQuery) or name.startswith(
        ("Send", "Edit", "Copy", "Forward")
    )


class Deferred:
    """What a collected reply returns: it is sent after the commit, so there is nothing
    to read yet. Reading it is a mistake in the handler (use `sent_now()`)."""

    __slots__ = ("method",)

    def __init__(self, method: TelegramMethod[Any]) -> None:
        self.method = method

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(
            f"{type(self.method).__name__} is sent after the update is committed; "
            "make it inside sent_now() to read its result"
        )

    def __bool__(self) -> bool:
        return True


def defaults_of(method: TelegramMethod[Any]) -> dict[str, Default]:
    """The method's fields left to the bot's defaults (`Default`), by name. (The model's
    `__dict__` holds its fields; iterating the model yields the same pairs, one resumed
    generator step each.)"""
    return {name: value for name, value in vars(method).items() if isinstance(value, Default)}


def journal_entry(method: TelegramMethod[Any]) -> tuple[str, dict[str, Any]] | None:
    """A reply as a row of the journal (`PendingReply`): the method's name and its fields
    as JSON, the bot's defaults left to be applied again when it is sent. None for what
    JSON cannot hold (a file in memory): such a reply is not replayed."""
    unset = defaults_of(method)
    try:
        payload = method.model_dump(mode="json", exclude_none=True, exclude=set(unset))
    except PydanticSerializationError:
        return None
    return type(method).__name__, payload


def from_journal(name: str, payload: dict[str, Any]) -> TelegramMethod[Any] | None:
    """The reply a journal row holds (None if this aiogram has no such method)."""
    cls = getattr(aiogram_methods, name, None)
    if not (isinstance(cls, type) and issubclass(cls, TelegramMethod)):
        return None
    method: TelegramMethod[Any] = cls.model_validate(payload)
    return method


class Replies:
    """The replies of one update, in the order the handler made them."""

    def __init__(self) -> None:
        self.calls: list[tuple[Bot, TelegramMethod[Any]]] = []
        self.open = True  # closed once sent or dropped: a late call goes out at once
        self.journaled: int | None = None  # the update whose journal these replies are

    def take(self) -> list[tuple[Bot, TelegramMethod[Any]]]:
        calls, self.calls = self.calls, []
        return calls

    def webhook_answer(self) -> TelegramMethod[Any] | None:
        """The button press's answer, taken out to go back in the webhook's HTTP answer
        (Telegram carries it out; it is the one call whose result nobody needs)."""
        for index, (_bot, method) in enumerate(self.calls):
            if isinstance(method, AnswerCallbackQuery):
                del self.calls[index]
                return method
        return None

    async def send(self) -> None:
        """Send what was collected, each in turn; the first failure is raised after the
        rest were tried (the update's work is committed: it is not handed back)."""
        self.open = False
        failure: BaseException | None = None
        with sent_now(), results_unread():
            for bot, method in self.take():
                try:
                    await send_one(bot, method)
                except Exception as exc:
                    log.info("reply %s failed: %s", type(method).__name__, type(exc).__name__)
                    failure = failure or exc
        if failure is not None:
            raise failure

    def drop(self) -> None:
        self.open = False
        self.calls.clear()


_collecting: ContextVar[Replies | None] = ContextVar("replies", default=None)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    """The update's transaction was rolled back (a refused action undone, say): the
    replies made so far told of work that is no longer there. Later ones still go."""
    replies = _collecting.get()
    current = current_session.get()
    if replies is not None and current is not None and current.sync_session is session:
        replies.calls.clear()


def current_replies() -> Replies | None:
    """The replies the update in hand is collecting (None outside an update)."""
    return _collecting.get()


@contextlib.contextmanager
def collecting(replies: Replies) -> Iterator[Replies]:
    """Replies made inside (by this task and the tasks it starts) wait in `replies`."""
    token = _collecting.set(replies)
    try:
        yield replies
    finally:
        _collecting.reset(token)


async def send_one(bot: Bot, method: TelegramMethod[Any]) -> Any:
    """One collected call. The handlers used to wrap edits and button answers in
    `except TelegramBadRequest` and go on; collected, they fail after the handler, so
    the same is done here: an edit of text Telegram refuses (too old, not a text
    message) becomes a new message with the same text and buttons, another edit or a
    button answer it refuses is let go ("not modified" and "query is too old" count as
    done already, `RepeatableCalls`)."""
    try:
        return await bot(method)
    except TelegramBadRequest as exc:
        if isinstance(method, EditMessageText) and method.chat_id and method.text:
            return await bot(
                SendMessage(
                    chat_id=method.chat_id,
                    text=method.text,
                    parse_mode=method.parse_mode,
                    entities=method.entities,
                    link_preview_options=method.link_preview_options,
                    reply_markup=method.reply_markup,
                )
            )
        if isinstance(method, AnswerCallbackQuery) or type(method).__name__.startswith("Edit"):
            log.info("%s refused: %s", type(method).__name__, type(exc).__name__)
            return False
        raise


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
            replies = _collecting.get()
            if replies is not None and replies.open:
                if _deferring.get():
                    replies.calls.append((bot, method))
                    return True if isinstance(method, AnswerCallbackQuery) else Deferred(method)
                await self._store_first()
                await self._send_collected(replies)
            else:
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

    async def _send_collected(self, replies: Replies) -> None:
        """Before a reply sent at once: the ones collected before it, in order."""
        with results_unread():
            for bot, method in replies.take():
                await send_one(bot, method)

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
