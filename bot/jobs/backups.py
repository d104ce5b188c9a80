"""Expired backups are deleted even when nobody makes new ones (see storage/backup.py)."""

from __future__ import annotations

import asyncio
import logging

from bot.infra.scheduler import JobContext, scheduled
from storage.backup import expire_backups

log = logging.getLogger(__name__)


@scheduled("expire-backups", seconds=6 * 3600)
async def expire_old_backups(ctx: JobContext) -> None:
    settings = ctx.settings
    removed = await asyncio.to_thread(
        expire_backups, settings.backup_dir, settings.backup_keep_days, ctx.clock.now()
    )
    if removed:
        log.info("expired backups deleted: %s", len(removed))
