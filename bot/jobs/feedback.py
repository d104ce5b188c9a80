"""Biweekly feedback rounds that are due, and the one reminder for unanswered forms."""

from __future__ import annotations

from bot.infra.scheduler import JobContext, scheduled
from bot.services.feedback.rounds import send_feedback_reminders, start_due_rounds


@scheduled("feedback-rounds", seconds=600)
async def feedback_rounds(ctx: JobContext) -> None:
    async with ctx.db.session() as session:
        await start_due_rounds(session)


@scheduled("feedback-reminders", seconds=900)
async def feedback_reminders(ctx: JobContext) -> None:
    async with ctx.db.session() as session:
        await send_feedback_reminders(session)
