"""Cases left open: the curators are told again after 48 hours, then the coordinators."""

from __future__ import annotations

from bot.infra.scheduler import JobContext, scheduled
from bot.services.pairwork.cases import escalate_cases


@scheduled("cases-escalation", seconds=600)
async def cases_escalation(ctx: JobContext) -> None:
    async with ctx.db.session() as session:
        await escalate_cases(session)
