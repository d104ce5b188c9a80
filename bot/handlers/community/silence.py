"""The bot does not take part in group conversation: whatever else arrives is left alone."""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message

from bot.handlers.routing import Handlers

router = Handlers(__name__)


@router.message()
async def group_message(_message: Message) -> None:
    return None


@router.edited_message()
async def group_edit(_message: Message) -> None:
    return None


@router.callback_query()
async def group_button(query: CallbackQuery) -> None:
    await query.answer()
