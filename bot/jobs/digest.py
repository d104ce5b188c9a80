"""The curators' daily digest of routine events (consents and the like)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services.digest import send_due_digests
from bot.workers.scheduler import scheduled

if TYPE_CHECKING:
    from bot.factory import BotApp


@scheduled("curator-digest", seconds=300)
async def curator_digest(app: BotApp) -> None:
    async with app.db.session() as session:
        await send_due_digests(session)
