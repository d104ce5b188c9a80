"""Pair work: meetings and plans of mentors and mentees, messages through the bot,
feedback, alerts and completion."""

from __future__ import annotations

from aiogram import F

from bot.handlers.completion import finish as completion
from bot.handlers.feedback import alerts, silent
from bot.handlers.feedback import rounds as feedback_rounds
from bot.handlers.routing import Handlers

from . import cases, materials, participant, relay

router = Handlers(__name__)
router.message.filter(F.chat.type == "private")
# Cases first: the words the bot asked for must not be taken for another typed answer.
router.include_router(cases.router)
router.include_router(participant.router)
router.include_router(relay.router)
# The curator's screens of the pair work, in this order (the materials' typed answer
# comes after the other commands).
router.include_router(feedback_rounds.router)
router.include_router(alerts.router)
router.include_router(materials.router)
router.include_router(completion.router)
router.include_router(silent.router)
