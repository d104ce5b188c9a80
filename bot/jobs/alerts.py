"""Alerts for curators: pairs without meetings, then instant alerts and daily digests."""

from __future__ import annotations

from bot.infra.scheduler import JobContext, scheduled
from bot.services.feedback.alerts import check_no_meetings, dispatch_alerts, send_digests


@scheduled("pair-alerts", seconds=600)
async def pair_alerts(ctx: JobContext) -> None:
    # One job, in this order, so an alert found now is told in the same run.
    async with ctx.db.session() as session:
        await check_no_meetings(session)
    async with ctx.db.session() as session:
        await dispatch_alerts(session)
    async with ctx.db.session() as session:
        await send_digests(session)
