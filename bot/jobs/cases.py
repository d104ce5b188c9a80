"""Cases left open: the curators are told again after 48 hours, then the coordinators."""

from __future__ import annotations

from bot.services.cases import escalate_cases
from bot.workers.scheduler import JobContext, scheduled


@scheduled("cases-escalation", seconds=600)
async def cases_escalation(ctx: JobContext) -> None:
    async with ctx.db.session() as session:
        await escalate_cases(session)
