"""Reminders before scheduled meetings of pairs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services.pair_meetings import send_meeting_reminders
from bot.workers.scheduler import scheduled

if TYPE_CHECKING:
    from bot.factory import BotApp


@scheduled("meeting-reminders", seconds=300)
async def meeting_reminders(app: BotApp) -> None:
    async with app.db.session() as session:
        await send_meeting_reminders(session)
