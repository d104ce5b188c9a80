"""Cases left open: the curators are told again after 48 hours, then the coordinators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services.cases import escalate_cases
from bot.workers.scheduler import scheduled

if TYPE_CHECKING:
    from bot.factory import BotApp


@scheduled("cases-escalation", seconds=600)
async def cases_escalation(app: BotApp) -> None:
    async with app.db.session() as session:
        await escalate_cases(session)
