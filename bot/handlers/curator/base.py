"""Shared pieces of the curator screens: show a screen, find the current programme."""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards.curator import ProgCb, button, markup
from bot.services.access import current_programme
from bot.texts import t
from storage.models import Person, Programme

TEXT_LIMIT = 4000


def clip(text: str) -> str:
    """Never over Telegram's 4096 characters (lists paginate; this is the last guard)."""
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


async def show(
    event: Message | CallbackQuery, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit the screen a button was pressed on, or answer a command with a new message."""
    text = clip(text)
    if isinstance(event, CallbackQuery):
        if isinstance(event.message, Message):
            try:
                await event.message.edit_text(text, reply_markup=reply_markup)
            except TelegramBadRequest as exc:
                if "not modified" not in exc.message:
                    await event.message.answer(text, reply_markup=reply_markup)
        with contextlib.suppress(TelegramBadRequest):
            await event.answer()
        return
    await event.answer(text, reply_markup=reply_markup)


async def programme_or_hint(
    event: Message | CallbackQuery, session: AsyncSession, person: Person, locale: str
) -> Programme | None:
    programme = await current_programme(session, person)
    if programme is None:
        await show(
            event,
            t("curator-no-programme", locale),
            markup([[button(t("program-btn-new", locale), ProgCb(action="new"))]]),
        )
    return programme


# --- dialog state (the SQL storage writes through the update's own transaction) ---------


async def remember(
    state: FSMContext, session: AsyncSession, new_state: State | None, data: dict[str, Any]
) -> None:
    """Set the dialog state and its data in one go."""
    await state.set_state(new_state)
    await state.set_data(data)


async def forget(state: FSMContext, session: AsyncSession) -> None:
    """Leave any dialog (a new command starts afresh)."""
    await state.clear()


async def recall(state: FSMContext, session: AsyncSession) -> dict[str, Any]:
    return await state.get_data()
