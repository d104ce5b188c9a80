"""Long polling that loses no update when the process dies.

Telegram counts an update as delivered once getUpdates is called with a higher offset.
aiogram's polling asks for the next batch while the previous one is still being handled,
so a process killed at that moment (power cut, OOM, SIGKILL) loses the answers in hand:
the person saw the next question, the answer is nowhere. Here each batch is written to
`received_updates` before the next call; an update's row is deleted in its own
transaction (DatabaseMiddleware), and rows a crash left are handled again at the next
start — once, since a committed update is in `processed_updates`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.dispatcher.dispatcher import DEFAULT_BACKOFF_CONFIG
from aiogram.exceptions import ClientDecodeError
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.types import Update
from aiogram.utils.backoff import Backoff
from pydantic import ValidationError
from sqlalchemy import delete, select

from storage.db import Database
from storage.models import ProcessedUpdate, ReceivedUpdate

log = logging.getLogger(__name__)


class Receipt:
    """Handed to the middlewares with an update this poller took (`inbox_receipt`).

    `settled` is set when the update's transaction, which deleted its row, committed.
    An update dropped before that (flood control, a duplicate, a handler that failed)
    has its row removed by the poller: only a crash leaves one behind.
    """

    __slots__ = ("settled",)

    def __init__(self) -> None:
        self.settled = False


async def store_batch(db: Database, updates: list[Update]) -> None:
    """Keep a batch until each update is processed."""
    async with db.session() as session:
        session.add_all(
            ReceivedUpdate(
                update_id=update.update_id,
                payload=update.model_dump(mode="json", exclude_none=True),
            )
            for update in updates
        )


async def left_by_a_crash(
    db: Database, bot: Bot, owns: Callable[[int], bool] | None = None
) -> list[Update]:
    """Updates taken before the last stop and never finished, oldest first.

    The ones that were processed after all (their row outlived them) are dropped here.
    """
    async with db.session() as session:
        await session.execute(
            delete(ReceivedUpdate).where(
                ReceivedUpdate.update_id.in_(select(ProcessedUpdate.update_id))
            )
        )
        rows = await session.scalars(select(ReceivedUpdate).order_by(ReceivedUpdate.update_id))
        # With two messengers each poller takes back its own (ids tell them apart).
        mine = [row for row in rows if owns is None or owns(row.update_id)]
        return [Update.model_validate(row.payload, context={"bot": bot}) for row in mine]


async def forget(db: Database, update_id: int) -> None:
    """Drop the row of an update that ended without its own commit: it is not tried again."""
    async with db.session() as session:
        await session.execute(delete(ReceivedUpdate).where(ReceivedUpdate.update_id == update_id))


def readable_part(error: ClientDecodeError, bot: Bot) -> tuple[list[Update], int]:
    """The updates of a batch aiogram could not read as a whole, each read on its own.

    One update aiogram cannot parse (a field of a newer Bot API, a malformed payload) makes
    the whole getUpdates answer fail; asking again at the same offset fails forever, and
    nobody is served. Here the others are kept and each unreadable one is logged (its id
    only: the payload is personal) and skipped; the batch's last id is returned too, and
    the next call's offset past it confirms the skipped one to Telegram. An answer that
    is not a batch at all raises the error again (tried later, as any failed call).
    """
    answer = error.data
    batch = answer.get("result") if isinstance(answer, dict) and answer.get("ok") else None
    if not isinstance(batch, list):
        raise error
    updates: list[Update] = []
    last: int | None = None
    for raw in batch:
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        if isinstance(update_id, int) and not isinstance(update_id, bool):
            last = update_id if last is None else max(last, update_id)
        try:
            updates.append(Update.model_validate(raw, context={"bot": bot}))
        except ValidationError as exc:
            log.error(
                "update %s cannot be read (%s, %d errors); skipped",
                update_id if isinstance(update_id, int) else "without an id",
                type(exc).__name__,
                exc.error_count(),
            )
    if last is None:
        raise error
    return updates, last


class Poller:
    """getUpdates in a loop; every update handled in a task of its own."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        db: Database,
        *,
        allowed_updates: list[str] | None = None,
        polling_timeout: int = 30,
    ) -> None:
        self.dispatcher = dispatcher
        self.bot = bot
        self.db = db
        self.allowed_updates = allowed_updates
        self.polling_timeout = polling_timeout
        self._tasks: set[asyncio.Task[None]] = set()
        self._stop = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None

    async def run(self) -> None:
        """Handle what a crash left, then poll until `stop()`."""
        self._loop_task = asyncio.current_task()
        # Telegram sends these again if the crash came before it was told they arrived:
        # they are in hand already, and their rows are there.
        recovered: set[int] = set()
        for update in await left_by_a_crash(self.db, self.bot, self.owns):
            log.info("update %s was taken before a stop and is handled now", update.update_id)
            recovered.add(update.update_id)
            self._spawn(update)
        backoff = Backoff(config=DEFAULT_BACKOFF_CONFIG)
        offset: int | None = None
        kwargs: dict[str, Any] = {}
        if self.bot.session.timeout:
            kwargs["request_timeout"] = int(self.bot.session.timeout + self.polling_timeout)
        while not self._stop.is_set():
            method = GetUpdates(
                offset=offset, timeout=self.polling_timeout, allowed_updates=self.allowed_updates
            )
            try:
                try:
                    updates = await self.bot(method, **kwargs)
                    last = updates[-1].update_id if updates else None
                except ClientDecodeError as exc:
                    updates, last = readable_part(exc, self.bot)
                fresh = [u for u in updates if u.update_id not in recovered]
                if fresh:
                    await store_batch(self.db, fresh)
            except asyncio.CancelledError:
                if self._stop.is_set():
                    break
                raise
            except Exception as exc:  # network, Telegram or the database: try again later
                log.warning(
                    "polling failed (%s); next try in %.1f s",
                    type(exc).__name__,
                    backoff.next_delay,
                )
                await backoff.asleep()
                continue
            backoff.reset()
            for update in fresh:
                self._spawn(update)
            if last is not None:
                offset = last + 1

    @staticmethod
    def owns(update_id: int) -> bool:
        """Telegram's updates (MAX's have ids of their own range, bot.max.ids)."""
        from bot.max.ids import is_max_update

        return not is_max_update(update_id)

    def _spawn(self, update: Update) -> None:
        task = asyncio.create_task(self._handle(update), name=f"update-{update.update_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, update: Update) -> None:
        receipt = Receipt()
        try:
            result = await self.dispatcher.feed_update(
                self.bot, update, dispatcher=self.dispatcher, inbox_receipt=receipt
            )
            if isinstance(result, TelegramMethod):
                await self.dispatcher.silent_call_request(bot=self.bot, result=result)
        except Exception as exc:
            log.error("update %s failed: %s", update.update_id, type(exc).__name__)
        finally:
            if not receipt.settled:
                try:
                    await forget(self.db, update.update_id)
                except Exception as exc:
                    log.warning("update %s stays kept: %s", update.update_id, type(exc).__name__)

    async def stop(self) -> None:
        """Take no new updates; the ones in hand go on (wait for them with InFlight)."""
        self._stop.set()
        task = self._loop_task
        if task is not None and not task.done() and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
