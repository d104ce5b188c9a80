"""/forget_me: withdraw consent and destroy the personal data, after a confirmation."""

from __future__ import annotations

import contextlib

from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.routing import Handlers
from bot.keyboards.forms import ForgetCb, yes_no
from bot.services.privacy.forget import forget_person
from bot.texts import t
from storage.fsm import SQLStorage
from storage.models import Person

router = Handlers(__name__)


@router.message(Command("forget_me"))
async def ask(message: Message, locale: str) -> None:
    markup = yes_no(
        ForgetCb(a="yes"),
        ForgetCb(a="no"),
        t("journey-forget-btn-yes", locale),
        t("journey-forget-btn-no", locale),
    )
    await message.answer(t("journey-forget-ask", locale), reply_markup=markup)


@router.callback_query(ForgetCb.filter())
async def decide(
    query: CallbackQuery,
    callback_data: ForgetCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_reply_markup(reply_markup=None)
    if callback_data.a != "yes":
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.answer(t("journey-forget-kept", locale))
        return
    # The SQL FSM rows go in the same transaction (forget_person); another storage
    # (Redis) is cleared here.
    if not isinstance(state.storage, SQLStorage):
        await state.clear()
    await forget_person(session, person)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(t("journey-forget-done", locale))
