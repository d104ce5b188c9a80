"""Housekeeping: forget old processed update ids, reply journals, old outbox rows,
reminder days and MAX's message ids of long ago."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, update

from bot.infra.scheduler import JobContext, scheduled
from bot.max import store as max_store
from storage.models import (
    OutboxMessage,
    OutboxStatus,
    PendingReply,
    ProcessedUpdate,
    ReminderLog,
)

KEEP_UPDATES = timedelta(days=3)
# A reply journal is only needed until Telegram gives up redelivering its update.
KEEP_REPLY_JOURNAL = timedelta(hours=1)
# Finished outbox rows keep their idempotency key this long: a job that runs again
# within it cannot send the same thing twice. Their files go sooner.
KEEP_OUTBOX = timedelta(days=90)
KEEP_OUTBOX_FILES = timedelta(days=2)
KEEP_REMINDER_DAYS = timedelta(days=30)
FINISHED = (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.UNREACHABLE)


@scheduled("prune-processed-updates", seconds=3600)
async def prune_processed_updates(ctx: JobContext) -> None:
    cutoff = ctx.clock.now() - KEEP_UPDATES
    async with ctx.db.session() as session:
        await session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < cutoff))
        journal_cutoff = ctx.clock.now() - KEEP_REPLY_JOURNAL
        await session.execute(delete(PendingReply).where(PendingReply.created_at < journal_cutoff))
        await max_store.prune(session, ctx.clock.now())


@scheduled("prune-outbox", seconds=3600)
async def prune_outbox(ctx: JobContext) -> None:
    now = ctx.clock.now()
    async with ctx.db.session() as session:
        await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status.in_(FINISHED),
                OutboxMessage.file_bytes.is_not(None),
                OutboxMessage.created_at < now - KEEP_OUTBOX_FILES,
            )
            .values(file_bytes=None)
        )
        await session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.status.in_(FINISHED), OutboxMessage.created_at < now - KEEP_OUTBOX
            )
        )
        cutoff = (now - KEEP_REMINDER_DAYS).date().isoformat()
        await session.execute(delete(ReminderLog).where(ReminderLog.local_date < cutoff))
