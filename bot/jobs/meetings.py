"""Reminders before scheduled meetings of pairs."""

from __future__ import annotations

from bot.infra.scheduler import JobContext, scheduled
from bot.services.pairwork.meetings import send_meeting_reminders


@scheduled("meeting-reminders", seconds=300)
async def meeting_reminders(ctx: JobContext) -> None:
    async with ctx.db.session() as session:
        await send_meeting_reminders(session)
