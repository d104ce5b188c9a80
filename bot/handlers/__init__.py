"""Routers by audience. Order matters: specific flows first, the common fallback last."""

from __future__ import annotations

from aiogram import Router

from . import common, curator, group, pairs, participant, reports


def get_routers() -> list[Router]:
    return [
        group.router,  # group chats only; silent for anything not meant for it
        # Feature routers go here, before the common fallback.
        curator.router,  # before participant: staff invitation codes of /start, the console
        pairs.router,
        participant.router,
        reports.router,
        common.router,
    ]
