"""Retention, once a day: erase what the consent text says is not kept any longer, and
tell the curators how many (numbers only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services.retention import sweep, tell_curators
from bot.workers.scheduler import scheduled

if TYPE_CHECKING:
    from bot.factory import BotApp

DAY = 24 * 3600


@scheduled("retention", seconds=DAY)
async def retention(app: BotApp) -> None:
    # One transaction: the erasure and the curators' messages are kept together or not
    # at all (a failed run is repeated whole next time; what is gone is not counted twice).
    async with app.db.session() as session:
        moment = app.clock.now()
        result = await sweep(session, moment)
        await tell_curators(session, result, moment)
