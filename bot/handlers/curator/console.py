"""What the curator's pair work screens share: the programme a curator manages, an
answer that edits the screen in place, the answer to a button that is no longer theirs."""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.access import current_programme
from bot.texts import t
from storage.models import Person, Programme


async def managed_programme(
    session: AsyncSession, person: Person, programme_id: int | None = None
) -> Programme | None:
    if programme_id is None:
        return await current_programme(session, person)
    from bot.services.access import can_manage

    if await can_manage(session, person.id, programme_id):
        return await session.get(Programme, programme_id)
    return None


async def programme_of_command(
    message: Message, session: AsyncSession, person: Person, locale: str
) -> Programme | None:
    """The programme a console command is about; to anyone who manages none, the command
    is unknown (it is said so, as for any other unknown command)."""
    programme = await managed_programme(session, person)
    if programme is None:
        await message.answer(t("unknown-command", locale))
    return programme


async def programme_of_button(
    query: CallbackQuery, session: AsyncSession, person: Person, locale: str, programme_id: int
) -> Programme | None:
    """The programme a console button was shown for, if the person pressing manages it;
    otherwise the press is answered as a stale button."""
    programme = await managed_programme(session, person, programme_id)
    if programme is None:
        await denied(query, locale)
    return programme


async def edit_or_send(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    if not isinstance(query.message, Message):
        return
    try:
        await query.message.edit_text(text, reply_markup=markup)
        return
    except TelegramBadRequest as exc:
        if "not modified" in exc.message:
            return
    await query.message.answer(text, reply_markup=markup)


async def denied(query: CallbackQuery, locale: str) -> None:
    await query.answer(t("button-stale", locale), show_alert=True)
