"""One database unit of work per update; the update id is recorded in the same
transaction, and the update's replies are sent once it is committed."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.methods import TelegramMethod
from aiogram.types import TelegramObject, Update
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from bot import metrics
from bot.middlewares.replies import (
    Replies,
    collecting,
    current_replies,
    from_journal,
    journal_entry,
)
from bot.services.clock import now
from storage.db import Database, current_session, forget_writes, take_wipe_request
from storage.models import PendingReply, ProcessedUpdate, ReceivedUpdate

log = logging.getLogger(__name__)

_RECORD_UPDATE = insert(ProcessedUpdate.metadata.tables[ProcessedUpdate.__tablename__])
_JOURNAL = insert(PendingReply.metadata.tables[PendingReply.__tablename__])


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
        self._sent: list[int] = []  # updates whose journaled replies all went out

    async def _journal(self, session: Any, update_id: int) -> None:
        """The replies collected so far, stored with the update's work: if the process
        dies before they are sent, the redelivered update sends them (`_replay`)."""
        replies = current_replies()
        if replies is None or not replies.calls:
            return
        rows = []
        for seq, (_bot, method) in enumerate(replies.calls):
            entry = journal_entry(method)
            if entry is None:
                continue
            chat = getattr(method, "chat_id", None)
            rows.append(
                {
                    "update_id": update_id,
                    "seq": seq,
                    "chat_id": chat if isinstance(chat, int) else None,
                    "method": entry[0],
                    "payload": entry[1],
                    "created_at": now(),
                }
            )
        if rows:
            connection = await session.connection()
            await connection.execute(_JOURNAL, rows)
            replies.journaled = update_id

    async def _forget_sent(self, session: Any) -> None:
        """Journals of replies already sent go in this update's transaction (one
        statement for many updates, not a write of their own)."""
        if not self._sent:
            return
        sent, self._sent = self._sent, []
        await session.execute(delete(PendingReply).where(PendingReply.update_id.in_(sent)))

    async def _replay(self, replies: Replies, update_id: int, data: dict[str, Any]) -> None:
        """A redelivered update that was committed: the replies it journaled and may not
        have sent (the process died after the commit) go out now; a few may arrive twice,
        which is better than an answer never given."""
        bot = data.get("bot")
        async with self.db.read() as session:
            rows = (
                await session.scalars(
                    select(PendingReply)
                    .where(PendingReply.update_id == update_id)
                    .order_by(PendingReply.seq)
                )
            ).all()
        if bot is None or not rows:
            return
        for row in rows:
            method = from_journal(row.method, dict(row.payload))
            if method is not None:
                replies.calls.append((bot, method))
        replies.journaled = update_id
        log.info("update %s: %d journaled replies sent again", update_id, len(rows))

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
        if data.get("duplicate_update"):
            await self._replay(replies, event.update_id, data)
        for tables in wipe:  # the update erased a person: outside the write lock
            await self.db.wipe_deleted(tables)
        if data.get("webhook_reply") and not isinstance(result, TelegramMethod):
            answer = replies.webhook_answer()
            if answer is not None:
                result = answer
        await replies.send()
        if replies.journaled is not None:
            self._sent.append(replies.journaled)
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
            await self._forget_sent(session)
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
            await self._journal(session, event.update_id)
            await session.commit()
            asked = take_wipe_request(session)
            if asked is not None:
                wipe.append(asked)
            if receipt is not None:
                receipt.settled = True
            return result
