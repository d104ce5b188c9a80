"""The community chat's periodic work: invitations, removals and the weekly digest."""

from __future__ import annotations

import logging

from bot.handlers.community.telegram import AiogramChatAdmin
from bot.infra.scheduler import JobContext, scheduled
from bot.services.community import chat as community

log = logging.getLogger(__name__)


@scheduled("community-reconcile", seconds=60)
async def reconcile_community(ctx: JobContext) -> None:
    """Make each bound chat match the registry, whatever hooks were or were not called."""
    async with ctx.db.session() as session:
        await community.send_all_invites(session)
    admin = AiogramChatAdmin(ctx.bot)
    async with ctx.db.read() as session:
        additions = await community.additions_due(session)
    for addition in additions:  # MAX: the bot adds approved mentors itself
        added = await admin.add(addition.chat_id, addition.tg_ids)
        if added is not None:  # None: MAX did not answer, the next run asks again
            async with ctx.db.session() as session:
                await community.record_added(session, addition, added)
    async with ctx.db.read() as session:
        removals = await community.removals_due(session)
    for removal in removals:
        # Telegram is called outside any write transaction; each result is saved at once.
        try:
            removed = not removal.present or await admin.remove(removal.chat_id, removal.tg_id)
        except Exception as exc:  # the chat is gone or Telegram is down: next run retries
            log.warning("removal from chat %s failed: %s", removal.chat_id, type(exc).__name__)
            continue
        if removed:
            async with ctx.db.session() as session:
                await community.mark_removed(session, removal)


@scheduled("community-digest", seconds=300)
async def weekly_digest(ctx: JobContext) -> None:
    async with ctx.db.session() as session:
        await community.send_due_digests(session)
