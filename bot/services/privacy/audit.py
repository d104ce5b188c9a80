"""The audit trail of curator actions: who did what, when, in which programme."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from storage.models import AuditRecord


async def record(
    session: AsyncSession,
    *,
    programme_id: int | None,
    actor_id: int | None,
    action: str,
    **details: Any,
) -> AuditRecord:
    """Write one audit row (ids and codes only: no personal data in `details`)."""
    row = AuditRecord(
        programme_id=programme_id,
        actor_person_id=actor_id,
        action=action,
        details=details,
        created_at=now(),
    )
    session.add(row)
    await session.flush()
    return row


async def latest(session: AsyncSession, programme_id: int, action: str) -> AuditRecord | None:
    return await session.scalar(
        select(AuditRecord)
        .where(AuditRecord.programme_id == programme_id, AuditRecord.action == action)
        .order_by(AuditRecord.id.desc())
        .limit(1)
    )
