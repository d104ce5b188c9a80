"""The outbox: every message the bot sends on its own initiative is a row here first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.keyboards.buttons import reply_markup as buttons_markup
from bot.services.buttons import Keyboard
from storage.models import OutboxMessage, OutboxStatus

# Set on a session that queued something: the delivery worker in this process wakes
# up as soon as that session commits instead of waiting for its next poll.
WAKE_FLAG = "outbox_enqueued"


async def enqueue(
    session: AsyncSession,
    *,
    key: str,
    chat_id: int,
    text: str | None = None,
    reply_markup: Keyboard | dict[str, Any] | None = None,
    method: str = "sendMessage",
    payload: dict[str, Any] | None = None,
    file_bytes: bytes | None = None,
    file_name: str | None = None,
    kind: str = "message",
    urgent: bool = False,
    programme_id: int | None = None,
    person_id: int | None = None,
    not_before: datetime | None = None,
) -> bool:
    """Add a message to the outbox; False when a message with this key is already there.

    `key` is the idempotency key, e.g. `feedback:{pair}:{round}:{person}`: enqueueing the
    same thing twice (a retried job, a restart) never sends it twice. `method` is
    sendMessage, sendDocument or sendPhoto (the file in `file_bytes`); `text` becomes
    the message text or the caption, in HTML.
    """
    body: dict[str, Any] = dict(payload or {})
    if text is not None:
        body.setdefault("text" if method == "sendMessage" else "caption", text)
        body.setdefault("parse_mode", "HTML")
    if isinstance(reply_markup, Keyboard):
        body["reply_markup"] = buttons_markup(reply_markup)
    elif reply_markup is not None:
        body["reply_markup"] = reply_markup
    moment = now()
    values = {
        "idempotency_key": key,
        "chat_id": chat_id,
        "method": method,
        "payload": body,
        "file_bytes": file_bytes,
        "file_name": file_name,
        "kind": kind,
        "urgent": urgent,
        "programme_id": programme_id,
        "person_id": person_id,
        "not_before": not_before or moment,
        "created_at": moment,
        "status": OutboxStatus.PENDING.value,
        "attempts": 0,
    }
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert_fn = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = (
        insert_fn(OutboxMessage)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
    )
    result = await session.execute(stmt)
    added = bool(result.rowcount)  # type: ignore[attr-defined]
    if added:
        session.info[WAKE_FLAG] = True
    return added


async def exists(session: AsyncSession, key: str) -> bool:
    """Is a message with this idempotency key queued (or sent) already?"""
    found = await session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)
    )
    return found is not None


async def pending_count(session: AsyncSession) -> int:
    """Messages waiting to go (pending or being sent right now)."""
    value = await session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]))
    )
    return int(value or 0)


async def status_counts(session: AsyncSession) -> dict[str, int]:
    """How many rows are in each status (for /health, tests and benchmarks)."""
    rows = await session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    return {str(status): int(count) for status, count in rows.all()}
