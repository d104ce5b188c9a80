"""The user's Person row, locale and whether they are staff, for every handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from bot.services.people import TelegramUser, writer
from bot.texts import normalize_locale, reader_locale


class PersonMiddleware(BaseMiddleware):
    def __init__(self, default_locale: str = "ru") -> None:
        self.default_locale = default_locale

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        session = data.get("session")
        locale = self.default_locale
        if user is not None and session is not None and not user.is_bot:
            found = await writer(
                session,
                TelegramUser(
                    id=user.id,
                    first_name=user.first_name,
                    last_name=user.last_name,
                    username=user.username,
                    language_code=user.language_code,
                ),
            )
            person, data["is_staff"] = found.person, found.is_staff
            if person.unreachable:
                person.unreachable = False  # they wrote to us: reachable again
            locale = reader_locale(
                person.locale or normalize_locale(user.language_code, self.default_locale),
                child=found.is_child,
            )
            data["person"] = person
        data["locale"] = locale
        return await handler(event, data)
