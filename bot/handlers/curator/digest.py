"""`/digest`: the curator's daily digest of routine events — now, and at which hour."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.routing import Handlers
from bot.keyboards.curator import DigestCb, button, chunks, markup
from bot.services import digest as svc
from bot.services.access import button_programme
from bot.services.enrolment.registry import NotAllowedNow
from bot.texts import esc, t
from storage.models import Person, Programme

from .base import open_screen, show

router = Handlers(__name__)


async def digest_view(
    session: AsyncSession, person: Person, programme: Programme, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    state = await svc.status(session, person, programme.id)
    text = t(
        "digest-screen",
        locale,
        programme=esc(programme.name),
        count=state.pending,
        hour=f"{state.hour:02d}:00",
    )
    rows = [
        [button(t("digest-btn-now", locale), DigestCb(action="now", id=programme.id))],
        [button(t("digest-btn-hour", locale), DigestCb(action="hours", id=programme.id))],
    ]
    return text, markup(rows)


@router.message(Command("digest"))
async def digest_command(
    message: Message, session: AsyncSession, person: Person, locale: str
) -> None:
    await open_screen(message, session, person, locale, None, digest_view)


@router.callback_query(DigestCb.filter(F.action.in_({"now", "hours", "hour"})))
async def digest_action(
    query: CallbackQuery,
    callback_data: DigestCb,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    programme = await button_programme(session, person, callback_data.id)
    if callback_data.action == "now":
        text = await svc.digest_now(session, person, programme.id)
        _screen, kb = await digest_view(session, person, programme, locale)
        await show(query, text or t("digest-empty", locale), kb)
        return
    if callback_data.action == "hour":
        try:
            await svc.set_digest_hour(session, person, callback_data.value)
        except ValueError:
            raise NotAllowedNow("button-stale") from None
        text, kb = await digest_view(session, person, programme, locale)
        await show(query, t("digest-hour-saved", locale) + "\n\n" + text, kb)
        return
    buttons = [
        button(f"{h:02d}:00", DigestCb(action="hour", id=programme.id, value=h)) for h in svc.HOURS
    ]
    await show(query, t("digest-ask-hour", locale), markup(chunks(buttons, 5)))
