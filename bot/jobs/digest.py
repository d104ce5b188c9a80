"""The curators' daily digest of routine events (consents and the like)."""

from __future__ import annotations

from bot.infra.scheduler import JobContext, scheduled
from bot.services.digest import send_due_digests


@scheduled("curator-digest", seconds=300)
async def curator_digest(ctx: JobContext) -> None:
    async with ctx.db.session() as session:
        await send_due_digests(session)
