"""Biweekly feedback rounds that are due, and the one reminder for unanswered forms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services.feedback import send_feedback_reminders, start_due_rounds
from bot.workers.scheduler import scheduled

if TYPE_CHECKING:
    from bot.factory import BotApp


@scheduled("feedback-rounds", seconds=600)
async def feedback_rounds(app: BotApp) -> None:
    async with app.db.session() as session:
        await start_due_rounds(session)


@scheduled("feedback-reminders", seconds=900)
async def feedback_reminders(app: BotApp) -> None:
    async with app.db.session() as session:
        await send_feedback_reminders(session)
