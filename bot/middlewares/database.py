"""One database unit of work per update; the update id is recorded in the same
transaction, and the update's replies are sent once it is committed."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.methods import TelegramMethod
from aiogram.types import TelegramObject, Update
from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError

from bot import metrics
from bot.middlewares.replies import Replies, collecting
from storage.db import Database, current_session, forget_writes, take_wipe_request
from storage.models import ProcessedUpdate, ReceivedUpdate

log = logging.getLogger(__name__)

_RECORD_UPDATE = insert(ProcessedUpdate.metadata.tables[ProcessedUpdate.__tablename__])


class DuplicateUpdate(Exception):
    pass


class DatabaseMiddleware(BaseMiddleware):
    """Outer middleware on updates.

    Opens a write session, records `update_id` in `processed_updates` and commits together
    with everything the handler did: a redelivered update (webhook retry, a replica that
    died before answering) is seen as already processed and changes nothing twice.
    The handler's replies are collected (`bot.middlewares.replies`) and sent after the
    commit, outside the write lock: nobody waits for the Bot API while holding it, a
    reply Telegram refuses never takes the person's answer with it, and a handler that
    fails sends nothing. In webhook mode (`webhook_reply` in the data) the answer to a
    button press is returned, for the webhook to give back in its HTTP answer.
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        wipe: list[frozenset[str]] = []
        replies = Replies()
        try:
            with collecting(replies):
                result = await self._unit_of_work(handler, event, data, wipe)
        except BaseException:
            replies.drop()  # nothing of the failed work is told
            raise
        for tables in wipe:  # the update erased a person: outside the write lock
            await self.db.wipe_deleted(tables)
        if data.get("webhook_reply") and not isinstance(result, TelegramMethod):
            answer = replies.webhook_answer()
            if answer is not None:
                result = answer
        await replies.send()
        return result

    async def _unit_of_work(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: Update,
        data: dict[str, Any],
        wipe: list[frozenset[str]],
    ) -> Any:
        async with self.db.writing(), self.db.session_factory() as session:
            try:
                # A plain INSERT on the session's connection: the same transaction,
                # without the ORM's unit of work for a row nobody reads back.
                connection = await session.connection()
                await connection.execute(_RECORD_UPDATE, {"update_id": event.update_id})
            except IntegrityError:
                await session.rollback()
                log.info("update %s already processed, skipped", event.update_id)
                metrics.DUPLICATE_UPDATES.inc()
                data["duplicate_update"] = True
                return None
            receipt = data.get("inbox_receipt")  # long polling kept it until now (bot.polling)
            if receipt is not None:
                await session.execute(
                    delete(ReceivedUpdate).where(ReceivedUpdate.update_id == event.update_id)
                )
            # The update's id alone is not worth storing before a reply (bot.middlewares.
            # replies): a failure before the handler wrote anything hands the update back.
            forget_writes(session)
            data["session"] = session
            data["db"] = self.db
            token = current_session.set(session)
            try:
                result = await handler(event, data)
            except BaseException:
                await session.rollback()
                raise
            finally:
                current_session.reset(token)
            await session.commit()
            asked = take_wipe_request(session)
            if asked is not None:
                wipe.append(asked)
            if receipt is not None:
                receipt.settled = True
            return result
