"""`/start <code>` with a curator or co-curator invitation (other codes go to the journey)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.filters import CommandStart
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import mini_app_url, set_staff_commands, set_staff_menu
from bot.config import Settings
from bot.filters.staff import StaffInvitationCode
from bot.handlers.routing import Handlers
from bot.services.programme.staff import redeem
from bot.services.text_input import clean_name
from bot.texts import esc, t
from storage.models import Person

router = Handlers(__name__)


@router.message(CommandStart(deep_link=True), StaffInvitationCode())
async def staff_start(
    message: Message,
    bot: Bot,
    session: AsyncSession,
    person: Person,
    locale: str,
    staff_code: str,
    settings: Settings,
) -> None:
    if person.full_name is None and message.from_user is not None:
        person.full_name = clean_name(message.from_user.full_name) or None
    result = await redeem(session, person, staff_code)
    if not result.ok:
        await message.answer(t(f"staff-join-problem-{result.problem}", locale))
        return
    await message.answer(t(f"staff-join-{result.kind}", locale, place=esc(result.place)))
    await set_staff_commands(bot, person.tg_id, locale)
    menu = mini_app_url(settings.dashboard_base_url, settings.webhook_base_url)
    if menu is not None:
        await set_staff_menu(bot, person.tg_id, menu, locale)
