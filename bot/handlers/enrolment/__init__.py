"""The participant's side: invitation, consent, questionnaires, /profile and /forget_me."""

from __future__ import annotations

from aiogram import F

from bot.handlers.privacy import forget
from bot.handlers.routing import Handlers

from . import consent, parent, profile, questionnaire, start

router = Handlers(__name__)
router.message.filter(F.chat.type == "private")
# The typed-answer handler of the questionnaire is last: commands go first.
router.include_routers(
    start.router, consent.router, parent.router, profile.router, forget.router, questionnaire.router
)

__all__ = ["router"]
