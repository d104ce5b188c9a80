"""Pair work: meetings and plans of mentors and mentees, messages through the bot,
feedback, alerts and completion."""

from __future__ import annotations

from aiogram import F, Router

from . import curator, participant, relay

router = Router(name=__name__)
router.message.filter(F.chat.type == "private")
router.include_router(participant.router)
router.include_router(relay.router)
router.include_router(curator.router)
