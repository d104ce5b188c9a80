"""Retention, once a day: erase what the consent text says is not kept any longer, and
tell the curators how many (numbers only)."""

from __future__ import annotations

from bot.infra.scheduler import JobContext, scheduled
from bot.services.privacy.retention import sweep, tell_curators

DAY = 24 * 3600


@scheduled("retention", seconds=DAY)
async def retention(ctx: JobContext) -> None:
    # One transaction: the erasure and the curators' messages are kept together or not
    # at all (a failed run is repeated whole next time; what is gone is not counted twice).
    async with ctx.db.session() as session:
        moment = ctx.clock.now()
        result = await sweep(session, moment)
        await tell_curators(session, result, moment)
