"""Routers by audience. Order matters: specific flows first, the common fallback last.

Each call builds new aiogram routers (see `bot.handlers.routing`): one set per dispatcher.
"""

from __future__ import annotations

from aiogram import Router

from . import common, curator, group, pairs, participant, reports


def get_routers() -> list[Router]:
    return [
        group.router.build(),  # group chats only; silent for anything not meant for it
        # Feature routers go here, before the common fallback.
        # before participant: staff invitation codes of /start, the console
        curator.router.build(),
        pairs.router.build(),
        participant.router.build(),
        reports.router.build(),
        common.router.build(),
    ]
