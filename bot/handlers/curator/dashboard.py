"""`/dashboard`: a one-time sign-in link to the web dashboard (bot/dashboard)."""

from __future__ import annotations

from aiogram.filters import Command
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.dashboard.auth import LINK_LIFETIME, issue_link
from bot.dashboard.routes import login_url
from bot.handlers.routing import Handlers
from bot.texts import esc, t
from storage.models import Person

router = Handlers(__name__)


@router.message(Command("dashboard"))
async def dashboard(
    message: Message, session: AsyncSession, person: Person, locale: str, settings: Settings
) -> None:
    base = settings.dashboard_base_url or settings.webhook_base_url
    if not base:
        await message.answer(t("dashboard-not-configured", locale))
        return
    token = await issue_link(session, person)
    minutes = int(LINK_LIFETIME.total_seconds() // 60)
    url = login_url(base, token)
    await message.answer(t("dashboard-link", locale, url=esc(url), minutes=minutes))
