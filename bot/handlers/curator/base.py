"""Shared pieces of the curator screens: show a screen, find the current programme."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards.curator import ProgCb, button, markup
from bot.services.access import button_programme, current_programme
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


# A screen of the console: (session, the curator, the programme, locale) -> (text, buttons).
Screen = Callable[
    [AsyncSession, Person, Programme, str], Awaitable[tuple[str, InlineKeyboardMarkup]]
]


async def open_screen(
    message: Message,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext | None,
    screen: Screen,
) -> None:
    """A console command: leave any half-typed dialog, find the curator's programme (or
    say how to make one), show the command's screen of it."""
    if state is not None:
        await forget(state, session)
    programme = await programme_or_hint(message, session, person, locale)
    if programme is None:
        return
    text, kb = await screen(session, person, programme, locale)
    await message.answer(text, reply_markup=kb)


async def pressed_programme(
    query: CallbackQuery,
    session: AsyncSession,
    person: Person,
    locale: str,
    programme_id: int | None,
) -> Programme | None:
    """The programme a console button is about: the one it was shown for (checked against
    the person pressing), or, for a plain «show» button with none, the curator's current."""
    if programme_id is None:
        return await programme_or_hint(query, session, person, locale)
    return await button_programme(session, person, programme_id)


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
