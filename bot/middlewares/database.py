"""One database unit of work per update; the update id is recorded in the same
transaction, and the update's replies are sent once it is committed."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from aiogram import BaseMiddleware
from aiogram.methods import AnswerCallbackQuery, TelegramMethod
from aiogram.types import TelegramObject, Update
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import metrics
from bot.infra.clock import now
from bot.max.ids import is_max_update
from bot.middlewares.metrics import InFlight
from bot.middlewares.replies import (
    Replies,
    collecting,
    current_replies,
    from_journal,
    journal_entry,
)
from storage.db import Database, current_session, forget_writes, take_wipe_request
from storage.models import PendingReply, ProcessedUpdate, ReceivedUpdate
from storage.statements import Statement

log = logging.getLogger(__name__)

_UPDATES_TABLE = ProcessedUpdate.metadata.tables[ProcessedUpdate.__tablename__]
_RECORD_UPDATE = Statement(
    insert(_UPDATES_TABLE).values(
        update_id=bindparam("update_id"), processed_at=bindparam("processed_at")
    )
)
_JOURNAL_COLUMNS = ("update_id", "seq", "chat_id", "method", "payload", "created_at")
_JOURNAL_TABLE = PendingReply.metadata.tables[PendingReply.__tablename__]
_JOURNAL = Statement(
    insert(_JOURNAL_TABLE).values({name: bindparam(name) for name in _JOURNAL_COLUMNS})
)
# The journals of updates whose replies went out (`_sent`), one statement per update: all
# of them, or all but the answer to a button press given in the webhook's HTTP answer.
_DROP_JOURNAL = Statement(
    delete(_JOURNAL_TABLE).where(_JOURNAL_TABLE.c.update_id == bindparam("update_id"))
)
_DROP_JOURNAL_BUT_ANSWER = Statement(
    delete(_JOURNAL_TABLE).where(
        _JOURNAL_TABLE.c.update_id == bindparam("update_id"),
        _JOURNAL_TABLE.c.method != AnswerCallbackQuery.__name__,
    )
)
_INBOX_DONE = Statement(
    delete(ReceivedUpdate).where(ReceivedUpdate.update_id == bindparam("update_id"))
)
# Seconds a copy of a committed update waits for the first copy to send its replies
# before sending them itself (the first copy's process may have died after the commit).
JOURNAL_LEASE = 10.0
# Seconds sent journals wait for an update whose transaction deletes them, when none is
# on its way, before they are deleted in a write of their own.
SETTLE_DELAY = 0.02


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
        # Journals whose replies went out, to be deleted (`_sent`): by the next unit of
        # work, in its own transaction, or by a write of their own when none is coming.
        self._done: list[tuple[int, bool]] = []
        # Units of work that will still take `_done` into their transaction.
        self._open = 0
        self._settling: asyncio.Task[None] | None = None

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
            await _JOURNAL.run_many(session, rows)
            replies.journaled = update_id

    async def _journal_rows(self, update_id: int) -> list[PendingReply]:
        async with self.db.read() as session:
            return list(
                (
                    await session.scalars(
                        select(PendingReply)
                        .where(PendingReply.update_id == update_id)
                        .order_by(PendingReply.seq)
                    )
                ).all()
            )

    def _sent(self, update_id: int, *, answer_pending: bool = False) -> None:
        """The update's replies went out: its journal goes, so that a copy of the update
        arriving later finds nothing to send. It is deleted in the transaction of the
        next update (no write of its own per update under load), or at once when no
        update is on its way (`_settle`). The answer to a button press given back in
        the webhook's HTTP answer is not known to arrive until that answer is taken:
        its row stays for a copy of the update to send again."""
        self._done.append((update_id, answer_pending))

    @staticmethod
    async def _drop(session: AsyncSession, done: list[tuple[int, bool]]) -> None:
        """Delete the journals in `done` in the session's transaction."""
        whole = [{"update_id": update_id} for update_id, pending in done if not pending]
        but_answer = [{"update_id": update_id} for update_id, pending in done if pending]
        await _DROP_JOURNAL.run_many(session, whole)
        await _DROP_JOURNAL_BUT_ANSWER.run_many(session, but_answer)

    async def _settle(self, in_flight: InFlight | None) -> None:
        """Journals sent with no unit of work on its way to delete them: deleted in a
        write of their own after `SETTLE_DELAY`, unless an update comes meanwhile and
        takes them into its transaction (several at once when they piled up). Counted
        as an update in hand (`in_flight`), so that a stop or a test waiting for the
        updates in hand also waits for it; without it, at once."""
        if not self._done or self._open or self._settling is not None:
            return
        if in_flight is None:
            await self._drop_now()
            return
        in_flight.enter()
        self._settling = asyncio.create_task(self._settle_later(in_flight))

    async def _settle_later(self, in_flight: InFlight) -> None:
        try:
            while self._done and not self._open:
                await asyncio.sleep(SETTLE_DELAY)
                await self._drop_now()
        finally:
            # No await from the loop's last look to here: a journal sent from now on
            # finds no settling task and starts one.
            self._settling = None
            in_flight.leave()

    async def _drop_now(self) -> None:
        if not self._done or self._open:
            return  # nothing left, or an update on its way takes them
        done, self._done = self._done, []
        try:
            async with self.db.session() as session:
                await self._drop(session, done)
        except Exception as exc:  # the housekeeping job drops them later
            log.warning("journals of %d updates kept: %s", len(done), type(exc).__name__)

    async def _claim(self, update_id: int, stamp: datetime) -> bool:
        """Take over a journal nobody has sent: the first to move its stamp owns it."""
        async with self.db.session() as session:
            result = await session.execute(
                update(PendingReply)
                .where(PendingReply.update_id == update_id, PendingReply.created_at == stamp)
                .values(created_at=stamp + timedelta(microseconds=1))
            )
            return bool(getattr(result, "rowcount", 0))

    async def _replay(self, replies: Replies, update_id: int, data: dict[str, Any]) -> None:
        """A copy of an update already committed. If its journal is still there, the
        replies may be on their way (the first copy is sending them) or lost (its process
        died after the commit): wait while the first copy may still be sending, then take
        the journal over and send it. A few replies may arrive twice, which is better
        than an answer never given."""
        bot = data.get("bot")
        if bot is None:
            return
        deadline = time.monotonic() + JOURNAL_LEASE
        while True:
            rows = await self._journal_rows(update_id)
            if not rows:
                return  # sent by the first copy
            if time.monotonic() < deadline:
                await asyncio.sleep(0.2)
                continue
            if await self._claim(update_id, rows[0].created_at):
                break
            deadline = time.monotonic() + JOURNAL_LEASE  # another copy took it over
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
        try:
            return await self._handle(handler, event, data)
        finally:
            await self._settle(data.get("in_flight"))

    async def _handle(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: Update,
        data: dict[str, Any],
    ) -> Any:
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
        answered_in_webhook = False
        if data.get("webhook_reply") and not isinstance(result, TelegramMethod):
            answer = replies.webhook_answer()
            if answer is not None:
                result = answer
                answered_in_webhook = True
        await replies.send()  # a reply that failed keeps the journal for a copy to send
        if replies.journaled is not None:
            self._sent(replies.journaled, answer_pending=answered_in_webhook)
        return result

    async def _unit_of_work(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: Update,
        data: dict[str, Any],
        wipe: list[frozenset[str]],
    ) -> Any:
        self._open += 1
        folded: list[tuple[int, bool]] | None = None
        try:
            async with self.db.writing(), self.db.session_factory() as session:
                try:
                    # A plain INSERT on the session's connection: the same transaction,
                    # without the ORM's unit of work for a row nobody reads back.
                    await _RECORD_UPDATE.run(
                        session, {"update_id": event.update_id, "processed_at": now()}
                    )
                except IntegrityError:
                    await session.rollback()
                    log.info("update %s already processed, skipped", event.update_id)
                    metrics.DUPLICATE_UPDATES.inc()
                    data["duplicate_update"] = True
                    return None
                # long polling kept it until now (bot.polling)
                receipt = data.get("inbox_receipt")
                if receipt is not None:
                    await _INBOX_DONE.run(session, {"update_id": event.update_id})
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
                if receipt is None and not is_max_update(event.update_id):
                    # Only a copy of a committed update sends its journal. Long polling
                    # deletes the update's row from its inbox in this transaction: once
                    # committed it never comes again. MAX's updates carry no id of
                    # their own: by long polling each gets a new one; a copy MAX sends
                    # again to the webhook has the same (bot.max.updates.delivery_id) and
                    # is skipped as handled, without a journal to send again.
                    await self._journal(session, event.update_id)
                # The journals of updates sent since the last commit go with this one.
                folded, self._done = self._done, []
                self._open -= 1
                try:
                    if folded:  # (a handler's `sent_now()` may have committed meanwhile)
                        await self._drop(session, folded)
                    await session.commit()
                except BaseException:
                    self._done.extend(folded)  # still to delete (`_settle`)
                    raise
                asked = take_wipe_request(session)
                if asked is not None:
                    wipe.append(asked)
                if receipt is not None:
                    receipt.settled = True
                return result
        finally:
            if folded is None:
                self._open -= 1
