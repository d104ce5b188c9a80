"""Reminders before scheduled meetings of pairs."""

from __future__ import annotations

from bot.services.pair_meetings import send_meeting_reminders
from bot.workers.scheduler import JobContext, scheduled


@scheduled("meeting-reminders", seconds=300)
async def meeting_reminders(ctx: JobContext) -> None:
    async with ctx.db.session() as session:
        await send_meeting_reminders(session)
