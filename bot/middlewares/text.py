"""A message with control characters (a NUL above all) is not handled; in a private chat
it gets a clear answer.

PostgreSQL cannot store a NUL in text, and nobody types control characters by hand: a
handler that saved such a text (a name, a programme, a note) failed with a generic
apology. One clear answer here covers every handler; the form's own check
(bot.services.forms.answers) stays for text that arrives another way.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Message, TelegramObject

from bot.services.text_input import has_controls
from bot.texts import t

log = logging.getLogger(__name__)


class ControlCharactersMiddleware(BaseMiddleware):
    """Outer middleware on messages (after the person and the locale are known)."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, Message):
            typed = event.text or event.caption
            if typed and has_controls(typed):
                log.info("message %s refused: control characters", event.message_id)
                if event.chat.type == "private":  # in a group, a reply would be noise
                    await event.answer(t("input-error-controls", data.get("locale", "ru")))
                return None
        return await handler(event, data)
