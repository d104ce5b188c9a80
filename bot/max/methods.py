"""Calls MAX has and Telegram's Bot API has not, as aiogram methods.

They go through the bot like any other call (`await bot(AddChatMembers(...))`), so the
session middlewares see them too; only the MAX transport answers them (a Telegram chat
never gets one: the community service asks for them only in MAX's chats).
"""

from __future__ import annotations

from typing import Any

from aiogram.methods import TelegramMethod


class AddChatMembers(TelegramMethod[list[int]]):
    """MAX's `POST /chats/{chatId}/members`: the bot adds people to a group itself.

    Returns the core ids of those MAX did not add."""

    __returning__ = list[int]
    __api_method__ = "addChatMembers"

    chat_id: int
    user_ids: list[int]

    def __init__(self, *, chat_id: int, user_ids: list[int], **kwargs: Any) -> None:
        super().__init__(chat_id=chat_id, user_ids=user_ids, **kwargs)
