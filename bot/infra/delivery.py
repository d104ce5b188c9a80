"""The delivery worker: sends outbox rows through the Bot API and records the result.

How it works:

- It *claims* a batch of due rows (status `pending` → `sending`) in one transaction and
  keeps them in memory. When it starts, rows left `sending` by a dead process go back
  to `pending` (`recover`).
- It sends up to `max_in_flight` of them at once, each only when the `SendLimiter`
  allows it (overall, per chat, per group) and never two to the same chat at the same
  time, skipping rows whose chat must wait instead of blocking the queue.
- Results are written in small batches. A send holds its in-flight slot until its
  result is committed, so after a crash at most `max_in_flight` messages can have been
  sent without the database knowing: those, and only those, may be sent twice.
- 429: everything pauses for `retry_after`, the row goes back into the queue.
  403: the row is `unreachable`, the person is marked unreachable, and the curators of
  the programme are told (`notify.report_unreachable`). 400 and other refusals: the row
  is `failed`, never retried. 5xx, timeouts and network errors: retried with
  exponential backoff, at most `MAX_ATTEMPTS` times in all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNotFound,
    TelegramRetryAfter,
)
from aiogram.types import BufferedInputFile
from pydantic import ValidationError
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from bot import metrics
from bot.infra.clock import Clock
from bot.infra.outbox import WAKE_FLAG
from bot.infra.ratelimit import SendLimiter
from bot.middlewares.replies import no_retry
from storage.db import Database
from storage.models import OutboxMessage, OutboxStatus, Person

log = logging.getLogger(__name__)

MAX_IN_FLIGHT = 16  # sends (HTTP call + recording its result) at the same time
MAX_ATTEMPTS = 10  # 1 + 2 + 4 + … + 256 s: about eight and a half minutes of retrying
BACKOFF_BASE = 1.0
BACKOFF_CAP = 300.0
CLAIM_BATCH = 200
FLUSH_INTERVAL = 0.05  # results are written at once; this is only a safety poll
DRAIN_TIMEOUT = 2.0  # on stop: how long to let sends in flight finish

# Outcomes
SENT = "sent"
RETRY_LATER = "retry"  # 5xx, timeout: back to pending with a backoff
REQUEUE = "requeue"  # 429, or a group that moved: try again soon, not the message's fault
FAILED = "failed"
UNREACHABLE = "unreachable"


@dataclass
class Claimed:
    """A claimed outbox row, as much as sending needs (file bytes are read when sent)."""

    id: int
    chat_id: int
    method: str
    payload: dict[str, Any]
    file_name: str | None
    attempts: int
    person_id: int | None
    programme_id: int | None
    urgent: bool


@dataclass
class Outcome:
    row: Claimed
    kind: str
    error: str | None = None
    message_id: int | None = None
    retry_after: float | None = None


@dataclass
class DeliveryStats:
    resumed: int = 0  # rows found `sending` after a crash and sent again
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def sent(self) -> int:
        return self.counts[SENT]


def backoff(attempts: int) -> float:
    """Seconds to wait after the `attempts`-th failed try."""
    return float(min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP))


class DeliveryWorker:
    def __init__(
        self,
        db: Database,
        bot: Bot,
        clock: Clock,
        *,
        limiter: SendLimiter | None = None,
        max_in_flight: int = MAX_IN_FLIGHT,
        idle_sleep: float = 0.2,
        send_timeout: float | None = None,
    ) -> None:
        self.db = db
        self.bot = bot
        self.clock = clock
        self.limiter = limiter if limiter is not None else SendLimiter()
        self.max_in_flight = max_in_flight
        self.idle_sleep = idle_sleep
        self.send_timeout = send_timeout
        self.stats = DeliveryStats()
        self._stop = asyncio.Event()
        self._wake = asyncio.Event()
        self._queue: list[Claimed] = []
        self._busy_chats: set[int] = set()
        self._sending: set[asyncio.Task[None]] = set()
        self._results: list[Outcome] = []
        self._slots = asyncio.Semaphore(max_in_flight)
        self._flushed = asyncio.Event()
        self._listening = False
        self._listener = self._on_commit  # one bound method, so that it can be removed
        self._claim_now = True
        self._next_claim = 0.0
        self.running = False

    # ------------------------------------------------------------------ lifecycle

    @property
    def sent(self) -> int:
        return self.stats.sent

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def wake(self) -> None:
        """Look at the outbox now (something was queued)."""
        self._claim_now = True
        self._wake.set()

    def _on_commit(self, session: Session) -> None:
        if session.info.get(WAKE_FLAG) and session.bind is self.db.engine.sync_engine:
            session.info.pop(WAKE_FLAG, None)
            self.wake()

    def _listen(self, on: bool) -> None:
        # Session events are per class; the bind check above keeps to our database.
        if on and not self._listening:
            event.listen(Session, "after_commit", self._listener)
        elif not on and self._listening:
            event.remove(Session, "after_commit", self._listener)
        self._listening = on

    async def recover(self) -> int:
        """Rows left `sending` by a dead process go back to the queue."""
        async with self.db.session() as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.status == OutboxStatus.SENDING)
                .values(status=OutboxStatus.PENDING)
            )
        resumed = int(result.rowcount or 0)  # type: ignore[attr-defined]
        if resumed:
            log.warning("delivery: %d messages were being sent when the bot stopped", resumed)
        self.stats.resumed += resumed
        return resumed

    async def run(self) -> None:
        """Send until `stop()`; on the way out, finish what is in flight and give back
        what was claimed but not sent."""
        self._stop.clear()
        self.running = True
        self._listen(True)
        await self.recover()
        flusher = asyncio.create_task(self._flush_loop(), name="delivery-results")
        try:
            while not self._stop.is_set():
                try:
                    await self._step()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("delivery loop failed")
                    await self._sleep(1.0)
        finally:
            await self._shutdown(flusher)

    async def run_until_idle(self, timeout: float = 30.0) -> None:
        """Send everything due now and return (tests, the CLI)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        runner = asyncio.create_task(self.run())
        try:
            while True:
                await asyncio.sleep(0.05)
                if runner.done():
                    runner.result()
                    return
                if not self._queue and not self._sending and not self._results:
                    async with self.db.read() as session:
                        due = await session.scalar(
                            select(OutboxMessage.id)
                            .where(
                                OutboxMessage.status.in_(
                                    [OutboxStatus.PENDING, OutboxStatus.SENDING]
                                ),
                                OutboxMessage.not_before <= self.clock.now(),
                            )
                            .limit(1)
                        )
                    if due is None:
                        return
                if loop.time() > deadline:
                    raise TimeoutError("the outbox did not empty in time")
        finally:
            self.stop()
            await runner

    async def _shutdown(self, flusher: asyncio.Task[None]) -> None:
        self._listen(False)
        try:
            if self._sending:
                _done, late = await asyncio.wait(set(self._sending), timeout=DRAIN_TIMEOUT)
                for task in late:
                    task.cancel()
                await asyncio.gather(*late, return_exceptions=True)
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher
            await self._flush()
            await self._give_back([row.id for row in self._queue])
            self._queue.clear()
        except Exception:  # the rows stay `sending`: the next start gives them back
            log.exception("delivery: could not finish cleanly")
        finally:
            self.running = False

    async def _give_back(self, ids: list[int]) -> None:
        if not ids:
            return
        async with self.db.session() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.SENDING)
                .values(status=OutboxStatus.PENDING)
            )

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but wake up early on `wake()` / `stop()`."""
        if seconds <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        self._wake.clear()

    # ------------------------------------------------------------------ claiming

    async def claim(self, limit: int = CLAIM_BATCH) -> list[Claimed]:
        """Take up to `limit` due rows for this worker (pending → sending)."""
        columns = (
            OutboxMessage.id,
            OutboxMessage.chat_id,
            OutboxMessage.method,
            OutboxMessage.payload,
            OutboxMessage.file_name,
            OutboxMessage.attempts,
            OutboxMessage.person_id,
            OutboxMessage.programme_id,
            OutboxMessage.urgent,
        )
        # Look first without the write lock: most polls find nothing.
        async with self.db.read(quick=True) as session:
            query = (
                select(*columns)
                .where(
                    OutboxMessage.status == OutboxStatus.PENDING,
                    OutboxMessage.not_before <= self.clock.now(),
                )
                .order_by(OutboxMessage.urgent.desc(), OutboxMessage.id)
                .limit(limit)
            )
            rows = [Claimed(*row) for row in (await session.execute(query)).all()]
        if not rows:
            return []
        async with self.db.session() as session:
            taken = set(
                (
                    await session.scalars(
                        update(OutboxMessage)
                        .where(
                            OutboxMessage.id.in_([row.id for row in rows]),
                            OutboxMessage.status == OutboxStatus.PENDING,
                        )
                        .values(status=OutboxStatus.SENDING)
                        .returning(OutboxMessage.id)
                    )
                ).all()
            )
        return [row for row in rows if row.id in taken]

    # ------------------------------------------------------------------ sending

    def _next_sendable(self, now: float) -> tuple[Claimed | None, float]:
        """The first queued row whose chat may get a message now, or how long to wait."""
        soonest = float("inf")
        for index, row in enumerate(self._queue):
            if row.chat_id in self._busy_chats:
                continue
            wait = self.limiter.chat_wait(row.chat_id, now)
            if wait <= 0:
                return self._queue.pop(index), 0.0
            soonest = min(soonest, wait)
        return None, soonest

    async def _step(self) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        if len(self._queue) < CLAIM_BATCH // 2 and (self._claim_now or now >= self._next_claim):
            self._claim_now = False
            wanted = CLAIM_BATCH - len(self._queue)
            fresh = await self.claim(wanted)
            # A short batch means nothing more is due: look again after a while.
            self._next_claim = now + (0.0 if len(fresh) == wanted else self.idle_sleep)
            urgent = [row for row in fresh if row.urgent]
            self._queue = urgent + self._queue + [row for row in fresh if not row.urgent]
        if not self._queue:
            await self._sleep(self._next_claim - loop.time())
            return
        now = loop.time()
        pause = self.limiter.global_wait(now)
        if pause > 0:
            await self._sleep_unwoken(pause)
            return
        row, wait = self._next_sendable(now)
        if row is None:
            # Only chats that must wait (or are busy): wait for the soonest, or for news.
            await self._sleep(min(wait, self.idle_sleep) if wait != float("inf") else 0.01)
            return
        if not await self._take_slot():
            self._queue.insert(0, row)
            return
        if self._stop.is_set():
            self._slots.release()
            self._queue.insert(0, row)
            return
        now = loop.time()
        if self.limiter.wait(row.chat_id, now) > 0:  # a 429 arrived while we waited
            self._slots.release()
            self._queue.insert(0, row)
            return
        self.limiter.take(row.chat_id, now)
        self._busy_chats.add(row.chat_id)
        task = asyncio.create_task(self._send_one(row))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)
        if len(self.limiter) > 10_000:
            self.limiter.forget_idle(now)

    async def _take_slot(self) -> bool:
        """An in-flight slot, or False when the worker is told to stop meanwhile."""
        if not self._slots.locked():
            await self._slots.acquire()
            return True
        slot = asyncio.ensure_future(self._slots.acquire())
        stop = asyncio.ensure_future(self._stop.wait())
        await asyncio.wait({slot, stop}, return_when=asyncio.FIRST_COMPLETED)
        stop.cancel()
        if slot.done() and not slot.cancelled():
            return True
        slot.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await slot
        return False

    async def _sleep_unwoken(self, seconds: float) -> None:
        """A pause that new messages do not cut short (429, rate limits)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)

    async def _send_one(self, row: Claimed) -> None:
        try:
            outcome = await self._attempt(row)
        except asyncio.CancelledError:
            # Stopped mid-call: it may or may not have gone; the next start sends it.
            self._busy_chats.discard(row.chat_id)
            self._slots.release()
            raise
        self._busy_chats.discard(row.chat_id)
        if outcome.kind == REQUEUE:
            if outcome.retry_after:
                self.limiter.pause(outcome.retry_after, asyncio.get_running_loop().time())
            self.stats.counts["rate_limited" if outcome.retry_after else "requeued"] += 1
            metrics.count_send("rate_limited" if outcome.retry_after else "requeued")
            self._queue.insert(0, row)
            self._slots.release()  # nothing was sent: no need to wait for the record
            return
        metrics.count_send(outcome.kind)
        self._results.append(outcome)
        self._flushed.set()  # results queue up while a write is in progress

    async def _attempt(self, row: Claimed) -> Outcome:
        try:
            with no_retry():  # a 429 puts the row back in the queue (below), not waited here
                message_id = await self._send(row)
        except TelegramRetryAfter as exc:
            return Outcome(row, REQUEUE, "429", retry_after=float(exc.retry_after))
        except TelegramMigrateToChat as exc:
            row.chat_id = exc.migrate_to_chat_id
            return Outcome(row, REQUEUE, "migrated")
        except TelegramForbiddenError as exc:
            return Outcome(row, UNREACHABLE, f"403 {exc.message}"[:500])
        except (TelegramBadRequest, TelegramNotFound, TelegramEntityTooLarge) as exc:
            return Outcome(row, FAILED, f"400 {exc.message}"[:500])
        except (TypeError, ValueError, ValidationError) as exc:  # a row we cannot send
            return Outcome(row, FAILED, f"bad row: {type(exc).__name__}")
        except Exception as exc:  # 5xx, timeouts, network: try again later
            return Outcome(row, RETRY_LATER, f"{type(exc).__name__} {exc}"[:500])
        return Outcome(row, SENT, message_id=message_id)

    async def _send(self, row: Claimed) -> int | None:
        payload = dict(row.payload)
        extra: dict[str, Any] = {}
        if self.send_timeout is not None:
            extra["request_timeout"] = int(max(self.send_timeout, 1))
        if row.method == "sendMessage":
            msg = await self.bot.send_message(chat_id=row.chat_id, **payload, **extra)
            return msg.message_id
        if row.method not in ("sendDocument", "sendPhoto"):
            raise ValueError(f"unsupported outbox method {row.method}")
        async with self.db.read() as session:
            content = await session.scalar(
                select(OutboxMessage.file_bytes).where(OutboxMessage.id == row.id)
            )
        if content is None:
            raise ValueError("the outbox row has no file")
        if row.method == "sendDocument":
            doc = BufferedInputFile(content, filename=row.file_name or "file")
            msg = await self.bot.send_document(
                chat_id=row.chat_id, document=doc, **payload, **extra
            )
        else:
            photo = BufferedInputFile(content, filename=row.file_name or "image.png")
            msg = await self.bot.send_photo(chat_id=row.chat_id, photo=photo, **payload, **extra)
        return msg.message_id

    # ------------------------------------------------------------------ recording

    async def _flush_loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._flushed.wait(), timeout=FLUSH_INTERVAL)
            self._flushed.clear()
            try:
                await self._flush()
            except asyncio.CancelledError:
                raise
            except Exception:  # keep the results and the slots; try again shortly
                log.exception("delivery: could not record results")
                await asyncio.sleep(0.5)

    async def _flush(self) -> None:
        if not self._results:
            return
        batch, self._results = self._results, []
        try:
            await self._record(batch)
        except BaseException:
            self._results = batch + self._results
            raise
        for outcome in batch:
            self.stats.counts[outcome.kind] += 1
            self._slots.release()

    async def _record(self, batch: list[Outcome]) -> None:
        from bot.infra.notify import report_unreachable

        now = self.clock.now()
        sent = [
            {
                "id": outcome.row.id,
                "status": OutboxStatus.SENT.value,
                "sent_at": now,
                "message_id": outcome.message_id,
                "attempts": outcome.row.attempts + 1,
                "last_error": None,
                "chat_id": outcome.row.chat_id,
            }
            for outcome in batch
            if outcome.kind == SENT
        ]
        async with self.db.session() as session:
            if sent:  # the common case: one executemany by primary key
                await session.execute(update(OutboxMessage), sent)
            for outcome in batch:
                if outcome.kind == SENT:
                    continue
                row = outcome.row
                values: dict[str, Any] = {
                    "attempts": row.attempts + 1,
                    "last_error": outcome.error,
                }
                if outcome.kind == UNREACHABLE:
                    values["status"] = OutboxStatus.UNREACHABLE
                elif outcome.kind == FAILED:
                    values["status"] = OutboxStatus.FAILED
                elif row.attempts + 1 >= MAX_ATTEMPTS:
                    values["status"] = OutboxStatus.FAILED
                else:
                    values["status"] = OutboxStatus.PENDING
                    values["not_before"] = now + timedelta(seconds=backoff(row.attempts + 1))
                values["chat_id"] = row.chat_id  # a group may have moved
                await session.execute(
                    update(OutboxMessage).where(OutboxMessage.id == row.id).values(**values)
                )
            for outcome in batch:
                row = outcome.row
                if outcome.kind != UNREACHABLE or row.person_id is None or row.chat_id < 0:
                    continue
                await session.execute(
                    update(Person).where(Person.id == row.person_id).values(unreachable=True)
                )
                if row.programme_id is not None:
                    await report_unreachable(session, row.person_id, row.programme_id)
        for outcome in batch:
            if outcome.kind != SENT:  # ids and the kind only: errors may quote the text
                log.info("delivery: outbox %s %s", outcome.row.id, outcome.kind)
