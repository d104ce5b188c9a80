"""Curators: /materials for mentors (a file or a link, set or cleared)."""

from __future__ import annotations

from aiogram import F
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.curator.console import (
    denied,
    edit_or_send,
    programme_of_button,
    programme_of_command,
)
from bot.handlers.pairwork.callbacks import PairAction, btn, kb
from bot.handlers.pairwork.pending import still_waiting, stop_waiting, wait_for_text
from bot.handlers.routing import Handlers
from bot.services.access import AccessDenied
from bot.services.pairwork import introductions
from bot.texts import esc, t
from storage.models import Person, Programme

router = Handlers(__name__)


class MaterialsInput(StatesGroup):
    waiting = State()


async def _materials_prompt(
    session: AsyncSession, programme: Programme, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    found = await introductions.materials_of(session, programme.id)
    text = t(
        "pairs-materials-now",
        locale,
        link=esc(found.link or "—"),
        file=t("pairs-yes" if found.file_id else "pairs-no", locale),
    )
    return text, kb(
        [btn(t("pairs-btn-materials-clear", locale), "matclr", programme.id)]
        if found.link or found.file_id
        else [],
        [btn(t("button-cancel", locale), "frhome", programme.id)],
    )


async def _start_materials(state: FSMContext, session: AsyncSession, programme: Programme) -> None:
    await wait_for_text(state, session, MaterialsInput.waiting, {"programme": programme.id})


@router.message(Command("materials"))
async def materials_command(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    programme = await programme_of_command(message, session, person, locale)
    if programme is None:
        return
    await _start_materials(state, session, programme)
    text, markup = await _materials_prompt(session, programme, locale)
    await message.answer(text, reply_markup=markup)


@router.callback_query(PairAction.filter(F.action == "matset"))
async def materials_button(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    programme = await programme_of_button(query, session, person, locale, callback_data.id)
    if programme is None:
        return
    await _start_materials(state, session, programme)
    text, markup = await _materials_prompt(session, programme, locale)
    await edit_or_send(query, text, markup)
    await query.answer()


@router.callback_query(PairAction.filter(F.action == "matclr"))
async def materials_clear(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    try:
        await introductions.set_materials(session, person, callback_data.id, clear=True)
    except AccessDenied:
        await denied(query, locale)
        return
    await stop_waiting(state, session)
    await edit_or_send(
        query,
        t("pairs-materials-cleared", locale),
        kb([btn(t("button-back", locale), "frhome", callback_data.id)]),
    )
    await query.answer()


@router.message(StateFilter(MaterialsInput.waiting), ~F.text.startswith("/"))
async def materials_input(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    data = await state.get_data()
    if not still_waiting(data):
        await stop_waiting(state, session)
        raise SkipHandler
    programme_id = int(data.get("programme", 0))
    link = file_id = None
    if message.document is not None:
        file_id = message.document.file_id
    elif message.text and message.text.strip().lower().startswith(("http://", "https://")):
        link = message.text.strip()
    else:
        await message.answer(t("pairs-materials-bad", locale))
        return
    try:
        await introductions.set_materials(session, person, programme_id, link=link, file_id=file_id)
    except AccessDenied:
        await stop_waiting(state, session)
        await message.answer(t("unknown-command", locale))
        return
    await stop_waiting(state, session)
    await message.answer(
        t("pairs-materials-saved", locale),
        reply_markup=kb([btn(t("pairs-btn-feedback", locale), "frhome", programme_id)]),
    )
